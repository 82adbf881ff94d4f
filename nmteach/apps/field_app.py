"""Lesson 06: continuum fields — the notes' segment sum, Amari bumps, topographic inputs, fronts."""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import LogLocator, MaxNLocator, NullLocator

from ..models import stationary_profile
from ..plotting import COLORS, style_axes
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
from ._base import App, dropdown, float_slider, selection_slider

__all__ = ["BumpApp", "DiscretisationApp", "FrontApp"]

COUPLINGS = {"gaussian": GaussianCoupling, "exponential": ExponentialCoupling}


def _few_ticks(*axes, n: int = 4):
    """At most ``n`` major ticks per axis (tick labels are most of a redraw's cost)."""
    for ax in axes:
        ax.xaxis.set_major_locator(MaxNLocator(n))
        ax.yaxis.set_major_locator(MaxNLocator(n))


def _kymograph(fig, ax, L: float, T: float):
    """An image of h(x, t) over [0, L] × [0, T] with its colour bar; returns the image to update."""
    img = ax.imshow(
        np.zeros((2, 2)), origin="lower", aspect="auto", extent=(0, L, 0, T), cmap="viridis", interpolation="nearest"
    )
    cbar = fig.colorbar(img, ax=ax, label="h (nA)")
    cbar.locator = MaxNLocator(4)
    return img


class DiscretisationApp(App):
    """The notes' segment sum against its limit d → 0 for a stationary activity A(y).

    An axis of length 16 mm with ρ = 64 neurons per mm is cut into M segments of length
    d = L/M, each holding N_m = ρd neurons. Left: the input I(nd) = ρ Σ_m w(nd, md) d q A(md)
    at the segment centres (dots) and the integral ρ ∫ w(x, y) q A(y) dy (line). Right: the
    largest relative error for every d, on log axes; the current d is ringed.
    """

    caption = (
        "On a line the error falls as d² (a factor 4 per halving of d): the segment sum is the midpoint rule of "
        "the integral. On a ring with the smooth Gaussian kernel it falls faster than any power of d (spectral "
        "accuracy) until rounding errors take over; the kink of the exponential kernel at distance 0 brings "
        "back d²."
    )
    figsize = (10.0, 3.8)
    L = 16.0
    RHO = 64.0  # neurons per mm: N_m = ρd is a whole number for every M below
    J = 1.0 / 32.0  # ∫w(x) dx of one synapse's weight, so that ρ∫w = 2
    SEGMENTS = (4, 8, 16, 32, 64, 128, 256)
    FLOOR = 1e-17  # relative errors below this are drawn at this level (a log axis has no zero)

    def make_controls(self):
        return {
            "M": selection_slider(self.SEGMENTS, 16, "segments M = L/d"),
            "sigma": float_slider(
                "CouplingKernel.sigma", 0.5, "kernel width σ", teach=(0.2, 1.2, 0.05), continuous=True
            ),
            "kernel": dropdown(["gaussian", "exponential"], "gaussian", "kernel w"),
            "geometry": dropdown(
                [("line (no neurons beyond the ends)", "line"), ("ring (periodic)", "ring")], "line", "axis"
            ),
        }

    def build_figure(self, fig):
        self.ax_i, self.ax_e = fig.subplots(1, 2, width_ratios=[1.3, 1])
        style_axes(self.ax_i, "position x (mm)", "input I (nA)", "segment sum and integral")
        style_axes(self.ax_e, "segment length d (mm)", "largest relative error", "error against d")
        (self.l_int,) = self.ax_i.plot([], [], color=COLORS["blue"], lw=2, label="integral ρ∫w(x,y) q A(y) dy")
        (self.l_steps,) = self.ax_i.plot([], [], drawstyle="steps-mid", color=COLORS["orange"], lw=1, alpha=0.7)
        (self.l_sum,) = self.ax_i.plot([], [], "o", color=COLORS["vermillion"], ms=4, label="sum ρΣ w(nd,md) d q A(md)")
        self.ax_i.set_xlim(0, self.L)
        self.ax_i.legend(fontsize="small", framealpha=0.85, edgecolor="none", loc="upper right")
        (self.l_err,) = self.ax_e.plot([], [], "o-", color=COLORS["blue"], ms=4, label="segment sum")
        (self.l_d2,) = self.ax_e.plot([], [], ":", color=COLORS["black"], label="∝ d², through the current d")
        (self.l_now,) = self.ax_e.plot([], [], "o", mfc="none", mec=COLORS["vermillion"], mew=2, ms=11)
        self.ax_e.set_xscale("log")
        self.ax_e.set_yscale("log")
        self.ax_e.yaxis.set_major_locator(LogLocator(base=10, numticks=6))
        for axis in (self.ax_e.xaxis, self.ax_e.yaxis):
            axis.set_minor_locator(NullLocator())
        _few_ticks(self.ax_i)
        ds = self.L / np.array(self.SEGMENTS)
        self.ax_e.set_xlim(ds.min() / 1.5, ds.max() * 1.5)
        self.ax_e.set_ylim(self.FLOOR / 3, 3.0)
        self.ax_e.legend(fontsize="small", framealpha=0.85, edgecolor="none", loc="lower right")

    def model(self, M, sigma, kernel, geometry):
        w = COUPLINGS[kernel](self.J, sigma)
        A = lambda y: stationary_profile(y, self.L)

        def compare(m):  # the segment centres, the segment sum there and its largest relative error
            d = self.L / m
            y = (np.arange(m) + 0.5) * d
            I_sum = segment_input(w, A, d, self.RHO, L=self.L, q=1.0, geometry=geometry)
            exact = continuum_input(w, A, y, L=self.L, rho=self.RHO, q=1.0, geometry=geometry)
            return y, I_sum, max(float(np.max(np.abs(I_sum - exact)) / np.max(np.abs(exact))), self.FLOOR)

        errors = np.array([compare(m)[2] for m in self.SEGMENTS])
        y, current, error_now = compare(M)
        ds = self.L / np.array(self.SEGMENTS)
        ok = (errors[:-1] > 1e-13) & (errors[1:] > 1e-13)  # halvings above the rounding level
        orders = np.log2(errors[:-1][ok] / errors[1:][ok])
        x = np.linspace(0, self.L, 321)
        return {
            "x": x,
            "I_int": continuum_input(w, A, x, L=self.L, rho=self.RHO, q=1.0, geometry=geometry),
            "y": y,
            "I_sum": current,
            "d": ds,
            "errors": errors,
            "d2": error_now * (ds * M / self.L) ** 2,
            "d_now": self.L / M,
            "error_now": error_now,
            "order": float(orders[-1]) if orders.size else 0.0,
            "spectral": bool(orders.size and orders[-1] > 4),
            "N_m": self.RHO * self.L / M,
        }

    def draw(self, d):
        self.l_int.set_data(d["x"], d["I_int"])
        self.l_sum.set_data(d["y"], d["I_sum"])
        self.l_steps.set_data(d["y"], d["I_sum"])
        top = max(float(d["I_int"].max()), float(d["I_sum"].max()))
        self.ax_i.set_ylim(0, 1.15 * top)
        self.l_err.set_data(d["d"], d["errors"])
        self.l_d2.set_data(d["d"], d["d2"])
        self.l_now.set_data([d["d_now"]], [d["error_now"]])

    def summary(self, d):
        order = "faster than any power (spectral)" if d["spectral"] else f"≈ d^{d['order']:.2f}"
        return (
            f"d = {d['d_now']:.3g} mm · N_m = ρd = <b>{d['N_m']:.0f}</b> neurons per segment · largest relative "
            f"error <b>{d['error_now']:.1e}</b> · convergence {order}"
        )


