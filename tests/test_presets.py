"""Every preset's description is a claim: apply it and check the behaviour it promises.

The apps' models are pure functions of :mod:`nmteach.experiments`; where a preset's promise is
statistical the check runs the same function with further seeds. Tolerances come from the size
of the sample (N, the simulated time) or from the grid, never from what made a test pass.
"""

import math

import matplotlib.pyplot as plt
import numpy as np
import pytest

import nmteach as nm
from nmteach import apps
from nmteach.experiments import field, heterogeneity, pools, population, scaling, space

PRESET_COUNT = sum(len(cls.presets) for cls in apps.ALL_APPS)


def defaults(cls) -> dict:
    return {k: w.value for k, w in cls.__new__(cls).make_controls().items()}


def values(cls, preset: str) -> dict:
    return {**defaults(cls), **cls.presets[preset].values}


def test_every_preset_has_a_test_here():
    tested = {name.split("[")[0] for name in globals() if name.startswith("test_")}
    for cls in apps.ALL_APPS:
        assert f"test_{cls.__name__}_presets" in tested, f"{cls.__name__}'s presets have no test"


@pytest.fixture
def applied():
    """Build an app, apply a preset and return its data (the figure closed afterwards)."""
    made = []

    def run(cls, preset):
        app = cls()
        made.append(app)
        app.apply_preset(preset)
        assert app.error is None, app.error
        return app.data

    yield run
    for app in made:
        plt.close(app.fig)


# ---------------------------------------------------------------- lesson 00


def test_LIFApp_presets(applied):
    silent = applied(apps.LIFApp, "silent below the rheobase")
    assert silent.n_spikes == 0 and silent.rate_theory == 0 and silent.I0 < silent.rheobase
    regular = applied(apps.LIFApp, "regular firing")
    assert regular.n_spikes > 2 and regular.rate_sim == pytest.approx(regular.rate_theory, rel=1e-9)
    slow = applied(apps.LIFApp, "slow membrane")
    assert slow.rheobase == regular.rheobase and 0 < slow.rate_sim < regular.rate_sim
    assert slow.rate_sim == pytest.approx(slow.rate_theory, rel=1e-9)
    refractory = applied(apps.LIFApp, "long refractory period")
    assert refractory.rate_sim == pytest.approx(refractory.rate_theory, rel=1e-9) and refractory.rate_sim < 100.0


# ---------------------------------------------------------------- lesson 01


def _tolerance(run, T_late=150.0, N=None):
    """4 standard errors of the mean rate of N neurons over T_late ms (Poisson counting), plus the O(dt) bias."""
    N = run.N if N is None else N
    return 4 * math.sqrt(max(run.mean_rate, 1.0) / (N * T_late / 1000.0)) + run.mean_rate * 0.2 / 10.0


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_PopulationApp_presets(seed):
    v = values(apps.PopulationApp, "stable asynchronous state")
    run = population.population_run(**v, seed=seed)
    (A0,) = run.A0
    assert run.stable[0] and run.sync < 2 and abs(run.mean_rate - A0) < _tolerance(run)
    volleys = population.population_run(**values(apps.PopulationApp, "noise-free synchrony"), seed=seed)
    assert volleys.sync > 10 and volleys.A.max() > 5 * A0  # peaks far above the mean field
    restored = population.population_run(**values(apps.PopulationApp, "noise restores asynchrony"), seed=seed)
    assert restored.sync < 2 and abs(restored.mean_rate - restored.A0[0]) < _tolerance(restored)
    inhibited = population.population_run(**values(apps.PopulationApp, "inhibition"), seed=seed)
    assert len(inhibited.A0) == 1 and inhibited.stable[0] and inhibited.sync < 2
    assert inhibited.A0[0] < nm.siegert_rate(0.2, nm.LIF(), 0.03)  # below the uncoupled neurons' rate
    assert abs(inhibited.mean_rate - inhibited.A0[0]) < _tolerance(inhibited)


def test_FixedPointApp_presets(applied):
    bistable = applied(apps.FixedPointApp, "three roots (bistable)")
    assert list(bistable.stable) == [True, False, True]
    low = applied(apps.FixedPointApp, "one root, low activity")
    assert len(low.fp_A) == 1 and low.stable[0] and low.fp_A[0] < 5.0
    high = applied(apps.FixedPointApp, "one root, high activity")
    assert len(high.fp_A) == 1 and high.stable[0] and high.fp_A[0] > 100.0
    inhibition = applied(apps.FixedPointApp, "inhibition")
    assert len(inhibition.fp_A) == 1 and inhibition.stable[0]


# ---------------------------------------------------------------- lesson 02


