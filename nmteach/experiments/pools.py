"""Lesson 04: interacting excitatory and inhibitory pools — rate equations, spiking pools, Brunel's network."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..analysis import isi_cv2, peak_frequency, synchrony_index
from ..engine import simulate
from ..models import brunel_network, ei_network, ei_rate_model
from ..theory.meanfield import brunel_rate
from ..theory.rates import integrate, nullclines, stationary_states

__all__ = ["BrunelRun", "PhasePlane", "PoolsRun", "brunel_run", "phase_plane", "pools_run"]

A_WINDOW = 60.0  # Hz: the smallest phase-plane window


@dataclass(frozen=True, eq=False)
class PhasePlane:
    """The E/I rate model in the (A_E, A_I) plane: nullclines (2, K) with NaN between pieces, fixed points
    (rates, kinds, eigenvalues in 1/ms), a trajectory (t, A), and the window (Hz) that shows them all."""

    nc_E: np.ndarray
    nc_I: np.ndarray
    fp: np.ndarray
    stable: np.ndarray
    kinds: list
    eigenvalues: list
    t: np.ndarray
    A: np.ndarray
    window: float


def phase_plane(J_EE, J_EI, J_IE, J_II, I_E, I_I, *, A0=(1.0, 1.0), t_max=300.0) -> PhasePlane:
    """Nullclines, fixed points (refined on the exact Siegert gains) and a trajectory of the rate model."""
    exact = ei_rate_model(J_EE, J_EI, J_IE, J_II, I_E, I_I)
    model = exact.tabulated()  # interpolated gains: a phase plane in tens of milliseconds
    fps = stationary_states(model)
    traj = integrate(model, list(A0), t_max, dt=0.5)
    top = max([A_WINDOW, *(1.15 * float(fp.A.max()) for fp in fps), 1.05 * float(traj.A.max())])
    window = float(np.ceil(top / 20.0) * 20.0)
    nc_E, nc_I = nullclines(model, np.linspace(0.0, window, 200))
    return PhasePlane(
        nc_E=nc_E,
        nc_I=nc_I,
        fp=np.array([fp.A for fp in fps]).reshape(-1, 2),
        stable=np.array([fp.stable for fp in fps], dtype=bool),
        kinds=[fp.kind for fp in fps],
        eigenvalues=[fp.eigenvalues for fp in fps],
        t=traj.t,
        A=traj.A,
        window=window,
    )


@dataclass(frozen=True, eq=False)
class PoolsRun:
    """The spiking E/I pools (5 ms bins) beside the rate model from (0, 0) Hz, both in the phase plane."""

    tc: np.ndarray
    AE: np.ndarray
    AI: np.ndarray
    t: np.ndarray
    A: np.ndarray
    nc_E: np.ndarray
    nc_I: np.ndarray
    sim: np.ndarray
    fixed: np.ndarray
    sync_E: float
    peak_Hz: float


def pools_run(J_EE, J_EI, J_IE, J_II, I_E, I_I, N_E, tau_s, *, T=300.0, dt=0.2, seed=1) -> PoolsRun:
    J = {"EE": J_EE, "EI": J_EI, "IE": J_IE, "II": J_II}
    net = ei_network(N_E, J, I_E=I_E, I_I=I_I, tau_s=tau_s)
    res = simulate(net, T, dt=dt, rng=seed, record=0, record_spikes=False)
    m = round(5.0 / dt)
    AE = res.A_groups[0].reshape(-1, m).mean(axis=1)
    AI = res.A_groups[1].reshape(-1, m).mean(axis=1)
    tc = (np.arange(len(AE)) + 0.5) * 5.0
    pp = phase_plane(J_EE, J_EI, J_IE, J_II, I_E, I_I, A0=(0.0, 0.0), t_max=T)
    late = tc > T / 2
    _, A1 = res.activity(1.0, group="E")
    late1 = np.arange(A1.size) + 0.5 > T / 2
    return PoolsRun(
        tc=tc,
        AE=AE,
        AI=AI,
        t=pp.t,
        A=pp.A,
        nc_E=pp.nc_E,
        nc_I=pp.nc_I,
        sim=np.array([AE[late].mean(), AI[late].mean()]),
        fixed=pp.fp[pp.stable],
        sync_E=synchrony_index(A1[late1], N_E, 1.0),
        peak_Hz=peak_frequency(A1[late1], 1.0),
    )


@dataclass(frozen=True, eq=False)
class BrunelRun:
    """Brunel's network: raster of 80 E and 20 I neurons, A(t) in 1 ms bins, the diffusion mean-field rate,
    and the state's measures after 100 ms: rate, synchrony index, CV2 of the intervals, spectral peak."""

    rt: np.ndarray
    ri: np.ndarray
    tc: np.ndarray
    A: np.ndarray
    mean_field: float
    rate: float
    sync: float
    cv2: float
    peak_Hz: float
    C_E: int
    J: float


def brunel_run(g, eta, C_E=200, *, N_E=2000, T=300.0, seed=1, skip=100.0) -> BrunelRun:
    """Brunel's model A with N_E = 2000 and C_E inputs per neuron of J = 100 mV / C_E each (so that
    C_E J, the mean drive of full activity, stays the same while the fluctuations change)."""
    J = 100.0 / C_E
    net = brunel_network(g, eta, N_E=N_E, J=J, epsilon=C_E / N_E, rng=seed)
    res = simulate(net, T, dt=0.1, rng=seed, record=0)
    tc, A = res.activity(1.0)
    ids = res.spike_ids
    sel = (ids < 80) | ((ids >= N_E) & (ids < N_E + 20))
    mf = brunel_rate(g, eta, J=J, C_E=C_E)
    late = tc > skip
    return BrunelRun(
        rt=res.spike_times[sel],
        ri=np.where(ids[sel] < 80, ids[sel], ids[sel] - N_E + 80),
        tc=tc,
        A=A,
        mean_field=mf,
        rate=float(A[late].mean()),
        sync=synchrony_index(A[late], res.N, 1.0),
        cv2=isi_cv2(res, skip),
        peak_Hz=peak_frequency(A[late], 1.0),
        C_E=C_E,
        J=J,
    )
