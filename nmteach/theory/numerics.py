"""The numerics every theory module shares: roots bracketed on a grid and refined, and RK4.

Written once here: the asynchronous states, Brunel's self-consistent rate, Amari's bump
widths, the fixed points of the rate models and the front speed all find their roots
with :func:`grid_roots` (or :func:`expanding_root`), and the rate models and the neural
field integrate with :func:`rk4`.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy.optimize import brentq

__all__ = ["RTOL", "expanding_root", "grid_roots", "rk4", "sign_changes"]

#: the smallest relative tolerance Brent's method accepts
RTOL = 4 * np.finfo(float).eps


def sign_changes(values, valid=None):
    """Indices i with a strict sign change between values[i] and values[i+1] (both valid), and exact zeros."""
    values = np.asarray(values, dtype=float)
    valid = np.isfinite(values) if valid is None else np.asarray(valid, bool) & np.isfinite(values)
    s = np.sign(values)
    change = np.flatnonzero(valid[:-1] & valid[1:] & (s[:-1] * s[1:] < 0))
    return change, np.flatnonzero(valid & (values == 0))


def grid_roots(f: Callable, grid, *, values=None, valid=None, xtol: float = 1e-15, rtol: float = RTOL) -> list[float]:
    """All roots of the scalar function ``f`` that a grid brackets, in increasing order.

    ``f`` is evaluated on ``grid`` (or ``values`` are given for it); every strict sign change
    between neighbours is refined with Brent's method and exact zeros are kept. Roots closer
    together than the grid spacing (or touching tangentially) can be missed: the grid sets
    the resolution.
    """
    grid = np.asarray(grid, dtype=float)
    values = np.array([float(f(x)) for x in grid]) if values is None else np.asarray(values, dtype=float)
    change, zeros = sign_changes(values, valid)
    roots = [float(grid[i]) for i in zeros]
    roots += [brentq(lambda x: float(f(x)), grid[i], grid[i + 1], xtol=xtol, rtol=rtol) for i in change]
    return sorted(roots)


def expanding_root(
    f: Callable, lo: float, hi: float, *, xtol: float = 1e-14, rtol: float = 1e-12, grow: float = 2.0, limit: int = 200
) -> float:
    """The root of a monotonic ``f`` with f(lo) and f(hi·growᵏ) of opposite signs: ``hi`` doubles until they are."""
    f_lo = f(lo)
    for _ in range(limit):
        if np.sign(f(hi)) != np.sign(f_lo):
            return brentq(f, lo, hi, xtol=xtol, rtol=rtol)
        hi *= grow
    raise ValueError(f"no sign change of the function between {lo} and {hi}: no root found")


def rk4(rhs: Callable, y0, dt: float, n_steps: int, *, t0: float = 0.0, record_every: int = 1) -> np.ndarray:
    """Classical fourth-order Runge–Kutta for dy/dt = rhs(y, t) on a fixed grid.

    Returns the states at steps 0, record_every, 2·record_every, … (shape (K, *y0.shape)).
    """
    y = np.array(y0, dtype=float)
    out = np.empty((n_steps // record_every + 1, *y.shape))
    out[0] = y
    for k in range(n_steps):
        t = t0 + k * dt
        k1 = rhs(y, t)
        k2 = rhs(y + 0.5 * dt * k1, t + 0.5 * dt)
        k3 = rhs(y + 0.5 * dt * k2, t + 0.5 * dt)
        k4 = rhs(y + dt * k3, t + dt)
        y = y + dt / 6.0 * (k1 + 2.0 * k2 + 2.0 * k3 + k4)
        if (k + 1) % record_every == 0:
            out[(k + 1) // record_every] = y
    return out
