"""The network engine: groups, sparse projections, delays, Poisson drive, heterogeneity."""

import numpy as np
import pytest

import nmteach as nm


def test_sparse_all_to_all_equals_the_homogeneous_population():
    N, J0 = 200, 2.0
    pop = nm.Population(N=N, J0=J0, I_ext=0.2, kernel=nm.ExponentialKernel(1.0, 4.0))
    a = nm.simulate(pop, 200.0, rng=3)
    net = nm.Network(
        (nm.Group("pop", N, I_ext=0.2),),
        (nm.Projection("pop", "pop", connectivity=nm.all_to_all(N, J0), kernel=nm.ExponentialKernel(1.0, 4.0)),),
    )
    b = nm.simulate(net, 200.0, rng=3)
    assert a.n_spikes == b.n_spikes > 100
    np.testing.assert_allclose(np.sort(a.spike_times), np.sort(b.spike_times), atol=1e-9)
    np.testing.assert_allclose(a.I_rec, b.I_rec, rtol=1e-9, atol=1e-12)


def test_sparse_delta_delivery_with_delay():
    # neuron 0 fires in the first step; its targets 1 and 2 jump by R w q / τ_m at the
    # grid point one step plus the 1 ms delay later (u is recorded before the jump)
    neuron = nm.LIF()
    conn = nm.from_pairs([0, 0], [1, 2], [0.5, 1.0], 3, 3)
    u0 = np.array([neuron.theta - 1e-3, neuron.u_rest, neuron.u_rest])
    drive = {"I": nm.Values(np.array([0.3, 0.0, 0.0]))}
    net = nm.Network(
        (nm.Group("g", 3, I_ext=0.0, u0=u0, spread=drive),),
        (nm.Projection("g", "g", connectivity=conn, kernel=nm.DeltaKernel(0.2), delay=1.0),),
    )
    res = nm.simulate(net, 5.0, dt=0.1, rng=0, record=np.array([1, 2]))
    assert res.n_spikes == 1 and res.spike_ids[0] == 0 and res.spike_times[0] < 0.1
    arrival = 1 + 10
    assert np.all(res.u[:, : arrival + 1] == neuron.u_rest)
    jump = neuron.R * 0.2 / neuron.tau_m * np.exp(-0.1 / neuron.tau_m)
    assert res.u[0, arrival + 1] - neuron.u_rest == pytest.approx(0.5 * jump, rel=1e-9)
    assert res.u[1, arrival + 1] - neuron.u_rest == pytest.approx(1.0 * jump, rel=1e-9)


def test_poisson_drive_free_membrane_statistics():
    # Campbell's theorem for shot noise of rate ν_tot = n·rate and jump J:
    # mean u = u_rest + ν_tot J τ_m, variance ν_tot J² τ_m / 2
    neuron = nm.LIF(theta=100.0)
    drive = nm.PoissonDrive(rate=20.0, n=500, J=0.2)
    net = nm.Network((nm.Group("g", 3000, neuron=neuron, poisson=drive, u0="rest"),))
    res = nm.simulate(net, 100.0, dt=0.1, rng=1, record=3000)
    nu = drive.n * drive.rate / 1000.0  # per ms
    mean = neuron.u_rest + nu * drive.J * neuron.tau_m
    var = nu * drive.J**2 * neuron.tau_m / 2
    u = res.u[:, -1]
    assert abs(u.mean() - mean) < 4 * np.sqrt(var / 3000)
    # jumps arrive on the grid: the variance of the discretised shot noise is exact for the grid process
    assert u.var(ddof=1) == pytest.approx(var, rel=4 * np.sqrt(2 / 3000) + 0.01)


def test_two_groups_report_their_own_activity_and_input():
    e = nm.Group("E", 400, I_ext=0.2)
    i = nm.Group("I", 100, I_ext=0.25)
    net = nm.Network((e, i), (nm.Projection("I", "E", J=-2.0), nm.Projection("E", "I", J=1.0)))
    res = nm.simulate(net, 200.0, rng=2)
    assert res.groups == ("E", "I") and res.A_groups.shape == (2, len(res.t))
    np.testing.assert_allclose(res.A, (400 * res.A_groups[0] + 100 * res.A_groups[1]) / 500)
    # the input of E from I is J_EI ∫α A_I with w = J/N_I
    rec_E = nm.filter_activity(nm.ExponentialKernel(), res.group("I")["A"], res.dt) * -2.0
    np.testing.assert_allclose(res.group("E")["I_rec"], rec_E, rtol=1e-9, atol=1e-12)
    assert np.all(res.spike_ids[res.spike_times >= 0] < 500)
    with pytest.raises(ValueError, match="group 'X' is not in this result"):
        res.group("X")


