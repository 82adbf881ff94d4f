"""Rate equations for interacting populations (Neuronal Dynamics §12.3).

Pools n = 0..P−1 (an excitatory pool E and an inhibitory pool I, say) are each
homogeneous. With all-to-all coupling every neuron j of pool m (N_m neurons)
reaches every neuron i of pool n with the weight w_ij = J_nm / N_m, so J_nm is
the total coupling from pool m, like J0 for a single population. The input to pool n is

.. math:: I_n(t) = I^{ext}_n + \\sum_m J_{nm} \\int_0^\\infty \\alpha_m(s)\\, A_m(t-s)\\, ds ,

and in a stationary state, A_m(t) = A_m, the integral is q_m A_m, with q_m = ∫α_m(s) ds
the charge (pC) of one postsynaptic current at pool m's synapses. With A_m in Hz:

.. math:: I_n = I^{ext}_n + \\sum_m J_{nm}\\, q_m A_m / 1000 \\qquad (\\text{nA}).

The rate model lets each pool relax to the rate its gain function g_n gives for that input,

.. math:: \\tau_n \\frac{dA_n}{dt} = -A_n + g_n\\big(I_n(A)\\big),

so its fixed points are the self-consistent stationary states A_n = g_n(I_n(A)). The
eigenvalues of the Jacobian at a fixed point say whether activity returns to it
monotonically (node), in damped oscillations (focus) or leaves it (saddle, unstable).
g_n is the noise-free LIF gain (:func:`nmteach.gain`) or, under white noise, the
Siegert gain (:func:`nmteach.siegert_rate`). :class:`WilsonCowan` is the classic form
of Wilson & Cowan (1972) and works with the same functions.

>>> from nmteach.theory.rates import WilsonCowan, stationary_states
>>> low, saddle, high = stationary_states(WilsonCowan())  # their bistable parameter set
>>> [fp.kind for fp in (low, saddle, high)]
['stable node', 'saddle', 'stable node']
>>> high.A.round(4)
array([0.4398, 0.2259])
"""

from __future__ import annotations

import functools
import math
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

import numpy as np
from scipy.optimize import root

from .._params import check, check_array, check_instance, require_memory
from ..model.neuron import LIF, rheobase
from .gain import siegert_rate
from .numerics import grid_roots, rk4

__all__ = [
    "GainModel",
    "RateEquations",
    "RateFixedPoint",
    "RateModel",
    "Trajectory",
    "WilsonCowan",
    "integrate",
    "jacobian",
    "nullclines",
    "stationary_states",
    "vector_field",
]

_CBRT_EPS = np.finfo(float).eps ** (1 / 3)  # ≈ 6e-6: the step that balances truncation and rounding


class RateEquations(ABC):
    """The interface every rate model declares, and all that :func:`stationary_states`,
    :func:`integrate`, :func:`jacobian`, :func:`vector_field` and :func:`nullclines` use.

    P pools with activities A (shape (P,)); every pool n has an input x_n = x0_n + Σ_m W_nm A_m
    (:meth:`input`) and relaxes under τ_n dA_n/dt = F_n(A) (:meth:`_rhs`) towards its
    stationary rate G_n(x_n) (:meth:`_G`), so the fixed points are A_n = G_n(x_n(A)).
    """

    #: number of pools P, and their names
    n_pools: int
    names: tuple

    @property
    @abstractmethod
    def _x0(self) -> np.ndarray:
        """(P,) constant part of the inputs."""

    @property
    @abstractmethod
    def _W(self) -> np.ndarray:
        """(P, P) input to pool n per unit of A_m."""

    @property
    @abstractmethod
    def _tau(self) -> np.ndarray:
        """(P,) time constants, ms."""

    @abstractmethod
    def _G(self, n: int, x):
        """Stationary rate of pool n at inputs x (array)."""

    def _G_inverse(self, n: int, a):
        """Inputs at which G_n equals ``a`` (closed form), or None where there is none."""
        return None

    @abstractmethod
    def _rhs(self, A):
        """dA/dt for A of shape (P,) or (P, K)."""

    @abstractmethod
    def _jacobian(self, A) -> np.ndarray:
        """(P, P) Jacobian of dA/dt at A (P,)."""

    @abstractmethod
    def _box(self) -> tuple[np.ndarray, np.ndarray]:
        """Lower and upper bounds (P,) of the rates the pools can reach."""

    def input(self, A):
        """The input x0 + W A of every pool for A of shape (P,) or (P, K)."""
        A = np.asarray(A, dtype=float)
        return self._x0.reshape(_column(A)) + np.tensordot(self._W, A, axes=1)


