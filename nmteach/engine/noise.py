"""Private noise currents in the time loop: white noise with its Brownian-bridge test, and OU noise.

White noise of amplitude σ (nA) makes the free membrane an Ornstein–Uhlenbeck process
with stationary standard deviation Rσ/√2 (mV); over one step its exact increment is
Gaussian with standard deviation Rσ √((1 − e^{−2dt/τ_m})/2). The engine draws these
Gaussians from a table of 65,536 equally likely values, the quantiles Φ⁻¹((i + ½)/65536)
rescaled to unit variance, indexed by 16 random bits each (four per 64-bit word of the
generator): a quarter of the cost of numpy's Gaussian generator. Its mean is 0 and its
variance 1 exactly; it has no values beyond ±4.33 (a fraction 1.5·10⁻⁵ of a true
Gaussian's mass). The tests check the rates against the Siegert formula and the membrane
variance against Rσ²/2 with it.

A trajectory may cross θ and come back between two grid points; the engine fires a
neuron that ends the step below threshold with the Brownian-bridge crossing probability
exp(−2 (θ − u_k)(θ − u_{k+1}) / v), v = (Rσ)² dt/τ_m the variance of the step.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.special import ndtri

from ..model.inputs import OUNoise, WhiteNoise
from .neurons import NeuronArrays, at, compact

__all__ = ["GaussianTable", "OUNoiseStep", "WhiteNoiseStep", "noise_for"]

_LEVELS = 1 << 16


def _table() -> np.ndarray:
    q = ndtri((np.arange(_LEVELS) + 0.5) / _LEVELS)
    return q / np.sqrt(np.mean(q * q))  # mean 0 by symmetry; variance exactly 1


_TABLE = _table()


class GaussianTable:
    """Standard Gaussian draws from the 16-bit quantile table (see the module notes)."""

    def __init__(self, rng: np.random.Generator, scale=1.0):
        self.bits = rng.bit_generator
        self.table = _TABLE * scale if isinstance(scale, float) else _TABLE
        self.scale = None if isinstance(scale, float) else scale

    def fill(self, out: np.ndarray) -> np.ndarray:
        """``out`` (float64) filled with draws (times ``scale``)."""
        n = out.size
        words = self.bits.random_raw((n + 3) // 4)
        np.take(self.table, words.view(np.uint16)[:n], out=out)
        if self.scale is not None:
            out *= self.scale
        return out

    def draw(self, n: int) -> np.ndarray:
        """``n`` unscaled standard draws."""
        words = self.bits.random_raw((n + 3) // 4)
        return _TABLE[words.view(np.uint16)[:n]]


class WhiteNoiseStep:
    """Adds each step's exact OU increment to the membranes, and finds bridge crossings."""

    def __init__(self, sigma, par: NeuronArrays, dt: float, rng: np.random.Generator, bridge: bool, N: int):
        # every quantity is a float where it is the same for all neurons (no arrays of N copies)
        tau = par.tau_m
        P = np.exp(-dt / tau)
        sig_u = compact(par.R * sigma)  # mV
        self.sig_u = sig_u
        self.sd_step = compact(sig_u * np.sqrt((1 - P**2) / 2))
        self.gauss = GaussianTable(rng, self.sd_step)
        self.rng = rng
        self.buf = np.empty(N)
        self.bridge = bridge
        v = np.maximum(np.square(sig_u) * dt / tau, 1e-300)
        self.v = compact(v)
        # beyond this distance below θ the crossing probability is < 1e-10: not a candidate
        self.margin = compact(np.sqrt(v * math.log(1e10) / 2) * (np.asarray(sigma) > 0))
        self.tmp = np.empty(N)
        self.dt = dt

    def add(self, u: np.ndarray) -> None:
        u += self.gauss.fill(self.buf)

    def crossings(self, u_s, u, theta):
        """Neurons that cross θ within the step: at the grid (``u ≥ θ``) or by the bridge test.

        Returns ``(grid, bridge)``: the neurons at or above θ at either end of the step (whose
        spike times the caller locates exactly), and those the bridge test fires (None without it).
        """
        np.maximum(u_s, u, out=self.tmp)
        cand = np.flatnonzero(self.tmp >= theta - self.margin)
        if not cand.size:
            return cand, None
        th = at(theta, cand)
        uc, usc = u[cand], u_s[cand]
        grid = (uc >= th) | (usc >= th)
        if not self.bridge:
            return cand[grid], None
        below = ~grid
        prob = np.exp(-2.0 * (th - usc) * (th - uc) / at(self.v, cand))
        hit = below & (self.rng.random(cand.size) < prob)
        return cand[grid], cand[hit]

    def release_noise(self, idx, decay):
        """The noise of the free evolution over the part of the step after release (mV)."""
        xi = self.gauss.draw(idx.size)
        return at(self.sig_u, idx) * np.sqrt((1.0 - decay**2) / 2.0) * xi


class OUNoiseStep:
    """Ornstein–Uhlenbeck current ξ (exact update, held constant within the step)."""

    def __init__(self, sigma, tau_n, par: NeuronArrays, dt: float, rng: np.random.Generator, N: int):
        self.gauss = GaussianTable(rng)
        self.eta = self.gauss.draw(N) * sigma
        self.rho = compact(np.exp(-dt / tau_n))
        self.sd_eta = compact(sigma * np.sqrt(1 - np.exp(-2 * dt / np.asarray(tau_n))))
        self.gain = compact(par.R * (1 - np.exp(-dt / np.asarray(par.tau_m))))
        self.buf = np.empty(N)

    def add(self, u: np.ndarray) -> None:
        np.multiply(self.eta, self.gain, out=self.buf)
        u += self.buf
        self.eta *= self.rho
        self.eta += self.sd_eta * self.gauss.draw(self.eta.size)


def noise_for(net, par: NeuronArrays, dt: float, rng: np.random.Generator, bridge: bool):
    """The white-noise and OU steppers of a network (None where no group has that noise)."""
    white_groups = [g.noise.sigma if isinstance(g.noise, WhiteNoise) else 0.0 for g in net.groups]
    ou_groups = [g.noise.sigma if isinstance(g.noise, OUNoise) else 0.0 for g in net.groups]
    white = ou = None
    if any(s > 0 for s in white_groups):
        white = WhiteNoiseStep(_per_neuron(net, white_groups), par, dt, rng, bridge, net.N)
    if any(s > 0 for s in ou_groups):
        taus = [g.noise.tau if isinstance(g.noise, OUNoise) else 1.0 for g in net.groups]
        ou = OUNoiseStep(_per_neuron(net, ou_groups), _per_neuron(net, taus), par, dt, rng, net.N)
    return white, ou


def _per_neuron(net, values):
    """One value per group, as a float when all groups share it, else as an array over the N neurons."""
    if all(v == values[0] for v in values):
        return float(values[0])
    return np.repeat(np.asarray(values, dtype=float), [g.N for g in net.groups])
