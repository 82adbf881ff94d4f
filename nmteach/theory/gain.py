"""Gain functions: the rate of an LIF neuron for a given input, with and without noise.

The noise-free f–I curve is :func:`nmteach.gain` (in :mod:`nmteach.model.neuron`); under
white noise the diffusion approximation gives the Siegert formula. Both are the g of every
mean-field and rate model in :mod:`nmteach.theory`.
"""

from __future__ import annotations

import numpy as np
from scipy.special import erfcx

from .._params import check, check_array, check_instance
from ..model.inputs import WhiteNoise
from ..model.network import Population
from ..model.neuron import LIF, gain

__all__ = ["population_gain", "siegert_rate"]

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
    check_instance("neuron", neuron, LIF, "an LIF, e.g. nmteach.LIF()")
    I0 = check_array("I0", I0, ndim=None, spec="I")
    sigma = check("sigma", sigma)
    if sigma == 0:
        return gain(I0, neuron)
    su = neuron.R * sigma
    h0 = neuron.u_rest + neuron.R * I0
    with np.errstate(over="ignore"):
        lo = np.ravel((neuron.u_reset - h0) / su)
        hi = np.ravel((neuron.theta - h0) / su)
    if not (np.all(np.isfinite(lo)) and np.all(np.isfinite(hi))):  # σ so small the bounds overflow: its σ → 0 limit
        return gain(I0, neuron)
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
    check_instance("pop", pop, Population, "a Population")
    noise = pop.noise
    if noise is None or (isinstance(noise, WhiteNoise) and noise.sigma == 0):
        return lambda I: gain(I, pop.neuron)
    if isinstance(noise, WhiteNoise):
        return lambda I: siegert_rate(I, pop.neuron, noise.sigma)
    raise ValueError("the mean-field gain is available for white noise or no noise; OU noise has no closed form here")
