"""Lesson 01: the homogeneous population — spikes, A(t), the mean field and its fixed points."""

from __future__ import annotations

import numpy as np

from ..analysis import synchrony_index
from ..engine import simulate
from ..model.inputs import WhiteNoise
from ..model.kernels import make_kernel
from ..model.network import Population
from ..model.neuron import LIF
from ..plotting import COLORS, raster_data, style_axes
from ..theory.meanfield import asynchronous_states, population_gain
from ._base import App, dropdown, float_slider, selection_slider

__all__ = ["FixedPointApp", "PopulationApp"]

N_CHOICES = (10, 20, 50, 100, 200, 500, 1000, 2000, 5000)
KERNELS = ("exponential", "alpha", "biexponential", "delta")
T_MAX = 300.0
DT = 0.2  # exact integration and the Brownian bridge keep rates right at this step (see lesson 01)
RASTER_NEURONS = 100
MAX_FIXED_POINTS = 3


class PopulationApp(App):
    """N identical LIF neurons, all-to-all coupled with w0 = J0/N, the same I_ext for all.

    Top: spikes of the first 100 neurons. Middle: A(t) in 1 ms bins and the
    asynchronous-state solutions of A0 = g(I_ext + J0 q A0). Bottom: the
    input I(t) = I_ext + w0 N ∫α(s) A(t − s) ds that every neuron receives.
    """

    caption = (
        "With noise, A(t) fluctuates around the mean-field line (solid) by an amount that shrinks as N grows. "
        "Set the noise to zero with excitatory coupling: the population locks into volleys and leaves the line."
    )
    figsize = (9.5, 6.2)

    def make_controls(self):
        return {
            "N": selection_slider(N_CHOICES, 500, "neurons N"),
            "J0": float_slider("J0", 0.5, "coupling J₀ = w₀N", teach=(-10, 10, 0.25), continuous=False),
            "I_ext": float_slider("I", 0.16, "input I_ext", teach=(0, 0.3, 0.005), continuous=False),
            "kernel": dropdown(KERNELS, "exponential", "PSC kernel α"),
            "tau_s": float_slider("tau_s", 5.0, "τ_s", continuous=False),
            "sigma": float_slider("sigma", 0.03, "noise σ", continuous=False),
        }

    def build_figure(self, fig):
        self.ax_r, self.ax_a, self.ax_i = fig.subplots(3, 1, sharex=True, height_ratios=[1.2, 1.2, 0.8])
        style_axes(self.ax_r, "", "neuron", f"spikes of the first {RASTER_NEURONS} neurons")
        style_axes(self.ax_a, "", "A(t) (Hz)", "population activity")
        style_axes(self.ax_i, "time t (ms)", "I(t) (nA)", "input to every neuron")
        (self.l_raster,) = self.ax_r.plot([], [], "|", color=COLORS["black"], ms=2.5, mew=0.7)
        self.ax_r.set_ylim(-0.5, RASTER_NEURONS - 0.5)
        (self.l_A,) = self.ax_a.plot([], [], color=COLORS["blue"], lw=1, label="simulation, 1 ms bins")
        self.l_fp = []
        for i in range(MAX_FIXED_POINTS):
            line = self.ax_a.axhline(0, color=COLORS["orange"], lw=2, visible=False)
            if i == 0:
                line.set_label("mean field A₀ (dashed: unstable)")
            self.l_fp.append(line)
        self.ax_a.legend(fontsize="small", framealpha=0.85, edgecolor="none", loc="upper right")
        (self.l_I,) = self.ax_i.plot([], [], color=COLORS["green"], lw=1, label="I(t) = I_ext + J₀∫α(s)A(t−s)ds")
        (self.l_Iext,) = self.ax_i.plot([], [], ":", color=COLORS["black"], lw=1.2, label="I_ext")
        self.ax_i.legend(fontsize="small", framealpha=0.85, edgecolor="none", loc="upper right")
        self.ax_i.set_xlim(0, T_MAX)

    @staticmethod
    def make_population(N, J0, I_ext, kernel, tau_s, sigma) -> Population:
        return Population(
            N=N,
            neuron=LIF(),
            J0=J0,
            kernel=make_kernel(kernel, 1.0, tau_s),
            I_ext=I_ext,
            noise=WhiteNoise(sigma) if sigma > 0 else None,
        )

    def model(self, N, J0, I_ext, kernel, tau_s, sigma):
        pop = self.make_population(N, J0, I_ext, kernel, tau_s, sigma)
        res = simulate(pop, T_MAX, dt=DT, rng=1, record=0)
        tc, A = res.activity(1.0)
        rt, ri = raster_data(res, RASTER_NEURONS)
        late = tc > T_MAX / 2
        fps = asynchronous_states(pop)
        return {
            "raster_t": rt,
            "raster_i": ri,
            "tc": tc,
            "A": A,
            "t": res.t,
            "I": res.I_total(),
            "I_ext": res.I_ext,
            "A0": np.array([fp.A0 for fp in fps]),
            "stable": np.array([fp.stable for fp in fps], dtype=bool),
            "mean_rate": float(A[late].mean()),
            "sync": synchrony_index(A[late], N, 1.0),
        }

    def draw(self, d):
        self.l_raster.set_data(d["raster_t"], d["raster_i"])
        self.l_A.set_data(d["tc"], d["A"])
        for i, line in enumerate(self.l_fp):
            if i < len(d["A0"]):
                line.set_ydata([d["A0"][i]] * 2)
                line.set_linestyle("-" if d["stable"][i] else "--")
                line.set_visible(True)
            else:
                line.set_visible(False)
        top = max(float(d["A"].max()), float(d["A0"].max()) if d["A0"].size else 0.0, 1.0)
        self.ax_a.set_ylim(0, 1.1 * top)
        self.l_I.set_data(d["t"], d["I"])
        self.l_Iext.set_data(d["t"], d["I_ext"])
        lo, hi = float(min(d["I"].min(), d["I_ext"].min())), float(max(d["I"].max(), d["I_ext"].max()))
        pad = 0.05 * (hi - lo) + 1e-3
        self.ax_i.set_ylim(lo - pad, hi + pad)

    def summary(self, d):
        fp = ", ".join(
            f"{a:.1f} Hz ({'stable' if s else 'unstable'})" for a, s in zip(d["A0"], d["stable"], strict=True)
        )
        state = "asynchronous" if d["sync"] < 3 else "synchronised (volleys)"
        return (
            f"simulated mean A (second half) = <b>{d['mean_rate']:.1f} Hz</b> · mean field A₀ = <b>{fp or 'none'}</b>"
            f" · synchrony index {d['sync']:.1f} → {state}"
        )


