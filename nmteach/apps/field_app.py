"""Lesson 06: continuum fields — the notes' segment sum, Amari bumps, topographic inputs, fronts."""

from __future__ import annotations

import numpy as np
from matplotlib.ticker import LogLocator, MaxNLocator, NullLocator

from ..experiments.field import BUMP, DISCRETISATION, FRONT, bump_run, discretisation, front_run
from ..plotting import COLORS, legend_above, style_axes
from ._base import App, Preset, dropdown, float_slider, selection_slider

__all__ = ["BumpApp", "DiscretisationApp", "FrontApp"]


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


def _show_field(img, h_xt):
    img.set_data(h_xt)
    lo, hi = float(h_xt.min()), float(h_xt.max())
    img.set_clim(lo, hi if hi > lo else lo + 1e-3)


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
        "accuracy) until rounding errors take over (for σ above about 1.1 mm a d² tail below 1e-10 appears first: the "
        "kernel is cut at half the ring, where its value is that small); the kink of the exponential kernel at "
        "distance 0 brings back d²."
    )
    figsize = (7.6, 3.4)
    presets = {  # noqa: RUF012
        "line: d² convergence": Preset("Gaussian kernel on a line: the error falls fourfold per halving of d", {}),
        "ring: spectral accuracy": Preset(
            "the same kernel on a ring: the error falls faster than any power of d", {"geometry": "ring"}
        ),
        "ring with a kink: d² again": Preset(
            "the exponential kernel on a ring: its kink at distance 0 brings back d²",
            {"geometry": "ring", "kernel": "exponential"},
        ),
    }

    def make_controls(self):
        return {
            "M": selection_slider(DISCRETISATION["segments"], 16, "segments M = L/d"),
            "sigma": float_slider(
                "CouplingKernel.sigma", 0.5, "kernel width σ", teach=(0.2, 1.2, 0.05), continuous=True
            ),
            "kernel": dropdown(["gaussian", "exponential"], "gaussian", "kernel w"),
            "geometry": dropdown(
                [("line (no neurons beyond the ends)", "line"), ("ring (periodic)", "ring")], "line", "axis"
            ),
        }

    def build_figure(self, fig):
        L, floor = DISCRETISATION["L"], DISCRETISATION["floor"]
        self.ax_i, self.ax_e = fig.subplots(1, 2, width_ratios=[1.3, 1])
        style_axes(self.ax_i, "position x (mm)", "input I (nA)")
        style_axes(self.ax_e, "segment length d (mm)", "largest relative error")
        (self.l_int,) = self.ax_i.plot([], [], color=COLORS["blue"], lw=2, label="integral")
        (self.l_steps,) = self.ax_i.plot([], [], drawstyle="steps-mid", color=COLORS["orange"], lw=1, alpha=0.7)
        (self.l_sum,) = self.ax_i.plot([], [], "o", color=COLORS["vermillion"], ms=4, label="segment sum")
        self.ax_i.set_xlim(0, L)
        legend_above(self.ax_i, 2, handles=[self.l_int, self.l_sum])
        (self.l_err,) = self.ax_e.plot([], [], "o-", color=COLORS["blue"], ms=4, label="segment sum")
        (self.l_d2,) = self.ax_e.plot([], [], ":", color=COLORS["black"], label="∝ d²")
        (self.l_now,) = self.ax_e.plot(
            [], [], "o", mfc="none", mec=COLORS["vermillion"], mew=2, ms=11, label="current d"
        )
        self.ax_e.set_xscale("log")
        self.ax_e.set_yscale("log")
        self.ax_e.yaxis.set_major_locator(LogLocator(base=10, numticks=6))
        for axis in (self.ax_e.xaxis, self.ax_e.yaxis):
            axis.set_minor_locator(NullLocator())
        _few_ticks(self.ax_i)
        ds = L / np.array(DISCRETISATION["segments"])
        self.ax_e.set_xlim(ds.min() / 1.5, ds.max() * 1.5)
        self.ax_e.set_ylim(floor / 3, 3.0)
        legend_above(self.ax_e, 3)

    def model(self, M, sigma, kernel, geometry):
        return discretisation(M, sigma, kernel, geometry)

    def draw(self, d):
        self.l_int.set_data(d.x, d.I_int)
        self.l_sum.set_data(d.y, d.I_sum)
        self.l_steps.set_data(d.y, d.I_sum)
        self.ax_i.set_ylim(0, 1.15 * max(float(d.I_int.max()), float(d.I_sum.max())))
        self.l_err.set_data(d.d, d.errors)
        self.l_d2.set_data(d.d, d.d2)
        self.l_now.set_data([d.d_now], [d.error_now])

    def summary(self, d):
        order = "faster than any power (spectral)" if d.spectral else f"≈ d^{d.order:.2f}"
        if d.kink_tail:
            order += f", then ≈ d² near {d.errors[-1]:.0e} (the kernel's cut at half the ring)"
        return (
            f"d = {d.d_now:.3g} mm · N_m = ρd = <b>{d.N_m:.0f}</b> neurons per segment · largest relative "
            f"error <b>{d.error_now:.1e}</b> · convergence {order}"
        )


