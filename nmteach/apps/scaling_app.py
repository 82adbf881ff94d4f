"""Lesson 03: connectivity schemes and scaling laws."""

from __future__ import annotations

import numpy as np

from ..experiments.scaling import balanced_run, degree_statistics, scaling_run
from ..plotting import COLORS, legend_above, style_axes
from ._base import App, Preset, dropdown, float_slider, selection_slider

__all__ = ["BalancedApp", "DegreeApp", "ScalingApp"]

N_DECADES = (100, 200, 500, 1000, 2000, 5000, 10000)


class ScalingApp(App):
    """The same population at different sizes N, with and without the scaling law w = J0/N.

    The model: inhibitory coupling J0 = −5 (at N = 1000), I_ext = 0.2 nA, white noise
    σ = 0.03 nA. "scaled" keeps J0 = w·N fixed; "unscaled" keeps the N = 1000 weight,
    so the total coupling grows in proportion to N.
    """

    caption = (
        "With w = J₀/N the mean activity stays on the mean-field line while its fluctuations shrink as 1/√N (with "
        "random wiring only once every neuron has many inputs: at pN = 5 it fires well above the line). Without "
        "scaling the total inhibition grows with N and the mean drifts away."
    )
    figsize = (7.6, 3.3)
    presets = {  # noqa: RUF012
        "scaling law kept": Preset(
            "w = J₀/N with 5,000 neurons: on the mean-field line, small fluctuations", {"N": 5000}
        ),
        "scaling law broken": Preset(
            "the N = 1000 weight kept for 5,000 neurons: five times the inhibition, the rate far below the line",
            {"N": 5000, "law": "unscaled"},
        ),
        "few random inputs": Preset(
            "random wiring with 100 neurons (pN = 5 inputs): the rate lies well above the mean field",
            {"N": 100, "wiring": "random"},
        ),
    }

    def make_controls(self):
        return {
            "N": selection_slider(N_DECADES, 1000, "neurons N"),
            "law": dropdown([("w = J₀/N (scaled)", "scaled"), ("w fixed (unscaled)", "unscaled")], "scaled", "weights"),
            "wiring": dropdown(
                [("all-to-all", "all"), ("random, p = 0.05, w = J₀/(pN)", "random")], "all", "connectivity"
            ),
        }

    def build_figure(self, fig):
        self.ax = fig.subplots()
        style_axes(self.ax, "time t (ms)", "A(t), 1 ms bins (Hz)")
        (self.l_A,) = self.ax.plot([], [], color=COLORS["blue"], lw=1, label="simulation")
        self.l_mf = self.ax.axhline(0, color=COLORS["orange"], lw=2, label="mean field at J₀ = −5")
        self.ax.set_xlim(0, 300.0)
        legend_above(self.ax, 2)

    def model(self, N, law, wiring):
        return scaling_run(N, law, wiring)

    def draw(self, d):
        self.l_A.set_data(d.tc, d.A)
        self.l_mf.set_ydata([d.A0] * 2)
        self.ax.set_ylim(0, max(float(d.A.max()), d.A0) * 1.15 + 1)

    def summary(self, d):
        return (
            f"total coupling J₀ = {d.J0:.1f} · mean A = <b>{d.mean:.1f} Hz</b> (mean field at J₀ = −5: "
            f"{d.A0:.1f} Hz) · std of A = <b>{d.std:.1f} Hz</b> (independent neurons: {d.std_theory:.1f} Hz)"
        )


