"""Rate equations of interacting pools: fixed points, stability, oscillations, nullclines."""

import dataclasses

import numpy as np
import pytest
from scipy.integrate import solve_ivp
from scipy.optimize import brentq
from scipy.special import erfcx

import nmteach as nm
from nmteach.theory.rates import (
    RateModel,
    WilsonCowan,
    integrate,
    jacobian,
    nullclines,
    stationary_states,
    vector_field,
)

# E–I pools of Siegert neurons whose single fixed point is a stable focus (≈ 4.6 Hz, 17.9 Hz)
FOCUS = RateModel([[10.0, -10.0], [20.0, -5.0]], tau=(10.0, 20.0), I_ext=(0.2, 0.1), sigmas=0.05)
# strong recurrent excitation: a low and a high stable state split by a saddle
BISTABLE = RateModel([[20.0, -10.0], [40.0, -5.0]], tau=(10.0, 5.0), I_ext=(0.14, 0.1), sigmas=0.05)
NOISE_FREE = dataclasses.replace(BISTABLE, sigmas=0.0)
# three pools with different neurons, noise and synapses
THREE = RateModel(
    [[8.0, -6.0, 2.0], [15.0, -4.0, 0.0], [3.0, -2.0, 5.0]],
    tau=(10.0, 5.0, 20.0),
    q=(1.0, 1.5, 0.5),
    I_ext=(0.16, 0.12, 0.14),
    neurons=(nm.LIF(), nm.LIF(tau_m=8.0, t_ref=1.0), nm.LIF(theta=-52.0)),
    sigmas=(0.04, 0.06, 0.0),
    names=("E", "I", "E2"),
)


def gain_by_hand(model, I):
    """g_n(I_n) straight from the package's gain functions, pool by pool."""
    return np.array([nm.siegert_rate(I[n], model.neurons[n], model.sigmas[n]) for n in range(model.n_pools)])


def input_by_hand(model, A):
    P = model.n_pools
    return np.array(
        [model.I_ext[n] + sum(model.J[n][m] * model.q[m] * A[m] / 1000.0 for m in range(P)) for n in range(P)]
    )


# --- (b) self-consistency, (c) one pool = the homogeneous population --------------------------------


@pytest.mark.parametrize(
    "model", [FOCUS, BISTABLE, NOISE_FREE, THREE], ids=["focus", "bistable", "noise-free", "three"]
)
def test_stationary_states_are_self_consistent(model):
    fps = stationary_states(model)
    assert fps
    for fp in fps:
        I = input_by_hand(model, fp.A)
        np.testing.assert_allclose(fp.I, I, rtol=1e-13, atol=1e-15)
        np.testing.assert_allclose(fp.A, gain_by_hand(model, I), rtol=0, atol=1e-9)


def test_bistable_models_have_three_states_and_noise_moves_them_little():
    kinds = [fp.kind for fp in stationary_states(BISTABLE)]
    assert kinds == ["stable focus", "saddle", "stable node"]
    quiet, _, active = stationary_states(NOISE_FREE)
    assert np.array_equal(quiet.A, [0.0, 0.0]) and quiet.kind == "stable node"  # both pools below rheobase
    np.testing.assert_allclose(active.A, stationary_states(BISTABLE)[2].A, rtol=0.01)


