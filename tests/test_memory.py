"""The memory guard tells the truth: for every kind of large allocation, the measured peak lies between
the guard's estimate / 1.5 and the estimate itself.

Peaks are measured with :mod:`tracemalloc` (numpy reports its buffers to it), as the growth of traced
memory during the call; sizes are chosen so that the arrays (a few MB and more) dominate Python's
fixed overheads. For simulations the estimate is :func:`nmteach.estimate_memory` with the number of
spikes the run stored; for builders, whose estimate is internal, it is the largest of the amounts their guard's checks ask for.
"""

import gc
import tracemalloc

import numpy as np
import pytest

import nmteach as nm
from nmteach import models
from nmteach._params import memory_requests


def peak_of(call):
    """(result, bytes): what ``call()`` returns and the peak growth of traced memory while it ran."""
    gc.collect()
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        out = call()
        peak = tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()
    return out, peak


def guard_of(call):
    """The most the call's memory guard was asked for: the largest of its checks."""
    with memory_requests() as asked:
        call()
    assert asked, "the call never consulted the memory guard"
    return max(nbytes for _, nbytes in asked)


#: the interpreter's own allocations in a call (frames, small lists, the returned objects), which no estimate counts:
#: measured at 2–25 kB for these calls at sizes of a few neurons
FIXED = 32_000


def assert_truthful(estimate, peak):
    assert peak - FIXED <= estimate <= 1.5 * peak, (
        f"estimate {estimate / 1e6:.2f} MB, measured peak {peak / 1e6:.2f} MB"
    )


LIF0 = nm.LIF(t_ref=0.0)
ALL = ("E", "I")
SIMULATIONS = {
    "uniform population": (nm.Population(N=100_000, J0=1.0, I_ext=0.1), 1.0, 0),
    "delta kernel": (nm.Population(N=100_000, J0=1.0, I_ext=0.1, kernel=nm.DeltaKernel(1.0)), 1.0, 0),
    "threshold spread": (
        nm.Network(
            (nm.Group("pop", 60_000, I_ext=0.1, spread={"theta": nm.Normal(1.0)}),), (nm.Projection("pop", "pop", 1.0),)
        ),
        1.0,
        0,
    ),
    "two groups": (
        nm.Network(
            (nm.Group("E", 40_000, I_ext=0.1), nm.Group("I", 40_000, I_ext=0.12)),
            tuple(nm.Projection(a, b, 1.0) for a in ALL for b in ALL),
        ),
        1.0,
        0,
    ),
    "white noise": (nm.Population(N=60_000, J0=1.0, I_ext=0.1, noise=nm.WhiteNoise(0.05)), 1.0, 0),
    "OU noise": (nm.Population(N=60_000, J0=1.0, I_ext=0.1, noise=nm.OUNoise(0.05, 5.0)), 1.0, 0),
    "Poisson drive": (nm.Network((nm.Group("pop", 30_000, poisson=nm.PoissonDrive(10.0, 100, 0.1)),)), 5.0, 0),
    "Poisson sources": (
        nm.Network((nm.PoissonGroup("src", 50_000, 10.0), nm.Group("pop", 1000)), (nm.Projection("src", "pop", 1.0),)),
        5.0,
        0,
    ),
    "long run, one neuron": (nm.Population(N=1, J0=0.0, I_ext=2.0, neuron=LIF0), 10_000.0, 0),
    "long run, sine input": (nm.Population(N=1, J0=0.0, I_ext=nm.Sine(2.0, 0.1, 10.0), neuron=LIF0), 10_000.0, 0),
    "many spikes": (nm.Population(N=10_000, J0=0.0, I_ext=3.0, neuron=LIF0), 20.0, 0),
    "recorded membranes": (nm.Population(N=500, J0=1.0, I_ext=0.1), 1000.0, 500),
    "sparse E/I network": (models.brunel_network(5.0, 2.0, N_E=4000, rng=1), 50.0, 0),
}


@pytest.mark.parametrize("name", SIMULATIONS)
def test_simulation_estimate_holds_the_measured_peak(name):
    model, t_max, record = SIMULATIONS[name]
    net = model.as_network() if isinstance(model, nm.Population) else model
    res, peak = peak_of(lambda: nm.simulate(model, t_max, dt=0.1, record=record, rng=1))
    estimate = nm.estimate_memory(net, round(t_max / 0.1), res.u.shape[0], 0.1, n_spikes=res.n_spikes).total
    assert_truthful(estimate, peak)


