"""One place for every parameter, and the one validation path every public argument goes through.

Each entry of :data:`PARAMETERS` holds a parameter's unit, meaning, valid range and teaching
range (the range the lesson sliders offer). Validation, reprs, widgets and docs read it from
here, so a parameter's unit, range or description is written down exactly once. Where one
name means different things in different places (``sigma`` is a noise amplitude in nA for
:class:`nmteach.WhiteNoise` and a width in mm for :class:`nmteach.GaussianProbability`), the
key is qualified by its owner, ``"GaussianProbability.sigma"``; messages name the argument
itself (``sigma``).

This module also holds what every layer needs and nothing above it may define: the memory
budget (read at call time, settable at run time), the resolution of ``rng`` arguments
(SPEC 7) and the checks of flags, choices, types and arrays.

Units (see also :mod:`nmteach`): time in ms, voltage in mV, current in nA, resistance in MΩ
(so that MΩ · nA = mV), charge in pC (nA · ms), rates and activities in Hz, positions in mm.
"""

from __future__ import annotations

import contextlib
import math
import numbers
from dataclasses import dataclass, fields

import numpy as np

__all__ = [
    "PARAMETERS",
    "MemoryBudgetError",
    "Spec",
    "check",
    "check_array",
    "check_bool",
    "check_choice",
    "check_instance",
    "check_int",
    "describe",
    "memory_budget",
    "require_memory",
    "resolve_rng",
    "set_memory_budget",
]


@dataclass(frozen=True)
class Spec:
    """Unit, meaning and ranges of one parameter.

    ``low``/``high`` bound the values the library accepts (``*_open`` makes a bound
    exclusive); ``teach`` is the ``(min, max, step)`` range offered by sliders in the lessons.
    """

    unit: str
    description: str
    low: float
    high: float
    low_open: bool = False
    high_open: bool = False
    teach: tuple[float, float, float] | None = None

    def range_text(self) -> str:
        lo = "(" if self.low_open else "["
        hi = ")" if self.high_open else "]"
        return f"{lo}{self.low:g}, {self.high:g}{hi}"

    def accepts(self, x: float) -> bool:
        return (
            math.isfinite(x)
            and (x > self.low if self.low_open else x >= self.low)
            and (x < self.high if self.high_open else x <= self.high)
        )


def _s(unit, description, low, high, low_open=False, high_open=False, teach=None) -> Spec:
    return Spec(unit, description, low, high, low_open, high_open, teach)


