"""How spikes reach their targets: one object per projection, each owning its state and its step.

A spike emitted during step k reaches its targets at the grid point t_{k+1} (plus the
delay D steps). Between grid points every kernel with a state (``dz/dt = M z``, α = c·z)
is integrated exactly together with the membrane: over one step the filter state z_k adds
``rows · z_k`` to the membrane (``rows`` from the exponential of the joint linear system)
and becomes ``E z_k``, E = exp(M dt). A delta kernel instead makes the membrane jump by
R q w / τ_m at the grid point.

Kinds, chosen once at set-up:

* :class:`AllToAllFilter`, :class:`AllToAllDelta`: w_ij = J/N_source for every pair, so all
  targets receive the same input and one filter (or one count) per projection suffices:
  O(1) per step plus O(N_target) for adding it. Without autapses each target neuron also
  keeps its own filter of its own spikes, which it subtracts.
* :class:`SparseFilter`, :class:`SparseDelta`: a :class:`nmteach.Connectivity`; the spikes of
  a step are gathered from the CSR arrays of the neurons that fired and accumulated per
  target with one ``bincount`` into a delay ring.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

import numpy as np

from ..model.kernels import DeltaKernel, Kernel, _expm, _step_average
from ..model.network import Projection
from .neurons import NeuronArrays, at, compact

__all__ = [
    "AllToAllDelta",
    "AllToAllFilter",
    "DeliveryTarget",
    "SparseDelta",
    "SparseFilter",
    "make_projection",
    "membrane_rows",
]


class DeliveryTarget(ABC):
    """The interface of a projection in the time loop.

    ``arrive(k, u)`` takes in the spikes due at t_k: jumps of ``u`` now (returns True) or an
    increment of the filter state (returns False); ``add_drive(drive)`` adds the membrane
    change the filter state causes over step k and advances it (returns the drive);
    ``deliver(idx, k)`` schedules the spikes of step k of the flat neuron indices ``idx``
    (a neuron that fired twice appears twice). ``I_rec[k]`` is the mean recurrent current
    (nA) a target neuron receives in step k.
    """

    target: int  # index of the target group
    jumps: bool  # whether arrive() can move membranes

    @abstractmethod
    def arrive(self, k: int, u: np.ndarray) -> bool: ...

    def add_drive(self, drive):
        return drive

    @abstractmethod
    def deliver(self, idx: np.ndarray, k: int) -> None: ...


def membrane_rows(tau, R, kernel: Kernel, dt: float, n: int | None = None):
    """Per target neuron: the membrane change per unit of filter state over one step, shape (n, d).

    The last row of exp(dt · [[M, 0], [R c/τ, −1/τ]]): the exact response of u to z. ``tau`` and
    ``R`` are floats (the same for all ``n`` targets) or arrays over the targets.
    """
    M, b, c = kernel.state_space()
    d = len(b)
    n = max(np.size(tau), np.size(R), 1 if n is None else n)
    tau, R = compact(tau), compact(R)
    if d == 0:
        return np.zeros((n, 0))
    if isinstance(tau, float) and isinstance(R, float):  # one row for every target: no per-neuron work
        pairs = np.array([[tau, R]])
    else:
        pairs = np.unique(np.stack(np.broadcast_arrays(tau, R), axis=1), axis=0)
    big = np.zeros((len(pairs), d + 1, d + 1))
    big[:, :d, :d] = M
    big[:, d, :d] = pairs[:, 1:2] * c[None, :] / pairs[:, 0:1]
    big[:, d, d] = -1.0 / pairs[:, 0]
    rows = _expm(big * dt)[:, d, :d]
    if len(pairs) == 1:
        return np.broadcast_to(rows, (n, d))
    lookup = {tuple(pr): r for pr, r in zip(pairs.tolist(), rows, strict=True)}
    tt, rr = np.broadcast_arrays(tau, R)
    return np.array([lookup[(a, b_)] for a, b_ in zip(tt.tolist(), rr.tolist(), strict=True)])


class _Base(DeliveryTarget):
    def __init__(self, p: Projection, src: slice, tgt: slice, target: int, single: bool, dt: float, I_rec, N: int):
        self.src, self.ts, self.target, self.single, self.dt, self.N = src, tgt, target, single, dt, N
        self.D = round(p.delay / dt)
        self.n_slots = self.D + 2
        self.I_rec = I_rec  # the target group's row of the recurrent-input record
        self.q = p.kernel.q

    def _local(self, idx):
        """The source-local indices of the spikes in ``idx`` (flat numbering)."""
        if self.single:
            return idx
        s = self.src
        return idx[(idx >= s.start) & (idx < s.stop)] - s.start


class AllToAllFilter(_Base):
    """w_ij = J/N_source to every target through a kernel with a state: one filter for all."""

    jumps = False

    def __init__(self, p, src, tgt, target, single, dt, I_rec, N, par: NeuronArrays):
        super().__init__(p, src, tgt, target, single, dt, I_rec, N)
        n_src, self.n_tgt = src.stop - src.start, tgt.stop - tgt.start
        self.w = p.J / n_src
        M, b, c = p.kernel.state_space()
        self.d = len(b)
        E = p.kernel.propagator(dt)
        self.E = E.tolist()  # small Python lists: cheaper than numpy for d ≤ 2
        self.b = b
        self.bw = (b * self.w).tolist()
        self.c_avg = (c @ _step_average(M, dt)).tolist()  # current averaged over the step, per unit state
        rows = membrane_rows(_part(par.tau_m, tgt), _part(par.R, tgt), p.kernel, dt, tgt.stop - tgt.start)
        self.uniform_rows = bool(np.all(rows == rows[0]))
        self.rows = rows[0].tolist() if self.uniform_rows else np.ascontiguousarray(rows)
        self.z = [0.0] * self.d
        self.ring = [0] * self.n_slots
        # mean over targets of what they receive: without autapses a neuron misses its own share 1/N
        self.share = 1.0 if p.autapses else (self.n_tgt - 1) / self.n_tgt
        self.own = None if p.autapses else _OwnFilter(self, rows, E)

    def arrive(self, k, u):
        slot = k % self.n_slots
        n = self.ring[slot]
        z = self.z
        if n:
            self.ring[slot] = 0
            for i in range(self.d):
                z[i] += self.bw[i] * n
        cur = 0.0
        for i in range(self.d):
            cur += self.c_avg[i] * z[i]
        self.I_rec[k] += cur * self.share
        if self.own is not None:
            self.own.arrive(slot)
        return False

    def add_drive(self, drive):
        z, d = self.z, self.d
        if self.uniform_rows:
            syn = 0.0
            for i in range(d):
                syn += self.rows[i] * z[i]
        else:
            syn = self.rows @ np.array(z)
        if self.single and not isinstance(syn, np.ndarray) and self.own is None:
            drive = drive + syn
        else:
            if isinstance(drive, float):
                drive = np.full(self.N, drive)
            drive[self.ts] += syn
            if self.own is not None:
                drive[self.ts] -= self.own.drive()
        E = self.E
        self.z = [sum(E[i][j] * z[j] for j in range(d)) for i in range(d)]
        return drive

    def deliver(self, idx, k):
        local = self._local(idx)
        if local.size:
            slot = (k + 1 + self.D) % self.n_slots
            self.ring[slot] += local.size
            if self.own is not None:
                self.own.schedule(slot, local)


class _OwnFilter:
    """Each target neuron's filter of its own spikes, subtracted when autapses are excluded."""

    def __init__(self, proj: AllToAllFilter, rows, E):
        self.proj = proj
        self.state = np.zeros((proj.n_tgt, proj.d))
        self.bw = proj.b * proj.w
        self.rows = rows[0].copy() if proj.uniform_rows else np.ascontiguousarray(rows)
        self.Et = E.T.copy()
        self.ring = [None] * proj.n_slots

    def schedule(self, slot, local):
        prev = self.ring[slot]
        self.ring[slot] = local if prev is None else np.concatenate([prev, local])

    def arrive(self, slot):
        own = self.ring[slot]
        if own is not None:
            self.ring[slot] = None
            np.add.at(self.state, own, self.bw)

    def drive(self):
        out = self.state @ self.rows if self.rows.ndim == 1 else np.einsum("nd,nd->n", self.state, self.rows)
        self.state = self.state @ self.Et
        return out


