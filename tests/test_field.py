"""Neural fields against theory: quadrature orders, Amari bumps, front speeds, the uniform state."""

import numpy as np
import pytest
from scipy.integrate import quad
from scipy.optimize import brentq

import nmteach as nm
from nmteach.theory.field import (
    ExponentialCoupling,
    GaussianCoupling,
    HeavisideRate,
    MexicanHatCoupling,
    NeuralField,
    SigmoidRate,
    active_length,
    bump_profile,
    bump_widths,
    count_bumps,
    front_speed,
    segment_input,
    simulate_field,
)

KERNELS = [GaussianCoupling(2.0, 0.7), ExponentialCoupling(-1.5, 1.3), MexicanHatCoupling(20, 1, 15, 2)]
HAT = MexicanHatCoupling(20.0, 1.0, 15.0, 2.0)
KAPPA = 0.35  # nA; with q = 1 pC and 100 Hz, s = 0.1 nA and Amari's condition reads W(a) = 3.5


# --- kernels -------------------------------------------------------------------------------


@pytest.mark.parametrize("w", KERNELS, ids=lambda w: type(w).__name__)
def test_kernel_integral_primitive_and_laplace_match_quadrature(w):
    total = 2 * quad(w, 0, np.inf, epsabs=1e-13)[0]
    assert total == pytest.approx(w.J, rel=1e-9)
    for a in (0.3, 1.0, 2.5, 7.0):
        assert w.W(a) == pytest.approx(quad(w, 0, a, epsabs=1e-13)[0], rel=1e-9, abs=1e-13)
        assert w.W(-a) == pytest.approx(-w.W(a))
        assert w.laplace(a) == pytest.approx(quad(lambda x, a=a: np.exp(-x / a) * w(x), 0, np.inf)[0], rel=1e-8)


# --- the notes' discretisation -------------------------------------------------------------


def test_segment_sum_on_a_line_converges_as_d_squared():
    # midpoint rule for a smooth integrand: error ≈ (d²/24)[g']_0^L, so the order is 2
    w, L, rho, q = GaussianCoupling(1.0, 1.0), 10.0, 50.0, 2.0
    A = lambda y: 20.0 + 10.0 * np.sin(1.3 * y)
    x = np.array([0.0, 2.2, 5.0, 9.1])
    exact = np.array([rho * q / 1000 * quad(lambda y, xi=xi: w(xi - y) * A(y), 0, L, epsabs=1e-14)[0] for xi in x])
    ds = L / np.array([20, 40, 80, 160])
    errors = [np.max(np.abs(segment_input(w, A, d, rho, L=L, q=q, x=x) - exact)) for d in ds]
    order = np.polyfit(np.log(ds), np.log(errors), 1)[0]
    assert abs(order - 2) < 0.2


def test_line_ends_receive_half_the_input():
    w = GaussianCoupling(1.0, 0.5)
    I = segment_input(w, np.full(400, 10.0), 0.05, 1.0, L=20.0, x=[0.0, 10.0])
    assert I[0] / I[1] == pytest.approx(0.5, rel=1e-4)  # (1/2) erf(L/√2σ) vs erf(L/2√2σ)


def test_segment_sum_on_a_ring_converges_spectrally():
    # periodic trapezoid/midpoint rule: error ~ exp(−(2πσ/d)²/2), faster than any power of d
    w, L, k1, k2 = GaussianCoupling(1.0, 1.0), 20.0, 2 * np.pi / 20.0, 4 * np.pi / 20.0
    A = lambda y: 20.0 + 10.0 * np.cos(k1 * y) + 5.0 * np.sin(k2 * y)
    x = np.linspace(0, L, 7)
    exact = (20 + 10 * np.exp(-(k1**2) / 2) * np.cos(k1 * x) + 5 * np.exp(-(k2**2) / 2) * np.sin(k2 * x)) / 1000
    errors = [np.max(np.abs(segment_input(w, A, L / M, 1.0, L=L, geometry="ring", x=x) - exact)) for M in (10, 20, 40)]
    assert errors[2] < 1e-10
    assert errors[0] / errors[1] > 100 and errors[1] / errors[2] > errors[0] / errors[1]


