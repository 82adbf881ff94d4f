"""Lesson 06: continuum fields — the segment sum and its limit, Amari bumps, topographic inputs, fronts."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..models import stationary_profile
from ..theory.field import (
    ExponentialCoupling,
    GaussianCoupling,
    HeavisideRate,
    MexicanHatCoupling,
    NeuralField,
    active_length,
    bump_profile,
    bump_widths,
    continuum_input,
    count_bumps,
    front_speed,
    segment_input,
    simulate_field,
)

__all__ = [
    "BUMP",
    "COUPLINGS",
    "DISCRETISATION",
    "FRONT",
    "BumpRun",
    "Discretisation",
    "FrontRun",
    "bump_run",
    "discretisation",
    "front_run",
]

COUPLINGS = {"gaussian": GaussianCoupling, "exponential": ExponentialCoupling}

#: the axis of the discretisation figure: 16 mm, ρ = 64 per mm (N_m = ρd whole for every M), ∫w = 1/32
DISCRETISATION = {"L": 16.0, "rho": 64.0, "J": 1.0 / 32.0, "segments": (4, 8, 16, 32, 64, 128, 256), "floor": 1e-17}
#: the bump field: a 30 mm ring of 256 points, Heaviside rate 100 Hz above κ, τ = 10 ms, 300 ms
BUMP = {"L": 30.0, "M": 256, "T": 300.0, "dt": 0.5, "rate_max": 100.0, "cue": (0.5, 1.0, 20.0), "steady": (0.4, 0.5)}
#: the front field: a 60 mm ring of 512 points, ∫w = 10, 120 ms
FRONT = {"L": 60.0, "M": 512, "T": 120.0, "dt": 0.1, "J": 10.0, "record": 4}


@dataclass(frozen=True, eq=False)
class Discretisation:
    """The segment sum at the segment centres ``y`` against the integral on a fine grid ``x``, and the largest
    relative error for every segment length ``d`` (with a d² guide through the current one).

    ``order`` is the last halving's order of convergence; ``spectral`` says that some halving fell faster than
    any power a midpoint rule with ends can give (order > 6; on a line the orders stay below 3.5);
    ``kink_tail`` that a spectral error then turned into d² again (not the flat plateau of rounding): on a ring a wide kernel is
    cut at half the ring (distance L/2), and that kink, of the kernel's tiny value there, returns a d² term."""

    x: np.ndarray
    I_int: np.ndarray
    y: np.ndarray
    I_sum: np.ndarray
    d: np.ndarray
    errors: np.ndarray
    d2: np.ndarray
    d_now: float
    error_now: float
    order: float
    spectral: bool
    kink_tail: bool
    N_m: float


def discretisation(M, sigma, kernel, geometry) -> Discretisation:
    L, rho, J, floor = DISCRETISATION["L"], DISCRETISATION["rho"], DISCRETISATION["J"], DISCRETISATION["floor"]
    segments = DISCRETISATION["segments"]
    w = COUPLINGS[kernel](J, sigma)
    A = lambda y: stationary_profile(y, L)

    def compare(m):  # the segment centres, the segment sum there and its largest relative error
        d = L / m
        y = (np.arange(m) + 0.5) * d
        I_sum = segment_input(w, A, d, rho, L=L, q=1.0, geometry=geometry)
        exact = continuum_input(w, A, y, L=L, rho=rho, q=1.0, geometry=geometry)
        return y, I_sum, max(float(np.max(np.abs(I_sum - exact)) / np.max(np.abs(exact))), floor)

    errors = np.array([compare(m)[2] for m in segments])
    y, current, error_now = compare(M)
    ds = L / np.array(segments)
    ok = (errors[:-1] > 1e-13) & (errors[1:] > 1e-13)  # halvings above the rounding level
    orders = np.log2(errors[:-1][ok] / errors[1:][ok])
    spectral = bool(orders.size and orders.max() > 6)
    x = np.linspace(0, L, 321)
    return Discretisation(
        x=x,
        I_int=continuum_input(w, A, x, L=L, rho=rho, q=1.0, geometry=geometry),
        y=y,
        I_sum=current,
        d=ds,
        errors=errors,
        d2=error_now * (ds * M / L) ** 2,
        d_now=L / M,
        error_now=error_now,
        order=float(orders[-1]) if orders.size else 0.0,
        spectral=spectral,
        kink_tail=bool(
            spectral and 1.5 < orders[-1] < 2.5
        ),  # d² again after the spectral fall (a rounding plateau: ≈ 0)
        N_m=rho * L / M,
    )


def input_profile(inputs, D) -> np.ndarray:
    """The localised input (nA) on the bump field's grid: a brief cue at the centre, or one or two steady inputs."""
    L, M = BUMP["L"], BUMP["M"]
    x = (np.arange(M) + 0.5) * L / M
    if inputs == "cue":
        amp, width, _ = BUMP["cue"]
        centres = [L / 2]
    else:
        amp, width = BUMP["steady"]
        centres = [L / 2] if inputs == "one" else [L / 2 - D / 2, L / 2 + D / 2]
    return amp * sum(np.exp(-0.5 * ((x - c) / width) ** 2) for c in centres)


