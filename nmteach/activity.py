"""Population activity A(t) from spikes, and its finite-size statistics.

.. math:: A(t) = \\lim_{\\Delta t \\to 0} \\frac{n_{spikes}(t; t+\\Delta t)}{N \\Delta t}
          = \\frac{1}{N} \\sum_{j=1}^{N} \\sum_f \\delta(t - t_j^f)

With a finite bin ``Δt`` the estimate fluctuates. For N independent stationary
neurons firing at rate ν with ``Δt`` no longer than the refractory period, each
neuron fires at most once per bin, so the spike count is a sum of N Bernoulli
variables with p = νΔt and

.. math:: \\operatorname{Var}[A] = \\frac{\\nu (1 - \\nu \\Delta t)}{N \\Delta t}.
"""

from __future__ import annotations

import numpy as np

from ._params import check
from .result import Result

__all__ = ["block_error", "finite_size_variance", "population_activity", "spike_count_activity"]


def spike_count_activity(spike_times, N: int, t_max: float, bin_width: float):
    """A(t) in Hz from raw spike times (ms): returns ``(bin_centres, A)``.

    Counts the spikes in ``[t, t + Δt)`` and divides by ``N Δt``, the first form of
    the definition; the last partial bin is dropped.
    """
    bin_width = check("bin_width", bin_width)
    n_bins = int(np.floor(t_max / bin_width + 1e-9))
    if n_bins < 1:
        raise ValueError(f"bin_width = {bin_width} ms is longer than the simulated time {t_max} ms")
    edges = np.arange(n_bins + 1) * bin_width
    counts, _ = np.histogram(np.asarray(spike_times, dtype=float), bins=edges)
    return edges[:-1] + bin_width / 2, counts / (N * bin_width) * 1000.0


def population_activity(res: Result, bin_width: float, *, smooth: float | None = None):
    """A(t) in Hz of a simulation in bins of ``bin_width`` ms, optionally smoothed.

    Uses every spike (also when spikes were not stored): the step-resolution
    activity ``res.A`` is summed into bins, so ``bin_width`` is rounded to a
    multiple of ``dt``. ``smooth`` (ms) convolves the result with a Gaussian of
    that standard deviation. Returns ``(bin_centres, A)``.
    """
    bin_width = check("bin_width", bin_width)
    m = max(1, round(bin_width / res.dt))
    n_bins = len(res.A) // m
    if n_bins < 1:
        raise ValueError(f"bin_width = {bin_width} ms is longer than the simulated time {res.t_max} ms")
    A = res.A[: n_bins * m].reshape(n_bins, m).mean(axis=1)
    width = m * res.dt
    centres = np.arange(n_bins) * width + width / 2
    if smooth is not None:
        smooth = check("bin_width", smooth, label="smooth")
        half = int(np.ceil(4 * smooth / width))
        s = np.arange(-half, half + 1) * width
        g = np.exp(-0.5 * (s / smooth) ** 2)
        g /= g.sum()
        norm = np.convolve(np.ones_like(A), g, mode="same")
        A = np.convolve(A, g, mode="same") / norm
    return centres, A


def finite_size_variance(rate: float, N: int, bin_width: float) -> float:
    """Variance (Hz²) of A over bins of ``bin_width`` ms for N independent neurons at ``rate`` Hz.

    ``ν (1 − ν Δt) / (N Δt)``: exact when a neuron fires at most once per bin
    (``bin_width ≤ t_ref``); for Poisson neurons drop the factor ``(1 − νΔt)``.

    >>> round(finite_size_variance(10.0, 1000, 1.0), 4)
    9.9
    """
    p = rate * bin_width / 1000.0
    if not 0 <= p <= 1:
        raise ValueError(f"rate·bin_width = {p} must lie in [0, 1] (rate in Hz, bin width in ms)")
    return rate * (1.0 - p) / (N * bin_width / 1000.0)


def block_error(x, n_blocks: int = 20) -> float:
    """Standard error of the mean of a correlated series, from the means of ``n_blocks`` blocks."""
    x = np.asarray(x, dtype=float)
    if n_blocks < 2 or len(x) < n_blocks:
        raise ValueError(f"n_blocks = {n_blocks} must lie in [2, len(x) = {len(x)}]")
    m = len(x) // n_blocks
    means = x[: m * n_blocks].reshape(n_blocks, m).mean(axis=1)
    return float(means.std(ddof=1) / np.sqrt(n_blocks))
