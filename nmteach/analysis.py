"""Population activity A(t) from spikes, and its finite-size statistics.

.. math:: A(t) = \\lim_{\\Delta t \\to 0} \\frac{n_{spikes}(t; t+\\Delta t)}{N \\Delta t}
          = \\frac{1}{N} \\sum_{j=1}^{N} \\sum_f \\delta(t - t_j^f)

With a finite bin ``Δt`` the estimate fluctuates. For N independent stationary
neurons firing at rate ν with ``Δt`` no longer than the refractory period, each
neuron fires at most once per bin, so the spike count is a sum of N Bernoulli
variables with p = νΔt and

.. math:: \\operatorname{Var}[A] = \\frac{\\nu (1 - \\nu \\Delta t)}{N \\Delta t}.

The synchrony index compares the measured variance with that value (about 1 when the
neurons fire independently), and the coefficient of variation of the inter-spike
intervals says how irregular single neurons fire (1 for a Poisson process, 0 for a clock):
together they tell Brunel's (2000) four states apart.
"""

from __future__ import annotations

import numpy as np

from ._params import check, check_array, check_instance, check_int
from .result import Result

__all__ = [
    "block_error",
    "finite_size_variance",
    "isi_cv",
    "isi_cv2",
    "peak_frequency",
    "population_activity",
    "spike_count_activity",
    "synchrony_index",
]


def spike_count_activity(spike_times, N: int, t_max: float, bin_width: float):
    """A(t) in Hz from raw spike times (ms): returns ``(bin_centres, A)``.

    Counts the spikes in ``[t, t + Δt)`` and divides by ``N Δt``, the first form of
    the definition; the last partial bin is dropped.
    """
    bin_width = check("bin_width", bin_width)
    N = check_int("N", N)
    t_max = check("t_max", t_max)
    spike_times = check_array("spike_times", spike_times, low=0.0, high=t_max)
    n_bins = int(np.floor(t_max / bin_width + 1e-9))
    if n_bins < 1:
        raise ValueError(f"bin_width = {bin_width} ms is longer than the simulated time {t_max} ms")
    edges = np.arange(n_bins + 1) * bin_width
    counts, _ = np.histogram(spike_times, bins=edges)
    return edges[:-1] + bin_width / 2, counts / (N * bin_width) * 1000.0


def population_activity(res: Result, bin_width: float, *, smooth: float | None = None):
    """A(t) in Hz of a simulation in bins of ``bin_width`` ms, optionally smoothed.

    Uses every spike (also when spikes were not stored): the step-resolution
    activity ``res.A`` is summed into bins, so ``bin_width`` is rounded to a
    multiple of ``dt``. ``smooth`` (ms) convolves the result with a Gaussian of
    that standard deviation. Returns ``(bin_centres, A)``.
    """
    check_instance("res", res, Result, "a Result of nmteach.simulate")
    return res.activity(bin_width, smooth=smooth)


def finite_size_variance(rate: float, N: int, bin_width: float) -> float:
    """Variance (Hz²) of A over bins of ``bin_width`` ms for N independent neurons at ``rate`` Hz.

    ``ν (1 − ν Δt) / (N Δt)``: exact when a neuron fires at most once per bin
    (``bin_width ≤ t_ref``); for Poisson neurons drop the factor ``(1 − νΔt)``.

    >>> round(finite_size_variance(10.0, 1000, 1.0), 4)
    9.9
    """
    rate = check("rate", rate)
    N = check_int("N", N)
    bin_width = check("bin_width", bin_width)
    p = rate * bin_width / 1000.0
    if not 0 <= p <= 1:
        raise ValueError(f"rate·bin_width = {p} must lie in [0, 1] (rate in Hz, bin width in ms)")
    return rate * (1.0 - p) / (N * bin_width / 1000.0)


def block_error(x, n_blocks: int = 20) -> float:
    """Standard error of the mean of a correlated series, from the means of ``n_blocks`` blocks."""
    x = check_array("x", x)
    n_blocks = check_int("n_blocks", n_blocks)
    if len(x) < n_blocks:
        raise ValueError(f"n_blocks = {n_blocks} must lie in [2, len(x) = {len(x)}]")
    m = len(x) // n_blocks
    means = x[: m * n_blocks].reshape(n_blocks, m).mean(axis=1)
    return float(means.std(ddof=1) / np.sqrt(n_blocks))


def synchrony_index(A, N: int, bin_width: float) -> float:
    """Var A over bins divided by its finite-size value ν(1 − νΔt)/(NΔt) for independent neurons.

    ``A`` (Hz) is a binned activity of ``N`` neurons in bins of ``bin_width`` ms. About 1 in
    the asynchronous state (the ratio of a sample variance to its expectation: its standard
    error over M bins is about √(2/M)); much larger when the population fires in volleys.
    """
    A = check_array("A", A, spec="rate")
    N = check_int("N", N)
    bin_width = check("bin_width", bin_width)
    mean = A.mean() if A.size else 0.0
    if mean <= 0:
        return 0.0
    return float(A.var() / finite_size_variance(min(mean, 1000.0 / bin_width), N, bin_width))


