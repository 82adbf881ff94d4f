"""Heterogeneous populations: per-neuron parameters and what averaging over them does.

A population whose neurons differ has, for a common input I, a mean rate

.. math:: \\langle r_i(I) \\rangle = \\frac{1}{N} \\sum_{i=1}^{N} r_i(I).

If the spread of a parameter p is small, expanding r(I; p) around the mean
p̄ to second order gives

.. math:: \\langle r \\rangle \\approx r(I; \\bar p) + \\tfrac12 \\partial_p^2 r(I; \\bar p)\\, \\operatorname{Var}[p],

so the mean rate equals the rate of the "typical" neuron (the notes' linearised
model) up to a correction set by the curvature of the gain function. The
expansion fails near the rheobase, where g has a kink and infinite slope, and
for large spreads; then the population must be split into homogeneous parts.

Distributions for :class:`nmteach.Group` ``spread={"theta": Normal(2.0), ...}``:
:class:`Normal`, :class:`Uniform`, :class:`TwoPoint` (two subpopulations) and
:class:`Values` (an array you give).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .neuron import LIF

__all__ = [
    "SPREAD_PARAMETERS",
    "Normal",
    "TwoPoint",
    "Uniform",
    "Values",
    "fraction_active",
    "mean_rate",
    "mixture_gain",
    "second_order_rate",
    "typical_rate",
]

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
        if not (np.isfinite(self.sd) and self.sd >= 0):
            raise ValueError(f"sd = {self.sd} must be a finite number ≥ 0")

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
        if not (np.isfinite(self.width) and self.width >= 0):
            raise ValueError(f"width = {self.width} must be a finite number ≥ 0")

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
        if not 0 <= self.fraction_high <= 1:
            raise ValueError(f"fraction_high = {self.fraction_high} must lie in [0, 1]")

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
        v = np.asarray(self.values, dtype=float)
        if v.ndim != 1 or not np.all(np.isfinite(v)):
            raise ValueError("values must be a 1-d array of finite numbers")
        object.__setattr__(self, "values", v)

    def mean(self, typical):
        return float(self.values.mean())

    def sample(self, n, typical, rng):
        if len(self.values) != n:
            raise ValueError(f"Values has {len(self.values)} entries; the group has N = {n} neurons")
        return self.values.copy()

    def variance(self, typical):
        return float(self.values.var())


def neuron_rates(I, neuron: LIF, params: dict) -> np.ndarray:
    """Noise-free rates (Hz) of neurons with per-neuron parameters ``params`` (arrays) under input I (nA)."""
    p = {k: params.get(k, getattr(neuron, k)) for k in ("tau_m", "R", "u_rest", "theta", "u_reset", "t_ref")}
    I_tot = np.asarray(I, dtype=float) + params.get("I", 0.0)
    v_inf = p["u_rest"] + p["R"] * I_tot
    with np.errstate(divide="ignore", invalid="ignore"):
        T = p["t_ref"] + p["tau_m"] * np.log((v_inf - p["u_reset"]) / (v_inf - p["theta"]))
    return np.where(v_inf > p["theta"], 1000.0 / T, 0.0)


def mean_rate(I, neuron: LIF, params: dict) -> float:
    """⟨r_i(I)⟩ = (1/N) Σ_i r_i(I): the population's mean noise-free rate (Hz)."""
    return float(np.mean(neuron_rates(I, neuron, params)))


def typical_rate(I, neuron: LIF, name: str, dist: Distribution):
    """The rate (Hz) of the "typical" neuron, whose parameter ``name`` sits at the distribution's mean."""
    typical = 0.0 if name == "I" else getattr(neuron, name)
    out = neuron_rates(I, neuron, {name: dist.mean(typical)})
    return float(out) if np.ndim(out) == 0 else out


def second_order_rate(I, neuron: LIF, name: str, dist: Distribution, h: float | None = None):
    """r(I; p̄) + ½ ∂²r/∂p² · Var[p]: the typical rate with its curvature correction (Hz).

    The second derivative is taken by central differences with step ``h`` (default:
    the distribution's standard deviation / 10, at least 1e-4). ``I`` may be an array.
    """
    typical = 0.0 if name == "I" else getattr(neuron, name)
    m, var = dist.mean(typical), dist.variance(typical)
    h = max(np.sqrt(var) / 10, 1e-4) if h is None else h
    r_lo, r_mid, r_hi = (neuron_rates(I, neuron, {name: m + k * h}) for k in (-1, 0, 1))
    out = r_mid + 0.5 * (r_lo - 2 * r_mid + r_hi) / h**2 * var
    return float(out) if np.ndim(out) == 0 else out


def fraction_active(I, neuron: LIF, params: dict) -> float:
    """Fraction of neurons whose noise-free rate is above zero at input I (above their own rheobase)."""
    return float(np.mean(neuron_rates(I, neuron, params) > 0))


def mixture_gain(neurons, fractions, sigma: float = 0.0):
    """The gain of a population split into homogeneous parts: I ↦ Σ_n f_n g_n(I) (Hz).

    All parts receive the same input I (all-to-all coupling, common I_ext), so the
    population activity is the fraction-weighted sum of their rates. Each g_n is the
    noise-free gain, or the Siegert gain for white noise ``sigma`` (nA). Use it with
    ``nmteach.asynchronous_states(pop, gain=...)`` to get each part's mean field.
    """
    from .meanfield import siegert_rate
    from .neuron import gain as lif_gain

    neurons = list(neurons)
    fractions = np.asarray(fractions, dtype=float)
    if len(neurons) != len(fractions) or not np.isclose(fractions.sum(), 1.0) or np.any(fractions < 0):
        raise ValueError(f"fractions = {fractions.tolist()} must be one non-negative number per part, summing to 1")

    def g(I):
        rates = [lif_gain(I, n) if sigma == 0 else siegert_rate(I, n, sigma) for n in neurons]
        return sum(f * r for f, r in zip(fractions, rates, strict=True))

    return g
