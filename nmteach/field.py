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

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ._params import Spec, check
from .population import MEMORY_BUDGET

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
    "count_bumps",
    "front_speed",
    "segment_input",
    "simulate_field",
]

_SPECS = {
    "J": Spec("", "integral ∫w(x)dx of the coupling kernel", -1e6, 1e6),
    "sigma": Spec("mm", "width of the coupling kernel", 0, 1e4, True),
    "L": Spec("mm", "length of the axis", 0, 1e5, True),
    "d": Spec("mm", "segment length", 0, 1e5, True),
    "rho": Spec("1/mm", "density of neurons along the axis", 0, 1e9, True),
    "tau": Spec("ms", "time constant of the field", 0, 1e4, True),
    "kappa": Spec("nA", "threshold of the rate function", -1e3, 1e3),
    "rate_max": Spec("Hz", "maximal rate", 0, 1e4, True),
    "width": Spec("nA", "width of the sigmoid", 0, 1e3, True),
    "M": Spec("", "number of grid points on the ring", 4, 2**22),
    "record_every": Spec("", "recording stride in steps", 1, 1e9),
}


def _c(name: str, value, label: str | None = None) -> float:
    return check(name, value, spec=_SPECS[name], label=label)


def _int(name: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name} = {value!r} must be an integer in {_SPECS[name].range_text()}")
    return int(_c(name, value))


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
        object.__setattr__(self, "J", _c("J", self.J))
        object.__setattr__(self, "sigma", _c("sigma", self.sigma))


@dataclass(frozen=True)
class GaussianCoupling(_OneScale):
    """w(x) = J e^{−x²/2σ²} / (√(2π) σ); W(a) = (J/2) erf(a/√2σ); Laplace (J/2) erfcx(σ/√2λ)."""

    def __call__(self, x):
        x = np.asarray(x, dtype=float)
        return self.J * np.exp(-0.5 * (x / self.sigma) ** 2) / (np.sqrt(2 * np.pi) * self.sigma)

    def W(self, a):
        from scipy.special import erf

        return 0.5 * self.J * erf(np.asarray(a, dtype=float) / (np.sqrt(2) * self.sigma))

    def laplace(self, lam):
        from scipy.special import erfcx

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
            if _c("J", getattr(self, name), label=name) < 0:
                raise ValueError(f"{name} = {getattr(self, name)} must be ≥ 0 (the sign is in the formula)")
            object.__setattr__(self, name, float(getattr(self, name)))
        for name in ("sigma_e", "sigma_i"):
            object.__setattr__(self, name, _c("sigma", getattr(self, name), label=name))
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
    d, rho, L, q = _c("d", d), _c("rho", rho), _c("L", L), check("q", q)
    n = round(L / d)
    if n < 1 or abs(n * d - L) > 1e-9 * L:
        raise ValueError(f"d = {d} must divide L = {L} mm into a whole number of segments")
    if geometry not in ("line", "ring"):
        raise ValueError(f"geometry = {geometry!r} must be 'line' or 'ring'")
    y = (np.arange(n) + 0.5) * d
    A = np.asarray(A(y) if callable(A) else A, dtype=float)
    if A.shape != (n,):
        raise ValueError(f"A has shape {A.shape}; it must give one activity (Hz) per segment, shape ({n},)")
    x = y if x is None else np.asarray(x, dtype=float)
    r = np.abs(x[..., None] - y)
    if geometry == "ring":
        r = np.mod(r, L)
        r = np.minimum(r, L - r)
    return rho * d * q / 1000.0 * (w(r) @ A)


@dataclass(frozen=True)
class HeavisideRate:
    """f(h) = rate_max for h > κ, else 0: a step at threshold ``kappa`` (nA), rate in Hz."""

    kappa: float = 0.35
    rate_max: float = 100.0

    def __post_init__(self):
        object.__setattr__(self, "kappa", _c("kappa", self.kappa))
        object.__setattr__(self, "rate_max", _c("rate_max", self.rate_max))

    def __call__(self, h):
        return np.where(np.asarray(h) > self.kappa, self.rate_max, 0.0)


