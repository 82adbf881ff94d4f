"""The same network in NEST: :func:`to_nest` builds an nmteach :class:`~nmteach.Network` into the current NEST
kernel, ready for ``nest.Simulate(t)``, and :meth:`NestNetwork.result` reads NEST's spikes back into a
:class:`~nmteach.Result`, so that the lessons' analysis and plots run on either simulator.

Units (nmteach → NEST):

================================  ==========================================================
membrane                           C_m = 1000 τ_m / R pF (τ_m ms, R MΩ); E_L = u_rest, V_th = θ,
                                   V_reset = u_reset (mV), t_ref (ms); I_e = 1000 I_ext pA (I_ext nA)
delta kernel, weight w             a jump of R q w / τ_m mV (``iaf_psc_delta``)
exponential kernel, weight w       a current step of 1000 q w / τ_s pA decaying with τ_s (``iaf_psc_exp``)
alpha kernel, weight w             a current peaking at 1000 q w / (e τ_s) pA at τ_s (``iaf_psc_alpha``)
all-to-all projection, J           w = J / N_source on every pair (``all_to_all``)
sparse projection                  every synapse of the Connectivity with its own weight (``one_to_one``)
PoissonDrive(rate, n, J)           a ``poisson_generator`` at n·rate Hz, jumps of J mV (delta groups)
PoissonGroup(N, rate)              N ``parrot_neuron`` fed by one ``poisson_generator``: independent trains
WhiteNoise(σ)                      a ``noise_generator`` per neuron, std 1000 σ √(τ_m/dt) pA, new every dt
================================  ==========================================================

Where NEST has no counterpart, :func:`to_nest` refuses with a ``ValueError`` that says what differs rather
than building something else: the biexponential kernel, Ornstein–Uhlenbeck noise, time-varying inputs and
stimuli, and a target group whose incoming kernels differ (NEST fixes the synapse shape per neuron model; its
``iaf_psc_exp`` and ``iaf_psc_alpha`` allow one time constant for excitatory and one for inhibitory weights).
NEST's spikes lie on the time grid and its ``noise_generator`` is piecewise constant, so NEST has neither
nmteach's exact spike times within a step nor its Brownian-bridge threshold correction; rates agree within
their statistical error at the lessons' step sizes (tested in ``tests/test_nest.py``).
NEST needs delays of at least one step: a delay below ``dt`` becomes ``dt``, which is when nmteach delivers
an undelayed spike too.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .._params import check, check_instance, resolve_rng
from ..engine.neurons import initial_potentials, neuron_arrays
from ..model.inputs import OUNoise, WhiteNoise
from ..model.kernels import AlphaKernel, DeltaKernel, ExponentialKernel
from ..model.network import Network, PoissonGroup, Population
from ..result import Result

__all__ = ["NestNetwork", "to_nest"]

_MODELS = {DeltaKernel: "iaf_psc_delta", ExponentialKernel: "iaf_psc_exp", AlphaKernel: "iaf_psc_alpha"}


@dataclass(eq=False)
class NestNetwork:
    """What :func:`to_nest` built: ``nodes`` (group name → NodeCollection), the ``recorder`` of every spike,
    and the network and step it was built from."""

    net: Network
    nodes: dict
    recorder: object
    dt: float
    offsets: dict

    def result(self, t_max: float) -> Result:
        """NEST's spikes up to ``t_max`` (ms) as an nmteach :class:`~nmteach.Result` (no membrane records)."""
        t_max = check("t_max", t_max)
        events = self.recorder.get("events")
        senders, times = np.asarray(events["senders"]), np.asarray(events["times"], dtype=float)
        ids = np.empty(senders.size, dtype=np.int32)
        for name, nodes in self.nodes.items():
            first = nodes[0].global_id
            own = (senders >= first) & (senders < first + len(nodes))
            ids[own] = senders[own] - first + self.offsets[name]
        keep = times <= t_max + 1e-9
        times, ids = times[keep] - self.dt, ids[keep]  # NEST stamps a spike at the end of its step
        order = np.lexsort((ids, times))
        times, ids = times[order], ids[order]
        n_steps = round(t_max / self.dt)
        sizes = np.array([g.N for g in self.net.groups])
        group_of = np.repeat(np.arange(len(sizes)), sizes)
        step = np.minimum((times / self.dt).astype(np.int64), n_steps - 1)
        counts = np.zeros((len(sizes), n_steps))
        np.add.at(counts, (group_of[ids], step), 1.0)
        A_groups = counts / (sizes[:, None] * self.dt) * 1000.0
        zeros = np.zeros((len(sizes), n_steps))
        return Result(
            t=np.arange(n_steps) * self.dt,
            A=counts.sum(axis=0) / (sizes.sum() * self.dt) * 1000.0,
            I_ext=np.zeros(n_steps),
            I_rec=np.zeros(n_steps),
            u=np.zeros((0, n_steps)),
            recorded=np.zeros(0, dtype=np.int64),
            spike_times=times,
            spike_ids=ids,
            n_spikes=int(ids.size),
            N=int(sizes.sum()),
            dt=self.dt,
            t_max=n_steps * self.dt,
            params=self.net,
            groups=tuple(g.name for g in self.net.groups),
            A_groups=A_groups,
            I_ext_groups=zeros,
            I_rec_groups=zeros,
        )