def test_two_point_thresholds_fire_at_the_two_gain_values():
    neuron = nm.LIF()
    spread = {"theta": nm.TwoPoint(-52.0, -48.0)}
    net = nm.Network((nm.Group("g", 10, neuron=neuron, I_ext=0.25, spread=spread, u0="rest"),))
    res = nm.simulate(net, 1000.0, rng=0, record=0)
    for idx, th in ((np.arange(5), -52.0), (np.arange(5, 10), -48.0)):
        st = res.spike_times[np.isin(res.spike_ids, idx)]
        rate = len(st) / 5 / 1.0
        expected = float(nm.gain(0.25, neuron.replace(theta=th)))
        assert rate == pytest.approx(expected, abs=1.0 / 1.0)  # ±1 spike per neuron in 1 s


def test_heterogeneous_input_offsets_match_mean_rate_theory():
    neuron = nm.LIF()
    dist = nm.Uniform(0.1)
    net = nm.Network((nm.Group("g", 400, neuron=neuron, I_ext=0.25, spread={"I": dist}, u0="rest"),))
    res = nm.simulate(net, 2000.0, rng=4, record=0)
    offsets = res.neuron_params["I"]
    assert offsets.std() == pytest.approx(0.1 / np.sqrt(12), rel=4 * np.sqrt(1 / 800))
    theory = nm.mean_rate(0.25, neuron, {"I": offsets})
    # each neuron fires regularly: at most one spike of discretisation error per neuron in 2 s
    assert res.n_spikes / 400 / 2.0 == pytest.approx(theory, abs=1.0 / 2.0)


def test_network_validation():
    g = nm.Group("a", 10)
    with pytest.raises(ValueError, match="group names must be unique"):
        nm.Network((g, g))
    with pytest.raises(ValueError, match="projection refers to group 'b'"):
        nm.Network((g,), (nm.Projection("a", "b"),))
    with pytest.raises(ValueError, match=r"connectivity a → a is 5 → 5 neurons"):
        nm.Network((g,), (nm.Projection("a", "a", connectivity=nm.all_to_all(5, 1.0)),))
    with pytest.raises(ValueError, match="spread key = 'C' must be one of 'tau_m', 'R', 'u_rest', 'theta', 'I'"):
        nm.Group("a", 10, spread={"C": nm.Normal(1.0)})
    with pytest.raises(TypeError, match="must be a distribution"):
        nm.Group("a", 10, spread={"theta": 1.0})
    with pytest.raises(ValueError, match="non-empty sequence of Group"):
        nm.Network(())
    with pytest.raises(ValueError, match="autapses=False needs source == target"):
        nm.Network((g, nm.Group("b", 5)), (nm.Projection("a", "b", autapses=False),))
    with pytest.raises(ValueError, match="J = -2000 is out of range"):
        nm.PoissonDrive(10.0, 1, J=-2000)
    with pytest.raises(ValueError, match="smaller spread"):
        nm.simulate(nm.Network((nm.Group("a", 100, spread={"theta": nm.Normal(50.0)}),)), 1.0, rng=0)
    with pytest.raises(ValueError, match="Values has 3 entries; the group has N = 10"):
        nm.simulate(nm.Network((nm.Group("a", 10, spread={"I": nm.Values(np.zeros(3))}),)), 1.0)
    with pytest.raises(TypeError, match="must be a Network"):
        nm.simulate_network(nm.Population(), 1.0)


