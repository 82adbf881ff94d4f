"""Lesson 02: heterogeneous populations — the typical neuron, its correction, and splitting."""

from __future__ import annotations

import numpy as np

from ..engine import simulate_network
from ..model.distributions import Normal, TwoPoint, Uniform
from ..model.inputs import WhiteNoise
from ..model.network import Group, Network, Population, Projection
from ..model.neuron import LIF
from ..plotting import COLORS, style_axes
from ..theory.gain import siegert_rate
from ..theory.heterogeneity import mixture_gain, neuron_rates, second_order_rate, typical_rate
from ..theory.meanfield import asynchronous_states
from ._base import App, dropdown, float_slider

__all__ = ["HeterogeneityApp", "SplitApp"]

#: parameter key → (label, unit, largest spread offered)
SPREADS = {
    "theta": ("threshold θ", "mV", 6.0),
    "tau_m": ("membrane time constant τ_m", "ms", 4.0),
    "R": ("resistance R", "MΩ", 40.0),
    "I": ("input offset I", "nA", 0.06),
}
N_SAMPLE = 2000
I_GRID = np.linspace(0.0, 0.4, 161)


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
    figsize = (9.5, 3.8)

    def make_controls(self):
        return {
            "parameter": dropdown([(v[0], k) for k, v in SPREADS.items()], "theta", "varying parameter"),
            "shape": dropdown(["normal", "uniform", "two values"], "normal", "distribution"),
            "spread": float_slider("fraction", 0.4, "spread (fraction of max)", teach=(0.0, 1.0, 0.05)),
            "I": float_slider("I", 0.17, "input I", teach=(0.0, 0.4, 0.005)),
        }

    def build_figure(self, fig):
        self.ax_f, self.ax_h = fig.subplots(1, 2, width_ratios=[1.3, 1])
        style_axes(self.ax_f, "input current I (nA)", "rate (Hz)", "mean rate vs the typical neuron")
        style_axes(self.ax_h, "single-neuron rate r_i (Hz)", "neurons", "rates at the chosen input")
        (self.l_typ,) = self.ax_f.plot([], [], color=COLORS["black"], lw=1.5, label="typical neuron r(I; p̄)")
        (self.l_mean,) = self.ax_f.plot([], [], color=COLORS["blue"], lw=2.5, label="population mean ⟨r_i(I)⟩")
        (self.l_2nd,) = self.ax_f.plot([], [], "--", color=COLORS["orange"], lw=2, label="second-order estimate")
        self.l_I = self.ax_f.axvline(0.17, color=COLORS["green"], ls=":", lw=1.5)
        self.ax_f.set_xlim(I_GRID[0], I_GRID[-1])
        self.ax_f.legend(fontsize="small", framealpha=0.85, edgecolor="none", loc="upper left")
        self.bins = np.linspace(0, 200, 41)
        self.bars = self.ax_h.bar(
            self.bins[:-1], np.zeros(40), width=np.diff(self.bins), align="edge", color=COLORS["sky"]
        )
        self.ax_h.set_xlim(0, 200)

    def distribution(self, parameter, shape, spread):
        width = spread * SPREADS[parameter][2]
        typical = 0.0 if parameter == "I" else getattr(LIF(), parameter)
        if shape == "normal":
            return Normal(width / 2)  # the slider gives ±1 sd = half the chosen width
        if shape == "uniform":
            return Uniform(width)
        return TwoPoint(typical - width / 2, typical + width / 2)

    def model(self, parameter, shape, spread, I):
        neuron = LIF()
        dist = self.distribution(parameter, shape, spread)
        typical = 0.0 if parameter == "I" else getattr(neuron, parameter)
        values = dist.sample(N_SAMPLE, typical, np.random.default_rng(0))
        if parameter in ("tau_m", "R"):
            values = np.maximum(values, 0.05 * typical)  # keep them physical
        rates = neuron_rates(I_GRID[:, None], neuron, {parameter: values[None, :]})
        r_now = neuron_rates(I, neuron, {parameter: values})
        return {
            "I_grid": I_GRID,
            "typical": typical_rate(I_GRID, neuron, parameter, dist),
            "mean": rates.mean(axis=1),
            "second": second_order_rate(I_GRID, neuron, parameter, dist),
            "I": I,
            "r_now": r_now,
            "hist": np.histogram(np.clip(r_now, 0, 199.9), self.bins)[0],
            "active": float(np.mean(r_now > 0)),
            "mean_now": float(r_now.mean()),
            "typical_now": float(typical_rate(I, neuron, parameter, dist)),
        }

    def draw(self, d):
        self.l_typ.set_data(d["I_grid"], d["typical"])
        self.l_mean.set_data(d["I_grid"], d["mean"])
        self.l_2nd.set_data(d["I_grid"], np.clip(d["second"], -50, 400))
        self.l_I.set_xdata([d["I"], d["I"]])
        self.ax_f.set_ylim(0, max(float(d["mean"].max()), float(d["typical"].max()), 1.0) * 1.1)
        for bar, h in zip(self.bars, d["hist"], strict=True):
            bar.set_height(h)
        self.ax_h.set_ylim(0, max(int(d["hist"].max()), 1) * 1.1)

    def summary(self, d):
        return (
            f"at I = {d['I']:.3f} nA: population mean <b>{d['mean_now']:.1f} Hz</b> · typical neuron "
            f"<b>{d['typical_now']:.1f} Hz</b> · active neurons <b>{100 * d['active']:.0f} %</b>"
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
    figsize = (9.5, 5.2)
    N = 1000
    T = 400.0
    DT = 0.2

    def make_controls(self):
        return {
            "theta_low": float_slider("theta", -53.0, "θ of part 1", teach=(-60, -50, 0.5), continuous=False),
            "theta_high": float_slider("theta", -47.0, "θ of part 2", teach=(-50, -40, 0.5), continuous=False),
            "J0": float_slider("J0", 1.0, "coupling J₀", teach=(-10, 4, 0.25), continuous=False),
            "I_ext": float_slider("I", 0.12, "input I_ext", teach=(0, 0.3, 0.005), continuous=False),
            "sigma": float_slider("sigma", 0.02, "noise σ", teach=(0.005, 0.1, 0.005), continuous=False),
        }

    def build_figure(self, fig):
        self.ax_r, self.ax_a = fig.subplots(2, 1, sharex=True, height_ratios=[1, 1.2])
        style_axes(self.ax_r, "", "neuron", "spikes of 100 neurons from each part")
        style_axes(self.ax_a, "time t (ms)", "A(t) (Hz)", "activity of each part (5 ms bins)")
        (self.l_r1,) = self.ax_r.plot([], [], "|", color=COLORS["blue"], ms=2.5, mew=0.7)
        (self.l_r2,) = self.ax_r.plot([], [], "|", color=COLORS["vermillion"], ms=2.5, mew=0.7)
        self.ax_r.set_ylim(-0.5, 199.5)
        (self.l_a1,) = self.ax_a.plot([], [], color=COLORS["blue"], lw=1.2, label="part 1 (low θ)")
        (self.l_a2,) = self.ax_a.plot([], [], color=COLORS["vermillion"], lw=1.2, label="part 2 (high θ)")
        (self.l_at,) = self.ax_a.plot([], [], color=COLORS["black"], lw=1.5, label="whole population")
        self.h1 = self.ax_a.axhline(0, color=COLORS["blue"], ls="--", lw=1.5)
        self.h2 = self.ax_a.axhline(0, color=COLORS["vermillion"], ls="--", lw=1.5)
        self.ht = self.ax_a.axhline(0, color=COLORS["black"], ls="--", lw=1.5, label="split prediction")
        self.hy = self.ax_a.axhline(0, color="#888888", ls=":", lw=2, label="typical-neuron prediction")
        self.ax_a.legend(fontsize="small", framealpha=0.85, edgecolor="none", loc="upper right", ncols=2)
        self.ax_a.set_xlim(0, self.T)

    def model(self, theta_low, theta_high, J0, I_ext, sigma):
        base = LIF()
        parts = [base.replace(theta=theta_low), base.replace(theta=theta_high)]
        noise = WhiteNoise(sigma)
        pop = Population(J0=J0, I_ext=I_ext, noise=noise, neuron=base.replace(theta=(theta_low + theta_high) / 2))
        typical = asynchronous_states(pop)
        split = asynchronous_states(pop, gain=mixture_gain(parts, [0.5, 0.5], sigma))
        part_rates = [[float(siegert_rate(fp.I0, parts[k], sigma)) for fp in split if fp.stable] for k in range(2)]
        net = Network(
            (Group("g", self.N, I_ext=I_ext, noise=noise, spread={"theta": TwoPoint(theta_low, theta_high)}),),
            (Projection("g", "g", J=J0),),
        )
        res = simulate_network(net, self.T, dt=self.DT, rng=2, record=0)
        half = self.N // 2
        m = 5
        A_steps = res.A.reshape(-1, round(m / self.DT))
        counts = np.zeros((2, len(res.t)))
        k = np.minimum((res.spike_times / self.DT).astype(int), len(res.t) - 1)
        np.add.at(counts, ((res.spike_ids >= half).astype(int), k), 1)
        A_parts = counts.reshape(2, -1, round(m / self.DT)).sum(axis=2) / (half * m) * 1000.0
        tc = np.arange(A_parts.shape[1]) * m + m / 2
        sel1 = res.spike_ids < 100
        sel2 = (res.spike_ids >= half) & (res.spike_ids < half + 100)
        stable_split = [fp.A0 for fp in split if fp.stable]
        stable_typ = [fp.A0 for fp in typical if fp.stable]
        return {
            "r1": (res.spike_times[sel1], res.spike_ids[sel1]),
            "r2": (res.spike_times[sel2], res.spike_ids[sel2] - half + 100),
            "tc": tc,
            "A1": A_parts[0],
            "A2": A_parts[1],
            "At": A_steps.mean(axis=1),
            "pred1": part_rates[0][-1] if part_rates[0] else 0.0,
            "pred2": part_rates[1][-1] if part_rates[1] else 0.0,
            "pred_split": stable_split[-1] if stable_split else 0.0,
            "pred_typical": stable_typ[-1] if stable_typ else 0.0,
            "sim": float(res.A[res.t > self.T / 2].mean()),
        }

    def draw(self, d):
        self.l_r1.set_data(*d["r1"])
        self.l_r2.set_data(*d["r2"])
        for line, key in ((self.l_a1, "A1"), (self.l_a2, "A2"), (self.l_at, "At")):
            line.set_data(d["tc"], d[key])
        for line, key in ((self.h1, "pred1"), (self.h2, "pred2"), (self.ht, "pred_split"), (self.hy, "pred_typical")):
            line.set_ydata([d[key]] * 2)
        top = max(float(np.max(d["A1"])), float(np.max(d["A2"])), d["pred1"], d["pred2"], d["pred_typical"], 1.0)
        self.ax_a.set_ylim(0, 1.25 * top)

    def summary(self, d):
        return (
            f"simulated mean A (second half) <b>{d['sim']:.1f} Hz</b> · split prediction "
            f"<b>{d['pred_split']:.1f} Hz</b> · typical-neuron prediction <b>{d['pred_typical']:.1f} Hz</b>"
        )
