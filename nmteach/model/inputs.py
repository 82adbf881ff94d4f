"""External input I_ext(t) and noise, all in nA.

Deterministic inputs (:class:`Constant`, :class:`Step`, :class:`Ramp`, :class:`Sine`)
are the same for every neuron of a population, as in the notes. They can be added:
``Constant(0.2) + Sine(0.05, 10)``. Noise (:class:`WhiteNoise`,
:class:`OUNoise`) is private: every neuron receives its own independent realisation.

External Poisson input (:class:`PoissonDrive`) arrives as membrane jumps; a
:class:`Stimulus` is a time course with a different amplitude for every neuron.

Units: currents in nA, times in ms, frequencies in Hz, jumps in mV.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .._params import check, check_array, check_instance, check_int

__all__ = [
    "Constant",
    "Input",
    "OUNoise",
    "PoissonDrive",
    "Ramp",
    "Sine",
    "Step",
    "Stimulus",
    "Sum",
    "WhiteNoise",
    "as_input",
]


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
        t_off = self.t_off if _is_inf(self.t_off) else check("t_off", self.t_off)
        object.__setattr__(self, "t_off", float(t_off))
        if not self.t_off > self.t_on:
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
        object.__setattr__(self, "t_start", check("t_start", self.t_start))
        object.__setattr__(self, "t_end", check("t_end", self.t_end))
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
        object.__setattr__(self, "amplitude", check("amplitude", self.amplitude))
        object.__setattr__(self, "frequency", check("frequency", self.frequency))
        object.__setattr__(self, "phase", check("phase", self.phase))

    def values(self, t):
        t = np.asarray(t, dtype=float)
        return self.I0 + self.amplitude * np.sin(2 * np.pi * self.frequency * t / 1000.0 + self.phase)


@dataclass(frozen=True)
class Sum(Input):
    """The sum of several inputs."""

    parts: tuple

    def __post_init__(self):
        parts = tuple(self.parts)
        for p in parts:
            check_instance("parts", p, Input, "a sequence of inputs such as Constant or Sine")
        object.__setattr__(self, "parts", parts)

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
        object.__setattr__(self, "tau", check("OUNoise.tau", self.tau))


def _is_inf(x) -> bool:
    return isinstance(x, (float, np.floating)) and math.isinf(x) and x > 0


def as_input(I_ext, name: str = "I_ext") -> Input:
    """Accept a number (a constant current in nA) or an :class:`Input`."""
    if isinstance(I_ext, Input):
        return I_ext
    if isinstance(I_ext, (int, float, np.integer, np.floating)) and not isinstance(I_ext, (bool, np.bool_)):
        return Constant(check("I", I_ext, label=name))
    raise TypeError(f"{name} = {I_ext!r} must be a number (nA) or an input such as Constant, Step, Ramp or Sine")


@dataclass(frozen=True)
class PoissonDrive:
    """External Poisson input: ``n`` independent synapses, each firing at ``rate`` Hz,
    each spike making the membrane jump by ``J`` mV (a delta synapse)."""

    rate: float
    n: int = 1
    J: float = 0.1

    def __post_init__(self):
        object.__setattr__(self, "rate", check("PoissonDrive.rate", self.rate))
        object.__setattr__(self, "n", check_int("PoissonDrive.n", self.n))
        object.__setattr__(self, "J", check("PoissonDrive.J", self.J))


@dataclass(frozen=True, eq=False)
class Stimulus:
    """An input that differs between neurons: neuron i receives ``profile[i] · time_course(t)`` (nA).

    E.g. a local stimulus on a sheet: ``profile`` = 1 inside a disc, 0 outside, and
    ``time_course = Step(0, 0.1, t_on=50, t_off=70)``.
    """

    profile: np.ndarray
    time_course: Input

    def __post_init__(self):
        object.__setattr__(self, "profile", check_array("profile", self.profile, spec="profile"))
        object.__setattr__(self, "time_course", as_input(self.time_course, "time_course"))
