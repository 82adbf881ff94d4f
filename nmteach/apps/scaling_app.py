"""Lesson 03: connectivity schemes and scaling laws."""

from __future__ import annotations

import math

import numpy as np

from ..analysis import finite_size_variance
from ..engine import simulate_network
from ..model.inputs import WhiteNoise
from ..model.kernels import DeltaKernel, ExponentialKernel
from ..model.network import Group, Network, PoissonGroup, Population, Projection
from ..model.neuron import LIF
from ..model.synapses import from_pairs
from ..plotting import COLORS, style_axes
from ..theory.meanfield import asynchronous_states
from ..wiring.connectivity import (
    balanced,
    fixed_in_degree,
    fixed_out_degree,
    fixed_probability,
    gaussian_all_to_all,
)
from ._base import App, dropdown, float_slider, selection_slider

__all__ = ["BalancedApp", "DegreeApp", "ScalingApp"]

N_DECADES = (100, 200, 500, 1000, 2000, 5000, 10000)


class ScalingApp(App):
    """The same population at different sizes N, with and without the scaling law w = J0/N.

    The model: inhibitory coupling J0 = −5 (at N = 1000), I_ext = 0.2 nA, white noise
    σ = 0.03 nA. "scaled" keeps J0 = w·N fixed; "unscaled" keeps the N = 1000 weight,
    so the total coupling grows in proportion to N.
    """

    caption = (
        "With w = J₀/N the mean activity stays on the mean-field line for every N while its fluctuations shrink "
        "as 1/√N. Without scaling the total inhibition grows with N and the mean drifts away."
    )
    figsize = (9.5, 3.6)
    T = 300.0
    DT = 0.2
    J0_REF = -5.0
    N_REF = 1000

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
        style_axes(self.ax, "time t (ms)", "A(t) (Hz)", "population activity, 1 ms bins")
        (self.l_A,) = self.ax.plot([], [], color=COLORS["blue"], lw=1, label="simulation")
        self.l_mf = self.ax.axhline(0, color=COLORS["orange"], lw=2, label="mean field at the reference J₀")
        self.band = None
        self.ax.set_xlim(0, self.T)
        self.ax.legend(fontsize="small", framealpha=0.85, edgecolor="none", loc="upper right")

    def model(self, N, law, wiring):
        J0 = self.J0_REF if law == "scaled" else self.J0_REF * N / self.N_REF
        kernel = ExponentialKernel(1.0, 5.0)
        g = Group("pop", N, I_ext=0.2, noise=WhiteNoise(0.03))
        if wiring == "all":
            proj = Projection("pop", "pop", J=J0, kernel=kernel)
        else:
            proj = Projection("pop", "pop", connectivity=fixed_probability(N, 0.05, J0, rng=3), kernel=kernel)
        res = simulate_network(Network((g,), (proj,)), self.T, dt=self.DT, rng=1, record=0, record_spikes=False)
        tc, A = res.activity(1.0)
        ref = asynchronous_states(Population(J0=self.J0_REF, I_ext=0.2, noise=WhiteNoise(0.03), kernel=kernel))
        late = tc > 100
        mean = float(A[late].mean())
        return {
            "tc": tc,
            "A": A,
            "A0": ref[-1].A0,
            "mean": mean,
            "std": float(A[late].std()),
            "std_theory": math.sqrt(finite_size_variance(min(mean, 900.0), N, 1.0)),
            "J0": J0,
        }

    def draw(self, d):
        self.l_A.set_data(d["tc"], d["A"])
        self.l_mf.set_ydata([d["A0"]] * 2)
        self.ax.set_ylim(0, max(float(d["A"].max()), d["A0"]) * 1.15 + 1)

    def summary(self, d):
        return (
            f"total coupling J₀ = {d['J0']:.1f} · mean A = <b>{d['mean']:.1f} Hz</b> (mean field at J₀ = −5: "
            f"{d['A0']:.1f} Hz) · std of A = <b>{d['std']:.1f} Hz</b> (independent neurons: {d['std_theory']:.1f} Hz)"
        )


