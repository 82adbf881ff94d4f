"""Mean-field theory of the homogeneous population (Neuronal Dynamics §12.4).

In the asynchronous state the activity is constant, A(t) = A0, so the input is
constant too, I0 = I_ext + w0 N q A0 = I_ext + J0 q A0, and every neuron fires at
the rate its gain function gives for that input:

.. math:: A_0 = g(I_{ext} + J_0\\, q\\, A_0).

The solutions are the intersections of the curve A ↦ g(I_ext + J0 q A) with the
diagonal (the graphical construction). Under the population rate dynamics
τ dA/dt = −A + g(I(A)) a solution is stable when the curve crosses the diagonal
from above, i.e. its slope J0 q g'(I0) is below 1. For noise-free LIF neurons
this slope criterion is necessary but not sufficient: their asynchronous state
is destroyed by synchronisation (lesson 01 shows it); noise restores it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .inputs import Input, WhiteNoise
from .kernels import filter_activity
from .neuron import LIF, gain
from .population import Population
from .result import Result

__all__ = [
    "FixedPoint",
    "asynchronous_states",
    "brunel_rate",
    "mean_field_input",
    "population_gain",
    "self_consistency_curve",
    "siegert_rate",
]

# Gauss–Legendre nodes for the Siegert integral
_GL_X, _GL_W = np.polynomial.legendre.leggauss(12)


def siegert_rate(I0, neuron: LIF, sigma: float):
    """Firing rate (Hz) of an LIF neuron under white-noise input (diffusion approximation).

    .. math:: \\frac{1}{\\nu} = t_{ref} + \\tau_m \\sqrt{\\pi}
              \\int_{(u_{reset}-h_0)/\\sigma_u}^{(\\theta-h_0)/\\sigma_u} e^{x^2}\\,[1+\\mathrm{erf}(x)]\\,dx,
              \\qquad h_0 = u_{rest} + R I_0,\\ \\sigma_u = R\\sigma

    (Neuronal Dynamics Eq. 8.54; Siegert 1951). ``sigma`` is the amplitude of
    :class:`nmteach.WhiteNoise` in nA. With ``sigma = 0`` this is :func:`nmteach.gain`.

    >>> n = LIF()
    >>> round(float(siegert_rate(0.14, n, 0.05)), 2)  # below rheobase, noise makes it fire
    37.87
    """
    I0 = np.asarray(I0, dtype=float)
    if sigma < 0:
        raise ValueError(f"sigma = {sigma} must be ≥ 0 nA")
    if sigma == 0:
        return gain(I0, neuron)
    from scipy.special import erfcx

    su = neuron.R * sigma
    h0 = neuron.u_rest + neuron.R * I0
    lo = np.ravel((neuron.u_reset - h0) / su)
    hi = np.ravel((neuron.theta - h0) / su)
    integral = np.zeros_like(lo)
    # e^{x²}(1 + erf x) = erfcx(−x). Negative x: smooth, decays like 1/|x|;
    # positive x: grows like 2e^{x²}, so use panels of width ≤ 0.25.
    neg_hi = np.minimum(hi, 0.0)
    neg = lo < neg_hi
    integral[neg] += _panels(erfcx, lo[neg], neg_hi[neg], 48, sign=-1)
    pos_lo = np.maximum(lo, 0.0)
    pos = hi > pos_lo
    with np.errstate(over="ignore"):
        integral[pos] += _panels(erfcx, pos_lo[pos], hi[pos], None, sign=-1)
    with np.errstate(over="ignore", divide="ignore"):
        T = neuron.t_ref + neuron.tau_m * np.sqrt(np.pi) * integral
        rate = np.where(np.isfinite(T), 1000.0 / T, 0.0)
    return rate.reshape(I0.shape) if I0.ndim else float(rate[0])


def _panels(f, a, b, n_panels, sign):
    """∫_a^b f(sign·x) dx for arrays of bounds, composite Gauss–Legendre."""
    if a.size == 0:
        return np.zeros(0)
    if n_panels is None:  # panels of width ≤ 0.25 (capped: beyond x ≈ 27 e^{x²} overflows anyway)
        n_panels = int(min(np.ceil(np.max(b - a) / 0.25), 120)) or 1
    # For the negative side use a graded mesh: panels shrink towards 0 where f changes fastest.
    s = np.linspace(0.0, 1.0, n_panels + 1)
    if sign < 0 and n_panels == 48:
        s = 1.0 - (1.0 - s) ** 3  # fine near b = 0 ... coarse towards very negative a
        s = np.sort(s)
    edges = a[:, None] + (b - a)[:, None] * s[None, :]
    left, right = edges[:, :-1], edges[:, 1:]
    half = (right - left) / 2
    mid = (right + left) / 2
    x = mid[..., None] + half[..., None] * _GL_X
    vals = f(sign * x)
    return np.sum(vals * _GL_W * half[..., None], axis=(1, 2))


def population_gain(pop: Population):
    """The gain function g(I) (Hz) of the population's neurons: noise-free, or Siegert under white noise."""
    noise = pop.noise
    if noise is None or (isinstance(noise, WhiteNoise) and noise.sigma == 0):
        return lambda I: gain(I, pop.neuron)
    if isinstance(noise, WhiteNoise):
        return lambda I: siegert_rate(I, pop.neuron, noise.sigma)
    raise ValueError("the mean-field gain is available for white noise or no noise; OU noise has no closed form here")