PARAMETERS: dict[str, Spec] = {
    # --- the neuron
    "tau_m": _s("ms", "membrane time constant τ_m = RC", 0, 1e4, True, teach=(2, 50, 1)),
    "R": _s("MΩ", "membrane resistance", 0, 1e5, True, teach=(10, 500, 10)),
    "u_rest": _s("mV", "resting potential", -200, 200, teach=(-80, -50, 1)),
    "theta": _s("mV", "firing threshold θ", -200, 200, teach=(-60, -30, 1)),
    "u_reset": _s("mV", "reset potential after a spike", -200, 200, teach=(-80, -50, 1)),
    "t_ref": _s("ms", "absolute refractory period", 0, 1e3, teach=(0, 10, 0.5)),
    "u0": _s("mV", "initial membrane potential", -200, 200),
    # --- postsynaptic current kernels
    "q": _s("pC", "charge of one postsynaptic current, q = ∫α(s)ds", -1e4, 1e4),
    "tau_s": _s("ms", "synaptic time constant τ_s", 0, 1e4, True, teach=(0.5, 20, 0.5)),
    "tau_rise": _s("ms", "rise time constant of the PSC", 0, 1e4, True),
    "tau_decay": _s("ms", "decay time constant of the PSC", 0, 1e4, True),
    # --- external input
    "I": _s("nA", "input current", -1e3, 1e3, teach=(0, 0.5, 0.005)),
    "amplitude": _s("nA", "amplitude of the sine input", -1e3, 1e3),
    "frequency": _s("Hz", "frequency of the sine input", 0, 1e4),
    "phase": _s("rad", "phase of the sine input", -1e6, 1e6),
    "t_on": _s("ms", "time at which the step switches on", 0, 1e7),
    "t_off": _s("ms", "time at which the step switches off", 0, math.inf, True),
    "t_start": _s("ms", "time at which the ramp starts", 0, 1e7),
    "t_end": _s("ms", "time at which the ramp ends", 0, 1e7),
    "sigma": _s("nA", "amplitude σ of the noise current", 0, 1e3, teach=(0, 0.1, 0.002)),
    "OUNoise.tau": _s("ms", "correlation time of the coloured noise", 0, 1e4, True),
    "PoissonDrive.rate": _s("Hz", "firing rate of each external Poisson synapse", 0, 1e6),
    "PoissonDrive.n": _s("", "number of external Poisson synapses per neuron", 1, 1e7),
    "PoissonDrive.J": _s("mV", "membrane jump caused by one external spike", -1e3, 1e3),
    "PoissonGroup.rate": _s("Hz", "firing rate of each Poisson source", 0, 1e6),
    "profile": _s("", "stimulus profile value of one neuron (a factor of the time course)", -1e6, 1e6),
    # --- populations, networks and the simulation
    "N": _s("", "number of neurons", 1, 10_000_000, teach=(1, 10_000, 1)),
    "J0": _s("", "total coupling J0 = w0·N (dimensionless)", -1e6, 1e6, teach=(-50, 50, 0.5)),
    "w0": _s("", "coupling weight w0 of one synapse (dimensionless)", -1e6, 1e6),
    "J": _s("", "total coupling J_nm a neuron of the target pool receives from the source pool", -1e6, 1e6),
    "J_nm": _s("", "coupling J_nm from pool m to pool n (dimensionless)", -1e6, 1e6),
    "delay": _s("ms", "synaptic transmission delay", 0, 1e3, teach=(0, 10, 0.1)),
    "dt": _s("ms", "simulation time step", 1e-3, 1.0, teach=(0.01, 1.0, 0.01)),
    "t_max": _s("ms", "simulated time", 0, 1e7, True),
    "record": _s("", "number of neurons whose membrane potential is recorded", 0, 10_000_000),
    "spread": _s("", "value of a parameter that varies from neuron to neuron", -1e6, 1e6),
    # --- analysis
    "bin_width": _s("ms", "width of the bins of A(t)", 0, 1e6, True),
    "smooth": _s("ms", "standard deviation of the Gaussian that smooths A(t)", 0, 1e6, True),
    "n_blocks": _s("", "number of blocks", 2, 1e9),
    # --- per-neuron spreads (distributions)
    "sd": _s("", "standard deviation of the spread, in the unit of the parameter", 0, 1e6),
    "width": _s("", "width of the uniform spread, in the unit of the parameter", 0, 1e6),
    "fraction_high": _s("", "fraction of the neurons that get the high value", 0, 1),
    # --- connectivity
    "p": _s("", "connection probability", 0, 1, True),
    "C": _s("", "number of synapses per neuron", 1, 1e9),
    "sigma0": _s("", "standard deviation σ0 of the summed weight of one neuron", 0, 1e6),
    "fraction_excitatory": _s("", "fraction of excitatory neurons", 0, 1, True, True),
    "weight": _s("", "weight of every link (dimensionless)", -1e6, 1e6),
    "n_source": _s("", "number of source neurons", 1, 10_000_000),
    "n_target": _s("", "number of target neurons", 1, 10_000_000),
    # --- space
    "L": _s("mm", "side length of the sheet", 0, 1e5, True),
    "n_side": _s("", "number of grid points per side of the sheet", 1, 1e5),
    "p0": _s("", "connection probability at distance 0", 0, 1, True),
    "GaussianProbability.sigma": _s("mm", "width σ of the Gaussian connection probability", 0, 1e5, True),
    "ExponentialProbability.lam": _s("mm", "length constant λ of the exponential connection probability", 0, 1e5, True),
    "BoxProbability.radius": _s("mm", "radius of the box connection probability", 0, 1e5, True),
    "distance": _s("mm", "a distance", 0, 1e5),
    "max_pairs": _s("", "largest number of pairs to compute", 1, 1e12),
    # --- continuum fields
    "CouplingKernel.J": _s("", "integral ∫w(x)dx of the coupling kernel", -1e6, 1e6),
    "CouplingKernel.J_part": _s(
        "", "integral of one part of the Mexican hat, ≥ 0; the sign is in the formula,", 0, 1e6
    ),
    "CouplingKernel.sigma": _s("mm", "width of the coupling kernel", 0, 1e4, True),
    "segment.d": _s("mm", "segment length d", 0, 1e5, True),
    "rho": _s("1/mm", "density ρ of neurons along the axis", 0, 1e9, True),
    "NeuralField.tau": _s("ms", "time constant τ of the field", 0, 1e4, True),
    "NeuralField.L": _s("mm", "length of the ring", 0, 1e5, True),
    "NeuralField.M": _s("", "number of grid points on the ring", 4, 2**22),
    "kappa": _s("nA", "threshold κ of the rate function", -1e3, 1e3),
    "rate_max": _s("Hz", "maximal rate of the rate function", 0, 1e4, True),
    "SigmoidRate.width": _s("nA", "width of the sigmoid", 0, 1e3, True),
    "record_every": _s("", "recording stride, in time steps", 1, 1e9),
    "a_max": _s("mm", "largest bump width searched", 0, 1e5, True),
    "bump.width": _s("mm", "width of the bump", 0, 1e5, True),
    "bump.center": _s("mm", "centre of the bump", -1e5, 1e5),
    # --- rate models
    "RateModel.tau": _s("ms", "time constant τ_n of the rate equation", 0, 1e4, True),
    "A_max": _s("Hz", "upper bound of the rates searched for fixed points", 0, 1e6, True),
    "rate": _s("Hz", "a firing rate", 0, 1e6),
    # --- Wilson–Cowan (1972)
    **{f"WilsonCowan.{c}": _s("", f"Wilson–Cowan coupling {c}", 0, 1e3) for c in ("c1", "c2", "c3", "c4")},
    **{f"WilsonCowan.a_{p}": _s("", f"slope a_{p} of the {p} sigmoid", 0, 1e3, True) for p in "EI"},
    **{f"WilsonCowan.theta_{p}": _s("", f"threshold θ_{p} of the {p} sigmoid", -1e3, 1e3) for p in "EI"},
    **{f"WilsonCowan.r_{p}": _s("", f"refractory factor r_{p}", 0, 1e3) for p in "EI"},
    **{f"WilsonCowan.k_{p}": _s("", f"maximal active fraction k_{p}", 0, 1e3, True) for p in "EI"},
    **{f"WilsonCowan.tau_{p}": _s("ms", f"time constant τ_{p}", 0, 1e4, True) for p in "EI"},
    "WilsonCowan.P": _s("", "external input P to E", -1e3, 1e3),
    "WilsonCowan.Q": _s("", "external input Q to I", -1e3, 1e3),
    # --- Brunel's network
    "g": _s("", "relative strength of inhibition g", 0, 1e3, True),
    "eta": _s("", "external drive η = ν_ext/ν_thr", 0, 1e3, True),
    "C_E": _s("", "number of excitatory inputs per neuron C_E", 1, 1e7),
    "gamma": _s("", "ratio γ = C_I/C_E of inhibitory to excitatory inputs", 0, 1e3, True),
    "brunel.J": _s("mV", "jump J of the membrane per excitatory spike", 0, 1e3, True),
    # --- dimensionless controls of the lesson apps
    "probability": _s("", "a probability", 0, 1),
    "fraction": _s("", "a fraction of the largest value offered", 0, 1),
    "time": _s("ms", "a moment of the simulation", 0, 1e7),
}