@dataclass(frozen=True)
class RateModel(RateEquations):
    """P interacting pools of LIF neurons under the rate dynamics τ_n dA_n/dt = −A_n + g_n(I_n).

    Parameters
    ----------
    J : array_like, shape (P, P)
        Couplings (dimensionless); ``J[n, m]`` is the effect of pool m on pool n, the sum of
        the weights w_ij = J_nm / N_m over the N_m neurons of pool m. Inhibition: J < 0.
    tau : float or sequence of P floats
        Time constants τ_n of the rate equation, ms.
    q : float or sequence
        Charge of one postsynaptic current at the synapses of pool m, ``q[m]``, pC.
    I_ext : float or sequence
        Constant external input of each pool, nA.
    neurons : LIF or sequence of LIF
        Neuron parameters of each pool.
    sigmas : float or sequence
        White-noise amplitude of each pool, nA; 0 gives the noise-free gain
        :func:`nmteach.gain`, σ > 0 the Siegert gain :func:`nmteach.siegert_rate`.
    names : sequence of str, optional
        Pool names; default ``("E", "I")`` for two pools, else ``("0", "1", ...)``.

    Examples
    --------
    >>> ei = RateModel([[10.0, -10.0], [20.0, -5.0]], tau=(10.0, 20.0), I_ext=(0.2, 0.1), sigmas=0.05)
    >>> (fp,) = stationary_states(ei)
    >>> fp.A.round(2), fp.kind
    (array([ 4.61, 17.93]), 'stable focus')
    >>> round(float(2 * np.pi / fp.eigenvalues[0].imag), 1)  # period (ms) of the damped oscillation
    20.8
    >>> RateModel([[1.0, 2.0]])
    Traceback (most recent call last):
    ...
    ValueError: J must be a square P×P matrix with P ≥ 1; got 1 row(s) of length(s) [2]
    """

    J: tuple
    tau: float | tuple = 10.0
    q: float | tuple = 1.0
    I_ext: float | tuple = 0.2
    neurons: LIF | tuple = field(default_factory=LIF)
    sigmas: float | tuple = 0.0
    names: tuple | None = None

    def __post_init__(self):
        try:
            rows = [list(r) for r in self.J]
        except TypeError:
            raise ValueError(f"J = {self.J!r} must be a square P×P matrix (P rows of P numbers)") from None
        P = len(rows)
        if P == 0 or any(len(r) != P for r in rows):
            raise ValueError(
                f"J must be a square P×P matrix with P ≥ 1; got {P} row(s) of length(s) {[len(r) for r in rows]}"
            )
        J = tuple(tuple(check("J_nm", v, label=f"J[{n}, {m}]") for m, v in enumerate(r)) for n, r in enumerate(rows))
        object.__setattr__(self, "J", J)
        object.__setattr__(self, "tau", _per_pool("tau", self.tau, P, spec_name="RateModel.tau"))
        object.__setattr__(self, "q", _per_pool("q", self.q, P, spec_name="q"))
        object.__setattr__(self, "I_ext", _per_pool("I_ext", self.I_ext, P, spec_name="I"))
        object.__setattr__(self, "sigmas", _per_pool("sigmas", self.sigmas, P, spec_name="sigma"))
        neurons = (self.neurons,) * P if isinstance(self.neurons, LIF) else _as_list("neurons", self.neurons, P)
        for n, neuron in enumerate(neurons):
            if not isinstance(neuron, LIF):
                raise ValueError(f"neurons[{n}] = {neuron!r} must be an LIF")
        object.__setattr__(self, "neurons", tuple(neurons))
        names = self.names
        if names is None:
            names = ("E", "I") if P == 2 else tuple(str(n) for n in range(P))
        names = _as_list("names", names, P)
        if not all(isinstance(s, str) and s for s in names) or len(set(names)) != P:
            raise ValueError(f"names = {self.names!r} must be {P} different non-empty strings")
        object.__setattr__(self, "names", tuple(names))

    def input(self, A):
        """I_n = I_ext,n + Σ_m J_nm q_m A_m / 1000 (nA) for rates A (Hz) of shape (P,) or (P, K)."""
        return super().input(A)

    def gain(self, I):
        """g_n(I_n) (Hz) of every pool for inputs I (nA) of shape (P,) or (P, K)."""
        I = np.asarray(I, dtype=float)
        out = np.empty_like(I)
        for neuron, sigma, idx in self._groups:  # one call per kind of pool
            out[idx] = siegert_rate(I[idx], neuron, sigma)
        return out

    # --- the interface shared with WilsonCowan -------------------------------------------------
    @cached_property
    def _x0(self):
        return np.array(self.I_ext)

    @cached_property
    def _W(self):  # nA per Hz
        return np.array(self.J) * np.array(self.q)[None, :] / 1000.0

    @cached_property
    def _tau(self):
        return np.array(self.tau)

    @cached_property
    def _groups(self):
        groups: dict = {}
        for n, key in enumerate(zip(self.neurons, self.sigmas, strict=True)):
            groups.setdefault(key, []).append(n)
        return [(neuron, sigma, np.array(idx)) for (neuron, sigma), idx in groups.items()]

    def _G(self, n, x):
        return np.asarray(siegert_rate(x, self.neurons[n], self.sigmas[n]), dtype=float)

    @property
    def n_pools(self) -> int:
        return len(self.J)

    def _G_inverse(self, n, a):
        """The input at which the noise-free gain equals ``a`` (closed form); None under noise."""
        if self.sigmas[n] > 0:
            return None
        nrn = self.neurons[n]
        a = np.asarray(a, dtype=float)
        ok = (a >= 0) & (a * nrn.t_ref < 1000.0)
        with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
            s = (1000.0 / a - nrn.t_ref) / nrn.tau_m  # T(I) − t_ref = τ ln((v − u_reset)/(v − θ))
            v = nrn.theta + (nrn.theta - nrn.u_reset) / np.expm1(s)
        return np.where(ok, (v - nrn.u_rest) / nrn.R, np.nan)

    def _dG(self, n, x):
        # Central difference with h = ε^{1/3}·s, s the current scale on which g bends: σ for the
        # Siegert gain, the distance to the rheobase for the noise-free gain (which has a log
        # singularity there that the stencil must not straddle). Truncation (h/s)² and rounding
        # ε s/h errors then balance at ≈ ε^{2/3} ≈ 4e-11 relative.
        s = self.sigmas[n] if self.sigmas[n] > 0 else abs(x - rheobase(self.neurons[n]))
        delta = 1e-12 * max(abs(x), 1e-300)
        if self.sigmas[n] == 0 and s <= delta:  # at the rheobase's unresolved rise: the secant across it
            return float(self._G(n, np.array([x + delta, x - delta])) @ [1.0, -1.0]) / (2 * delta)
        h = _CBRT_EPS * max(s, 1e-12)
        return float(self._G(n, np.array([x + h, x - h])) @ [1.0, -1.0]) / (2 * h)

    def _rhs(self, A):
        A = np.asarray(A, dtype=float)
        return (-A + self.gain(self.input(A))) / self._tau.reshape(_column(A))

    def _jacobian(self, A):
        x = self.input(A)
        slope = np.array([self._dG(n, x[n]) for n in range(self.n_pools)])
        return (-np.eye(self.n_pools) + slope[:, None] * self._W) / self._tau[:, None]

    def _box(self):
        hi = [min(1000.0 / nrn.t_ref, 2000.0) if nrn.t_ref > 0 else 2000.0 for nrn in self.neurons]
        return np.zeros(self.n_pools), np.array(hi)

    def tabulated(self) -> RateModel:
        """The same model with each gain read from a table by linear interpolation.

        For interactive figures: an evaluation then costs microseconds instead of a
        quadrature. Each pool's table covers every input the pool can receive with rates in
        the box [0, 1/t_ref] (cached per neuron, noise level and range), with spacing h = 5e-4 nA,
        so the interpolation error is ≤ h² max|g''|/8, a few thousandths of a Hz for the noise
        levels of the lessons. :func:`stationary_states` of a tabulated model refines every
        fixed point on the exact gains, so its numbers are those of the exact model.
        """
        lo, hi = self._box()
        x_lo = self._x0 + np.minimum(self._W * lo, self._W * hi).sum(axis=1)
        x_hi = self._x0 + np.maximum(self._W * lo, self._W * hi).sum(axis=1)
        table = _Tabulated(self.J, self.tau, self.q, self.I_ext, self.neurons, self.sigmas, self.names)
        tables = []
        for n, (neuron, sigma) in enumerate(zip(self.neurons, self.sigmas, strict=True)):
            a, b = _table_range(x_lo[n], x_hi[n])
            tables.append(_gain_table(neuron, sigma, a, b))
        object.__setattr__(table, "_table", tables)
        object.__setattr__(table, "exact", self)
        return table


