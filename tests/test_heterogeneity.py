"""Heterogeneous populations: mean rate, the typical neuron, its curvature correction, splitting."""

import numpy as np
import pytest

import nmteach as nm

NEURON = nm.LIF()


def sampled_mean(I, name, dist, n=400_000, seed=0):
    values = dist.sample(n, 0.0 if name == "I" else getattr(NEURON, name), np.random.default_rng(seed))
    r = nm.theory.heterogeneity.neuron_rates(I, NEURON, {name: values})
    return r.mean(), r.std() / np.sqrt(n)


def test_second_order_estimate_holds_far_from_rheobase():
    dist = nm.Normal(1.0)  # θ spread of 1 mV
    I = 0.3  # twice the rheobase
    mean, se = sampled_mean(I, "theta", dist)
    typical = nm.typical_rate(I, NEURON, "theta", dist)
    second = nm.second_order_rate(I, NEURON, "theta", dist)
    # the correction explains the gap: the remainder is O(sd⁴), far below the O(sd²) gap itself
    assert abs(mean - typical) > 10 * se
    assert abs(mean - second) < 0.1 * abs(mean - typical) + 4 * se


def test_linearisation_fails_near_rheobase():
    dist = nm.Normal(1.0)
    I = 0.152  # just above the rheobase 0.15 nA: g has infinite slope there
    mean, _ = sampled_mean(I, "theta", dist)
    second = nm.second_order_rate(I, NEURON, "theta", dist)
    typical = nm.typical_rate(I, NEURON, "theta", dist)
    assert abs(mean - second) > 0.2 * mean  # the expansion is useless here …
    assert abs(mean - typical) > 0.2 * mean  # … and so is the typical neuron


def test_fraction_active_under_threshold_spread():
    # θ ~ Uniform(−55, −45): a neuron fires when R I > θ − u_rest, so the active fraction is linear in I
    dist = nm.Uniform(10.0, center=-50.0)
    thetas = dist.sample(100_000, -50.0, np.random.default_rng(1))
    for I in (0.1, 0.15, 0.18):
        expected = np.clip((NEURON.u_rest + NEURON.R * I - (-55.0)) / 10.0, 0, 1)
        assert nm.fraction_active(I, NEURON, {"theta": thetas}) == pytest.approx(expected, abs=4 * 0.5 / np.sqrt(1e5))


@pytest.mark.slow
def test_bimodal_population_follows_the_split_mean_field_not_the_typical_neuron():
    parts = [NEURON.replace(theta=-54.0), NEURON.replace(theta=-46.0)]
    sigma, J0, I, N, T = 0.02, 1.0, 0.12, 2000, 2000.0
    pop = nm.Population(J0=J0, I_ext=I, noise=nm.WhiteNoise(sigma))
    (typical,) = nm.asynchronous_states(pop)
    (split,) = nm.asynchronous_states(pop, gain=nm.mixture_gain(parts, [0.5, 0.5], sigma))
    spread = {"theta": nm.TwoPoint(-54.0, -46.0)}
    net = nm.Network(
        (nm.Group("g", N, I_ext=I, noise=nm.WhiteNoise(sigma), spread=spread),), (nm.Projection("g", "g", J=J0),)
    )
    res = nm.simulate(net, T, rng=1, record_spikes=False)
    A = res.A[res.t > 300]
    rate, se = A.mean(), nm.block_error(A, 20)
    tol = 4 * max(se, np.sqrt(rate / (N * 1.7))) + rate * 0.1 / NEURON.tau_m
    assert abs(rate - split.A0) < tol
    assert abs(rate - typical.A0) > 5 * tol


def test_two_point_sampling_is_a_deterministic_split():
    d = nm.TwoPoint(1.0, 3.0, fraction_high=0.25)
    v = d.sample(8, 0.0, np.random.default_rng(0))
    np.testing.assert_array_equal(v, [1, 1, 1, 1, 1, 1, 3, 3])
    assert d.mean(0.0) == pytest.approx(1.5) and d.variance(0.0) == pytest.approx(0.75)


def test_distribution_moments():
    g = np.random.default_rng(2)
    for d, typical in [(nm.Normal(2.0), -50.0), (nm.Uniform(3.0), 10.0), (nm.Values(np.arange(5.0)), 0.0)]:
        x = d.sample(5 if isinstance(d, nm.Values) else 200_000, typical, g)
        assert x.mean() == pytest.approx(d.mean(typical), abs=4 * np.sqrt(d.variance(typical) / len(x)) + 1e-12)
        # a sample variance of n = 200,000 has a relative spread √((κ − 1)/n) ≤ √(2/n) = 0.003 (κ ≤ 3 here): 0.02 is
        # more than six of them; five values are their own population
        assert x.var() == pytest.approx(d.variance(typical), rel=0.02)


def test_heterogeneity_errors():
    with pytest.raises(ValueError, match="sd = -1"):
        nm.Normal(-1)
    with pytest.raises(ValueError, match="width = nan"):
        nm.Uniform(float("nan"))
    with pytest.raises(ValueError, match="fraction_high = 2"):
        nm.TwoPoint(0, 1, 2)
    with pytest.raises(ValueError, match="values contains entries that are not finite numbers"):
        nm.Values(np.array([np.inf]))
    with pytest.raises(ValueError, match="fractions"):
        nm.mixture_gain([NEURON], [0.5])
