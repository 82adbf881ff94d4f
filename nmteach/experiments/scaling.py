"""Lesson 03: connectivity schemes and scaling laws."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.special import gammaln

from ..analysis import finite_size_variance
from ..engine import simulate
from ..model.inputs import WhiteNoise
from ..model.kernels import DeltaKernel, ExponentialKernel
from ..model.network import Group, Network, PoissonGroup, Population, Projection
from ..model.neuron import LIF
from ..model.synapses import from_pairs
from ..theory.meanfield import asynchronous_states
from ..wiring.connectivity import balanced, fixed_in_degree, fixed_out_degree, fixed_probability, gaussian_all_to_all

__all__ = [
    "J0_REF",
    "N_REF",
    "BalancedRun",
    "DegreeStatistics",
    "ScalingRun",
    "balanced_run",
    "degree_statistics",
    "scaling_run",
]

#: the scaling experiment: inhibitory coupling J0 = −5 at N = 1000, I_ext = 0.2 nA, white noise 0.03 nA
J0_REF, N_REF, I_REF, SIGMA_REF = -5.0, 1000, 0.2, 0.03
P_RANDOM = 0.05


@dataclass(frozen=True, eq=False)
class ScalingRun:
    """A(t) in 1 ms bins of the population at size N; its mean and std after 100 ms; the mean field at the
    reference coupling and the std independent neurons would give; the total coupling J0 used."""

    tc: np.ndarray
    A: np.ndarray
    A0: float
    mean: float
    std: float
    std_theory: float
    J0: float
    N: int


def scaling_run(N, law, wiring, *, T=300.0, dt=0.2, seed=1) -> ScalingRun:
    """``law`` "scaled" keeps J0 = w·N; "unscaled" keeps the N = 1000 weight, so J0 grows with N.
    ``wiring`` "all" (all-to-all) or "random" (p = 0.05, w = J0/(pN))."""
    J0 = J0_REF if law == "scaled" else J0_REF * N / N_REF
    kernel = ExponentialKernel(1.0, 5.0)
    g = Group("pop", N, I_ext=I_REF, noise=WhiteNoise(SIGMA_REF))
    if wiring == "all":
        proj = Projection("pop", "pop", J=J0, kernel=kernel)
    else:
        proj = Projection("pop", "pop", connectivity=fixed_probability(N, P_RANDOM, J0, rng=3), kernel=kernel)
    res = simulate(Network((g,), (proj,)), T, dt=dt, rng=seed, record=0, record_spikes=False)
    tc, A = res.activity(1.0)
    ref = asynchronous_states(Population(J0=J0_REF, I_ext=I_REF, noise=WhiteNoise(SIGMA_REF), kernel=kernel))
    late = tc > 100
    mean = float(A[late].mean())
    return ScalingRun(
        tc=tc,
        A=A,
        A0=ref[-1].A0,
        mean=mean,
        std=float(A[late].std()),
        std_theory=math.sqrt(finite_size_variance(min(mean, 900.0), N, 1.0)),
        J0=J0,
        N=N,
    )


@dataclass(frozen=True, eq=False)
class DegreeStatistics:
    """The in-degree distribution (``ks``, fraction ``hist``, binomial ``pmf`` where it applies) and the
    density of the summed weights with its normal approximation; means, variances and the theory's sd."""

    ks: np.ndarray
    hist: np.ndarray
    pmf: np.ndarray
    centres: np.ndarray
    dens: np.ndarray
    x: np.ndarray
    normal: np.ndarray
    k_mean: float
    k_var: float
    w_mean: float
    w_sd: float
    sd_theory: float
    nnz: int