def _table_range(lo: float, hi: float) -> tuple[float, float]:
    """A range that contains [lo, hi] with a margin, rounded outwards to whole nA (so tables are shared)."""
    return math.floor(min(lo, -1.0) - 1.0), math.ceil(max(hi, 1.0) + 1.0)


@functools.lru_cache(maxsize=64)
def _gain_table(neuron: LIF, sigma: float, lo: float, hi: float):
    grid = np.linspace(lo, hi, round((hi - lo) / 5e-4) + 1)
    return grid, np.asarray(siegert_rate(grid, neuron, sigma), dtype=float)


class _Tabulated(RateModel):
    """A :class:`RateModel` whose gains are interpolated from tables (see :meth:`RateModel.tabulated`)."""

    def gain(self, I):
        I = np.asarray(I, dtype=float)
        out = np.empty_like(I)
        for n, (x, y) in enumerate(self._table):
            out[n] = np.interp(I[n], x, y)
        return out

    def _G(self, n, x):
        grid, values = self._table[n]
        return np.interp(np.asarray(x, dtype=float), grid, values)


@dataclass(frozen=True, eq=False)
class GainModel(RateEquations):
    """Pools with given gain functions: τ_n dA_n/dt = −A_n + g_n(I_ext,n + Σ_m W_nm A_m).

    The general form behind :class:`RateModel`, for any gain (a mixture of neuron types, a
    measured f–I curve): ``gains`` are functions from input (nA, array) to rate (Hz), ``W``
    (P, P) is the input to pool n per Hz of pool m (nA/Hz; J_nm q_m/1000 for LIF pools),
    ``A_max`` (P,) bounds the rates searched. :func:`nmteach.asynchronous_states` is the
    one-pool case.
    """

    gains: tuple
    W: tuple
    I_ext: tuple
    tau: tuple
    A_max: tuple
    names: tuple | None = None

    def __post_init__(self):
        gains = tuple(self.gains)
        P = len(gains)
        for g in gains:
            if not callable(g):
                raise TypeError(f"gains must be functions from input (nA) to rate (Hz); got {g!r}")
        W = check_array("W", self.W, ndim=2, spec="J_nm")
        if W.shape != (P, P):
            raise ValueError(f"W has shape {W.shape}; it needs ({P}, {P}), one row and column per pool")
        object.__setattr__(self, "gains", gains)
        object.__setattr__(self, "W", tuple(map(tuple, W)))
        object.__setattr__(self, "I_ext", _per_pool("I_ext", self.I_ext, P, spec_name="I"))
        object.__setattr__(self, "tau", _per_pool("tau", self.tau, P, spec_name="RateModel.tau"))
        object.__setattr__(self, "A_max", _per_pool("A_max", self.A_max, P, spec_name="A_max"))
        object.__setattr__(self, "names", tuple(str(n) for n in range(P)) if self.names is None else tuple(self.names))

    @property
    def n_pools(self) -> int:
        return len(self.gains)

    @cached_property
    def _x0(self):
        return np.array(self.I_ext)

    @cached_property
    def _W(self):
        return np.array(self.W)

    @cached_property
    def _tau(self):
        return np.array(self.tau)

    def _G(self, n, x):
        return np.asarray(self.gains[n](np.asarray(x, dtype=float)), dtype=float)

    def _rhs(self, A):
        A = np.asarray(A, dtype=float)
        x = self.input(A)
        G = np.stack([self._G(n, x[n]) for n in range(self.n_pools)])
        return (-A + G) / self._tau.reshape(_column(A))

    def _jacobian(self, A):
        x = self.input(A)
        slope = np.empty(self.n_pools)
        for n in range(self.n_pools):
            h = max(1e-7, 1e-6 * abs(x[n]))
            up, down = self._G(n, np.array([x[n] + h, x[n] - h]))
            slope[n] = float(up - down) / (2 * h)
        return (-np.eye(self.n_pools) + slope[:, None] * self._W) / self._tau[:, None]

    def _box(self):
        return np.zeros(self.n_pools), np.array(self.A_max)