class AllToAllDelta(_Base):
    """w_ij = J/N_source to every target, delta kernel: every target jumps by R q w/τ_m per spike."""

    jumps = True

    def __init__(self, p, src, tgt, target, single, dt, I_rec, N, par: NeuronArrays):
        super().__init__(p, src, tgt, target, single, dt, I_rec, N)
        n_src, self.n_tgt = src.stop - src.start, tgt.stop - tgt.start
        self.w = p.J / n_src
        self.jump = compact(_part(par.R, tgt) * p.kernel.q / _part(par.tau_m, tgt) * self.w)
        self.ring = [0] * self.n_slots
        self.own_ring = None if p.autapses else [None] * self.n_slots
        self.share = 1.0 if p.autapses else (self.n_tgt - 1) / self.n_tgt

    def arrive(self, k, u):
        slot = k % self.n_slots
        n = self.ring[slot]
        if not n:
            return False
        self.ring[slot] = 0
        self.I_rec[k] += self.w * self.q * n / self.dt * self.share
        if self.single:
            u += self.jump * n
        else:
            u[self.ts] += self.jump * n
        if self.own_ring is not None and self.own_ring[slot] is not None:
            own = self.own_ring[slot]
            self.own_ring[slot] = None
            np.subtract.at(u, own + self.ts.start, at(self.jump, own))
        return True

    def deliver(self, idx, k):
        local = self._local(idx)
        if local.size:
            slot = (k + 1 + self.D) % self.n_slots
            self.ring[slot] += local.size
            if self.own_ring is not None:
                prev = self.own_ring[slot]
                self.own_ring[slot] = local if prev is None else np.concatenate([prev, local])


