"""Neural fields: a continuum of populations along one axis (Neuronal Dynamics ch. 12 and 18).

Position ``x`` is in mm, along a line ``[0, L]`` or a ring of circumference ``L``.
A coupling kernel w(x) gives the coupling per unit length at distance |x| (1/mm);
its integral ``J = ∫w(x) dx`` is the spatial analogue of ``J0 = w0 N``.

The field ``h(x, t)`` is the *input current* (nA) of the neurons at ``x``; they fire
at the rate ``f(h)`` (Hz), e.g. the LIF gain. Each spike delivers the charge ``q``
(pC), so the recurrent input is ``q ∫ w(x − y) f(h(y)) dy`` (pC · Hz = nA / 1000):

.. math:: \\tau \\frac{\\partial h}{\\partial t} = -h
          + \\frac{q}{1000} \\int w(x-y)\\, f(h(y,t))\\, dy + I_{ext}(x, t).

In a stationary state ``h`` is the notes' input ``I(x) = I_ext + ρ ∫ w q A(y) dy`` with
``A = f(h)``, and a uniform state solves the homogeneous population's self-consistency
``A0 = f(I_ext + J q A0)`` (:func:`nmteach.asynchronous_states`). The field is
integrated on a ring of ``M`` points ``x_j = (j + ½) L/M``; the convolution is a
circular one, done by FFT.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.special import erf, erfcx

from .._params import check, check_array, check_choice, check_instance, check_int, require_memory
from .numerics import expanding_root, grid_roots, rk4

__all__ = [
    "Bump",
    "CouplingKernel",
    "ExponentialCoupling",
    "FieldResult",
    "GaussianCoupling",
    "HeavisideRate",
    "MexicanHatCoupling",
    "NeuralField",
    "SigmoidRate",
    "active_length",
    "bump_profile",
    "bump_widths",
    "continuum_input",
    "count_bumps",
    "front_speed",
    "segment_input",
    "simulate_field",
]

_GL_T, _GL_W = np.polynomial.legendre.leggauss(200)
#: the largest dt/τ for which RK4 is stable on the decay −h/τ (|1 + z + z²/2 + z³/6 + z⁴/24| < 1)
_RK4_LIMIT = 2.785


class CouplingKernel:
    """Base class: w(x) in 1/mm for a distance x in mm, symmetric in x."""

    J: float

    def __call__(self, x):
        raise NotImplementedError

    def W(self, a):
        """W(a) = ∫_0^a w(x) dx (dimensionless; odd in a), the quantity of Amari's bump condition."""
        raise NotImplementedError

    def laplace(self, lam):
        """∫_0^∞ e^{−x/λ} w(x) dx for λ > 0 (mm), the quantity of the front-speed condition."""
        raise NotImplementedError


@dataclass(frozen=True)
class _OneScale(CouplingKernel):
    """A kernel J·k(x/σ)/σ with integral ``J`` (dimensionless) and width ``sigma`` (mm)."""

    J: float = 1.0
    sigma: float = 1.0

    def __post_init__(self):
        object.__setattr__(self, "J", check("CouplingKernel.J", self.J))
        object.__setattr__(self, "sigma", check("CouplingKernel.sigma", self.sigma))


@dataclass(frozen=True)
class GaussianCoupling(_OneScale):
    """w(x) = J e^{−x²/2σ²} / (√(2π) σ); W(a) = (J/2) erf(a/√2σ); Laplace (J/2) erfcx(σ/√2λ)."""

    def __call__(self, x):
        x = np.asarray(x, dtype=float)
        return self.J * np.exp(-0.5 * (x / self.sigma) ** 2) / (np.sqrt(2 * np.pi) * self.sigma)

    def W(self, a):
        return 0.5 * self.J * erf(np.asarray(a, dtype=float) / (np.sqrt(2) * self.sigma))

    def laplace(self, lam):
        return 0.5 * self.J * erfcx(self.sigma / (np.sqrt(2) * np.asarray(lam, dtype=float)))


@dataclass(frozen=True)
class ExponentialCoupling(_OneScale):
    """w(x) = J e^{−|x|/σ} / (2σ); W(a) = (J/2)(1 − e^{−a/σ}) sign a; Laplace (J/2) λ/(λ + σ)."""

    def __call__(self, x):
        return self.J * np.exp(-np.abs(np.asarray(x, dtype=float)) / self.sigma) / (2 * self.sigma)

    def W(self, a):
        a = np.asarray(a, dtype=float)
        return 0.5 * self.J * np.sign(a) * -np.expm1(-np.abs(a) / self.sigma)

    def laplace(self, lam):
        lam = np.asarray(lam, dtype=float)
        return 0.5 * self.J * lam / (lam + self.sigma)