def to_nest(model, *, dt: float = 0.1, rng=None) -> NestNetwork:
    """Build ``model`` (a Network or Population) into the current NEST kernel (reset first) with resolution ``dt``.

    ``rng`` seeds the initial potentials and spreads (drawn here, as nmteach draws them) and NEST's own
    generator. Returns a :class:`NestNetwork`; run it with ``nest.Simulate(t_max)`` and read it back with
    ``handle.result(t_max)``. Needs ``nest-simulator`` (``pip install nmteach[nest]``).
    """
    try:
        import nest
    except ImportError as exc:
        raise ImportError("to_nest needs NEST: pip install 'nmteach[nest]' (the nest-simulator package)") from exc
    check_instance("model", model, (Network, Population), "a Network or a Population")
    net = model.as_network() if isinstance(model, Population) else model
    dt = check("dt", dt)
    g = resolve_rng(rng)
    kernels = _kernels_by_target(net)
    par = neuron_arrays(net, g)
    u0 = initial_potentials(net, par, g)
    full = par.full

    nest.ResetKernel()
    if hasattr(nest, "VerbosityLevel"):
        nest.verbosity = nest.VerbosityLevel.WARNING
    else:  # NEST < 3.9
        nest.set_verbosity("M_WARNING")
    nest.SetKernelStatus({"resolution": dt, "rng_seed": int(g.integers(1, 2**31 - 1)), "print_time": False})
    slices = net.slices()
    offsets = {name: sl.start for name, sl in slices.items()}
    nodes = {
        grp.name: _create_group(nest, grp, slices[grp.name], full, u0, kernels.get(grp.name), dt) for grp in net.groups
    }
    for p in net.projections:
        _connect(nest, net, p, nodes, full, offsets, dt)
    recorder = nest.Create("spike_recorder")
    for n in nodes.values():
        nest.Connect(n, recorder)
    return NestNetwork(net, nodes, recorder, dt, offsets)


def _kernels_by_target(net: Network) -> dict:
    """The one kernel shape of each target group's inputs (τ_s for excitatory and inhibitory weights)."""
    out = {}
    for p in net.projections:
        k = p.kernel
        if type(k) not in _MODELS:
            raise ValueError(
                f"NEST has no neuron model with a {type(k).__name__} synapse: use a delta, "
                "exponential or alpha kernel to export this network"
            )
        seen = out.setdefault(p.target, {"type": type(k), "tau": {}})
        if seen["type"] is not type(k):
            raise ValueError(
                f"group {p.target!r} receives both {seen['type'].__name__} and {type(k).__name__} "
                "synapses; a NEST neuron model has one synapse shape"
            )
        sign = "ex" if _weights(p).min(initial=0.0) >= 0 else "in"
        tau = getattr(k, "tau_s", 0.0)
        if seen["tau"].setdefault(sign, tau) != tau:
            raise ValueError(
                f"group {p.target!r} receives {sign}citatory synapses with different τ_s; NEST's "
                f"{_MODELS[type(k)]} has one tau_syn_{sign}"
            )
    return out