def _constant_input(pop: Population, I_ext) -> float:
    if I_ext is not None:
        return float(I_ext)
    inp = pop.I_ext
    if isinstance(inp, Input) and inp.is_constant:
        return float(inp.values(np.zeros(1))[0])
    raise ValueError("the asynchronous state needs a constant I_ext; pass I_ext=<value in nA>")


def self_consistency_curve(pop: Population, A, I_ext: float | None = None, *, gain=None):
    """g(I_ext + J0 q A) for activities ``A`` (Hz): the curve of the graphical construction."""
    I0 = _constant_input(pop, I_ext)
    A = np.asarray(A, dtype=float)
    g = population_gain(pop) if gain is None else gain
    return g(I0 + pop.J0 * pop.kernel.q * A / 1000.0)


@dataclass(frozen=True)
class FixedPoint:
    """One solution of A0 = g(I_ext + J0 q A0).

    ``A0`` in Hz, ``I0`` in nA, ``slope`` = d g(I(A))/dA at A0 (dimensionless),
    ``stable`` = slope < 1 (stability under the rate dynamics τ dA/dt = −A + g).
    """

    A0: float
    I0: float
    slope: float
    stable: bool


def asynchronous_states(
    pop: Population, I_ext: float | None = None, *, A_max: float | None = None, gain=None
) -> list[FixedPoint]:
    """All solutions of the self-consistency equation A0 = g(I_ext + J0 q A0), lowest first.

    Searched on [0, A_max] (default: the maximal rate 1/t_ref, at most 2000 Hz)
    by bracketing sign changes of g(I(A)) − A on a fine grid and refining each with
    Brent's method. ``gain`` replaces the population's gain function, e.g. by the
    mixture Σ_n f_n g_n(I) of a population split into homogeneous parts
    (:func:`nmteach.mixture_gain`).
    """
    from scipy.optimize import brentq

    I_e = _constant_input(pop, I_ext)
    g = population_gain(pop) if gain is None else gain
    q, J0 = pop.kernel.q, pop.J0
    if A_max is None:
        A_max = 2000.0 if pop.neuron.t_ref == 0 else min(1000.0 / pop.neuron.t_ref, 2000.0)

    def F(a):
        return g(I_e + J0 * q * a / 1000.0) - a

    grid = np.concatenate([[0.0], np.geomspace(1e-4, A_max, 1200)])
    vals = F(grid)
    roots = []
    if vals[0] == 0.0:
        roots.append(0.0)
    sign_change = np.flatnonzero(np.sign(vals[:-1]) * np.sign(vals[1:]) < 0)
    for i in sign_change:
        roots.append(brentq(lambda a: float(F(a)), grid[i], grid[i + 1], xtol=1e-12, rtol=1e-12))
    out = []
    for a in roots:
        I0 = I_e + J0 * q * a / 1000.0
        h = max(1e-7, 1e-6 * abs(I0))
        if a == 0.0 and float(g(I0)) == 0.0:
            slope = 0.0  # silent and below rheobase: small perturbations die out
        else:
            slope = float(J0 * q / 1000.0 * (g(I0 + h) - g(I0 - h)) / (2 * h))
        out.append(FixedPoint(A0=float(a), I0=float(I0), slope=slope, stable=bool(slope < 1.0)))
    return out


