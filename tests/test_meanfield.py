"""Mean-field theory against simulation: gain functions, fixed points, the asynchronous state."""

import numpy as np
import pytest
from scipy.integrate import quad
from scipy.special import erfcx

import nmteach as nm

NEURON = nm.LIF()


def siegert_by_quad(I0, neuron, sigma):
    su = neuron.R * sigma
    h0 = neuron.u_rest + neuron.R * I0
    val, _ = quad(lambda x: erfcx(-x), (neuron.u_reset - h0) / su, (neuron.theta - h0) / su, limit=200)
    return 1000.0 / (neuron.t_ref + neuron.tau_m * np.sqrt(np.pi) * val)


@pytest.mark.parametrize("sigma", [0.005, 0.02, 0.05, 0.2])
def test_siegert_matches_adaptive_quadrature(sigma):
    I = np.linspace(0.0, 0.5, 26)
    ours = nm.siegert_rate(I, NEURON, sigma)
    ref = np.array([siegert_by_quad(i, NEURON, sigma) for i in I])
    big = ref > 1e-6
    np.testing.assert_allclose(ours[big], ref[big], rtol=1e-8)
    assert np.all(ours[~big] < 1e-5)


def test_siegert_tends_to_the_noise_free_gain():
    I = np.array([0.16, 0.2, 0.3, 0.5])
    np.testing.assert_allclose(nm.siegert_rate(I, NEURON, 1e-4), nm.gain(I, NEURON), rtol=1e-3)
    np.testing.assert_allclose(nm.siegert_rate(I, NEURON, 0.0), nm.gain(I, NEURON))


def uncoupled_rate(I, sigma, *, dt=0.1, bridge=True, N=2000, T=2000.0, seed=3):
    pop = nm.Population(N=N, I_ext=I, noise=nm.WhiteNoise(sigma), J0=0.0)
    res = nm.simulate(pop, T, dt=dt, rng=seed, bridge=bridge, record_spikes=False)
    sel = res.t >= 200.0
    return res.A[sel].mean(), nm.block_error(res.A[sel], 20), N * (T - 200.0) / 1000.0


def tolerance(rate, se, neuron_seconds, dt, tau_m):
    """4 standard errors (the larger of the measured block error and the Poisson bound
    √(ν/(N T)), since an LIF neuron with refractoriness has CV ≤ 1) plus the first-order
    residual ν·dt/τ_m of the Brownian-bridge scheme."""
    return 4 * max(se, np.sqrt(rate / neuron_seconds)) + rate * dt / tau_m


@pytest.mark.slow
@pytest.mark.parametrize(("I", "sigma"), [(0.14, 0.05), (0.2, 0.05)])
def test_noisy_neurons_fire_at_the_siegert_rate(I, sigma):
    rate, se, ns = uncoupled_rate(I, sigma)
    theory = nm.siegert_rate(I, NEURON, sigma)
    assert abs(rate - theory) < tolerance(theory, se, ns, 0.1, NEURON.tau_m)


@pytest.mark.slow
def test_checking_threshold_only_on_the_grid_biases_the_rate_as_predicted():
    # without the bridge, a discretely monitored diffusion sees a threshold raised by
    # β σ_u √(dt/τ_m), β = −ζ(1/2)/√(2π) ≈ 0.5826 (Broadie, Glasserman & Kou 1997)
    I, sigma, dt = 0.14, 0.05, 0.1
    rate, se, ns = uncoupled_rate(I, sigma, bridge=False, dt=dt)
    shift = 0.5826 * NEURON.R * sigma * np.sqrt(dt / NEURON.tau_m)
    shifted = nm.siegert_rate(I, NEURON.replace(theta=NEURON.theta + shift), sigma)
    unbiased = nm.siegert_rate(I, NEURON, sigma)
    tol = tolerance(shifted, se, ns, dt, NEURON.tau_m)
    assert abs(rate - shifted) < tol
    assert unbiased - rate > 2 * tol  # the bias is real: more than twice the error bars