def _weights(p) -> np.ndarray:
    return np.array([p.J]) if p.connectivity is None else p.connectivity.weights


def _create_group(nest, grp, sl, full, u0, kernel, dt):
    if isinstance(grp, PoissonGroup):
        nodes = nest.Create("parrot_neuron", grp.N)
        nest.Connect(nest.Create("poisson_generator", params={"rate": float(grp.rate)}), nodes)
        return nodes
    if not grp.I_ext.is_constant or grp.stimulus is not None:
        raise ValueError(
            f"group {grp.name!r} has a time-varying input or a stimulus: to_nest exports constant "
            "inputs only (NEST would need a step_current_generator per time course)"
        )
    if isinstance(grp.noise, OUNoise):
        raise ValueError(f"group {grp.name!r} has Ornstein–Uhlenbeck noise, which NEST has no generator for")
    model = _MODELS[kernel["type"]] if kernel else "iaf_psc_delta"
    if grp.poisson is not None and grp.poisson.rate > 0 and model != "iaf_psc_delta":
        raise ValueError(
            f"group {grp.name!r} has a PoissonDrive (voltage jumps) and {model} synapses: NEST's "
            "current-based models take no jumps; give its projections delta kernels"
        )
    tau, R = full["tau_m"][sl], full["R"][sl]
    I0 = float(np.asarray(grp.I_ext.values(np.zeros(1)), dtype=float)[0])
    params = {
        "C_m": 1000.0 * tau / R,
        "tau_m": tau,
        "E_L": full["u_rest"][sl],
        "V_th": full["theta"][sl],
        "V_reset": full["u_reset"][sl],
        "t_ref": full["t_ref"][sl],
        "I_e": 1000.0 * (I0 + full["I"][sl]),
        "V_m": u0[sl],
    }
    if kernel and kernel["type"] is not DeltaKernel:
        taus = kernel["tau"]
        params["tau_syn_ex"] = taus.get("ex", taus.get("in"))
        params["tau_syn_in"] = taus.get("in", taus.get("ex"))
    nodes = nest.Create(model, grp.N)
    nodes.set({k: (v.tolist() if isinstance(v, np.ndarray) else v) for k, v in params.items()})
    if grp.poisson is not None and grp.poisson.rate > 0:
        drive = nest.Create("poisson_generator", params={"rate": grp.poisson.n * grp.poisson.rate})
        nest.Connect(drive, nodes, syn_spec={"weight": grp.poisson.J, "delay": dt})
    if isinstance(grp.noise, WhiteNoise) and grp.noise.sigma > 0:
        if np.ptp(tau) > 0:
            raise ValueError(f"group {grp.name!r} has white noise and a spread of tau_m: export one τ_m per group")
        std = 1000.0 * grp.noise.sigma * math.sqrt(float(tau[0]) / dt)
        nest.Connect(nest.Create("noise_generator", params={"std": std, "dt": dt}), nodes)
    return nodes


def _connect(nest, net, p, nodes, full, offsets, dt):
    src, tgt = nodes[p.source], nodes[p.target]
    k = p.kernel
    sl = net.slices()[p.target]
    if isinstance(k, DeltaKernel):  # mV per unit weight: R q / τ_m of the target (one value per group)
        scale = full["R"][sl] * k.q / full["tau_m"][sl]
        if np.ptp(scale) > 0:
            raise ValueError(
                f"group {p.target!r} has a spread of R or tau_m: delta synapses would need one weight "
                "per target in NEST; export without that spread"
            )
        scale = float(scale[0])
    elif isinstance(k, ExponentialKernel):
        scale = 1000.0 * k.q / k.tau_s
    else:
        scale = 1000.0 * k.q / (math.e * k.tau_s)
    delay = max(p.delay, dt)
    if p.connectivity is None:
        w = scale * p.J / len(src)
        nest.Connect(src, tgt, {"rule": "all_to_all", "allow_autapses": p.autapses}, {"weight": w, "delay": delay})
        return
    c = p.connectivity
    if c.nnz == 0:
        return
    pre = np.asarray(src.tolist())[c.sources()]
    post = np.asarray(tgt.tolist())[c.targets]
    nest.Connect(pre, post, "one_to_one", {"weight": scale * c.weights, "delay": np.full(c.nnz, delay)})
