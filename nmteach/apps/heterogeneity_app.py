"""Lesson 02: heterogeneous populations — the typical neuron, its correction, and splitting."""

from __future__ import annotations

import numpy as np

from ..experiments.heterogeneity import BINS, SPREADS, heterogeneous_rates, split_run
from ..plotting import COLORS, legend_above, style_axes
from ._base import App, Preset, dropdown, float_slider

__all__ = ["HeterogeneityApp", "SplitApp"]


class HeterogeneityApp(App):
    """Rates of N = 2000 neurons whose parameter p varies, under a common input I.

    Left: f–I curves — the typical neuron r(I; p̄) (black), the population mean
    ⟨r_i(I)⟩ = (1/N) Σ r_i(I) (blue) and the second-order estimate
    r(I; p̄) + ½ r''(I; p̄) Var p (orange, dashed). Right: the distribution of the
    single-neuron rates r_i at the chosen input.
    """

    caption = (
        "Far above threshold the three curves nearly coincide: the typical neuron describes the population. "
        "Near the rheobase they part: the population mean rises smoothly where the typical neuron has a sharp corner."
    )
    figsize = (7.6, 3.5)
    presets = {  # noqa: RUF012
        "linearisation holds": Preset(
            "θ spread ±1.2 mV at 0.3 nA, far above the rheobase: the second-order estimate hits the mean", {"I": 0.3}
        ),
        "linearisation fails": Preset(
            "the same spread at 0.15 nA, the typical rheobase: half the neurons are silent and the estimate is far off",
            {"I": 0.15},
        ),
        "two kinds of neuron": Preset(
            "thresholds of −53 and −47 mV at 0.17 nA: two groups of rates, not one",
            {"shape": "two values", "spread": 1.0},
        ),
    }

    def make_controls(self):
        return {
            "parameter": dropdown([(v[0], k) for k, v in SPREADS.items()], "theta", "varying parameter"),
            "shape": dropdown(["normal", "uniform", "two values"], "normal", "distribution"),
            "spread": float_slider("fraction", 0.4, "spread (fraction of max)", teach=(0.0, 1.0, 0.05)),
            "I": float_slider("I", 0.17, "input I", teach=(0.0, 0.4, 0.005)),
        }

    def build_figure(self, fig):
        self.ax_f, self.ax_h = fig.subplots(1, 2, width_ratios=[1.3, 1])
        style_axes(self.ax_f, "input current I (nA)", "rate (Hz)")
        style_axes(self.ax_h, "single-neuron rate r_i (Hz)", "neurons at the chosen I")
        (self.l_typ,) = self.ax_f.plot([], [], color=COLORS["black"], lw=1.5, label="typical neuron")
        (self.l_mean,) = self.ax_f.plot([], [], color=COLORS["blue"], lw=2.5, label="population mean ⟨r_i⟩")
        (self.l_2nd,) = self.ax_f.plot([], [], "--", color=COLORS["orange"], lw=2, label="second-order estimate")
        self.l_I = self.ax_f.axvline(0.17, color=COLORS["green"], ls=":", lw=1.5, label="chosen I")
        self.ax_f.set_xlim(0.0, 0.4)
        legend_above(self.ax_f, 2)
        self.bars = self.ax_h.bar(
            BINS[:-1], np.zeros(len(BINS) - 1), width=np.diff(BINS), align="edge", color=COLORS["sky"]
        )
        self.ax_h.set_xlim(BINS[0], BINS[-1])

    def model(self, parameter, shape, spread, I):
        return heterogeneous_rates(parameter, shape, spread, I)

    def draw(self, d):
        self.l_typ.set_data(d.I_grid, d.typical)
        self.l_mean.set_data(d.I_grid, d.mean)
        self.l_2nd.set_data(d.I_grid, np.clip(d.second, -50, 400))
        self.l_I.set_xdata([d.I, d.I])
        self.ax_f.set_ylim(0, max(float(d.mean.max()), float(d.typical.max()), 1.0) * 1.1)
        for bar, h in zip(self.bars, d.hist, strict=True):
            bar.set_height(h)
        self.ax_h.set_ylim(0, max(int(d.hist.max()), 1) * 1.1)

    def summary(self, d):
        return (
            f"at I = {d.I:.3f} nA: population mean <b>{d.mean_now:.1f} Hz</b> · typical neuron "
            f"<b>{d.typical_now:.1f} Hz</b> · second order <b>{d.second_now:.1f} Hz</b> · active neurons "
            f"<b>{100 * d.active:.0f} %</b>"
        )


