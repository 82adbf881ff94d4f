"""Networks of groups (pools) of LIF neurons, coupled all-to-all or sparsely: the engine.

A :class:`Network` is a tuple of :class:`Group` s and :class:`Projection` s. A
projection from group m to group n is either

* **all-to-all** (``connectivity=None``): every neuron of m reaches every neuron of n
  with w_ij = J_nm / N_m. All targets then receive the same input, so one synaptic
  filter per projection suffices and a step costs O(N), never O(N²); or
* **sparse**: a :class:`nmteach.Connectivity` (CSR by source). A spike is delivered
  to the targets of the neurons that fired, accumulated in one vectorised
  operation per step; delays go through a ring buffer.

The integration scheme is the one described in :mod:`nmteach.population`: exact
propagation of the membrane and the synaptic filters between grid points, spike
times located inside the step, refractoriness counted from that time, and a
Brownian-bridge test for threshold crossings between grid points under white
noise. External Poisson input (:class:`PoissonDrive`) arrives as membrane jumps
at the grid points, drawn for many steps at once.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from ._params import check, check_int
from .connectivity import Connectivity
from .heterogeneity import SPREAD_PARAMETERS, Distribution
from .inputs import Input, OUNoise, WhiteNoise, as_input
from .kernels import DeltaKernel, ExponentialKernel, Kernel, _expm, _step_average
from .neuron import LIF
from .result import Result

__all__ = ["Group", "Network", "PoissonDrive", "PoissonGroup", "Projection", "Stimulus", "simulate_network"]

_SPIKE_BYTES = 12
_POISSON_BLOCK = 64  # steps of Poisson input drawn at once


@dataclass(frozen=True)
class PoissonDrive:
    """External Poisson input: ``n`` independent synapses, each firing at ``rate`` Hz,
    each spike making the membrane jump by ``J`` mV (a delta synapse)."""

    rate: float
    n: int = 1
    J: float = 0.1

    def __post_init__(self):
        object.__setattr__(self, "rate", check("frequency", self.rate, label="rate"))
        object.__setattr__(self, "n", check_int("N", self.n, label="n"))
        if not (math.isfinite(self.J) and abs(self.J) <= 1000):
            raise ValueError(f"J = {self.J} is out of range: the jump per input spike must lie in [-1000, 1000] mV")


def check_u0(u0, N: int) -> None:
    """Validate initial potentials: "uniform", "rest", one number (mV) or an array of N values."""
    if isinstance(u0, str):
        if u0 not in ("uniform", "rest"):
            raise ValueError(f"u0 = {u0!r} must be 'uniform', 'rest', a number (mV) or an array of N values")
    elif np.ndim(u0) == 0:
        check("u_rest", u0, label="u0")
    else:
        arr = np.asarray(u0, dtype=float)
        if arr.shape != (N,):
            raise ValueError(f"u0 has shape {arr.shape}; it must have one value per neuron, shape ({N},)")
        if not np.all(np.isfinite(arr)):
            raise ValueError("u0 contains values that are not finite")


@dataclass(frozen=True, eq=False)
class Stimulus:
    """A input that differs between neurons: neuron i receives ``profile[i] · time_course(t)`` (nA).

    E.g. a local stimulus on a sheet: ``profile`` = 1 inside a disc, 0 outside, and
    ``time_course = Step(0, 0.1, t_on=50, t_off=70)``.
    """

    profile: np.ndarray
    time_course: Input

    def __post_init__(self):
        prof = np.asarray(self.profile, dtype=float)
        if prof.ndim != 1 or not np.all(np.isfinite(prof)):
            raise ValueError("profile must be a 1-d array of finite numbers, one per neuron")
        object.__setattr__(self, "profile", prof)
        object.__setattr__(self, "time_course", as_input(self.time_course))


@dataclass(frozen=True)
class Group:
    """A pool of N LIF neurons sharing parameters, input and noise.

    ``spread`` maps a parameter name in ``("tau_m", "R", "u_rest", "theta", "I")`` to a
    :mod:`distribution <nmteach.heterogeneity>`; "I" is a constant input offset in nA
    added to ``I_ext``. ``u0`` is "uniform" (in [u_reset, θ)), "rest", a number or an array.
    """

    name: str = "pop"
    N: int = 1000
    neuron: LIF = field(default_factory=LIF)
    I_ext: Input | float = 0.0
    noise: WhiteNoise | OUNoise | None = None
    poisson: PoissonDrive | None = None
    spread: dict = field(default_factory=dict, compare=False)
    u0: object = field(default="uniform", compare=False)
    stimulus: Stimulus | None = field(default=None, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "N", check_int("N", self.N))
        if self.stimulus is not None:
            if not isinstance(self.stimulus, Stimulus):
                raise ValueError(f"stimulus = {self.stimulus!r} must be None or a Stimulus")
            if len(self.stimulus.profile) != self.N:
                raise ValueError(
                    f"stimulus profile has {len(self.stimulus.profile)} entries; the group has N = {self.N}"
                )
        if not isinstance(self.name, str) or not self.name:
            raise ValueError(f"name = {self.name!r} must be a non-empty string")
        if not isinstance(self.neuron, LIF):
            raise ValueError(f"neuron = {self.neuron!r} must be an LIF")
        if self.noise is not None and not isinstance(self.noise, (WhiteNoise, OUNoise)):
            raise ValueError(f"noise = {self.noise!r} must be None, WhiteNoise or OUNoise")
        if self.poisson is not None and not isinstance(self.poisson, PoissonDrive):
            raise ValueError(f"poisson = {self.poisson!r} must be None or a PoissonDrive")
        object.__setattr__(self, "I_ext", as_input(self.I_ext))
        for k, v in self.spread.items():
            if k not in SPREAD_PARAMETERS:
                raise ValueError(f"spread has key {k!r}; the parameters that may vary are {SPREAD_PARAMETERS}")
            if not isinstance(v, Distribution):
                raise ValueError(f"spread[{k!r}] = {v!r} must be a distribution such as Normal(sd)")
        check_u0(self.u0, self.N)


@dataclass(frozen=True)
class PoissonGroup:
    """N independent Poisson spike sources firing at ``rate`` Hz (no membrane).

    They send spikes through projections like any group, which makes input statistics
    exact to compute (Campbell's theorem): a convenient source of "background" spikes.
    """

    name: str = "poisson"
    N: int = 100
    rate: float = 10.0

    def __post_init__(self):
        object.__setattr__(self, "N", check_int("N", self.N))
        object.__setattr__(self, "rate", check("frequency", self.rate, label="rate"))
        if not isinstance(self.name, str) or not self.name:
            raise ValueError(f"name = {self.name!r} must be a non-empty string")

    # what the engine reads from every group
    neuron = LIF()
    I_ext = as_input(0.0)
    noise = None
    poisson = None
    spread = {}  # noqa: RUF012
    u0 = "rest"
    stimulus = None


@dataclass(frozen=True)
class Projection:
    """Synapses from group ``source`` to group ``target``.

    All-to-all (``connectivity=None``): w_ij = J / N_source, i.e. ``J`` is J_nm of the notes
    (the total coupling a target neuron receives from the source pool). Sparse: the
    weights w_ij are those of ``connectivity``. ``autapses=False`` (all-to-all within one
    group only) removes each neuron's synapse onto itself.
    """

    source: str
    target: str
    J: float = 0.0
    connectivity: Connectivity | None = None
    kernel: Kernel = field(default_factory=ExponentialKernel)
    delay: float = 0.0
    autapses: bool = True

    def __post_init__(self):
        object.__setattr__(self, "J", check("J0", self.J, label="J"))
        object.__setattr__(self, "delay", check("delay", self.delay))
        if not isinstance(self.kernel, Kernel):
            raise ValueError(f"kernel = {self.kernel!r} must be a Kernel such as ExponentialKernel")
        if self.connectivity is not None and not isinstance(self.connectivity, Connectivity):
            raise ValueError(f"connectivity = {self.connectivity!r} must be None (all-to-all) or a Connectivity")
        if not self.autapses and self.connectivity is not None:
            raise ValueError("autapses=False applies to all-to-all projections; build the Connectivity without them")


@dataclass(frozen=True)
class Network:
    """Groups and the projections between them."""

    groups: tuple
    projections: tuple = ()

    def __post_init__(self):
        groups = tuple(self.groups)
        projections = tuple(self.projections)
        if not groups or not all(isinstance(g, (Group, PoissonGroup)) for g in groups):
            raise ValueError("groups must be a non-empty sequence of Group or PoissonGroup")
        names = [g.name for g in groups]
        if len(set(names)) != len(names):
            raise ValueError(f"group names must be unique, got {names}")
        sizes = dict(zip(names, (g.N for g in groups), strict=True))
        for p in projections:
            if not isinstance(p, Projection):
                raise ValueError(f"{p!r} is not a Projection")
            for end in (p.source, p.target):
                if end not in sizes:
                    raise ValueError(f"projection refers to group {end!r}; the groups are {names}")
            c = p.connectivity
            if c is not None and (c.n_source != sizes[p.source] or c.n_target != sizes[p.target]):
                raise ValueError(
                    f"connectivity {p.source} → {p.target} is {c.n_source} → {c.n_target} neurons; "
                    f"the groups have {sizes[p.source]} → {sizes[p.target]}"
                )
            if not p.autapses and p.source != p.target:
                raise ValueError("autapses=False needs source == target")
        object.__setattr__(self, "groups", groups)
        object.__setattr__(self, "projections", projections)

    @property
    def N(self) -> int:
        return sum(g.N for g in self.groups)

    def index(self, name: str) -> int:
        return [g.name for g in self.groups].index(name)

    def slices(self) -> dict:
        """The index range of every group in the flat numbering used by results."""
        out, start = {}, 0
        for g in self.groups:
            out[g.name] = slice(start, start + g.N)
            start += g.N
        return out


def _compact(arr):
    """A float if every entry is equal, else the array (the scalar path is faster)."""
    arr = np.asarray(arr, dtype=float)
    return float(arr[0]) if arr.size and np.all(arr == arr[0]) else arr


def _at(x, idx):
    return x if isinstance(x, float) else x[idx]


def _neuron_arrays(net: Network, rng: np.random.Generator) -> dict:
    """Per-neuron parameters over the whole network (compacted to floats where uniform)."""
    keys = ("tau_m", "R", "u_rest", "theta", "u_reset", "t_ref")
    out = {k: [] for k in (*keys, "I")}
    for g in net.groups:
        for k in keys:
            vals = np.full(g.N, float(getattr(g.neuron, k)))
            if k in g.spread:
                vals = g.spread[k].sample(g.N, getattr(g.neuron, k), rng)
            out[k].append(vals)
        out["I"].append(g.spread["I"].sample(g.N, 0.0, rng) if "I" in g.spread else np.zeros(g.N))
    arrays = {k: np.concatenate(v) for k, v in out.items()}
    if np.any(arrays["tau_m"] <= 0) or np.any(arrays["R"] <= 0):
        raise ValueError("the spread of tau_m or R produced values ≤ 0; use a smaller spread")
    if np.any(arrays["theta"] <= arrays["u_reset"]):
        raise ValueError("the spread of theta produced thresholds at or below u_reset; use a smaller spread")
    if np.any(arrays["t_ref"] < 0):
        raise ValueError("t_ref must be ≥ 0")
    return arrays


def _membrane_rows(tau, R, kernel: Kernel, dt: float):
    """Per target neuron: p (membrane change per unit filter state over one step), shape (n, d)."""
    M, b, c = kernel.state_space()
    d = len(b)
    tau = np.atleast_1d(np.asarray(tau, dtype=float))
    R = np.atleast_1d(np.asarray(R, dtype=float))
    n = max(len(tau), len(R))
    if d == 0:
        return np.zeros((n, 0))
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


def _poisson_lut(lam: float) -> np.ndarray:
    """Counts for 16-bit uniform integers: P(count = k) exact to 2^-16 (inverse CDF table)."""
    ks = np.arange(int(lam + 12 * math.sqrt(lam) + 20))
    logp = ks * math.log(lam) - lam - np.array([math.lgamma(k + 1) for k in ks]) if lam > 0 else None
    cdf = np.cumsum(np.exp(logp)) if lam > 0 else np.ones(1)
    return np.searchsorted(cdf, (np.arange(65536) + 0.5) / 65536).astype(np.int32)


def estimate_memory(net: Network, n_steps: int, n_record: int, dt: float) -> int:
    """Bytes of the arrays a simulation allocates before any spike is stored.

    Synapses already exist (their builder checked the budget) and are not counted again.
    """
    N = net.N
    total = N * (8 * 6 + 3) + 8 * n_steps * (4 * len(net.groups) + n_record + 1)
    for p in net.projections:
        d = len(p.kernel.state_space()[1])
        n_t = net.groups[net.index(p.target)].N
        if p.connectivity is not None or not p.autapses:
            total += 8 * n_t * (2 * d + round(p.delay / dt) + 2)
    if any(g.poisson is not None for g in net.groups):
        total += 4 * _POISSON_BLOCK * N
    return total


def simulate_network(
    net: Network,
    t_max: float,
    *,
    dt: float = 0.1,
    rng=None,
    record=3,
    record_spikes: bool = True,
    bridge: bool = True,
    params=None,
) -> Result:
    """Simulate a :class:`Network` spike by spike; see :func:`nmteach.simulate` for the arguments.

    The result's ``A`` is the activity of the whole network; ``A_groups`` has one row per
    group; spike ids and recorded indices use the flat numbering of :meth:`Network.slices`.
    """
    from .population import MEMORY_BUDGET, _record_indices, _resolve_rng

    if not isinstance(net, Network):
        raise ValueError(f"net = {net!r} must be a Network")
    t_max = check("t_max", t_max)
    dt = check("dt", dt)
    n_steps = round(t_max / dt)
    if n_steps < 1:
        raise ValueError(f"t_max = {t_max} ms is shorter than one time step dt = {dt} ms")
    for g in net.groups:
        if isinstance(g.noise, OUNoise) and g.noise.tau < dt:
            raise ValueError(f"OUNoise tau = {g.noise.tau} ms must be at least the time step dt = {dt} ms")
    rec = _record_indices(record, net.N)
    need = estimate_memory(net, n_steps, len(rec), dt)
    if need > MEMORY_BUDGET:
        raise ValueError(
            f"this simulation needs about {need / 1e6:.0f} MB, more than the budget of "
            f"{MEMORY_BUDGET / 1e6:.0f} MB: reduce N = {net.N}, t_max = {t_max} ms or the number of "
            f"recorded neurons ({len(rec)}), or increase dt = {dt} ms"
        )
    gen = _resolve_rng(rng)
    init_rng, noise_rng = gen.spawn(2)
    engine = _Engine(net, n_steps, dt, init_rng, noise_rng, rec, record_spikes, bridge, MEMORY_BUDGET - need)
    return engine.run(params if params is not None else net)


class _Engine:
    """State and the time loop of one simulation."""

    def __init__(self, net, n_steps, dt, init_rng, noise_rng, rec, record_spikes, bridge, spike_budget):
        self.net, self.n_steps, self.dt = net, n_steps, dt
        self.noise_rng, self.rec, self.record_spikes, self.bridge = noise_rng, rec, record_spikes, bridge
        self.max_spikes = spike_budget // _SPIKE_BYTES
        G = len(net.groups)
        sl = net.slices()
        self.slices = [sl[g.name] for g in net.groups]
        self.sizes = np.array([g.N for g in net.groups])
        self.group_of = np.repeat(np.arange(G), self.sizes) if G > 1 else None
        par = _neuron_arrays(net, init_rng)
        varying = {k for g in net.groups for k in g.spread}
        self.neuron_params = {k: par[k] for k in varying}
        self.tau, self.R = _compact(par["tau_m"]), _compact(par["R"])
        self.theta, self.u_reset, self.t_ref = _compact(par["theta"]), _compact(par["u_reset"]), _compact(par["t_ref"])
        tau = par["tau_m"]
        P22 = np.exp(-dt / tau)
        self.P22 = _compact(P22)
        t = np.arange(n_steps) * dt
        self.t = t
        self.I_ext = np.stack([np.asarray(g.I_ext.values(t), dtype=float) for g in net.groups])  # (G, T)
        # drive = (1 - P22)(u_rest + R (I_ext + I_offset)) = A_ext + B_ext I_ext
        self.B_ext = _compact((1 - P22) * par["R"])
        self.A_ext = _compact((1 - P22) * (par["u_rest"] + par["R"] * par["I"]))
        self.stimuli = []
        for g, sl in zip(net.groups, self.slices, strict=True):
            if g.stimulus is not None:
                B = self.B_ext if isinstance(self.B_ext, float) else self.B_ext[sl]
                course = np.asarray(g.stimulus.time_course.values(t), dtype=float)
                self.stimuli.append((sl, B * g.stimulus.profile, course))
        self.const_ext = all(g.I_ext.is_constant for g in net.groups) and not self.stimuli
        self.scalar_ext = (
            G == 1 and isinstance(self.A_ext, float) and isinstance(self.B_ext, float) and not self.stimuli
        )
        self.theta1 = _compact(par["theta"] * (1 - P22))
        # initial state
        u0 = []
        for g, s in zip(net.groups, self.slices, strict=True):
            th, ur = par["theta"][s], par["u_reset"][s]
            if isinstance(g.u0, str):
                u0.append(par["u_rest"][s].copy() if g.u0 == "rest" else init_rng.uniform(ur, th))
            else:
                u0.append(np.broadcast_to(np.asarray(g.u0, dtype=float), (g.N,)).copy())
        u = np.concatenate(u0)
        self.u = np.where(u >= par["theta"], np.nextafter(par["theta"], -np.inf), u)
        # Poisson sources have no membrane: they hold -inf and never cross θ
        self.sources = []
        for g, s in zip(net.groups, self.slices, strict=True):
            if isinstance(g, PoissonGroup):
                self.u[s] = -np.inf
                self.sources.append((s.start, g.N, g.rate * dt / 1000.0))
        self._setup_noise(par)
        self._setup_projections(par)
        self._setup_poisson()

    # ------------------------------------------------------------------ set-up
    def _setup_noise(self, par):
        net, dt, N = self.net, self.dt, self.net.N
        sig_w = np.concatenate(
            [np.full(g.N, g.noise.sigma if isinstance(g.noise, WhiteNoise) else 0.0) for g in net.groups]
        )
        self.white = bool(np.any(sig_w > 0))
        if self.white:
            P22 = np.exp(-dt / par["tau_m"])
            sig_u = par["R"] * sig_w
            self.sig_u = _compact(sig_u)
            self.sd_step = _compact(sig_u * np.sqrt((1 - P22**2) / 2))
            self.v_bridge = _compact(np.maximum(sig_u**2 * dt / par["tau_m"], 1e-300))
            self.c_bridge = _compact(np.sqrt(np.asarray(self.v_bridge) * math.log(1e10) / 2) * (sig_w > 0))
            self.noise_buf = np.empty(N)
            self.near = np.empty(N, dtype=bool)
            self.near2 = np.empty(N, dtype=bool)
        sig_o = np.concatenate(
            [np.full(g.N, g.noise.sigma if isinstance(g.noise, OUNoise) else 0.0) for g in net.groups]
        )
        self.ou = bool(np.any(sig_o > 0))
        if self.ou:
            tau_n = np.concatenate(
                [np.full(g.N, g.noise.tau if isinstance(g.noise, OUNoise) else 1.0) for g in net.groups]
            )
            self.eta = self.noise_rng.normal(0.0, 1.0, N) * sig_o
            self.rho = _compact(np.exp(-dt / tau_n))
            self.sd_eta = _compact(sig_o * np.sqrt(1 - np.exp(-2 * dt / tau_n)))
            self.gain_eta = _compact(par["R"] * (1 - np.exp(-dt / par["tau_m"])))
            self.ou_buf = np.empty(N)

    def _setup_projections(self, par):
        net, dt = self.net, self.dt
        self.shared, self.sparse = [], []
        max_delay = 0
        for p in net.projections:
            s_idx, t_idx = net.index(p.source), net.index(p.target)
            ts = self.slices[t_idx]
            M, b, c = p.kernel.state_space()
            d = len(b)
            D = round(p.delay / dt)
            max_delay = max(max_delay, D)
            rows = _membrane_rows(par["tau_m"][ts], par["R"][ts], p.kernel, dt)  # (n_t, d)
            rows_c = rows[0].copy() if np.all(rows == rows[0]) else np.ascontiguousarray(rows)
            is_delta = isinstance(p.kernel, DeltaKernel)
            jump_unit = _compact(par["R"][ts] * p.kernel.q / par["tau_m"][ts]) if is_delta else 0.0
            info = dict(
                src=s_idx,
                tgt=t_idx,
                ts=ts,
                single=len(net.groups) == 1,
                d=d,
                D=D,
                E=p.kernel.propagator(dt),
                Et=p.kernel.propagator(dt).T.copy(),
                b=b,
                rows=rows_c,
                c_avg=c @ _step_average(M, dt) if d else np.zeros(0),
                delta=is_delta,
                q=p.kernel.q,
                jump_unit=jump_unit,
            )
            if p.connectivity is None:
                w = p.J / self.sizes[s_idx]
                info.update(w=w, ring=[0] * (D + 2), z=[0.0] * d, own=None)
                info["Ez"], info["bz"] = info["E"].tolist(), (b * w).tolist()
                info["cz"] = info["c_avg"].tolist()
                info["pz"] = rows_c.tolist() if rows_c.ndim == 1 else None
                if not p.autapses:
                    info["own_ring"] = [None] * (D + 2)
                    info["own"] = np.zeros((self.sizes[t_idx], d)) if d else None
                self.shared.append(info)
            else:
                conn = p.connectivity
                uniform = conn.nnz > 0 and bool(np.all(conn.weights == conn.weights[0]))
                n_t = self.sizes[t_idx]
                src_of = conn.sources()
                w_first = np.zeros(conn.n_source)
                w_first[src_of] = conn.weights  # any one weight of each source
                per_source = not uniform and conn.nnz > 0 and bool(np.all(conn.weights == w_first[src_of]))
                info.update(
                    conn=conn,
                    indptr_list=conn.indptr.tolist(),
                    w_source=w_first if per_source else None,
                    w_uniform=float(conn.weights[0]) if uniform else None,
                    ring=np.zeros((D + 2, n_t)),
                    totals=[0.0] * (D + 2),
                    Z=np.zeros((n_t, d)),
                )
                self.sparse.append(info)
        self.max_delay = max_delay

    def _setup_poisson(self):
        self.poisson = []
        for gi, g in enumerate(self.net.groups):
            if g.poisson is not None and g.poisson.rate > 0:
                lam = g.poisson.n * g.poisson.rate * self.dt / 1000.0
                self.poisson.append(dict(sl=self.slices[gi], J=g.poisson.J, lut=_poisson_lut(lam), lam=lam, block=None))

    # ------------------------------------------------------------------ time loop
    def run(self, params) -> Result:
        n_steps, dt, N = self.n_steps, self.dt, self.net.N
        G = len(self.net.groups)
        u = self.u
        u_s = np.empty(N)
        fired = np.empty(N, dtype=bool)
        theta, theta1, P22, tau = self.theta, self.theta1, self.P22, self.tau
        u_reset, t_ref = self.u_reset, self.t_ref
        scalar_tref = isinstance(t_ref, float)
        if scalar_tref:
            m_ref = math.floor(t_ref / dt + 1e-9)
            f_ref = max(t_ref - m_ref * dt, 0.0)
            n_slots = m_ref + 3
        else:
            n_slots = math.floor(float(np.max(t_ref)) / dt + 1e-9) + 3
            m_ref = None
        release_idx = [[] for _ in range(n_slots)]
        release_rem = [[] for _ in range(n_slots)]
        dt_below = dt * (1 - 1e-12)
        counts = np.zeros((G, n_steps), dtype=np.int64)
        I_rec = np.zeros((G, n_steps))
        rec = self.rec
        u_rec = np.empty((len(rec), n_steps))
        spk_t, spk_i = [], []
        n_stored = 0
        empty_f = np.zeros(0)
        white, ou, bridge = self.white, self.ou, self.bridge
        shared, sparse, poisson = self.shared, self.sparse, self.poisson
        scalar_ext, const_ext = self.scalar_ext, self.const_ext
        ext_scalar = (self.A_ext + self.B_ext * self.I_ext[0]) if scalar_ext else None
        jumps = np.zeros(N)
        if const_ext and not scalar_ext:
            I_now = self._I_now(0)
            drive_ext_const = self.A_ext + self.B_ext * I_now

        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            for k in range(n_steps):
                if len(rec):
                    u_rec[:, k] = u[rec]
                # external drive
                if scalar_ext:
                    drive = float(ext_scalar[k])
                elif const_ext:
                    drive = drive_ext_const.copy()
                else:
                    drive = self.A_ext + self.B_ext * self._I_now(k)
                    if self.stimuli:
                        if isinstance(drive, float):
                            drive = np.full(N, drive)
                        for sl, weight, course in self.stimuli:
                            if course[k]:
                                drive[sl] += weight * course[k]
                any_jump = False
                # all-to-all projections: one filter per projection
                for pr in shared:
                    ring = pr["ring"]
                    slot = k % len(ring)
                    n_in = ring[slot]
                    ring[slot] = 0
                    ts = pr["ts"]
                    if pr["delta"]:
                        if n_in:
                            jmp = pr["jump_unit"] * pr["w"] * n_in
                            I_rec[pr["tgt"], k] += pr["w"] * pr["q"] * n_in / dt
                            if pr["single"]:
                                u += jmp
                            else:
                                u[ts] += jmp
                            any_jump = True
                    elif pr["d"]:
                        z = pr["z"]
                        d = pr["d"]
                        if n_in:
                            bz = pr["bz"]
                            for i in range(d):
                                z[i] += bz[i] * n_in
                        cur = 0.0
                        cz = pr["cz"]
                        for i in range(d):
                            cur += cz[i] * z[i]
                        I_rec[pr["tgt"], k] += cur
                        if pr["pz"] is not None:
                            syn = 0.0
                            pz = pr["pz"]
                            for i in range(d):
                                syn += pz[i] * z[i]
                        else:
                            syn = pr["rows"] @ np.array(z)
                        if pr["single"] and isinstance(drive, float):
                            drive += syn
                        elif pr["single"]:
                            drive += syn
                        else:
                            if isinstance(drive, float):
                                drive = np.full(N, drive)
                            drive[ts] += syn
                        Ez = pr["Ez"]
                        pr["z"] = [sum(Ez[i][j] * z[j] for j in range(d)) for i in range(d)]
                    if pr["own"] is not None or "own_ring" in pr:
                        own_ring = pr["own_ring"]
                        own = own_ring[slot]
                        if own is not None:
                            own_ring[slot] = None
                            if pr["delta"]:
                                u[own] -= _at(pr["jump_unit"], own) * pr["w"]
                            else:
                                pr["own"][own] += pr["b"] * pr["w"]
                # sparse projections: per-target filters, input accumulated in a delay ring
                for pr in sparse:
                    ring = pr["ring"]
                    slot = k % len(ring)
                    inc = ring[slot]
                    if pr["delta"]:
                        total = pr["totals"][slot]  # summed weight delivered in this slot
                        pr["totals"][slot] = 0.0
                        if total != 0.0:
                            I_rec[pr["tgt"], k] += pr["q"] * total / (len(inc) * dt)
                            jumps[pr["ts"]] += pr["jump_unit"] * inc
                            any_jump = True
                    else:
                        Z = pr["Z"]
                        Z += inc[:, None] * pr["b"][None, :]
                        syn = Z @ pr["rows"] if pr["rows"].ndim == 1 else np.einsum("nd,nd->n", Z, pr["rows"])
                        I_rec[pr["tgt"], k] += float(Z.sum(axis=0) @ pr["c_avg"]) / len(inc)
                        if isinstance(drive, float):
                            drive = np.full(N, drive)
                        drive[pr["ts"]] += syn
                        pr["Z"] = Z @ pr["Et"]
                    inc[:] = 0.0
                # external Poisson input
                for po in poisson:
                    b = k % _POISSON_BLOCK
                    if b == 0 or po["block"] is None:
                        n_left = min(_POISSON_BLOCK, n_steps - k)
                        r = self.noise_rng.integers(
                            0, 65536, size=(n_left, po["sl"].stop - po["sl"].start), dtype=np.uint16
                        )
                        po["block"] = po["lut"][r]
                    jumps[po["sl"]] += po["J"] * po["block"][b]
                    any_jump = True
                if any_jump and (sparse or poisson):
                    u += jumps
                    jumps[:] = 0.0

                np.copyto(u_s, u)
                u *= P22
                u += drive
                for pr in shared:
                    if pr["own"] is not None:
                        own_drive = (
                            pr["own"] @ pr["rows"]
                            if pr["rows"].ndim == 1
                            else np.einsum("nd,nd->n", pr["own"], pr["rows"])
                        )
                        u[pr["ts"]] -= own_drive
                        pr["own"] = pr["own"] @ pr["Et"]
                        pr["own_drive"] = own_drive
                if white:
                    nb = self.noise_buf
                    self.noise_rng.standard_normal(out=nb)
                    nb *= self.sd_step
                    u += nb
                elif ou:
                    np.multiply(self.eta, self.gain_eta, out=self.ou_buf)
                    u += self.ou_buf
                    self.eta *= self.rho
                    self.eta += self.sd_eta * self.noise_rng.standard_normal(N)

                # threshold crossings at the grid point; crossing time inside the step
                np.greater_equal(u, theta, out=fired)
                if any_jump:  # a jump at t_k may carry u over θ and the decay bring it back
                    np.logical_or(fired, u_s >= theta, out=fired)
                idx = fired.nonzero()[0]
                if idx.size:
                    us_i = u_s[idx]
                    un_i = u[idx]
                    phi = _at(tau, idx) * np.log((us_i - un_i) / (_at(theta1, idx) + _at(P22, idx) * us_i - un_i))
                    np.fmax(phi, 0.0, out=phi)
                    np.fmin(phi, dt_below, out=phi)
                else:
                    phi = empty_f
                if white and bridge:
                    near = self.near
                    np.greater_equal(u, theta - self.c_bridge, out=near)
                    np.greater_equal(u_s, theta - self.c_bridge, out=self.near2)
                    near |= self.near2
                    cand = near.nonzero()[0]
                    if cand.size:
                        uc = u[cand]
                        th_c = _at(theta, cand)
                        prob = np.exp(-2.0 * (th_c - u_s[cand]) * (th_c - uc) / _at(self.v_bridge, cand))
                        hit = cand[(self.noise_rng.random(cand.size) < prob) & (uc < th_c)]
                        if hit.size:
                            idx = np.concatenate([idx, hit])
                            phi = np.concatenate([phi, np.full(hit.size, 0.5 * dt)])

                for start, n_src, p_fire in self.sources:
                    extra = (self.noise_rng.random(n_src) < p_fire).nonzero()[0]
                    if extra.size:
                        idx = np.concatenate([idx, extra + start])
                        phi = np.concatenate([phi, self.noise_rng.random(extra.size) * dt_below])
                n_fire = idx.size
                if n_fire:
                    if G == 1:
                        counts[0, k] = n_fire
                    else:
                        counts[:, k] = np.bincount(self.group_of[idx], minlength=G)
                    u[idx] = -np.inf
                    if self.record_spikes:
                        n_stored += n_fire
                        if n_stored > self.max_spikes:
                            from .population import MEMORY_BUDGET

                            raise ValueError(
                                f"more than {self.max_spikes} spikes would exceed the memory budget of "
                                f"{MEMORY_BUDGET / 1e6:.0f} MB: reduce N or t_max, or pass record_spikes=False"
                            )
                        spk_t.append(k * dt + phi)
                        spk_i.append(idx)
                    self._deliver(idx, k)
                    if self.sources:
                        idx, phi = self._without_sources(idx, phi)
                    # schedule the end of refractoriness
                    if scalar_tref:
                        x = phi + f_ref
                        j = k + m_ref
                        late = x >= dt if f_ref else None
                        if late is not None and late.any():
                            release_idx[(j + 1) % n_slots].append(idx[late])
                            release_rem[(j + 1) % n_slots].append(2 * dt - x[late])
                            early = ~late
                            idx, x = idx[early], x[early]
                        if idx.size:
                            release_idx[j % n_slots].append(idx)
                            release_rem[j % n_slots].append(dt - x)
                    else:
                        t_free = k * dt + phi + t_ref[idx]
                        jj = np.floor(t_free / dt + 1e-9).astype(np.int64)
                        rem = (jj + 1) * dt - t_free
                        for j in np.unique(jj):
                            m = jj == j
                            release_idx[j % n_slots].append(idx[m])
                            release_rem[j % n_slots].append(rem[m])

                rs = k % n_slots
                if release_idx[rs]:
                    ridx = release_idx[rs]
                    rrem = release_rem[rs]
                    ridx = ridx[0] if len(ridx) == 1 else np.concatenate(ridx)
                    rrem = rrem[0] if len(rrem) == 1 else np.concatenate(rrem)
                    release_idx[rs], release_rem[rs] = [], []
                    P22_r = _at(P22, ridx)
                    h = _at(drive, ridx) / (1.0 - P22_r)
                    for pr in shared:
                        if pr["own"] is not None:
                            ts = pr["ts"]
                            local = ridx - ts.start
                            inside = (local >= 0) & (local < ts.stop - ts.start)
                            h = h - np.where(
                                inside, pr["own_drive"][np.clip(local, 0, ts.stop - ts.start - 1)], 0.0
                            ) / (1.0 - P22_r)
                    decay = np.exp(-rrem / _at(tau, ridx))
                    val = h + (_at(u_reset, ridx) - h) * decay
                    if white:
                        if scalar_tref and m_ref:
                            xi = self.noise_buf[ridx] / np.where(
                                _at(self.sd_step, ridx) > 0, _at(self.sd_step, ridx), 1.0
                            )
                        else:
                            xi = self.noise_rng.standard_normal(ridx.size)
                        val += _at(self.sig_u, ridx) * np.sqrt((1.0 - decay**2) / 2.0) * xi
                    u[ridx] = val

        if len(rec):  # refractory samples hold -inf: show them at the reset potential
            reset = np.broadcast_to(np.asarray(u_reset, dtype=float), (N,))[rec]
            bad = ~np.isfinite(u_rec)
            u_rec[bad] = np.broadcast_to(reset[:, None], u_rec.shape)[bad]
        return self._result(params, counts, I_rec, u_rec, spk_t, spk_i)

    def _without_sources(self, idx, phi):
        keep = np.ones(idx.size, dtype=bool)
        for start, n_src, _ in self.sources:
            keep &= (idx < start) | (idx >= start + n_src)
        return idx[keep], phi[keep]

    def _I_now(self, k):
        if len(self.net.groups) == 1:
            return self.I_ext[0, k]
        return np.repeat(self.I_ext[:, k], self.sizes)

    def _deliver(self, idx, k):
        """Send the spikes of neurons ``idx`` (flat indices) along every projection."""
        for pr in self.shared:
            ss = self.slices[pr["src"]]
            if pr["single"]:
                n = idx.size
                local = idx
            else:
                local = idx[(idx >= ss.start) & (idx < ss.stop)]
                n = local.size
            if n:
                ring = pr["ring"]
                slot = (k + 1 + pr["D"]) % len(ring)
                ring[slot] += n
                if "own_ring" in pr:
                    pr["own_ring"][slot] = local - ss.start
        for pr in self.sparse:
            ss = self.slices[pr["src"]]
            local = idx[(idx >= ss.start) & (idx < ss.stop)] - ss.start if len(self.net.groups) > 1 else idx
            if not local.size:
                continue
            conn = pr["conn"]
            ip = pr["indptr_list"]
            # the targets of the neurons that fired: one slice each, joined in one copy
            spans = [(ip[j], ip[j + 1]) for j in local.tolist()]
            tg = np.concatenate([conn.targets[a:b] for a, b in spans])
            if not tg.size:
                continue
            n_t = pr["ring"].shape[1]
            if pr["w_uniform"] is not None:
                add = np.bincount(tg, minlength=n_t) * pr["w_uniform"]
                delivered = pr["w_uniform"] * tg.size
            elif pr["w_source"] is not None:  # one weight per source neuron (E/I networks)
                lens = [b - a for a, b in spans]
                w_fired = pr["w_source"][local]
                add = np.bincount(tg, weights=np.repeat(w_fired, lens), minlength=n_t)
                delivered = float(w_fired @ np.asarray(lens, dtype=float))
            else:
                wts = np.concatenate([conn.weights[a:b] for a, b in spans])
                add = np.bincount(tg, weights=wts, minlength=n_t)
                delivered = float(wts.sum())
            slot = (k + 1 + pr["D"]) % len(pr["ring"])
            pr["ring"][slot] += add
            pr["totals"][slot] += delivered

    def _result(self, params, counts, I_rec, u_rec, spk_t, spk_i) -> Result:
        dt = self.dt
        N = self.net.N
        if self.record_spikes and spk_t:
            times = np.concatenate(spk_t)
            ids = np.concatenate(spk_i).astype(np.int32)
        else:
            times, ids = np.zeros(0), np.zeros(0, dtype=np.int32)
        A_groups = counts / (self.sizes[:, None] * dt) * 1000.0
        A = counts.sum(axis=0) / (N * dt) * 1000.0
        w = self.sizes / N
        return Result(
            t=self.t,
            A=A,
            I_ext=(self.I_ext * w[:, None]).sum(axis=0),
            I_rec=(I_rec * w[:, None]).sum(axis=0),
            u=u_rec,
            recorded=self.rec,
            spike_times=times,
            spike_ids=ids,
            n_spikes=int(counts.sum()),
            N=N,
            dt=dt,
            t_max=self.n_steps * dt,
            params=params,
            groups=tuple(g.name for g in self.net.groups),
            A_groups=A_groups,
            I_ext_groups=self.I_ext,
            I_rec_groups=I_rec,
            neuron_params=self.neuron_params,
        )
