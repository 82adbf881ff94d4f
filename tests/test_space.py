"""Distance-dependent connectivity against its rule."""

import numpy as np
import pytest

import nmteach as nm
from nmteach.wiring.space import (
    BoxProbability,
    ExponentialProbability,
    GaussianProbability,
    Sheet,
    distance_connectivity,
    distance_weights,
    realised_probability,
)


def test_realised_probability_per_bin_within_binomial_error():
    sheet = Sheet.random(1500, 1.0, rng=1)
    rule = GaussianProbability(0.6, 0.1)
    conn = distance_connectivity(sheet, rule, rng=2)
    edges = np.linspace(0, 0.5, 26)
    _, _, n_pairs, n_links = realised_probability(sheet, conn, edges)
    # the expected number of links in a bin is Σ over its pairs of P(d); compare with binomial error
    d_all = nm.pair_distances(sheet)
    expected = np.histogram(d_all, edges, weights=rule(d_all))[0]
    sd = np.sqrt(np.maximum(expected * (1 - expected / np.maximum(n_pairs, 1)), 1.0))
    z = (n_links - expected) / sd
    assert np.all(np.abs(z) < 4.5)  # 25 bins, each within 4.5 standard deviations
    assert abs(np.mean(z)) < 4 / np.sqrt(len(z))


@pytest.mark.parametrize(
    "rule", [GaussianProbability(0.5, 0.08), ExponentialProbability(0.4, 0.05), BoxProbability(0.3, 0.2)]
)
def test_mean_in_degree_is_N_minus_1_times_the_torus_average_of_P(rule):
    N = 2000
    sheet = Sheet.random(N, 1.0, rng=3)
    k = distance_connectivity(sheet, rule, rng=4).in_degree()
    # sheet average of P over the unit torus (minimum-image distance, which truncates the rule at the box edge)
    c = (np.arange(400) + 0.5) / 400
    dx = np.minimum(c, 1 - c)
    d = np.sqrt(dx[:, None] ** 2 + dx[None, :] ** 2)
    mean_P = rule(d).mean()
    expected = (N - 1) * mean_P
    # in-degrees are sums of independent Bernoulli variables: Var ≤ mean; plus position randomness
    assert abs(k.mean() - expected) < 4 * np.sqrt(expected / N) + 0.01 * expected


def test_truncation_on_a_small_torus_matters():
    # a Gaussian wider than the box: the torus average is well below the infinite-plane 2πσ² p0
    rule = GaussianProbability(1.0, 0.4)
    c = (np.arange(400) + 0.5) / 400
    dx = np.minimum(c, 1 - c)
    torus = rule(np.sqrt(dx[:, None] ** 2 + dx[None, :] ** 2)).mean()
    plane = 2 * np.pi * 0.4**2
    assert torus < 0.8 * plane


def test_one_dimensional_axis_and_open_boundaries():
    sheet = Sheet.grid(1000, L=10.0, dim=1, periodic=False)
    conn = distance_connectivity(sheet, BoxProbability(1.0, 0.5), rng=0)
    k = conn.in_degree()
    # a box of radius 0.5 mm with 100 neurons per mm: 100 partners inside, fewer at the open ends
    assert k[500] == 100 and k[0] == 50


def test_all_to_all_distance_weights():
    sheet = Sheet.grid(10, L=1.0, dim=2)
    conn = distance_weights(sheet, lambda d: np.exp(-d / 0.2))
    W = conn.to_dense()
    d = np.array([sheet.distances_from(i) for i in range(sheet.N)])
    off = ~np.eye(sheet.N, dtype=bool)
    np.testing.assert_allclose(W[off], np.exp(-d[off] / 0.2))
    assert np.all(np.diag(W) == 0)


def test_space_errors():
    with pytest.raises(ValueError, match=r"p0 = 1.5 is out of range"):
        GaussianProbability(1.5, 0.1)
    sheet = Sheet.random(50, rng=0)
    with pytest.raises(ValueError, match=r"P\(d\) must lie in \[0, 1\]"):
        distance_connectivity(sheet, lambda d: 2.0 * np.ones_like(d))
    with pytest.raises(ValueError, match="could not be evaluated"):
        distance_connectivity(sheet, lambda d: undefined_name)  # noqa: F821
    with pytest.raises(ValueError, match="must lie in \\[0, L"):
        Sheet(np.array([[2.0, 0.1]]), L=1.0)
    with pytest.raises(ValueError, match="dim = 3"):
        Sheet.random(10, dim=3)
    with pytest.raises(ValueError, match="one finite value per distance"):
        distance_weights(sheet, lambda d: np.full_like(d, np.nan))
    with pytest.raises(ValueError, match="use a smaller sheet"):
        nm.pair_distances(Sheet.random(5000, rng=0))


def test_expected_probability_is_the_mean_rule_over_each_bins_pairs_and_predicts_fixed_in_degrees():
    sheet = nm.Sheet.grid(12, L=1.0)
    rule = nm.GaussianProbability(0.5, 0.15)
    edges = np.linspace(0, 0.7, 15)
    frac, k_mean, k_var = nm.expected_probability(sheet, rule, edges)
    N = sheet.N
    d = np.array([[sheet.distances_from(i)[j] for j in range(N)] for i in range(N)])
    off = ~np.eye(N, dtype=bool)
    P = rule(d[off])
    n = np.histogram(d[off], edges)[0]
    np.testing.assert_allclose(
        frac, np.histogram(d[off], edges, weights=P)[0] / np.maximum(n, 1), rtol=1e-12, atol=1e-15
    )
    Pm = np.where(off, rule(d), 0.0)
    np.testing.assert_allclose(k_mean, Pm.sum(axis=1), rtol=1e-12)
    np.testing.assert_allclose(k_var, (Pm * (1 - Pm)).sum(axis=1), rtol=1e-12)
    # P only 0 or 1: every in-degree is what the rule fixes, neuron by neuron
    box = nm.BoxProbability(1.0, 0.3)
    _, k_box, v_box = nm.expected_probability(sheet, box, edges)
    conn = nm.distance_connectivity(sheet, box, rng=1)
    assert np.all(v_box == 0)
    np.testing.assert_array_equal(conn.in_degree(), k_box)
