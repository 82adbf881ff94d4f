"""Named networks and models that lessons, apps, tests and benchmarks share.

Each is built from the public library only; they are here so that a lesson, its app, the
tests of its claims and the benchmarks simulate exactly the same model.
"""

from __future__ import annotations

import numpy as np

from ._params import check, check_int
from .model.inputs import PoissonDrive, Step, Stimulus, WhiteNoise
from .model.kernels import DeltaKernel, ExponentialKernel
from .model.network import Group, Network, Projection
from .model.neuron import LIF
from .theory.rates import RateModel
from .wiring.connectivity import in_degree_blocks
from .wiring.space import GaussianProbability, Sheet, distance_connectivity

__all__ = [
    "BRUNEL_NEURON",
    "NEURON_E",
    "NEURON_I",
    "SIGMA_EI",
    "brunel_network",
    "ei_network",
    "ei_rate_model",
    "spread_network",
    "stationary_profile",
]

#: the neurons of lesson 04's excitatory and inhibitory pools, and their white noise (nA)
NEURON_E = LIF(tau_m=10.0)
NEURON_I = LIF(tau_m=20.0)
SIGMA_EI = 0.03

#: Brunel's (2000) neuron: τ_m = 20 ms, θ = 20 mV above rest, reset to 10 mV, t_ref = 2 ms; R = τ_m/q
#: with q = 1 pC makes a delta synapse of weight w a jump of w mV
BRUNEL_NEURON = LIF(tau_m=20.0, R=20.0, u_rest=0.0, theta=20.0, u_reset=10.0, t_ref=2.0)


def ei_rate_model(J_EE, J_EI, J_IE, J_II, I_E, I_I, sigma=SIGMA_EI) -> RateModel:
    """Lesson 04's E/I rate model: τ_n = τ_m of the pool's neurons, Siegert gains, q = 1 pC."""
    return RateModel(
        J=[[J_EE, J_EI], [J_IE, J_II]],
        tau=(NEURON_E.tau_m, NEURON_I.tau_m),
        I_ext=(I_E, I_I),
        neurons=(NEURON_E, NEURON_I),
        sigmas=sigma,
        names=("E", "I"),
    )


def ei_network(
    N_E: int, J: dict, *, I_E=0.14, I_I=0.1, sigma=SIGMA_EI, tau_s=1.0, N_I: int | None = None, kernel=None
) -> Network:
    """Lesson 04's spiking E/I pools, all-to-all with w_ij = J_nm/N_m and white noise.

    ``J`` maps "EE", "EI", "IE", "II" (target, source) to J_nm; zero couplings are left out.
    The default kernel is exponential with q = 1 pC and time constant ``tau_s`` (ms).
    """
    N_E = check_int("N", N_E, label="N_E")
    N_I = N_E // 4 if N_I is None else check_int("N", N_I, label="N_I")
    kernel = ExponentialKernel(1.0, check("tau_s", tau_s)) if kernel is None else kernel
    groups = (
        Group("E", N_E, neuron=NEURON_E, I_ext=I_E, noise=WhiteNoise(sigma)),
        Group("I", N_I, neuron=NEURON_I, I_ext=I_I, noise=WhiteNoise(sigma)),
    )
    projections = tuple(Projection(key[1], key[0], J=value, kernel=kernel) for key, value in J.items() if value != 0)
    return Network(groups, projections)


def brunel_network(
    g: float, eta: float, *, N_E: int = 2000, J: float = 0.5, epsilon: float = 0.1, delay: float = 1.5, rng=1
) -> Network:
    """Brunel's (2000) sparse E/I network (his model A), scaled by N_E.

    N_I = N_E/4; every neuron receives C_E = εN_E excitatory inputs of J mV and C_I = εN_I
    inhibitory ones of −gJ mV (fixed in-degrees, sources drawn at random), all with the
    delay D; external Poisson input through C_E synapses at ν_ext = η ν_thr,
    ν_thr = θ/(J C_E τ_m). Neurons 0 … N_E − 1 are excitatory, the rest inhibitory (one
    group "all", so one delivery per step).
    """
    g, eta = check("g", g), check("eta", eta)
    N_E = check_int("N", N_E, label="N_E")
    J = check("brunel.J", J)
    N_I = N_E // 4
    C_E, C_I = max(1, round(epsilon * N_E)), max(1, round(epsilon * N_I))
    N = N_E + N_I
    neuron = BRUNEL_NEURON
    nu_ext = eta * neuron.theta / (J * C_E * neuron.tau_m) * 1000.0  # Hz per external synapse
    conn = in_degree_blocks(N, [(0, N_E, C_E, J), (N_E, N, C_I, -g * J)], n_source=N, rng=rng)
    group = Group("all", N, neuron=neuron, poisson=PoissonDrive(nu_ext, C_E, J), u0="rest")
    return Network((group,), (Projection("all", "all", connectivity=conn, kernel=DeltaKernel(1.0), delay=delay),))


def spread_network(J0: float, I_ext: float, sigma: float, *, n_side: int = 70, stimulus: float = 0.3, rng=1):
    """Lesson 05's sheet: n_side² LIF neurons on a unit torus, Gaussian local wiring (p0 = 0.5, σ = 0.05 mm)
    scaled so that the mean summed weight is J0, a stimulus of ``stimulus`` nA within 0.08 mm of the centre
    from 20 to 40 ms, a background input and white noise. Returns ``(network, distance to the centre)``.
    """
    sheet = Sheet.grid(n_side, L=1.0)
    conn = distance_connectivity(sheet, GaussianProbability(0.5, 0.05), rng=rng)
    conn = conn.scaled(J0 / max(float(conn.in_degree().mean()), 1.0))
    dist = np.sqrt(((sheet.positions - 0.5) ** 2).sum(axis=1))
    stim = Stimulus(
        (dist < 0.08).astype(float), Step(0.0, check("I", stimulus, label="stimulus"), t_on=20.0, t_off=40.0)
    )
    group = Group("sheet", sheet.N, I_ext=I_ext, noise=WhiteNoise(sigma) if sigma > 0 else None, stimulus=stim)
    proj = Projection("sheet", "sheet", connectivity=conn, kernel=ExponentialKernel(1.0, 5.0), delay=1.0)
    return Network((group,), (proj,)), dist


def stationary_profile(y, L: float = 16.0):
    """A smooth, periodic stationary activity A(y) = 20 + 15 cos(2πy/L) + 8 sin(4πy/L) (Hz), y in mm."""
    y = np.asarray(y, dtype=float)
    return 20.0 + 15.0 * np.cos(2 * np.pi * y / L) + 8.0 * np.sin(4 * np.pi * y / L)