@pytest.mark.parametrize("rate", [HeavisideRate(KAPPA, 100.0), SigmoidRate(KAPPA, 0.05, 80.0)])
def test_fft_convolution_equals_the_direct_periodic_sum(rate):
    fld = NeuralField(HAT, rate, q=1.5, L=30.0, M=128)
    h = np.random.default_rng(1).uniform(0.0, 0.7, fld.M)
    direct = segment_input(HAT, rate(h), fld.L / fld.M, 1.0, L=fld.L, q=fld.q, geometry="ring")
    np.testing.assert_allclose(fld.recurrent_input(h), direct, rtol=0, atol=1e-10)


# --- the integrators -----------------------------------------------------------------------


@pytest.mark.parametrize(("method", "order"), [("exp_euler", 1), ("rk4", 4)])
def test_integrators_converge_at_their_order(method, order):
    I = lambda x, t: 0.3 + 0.2 * np.sin(2 * np.pi * x / 20.0) * np.cos(t / 5.0)
    fld = NeuralField(HAT, SigmoidRate(KAPPA, 0.1, 100.0), I_ext=I, L=20.0, M=32)
    ref = simulate_field(fld, 20.0, dt=0.005, method="rk4").h[-1]
    err = [np.abs(simulate_field(fld, 20.0, dt=dt, method=method).h[-1] - ref).max() for dt in (0.4, 0.2)]
    assert np.log2(err[0] / err[1]) == pytest.approx(order, abs=0.3)


def test_recording_stride_keeps_every_kth_state():
    fld = NeuralField(HAT, SigmoidRate(), I_ext=0.3, M=16)
    full, thin = simulate_field(fld, 10.0, dt=0.5), simulate_field(fld, 10.0, dt=0.5, record_every=4)
    np.testing.assert_array_equal(thin.h, full.h[::4])
    np.testing.assert_array_equal(thin.t, full.t[::4])
    assert full.rate().shape == (21, 16)


# --- Amari bumps ---------------------------------------------------------------------------


def bump_field(M=512):
    return NeuralField(HAT, HeavisideRate(KAPPA, 100.0), L=30.0, M=M)


def test_bump_widths_solve_amari_condition_and_stability_follows_w():
    fld = bump_field()
    bumps = bump_widths(fld)
    assert len(bumps) == 2
    for b in bumps:
        assert 0.1 * quad(HAT, 0, b.width)[0] == pytest.approx(KAPPA, abs=1e-10)
        assert b.stable == (HAT(b.width) < 0)
    assert [b.stable for b in bumps] == [False, True]


def pinning_band(fld, a):
    """On a grid, a Heaviside bump with K active points is stationary while its edge point
    stays above κ and the next one below: the two differ by s·dx·(w(0) − w(a)), while a
    width change moves s W by s|w(a)| per mm. So stationary widths fill a band of
    half-width dx (w(0) − w(a)) / (2|w(a)|), plus dx for locating the edges."""
    dx = fld.L / fld.M
    return dx * (1 + (fld.kernel(0) - fld.kernel(a)) / (2 * abs(fld.kernel(a))))


def test_bump_started_at_the_prediction_keeps_its_width_within_dx():
    fld = bump_field()
    a = bump_widths(fld)[1].width
    res = simulate_field(fld, 300.0, h0=bump_profile(fld, a) + 0.01 * np.cos(2 * np.pi * fld.x / fld.L))
    assert count_bumps(res.h[-1], KAPPA) == 1
    assert abs(active_length(res.h[-1], KAPPA, fld.L) - a) <= fld.L / fld.M


@pytest.mark.parametrize("factor", [0.8, 1.2, "unstable+10%"])
def test_perturbed_bumps_relax_to_the_stable_width(factor):
    fld = bump_field()
    unstable, stable = bump_widths(fld)
    start = 1.1 * unstable.width if isinstance(factor, str) else factor * stable.width
    res = simulate_field(fld, 500.0, h0=bump_profile(fld, start))
    assert abs(active_length(res.h[-1], KAPPA, fld.L) - stable.width) <= pinning_band(fld, stable.width)
    assert np.abs(res.h[-1] - res.h[-20]).max() < 1e-6  # stationary


