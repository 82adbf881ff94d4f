"""Lesson 05: distance-dependent coupling on a cortical sheet."""

from __future__ import annotations

import numpy as np

from ..engine import simulate_network
from ..models import spread_network
from ..plotting import COLORS, style_axes
from ..wiring.space import (
    BoxProbability,
    ExponentialProbability,
    GaussianProbability,
    Sheet,
    distance_connectivity,
    pair_distances,
    realised_probability,
)
from ._base import App, dropdown, float_slider, selection_slider

__all__ = ["SheetApp", "SpreadApp"]

RULES = {"gaussian": GaussianProbability, "exponential": ExponentialProbability, "box": BoxProbability}


def make_rule(shape: str, p0: float, width: float):
    return RULES[shape](p0, width)


class SheetApp(App):
    """Neurons on a unit torus connected with probability P(d).

    Left: the sheet, the partners (inputs) of the neuron in the centre highlighted.
    Middle: the fraction of pairs that are connected, per distance bin, against P(d).
    Right: in-degrees against a Poisson distribution with the same mean.
    """

    caption = (
        "The dots in the middle panel scatter around the curve P(d) by about the binomial error bars: the wiring "
        "follows the rule. Widen the rule and watch the partners spread out and the in-degree grow."
    )
    figsize = (10.5, 3.6)

    def make_controls(self):
        return {
            "shape": dropdown(["gaussian", "exponential", "box"], "gaussian", "rule P(d)"),
            "p0": float_slider("p0", 0.5, "P(0) = p₀", teach=(0.05, 1.0, 0.05), continuous=False),
            "width": float_slider("distance", 0.08, "width σ, λ or radius", teach=(0.02, 0.3, 0.01), continuous=False),
            "n_side": selection_slider((20, 30, 40, 50), 30, "neurons per side"),
        }

    def build_figure(self, fig):
        self.ax_s, self.ax_p, self.ax_k = fig.subplots(1, 3, width_ratios=[1, 1.2, 1])
        style_axes(self.ax_s, "x (mm)", "y (mm)", "inputs of the centre neuron")
        style_axes(self.ax_p, "distance d (mm)", "connection probability", "realised vs rule")
        style_axes(self.ax_k, "in-degree", "fraction of neurons", "in-degrees")
        self.ax_s.set_aspect("equal")
        self.ax_s.set_xlim(0, 1)
        self.ax_s.set_ylim(0, 1)
        (self.l_all,) = self.ax_s.plot([], [], ".", color="#BBBBBB", ms=2)
        (self.l_partners,) = self.ax_s.plot([], [], "o", color=COLORS["blue"], ms=3)
        (self.l_centre,) = self.ax_s.plot([], [], "*", color=COLORS["vermillion"], ms=12)
        self.err = None
        (self.l_rule,) = self.ax_p.plot([], [], color=COLORS["orange"], lw=2, label="P(d)")
        (self.l_real,) = self.ax_p.plot([], [], "o", color=COLORS["blue"], ms=4, label="realised")
        self.ax_p.legend(fontsize="small", framealpha=0.85, edgecolor="none")
        (self.l_k,) = self.ax_k.plot([], [], drawstyle="steps-mid", color=COLORS["blue"], lw=1.5, label="network")
        (self.l_pois,) = self.ax_k.plot(
            [], [], "o", color=COLORS["orange"], ms=3, label="sum of Bernoulli(P(d)), normal approx."
        )
        self.ax_k.legend(fontsize="small", framealpha=0.85, edgecolor="none")

    def model(self, shape, p0, width, n_side):
        sheet = Sheet.grid(n_side, L=1.0)
        rule = make_rule(shape, p0, width)
        conn = distance_connectivity(sheet, rule, rng=1)
        centre = (n_side // 2) * n_side + n_side // 2
        partners = conn.sources()[conn.targets == centre]
        edges = np.linspace(0, 0.7, 29)
        centres, frac, n_pairs, _ = realised_probability(sheet, conn, edges)
        err = np.sqrt(np.maximum(frac * (1 - frac), 1e-12) / np.maximum(n_pairs, 1))
        k = conn.in_degree()
        ks = np.arange(max(int(k.min()) - 3, 0), int(k.max()) + 4)
        hist = np.bincount(k, minlength=ks[-1] + 1)[ks] / sheet.N
        P_pairs = rule(pair_distances(sheet))
        mean_d = float(np.mean(P_pairs))
        # a neuron's in-degree is a sum of N − 1 independent Bernoulli(P(d_ij)) variables
        k_var = (sheet.N - 1) * float(np.mean(P_pairs * (1 - P_pairs)))
        k_mu = (sheet.N - 1) * mean_d
        return {
            "xy": sheet.positions,
            "partners": sheet.positions[partners],
            "centre": sheet.positions[centre],
            "d": np.linspace(0, 0.7, 200),
            "P": rule(np.linspace(0, 0.7, 200)),
            "centres": centres[n_pairs > 0],
            "frac": frac[n_pairs > 0],
            "err": err[n_pairs > 0],
            "ks": ks,
            "hist": hist,
            "poisson": np.exp(-0.5 * (ks - k_mu) ** 2 / k_var) / np.sqrt(2 * np.pi * k_var),
            "k_mean": float(k.mean()),
            "k_theory": (sheet.N - 1) * mean_d,
        }

    def draw(self, d):
        self.l_all.set_data(d["xy"][:, 0], d["xy"][:, 1])
        self.l_partners.set_data(d["partners"][:, 0], d["partners"][:, 1])
        self.l_centre.set_data([d["centre"][0]], [d["centre"][1]])
        self.l_rule.set_data(d["d"], d["P"])
        self.l_real.set_data(d["centres"], d["frac"])
        if self.err is not None:
            self.err.remove()
        self.err = self.ax_p.vlines(
            d["centres"], d["frac"] - 2 * d["err"], d["frac"] + 2 * d["err"], color=COLORS["blue"], lw=1
        )
        self.ax_p.set_xlim(0, 0.7)
        self.ax_p.set_ylim(0, 1.05)
        self.l_k.set_data(d["ks"], d["hist"])
        self.l_pois.set_data(d["ks"], d["poisson"])
        self.ax_k.set_xlim(d["ks"][0] - 0.5, d["ks"][-1] + 0.5)
        self.ax_k.set_ylim(0, max(float(d["hist"].max()), float(d["poisson"].max())) * 1.15)

    def summary(self, d):
        return (
            f"mean in-degree <b>{d['k_mean']:.1f}</b> · (N − 1) × sheet average of P(d) = <b>{d['k_theory']:.1f}</b> · "
            "error bars: ±2 binomial standard errors"
        )


class SpreadApp(App):
    """A local stimulus on a sheet of 70 × 70 LIF neurons with Gaussian local excitation.

    Neurons within 0.08 mm of the centre get an extra 0.3 nA from 20 to 40 ms. With
    enough local excitation the activity spreads outwards as a front; the time slider
    scrubs through the simulation without re-running it.
    """

    caption = (
        "Raise the coupling: past a critical value the stimulated patch ignites its neighbours and a front of "
        "activity travels across the sheet; in the raster (ordered by distance) the front is a slanted edge."
    )
    figsize = (10.0, 4.0)
    N_SIDE = 70
    T = 200.0
    WINDOW = 10.0

    def make_controls(self):
        return {
            "J0": float_slider("J0", 2.5, "total local coupling J₀", teach=(0.0, 4.0, 0.25), continuous=False),
            "I_ext": float_slider("I", 0.1, "background input", teach=(0.0, 0.15, 0.005), continuous=False),
            "sigma": float_slider("sigma", 0.02, "noise σ", teach=(0.0, 0.05, 0.005), continuous=False),
            "time": float_slider("time", 60.0, "map at time t", teach=(0.0, 190.0, 10.0)),
        }

    def build_figure(self, fig):
        self.ax_m, self.ax_r = fig.subplots(1, 2, width_ratios=[1, 1.4])
        style_axes(self.ax_m, "x (mm)", "y (mm)", "spikes in [t, t + 10 ms)")
        style_axes(self.ax_r, "time t (ms)", "distance from the centre (mm)", "raster (1 neuron in 7) by distance")
        self.img = self.ax_m.imshow(
            np.zeros((self.N_SIDE, self.N_SIDE)), origin="lower", extent=(0, 1, 0, 1), cmap="viridis", vmin=0, vmax=1
        )
        fig.colorbar(self.img, ax=self.ax_m, label="spikes per neuron")
        (self.l_r,) = self.ax_r.plot([], [], ".", color=COLORS["black"], ms=1)
        self.l_t = self.ax_r.axvspan(0, self.WINDOW, color=COLORS["orange"], alpha=0.3)
        self.ax_r.set_xlim(0, self.T)
        self.ax_r.set_ylim(0, 0.72)
        self._cache_key = None
        self._sim = None

    def simulate(self, J0, I_ext, sigma):
        key = (J0, I_ext, sigma)
        if key != self._cache_key:
            net, dist = spread_network(J0, I_ext, sigma, n_side=self.N_SIDE)
            res = simulate_network(net, self.T, dt=0.1, rng=2, record=0)
            self._sim = (res, dist)
            self._cache_key = key
        return self._sim

    def model(self, J0, I_ext, sigma, time):
        res, dist = self.simulate(J0, I_ext, sigma)
        sel = (res.spike_times >= time) & (res.spike_times < time + self.WINDOW)
        counts = np.bincount(res.spike_ids[sel], minlength=res.N).reshape(self.N_SIDE, self.N_SIDE).T
        shown = res.spike_ids % 7 == 0  # one neuron in seven keeps the raster readable and fast
        return {
            "map": counts.astype(float),
            "raster_t": res.spike_times[shown],
            "raster_d": dist[res.spike_ids[shown]],
            "time": time,
            "rate": res.n_spikes / res.N / res.t_max * 1000.0,
        }

    def draw(self, d):
        self.img.set_data(d["map"])
        self.img.set_clim(0, max(1.0, float(d["map"].max())))
        self.l_r.set_data(d["raster_t"], d["raster_d"])
        t = d["time"]
        self.l_t.set_x(t)  # axvspan is a Rectangle in matplotlib ≥ 3.9
        self.l_t.set_width(self.WINDOW)

    def summary(self, d):
        return (
            f"mean rate over the sheet <b>{d['rate']:.1f} Hz</b> · map window {d['time']:.0f}–{d['time'] + 10:.0f} ms"
        )