class DegreeApp(App):
    """In-degrees and summed weights of the connectivity schemes, against their theory."""

    caption = (
        "Random wiring gives binomial in-degrees (mean pN, variance p(1−p)N); the spread of the summed weight shrinks "
        "as √((1−p)/(pN)). Gaussian weights are different: the summed weight keeps the spread σ₀ for every N."
    )
    figsize = (7.6, 3.3)
    presets = {  # noqa: RUF012
        "binomial in-degrees": Preset("p = 0.1, N = 1000: in-degrees 100 ± 9.5, binomial", {}),
        "the spread shrinks with N": Preset(
            "random wiring at N = 2000, p = 0.1: the summed weight is narrower than at N = 1000", {"N": 2000}
        ),
        "Gaussian weights keep their spread": Preset(
            "Gaussian all-to-all, σ₀ = 1: the summed weight spreads by σ₀ whatever N", {"rule": "gaussian", "N": 2000}
        ),
        "fixed in-degree": Preset("every neuron exactly pN = 100 inputs: no spread at all", {"rule": "in"}),
    }

    def make_controls(self):
        return {
            "rule": dropdown(
                [
                    ("fixed probability p", "probability"),
                    ("fixed in-degree pN", "in"),
                    ("fixed out-degree pN", "out"),
                    ("Gaussian all-to-all", "gaussian"),
                ],
                "probability",
                "rule",
            ),
            "N": selection_slider((100, 200, 500, 1000, 2000), 1000, "neurons N"),
            "p": float_slider("probability", 0.1, "probability p", teach=(0.02, 0.5, 0.02), continuous=False),
            "sigma0": float_slider("sigma0", 1.0, "σ₀ (Gaussian)", teach=(0.0, 3.0, 0.1), continuous=False),
        }

    def inactive(self, values):
        if values["rule"] == "gaussian":
            return {"p": "p applies to the random rules; Gaussian all-to-all connects every pair"}
        return {"sigma0": "σ₀ is the spread of the Gaussian weights: it applies with the Gaussian all-to-all rule"}

    def build_figure(self, fig):
        self.ax_k, self.ax_w = fig.subplots(1, 2)
        style_axes(self.ax_k, "in-degree k", "fraction of neurons")
        style_axes(self.ax_w, "summed weight Σⱼ wᵢⱼ", "density")
        (self.s_k,) = self.ax_k.plot([], [], drawstyle="steps-mid", color=COLORS["blue"], lw=1.5, label="network")
        (self.t_k,) = self.ax_k.plot([], [], "o", color=COLORS["orange"], ms=3, label="binomial(N, p)")
        legend_above(self.ax_k, 2)
        (self.s_w,) = self.ax_w.plot([], [], drawstyle="steps-mid", color=COLORS["blue"], lw=1.5, label="network")
        (self.t_w,) = self.ax_w.plot([], [], color=COLORS["orange"], lw=2, label="normal approximation")
        legend_above(self.ax_w, 2)

    def model(self, rule, N, p, sigma0):
        return degree_statistics(rule, N, p, sigma0)

    def draw(self, d):
        self.s_k.set_data(d.ks, d.hist)
        self.t_k.set_data(d.ks, d.pmf)
        self.ax_k.set_xlim(d.ks[0] - 0.5, d.ks[-1] + 0.5)
        self.ax_k.set_ylim(0, max(float(np.max(d.hist)), float(np.max(d.pmf)), 1e-3) * 1.15)
        self.s_w.set_data(d.centres, d.dens)
        self.t_w.set_data(d.x, d.normal)
        self.ax_w.set_xlim(d.x[0], d.x[-1])
        self.ax_w.set_ylim(0, max(float(np.max(d.dens)), float(np.max(d.normal)), 1e-3) * 1.15)

    def summary(self, d):
        return (
            f"{d.nnz:,} synapses · in-degree mean <b>{d.k_mean:.1f}</b>, variance <b>{d.k_var:.1f}</b> · "
            f"summed weight mean <b>{d.w_mean:.3f}</b>, sd <b>{d.w_sd:.3f}</b> (theory {d.sd_theory:.3f})"
        )


class BalancedApp(App):
    """Observers receiving balanced excitation and inhibition from N Poisson neurons at 10 Hz.

    Half the sources excite (w = +J₀/s), half inhibit (w = −J₀/s), each pair connected
    with probability p = 0.2: the mean input cancels. With s = √(pN) the fluctuations
    stay the same for every N; with s = pN they shrink as 1/√(pN).
    """

    caption = (
        "The membrane potential hovers around rest whatever N: the mean input is balanced. Compare the width of the "
        "fluctuations as N grows under the two scalings."
    )
    figsize = (7.6, 3.3)
    presets = {  # noqa: RUF012
        "J₀/√(pN): fluctuations stay": Preset(
            "6,400 sources with w = J₀/√(pN): fluctuations as wide as with 100", {"N": 6400}
        ),
        "J₀/(pN): fluctuations vanish": Preset(
            "6,400 sources with w = J₀/(pN): the membrane barely moves", {"N": 6400, "scaling": "linear"}
        ),
    }

    def make_controls(self):
        return {
            "N": selection_slider((100, 400, 1600, 6400), 400, "sources N"),
            "scaling": dropdown([("J₀/√(pN)", "sqrt"), ("J₀/(pN)", "linear")], "sqrt", "weights"),
        }

    def build_figure(self, fig):
        self.ax_u, self.ax_h = fig.subplots(1, 2, width_ratios=[1.6, 1])
        style_axes(self.ax_u, "time t (ms)", "u of three observers (mV)")
        style_axes(self.ax_h, "u − its mean + u_rest (mV)", "density")
        self.l_u = [
            self.ax_u.plot([], [], lw=1, color=c)[0] for c in (COLORS["blue"], COLORS["orange"], COLORS["green"])
        ]
        self.ax_u.set_xlim(0, 500.0)
        self.ax_u.set_ylim(-80, -50)
        (self.l_h,) = self.ax_h.plot([], [], drawstyle="steps-mid", color=COLORS["blue"], lw=1.5, label="simulation")
        (self.l_t,) = self.ax_h.plot([], [], color=COLORS["orange"], lw=2, label="Campbell")
        self.ax_h.set_xlim(-80, -50)
        legend_above(self.ax_h, 2)

    def model(self, N, scaling):
        return balanced_run(N, scaling)

    def draw(self, d):
        for line, tr in zip(self.l_u, d.traces, strict=True):
            line.set_data(d.t, tr)
        self.l_h.set_data(d.centres, d.dens)
        self.l_t.set_data(d.x, d.normal)
        self.ax_h.set_ylim(0, max(float(np.max(d.dens)), float(np.max(d.normal))) * 1.15)

    def summary(self, d):
        return (
            f"mean u = <b>{d.mean:.2f} mV</b> (rest −65 mV; observers' means spread by {d.offsets_sd:.2f} mV) · "
            f"sd of u in time <b>{d.sd:.2f} mV</b> (Campbell: {d.sd_theory:.2f} mV)"
        )
