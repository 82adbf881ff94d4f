"""Postsynaptic current kernels α(s): the current (nA) a spike causes ``s`` ms later.

Every kernel carries its total charge ``q = ∫α(s) ds`` (pC), the quantity that
enters the mean-field input ``I0 = I_ext + w0 N q A0`` (Neuronal Dynamics §12.4).
Each kernel except the delta pulse is a linear filter with a small state vector
``z`` (``dz/dt = M z``, a spike adds ``b``, the current is ``c·z``), so filtering a
spike train costs O(1) per time step whatever its length.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._params import check, check_array, check_choice, check_instance

__all__ = [
    "AlphaKernel",
    "BiexponentialKernel",
    "DeltaKernel",
    "ExponentialKernel",
    "Kernel",
    "filter_activity",
    "make_kernel",
]


class Kernel:
    """Base class: a PSC kernel with total charge ``q`` (pC)."""

    q: float
    name = "kernel"

    def __call__(self, s):
        """α(s) in nA for ``s`` in ms (zero for ``s < 0``)."""
        raise NotImplementedError

    @property
    def integral(self) -> float:
        """∫α(s) ds (pC) of the filter that realises the kernel: −c M⁻¹ b from its state-space form.

        It equals the kernel's charge ``q`` when the state-space form is right; the engine
        and :func:`filter_activity` use that form, so this is what a spike really delivers.
        """
        M, b, c = self.state_space()
        if len(b) == 0:
            return self.q
        return float(-c @ np.linalg.solve(M, b))

    def state_space(self):
        """``(M, b, c)`` with dz/dt = M z, a spike adding ``b`` to z and α = c·z."""
        raise NotImplementedError

    def propagator(self, dt: float) -> np.ndarray:
        """exp(M dt): advances the filter state by one step of ``dt`` ms."""
        M, _, _ = self.state_space()
        return _expm(M * dt)

    @property
    def duration(self) -> float:
        """A time (ms) after which α has decayed to below 1e-6 of its charge."""
        raise NotImplementedError


@dataclass(frozen=True)
class DeltaKernel(Kernel):
    """α(s) = q δ(s): the whole charge arrives at once and the membrane jumps by R q / τ_m."""

    q: float = 1.0
    name = "delta"

    def __post_init__(self):
        object.__setattr__(self, "q", check("q", self.q))

    def __call__(self, s):
        s = np.asarray(s, dtype=float)
        return np.zeros_like(s)

    def state_space(self):
        return np.zeros((0, 0)), np.zeros(0), np.zeros(0)

    @property
    def duration(self) -> float:
        return 0.0


@dataclass(frozen=True)
class ExponentialKernel(Kernel):
    """α(s) = (q/τ_s) e^{−s/τ_s} for s ≥ 0."""

    q: float = 1.0
    tau_s: float = 5.0
    name = "exponential"

    def __post_init__(self):
        object.__setattr__(self, "q", check("q", self.q))
        object.__setattr__(self, "tau_s", check("tau_s", self.tau_s))

    def __call__(self, s):
        s = np.asarray(s, dtype=float)
        return np.where(s >= 0, self.q / self.tau_s * np.exp(-np.clip(s, 0, None) / self.tau_s), 0.0)

    def state_space(self):
        return np.array([[-1.0 / self.tau_s]]), np.array([self.q / self.tau_s]), np.array([1.0])

    @property
    def duration(self) -> float:
        return 14.0 * self.tau_s


@dataclass(frozen=True)
class AlphaKernel(Kernel):
    """α(s) = (q/τ_s²) s e^{−s/τ_s} for s ≥ 0: rises, peaks at s = τ_s, decays."""

    q: float = 1.0
    tau_s: float = 5.0
    name = "alpha"

    def __post_init__(self):
        object.__setattr__(self, "q", check("q", self.q))
        object.__setattr__(self, "tau_s", check("tau_s", self.tau_s))

    def __call__(self, s):
        s = np.asarray(s, dtype=float)
        sp = np.clip(s, 0, None)
        return np.where(s >= 0, self.q / self.tau_s**2 * sp * np.exp(-sp / self.tau_s), 0.0)

    def state_space(self):
        k = 1.0 / self.tau_s
        M = np.array([[-k, 0.0], [k, -k]])
        return M, np.array([self.q / self.tau_s, 0.0]), np.array([0.0, 1.0])

    @property
    def duration(self) -> float:
        return 20.0 * self.tau_s


@dataclass(frozen=True)
class BiexponentialKernel(Kernel):
    """α(s) = q (e^{−s/τ_decay} − e^{−s/τ_rise}) / (τ_decay − τ_rise) for s ≥ 0.

    A difference of exponentials; as τ_rise → τ_decay it becomes the alpha kernel.
    """

    q: float = 1.0
    tau_rise: float = 1.0
    tau_decay: float = 5.0
    name = "biexponential"

    def __post_init__(self):
        object.__setattr__(self, "q", check("q", self.q))
        object.__setattr__(self, "tau_rise", check("tau_rise", self.tau_rise))
        object.__setattr__(self, "tau_decay", check("tau_decay", self.tau_decay))
        if not self.tau_decay > self.tau_rise:
            raise ValueError(
                f"tau_decay = {self.tau_decay} must be larger than tau_rise = {self.tau_rise} ms "
                "(use AlphaKernel for equal time constants)"
            )

    def __call__(self, s):
        s = np.asarray(s, dtype=float)
        sp = np.clip(s, 0, None)
        d = self.tau_decay - self.tau_rise
        return np.where(s >= 0, self.q / d * (np.exp(-sp / self.tau_decay) - np.exp(-sp / self.tau_rise)), 0.0)

    def state_space(self):
        M = np.diag([-1.0 / self.tau_decay, -1.0 / self.tau_rise])
        a = self.q / (self.tau_decay - self.tau_rise)
        return M, np.array([a, a]), np.array([1.0, -1.0])

    @property
    def duration(self) -> float:
        return 14.0 * self.tau_decay


def make_kernel(shape: str, q: float = 1.0, tau_s: float = 5.0) -> Kernel:
    """Build a kernel by name: ``"delta"``, ``"exponential"``, ``"alpha"`` or ``"biexponential"``.

    For the biexponential, ``tau_s`` is the decay time and the rise time is ``tau_s / 5``.
    """
    check_choice("shape", shape, ("delta", "exponential", "alpha", "biexponential"))
    if shape == "delta":
        return DeltaKernel(q)
    if shape == "exponential":
        return ExponentialKernel(q, tau_s)
    if shape == "alpha":
        return AlphaKernel(q, tau_s)
    return BiexponentialKernel(q, tau_s / 5.0, tau_s)


def filter_activity(kernel: Kernel, A, dt: float):
    """The convolution ∫₀^∞ α(s) A(t − s) ds (nA per unit of J0) of a sampled activity.

    ``A`` (Hz) is read as spike counts per step, ``A[k] · dt`` spikes per neuron
    in step ``k``, each arriving at the end of its step (the engine's convention,
    which delivers a spike at the next grid point). The result at index ``k`` is the
    kernel current at time ``t_k`` averaged over step ``k`` — exactly the mean
    recurrent current the engine applies in that step, so that
    ``I(t) = I_ext(t) + J0 * filter_activity(kernel, A, dt)``.
    Cost O(len(A)) through the kernel's state-space form.
    """
    check_instance("kernel", kernel, Kernel, "a Kernel such as ExponentialKernel(q=1.0, tau_s=5.0)")
    dt = check("dt", dt)
    A = check_array("A", A, spec="rate")
    counts = A * dt / 1000.0  # spikes per neuron in each step
    out = np.zeros_like(counts)
    if isinstance(kernel, DeltaKernel):
        # the whole charge arrives at the start of the next step: mean current q·n/dt
        out[1:] = kernel.q * counts[:-1] / dt
        return out
    M, b, c = kernel.state_space()
    E = kernel.propagator(dt)
    avg = _step_average(M, dt)  # (1/dt)∫_0^dt exp(M s) ds
    cz = c @ avg
    z = np.zeros(len(b))
    for k in range(1, len(counts)):
        z = E @ z + b * counts[k - 1]
        out[k] = cz @ z
    return out


def _step_average(M: np.ndarray, dt: float) -> np.ndarray:
    """(1/dt) ∫_0^dt exp(M s) ds, from the exponential of an augmented matrix."""
    d = M.shape[0]
    big = np.zeros((2 * d, 2 * d))
    big[:d, :d] = M * dt
    big[:d, d:] = np.eye(d)
    return _expm(big)[:d, d:]


def _expm(A: np.ndarray) -> np.ndarray:
    """Matrix exponential of small matrices (a stack ``(..., n, n)`` works too), by
    scaling and squaring with a Taylor series; accurate to rounding for the well-scaled
    propagators used here."""
    A = np.asarray(A, dtype=float)
    n = A.shape[-1]
    if n == 0:
        return np.zeros(A.shape)
    norm = float(np.abs(A).sum(axis=-1).max()) if A.size else 0.0
    s = int(np.ceil(np.log2(norm / 0.5))) if norm > 0.5 else 0
    X = A / 2.0**s
    eye = np.broadcast_to(np.eye(n), A.shape)
    result = eye.copy()
    term = eye.copy()
    for k in range(1, 20):
        term = term @ X / k
        result = result + term
    for _ in range(s):
        result = result @ result
    return result