class BumpApp(App):
    """An Amari field on a ring of 30 mm: Mexican-hat coupling, Heaviside rate (100 Hz above κ), τ = 10 ms.

    Top left: the kymograph h(x, t). Top right: the final h(x) with the threshold κ (and, for a
    brief cue, the stationary profile of the predicted stable bump, dashed). Bottom: Amari's
    condition s W(a) = κ − I_ext (s = q f_max = 0.1 nA): every crossing is a bump width,
    stable (filled) where w(a) < 0. The input is a brief cue at the centre, or one or two
    steady localised inputs (0.4 nA, width 0.5 mm) as in a topographic map.
    """

    caption = (
        "A brief cue leaves a bump behind only if a stable width exists (a filled dot in the bottom panel) and the "
        "cue lifts more than the unstable width above threshold; at the defaults the bump's width settles at the "
        "prediction within a grid step or two. Two steady inputs closer than about "
        "3 mm merge into one bump; farther apart they give two."
    )
    figsize = (7.6, 5.6)
    presets = {  # noqa: RUF012
        "a stable bump": Preset("the defaults: the cue leaves a bump of the stable Amari width", {}),
        "no bump": Preset("κ = 0.5 nA, above the largest s·W(a): no width exists and the cue dies out", {"kappa": 0.5}),
        "two inputs that merge": Preset("two steady inputs 2 mm apart: one bump", {"inputs": "two", "D": 2.0}),
        "two bumps": Preset("two steady inputs 6 mm apart: two bumps", {"inputs": "two", "D": 6.0}),
    }

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

    def inactive(self, values):
        if values["inputs"] != "two":
            return {"D": "the distance applies with two steady inputs"}
        return {}

    def build_figure(self, fig):
        L, T = BUMP["L"], BUMP["T"]
        grid = fig.add_gridspec(2, 2, height_ratios=[1.1, 1])
        self.ax_k = fig.add_subplot(grid[0, 0])
        self.ax_h = fig.add_subplot(grid[0, 1])
        self.ax_w = fig.add_subplot(grid[1, :])
        style_axes(self.ax_k, "position x (mm)", "time t (ms)")
        style_axes(self.ax_h, "position x (mm)", f"h(x) at {T:.0f} ms (nA)")
        style_axes(self.ax_w, "bump width a (mm)", "s·W(a) (nA)")
        self.img = _kymograph(fig, self.ax_k, L, T)
        _few_ticks(self.ax_k, self.ax_h, self.ax_w)
        (self.l_h,) = self.ax_h.plot([], [], color=COLORS["blue"], lw=2, label="simulated")
        (self.l_pred,) = self.ax_h.plot([], [], "--", color=COLORS["orange"], lw=2, label="predicted bump")
        (self.l_input,) = self.ax_h.plot([], [], ":", color=COLORS["green"], lw=1.5, label="steady input")
        self.l_kappa = self.ax_h.axhline(0.35, color=COLORS["black"], lw=1, ls="-.", label="κ")
        self.ax_h.set_xlim(0, L)
        legend_above(self.ax_h, 2)
        (self.l_W,) = self.ax_w.plot([], [], color=COLORS["blue"], lw=2, label="s·W(a)")
        self.l_target = self.ax_w.axhline(0.35, color=COLORS["black"], lw=1, ls="-.", label="κ − I_ext")
        (self.p_stable,) = self.ax_w.plot([], [], "o", color=COLORS["vermillion"], ms=8, label="stable width")
        (self.p_unstable,) = self.ax_w.plot(
            [], [], "o", mfc="white", mec=COLORS["vermillion"], mew=2, ms=8, label="unstable width"
        )
        (self.p_sim,) = self.ax_w.plot([], [], "x", color=COLORS["black"], ms=9, mew=2, label="simulated width")
        self.ax_w.set_xlim(0, L / 2)
        legend_above(self.ax_w, 5)

    def model(self, J_e, sigma_e, J_i, sigma_i, kappa, I_ext, inputs, D):
        return bump_run(J_e, sigma_e, J_i, sigma_i, kappa, I_ext, inputs, D)

    def draw(self, d):
        _show_field(self.img, d.h_xt)
        self.l_h.set_data(d.x, d.h)
        self.l_pred.set_data(d.x if d.pred.size else [], d.pred)
        self.l_input.set_data(d.x if d.input.size else [], d.input)
        self.l_kappa.set_ydata([d.kappa] * 2)
        curves = [d.h, d.pred, d.input, np.array([d.kappa])]
        lo = min(float(c.min()) for c in curves if c.size)
        hi = max(float(c.max()) for c in curves if c.size)
        pad = 0.08 * (hi - lo) + 0.02
        self.ax_h.set_ylim(lo - pad, hi + pad)
        self.l_W.set_data(d.a, d.sW)
        self.l_target.set_ydata([d.target] * 2)
        self.p_stable.set_data(d.stable_widths, d.sW_stable)
        self.p_unstable.set_data(d.unstable_widths, d.sW_unstable)
        shown = d.n_bumps == 1 and d.inputs == "cue"
        self.p_sim.set_data([d.width] if shown else [], [d.target] if shown else [])
        lo, hi = min(float(d.sW.min()), d.target), max(float(d.sW.max()), d.target)
        pad = 0.08 * (hi - lo) + 0.02
        self.ax_w.set_ylim(lo - pad, hi + pad)

    def summary(self, d):
        widths = sorted([(a, "unstable") for a in d.unstable_widths] + [(a, "stable") for a in d.stable_widths])
        pred = ", ".join(f"{a:.2f} mm ({kind})" for a, kind in widths) or "none"
        if d.all_active:
            sim = "the whole ring is active"
        elif d.n_bumps == 1:
            sim = f"1 bump of width <b>{d.width:.2f} mm</b>"
        else:
            sim = f"<b>{d.n_bumps}</b> bumps"
        still = "stationary" if d.stationary else "still changing"
        note = "" if d.inputs == "cue" else " (for a uniform input only)"
        return f"Amari widths: <b>{pred}</b>{note} · simulated: {sim}, {still} at {BUMP['T']:.0f} ms"


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
    figsize = (7.6, 3.4)
    presets = {  # noqa: RUF012
        "invading front": Preset("κ = 0.3: the active state spreads at the predicted speed", {"kappa": 0.3}),
        "retreating front": Preset("κ = 0.7: the active region shrinks at the predicted speed", {"kappa": 0.7}),
        "pinned front": Preset("κ = 0.49: the predicted speed is small and the grid stops the front", {"kappa": 0.49}),
    }

    def make_controls(self):
        return {
            "kernel": dropdown(["exponential", "gaussian"], "exponential", "kernel w"),
            "sigma": float_slider(
                "CouplingKernel.sigma", 1.0, "kernel width σ", teach=(0.5, 2.0, 0.1), continuous=False
            ),
            "kappa": float_slider("kappa", 0.3, "threshold κ", teach=(0.1, 0.9, 0.01), continuous=False),
        }

    def build_figure(self, fig):
        L, T = FRONT["L"], FRONT["T"]
        self.ax_k, self.ax_l = fig.subplots(1, 2, width_ratios=[1.2, 1])
        style_axes(self.ax_k, "position x (mm)", "time t (ms)")
        style_axes(self.ax_l, "time t (ms)", "length where h > κ (mm)")
        self.img = _kymograph(fig, self.ax_k, L, T)
        _few_ticks(self.ax_k, self.ax_l)
        (self.l_left,) = self.ax_k.plot([], [], "--", color=COLORS["orange"], lw=2, label="predicted fronts")
        (self.l_right,) = self.ax_k.plot([], [], "--", color=COLORS["orange"], lw=2)
        self.ax_k.set_xlim(0, L)
        self.ax_k.set_ylim(0, T)
        legend_above(self.ax_k, 1)
        (self.l_len,) = self.ax_l.plot([], [], color=COLORS["blue"], lw=2, label="simulated")
        (self.l_pred,) = self.ax_l.plot([], [], "--", color=COLORS["orange"], lw=2, label="predicted, slope 2c")
        self.ax_l.set_xlim(0, T)
        self.ax_l.set_ylim(0, L * 1.05)
        legend_above(self.ax_l, 2)

    def model(self, kernel, sigma, kappa):
        return front_run(kernel, sigma, kappa)

    def draw(self, d):
        _show_field(self.img, d.h_xt)
        self.l_left.set_data(d.left, d.t_pred)
        self.l_right.set_data(d.right, d.t_pred)
        self.l_len.set_data(d.t, d.length)
        self.l_pred.set_data(d.t_pred, d.pred_length)

    def summary(self, d):
        sim = f"<b>{d.c_sim:.3f} mm/ms</b>" if d.fitted else "n/a (the fronts met or vanished too soon)"
        rel = f" ({100 * (d.c_sim - d.c) / abs(d.c):+.1f} %)" if d.fitted and d.c != 0 else ""
        return f"predicted speed c = <b>{d.c:.3f} mm/ms</b> (= m/s) · measured {sim}{rel}"