@pytest.mark.parametrize(
    ("J0", "q", "I_ext", "sigma"),
    [(-5.0, 1.0, 0.2, 0.05), (2.0, 1.0, 0.08, 0.03), (1.0, 2.5, 0.1, 0.02), (3.0, 1.0, 0.1, 0.0), (0.0, 1.0, 0.3, 0.0)],
)
def test_one_pool_agrees_with_the_asynchronous_states(J0, q, I_ext, sigma):
    neuron = nm.LIF(t_ref=3.0)
    pop = nm.Population(
        N=1000, J0=J0, kernel=nm.ExponentialKernel(q=q), neuron=neuron, I_ext=I_ext, noise=nm.WhiteNoise(sigma)
    )
    tau = 7.0
    ours = stationary_states(RateModel([[J0]], tau=tau, q=q, I_ext=I_ext, neurons=neuron, sigmas=sigma))
    theirs = nm.asynchronous_states(pop)
    assert len(ours) == len(theirs) >= 1
    for fp, ref in zip(ours, theirs, strict=True):
        assert fp.A[0] == pytest.approx(ref.A0, rel=1e-9, abs=1e-12)
        assert fp.I[0] == pytest.approx(ref.I0, rel=1e-9)
        assert fp.stable == ref.stable
        # one pool: the eigenvalue is (slope − 1)/τ with slope = J0 q g'(I0)/1000
        assert fp.eigenvalues[0] == pytest.approx((ref.slope - 1.0) / tau, rel=1e-6, abs=1e-12)


def test_three_pools_when_one_ignores_the_others():
    # pool 2 receives nothing from pools 0 and 1: for each of its one-pool states, pools 0 and 1
    # form a two-pool model; the multi-start search (P = 3) must find every combination
    J = np.array([[8.0, -6.0, 2.0], [15.0, -4.0, 0.0], [0.0, 0.0, 4.0]])
    model = dataclasses.replace(THREE, J=J, I_ext=(0.16, 0.12, 0.06), sigmas=(0.04, 0.06, 0.03))
    alone = RateModel([[4.0]], tau=20.0, q=0.5, I_ext=0.06, neurons=model.neurons[2], sigmas=0.03)
    expected = []
    for lone in stationary_states(alone):
        I_ext = np.array(model.I_ext[:2]) + J[:2, 2] * model.q[2] * lone.A[0] / 1000.0
        pair = RateModel(
            J[:2, :2], tau=model.tau[:2], q=model.q[:2], I_ext=I_ext, neurons=model.neurons[:2], sigmas=model.sigmas[:2]
        )
        expected += [[*fp.A, lone.A[0]] for fp in stationary_states(pair)]
    found = [fp.A for fp in stationary_states(model)]
    assert len(found) == len(expected) >= 3
    np.testing.assert_allclose(sorted(map(tuple, found)), sorted(map(tuple, expected)), rtol=1e-9, atol=1e-12)


# --- (d) the Wilson–Cowan (1972) bistable set --------------------------------------------------------

# Parameters: Wilson & Cowan (1972), Biophys. J. 12:1–24, the set whose isoclines cross three times:
# c1 = 12, c2 = 4, c3 = 13, c4 = 11, a_e = 1.2, θ_e = 2.8, a_i = 1, θ_i = 4, r_e = r_i = 1, P = Q = 0,
# k = sigmoid maximum. The same couplings, slopes and thresholds are used by the BrainPy example
# brainpy/examples dynamics_analysis/2d_wilson_cowan_model (with k = 1) and, with c1 = 9 and no
# refractory factor, by Neuromatch Academy W2D4 Tutorial 2. We found no source printing the fixed
# points to more than three digits, so the reference values are computed here by a different route
# than the module's: the E-nullcline solved in closed form for I(E) by inverting the sigmoid, then
# Brent's method on the I-equation along it; the stable ones are confirmed by integrating the ODE.