_WC_FIELDS = ("c1", "c2", "c3", "c4", *(f"{k}_{p}" for k in ("a", "theta", "r", "k", "tau") for p in "EI"), "P", "Q")


@dataclass(frozen=True)
class WilsonCowan(RateEquations):
    """The Wilson–Cowan (1972) equations for the active fractions E and I.

    .. math:: \\tau_E \\frac{dE}{dt} = -E + (k_E - r_E E)\\, S_E(c_1 E - c_2 I + P), \\qquad
              \\tau_I \\frac{dI}{dt} = -I + (k_I - r_I I)\\, S_I(c_3 E - c_4 I + Q),

    with S(x) = 1/(1 + e^{−a(x−θ)}) − 1/(1 + e^{aθ}), so that S(0) = 0. ``k_E``, ``k_I``
    default to the sigmoid's maximum 1 − 1/(1 + e^{aθ}), as in the paper. The defaults are
    the bistable set quoted from Wilson & Cowan (1972) (c1 = 12, c2 = 4, c3 = 13, c4 = 11,
    a_E = 1.2, θ_E = 2.8, a_I = 1, θ_I = 4, r = 1, P = Q = 0): a low and a high stable
    state split by a saddle.
    The paper measures time in units of τ; here τ is in ms. In :class:`RateFixedPoint` ``A``
    holds (E, I) and ``I`` the sigmoid arguments. Activities are dimensionless fractions.
    """

    c1: float = 12.0
    c2: float = 4.0
    c3: float = 13.0
    c4: float = 11.0
    a_E: float = 1.2
    theta_E: float = 2.8
    a_I: float = 1.0
    theta_I: float = 4.0
    r_E: float = 1.0
    r_I: float = 1.0
    k_E: float | None = None
    k_I: float | None = None
    P: float = 0.0
    Q: float = 0.0
    tau_E: float = 10.0
    tau_I: float = 10.0

    def __post_init__(self):
        for p in "EI":
            a, th = getattr(self, f"a_{p}"), getattr(self, f"theta_{p}")
            if getattr(self, f"k_{p}") is None and _is_real(a) and _is_real(th):
                k = 1.0 - _logistic(-float(a) * float(th))
                if not k > 0:  # the sigmoid's range 1 − S(0) vanishes in double precision
                    raise ValueError(
                        f"a_{p} = {a} and theta_{p} = {th} leave the sigmoid no range above S(0) "
                        f"(a_{p}·theta_{p} = {float(a) * float(th):.4g} must exceed about −36); give k_{p} or a larger theta_{p}"
                    )
                object.__setattr__(self, f"k_{p}", k)
        for name in _WC_FIELDS:
            object.__setattr__(self, name, check(f"WilsonCowan.{name}", getattr(self, name)))
        for p in "EI":
            beta = _logistic(-getattr(self, f"a_{p}") * getattr(self, f"theta_{p}"))
            if getattr(self, f"r_{p}") * beta >= 1:
                raise ValueError(
                    f"r_{p} = {getattr(self, f'r_{p}')} is too large: r_{p}·S_min must stay above −1, "
                    f"i.e. r_{p} < 1 + e^(a_{p}θ_{p}) = {1 / beta:.4g}"
                )

    n_pools = 2
    names = ("E", "I")

    def input(self, A):
        """The sigmoid arguments (c1 E − c2 I + P, c3 E − c4 I + Q) for A = (E, I) of shape (2,) or (2, K)."""
        return super().input(A)

    def sigmoid(self, n, x):
        """S_n(x) of pool n (0 = E, 1 = I)."""
        a, th = self._a[n], self._theta[n]
        return _logistic(a * (np.asarray(x, dtype=float) - th)) - _logistic(-a * th)

    @cached_property
    def _x0(self):
        return np.array([self.P, self.Q])

    @cached_property
    def _W(self):
        return np.array([[self.c1, -self.c2], [self.c3, -self.c4]])

    @cached_property
    def _tau(self):
        return np.array([self.tau_E, self.tau_I])

    _a = cached_property(lambda self: np.array([self.a_E, self.a_I]))
    _theta = cached_property(lambda self: np.array([self.theta_E, self.theta_I]))
    _k = cached_property(lambda self: np.array([self.k_E, self.k_I]))
    _r = cached_property(lambda self: np.array([self.r_E, self.r_I]))

    def _G(self, n, x):  # the stationary activity at input x: E = k S / (1 + r S)
        S = self.sigmoid(n, x)
        return self._k[n] * S / (1.0 + self._r[n] * S)

    def _G_inverse(self, n, a):
        a = np.asarray(a, dtype=float)
        k, r, al, th = self._k[n], self._r[n], self._a[n], self._theta[n]
        with np.errstate(divide="ignore", invalid="ignore"):
            p = a / (k - r * a) + _logistic(-al * th)
            x = th + np.log(p / (1.0 - p)) / al
        return np.where((p > 0) & (p < 1), x, np.nan)

    def _rhs(self, A):
        A = np.asarray(A, dtype=float)
        x, col = self.input(A), _column(A)
        S = np.stack([self.sigmoid(n, x[n]) for n in range(2)])
        return (-A + (self._k.reshape(col) - self._r.reshape(col) * A) * S) / self._tau.reshape(col)

    def _jacobian(self, A):
        A = np.asarray(A, dtype=float)
        x = self.input(A)
        out = np.empty((2, 2))
        for n in range(2):
            z = _logistic(self._a[n] * (x[n] - self._theta[n]))
            dS = self._a[n] * z * (1.0 - z)
            out[n] = (self._k[n] - self._r[n] * A[n]) * dS * self._W[n]
            out[n, n] -= 1.0 + self._r[n] * self.sigmoid(n, x[n])
        return out / self._tau[:, None]

    def _box(self):
        beta = _logistic(-self._a * self._theta)
        lo = self._k * -beta / (1.0 - self._r * beta)
        hi = self._k * (1.0 - beta) / (1.0 + self._r * (1.0 - beta))
        return lo, hi