@dataclass(frozen=True)
class MexicanHatCoupling(CouplingKernel):
    """Difference of Gaussians: local excitation (J_e, σ_e), broader inhibition (J_i, σ_i > σ_e).

    ``J = J_e − J_i``; W and the Laplace integral are the differences of the two Gaussians'.
    """

    J_e: float = 2.0
    sigma_e: float = 1.0
    J_i: float = 1.5
    sigma_i: float = 2.0

    def __post_init__(self):
        for name in ("J_e", "J_i"):
            object.__setattr__(self, name, check("CouplingKernel.J_part", getattr(self, name), label=name))
        for name in ("sigma_e", "sigma_i"):
            object.__setattr__(self, name, check("CouplingKernel.sigma", getattr(self, name), label=name))
        if not self.sigma_i > self.sigma_e:
            raise ValueError(f"sigma_i = {self.sigma_i} must exceed sigma_e = {self.sigma_e} mm (broader inhibition)")
        object.__setattr__(self, "_e", GaussianCoupling(self.J_e, self.sigma_e))
        object.__setattr__(self, "_i", GaussianCoupling(self.J_i, self.sigma_i))

    @property
    def J(self) -> float:
        return self.J_e - self.J_i

    def __call__(self, x):
        return self._e(x) - self._i(x)

    def W(self, a):
        return self._e.W(a) - self._i.W(a)

    def laplace(self, lam):
        return self._e.laplace(lam) - self._i.laplace(lam)


def segment_input(w: Callable, A, d: float, rho: float, *, L: float, q: float = 1.0, geometry="line", x=None):
    """The notes' segment sum: input current (nA) from an axis cut into segments of length d.

    .. math:: I(x) = \\rho \\sum_m w(x - y_m)\\, d\\, q\\, A(y_m), \\qquad y_m = (m + \\tfrac12) d,

    i.e. I(nd, t) = ρ Σ_m w(nd, md) d ∫_0^∞ α(s) A(md, t − s) ds with a stationary A,
    for which ∫α(s) A ds = q A. Segment m holds N_m = ρ d neurons; using its midpoint
    makes the sum the midpoint rule of the limit d → 0,
    I(x) = ρ ∫ w(x − y) q A(y) dy. That y-integral runs over the whole axis ([0, L] or
    the ring); the notes write ∫_0^∞ for it (and keep a stray factor d, which becomes dy),
    but 0..∞ belongs to the time integral over s.

    Parameters
    ----------
    w : CouplingKernel or callable
        Weight of one synapse at distance |x| (mm); ρ w is the coupling density.
    A : callable or array of shape (L/d,)
        Stationary activity A(y) in Hz, as a function of y (mm) or sampled at y_m.
    d, rho, L, q : float
        Segment length (mm; L/d an integer), neuron density (1/mm), axis length (mm)
        and PSC charge q = ∫α(s) ds (pC).
    geometry : {"line", "ring"}
        ``"line"``: neurons only on [0, L], none beyond the ends, so neurons near an end
        receive less input. ``"ring"``: periodic, distances by minimum image.
    x : array, optional
        Where to evaluate I (mm); default the midpoints y_m.

    Returns
    -------
    ndarray
        I(x) in nA.

    >>> w = ExponentialCoupling(J=2.0, sigma=1.0)
    >>> I = segment_input(w, lambda y: 10.0 + 0 * y, 0.1, 1.0, L=100.0, geometry="ring")
    >>> round(float(I[0]), 4)  # ρ J q A / 1000 = 0.02 nA, up to O(d²)
    0.02
    """
    d, rho, L, q = check("segment.d", d), check("rho", rho), check("NeuralField.L", L, label="L"), check("q", q)
    n = round(L / d)
    if n < 1 or abs(n * d - L) > 1e-9 * L:
        raise ValueError(f"d = {d} must divide L = {L} mm into a whole number of segments")
    require_memory(8.0 * n * (1 if x is None else np.size(x)) * 3, f"the segment sum at {n} segments", "use a larger d")
    geometry = check_choice("geometry", geometry, ("line", "ring"))
    if not callable(w):
        raise TypeError(f"w = {w!r} must be a coupling kernel or a function of distance (mm)")
    y = (np.arange(n) + 0.5) * d
    A = check_array("A", A(y) if callable(A) else A, length=n, spec="rate")
    x = y if x is None else check_array("x", x, ndim=None, spec="distance")
    r = np.abs(x[..., None] - y)
    if geometry == "ring":
        r = np.mod(r, L)
        r = np.minimum(r, L - r)
    return rho * d * q / 1000.0 * (w(r) @ A)


