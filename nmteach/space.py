"""Neurons in space: positions on an axis or a sheet, and distance-dependent coupling.

Each neuron i gets a location x(i) (mm) on a 1D axis or a 2D cortical sheet of side
``L``, optionally periodic (a ring or a torus, with minimum-image distances). Two
rules from the notes (*Neuronal Dynamics* §12.3.3):

* probabilistic: every link has the same weight and
  :math:`\\mathrm{Prob}(w_{ij} = 1) = P(|x(i) - x(j)|)`, with P mapping distance into [0, 1]
  (:class:`GaussianProbability`, :class:`ExponentialProbability`, :class:`BoxProbability`
  or any callable); built block by block, never as an N×N matrix;
* all-to-all with a weight that decays with distance, :math:`w_{ij} = g(|x(i) - x(j)|)`
  (:func:`distance_weights`, dense: for small N).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ._params import check, check_int
from .connectivity import Connectivity, _budget_check, _rng, from_pairs

__all__ = [
    "BoxProbability",
    "ExponentialProbability",
    "GaussianProbability",
    "Sheet",
    "distance_connectivity",
    "distance_weights",
    "pair_distances",
    "realised_probability",
]


@dataclass(frozen=True, eq=False)
class Sheet:
    """Positions of N neurons (mm), shape (N, dim), in a box of side ``L``; ``periodic`` wraps it."""

    positions: np.ndarray
    L: float = 1.0
    periodic: bool = True

    def __post_init__(self):
        x = np.asarray(self.positions, dtype=float)
        if x.ndim == 1:
            x = x[:, None]
        if x.ndim != 2 or x.shape[1] not in (1, 2):
            raise ValueError(f"positions must have shape (N,) or (N, 1) or (N, 2), got {np.shape(self.positions)}")
        object.__setattr__(self, "positions", x)
        object.__setattr__(self, "L", check("length", self.L, label="L"))
        if np.any(x < 0) or np.any(x > self.L):
            raise ValueError(f"positions must lie in [0, L = {self.L}]")

    @property
    def N(self) -> int:
        return len(self.positions)

    @property
    def dim(self) -> int:
        return self.positions.shape[1]

    @classmethod
    def grid(cls, n_side: int, L: float = 1.0, dim: int = 2, periodic: bool = True) -> Sheet:
        """A regular grid with ``n_side`` points per side (cell centres)."""
        n_side = check_int("N", n_side, label="n_side")
        c = (np.arange(n_side) + 0.5) * L / n_side
        if dim == 1:
            return cls(c, L, periodic)
        if dim != 2:
            raise ValueError(f"dim = {dim} must be 1 or 2")
        xx, yy = np.meshgrid(c, c, indexing="ij")
        return cls(np.column_stack([xx.ravel(), yy.ravel()]), L, periodic)

    @classmethod
    def random(cls, N: int, L: float = 1.0, dim: int = 2, periodic: bool = True, rng=None) -> Sheet:
        """N positions drawn uniformly in the box."""
        N = check_int("N", N)
        if dim not in (1, 2):
            raise ValueError(f"dim = {dim} must be 1 or 2")
        return cls(_rng(rng).uniform(0, L, (N, dim)), L, periodic)

    def distances_from(self, i: int) -> np.ndarray:
        """Distances (mm) from neuron i to every neuron."""
        return _dist(self.positions[i][None, :], self.positions, self.L, self.periodic)[0]


def _dist(a, b, L, periodic):
    d = np.abs(a[:, None, :] - b[None, :, :])
    if periodic:
        d = np.minimum(d, L - d)
    return np.sqrt(np.sum(d * d, axis=-1))


class _Probability:
    """P(d): a connection probability for distance d (mm), with a range beyond which P < 1e-12."""

    def __call__(self, d):
        raise NotImplementedError

    def cutoff(self) -> float:
        return math.inf


@dataclass(frozen=True)
class GaussianProbability(_Probability):
    """P(d) = p0 exp(−d²/(2σ²))."""

    p0: float = 1.0
    sigma: float = 0.1

    def __post_init__(self):
        _check_p0(self.p0)
        object.__setattr__(self, "sigma", check("length", self.sigma, label="sigma"))

    def __call__(self, d):
        return self.p0 * np.exp(-0.5 * (np.asarray(d, dtype=float) / self.sigma) ** 2)

    def cutoff(self):
        return self.sigma * math.sqrt(2 * math.log(max(self.p0, 1e-300) / 1e-12))


@dataclass(frozen=True)
class ExponentialProbability(_Probability):
    """P(d) = p0 exp(−d/λ)."""

    p0: float = 1.0
    lam: float = 0.1

    def __post_init__(self):
        _check_p0(self.p0)
        object.__setattr__(self, "lam", check("length", self.lam, label="lam"))

    def __call__(self, d):
        return self.p0 * np.exp(-np.asarray(d, dtype=float) / self.lam)

    def cutoff(self):
        return self.lam * math.log(max(self.p0, 1e-300) / 1e-12)


@dataclass(frozen=True)
class BoxProbability(_Probability):
    """P(d) = p0 for d ≤ radius, else 0."""

    p0: float = 0.5
    radius: float = 0.1

    def __post_init__(self):
        _check_p0(self.p0)
        object.__setattr__(self, "radius", check("length", self.radius, label="radius"))

    def __call__(self, d):
        return np.where(np.asarray(d, dtype=float) <= self.radius, self.p0, 0.0)

    def cutoff(self):
        return self.radius


def _check_p0(p0):
    if not (math.isfinite(p0) and 0 < p0 <= 1):
        raise ValueError(f"p0 = {p0} is out of range: a connection probability must lie in (0, 1]")


def _as_probability(rule, d_max):
    """Wrap a callable and check that it maps [0, d_max] into [0, 1]."""
    probe = np.linspace(0, d_max, 1001)
    try:
        vals = np.asarray(rule(probe), dtype=float)
    except Exception as exc:  # a user's function may fail in many ways
        raise ValueError(f"the probability rule could not be evaluated on distances: {exc}") from exc
    if vals.shape != probe.shape:
        raise ValueError("the probability rule must return one value per distance")
    if not np.all(np.isfinite(vals)) or vals.min() < 0 or vals.max() > 1:
        raise ValueError(
            f"the probability rule gives values in [{np.nanmin(vals):.3g}, {np.nanmax(vals):.3g}] "
            "on [0, d_max]; P(d) must lie in [0, 1] for every distance"
        )
    return rule


def distance_connectivity(
    sheet: Sheet, rule, *, weight: float = 1.0, rng=None, autapses: bool = False, block: int = 512
) -> Connectivity:
    """Connect i ← j with probability P(|x(i) − x(j)|), all links of weight ``weight``.

    Pairs are drawn block by block of sources (``block`` × N distances at a time), so
    memory stays O(block·N + synapses): N = 20,000 with ~100 partners each needs a few
    tens of MB. Distances and probabilities are evaluated in single precision (relative
    error 1e-7, far below the sampling noise of any realised connectivity).
    """
    if not isinstance(sheet, Sheet):
        raise ValueError(f"sheet = {sheet!r} must be a Sheet")
    d_max = sheet.L * (math.sqrt(sheet.dim) / (2 if sheet.periodic else 1))
    rule = _as_probability(rule, d_max)
    g = _rng(rng)
    N, x = sheet.N, sheet.positions
    # a cheap upper bound on the expected number of synapses, for the memory budget
    probe = np.linspace(0, d_max, 2001)
    _budget_check(N * N * float(np.mean(rule(probe))) * 2 + 1000, "this distance-dependent connectivity")
    src_all, tgt_all = [], []
    x32 = x.astype(np.float32)
    L32 = np.float32(sheet.L)
    for start in range(0, N, block):
        stop = min(start + block, N)
        d2 = np.zeros((stop - start, N), dtype=np.float32)  # squared distances, sources × targets
        for k in range(sheet.dim):
            dk = np.abs(x32[start:stop, k][:, None] - x32[None, :, k])
            if sheet.periodic:
                np.minimum(dk, L32 - dk, out=dk)
            dk *= dk
            d2 += dk
        if isinstance(rule, GaussianProbability):
            p = np.exp(d2 * np.float32(-0.5 / rule.sigma**2))
            p *= np.float32(rule.p0)
        else:
            p = np.asarray(rule(np.sqrt(d2)), dtype=np.float32)
        keep = g.random(p.shape, dtype=np.float32) < p
        if not autapses:
            rows = np.arange(start, stop)
            keep[rows - start, rows] = False
        s_idx, t_idx = np.nonzero(keep)
        src_all.append(s_idx + start)
        tgt_all.append(t_idx)
    src = np.concatenate(src_all)
    tgt = np.concatenate(tgt_all)
    return from_pairs(src, tgt, float(weight), N, N, f"distance({type(rule).__name__}, weight={weight:g})")


def distance_weights(sheet: Sheet, g) -> Connectivity:
    """All-to-all coupling with w_ij = g(|x(i) − x(j)|) (self-coupling excluded); dense, for small N."""
    N = sheet.N
    _budget_check(N * N, "distance-weighted all-to-all coupling")
    d = _dist(sheet.positions, sheet.positions, sheet.L, sheet.periodic)  # (sources, targets), symmetric
    try:
        w = np.asarray(g(d), dtype=float)
    except Exception as exc:
        raise ValueError(f"the weight rule could not be evaluated on distances: {exc}") from exc
    if w.shape != d.shape or not np.all(np.isfinite(w)):
        raise ValueError("the weight rule must return one finite value per distance")
    s, t = np.divmod(np.arange(N * N), N)
    keep = s != t
    return from_pairs(s[keep], t[keep], w.ravel()[keep], N, N, "distance_weights")


def pair_distances(sheet: Sheet, max_pairs: int = 20_000_000) -> np.ndarray:
    """Distances of all ordered pairs i ≠ j (mm), for small sheets."""
    N = sheet.N
    if N * N > max_pairs:
        raise ValueError(f"{N * N} pairs is more than max_pairs = {max_pairs}; use a smaller sheet")
    d = _dist(sheet.positions, sheet.positions, sheet.L, sheet.periodic)
    return d[~np.eye(N, dtype=bool)]


def realised_probability(sheet: Sheet, conn: Connectivity, edges):
    """Fraction of pairs connected in each distance bin, with the number of pairs per bin.

    Returns ``(centres, fraction, n_pairs, n_links)``; under a probabilistic rule the
    number of links in a bin is Binomial(n_pairs, P) to the extent P is constant in the bin.
    """
    edges = np.asarray(edges, dtype=float)
    d_all = pair_distances(sheet)
    n_pairs = np.histogram(d_all, edges)[0]
    src = conn.sources()
    d_links = _dist_pairs(sheet, src, conn.targets)
    n_links = np.histogram(d_links, edges)[0]
    with np.errstate(invalid="ignore", divide="ignore"):
        frac = np.where(n_pairs > 0, n_links / np.maximum(n_pairs, 1), np.nan)
    return (edges[:-1] + edges[1:]) / 2, frac, n_pairs, n_links


def _dist_pairs(sheet, i, j):
    d = np.abs(sheet.positions[i] - sheet.positions[j])
    if sheet.periodic:
        d = np.minimum(d, sheet.L - d)
    return np.sqrt(np.sum(d * d, axis=-1))
