"""Connectivity schemes and their scaling laws (the notes' "Connectivity schemes and scaling").

A :class:`Connectivity` holds the synapses from a source group to a target group
in compressed sparse rows *by source* (CSR): the targets of source ``j`` are
``targets[indptr[j]:indptr[j+1]]`` with weights ``weights[...]``. The engine
delivers a spike of ``j`` to exactly those targets, so a step costs time in
proportion to the synapses of the neurons that fired, never N².

Scaling laws built in (w_ij is dimensionless; the input it causes is w_ij q):

=============================  ===================================  =====================
builder                        weights                              in-degree
=============================  ===================================  =====================
:func:`all_to_all`             w = J0/N                              N
:func:`gaussian_all_to_all`    w ~ Normal(J0/N, (σ0/√N)²)            N
:func:`fixed_probability`      w = J0/(pN)                           Binomial(N, p)
:func:`fixed_in_degree`        w = J0/C, C = pN                      C exactly
:func:`fixed_out_degree`       w = J0/C, C = pN                      mean C
:func:`balanced`               w = ±J0/√(pN) (E positive, I negative)  Binomial(N, p)
=============================  ===================================  =====================

With these laws the mean summed weight Σ_j w_ij = J0 does not change with N.
(The notes call J0 "the number of neurons before scaling"; it is the total
coupling strength a neuron receives, J0 = Σ_j w_ij.)
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ._params import check, check_int

__all__ = [
    "Connectivity",
    "all_to_all",
    "balanced",
    "fixed_in_degree",
    "fixed_out_degree",
    "fixed_probability",
    "from_pairs",
    "gaussian_all_to_all",
]

#: bytes per stored synapse (int32 target + float64 weight)
SYNAPSE_BYTES = 12


@dataclass(frozen=True, eq=False)
class Connectivity:
    """Synapses from ``n_source`` to ``n_target`` neurons, stored by source (CSR).

    Attributes
    ----------
    indptr : ndarray of int64, shape (n_source + 1,)
    targets : ndarray of int32, shape (nnz,)
    weights : ndarray of float64, shape (nnz,)
    rule : str
        How it was built, e.g. ``"fixed_probability(p=0.1, J0=2)"``.
    """

    indptr: np.ndarray
    targets: np.ndarray
    weights: np.ndarray
    n_source: int
    n_target: int
    rule: str = field(default="")

    def __post_init__(self):
        if self.indptr.shape != (self.n_source + 1,) or self.indptr[0] != 0 or self.indptr[-1] != len(self.targets):
            raise ValueError("indptr must have n_source + 1 entries, start at 0 and end at the number of synapses")
        if len(self.weights) != len(self.targets):
            raise ValueError("weights and targets must have the same length")
        if len(self.targets) and (self.targets.min() < 0 or self.targets.max() >= self.n_target):
            raise ValueError(f"targets must lie in [0, {self.n_target - 1}]")

    @property
    def nnz(self) -> int:
        """Number of synapses."""
        return len(self.targets)

    def out_degree(self) -> np.ndarray:
        return np.diff(self.indptr)

    def in_degree(self) -> np.ndarray:
        return np.bincount(self.targets, minlength=self.n_target)

    def summed_weights(self) -> np.ndarray:
        """Σ_j w_ij for every target i: the total coupling J_i each neuron receives."""
        return np.bincount(self.targets, weights=self.weights, minlength=self.n_target)

    def sources(self) -> np.ndarray:
        """The source index of every synapse (same order as ``targets``)."""
        return np.repeat(np.arange(self.n_source, dtype=np.int32), self.out_degree())

    def to_dense(self) -> np.ndarray:
        """The weight matrix W[i, j] (target i, source j); only for small networks."""
        if self.n_source * self.n_target > 25_000_000:
            raise ValueError(f"a dense {self.n_target}×{self.n_source} matrix is too large; use the sparse form")
        W = np.zeros((self.n_target, self.n_source))
        np.add.at(W, (self.targets, self.sources()), self.weights)
        return W

    def __repr__(self) -> str:
        return f"Connectivity({self.rule or 'custom'}: {self.n_source} → {self.n_target}, {self.nnz} synapses)"


def _budget_check(n_synapses: float, what: str) -> None:
    from .population import MEMORY_BUDGET

    need = n_synapses * SYNAPSE_BYTES
    if need > MEMORY_BUDGET:
        raise ValueError(
            f"{what} would hold about {n_synapses:.3g} synapses ({need / 1e6:.0f} MB), more than the memory budget of "
            f"{MEMORY_BUDGET / 1e6:.0f} MB: use fewer neurons or a smaller connection probability"
        )


def from_pairs(sources, targets, weights, n_source: int, n_target: int, rule: str = "") -> Connectivity:
    """Build a :class:`Connectivity` from parallel arrays of (source, target, weight)."""
    sources = np.asarray(sources)
    targets = np.asarray(targets, dtype=np.int32)
    weights = np.broadcast_to(np.asarray(weights, dtype=float), targets.shape)
    if len(sources) and (sources.min() < 0 or sources.max() >= n_source):
        raise ValueError(f"sources must lie in [0, {n_source - 1}]")
    key = sources.astype(np.uint16) if n_source <= 65536 else sources  # uint16 keys sort in linear time
    order = np.argsort(key, kind="stable")
    counts = np.bincount(sources, minlength=n_source)
    indptr = np.zeros(n_source + 1, dtype=np.int64)
    np.cumsum(counts, out=indptr[1:])
    return Connectivity(indptr, targets[order], np.ascontiguousarray(weights[order]), n_source, n_target, rule)


def _rng(rng) -> np.random.Generator:
    from .population import _resolve_rng

    return _resolve_rng(rng)


def _sizes(N, n_source):
    N = check_int("N", N)
    n_source = N if n_source is None else check_int("N", n_source, label="n_source")
    return N, n_source


def all_to_all(N: int, J0: float, *, n_source: int | None = None, autapses: bool = True) -> Connectivity:
    """Every source to every target with w = J0/N_source (stored explicitly: for small N only).

    For large homogeneous populations use :class:`nmteach.Population`, which needs no synapse list.
    """
    N, n_source = _sizes(N, n_source)
    J0 = check("J0", J0)
    _budget_check(N * n_source, "all-to-all coupling")
    src, tgt = np.divmod(np.arange(N * n_source, dtype=np.int64), N)
    if not autapses:
        keep = src != tgt
        src, tgt = src[keep], tgt[keep]
    partners = n_source if autapses else max(n_source - 1, 1)
    w = J0 / partners
    return from_pairs(src, tgt, w, n_source, N, f"all_to_all(J0={J0:g})")


def gaussian_all_to_all(
    N: int, J0: float, sigma0: float, *, rng=None, n_source: int | None = None, autapses: bool = True
) -> Connectivity:
    """All-to-all with Gaussian weights: mean J0/N, standard deviation σ0/√N.

    The summed weight Σ_j w_ij of each neuron is then Normal(J0, σ0²) *for every N*:
    its spread across neurons does not shrink as the network grows.
    """
    N, n_source = _sizes(N, n_source)
    J0 = check("J0", J0)
    sigma0 = check("J0", sigma0, label="sigma0")
    if sigma0 < 0:
        raise ValueError(f"sigma0 = {sigma0} must be ≥ 0")
    _budget_check(N * n_source, "Gaussian all-to-all coupling")
    g = _rng(rng)
    src, tgt = np.divmod(np.arange(N * n_source, dtype=np.int64), N)
    if not autapses:
        keep = src != tgt
        src, tgt = src[keep], tgt[keep]
    w = g.normal(J0 / n_source, sigma0 / math.sqrt(n_source), len(src))
    return from_pairs(src, tgt, w, n_source, N, f"gaussian_all_to_all(J0={J0:g}, sigma0={sigma0:g})")


def _check_p(p):
    p = float(p)
    if not 0 < p <= 1:
        raise ValueError(f"p = {p} is out of range: the connection probability must lie in (0, 1]")
    return p


def _bernoulli_pairs(n_source, n_target, p, g, autapses):
    """All pairs (j, i) kept with probability p, by geometric skips over the n_source·n_target grid."""
    total = n_source * n_target
    expected = p * total
    _budget_check(expected + 6 * math.sqrt(expected + 1), "this connectivity")
    if p == 1.0:
        pos = np.arange(total, dtype=np.int64)
    else:
        chunks, start = [], -1
        while True:
            n = int(expected - (start + 1) * p + 6 * math.sqrt(expected) + 100)
            gaps = g.geometric(p, size=max(n, 100))
            pos = start + np.cumsum(gaps, dtype=np.int64)
            chunks.append(pos[pos < total])
            if pos[-1] >= total:
                break
            start = int(pos[-1])
        pos = np.concatenate(chunks)
    src, tgt = np.divmod(pos, n_target)
    if not autapses:
        keep = src != tgt
        src, tgt = src[keep], tgt[keep]
    return src, tgt


def fixed_probability(
    N: int, p: float, J0: float, *, rng=None, n_source: int | None = None, autapses: bool = True
) -> Connectivity:
    """Each pair connected independently with probability p, w = J0/(pN).

    In-degrees are Binomial(N, p): mean pN, variance p(1 − p)N; the summed weight has
    mean J0 and coefficient of variation √((1 − p)/(pN)).
    """
    N, n_source = _sizes(N, n_source)
    p = _check_p(p)
    J0 = check("J0", J0)
    src, tgt = _bernoulli_pairs(n_source, N, p, _rng(rng), autapses)
    return from_pairs(src, tgt, J0 / (p * n_source), n_source, N, f"fixed_probability(p={p:g}, J0={J0:g})")


def _check_degree(C, n):
    C = check_int("N", C, label="C")
    if C > n:
        raise ValueError(f"C = {C} must not exceed the number of candidate partners {n}")
    return C


def fixed_in_degree(
    N: int, C: int, J0: float, *, rng=None, n_source: int | None = None, multapses: bool = True
) -> Connectivity:
    """Every target receives exactly C inputs, w = J0/C (so Σ_j w_ij = J0 exactly).

    Sources are drawn at random; with ``multapses=True`` (NEST's default) a pair may be
    drawn twice, otherwise the C sources of a target are distinct.
    """
    N, n_source = _sizes(N, n_source)
    C = _check_degree(C, n_source)
    J0 = check("J0", J0)
    _budget_check(N * C, "this connectivity")
    g = _rng(rng)
    if multapses:
        src = g.integers(0, n_source, size=N * C)
    else:
        src = np.concatenate([g.choice(n_source, C, replace=False) for _ in range(N)])
    tgt = np.repeat(np.arange(N, dtype=np.int32), C)
    return from_pairs(src, tgt, J0 / C, n_source, N, f"fixed_in_degree(C={C}, J0={J0:g})")


def fixed_out_degree(N: int, C: int, J0: float, *, rng=None, n_source: int | None = None) -> Connectivity:
    """Every source sends exactly C outputs to distinct targets (the notes' alternative).

    The mean in-degree is C·n_source/N (= C for one group); weights are J0 divided by
    it, so the mean summed weight is J0 while in-degrees still vary from neuron to neuron.
    """
    N, n_source = _sizes(N, n_source)
    C = _check_degree(C, N)
    J0 = check("J0", J0)
    _budget_check(n_source * C, "this connectivity")
    g = _rng(rng)
    tgt = (
        np.concatenate([g.choice(N, C, replace=False) for _ in range(n_source)])
        if C < N
        else np.tile(np.arange(N), n_source)
    )
    src = np.repeat(np.arange(n_source), C)
    mean_in = C * n_source / N
    return from_pairs(src, tgt, J0 / mean_in, n_source, N, f"fixed_out_degree(C={C}, J0={J0:g})")


def balanced(
    N: int,
    p: float,
    J0: float,
    *,
    fraction_excitatory: float = 0.5,
    scaling: str = "sqrt",
    rng=None,
    n_target: int | None = None,
) -> Connectivity:
    """A balanced E/I population: each pair connected with probability p; excitatory sources
    (the first ``fraction_excitatory·N``) have w = +J0/s, inhibitory ones w = −g·J0/s with
    g = N_E/N_I, so the mean summed weight is zero.

    ``scaling="sqrt"`` uses s = √(pN) (the notes' balanced scaling: input fluctuations stay
    constant as N grows); ``scaling="linear"`` uses s = pN (fluctuations vanish as 1/√(pN)).
    """
    N = check_int("N", N)
    p = _check_p(p)
    J0 = check("J0", J0)
    if not 0 < fraction_excitatory < 1:
        raise ValueError(f"fraction_excitatory = {fraction_excitatory} must lie in (0, 1)")
    if scaling not in ("sqrt", "linear"):
        raise ValueError(f"scaling = {scaling!r} must be 'sqrt' or 'linear'")
    NE = round(fraction_excitatory * N)
    if NE in (0, N):
        raise ValueError(f"N = {N} is too small to hold both excitatory and inhibitory neurons")
    n_target = N if n_target is None else check_int("N", n_target, label="n_target")
    s = math.sqrt(p * N) if scaling == "sqrt" else p * N
    g_ratio = NE / (N - NE)
    src, tgt = _bernoulli_pairs(N, n_target, p, _rng(rng), True)
    w = np.where(src < NE, J0 / s, -g_ratio * J0 / s)
    return from_pairs(src, tgt, w, N, n_target, f"balanced(p={p:g}, J0={J0:g}, scaling={scaling})")
