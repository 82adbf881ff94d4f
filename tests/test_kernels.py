"""PSC kernels: their charge, their filters, their limits."""

import numpy as np
import pytest

import nmteach as nm

KERNELS = [
    nm.ExponentialKernel(q=2.0, tau_s=3.0),
    nm.AlphaKernel(q=0.5, tau_s=2.0),
    nm.BiexponentialKernel(q=1.5, tau_rise=0.5, tau_decay=4.0),
]


@pytest.mark.parametrize("kernel", KERNELS, ids=lambda k: k.name)
def test_integral_of_kernel_is_q(kernel):
    h = 1e-3
    s = np.arange(0, kernel.duration, h)
    # trapezoid rule: error ≤ h² max|α''| T / 12 ≈ 1e-7 here; the tail beyond `duration` is < 1e-6 q
    assert np.trapezoid(kernel(s), s) == pytest.approx(kernel.q, rel=2e-6)
    # the charge of the filter the engine runs (−c M⁻¹ b of its state-space form), to rounding
    assert kernel.integral == pytest.approx(kernel.q, rel=1e-14)


@pytest.mark.parametrize("kernel", [*KERNELS, nm.DeltaKernel(q=0.7)], ids=lambda k: k.name)
def test_filter_of_one_spike_delivers_charge_q(kernel):
    dt = 0.1
    A = np.zeros(int(kernel.duration / dt) + 50)
    A[10] = 1000.0 / dt  # one spike per neuron in step 10
    current = nm.filter_activity(kernel, A, dt)
    assert current[:11].sum() == 0  # causal: nothing before delivery at step 11
    assert current.sum() * dt == pytest.approx(kernel.q, rel=1e-6)


@pytest.mark.parametrize("kernel", KERNELS, ids=lambda k: k.name)
def test_filter_is_step_average_of_the_kernel(kernel):
    dt = 0.25
    A = np.zeros(200)
    A[0] = 1000.0 / dt
    current = nm.filter_activity(kernel, A, dt)
    # step k ≥ 1 holds (1/dt)∫ α over [(k-1)dt, k dt] after delivery at t_1
    fine = 2000
    for k in (1, 2, 5, 40):
        s = np.linspace((k - 1) * dt, k * dt, fine + 1)
        avg = np.trapezoid(kernel(s), s) / dt
        assert current[k] == pytest.approx(avg, rel=1e-6)


def test_biexponential_tends_to_alpha():
    s = np.linspace(0, 40, 400)
    alpha = nm.AlphaKernel(q=1.0, tau_s=3.0)(s)
    bi = nm.BiexponentialKernel(q=1.0, tau_rise=3.0 - 1e-4, tau_decay=3.0 + 1e-4)(s)
    np.testing.assert_allclose(bi, alpha, atol=1e-8)


def test_alpha_kernel_peaks_at_tau_s():
    k = nm.AlphaKernel(q=1.0, tau_s=4.0)
    s = np.linspace(0, 20, 20001)
    assert s[np.argmax(k(s))] == pytest.approx(4.0, abs=1e-3)


def test_kernels_are_causal():
    for k in KERNELS:
        assert np.all(k(np.array([-5.0, -1e-9])) == 0)


def test_make_kernel_by_name():
    assert isinstance(nm.make_kernel("alpha", 1.0, 2.0), nm.AlphaKernel)
    assert isinstance(nm.make_kernel("delta", 1.0), nm.DeltaKernel)
    assert nm.make_kernel("biexponential", 1.0, 5.0).tau_rise == 1.0
    with pytest.raises(ValueError, match="shape = 'box'"):
        nm.make_kernel("box")