def continuum_input(w, A, x, *, L: float, rho: float, q: float = 1.0, geometry: str = "line"):
    """The limit d → 0 of the segment sum: I(x) = ρ q ∫ w(|x − y|) A(y) dy / 1000 (nA).

    The y-integral runs over the whole axis: [0, L] on a line; on a ring over
    [x − L/2, x + L/2] (``A`` must then be L-periodic). Gauss–Legendre quadrature with
    200 nodes on each side of y = x, where an exponential kernel has its kink.
    """
    geometry = check_choice("geometry", geometry, ("line", "ring"))
    L, rho, q = check("NeuralField.L", L, label="L"), check("rho", rho), check("q", q)
    x = check_array("x", x, spec="distance")[:, None]
    lo, hi = (np.zeros_like(x), np.full_like(x, L)) if geometry == "line" else (x - L / 2, x + L / 2)
    total = np.zeros(x.shape[0])
    for a, b in ((lo, x), (x, hi)):
        half = 0.5 * (b - a)
        y = half * _GL_T + 0.5 * (b + a)
        total += half[:, 0] * ((w(np.abs(x - y)) * A(y)) @ _GL_W)
    return rho * q / 1000.0 * total


@dataclass(frozen=True)
class HeavisideRate:
    """f(h) = rate_max for h > κ, else 0: a step at threshold ``kappa`` (nA), rate in Hz."""

    kappa: float = 0.35
    rate_max: float = 100.0

    def __post_init__(self):
        object.__setattr__(self, "kappa", check("kappa", self.kappa))
        object.__setattr__(self, "rate_max", check("rate_max", self.rate_max))

    def __call__(self, h):
        return np.where(np.asarray(h) > self.kappa, self.rate_max, 0.0)


@dataclass(frozen=True)
class SigmoidRate:
    """f(h) = rate_max / (1 + e^{−(h − κ)/width}); ``kappa`` and ``width`` in nA, rate in Hz."""

    kappa: float = 0.35
    width: float = 0.02
    rate_max: float = 100.0

    def __post_init__(self):
        object.__setattr__(self, "kappa", check("kappa", self.kappa))
        object.__setattr__(self, "width", check("SigmoidRate.width", self.width))
        object.__setattr__(self, "rate_max", check("rate_max", self.rate_max))

    def __call__(self, h):  # the tanh form never overflows
        return 0.5 * self.rate_max * (1.0 + np.tanh((np.asarray(h) - self.kappa) / (2 * self.width)))


