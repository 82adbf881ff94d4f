"""Per-neuron parameters and initial potentials of a network, laid out in the flat numbering.

Every group contributes its neurons in order (:meth:`nmteach.Network.slices`). A parameter
that is the same for every neuron is kept as one float (the engine's scalar fast path),
otherwise as an array of shape (N,). Values drawn from a group's ``spread`` are checked
against the parameter's valid range before any work starts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .._params import PARAMETERS
from ..model.network import Network, PoissonGroup

__all__ = ["NeuronArrays", "at", "compact", "neuron_arrays"]

_KEYS = ("tau_m", "R", "u_rest", "theta", "u_reset", "t_ref")


def compact(arr):
    """A float if every entry is equal, else the array (the scalar path is faster)."""
    arr = np.asarray(arr, dtype=float)
    if arr.ndim == 0:
        return float(arr)
    return float(arr[0]) if arr.size and np.all(arr == arr[0]) else arr


def at(x, idx):
    """``x[idx]`` for an array, ``x`` itself for a float."""
    return x if isinstance(x, float) else x[idx]


def spread(x, n: int) -> np.ndarray:
    """``x`` as an array of ``n`` values: ``x`` itself where it is one already (a third of the cost of
    ``np.broadcast_to`` on the small arrays of one step)."""
    if isinstance(x, np.ndarray) and x.shape == (n,):
        return x
    return np.full(n, x, dtype=float)


@dataclass
class NeuronArrays:
    """The parameters of all N neurons (floats where uniform) and which ones vary."""

    tau_m: float | np.ndarray
    R: float | np.ndarray
    u_rest: float | np.ndarray
    theta: float | np.ndarray
    u_reset: float | np.ndarray
    t_ref: float | np.ndarray
    I_offset: float | np.ndarray
    varying: dict  # name -> (N,) array, the parameters a group's spread set
    full: dict  # name -> (N,) array of every parameter


def neuron_arrays(net: Network, rng: np.random.Generator) -> NeuronArrays:
    """Per-neuron parameters over the whole network, spreads drawn with ``rng`` and checked."""
    N = net.N
    full = {k: np.empty(N) for k in (*_KEYS, "I")}  # filled group by group: no per-group copies to join
    for g, sl in zip(net.groups, net.slices().values(), strict=True):
        for k in (*_KEYS, "I"):
            default = 0.0 if k == "I" else float(getattr(g.neuron, k))
            if k in g.spread:
                vals = np.asarray(g.spread[k].sample(g.N, default, rng), dtype=float)
                _check_spread(g.name, k, vals)
                full[k][sl] = vals
            else:
                full[k][sl] = default
    bad = full["theta"] <= full["u_reset"]
    if np.any(bad):
        raise ValueError(
            f"the spread of theta produced {int(bad.sum())} threshold(s) at or below u_reset "
            f"(down to {full['theta'][bad].min():.4g} mV): use a smaller spread"
        )
    varying = {k: full[k] for k in {k for g in net.groups for k in g.spread}}
    return NeuronArrays(
        tau_m=compact(full["tau_m"]),
        R=compact(full["R"]),
        u_rest=compact(full["u_rest"]),
        theta=compact(full["theta"]),
        u_reset=compact(full["u_reset"]),
        t_ref=compact(full["t_ref"]),
        I_offset=compact(full["I"]),
        varying=varying,
        full=full,
    )


def _check_spread(group: str, name: str, vals: np.ndarray) -> None:
    spec = PARAMETERS["I" if name == "I" else name]
    finite = np.isfinite(vals)
    lo, hi = (float(vals[finite].min()), float(vals[finite].max())) if finite.any() else (math.nan, math.nan)
    if not finite.all() or not (spec.accepts(lo) and spec.accepts(hi)):
        raise ValueError(
            f"the spread of {name} in group {group!r} produced values in [{lo:.4g}, {hi:.4g}]"
            f"{'' if finite.all() else ' and non-finite ones'}: {spec.description} must lie in "
            f"{spec.range_text()} {spec.unit}; use a smaller spread".rstrip()
        )


def initial_potentials(net: Network, par: NeuronArrays, rng: np.random.Generator) -> np.ndarray:
    """u(0) of every neuron: "uniform" in [u_reset, θ), "rest", a number or an array; never at or above θ.

    Poisson sources have no membrane: they hold −inf and never cross θ.
    """
    full = par.full
    u = np.empty(net.N)
    for g, s in zip(net.groups, net.slices().values(), strict=True):
        if isinstance(g, PoissonGroup):
            u[s] = -np.inf
        elif isinstance(g.u0, str):
            u[s] = full["u_rest"][s] if g.u0 == "rest" else rng.uniform(full["u_reset"][s], full["theta"][s])
        else:
            u[s] = g.u0
    np.minimum(u, np.nextafter(par.theta, -np.inf), out=u)  # never at or above θ
    return u