@dataclass(frozen=True, eq=False)
class RateFixedPoint:
    """One stationary state A_n = g_n(I_n(A)) of a rate model.

    ``A`` (P,) rates in Hz, ``I`` (P,) inputs in nA (for :class:`WilsonCowan`: the
    fractions E, I and the sigmoid arguments), ``eigenvalues`` (P,) of the Jacobian of the
    rate dynamics in 1/ms (largest real part first), ``stable`` = all real parts < 0, and
    ``kind``: "stable node", "stable focus", "saddle", "unstable node" or "unstable focus".
    """

    A: np.ndarray
    I: np.ndarray
    eigenvalues: np.ndarray
    stable: bool
    kind: str


class Trajectory(NamedTuple):
    """Solution of the rate equations: ``t`` (T,) in ms, ``A`` (P, T) rates."""

    t: np.ndarray
    A: np.ndarray


def vector_field(model, A) -> np.ndarray:
    """dA/dt (rate per ms) of the rate equations at states ``A`` of shape (P,) or (P, ...).

    Evaluate it on a grid, ``vector_field(model, np.stack(np.meshgrid(a_E, a_I)))``, for the
    arrows of a phase-plane picture; it vanishes on pool n's nullcline in component n.
    """
    model = _model(model)
    try:
        A = np.array(A, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"A = {A!r} must be an array of rates whose first axis has one entry per pool") from None
    if A.ndim == 0 or A.shape[0] != model.n_pools or not np.all(np.isfinite(A)):
        raise ValueError(f"A must be finite with first axis of length P = {model.n_pools}; got shape {A.shape}")
    return model._rhs(A)


def jacobian(model, A) -> np.ndarray:
    """Jacobian ∂(dA_n/dt)/∂A_m (1/ms) of the rate dynamics at rates ``A`` (P,).

    For :class:`RateModel`, (−δ_nm + g_n'(I_n) J_nm q_m / 1000) / τ_n with g_n' by a central
    difference whose step is ε^{1/3} times the current scale on which g_n bends (σ_n, or for
    the noise-free gain the distance to the rheobase): relative error ≈ 1e-10.
    For :class:`WilsonCowan` it is analytic.
    """
    return _model(model)._jacobian(_state(model, A, "A"))