def test_bump_narrower_than_the_unstable_one_dies():
    fld = bump_field()
    res = simulate_field(fld, 200.0, h0=bump_profile(fld, 0.9 * bump_widths(fld)[0].width))
    assert count_bumps(res.h[-1], KAPPA) == 0


# --- travelling fronts ---------------------------------------------------------------------


def lattice_speed(w, k, dx, tau):
    """The threshold condition k = Σ_{j≥1} dx w(j dx)(1 − e^{−j dx/cτ})/J that the grid obeys
    (the continuum integral is its d → 0 limit; for k > ½ use u → 1 − u)."""
    kk, j = min(k, 1 - k), np.arange(1, round(40 / dx) + 1) * dx
    F = lambda lam: np.sum(dx * w(j) * -np.expm1(-j / lam)) / w.J - kk
    c = brentq(F, 1e-6, 1e3) / tau
    return c if k < 0.5 else -c


@pytest.mark.parametrize("w", [ExponentialCoupling(10.0, 1.0), GaussianCoupling(10.0, 1.0)], ids=["exp", "gauss"])
@pytest.mark.parametrize("kappa", [0.25, 0.35, 0.6])
def test_front_speed_matches_simulation(w, kappa):
    L, M, dt, T = 80.0, 2048, 0.1, 200.0
    fld = NeuralField(w, HeavisideRate(kappa, 100.0), L=L, M=M)  # s J = 1 nA, so k = kappa
    c, dx = front_speed(fld), L / M
    h0 = np.where(np.abs(fld.x - L / 2) < (5.0 if kappa < 0.5 else 25.0), 1.0, 0.0)
    res = simulate_field(fld, T, dt=dt, h0=h0, record_every=10)
    length = np.array([active_length(h, kappa, L) for h in res.h])
    fit = res.t >= T / 4
    c_sim = np.polyfit(res.t[fit], length[fit], 1)[0] / 2  # two fronts
    # tolerance: (i) the grid's threshold condition is a Riemann sum of the integral (O(dx²));
    # (ii) a point is switched on up to one step late: |δc/c| ≤ dt (1 + |c|τ/σ)/τ = dt/(2 k τ)
    # for the exponential kernel; (iii) the edge positions jump by dx, a fit error ≤ 2 dx / T
    tol = abs(lattice_speed(w, kappa, dx, fld.tau) - c) + abs(c) * dt / (2 * min(kappa, 1 - kappa) * fld.tau)
    assert abs(c_sim - c) <= tol + 2 * dx / (T - T / 4)


def test_exponential_front_speed_closed_form_and_threshold_condition():
    for kappa in (0.1, 0.3, 0.45):
        fld = NeuralField(ExponentialCoupling(10.0, 2.0), HeavisideRate(kappa, 100.0), tau=5.0)
        assert front_speed(fld) == pytest.approx(2.0 / 5.0 * (1 - 2 * kappa) / (2 * kappa), rel=1e-12)
    w = GaussianCoupling(10.0, 1.5)
    c = front_speed(NeuralField(w, HeavisideRate(0.3, 100.0), tau=5.0))
    assert 0.5 - quad(lambda x: np.exp(-x / (5.0 * c)) * w(x), 0, np.inf)[0] / 10.0 == pytest.approx(0.3, abs=1e-9)
    assert front_speed(NeuralField(w, HeavisideRate(0.7, 100.0), tau=5.0)) == pytest.approx(-c)
    assert front_speed(NeuralField(w, HeavisideRate(0.5, 100.0))) == 0.0


# --- topographic input ---------------------------------------------------------------------


def two_inputs(D, L=30.0, scale=1.0):
    """Two Gaussian inputs of 0.4 nA peak and width 0.5·scale mm at L/2 ± D/2."""
    return lambda x, t: 0.4 * sum(np.exp(-((x - L / 2 + s * D / 2) ** 2) / (2 * (0.5 * scale) ** 2)) for s in (-1, 1))


