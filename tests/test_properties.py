"""Property-based checks of the public API (hypothesis): whatever a careless hand or a hostile input passes,
a call either works, with exactly the value it was given, or is refused with a ValueError or TypeError that
names the parameter. No bare numpy or Python error, no silent coercion (a flag for a number, a string for a
number), no NaN out of a call that was given finite numbers.
"""

import inspect
import math
import numbers

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import nmteach as nm

BAD = (ValueError, TypeError)
#: the same examples on every run (CI must not depend on luck); raise max_examples locally to search wider
SETTINGS = settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])

#: what a careless hand or a hostile input passes for a number
HOSTILE = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([0, -1, 1e300, -1e300, 5e-324, True, False, None, "1", "high", [1.0], (), np.array([1.0, 2.0])]),
)

#: constructors whose every argument is a number
NUMERIC = [
    nm.LIF,
    nm.ExponentialKernel,
    nm.AlphaKernel,
    nm.DeltaKernel,
    nm.BiexponentialKernel,
    nm.Constant,
    nm.Step,
    nm.Ramp,
    nm.Sine,
    nm.WhiteNoise,
    nm.OUNoise,
    nm.GaussianProbability,
    nm.BoxProbability,
    nm.ExponentialProbability,
    nm.GaussianCoupling,
    nm.MexicanHatCoupling,
    nm.HeavisideRate,
    nm.SigmoidRate,
    nm.WilsonCowan,
]
#: constructors with required numbers: a valid value for each
REQUIRED = {nm.PoissonDrive: {"rate": 10.0}, nm.Normal: {"sd": 1.0}, nm.Uniform: {"width": 1.0}}
REQUIRED[nm.TwoPoint] = {"low": -1.0, "high": 1.0}

CASES = [(cls, name) for cls in NUMERIC for name in inspect.signature(cls).parameters]
CASES += [(cls, name) for cls in REQUIRED for name in inspect.signature(cls).parameters]


