"""The homogeneous population and its simulation engine.

N identical LIF neurons, all-to-all coupled with one weight ``w0 = J0/N``
(self-edges included unless ``self_coupling=False``), all driven by the same
``I_ext(t)`` (Neuronal Dynamics §12.1):

.. math:: I_i(t) = I^{ext}(t) + \\sum_{j=1}^{N} \\sum_f w_0\\, \\alpha(t - t_j^f)
          = I^{ext}(t) + w_0 N \\int_0^\\infty \\alpha(s) A(t-s)\\, ds .

Because every neuron receives the same recurrent input, the engine keeps one
synaptic filter for the whole population and updates the N membranes in O(N)
per step, never O(N²).

How the engine integrates
-------------------------
* Between grid points the linear subthreshold dynamics, together with the
  kernel's filter state, is integrated exactly (the propagator matrix of the
  joint linear system), so a coarse ``dt`` does not make the membrane unstable.
* A spike's time is located inside the step by inverting the exponential
  trajectory between the two grid values; refractory time is counted from that
  exact time, so the noise-free f–I curve is reproduced to rounding error.
* Spikes emitted during a step reach their targets at the next grid point
  (plus ``delay``).
* With white noise, a trajectory may cross θ and come back between two grid
  points. Checking only at the grid would miss these crossings and bias the
  rate downwards by a term of order σ√dt. The engine therefore fires a neuron
  that ends the step below threshold with the Brownian-bridge crossing
  probability exp(−2 (θ − u_k)(θ − u_{k+1}) / v), v the variance of u's
  increment over the step (``bridge=True``; switch it off to see the bias).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np

from ._params import check, check_int
from .inputs import Input, OUNoise, WhiteNoise, as_input
from .kernels import ExponentialKernel, Kernel
from .neuron import LIF
from .result import Result

__all__ = ["MEMORY_BUDGET", "Population", "simulate"]

#: Largest memory (bytes) a simulation may use; about what a Binder machine leaves free.
MEMORY_BUDGET = 1_000_000_000


@dataclass(frozen=True)
class Population:
    """A homogeneous population of ``N`` LIF neurons with all-to-all coupling.

    Parameters
    ----------
    N : int
        Number of neurons.
    neuron : LIF
        Parameters shared by all neurons.
    J0 : float
        Total coupling ``J0 = w0·N`` (dimensionless). The recurrent input in the
        asynchronous state is ``J0 q A0``. Give either ``J0`` or ``w0``.
    w0 : float, optional
        Weight of one synapse; ``J0 = w0·N``.
    kernel : Kernel
        Postsynaptic current kernel α (default: exponential, q = 1 pC, τ_s = 5 ms).
    I_ext : float or Input
        External current in nA, the same for all neurons.
    noise : WhiteNoise, OUNoise or None
        Private noise current of every neuron.
    self_coupling : bool
        Whether each neuron also excites (or inhibits) itself, as in the notes.
    delay : float
        Synaptic delay in ms (added to the one-step delivery).
    u0 : "uniform", "rest", float or array of shape (N,)
        Initial membrane potentials: uniform in [u_reset, θ), all at rest, one
        value for all, or one per neuron (mV).

    Examples
    --------
    >>> pop = Population(N=100, J0=0.0, I_ext=0.3)
    >>> pop.w0
    0.0
    >>> Population(N=0)
    Traceback (most recent call last):
    ...
    ValueError: N = 0 is out of range: number of neurons must lie in [1, 1e+07]
    """

    N: int = 1000
    neuron: LIF = field(default_factory=LIF)
    J0: float | None = None
    w0: float | None = None
    kernel: Kernel = field(default_factory=ExponentialKernel)
    I_ext: Input | float = 0.2
    noise: WhiteNoise | OUNoise | None = None
    self_coupling: bool = True
    delay: float = 0.0
    u0: object = field(default="uniform", compare=False)

    def __post_init__(self):
        N = check_int("N", self.N)
        object.__setattr__(self, "N", N)
        if not isinstance(self.neuron, LIF):
            raise ValueError(f"neuron = {self.neuron!r} must be an LIF")
        if not isinstance(self.kernel, Kernel):
            raise ValueError(f"kernel = {self.kernel!r} must be a Kernel such as ExponentialKernel")
        if self.noise is not None and not isinstance(self.noise, (WhiteNoise, OUNoise)):
            raise ValueError(f"noise = {self.noise!r} must be None, WhiteNoise or OUNoise")
        object.__setattr__(self, "I_ext", as_input(self.I_ext))
        J0, w0 = self.J0, self.w0
        if J0 is None and w0 is None:
            J0 = 0.0
        if J0 is not None:
            J0 = check("J0", J0)
        if w0 is not None:
            w0 = check("w0", w0)
            if J0 is not None and not math.isclose(J0, w0 * N, rel_tol=1e-12, abs_tol=1e-15):
                raise ValueError(f"J0 = {J0} and w0 = {w0} disagree: J0 must equal w0·N = {w0 * N}; give only one")
            J0 = w0 * N
        object.__setattr__(self, "J0", J0)
        object.__setattr__(self, "w0", J0 / N)
        object.__setattr__(self, "delay", check("delay", self.delay))
        object.__setattr__(self, "self_coupling", bool(self.self_coupling))
        from .network import check_u0

        check_u0(self.u0, N)

    def replace(self, **changes) -> Population:
        """A copy with some fields changed. Changing ``N`` keeps ``J0`` (the scaling law w0 = J0/N)."""
        if "w0" not in changes:
            changes.setdefault("J0", self.J0)
            changes["w0"] = None
        return replace(self, **changes)


def _resolve_rng(rng) -> np.random.Generator:
    if rng is None or (isinstance(rng, (int, np.integer)) and not isinstance(rng, bool)):
        if rng is not None and rng < 0:
            raise ValueError(f"rng = {rng} must be a non-negative integer seed, None or a numpy Generator")
        return np.random.default_rng(rng)
    if isinstance(rng, np.random.Generator):
        return rng
    raise ValueError(f"rng = {rng!r} must be None, an integer seed or a numpy Generator")


def _record_indices(record, N: int) -> np.ndarray:
    if isinstance(record, (int, np.integer)) and not isinstance(record, bool):
        if record < 0:
            raise ValueError(f"record = {record} must be ≥ 0 (how many neurons to record) or an array of indices")
        return np.arange(min(int(record), N))
    idx = np.asarray(record)
    if idx.ndim != 1 or idx.dtype.kind not in "iu":
        raise ValueError("record must be a number of neurons or a 1-d array of neuron indices")
    if idx.size and (idx.min() < 0 or idx.max() >= N):
        raise ValueError(f"record contains indices outside [0, {N - 1}]")
    return idx


def simulate(
    pop,
    t_max: float,
    *,
    dt: float = 0.1,
    rng=None,
    record=3,
    record_spikes: bool = True,
    bridge: bool = True,
) -> Result:
    """Simulate a homogeneous population spike by spike.

    Parameters
    ----------
    pop : Population or Network
        The model.
    t_max : float
        Simulated time, ms.
    dt : float, keyword-only
        Time step, ms, in [0.001, 1].
    rng : None, int or numpy.random.Generator
        Source of randomness (initial potentials and noise). The same seed gives
        the same result.
    record : int or array of int
        How many neurons (the first ones) or which neurons to record u(t) from.
    record_spikes : bool
        Store every spike's time and neuron (A(t) is always recorded).
    bridge : bool
        With white noise, also fire neurons whose trajectory crossed θ between
        two grid points (see the module notes). Without it, rates are biased low.

    Returns
    -------
    Result

    Examples
    --------
    >>> res = simulate(Population(N=10, I_ext=0.3, u0="rest"), 100.0, rng=1)
    >>> res.A.shape, res.u.shape
    ((1000,), (3, 1000))
    """
    from .network import Group, Network, Projection, simulate_network

    if isinstance(pop, Network):
        return simulate_network(pop, t_max, dt=dt, rng=rng, record=record, record_spikes=record_spikes, bridge=bridge)
    if not isinstance(pop, Population):
        raise ValueError(f"pop = {pop!r} must be a Population or a Network")
    net = Network(
        (Group("pop", pop.N, pop.neuron, pop.I_ext, pop.noise, u0=pop.u0),),
        (Projection("pop", "pop", J=pop.J0, kernel=pop.kernel, delay=pop.delay, autapses=pop.self_coupling),),
    )
    return simulate_network(
        net, t_max, dt=dt, rng=rng, record=record, record_spikes=record_spikes, bridge=bridge, params=pop
    )