def wilson_cowan_reference(wc):
    def S(x, a, th):
        return 1 / (1 + np.exp(-a * (x - th))) - 1 / (1 + np.exp(a * th))

    def S_inv(s, a, th):
        p = s + 1 / (1 + np.exp(a * th))
        return th + np.log(p / (1 - p)) / a

    def I_on_E_nullcline(E):  # −E + (k_E − r_E E) S_E(c1 E − c2 I + P) = 0, solved for I
        return (wc.c1 * E + wc.P - S_inv(E / (wc.k_E - wc.r_E * E), wc.a_E, wc.theta_E)) / wc.c2

    def F(E):
        I = I_on_E_nullcline(E)
        return -I + (wc.k_I - wc.r_I * I) * S(wc.c3 * E - wc.c4 * I + wc.Q, wc.a_I, wc.theta_I)

    beta = 1 / (1 + np.exp(wc.a_E * wc.theta_E))  # E stays between k S/(1 + r S) at S = −β and 1 − β
    E_min, E_max = -wc.k_E * beta / (1 - wc.r_E * beta), wc.k_E * (1 - beta) / (1 + wc.r_E * (1 - beta))
    E = np.linspace(E_min, E_max, 100_001)[1:-1]
    v = F(E)
    roots = [brentq(F, E[i], E[i + 1], xtol=1e-16) for i in np.flatnonzero(np.sign(v[:-1]) != np.sign(v[1:]))]
    return np.array([[E, I_on_E_nullcline(E)] for E in roots])


def test_wilson_cowan_bistable_set_has_two_stable_states_and_a_saddle():
    wc = WilsonCowan()
    assert wc.k_E == pytest.approx(0.96643, abs=1e-5) and wc.k_I == pytest.approx(0.98201, abs=1e-5)
    ref = wilson_cowan_reference(wc)
    fps = stationary_states(wc)
    assert len(ref) == len(fps) == 3
    np.testing.assert_allclose([fp.A for fp in fps], ref, rtol=0, atol=1e-10)  # the brief asks 1e-4
    np.testing.assert_allclose(fps[0].A, [0.0, 0.0], atol=1e-12)  # S(0) = 0: rest is a fixed point
    assert [fp.kind for fp in fps] == ["stable node", "saddle", "stable node"]
    for fp in (fps[0], fps[2]):  # an accurate ODE solver started nearby ends up there
        sol = solve_ivp(
            lambda t, y: vector_field(wc, y), (0, 2000), np.add(fp.A, [0.02, -0.01]), rtol=1e-12, atol=1e-14
        )
        np.testing.assert_allclose(sol.y[:, -1], fp.A, atol=1e-9)


def test_wilson_cowan_jacobian_is_the_derivative_of_its_right_hand_side():
    wc = WilsonCowan(P=0.5, tau_I=20.0)
    for A in ([0.1, 0.05], [0.3, 0.2], [0.45, 0.1]):
        h = 1e-6
        fd = np.column_stack([(vector_field(wc, A + h * e) - vector_field(wc, A - h * e)) / (2 * h) for e in np.eye(2)])
        np.testing.assert_allclose(jacobian(wc, A), fd, rtol=1e-7, atol=1e-10)


def test_vector_field_on_a_grid_is_the_rate_equation_pointwise():
    aE, aI = np.meshgrid(np.linspace(0, 30, 4), np.linspace(0, 60, 3))
    field = vector_field(FOCUS, np.stack([aE, aI]))
    assert field.shape == (2, 3, 4)
    for A, dA in zip(np.stack([aE, aI]).reshape(2, -1).T, field.reshape(2, -1).T, strict=True):
        np.testing.assert_allclose(dA, (gain_by_hand(FOCUS, input_by_hand(FOCUS, A)) - A) / FOCUS.tau, rtol=1e-12)
    for fp in stationary_states(BISTABLE):
        np.testing.assert_allclose(vector_field(BISTABLE, fp.A), 0.0, atol=1e-10)


# --- (e) eigenvalues: saddle, node, focus; the Jacobian itself ----------------------------------------