class DegreeApp(App):
    """In-degrees and summed weights of the connectivity schemes, against their theory."""

    caption = (
        "Random wiring gives binomial in-degrees (mean pN, variance p(1−p)N); the spread of the summed weight shrinks "
        "as √((1−p)/(pN)). Gaussian weights are different: the summed weight keeps the spread σ₀ for every N."
    )
    figsize = (9.5, 3.6)
    J0 = 2.0

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

    def build_figure(self, fig):
        self.ax_k, self.ax_w = fig.subplots(1, 2)
        style_axes(self.ax_k, "in-degree k", "fraction of neurons", "in-degrees")
        style_axes(self.ax_w, "summed weight Σⱼ wᵢⱼ", "density", "total coupling per neuron")
        (self.s_k,) = self.ax_k.plot([], [], drawstyle="steps-mid", color=COLORS["blue"], lw=1.5, label="network")
        (self.t_k,) = self.ax_k.plot([], [], "o", color=COLORS["orange"], ms=3, label="binomial(N, p)")
        self.ax_k.legend(fontsize="small", framealpha=0.85, edgecolor="none")
        (self.s_w,) = self.ax_w.plot([], [], drawstyle="steps-mid", color=COLORS["blue"], lw=1.5, label="network")
        (self.t_w,) = self.ax_w.plot([], [], color=COLORS["orange"], lw=2, label="normal approximation")
        self.ax_w.legend(fontsize="small", framealpha=0.85, edgecolor="none")

    def model(self, rule, N, p, sigma0):
        C = max(1, round(p * N))
        if rule == "probability":
            conn = fixed_probability(N, p, self.J0, rng=0)
            sd_w = self.J0 * math.sqrt((1 - p) / (p * N))
        elif rule == "in":
            conn = fixed_in_degree(N, C, self.J0, rng=0)
            sd_w = 0.0
        elif rule == "out":
            conn = fixed_out_degree(N, C, self.J0, rng=0)
            sd_w = self.J0 * math.sqrt((1 - C / N) / C)
        else:
            conn = gaussian_all_to_all(N, self.J0, sigma0, rng=0)
            sd_w = sigma0
        k = conn.in_degree()
        lo, hi = int(k.min()), int(k.max())
        ks = np.arange(max(lo - 2, 0), hi + 3)
        hist = np.bincount(k, minlength=ks[-1] + 1)[ks] / N
        # binomial pmf for the random schemes
        from scipy.stats import binom

        n_cand = N
        pmf = binom.pmf(ks, n_cand, p if rule != "gaussian" else 1.0) if rule in ("probability", "out") else 0 * ks
        s = conn.summed_weights()
        width = max(sd_w, 1e-3)
        edges = np.linspace(self.J0 - 4 * width, self.J0 + 4 * width, 41)
        dens, _ = np.histogram(s, edges, density=True)
        x = np.linspace(edges[0], edges[-1], 200)
        normal = np.exp(-0.5 * ((x - self.J0) / width) ** 2) / (width * math.sqrt(2 * math.pi)) if sd_w > 0 else 0 * x
        return {
            "ks": ks,
            "hist": hist,
            "pmf": pmf,
            "centres": (edges[:-1] + edges[1:]) / 2,
            "dens": dens,
            "x": x,
            "normal": normal,
            "k_mean": float(k.mean()),
            "k_var": float(k.var()),
            "w_mean": float(s.mean()),
            "w_sd": float(s.std()),
            "sd_theory": sd_w,
            "nnz": conn.nnz,
        }

    def draw(self, d):
        self.s_k.set_data(d["ks"], d["hist"])
        self.t_k.set_data(d["ks"], d["pmf"])
        self.ax_k.set_xlim(d["ks"][0] - 0.5, d["ks"][-1] + 0.5)
        self.ax_k.set_ylim(0, max(float(np.max(d["hist"])), float(np.max(d["pmf"])), 1e-3) * 1.15)
        self.s_w.set_data(d["centres"], d["dens"])
        self.t_w.set_data(d["x"], d["normal"])
        self.ax_w.set_xlim(d["x"][0], d["x"][-1])
        self.ax_w.set_ylim(0, max(float(np.max(d["dens"])), float(np.max(d["normal"])), 1e-3) * 1.15)

    def summary(self, d):
        return (
            f"{d['nnz']:,} synapses · in-degree mean <b>{d['k_mean']:.1f}</b>, variance <b>{d['k_var']:.1f}</b> · "
            f"summed weight mean <b>{d['w_mean']:.3f}</b>, sd <b>{d['w_sd']:.3f}</b> (theory {d['sd_theory']:.3f})"
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
    figsize = (9.5, 3.6)
    M = 100  # observers
    P = 0.2
    RATE = 10.0
    T = 500.0

    def make_controls(self):
        return {
            "N": selection_slider((100, 400, 1600, 6400), 400, "sources N"),
            "scaling": dropdown([("J₀/√(pN)", "sqrt"), ("J₀/(pN)", "linear")], "sqrt", "weights"),
        }

    def build_figure(self, fig):
        self.ax_u, self.ax_h = fig.subplots(1, 2, width_ratios=[1.6, 1])
        style_axes(self.ax_u, "time t (ms)", "u (mV)", "three observers")
        style_axes(self.ax_h, "u (mV)", "density", "all observers")
        self.l_u = [
            self.ax_u.plot([], [], lw=1, color=c)[0] for c in (COLORS["blue"], COLORS["orange"], COLORS["green"])
        ]
        self.ax_u.set_xlim(0, self.T)
        self.ax_u.set_ylim(-80, -50)
        (self.l_h,) = self.ax_h.plot([], [], drawstyle="steps-mid", color=COLORS["blue"], lw=1.5, label="simulation")
        (self.l_t,) = self.ax_h.plot([], [], color=COLORS["orange"], lw=2, label="Campbell: mean, variance")
        self.ax_h.set_xlim(-80, -50)
        self.ax_h.legend(fontsize="small", framealpha=0.85, edgecolor="none", loc="upper right")

    def model(self, N, scaling):
        observer = LIF(theta=100.0)
        conn = balanced(N, self.P, 1.0, scaling=scaling, rng=5, n_target=self.M)
        conn = from_pairs(conn.sources(), conn.targets, conn.weights, N, self.M)
        net = Network(
            (PoissonGroup("src", N, self.RATE), Group("obs", self.M, neuron=observer, u0="rest")),
            (Projection("src", "obs", connectivity=conn, kernel=DeltaKernel(1.0)),),
        )
        res = simulate_network(net, self.T, dt=0.1, rng=5, record=np.arange(N, N + self.M), record_spikes=False)
        u = res.u[:, res.t > 50]
        a = observer.R * conn.weights / observer.tau_m
        nu = self.RATE / 1000.0
        var_th = float(np.mean(nu * observer.tau_m * np.bincount(conn.targets, a**2, minlength=self.M) / 2))
        edges = np.linspace(-80, -50, 61)
        dens, _ = np.histogram(u, edges, density=True)
        x = np.linspace(-80, -50, 300)
        return {
            "t": res.t,
            "traces": res.u[:3],
            "centres": (edges[:-1] + edges[1:]) / 2,
            "dens": dens,
            "x": x,
            "normal": np.exp(-0.5 * (x - observer.u_rest) ** 2 / var_th) / math.sqrt(2 * math.pi * var_th),
            "mean": float(u.mean()),
            "sd": float(u.std()),
            "sd_theory": math.sqrt(var_th),
        }

    def draw(self, d):
        for line, tr in zip(self.l_u, d["traces"], strict=True):
            line.set_data(d["t"], tr)
        self.l_h.set_data(d["centres"], d["dens"])
        self.l_t.set_data(d["x"], d["normal"])
        self.ax_h.set_ylim(0, max(float(np.max(d["dens"])), float(np.max(d["normal"]))) * 1.15)

    def summary(self, d):
        return (
            f"mean u = <b>{d['mean']:.2f} mV</b> (rest −65 mV) · sd of u = <b>{d['sd']:.2f} mV</b> "
            f"(Campbell: {d['sd_theory']:.2f} mV)"
        )