class FixedPointApp(App):
    """The graphical construction of the asynchronous state (Neuronal Dynamics Fig. 12.8 style).

    In the (I, A) plane the solutions of A0 = g(I0) with I0 = I_ext + J0 q A0 are
    the intersections of the gain function A = g(I) with the straight line
    A = (I − I_ext)/(J0 q). Filled markers: stable under τ dA/dt = −A + g(I(A));
    open markers: unstable.
    """

    caption = (
        "Every crossing of the straight line with the gain curve is a possible asynchronous state. "
        "Raise J₀ to tilt the line until it cuts the curve three times: the population becomes bistable."
    )
    figsize = (7.5, 4.2)
    I_RANGE = (-0.05, 0.45)

    def make_controls(self):
        return {
            "J0": float_slider("J0", 2.0, "coupling J₀", teach=(-10, 10, 0.1)),
            "I_ext": float_slider("I", 0.1, "input I_ext", teach=(0, 0.3, 0.002)),
            "sigma": float_slider("sigma", 0.02, "noise σ"),
        }

    def build_figure(self, fig):
        self.ax = fig.subplots()
        style_axes(self.ax, "input current I (nA)", "activity A (Hz)", "A₀ = g(I₀) and I₀ = I_ext + J₀ q A₀")
        (self.l_gain,) = self.ax.plot([], [], color=COLORS["blue"], lw=2, label="gain function A = g(I)")
        (self.l_line,) = self.ax.plot([], [], color=COLORS["orange"], lw=2, label="input line I = I_ext + J₀qA")
        (self.p_stable,) = self.ax.plot([], [], "o", color=COLORS["black"], ms=9, label="stable")
        (self.p_unstable,) = self.ax.plot([], [], "o", mfc="white", mec=COLORS["black"], mew=2, ms=9, label="unstable")
        self.ax.set_xlim(*self.I_RANGE)
        self.ax.legend(fontsize="small", framealpha=0.85, edgecolor="none", loc="upper left")

    def model(self, J0, I_ext, sigma):
        pop = Population(J0=J0, I_ext=I_ext, noise=WhiteNoise(sigma) if sigma > 0 else None)
        q = pop.kernel.q
        I = np.linspace(*self.I_RANGE, 400)
        A_gain = population_gain(pop)(I)
        A_top = max(float(A_gain.max()), 1.0) * 1.05
        if J0 == 0:  # vertical line I = I_ext
            line_I, line_A = np.array([I_ext, I_ext]), np.array([0.0, A_top])
        else:
            line_A = np.linspace(0, A_top, 200)
            line_I = I_ext + J0 * q * line_A / 1000.0
        fps = asynchronous_states(pop)
        return {
            "I": I,
            "A_gain": A_gain,
            "line_I": line_I,
            "line_A": line_A,
            "A_top": A_top,
            "fp_I": np.array([fp.I0 for fp in fps]),
            "fp_A": np.array([fp.A0 for fp in fps]),
            "stable": np.array([fp.stable for fp in fps], dtype=bool),
        }

    def draw(self, d):
        self.l_gain.set_data(d["I"], d["A_gain"])
        self.l_line.set_data(d["line_I"], d["line_A"])
        s = d["stable"]
        self.p_stable.set_data(d["fp_I"][s], d["fp_A"][s])
        self.p_unstable.set_data(d["fp_I"][~s], d["fp_A"][~s])
        self.ax.set_ylim(0, d["A_top"])

    def summary(self, d):
        parts = [
            f"A₀ = {a:.2f} Hz at I₀ = {i:.3f} nA ({'stable' if s else 'unstable'})"
            for a, i, s in zip(d["fp_A"], d["fp_I"], d["stable"], strict=True)
        ]
        return f"{len(parts)} solution(s): " + "; ".join(parts) if parts else "no solution in range"
