"""Interacting pools: the spiking E/I network against the population rate equations."""

import numpy as np
import pytest

import nmteach as nm
from nmteach.models import NEURON_E, NEURON_I, brunel_network, ei_rate_model

J = {"EE": 3.0, "EI": -6.0, "IE": 6.0, "II": -1.0}  # J_nm with n the target, m the source


def ei_network(N_E, sigma=0.03):
    groups = (
        nm.Group("E", N_E, neuron=NEURON_E, I_ext=0.14, noise=nm.WhiteNoise(sigma)),
        nm.Group("I", N_E // 4, neuron=NEURON_I, I_ext=0.1, noise=nm.WhiteNoise(sigma)),
    )
    kernel = nm.ExponentialKernel(1.0, 1.0)
    return nm.Network(groups, [nm.Projection(k[1], k[0], J=v, kernel=kernel) for k, v in J.items()])


@pytest.mark.slow
def test_spiking_pools_converge_to_the_rate_model_fixed_point():
    (fp,) = nm.stationary_states(ei_rate_model(J["EE"], J["EI"], J["IE"], J["II"], 0.14, 0.1))
    assert fp.stable
    means, errs = {}, {}
    for N_E in (2000, 8000):
        res = nm.simulate(ei_network(N_E), 2000.0, dt=0.1, rng=1, record_spikes=False)
        A = res.A_groups[:, res.t > 300]
        means[N_E] = A.mean(axis=1)
        errs[N_E] = np.array([nm.block_error(a, 20) for a in A])
    # finite-size fluctuations bias the mean by O(1/N): Richardson extrapolation removes the leading term
    extrapolated = (4 * means[8000] - means[2000]) / 3
    stderr = np.hypot(4 * errs[8000], errs[2000]) / 3
    # 4 standard errors plus the first-order time-step error ν·dt/τ_m of the bridge scheme
    assert np.all(np.abs(extrapolated - fp.A) < 4 * stderr + fp.A * 0.1 / 10.0)
    # rates stay within a few per cent when every pool grows fourfold (w_ij = J_nm / N_m)
    assert np.all(np.abs(means[8000] / means[2000] - 1) < 0.05)


def test_input_of_each_pool_is_the_sum_over_source_pools():
    res = nm.simulate(ei_network(400), 200.0, rng=2)
    k = nm.ExponentialKernel(1.0, 1.0)
    for target, sources in (("E", ("EE", "EI")), ("I", ("IE", "II"))):
        expected = sum(J[key] * nm.filter_activity(k, res.group(key[1])["A"], res.dt) for key in sources)
        np.testing.assert_allclose(res.group(target)["I_rec"], expected, rtol=1e-9, atol=1e-12)


@pytest.mark.slow
def test_brunel_asynchronous_state_matches_the_diffusion_mean_field():
    res = nm.simulate(brunel_network(5.0, 2.0), 1000.0, dt=0.1, rng=3, record=0, record_spikes=False)
    rate = res.A[res.t > 200].mean()
    mf = nm.brunel_rate(5.0, 2.0, J=0.5, C_E=200)
    # the diffusion approximation neglects the jump size: error of order J/(θ − V_r) = 5 %
    assert rate == pytest.approx(mf, rel=2 * 0.5 / 10.0)


def test_brunel_rate_of_the_full_network():
    # NEST's brunel_delta example (N_E = 10,000, J = 0.1 mV, g = 5, η = 2) fires at ≈ 37.4 Hz
    assert nm.brunel_rate(5.0, 2.0) == pytest.approx(37.4, rel=0.03)
    with pytest.raises(
        ValueError, match=r"g = -1 is out of range: relative strength of inhibition g must lie in \(0, 1000\]"
    ):
        nm.brunel_rate(-1, 2.0)
