"""Neurons in space: positions on an axis or a sheet, and distance-dependent coupling.

Each neuron i gets a location x(i) (mm) on a 1D axis or a 2D cortical sheet of side
``L``, optionally periodic (a ring or a torus, with minimum-image distances). Two
rules from the notes (*Neuronal Dynamics* §12.3.3):

* probabilistic: every link has the same weight and
  :math:`\\mathrm{Prob}(w_{ij} = 1) = P(|x(i) - x(j)|)`, with P mapping distance into [0, 1]
  (:class:`GaussianProbability`, :class:`ExponentialProbability`, :class:`BoxProbability`
  or any callable); built without an N×N matrix, and for the built-in rules only over
  the pairs within the rule's range (:meth:`cutoff`), found with a grid of cells, so the
  work grows with the number of synapses, not with N²;
* all-to-all with a weight that decays with distance, :math:`w_{ij} = g(|x(i) - x(j)|)`
  (:func:`distance_weights`: N(N − 1) synapses, for small N).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .._params import (
    check,
    check_array,
    check_bool,
    check_instance,
    check_int,
    require_memory,
    resolve_rng,
)
from ..model.synapses import Connectivity
from .connectivity import connectivity_memory

__all__ = [
    "BoxProbability",
    "ExponentialProbability",
    "GaussianProbability",
    "Sheet",
    "distance_connectivity",
    "distance_weights",
    "expected_probability",
    "pair_distances",
    "realised_probability",
]

#: pairs evaluated at once
_BLOCK_PAIRS = 1 << 19
#: the expected number of synapses is sampled from 64 sources, 1024 targets at a time
_SAMPLE_SOURCES, _SAMPLE_TARGETS = 64, 1 << 10
#: bytes a pair of a block takes at the peak: four arrays (the squared distance, the previous axis's
#: difference, this axis's difference and its absolute value; or the squared distance, the distance and
#: two temporaries of evaluating the rule) and the mask. The Gaussian rule works in single precision, the
#: others (and a callable rule, assumed to need no more than two temporaries) in double precision.
_PAIR_BYTES_GAUSSIAN = 4 * 4 + 1
_PAIR_BYTES = 8 * 5 + 1
#: a kept pair of a block: its row and column (int64) from the mask, and its source and target (int64)
_KEPT_BYTES = 32
#: per synapse while the blocks are drawn: its source and target (int32)
_PART_BYTES = 4 + 4
#: per synapse at the peak of the sort by source: source and target (int32), the order (int64) and half of
#: it as the stable sort's buffer; the stored synapse and its check come later and need less
_DISTANCE_BYTES = 4 + 4 + 8 + 4


@dataclass(frozen=True, eq=False)
class Sheet:
    """Positions of N neurons (mm), shape (N, dim), in a box of side ``L``; ``periodic`` wraps it."""

    positions: np.ndarray
    L: float = 1.0
    periodic: bool = True

    def __post_init__(self):
        x = check_array("positions", self.positions, ndim=None, spec="distance")
        if x.ndim == 1:
            x = x[:, None]
        if x.ndim != 2 or x.shape[1] not in (1, 2) or x.shape[0] == 0:
            raise ValueError(
                f"positions must have shape (N,), (N, 1) or (N, 2) with N ≥ 1; got {np.shape(self.positions)}"
            )
        object.__setattr__(self, "positions", x)
        object.__setattr__(self, "L", check("L", self.L))
        object.__setattr__(self, "periodic", check_bool("periodic", self.periodic))
        if x.max() > self.L:
            raise ValueError(f"positions must lie in [0, L = {self.L}] mm; the largest is {x.max():g}")

    @property
    def N(self) -> int:
        return len(self.positions)

    @property
    def dim(self) -> int:
        return self.positions.shape[1]

    @classmethod
    def grid(cls, n_side: int, L: float = 1.0, dim: int = 2, periodic: bool = True) -> Sheet:
        """A regular grid with ``n_side`` points per side (cell centres)."""
        n_side = check_int("n_side", n_side)
        L = check("L", L)
        dim = _check_dim(dim)
        require_memory(8.0 * dim * n_side**dim * 2, f"a grid of {n_side}^{dim} positions", "use a smaller n_side")
        c = (np.arange(n_side) + 0.5) * L / n_side
        if dim == 1:
            return cls(c, L, periodic)
        xx, yy = np.meshgrid(c, c, indexing="ij")
        return cls(np.column_stack([xx.ravel(), yy.ravel()]), L, periodic)

    @classmethod
    def random(cls, N: int, L: float = 1.0, dim: int = 2, periodic: bool = True, rng=None) -> Sheet:
        """N positions drawn uniformly in the box."""
        N = check_int("N", N)
        L = check("L", L)
        dim = _check_dim(dim)
        require_memory(8.0 * dim * N, f"{N} random positions", "use fewer neurons")
        return cls(resolve_rng(rng).uniform(0, L, (N, dim)), L, periodic)

    def distances_from(self, i: int) -> np.ndarray:
        """Distances (mm) from neuron i to every neuron."""
        if isinstance(i, (bool, np.bool_)) or not isinstance(i, (int, np.integer)) or not 0 <= i < self.N:
            raise ValueError(f"i = {i} must be a neuron index in [0, {self.N - 1}]")
        return _dist(self.positions[i][None, :], self.positions, self.L, self.periodic)[0]


def _check_dim(dim) -> int:
    if isinstance(dim, bool) or dim not in (1, 2):
        raise ValueError(f"dim = {dim!r} must be 1 or 2")
    return int(dim)


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
        """A distance (mm) beyond which P(d) < 1e-12: pairs farther apart are never connected."""
        return math.inf


@dataclass(frozen=True)
class GaussianProbability(_Probability):
    """P(d) = p0 exp(−d²/(2σ²))."""

    p0: float = 1.0
    sigma: float = 0.1

    def __post_init__(self):
        object.__setattr__(self, "p0", check("p0", self.p0))
        object.__setattr__(self, "sigma", check("GaussianProbability.sigma", self.sigma))

    def __call__(self, d):
        return self.p0 * np.exp(-0.5 * (np.asarray(d, dtype=float) / self.sigma) ** 2)

    def cutoff(self):
        return self.sigma * math.sqrt(2 * math.log(self.p0 / 1e-12))


@dataclass(frozen=True)
class ExponentialProbability(_Probability):
    """P(d) = p0 exp(−d/λ)."""

    p0: float = 1.0
    lam: float = 0.1

    def __post_init__(self):
        object.__setattr__(self, "p0", check("p0", self.p0))
        object.__setattr__(self, "lam", check("ExponentialProbability.lam", self.lam))

    def __call__(self, d):
        return self.p0 * np.exp(-np.asarray(d, dtype=float) / self.lam)

    def cutoff(self):
        return self.lam * math.log(self.p0 / 1e-12)


@dataclass(frozen=True)
class BoxProbability(_Probability):
    """P(d) = p0 for d ≤ radius, else 0."""

    p0: float = 0.5
    radius: float = 0.1

    def __post_init__(self):
        object.__setattr__(self, "p0", check("p0", self.p0))
        object.__setattr__(self, "radius", check("BoxProbability.radius", self.radius))

    def __call__(self, d):
        return np.where(np.asarray(d, dtype=float) <= self.radius, self.p0, 0.0)

    def cutoff(self):
        return self.radius


def _as_probability(rule, d_max):
    """Check a rule: a built-in one, or a callable that maps [0, d_max] into [0, 1]."""
    if isinstance(rule, _Probability):
        return rule
    if not callable(rule):
        raise TypeError(
            f"rule = {rule!r} must be GaussianProbability, ExponentialProbability, BoxProbability or a function P(d)"
        )
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


def _d_max(sheet: Sheet) -> float:
    return sheet.L * (math.sqrt(sheet.dim) / (2 if sheet.periodic else 1))


def _expected_synapses(sheet: Sheet, rule, autapses: bool) -> tuple[float, float, float]:
    """The expected number of links, an upper bound (for the memory budget), and a bound on one source's links.

    From up to 64 sources spread over the sheet, exactly: the mean of Σ_j P(d_ij) over them times N,
    with the bound 4 standard errors of that mean (from the sources' spread) plus 6 sd of the draw.
    """
    N = sheet.N
    rows = np.unique(np.linspace(0, N - 1, min(N, _SAMPLE_SOURCES)).astype(np.int64))
    per_source = np.zeros(rows.size)
    for start in range(0, N, _SAMPLE_TARGETS):  # targets a part at a time: a few MB however large the sheet
        stop = min(start + _SAMPLE_TARGETS, N)
        p = np.asarray(rule(_dist(sheet.positions[rows], sheet.positions[start:stop], sheet.L, sheet.periodic)), float)
        if not autapses:
            own = (rows >= start) & (rows < stop)
            p[np.flatnonzero(own), rows[own] - start] = 0.0
        per_source += p.sum(axis=1)
    expected = N * float(per_source.mean())
    spread = 0.0 if rows.size == N else N * float(per_source.std()) / math.sqrt(rows.size)
    k_max = float(per_source.max())  # links of the best-connected sampled source, for a block's kept pairs
    return expected, expected + 4 * spread + 6 * math.sqrt(expected + 1), k_max + 6 * math.sqrt(k_max + 1)


def _block_pairs(sheet, src, tgt, rule, g, autapses, x32, L32):
    """Draw the links src[a] ← ... for the pairs (src × tgt); returns (sources, targets) of the links.

    The smooth Gaussian rule is evaluated in single precision (relative error 1e-7, far below the
    sampling noise); every other rule in double precision, so that a sharp edge such as the box's
    radius falls on the same side for every pair as in :func:`pair_distances`.
    """
    gaussian = isinstance(rule, GaussianProbability)
    x = x32 if gaussian else sheet.positions
    L = L32 if gaussian else sheet.L
    d2 = np.zeros((src.size, tgt.size), dtype=x.dtype)
    for k in range(sheet.dim):
        dk = np.abs(x[src, k][:, None] - x[tgt, k][None, :])
        if sheet.periodic:
            np.minimum(dk, L - dk, out=dk)
        dk *= dk
        d2 += dk
    if gaussian:
        p = np.exp(d2 * np.float32(-0.5 / rule.sigma**2))
        p *= np.float32(rule.p0)
    else:
        p = np.asarray(rule(np.sqrt(d2)), dtype=np.float64)
    keep = g.random(p.shape, dtype=p.dtype) < p
    if not autapses:
        keep &= src[:, None] != tgt[None, :]
    s, t = np.nonzero(keep)
    return src[s], tgt[t]


def _cells(sheet: Sheet, cutoff: float):
    """Cells of side ≥ cutoff per axis (None when fewer than 3 per side: then every pair is a candidate)."""
    n = int(sheet.L // cutoff) if math.isfinite(cutoff) and cutoff > 0 else 0
    if n < 3:
        return None
    n = min(n, 4096)
    require_memory(_cells_bytes(sheet, n), f"sorting {sheet.N} neurons into {n}^{sheet.dim} cells", "use fewer neurons")
    idx = np.minimum((sheet.positions / (sheet.L / n)).astype(np.int64), n - 1)
    cell = idx[:, 0] if sheet.dim == 1 else idx[:, 1] * n + idx[:, 0]  # row-major: y rows of x cells
    order = np.argsort(cell, kind="stable")
    bounds = np.searchsorted(cell[order], np.arange(n**sheet.dim + 1))
    return n, order, bounds


def _cells_bytes(sheet: Sheet, n: int) -> float:
    """Sorting neurons into cells: their cell coordinates (with the scaled positions), cell numbers, order and bounds."""
    return 8.0 * (2 * sheet.dim + 1) * sheet.N + 8.0 * (n**sheet.dim + 1)


def _ranges(order, bounds, cells):
    """The neurons of the given cells, one index array."""
    starts, stops = bounds[cells], bounds[cells + 1]
    lens = stops - starts
    total = int(lens.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    offsets = np.repeat(starts - np.concatenate([[0], np.cumsum(lens)[:-1]]), lens)
    return order[offsets + np.arange(total)]


def distance_connectivity(
    sheet: Sheet, rule, *, weight: float = 1.0, rng=None, autapses: bool = False, block: int = 512
) -> Connectivity:
    """Connect i ← j with probability P(|x(i) − x(j)|), all links of weight ``weight``.

    For the built-in rules only pairs closer than ``rule.cutoff()`` (where P drops below
    1e-12) are drawn: the sheet is cut into cells at least that wide and each source is
    paired with the neurons of its own and the neighbouring cells, so time and memory grow
    with the number of candidate pairs, about N times the neurons within the cutoff. A
    callable rule, or a cutoff wider than a third of the sheet, pairs every source with
    every target, ``block`` sources at a time. The Gaussian rule is evaluated in single
    precision (relative error 1e-7, far below the sampling noise of any realised connectivity),
    the others in double precision.
    """
    check_instance("sheet", sheet, Sheet, "a Sheet, e.g. Sheet.grid(30)")
    rule = _as_probability(rule, _d_max(sheet))
    weight = check("weight", weight)
    autapses = check_bool("autapses", autapses)
    block = check_int("N", block, label="block")
    g = resolve_rng(rng)
    N = sheet.N
    cutoff = rule.cutoff() if isinstance(rule, _Probability) else math.inf
    cells = _cells(sheet, cutoff)
    step = max(1, min(block, _BLOCK_PAIRS // N))
    if cells is None:
        batches = lambda: ((np.arange(start, min(start + step, N)), None) for start in range(0, N, step))
    else:
        n, order, bounds = cells
        batches = lambda: _cell_batches(n, sheet.dim, sheet.periodic, bounds, N)
    expected, bound, k_max = _expected_synapses(sheet, rule, autapses)
    pair = _PAIR_BYTES_GAUSSIAN if isinstance(rule, GaussianProbability) else _PAIR_BYTES
    # the larger of: drawing the largest block (the links so far, the block's pairs and kept links, the
    # positions in float32) and the sort
    # positions in float32, the out-degrees, and the cells' order and bounds (or every target's index)
    scratch = max(_batch_bytes(batch, cells, N, pair, k_max) for batch in batches()) + N * (4 * sheet.dim + 8)
    scratch += 8.0 * (N + cells[2].size) if cells is not None else 8.0 * N
    sample = 8.0 * (3 * sheet.dim + 1) * _SAMPLE_SOURCES * min(N, _SAMPLE_TARGETS)
    require_memory(
        max(connectivity_memory(bound, _PART_BYTES, scratch), connectivity_memory(bound, _DISTANCE_BYTES), sample),
        f"a distance-dependent connectivity with about {expected:.3g} synapses",
        "use fewer neurons or a narrower rule",
    )
    x32 = sheet.positions.astype(np.float32)
    L32 = np.float32(sheet.L)
    src_parts, tgt_parts = [], []
    all_t = np.arange(N) if cells is None else None
    counts = np.zeros(N, dtype=np.int64)  # out-degrees, counted block by block
    for s_cells, t_cells in batches():
        if cells is None:
            src, tgt = s_cells, all_t
        else:
            src, tgt = _ranges(order, bounds, s_cells), _ranges(order, bounds, t_cells)
        if src.size and tgt.size:
            s, t = _block_pairs(sheet, src, tgt, rule, g, autapses, x32, L32)
            np.add.at(counts, s, 1)
            src_parts.append(s.astype(np.int32))
            tgt_parts.append(t.astype(np.int32))
    src = np.concatenate(src_parts) if src_parts else np.zeros(0, dtype=np.int32)
    tgt = np.concatenate(tgt_parts) if tgt_parts else np.zeros(0, dtype=np.int32)
    src_parts.clear()
    tgt_parts.clear()
    order = np.argsort(src, kind="stable")
    del src
    targets = tgt[order]
    del tgt, order
    indptr = np.zeros(N + 1, dtype=np.int64)
    np.cumsum(counts, out=indptr[1:])
    name = type(rule).__name__ if isinstance(rule, _Probability) else "callable"
    return Connectivity(indptr, targets, np.full(targets.size, weight), N, N, f"distance({name}, weight={weight:g})")


def _batch_bytes(batch, cells, N, pair: float, k_max: float) -> float:
    """A batch's temporaries: its candidate pairs (sources times the neurons of the cells they can reach)
    and the links it keeps (at most ``k_max`` per source)."""
    s_cells, t_cells = batch
    if cells is None:
        n_s, n_t = s_cells.size, N
    else:
        bounds = cells[2]
        n_s, n_t = (int((bounds[c + 1] - bounds[c]).sum()) for c in (s_cells, t_cells))
    return n_s * n_t * pair + n_s * min(k_max, n_t) * _KEPT_BYTES


def _cell_batches(n, dim, periodic, bounds, N):
    """Batches of source cells with the cells their neurons can reach (their neighbours within one cell)."""
    per_cell = max(N / n**dim, 1.0)
    if dim == 1:
        width = max(1, min(n - 2, int(_BLOCK_PAIRS / (per_cell * per_cell * 3)) or 1))
        for x0 in range(0, n, width):
            xs = np.arange(x0, min(x0 + width, n))
            reach = np.arange(x0 - 1, min(x0 + width, n) + 1)
            if periodic:
                reach = np.unique(reach % n)
            else:
                reach = reach[(reach >= 0) & (reach < n)]
            yield xs, reach
        return
    width = max(1, min(n - 2, int(_BLOCK_PAIRS / (per_cell * per_cell * 9)) or 1))
    for y in range(n):
        rows = np.array([y - 1, y, y + 1])
        rows = np.unique(rows % n) if periodic else rows[(rows >= 0) & (rows < n)]
        for x0 in range(0, n, width):
            xs = np.arange(x0, min(x0 + width, n))
            cols = np.arange(x0 - 1, min(x0 + width, n) + 1)
            cols = np.unique(cols % n) if periodic else cols[(cols >= 0) & (cols < n)]
            yield y * n + xs, (rows[:, None] * n + cols[None, :]).ravel()


def distance_weights(sheet: Sheet, g) -> Connectivity:
    """All-to-all coupling with w_ij = g(|x(i) − x(j)|) (self-coupling excluded): N(N − 1) synapses.

    Built source block by source block, so memory is the synapses themselves (12 bytes each)
    plus one block of distances.
    """
    check_instance("sheet", sheet, Sheet, "a Sheet, e.g. Sheet.grid(30)")
    if not callable(g):
        raise TypeError(f"g = {g!r} must be a function of distance (mm) returning a weight")
    N = sheet.N
    n_syn = N * (N - 1)
    rows = max(1, _BLOCK_PAIRS // N)
    # the synapses, and one block: its distances (with the temporaries of computing them and of the
    # rule, as for distance_connectivity), the mask and the kept weights
    require_memory(
        connectivity_memory(n_syn, scratch=rows * N * (_PAIR_BYTES + 8)),
        f"distance-weighted all-to-all coupling of {N} neurons ({n_syn:.3g} synapses)",
        "use fewer neurons",
    )
    targets, weights = np.empty(n_syn, dtype=np.int32), np.empty(n_syn)
    all_t = np.arange(N, dtype=np.int32)
    for start in range(0, N, rows):
        stop = min(start + rows, N)
        d = _dist(sheet.positions[start:stop], sheet.positions, sheet.L, sheet.periodic)
        try:
            w = np.asarray(g(d), dtype=float)
        except Exception as exc:
            raise ValueError(f"the weight rule could not be evaluated on distances: {exc}") from exc
        if w.shape != d.shape or not np.all(np.isfinite(w)):
            raise ValueError("the weight rule must return one finite value per distance")
        keep = np.ones(d.shape, dtype=bool)
        j = np.arange(start, stop)
        keep[j - start, j] = False
        a, b = start * (N - 1), stop * (N - 1)
        targets[a:b] = np.broadcast_to(all_t, d.shape)[keep]
        weights[a:b] = w[keep]
    indptr = np.arange(N + 1, dtype=np.int64) * (N - 1)
    return Connectivity(indptr, targets, weights, N, N, "distance_weights")


def pair_distances(sheet: Sheet, max_pairs: int = 20_000_000) -> np.ndarray:
    """Distances of all ordered pairs i ≠ j (mm), for small sheets."""
    check_instance("sheet", sheet, Sheet, "a Sheet")
    max_pairs = check_int("max_pairs", max_pairs)
    N = sheet.N
    if N * N > max_pairs:
        raise ValueError(f"{N * N} pairs is more than max_pairs = {max_pairs}; use a smaller sheet")
    require_memory(17.0 * N * N, f"the distances of {N * N} pairs", "use a smaller sheet")
    d = _dist(sheet.positions, sheet.positions, sheet.L, sheet.periodic)
    return d[~np.eye(N, dtype=bool)]


def realised_probability(sheet: Sheet, conn: Connectivity, edges):
    """Fraction of pairs connected in each distance bin, with the number of pairs per bin.

    Returns ``(centres, fraction, n_pairs, n_links)``; under a probabilistic rule the
    number of links in a bin is Binomial(n_pairs, P) to the extent P is constant in the bin.
    The pairs are counted block by block: no N × N array is formed.
    """
    check_instance("sheet", sheet, Sheet, "a Sheet")
    check_instance("conn", conn, Connectivity, "a Connectivity")
    if conn.n_source != sheet.N or conn.n_target != sheet.N:
        raise ValueError(f"conn connects {conn.n_source} → {conn.n_target} neurons; the sheet has {sheet.N}")
    edges = check_array("edges", edges, spec="distance")
    if edges.size < 2 or np.any(np.diff(edges) <= 0):
        raise ValueError("edges must be an increasing array of at least two distances (mm)")
    N = sheet.N
    n_pairs = np.zeros(edges.size - 1, dtype=np.int64)
    rows = max(1, _BLOCK_PAIRS // N)
    for start in range(0, N, rows):
        stop = min(start + rows, N)
        d = _dist(sheet.positions[start:stop], sheet.positions, sheet.L, sheet.periodic)
        j = np.arange(start, stop)
        d[j - start, j] = -1.0  # i = j is not a pair
        n_pairs += np.histogram(d, edges)[0]
    d_links = _dist_pairs(sheet, conn.sources(), conn.targets)
    n_links = np.histogram(d_links, edges)[0]
    with np.errstate(invalid="ignore", divide="ignore"):
        frac = np.where(n_pairs > 0, n_links / np.maximum(n_pairs, 1), np.nan)
    return (edges[:-1] + edges[1:]) / 2, frac, n_pairs, n_links


def expected_probability(sheet: Sheet, rule, edges):
    """What ``rule`` predicts for :func:`realised_probability`: per distance bin the mean P over its pairs, and
    per neuron the mean and variance of its in-degree (a sum of independent Bernoulli(P(d_ij)), j ≠ i).

    Returns ``(fraction, k_mean, k_var)``, the last two of shape (N,). The distances are those
    :func:`realised_probability` bins, computed block by block: no N × N array is formed.
    """
    check_instance("sheet", sheet, Sheet, "a Sheet")
    if not callable(rule):
        raise TypeError(f"rule = {rule!r} must be a probability rule or a function of distance (mm)")
    edges = check_array("edges", edges, spec="distance")
    if edges.size < 2 or np.any(np.diff(edges) <= 0):
        raise ValueError("edges must be an increasing array of at least two distances (mm)")
    N = sheet.N
    n_pairs, P_sum = np.zeros(edges.size - 1, dtype=np.int64), np.zeros(edges.size - 1)
    k_mean, k_var = np.zeros(N), np.zeros(N)
    rows = max(1, _BLOCK_PAIRS // N)
    for start in range(0, N, rows):
        stop = min(start + rows, N)
        d = _dist(sheet.positions[start:stop], sheet.positions, sheet.L, sheet.periodic)
        P = np.asarray(rule(d), dtype=float)
        j = np.arange(start, stop)
        d[j - start, j], P[j - start, j] = -1.0, 0.0  # i = j is not a pair
        n_pairs += np.histogram(d, edges)[0]
        P_sum += np.histogram(d, edges, weights=P)[0]
        k_mean += P.sum(axis=0)  # P is symmetric in i and j: a column sum is a row sum
        k_var += (P * (1 - P)).sum(axis=0)
    return P_sum / np.maximum(n_pairs, 1), k_mean, k_var


def _dist_pairs(sheet, i, j):
    d = np.abs(sheet.positions[i] - sheet.positions[j])
    if sheet.periodic:
        d = np.minimum(d, sheet.L - d)
    return np.sqrt(np.sum(d * d, axis=-1))