def is_number(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def assert_refusal_names(exc, name):
    assert name in str(exc), f"the message does not name {name!r}: {exc}"


@pytest.mark.parametrize(("cls", "name"), CASES, ids=[f"{c.__name__}.{n}" for c, n in CASES])
@SETTINGS
@given(value=HOSTILE)
def test_a_constructor_keeps_the_number_it_was_given_or_refuses_it_by_name(cls, name, value):
    kwargs = dict(REQUIRED.get(cls, {}))
    kwargs[name] = value
    try:
        obj = cls(**kwargs)
    except BAD as exc:
        assert_refusal_names(exc, name)
        return
    if value is None:  # an optional parameter left to its default
        assert inspect.signature(cls).parameters[name].annotation.endswith("None")
        return
    assert is_number(value), f"{cls.__name__}({name}={value!r}) was accepted"
    assert math.isfinite(value) or (cls is nm.Step and name == "t_off" and value == math.inf)
    kept = getattr(obj, name)
    assert kept == float(value) and type(kept) in (float, int), f"{name}={value!r} kept as {kept!r}"


FLAGS = [
    (lambda v: nm.Population(self_coupling=v), "self_coupling"),
    (lambda v: nm.Projection("a", "a", 1.0, autapses=v), "autapses"),
    (lambda v: nm.all_to_all(5, 1.0, autapses=v), "autapses"),
    (lambda v: nm.fixed_in_degree(5, 2, 1.0, multapses=v, rng=1), "multapses"),
    (lambda v: nm.Sheet.grid(3, periodic=v), "periodic"),
    (lambda v: nm.simulate(nm.Population(N=3), 1.0, record_spikes=v), "record_spikes"),
    (lambda v: nm.simulate(nm.Population(N=3), 1.0, bridge=v), "bridge"),
]


@pytest.mark.parametrize(("call", "name"), FLAGS, ids=[n for _, n in FLAGS])
@SETTINGS
@given(value=st.one_of(HOSTILE, st.booleans()))
def test_a_flag_is_a_bool_or_refused_by_name(call, name, value):
    try:
        call(value)
    except BAD as exc:
        assert not isinstance(value, bool), f"{name}={value!r} was refused: {exc}"
        assert_refusal_names(exc, name)
        return
    assert isinstance(value, bool), f"{name}={value!r} was accepted as a flag"


@SETTINGS
@given(I0=st.floats(-1000, 1000), sigma=st.floats(0, 1000), t_ref=st.floats(0, 50), tau_m=st.floats(0.1, 100))
def test_gains_of_finite_inputs_are_finite_rates_below_the_maximum(I0, sigma, t_ref, tau_m):
    neuron = nm.LIF(tau_m=tau_m, t_ref=t_ref)
    top = math.inf if t_ref == 0 else 1000.0 / t_ref
    for rate in (nm.siegert_rate(I0, neuron, sigma), nm.gain(I0, neuron)):
        rate = float(rate)
        assert math.isfinite(rate) and 0.0 <= rate <= top * (1 + 1e-12)


@SETTINGS
@given(I0=HOSTILE, sigma=HOSTILE)
def test_gains_refuse_what_is_not_a_finite_current_by_name(I0, sigma):
    finite = lambda v: is_number(v) and math.isfinite(v)
    for call, args in ((nm.siegert_rate, (I0, nm.LIF(), 0.05)), (nm.siegert_rate, (0.1, nm.LIF(), sigma))):
        try:
            rate = call(*args)
        except BAD as exc:
            assert any(n in str(exc) for n in ("I0", "sigma")), exc
            continue
        assert np.all(np.isfinite(np.asarray(args[0], dtype=float))) and finite(args[2])
        assert np.all(np.isfinite(rate))


@SETTINGS
@given(
    sources=st.lists(st.integers(-3, 8), max_size=6),
    targets=st.lists(st.one_of(st.integers(-3, 8), st.floats(-3, 8)), max_size=6),
    weight=HOSTILE,
)
def test_from_pairs_keeps_every_synapse_or_refuses(sources, targets, weight):
    try:
        conn = nm.from_pairs(sources, targets, weight, 6, 6)
    except BAD as exc:
        assert any(n in str(exc) for n in ("sources", "targets", "weight")), exc
        return
    assert conn.nnz == len(sources) == len(targets)
    assert all(0 <= t < 6 and float(t) == int(t) for t in targets) and all(0 <= s < 6 for s in sources)
    assert np.all(np.isfinite(conn.weights))
    np.testing.assert_array_equal(np.sort(conn.sources()), np.sort(np.asarray(sources, dtype=np.int32)))


@settings(max_examples=25, deadline=None, derandomize=True)
@given(
    N=st.integers(1, 40),
    J0=st.floats(-5, 5),
    I_ext=st.floats(-1, 3),
    sigma=st.floats(0, 0.3),
    t_ref=st.floats(0, 5),
    dt=st.sampled_from([0.05, 0.1, 0.5, 1.0]),
    seed=st.integers(0, 2**32 - 1),
)
def test_a_simulation_is_finite_bounded_and_repeatable(N, J0, I_ext, sigma, t_ref, dt, seed):
    pop = nm.Population(
        N=N, J0=J0, I_ext=I_ext, neuron=nm.LIF(t_ref=t_ref), noise=nm.WhiteNoise(sigma) if sigma else None
    )
    a = nm.simulate(pop, 20.0, dt=dt, rng=seed, record=1)
    b = nm.simulate(pop, 20.0, dt=dt, rng=seed, record=1)
    assert np.all(np.isfinite(a.A)) and np.all(a.A >= 0) and np.all(np.isfinite(a.u))
    if t_ref > 0:  # a neuron fires at most once per t_ref, and at most one more spike in a step
        assert a.n_spikes <= N * (20.0 / t_ref + 2)
    np.testing.assert_array_equal(a.A, b.A)
    np.testing.assert_array_equal(a.spike_times, b.spike_times)
