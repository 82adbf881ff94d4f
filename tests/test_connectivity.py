"""Connectivity builders against their statistics and scaling laws."""

import numpy as np
import pytest

import nmteach as nm


@pytest.mark.parametrize("N", [400, 1600])
def test_fixed_probability_in_degree_is_binomial(N):
    p = 0.1
    c = nm.fixed_probability(N, p, J0=2.0, rng=1)
    k = c.in_degree()
    # N samples of Binomial(N, p): mean within 4 standard errors, variance within 4 relative SEs √(2/N)
    assert abs(k.mean() - p * N) < 4 * np.sqrt(p * (1 - p) * N / N)
    assert k.var(ddof=1) == pytest.approx(p * (1 - p) * N, rel=4 * np.sqrt(2 / N))
    assert np.all(c.weights == 2.0 / (p * N))


def test_fixed_probability_summed_weight_cv():
    N, p, J0 = 2000, 0.05, 3.0
    s = nm.fixed_probability(N, p, J0, rng=2).summed_weights()
    assert abs(s.mean() - J0) < 4 * J0 * np.sqrt((1 - p) / (p * N)) / np.sqrt(N)
    cv = s.std(ddof=1) / s.mean()
    assert cv == pytest.approx(np.sqrt((1 - p) / (p * N)), rel=4 * np.sqrt(1 / (2 * N)))


def test_pairs_are_independent_and_without_duplicates():
    c = nm.fixed_probability(300, 0.2, 1.0, rng=3, autapses=False)
    pairs = c.sources().astype(np.int64) * 300 + c.targets
    assert len(np.unique(pairs)) == c.nnz
    assert np.all(c.sources() != c.targets)
    assert c.nnz == pytest.approx(0.2 * 300 * 299, rel=4 * np.sqrt(0.8 / (0.2 * 300 * 299)))


@pytest.mark.parametrize("N", [100, 400, 1600])
def test_gaussian_row_sums_do_not_shrink_with_N(N):
    J0, sigma0 = 1.0, 2.0
    s = nm.gaussian_all_to_all(N, J0, sigma0, rng=4).summed_weights()
    # Σ_j w_ij ~ Normal(J0, σ0²) for every N
    assert abs(s.mean() - J0) < 4 * sigma0 / np.sqrt(N)
    assert s.std(ddof=1) == pytest.approx(sigma0, rel=4 * np.sqrt(1 / (2 * N)))


def test_fixed_in_and_out_degree_are_exact():
    cin = nm.fixed_in_degree(500, 50, 2.0, rng=5)
    assert np.all(cin.in_degree() == 50)
    np.testing.assert_allclose(cin.summed_weights(), 2.0)
    cin2 = nm.fixed_in_degree(200, 20, 2.0, rng=5, multapses=False)
    pairs = cin2.sources().astype(np.int64) * 200 + cin2.targets
    assert len(np.unique(pairs)) == cin2.nnz
    cout = nm.fixed_out_degree(500, 50, 2.0, rng=6)
    assert np.all(cout.out_degree() == 50)
    assert cout.summed_weights().mean() == pytest.approx(2.0)


def test_balanced_mean_is_zero_and_scaling_laws():
    for scaling, s in [("sqrt", lambda p, N: np.sqrt(p * N)), ("linear", lambda p, N: p * N)]:
        N, p, J0 = 1000, 0.1, 1.0
        c = nm.balanced(N, p, J0, scaling=scaling, rng=7)
        w = c.weights
        exc = c.sources() < N // 2
        assert np.allclose(w[exc], J0 / s(p, N)) and np.allclose(w[~exc], -J0 / s(p, N))
        tot = c.summed_weights()
        # Σ w = (k_E − k_I) J0/s with k_E, k_I ~ Binomial(N/2, p): mean 0, variance N p(1-p) (J0/s)²
        sd = np.sqrt(N * p * (1 - p)) * J0 / s(p, N)
        assert abs(tot.mean()) < 4 * sd / np.sqrt(N)
        assert tot.std(ddof=1) == pytest.approx(sd, rel=4 * np.sqrt(1 / (2 * N)))


def test_all_to_all_weights_and_dense_view():
    c = nm.all_to_all(5, 2.0)
    W = c.to_dense()
    np.testing.assert_allclose(W, 2.0 / 5)
    # without autapses every weight stays J0/N (as in a Population with self_coupling=False), so a
    # neuron receives J0·(N − 1)/N in all
    c2 = nm.all_to_all(5, 2.0, autapses=False)
    W2 = c2.to_dense()
    assert np.all(np.diag(W2) == 0)
    np.testing.assert_allclose(W2[~np.eye(5, dtype=bool)], 2.0 / 5)
    np.testing.assert_allclose(W2.sum(axis=1), nm.Population(N=5, J0=2.0, self_coupling=False).J0_received)


def test_same_seed_same_wiring():
    a = nm.fixed_probability(500, 0.1, 1.0, rng=9)
    b = nm.fixed_probability(500, 0.1, 1.0, rng=9)
    np.testing.assert_array_equal(a.targets, b.targets)
    np.testing.assert_array_equal(a.indptr, b.indptr)


def test_connectivity_errors(monkeypatch):
    with pytest.raises(ValueError, match=r"p = 1.5 is out of range: .* \(0, 1\]"):
        nm.fixed_probability(10, 1.5, 1.0)
    with pytest.raises(ValueError, match="C = 20 must not exceed"):
        nm.fixed_in_degree(10, 20, 1.0)
    with pytest.raises(
        ValueError, match=r"sigma0 = -1.0 is out of range: standard deviation σ0 .* must lie in \[0, 1e\+06\]"
    ):
        nm.gaussian_all_to_all(10, 1.0, -1.0)
    with pytest.raises(ValueError, match="scaling = 'log'"):
        nm.balanced(10, 0.5, 1.0, scaling="log")
    with pytest.raises(ValueError, match="fraction_excitatory"):
        nm.balanced(10, 0.5, 1.0, fraction_excitatory=1.0)
    with pytest.raises(ValueError, match="too small"):
        nm.balanced(1, 0.5, 1.0)
    with pytest.raises(ValueError, match=r"sources must lie in \[0, 2\]"):
        nm.from_pairs([5], [0], 1.0, 3, 3)
    with pytest.raises(
        ValueError, match=r"a dense 20000×20000 weight matrix needs about 3,200 MB.*use the sparse form"
    ):
        nm.fixed_probability(20_000, 0.0001, 1.0, rng=0).to_dense()
    monkeypatch.setattr(nm, "MEMORY_BUDGET", 10_000)
    with pytest.raises(ValueError, match=r"more than the memory budget of 10\.0 kB: use fewer neurons"):
        nm.fixed_probability(1000, 0.5, 1.0)