def _spec(name: str) -> Spec:
    try:
        return PARAMETERS[name]
    except KeyError:
        raise KeyError(f"no parameter {name!r} in nmteach.PARAMETERS") from None


def _label(name: str, label: str | None) -> str:
    return label or name.rsplit(".", 1)[-1]


def _is_real(value) -> bool:
    """True for real numbers (Python or numpy), never for bools, strings or arrays."""
    return isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_))


def check(name: str, value, *, spec: Spec | None = None, label: str | None = None) -> float:
    """Return ``value`` as a float, or raise naming it, its value and its valid range.

    A value that is not a real number (a string, ``None``, a bool, an array) is a
    ``TypeError``; a number outside the range (NaN and ±inf included) a ``ValueError``.

    >>> check("tau_m", 10)
    10.0
    >>> check("tau_m", -1)
    Traceback (most recent call last):
    ...
    ValueError: tau_m = -1 is out of range: membrane time constant τ_m = RC must lie in (0, 10000] ms
    >>> check("GaussianProbability.sigma", "0.1")
    Traceback (most recent call last):
    ...
    TypeError: sigma = '0.1' is not a number: width σ of the Gaussian connection probability, in (0, 100000] mm
    """
    spec = spec or _spec(name)
    label = _label(name, label)
    if isinstance(value, np.ndarray) and value.ndim == 0 and value.dtype.kind in "iuf":
        value = value.item()
    if not _is_real(value):
        raise TypeError(
            f"{label} = {value!r} is not a number: {spec.description}, in {spec.range_text()} {spec.unit}".rstrip()
        )
    x = float(value)
    if not spec.accepts(x):
        raise ValueError(
            f"{label} = {value!r} is out of range: {spec.description} must lie in {spec.range_text()} {spec.unit}".rstrip()
        )
    return x