def integrate(model, A0, t_max: float, dt: float = 0.1) -> Trajectory:
    """Integrate the rate equations from ``A0`` (P,) with classic RK4 on a fixed grid.

    For :class:`RateModel` τ_n dA_n/dt = −A_n + g_n(I_n(A)); for :class:`WilsonCowan` its equations.

    ``t_max`` and ``dt`` in ms; the grid is t_k = k·dt up to the first point ≥ ``t_max``.
    Returns a :class:`Trajectory` ``(t, A)`` with ``t`` (T,) and ``A`` (P, T).
    """
    model = _model(model)
    a = _state(model, A0, "A0")
    dt, t_max = check("dt", dt), check("t_max", t_max)
    n_steps = math.ceil(t_max / dt - 1e-9)
    require_memory(
        8.0 * (n_steps + 1) * (2 * model.n_pools + 1),  # the states, their transpose, the time axis
        f"a trajectory of {n_steps + 1} steps",
        "use a larger dt or a shorter t_max",
    )
    out = rk4(lambda y, t: model._rhs(y), a, dt, n_steps)
    t = np.arange(n_steps + 1, dtype=float)
    t *= dt
    return Trajectory(t=t, A=out.T.copy())


def stationary_states(model, *, A_max=None) -> list[RateFixedPoint]:
    """All fixed points A_n = g_n(I_n(A)) in the box [0, A_max]^P, lowest ``A[0]`` first.

    P = 1 and P = 2 are solved on a curve: pool a's nullcline is parametrised exactly by its
    own input x (A_a = g_a(x), and the other rate follows linearly from x), sampled until
    consecutive points differ by < 1/2000 of the box, and the other pool's residual is
    bracketed for sign changes and refined with Brent's method. This finds every crossing
    except pairs of fixed points closer than that resolution (or touching tangentially).
    For P > 2, a multi-start root finder (scipy ``hybr``) with deduplication: no guarantee.
    ``A_max`` (Hz, scalar or (P,)) defaults to the maximal rate 1/t_ref (at most 2000 Hz);
    for :class:`WilsonCowan` the box is the range the activities can reach.

    ``stable`` is stability under the rate equations. A spiking network can still leave a
    stable rate fixed point: noise-free LIF pools synchronise (see :mod:`nmteach.meanfield`).
    """
    model = _model(model)
    lo, hi = model._box()
    if A_max is not None:
        hi = np.minimum(hi, _per_pool("A_max", A_max, model.n_pools, spec_name="A_max"))
    P, W = model.n_pools, model._W
    if P == 1 or (P == 2 and W[0, 1] == 0 and W[1, 0] == 0):
        per_pool = [_roots_1d(model, n, lo[n], hi[n]) for n in range(P)]
        roots = [np.array(c) for c in np.stack(np.meshgrid(*per_pool, indexing="ij"), -1).reshape(-1, P)]
    elif P == 2:
        a = 1 if W[1, 0] != 0 else 0
        roots = _roots_2d(model, a, lo, hi)
    else:
        roots = _roots_multistart(model, lo, hi)
    exact = getattr(model, "exact", None)
    if exact is not None:  # a tabulated model: refine every fixed point on the exact gains
        roots = [_polish(exact, A) for A in roots]
        model = exact
    out = []
    for A in _accept(model, roots, lo, hi):
        A = np.clip(A, lo, hi)
        A.setflags(write=False)
        eig = np.linalg.eigvals(model._jacobian(A))
        eig = eig[np.lexsort((-eig.imag, -eig.real))]
        re = eig.real
        focus = bool(np.any(eig.imag != 0))
        if np.all(re < 0):
            kind = "stable focus" if focus else "stable node"
        elif np.any(re > 0) and np.any(re < 0):
            kind = "saddle"
        else:
            kind = "unstable focus" if focus else "unstable node"
        out.append(RateFixedPoint(A, model.input(A), eig, bool(np.all(re < 0)), kind))
    return sorted(out, key=lambda fp: tuple(fp.A))