def test_localised_input_gives_a_localised_response():
    I = lambda x, t: 0.4 * np.exp(-((x - 10.0) ** 2) / 0.5)
    fld = NeuralField(HAT, HeavisideRate(KAPPA, 100.0), I_ext=I, L=30.0, M=512)
    h = simulate_field(fld, 200.0, h0=0.0).h[-1]
    active = fld.x[h > KAPPA]
    assert count_bumps(h, KAPPA) == 1
    assert abs(active.mean() - 10.0) <= fld.L / fld.M
    assert np.all(np.abs(active - 10.0) < 2.5)


@pytest.mark.parametrize(("D", "expected"), [(1.0, 1), (2.0, 1), (8.0, 2), (15.0, 2)])
@pytest.mark.parametrize("scale", [1.0, 2.0])
def test_two_inputs_merge_when_close_and_coexist_when_far(D, expected, scale):
    # lengths only enter as D/σ: scaling the kernel, the inputs and D together changes nothing
    w = MexicanHatCoupling(20.0, scale, 15.0, 2 * scale)
    I = two_inputs(D * scale, 30 * scale, scale)
    fld = NeuralField(w, HeavisideRate(KAPPA, 100.0), I_ext=I, L=30 * scale, M=round(256 * scale))
    assert count_bumps(simulate_field(fld, 300.0, h0=0.0).h[-1], KAPPA) == expected


def test_count_bumps_on_the_ring():
    assert count_bumps([1, 0, 0, 1, 1, 0, 1], 0.5) == 2  # the run at the ends wraps round
    assert count_bumps([0, 0, 0], 0.5) == 0 and count_bumps([1, 1], 0.5) == 1
    assert active_length([0.0, 1.0, 1.0, 0.0], 0.5, 4.0) == pytest.approx(2.0)


# --- the uniform state is the homogeneous population's -------------------------------------


@pytest.mark.parametrize(
    ("J0", "I_ext", "sigma", "which"), [(-5.0, 0.2, 0.05, 0), (2.0, 0.1, 0.02, 0), (2.0, 0.1, 0.02, 2)]
)
@pytest.mark.parametrize("method", ["exp_euler", "rk4"])
def test_uniform_field_converges_to_the_asynchronous_state(J0, I_ext, sigma, which, method):
    pop = nm.Population(J0=J0, I_ext=I_ext, kernel=nm.ExponentialKernel(q=1.0), noise=nm.WhiteNoise(sigma))
    fp = nm.asynchronous_states(pop)[which]
    assert fp.stable
    fld = NeuralField(GaussianCoupling(J0, 1.0), nm.population_gain(pop), q=1.0, I_ext=I_ext, L=20.0, M=32)
    # linearised, the uniform mode decays as e^{−(1 − slope) t/τ}: run until 1e-3 has shrunk to 1e-11
    t_max = np.ceil(fld.tau * np.log(1e8) / (1 - fp.slope))
    h = simulate_field(fld, t_max, dt=1.0, h0=fp.I0 * (1 + 1e-3), method=method).h[-1]
    np.testing.assert_allclose(h, fp.I0, rtol=1e-8)
    np.testing.assert_allclose(fld.rate(h), fp.A0, rtol=1e-6, atol=1e-9)


# --- validation ----------------------------------------------------------------------------