def check_int(name: str, value, *, label: str | None = None) -> int:
    """Like :func:`check`, for integer parameters such as ``N`` (integral floats such as 100.0 are accepted).

    >>> check_int("N", 2.5)
    Traceback (most recent call last):
    ...
    TypeError: N = 2.5 must be a whole number: number of neurons, in [1, 1e+07]
    """
    spec = _spec(name)
    label = _label(name, label)
    if not _is_real(value) or not math.isfinite(float(value)) or not float(value).is_integer():
        if _is_real(value) and not math.isfinite(float(value)):
            check(name, value, label=label)  # NaN and inf: the range message
        raise TypeError(f"{label} = {value!r} must be a whole number: {spec.description}, in {spec.range_text()}")
    return int(check(name, value, label=label))


def check_bool(name: str, value) -> bool:
    """A flag must be ``True`` or ``False`` (numpy bools too); anything else is a ``TypeError``."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    raise TypeError(f"{name} = {value!r} must be True or False")


def check_choice(name: str, value, choices) -> object:
    """``value`` must be one of ``choices``."""
    choices = tuple(choices)
    if isinstance(value, str) and value in choices:
        return value
    if not isinstance(value, str) and any(value is c for c in choices):
        return value
    raise ValueError(f"{name} = {value!r} must be one of {', '.join(repr(c) for c in choices)}")


def check_instance(name: str, value, types, what: str, *, optional: bool = False):
    """``value`` must be an instance of ``types`` (``what`` says which kind, in words)."""
    if optional and value is None:
        return None
    if not isinstance(value, types):
        raise TypeError(f"{name} = {_short(value)} must be {what}")
    return value


def check_array(
    name: str,
    value,
    *,
    spec: str | Spec | None = None,
    ndim: int | None = 1,
    length: int | None = None,
    integer: bool = False,
    low: float | None = None,
    high: float | None = None,
) -> np.ndarray:
    """Return ``value`` as an array after checking kind, shape and range, copying only when needed.

    Every entry must be a real number (no strings, no None, no bools), finite and, where a
    ``spec`` or bounds are given, inside the range. ``integer=True`` requires whole numbers
    (a float array of whole numbers is accepted, 2.5 is not) and returns an integer array
    (the given one if it already is); otherwise a float64 array.
    """
    try:
        arr = np.asarray(value)
    except Exception:  # ragged lists and the like
        raise TypeError(f"{name} must be an array of numbers; got {_short(value)}") from None
    if arr.dtype.kind not in "iuf":
        raise TypeError(f"{name} must be an array of numbers; got {_short(value)} (dtype {arr.dtype})")
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} must be a {ndim}-d array; got shape {arr.shape}")
    if length is not None and arr.shape[0] != length:
        raise ValueError(f"{name} has {arr.shape[0]} entries; it needs {length}")
    mn = mx = None
    if arr.size:
        mn, mx = arr.min(), arr.max()  # NaN propagates into both: no temporary array needed
        if arr.dtype.kind == "f" and not (math.isfinite(mn) and math.isfinite(mx)):
            bad = float(arr[~np.isfinite(arr)].flat[0])
            raise ValueError(f"{name} contains entries that are not finite numbers (e.g. {bad!r})")
    if integer:
        if arr.dtype.kind == "f":
            if arr.size and (abs(mn) > 2**53 or abs(mx) > 2**53 or not np.array_equal(arr, np.floor(arr))):
                raise TypeError(f"{name} must hold whole numbers (indices); it holds other values")
            out = arr.astype(np.int64)
        else:
            out = arr
    else:
        out = arr.astype(float, copy=False)
    if isinstance(spec, str):
        spec = _spec(spec)
    lo = spec.low if spec is not None else low
    hi = spec.high if spec is not None else high
    if arr.size and lo is not None and hi is not None:
        open_lo = spec is not None and spec.low_open
        open_hi = spec is not None and spec.high_open
        if (mn <= lo if open_lo else mn < lo) or (mx >= hi if open_hi else mx > hi):
            what = f": {spec.description}" if spec is not None else ""
            lo_b, hi_b = ("(" if open_lo else "["), (")" if open_hi else "]")
            unit = f" {spec.unit}" if spec is not None and spec.unit else ""
            raise ValueError(
                f"{name} has values in [{mn:g}, {mx:g}] outside the valid range {lo_b}{lo:g}, {hi:g}{hi_b}{unit}{what}"
            )
    return out


def _short(value) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


# ---------------------------------------------------------------- memory budget

_BUDGET = [1_000_000_000]


def memory_budget() -> int:
    """The largest memory (bytes) one simulation or connectivity may use; read at call time.

    The default, 1 GB, is about what a Binder machine leaves free. Set it with
    ``nmteach.MEMORY_BUDGET = 2e9`` or :func:`set_memory_budget`.
    """
    return _BUDGET[0]


def set_memory_budget(nbytes) -> int:
    """Set the memory budget (bytes) honoured by every simulation, connectivity and field; returns the old value."""
    if not _is_real(nbytes) or not math.isfinite(float(nbytes)) or float(nbytes) < 1:
        raise ValueError(f"MEMORY_BUDGET = {nbytes!r} must be a number of bytes ≥ 1")
    old = _BUDGET[0]
    _BUDGET[0] = int(nbytes)
    return old


class MemoryBudgetError(ValueError):
    """A computation that would need more than the memory budget, refused before any work.

    ``needed`` and ``budget`` are in bytes; the message says how to shrink the computation.
    """

    def __init__(self, message: str, needed: float, budget: float):
        super().__init__(message)
        self.needed, self.budget = needed, budget


_LISTENERS: list[list] = []


@contextlib.contextmanager
def memory_requests():
    """Collect what the memory guard is asked inside the block: a list of (what, bytes), one per check.

    >>> import nmteach as nm
    >>> with memory_requests() as asked:
    ...     _ = nm.Sheet.grid(10)
    >>> asked
    [('a grid of 10^2 positions', 3200.0)]
    """
    requests: list = []
    _LISTENERS.append(requests)
    try:
        yield requests
    finally:
        _LISTENERS.remove(requests)


def require_memory(nbytes: float, what: str, advice: str) -> None:
    """Refuse, before any work, something that would need more than the memory budget.

    Raises :class:`MemoryBudgetError` (a ``ValueError``) saying how much it needs, the
    budget, and ``advice`` on how to shrink it.
    """
    for requests in _LISTENERS:
        requests.append((what, float(nbytes)))
    budget = memory_budget()
    if nbytes > budget:
        raise MemoryBudgetError(
            f"{what} needs about {_mb(nbytes)}, more than the memory budget of {_mb(budget)}: {advice} "
            "(or raise nmteach.MEMORY_BUDGET on a machine with more memory)",
            nbytes,
            budget,
        )


def _mb(nbytes: float) -> str:
    return f"{nbytes / 1e6:,.0f} MB" if nbytes >= 1e6 else f"{nbytes / 1e3:,.1f} kB"


# ---------------------------------------------------------------- randomness


def resolve_rng(rng) -> np.random.Generator:
    """``None`` (fresh entropy), a non-negative integer seed or a ``numpy.random.Generator`` (SPEC 7)."""
    if rng is None:
        return np.random.default_rng()
    if isinstance(rng, np.random.Generator):
        return rng
    if isinstance(rng, numbers.Integral) and not isinstance(rng, (bool, np.bool_)):
        if rng < 0:
            raise ValueError(f"rng = {rng} must be a non-negative integer seed, None or a numpy Generator")
        return np.random.default_rng(int(rng))
    raise TypeError(f"rng = {_short(rng)} must be None, an integer seed or a numpy Generator")


# ---------------------------------------------------------------- description


def describe(obj) -> str:
    """A table of a parameter object's fields with units and descriptions."""
    rows = []
    owner = type(obj).__name__
    for f in fields(obj):
        spec = PARAMETERS.get(f"{owner}.{f.name}") or PARAMETERS.get(f.name)
        val = getattr(obj, f.name)
        if spec is None:
            rows.append(f"  {f.name:<10} = {val!r}")
        else:
            rows.append(f"  {f.name:<10} = {val!r:<10} {spec.unit:<3} {spec.description}")
    return f"{owner}\n" + "\n".join(rows)
