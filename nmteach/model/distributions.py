"""Per-neuron spreads of a parameter: how it varies over the neurons of a group.

Used as ``Group(..., spread={"theta": Normal(2.0)})``: :class:`Normal`, :class:`Uniform`,
:class:`TwoPoint` (two subpopulations) and :class:`Values` (an array you give). A
distribution knows its mean and variance around a typical value, and draws one value per
neuron from the random generator it is given.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .._params import check, check_array, check_int

__all__ = ["SPREAD_PARAMETERS", "Distribution", "Normal", "TwoPoint", "Uniform", "Values"]

#: neuron parameters that may vary from neuron to neuron, and "I", a constant input offset (nA)
SPREAD_PARAMETERS = ("tau_m", "R", "u_rest", "theta", "I")


class Distribution:
    """How a parameter is spread over the neurons of a group."""

    def sample(self, n: int, typical: float, rng: np.random.Generator) -> np.ndarray:
        raise NotImplementedError

    def variance(self, typical: float) -> float:
        raise NotImplementedError

    def mean(self, typical: float) -> float:
        raise NotImplementedError


@dataclass(frozen=True)
class Normal(Distribution):
    """Normal around the typical value (or around ``mean``) with standard deviation ``sd``."""

    sd: float
    mean_value: float | None = None

    def __post_init__(self):
        object.__setattr__(self, "sd", check("sd", self.sd))
        if self.mean_value is not None:
            object.__setattr__(self, "mean_value", check("spread", self.mean_value, label="mean_value"))

    def mean(self, typical):
        return typical if self.mean_value is None else self.mean_value

    def sample(self, n, typical, rng):
        return rng.normal(self.mean(typical), self.sd, n)

    def variance(self, typical):
        return self.sd**2


@dataclass(frozen=True)
class Uniform(Distribution):
    """Uniform on [c − width/2, c + width/2], c the typical value (or ``center``)."""

    width: float
    center: float | None = None

    def __post_init__(self):
        object.__setattr__(self, "width", check("width", self.width))
        if self.center is not None:
            object.__setattr__(self, "center", check("spread", self.center, label="center"))

    def mean(self, typical):
        return typical if self.center is None else self.center

    def sample(self, n, typical, rng):
        c = self.mean(typical)
        return rng.uniform(c - self.width / 2, c + self.width / 2, n)

    def variance(self, typical):
        return self.width**2 / 12


@dataclass(frozen=True)
class TwoPoint(Distribution):
    """Two values: the first ``round((1 − fraction_high)·N)`` neurons get ``low``, the rest ``high``.

    The assignment is deterministic, so the two subpopulations are index ranges that can be
    compared with two homogeneous populations.
    """

    low: float
    high: float
    fraction_high: float = 0.5

    def __post_init__(self):
        object.__setattr__(self, "low", check("spread", self.low, label="low"))
        object.__setattr__(self, "high", check("spread", self.high, label="high"))
        object.__setattr__(self, "fraction_high", check("fraction_high", self.fraction_high))

    def split(self, n: int) -> int:
        """Number of neurons that get ``low``."""
        return round((1 - self.fraction_high) * n)

    def mean(self, typical):
        return (1 - self.fraction_high) * self.low + self.fraction_high * self.high

    def sample(self, n, typical, rng):
        k = self.split(n)
        return np.concatenate([np.full(k, float(self.low)), np.full(n - k, float(self.high))])

    def variance(self, typical):
        f = self.fraction_high
        return f * (1 - f) * (self.high - self.low) ** 2


@dataclass(frozen=True, eq=False)
class Values(Distribution):
    """The values themselves, one per neuron."""

    values: np.ndarray = field(repr=False)

    def __post_init__(self):
        v = check_array("values", self.values, spec="spread")
        if v.size == 0:
            raise ValueError("values must hold one value per neuron; it is empty")
        object.__setattr__(self, "values", v)

    def mean(self, typical):
        return float(self.values.mean())

    def sample(self, n, typical, rng):
        n = check_int("N", n, label="n")
        if len(self.values) != n:
            raise ValueError(f"Values has {len(self.values)} entries; the group has N = {n} neurons")
        return self.values.copy()

    def variance(self, typical):
        return float(self.values.var())