def test_saddle_has_one_positive_eigenvalue_and_focus_a_decaying_complex_pair():
    fps = stationary_states(BISTABLE) + stationary_states(WilsonCowan()) + stationary_states(FOCUS)
    saddles = [fp for fp in fps if fp.kind == "saddle"]
    foci = [fp for fp in fps if fp.kind == "stable focus"]
    assert len(saddles) == 2 and len(foci) == 2
    for fp in saddles:
        assert np.isrealobj(fp.eigenvalues) and np.sum(fp.eigenvalues > 0) == 1 and np.sum(fp.eigenvalues < 0) == 1
        assert not fp.stable
    for fp in foci:
        lam = fp.eigenvalues
        assert lam[0].imag > 0 and lam[1] == np.conj(lam[0]) and lam[0].real < 0 and fp.stable
    # the focus: trace and determinant of the Jacobian give the same pair
    Jm = jacobian(FOCUS, foci[-1].A)
    tr, det = np.trace(Jm), np.linalg.det(Jm)
    assert tr**2 < 4 * det
    assert foci[-1].eigenvalues[0] == pytest.approx(complex(tr / 2, np.sqrt(4 * det - tr**2) / 2), rel=1e-12)


def lif_gain_slope(I, n):
    """dg/dI (Hz/nA) of the noise-free LIF gain, from g = 1000/T, T = t_ref + τ ln((v − u_reset)/(v − θ))."""
    v = n.u_rest + n.R * I
    T = n.t_ref + n.tau_m * np.log((v - n.u_reset) / (v - n.theta))
    dT = n.tau_m * n.R * (1 / (v - n.u_reset) - 1 / (v - n.theta))
    return -1000.0 * dT / T**2


def siegert_slope(I, n, sigma):
    """dg/dI (Hz/nA) of the Siegert gain: the integration bounds move by −1/σ per nA."""
    su, h0 = n.R * sigma, n.u_rest + n.R * I
    lo, hi = (n.u_reset - h0) / su, (n.theta - h0) / su
    T = 1000.0 / nm.siegert_rate(I, n, sigma)
    dT = -n.tau_m * np.sqrt(np.pi) / sigma * (erfcx(-hi) - erfcx(-lo))
    return -1000.0 * dT / T**2


@pytest.mark.parametrize("sigma", [0.0, 0.05])
def test_jacobian_uses_an_accurate_gain_slope(sigma):
    model = dataclasses.replace(FOCUS, sigmas=sigma)
    slope = lif_gain_slope if sigma == 0 else lambda I, n: siegert_slope(I, n, sigma)
    for A in ([5.0, 2.0], [10.0, 12.0], [20.0, 10.0], [4.0, 1.0]):
        I = model.input(A)
        assert np.all(I > nm.rheobase(model.neurons[0]))  # away from the noise-free kink
        g1 = np.array([slope(I[n], model.neurons[n]) for n in range(2)])
        W = np.array(model.J) * np.array(model.q) / 1000.0
        expected = (-np.eye(2) + g1[:, None] * W) / np.array(model.tau)[:, None]
        np.testing.assert_allclose(jacobian(model, A), expected, rtol=1e-8)


# --- (a) the eigenvalues predict the damped oscillation --------------------------------------------


def prony(x, step):
    """Fit x_{k+2} = p x_{k+1} + q x_k (exact for a sampled damped cosine); return the roots ln(μ)/step."""
    (p, q), *_ = np.linalg.lstsq(np.column_stack([x[1:-1], x[:-2]]), x[2:], rcond=None)
    return np.log(np.roots([1.0, -p, -q]).astype(complex)) / step


def half_periods(t, x):
    """Intervals between zero crossings, each located by linear interpolation."""
    s = np.flatnonzero(np.sign(x[:-1]) * np.sign(x[1:]) < 0)
    return np.diff(t[s] - x[s] * (t[s + 1] - t[s]) / (x[s + 1] - x[s]))


def peak_values(x):
    """Heights of the local maxima, each refined by the parabola through it and its neighbours."""
    i = np.flatnonzero((x[1:-1] > x[:-2]) & (x[1:-1] >= x[2:])) + 1
    a, b, c = x[i - 1], x[i], x[i + 1]
    return b - (c - a) ** 2 / (8 * (a - 2 * b + c))


