"""Lesson 01: the homogeneous population — spikes, A(t), the mean field and its fixed points."""

from __future__ import annotations

from matplotlib.lines import Line2D

from ..experiments.population import RASTER_NEURONS, fixed_point_picture, population_run
from ..plotting import COLORS, legend_above, style_axes
from ._base import App, Preset, dropdown, float_slider, selection_slider

__all__ = ["FixedPointApp", "PopulationApp"]

N_CHOICES = (10, 20, 50, 100, 200, 500, 1000, 2000, 5000)
KERNELS = ("exponential", "alpha", "biexponential", "delta")
T_MAX = 300.0
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
    figsize = (7.6, 5.6)
    presets = {  # noqa: RUF012
        "stable asynchronous state": Preset(
            "the defaults: A(t) fluctuates around the stable mean field, synchrony index about 1", {}
        ),
        "noise-free synchrony": Preset(
            "σ = 0 with excitatory coupling: identical neurons lock into volleys far from the mean field",
            {"sigma": 0.0},
        ),
        "noise restores asynchrony": Preset(
            "the same coupling with σ = 0.05 nA and 2,000 neurons: no volleys, A(t) on the mean field",
            {"sigma": 0.05, "N": 2000},
        ),
        "inhibition": Preset(
            "J₀ = −5: inhibitory coupling lowers the rate below the uncoupled one and stays asynchronous",
            {"J0": -5.0, "I_ext": 0.2},
        ),
    }

    def make_controls(self):
        return {
            "N": selection_slider(N_CHOICES, 500, "neurons N"),
            "J0": float_slider("J0", 0.5, "coupling J₀ = w₀N", teach=(-10, 10, 0.25), continuous=False),
            "I_ext": float_slider("I", 0.16, "input I_ext", teach=(0, 0.3, 0.005), continuous=False),
            "kernel": dropdown(KERNELS, "exponential", "PSC kernel α"),
            "tau_s": float_slider("tau_s", 5.0, "τ_s", continuous=False),
            "sigma": float_slider("sigma", 0.03, "noise σ", continuous=False),
        }

    def inactive(self, values):
        if values["kernel"] == "delta":
            return {"tau_s": "τ_s sets the exponential, alpha and biexponential kernels; the delta kernel has no width"}
        return {}

    def build_figure(self, fig):
        self.ax_r, self.ax_a, self.ax_i = fig.subplots(3, 1, sharex=True, height_ratios=[1.1, 1.2, 0.8])
        style_axes(self.ax_r, "", f"neuron (first {RASTER_NEURONS})")
        style_axes(self.ax_a, "", "A(t) (Hz)")
        style_axes(self.ax_i, "time t (ms)", "I(t) (nA)")
        (self.l_raster,) = self.ax_r.plot([], [], "|", color=COLORS["black"], ms=2.5, mew=0.7)
        self.ax_r.set_ylim(-0.5, RASTER_NEURONS - 0.5)
        (self.l_A,) = self.ax_a.plot([], [], color=COLORS["blue"], lw=1, label="A(t), 1 ms bins")
        self.l_fp = [self.ax_a.axhline(0, color=COLORS["orange"], lw=2, visible=False) for _ in range(MAX_FIXED_POINTS)]
        proxies = [
            Line2D([], [], color=COLORS["orange"], lw=2, label="mean field A₀, stable"),
            Line2D([], [], color=COLORS["orange"], lw=2, ls="--", label="unstable"),
        ]
        legend_above(self.ax_a, 3, handles=[self.l_A, *proxies])
        (self.l_I,) = self.ax_i.plot([], [], color=COLORS["green"], lw=1, label="I(t) = I_ext + J₀∫α(s)A(t−s)ds")
        (self.l_Iext,) = self.ax_i.plot([], [], ":", color=COLORS["black"], lw=1.2, label="I_ext")
        legend_above(self.ax_i, 2)
        self.ax_i.set_xlim(0, T_MAX)

    def model(self, N, J0, I_ext, kernel, tau_s, sigma):
        return population_run(N, J0, I_ext, kernel, tau_s, sigma, T=T_MAX)

    def draw(self, d):
        self.l_raster.set_data(d.raster_t, d.raster_i)
        self.l_A.set_data(d.tc, d.A)
        for i, line in enumerate(self.l_fp):
            if i < len(d.A0):
                line.set_ydata([d.A0[i]] * 2)
                line.set_linestyle("-" if d.stable[i] else "--")
            line.set_visible(i < len(d.A0))
        top = max(float(d.A.max()), float(d.A0.max()) if d.A0.size else 0.0, 1.0)
        self.ax_a.set_ylim(0, 1.1 * top)
        self.l_I.set_data(d.t, d.I)
        self.l_Iext.set_data(d.t, d.I_ext)
        lo, hi = float(min(d.I.min(), d.I_ext.min())), float(max(d.I.max(), d.I_ext.max()))
        pad = 0.05 * (hi - lo) + 1e-3
        self.ax_i.set_ylim(lo - pad, hi + pad)

    def summary(self, d):
        fp = ", ".join(f"{a:.1f} Hz ({'stable' if s else 'unstable'})" for a, s in zip(d.A0, d.stable, strict=True))
        state = "asynchronous" if d.sync < 3 else "synchronised (volleys)"
        return (
            f"simulated mean A (second half) = <b>{d.mean_rate:.1f} Hz</b> · mean field A₀ = <b>{fp or 'none'}</b>"
            f" · synchrony index {d.sync:.1f} → {state}"
        )


