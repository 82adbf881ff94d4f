"""Lesson 00: one LIF neuron under a constant current — its trace, the free solution and its f–I curve."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..engine import simulate
from ..model.network import Population
from ..model.neuron import LIF, free_solution, gain, rheobase

__all__ = ["I_RANGE", "LIFTrace", "lif_trace"]

#: the currents (nA) of the f–I curve
I_RANGE = (0.0, 0.5)


@dataclass(frozen=True, eq=False)
class LIFTrace:
    """The trace u(t) (mV) for ``t`` ≤ ``t_show``, the free solution up to the first spike, the f–I
    curve ``g(I)`` (Hz) and the rate the simulation measured from its inter-spike intervals."""

    t: np.ndarray
    u: np.ndarray
    t_free: np.ndarray
    u_free: np.ndarray
    I: np.ndarray
    g: np.ndarray
    I0: float
    theta: float
    rheobase: float
    rate_theory: float
    rate_sim: float
    n_spikes: int
    first_spike: float | None
    t_rate: float


def lif_trace(I0, tau_m, R, theta, t_ref, *, t_show: float = 100.0, t_rate: float = 400.0, dt: float = 0.1) -> LIFTrace:
    """Simulate one neuron from rest for ``t_rate`` ms; the rate is 1/(mean inter-spike interval).

    With fewer than two spikes in ``t_rate`` the measured rate is 0 (the formula then gives less
    than 1/``t_rate``, or 0 below the rheobase).
    """
    neuron = LIF(tau_m=tau_m, R=R, theta=theta, t_ref=t_ref)
    res = simulate(Population(N=1, neuron=neuron, I_ext=I0, u0="rest"), t_rate, dt=dt, rng=0, record=1)
    shown = res.t < t_show
    first = float(res.spike_times[0]) if res.n_spikes else None
    before = res.t <= (first if first is not None else t_show)
    st = res.spike_times
    I = np.linspace(*I_RANGE, 251)
    return LIFTrace(
        t=res.t[shown],
        u=res.u[0][shown],
        t_free=res.t[before & shown],
        u_free=free_solution(res.t[before & shown], I0, neuron),
        I=I,
        g=gain(I, neuron),
        I0=float(I0),
        theta=float(theta),
        rheobase=rheobase(neuron),
        rate_theory=float(gain(I0, neuron)),
        rate_sim=1000.0 / float(np.diff(st).mean()) if st.size > 1 else 0.0,
        n_spikes=res.n_spikes,
        first_spike=first,
        t_rate=t_rate,
    )