def test_eigenvalues_predict_frequency_and_decay_of_damped_oscillations():
    (fp,) = stationary_states(FOCUS)
    lam = fp.eigenvalues[0]
    sigma, omega = lam.real, lam.imag
    dt, stride = 0.2, 5
    fits, halves, decays = [], [], []
    for rel in (2e-4, 1e-4):  # kick A_E; a small kick keeps the dynamics linear
        res = integrate(FOCUS, fp.A * [1 + rel, 1.0], 200.0, dt=dt)
        x = res.A[0] - fp.A[0]
        roots = prony(x[::stride], stride * dt)
        fits.append(roots[np.argmax(roots.imag)])
        halves.append(half_periods(res.t, x).mean())
        decays.append(np.diff(np.log(peak_values(x))).mean())
    assert len(half_periods(res.t, x)) >= 15  # many oscillations before they die out
    # Error budget. Nonlinearity: each estimate moves linearly with the kick, so the change from
    # halving the kick bounds the error of the smaller kick (×2 for safety). RK4: for a linear
    # system its step multiplier is e^{λdt} up to a relative (λdt)^5/120, i.e. λ is off by
    # |λ|(|λ|dt)^4/120.
    rk4 = abs(lam) * (abs(lam) * dt) ** 4 / 120
    assert abs(fits[1] - lam) < 2 * abs(fits[0] - fits[1]) + rk4 + 1e-9 * abs(lam)
    assert abs(fits[1].imag / omega - 1) < 1e-4 and abs(fits[1].real / sigma - 1) < 1e-3
    # Model-free checks on the same trajectories. Zeros of e^{σt}cos(ωt + φ) are exactly π/ω
    # apart; linear interpolation misplaces each by at most dt²|σ|/4.
    assert abs(halves[1] - np.pi / omega) < 2 * abs(halves[0] - halves[1]) + dt**2 * abs(sigma) / 2 + 1e-9
    # Successive maxima are 2π/ω apart and shrink by e^{2πσ/ω}; the parabola through three samples
    # misjudges a peak of a cosine sampled at phase steps ωdt by less than (ωdt)^4/8 (relative).
    tol = 2 * abs(decays[0] - decays[1]) + (omega * dt) ** 4 / 4 + 1e-9
    assert abs(decays[1] - 2 * np.pi * sigma / omega) < tol


def test_rk4_converges_with_fourth_order():
    wc = WilsonCowan(P=1.0, tau_I=15.0)
    A0 = np.array([0.3, 0.05])
    ref = solve_ivp(lambda t, y: vector_field(wc, y), (0, 40.0), A0, rtol=1e-13, atol=1e-15, method="DOP853").y[:, -1]
    err = [np.max(np.abs(integrate(wc, A0, 40.0, dt=dt).A[:, -1] - ref)) for dt in (0.8, 0.4)]
    assert 2**4 * 0.7 < err[0] / err[1] < 2**4 * 1.3


def test_trajectories_leave_the_saddle_along_its_unstable_direction():
    quiet, saddle, active = stationary_states(WilsonCowan())
    w, V = np.linalg.eig(jacobian(WilsonCowan(), saddle.A))
    v = V[:, np.argmax(w)].real
    v *= np.sign(v[0])
    up = integrate(WilsonCowan(), saddle.A + 1e-3 * v, 1000.0, dt=0.5).A[:, -1]
    down = integrate(WilsonCowan(), saddle.A - 1e-3 * v, 1000.0, dt=0.5).A[:, -1]
    np.testing.assert_allclose(up, active.A, atol=1e-8)
    np.testing.assert_allclose(down, quiet.A, atol=1e-8)


# --- (g) nullclines ----------------------------------------------------------------------------------


