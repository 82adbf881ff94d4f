"""Lesson 05: distance-dependent coupling on a cortical sheet."""

from __future__ import annotations

import numpy as np

from ..experiments.space import EDGES, sheet_wiring, spread_map, spread_run
from ..plotting import COLORS, legend_above, style_axes
from ._base import App, Preset, dropdown, float_slider, selection_slider

__all__ = ["SheetApp", "SpreadApp"]


class SheetApp(App):
    """Neurons on a unit torus connected with probability P(d).

    Left: the sheet, the partners (inputs) of the neuron in the centre highlighted.
    Middle: the fraction of pairs that are connected, per distance bin, against P averaged over the
    bin's pairs. Right: in-degrees against the normal approximation of a sum of Bernoulli variables.
    """

    caption = (
        "The dots in the middle panel scatter around the expected fraction (P averaged over the pairs of each bin, "
        "orange) by about their binomial error bars: the wiring follows the rule. Widen the rule and watch the "
        "partners spread out and the in-degree grow."
    )
    figsize = (7.6, 3.0)
    presets = {  # noqa: RUF012
        "narrow Gaussian": Preset("σ = 0.04 mm: a handful of close partners", {"width": 0.04}),
        "wide Gaussian": Preset("σ = 0.3 mm: partners all over the sheet, the torus cuts the rule off", {"width": 0.3}),
        "box rule": Preset("P = 0.5 within 0.1 mm, 0 beyond: a sharp edge in P(d)", {"shape": "box", "width": 0.1}),
    }

    def make_controls(self):
        return {
            "shape": dropdown(["gaussian", "exponential", "box"], "gaussian", "rule P(d)"),
            "p0": float_slider("p0", 0.5, "P(0) = p₀", teach=(0.05, 1.0, 0.05), continuous=False),
            "width": float_slider("distance", 0.08, "width σ, λ or radius", teach=(0.02, 0.3, 0.01), continuous=False),
            "n_side": selection_slider((20, 30, 40, 50), 30, "neurons per side"),
        }

    def build_figure(self, fig):
        self.ax_s, self.ax_p, self.ax_k = fig.subplots(1, 3, width_ratios=[1, 1.2, 1])
        style_axes(self.ax_s, "x (mm)", "y (mm)")
        style_axes(self.ax_p, "distance d (mm)", "connected fraction")
        style_axes(self.ax_k, "in-degree", "fraction of neurons")
        self.ax_s.set_aspect("equal")
        self.ax_s.set_xlim(0, 1)
        self.ax_s.set_ylim(0, 1)
        (self.l_all,) = self.ax_s.plot([], [], ".", color="#BBBBBB", ms=2)
        (self.l_partners,) = self.ax_s.plot([], [], "o", color=COLORS["blue"], ms=3, label="inputs")
        (self.l_centre,) = self.ax_s.plot([], [], "*", color=COLORS["vermillion"], ms=12, label="centre")
        legend_above(self.ax_s, 2)
        self.err = None
        (self.l_rule,) = self.ax_p.plot([], [], color=COLORS["black"], lw=1, ls=":", label="P(d)")
        (self.l_exp,) = self.ax_p.plot([], [], drawstyle="steps-mid", color=COLORS["orange"], lw=2, label="expected")
        (self.l_real,) = self.ax_p.plot([], [], "o", color=COLORS["blue"], ms=4, label="realised")
        legend_above(self.ax_p, 3)
        self.ax_p.set_xlim(0, EDGES[-1])
        self.ax_p.set_ylim(0, 1.05)
        (self.l_k,) = self.ax_k.plot([], [], drawstyle="steps-mid", color=COLORS["blue"], lw=1.5, label="network")
        (self.l_norm,) = self.ax_k.plot([], [], "o", color=COLORS["orange"], ms=3, label="theory")
        legend_above(self.ax_k, 2)

    def model(self, shape, p0, width, n_side):
        return sheet_wiring(shape, p0, width, n_side)

    def draw(self, d):
        self.l_all.set_data(d.xy[:, 0], d.xy[:, 1])
        self.l_partners.set_data(d.partners[:, 0], d.partners[:, 1])
        self.l_centre.set_data([d.centre[0]], [d.centre[1]])
        self.l_rule.set_data(d.d, d.P)
        self.l_exp.set_data(d.centres, d.expected)
        self.l_real.set_data(d.centres, d.frac)
        if self.err is not None:
            self.err.remove()
        self.err = self.ax_p.vlines(d.centres, d.frac - 2 * d.err, d.frac + 2 * d.err, color=COLORS["blue"], lw=1)
        self.l_k.set_data(d.ks, d.hist)
        self.l_norm.set_data(d.ks, d.normal)
        self.ax_k.set_xlim(d.ks[0] - 0.5, d.ks[-1] + 0.5)
        self.ax_k.set_ylim(0, max(float(d.hist.max()), float(d.normal.max())) * 1.15)

    def summary(self, d):
        return (
            f"mean in-degree <b>{d.k_mean:.1f}</b> · (N − 1) × sheet average of P(d) = <b>{d.k_theory:.1f}</b> · "
            f"largest deviation from the expected fraction {np.abs(d.z).max():.1f} standard errors · error bars ±2"
        )