@dataclass(frozen=True)
class NeuralField:
    """A rate neural field on a ring of length ``L`` (mm) with ``M`` grid points.

    ``kernel`` w (1/mm); ``rate`` f(h) (nA → Hz), e.g. :class:`HeavisideRate` or
    ``nmteach.population_gain(pop)``; ``tau`` (ms); ``q`` (pC); ``I_ext`` a current (nA)
    or a function ``I_ext(x, t)`` of position (mm) and time (ms).
    """

    kernel: CouplingKernel
    rate: Callable
    tau: float = 10.0
    q: float = 1.0
    I_ext: float | Callable = 0.0
    L: float = 30.0
    M: int = 256

    def __post_init__(self):
        check_instance(
            "kernel", self.kernel, CouplingKernel, "a CouplingKernel such as GaussianCoupling(J=1.0, sigma=1.0)"
        )
        if not callable(self.rate):
            raise TypeError(f"rate = {self.rate!r} must be a function f(h) from nA to Hz")
        object.__setattr__(self, "tau", check("NeuralField.tau", self.tau))
        object.__setattr__(self, "q", check("q", self.q))
        if not callable(self.I_ext):
            object.__setattr__(self, "I_ext", check("I", self.I_ext, label="I_ext"))
        object.__setattr__(self, "L", check("NeuralField.L", self.L))
        object.__setattr__(self, "M", check_int("NeuralField.M", self.M))
        # the grid must resolve the kernel, or its discrete sum is not ∫w (a kernel narrower than the
        # spacing would act as if it were far stronger): refuse a discrete integral off by more than 1 %
        dx = self.L / self.M
        j = np.arange(self.M)
        discrete = float(np.sum(self.kernel(np.minimum(j, self.M - j) * dx)) * dx)
        scale = (
            sum(abs(getattr(self.kernel, k)) for k in ("J_e", "J_i"))
            if hasattr(self.kernel, "J_e")
            else abs(self.kernel.J)
        )
        if scale > 0 and abs(discrete - self.kernel.J) > 0.01 * scale:
            raise ValueError(
                f"the grid (spacing L/M = {dx:.3g} mm) does not resolve the coupling kernel: its discrete integral is "
                f"{discrete:.4g} instead of ∫w = {self.kernel.J:.4g}; use more points M or a wider kernel"
            )

    @property
    def x(self) -> np.ndarray:
        """Grid positions x_j = (j + ½) L/M, mm."""
        return (np.arange(self.M) + 0.5) * self.L / self.M

    def recurrent_input(self, h) -> np.ndarray:
        """(q/1000) Σ_m w(|x_n − x_m|) dx f(h_m) on the ring (nA), by FFT."""
        return np.fft.irfft(self._kernel_fft() * np.fft.rfft(self.rate(h)), n=self.M)

    def _kernel_fft(self) -> np.ndarray:
        j = np.arange(self.M)
        dx = self.L / self.M
        return np.fft.rfft(self.kernel(np.minimum(j, self.M - j) * dx) * dx * self.q / 1000.0)


@dataclass(frozen=True)
class FieldResult:
    """A field simulation: ``x`` (M,) mm, ``t`` (T,) ms, ``h`` (T, M) nA, ``dt`` ms, ``params``."""

    x: np.ndarray
    t: np.ndarray
    h: np.ndarray
    dt: float
    method: str
    params: NeuralField

    def rate(self) -> np.ndarray:
        """f(h), shape (T, M), Hz."""
        return self.params.rate(self.h)


