"""Heterogeneous populations: what averaging over per-neuron parameters does to the rate.

A population whose neurons differ has, for a common input I, a mean rate

.. math:: \\langle r_i(I) \\rangle = \\frac{1}{N} \\sum_{i=1}^{N} r_i(I).

If the spread of a parameter p is small, expanding r(I; p) around the mean
p̄ to second order gives

.. math:: \\langle r \\rangle \\approx r(I; \\bar p) + \\tfrac12 \\partial_p^2 r(I; \\bar p)\\, \\operatorname{Var}[p],

so the mean rate equals the rate of the "typical" neuron (the notes' linearised
model) up to a correction set by the curvature of the gain function. The
expansion fails near the rheobase, where g has a kink and infinite slope, and
for large spreads; then the population must be split into homogeneous parts.
The spreads themselves are in :mod:`nmteach.model.distributions`.
"""

from __future__ import annotations

import numpy as np

from .._params import check, check_array, check_choice, check_instance
from ..model.distributions import SPREAD_PARAMETERS, Distribution
from ..model.neuron import LIF, gain, lif_interval
from .meanfield import siegert_rate

__all__ = ["fraction_active", "mean_rate", "mixture_gain", "neuron_rates", "second_order_rate", "typical_rate"]

_NEURON_KEYS = ("tau_m", "R", "u_rest", "theta", "u_reset", "t_ref")


def _per_neuron(neuron, params) -> dict:
    """Check a mapping of per-neuron parameter arrays: known keys, numbers in their valid range."""
    check_instance("neuron", neuron, LIF, "an LIF")
    check_instance("params", params, dict, 'a dict such as {"theta": array of thresholds (mV)}')
    out = {}
    for k, v in params.items():
        check_choice("params key", k, (*_NEURON_KEYS, "I"))
        out[k] = check_array(f"params[{k!r}]", v, ndim=None, spec=k)
    return out


def neuron_rates(I, neuron: LIF, params: dict) -> np.ndarray:
    """Noise-free rates (Hz) of neurons with per-neuron parameters ``params`` (arrays) under input I (nA).

    ``params`` maps a parameter name of :class:`nmteach.LIF` (or ``"I"``, an input offset in nA)
    to the values of the neurons; the others are the ``neuron``'s.
    """
    params = _per_neuron(neuron, params)
    p = {k: params.get(k, getattr(neuron, k)) for k in _NEURON_KEYS}
    I_tot = check_array("I", I, ndim=None, spec="I") + params.get("I", 0.0)
    return 1000.0 / lif_interval(I_tot, p["tau_m"], p["R"], p["u_rest"], p["theta"], p["u_reset"], p["t_ref"])


def mean_rate(I, neuron: LIF, params: dict) -> float:
    """⟨r_i(I)⟩ = (1/N) Σ_i r_i(I): the population's mean noise-free rate (Hz)."""
    return float(np.mean(neuron_rates(I, neuron, params)))


def _spread_of(name, dist):
    check_choice("name", name, SPREAD_PARAMETERS)
    check_instance("dist", dist, Distribution, "a distribution such as Normal(1.0)")


def typical_rate(I, neuron: LIF, name: str, dist: Distribution):
    """The rate (Hz) of the "typical" neuron, whose parameter ``name`` sits at the distribution's mean."""
    _spread_of(name, dist)
    typical = 0.0 if name == "I" else getattr(neuron, name)
    out = neuron_rates(I, neuron, {name: dist.mean(typical)})
    return float(out) if np.ndim(out) == 0 else out


def second_order_rate(I, neuron: LIF, name: str, dist: Distribution, h: float | None = None):
    """r(I; p̄) + ½ ∂²r/∂p² · Var[p]: the typical rate with its curvature correction (Hz).

    The second derivative is taken by central differences with step ``h`` (default:
    the distribution's standard deviation / 10, at least 1e-4). ``I`` may be an array.
    """
    _spread_of(name, dist)
    typical = 0.0 if name == "I" else getattr(neuron, name)
    m, var = dist.mean(typical), dist.variance(typical)
    h = max(np.sqrt(var) / 10, 1e-4) if h is None else check("spread", h, label="h")
    r_lo, r_mid, r_hi = (neuron_rates(I, neuron, {name: m + k * h}) for k in (-1, 0, 1))
    out = r_mid + 0.5 * (r_lo - 2 * r_mid + r_hi) / h**2 * var
    return float(out) if np.ndim(out) == 0 else out


def fraction_active(I, neuron: LIF, params: dict) -> float:
    """Fraction of neurons whose noise-free rate is above zero at input I (above their own rheobase)."""
    return float(np.mean(neuron_rates(I, neuron, params) > 0))


def mixture_gain(neurons, fractions, sigma: float = 0.0):
    """The gain of a population split into homogeneous parts: I ↦ Σ_n f_n g_n(I) (Hz).

    All parts receive the same input I (all-to-all coupling, common I_ext), so the
    population activity is the fraction-weighted sum of their rates. Each g_n is the
    noise-free gain, or the Siegert gain for white noise ``sigma`` (nA). Use it with
    ``nmteach.asynchronous_states(pop, gain=...)`` to get each part's mean field.
    """
    neurons = list(neurons)
    for n in neurons:
        check_instance("neurons", n, LIF, "a sequence of LIF neurons, one per part")
    fractions = check_array("fractions", fractions, low=0.0, high=1.0)
    sigma = check("sigma", sigma)
    if len(neurons) != len(fractions) or not np.isclose(fractions.sum(), 1.0):
        raise ValueError(f"fractions = {fractions.tolist()} must be one non-negative number per part, summing to 1")

    def g(I):
        rates = [gain(I, n) if sigma == 0 else siegert_rate(I, n, sigma) for n in neurons]
        return sum(f * r for f, r in zip(fractions, rates, strict=True))

    return g
