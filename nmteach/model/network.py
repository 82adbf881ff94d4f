"""What a user describes: populations, groups, projections and networks (frozen, validated, no time loop).

A :class:`Population` is the notes' homogeneous population: N identical LIF neurons,
all-to-all coupled with one weight ``w0 = J0/N`` (self-edges included unless
``self_coupling=False``), all driven by the same ``I_ext(t)`` (Neuronal Dynamics §12.1):

.. math:: I_i(t) = I^{ext}(t) + \\sum_{j=1}^{N} \\sum_f w_0\\, \\alpha(t - t_j^f)
          = I^{ext}(t) + w_0 N \\int_0^\\infty \\alpha(s) A(t-s)\\, ds .

A :class:`Network` is a tuple of :class:`Group` s (pools) and :class:`Projection` s between
them, all-to-all (w_ij = J_nm/N_m) or through a sparse :class:`nmteach.Connectivity`.
:func:`nmteach.simulate` runs either; :mod:`nmteach.engine` says how.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np

from .._params import check, check_array, check_bool, check_choice, check_instance, check_int
from .distributions import SPREAD_PARAMETERS, Distribution
from .inputs import Input, OUNoise, PoissonDrive, Stimulus, WhiteNoise, as_input
from .kernels import ExponentialKernel, Kernel
from .neuron import LIF
from .synapses import Connectivity

__all__ = ["Group", "Network", "PoissonGroup", "Population", "Projection", "check_u0"]


def _check_name(name) -> None:
    if not isinstance(name, str) or not name:
        raise TypeError(f"name = {name!r} must be a non-empty string")


def check_u0(u0, N: int) -> None:
    """Validate initial potentials: "uniform", "rest", one number (mV) or an array of N values."""
    if isinstance(u0, str):
        check_choice("u0", u0, ("uniform", "rest"))
    elif np.ndim(u0) == 0:
        check("u0", u0)
    else:
        check_array("u0", u0, spec="u0", length=N)


@dataclass(frozen=True)
class Group:
    """A pool of N LIF neurons sharing parameters, input and noise.

    ``spread`` maps a parameter name in ``("tau_m", "R", "u_rest", "theta", "I")`` to a
    :mod:`distribution <nmteach.heterogeneity>`; "I" is a constant input offset in nA
    added to ``I_ext``. ``u0`` is "uniform" (in [u_reset, θ)), "rest", a number or an array.
    """

    name: str = "pop"
    N: int = 1000
    neuron: LIF = field(default_factory=LIF)
    I_ext: Input | float = 0.0
    noise: WhiteNoise | OUNoise | None = None
    poisson: PoissonDrive | None = None
    spread: dict = field(default_factory=dict, compare=False)
    u0: object = field(default="uniform", compare=False)
    stimulus: Stimulus | None = field(default=None, compare=False)

    def __post_init__(self):
        _check_name(self.name)
        object.__setattr__(self, "N", check_int("N", self.N))
        check_instance("stimulus", self.stimulus, Stimulus, "None or a Stimulus", optional=True)
        if self.stimulus is not None and len(self.stimulus.profile) != self.N:
            raise ValueError(f"stimulus profile has {len(self.stimulus.profile)} entries; the group has N = {self.N}")
        check_instance("neuron", self.neuron, LIF, "an LIF, e.g. nmteach.LIF()")
        check_instance("noise", self.noise, (WhiteNoise, OUNoise), "None, WhiteNoise or OUNoise", optional=True)
        check_instance("poisson", self.poisson, PoissonDrive, "None or a PoissonDrive", optional=True)
        object.__setattr__(self, "I_ext", as_input(self.I_ext))
        check_instance("spread", self.spread, dict, 'a dict such as {"theta": Normal(1.0)}')
        for k, v in self.spread.items():
            check_choice("spread key", k, SPREAD_PARAMETERS)
            check_instance(f"spread[{k!r}]", v, Distribution, "a distribution such as Normal(sd)")
        check_u0(self.u0, self.N)


@dataclass(frozen=True)
class PoissonGroup:
    """N independent Poisson spike sources firing at ``rate`` Hz (no membrane).

    They send spikes through projections like any group, which makes input statistics
    exact to compute (Campbell's theorem): a convenient source of "background" spikes.
    """

    name: str = "poisson"
    N: int = 100
    rate: float = 10.0

    def __post_init__(self):
        _check_name(self.name)
        object.__setattr__(self, "N", check_int("N", self.N))
        object.__setattr__(self, "rate", check("PoissonGroup.rate", self.rate))

    # what the engine reads from every group
    neuron = LIF()
    I_ext = as_input(0.0)
    noise = None
    poisson = None
    spread = {}  # noqa: RUF012
    u0 = "rest"
    stimulus = None


@dataclass(frozen=True)
class Projection:
    """Synapses from group ``source`` to group ``target``.

    All-to-all (``connectivity=None``): w_ij = J / N_source, i.e. ``J`` is J_nm of the notes
    (the total coupling a target neuron receives from the source pool). Sparse: the
    weights w_ij are those of ``connectivity``. ``autapses=False`` (all-to-all within one
    group only) removes each neuron's synapse onto itself.
    """

    source: str
    target: str
    J: float = 0.0
    connectivity: Connectivity | None = None
    kernel: Kernel = field(default_factory=ExponentialKernel)
    delay: float = 0.0
    autapses: bool = True

    def __post_init__(self):
        check_instance("source", self.source, str, "the name of the source group")
        check_instance("target", self.target, str, "the name of the target group")
        object.__setattr__(self, "J", check("J", self.J))
        object.__setattr__(self, "delay", check("delay", self.delay))
        check_instance("kernel", self.kernel, Kernel, "a Kernel such as ExponentialKernel(q=1.0, tau_s=5.0)")
        check_instance(
            "connectivity", self.connectivity, Connectivity, "None (all-to-all) or a Connectivity", optional=True
        )
        object.__setattr__(self, "autapses", check_bool("autapses", self.autapses))
        if not self.autapses and self.connectivity is not None:
            raise ValueError("autapses=False applies to all-to-all projections; build the Connectivity without them")


@dataclass(frozen=True)
class Network:
    """Groups and the projections between them."""

    groups: tuple
    projections: tuple = ()

    def __post_init__(self):
        groups = tuple(self.groups)
        projections = tuple(self.projections)
        if not groups:
            raise ValueError("groups must be a non-empty sequence of Group or PoissonGroup")
        for g in groups:
            check_instance("groups", g, (Group, PoissonGroup), "a sequence of Group or PoissonGroup")
        names = [g.name for g in groups]
        if len(set(names)) != len(names):
            raise ValueError(f"group names must be unique, got {names}")
        sizes = dict(zip(names, (g.N for g in groups), strict=True))
        for p in projections:
            check_instance("projections", p, Projection, "a sequence of Projection")
            for end in (p.source, p.target):
                if end not in sizes:
                    raise ValueError(f"projection refers to group {end!r}; the groups are {names}")
            c = p.connectivity
            if c is not None and (c.n_source != sizes[p.source] or c.n_target != sizes[p.target]):
                raise ValueError(
                    f"connectivity {p.source} → {p.target} is {c.n_source} → {c.n_target} neurons; "
                    f"the groups have {sizes[p.source]} → {sizes[p.target]}"
                )
            if not p.autapses and p.source != p.target:
                raise ValueError("autapses=False needs source == target")
        object.__setattr__(self, "groups", groups)
        object.__setattr__(self, "projections", projections)

    @property
    def N(self) -> int:
        return sum(g.N for g in self.groups)

    def index(self, name: str) -> int:
        return [g.name for g in self.groups].index(name)

    def slices(self) -> dict:
        """The index range of every group in the flat numbering used by results."""
        out, start = {}, 0
        for g in self.groups:
            out[g.name] = slice(start, start + g.N)
            start += g.N
        return out


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
        Whether each neuron also excites (or inhibits) itself, as in the notes. Without
        self-edges every synapse keeps the weight w0 = J0/N, so a neuron receives
        J0·(N − 1)/N in all (:attr:`J0_received`).
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
        check_instance("neuron", self.neuron, LIF, "an LIF, e.g. nmteach.LIF()")
        check_instance("kernel", self.kernel, Kernel, "a Kernel such as ExponentialKernel(q=1.0, tau_s=5.0)")
        check_instance("noise", self.noise, (WhiteNoise, OUNoise), "None, WhiteNoise or OUNoise", optional=True)
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
            J0 = check("J0", w0 * N, label="w0·N")
        object.__setattr__(self, "J0", J0)
        object.__setattr__(self, "w0", J0 / N)
        object.__setattr__(self, "delay", check("delay", self.delay))
        object.__setattr__(self, "self_coupling", check_bool("self_coupling", self.self_coupling))
        check_u0(self.u0, N)

    @property
    def J0_received(self) -> float:
        """The total coupling one neuron receives: J0, or J0·(N − 1)/N without self-coupling.

        Every synapse has the weight w0 = J0/N; without self-edges each neuron has N − 1 inputs.
        This is the coupling the mean field uses.
        """
        return self.J0 if self.self_coupling else self.J0 * (self.N - 1) / self.N

    def as_network(self) -> Network:
        """The same model as a :class:`Network` of one group ``"pop"`` with one all-to-all projection."""
        return Network(
            (Group("pop", self.N, self.neuron, self.I_ext, self.noise, u0=self.u0),),
            (Projection("pop", "pop", J=self.J0, kernel=self.kernel, delay=self.delay, autapses=self.self_coupling),),
        )

    def replace(self, **changes) -> Population:
        """A copy with some fields changed. Changing ``N`` keeps ``J0`` (the scaling law w0 = J0/N)."""
        if "w0" not in changes:
            changes.setdefault("J0", self.J0)
            changes["w0"] = None
        return replace(self, **changes)
