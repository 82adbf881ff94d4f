"""What a simulation allocates, counted before it starts: the memory guard's estimate.

Every array the engine allocates is counted here from the sizes that fix it: N neurons,
T steps, G groups, R recorded neurons, the projections' rings and filters, the Poisson
blocks, and S stored spikes (24 bytes each at the peak, :func:`~nmteach.engine.spikes.spike_bytes`). The
number of spikes is not known before the run: the guard refuses a run whose other arrays
exceed the budget, and the run refuses to store more spikes than the rest of the budget
holds. ``tests/test_memory.py`` checks measured peaks against these estimates.

Per neuron the peak is the larger of the set-up and the loop, which never overlap: the
set-up holds the seven full parameter arrays, the loop only the ones that vary.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ..model.inputs import OUNoise, WhiteNoise
from ..model.kernels import DeltaKernel
from ..model.network import Network, PoissonGroup
from .poisson import block_rows
from .projections import gather_size
from .spikes import BYTES_PER_SPIKE, spike_bytes

__all__ = ["MemoryEstimate", "estimate_memory"]

#: set-up, bytes per neuron: 7 parameter arrays, u, a comparison mask
_SETUP = 8 * 7 + 8 + 2
#: set-up, bytes per neuron of the largest group that draws uniform initial potentials: the draw and its high − low
_UNIFORM = 16
#: set-up with spreads: one group's sample and its finiteness mask, and the threshold's nextafter
_SETUP_SPREAD = 8 + 1 + 8
#: loop, bytes per neuron: u and u at the start of the step
_LOOP = 8 * 2
#: loop, a step in which every neuron fires: indices, the two potentials, spike times with the temporaries
#: of locating them, and the refractory schedule (release times, slots, remainders)
_VOLLEY = 8 * 8
#: white noise: the draws and the bridge scratch, the random words, the candidate mask
_WHITE = 8 * 2 + 2 + 1
#: OU noise: the current, the step's product and draw, the random words
_OU = 8 * 3 + 2
#: a Python int in a list (an entry of the CSR index pointer the delivery reads)
_PY_INT = 36
#: a Python float in a list (the scalar path's drive per step)
_PY_FLOAT = 32
#: a step's gather, per synapse: the target (int32) and the weight (float64)
_GATHER_SYNAPSE = 4 + 8
#: a step's gather, per spike: its source index and (start, stop) span as Python objects
_GATHER_SPIKE = 170
#: the 65,536-level lookup tables (float64) of Poisson counts
_TABLE = 8 * (1 << 16)


@dataclass(frozen=True)
class MemoryEstimate:
    """Bytes a simulation needs: ``total`` and its ``parts`` (name → bytes); ``spikes`` more per stored spike."""

    total: int
    parts: dict = field(default_factory=dict)
    per_spike: int = BYTES_PER_SPIKE

    def with_spikes(self, n_spikes: int) -> int:
        """The total with ``n_spikes`` (more) spikes stored."""
        return self.total + spike_bytes(n_spikes)


def estimate_memory(net: Network, n_steps: int, n_record: int, dt: float, *, n_spikes: int = 0) -> MemoryEstimate:
    """Bytes of the arrays a simulation of ``net`` for ``n_steps`` steps allocates.

    Synapses already exist (their builder checked the budget) and are not counted again;
    what the engine adds per projection is.
    """
    N, T, G = net.N, n_steps, len(net.groups)
    uniform = max(
        (g.N for g in net.groups if not isinstance(g, PoissonGroup) and isinstance(g.u0, str) and g.u0 == "uniform"),
        default=0,
    )
    setup = N * _setup_per_neuron(net) + _UNIFORM * uniform
    loop = N * _loop_per_neuron(net) + _VOLLEY * _largest_volley(net, dt)
    parts: dict[str, float] = {"neurons": max(setup, loop)}
    # per step: the time axis, external and recurrent input and spike counts per group, the result's
    # activities (overall, with the integer sum it is made from, and per group), the weighted sums of
    # the inputs over several groups, the scalar path's drive list, the stimuli's time courses
    per_step = 8 * (1 + 3 * G + 2 + G) + (16 if G > 1 else 0)
    if G == 1 and not net.groups[0].I_ext.is_constant:
        per_step += _PY_FLOAT
    per_step += 8 * sum(g.stimulus is not None for g in net.groups)
    parts["records"] = T * per_step + 9 * T * n_record  # a recorded value and its mask
    parts["stimuli"] = sum(8 * 2 * g.N for g in net.groups if g.stimulus is not None)
    parts["projections"] = sum(_projection_bytes(net, p, dt) for p in net.projections)
    # one projection delivers at a time: the largest gather of a step
    parts["delivery"] = max((_gather_bytes(net, p) for p in net.projections), default=0)
    parts["poisson"] = sum(_poisson_bytes(g, T) for g in net.groups)
    parts["spikes"] = spike_bytes(n_spikes)
    total = math.ceil(sum(parts.values()))
    return MemoryEstimate(total, {k: int(v) for k, v in parts.items()})


def _varying(net: Network) -> set:
    return {k for g in net.groups for k in g.spread}


def _setup_per_neuron(net: Network) -> float:
    # several groups: the group index of every neuron (1 byte), and a drive that may differ between them
    several = len(net.groups) > 1 or any(g.stimulus is not None for g in net.groups)
    return _SETUP + (_SETUP_SPREAD if _varying(net) else 0) + (8 + 1 if several else 0)


def _loop_per_neuron(net: Network) -> float:
    v = _varying(net)
    # the parameters that vary, and what the loop derives from them: e^{−dt/τ}, θ(1 − e^{−dt/τ}), the
    # drive's two factors
    derived = ("tau_m" in v) + bool(v & {"tau_m", "theta"}) + bool(v & {"tau_m", "R", "u_rest", "I"})
    derived += bool(v & {"tau_m", "R"})
    per = _LOOP + 8 * (len(v) + derived)
    noises = {type(g.noise) for g in net.groups}
    sigmas = {(type(g.noise), getattr(g.noise, "sigma", 0.0), getattr(g.noise, "tau", 0.0)) for g in net.groups}
    mixed = len(sigmas) > 1 or bool(v & {"tau_m", "R"})  # the noise's factors differ between neurons
    if WhiteNoise in noises:
        per += _WHITE + (8 * 4 if mixed else 0)
    if OUNoise in noises:
        per += _OU + (8 * 3 if mixed else 0)
    if any(g.stimulus is not None for g in net.groups) or len(net.groups) > 1:
        # the drive as an array (a stimulus, or inputs that differ between groups): the constant drive and the
        # step's copy the filters add to, or a varying drive's input, product and sum; the group index
        per += 8 * 3 + 1
    return per


def _largest_volley(net: Network, dt: float) -> float:
    """Spikes in the largest step: every membrane neuron at once, and Poisson sources' counts up to eight standard
    deviations above their mean (exceeded with a probability below 1e-15 per step)."""
    lif = sum(g.N for g in net.groups if not isinstance(g, PoissonGroup))
    mean = sum(g.N * g.rate * dt / 1000.0 for g in net.groups if isinstance(g, PoissonGroup))
    return lif + (mean + 8.0 * math.sqrt(mean) + 8.0 if mean > 0 else 0.0)


def _poisson_bytes(g, T: int) -> float:
    if isinstance(g, PoissonGroup):  # a uniform draw per source and step, the tabulated CDF
        return 8 * g.N + _TABLE
    if g.poisson is None or g.poisson.rate <= 0:
        return 0
    rows = min(block_rows(g.N), T)
    return rows * g.N * (8 + 2) + _TABLE  # a block of jumps (float64) and its random words (16 bits each)


def _projection_bytes(net: Network, p, dt: float) -> float:
    sizes = {g.name: g.N for g in net.groups}
    n_t, n_s = sizes[p.target], sizes[p.source]
    D = round(p.delay / dt)
    d = len(p.kernel.state_space()[1])
    if p.connectivity is None:
        own = 0 if p.autapses else 8 * n_t * (3 * d + 1)
        return own + 64 * (D + 2)
    # the delay ring, the per-target filter states, the CSR pointer as Python ints, and per source
    # its weight with the set-up's reductions; a step's gather of targets and weights is small
    ring = 8 * (D + 2) * n_t
    filt = 0 if isinstance(p.kernel, DeltaKernel) else 8 * n_t * (3 * d + 1)
    return ring + filt + _PY_INT * (n_s + 1) + 48 * n_s


def _gather_bytes(net: Network, p) -> float:
    """The temporaries of a step's delivery: targets and weights of a part of a volley, its spans, the
    per-target sums."""
    conn = p.connectivity
    if conn is None:
        return 0
    n_t = conn.n_target
    degree = max(1, int(np.diff(conn.indptr).max())) if conn.n_source else 1
    gather = gather_size(n_t)
    spikes = min(conn.n_source, max(1, gather // degree))
    return _GATHER_SYNAPSE * min(conn.nnz, gather + degree) + _GATHER_SPIKE * spikes + 16 * n_t