def nullclines(model, A_grid) -> tuple[np.ndarray, np.ndarray]:
    """The nullclines dA_n/dt = 0 of a two-pool model, as polylines in the (A_0, A_1) plane.

    ``A_grid`` (K,) — or one grid per pool — sets the window [A_grid[0], A_grid[-1]] and
    the resolution: consecutive points differ by at most the grid spacing h in each rate.
    Every point lies exactly on its nullcline: pool n's nullcline is parametrised by its
    input x, A_n = g_n(x), A_m = (x − I_ext,n − J_nn q_n g_n(x)/1000)/(J_nm q_m/1000), so
    several A_n for one A_m (branches) come out as one curve without root finding.
    Returns one array (2, K_n) per pool, in pool order; NaN separates pieces, so
    ``ax.plot(*nc_E)`` draws it. A pool not driven by the other has straight nullclines.
    """
    model = _model(model)
    if model.n_pools != 2:
        raise ValueError(f"nullclines are drawn for two pools; this model has P = {model.n_pools}")
    grids = (
        A_grid if isinstance(A_grid, (list, tuple)) and len(A_grid) == 2 and np.ndim(A_grid[0]) == 1 else [A_grid] * 2
    )
    grids = [np.asarray(g, dtype=float) for g in grids]
    for g in grids:
        if g.ndim != 1 or g.size < 2 or not np.all(np.isfinite(g)) or np.any(np.diff(g) <= 0):
            raise ValueError("A_grid must be an increasing 1-d array of at least 2 finite rates (Hz), or one per pool")
    lo, hi = np.array([g[0] for g in grids]), np.array([g[-1] for g in grids])
    h = np.array([np.max(np.diff(g)) for g in grids])
    out = []
    for n in range(2):
        m = 1 - n
        if model._W[n, m] == 0:
            roots = _roots_1d(model, n, lo[n] - h[n], hi[n] + h[n])
            segs = []
            for r in roots:
                seg = np.empty((2, 3))
                seg[n], seg[m] = r, (lo[m], hi[m], np.nan)
                segs.append(seg)
            out.append(np.concatenate(segs, axis=1)[:, :-1] if segs else np.empty((2, 0)))
            continue
        _, pts = _sample_nullcline(model, n, lo - h, hi + h, h, grids[n].size, grids[n])
        inside = np.all((pts >= (lo - h)[:, None]) & (pts <= (hi + h)[:, None]), axis=0)
        pts[:, ~inside] = np.nan
        keep = inside | np.concatenate([[False], inside[:-1]])  # one NaN after each piece
        pts = pts[:, keep]
        out.append(pts[:, : np.flatnonzero(~np.isnan(pts[0]))[-1] + 1] if np.any(inside) else np.empty((2, 0)))
    return out[0], out[1]


# --- curves and roots ---------------------------------------------------------------------------


def _sample_nullcline(model, n, lo, hi, steps, n_uniform, targets=()):
    """Inputs x of pool n and exact points of its nullcline covering the box [lo, hi], refined
    until consecutive points differ by at most ``steps`` in every rate."""
    m, x0, W = 1 - n, model._x0, model._W

    def points(x):
        pts = np.empty((2, x.size))
        pts[n] = model._G(n, x)
        pts[m] = (x - x0[n] - W[n, n] * pts[n]) / W[n, m]
        return pts

    corners = x0[n] + np.add.outer(W[n, n] * np.array([lo[n], hi[n]]), W[n, m] * np.array([lo[m], hi[m]]))
    x_lo, x_hi = corners.min(), corners.max()
    x = [np.linspace(x_lo, x_hi, n_uniform)]
    inv = model._G_inverse(n, np.asarray(targets, dtype=float))
    if inv is not None:
        x.append(inv[(inv > x_lo) & (inv < x_hi)])
    return _refine(points, np.unique(np.concatenate(x)), steps, lo, hi)


def _refine(points, x, steps, lo, hi, max_points=200_000):
    pts = points(x)
    for _ in range(12):
        inside = np.all((pts >= lo[:, None]) & (pts <= hi[:, None]), axis=0)
        jump = np.max(np.abs(np.diff(pts, axis=1)) / steps[:, None], axis=0)
        dx = np.diff(x)
        need = (jump > 1) & (inside[:-1] | inside[1:]) & (dx > 16 * np.finfo(float).eps * np.abs(x[1:]))
        if not need.any() or x.size > max_points:
            break
        k = np.minimum(np.ceil(jump[need]), 64).astype(int)
        seg = np.repeat(np.flatnonzero(need), k - 1)
        first = np.repeat(np.cumsum(k - 1) - (k - 1), k - 1)
        frac = (np.arange(seg.size) - first + 1) / np.repeat(k, k - 1)
        x_new = x[seg] + dx[seg] * frac
        order = np.argsort(np.concatenate([x, x_new]), kind="stable")
        x = np.concatenate([x, x_new])[order]
        pts = np.concatenate([pts, points(x_new)], axis=1)[:, order]
    return x, pts


def _roots_1d(model, n, lo, hi):
    """Rates A in [lo, hi] with A = G_n(x0_n + W_nn A): pool n on its own."""
    x0, w = model._x0[n], model._W[n, n]
    if w == 0:
        a = float(model._G(n, np.array(x0)))
        return [a] if lo <= a <= hi else []

    def points(x):
        return np.stack([model._G(n, x), (x - x0) / w])

    span = hi - lo
    x_lo, x_hi = sorted((x0 + w * lo, x0 + w * hi))
    x, pts = _refine(points, np.linspace(x_lo, x_hi, 2001), np.full(2, span / 2000), np.full(2, lo), np.full(2, hi))

    def residual(z):
        g, a = points(np.array([z]))[:, 0]
        return g - a

    xs = grid_roots(residual, x, values=pts[0] - pts[1])
    roots = [float((z - x0) / w) for z in xs]
    return [a for a in roots if lo - 1e-9 * (1 + abs(a)) <= a <= hi + 1e-9 * (1 + abs(a))]


