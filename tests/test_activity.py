"""Population activity and its finite-size fluctuations."""

import numpy as np
import pytest

import nmteach as nm


@pytest.mark.slow
def test_variance_of_A_is_the_finite_size_value_for_independent_neurons():
    # uncoupled noisy neurons, bins of 1 ms ≤ t_ref = 2 ms: each neuron fires at most once per
    # bin, so the count is a sum of N Bernoulli(νΔt) variables: Var A = ν(1 - νΔt)/(NΔt)
    N, T, width = 500, 8000.0, 1.0
    pop = nm.Population(N=N, I_ext=0.14, noise=nm.WhiteNoise(0.05), J0=0.0)
    res = nm.simulate(pop, T, dt=0.1, rng=5, record_spikes=False)
    tc, A = res.activity(width)
    A = A[tc > 200]
    theory = nm.finite_size_variance(A.mean(), N, width)
    # the sample variance of M nearly independent bins has relative standard error √(2/M)
    assert A.var(ddof=1) == pytest.approx(theory, rel=4 * np.sqrt(2 / len(A)))


@pytest.mark.slow
def test_finite_size_fluctuations_shrink_as_one_over_sqrt_N():
    stds = []
    for N in (250, 1000):
        pop = nm.Population(N=N, I_ext=0.14, noise=nm.WhiteNoise(0.05), J0=0.0)
        res = nm.simulate(pop, 4000.0, dt=0.1, rng=11, record_spikes=False)
        tc, A = res.activity(1.0)
        stds.append(A[tc > 200].std())
    # four times the neurons, half the standard deviation; each std has relative error √(1/(2M))
    assert stds[0] / stds[1] == pytest.approx(2.0, rel=4 * np.sqrt(2 * 1 / (2 * 3800)))


def test_finite_size_variance_formula():
    assert nm.finite_size_variance(10.0, 1000, 1.0) == pytest.approx(10.0 * 0.99 / 1.0)
    with pytest.raises(ValueError, match="rate·bin_width"):
        nm.finite_size_variance(2000.0, 10, 1.0)


def test_smoothing_preserves_the_mean_and_reduces_variance():
    pop = nm.Population(N=200, I_ext=0.14, noise=nm.WhiteNoise(0.05))
    res = nm.simulate(pop, 1000.0, rng=0)
    _, A = res.activity(1.0)
    _, S = res.activity(1.0, smooth=5.0)
    # the smoothing kernel (5 ms) loses at most its own width of mass at each end of 1000 ms: 1 %
    assert S.mean() == pytest.approx(A.mean(), rel=0.01)
    # independent 1-ms bins averaged by a 5-ms kernel: the variance falls by about 2√π·5 ≈ 18 (at least 5 even if
    # neighbouring bins are correlated over a few ms)
    assert S.var() < A.var() / 5


def test_block_error_of_white_noise():
    x = np.random.default_rng(0).normal(size=100_000)
    # from 50 block means the error estimate has a relative spread of 1/√(2·49) = 0.10: 0.4 is four of them
    assert nm.block_error(x, 50) == pytest.approx(1 / np.sqrt(len(x)), rel=0.4)
    with pytest.raises(ValueError, match="n_blocks"):
        nm.block_error(x[:5], 10)


def test_mean_rate_window_errors():
    res = nm.simulate(nm.Population(N=10), 10.0, rng=0)
    with pytest.raises(ValueError, match="window"):
        res.mean_rate(20.0)
    with pytest.raises(ValueError, match="bin_width"):
        res.activity(100.0)
    with pytest.raises(ValueError, match="bin_width"):
        nm.spike_count_activity(res.spike_times, 10, 10.0, 50.0)


@pytest.mark.parametrize(
    ("n_total", "nperseg"), [(2000, 256), (1900, 256), (1000, 255), (300, 300), (513, 8), (257, 256)]
)
def test_welch_spectrum_is_scipys(n_total, nperseg):
    """peak_frequency's Welch spectrum (numpy only, to keep scipy.signal out of the import) is scipy.signal.welch's
    with its defaults, to rounding: even and odd segments, a remainder that fits no segment, one segment."""
    from scipy.signal import welch

    from nmteach.analysis import _welch_spectrum

    rng = np.random.default_rng(n_total + nperseg)
    x = 10.0 + 3.0 * rng.normal(size=n_total) + 5.0 * np.sin(0.3 * np.arange(n_total))
    f_ref, p_ref = welch(x, fs=1.0, window="hann", nperseg=nperseg, detrend="constant")
    f, p = _welch_spectrum(x, nperseg)
    np.testing.assert_allclose(f, f_ref, rtol=0, atol=1e-15)
    np.testing.assert_allclose(p, p_ref, rtol=0, atol=1e-13 * p_ref.max())


def test_peak_frequency_finds_a_sine_within_the_resolution():
    t = np.arange(4000.0)  # ms, 1-ms bins
    A = 20.0 + 10.0 * np.sin(2 * np.pi * 23.0 * t / 1000.0)
    assert abs(nm.peak_frequency(A, 1.0) - 23.0) <= 1000.0 / 256 / 2  # half the resolution of 256-ms segments