def test_a_run_that_does_not_fit_is_refused_before_it_starts():
    pop = nm.Population(N=100_000, J0=1.0, I_ext=0.1)
    need = nm.estimate_memory(pop.as_network(), 10, 0, 0.1).total
    old = nm.MEMORY_BUDGET
    try:
        nm.MEMORY_BUDGET = 0.99 * need
        with pytest.raises(ValueError, match=r"needs about .* MB.*memory budget.*reduce N = 100000"):
            nm.simulate(pop, 1.0, dt=0.1, record=0)
    finally:
        nm.MEMORY_BUDGET = old


def test_spikes_beyond_the_budget_stop_the_run_before_the_budget_is_exceeded():
    """The number of spikes is not known in advance: the run stops, with advice, as soon as storing the next step's
    spikes would pass the budget, and its memory never passes it."""
    pop = nm.Population(N=10_000, J0=0.0, I_ext=3.0, neuron=LIF0)  # about 20,000 spikes per ms
    need = nm.estimate_memory(pop.as_network(), 200, 0, 0.1).total
    budget = need + 24 * 100_000  # room for about 100,000 spikes: a few ms of this run
    old = nm.MEMORY_BUDGET
    try:
        nm.MEMORY_BUDGET = budget
        with pytest.raises(ValueError, match=r"spikes would exceed the memory budget.*record_spikes=False"):
            nm.simulate(pop, 20.0, dt=0.1, record=0, rng=1)
        _, peak = peak_of(lambda: _refused(lambda: nm.simulate(pop, 20.0, dt=0.1, record=0, rng=1)))
    finally:
        nm.MEMORY_BUDGET = old
    assert peak <= budget


def _refused(call):
    try:
        call()
    except ValueError:
        return None
    raise AssertionError("the call was not refused")


SHEET = nm.Sheet.grid(60, L=1.0)
LARGE = nm.Sheet.grid(400, L=1.0)
BUILDERS = {
    "all_to_all": lambda: nm.all_to_all(2000, 1.0),
    "all_to_all without autapses": lambda: nm.all_to_all(2000, 1.0, autapses=False),
    "gaussian_all_to_all": lambda: nm.gaussian_all_to_all(2000, 1.0, 0.5, rng=1),
    "fixed_probability": lambda: nm.fixed_probability(8000, 0.05, 1.0, rng=1),
    "fixed_in_degree": lambda: nm.fixed_in_degree(8000, 400, 1.0, rng=1),
    "fixed_out_degree": lambda: nm.fixed_out_degree(8000, 400, 1.0, rng=1),
    "balanced": lambda: nm.balanced(8000, 0.05, 1.0, rng=1),
    "distance_weights": lambda: nm.distance_weights(SHEET, lambda d: np.exp(-d / 0.1)),
    "distance_connectivity, Gaussian": lambda: nm.distance_connectivity(SHEET, nm.GaussianProbability(0.5, 0.1), rng=1),
    "distance_connectivity, box": lambda: nm.distance_connectivity(SHEET, nm.BoxProbability(0.5, 0.3), rng=1),
    "distance_connectivity, exponential": lambda: nm.distance_connectivity(
        SHEET, nm.ExponentialProbability(0.5, 0.05), rng=1
    ),
    "distance_connectivity, narrow on a large sheet": lambda: nm.distance_connectivity(
        LARGE, nm.GaussianProbability(0.5, 0.004), rng=1
    ),
    "Sheet.grid": lambda: nm.Sheet.grid(1000),
    "Sheet.random": lambda: nm.Sheet.random(1_000_000, rng=1),
}


@pytest.mark.parametrize("name", BUILDERS)
def test_builder_guard_holds_the_measured_peak(name):
    call = BUILDERS[name]
    _, peak = peak_of(call)
    assert_truthful(guard_of(call), peak)


FIELD = nm.NeuralField(nm.MexicanHatCoupling(20, 1, 15, 2), nm.HeavisideRate(0.35, 100.0), L=30.0, M=256)
OTHERS = {
    "field, every step recorded": lambda: nm.simulate_field(FIELD, 5000.0, dt=0.5),
    "rate model trajectory": lambda: nm.integrate(nm.WilsonCowan(), [0.2, 0.1], 20_000.0, dt=1.0),
}


@pytest.mark.parametrize("name", OTHERS)
def test_trajectory_guard_holds_the_measured_peak(name):
    call = OTHERS[name]
    _, peak = peak_of(call)
    assert_truthful(guard_of(call), peak)
