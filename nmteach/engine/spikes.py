"""Storage of spike times and neuron indices during a run: fixed-size chunks, joined once at the end.

A stored spike costs 12 bytes (a float64 time and an int32 index) while the run lasts, and
12 more while the chunks are joined into the result's two arrays: 24 bytes at the peak
(:data:`BYTES_PER_SPIKE`), plus the unused end of the last chunk; chunks grow with the store
(1,024 entries first, at most 65,536 unless one step brings more), so that end is small
(:func:`spike_bytes`, what the memory budget counts).
"""

from __future__ import annotations

import numpy as np

from .._params import MemoryBudgetError

__all__ = ["BYTES_PER_SPIKE", "SpikeStore", "spike_bytes"]

#: bytes one stored spike needs at the peak (chunks plus the joined result)
BYTES_PER_SPIKE = 24
_CHUNK = 1 << 16
_FIRST = 1 << 10


def spike_bytes(n_spikes: int) -> int:
    """Bytes ``n_spikes`` stored spikes need at the peak: both copies, and the unused end of the last chunk."""
    n = int(n_spikes)
    return BYTES_PER_SPIKE * n + 12 * min(max(n, _FIRST), _CHUNK) if n else 0


class SpikeStore:
    """Append ``(times, ids)`` of each step; refuse, with advice, before the budget is exceeded."""

    def __init__(self, max_bytes: int, advice: str):
        self.max_bytes, self.advice = max_bytes, advice
        self.times, self.ids = [], []
        self.n = 0  # spikes stored
        self.fill = 0  # entries used in the last chunk

    def add(self, times, ids) -> None:
        m = ids.size
        self.n += m
        if spike_bytes(self.n) > self.max_bytes:
            raise MemoryBudgetError(
                f"storing {self.n:,} spikes would exceed the memory budget ({BYTES_PER_SPIKE} bytes each, "
                f"{self.max_bytes / 1e6:,.0f} MB left for them): {self.advice}",
                spike_bytes(self.n),
                self.max_bytes,
            )
        times = np.broadcast_to(times, (m,))
        f, done = self.fill, 0
        while done < m:  # fill the current chunk, then open the next: only the last one has room left
            if not self.times or f == self.times[-1].size:
                size = max(min(_CHUNK, max(_FIRST, self.n - m + done)), m - done)  # chunks grow with the store
                self.times.append(np.empty(size))
                self.ids.append(np.empty(size, dtype=np.int32))
                f = 0
            n = min(m - done, self.times[-1].size - f)
            self.times[-1][f : f + n] = times[done : done + n] if n < m else times
            self.ids[-1][f : f + n] = ids[done : done + n] if n < m else ids
            f += n
            done += n
        self.fill = f

    def result(self):
        """The spike times (ms) and neuron indices as two arrays, in the order stored."""
        if not self.times:
            return np.zeros(0), np.zeros(0, dtype=np.int32)
        self.times[-1] = self.times[-1][: self.fill]
        self.ids[-1] = self.ids[-1][: self.fill]
        times, ids = np.concatenate(self.times), np.concatenate(self.ids)
        self.times, self.ids = [], []
        return times, ids