@dataclass(frozen=True)
class SigmoidRate:
    """f(h) = rate_max / (1 + e^{−(h − κ)/width}); ``kappa`` and ``width`` in nA, rate in Hz."""

    kappa: float = 0.35
    width: float = 0.02
    rate_max: float = 100.0

    def __post_init__(self):
        for name in ("kappa", "width", "rate_max"):
            object.__setattr__(self, name, _c(name, getattr(self, name)))

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
        if not isinstance(self.kernel, CouplingKernel):
            raise ValueError(f"kernel = {self.kernel!r} must be a CouplingKernel such as GaussianCoupling")
        if not callable(self.rate):
            raise ValueError(f"rate = {self.rate!r} must be a function f(h) from nA to Hz")
        object.__setattr__(self, "tau", _c("tau", self.tau))
        object.__setattr__(self, "q", check("q", self.q))
        if not callable(self.I_ext):
            object.__setattr__(self, "I_ext", check("I", self.I_ext, label="I_ext"))
        object.__setattr__(self, "L", _c("L", self.L))
        object.__setattr__(self, "M", _int("M", self.M))

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
    ``"rk4"``: classical Runge–Kutta. ``h0`` (nA): a number, an array (M,) or a function of
    x; default ``I_ext`` at t = 0. Every ``record_every``-th step is stored; the stored
    array must fit :data:`nmteach.MEMORY_BUDGET`.

    >>> fld = NeuralField(GaussianCoupling(J=5.0), HeavisideRate(0.1, 50.0), I_ext=0.2, M=64)
    >>> res = simulate_field(fld, 200.0)
    >>> res.h.shape, round(float(res.h[-1, 0]), 6)  # uniform: h = 0.2 + 5 · 1 pC · 50 Hz
    ((401, 64), 0.45)
    """
    t_max, dt = check("t_max", t_max), check("dt", dt)
    if method not in ("exp_euler", "rk4"):
        raise ValueError(f"method = {method!r} must be 'exp_euler' or 'rk4'")
    every = _int("record_every", record_every)
    n_steps = round(t_max / dt)
    n_rec = n_steps // every + 1
    if n_rec * field.M * 8 > MEMORY_BUDGET:
        raise ValueError(f"recording {n_rec} × {field.M} values exceeds MEMORY_BUDGET; raise record_every")
    x, tau, f, M = field.x, field.tau, field.rate, field.M
    K = field._kernel_fft()
    I = field.I_ext if callable(field.I_ext) else (lambda x, t, c=field.I_ext: c)
    if h0 is None:
        h0 = I(x, 0.0)
    h = np.array(np.broadcast_to(h0(x) if callable(h0) else np.asarray(h0, dtype=float), (M,)), dtype=float)
    if not np.all(np.isfinite(h)):
        raise ValueError("h0 must be finite, one value (nA) or one per grid point")

    def drive(h, t):
        return np.fft.irfft(K * np.fft.rfft(f(h)), n=M) + I(x, t)

    rhs = lambda h, t: (drive(h, t) - h) / tau
    out = np.empty((n_rec, M))
    out[0] = h
    E = np.exp(-dt / tau)
    for k in range(n_steps):
        t = k * dt
        if method == "exp_euler":
            h = E * h + (1.0 - E) * drive(h, t)
        else:
            k1 = rhs(h, t)
            k2 = rhs(h + 0.5 * dt * k1, t + 0.5 * dt)
            k3 = rhs(h + 0.5 * dt * k2, t + 0.5 * dt)
            k4 = rhs(h + dt * k3, t + dt)
            h = h + dt / 6.0 * (k1 + 2 * k2 + 2 * k3 + k4)
        if (k + 1) % every == 0:
            out[(k + 1) // every] = h
    return FieldResult(x, np.arange(n_rec) * every * dt, out, dt, method, field)


@dataclass(frozen=True)
class Bump:
    """A stationary bump: its ``width`` (mm) and whether it is ``stable`` (w(width) < 0)."""

    width: float
    stable: bool


def _heaviside_drive(field: NeuralField, name: str):
    """For a Heaviside field: s = q rate_max/1000 (nA per unit of W) and κ − I_ext."""
    if not isinstance(field.rate, HeavisideRate) or callable(field.I_ext):
        raise ValueError(f"{name} needs rate = HeavisideRate(...) and a constant I_ext")
    return field.q * field.rate.rate_max / 1000.0, field.rate.kappa - field.I_ext


def bump_widths(field: NeuralField, a_max: float | None = None) -> list[Bump]:
    """All widths a of stationary bumps for a Heaviside f: Amari's condition s W(a) = κ − I_ext.

    A bump active on (x₁, x₁ + a) has h(x) = I_ext + s[W(x − x₁) − W(x − x₁ − a)], with
    s = q rate_max / 1000 (nA); h(x₁) = κ gives the condition. A bump is stable when
    w(a) < 0 (Amari 1977, Biol. Cybern. 27:77). Searched on (0, a_max] (default L/2) by
    sign changes on a fine grid refined with Brent's method; narrowest first. On a grid of
    spacing dx a Heaviside field also has stationary bumps in a band of half-width about
    dx (w(0) − w(a)) / 2|w(a)| around a stable a (propagation failure on a lattice).

    >>> fld = NeuralField(MexicanHatCoupling(20, 1, 15, 2), HeavisideRate(0.35, 100))
    >>> [(round(b.width, 3), b.stable) for b in bump_widths(fld)]
    [(0.823, False), (2.972, True)]
    """
    from scipy.optimize import brentq

    s, target = _heaviside_drive(field, "bump_widths")
    a_max = field.L / 2 if a_max is None else _c("L", a_max, label="a_max")
    F = lambda a: s * field.kernel.W(a) - target
    a = np.linspace(0.0, a_max, 4001)[1:]
    v = F(a)
    roots = [brentq(F, a[i], a[i + 1], xtol=1e-13) for i in np.flatnonzero(np.sign(v[:-1]) * np.sign(v[1:]) < 0)]
    return [Bump(float(r), bool(field.kernel(r) < 0)) for r in roots]


def bump_profile(field: NeuralField, width: float, center: float | None = None) -> np.ndarray:
    """h(x) (nA) of the bump active on (center ∓ width/2) on the grid: I_ext + s[W(r + a/2) − W(r − a/2)]."""
    s, _ = _heaviside_drive(field, "bump_profile")
    width = _c("L", width, label="width")
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
    from scipy.optimize import brentq

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
        hi = 1.0
        while F(hi) > 0:
            hi *= 2.0
        c = brentq(F, 1e-12, hi, xtol=1e-14, rtol=1e-12) / field.tau
    return float(c if k < 0.5 else -c)


def _runs(h, kappa):
    """Start indices and lengths of the runs of h > κ on the ring."""
    up = np.asarray(h) > kappa
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
    h = np.asarray(h, dtype=float)
    M = h.size
    dx = _c("L", L) / M
    starts, lengths = _runs(h, kappa)
    if lengths.sum() == M:
        return float(L)
    total = 0.0
    for s, n in zip(starts, lengths, strict=True):  # edges between s − 1, s and s + n − 1, s + n
        lo, hi, e1, e2 = h[(s - 1) % M], h[s], h[(s + n - 1) % M], h[(s + n) % M]
        total += (n - 1) * dx + dx * (hi - kappa) / (hi - lo) + dx * (e1 - kappa) / (e1 - e2)
    return float(total)
