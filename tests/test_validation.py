"""Every bad input is refused up front with a message naming the parameter, its value and range."""

import numpy as np
import pytest

import nmteach as nm

#: a bad value is a ValueError, a value of the wrong kind (a string for a number, a float for a flag) a TypeError
BAD = (ValueError, TypeError)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"tau_m": 0}, r"tau_m = 0 is out of range: .* \(0, 10000\] ms"),
        ({"tau_m": float("nan")}, "tau_m = nan"),
        ({"R": -1}, r"R = -1 is out of range"),
        ({"t_ref": -0.5}, r"t_ref = -0.5 is out of range: .* \[0, 1000\] ms"),
        ({"theta": "high"}, r"theta = 'high' is not a number"),
        ({"theta": -70.0}, r"theta = -70.0 must lie above u_reset"),
        ({"u_rest": 500}, r"u_rest = 500 is out of range"),
    ],
)
def test_lif_parameters(kwargs, message):
    with pytest.raises(BAD, match=message):
        nm.LIF(**kwargs)


@pytest.mark.parametrize(
    ("factory", "message"),
    [
        (lambda: nm.ExponentialKernel(q=1, tau_s=0), "tau_s = 0 is out of range"),
        (lambda: nm.AlphaKernel(q=1e6), "q = 1000000.0 is out of range"),
        (lambda: nm.BiexponentialKernel(1, 5, 2), "tau_decay = 2.0 must be larger than tau_rise = 5.0"),
        (lambda: nm.DeltaKernel(q=None), "q = None is not a number"),
        (lambda: nm.Constant(1e9), "I0 = 1000000000.0 is out of range"),
        (lambda: nm.Step(0, 1, t_on=10, t_off=5), "t_off = 5.0 must be later than t_on"),
        (lambda: nm.Ramp(0, 1, 10, 10), "t_end = 10.0 must be later than t_start"),
        (lambda: nm.Sine(0, 1, frequency=-1), "frequency = -1 is out of range"),
        (lambda: nm.WhiteNoise(-0.1), "sigma = -0.1 is out of range"),
        (lambda: nm.OUNoise(0.1, tau=0), "tau = 0 is out of range"),
    ],
)
def test_kernel_and_input_parameters(factory, message):
    with pytest.raises(BAD, match=message):
        factory()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"N": 0}, r"N = 0 is out of range: number of neurons must lie in \[1, 1e\+07\]"),
        ({"N": 2.5}, r"N = 2.5 must be a whole number"),
        ({"N": True}, r"N = True must be a whole number"),
        ({"J0": 1.0, "w0": 0.5, "N": 10}, r"J0 = 1.0 and w0 = 0.5 disagree"),
        ({"J0": float("inf")}, "J0 = inf is out of range"),
        ({"delay": -1}, "delay = -1 is out of range"),
        ({"I_ext": "strong"}, "I_ext = 'strong' must be a number"),
        ({"noise": 0.1}, "noise = 0.1 must be None, WhiteNoise or OUNoise"),
        ({"kernel": "alpha"}, "kernel = 'alpha' must be a Kernel"),
        ({"neuron": {"tau_m": 10}}, "must be an LIF"),
        ({"u0": "random"}, "u0 = 'random' must be"),
        ({"u0": np.zeros(3), "N": 4}, r"u0 has 3 entries; it needs 4"),
        ({"u0": np.array([0.0, np.nan]), "N": 2}, "not finite"),
        ({"u0": 1e9}, "u0 = 1000000000.0 is out of range"),
    ],
)
def test_population_parameters(kwargs, message):
    with pytest.raises(BAD, match=message):
        nm.Population(**kwargs)


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        ((0.0,), {}, r"t_max = 0.0 is out of range"),
        ((10.0,), {"dt": 0}, r"dt = 0 is out of range: .* \[0.001, 1\] ms"),
        ((10.0,), {"dt": 2.0}, r"dt = 2.0 is out of range"),
        ((0.05,), {"dt": 0.1}, "shorter than one time step"),
        ((10.0,), {"rng": "seed"}, "rng = 'seed' must be None"),
        ((10.0,), {"rng": -3}, "rng = -3 must be a non-negative"),
        ((10.0,), {"record": -1}, "record = -1 must be"),
        ((10.0,), {"record": np.array([0, 50])}, r"record contains indices outside \[0, 9\]"),
        ((10.0,), {"record": np.array([0.5])}, r"record = array\(\[0.5\]\) must be a number of neurons or a 1-d array"),
    ],
)
def test_simulate_arguments(args, kwargs, message):
    with pytest.raises(BAD, match=message):
        nm.simulate(nm.Population(N=10), *args, **kwargs)


def test_simulate_refuses_non_population():
    with pytest.raises(TypeError, match="model = 'population' must be a Population or a Network"):
        nm.simulate("population", 10.0)


def test_ou_noise_slower_than_time_step():
    pop = nm.Population(N=10, noise=nm.OUNoise(0.1, tau=0.05))
    with pytest.raises(ValueError, match=r"OUNoise tau = 0.05 ms must be at least the time step dt = 0.1 ms"):
        nm.simulate(pop, 10.0, dt=0.1)


def test_network_that_does_not_fit_is_refused_before_any_work():
    pop = nm.Population(N=100_000)
    with pytest.raises(
        ValueError,
        match=r"needs about 1\d,\d\d\d MB, more than the memory budget of 1,000 MB: reduce N = 100000, t_max = 2000.0 ms",
    ):
        nm.simulate(pop, 2000.0, record=100_000)
    with pytest.raises(ValueError, match=r"number of recorded neurons \(1000\), or increase dt = 0.1 ms"):
        nm.simulate(nm.Population(N=1000), 200_000.0, record=1000)


def test_spike_storage_beyond_budget_is_refused(monkeypatch):
    monkeypatch.setattr(nm, "MEMORY_BUDGET", 500_000)
    pop = nm.Population(N=1000, I_ext=0.5)
    with pytest.raises(ValueError, match="record_spikes=False"):
        nm.simulate(pop, 100.0)
    assert nm.simulate(pop, 100.0, record_spikes=False).n_spikes > 10_000


def test_meanfield_errors():
    with pytest.raises(ValueError, match="sigma = -1"):
        nm.siegert_rate(0.1, nm.LIF(), -1)
    with pytest.raises(ValueError, match="needs a constant I_ext"):
        nm.asynchronous_states(nm.Population(I_ext=nm.Step()))
    with pytest.raises(ValueError, match="OU noise has no closed form"):
        nm.asynchronous_states(nm.Population(noise=nm.OUNoise()))
    assert nm.asynchronous_states(nm.Population(I_ext=nm.Step()), I_ext=0.3)


def test_check_int_rejects_non_numbers():
    with pytest.raises(TypeError, match="N = 'many' must be a whole number"):
        nm.Population(N="many")
