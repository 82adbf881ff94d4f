"""The one entry point of the spiking simulations: :func:`simulate`."""

from __future__ import annotations

import numpy as np

from .._params import check, check_bool, check_instance, memory_budget, require_memory, resolve_rng
from ..model.inputs import OUNoise
from ..model.network import Network, Population
from ..result import Result
from .loop import Engine
from .memory import estimate_memory

__all__ = ["record_indices", "simulate", "simulate_network"]


def record_indices(record, N: int) -> np.ndarray:
    """The neurons to record: the first ``record`` ones, or the given indices (checked)."""
    if isinstance(record, (int, np.integer)) and not isinstance(record, (bool, np.bool_)):
        if record < 0:
            raise ValueError(f"record = {record} must be ≥ 0 (how many neurons to record) or an array of indices")
        return np.arange(min(int(record), N))
    try:
        idx = np.asarray(record)
    except Exception:
        idx = np.zeros(0, dtype=object)
    if idx.ndim != 1 or idx.dtype.kind not in "iu":
        raise TypeError(f"record = {record!r} must be a number of neurons or a 1-d array of neuron indices")
    if idx.size and (idx.min() < 0 or idx.max() >= N):
        raise ValueError(f"record contains indices outside [0, {N - 1}]")
    return idx


def simulate(
    model,
    t_max: float,
    *,
    dt: float = 0.1,
    rng=None,
    record=3,
    record_spikes: bool = True,
    bridge: bool = True,
) -> Result:
    """Simulate a :class:`nmteach.Population` or :class:`nmteach.Network` spike by spike.

    Parameters
    ----------
    model : Population or Network
        The model.
    t_max : float
        Simulated time, ms.
    dt : float, keyword-only
        Time step, ms, in [0.001, 1]. The membranes and the synaptic filters are integrated
        exactly between steps and spike times are located inside the step, so the f–I curve
        is exact at any dt; see :mod:`nmteach.engine`.
    rng : None, int or numpy.random.Generator
        Source of randomness (initial potentials, spreads and noise). The same seed gives
        the same result.
    record : int or array of int
        How many neurons (the first ones) or which neurons to record u(t) from.
    record_spikes : bool
        Store every spike's time and neuron (A(t) is always recorded).
    bridge : bool
        With white noise, also fire neurons whose trajectory crossed θ between
        two grid points (the Brownian-bridge test). Without it, rates are biased low.

    Returns
    -------
    Result
        For a network, ``A`` is the activity of all neurons, ``A_groups`` has one row per
        group, and spike ids and recorded indices use the flat numbering of
        :meth:`Network.slices`.

    Raises
    ------
    ValueError
        For an argument out of range, and before any work for a run that would not fit the
        memory budget (:data:`nmteach.MEMORY_BUDGET`), with advice on how to shrink it.

    Examples
    --------
    >>> import nmteach as nm
    >>> res = simulate(nm.Population(N=10, I_ext=0.3, u0="rest"), 100.0, rng=1)
    >>> res.A.shape, res.u.shape
    ((1000,), (3, 1000))
    """
    params = check_instance("model", model, (Population, Network), "a Population or a Network")
    net = model.as_network() if isinstance(model, Population) else model
    t_max = check("t_max", t_max)
    dt = check("dt", dt)
    record_spikes = check_bool("record_spikes", record_spikes)
    bridge = check_bool("bridge", bridge)
    n_steps = round(t_max / dt)
    if n_steps < 1:
        raise ValueError(f"t_max = {t_max} ms is shorter than one time step dt = {dt} ms")
    for g in net.groups:
        if isinstance(g.noise, OUNoise) and g.noise.tau < dt:
            raise ValueError(f"OUNoise tau = {g.noise.tau} ms must be at least the time step dt = {dt} ms")
    rec = record_indices(record, net.N)
    need = estimate_memory(net, n_steps, len(rec), dt).total
    require_memory(
        need,
        f"this simulation ({net.N:,} neurons, {n_steps:,} steps, {len(rec)} recorded)",
        f"reduce N = {net.N}, t_max = {t_max} ms or the number of recorded neurons ({len(rec)}), "
        f"or increase dt = {dt} ms",
    )
    gen = resolve_rng(rng)
    init_rng, noise_rng = gen.spawn(2)
    spike_room = max(0, memory_budget() - need)  # bytes left for the stored spikes
    engine = Engine(net, n_steps, dt, init_rng, noise_rng, rec, record_spikes, bridge, spike_room)
    return engine.run(params)


def simulate_network(net: Network, t_max: float, **options) -> Result:
    """:func:`simulate` for a :class:`nmteach.Network` (kept for symmetry; ``simulate`` takes either)."""
    check_instance("net", net, Network, "a Network")
    return simulate(net, t_max, **options)
