"""The homogeneous population: input equations, coupling, reproducibility."""

import numpy as np
import pytest

import nmteach as nm


def test_engine_input_equals_the_mean_field_formula():
    # I(t) = I_ext(t) + w0 N ∫ α(s) A(t - s) ds, with A(t) measured from the spikes
    for kernel in (nm.ExponentialKernel(1.0, 5.0), nm.AlphaKernel(0.8, 2.0), nm.DeltaKernel(0.5)):
        pop = nm.Population(N=300, J0=-4.0, I_ext=nm.Step(0.2, 0.3, 50.0), kernel=kernel, delay=1.0)
        res = nm.simulate(pop, 200.0, dt=0.1, rng=4)
        np.testing.assert_allclose(nm.mean_field_input(res), res.I_total(), rtol=1e-10, atol=1e-12)


def test_input_is_the_sum_over_all_spikes_of_all_neurons():
    # I_i(t) = I_ext + Σ_j Σ_f w_ij α(t - t_j^f): the explicit double sum over the spike list
    tau_s, q, dt = 4.0, 1.0, 0.1
    pop = nm.Population(N=50, J0=2.0, I_ext=0.2, kernel=nm.ExponentialKernel(q, tau_s))
    res = nm.simulate(pop, 100.0, dt=dt, rng=1)
    assert res.n_spikes > 20
    k_arrive = np.floor(res.spike_times / dt).astype(int) + 1  # delivered at the next grid point
    explicit = np.zeros_like(res.t)
    for ka in k_arrive:
        k = np.arange(ka, len(res.t))
        a, b = (k - ka) * dt, (k - ka + 1) * dt  # step average of α over [a, b]
        explicit[k] += pop.w0 * q / dt * (np.exp(-a / tau_s) - np.exp(-b / tau_s))
    np.testing.assert_allclose(res.I_rec, explicit, rtol=1e-9, atol=1e-12)


def test_delta_synapse_makes_membrane_jump_by_R_w_q_over_tau():
    neuron = nm.LIF()
    q, w0 = 2.0, 0.5
    # neuron 0 starts just below threshold and fires in the first step; neuron 1 rests
    u0 = np.array([neuron.theta - 1e-3, neuron.u_rest])
    pop = nm.Population(N=2, w0=w0, kernel=nm.DeltaKernel(q), I_ext=0.2, u0=u0)
    res = nm.simulate(pop, 5.0, dt=0.1, rng=0, record=np.array([1]))
    assert res.spike_ids[0] == 0 and res.spike_times[0] < 0.1
    free = nm.free_solution(res.t, 0.2, neuron)
    jump = neuron.R * w0 * q / neuron.tau_m
    kick = jump * np.exp(-(res.t - 0.1) / neuron.tau_m) * (res.t > 0.1 + 1e-9)
    np.testing.assert_allclose(res.u[0], free + kick, atol=1e-9)


def test_excluding_self_coupling_makes_a_single_neuron_uncoupled():
    base = dict(N=1, I_ext=0.25, u0="rest")
    for kernel in (nm.ExponentialKernel(1.0, 5.0), nm.DeltaKernel(1.0)):
        free = nm.simulate(nm.Population(J0=0.0, kernel=kernel, **base), 300.0, rng=0)
        excluded = nm.simulate(nm.Population(J0=5.0, kernel=kernel, self_coupling=False, **base), 300.0, rng=0)
        included = nm.simulate(nm.Population(J0=5.0, kernel=kernel, **base), 300.0, rng=0)
        np.testing.assert_allclose(excluded.spike_times, free.spike_times, atol=1e-9)
        if kernel.duration > pop_t_ref():
            assert included.n_spikes > free.n_spikes  # self-excitation shortens the intervals
        else:  # a delta pulse arrives while the neuron is still refractory: no effect
            np.testing.assert_allclose(included.spike_times, free.spike_times, atol=1e-9)


def pop_t_ref():
    return nm.LIF().t_ref


def test_excluded_self_coupling_in_a_population_removes_one_synapse_in_N():
    # each neuron loses its own contribution: the mean field is that of J0 → J0 (N-1)/N, exactly
    kw = dict(I_ext=0.18, noise=nm.WhiteNoise(0.05))
    N, J0 = 20, -8.0
    without_mf = nm.asynchronous_states(nm.Population(N=N, J0=J0, self_coupling=False, **kw))
    scaled_mf = nm.asynchronous_states(nm.Population(N=N, J0=J0 * (N - 1) / N, **kw))
    assert [fp.A0 for fp in without_mf] == pytest.approx([fp.A0 for fp in scaled_mf], rel=1e-12)
    assert [fp.A0 for fp in without_mf] != pytest.approx(
        [fp.A0 for fp in nm.asynchronous_states(nm.Population(N=N, J0=J0, **kw))], rel=1e-3
    )
    with_self = nm.simulate(nm.Population(N=N, J0=J0, **kw), 3000.0, rng=3, record_spikes=False)
    without = nm.simulate(nm.Population(N=N, J0=J0, self_coupling=False, **kw), 3000.0, rng=3, record_spikes=False)
    # less self-inhibition, more firing
    assert without.mean_rate(300) > with_self.mean_rate(300)


