"""The engine: set-up of one simulation from its parts, and the time loop.

Per step k, from t_k to t_{k+1} (every part is an object chosen once at set-up):

1. record u(t_k) of the recorded neurons;
2. the external drive of the step, (1 − P)(u_rest + R (I_ext(t_k) + offset)) with P = e^{−dt/τ_m};
3. spikes due at t_k arrive (:mod:`nmteach.engine.projections`): delta kernels and Poisson
   drive (:mod:`nmteach.engine.poisson`) make membranes jump now, filters take them in;
4. the membranes advance exactly: u ← P u + drive + the filters' contribution + noise
   (:mod:`nmteach.engine.noise`);
5. threshold crossings, each located inside the step by inverting the exponential
   trajectory between the two grid values (a jump over θ fires at t_k itself), plus the
   Brownian-bridge crossings under white noise and the spikes of Poisson sources;
6. the neurons that fired are held refractory, and those whose refractory period ends in
   this step are released and integrated to t_{k+1}, firing again if they reach θ
   (:mod:`nmteach.engine.refractory`);
7. the spikes are counted, stored (:mod:`nmteach.engine.spikes`) and scheduled for delivery.

A network whose only inputs are jumps at grid points and a constant drive that keeps every
neuron below θ (Brunel's network) can cross θ only at the grid: its loop tests the
threshold right after the jumps and skips locating spike times, which are all t_k.
"""

from __future__ import annotations

import math

import numpy as np

from ..model.network import Network, PoissonGroup
from ..result import Result
from .neurons import at, compact, initial_potentials, neuron_arrays, spread
from .noise import noise_for
from .poisson import PoissonDriveStep, PoissonSources
from .projections import make_projection
from .refractory import Refractory
from .spikes import SpikeStore

__all__ = ["Engine", "ExternalDrive"]


class ExternalDrive:
    """The external part of each step's membrane drive: a float where it is the same for every neuron."""

    def __init__(self, net: Network, par, P, t: np.ndarray, slices):
        self.I_ext = np.stack([np.asarray(g.I_ext.values(t), dtype=float) for g in net.groups])  # (G, T)
        self.sizes = np.array([g.N for g in net.groups])
        one_minus_P = 1.0 - P
        self.B = compact(one_minus_P * par.R)
        self.A = compact(one_minus_P * (par.u_rest + par.R * par.I_offset))
        self.stimuli = []
        for g, sl in zip(net.groups, slices, strict=True):
            if g.stimulus is not None:
                B = self.B if isinstance(self.B, float) else self.B[sl]
                self.stimuli.append((sl, B * g.stimulus.profile, np.asarray(g.stimulus.time_course.values(t), float)))
        constant = all(g.I_ext.is_constant for g in net.groups) and not self.stimuli
        scalar = len(net.groups) == 1 and isinstance(self.A, float) and isinstance(self.B, float) and not self.stimuli
        self.N = int(self.sizes.sum())
        self.series = self.const = None
        if scalar and constant:  # one float for every step
            self.const = self.A + self.B * float(self.I_ext[0, 0])
        elif scalar:  # a Python float per step: faster to index than a numpy array
            self.series = (self.A + self.B * self.I_ext[0]).tolist()
        elif constant:  # a float, or an array when the drive differs between neurons
            self.const = compact(self._compute(0))
        self.constant, self.scalar = constant, scalar
        self.copy = True

    def _compute(self, k):
        I_now = self.I_ext[0, k] if len(self.sizes) == 1 else np.repeat(self.I_ext[:, k], self.sizes)
        drive = self.A + self.B * I_now
        if self.stimuli:
            if isinstance(drive, float):
                drive = np.full(self.N, drive)
            for sl, weight, course in self.stimuli:
                if course[k]:
                    drive[sl] += weight * course[k]
        return drive

    def __call__(self, k: int):
        if self.series is not None:
            return self.series[k]
        if self.const is not None:  # a copy when the filters will add to it
            return self.const.copy() if self.copy and isinstance(self.const, np.ndarray) else self.const
        return self._compute(k)