def _roots_2d(model, a, lo, hi):
    """Fixed points on pool a's nullcline (parametrised by x_a) where pool b's residual vanishes."""
    b, x0, W = 1 - a, model._x0, model._W
    x, pts = _sample_nullcline(model, a, lo, hi, (hi - lo) / 2000, 2001, np.linspace(lo[a], hi[a], 2001))

    def residual(pts):
        return model._G(b, x0[b] + W[b] @ pts) - pts[b]

    def curve(z):
        pts = np.empty((2, 1))
        pts[a] = model._G(a, np.array([z]))
        pts[b] = (z - x0[a] - W[a, a] * pts[a]) / W[a, b]
        return pts

    tol = (hi - lo)[b] / 2000
    valid = (pts[b] >= lo[b] - tol) & (pts[b] <= hi[b] + tol)
    xs = grid_roots(lambda z: float(residual(curve(z))[0]), x, values=residual(pts), valid=valid)
    return [curve(z)[:, 0] for z in xs]


def _polish(model, A):
    """Newton-type refinement (MINPACK hybr) of an approximate fixed point on the exact model."""
    A = np.asarray(A, dtype=float)
    residual = lambda a: float(np.max(np.abs(model._rhs(a) * model._tau)))
    sol = root(lambda a: model._rhs(a) * model._tau, A, method="hybr", options={"xtol": 1e-13})
    # MINPACK may report no progress although it sits on the root: judge by the residual
    return sol.x if np.all(np.isfinite(sol.x)) and residual(sol.x) < residual(A) else A


def _roots_multistart(model, lo, hi):
    P = model.n_pools
    if P <= 4:
        levels = np.array([0.0, 0.01, 0.05, 0.2, 0.5, 0.9])
        starts = lo + np.stack(np.meshgrid(*[levels] * P, indexing="ij"), -1).reshape(-1, P) * (hi - lo)
    else:
        starts = lo + np.random.default_rng(0).random((400, P)) * (hi - lo)

    solutions = (
        root(lambda A: model._rhs(A) * model._tau, s0, method="hybr", options={"xtol": 1e-13}) for s0 in starts
    )
    return [sol.x for sol in solutions if sol.success]


def _accept(model, roots, lo, hi):
    """Keep roots inside the box whose residual is at rounding level; drop duplicates."""
    out = []
    for A in roots:
        scale = 1.0 + np.abs(A)
        if np.any(A < lo - 1e-9 * scale) or np.any(A > hi + 1e-9 * scale):
            continue
        off = np.abs(model._rhs(A) * model._tau) / scale > 1e-7
        # a jump of g, not a root; on one pool's line a rise too steep to resolve is a root (see _unresolved_rise)
        if np.any(off) and not (model.n_pools == 1 and _unresolved_rise(model, A, off)):
            continue
        if all(np.max(np.abs(A - B) / scale) > 1e-8 for B in out):
            out.append(np.asarray(A, dtype=float))
    return out


def _unresolved_rise(model, A, pools) -> bool:
    """Whether, for each of ``pools``, A_n lies between the gain just below and just above the pool's
    input (a relative 1e-12 either side): a root where g rises faster than the input can resolve, as the
    noise-free LIF gain does at its rheobase (it leaves 0 Hz like 1/ln(1/(I − I_rh))). For one pool such a
    point is a root: g(I(A)) − A changes sign there. With several noise-free pools these corner roots come
    in pairs that the curve search does not resolve, so they are accepted for one pool only."""
    x = model.input(A)
    for n in np.flatnonzero(pools):
        delta = 1e-12 * max(abs(float(x[n])), 1e-300)
        below, above = model._G(n, np.array([x[n] - delta, x[n] + delta]))
        if not below <= A[n] <= above:
            return False
    return True


# --- validation helpers -------------------------------------------------------------------------


def _column(A):
    """Shape that lines a per-pool vector up with A of shape (P,) or (P, K)."""
    return (-1,) + (1,) * (np.ndim(A) - 1)


def _logistic(z):
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(z, dtype=float)))


def _is_real(v) -> bool:
    try:
        return math.isfinite(float(v))
    except (TypeError, ValueError):
        return False


def _as_list(name, value, P):
    if isinstance(value, (str, bytes)) or not hasattr(value, "__len__"):
        raise ValueError(f"{name} = {value!r} must be a sequence of {P} values, one per pool")
    if len(value) != P:
        raise ValueError(f"{name} has {len(value)} values; it needs one per pool, P = {P}")
    return list(value)


def _per_pool(name, value, P, spec_name=None, spec=None):
    values = list(value) if isinstance(value, (list, tuple, np.ndarray)) else [value] * P
    values = _as_list(name, values, P)
    return tuple(check(spec_name or name, v, spec=spec, label=f"{name}[{n}]") for n, v in enumerate(values))


def _model(model):
    return check_instance("model", model, RateEquations, "a rate model: RateModel, WilsonCowan or GainModel")


def _state(model, A, name):
    model = _model(model)
    try:
        A = np.array(A, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} = {A!r} must be {model.n_pools} numbers, one rate per pool") from None
    if A.shape != (model.n_pools,):
        raise ValueError(f"{name} has shape {A.shape}; it needs one value per pool, shape ({model.n_pools},)")
    if not np.all(np.isfinite(A)):
        raise ValueError(f"{name} = {A.tolist()} contains values that are not finite")
    return A
