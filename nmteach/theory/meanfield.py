"""Mean-field theory of the homogeneous population (Neuronal Dynamics §12.4), and of Brunel's network.

In the asynchronous state the activity is constant, A(t) = A0, so the input is
constant too, I0 = I_ext + w0 N q A0 = I_ext + J0 q A0, and every neuron fires at
the rate its gain function gives for that input:

.. math:: A_0 = g(I_{ext} + J_0\\, q\\, A_0).

The solutions are the intersections of the curve A ↦ g(I_ext + J0 q A) with the
diagonal (the graphical construction). Under the population rate dynamics
τ dA/dt = −A + g(I(A)) a solution is stable when the curve crosses the diagonal
from above, i.e. its slope J0 q g'(I0) is below 1: the one-pool case of the rate
models of :mod:`nmteach.theory.rates`, which is how it is computed. For noise-free
LIF neurons this slope criterion is necessary but not sufficient: their asynchronous
state is destroyed by synchronisation (lesson 01 shows it); noise restores it.
Without self-coupling a neuron receives J0·(N − 1)/N, and that is the J0 used here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .._params import check, check_array, check_instance
from ..model.inputs import Input
from ..model.kernels import filter_activity
from ..model.network import Population
from ..model.neuron import LIF
from ..result import Result
from .gain import population_gain, siegert_rate
from .numerics import grid_roots
from .rates import GainModel, stationary_states

__all__ = [
    "FixedPoint",
    "asynchronous_states",
    "brunel_rate",
    "mean_field_input",
    "self_consistency_curve",
]


def _constant_input(pop: Population, I_ext) -> float:
    check_instance("pop", pop, Population, "a Population")
    if I_ext is not None:
        return check("I", I_ext, label="I_ext")
    inp = pop.I_ext
    if isinstance(inp, Input) and inp.is_constant:
        return float(inp.values(np.zeros(1))[0])
    raise ValueError("the asynchronous state needs a constant I_ext; pass I_ext=<value in nA>")


def self_consistency_curve(pop: Population, A, I_ext: float | None = None, *, gain=None):
    """g(I_ext + J0 q A) for activities ``A`` (Hz): the curve of the graphical construction."""
    I0 = _constant_input(pop, I_ext)
    A = check_array("A", A, ndim=None, spec="rate")
    g = population_gain(pop) if gain is None else gain
    return g(I0 + pop.J0_received * pop.kernel.q * A / 1000.0)


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

    The one-pool case of :func:`nmteach.stationary_states`: searched on [0, A_max]
    (default: the maximal rate 1/t_ref, at most 2000 Hz) along the curve A = g(x) sampled
    until neighbours differ by 1/2000 of the range, sign changes refined with Brent's
    method. ``gain`` replaces the population's gain function, e.g. by the mixture
    Σ_n f_n g_n(I) of a population split into homogeneous parts (:func:`nmteach.mixture_gain`).
    Without self-coupling the coupling is J0·(N − 1)/N (:attr:`Population.J0_received`).
    """
    I_e = _constant_input(pop, I_ext)
    g = population_gain(pop) if gain is None else gain
    if not callable(g):
        raise TypeError(f"gain = {g!r} must be a function from input (nA) to rate (Hz)")
    if A_max is None:
        A_max = 2000.0 if pop.neuron.t_ref == 0 else min(1000.0 / pop.neuron.t_ref, 2000.0)
    w = pop.J0_received * pop.kernel.q / 1000.0  # nA per Hz
    model = GainModel((g,), [[w]], (I_e,), (pop.neuron.tau_m,), (check("A_max", A_max),))
    out = []
    for fp in stationary_states(model):
        slope = 1.0 + pop.neuron.tau_m * float(fp.eigenvalues[0].real)  # λ = (slope − 1)/τ
        if fp.A[0] == 0.0 and float(g(np.array([fp.I[0]]))[0]) == 0.0:
            slope = 0.0  # silent and below rheobase: small perturbations die out
        out.append(FixedPoint(A0=float(fp.A[0]), I0=float(fp.I[0]), slope=slope, stable=bool(slope < 1.0)))
    return out


def mean_field_input(res: Result):
    """I(t) = I_ext(t) + w0 N ∫α(s) A(t − s) ds computed from a simulation's A(t) (nA).

    Uses the same delivery convention as the engine (a spike reaches its targets
    at the next grid point, plus the delay), so for a homogeneous population with
    self-coupling it must equal ``res.I_total()`` to rounding error.
    """
    check_instance("res", res, Result, "a Result of nmteach.simulate")
    pop = check_instance("res.params", res.params, Population, "a Population (the result of simulating one)")
    D = round(pop.delay / res.dt)
    A = np.concatenate([np.zeros(D), res.A[: len(res.A) - D]]) if D else res.A
    return res.I_ext + pop.J0_received * filter_activity(pop.kernel, A, res.dt)


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
    g, eta = check("g", g), check("eta", eta)
    J, C_E, gamma = check("brunel.J", J), check("C_E", C_E), check("gamma", gamma)
    neuron = LIF(tau_m=tau_m, R=1.0, u_rest=0.0, theta=theta, u_reset=V_r, t_ref=t_ref)
    nu_ext = eta * theta / (J * C_E * tau_m)  # per ms

    def phi(nu):  # nu per ms → Hz
        mu = C_E * J * tau_m * (nu_ext + nu * (1 - gamma * g))
        sig = np.sqrt(C_E * J**2 * tau_m * (nu_ext + nu * (1 + gamma * g**2)))
        return float(siegert_rate(mu, neuron, sig))

    nu_max = 1.0 / max(t_ref, 1e-3)
    floor = phi(0.0) / 1000.0  # the rate the external drive alone gives (per ms)
    if floor == 0.0:  # below the smallest double: the network is silent
        return 0.0
    # a weak drive gives a tiny rate: start the grid below it, where φ(ν)/1000 − ν > 0
    lowest = min(1e-7, 0.1 * floor)
    grid = np.geomspace(lowest, nu_max * 0.999, 400 + int(4 * math.log10(1e-7 / lowest)))
    roots = grid_roots(lambda nu: phi(nu) / 1000.0 - nu, grid, xtol=min(1e-14, 1e-3 * lowest))
    if not roots:
        raise ValueError(f"no self-consistent rate found for g = {g}, eta = {eta}")
    return 1000.0 * roots[0]
