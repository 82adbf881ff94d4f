"""The homogeneous population and its simulation engine.

N identical LIF neurons, all-to-all coupled with one weight ``w0 = J0/N``
(self-edges included unless ``self_coupling=False``), all driven by the same
``I_ext(t)`` (Neuronal Dynamics §12.1):

.. math:: I_i(t) = I^{ext}(t) + \\sum_{j=1}^{N} \\sum_f w_0\\, \\alpha(t - t_j^f)
          = I^{ext}(t) + w_0 N \\int_0^\\infty \\alpha(s) A(t-s)\\, ds .

Because every neuron receives the same recurrent input, the engine keeps one
synaptic filter for the whole population and updates the N membranes in O(N)
per step, never O(N²).

How the engine integrates
-------------------------
* Between grid points the linear subthreshold dynamics, together with the
  kernel's filter state, is integrated exactly (the propagator matrix of the
  joint linear system), so a coarse ``dt`` does not make the membrane unstable.
* A spike's time is located inside the step by inverting the exponential
  trajectory between the two grid values; refractory time is counted from that
  exact time, so the noise-free f–I curve is reproduced to rounding error.
* Spikes emitted during a step reach their targets at the next grid point
  (plus ``delay``).
* With white noise, a trajectory may cross θ and come back between two grid
  points. Checking only at the grid would miss these crossings and bias the
  rate downwards by a term of order σ√dt. The engine therefore fires a neuron
  that ends the step below threshold with the Brownian-bridge crossing
  probability exp(−2 (θ − u_k)(θ − u_{k+1}) / v), v the variance of u's
  increment over the step (``bridge=True``; switch it off to see the bias).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np

from ._params import check, check_int
from .inputs import Input, OUNoise, WhiteNoise, as_input
from .kernels import DeltaKernel, ExponentialKernel, Kernel, _expm, _step_average
from .neuron import LIF
from .result import Result

__all__ = ["MEMORY_BUDGET", "Population", "simulate"]

#: Largest memory (bytes) a simulation may use; about what a Binder machine leaves free.
MEMORY_BUDGET = 1_000_000_000

_SPIKE_BYTES = 12  # float64 time + int32 index


@dataclass(frozen=True)
class Population:
    """A homogeneous population of ``N`` LIF neurons with all-to-all coupling.

    Parameters
    ----------
    N : int
        Number of neurons.
    neuron : LIF
        Parameters shared by all neurons.
    J0 : float
        Total coupling ``J0 = w0·N`` (dimensionless). The recurrent input in the
        asynchronous state is ``J0 q A0``. Give either ``J0`` or ``w0``.
    w0 : float, optional
        Weight of one synapse; ``J0 = w0·N``.
    kernel : Kernel
        Postsynaptic current kernel α (default: exponential, q = 1 pC, τ_s = 5 ms).
    I_ext : float or Input
        External current in nA, the same for all neurons.
    noise : WhiteNoise, OUNoise or None
        Private noise current of every neuron.
    self_coupling : bool
        Whether each neuron also excites (or inhibits) itself, as in the notes.
    delay : float
        Synaptic delay in ms (added to the one-step delivery).
    u0 : "uniform", "rest", float or array of shape (N,)
        Initial membrane potentials: uniform in [u_reset, θ), all at rest, one
        value for all, or one per neuron (mV).

    Examples
    --------
    >>> pop = Population(N=100, J0=0.0, I_ext=0.3)
    >>> pop.w0
    0.0
    >>> Population(N=0)
    Traceback (most recent call last):
    ...
    ValueError: N = 0 is out of range: number of neurons must lie in [1, 1e+07]
    """

    N: int = 1000
    neuron: LIF = field(default_factory=LIF)
    J0: float | None = None
    w0: float | None = None
    kernel: Kernel = field(default_factory=ExponentialKernel)
    I_ext: Input | float = 0.2
    noise: WhiteNoise | OUNoise | None = None
    self_coupling: bool = True
    delay: float = 0.0
    u0: object = field(default="uniform", compare=False)

    def __post_init__(self):
        N = check_int("N", self.N)
        object.__setattr__(self, "N", N)
        if not isinstance(self.neuron, LIF):
            raise ValueError(f"neuron = {self.neuron!r} must be an LIF")
        if not isinstance(self.kernel, Kernel):
            raise ValueError(f"kernel = {self.kernel!r} must be a Kernel such as ExponentialKernel")
        if self.noise is not None and not isinstance(self.noise, (WhiteNoise, OUNoise)):
            raise ValueError(f"noise = {self.noise!r} must be None, WhiteNoise or OUNoise")
        object.__setattr__(self, "I_ext", as_input(self.I_ext))
        J0, w0 = self.J0, self.w0
        if J0 is None and w0 is None:
            J0 = 0.0
        if J0 is not None:
            J0 = check("J0", J0)
        if w0 is not None:
            w0 = check("w0", w0)
            if J0 is not None and not math.isclose(J0, w0 * N, rel_tol=1e-12, abs_tol=1e-15):
                raise ValueError(f"J0 = {J0} and w0 = {w0} disagree: J0 must equal w0·N = {w0 * N}; give only one")
            J0 = w0 * N
        object.__setattr__(self, "J0", J0)
        object.__setattr__(self, "w0", J0 / N)
        object.__setattr__(self, "delay", check("delay", self.delay))
        object.__setattr__(self, "self_coupling", bool(self.self_coupling))
        u0 = self.u0
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

    def replace(self, **changes) -> Population:
        """A copy with some fields changed. Changing ``N`` keeps ``J0`` (the scaling law w0 = J0/N)."""
        if "w0" not in changes:
            changes.setdefault("J0", self.J0)
            changes["w0"] = None
        return replace(self, **changes)

    def initial_potentials(self, rng: np.random.Generator) -> np.ndarray:
        n = self.neuron
        if isinstance(self.u0, str):
            if self.u0 == "rest":
                return np.full(self.N, n.u_rest)
            return rng.uniform(n.u_reset, n.theta, self.N)
        return np.broadcast_to(np.asarray(self.u0, dtype=float), (self.N,)).copy()


def _resolve_rng(rng) -> np.random.Generator:
    if rng is None or (isinstance(rng, (int, np.integer)) and not isinstance(rng, bool)):
        if rng is not None and rng < 0:
            raise ValueError(f"rng = {rng} must be a non-negative integer seed, None or a numpy Generator")
        return np.random.default_rng(rng)
    if isinstance(rng, np.random.Generator):
        return rng
    raise ValueError(f"rng = {rng!r} must be None, an integer seed or a numpy Generator")


def _record_indices(record, N: int) -> np.ndarray:
    if isinstance(record, (int, np.integer)) and not isinstance(record, bool):
        if record < 0:
            raise ValueError(f"record = {record} must be ≥ 0 (how many neurons to record) or an array of indices")
        return np.arange(min(int(record), N))
    idx = np.asarray(record)
    if idx.ndim != 1 or idx.dtype.kind not in "iu":
        raise ValueError("record must be a number of neurons or a 1-d array of neuron indices")
    if idx.size and (idx.min() < 0 or idx.max() >= N):
        raise ValueError(f"record contains indices outside [0, {N - 1}]")
    return idx


def _propagators(neuron: LIF, kernel: Kernel, dt: float):
    """P22 = e^{-dt/τ}, the filter propagator E, the filter-to-membrane row p and the step average."""
    P22 = math.exp(-dt / neuron.tau_m)
    M, b, c = kernel.state_space()
    d = len(b)
    if d == 0:
        return P22, np.zeros((0, 0)), np.zeros(0), np.zeros(0), b
    big = np.zeros((d + 1, d + 1))
    big[:d, :d] = M
    big[d, :d] = neuron.R * c / neuron.tau_m
    big[d, d] = -1.0 / neuron.tau_m
    full = _expm(big * dt)
    E = full[:d, :d]
    p = full[d, :d]  # membrane change (mV) over one step per unit filter state
    c_avg = c @ _step_average(M, dt)
    return P22, E, p, c_avg, b


def estimate_memory(pop: Population, n_steps: int, n_record: int) -> int:
    """Bytes of the arrays a simulation allocates before any spike is stored."""
    d = len(pop.kernel.state_space()[1])
    per_neuron = 8 * 3 + 2 + (8 if pop.noise is not None else 0) + (8 * d if not pop.self_coupling else 0)
    return per_neuron * pop.N + 8 * n_steps * (4 + n_record)


def simulate(
    pop: Population,
    t_max: float,
    *,
    dt: float = 0.1,
    rng=None,
    record=3,
    record_spikes: bool = True,
    bridge: bool = True,
) -> Result:
    """Simulate a homogeneous population spike by spike.

    Parameters
    ----------
    pop : Population
        The model.
    t_max : float
        Simulated time, ms.
    dt : float, keyword-only
        Time step, ms, in [0.001, 1].
    rng : None, int or numpy.random.Generator
        Source of randomness (initial potentials and noise). The same seed gives
        the same result.
    record : int or array of int
        How many neurons (the first ones) or which neurons to record u(t) from.
    record_spikes : bool
        Store every spike's time and neuron (A(t) is always recorded).
    bridge : bool
        With white noise, also fire neurons whose trajectory crossed θ between
        two grid points (see the module notes). Without it, rates are biased low.

    Returns
    -------
    Result

    Examples
    --------
    >>> res = simulate(Population(N=10, I_ext=0.3, u0="rest"), 100.0, rng=1)
    >>> res.A.shape, res.u.shape
    ((1000,), (3, 1000))
    """
    if not isinstance(pop, Population):
        raise ValueError(f"pop = {pop!r} must be a Population")
    t_max = check("t_max", t_max)
    dt = check("dt", dt)
    n_steps = round(t_max / dt)
    if n_steps < 1:
        raise ValueError(f"t_max = {t_max} ms is shorter than one time step dt = {dt} ms")
    if isinstance(pop.noise, OUNoise) and pop.noise.tau < dt:
        raise ValueError(f"OUNoise tau = {pop.noise.tau} ms must be at least the time step dt = {dt} ms")
    rec = _record_indices(record, pop.N)
    need = estimate_memory(pop, n_steps, len(rec))
    if need > MEMORY_BUDGET:
        raise ValueError(
            f"this simulation needs about {need / 1e6:.0f} MB, more than the budget of "
            f"{MEMORY_BUDGET / 1e6:.0f} MB: reduce N = {pop.N}, t_max = {t_max} ms or the number of "
            f"recorded neurons ({len(rec)}), or increase dt = {dt} ms"
        )
    gen = _resolve_rng(rng)
    init_rng, noise_rng = gen.spawn(2)
    return _run(pop, n_steps, dt, init_rng, noise_rng, rec, record_spikes, bridge, need)


def _run(pop, n_steps, dt, init_rng, noise_rng, rec, record_spikes, bridge, need):
    nrn, ker, N = pop.neuron, pop.kernel, pop.N
    tau, R, theta, u_reset, t_ref = nrn.tau_m, nrn.R, nrn.theta, nrn.u_reset, nrn.t_ref
    P22, E, p, c_avg, b = _propagators(nrn, ker, dt)
    w0 = pop.w0
    is_delta = isinstance(ker, DeltaKernel)
    jump_per_spike = w0 * R * ker.q / tau if is_delta else 0.0  # mV per presynaptic spike
    theta1 = theta * (1.0 - P22)

    t = np.arange(n_steps) * dt
    I_ext = np.asarray(pop.I_ext.values(t), dtype=float)
    # the part of the membrane update that does not depend on u: (1 - e^{-dt/τ}) (u_rest + R I_ext)
    smooth_drive = (1.0 - P22) * (nrn.u_rest + R * I_ext)

    # the shared synaptic filter, kept in Python floats (it has at most two components)
    d = len(b)
    Ez, pz, cz, bz = E.tolist(), p.tolist(), c_avg.tolist(), (b * w0).tolist()
    z = [0.0] * d
    zs = np.zeros((N, d)) if (not pop.self_coupling and d) else None

    # delivery ring for spike counts (and, without self-coupling, who sent them)
    D = round(pop.delay / dt)
    L = D + 2
    ring = [0] * L
    own_ring = [None] * L if not pop.self_coupling else None

    # refractoriness: a refractory neuron holds u = -inf until its release step, in which
    # it integrates the remainder of the step from u_reset. A spike at offset φ in step k
    # is released in step k + m (or k + m + 1 when φ + f >= dt), f = t_ref - m dt.
    m_ref = math.floor(t_ref / dt + 1e-9)
    f_ref = max(t_ref - m_ref * dt, 0.0)
    n_slots = m_ref + 3
    release_idx = [[] for _ in range(n_slots)]
    release_rem = [[] for _ in range(n_slots)]

    u = pop.initial_potentials(init_rng)
    u = np.where(u >= theta, np.nextafter(theta, -np.inf), u)
    u_s = np.empty(N)
    fired = np.empty(N, dtype=bool)

    white = isinstance(pop.noise, WhiteNoise) and pop.noise.sigma > 0
    ou = isinstance(pop.noise, OUNoise) and pop.noise.sigma > 0
    if white:
        sig_u = R * pop.noise.sigma
        sd_step = sig_u * math.sqrt((1.0 - P22**2) / 2.0)
        v_bridge = sig_u**2 * dt / tau  # variance of u's increment over dt, Brownian approximation
        c_bridge = math.sqrt(v_bridge * math.log(1e10) / 2.0)  # farther than this: P(cross) < 1e-10
        noise_buf = np.empty(N)
        near = np.empty(N, dtype=bool)
        near2 = np.empty(N, dtype=bool)
    if ou:
        eta = noise_rng.normal(0.0, pop.noise.sigma, N)
        rho = math.exp(-dt / pop.noise.tau)
        sd_eta = pop.noise.sigma * math.sqrt(1.0 - rho**2)
        gain_eta = R * (1.0 - P22)
        noise_buf = np.empty(N)

    counts = np.zeros(n_steps, dtype=np.int64)
    I_rec = np.zeros(n_steps)
    u_rec = np.empty((len(rec), n_steps))
    spk_t, spk_i = [], []
    n_stored = 0
    max_spikes = (MEMORY_BUDGET - need) // _SPIKE_BYTES
    empty_f = np.zeros(0)
    dt_below = dt * (1.0 - 1e-12)  # a spike belongs to the step in which it happens

    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        for k in range(n_steps):
            slot = k % L
            n_in = ring[slot]
            ring[slot] = 0
            if len(rec):
                u_rec[:, k] = u[rec]

            # synaptic input arriving at t_k
            drive_k = smooth_drive[k]
            jump = 0.0
            if is_delta:
                if n_in:
                    jump = jump_per_spike * n_in
                    I_rec[k] = w0 * ker.q * n_in / dt
                    u += jump
            elif d:
                if n_in:
                    for i in range(d):
                        z[i] += bz[i] * n_in
                syn = 0.0
                cur = 0.0
                for i in range(d):
                    syn += pz[i] * z[i]
                    cur += cz[i] * z[i]
                drive_k += syn
                I_rec[k] = cur
                z = [sum(Ez[i][j] * z[j] for j in range(d)) for i in range(d)]
            if own_ring is not None and own_ring[slot] is not None:
                own = own_ring[slot]
                own_ring[slot] = None
                if is_delta:
                    u[own] -= jump_per_spike
                else:
                    zs[own] += b * w0

            np.copyto(u_s, u)  # u just after t_k (after jumps)
            u *= P22
            u += drive_k
            if zs is not None:
                own_drive = zs @ p  # each neuron's own share of drive_k, removed again
                u -= own_drive
                zs = zs @ E.T
            if white:
                noise_rng.standard_normal(out=noise_buf)
                noise_buf *= sd_step
                u += noise_buf
            elif ou:
                np.multiply(eta, gain_eta, out=noise_buf)
                u += noise_buf
                eta *= rho
                eta += sd_eta * noise_rng.standard_normal(N)

            # threshold crossings seen at the grid point; the crossing time inside the step
            # inverts u(t) = h + (u_s - h) e^{-t/τ}, with h fixed by the two grid values
            np.greater_equal(u, theta, out=fired)
            idx = fired.nonzero()[0]
            if jump > 0:
                extra = (u_s >= theta).nonzero()[0]
                if extra.size:
                    idx = np.union1d(idx, extra)
            if idx.size:
                us_i = u_s[idx]
                un_i = u[idx]
                phi = tau * np.log((us_i - un_i) / (theta1 + P22 * us_i - un_i))
                np.fmax(phi, 0.0, out=phi)  # also maps NaN (u_s already above θ) to 0
                np.fmin(phi, dt_below, out=phi)
            else:
                phi = empty_f
            # with white noise, crossings between the grid points (Brownian bridge)
            if white and bridge:
                np.greater_equal(u, theta - c_bridge, out=near)
                np.greater_equal(u_s, theta - c_bridge, out=near2)
                near |= near2
                cand = near.nonzero()[0]
                if cand.size:
                    uc = u[cand]
                    # refractory neurons hold -inf and get probability 0; neurons already
                    # above θ have fired at the grid point and are left out
                    prob = np.exp(-2.0 * (theta - u_s[cand]) * (theta - uc) / v_bridge)
                    hit = cand[(noise_rng.random(cand.size) < prob) & (uc < theta)]
                    if hit.size:
                        idx = np.concatenate([idx, hit])
                        phi = np.concatenate([phi, np.full(hit.size, 0.5 * dt)])

            n_fire = idx.size
            if n_fire:
                counts[k] = n_fire
                u[idx] = -np.inf
                if record_spikes:
                    n_stored += n_fire
                    if n_stored > max_spikes:
                        raise ValueError(
                            f"more than {max_spikes} spikes would exceed the memory budget of "
                            f"{MEMORY_BUDGET / 1e6:.0f} MB: reduce N or t_max, or pass record_spikes=False"
                        )
                    spk_t.append(k * dt + phi)
                    spk_i.append(idx)
                ring[(k + 1 + D) % L] += n_fire
                if own_ring is not None:
                    own_ring[(k + 1 + D) % L] = idx
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

            # neurons whose refractory period ends in this step integrate the rest of it
            rs = k % n_slots
            if release_idx[rs]:
                ridx = release_idx[rs]
                rrem = release_rem[rs]
                ridx = ridx[0] if len(ridx) == 1 else np.concatenate(ridx)
                rrem = rrem[0] if len(rrem) == 1 else np.concatenate(rrem)
                release_idx[rs], release_rem[rs] = [], []
                h_k = drive_k / (1.0 - P22)
                if zs is not None:
                    h_k = h_k - own_drive[ridx] / (1.0 - P22)
                decay = np.exp(-rrem / tau)
                val = h_k + (u_reset - h_k) * decay
                if white:
                    # normals drawn this step for neurons that were refractory went unused; with
                    # t_ref < dt a neuron may fire and be released in one step, so draw afresh
                    xi = noise_buf[ridx] / sd_step if m_ref else noise_rng.standard_normal(ridx.size)
                    val += sig_u * np.sqrt((1.0 - decay**2) / 2.0) * xi
                u[ridx] = val

    u_rec[~np.isfinite(u_rec)] = u_reset  # refractory: held at reset
    if record_spikes and spk_t:
        times = np.concatenate(spk_t)
        ids = np.concatenate(spk_i).astype(np.int32)
    else:
        times, ids = np.zeros(0), np.zeros(0, dtype=np.int32)
    A = counts / (N * dt) * 1000.0
    return Result(
        t=t,
        A=A,
        I_ext=I_ext,
        I_rec=I_rec,
        u=u_rec,
        recorded=rec,
        spike_times=times,
        spike_ids=ids,
        n_spikes=int(counts.sum()),
        N=N,
        dt=dt,
        t_max=n_steps * dt,
        params=pop,
    )