def test_same_seed_same_result_and_different_seed_differs():
    pop = nm.Population(N=200, J0=3.0, I_ext=0.16, noise=nm.WhiteNoise(0.04))
    a = nm.simulate(pop, 100.0, rng=42)
    b = nm.simulate(pop, 100.0, rng=42)
    c = nm.simulate(pop, 100.0, rng=43)
    np.testing.assert_array_equal(a.spike_times, b.spike_times)
    np.testing.assert_array_equal(a.spike_ids, b.spike_ids)
    np.testing.assert_array_equal(a.u, b.u)
    assert not np.array_equal(a.A, c.A)
    g = np.random.default_rng(7)
    d = nm.simulate(pop, 50.0, rng=g)
    e = nm.simulate(pop, 50.0, rng=np.random.default_rng(7))
    np.testing.assert_array_equal(d.A, e.A)


def test_ou_noise_drives_the_membrane_with_its_variance():
    # uncoupled, no spikes (θ far away): Var u = (Rσ)² τ_n / (τ_m + τ_n) for OU current noise
    neuron = nm.LIF(theta=100.0)
    sigma, tau_n = 0.05, 5.0
    pop = nm.Population(N=2000, neuron=neuron, I_ext=0.0, noise=nm.OUNoise(sigma, tau_n), u0="rest")
    res = nm.simulate(pop, 100.0, dt=0.1, rng=2, record=2000)
    late = res.u[:, -1]
    theory = (neuron.R * sigma) ** 2 * tau_n / (neuron.tau_m + tau_n)
    # the engine holds the current constant within a step: first-order in dt/τ_n,
    # sample variance of 2000 values: relative standard error √(2/2000) ≈ 3 %
    assert late.var() == pytest.approx(theory, rel=4 * np.sqrt(2 / 2000) + 0.1 / tau_n)


def test_white_noise_membrane_variance():
    neuron = nm.LIF(theta=100.0)
    sigma = 0.05
    pop = nm.Population(N=4000, neuron=neuron, I_ext=0.0, noise=nm.WhiteNoise(sigma), u0="rest")
    res = nm.simulate(pop, 100.0, dt=0.1, rng=3, record=4000)
    # exact OU update: Var = (Rσ)²/2 (1 - e^{-2t/τ}), sample variance SE √(2/4000)
    theory = (neuron.R * sigma) ** 2 / 2 * (1 - np.exp(-2 * res.t[-1] / neuron.tau_m))
    assert res.u[:, -1].var() == pytest.approx(theory, rel=4 * np.sqrt(2 / 4000))


def test_delay_shifts_the_recurrent_input():
    pop = nm.Population(N=100, J0=1.0, I_ext=0.3, u0="rest")
    a = nm.simulate(pop, 60.0, dt=0.1, rng=0)
    b = nm.simulate(pop.replace(delay=2.0), 60.0, dt=0.1, rng=0)
    first = np.flatnonzero(a.I_rec)[0]
    assert np.flatnonzero(b.I_rec)[0] == first + 20


def test_replace_keeps_J0_when_N_changes():
    pop = nm.Population(N=100, J0=5.0)
    big = pop.replace(N=400)
    assert big.J0 == 5.0 and big.w0 == pytest.approx(5.0 / 400)
    assert nm.Population(N=10, w0=0.5).J0 == 5.0


def test_record_spikes_false_keeps_activity():
    pop = nm.Population(N=100, I_ext=0.3)
    a = nm.simulate(pop, 50.0, rng=0)
    b = nm.simulate(pop, 50.0, rng=0, record_spikes=False)
    np.testing.assert_array_equal(a.A, b.A)
    assert b.spike_times.size == 0 and b.n_spikes == a.n_spikes == a.spike_times.size


def test_activity_is_spike_count_over_N_dt():
    pop = nm.Population(N=100, I_ext=0.3)
    res = nm.simulate(pop, 50.0, rng=0)
    tc, A = nm.spike_count_activity(res.spike_times, res.N, res.t_max, 1.0)
    tc2, A2 = res.activity(1.0)
    np.testing.assert_allclose(tc, tc2)
    np.testing.assert_allclose(A, A2, atol=1e-9)
    assert A.mean() == pytest.approx(res.n_spikes / res.N / res.t_max * 1000.0, rel=1e-12)