def test_HeterogeneityApp_presets(applied):
    holds = applied(apps.HeterogeneityApp, "linearisation holds")
    se = holds.r_now.std() / math.sqrt(holds.r_now.size)  # the sampled mean's standard error
    assert abs(holds.mean_now - holds.second_now) < 3 * se
    assert abs(holds.mean_now - holds.typical_now) > abs(holds.mean_now - holds.second_now)
    fails = applied(apps.HeterogeneityApp, "linearisation fails")
    se = fails.r_now.std() / math.sqrt(fails.r_now.size)
    assert abs(fails.mean_now - fails.second_now) > max(5.0, 10 * se) and 0.3 < fails.active < 0.7
    two = applied(apps.HeterogeneityApp, "two kinds of neuron")
    assert np.unique(two.r_now).size == 2


@pytest.mark.slow
@pytest.mark.parametrize("seed", [2, 3])
def test_SplitApp_presets(seed):
    def run(preset):
        d = heterogeneity.split_run(**values(apps.SplitApp, preset), seed=seed)
        return d, 4 * d.stderr + 0.02 * d.pred_split

    close, tol = run("thresholds close: one typical neuron is enough")
    assert abs(close.sim - close.pred_split) < tol and abs(close.sim - close.pred_typical) < tol
    far, tol = run("thresholds far apart: split the population")
    assert abs(far.sim - far.pred_split) < tol and abs(far.sim - far.pred_typical) > 3 * tol
    recruited, tol = run("recruitment by excitation")
    assert recruited.pred2 > 5.0 and abs(recruited.sim - recruited.pred_split) < tol
    alone = heterogeneity.split_run(**{**values(apps.SplitApp, "recruitment by excitation"), "J0": 0.0}, seed=seed)
    assert alone.pred2 < 1.0 and alone.sim2 < 2.0  # without the coupling part 2 stays (nearly) silent


# ---------------------------------------------------------------- lesson 03


def _block_se(run):
    late = run.tc > 100
    return nm.block_error(run.A[late], 10)


@pytest.mark.slow
def test_ScalingApp_presets():
    kept = scaling.scaling_run(**values(apps.ScalingApp, "scaling law kept"))
    assert abs(kept.mean - kept.A0) < 4 * _block_se(kept) + 0.02 * kept.A0
    broken = scaling.scaling_run(**values(apps.ScalingApp, "scaling law broken"))
    assert broken.mean < 0.5 * kept.A0
    few = scaling.scaling_run(**values(apps.ScalingApp, "few random inputs"))
    assert few.mean > 1.15 * few.A0 + 4 * _block_se(few)


def test_DegreeApp_presets(applied):
    binomial = applied(apps.DegreeApp, "binomial in-degrees")
    N, p = 1000, 0.1
    assert abs(binomial.k_mean - p * N) < 4 * math.sqrt(p * (1 - p) * N / N)
    assert binomial.k_var == pytest.approx(p * (1 - p) * N, rel=4 * math.sqrt(2 / N))
    wider = applied(apps.DegreeApp, "the spread shrinks with N")
    assert wider.w_sd < binomial.w_sd and wider.w_sd == pytest.approx(wider.sd_theory, rel=4 / math.sqrt(2 * 2000))
    gauss = applied(apps.DegreeApp, "Gaussian weights keep their spread")
    assert gauss.w_sd == pytest.approx(1.0, rel=4 / math.sqrt(2 * 2000))
    fixed = applied(apps.DegreeApp, "fixed in-degree")
    assert fixed.k_var == 0 and fixed.w_sd < 1e-12


@pytest.mark.slow
def test_BalancedApp_presets():
    sqrt_big = scaling.balanced_run(**values(apps.BalancedApp, "J₀/√(pN): fluctuations stay"))
    sqrt_small = scaling.balanced_run(100, "sqrt")
    # a sample sd over ~45 independent stretches per observer and 100 observers: a few per cent
    assert sqrt_big.sd == pytest.approx(sqrt_big.sd_theory, rel=0.1)
    assert sqrt_big.sd == pytest.approx(sqrt_small.sd, rel=0.15)
    lin_big = scaling.balanced_run(**values(apps.BalancedApp, "J₀/(pN): fluctuations vanish"))
    lin_small = scaling.balanced_run(400, "linear")
    assert lin_big.sd == pytest.approx(lin_big.sd_theory, rel=0.1)
    assert lin_big.sd / lin_small.sd == pytest.approx(0.25, rel=0.2)  # 1/√16


# ---------------------------------------------------------------- lesson 04


def test_PhasePlaneApp_presets(applied):
    focus = applied(apps.PhasePlaneApp, "stable focus")
    assert focus.kinds == ["stable focus"]
    cycle = applied(apps.PhasePlaneApp, "limit cycle")
    assert cycle.kinds == ["unstable focus"]
    late = cycle.A[0, cycle.t > 200]
    assert late.max() - late.min() > 5.0  # a sustained oscillation, not a decay
    bistable = applied(apps.PhasePlaneApp, "three fixed points (bistable)")
    assert bistable.kinds == ["stable node", "saddle", "stable node"]
    assert bistable.window > bistable.fp[:, 0].max()  # the window shows the upper state