class SplitApp(App):
    """A population whose thresholds take two values, simulated and compared with two predictions.

    Typical neuron: one mean field with θ at the average. Split: two homogeneous
    populations with their own gain, sharing one input, A = ½ g₁(I₀) + ½ g₂(I₀).
    """

    caption = (
        "The dashed lines (split into two homogeneous parts) follow each half of the population; the dotted grey line "
        "(one typical neuron) misses the total as soon as the two thresholds are far apart."
    )
    figsize = (7.6, 5.0)
    presets = {  # noqa: RUF012
        "thresholds close: one typical neuron is enough": Preset(
            "−51 and −49 mV: the split and the typical-neuron predictions agree with the simulation",
            {"theta_low": -51.0, "theta_high": -49.0},
        ),
        "thresholds far apart: split the population": Preset(
            "−56 and −44 mV: only the split prediction follows the simulation",
            {"theta_low": -56.0, "theta_high": -44.0},
        ),
        "recruitment by excitation": Preset(
            "−58 and −42 mV with J₀ = 2: the low-threshold half drives the high-threshold half to fire",
            {"theta_low": -58.0, "theta_high": -42.0, "J0": 2.0},
        ),
    }

    def make_controls(self):
        return {
            "theta_low": float_slider("theta", -53.0, "θ of part 1", teach=(-60, -50, 0.5), continuous=False),
            "theta_high": float_slider("theta", -47.0, "θ of part 2", teach=(-50, -40, 0.5), continuous=False),
            "J0": float_slider("J0", 1.0, "coupling J₀", teach=(-10, 4, 0.25), continuous=False),
            "I_ext": float_slider("I", 0.12, "input I_ext", teach=(0, 0.3, 0.005), continuous=False),
            "sigma": float_slider("sigma", 0.02, "noise σ", teach=(0.005, 0.1, 0.005), continuous=False),
        }

    def build_figure(self, fig):
        self.ax_r, self.ax_a = fig.subplots(2, 1, sharex=True, height_ratios=[1, 1.3])
        style_axes(self.ax_r, "", "neuron")
        style_axes(self.ax_a, "time t (ms)", "A(t), 5 ms bins (Hz)")
        (self.l_r1,) = self.ax_r.plot([], [], "|", color=COLORS["blue"], ms=2.5, mew=0.7, label="part 1 (low θ)")
        (self.l_r2,) = self.ax_r.plot([], [], "|", color=COLORS["vermillion"], ms=2.5, mew=0.7, label="part 2 (high θ)")
        self.ax_r.set_ylim(-0.5, 199.5)
        legend_above(self.ax_r, 2, markerscale=3)
        (self.l_a1,) = self.ax_a.plot([], [], color=COLORS["blue"], lw=1.2, label="part 1")
        (self.l_a2,) = self.ax_a.plot([], [], color=COLORS["vermillion"], lw=1.2, label="part 2")
        (self.l_at,) = self.ax_a.plot([], [], color=COLORS["black"], lw=1.5, label="whole")
        self.h1 = self.ax_a.axhline(0, color=COLORS["blue"], ls="--", lw=1.5)
        self.h2 = self.ax_a.axhline(0, color=COLORS["vermillion"], ls="--", lw=1.5)
        self.ht = self.ax_a.axhline(0, color=COLORS["black"], ls="--", lw=1.5, label="split prediction")
        self.hy = self.ax_a.axhline(0, color="#888888", ls=":", lw=2, label="typical neuron")
        legend_above(self.ax_a, 5)
        self.ax_a.set_xlim(0, 400.0)

    def model(self, theta_low, theta_high, J0, I_ext, sigma):
        return split_run(theta_low, theta_high, J0, I_ext, sigma)

    def draw(self, d):
        self.l_r1.set_data(*d.r1)
        self.l_r2.set_data(*d.r2)
        for line, values in ((self.l_a1, d.A1), (self.l_a2, d.A2), (self.l_at, d.At)):
            line.set_data(d.tc, values)
        for line, value in ((self.h1, d.pred1), (self.h2, d.pred2), (self.ht, d.pred_split), (self.hy, d.pred_typical)):
            line.set_ydata([value] * 2)
        top = max(float(np.max(d.A1)), float(np.max(d.A2)), d.pred1, d.pred2, d.pred_typical, 1.0)
        self.ax_a.set_ylim(0, 1.1 * top)

    def summary(self, d):
        return (
            f"simulated mean A (second half) <b>{d.sim:.1f} Hz</b> · split prediction "
            f"<b>{d.pred_split:.1f} Hz</b> · typical-neuron prediction <b>{d.pred_typical:.1f} Hz</b>"
        )