def mean_field_input(res: Result):
    """I(t) = I_ext(t) + w0 N ∫α(s) A(t − s) ds computed from a simulation's A(t) (nA).

    Uses the same delivery convention as the engine (a spike reaches its targets
    at the next grid point, plus the delay), so for a homogeneous population with
    self-coupling it must equal ``res.I_total()`` to rounding error.
    """
    pop = res.params
    D = round(pop.delay / res.dt)
    A = np.concatenate([np.zeros(D), res.A[: len(res.A) - D]]) if D else res.A
    return res.I_ext + pop.J0 * filter_activity(pop.kernel, A, res.dt)


def brunel_rate(
    g: float,
    eta: float,
    *,
    J: float = 0.1,
    C_E: int = 1000,
    gamma: float = 0.25,
    tau_m: float = 20.0,
    theta: float = 20.0,
    V_r: float = 10.0,
    t_ref: float = 2.0,
) -> float:
    """Stationary rate (Hz) of Brunel's (2000) sparse E/I network in the diffusion approximation.

    Every neuron receives C_E excitatory inputs of J mV, γC_E inhibitory ones of −gJ mV and
    C_E external Poisson inputs at ν_ext = η ν_thr, ν_thr = θ/(J C_E τ_m). With all neurons
    at the same rate ν the free membrane has mean and variance

    .. math:: \\mu = C_E J \\tau_m [\\nu_{ext} + \\nu (1 - \\gamma g)], \\qquad
              \\sigma^2 = C_E J^2 \\tau_m [\\nu_{ext} + \\nu (1 + \\gamma g^2)],

    and ν solves ν = φ(μ(ν), σ(ν)) with φ the Siegert rate (:func:`siegert_rate`, with the
    book's σ). Valid in the asynchronous irregular state; it says nothing about whether that
    state is stable.
    """
    from scipy.optimize import brentq

    for name, v in (("g", g), ("eta", eta), ("J", J), ("C_E", C_E), ("tau_m", tau_m)):
        if not (np.isfinite(v) and v > 0):
            raise ValueError(f"{name} = {v} must be a positive number")
    neuron = LIF(tau_m=tau_m, R=1.0, u_rest=0.0, theta=theta, u_reset=V_r, t_ref=t_ref)
    nu_ext = eta * theta / (J * C_E * tau_m)  # per ms

    def phi(nu):  # nu per ms → Hz
        mu = C_E * J * tau_m * (nu_ext + nu * (1 - gamma * g))
        sig = np.sqrt(C_E * J**2 * tau_m * (nu_ext + nu * (1 + gamma * g**2)))
        return float(siegert_rate(mu, neuron, sig))

    nu_max = 1.0 / max(t_ref, 1e-3)
    f = lambda nu: phi(nu) / 1000.0 - nu
    grid = np.geomspace(1e-7, nu_max * 0.999, 400)
    vals = np.array([f(x) for x in grid])
    i = np.flatnonzero(np.sign(vals[:-1]) * np.sign(vals[1:]) < 0)
    if not i.size:
        raise ValueError(f"no self-consistent rate found for g = {g}, eta = {eta}")
    return 1000.0 * brentq(f, grid[i[0]], grid[i[0] + 1], xtol=1e-14)