@pytest.mark.slow
@pytest.mark.parametrize(("J0", "I"), [(-10.0, 0.2), (2.0, 0.12)])
def test_asynchronous_state_rate_matches_self_consistent_solution(J0, I):
    sigma, N, T = 0.05, 2000, 2000.0
    pop = nm.Population(N=N, I_ext=I, noise=nm.WhiteNoise(sigma), J0=J0)
    (fp,) = nm.asynchronous_states(pop)
    assert fp.stable
    res = nm.simulate(pop, T, dt=0.1, rng=2, record_spikes=False)
    sel = res.t >= 300.0
    rate = res.A[sel].mean()
    se = nm.block_error(res.A[sel], 20)
    # finite N adds common input fluctuations of relative size ~1/√N to the mean field
    # (rate error ∝ 1/N); at N = 2000 that is bounded by ν/N·(J0 q)²-terms ≪ 0.1 %.
    tol = tolerance(fp.A0, se, N * (T - 300.0) / 1000.0, 0.1, pop.neuron.tau_m) + fp.A0 / N
    assert abs(rate - fp.A0) < tol


def test_fixed_points_satisfy_the_self_consistency_equation():
    pop = nm.Population(J0=2.0, I_ext=0.1, noise=nm.WhiteNoise(0.02))
    fps = nm.asynchronous_states(pop)
    assert len(fps) == 3  # low (stable), middle (unstable), high (stable)
    assert [fp.stable for fp in fps] == [True, False, True]
    for fp in fps:
        assert float(nm.self_consistency_curve(pop, fp.A0)) == pytest.approx(fp.A0, rel=1e-9, abs=1e-9)
        assert fp.I0 == pytest.approx(0.1 + 2.0 * 1.0 * fp.A0 / 1000)


def test_noise_free_bistability_includes_the_silent_state():
    pop = nm.Population(J0=3.0, I_ext=0.12)  # below rheobase 0.15 nA
    fps = nm.asynchronous_states(pop)
    assert fps[0].A0 == 0.0 and fps[0].stable
    assert len(fps) == 3 and not fps[1].stable and fps[2].stable
    # the unstable point sits just above where the total input reaches rheobase
    assert fps[1].I0 > nm.rheobase(pop.neuron)


def test_inhibition_gives_one_stable_state_with_negative_slope():
    pop = nm.Population(J0=-20.0, I_ext=0.3)
    (fp,) = nm.asynchronous_states(pop)
    assert fp.slope < 0 and fp.stable
    assert float(nm.gain(fp.I0, pop.neuron)) == pytest.approx(fp.A0, rel=1e-9)


def test_fixed_point_slope_is_the_derivative_of_the_curve():
    pop = nm.Population(J0=2.0, I_ext=0.1, noise=nm.WhiteNoise(0.02))
    for fp in nm.asynchronous_states(pop):
        h = 1e-3
        num = (nm.self_consistency_curve(pop, fp.A0 + h) - nm.self_consistency_curve(pop, fp.A0 - h)) / (2 * h)
        assert fp.slope == pytest.approx(float(num), rel=1e-4)


@pytest.mark.slow
def test_noise_free_excitation_synchronises_and_noise_restores_asynchrony():
    base = dict(N=1000, J0=0.5, I_ext=0.18, kernel=nm.ExponentialKernel(1.0, 5.0))

    def run(pop):
        res = nm.simulate(pop, 1500.0, dt=0.1, rng=1, record_spikes=False)
        tc, A = res.activity(1.0)
        A = A[tc > 500]
        # asynchronous: Var A over 1 ms bins is the finite-size value (index ≈ 1)
        return A.var() / nm.finite_size_variance(A.mean(), pop.N, 1.0), A.mean()

    sync, _ = run(nm.Population(**base))
    assert sync > 50  # the population fires in volleys
    noisy = nm.Population(**base, noise=nm.WhiteNoise(0.03))
    sync, rate = run(noisy)
    assert sync < 2
    (fp,) = nm.asynchronous_states(noisy)
    assert rate == pytest.approx(fp.A0, rel=0.01)