def degree_statistics(rule, N, p, sigma0, *, J0=2.0, seed=0) -> DegreeStatistics:
    C = max(1, round(p * N))
    if rule == "probability":
        conn = fixed_probability(N, p, J0, rng=seed)
        sd_w = J0 * math.sqrt((1 - p) / (p * N))
    elif rule == "in":
        conn = fixed_in_degree(N, C, J0, rng=seed)
        sd_w = 0.0
    elif rule == "out":
        conn = fixed_out_degree(N, C, J0, rng=seed)
        sd_w = J0 * math.sqrt((1 - C / N) / C)
    else:
        conn = gaussian_all_to_all(N, J0, sigma0, rng=seed)
        sd_w = sigma0
    k = conn.in_degree()
    ks = np.arange(max(int(k.min()) - 2, 0), int(k.max()) + 3)
    hist = np.bincount(k, minlength=ks[-1] + 1)[ks] / N
    pmf = _binomial_pmf(ks, N, p) if rule in ("probability", "out") else np.zeros(ks.size)
    s = conn.summed_weights()
    width = max(sd_w, 1e-3)
    edges = np.linspace(J0 - 4 * width, J0 + 4 * width, 41)
    dens, _ = np.histogram(s, edges, density=True)
    x = np.linspace(edges[0], edges[-1], 200)
    normal = np.exp(-0.5 * ((x - J0) / width) ** 2) / (width * math.sqrt(2 * math.pi)) if sd_w > 0 else 0 * x
    return DegreeStatistics(
        ks=ks,
        hist=hist,
        pmf=pmf,
        centres=(edges[:-1] + edges[1:]) / 2,
        dens=dens,
        x=x,
        normal=normal,
        k_mean=float(k.mean()),
        k_var=float(k.var()),
        w_mean=float(s.mean()),
        w_sd=float(s.std()),
        sd_theory=sd_w,
        nnz=conn.nnz,
    )


def _binomial_pmf(k, n, p):
    k = np.asarray(k, dtype=float)
    log = gammaln(n + 1) - gammaln(k + 1) - gammaln(n - k + 1) + k * math.log(p) + (n - k) * math.log1p(-p)
    return np.where((k >= 0) & (k <= n), np.exp(log), 0.0)


@dataclass(frozen=True, eq=False)
class BalancedRun:
    """Membrane potentials of 100 non-firing observers driven by N balanced Poisson sources (10 Hz, p = 0.2):
    three traces, the density of every observer's fluctuations around its own mean against Campbell's
    normal density, the spread of the observers' means, and the sd of u in time (measured and Campbell)."""

    t: np.ndarray
    traces: np.ndarray
    centres: np.ndarray
    dens: np.ndarray
    x: np.ndarray
    normal: np.ndarray
    mean: float
    offsets_sd: float
    sd: float
    sd_theory: float


def balanced_run(N, scaling, *, M=100, p=0.2, rate=10.0, T=500.0, seed=5) -> BalancedRun:
    observer = LIF(theta=100.0)
    conn = balanced(N, p, 1.0, scaling=scaling, rng=seed, n_target=M)
    conn = from_pairs(conn.sources(), conn.targets, conn.weights, N, M)
    net = Network(
        (PoissonGroup("src", N, rate), Group("obs", M, neuron=observer, u0="rest")),
        (Projection("src", "obs", connectivity=conn, kernel=DeltaKernel(1.0)),),
    )
    res = simulate(net, T, dt=0.1, rng=seed, record=np.arange(N, N + M), record_spikes=False)
    u = res.u[:, res.t > 5 * observer.tau_m]
    a = observer.R * conn.weights / observer.tau_m  # jump (mV) of each synapse
    var_th = float(np.mean(rate / 1000.0 * observer.tau_m * np.bincount(conn.targets, a**2, minlength=M) / 2))
    fluct = u - u.mean(axis=1, keepdims=True) + observer.u_rest
    edges = np.linspace(-80, -50, 61)
    dens, _ = np.histogram(fluct, edges, density=True)
    x = np.linspace(-80, -50, 300)
    return BalancedRun(
        t=res.t,
        traces=res.u[:3],
        centres=(edges[:-1] + edges[1:]) / 2,
        dens=dens,
        x=x,
        normal=np.exp(-0.5 * (x - observer.u_rest) ** 2 / var_th) / math.sqrt(2 * math.pi * var_th),
        mean=float(u.mean()),
        offsets_sd=float(u.mean(axis=1).std()),
        sd=float(u.std(axis=1).mean()),
        sd_theory=math.sqrt(var_th),
    )
