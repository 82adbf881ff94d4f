"""Refractoriness, and firing again within the same step.

A neuron that fires at t_k + φ holds u = −inf (so no decay, drive or noise can move it)
until t_k + φ + t_ref. It is released in the step that contains that time: from u_reset it
evolves freely over the rest of the step, exactly, under the step's drive,

    u(t) = h + (u_reset − h) e^{−t/τ_m},   h = drive / (1 − e^{−dt/τ_m}),

and if h > θ the trajectory reaches θ after t_c = τ_m ln((h − u_reset)/(h − θ)). When t_c
falls inside the rest of the step the neuron fires again at that time, is held again, and
may be released again within the step (t_ref < dt): so the f–I curve holds for every
interval T > t_ref at any dt, and a neuron fires as often in a step as its input makes it.
More than :data:`MAX_SPIKES_PER_STEP` spikes of one neuron in one step is refused.
"""

from __future__ import annotations

import math

import numpy as np

from .neurons import at, spread

__all__ = ["MAX_SPIKES_PER_STEP", "Refractory"]

#: a neuron may fire at most this often within one step (a rate of this many spikes per dt)
MAX_SPIKES_PER_STEP = 1000


class Refractory:
    """Schedules the end of every neuron's refractory period and releases it exactly within its step."""

    def __init__(self, t_ref, tau, P, theta, u_reset, dt: float, white=None):
        self.t_ref, self.tau, self.P, self.theta, self.u_reset = t_ref, tau, P, theta, u_reset
        self.dt, self.white = dt, white
        self.scalar = isinstance(t_ref, float)
        t_max = t_ref if self.scalar else float(np.max(t_ref))
        self.n_slots = math.floor(t_max / dt + 1e-9) + 3
        self.idx = [[] for _ in range(self.n_slots)]
        self.rem = [[] for _ in range(self.n_slots)]
        self.dt_below = dt * (1 - 1e-12)
        self.any_above = None  # set by the engine when the drive can exceed θ (h > θ somewhere)

    def due(self, k: int) -> bool:
        return bool(self.idx[k % self.n_slots])

    def schedule(self, idx, phi, k: int) -> None:
        """Neurons ``idx`` fired at t_k + phi (phi a float or an array): free at t_k + phi + t_ref."""
        dt = self.dt
        if self.scalar and isinstance(phi, float):
            t_free = phi + self.t_ref
            j = math.floor(t_free / dt + 1e-9)
            slot = (k + j) % self.n_slots
            self.idx[slot].append(idx)
            self.rem[slot].append((j + 1) * dt - t_free)
            return
        t_free = phi + at(self.t_ref, idx)
        jj = np.floor(t_free / dt + 1e-9).astype(np.int64)
        rem = (jj + 1) * dt - t_free
        if jj.size and jj.min() == jj.max():
            slot = (k + int(jj[0])) % self.n_slots
            self.idx[slot].append(idx)
            self.rem[slot].append(rem)
            return
        for j in np.unique(jj):
            m = jj == j
            slot = (k + int(j)) % self.n_slots
            self.idx[slot].append(idx[m])
            self.rem[slot].append(rem[m])

    def release(self, k: int, u: np.ndarray, drive):
        """Release the neurons due in step k; returns their spikes within the step as ``(idx, phi)`` lists."""
        slot = k % self.n_slots
        out_idx, out_phi = [], []
        rounds = 0
        while self.idx[slot]:
            rounds += 1
            if rounds > MAX_SPIKES_PER_STEP:
                raise ValueError(
                    f"a neuron fires more than {MAX_SPIKES_PER_STEP} times within one step of {self.dt} ms: the input "
                    "drives it faster than any rate worth simulating; lower the input or give it a refractory period"
                )
            pieces, rems = self.idx[slot], self.rem[slot]
            self.idx[slot], self.rem[slot] = [], []
            if len(pieces) == 1:
                ridx, rem = pieces[0], rems[0]
            else:
                ridx = np.concatenate(pieces)
                rem = np.concatenate([spread(r, p.size) for p, r in zip(pieces, rems, strict=True)])
            fired, phi = self._free(ridx, rem, u, drive)
            if fired is not None:
                out_idx.append(fired)
                out_phi.append(phi)
                u[fired] = -np.inf
                self.schedule(fired, phi, k)
        return out_idx, out_phi

    def _free(self, ridx, rem, u, drive):
        """Free evolution from u_reset over the remaining ``rem`` ms of the step; returns new spikes."""
        tau = at(self.tau, ridx)
        P = at(self.P, ridx)
        h = at(drive, ridx) / (1.0 - P)
        theta = at(self.theta, ridx)
        ur = at(self.u_reset, ridx)
        decay = np.exp(-rem / tau)
        val = h + (ur - h) * decay
        fired = phi = None
        if self.white is not None:
            val = val + self.white.release_noise(ridx, spread(decay, ridx.size))
        above = np.asarray(val >= theta)
        if above.any():  # the rest of the step took it over θ: fire where the trajectory crosses
            if above.ndim == 0:
                above = np.full(ridx.shape, bool(above))
            with np.errstate(divide="ignore", invalid="ignore"):
                tc = at(tau, above) * np.log((at(h, above) - at(ur, above)) / (at(h, above) - at(theta, above)))
            start = self.dt - spread(rem, ridx.size)[above]
            phi = np.where(np.isfinite(tc) & (tc >= 0), start + tc, self.dt_below)  # noise-driven: at the end
            phi = np.minimum(phi, self.dt_below)
            fired = ridx[above]
            keep = ~above
            ridx = ridx[keep]
            val = spread(val, above.size)[keep]
        u[ridx] = val
        return fired, phi
