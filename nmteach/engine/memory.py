"""What a simulation allocates, counted before it starts: the memory guard's estimate.

Every array the engine allocates is counted here, from the sizes that fix it: N neurons,
T steps, G groups, R recorded neurons, the projections' rings and filters, the Poisson
blocks, and S stored spikes (24 bytes each at the peak, :data:`BYTES_PER_SPIKE`). The
number of spikes is not known before the run: the guard refuses a run whose other arrays
exceed the budget, and the run refuses to store more spikes than the rest of the budget
holds. ``tests/test_memory.py`` checks measured peaks against these estimates.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ..model.kernels import DeltaKernel
from ..model.network import Network
from .poisson import BLOCK_VALUES, block_rows
from .spikes import BYTES_PER_SPIKE

__all__ = ["MemoryEstimate", "estimate_memory"]

#: 8-byte arrays of N values alive during the loop: 7 parameters, their uniform-or-not copies
#: (P, θ(1 − P), the two drive factors), u and u at the start of the step, the threshold scratch
_PER_NEURON_LOOP = 8 * (7 + 4 + 2 + 2) + 2
#: extra 8-byte arrays of N values alive while the set-up draws and joins the parameters
_PER_NEURON_SETUP = 8 * 10
#: white noise: the draws, the bridge scratch, and the per-neuron amplitudes where they vary
_PER_NEURON_WHITE = 8 * 6
_PER_NEURON_OU = 8 * 5
#: a Python int in a list (an entry of the CSR index pointer the delivery reads)
_PY_INT = 36


@dataclass(frozen=True)
class MemoryEstimate:
    """Bytes a simulation needs: ``total`` and its ``parts`` (name → bytes); ``spikes`` more per stored spike."""

    total: int
    parts: dict = field(default_factory=dict)
    per_spike: int = BYTES_PER_SPIKE

    def with_spikes(self, n_spikes: int) -> int:
        """The total with ``n_spikes`` spikes stored."""
        return self.total + self.per_spike * int(n_spikes)


def estimate_memory(net: Network, n_steps: int, n_record: int, dt: float, *, n_spikes: int = 0) -> MemoryEstimate:
    """Bytes of the arrays a simulation of ``net`` for ``n_steps`` steps allocates.

    Synapses already exist (their builder checked the budget) and are not counted again;
    what the engine adds per projection is.
    """
    N, T, G = net.N, n_steps, len(net.groups)
    parts: dict[str, float] = {}
    white = any(g.noise is not None and type(g.noise).__name__ == "WhiteNoise" for g in net.groups)
    ou = any(g.noise is not None and type(g.noise).__name__ == "OUNoise" for g in net.groups)
    per_neuron = _PER_NEURON_LOOP + (_PER_NEURON_WHITE if white else 0) + (_PER_NEURON_OU if ou else 0)
    parts["neurons"] = N * (per_neuron + _PER_NEURON_SETUP)
    # per step: counts, recurrent and external input per group; the time axis; the recorded traces;
    # the result's activities (per group and overall) and their temporaries
    parts["records"] = 8 * T * (3 * G + 2 * G + 4) + 9 * T * n_record
    parts["stimuli"] = sum(8 * (T + 2 * g.N) for g in net.groups if g.stimulus is not None)
    parts["projections"] = sum(_projection_bytes(net, p, dt) for p in net.projections)
    rows = [block_rows(g.N) for g in net.groups if g.poisson is not None]
    parts["poisson"] = sum(
        r * g.N * 20 + 2**16 * 16 for r, g in zip(rows, [g for g in net.groups if g.poisson], strict=True)
    )
    parts["poisson"] = min(parts["poisson"], len(rows) * (BLOCK_VALUES * 20 + 2**16 * 16)) if rows else 0
    parts["spikes"] = BYTES_PER_SPIKE * int(n_spikes)
    total = math.ceil(sum(parts.values()))
    return MemoryEstimate(total, {k: int(v) for k, v in parts.items()})


def _projection_bytes(net: Network, p, dt: float) -> float:
    sizes = {g.name: g.N for g in net.groups}
    n_t, n_s = sizes[p.target], sizes[p.source]
    D = round(p.delay / dt)
    d = len(p.kernel.state_space()[1])
    if p.connectivity is None:
        own = 0 if p.autapses else 8 * n_t * (3 * d + 1)
        return own + 64 * (D + 2)
    conn = p.connectivity
    nnz = conn.nnz
    # the delay ring, the per-target filter states, the CSR pointer as Python ints, and per source
    # its weight with the set-up's reductions; a step's gather of targets and weights is small
    ring = 8 * (D + 2) * n_t
    filt = 0 if isinstance(p.kernel, DeltaKernel) else 8 * n_t * (3 * d + 1)
    return ring + filt + _PY_INT * (n_s + 1) + 48 * n_s + 0 * nnz
