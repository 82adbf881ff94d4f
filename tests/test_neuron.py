"""The single LIF neuron: free solution, f–I curve, refractoriness — against closed forms."""

import numpy as np
import pytest

import nmteach as nm

NEURON = nm.LIF()


def single(I_ext, t_max=1000.0, dt=0.1, **kw):
    pop = nm.Population(N=1, I_ext=I_ext, u0="rest", neuron=kw.pop("neuron", NEURON))
    return nm.simulate(pop, t_max, dt=dt, rng=0, record=1, **kw)


@pytest.mark.parametrize("dt", [0.01, 0.1, 1.0])
def test_free_solution_matches_simulation_exactly(dt):
    # below rheobase the neuron never fires and u(t) is the notes' solution at every grid point
    I0 = 0.9 * nm.rheobase(NEURON)
    res = single(I0, t_max=100.0, dt=dt)
    assert res.n_spikes == 0
    expected = nm.free_solution(res.t, I0, NEURON)
    # exponential integration is exact: only rounding (≈1e-13 mV) remains
    np.testing.assert_allclose(res.u[0], expected, rtol=0, atol=1e-10)


def test_free_solution_formula_in_the_notes_form():
    t = np.linspace(0, 50, 11)
    I0 = 0.1
    notes = NEURON.u_rest + (1 - np.exp(-t / NEURON.tau_m)) * NEURON.R * I0
    np.testing.assert_allclose(nm.free_solution(t, I0, NEURON), notes, rtol=1e-14)


@pytest.mark.parametrize("dt", [0.1, 1.0])
@pytest.mark.parametrize("I0", [0.151, 0.16, 0.2, 0.3, 0.6])
def test_f_I_curve_matches_its_formula(I0, dt):
    res = single(I0, t_max=2000.0, dt=dt)
    isi = np.diff(np.sort(res.spike_times))
    T = float(nm.interspike_interval(I0, NEURON))
    # spike times are located exactly within the step, so even dt = 1 ms gives the
    # interval to rounding error (relative 1e-9 after hundreds of spikes)
    np.testing.assert_allclose(isi, T, rtol=1e-9)
    rate = 1000.0 / T
    assert float(nm.gain(I0, NEURON)) == pytest.approx(rate, rel=1e-12)


@pytest.mark.parametrize("dt", [0.1, 0.5, 1.0])
@pytest.mark.parametrize("t_ref", [0.0, 0.5, 2.0, 5.0])
def test_f_I_curve_holds_at_coarse_steps_for_every_refractory_period(t_ref, dt):
    """Up to 33 kHz at t_ref = 0: intervals shorter than the step (several spikes per step) and neurons that reach θ
    less than a step after their refractory period ends are integrated through within the step."""
    neuron = nm.LIF(t_ref=t_ref)
    for I0 in (0.16, 0.2, 0.5, 1.0, 2.0, 5.0, 50.0):
        res = nm.simulate(nm.Population(N=1, neuron=neuron, I_ext=I0, u0="rest", J0=0.0), 300.0, dt=dt, record=0)
        isi = np.diff(res.spike_times)
        T = float(nm.interspike_interval(I0, neuron))
        # every interval is located exactly: rounding of spike times of order 300 ms (ulp 6e-14 ms) over
        # intervals down to 0.03 ms gives a relative error below 1e-11
        np.testing.assert_allclose(isi, T, rtol=1e-11, err_msg=f"I0 = {I0} nA")


def test_first_spike_time_is_the_free_crossing_time():
    I0 = 0.2
    res = single(I0, t_max=50.0, dt=0.5)
    h = NEURON.u_rest + NEURON.R * I0
    t_cross = NEURON.tau_m * np.log((h - NEURON.u_rest) / (h - NEURON.theta))
    assert res.spike_times[0] == pytest.approx(t_cross, rel=1e-12)


def test_gain_is_zero_at_and_below_rheobase():
    rb = nm.rheobase(NEURON)
    assert nm.gain(rb, NEURON) == 0
    assert np.all(nm.gain(np.linspace(-1, rb, 20), NEURON) == 0)
    assert nm.gain(rb * 1.0001, NEURON) > 0
    assert single(rb, t_max=500.0).n_spikes == 0


def test_gain_saturates_at_the_inverse_refractory_period():
    assert nm.gain(1e3, NEURON) == pytest.approx(1000.0 / NEURON.t_ref, rel=1e-3)


def test_membrane_is_held_at_reset_for_exactly_t_ref():
    neuron = NEURON.replace(t_ref=5.0, u_reset=-70.0)
    dt = 0.1
    res = single(0.3, t_max=100.0, dt=dt, neuron=neuron)
    for ts in res.spike_times[:-1]:
        during = (res.t > ts) & (res.t <= ts + neuron.t_ref - 1e-9)
        assert during.sum() >= int(neuron.t_ref / dt) - 1
        assert np.all(res.u[0][during] == neuron.u_reset)
        # afterwards u follows the free solution from u_reset, started at ts + t_ref
        after = (res.t > ts + neuron.t_ref) & (res.t < ts + neuron.t_ref + 3.0)
        expected = nm.free_solution(res.t[after] - ts - neuron.t_ref, 0.3, neuron, u0=neuron.u_reset)
        np.testing.assert_allclose(res.u[0][after], expected, atol=1e-9)


def test_zero_refractory_period_and_reset_below_rest():
    neuron = NEURON.replace(t_ref=0.0, u_reset=-75.0)
    res = single(0.25, t_max=1000.0, dt=0.1, neuron=neuron)
    isi = np.diff(res.spike_times)
    np.testing.assert_allclose(isi, nm.interspike_interval(0.25, neuron), rtol=1e-9)


def test_describe_lists_units():
    text = NEURON.describe()
    assert "tau_m" in text and "ms" in text and "MΩ" in text