class FixedPointApp(App):
    """The graphical construction of the asynchronous state (Neuronal Dynamics Fig. 12.8 style).

    In the (I, A) plane the solutions of A0 = g(I0) with I0 = I_ext + J0 q A0 are
    the intersections of the gain function A = g(I) with the straight line
    A = (I − I_ext)/(J0 q). Filled markers: stable under τ dA/dt = −A + g(I(A));
    open markers: unstable.
    """

    caption = (
        "Every crossing of the straight line with the gain curve is a possible asynchronous state. At the defaults "
        "(J₀ = 2) the line cuts the curve three times: the population is bistable. Lower J₀ below about 1.5 and only "
        "the low state is left; raise it above about 7.2 and only the high state is."
    )
    figsize = (7.0, 4.0)
    I_RANGE = (-0.05, 0.45)
    presets = {  # noqa: RUF012
        "three roots (bistable)": Preset("the defaults: low and high states stable, the middle one unstable", {}),
        "one root, low activity": Preset("J₀ = 1: the line cuts the curve once, near silence", {"J0": 1.0}),
        "one root, high activity": Preset("J₀ = 8: the line cuts the curve once, at a high rate", {"J0": 8.0}),
        "inhibition": Preset("J₀ = −5: a falling line, always exactly one root", {"J0": -5.0}),
    }

    def make_controls(self):
        return {
            "J0": float_slider("J0", 2.0, "coupling J₀", teach=(-10, 10, 0.1)),
            "I_ext": float_slider("I", 0.1, "input I_ext", teach=(0, 0.3, 0.002)),
            "sigma": float_slider("sigma", 0.02, "noise σ"),
        }

    def build_figure(self, fig):
        self.ax = fig.subplots()
        style_axes(self.ax, "input current I (nA)", "activity A (Hz)")
        (self.l_gain,) = self.ax.plot([], [], color=COLORS["blue"], lw=2, label="gain A = g(I)")
        (self.l_line,) = self.ax.plot([], [], color=COLORS["orange"], lw=2, label="line I = I_ext + J₀qA")
        (self.p_stable,) = self.ax.plot([], [], "o", color=COLORS["black"], ms=9, label="stable")
        (self.p_unstable,) = self.ax.plot([], [], "o", mfc="white", mec=COLORS["black"], mew=2, ms=9, label="unstable")
        self.ax.set_xlim(*self.I_RANGE)
        legend_above(self.ax, 4)

    def model(self, J0, I_ext, sigma):
        return fixed_point_picture(J0, I_ext, sigma, I_range=self.I_RANGE)

    def draw(self, d):
        self.l_gain.set_data(d.I, d.A_gain)
        self.l_line.set_data(d.line_I, d.line_A)
        s = d.stable
        self.p_stable.set_data(d.fp_I[s], d.fp_A[s])
        self.p_unstable.set_data(d.fp_I[~s], d.fp_A[~s])
        self.ax.set_ylim(0, d.A_top)

    def summary(self, d):
        parts = [
            f"A₀ = {a:.2f} Hz at I₀ = {i:.3f} nA ({'stable' if s else 'unstable'})"
            for a, i, s in zip(d.fp_A, d.fp_I, d.stable, strict=True)
        ]
        return f"{len(parts)} solution(s): " + "; ".join(parts) if parts else "no solution in range"