def crossings(P, Q):
    """Intersections of two polylines (2, K), (2, L) and the segment indices (i, j) of each."""
    p0, r = P[:, :-1, None], np.diff(P, axis=1)[:, :, None]
    q0, s = Q[:, None, :-1], np.diff(Q, axis=1)[:, None, :]
    with np.errstate(invalid="ignore", divide="ignore"):
        den = r[0] * s[1] - r[1] * s[0]
        t = ((q0 - p0)[0] * s[1] - (q0 - p0)[1] * s[0]) / den
        u = ((q0 - p0)[0] * r[1] - (q0 - p0)[1] * r[0]) / den
        i, j = np.nonzero((t >= 0) & (t <= 1) & (u >= 0) & (u <= 1))
    return (p0 + t * r)[:, i, j].T, i, j


def chord_error(C, i):
    """How far segment i of polyline C may stray from the curve: κ L²/8, κ from the circles through
    neighbouring vertices (twice the largest nearby, for safety)."""
    kappa = []
    for k in range(max(i - 1, 0), min(i + 2, C.shape[1] - 2)):
        a, b, c = C[:, k], C[:, k + 1], C[:, k + 2]
        area2 = abs((b - a)[0] * (c - a)[1] - (b - a)[1] * (c - a)[0])
        kappa.append(2 * area2 / (np.linalg.norm(b - a) * np.linalg.norm(c - b) * np.linalg.norm(c - a)))
    L = np.linalg.norm(C[:, i + 1] - C[:, i])
    return 2 * np.nanmax(kappa) * L**2 / 8


@pytest.mark.parametrize(
    ("model", "grid"),
    [
        (BISTABLE, np.linspace(0, 500, 200)),
        (FOCUS, np.linspace(0, 60, 200)),
        (WilsonCowan(), np.linspace(-0.02, 0.5, 200)),
    ],
    ids=["bistable", "focus", "wilson-cowan"],
)
def test_nullclines_cross_exactly_at_the_stationary_states(model, grid):
    ncE, ncI = nullclines(model, grid)
    h = grid[1] - grid[0]
    for n, nc in enumerate((ncE, ncI)):
        ok = ~np.isnan(nc[0])
        assert np.max(np.abs(vector_field(model, nc[:, ok])[n])) < 1e-10 * max(1.0, grid[-1])  # on the curve
        steps = np.abs(np.diff(nc, axis=1))
        assert np.nanmax(steps) <= h * (1 + 1e-9)  # resolution as promised
    fps = [fp for fp in stationary_states(model) if np.all((fp.A >= grid[0]) & (fp.A <= grid[-1]))]
    points, i, j = crossings(ncE, ncI)
    assert len(points) == len(fps) >= 1
    for fp in fps:
        k = np.argmin(np.linalg.norm(points - fp.A, axis=1))
        r, s = np.diff(ncE, axis=1)[:, i[k]], np.diff(ncI, axis=1)[:, j[k]]
        sin = abs(r[0] * s[1] - r[1] * s[0]) / (np.linalg.norm(r) * np.linalg.norm(s))
        tol = (chord_error(ncE, i[k]) + chord_error(ncI, j[k])) / sin + 1e-12 * max(1.0, grid[-1])
        assert np.linalg.norm(points[k] - fp.A) <= tol
        assert tol < h / 4  # second order in h: the crossing is pinned well inside a grid cell


def test_nullclines_with_several_branches_and_without_input_from_the_other_pool():
    # strong self-excitation: for some A_I the E-nullcline has three A_E — one polyline covers them
    ncE, _ = nullclines(BISTABLE, np.linspace(0, 500, 100))
    ok = ~np.isnan(ncE[0])
    A_I = 200.0
    hits = np.flatnonzero(np.diff(np.sign(ncE[1, ok] - A_I)) != 0)
    assert len(hits) == 3
    # a pool not driven by the other: its nullcline is straight lines at its one-pool states
    lone = RateModel([[2.0, 0.0], [5.0, -1.0]], I_ext=(0.08, 0.1), sigmas=0.03)
    ncE = nullclines(lone, np.linspace(0, 300, 50))[0]
    states = [fp.A[0] for fp in stationary_states(RateModel([[2.0]], I_ext=0.08, sigmas=0.03))]
    assert len(states) == 3
    np.testing.assert_allclose(np.unique(ncE[0][~np.isnan(ncE[1])]), states, rtol=1e-12)
    assert len(stationary_states(lone)) == 3