@dataclass(frozen=True, eq=False)
class BumpRun:
    """An Amari field run: h(x, t), the final h(x), the threshold, the steady input (if any), the stationary
    profile of the predicted stable bump (for a cue), Amari's s·W(a) with its crossings (stable and unstable
    widths), and the simulated number of bumps and width."""

    x: np.ndarray
    t: np.ndarray
    h_xt: np.ndarray
    h: np.ndarray
    kappa: float
    target: float
    input: np.ndarray
    pred: np.ndarray
    a: np.ndarray
    sW: np.ndarray
    stable_widths: np.ndarray
    unstable_widths: np.ndarray
    sW_stable: np.ndarray
    sW_unstable: np.ndarray
    n_bumps: int
    width: float
    all_active: bool
    stationary: bool
    inputs: str


def bump_run(J_e, sigma_e, J_i, sigma_i, kappa, I_ext, inputs, D) -> BumpRun:
    L, M, T, dt, f_max = BUMP["L"], BUMP["M"], BUMP["T"], BUMP["dt"], BUMP["rate_max"]
    kernel = MexicanHatCoupling(J_e, sigma_e, J_i, sigma_i)
    rate = HeavisideRate(kappa, f_max)
    uniform = NeuralField(kernel, rate, I_ext=I_ext, L=L, M=M)
    prof = input_profile(inputs, D)
    t_cue = BUMP["cue"][2]
    drive = (lambda x, t: I_ext + (prof if t < t_cue else 0.0)) if inputs == "cue" else (lambda x, t: I_ext + prof)
    res = simulate_field(NeuralField(kernel, rate, I_ext=drive, L=L, M=M), T, dt=dt, h0=I_ext, record_every=2)
    h = res.h[-1]
    bumps = bump_widths(uniform)
    stable = np.array([b.width for b in bumps if b.stable])
    unstable = np.array([b.width for b in bumps if not b.stable])
    s = uniform.q * f_max / 1000.0
    a = np.linspace(0, L / 2, 301)
    n_bumps = count_bumps(h, kappa)
    return BumpRun(
        x=uniform.x,
        t=res.t,
        h_xt=res.h,
        h=h,
        kappa=kappa,
        target=kappa - I_ext,
        input=I_ext + prof if inputs != "cue" else np.zeros(0),
        pred=bump_profile(uniform, stable[0]) if inputs == "cue" and stable.size else np.zeros(0),
        a=a,
        sW=s * kernel.W(a),
        stable_widths=stable,
        unstable_widths=unstable,
        sW_stable=s * kernel.W(stable),
        sW_unstable=s * kernel.W(unstable),
        n_bumps=n_bumps,
        width=active_length(h, kappa, L) if n_bumps == 1 else 0.0,
        all_active=bool(np.all(h > kappa)),
        stationary=bool(np.abs(res.h[-1] - res.h[-11]).max() < 1e-6),
        inputs=inputs,
    )


@dataclass(frozen=True, eq=False)
class FrontRun:
    """A travelling front: h(x, t), the length of the active region, the predicted speed ``c`` (mm/ms) and the
    fitted one, and the predicted edges started from the simulated ones after 2τ."""

    h_xt: np.ndarray
    t: np.ndarray
    t_pred: np.ndarray
    left: np.ndarray
    right: np.ndarray
    length: np.ndarray
    pred_length: np.ndarray
    c: float
    c_sim: float
    fitted: bool


def front_run(kernel, sigma, kappa) -> FrontRun:
    L, M, T, dt, J, every = FRONT["L"], FRONT["M"], FRONT["T"], FRONT["dt"], FRONT["J"], FRONT["record"]
    fld = NeuralField(COUPLINGS[kernel](J, sigma), HeavisideRate(kappa, 100.0), L=L, M=M)
    c = front_speed(fld)
    w0 = 8.0 if kappa < 0.5 else 40.0  # an active patch: narrow where it will grow, wide where it will shrink
    h0 = np.where(np.abs(fld.x - L / 2) < w0 / 2, 1.0, 0.0)
    res = simulate_field(fld, T, dt=dt, h0=h0, record_every=every)
    length = np.array([active_length(h, kappa, L) for h in res.h])
    # fit while both fronts exist and have formed: after 2τ, before they meet or vanish
    t, t_a = res.t, 2 * fld.tau
    fit = (t >= t_a) & (length > 1.0) & (length < L - 1.0)
    c_sim = float(np.polyfit(t[fit], length[fit], 1)[0] / 2) if fit.sum() >= 5 else 0.0
    after = t >= t_a  # the prediction, started from the simulated edges at t_a (a front takes about τ to form)
    half = np.clip(length[after][0] / 2 + c * (t[after] - t_a), 0, L / 2)
    return FrontRun(
        h_xt=res.h,
        t=t,
        t_pred=t[after],
        left=L / 2 - half,
        right=L / 2 + half,
        length=length,
        pred_length=2 * half,
        c=c,
        c_sim=c_sim,
        fitted=bool(fit.sum() >= 5),
    )
