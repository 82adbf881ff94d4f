"""nmteach: neural population ("neural mass") models for teaching.

Follows chapter 12 of Gerstner, Kistler, Naud & Paninski, *Neuronal Dynamics* (2014).

Units, used everywhere in the package:

==========  ======  =======================================================
quantity    unit    note
==========  ======  =======================================================
time        ms      t, dt, τ_m, τ_s, t_ref, delays
voltage     mV      u, u_rest, θ, u_reset
current     nA      I_ext, I_rec, noise amplitude σ
resistance  MΩ      R, so that R·I is in mV
charge      pC      q = ∫α(s) ds, in nA·ms
rate        Hz      A(t), gain functions, firing rates
coupling    —       w0 and J0 = w0·N are dimensionless
==========  ======  =======================================================

Quick start
-----------
>>> import nmteach as nm
>>> pop = nm.Population(N=500, J0=-5.0, I_ext=0.2, noise=nm.WhiteNoise(0.05))
>>> res = nm.simulate(pop, 200.0, rng=0)
>>> [round(fp.A0, 1) for fp in nm.asynchronous_states(pop)]
[19.1]
"""

import sys as _sys
import types as _types

from ._params import PARAMETERS, MemoryBudgetError, describe, memory_budget, set_memory_budget
from .analysis import (
    block_error,
    finite_size_variance,
    isi_cv,
    isi_cv2,
    peak_frequency,
    population_activity,
    spike_count_activity,
    synchrony_index,
)
from .engine import estimate_memory, simulate, simulate_network
from .interop.nest import NestNetwork, to_nest
from .model.distributions import Normal, TwoPoint, Uniform, Values
from .model.inputs import Constant, OUNoise, PoissonDrive, Ramp, Sine, Step, Stimulus, WhiteNoise
from .model.kernels import (
    AlphaKernel,
    BiexponentialKernel,
    DeltaKernel,
    ExponentialKernel,
    Kernel,
    filter_activity,
    make_kernel,
)
from .model.network import Group, Network, PoissonGroup, Population, Projection
from .model.neuron import LIF, free_solution, gain, interspike_interval, rheobase
from .model.synapses import Connectivity, from_pairs
from .result import Result
from .theory.field import (
    Bump,
    CouplingKernel,
    ExponentialCoupling,
    FieldResult,
    GaussianCoupling,
    HeavisideRate,
    MexicanHatCoupling,
    NeuralField,
    SigmoidRate,
    active_length,
    bump_profile,
    bump_widths,
    continuum_input,
    count_bumps,
    front_speed,
    segment_input,
    simulate_field,
)
from .theory.gain import population_gain, siegert_rate
from .theory.heterogeneity import (
    fraction_active,
    mean_rate,
    mixture_gain,
    neuron_rates,
    second_order_rate,
    typical_rate,
)
from .theory.meanfield import (
    FixedPoint,
    asynchronous_states,
    brunel_rate,
    mean_field_input,
    self_consistency_curve,
)
from .theory.rates import (
    GainModel,
    RateFixedPoint,
    RateModel,
    WilsonCowan,
    integrate,
    jacobian,
    nullclines,
    stationary_states,
    vector_field,
)
from .wiring.connectivity import (
    all_to_all,
    balanced,
    fixed_in_degree,
    fixed_out_degree,
    fixed_probability,
    gaussian_all_to_all,
)
from .wiring.space import (
    BoxProbability,
    ExponentialProbability,
    GaussianProbability,
    Sheet,
    distance_connectivity,
    distance_weights,
    expected_probability,
    pair_distances,
    realised_probability,
)

__version__ = "0.1.0"

__all__ = [
    "LIF",
    "MEMORY_BUDGET",
    "PARAMETERS",
    "AlphaKernel",
    "BiexponentialKernel",
    "BoxProbability",
    "Bump",
    "Connectivity",
    "Constant",
    "CouplingKernel",
    "DeltaKernel",
    "ExponentialCoupling",
    "ExponentialKernel",
    "ExponentialProbability",
    "FieldResult",
    "FixedPoint",
    "GainModel",
    "GaussianCoupling",
    "GaussianProbability",
    "Group",
    "HeavisideRate",
    "Kernel",
    "MemoryBudgetError",
    "MexicanHatCoupling",
    "NestNetwork",
    "Network",
    "NeuralField",
    "Normal",
    "OUNoise",
    "PoissonDrive",
    "PoissonGroup",
    "Population",
    "Projection",
    "Ramp",
    "RateFixedPoint",
    "RateModel",
    "Result",
    "Sheet",
    "SigmoidRate",
    "Sine",
    "Step",
    "Stimulus",
    "TwoPoint",
    "Uniform",
    "Values",
    "WhiteNoise",
    "WilsonCowan",
    "__version__",
    "active_length",
    "all_to_all",
    "asynchronous_states",
    "balanced",
    "block_error",
    "brunel_rate",
    "bump_profile",
    "bump_widths",
    "continuum_input",
    "count_bumps",
    "describe",
    "distance_connectivity",
    "distance_weights",
    "estimate_memory",
    "expected_probability",
    "filter_activity",
    "finite_size_variance",
    "fixed_in_degree",
    "fixed_out_degree",
    "fixed_probability",
    "fraction_active",
    "free_solution",
    "from_pairs",
    "front_speed",
    "gain",
    "gaussian_all_to_all",
    "integrate",
    "interspike_interval",
    "isi_cv",
    "isi_cv2",
    "jacobian",
    "make_kernel",
    "mean_field_input",
    "mean_rate",
    "memory_budget",
    "mixture_gain",
    "neuron_rates",
    "nullclines",
    "pair_distances",
    "peak_frequency",
    "population_activity",
    "population_gain",
    "realised_probability",
    "rheobase",
    "second_order_rate",
    "segment_input",
    "self_consistency_curve",
    "set_memory_budget",
    "siegert_rate",
    "simulate",
    "simulate_field",
    "simulate_network",
    "spike_count_activity",
    "stationary_states",
    "synchrony_index",
    "to_nest",
    "typical_rate",
    "vector_field",
]


class _Package(_types.ModuleType):
    """``nmteach.MEMORY_BUDGET`` reads and sets the one memory budget every path honours, at run time."""

    @property
    def MEMORY_BUDGET(self) -> int:
        return memory_budget()

    @MEMORY_BUDGET.setter
    def MEMORY_BUDGET(self, value) -> None:
        set_memory_budget(value)


_sys.modules[__name__].__class__ = _Package
