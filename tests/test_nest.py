"""The same networks in NEST (nmteach.to_nest): the same connections and weights, and rates that agree within their
statistical error. Skipped, with a message, where NEST is not installed (make test installs it)."""

import numpy as np
import pytest

import nmteach as nm
from nmteach import models

nest = pytest.importorskip("nest", reason="NEST is not installed: pip install 'nmteach[nest]'")

T, T0, DT, BATCHES = 2000.0, 200.0, 0.1, 10
#: two-sided 0.1 % point of Student's t with BATCHES − 1 = 9 degrees of freedom: a difference of two batch-means
#: estimates this many standard errors apart happens by chance once in a thousand runs
T_CRIT = 4.78


def rate_and_error(A):
    """Mean of A(t) after T0 and its standard error from BATCHES batch means (A is correlated in time)."""
    a = A[int(T0 / DT) :]
    a = a[: len(a) // BATCHES * BATCHES]
    return a.mean(), nm.block_error(a, BATCHES)


def assert_rates_agree(A_nest, A_nm, what):
    (r1, e1), (r2, e2) = rate_and_error(A_nest), rate_and_error(A_nm)
    assert abs(r1 - r2) <= T_CRIT * np.hypot(e1, e2), (
        f"{what}: NEST {r1:.2f} ± {e1:.2f} Hz, nmteach {r2:.2f} ± {e2:.2f}"
    )


def nest_connections(handle, source, target):
    conns = nest.GetConnections(handle.nodes[source], handle.nodes[target])
    first_s, first_t = handle.nodes[source][0].global_id, handle.nodes[target][0].global_id
    pairs = np.array(
        [np.asarray(conns.get("source")) - first_s, np.asarray(conns.get("target")) - first_t], dtype=np.int64
    )
    return pairs, np.asarray(conns.get("weight"), dtype=float), np.asarray(conns.get("delay"), dtype=float)


def test_brunel_network_in_nest_has_the_same_synapses_and_rate():
    net = models.brunel_network(5.0, 2.0, N_E=2000, rng=1)
    conn = net.projections[0].connectivity
    handle = nm.to_nest(net, dt=DT, rng=2)
    pairs, weights, delays = nest_connections(handle, "all", "all")
    mine = np.array([conn.sources(), conn.targets], dtype=np.int64)
    order = np.lexsort(pairs[::-1])
    mine_order = np.lexsort(mine[::-1])
    np.testing.assert_array_equal(pairs[:, order], mine[:, mine_order])
    # delta synapses of J mV (R q w / τ_m with R = τ_m, q = 1): the weights themselves
    np.testing.assert_array_equal(weights[order], conn.weights[mine_order])
    np.testing.assert_allclose(delays, 1.5)
    nest.Simulate(T)
    res = nm.simulate(net, T, dt=DT, rng=2, record=0)
    assert_rates_agree(handle.result(T).A, res.A, "Brunel g = 5, η = 2")


def two_pools():
    E = nm.Group("E", 800, I_ext=0.12, noise=nm.WhiteNoise(0.05))
    I = nm.Group("I", 200, I_ext=0.1, noise=nm.WhiteNoise(0.05))
    k = nm.ExponentialKernel(1.0, 5.0)
    J = {("E", "E"): 2.0, ("E", "I"): 3.0, ("I", "E"): -3.0, ("I", "I"): -2.0}
    return nm.Network((E, I), tuple(nm.Projection(s, t, j, kernel=k, delay=1.0) for (s, t), j in J.items()))


def test_two_pools_in_nest_have_the_same_weights_and_rates():
    net = two_pools()
    handle = nm.to_nest(net, dt=DT, rng=3)
    for p in net.projections:
        pairs, weights, _ = nest_connections(handle, p.source, p.target)
        n_s, n_t = len(handle.nodes[p.source]), len(handle.nodes[p.target])
        assert pairs.shape[1] == n_s * n_t  # all-to-all, autapses included as in nmteach
        # w = J / N_source as a current step of 1000 q w / τ_s pA
        np.testing.assert_allclose(weights, 1000.0 * 1.0 * p.J / n_s / 5.0, rtol=1e-15)
    nest.Simulate(T)
    back = handle.result(T)
    # NEST has no Brownian-bridge threshold correction: compare with nmteach run without it
    res = nm.simulate(net, T, dt=DT, rng=3, record=0, bridge=False)
    for name in ("E", "I"):
        assert_rates_agree(back.group(name)["A"], res.group(name)["A"], f"pool {name}")


def test_what_nest_cannot_run_is_refused_with_the_reason():
    with pytest.raises(ValueError, match="NEST has no neuron model with a BiexponentialKernel"):
        nm.to_nest(nm.Population(N=10, J0=1.0, kernel=nm.BiexponentialKernel(1.0, 1.0, 5.0)))
    with pytest.raises(ValueError, match="Ornstein–Uhlenbeck"):
        nm.to_nest(nm.Population(N=10, J0=1.0, noise=nm.OUNoise(0.05, 5.0)))
    with pytest.raises(ValueError, match="time-varying input"):
        nm.to_nest(nm.Population(N=10, J0=1.0, I_ext=nm.Step(0.0, 0.2, t_on=10.0)))
