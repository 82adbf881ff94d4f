"""The leaky integrate-and-fire (LIF) neuron: parameters, free solution, gain function.

Below threshold the membrane potential obeys (Neuronal Dynamics, Eq. 1.5 and §12.1)

.. math:: \\tau_m \\frac{du}{dt} = u_{rest} - u + R I(t), \\qquad u < \\theta,

and when ``u`` reaches ``theta`` a spike is emitted, ``u`` is reset to
``u_reset`` and held there for the absolute refractory period ``t_ref``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from .._params import check, check_array, check_instance, describe

__all__ = ["LIF", "free_solution", "gain", "interspike_interval", "lif_interval", "rheobase"]


@dataclass(frozen=True)
class LIF:
    """Parameters of a leaky integrate-and-fire neuron.

    Parameters
    ----------
    tau_m : float
        Membrane time constant τ_m = RC, ms.
    R : float
        Membrane resistance, MΩ (so that R·I is in mV for I in nA).
    u_rest : float
        Resting potential, mV.
    theta : float
        Firing threshold θ, mV. Must lie above ``u_reset``.
    u_reset : float
        Reset potential, mV. The notes reset to ``u_rest``; that is the default.
    t_ref : float
        Absolute refractory period, ms.

    Examples
    --------
    >>> n = LIF()
    >>> round(rheobase(n), 3)
    0.15
    >>> LIF(theta=-70.0)
    Traceback (most recent call last):
    ...
    ValueError: theta = -70.0 must lie above u_reset = -65.0 mV, or the neuron would fire without input
    """

    tau_m: float = 10.0
    R: float = 100.0
    u_rest: float = -65.0
    theta: float = -50.0
    u_reset: float = -65.0
    t_ref: float = 2.0

    def __post_init__(self):
        for name in ("tau_m", "R", "u_rest", "theta", "u_reset", "t_ref"):
            object.__setattr__(self, name, check(name, getattr(self, name)))
        if self.theta <= self.u_reset:
            raise ValueError(
                f"theta = {self.theta} must lie above u_reset = {self.u_reset} mV, "
                "or the neuron would fire without input"
            )

    def replace(self, **changes) -> LIF:
        """A copy with some parameters changed (validated again)."""
        return replace(self, **changes)

    def describe(self) -> str:
        """The parameters as a table with units."""
        return describe(self)


def _neuron(neuron) -> LIF:
    return check_instance("neuron", neuron, LIF, "an LIF, e.g. nmteach.LIF(tau_m=10.0)")


def rheobase(neuron: LIF) -> float:
    """Smallest constant current (nA) that makes the neuron fire: (θ − u_rest)/R.

    Below it the free solution settles at ``u_rest + R I < θ`` and the neuron stays silent.
    """
    neuron = _neuron(neuron)
    return (neuron.theta - neuron.u_rest) / neuron.R


def free_solution(t, I0, neuron: LIF, u0: float | None = None):
    """Membrane potential (mV) under a constant current ``I0`` (nA), before any spike.

    .. math:: u(t) = u_{rest} + R I_0 + (u_0 - u_{rest} - R I_0)\\, e^{-t/\\tau_m}

    With ``u0 = u_rest`` (the default) this is the notes' solution
    ``u(t) = u_rest + (1 − e^{−t/τ}) R I0``.

    >>> n = LIF()
    >>> float(free_solution(n.tau_m, 0.1, n))  # one time constant: 63 % of the way
    -58.67879441171442
    """
    neuron = _neuron(neuron)
    u0 = neuron.u_rest if u0 is None else check("u0", u0)
    t = check_array("t", t, ndim=None, low=0.0, high=1e7)
    I0 = check_array("I0", I0, ndim=None, spec="I")
    v_inf = neuron.u_rest + neuron.R * I0
    return v_inf + (u0 - v_inf) * np.exp(-t / neuron.tau_m)


def lif_interval(I, tau_m, R, u_rest, theta, u_reset, t_ref):
    """T(I) = t_ref + τ_m ln((RI + u_rest − u_reset)/(RI + u_rest − θ)) (ms), ``inf`` below the rheobase.

    The formula for arrays of parameters (one neuron per entry, broadcast against ``I``): the
    gain function of one neuron and the rates of a heterogeneous population both use it.
    """
    v_inf = u_rest + R * np.asarray(I, dtype=float)
    above = v_inf > theta
    with np.errstate(divide="ignore", invalid="ignore"):
        T = t_ref + tau_m * np.log((v_inf - u_reset) / (v_inf - theta))
    return np.where(above, T, np.inf)


def interspike_interval(I0, neuron: LIF):
    """Interspike interval (ms) under a constant current ``I0`` (nA); ``inf`` below rheobase.

    .. math:: T(I_0) = t_{ref} + \\tau_m \\ln\\frac{R I_0 + u_{rest} - u_{reset}}{R I_0 + u_{rest} - \\theta}
    """
    n = _neuron(neuron)
    I0 = check_array("I0", I0, ndim=None, spec="I")
    return lif_interval(I0, n.tau_m, n.R, n.u_rest, n.theta, n.u_reset, n.t_ref)


def gain(I0, neuron: LIF):
    """Gain function g(I): the firing rate (Hz) under a constant current ``I0`` (nA).

    .. math:: g(I_0) = \\frac{1}{T(I_0)}, \\qquad g(I_0) = 0 \\text{ for } I_0 \\le (\\theta-u_{rest})/R

    This is the f–I curve of the noise-free LIF neuron (Neuronal Dynamics, Eq. 1.13).
    For the gain under diffusive noise see :func:`nmteach.siegert_rate`.

    >>> n = LIF(tau_m=10, R=100, u_rest=-65, theta=-50, u_reset=-65, t_ref=2)
    >>> round(float(gain(0.3, n)), 2)   # T = 2 + 10 ln 2 ms
    111.96
    >>> gain(float("nan"), n)
    Traceback (most recent call last):
    ...
    ValueError: I0 contains entries that are not finite numbers (e.g. nan)
    """
    return 1000.0 / interspike_interval(I0, neuron)