class BumpApp(App):
    """An Amari field on a ring of 30 mm: Mexican-hat coupling, Heaviside rate (100 Hz above κ), τ = 10 ms.

    Left: the kymograph h(x, t). Middle: the final h(x) with the threshold κ (and, for a
    brief cue, the stationary profile of the predicted stable bump, dashed). Right: Amari's
    condition s W(a) = κ − I_ext (s = q f_max = 0.1 nA): every crossing is a bump width,
    stable (filled) where w(a) < 0. The input is a brief cue at the centre, or one or two
    steady localised inputs (0.4 nA, width 0.5 mm) as in a topographic map.
    """

    caption = (
        "A brief cue leaves a bump behind when a stable width exists (a filled dot on the right); its width settles "
        "at the prediction, within a grid step or two. Two steady inputs closer than about the width of one "
        "response (3–4 mm with the defaults) merge into one bump; farther apart they give two."
    )
    figsize = (11.0, 3.9)
    L = 30.0
    M = 256
    T = 300.0
    DT = 0.5
    RATE_MAX = 100.0  # Hz; with q = 1 pC, s = q f_max = 0.1 nA
    CUE = (0.5, 1.0, 20.0)  # nA, mm, ms
    STEADY = (0.4, 0.5)  # nA, mm

    def make_controls(self):
        return {
            "J_e": float_slider(
                "CouplingKernel.J_part", 20.0, "excitation J_e", teach=(0.0, 40.0, 0.5), continuous=False
            ),
            "sigma_e": float_slider(
                "CouplingKernel.sigma", 1.0, "excitation width σ_e", teach=(0.5, 1.5, 0.05), continuous=False
            ),
            "J_i": float_slider(
                "CouplingKernel.J_part", 15.0, "inhibition J_i", teach=(0.0, 40.0, 0.5), continuous=False
            ),
            "sigma_i": float_slider(
                "CouplingKernel.sigma", 2.0, "inhibition width σ_i", teach=(1.6, 4.0, 0.1), continuous=False
            ),
            "kappa": float_slider("kappa", 0.35, "threshold κ", teach=(0.05, 1.0, 0.01), continuous=False),
            "I_ext": float_slider("I", 0.0, "uniform input I_ext", teach=(-0.3, 0.3, 0.01), continuous=False),
            "inputs": dropdown(
                [("brief cue at the centre", "cue"), ("one steady input", "one"), ("two steady inputs", "two")],
                "cue",
                "localised input",
            ),
            "D": float_slider("distance", 6.0, "distance of the two inputs", teach=(0.0, 15.0, 0.5), continuous=False),
        }

    def build_figure(self, fig):
        self.ax_k, self.ax_h, self.ax_w = fig.subplots(1, 3, width_ratios=[1, 1.1, 1])
        style_axes(self.ax_k, "position x (mm)", "time t (ms)", "kymograph h(x, t)")
        style_axes(self.ax_h, "position x (mm)", "h(x) (nA)", f"h(x) at t = {self.T:.0f} ms")
        style_axes(self.ax_w, "bump width a (mm)", "s·W(a) (nA)", "Amari: s·W(a) = κ − I_ext")
        self.img = _kymograph(fig, self.ax_k, self.L, self.T)
        _few_ticks(self.ax_k, self.ax_h, self.ax_w)
        (self.l_h,) = self.ax_h.plot([], [], color=COLORS["blue"], lw=2, label="simulated")
        (self.l_pred,) = self.ax_h.plot([], [], "--", color=COLORS["orange"], lw=2, label="predicted stable bump")
        (self.l_input,) = self.ax_h.plot([], [], ":", color=COLORS["green"], lw=1.5, label="steady input I_ext(x)")
        self.l_kappa = self.ax_h.axhline(0.35, color=COLORS["black"], lw=1, ls="-.", label="threshold κ")
        self.ax_h.set_xlim(0, self.L)
        self.ax_h.legend(frameon=False, fontsize="x-small", loc="upper right")
        (self.l_W,) = self.ax_w.plot([], [], color=COLORS["blue"], lw=2, label="s·W(a)")
        self.l_target = self.ax_w.axhline(0.35, color=COLORS["black"], lw=1, ls="-.", label="κ − I_ext")
        (self.p_stable,) = self.ax_w.plot([], [], "o", color=COLORS["vermillion"], ms=8, label="stable bump")
        (self.p_unstable,) = self.ax_w.plot(
            [], [], "o", mfc="white", mec=COLORS["vermillion"], mew=2, ms=8, label="unstable bump"
        )
        (self.p_sim,) = self.ax_w.plot([], [], "x", color=COLORS["black"], ms=9, mew=2, label="simulated width")
        self.ax_w.set_xlim(0, self.L / 2)
        self.ax_w.legend(frameon=False, fontsize="x-small", loc="lower right")

    def input_profile(self, inputs, D):
        """Spatial profile (nA) of the localised input on the grid."""
        x = (np.arange(self.M) + 0.5) * self.L / self.M
        if inputs == "cue":
            amp, width, _ = self.CUE
            centres = [self.L / 2]
        else:
            amp, width = self.STEADY
            centres = [self.L / 2] if inputs == "one" else [self.L / 2 - D / 2, self.L / 2 + D / 2]
        return amp * sum(np.exp(-0.5 * ((x - c) / width) ** 2) for c in centres)

    def model(self, J_e, sigma_e, J_i, sigma_i, kappa, I_ext, inputs, D):
        kernel = MexicanHatCoupling(J_e, sigma_e, J_i, sigma_i)
        rate = HeavisideRate(kappa, self.RATE_MAX)
        uniform = NeuralField(kernel, rate, I_ext=I_ext, L=self.L, M=self.M)
        prof = self.input_profile(inputs, D)
        t_cue = self.CUE[2]
        if inputs == "cue":
            drive = lambda x, t: I_ext + (prof if t < t_cue else 0.0)
        else:
            drive = lambda x, t: I_ext + prof
        fld = NeuralField(kernel, rate, I_ext=drive, L=self.L, M=self.M)
        res = simulate_field(fld, self.T, dt=self.DT, h0=I_ext, record_every=2)
        h = res.h[-1]
        bumps = bump_widths(uniform)
        stable = [b.width for b in bumps if b.stable]
        s = uniform.q * self.RATE_MAX / 1000.0
        a = np.linspace(0, self.L / 2, 301)
        n_bumps = count_bumps(h, kappa)
        width = active_length(h, kappa, self.L) if n_bumps == 1 else 0.0
        show_pred = inputs == "cue" and len(stable) > 0
        return {
            "x": uniform.x,
            "t": res.t,
            "h_xt": res.h,
            "h": h,
            "kappa": kappa,
            "target": kappa - I_ext,
            "input": I_ext + prof if inputs != "cue" else np.zeros(0),
            "pred": bump_profile(uniform, stable[0]) if show_pred else np.zeros(0),
            "a": a,
            "sW": s * kernel.W(a),
            "stable_widths": np.array(stable),
            "unstable_widths": np.array([b.width for b in bumps if not b.stable]),
            "sW_stable": s * kernel.W(np.array(stable)) if stable else np.zeros(0),
            "sW_unstable": s * kernel.W(np.array([b.width for b in bumps if not b.stable])),
            "n_bumps": n_bumps,
            "width": width,
            "all_active": bool(np.all(h > kappa)),
            "stationary": bool(np.abs(res.h[-1] - res.h[-11]).max() < 1e-6),
            "inputs": inputs,
        }

    def draw(self, d):
        self.img.set_data(d["h_xt"])
        lo, hi = float(d["h_xt"].min()), float(d["h_xt"].max())
        self.img.set_clim(lo, hi if hi > lo else lo + 1e-3)
        self.l_h.set_data(d["x"], d["h"])
        self.l_pred.set_data(d["x"] if d["pred"].size else [], d["pred"])
        self.l_input.set_data(d["x"] if d["input"].size else [], d["input"])
        self.l_kappa.set_ydata([d["kappa"]] * 2)
        curves = [d["h"], d["pred"], d["input"], np.array([d["kappa"]])]
        lo = min(float(c.min()) for c in curves if c.size)
        hi = max(float(c.max()) for c in curves if c.size)
        pad = 0.08 * (hi - lo) + 0.02
        self.ax_h.set_ylim(lo - pad, hi + 6 * pad)  # headroom for the legend
        self.l_W.set_data(d["a"], d["sW"])
        self.l_target.set_ydata([d["target"]] * 2)
        self.p_stable.set_data(d["stable_widths"], d["sW_stable"])
        self.p_unstable.set_data(d["unstable_widths"], d["sW_unstable"])
        if d["n_bumps"] == 1 and d["inputs"] == "cue":
            self.p_sim.set_data([d["width"]], [d["target"]])
        else:
            self.p_sim.set_data([], [])
        lo, hi = min(float(d["sW"].min()), d["target"]), max(float(d["sW"].max()), d["target"])
        pad = 0.08 * (hi - lo) + 0.02
        self.ax_w.set_ylim(lo - pad, hi + pad)

    def summary(self, d):
        widths = sorted([(a, "unstable") for a in d["unstable_widths"]] + [(a, "stable") for a in d["stable_widths"]])
        pred = ", ".join(f"{a:.2f} mm ({kind})" for a, kind in widths) or "none"
        if d["all_active"]:
            sim = "the whole ring is active"
        elif d["n_bumps"] == 1:
            sim = f"1 bump of width <b>{d['width']:.2f} mm</b>"
        else:
            sim = f"<b>{d['n_bumps']}</b> bumps"
        still = "stationary" if d["stationary"] else "still changing"
        note = "" if d["inputs"] == "cue" else " (for a uniform input only)"
        return f"Amari widths: <b>{pred}</b>{note} · simulated: {sim}, {still} at {self.T:.0f} ms"


