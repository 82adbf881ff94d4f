"""Storage of spike times and neuron indices during a run: fixed-size chunks, joined once at the end.

A stored spike costs 12 bytes (a float64 time and an int32 index) while the run lasts, and
12 more while the chunks are joined into the result's two arrays: 24 bytes at the peak,
which is what the memory budget counts (:data:`BYTES_PER_SPIKE`).
"""

from __future__ import annotations

import numpy as np

__all__ = ["BYTES_PER_SPIKE", "SpikeStore"]

#: bytes one stored spike needs at the peak (chunks plus the joined result)
BYTES_PER_SPIKE = 24
_CHUNK = 1 << 16


class SpikeStore:
    """Append ``(times, ids)`` of each step; refuse, with advice, before the budget is exceeded."""

    def __init__(self, max_spikes: int, advice: str):
        self.max_spikes, self.advice = max_spikes, advice
        self.times, self.ids = [], []
        self.n = 0  # spikes stored
        self.fill = _CHUNK  # entries used in the current chunk

    def add(self, times, ids) -> None:
        m = ids.size
        self.n += m
        if self.n > self.max_spikes:
            raise ValueError(
                f"storing more than {self.max_spikes:,} spikes would exceed the memory budget "
                f"({BYTES_PER_SPIKE} bytes each): {self.advice}"
            )
        f = self.fill
        if f + m > _CHUNK:
            if f < _CHUNK:  # trim the old chunk so that it holds only what was written
                self.times[-1] = self.times[-1][:f]
                self.ids[-1] = self.ids[-1][:f]
            size = max(_CHUNK, m)
            self.times.append(np.empty(size))
            self.ids.append(np.empty(size, dtype=np.int32))
            f = 0
        self.times[-1][f : f + m] = times
        self.ids[-1][f : f + m] = ids
        self.fill = f + m

    def result(self):
        """The spike times (ms) and neuron indices as two arrays, in the order stored."""
        if not self.times:
            return np.zeros(0), np.zeros(0, dtype=np.int32)
        self.times[-1] = self.times[-1][: self.fill]
        self.ids[-1] = self.ids[-1][: self.fill]
        times, ids = np.concatenate(self.times), np.concatenate(self.ids)
        self.times, self.ids = [], []
        return times, ids