@pytest.mark.slow
def test_PoolsApp_presets():
    fast = pools.pools_run(**values(apps.PoolsApp, "fast synapses: the rate model holds"))
    slow = pools.pools_run(**values(apps.PoolsApp, "slow synapses: the network oscillates"))
    (fixed,) = fast.fixed
    assert np.all(np.abs(fast.sim - fixed) < 0.2 * fixed + 1.0)  # finite N = 800: a bias of order 1/N
    assert slow.sync_E > 3 * fast.sync_E and 15.0 <= slow.peak_Hz <= 40.0
    rates = pools.phase_plane(
        **{
            k: v
            for k, v in values(apps.PoolsApp, "slow synapses: the network oscillates").items()
            if k not in ("N_E", "tau_s")
        }
    )
    assert rates.kinds == ["stable focus"]  # the rate model, blind to τ_s, still predicts a stable focus


@pytest.mark.slow
def test_BrunelApp_presets():
    run = {name: pools.brunel_run(**values(apps.BrunelApp, name), T=600.0) for name in apps.BrunelApp.presets}
    A, B, C, D = (run[k] for k in sorted(run))
    assert A.sync > 100 and A.cv2 < 0.2  # synchronous regular
    assert B.sync > 50 and B.cv2 > 0.5 and 120 <= B.peak_Hz <= 250  # synchronous irregular, fast
    assert C.cv2 > 0.6 and abs(C.rate - C.mean_field) < 0.1 * C.mean_field  # asynchronous irregular
    assert C.sync < B.sync / 3 and C.sync < A.sync / 10 and C.sync < D.sync / 2  # the weakest synchrony
    assert D.sync > 50 and D.cv2 > 0.5 and 20 <= D.peak_Hz <= 80 and D.rate < D.mean_field  # slow


# ---------------------------------------------------------------- lesson 05


def test_SheetApp_presets(applied):
    for name in apps.SheetApp.presets:
        d = applied(apps.SheetApp, name)
        assert np.all(np.abs(d.z) < 4.5)  # every bin within binomial error of the expected fraction
        assert abs(d.k_mean - d.k_theory) < 4 * math.sqrt(d.k_theory / 900) + 0.01 * d.k_theory
    narrow = applied(apps.SheetApp, "narrow Gaussian")
    wide = applied(apps.SheetApp, "wide Gaussian")
    assert narrow.k_mean < 10 and wide.k_mean > 100
    assert wide.k_mean < 900 * 0.5 * 2 * math.pi * 0.3**2  # the torus cuts the wide rule off
    box = applied(apps.SheetApp, "box rule")
    assert np.all(box.frac[box.centres > 0.1 + 0.7 / 28] == 0)  # nothing beyond the radius


@pytest.mark.slow
def test_SpreadApp_presets():
    dies = space.spread_run(**{k: v for k, v in values(apps.SpreadApp, "activity dies out").items() if k != "time"})
    front = space.spread_run(**{k: v for k, v in values(apps.SpreadApp, "a front spreads").items() if k != "time"})
    faster = space.spread_run(**{k: v for k, v in values(apps.SpreadApp, "a faster front").items() if k != "time"})
    assert dies.active_late < 0.1 and front.active_late > 0.9 and faster.active_late > 0.9
    assert space.front_speed_of(faster) > space.front_speed_of(front) > 0


# ---------------------------------------------------------------- lesson 06


def test_DiscretisationApp_presets(applied):
    line = applied(apps.DiscretisationApp, "line: d² convergence")
    assert line.order == pytest.approx(2.0, abs=0.15)
    ring = applied(apps.DiscretisationApp, "ring: spectral accuracy")
    assert ring.spectral
    kink = applied(apps.DiscretisationApp, "ring with a kink: d² again")
    assert kink.order == pytest.approx(2.0, abs=0.15)


def test_BumpApp_presets(applied):
    dx = field.BUMP["L"] / field.BUMP["M"]
    bump = applied(apps.BumpApp, "a stable bump")
    assert bump.n_bumps == 1 and abs(bump.width - bump.stable_widths[0]) < 2 * dx
    none = applied(apps.BumpApp, "no bump")
    assert none.stable_widths.size == 0 and none.n_bumps == 0
    assert applied(apps.BumpApp, "two inputs that merge").n_bumps == 1
    assert applied(apps.BumpApp, "two bumps").n_bumps == 2


def test_FrontApp_presets(applied):
    tau = 10.0
    for name, sign in (("invading front", 1), ("retreating front", -1)):
        d = applied(apps.FrontApp, name)
        kappa = apps.FrontApp.presets[name].values["kappa"]
        # one step late per switch of the Heaviside rate, plus the grid's O((dx/σ)²)
        tol = field.FRONT["dt"] / (2 * min(kappa, 1 - kappa) * tau) + (field.FRONT["L"] / field.FRONT["M"]) ** 2 + 0.02
        assert np.sign(d.c) == sign and abs(d.c_sim / d.c - 1) < tol
    pinned = applied(apps.FrontApp, "pinned front")
    assert abs(pinned.c) < 0.01 and abs(pinned.c_sim) < 0.05 * abs(pinned.c) + 1e-4
