"""One place for every parameter: its unit, meaning, valid range and teaching range.

Validation, reprs, widgets and docs all read from :data:`PARAMETERS`, so a
parameter's unit or range is written down exactly once.

Units (see also :mod:`nmteach`): time in ms, voltage in mV, current in nA,
resistance in MΩ (so that MΩ · nA = mV), charge in pC (nA · ms), rates and
activities reported in Hz.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

__all__ = ["PARAMETERS", "Spec", "check", "check_int", "describe"]


@dataclass(frozen=True)
class Spec:
    """Unit, meaning and ranges of one parameter.

    ``low``/``high`` bound the values the library accepts (``*_open`` makes a
    bound exclusive); ``teach`` is the ``(min, max, step)`` range offered by
    sliders in the lessons.
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


PARAMETERS: dict[str, Spec] = {
    # neuron
    "tau_m": Spec("ms", "membrane time constant τ_m = RC", 0, 1e4, True, False, (2, 50, 1)),
    "R": Spec("MΩ", "membrane resistance", 0, 1e5, True, False, (10, 500, 10)),
    "u_rest": Spec("mV", "resting potential", -200, 200, teach=(-80, -50, 1)),
    "theta": Spec("mV", "firing threshold θ", -200, 200, teach=(-60, -30, 1)),
    "u_reset": Spec("mV", "reset potential after a spike", -200, 200, teach=(-80, -50, 1)),
    "t_ref": Spec("ms", "absolute refractory period", 0, 1e3, teach=(0, 10, 0.5)),
    # kernels
    "q": Spec("pC", "charge of one postsynaptic current, q = ∫α(s)ds", -1e4, 1e4),
    "tau_s": Spec("ms", "synaptic time constant", 0, 1e4, True, False, (0.5, 20, 0.5)),
    "tau_rise": Spec("ms", "rise time constant", 0, 1e4, True),
    "tau_decay": Spec("ms", "decay time constant", 0, 1e4, True),
    # inputs
    "I": Spec("nA", "input current", -1e3, 1e3, teach=(0, 0.5, 0.005)),
    "sigma": Spec("nA", "noise amplitude", 0, 1e3, teach=(0, 0.1, 0.002)),
    "tau_noise": Spec("ms", "correlation time of coloured noise", 0, 1e4, True),
    "frequency": Spec("Hz", "frequency of a sine input", 0, 1e4),
    "t_on": Spec("ms", "onset time", 0, 1e7),
    # population and simulation
    "N": Spec("", "number of neurons", 1, 10_000_000, teach=(1, 10_000, 1)),
    "J0": Spec("", "total coupling J0 = w0·N (dimensionless)", -1e6, 1e6, teach=(-50, 50, 0.5)),
    "w0": Spec("", "coupling weight of one synapse (dimensionless)", -1e6, 1e6),
    "delay": Spec("ms", "synaptic transmission delay", 0, 1e3, teach=(0, 10, 0.1)),
    "dt": Spec("ms", "simulation time step", 1e-3, 1.0, teach=(0.01, 1.0, 0.01)),
    "t_max": Spec("ms", "simulated time", 0, 1e7, True, False),
    "bin_width": Spec("ms", "width of the bins of A(t)", 0, 1e6, True),
    # space and dimensionless controls
    "length": Spec("mm", "a length or distance in space", 0, 1e5, True),
    "probability": Spec("", "a probability", 0, 1),
    "ratio": Spec("", "a dimensionless ratio", -1e6, 1e6),
}


def check(name: str, value, *, spec: Spec | None = None, label: str | None = None) -> float:
    """Return ``value`` as a float, or raise ``ValueError`` naming it and its range.

    >>> check("tau_m", 10)
    10.0
    >>> check("tau_m", -1)
    Traceback (most recent call last):
    ...
    ValueError: tau_m = -1 is out of range: membrane time constant τ_m = RC must lie in (0, 10000] ms
    """
    spec = spec or PARAMETERS[name]
    label = label or name
    try:
        x = float(value)
    except (TypeError, ValueError):
        raise ValueError(
            f"{label} = {value!r} is not a number; expected a value in {spec.range_text()} {spec.unit}".rstrip()
        ) from None
    bad = (
        not math.isfinite(x)
        or x < spec.low
        or x > spec.high
        or (spec.low_open and x == spec.low)
        or (spec.high_open and x == spec.high)
    )
    if bad:
        raise ValueError(
            f"{label} = {value!r} is out of range: {spec.description} must lie in {spec.range_text()} {spec.unit}".rstrip()
        )
    return x


def check_int(name: str, value, *, label: str | None = None) -> int:
    """Like :func:`check`, for integer parameters such as ``N``."""
    spec = PARAMETERS[name]
    label = label or name
    if isinstance(value, bool) or not _is_number(value) or not float(value).is_integer():
        raise ValueError(f"{label} = {value!r} must be an integer in {spec.range_text()}")
    x = check(name, value, label=label)
    return int(x)


def _is_number(value) -> bool:
    try:
        float(value)
    except (TypeError, ValueError):
        return False
    return True


def describe(obj) -> str:
    """A table of a parameter object's fields with units and descriptions."""
    from dataclasses import fields

    rows = []
    for f in fields(obj):
        spec = PARAMETERS.get(f.name)
        val = getattr(obj, f.name)
        if spec is None:
            rows.append(f"  {f.name:<10} = {val!r}")
        else:
            rows.append(f"  {f.name:<10} = {val!r:<10} {spec.unit:<3} {spec.description}")
    return f"{type(obj).__name__}\n" + "\n".join(rows)