class Engine:
    """The state of one simulation and its time loop."""

    def __init__(
        self, net: Network, n_steps: int, dt: float, init_rng, noise_rng, rec, record_spikes, bridge, spike_room
    ):
        self.net, self.n_steps, self.dt, self.rec = net, n_steps, dt, rec
        self.record_spikes = record_spikes
        G = len(net.groups)
        self.slices = list(net.slices().values())
        self.sizes = np.array([g.N for g in net.groups])
        self.group_of = np.repeat(np.arange(G, dtype=np.min_scalar_type(G)), self.sizes) if G > 1 else None
        par = neuron_arrays(net, init_rng)
        self.par = par
        self.tau, self.theta, self.u_reset = par.tau_m, par.theta, par.u_reset
        self.P = compact(np.exp(-dt / np.asarray(par.tau_m)))
        self.theta1 = compact(par.theta * (1 - self.P))
        self.t = np.arange(n_steps) * dt
        self.ext = ExternalDrive(net, par, self.P, self.t, self.slices)
        self.u = initial_potentials(net, par, init_rng)
        self.white, self.ou = noise_for(net, par, dt, noise_rng, bridge)
        self.I_rec = np.zeros((G, n_steps))
        self.projections = [make_projection(p, net, self.slices, par, dt, self.I_rec) for p in net.projections]
        self.filters = [p for p in self.projections if not p.jumps]
        self.ext.copy = bool(self.filters)
        self.poisson = [
            PoissonDriveStep(sl, g.poisson, dt, n_steps, noise_rng)
            for g, sl in zip(net.groups, self.slices, strict=True)
            if g.poisson is not None and g.poisson.rate > 0
        ]
        self.sources = PoissonSources(
            [g for g in net.groups if isinstance(g, PoissonGroup)],
            [sl for g, sl in zip(net.groups, self.slices, strict=True) if isinstance(g, PoissonGroup)],
            dt,
            noise_rng,
        )
        self.refractory = Refractory(par.t_ref, self.tau, self.P, self.theta, self.u_reset, dt, self.white)
        self.spikes = SpikeStore(spike_room, "reduce N or t_max, or pass record_spikes=False")
        h_max = _max_asymptote(self.ext, self.P) if self.ext.constant else math.inf
        theta_min = float(np.min(par.theta))
        self.jump_only = not (self.filters or self.white or self.ou) and h_max < theta_min
        self.dt_below = dt * (1 - 1e-12)
        par.full = None  # set-up done: only the parameters that vary stay (in par.varying and the arrays above)

    # ------------------------------------------------------------------ the time loop
    def run(self, params) -> Result:
        n_steps, u, rec, P = self.n_steps, self.u, self.rec, self.P
        counts = np.zeros((len(self.sizes), n_steps), dtype=np.int64)
        u_rec = np.empty((len(rec), n_steps))
        u_s = np.empty_like(u)
        arrivals = [p for p in self.projections if p.jumps] + self.poisson
        filters, refractory, ext = self.filters, self.refractory, self.ext
        noise = self.white or self.ou
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            for k in range(n_steps):
                if len(rec):
                    u_rec[:, k] = u[rec]
                drive = ext(k)
                jumped = False
                for part in arrivals:
                    jumped |= part.arrive(k, u)
                for f in filters:
                    f.arrive(k, u)
                    drive = f.add_drive(drive)
                if self.jump_only:  # θ can only be crossed by a jump, at t_k
                    idx, phi = np.flatnonzero(u >= self.theta), 0.0
                    u *= P
                    if not isinstance(drive, float) or drive != 0.0:
                        u += drive
                else:
                    np.copyto(u_s, u)
                    u *= P
                    u += drive
                    if noise is not None:
                        noise.add(u)
                    idx, phi = self._crossings(u_s, u, jumped)
                if self.sources:
                    idx, phi = self._add(idx, phi, self.sources.fire())
                if idx.size or refractory.due(k):
                    idx, phi = self._refractory(k, idx, phi, u, drive)
                if idx.size:
                    self._spikes(k, idx, phi, counts)
        return self._result(params, counts, u_rec)

    # ------------------------------------------------------------------ the steps of the loop
    def _crossings(self, u_s, u, jumped):
        """Neurons that crossed θ in this step and the times (ms after t_k) when they did."""
        theta = self.theta
        bridge = None
        if self.white is not None:
            idx, bridge = self.white.crossings(u_s, u, theta)
        elif jumped:
            idx = np.flatnonzero(np.maximum(u_s, u) >= theta)
        else:
            idx = np.flatnonzero(u >= theta)
        if idx.size:
            us, un = u_s[idx], u[idx]
            tau, P, th, th1 = at(self.tau, idx), at(self.P, idx), at(theta, idx), at(self.theta1, idx)
            phi = tau * np.log((us - un) / (th1 + P * us - un))
            phi = np.where(us >= th, 0.0, np.clip(phi, 0.0, self.dt_below))  # a jump over θ fires at t_k
        else:
            phi = np.zeros(0)
        if bridge is not None and bridge.size:
            idx = np.concatenate([idx, bridge])
            phi = np.concatenate([phi, np.full(bridge.size, 0.5 * self.dt)])
        return idx, phi

    @staticmethod
    def _add(idx, phi, extra):
        if extra is None:
            return idx, phi
        e_idx, e_phi = extra
        if not idx.size:
            return e_idx, e_phi
        return np.concatenate([idx, e_idx]), np.concatenate([spread(phi, idx.size), e_phi])

    def _refractory(self, k, idx, phi, u, drive):
        """Hold the neurons that fired; release those due; return every spike of the step."""
        source_spike = self._source_mask(idx) if self.sources else None
        if idx.size:
            if source_spike is None:
                u[idx] = -np.inf
                self.refractory.schedule(idx, phi, k)
            elif not source_spike.all():  # Poisson sources have no membrane and no refractoriness
                keep = ~source_spike
                u[idx[keep]] = -np.inf
                self.refractory.schedule(idx[keep], spread(phi, idx.size)[keep], k)
        more_idx, more_phi = self.refractory.release(k, u, drive)
        if more_idx:
            phi = np.concatenate([spread(phi, idx.size), *more_phi])
            idx = np.concatenate([idx, *more_idx])
        return idx, phi

    def _source_mask(self, idx):
        mask = np.zeros(idx.size, dtype=bool)
        for start, n, _, _ in self.sources.parts:
            mask |= (idx >= start) & (idx < start + n)
        return mask

    def _spikes(self, k, idx, phi, counts):
        if self.group_of is None:
            counts[0, k] = idx.size
        else:
            counts[:, k] = np.bincount(self.group_of[idx], minlength=counts.shape[0])
        if self.record_spikes:
            self.spikes.add(k * self.dt + phi, idx)
        for p in self.projections:
            p.deliver(idx, k)

    # ------------------------------------------------------------------ the result
    def _result(self, params, counts, u_rec) -> Result:
        dt, N = self.dt, self.net.N
        if len(self.rec):  # refractory samples hold −inf: show them at the reset potential
            reset = np.broadcast_to(np.asarray(self.u_reset, dtype=float), (N,))[self.rec]
            np.copyto(u_rec, reset[:, None], where=u_rec == -np.inf)
        times, ids = self.spikes.result() if self.record_spikes else (np.zeros(0), np.zeros(0, dtype=np.int32))
        n_spikes = int(counts.sum())
        A = counts.sum(axis=0) / (N * dt)
        A *= 1000.0
        A_groups = counts / (self.sizes[:, None] * dt)
        A_groups *= 1000.0
        I_ext = self.ext.I_ext
        w = self.sizes / N
        return Result(
            t=self.t,
            A=A,
            I_ext=_weighted_sum(I_ext, w),
            I_rec=_weighted_sum(self.I_rec, w),
            u=u_rec,
            recorded=self.rec,
            spike_times=times,
            spike_ids=ids,
            n_spikes=n_spikes,
            N=N,
            dt=dt,
            t_max=self.n_steps * dt,
            params=params,
            groups=tuple(g.name for g in self.net.groups),
            A_groups=A_groups,
            I_ext_groups=I_ext,
            I_rec_groups=self.I_rec,
            neuron_params=self.par.varying,
        )


def _weighted_sum(rows: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Σ_g w_g rows[g], row by row (one array of T values, no (G, T) temporary); the row itself for one group."""
    if len(w) == 1:
        return rows[0]
    out = rows[0] * w[0]
    for g in range(1, len(w)):
        out += rows[g] * w[g]
    return out


def _max_asymptote(ext: ExternalDrive, P) -> float:
    """The largest value h = drive/(1 − P) a constant drive relaxes a membrane to."""
    drive = ext(0)
    return float(np.max(np.asarray(drive) / (1.0 - np.asarray(P))))