#: synapses gathered at once in a step's delivery (at least one source's, and at least the number of
#: targets, so that the per-part bincount over the targets costs no more than the part itself)
GATHER = 1 << 16


def gather_size(n_target: int) -> int:
    """Synapses a sparse delivery gathers at once for a target group of ``n_target`` neurons."""
    return max(GATHER, n_target)


class _Sparse(_Base):
    """The CSR gather shared by the sparse kinds: per-target sums of the weights of step k's spikes."""

    def __init__(self, p, src, tgt, target, single, dt, I_rec, N, scale):
        super().__init__(p, src, tgt, target, single, dt, I_rec, N)
        conn = p.connectivity
        self.n_tgt = conn.n_target
        self.targets = conn.targets
        self.ip = conn.indptr.tolist()
        w = conn.weights
        first = np.zeros(conn.n_source)
        uniform = per_source = False
        if conn.nnz:
            uniform = bool(w.min() == w.max())
            nonempty = np.flatnonzero(np.diff(conn.indptr) > 0)
            starts = conn.indptr[nonempty]
            hi, lo = np.maximum.reduceat(w, starts), np.minimum.reduceat(w, starts)
            first[nonempty] = hi  # the weight of each source, where it has one
            per_source = not uniform and bool(np.all(hi == lo))
        # uniform and per-source weights are pre-multiplied by the scale; per-synapse weights are
        # not copied: their ring holds weights and arrive() multiplies by the scale
        self.w_uniform = float(w[0]) * scale if uniform else None
        self.w_source = first * scale if per_source else None
        self.weights = w if not (uniform or per_source) else None
        self.scale = scale
        self.post_scale = None if (uniform or per_source or scale == 1.0) else scale
        self.ring = np.zeros((self.n_slots, self.n_tgt))
        self.totals = [0.0] * self.n_slots  # summed weight w_ij delivered per slot (for I_rec)
        self.pending = [0] * self.n_slots  # spikes delivered per slot
        self.max_degree = max(1, int(np.diff(conn.indptr).max())) if conn.n_source else 1
        self.gather = gather_size(self.n_tgt)

    def deliver(self, idx, k):
        local = self._local(idx)
        if not local.size:
            return
        slot = (k + 1 + self.D) % self.n_slots
        self.pending[slot] += local.size
        # a volley is gathered a part at a time: its temporaries stay below GATHER synapses
        step = max(1, self.gather // self.max_degree)
        for start in range(0, local.size, step):
            self._gather(local[start : start + step], slot)

    def _gather(self, local, slot):
        ip = self.ip
        spans = [(ip[j], ip[j + 1]) for j in local.tolist()]
        tg = np.concatenate([self.targets[a:b] for a, b in spans])
        if not tg.size:
            return
        if self.w_uniform is not None:
            add = np.bincount(tg, minlength=self.n_tgt)
            self.ring[slot] += add * self.w_uniform if self.w_uniform != 1.0 else add
            self.totals[slot] += tg.size * self.w_uniform / self.scale
            return
        if self.w_source is not None:  # one weight per source neuron (E/I networks)
            lens = [b - a for a, b in spans]
            w_fired = self.w_source[local]
            add = np.bincount(tg, weights=np.repeat(w_fired, lens), minlength=self.n_tgt)
            total = float(w_fired @ np.asarray(lens, dtype=float))
        else:
            wts = np.concatenate([self.weights[a:b] for a, b in spans])
            add = np.bincount(tg, weights=wts, minlength=self.n_tgt)
            total = float(wts.sum()) * self.scale
        self.ring[slot] += add
        self.totals[slot] += total / self.scale


class SparseDelta(_Sparse):
    """Sparse synapses with a delta kernel: target i jumps by R q w_ij/τ_m at the grid point."""

    jumps = True

    def __init__(self, p, src, tgt, target, single, dt, I_rec, N, par: NeuronArrays):
        unit = compact(_part(par.R, tgt) * p.kernel.q / _part(par.tau_m, tgt))
        # with one nonzero jump unit for all targets the ring holds jumps (mV) directly
        direct = isinstance(unit, float) and unit != 0.0
        super().__init__(p, src, tgt, target, single, dt, I_rec, N, unit if direct else 1.0)
        self.unit = None if direct else unit

    def arrive(self, k, u):
        slot = k % self.n_slots
        if not self.pending[slot]:
            return False
        self.pending[slot] = 0
        total = self.totals[slot]
        self.totals[slot] = 0.0
        inc = self.ring[slot]
        self.I_rec[k] += self.q * total / (self.n_tgt * self.dt)
        if self.post_scale is not None:
            inc *= self.post_scale
        if self.unit is not None:
            inc *= self.unit
        if self.single:
            u += inc
        else:
            u[self.ts] += inc
        inc[:] = 0.0
        return True


class SparseFilter(_Sparse):
    """Sparse synapses through a kernel with a state: one filter state per target neuron."""

    jumps = False

    def __init__(self, p, src, tgt, target, single, dt, I_rec, N, par: NeuronArrays):
        super().__init__(p, src, tgt, target, single, dt, I_rec, N, 1.0)
        M, b, c = p.kernel.state_space()
        self.b = b
        self.Et = p.kernel.propagator(dt).T.copy()
        self.c_avg = c @ _step_average(M, dt)
        rows = membrane_rows(_part(par.tau_m, tgt), _part(par.R, tgt), p.kernel, dt, tgt.stop - tgt.start)
        self.rows = rows[0].copy() if np.all(rows == rows[0]) else np.ascontiguousarray(rows)
        self.Z = np.zeros((self.n_tgt, len(b)))

    def arrive(self, k, u):
        slot = k % self.n_slots
        if self.pending[slot]:
            inc = self.ring[slot]
            self.Z += inc[:, None] * self.b[None, :]
            inc[:] = 0.0
            self.totals[slot] = 0.0
            self.pending[slot] = 0
        self.I_rec[k] += float(self.Z.sum(axis=0) @ self.c_avg) / self.n_tgt
        return False

    def add_drive(self, drive):
        Z = self.Z
        syn = Z @ self.rows if self.rows.ndim == 1 else np.einsum("nd,nd->n", Z, self.rows)
        if isinstance(drive, float):
            drive = np.full(self.N, drive)
        drive[self.ts] += syn
        self.Z = Z @ self.Et
        return drive


def _part(x, sl: slice):
    """A parameter over the neurons of ``sl``: the float itself where it is the same for all."""
    return x if isinstance(x, float) else x[sl]


def make_projection(p: Projection, net, slices, par: NeuronArrays, dt: float, I_rec) -> DeliveryTarget:
    """The object that runs projection ``p`` (its kind chosen from the kernel and the connectivity)."""
    names = [g.name for g in net.groups]
    s_i, t_i = names.index(p.source), names.index(p.target)
    single = len(net.groups) == 1
    delta = isinstance(p.kernel, DeltaKernel)
    if p.connectivity is None:
        cls = AllToAllDelta if delta else AllToAllFilter
    else:
        cls = SparseDelta if delta else SparseFilter
    return cls(p, slices[s_i], slices[t_i], t_i, single, dt, I_rec[t_i], net.N, par)