# --- (f) every bad input is refused with a message naming it -----------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"J": 5}, r"J = 5 must be a square P×P matrix"),
        ({"J": [[1.0, 2.0]]}, r"J must be a square P×P matrix with P ≥ 1; got 1 row"),
        ({"J": []}, r"J must be a square P×P matrix with P ≥ 1; got 0 row"),
        ({"J": [[float("inf")]]}, r"J\[0, 0\] = inf is out of range: coupling J_nm .* \[-1e\+06, 1e\+06\]"),
        ({"J": [[0.0, "x"], [1.0, 2.0]]}, r"J\[0, 1\] = 'x' is not a number"),
        ({"J": [[1.0]], "tau": 0}, r"tau\[0\] = 0 is out of range: time constant .* \(0, 10000\] ms"),
        ({"J": np.eye(2), "tau": (10.0,)}, r"tau has 1 values; it needs one per pool, P = 2"),
        ({"J": [[1.0]], "q": 1e5}, r"q\[0\] = 100000.0 is out of range"),
        ({"J": [[1.0]], "I_ext": float("nan")}, r"I_ext\[0\] = nan is out of range"),
        ({"J": np.eye(2), "sigmas": (0.1, -0.1)}, r"sigmas\[1\] = -0.1 is out of range: amplitude σ of the noise"),
        ({"J": np.eye(2), "neurons": (nm.LIF(), "lif")}, r"neurons\[1\] = 'lif' must be an LIF"),
        ({"J": np.eye(2), "neurons": (nm.LIF(),)}, r"neurons has 1 values; it needs one per pool"),
        ({"J": np.eye(2), "neurons": "LIF"}, r"neurons = 'LIF' must be a sequence of 2 values"),
        ({"J": np.eye(2), "names": ("E", "E")}, r"names = \('E', 'E'\) must be 2 different non-empty strings"),
        ({"J": np.eye(2), "names": ("E",)}, r"names has 1 values"),
    ],
)
def test_rate_model_parameters(kwargs, message):
    with pytest.raises((ValueError, TypeError), match=message):
        RateModel(**kwargs)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"c1": -1}, r"c1 = -1 is out of range: Wilson–Cowan coupling c1 must lie in \[0, 1000\]"),
        ({"a_E": 0}, r"a_E = 0 is out of range: slope a_E of the E sigmoid"),
        ({"theta_I": "x"}, r"theta_I = 'x' is not a number"),
        ({"k_E": 0.0}, r"k_E = 0.0 is out of range"),
        ({"r_I": -1}, r"r_I = -1 is out of range"),
        ({"tau_I": 0}, r"tau_I = 0 is out of range: time constant τ_I must lie in \(0, 10000\] ms"),
        ({"P": float("inf")}, r"P = inf is out of range: external input P to E"),
        ({"r_E": 100.0}, r"r_E = 100.0 is too large: r_E·S_min must stay above −1"),
    ],
)
def test_wilson_cowan_parameters(kwargs, message):
    with pytest.raises((ValueError, TypeError), match=message):
        WilsonCowan(**kwargs)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: integrate(FOCUS, [1.0], 10.0), r"A0 has shape \(1,\); it needs one value per pool, shape \(2,\)"),
        (lambda: integrate(FOCUS, [1.0, np.nan], 10.0), r"A0 = \[1.0, nan\] contains values that are not finite"),
        (lambda: integrate(FOCUS, "ab", 10.0), r"A0 = 'ab' must be 2 numbers"),
        (lambda: integrate(FOCUS, [1.0, 2.0], 10.0, dt=5.0), r"dt = 5.0 is out of range: simulation time step"),
        (lambda: integrate(FOCUS, [1.0, 2.0], 0.0), r"t_max = 0.0 is out of range"),
        (lambda: jacobian(WilsonCowan(), [0.1, 0.2, 0.3]), r"A has shape \(3,\)"),
        (lambda: vector_field(FOCUS, [1.0]), r"A must be finite with first axis of length P = 2; got shape \(1,\)"),
        (lambda: vector_field(FOCUS, [[1.0], [np.inf]]), r"A must be finite with first axis of length P = 2"),
        (lambda: vector_field(FOCUS, "ab"), r"A = 'ab' must be an array of rates"),
        (lambda: stationary_states(FOCUS, A_max=-1.0), r"A_max\[0\] = -1.0 is out of range"),
        (lambda: stationary_states("E-I"), r"model = 'E-I' must be a rate model: RateModel, WilsonCowan or GainModel"),
        (lambda: nullclines(THREE, np.linspace(0, 10, 5)), r"nullclines are drawn for two pools; this model has P = 3"),
        (lambda: nullclines(FOCUS, [1.0]), r"A_grid must be an increasing 1-d array"),
        (lambda: nullclines(FOCUS, [0.0, 2.0, 1.0]), r"A_grid must be an increasing 1-d array"),
    ],
)
def test_function_arguments(call, message):
    with pytest.raises((ValueError, TypeError), match=message):
        call()