def simulate_field(field: NeuralField, t_max: float, *, dt: float = 0.5, method="exp_euler", h0=None, record_every=1):
    """Integrate τ ∂h/∂t = −h + (q/1000) w ⊛ f(h) + I_ext on the ring, on a fixed grid.

    ``method="exp_euler"``: h ← e^{−dt/τ} h + (1 − e^{−dt/τ}) drive(h, t), exact while
    the drive is constant (so exact between switches for a Heaviside f);
    ``"rk4"``: classical Runge–Kutta (stable for dt < 2.785 τ; larger steps are refused).
    ``h0`` (nA): a number, an array (M,) or a function of x; default ``I_ext`` at t = 0.
    Every ``record_every``-th step is stored; the stored array must fit the memory budget
    (:data:`nmteach.MEMORY_BUDGET`).

    >>> fld = NeuralField(GaussianCoupling(J=5.0), HeavisideRate(0.1, 50.0), I_ext=0.2, M=64)
    >>> res = simulate_field(fld, 200.0)
    >>> res.h.shape, round(float(res.h[-1, 0]), 6)  # uniform: h = 0.2 + 5 · 1 pC · 50 Hz
    ((401, 64), 0.45)
    """
    check_instance("field", field, NeuralField, "a NeuralField")
    t_max, dt = check("t_max", t_max), check("dt", dt)
    method = check_choice("method", method, ("exp_euler", "rk4"))
    every = check_int("record_every", record_every)
    if method == "rk4" and dt >= _RK4_LIMIT * field.tau:
        raise ValueError(
            f"dt = {dt} ms is too large for RK4 with τ = {field.tau} ms: it is unstable for "
            f"dt ≥ {_RK4_LIMIT}·τ; use dt < {_RK4_LIMIT * field.tau:.3g} ms or method='exp_euler'"
        )
    n_steps = round(t_max / dt)
    n_rec = n_steps // every + 1
    require_memory(
        8.0 * (field.M * (n_rec + 16) + n_rec),  # the records, a few steps' scratch, the time axis
        f"a field of {field.M} points recorded {n_rec} times",
        "raise record_every, shorten t_max or use fewer points M",
    )
    x, tau, f, M = field.x, field.tau, field.rate, field.M
    K = field._kernel_fft()
    I = field.I_ext if callable(field.I_ext) else (lambda x, t, c=field.I_ext: c)
    if h0 is None:
        h0 = I(x, 0.0)
    h0 = check_array("h0", h0(x) if callable(h0) else h0, ndim=None, spec="I")
    if h0.shape not in ((), (M,)):
        raise ValueError(f"h0 must be one value (nA) or one per grid point, shape ({M},); got shape {h0.shape}")
    h = np.array(np.broadcast_to(h0, (M,)), dtype=float)

    def drive(h, t):
        return np.fft.irfft(K * np.fft.rfft(f(h)), n=M) + I(x, t)

    if method == "rk4":
        out = rk4(lambda h, t: (drive(h, t) - h) / tau, h, dt, n_steps, record_every=every)
    else:
        out = np.empty((n_rec, M))
        out[0] = h
        E = np.exp(-dt / tau)
        for k in range(n_steps):
            h = E * h + (1.0 - E) * drive(h, k * dt)
            if (k + 1) % every == 0:
                out[(k + 1) // every] = h
    if not np.all(np.isfinite(out[-1])):
        raise ValueError(
            "the field became infinite or NaN: check the rate function and the input for values that grow without bound"
        )
    t = np.arange(n_rec, dtype=float)
    t *= every * dt
    return FieldResult(x, t, out, dt, method, field)


@dataclass(frozen=True)
class Bump:
    """A stationary bump: its ``width`` (mm) and whether it is ``stable`` (w(width) < 0)."""

    width: float
    stable: bool


def _heaviside_drive(field: NeuralField, name: str):
    """For a Heaviside field: s = q rate_max/1000 (nA per unit of W) and κ − I_ext."""
    check_instance("field", field, NeuralField, "a NeuralField")
    if not isinstance(field.rate, HeavisideRate) or callable(field.I_ext):
        raise ValueError(f"{name} needs rate = HeavisideRate(...) and a constant I_ext")
    return field.q * field.rate.rate_max / 1000.0, field.rate.kappa - field.I_ext


def bump_widths(field: NeuralField, a_max: float | None = None) -> list[Bump]:
    """All widths a of stationary bumps for a Heaviside f: Amari's condition s W(a) = κ − I_ext.

    A bump active on (x₁, x₁ + a) has h(x) = I_ext + s[W(x − x₁) − W(x − x₁ − a)], with
    s = q rate_max / 1000 (nA); h(x₁) = κ gives the condition. A bump is stable when
    w(a) < 0 (Amari 1977, Biol. Cybern. 27:77). Searched on (0, a_max] (default L/2) by
    sign changes on a grid of spacing σ/40 (σ the narrowest width of the kernel, at least 4000
    points) refined with Brent's method; narrowest first. ``a_max`` must not exceed the ring
    length L. On a grid of
    spacing dx a Heaviside field also has stationary bumps in a band of half-width about
    dx (w(0) − w(a)) / 2|w(a)| around a stable a (propagation failure on a lattice).

    >>> fld = NeuralField(MexicanHatCoupling(20, 1, 15, 2), HeavisideRate(0.35, 100))
    >>> [(round(b.width, 3), b.stable) for b in bump_widths(fld)]
    [(0.823, False), (2.972, True)]
    """
    s, target = _heaviside_drive(field, "bump_widths")
    a_max = field.L / 2 if a_max is None else check("a_max", a_max)
    if a_max > field.L:
        raise ValueError(f"a_max = {a_max} mm must not exceed the ring length L = {field.L} mm: no bump is wider")
    widths = [getattr(field.kernel, k) for k in ("sigma", "sigma_e", "sigma_i") if hasattr(field.kernel, k)]
    n = max(4000, math.ceil(a_max / (min(widths) / 40)))
    F = lambda a: s * field.kernel.W(a) - target
    a = np.linspace(0.0, a_max, n + 1)[1:]
    roots = grid_roots(F, a, values=F(a), xtol=1e-13)
    return [Bump(float(r), bool(field.kernel(r) < 0)) for r in roots]


def bump_profile(field: NeuralField, width: float, center: float | None = None) -> np.ndarray:
    """h(x) (nA) of the bump active on (center ∓ width/2) on the grid: I_ext + s[W(r + a/2) − W(r − a/2)]."""
    s, _ = _heaviside_drive(field, "bump_profile")
    width = check("bump.width", width, label="width")
    center = None if center is None else check("bump.center", center, label="center")
    r = np.mod(field.x - (field.L / 2 if center is None else center) + field.L / 2, field.L) - field.L / 2
    return field.I_ext + s * (field.kernel.W(r + width / 2) - field.kernel.W(r - width / 2))


def front_speed(field: NeuralField) -> float:
    """Speed c (mm/ms = m/s) of a travelling front for a Heaviside f and an excitatory kernel.

    With u = (h − I_ext)/(s J), s = q rate_max/1000, the field is bistable (u = 0 and
    u = 1) for 0 < k = (κ − I_ext)/(s J) < 1. A front u(x − ct) with the active state
    behind it obeys −cτ u' = −u + ∫_ξ^∞ w(z) dz / J; solving this and setting u(0) = k gives

    .. math:: k = \\tfrac12 - \\frac{1}{J}\\int_0^\\infty e^{-x/(c\\tau)}\\, w(x)\\, dx
              \\quad (c > 0,\\ k < \\tfrac12),

    and by the symmetry u → 1 − u, c(k) = −c(1 − k). For w = J e^{−|x|/σ}/(2σ) this is
    c = (σ/τ)(1 − 2k)/(2k) for k < ½ (Ermentrout & McLeod 1993, Proc. R. Soc. Edinb. A
    123:461; Bressloff 2012, J. Phys. A 45:033001); other kernels are solved for c
    by root finding. c > 0: the active region invades the silent one.

    >>> fld = NeuralField(ExponentialCoupling(J=10.0, sigma=1.0), HeavisideRate(0.25, 100.0))
    >>> round(front_speed(fld), 6)  # k = 0.25: c = σ/τ = 0.1 mm/ms
    0.1
    """
    s, target = _heaviside_drive(field, "front_speed")
    w = field.kernel
    if isinstance(w, MexicanHatCoupling) or w.J <= 0:
        raise ValueError(f"kernel = {w!r} must be excitatory (J > 0, Gaussian or exponential) for a front")
    k = target / (s * w.J)
    if not 0 < k < 1:
        raise ValueError(f"kappa = {field.rate.kappa}: (κ − I_ext)/(s J) = {k:.3g} must lie in (0, 1) for fronts")
    if k == 0.5:
        return 0.0
    kk = min(k, 1 - k)
    if isinstance(w, ExponentialCoupling):
        c = w.sigma / field.tau * (1 - 2 * kk) / (2 * kk)
    else:  # k = ½ − L(cτ)/J: L rises from 0 (cτ → 0) to J/2 (cτ → ∞)
        F = lambda lam: 0.5 - w.laplace(lam) / w.J - kk
        c = expanding_root(F, 1e-12, 1.0) / field.tau
    return float(c if k < 0.5 else -c)


def _runs(h, kappa):
    """Start indices and lengths of the runs of h > κ on the ring."""
    kappa = check("kappa", kappa)
    up = check_array("h", h, spec="I") > kappa
    if up.all():
        return np.array([0]), np.array([up.size])
    shift = int(np.argmin(up))  # start the scan at an inactive point, so no run wraps
    r = np.roll(up, -shift).astype(int)
    edges = np.diff(np.concatenate([[0], r, [0]]))
    starts, stops = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    return (starts + shift) % up.size, stops - starts


def count_bumps(h, kappa: float) -> int:
    """Number of separate regions where h > κ on the ring (a run wrapping round counts once)."""
    return int(_runs(h, kappa)[1].size)


def active_length(h, kappa: float, L: float) -> float:
    """Total length (mm) where h > κ on a ring of length L, edges located by linear interpolation."""
    h = check_array("h", h, spec="I")
    M = h.size
    dx = check("NeuralField.L", L, label="L") / M
    starts, lengths = _runs(h, kappa)
    if lengths.sum() == M:
        return float(L)
    total = 0.0
    for s, n in zip(starts, lengths, strict=True):  # edges between s − 1, s and s + n − 1, s + n
        lo, hi, e1, e2 = h[(s - 1) % M], h[s], h[(s + n - 1) % M], h[(s + n) % M]
        total += (n - 1) * dx + dx * (hi - kappa) / (hi - lo) + dx * (e1 - kappa) / (e1 - e2)
    return float(total)