def balanced_observers(N, scaling, p=0.2, J0=1.0, rate=10.0, M=200, T=2000.0, seed=5):
    """M non-firing observers receiving a balanced projection from N Poisson sources."""
    rng = np.random.default_rng(seed)
    conn_full = nm.balanced(N, p, J0, scaling=scaling, rng=rng)
    keep = conn_full.targets < M  # the first M targets serve as observers
    conn = nm.from_pairs(conn_full.sources()[keep], conn_full.targets[keep], conn_full.weights[keep], N, M)
    observer = nm.LIF(theta=100.0)
    net = nm.Network(
        (nm.PoissonGroup("src", N, rate), nm.Group("obs", M, neuron=observer, u0="rest")),
        (nm.Projection("src", "obs", connectivity=conn, kernel=nm.DeltaKernel(1.0)),),
    )
    res = nm.simulate(net, T, dt=0.1, rng=seed, record=np.arange(N, N + M))
    u = res.u[:, res.t > 5 * observer.tau_m]
    # Campbell's theorem for jumps a_ij = R w_ij q / τ_m arriving at rates ν_j (the realised
    # rates: all observers share the same sources, so their rate fluctuations do not average out):
    # E u_i = u_rest + τ_m Σ_j a_ij ν_j,  Var u_i = τ_m Σ_j a_ij² ν_j / 2
    a = observer.R * conn.weights * 1.0 / observer.tau_m
    nu = np.bincount(res.spike_ids[res.spike_ids < N], minlength=N) / T  # per ms
    nu_syn = nu[conn.sources()]
    mean_th = observer.u_rest + observer.tau_m * np.bincount(conn.targets, a * nu_syn, minlength=M)
    var_th = observer.tau_m * np.bincount(conn.targets, a**2 * nu_syn, minlength=M) / 2
    return u, mean_th, var_th, res


@pytest.mark.slow
def test_balanced_input_mean_and_variance_follow_campbell():
    u, mean_th, var_th, res = balanced_observers(1000, "sqrt")
    assert res.group("src")["A"].mean() == pytest.approx(10.0, rel=4 / np.sqrt(10.0 * 1000 * 2.0))
    # each observer's time average over ~1950 ms holds ≈ T/(2τ_m) ≈ 97 independent samples
    n_t = 1950.0 / (2 * 10.0)
    z = (u.mean(axis=1) - mean_th) / np.sqrt(var_th / n_t)
    assert np.sqrt(np.mean(z**2)) < 2.0  # residuals of the size their sampling error allows
    assert abs(np.mean(mean_th) - (-65.0)) < 0.5  # balanced: the mean input is close to zero
    # mean over observers of the sample variance: relative error ≈ √(2/n_t) per observer, shared sources
    assert u.var(axis=1).mean() == pytest.approx(var_th.mean(), rel=4 * np.sqrt(2 / n_t) / np.sqrt(10))


@pytest.mark.slow
def test_balanced_fluctuations_constant_under_sqrt_scaling_and_vanishing_under_linear():
    measured, campbell = {}, {}
    for scaling in ("sqrt", "linear"):
        for N in (400, 1600):
            u, mean_th, var_th, _ = balanced_observers(N, scaling, T=1000.0)
            # the observers' squared deviation from their Campbell mean, averaged over observers, as a time
            # series; its standard error from 10 blocks of 95 ms (≫ the τ_m/2 = 5 ms correlation time of u²)
            # includes the correlations between observers that share sources
            sq = ((u - mean_th[:, None]) ** 2).mean(axis=0)
            measured[scaling, N] = (sq.mean(), nm.block_error(sq, 10))
            # the prediction with the realised in-degrees and source rates, and its sampling error: the rates
            # of the N sources, each counted over T (Poisson: relative s.d. 1/√(ν T) per source)
            nu_T = 10.0 * 1.0  # spikes per source in T = 1 s at 10 Hz
            campbell[scaling, N] = (var_th.mean(), var_th.mean() / np.sqrt(nu_T * N))
    for scaling, law in (("sqrt", 1.0), ("linear", 0.25)):  # J0/√(pN): Var u ∝ pN/(pN) = const; J0/(pN): ∝ 1/(pN)
        (v4, e4), (v16, e16) = measured[scaling, 400], measured[scaling, 1600]
        (c4, f4), (c16, f16) = campbell[scaling, 400], campbell[scaling, 1600]
        # the measured ratio is the predicted one within 4 standard errors of the two measurements
        ratio, predicted = v16 / v4, c16 / c4
        assert abs(ratio - predicted) < 4 * ratio * np.hypot(e4 / v4, e16 / v16), (scaling, ratio, predicted)
        # the prediction follows the scaling law within its own sampling error (4 s.e.) plus the in-degree's:
        # the mean in-degree of the 200 observers has relative s.d. √((1 − p)/(p N · 200))
        indegree = np.hypot(*(np.sqrt(0.8 / (0.2 * n * 200)) for n in (400, 1600)))
        assert abs(predicted - law) < 4 * law * (np.hypot(f4 / c4, f16 / c16) + indegree), (scaling, predicted)
