"""Lesson 05: distance-dependent coupling on a cortical sheet."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..engine import simulate
from ..models import spread_network
from ..wiring.space import (
    BoxProbability,
    ExponentialProbability,
    GaussianProbability,
    Sheet,
    distance_connectivity,
    expected_probability,
    realised_probability,
)

__all__ = [
    "RULES",
    "SheetWiring",
    "SpreadMap",
    "SpreadRun",
    "front_onsets",
    "front_speed_of",
    "sheet_wiring",
    "spread_map",
    "spread_run",
]

RULES = {"gaussian": GaussianProbability, "exponential": ExponentialProbability, "box": BoxProbability}
EDGES = np.linspace(0, 0.7, 29)


@dataclass(frozen=True, eq=False)
class SheetWiring:
    """A unit torus of n_side² neurons wired with P(d): positions, the inputs of the centre neuron, the
    fraction of connected pairs per distance bin with its binomial error, the bin average of P over each
    bin's pairs, the rule's curve, and the in-degrees against their normal approximation."""

    xy: np.ndarray
    partners: np.ndarray
    centre: np.ndarray
    d: np.ndarray
    P: np.ndarray
    centres: np.ndarray
    frac: np.ndarray
    err: np.ndarray
    expected: np.ndarray
    z: np.ndarray
    ks: np.ndarray
    hist: np.ndarray
    normal: np.ndarray
    k_mean: float
    k_theory: float


def sheet_wiring(shape, p0, width, n_side, *, seed=1) -> SheetWiring:
    sheet = Sheet.grid(n_side, L=1.0)
    rule = RULES[shape](p0, width)
    conn = distance_connectivity(sheet, rule, rng=seed)
    centre = (n_side // 2) * n_side + n_side // 2
    partners = conn.sources()[conn.targets == centre]
    centres, frac, n_pairs, _ = realised_probability(sheet, conn, EDGES)
    expected, k_each, v_each = expected_probability(sheet, rule, EDGES)
    err = np.sqrt(np.maximum(expected * (1 - expected), 1e-12) / np.maximum(n_pairs, 1))
    k = conn.in_degree()
    ks = np.arange(max(int(k.min()) - 3, 0), int(k.max()) + 4)
    # a neuron's in-degree is a sum of N − 1 independent Bernoulli(P(d_ij)) variables: over the neurons a mixture
    # of their normal approximations; where every P is 0 or 1 (the box rule with p0 = 1) each in-degree is fixed
    k_mu = float(k_each.mean())
    if np.all(v_each > 0):
        z = (ks[:, None] - k_each[None, :]) ** 2 / v_each[None, :]
        normal = np.mean(np.exp(-0.5 * z) / np.sqrt(2 * np.pi * v_each[None, :]), axis=1)
    else:
        normal = np.bincount(np.rint(k_each).astype(np.int64) - ks[0], minlength=ks.size)[: ks.size] / sheet.N
    has = n_pairs > 0
    return SheetWiring(
        xy=sheet.positions,
        partners=sheet.positions[partners],
        centre=sheet.positions[centre],
        d=np.linspace(0, 0.7, 200),
        P=rule(np.linspace(0, 0.7, 200)),
        centres=centres[has],
        frac=frac[has],
        err=err[has],
        expected=expected[has],
        z=(frac[has] - expected[has]) / err[has],
        ks=ks,
        hist=np.bincount(k, minlength=ks[-1] + 1)[ks] / sheet.N,
        normal=normal,
        k_mean=float(k.mean()),
        k_theory=k_mu,
    )


@dataclass(frozen=True, eq=False)
class SpreadRun:
    """A run of lesson 05's sheet after a local stimulus: the spikes and every neuron's distance from the centre."""

    spike_times: np.ndarray
    spike_ids: np.ndarray
    dist: np.ndarray
    N: int
    n_side: int
    t_max: float
    rate: float
    active_late: float


def spread_run(J0, I_ext, sigma, *, n_side=70, T=200.0, stimulus=0.3, seed=2) -> SpreadRun:
    net, dist = spread_network(J0, I_ext, sigma, n_side=n_side, stimulus=stimulus)
    res = simulate(net, T, dt=0.1, rng=seed, record=0)
    late = res.spike_times > T - 50.0
    return SpreadRun(
        spike_times=res.spike_times,
        spike_ids=res.spike_ids,
        dist=dist,
        N=res.N,
        n_side=n_side,
        t_max=res.t_max,
        rate=res.n_spikes / res.N / res.t_max * 1000.0,
        active_late=np.unique(res.spike_ids[late]).size / res.N,
    )


@dataclass(frozen=True, eq=False)
class SpreadMap:
    """Spikes per neuron in [time, time + window) as an image, and a raster ordered by distance (1 neuron in 7)."""

    map: np.ndarray
    raster_t: np.ndarray
    raster_d: np.ndarray
    time: float
    window: float
    rate: float
    active_late: float


def spread_map(run: SpreadRun, time: float, window: float = 10.0) -> SpreadMap:
    sel = (run.spike_times >= time) & (run.spike_times < time + window)
    counts = np.bincount(run.spike_ids[sel], minlength=run.N).reshape(run.n_side, run.n_side).T
    shown = run.spike_ids % 7 == 0  # one neuron in seven keeps the raster readable and fast
    return SpreadMap(
        map=counts.astype(float),
        raster_t=run.spike_times[shown],
        raster_d=run.dist[run.spike_ids[shown]],
        time=float(time),
        window=window,
        rate=run.rate,
        active_late=run.active_late,
    )


def front_onsets(run: SpreadRun, radii=None, *, bin_width: float = 2.0, threshold: float = 50.0):
    """When each ring around the centre lights up: the first bin (ms) where the activity of the neurons within
    ±0.01 mm of the radius exceeds ``threshold`` Hz. Returns ``(radii, onsets)``; NaN for a ring that never does."""
    radii = np.arange(0.1, 0.46, 0.05) if radii is None else np.asarray(radii, dtype=float)
    edges = np.arange(0, run.t_max + bin_width, bin_width)
    onsets = []
    for r in radii:
        ring = (run.dist >= r - 0.01) & (run.dist < r + 0.01)
        counts, _ = np.histogram(run.spike_times[ring[run.spike_ids]], edges)
        above = counts / ring.sum() / bin_width * 1000.0 > threshold
        onsets.append(float(edges[np.argmax(above)]) if above.any() else np.nan)
    return radii, np.array(onsets)


def front_speed_of(run: SpreadRun) -> float:
    """The front's speed (mm/ms): the slope of the rings' radii against their onset times; 0 if no front."""
    radii, onsets = front_onsets(run)
    ok = np.isfinite(onsets)
    if ok.sum() < 3:
        return 0.0
    return float(np.polyfit(onsets[ok], radii[ok], 1)[0])