class FrontApp(App):
    """A travelling front on a ring of 60 mm: excitatory coupling with ∫w = J = 10, Heaviside rate.

    With q = 1 pC and f_max = 100 Hz, s·J = 1 nA, so the threshold κ (nA) is the notes'
    dimensionless k = (κ − I_ext)/(sJ) with I_ext = 0. The field is bistable for 0 < κ < 1.
    An active patch in the middle (8 mm wide for κ < ½, 40 mm for κ > ½) sends two fronts
    outwards (κ < ½: the active state invades) or lets them retreat (κ > ½).
    """

    caption = (
        "The edges of the active region move at a constant speed: the dashed lines are the prediction "
        "front_speed(field). Lower κ, faster fronts; at κ = ½ the front stops, and above it the active state "
        "retreats. Near ½ the grid (spacing 0.12 mm) pins slow fronts: a lattice effect, not a continuum one."
    )
    figsize = (10.0, 3.9)
    L = 60.0
    M = 512
    T = 120.0
    DT = 0.1
    J = 10.0
    RECORD = 4

    def make_controls(self):
        return {
            "kernel": dropdown(["exponential", "gaussian"], "exponential", "kernel w"),
            "sigma": float_slider(
                "CouplingKernel.sigma", 1.0, "kernel width σ", teach=(0.5, 2.0, 0.1), continuous=False
            ),
            "kappa": float_slider("kappa", 0.3, "threshold κ", teach=(0.1, 0.9, 0.01), continuous=False),
        }

    def build_figure(self, fig):
        self.ax_k, self.ax_l = fig.subplots(1, 2, width_ratios=[1.2, 1])
        style_axes(self.ax_k, "position x (mm)", "time t (ms)", "h(x, t); dashed: predicted fronts")
        style_axes(self.ax_l, "time t (ms)", "active length (mm)", "length of the region h > κ")
        self.img = _kymograph(fig, self.ax_k, self.L, self.T)
        _few_ticks(self.ax_k, self.ax_l)
        (self.l_left,) = self.ax_k.plot([], [], "--", color=COLORS["orange"], lw=2)
        (self.l_right,) = self.ax_k.plot([], [], "--", color=COLORS["orange"], lw=2)
        self.ax_k.set_xlim(0, self.L)
        self.ax_k.set_ylim(0, self.T)
        (self.l_len,) = self.ax_l.plot([], [], color=COLORS["blue"], lw=2, label="simulated")
        (self.l_pred,) = self.ax_l.plot([], [], "--", color=COLORS["orange"], lw=2, label="predicted slope 2c")
        self.ax_l.set_xlim(0, self.T)
        self.ax_l.set_ylim(0, self.L * 1.05)
        self.ax_l.legend(frameon=False, fontsize="x-small", loc="upper left")

    def model(self, kernel, sigma, kappa):
        w = COUPLINGS[kernel](self.J, sigma)
        fld = NeuralField(w, HeavisideRate(kappa, 100.0), L=self.L, M=self.M)
        c = front_speed(fld)
        w0 = 8.0 if kappa < 0.5 else 40.0
        h0 = np.where(np.abs(fld.x - self.L / 2) < w0 / 2, 1.0, 0.0)
        res = simulate_field(fld, self.T, dt=self.DT, h0=h0, record_every=self.RECORD)
        length = np.array([active_length(h, kappa, self.L) for h in res.h])
        # fit while both fronts exist and have formed: after 2τ, before they meet or vanish
        t = res.t
        t_a = 2 * fld.tau
        fit = (t >= t_a) & (length > 1.0) & (length < self.L - 1.0)
        c_sim = float(np.polyfit(t[fit], length[fit], 1)[0] / 2) if fit.sum() >= 5 else 0.0
        # the prediction, started from the simulated edges at t_a (a front takes about τ to form)
        after = t >= t_a
        half = np.clip(length[after][0] / 2 + c * (t[after] - t_a), 0, self.L / 2)
        return {
            "h_xt": res.h,
            "t": t,
            "t_pred": t[after],
            "left": self.L / 2 - half,
            "right": self.L / 2 + half,
            "length": length,
            "pred_length": 2 * half,
            "c": c,
            "c_sim": c_sim,
            "fitted": bool(fit.sum() >= 5),
        }

    def draw(self, d):
        self.img.set_data(d["h_xt"])
        lo, hi = float(d["h_xt"].min()), float(d["h_xt"].max())
        self.img.set_clim(lo, hi if hi > lo else lo + 1e-3)
        self.l_left.set_data(d["left"], d["t_pred"])
        self.l_right.set_data(d["right"], d["t_pred"])
        self.l_len.set_data(d["t"], d["length"])
        self.l_pred.set_data(d["t_pred"], d["pred_length"])

    def summary(self, d):
        sim = f"<b>{d['c_sim']:.3f} mm/ms</b>" if d["fitted"] else "n/a (the fronts met or vanished too soon)"
        rel = f" ({100 * (d['c_sim'] - d['c']) / abs(d['c']):+.1f} %)" if d["fitted"] and d["c"] != 0 else ""
        return f"predicted speed c = <b>{d['c']:.3f} mm/ms</b> (= m/s) · measured {sim}{rel}"
