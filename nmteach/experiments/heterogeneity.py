"""Lesson 02: heterogeneous populations — the typical neuron, its curvature correction, and splitting."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..engine import simulate
from ..model.distributions import Normal, TwoPoint, Uniform
from ..model.inputs import WhiteNoise
from ..model.network import Group, Network, Population, Projection
from ..model.neuron import LIF
from ..theory.gain import siegert_rate
from ..theory.heterogeneity import mixture_gain, neuron_rates, second_order_rate, typical_rate
from ..theory.meanfield import asynchronous_states

__all__ = ["SPREADS", "HeterogeneousRates", "SplitRun", "heterogeneous_rates", "split_run", "spread_of"]

#: parameter → (label, unit, largest spread offered)
SPREADS = {
    "theta": ("threshold θ", "mV", 6.0),
    "tau_m": ("membrane time constant τ_m", "ms", 4.0),
    "R": ("resistance R", "MΩ", 40.0),
    "I": ("input offset I", "nA", 0.06),
}
N_SAMPLE = 2000
I_GRID = np.linspace(0.0, 0.4, 161)
BINS = np.linspace(0, 200, 41)


def spread_of(parameter: str, shape: str, spread: float):
    """The distribution of the app: ``spread`` is a fraction of the largest width offered for the parameter;
    a normal spread has that width as ±1 standard deviation."""
    width = spread * SPREADS[parameter][2]
    typical = 0.0 if parameter == "I" else getattr(LIF(), parameter)
    if shape == "normal":
        return Normal(width / 2)
    if shape == "uniform":
        return Uniform(width)
    return TwoPoint(typical - width / 2, typical + width / 2)


@dataclass(frozen=True, eq=False)
class HeterogeneousRates:
    """f–I curves of the typical neuron, the population mean and the second-order estimate on ``I_grid``
    (Hz), and the single-neuron rates ``r_now`` of the 2,000 sampled neurons at the chosen input ``I``."""

    I_grid: np.ndarray
    typical: np.ndarray
    mean: np.ndarray
    second: np.ndarray
    I: float
    r_now: np.ndarray
    hist: np.ndarray
    bins: np.ndarray
    active: float
    mean_now: float
    typical_now: float
    second_now: float


def heterogeneous_rates(parameter, shape, spread, I, *, seed=0) -> HeterogeneousRates:
    neuron = LIF()
    dist = spread_of(parameter, shape, spread)
    typical = 0.0 if parameter == "I" else getattr(neuron, parameter)
    values = dist.sample(N_SAMPLE, typical, np.random.default_rng(seed))
    if parameter in ("tau_m", "R"):
        values = np.maximum(values, 0.05 * typical)  # keep them physical
    rates = neuron_rates(I_GRID[:, None], neuron, {parameter: values[None, :]})
    r_now = neuron_rates(I, neuron, {parameter: values})
    return HeterogeneousRates(
        I_grid=I_GRID,
        typical=typical_rate(I_GRID, neuron, parameter, dist),
        mean=rates.mean(axis=1),
        second=second_order_rate(I_GRID, neuron, parameter, dist),
        I=float(I),
        r_now=r_now,
        hist=np.histogram(np.clip(r_now, 0, BINS[-1] - 0.1), BINS)[0],
        bins=BINS,
        active=float(np.mean(r_now > 0)),
        mean_now=float(r_now.mean()),
        typical_now=float(typical_rate(I, neuron, parameter, dist)),
        second_now=float(second_order_rate(I, neuron, parameter, dist)),
    )


@dataclass(frozen=True, eq=False)
class SplitRun:
    """A population whose thresholds take two values: spikes of 100 neurons of each part, each part's A(t)
    (5 ms bins), the whole population's, and the predictions (Hz) of the split mean field and of one
    typical neuron."""

    r1: tuple
    r2: tuple
    tc: np.ndarray
    A1: np.ndarray
    A2: np.ndarray
    At: np.ndarray
    pred1: float
    pred2: float
    pred_split: float
    pred_typical: float
    sim: float
    sim1: float
    sim2: float
    stderr: float


def split_run(theta_low, theta_high, J0, I_ext, sigma, *, N=1000, T=400.0, dt=0.2, seed=2) -> SplitRun:
    base = LIF()
    parts = [base.replace(theta=theta_low), base.replace(theta=theta_high)]
    noise = WhiteNoise(sigma)
    pop = Population(J0=J0, I_ext=I_ext, noise=noise, neuron=base.replace(theta=(theta_low + theta_high) / 2))
    typical = [fp.A0 for fp in asynchronous_states(pop) if fp.stable]
    split = [fp for fp in asynchronous_states(pop, gain=mixture_gain(parts, [0.5, 0.5], sigma)) if fp.stable]
    net = Network(
        (Group("g", N, I_ext=I_ext, noise=noise, spread={"theta": TwoPoint(theta_low, theta_high)}),),
        (Projection("g", "g", J=J0),),
    )
    res = simulate(net, T, dt=dt, rng=seed, record=0)
    half, m = N // 2, round(5.0 / dt)
    counts = np.zeros((2, len(res.t)))
    k = np.minimum((res.spike_times / dt).astype(int), len(res.t) - 1)
    np.add.at(counts, ((res.spike_ids >= half).astype(int), k), 1)
    A_parts = counts.reshape(2, -1, m).sum(axis=2) / (half * m * dt) * 1000.0
    sel1 = res.spike_ids < 100
    sel2 = (res.spike_ids >= half) & (res.spike_ids < half + 100)
    late_steps = res.t > T / 2
    late_bins = np.arange(A_parts.shape[1]) * m * dt + m * dt / 2 > T / 2
    n_late = late_steps.sum() * dt / 1000.0
    return SplitRun(
        r1=(res.spike_times[sel1], res.spike_ids[sel1]),
        r2=(res.spike_times[sel2], res.spike_ids[sel2] - half + 100),
        tc=np.arange(A_parts.shape[1]) * m * dt + m * dt / 2,
        A1=A_parts[0],
        A2=A_parts[1],
        At=res.A.reshape(-1, m).mean(axis=1),
        pred1=float(siegert_rate(split[-1].I0, parts[0], sigma)) if split else 0.0,
        pred2=float(siegert_rate(split[-1].I0, parts[1], sigma)) if split else 0.0,
        pred_split=split[-1].A0 if split else 0.0,
        pred_typical=typical[-1] if typical else 0.0,
        sim=float(res.A[late_steps].mean()),
        sim1=float(A_parts[0][late_bins].mean()),
        sim2=float(A_parts[1][late_bins].mean()),
        stderr=float(np.sqrt(max(res.A[late_steps].mean(), 1.0) / (N * n_late))),
    )