FLD = NeuralField(HAT, HeavisideRate(KAPPA, 100.0), M=64)
EXC = ExponentialCoupling(10.0)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: GaussianCoupling(sigma=0), r"sigma = 0 is out of range: .* \(0, 10000\] mm"),
        (lambda: GaussianCoupling(J=float("nan")), "J = nan is out of range"),
        (lambda: ExponentialCoupling(sigma="wide"), "sigma = 'wide' is not a number"),
        (lambda: MexicanHatCoupling(J_e=-1), r"J_e = -1 is out of range: .*≥ 0; the sign is in the formula"),
        (lambda: MexicanHatCoupling(J_i=1e7), "J_i = 10000000.0 is out of range"),
        (lambda: MexicanHatCoupling(sigma_e=0), "sigma_e = 0 is out of range"),
        (lambda: MexicanHatCoupling(sigma_e=2, sigma_i=1), "sigma_i = 1.0 must exceed sigma_e = 2.0"),
        (lambda: HeavisideRate(rate_max=0), "rate_max = 0 is out of range"),
        (lambda: HeavisideRate(kappa=None), "kappa = None is not a number"),
        (lambda: SigmoidRate(width=-1), "width = -1 is out of range"),
        (lambda: NeuralField("gauss", HeavisideRate()), "kernel = 'gauss' must be a CouplingKernel"),
        (lambda: NeuralField(HAT, 3.0), "rate = 3.0 must be a function"),
        (lambda: NeuralField(HAT, SigmoidRate(), tau=0), "tau = 0 is out of range"),
        (lambda: NeuralField(HAT, SigmoidRate(), q=1e6), "q = 1000000.0 is out of range"),
        (lambda: NeuralField(HAT, SigmoidRate(), I_ext=1e9), "I_ext = 1000000000.0 is out of range"),
        (lambda: NeuralField(HAT, SigmoidRate(), L=0), "L = 0 is out of range"),
        (lambda: NeuralField(HAT, SigmoidRate(), M=2), "M = 2 is out of range"),
        (lambda: NeuralField(HAT, SigmoidRate(), M=10.5), "M = 10.5 must be a whole number"),
        (lambda: NeuralField(HAT, SigmoidRate(), M=True), "M = True must be a whole number"),
        (lambda: segment_input(HAT, np.ones(3), 0.4, 1.0, L=1.0), "d = 0.4 must divide L = 1.0"),
        (lambda: segment_input(HAT, np.ones(3), 0.0, 1.0, L=1.0), "d = 0.0 is out of range"),
        (lambda: segment_input(HAT, np.ones(3), 0.5, 0.0, L=1.0), "rho = 0.0 is out of range"),
        (lambda: segment_input(HAT, np.ones(3), 0.5, 1.0, L=-1.0), "L = -1.0 is out of range"),
        (lambda: segment_input(HAT, np.ones(3), 0.5, 1.0, L=1.0), "A has 3 entries; it needs 2"),
        (lambda: segment_input(HAT, np.ones(2), 0.5, 1.0, L=1.0, q=1e5), "q = 100000.0 is out of range"),
        (lambda: segment_input(HAT, np.ones(2), 0.5, 1.0, L=1.0, geometry="disc"), "geometry = 'disc'"),
        (lambda: simulate_field(FLD, 0.0), "t_max = 0.0 is out of range"),
        (lambda: simulate_field(FLD, 10.0, dt=5.0), "dt = 5.0 is out of range"),
        (lambda: simulate_field(FLD, 10.0, method="euler"), "method = 'euler'"),
        (lambda: simulate_field(FLD, 10.0, record_every=0), "record_every = 0 is out of range"),
        (lambda: simulate_field(FLD, 10.0, record_every=2.5), "record_every = 2.5 must be a whole number"),
        (lambda: simulate_field(FLD, 10.0, h0=np.full(64, np.nan)), "h0 contains entries that are not finite numbers"),
        (
            lambda: simulate_field(NeuralField(HAT, SigmoidRate(), M=2**22), 15.0),
            "more than the memory budget.*raise record_every",
        ),
        (lambda: bump_widths(NeuralField(HAT, SigmoidRate())), "rate = HeavisideRate"),
        (lambda: bump_widths(NeuralField(HAT, HeavisideRate(), I_ext=lambda x, t: 0 * x)), "constant I_ext"),
        (lambda: bump_widths(FLD, a_max=0), "a_max = 0 is out of range"),
        (lambda: bump_profile(FLD, -1.0), "width = -1.0 is out of range"),
        (lambda: front_speed(FLD), "kernel = MexicanHatCoupling.* must be excitatory"),
        (lambda: front_speed(NeuralField(GaussianCoupling(-1.0), HeavisideRate())), "must be excitatory"),
        (lambda: front_speed(NeuralField(EXC, HeavisideRate(1.5, 100.0))), r"kappa = 1.5: .* \(0, 1\)"),
        (lambda: active_length([0.0, 1.0], 0.5, 0.0), "L = 0.0 is out of range"),
    ],
)
def test_every_bad_parameter_is_refused_by_name(call, message):
    with pytest.raises((ValueError, TypeError), match=message):
        call()
