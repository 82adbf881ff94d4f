"""Poisson input in the time loop: external Poisson synapses (membrane jumps) and Poisson source groups.

A :class:`nmteach.PoissonDrive` of n synapses at ν Hz gives a neuron a Poisson number of
input spikes with mean λ = n ν dt per step, each a jump of J mV at the grid point. The
counts are drawn 64 steps at a time: 16 random bits per neuron and step, mapped through
the inverse CDF of Poisson(λ) tabulated at the 65,536 levels (each count's probability is
exact to 2⁻¹⁶), the table holding the jumps k·J directly. Large groups draw fewer steps at
once, so a block never holds more than 2²² values (32 MB).

A :class:`nmteach.PoissonGroup` neuron fires a Poisson number of spikes per step with mean
λ = ν dt: it fires when a uniform draw exceeds e^{−λ} (exact in double precision), and
then k times, k from the CDF of the same draw; the k spike times are uniform in the step.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.special import pdtr

__all__ = ["BLOCK", "PoissonDriveStep", "PoissonSources", "block_rows", "poisson_table"]

#: steps of Poisson input drawn at once (fewer for large groups: at most BLOCK_VALUES values per block)
BLOCK = 64
BLOCK_VALUES = 1 << 22
_LEVELS = 1 << 16


def block_rows(n: int) -> int:
    """Steps drawn at once for a group of n neurons."""
    return max(1, min(BLOCK, BLOCK_VALUES // max(n, 1)))


def _support(lam: float) -> np.ndarray:
    """The counts k where Poisson(λ) has all but a negligible part (< 1e-30) of its mass."""
    half = 12.0 * math.sqrt(lam) + 20.0
    return np.arange(max(0, math.floor(lam - half)), math.ceil(lam + half) + 1)


def poisson_table(lam: float) -> np.ndarray:
    """Counts for the 65,536 levels of 16 random bits: the inverse CDF of Poisson(λ) at (i + ½)/65536."""
    k = _support(lam)
    cdf = pdtr(k, lam)
    return k[np.minimum(np.searchsorted(cdf, (np.arange(_LEVELS) + 0.5) / _LEVELS), k.size - 1)]


class PoissonDriveStep:
    """The jumps of one group's external Poisson synapses, drawn a block of steps at a time."""

    def __init__(self, sl: slice, drive, dt: float, n_steps: int, rng: np.random.Generator):
        self.sl, self.n, self.n_steps = sl, sl.stop - sl.start, n_steps
        lam = drive.n * drive.rate * dt / 1000.0
        self.jumps = poisson_table(lam) * drive.J  # mV for each of the 65,536 levels
        self.bits = rng.bit_generator
        self.block = None
        self.rows = block_rows(self.n)
        self.whole = sl.start == 0

    def arrive(self, k: int, u: np.ndarray) -> bool:
        b = k % self.rows
        if b == 0:
            rows = min(self.rows, self.n_steps - k)
            self.block = None  # free the last block before drawing the next
            words = self.bits.random_raw((rows * self.n + 3) // 4)
            levels = words.view(np.uint16)[: rows * self.n].reshape(rows, self.n)
            self.block = self.jumps[levels]
        if self.whole and self.n == u.size:
            u += self.block[b]
        else:
            u[self.sl] += self.block[b]
        return True


class PoissonSources:
    """The spikes of all Poisson source groups: (flat index, offset in the step) per spike."""

    def __init__(self, groups, slices, dt: float, rng: np.random.Generator):
        self.parts = []
        for g, sl in zip(groups, slices, strict=True):
            lam = g.rate * dt / 1000.0
            if lam > 0:
                cdf = pdtr(np.arange(_support(lam)[-1] + 1), lam)
                self.parts.append((sl.start, g.N, math.exp(-lam), cdf))
        self.rng, self.dt = rng, dt

    def __bool__(self) -> bool:
        return bool(self.parts)

    def fire(self):
        """This step's spikes of the sources: ``(idx, phi)`` (a source firing k times appears k times)."""
        idx = []
        for start, n, p0, cdf in self.parts:
            r = self.rng.random(n)
            fired = np.flatnonzero(r >= p0)
            if fired.size:
                k = np.searchsorted(cdf, r[fired], side="right")
                many = k > 1
                if many.any():
                    fired = np.repeat(fired, k)
                idx.append(fired + start)
        if not idx:
            return None
        idx = idx[0] if len(idx) == 1 else np.concatenate(idx)
        return idx, self.rng.random(idx.size) * self.dt