class SpreadApp(App):
    """A local stimulus on a sheet of 70 × 70 LIF neurons with Gaussian local excitation.

    Neurons within 0.08 mm of the centre get an extra 0.3 nA from 20 to 40 ms. With
    enough local excitation the activity spreads outwards as a front; the time slider
    scrubs through the simulation without re-running it.
    """

    caption = (
        "Raise the coupling: past a critical value (about J₀ = 1.9 with the default input and noise) the stimulated "
        "patch ignites its neighbours and a front of activity travels across the sheet; in the raster (ordered by "
        "distance) the front is a slanted edge, steeper for stronger coupling. From about J₀ = 3.9 the background "
        "noise alone ignites the sheet within 200 ms, without the stimulus (up to 3.5 it never does)."
    )
    figsize = (7.6, 3.4)
    N_SIDE = 70
    T = 200.0
    WINDOW = 10.0
    presets = {  # noqa: RUF012
        "activity dies out": Preset("J₀ = 1: the stimulated patch fires, then the sheet falls silent", {"J0": 1.0}),
        "a front spreads": Preset("J₀ = 2.5: a front leaves the patch and crosses the sheet", {"J0": 2.5}),
        "a faster front": Preset("J₀ = 3.25: a steeper edge in the raster, the front is faster", {"J0": 3.25}),
    }

    def make_controls(self):
        return {
            "J0": float_slider("J0", 2.5, "total local coupling J₀", teach=(0.0, 4.0, 0.25), continuous=False),
            "I_ext": float_slider("I", 0.1, "background input", teach=(0.0, 0.15, 0.005), continuous=False),
            "sigma": float_slider("sigma", 0.02, "noise σ", teach=(0.0, 0.05, 0.005), continuous=False),
            "time": float_slider("time", 60.0, "map at time t", teach=(0.0, 190.0, 10.0)),
        }

    def build_figure(self, fig):
        self.ax_m, self.ax_r = fig.subplots(1, 2, width_ratios=[1, 1.4])
        style_axes(self.ax_m, "x (mm)", "y (mm)")
        style_axes(self.ax_r, "time t (ms)", "distance from the centre (mm)")
        self.img = self.ax_m.imshow(
            np.zeros((self.N_SIDE, self.N_SIDE)), origin="lower", extent=(0, 1, 0, 1), cmap="viridis", vmin=0, vmax=1
        )
        fig.colorbar(self.img, ax=self.ax_m, label="spikes in [t, t + 10 ms)")
        (self.l_r,) = self.ax_r.plot([], [], ".", color=COLORS["black"], ms=1, label="spikes (1 neuron in 7)")
        self.l_t = self.ax_r.axvspan(0, self.WINDOW, color=COLORS["orange"], alpha=0.3, label="map window")
        legend_above(self.ax_r, 2, markerscale=6)
        self.ax_r.set_xlim(0, self.T)
        self.ax_r.set_ylim(0, 0.72)
        self._cache = (None, None)

    def model(self, J0, I_ext, sigma, time):
        key = (J0, I_ext, sigma)
        if self._cache[0] != key:  # the time slider scrubs through one simulation
            self._cache = (key, spread_run(J0, I_ext, sigma, n_side=self.N_SIDE, T=self.T))
        return spread_map(self._cache[1], time, self.WINDOW)

    def draw(self, d):
        self.img.set_data(d.map)
        self.img.set_clim(0, max(1.0, float(d.map.max())))
        self.l_r.set_data(d.raster_t, d.raster_d)
        self.l_t.set_x(d.time)  # axvspan is a Rectangle in matplotlib ≥ 3.9
        self.l_t.set_width(d.window)

    def summary(self, d):
        return (
            f"mean rate over the sheet <b>{d.rate:.1f} Hz</b> · active in the last 50 ms "
            f"<b>{100 * d.active_late:.0f} %</b> · map window {d.time:.0f}–{d.time + d.window:.0f} ms"
        )
