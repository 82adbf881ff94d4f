"""Synapse lists: who connects to whom, with which weight, stored by source (CSR).

A :class:`Connectivity` holds the synapses from a source group to a target group in
compressed sparse rows *by source*: the targets of source ``j`` are
``targets[indptr[j]:indptr[j+1]]`` with weights ``weights[...]``. The engine delivers a
spike of ``j`` to exactly those targets, so a step costs time in proportion to the
synapses of the neurons that fired, never N². The builders with their scaling laws are in
:mod:`nmteach.wiring`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .._params import check_array, check_instance, check_int, require_memory

__all__ = ["SYNAPSE_BYTES", "Connectivity", "from_pairs"]

#: bytes per stored synapse (int32 target + float64 weight)
SYNAPSE_BYTES = 12


@dataclass(frozen=True, eq=False)
class Connectivity:
    """Synapses from ``n_source`` to ``n_target`` neurons, stored by source (CSR).

    Attributes
    ----------
    indptr : ndarray of int64, shape (n_source + 1,)
        Non-decreasing, from 0 to the number of synapses.
    targets : ndarray of int32, shape (nnz,)
    weights : ndarray of float64, shape (nnz,)
        Finite, dimensionless.
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
        n_source = check_int("n_source", self.n_source)
        n_target = check_int("n_target", self.n_target)
        indptr = check_array("indptr", self.indptr, integer=True, length=n_source + 1)
        targets = check_array("targets", self.targets, integer=True)
        weights = check_array("weights", self.weights, spec="weight", length=len(targets))
        if indptr[0] != 0 or indptr[-1] != len(targets):
            raise ValueError(
                f"indptr must start at 0 and end at the number of synapses {len(targets)}; "
                f"it runs from {indptr[0]} to {indptr[-1]}"
            )
        if np.any(np.diff(indptr) < 0):
            raise ValueError("indptr must not decrease: out-degrees indptr[j+1] − indptr[j] are counts, ≥ 0")
        if len(targets) and (targets.min() < 0 or targets.max() >= n_target):
            raise ValueError(
                f"targets must lie in [0, {n_target - 1}]; they run from {targets.min()} to {targets.max()}"
            )
        check_instance("rule", self.rule, str, "a string describing how the synapses were built")
        object.__setattr__(self, "n_source", n_source)
        object.__setattr__(self, "n_target", n_target)
        object.__setattr__(self, "indptr", indptr)
        object.__setattr__(self, "targets", targets.astype(np.int32, copy=False))
        object.__setattr__(self, "weights", np.ascontiguousarray(weights))

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

    def scaled(self, factor: float) -> Connectivity:
        """The same synapses with every weight multiplied by ``factor``."""
        factor = check_array("factor", factor, ndim=0, spec="weight")
        return Connectivity(
            self.indptr,
            self.targets,
            self.weights * float(factor),
            self.n_source,
            self.n_target,
            f"{float(factor):g} × {self.rule or 'custom'}",
        )

    def to_dense(self) -> np.ndarray:
        """The weight matrix W[i, j] (target i, source j); only for small networks."""
        require_memory(
            8.0 * self.n_source * self.n_target,
            f"a dense {self.n_target}×{self.n_source} weight matrix",
            "use the sparse form",
        )
        W = np.zeros((self.n_target, self.n_source))
        np.add.at(W, (self.targets, self.sources()), self.weights)
        return W

    def __repr__(self) -> str:
        return f"Connectivity({self.rule or 'custom'}: {self.n_source} → {self.n_target}, {self.nnz} synapses)"


def from_pairs(sources, targets, weights, n_source: int, n_target: int, rule: str = "") -> Connectivity:
    """Build a :class:`Connectivity` from parallel arrays of (source, target, weight).

    ``weights`` is one number for all synapses or one per pair. Sorting by source uses a
    stable counting sort, so synapses of one source keep their order.
    """
    n_source = check_int("n_source", n_source)
    n_target = check_int("n_target", n_target)
    sources = check_array("sources", sources, integer=True)
    targets = check_array("targets", targets, integer=True)
    if len(sources) != len(targets):
        raise ValueError(f"sources has {len(sources)} entries and targets {len(targets)}; give one source per target")
    w = check_array("weights", weights, ndim=None, spec="weight")
    if w.ndim not in (0, 1) or (w.ndim == 1 and len(w) != len(targets)):
        raise ValueError(f"weights must be one number or one per synapse ({len(targets)}); got shape {w.shape}")
    if len(sources) and (sources.min() < 0 or sources.max() >= n_source):
        raise ValueError(f"sources must lie in [0, {n_source - 1}]; they run from {sources.min()} to {sources.max()}")
    if len(targets) and (targets.min() < 0 or targets.max() >= n_target):
        raise ValueError(f"targets must lie in [0, {n_target - 1}]; they run from {targets.min()} to {targets.max()}")
    order = np.argsort(sources, kind="stable")
    counts = np.bincount(sources, minlength=n_source)
    indptr = np.zeros(n_source + 1, dtype=np.int64)
    np.cumsum(counts, out=indptr[1:])
    w_sorted = np.full(len(targets), float(w)) if w.ndim == 0 else w[order]
    return Connectivity(indptr, targets[order].astype(np.int32), w_sorted, n_source, n_target, rule)