def isi_cv(res: Result, t_start: float = 0.0, *, min_spikes: int = 3, neurons=None) -> float:
    """Mean coefficient of variation std/mean of the inter-spike intervals of single neurons.

    Over the neurons with at least ``min_spikes`` spikes after ``t_start`` (ms), among
    ``neurons`` (indices; default all). 1 for Poisson firing, 0 for perfectly regular
    firing; NaN if no neuron qualifies. Needs the spikes (``record_spikes=True``).
    """
    min_spikes = check_int("N", min_spikes, label="min_spikes")
    isi, owner = _intervals(res, t_start)
    if neurons is not None:
        keep = np.isin(owner, check_array("neurons", neurons, integer=True))
        isi, owner = isi[keep], owner[keep]
    count = np.bincount(owner, minlength=res.N)
    s1 = np.bincount(owner, isi, minlength=res.N)
    s2 = np.bincount(owner, isi * isi, minlength=res.N)
    ok = count >= max(min_spikes - 1, 2)
    if not ok.any():
        return float("nan")
    mean = s1[ok] / count[ok]
    var = np.maximum(s2[ok] / count[ok] - mean**2, 0.0)
    return float(np.mean(np.sqrt(var) / mean))


def _intervals(res: Result, t_start: float):
    """Inter-spike intervals after ``t_start`` grouped by neuron: ``(isi, owner)`` in neuron-then-time order."""
    check_instance("res", res, Result, "a Result of nmteach.simulate")
    t_start = check("t_on", t_start, label="t_start")
    sel = res.spike_times >= t_start
    ids, times = res.spike_ids[sel], res.spike_times[sel]
    order = np.lexsort((times, ids))
    ids, times = ids[order], times[order]
    same = ids[1:] == ids[:-1]
    return np.diff(times)[same], ids[1:][same]


def isi_cv2(res: Result, t_start: float = 0.0) -> float:
    """Holt et al.'s (1996) CV2: the mean of 2|I_{k+1} − I_k| / (I_{k+1} + I_k) over consecutive intervals.

    1 for Poisson firing and 0 for regular firing, like the CV, but it compares neighbouring
    intervals only, so neither short trains nor slow changes of the rate bias it. NaN without
    two consecutive intervals of one neuron.
    """
    isi, owner = _intervals(res, t_start)
    same = owner[1:] == owner[:-1]
    if not same.any():
        return float("nan")
    a, b = isi[:-1][same], isi[1:][same]
    return float(np.mean(2.0 * np.abs(b - a) / (a + b)))


def peak_frequency(A, bin_width: float, f_min: float = 5.0, *, segment: float = 256.0) -> float:
    """The frequency (Hz) of the largest peak of the power spectrum of ``A`` (bins of ``bin_width`` ms) above ``f_min``.

    The spectrum is Welch's estimate: the periodograms of half-overlapping Hann-windowed segments of
    ``segment`` ms (or the whole record, if shorter) averaged, so that each frequency's power has a
    relative error of about 1/√(number of segments) instead of 100 % for a single periodogram, whose
    largest peak is often a noise spike or a harmonic. The resolution is 1000/segment Hz.
    """
    A = check_array("A", A, spec="rate")
    bin_width = check("bin_width", bin_width)
    segment = check("t_max", segment, label="segment")
    n = max(8, min(A.size, round(segment / bin_width)))
    f, power = _welch_spectrum(A, n)
    f *= 1000.0 / bin_width  # cycles per sample → Hz
    power[f < f_min] = 0.0
    return float(f[np.argmax(power)])


def _welch_spectrum(x: np.ndarray, nperseg: int) -> tuple[np.ndarray, np.ndarray]:
    """Welch's estimate of the power spectrum of ``x``, as ``scipy.signal.welch`` makes it by default: segments of
    ``nperseg`` samples overlapping by half, each with its mean removed and a periodic Hann window, their
    periodograms averaged (one-sided, per unit frequency). Returns (frequencies in cycles per sample, power).
    In numpy alone: importing scipy.signal would add a second to ``import nmteach``."""
    step = nperseg - nperseg // 2
    starts = np.arange(0, x.size - nperseg + 1, step)
    segments = x[starts[:, None] + np.arange(nperseg)]
    segments = segments - segments.mean(axis=1, keepdims=True)
    window = 0.5 - 0.5 * np.cos(2.0 * np.pi * np.arange(nperseg) / nperseg)
    power = np.mean(np.abs(np.fft.rfft(segments * window, axis=1)) ** 2, axis=0) / np.sum(window**2)
    power[1 : None if nperseg % 2 else -1] *= 2.0  # one-sided: every bin but 0 (and Nyquist) counts twice
    return np.fft.rfftfreq(nperseg), power
