"""External input I_ext(t) and noise, all in nA.

Deterministic inputs (:class:`Constant`, :class:`Step`, :class:`Ramp`, :class:`Sine`)
are the same for every neuron of a population, as in the notes. They can be added:
``Constant(0.2) + Sine(0.05, 10)``. Noise (:class:`WhiteNoise`,
:class:`OUNoise`) is private: every neuron receives its own independent realisation.

Units: currents in nA, times in ms, frequencies in Hz.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._params import check

__all__ = ["Constant", "Input", "OUNoise", "Ramp", "Sine", "Step", "Sum", "WhiteNoise"]


class Input:
    """Base class of deterministic inputs: ``values(t)`` gives I_ext in nA at times ``t`` (ms)."""

    def values(self, t):
        raise NotImplementedError

    @property
    def is_constant(self) -> bool:
        return False

    def __add__(self, other: Input) -> Sum:
        if not isinstance(other, Input):
            return NotImplemented
        return Sum((self, other))


@dataclass(frozen=True)
class Constant(Input):
    """I_ext(t) = I0."""

    I0: float = 0.0

    def __post_init__(self):
        object.__setattr__(self, "I0", check("I", self.I0, label="I0"))

    def values(self, t):
        return np.full(np.shape(t), self.I0)

    @property
    def is_constant(self) -> bool:
        return True


@dataclass(frozen=True)
class Step(Input):
    """I_ext = I0 before ``t_on``, I1 from ``t_on`` until ``t_off``, I0 after."""

    I0: float = 0.0
    I1: float = 0.2
    t_on: float = 100.0
    t_off: float = np.inf

    def __post_init__(self):
        object.__setattr__(self, "I0", check("I", self.I0, label="I0"))
        object.__setattr__(self, "I1", check("I", self.I1, label="I1"))
        object.__setattr__(self, "t_on", check("t_on", self.t_on))
        if not (self.t_off == np.inf or check("t_on", self.t_off, label="t_off") > self.t_on):
            raise ValueError(f"t_off = {self.t_off} must be later than t_on = {self.t_on} ms")

    def values(self, t):
        t = np.asarray(t, dtype=float)
        return np.where((t >= self.t_on) & (t < self.t_off), self.I1, self.I0)


@dataclass(frozen=True)
class Ramp(Input):
    """I_ext rises linearly from I0 at ``t_start`` to I1 at ``t_end`` and stays there."""

    I0: float = 0.0
    I1: float = 0.3
    t_start: float = 0.0
    t_end: float = 1000.0

    def __post_init__(self):
        object.__setattr__(self, "I0", check("I", self.I0, label="I0"))
        object.__setattr__(self, "I1", check("I", self.I1, label="I1"))
        object.__setattr__(self, "t_start", check("t_on", self.t_start, label="t_start"))
        object.__setattr__(self, "t_end", check("t_on", self.t_end, label="t_end"))
        if self.t_end <= self.t_start:
            raise ValueError(f"t_end = {self.t_end} must be later than t_start = {self.t_start} ms")

    def values(self, t):
        t = np.asarray(t, dtype=float)
        x = np.clip((t - self.t_start) / (self.t_end - self.t_start), 0.0, 1.0)
        return self.I0 + (self.I1 - self.I0) * x


@dataclass(frozen=True)
class Sine(Input):
    """I_ext = I0 + amplitude · sin(2π f t / 1000 + phase), f in Hz, t in ms."""

    I0: float = 0.0
    amplitude: float = 0.05
    frequency: float = 10.0
    phase: float = 0.0

    def __post_init__(self):
        object.__setattr__(self, "I0", check("I", self.I0, label="I0"))
        object.__setattr__(self, "amplitude", check("I", self.amplitude, label="amplitude"))
        object.__setattr__(self, "frequency", check("frequency", self.frequency))
        object.__setattr__(self, "phase", float(self.phase))

    def values(self, t):
        t = np.asarray(t, dtype=float)
        return self.I0 + self.amplitude * np.sin(2 * np.pi * self.frequency * t / 1000.0 + self.phase)


@dataclass(frozen=True)
class Sum(Input):
    """The sum of several inputs."""

    parts: tuple

    def values(self, t):
        return sum(p.values(t) for p in self.parts)

    @property
    def is_constant(self) -> bool:
        return all(p.is_constant for p in self.parts)


@dataclass(frozen=True)
class WhiteNoise:
    """Private Gaussian white-noise current of amplitude ``sigma`` (nA).

    The membrane equation of neuron i becomes

    .. math:: \\tau_m \\frac{du_i}{dt} = u_{rest} - u_i + R I(t) + R\\sigma\\sqrt{\\tau_m}\\,\\eta_i(t),

    with ⟨η_i(t) η_j(t')⟩ = δ_ij δ(t − t'): the diffusive noise of Neuronal
    Dynamics §8.2 with amplitude R·σ in mV. Without threshold, u fluctuates around
    its mean with standard deviation R σ / √2. The gain function under this noise
    is :func:`nmteach.siegert_rate`.
    """

    sigma: float = 0.05

    def __post_init__(self):
        object.__setattr__(self, "sigma", check("sigma", self.sigma))


@dataclass(frozen=True)
class OUNoise:
    """Private Ornstein–Uhlenbeck (coloured) noise current: stationary std ``sigma`` (nA),
    correlation time ``tau`` (ms); ⟨ξ(t)ξ(t')⟩ = σ² e^{−|t−t'|/τ}.

    The engine updates ξ exactly and holds it constant within a step, so ``tau``
    must be at least the time step.
    """

    sigma: float = 0.05
    tau: float = 5.0

    def __post_init__(self):
        object.__setattr__(self, "sigma", check("sigma", self.sigma))
        object.__setattr__(self, "tau", check("tau_noise", self.tau, label="tau"))


def as_input(I_ext) -> Input:
    """Accept a number (a constant current in nA) or an :class:`Input`."""
    if isinstance(I_ext, Input):
        return I_ext
    if isinstance(I_ext, (int, float, np.integer, np.floating)) and not isinstance(I_ext, bool):
        return Constant(float(I_ext))
    raise ValueError(f"I_ext = {I_ext!r} must be a number (nA) or an input such as Constant, Step, Ramp or Sine")