def test_models_are_frozen_and_revalidated_on_replace():
    with pytest.raises(dataclasses.FrozenInstanceError):
        FOCUS.tau = (1.0, 1.0)
    assert dataclasses.replace(FOCUS, tau=5.0).tau == (5.0, 5.0)
    with pytest.raises(ValueError, match=r"tau\[0\] = -5.0 is out of range"):
        dataclasses.replace(FOCUS, tau=-5.0)
    assert FOCUS.names == ("E", "I") and THREE.names == ("E", "I", "E2")
    assert RateModel([[1.0]]) == RateModel([[1.0]], tau=10.0)


def test_tabulated_fixed_points_are_the_exact_ones_over_the_control_ranges():
    """The phase-plane apps interpolate the gains; their fixed points are refined on the exact Siegert gains.

    Corners of the sliders included: J_EE = 8, J_IE = 15, inputs 0.3 nA reach inputs far beyond ±5 nA,
    where a table held constant would give the wrong upper state (412.2, 383.3) instead of (412.2, 405.2) Hz.
    """
    from nmteach.models import ei_rate_model

    rng = np.random.default_rng(7)
    cases = [(8.0, 0.0, 15.0, 0.0, 0.3, 0.3), (3.0, -6.0, 6.0, -1.0, 0.14, 0.1), (7.0, -1.0, 6.0, -1.0, 0.05, 0.1)]
    cases += [
        (rng.uniform(0, 8), rng.uniform(-15, 0), rng.uniform(0, 15), rng.uniform(-10, 0), *rng.uniform(0, 0.3, 2))
        for _ in range(12)
    ]
    for J_EE, J_EI, J_IE, J_II, I_E, I_I in cases:
        exact = ei_rate_model(J_EE, J_EI, J_IE, J_II, I_E, I_I)
        a = [fp.A for fp in stationary_states(exact)]
        b = [fp.A for fp in stationary_states(exact.tabulated())]
        assert len(a) == len(b), (J_EE, J_EI, J_IE, J_II, I_E, I_I)
        for x, y in zip(a, b, strict=True):
            np.testing.assert_allclose(y, x, rtol=1e-7, atol=1e-9)
    (fp,) = stationary_states(ei_rate_model(8.0, 0.0, 15.0, 0.0, 0.3, 0.3).tabulated())
    np.testing.assert_allclose(fp.A, [412.23, 405.16], atol=0.01)
