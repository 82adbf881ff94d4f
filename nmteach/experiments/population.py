"""Lesson 01: the homogeneous population — spikes, A(t), the input, and the asynchronous states."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..analysis import synchrony_index
from ..engine import simulate
from ..model.inputs import WhiteNoise
from ..model.kernels import make_kernel
from ..model.network import Population
from ..model.neuron import LIF
from ..theory.gain import population_gain
from ..theory.meanfield import asynchronous_states

__all__ = ["FixedPointPicture", "PopulationRun", "fixed_point_picture", "population", "population_run"]

RASTER_NEURONS = 100


def population(N, J0, I_ext, kernel, tau_s, sigma) -> Population:
    """The population of lesson 01's app: default LIF neurons, a PSC kernel of charge 1 pC, white noise σ (nA)."""
    return Population(
        N=N,
        neuron=LIF(),
        J0=J0,
        kernel=make_kernel(kernel, 1.0, tau_s),
        I_ext=I_ext,
        noise=WhiteNoise(sigma) if sigma > 0 else None,
    )


@dataclass(frozen=True, eq=False)
class PopulationRun:
    """A run of the population: raster of the first neurons, A(t) in 1 ms bins, the input I(t) every neuron
    receives, the asynchronous states (A0 in Hz, stability), and statistics of the second half."""

    raster_t: np.ndarray
    raster_i: np.ndarray
    tc: np.ndarray
    A: np.ndarray
    t: np.ndarray
    I: np.ndarray
    I_ext: np.ndarray
    A0: np.ndarray
    stable: np.ndarray
    mean_rate: float
    std: float
    sync: float
    N: int


def population_run(N, J0, I_ext, kernel, tau_s, sigma, *, T: float = 300.0, dt: float = 0.2, seed=1) -> PopulationRun:
    """Simulate lesson 01's population for ``T`` ms from uniform initial potentials."""
    pop = population(N, J0, I_ext, kernel, tau_s, sigma)
    res = simulate(pop, T, dt=dt, rng=seed, record=0)
    tc, A = res.activity(1.0)
    sel = res.spike_ids < RASTER_NEURONS
    late = tc > T / 2
    fps = asynchronous_states(pop)
    return PopulationRun(
        raster_t=res.spike_times[sel],
        raster_i=res.spike_ids[sel],
        tc=tc,
        A=A,
        t=res.t,
        I=res.I_total(),
        I_ext=res.I_ext,
        A0=np.array([fp.A0 for fp in fps]),
        stable=np.array([fp.stable for fp in fps], dtype=bool),
        mean_rate=float(A[late].mean()),
        std=float(A[late].std()),
        sync=synchrony_index(A[late], N, 1.0),
        N=N,
    )


@dataclass(frozen=True, eq=False)
class FixedPointPicture:
    """The graphical construction in the (I, A) plane: the gain A = g(I), the line I = I_ext + J0 q A and
    their crossings ``fp_I`` (nA), ``fp_A`` (Hz) with their stability."""

    I: np.ndarray
    A_gain: np.ndarray
    line_I: np.ndarray
    line_A: np.ndarray
    A_top: float
    fp_I: np.ndarray
    fp_A: np.ndarray
    stable: np.ndarray


def fixed_point_picture(J0, I_ext, sigma, *, I_range=(-0.05, 0.45)) -> FixedPointPicture:
    pop = Population(J0=J0, I_ext=I_ext, noise=WhiteNoise(sigma) if sigma > 0 else None)
    q = pop.kernel.q
    I = np.linspace(*I_range, 400)
    A_gain = population_gain(pop)(I)
    A_top = max(float(A_gain.max()), 1.0) * 1.05
    if J0 == 0:  # a vertical line I = I_ext
        line_I, line_A = np.array([I_ext, I_ext]), np.array([0.0, A_top])
    else:
        line_A = np.linspace(0, A_top, 200)
        line_I = I_ext + J0 * q * line_A / 1000.0
    fps = asynchronous_states(pop)
    return FixedPointPicture(
        I=I,
        A_gain=A_gain,
        line_I=line_I,
        line_A=line_A,
        A_top=A_top,
        fp_I=np.array([fp.I0 for fp in fps]),
        fp_A=np.array([fp.A0 for fp in fps]),
        stable=np.array([fp.stable for fp in fps], dtype=bool),
    )
