"""Lesson 04: interacting excitatory and inhibitory pools — spiking network and rate equations."""

from __future__ import annotations

import numpy as np

from ..experiments.pools import brunel_run, phase_plane, pools_run
from ..plotting import COLORS, legend_above, style_axes
from ._base import App, Preset, float_slider, selection_slider

__all__ = ["BrunelApp", "PhasePlaneApp", "PoolsApp"]


def _controls():
    return {
        "J_EE": float_slider("J_nm", 3.0, "J_EE (E → E)", teach=(0.0, 8.0, 0.25), continuous=False),
        "J_EI": float_slider("J_nm", -6.0, "J_EI (I → E)", teach=(-15.0, 0.0, 0.25), continuous=False),
        "J_IE": float_slider("J_nm", 6.0, "J_IE (E → I)", teach=(0.0, 15.0, 0.25), continuous=False),
        "J_II": float_slider("J_nm", -1.0, "J_II (I → I)", teach=(-10.0, 0.0, 0.25), continuous=False),
        "I_E": float_slider("I", 0.14, "input to E", teach=(0.0, 0.3, 0.005), continuous=False),
        "I_I": float_slider("I", 0.10, "input to I", teach=(0.0, 0.3, 0.005), continuous=False),
    }


def _nullcline_lines(ax):
    (nc_E,) = ax.plot([], [], color=COLORS["blue"], lw=2, label="dA_E/dt = 0")
    (nc_I,) = ax.plot([], [], color=COLORS["orange"], lw=2, label="dA_I/dt = 0")
    return nc_E, nc_I


class PhasePlaneApp(App):
    """The E/I rate model τ_n dA_n/dt = −A_n + g_n(I_n), I_n = I_ext,n + Σ_m J_nm q A_m, in the phase plane.

    Nullclines of A_E (blue) and A_I (orange), fixed points (filled: stable, open: unstable)
    and a trajectory started at A_E = A_I = 1 Hz (green); right, the trajectory against time.
    """

    caption = (
        "Fixed points sit where the two nullclines cross. Near a stable focus the trajectory spirals in (damped "
        "oscillations). Stronger inhibition of E damps them faster; stronger recurrent excitation (J_EE above about "
        "3.8) destabilises the focus and the trajectory settles on a limit cycle."
    )
    figsize = (7.6, 3.6)
    presets = {  # noqa: RUF012
        "stable focus": Preset("the defaults: one fixed point, the trajectory spirals into it", {}),
        "limit cycle": Preset(
            "J_EE = 5: the focus is unstable and the rates oscillate on a limit cycle", {"J_EE": 5.0}
        ),
        "three fixed points (bistable)": Preset(
            "strong recurrent excitation, weak inhibition, little input: a low and a high stable state and a saddle",
            {"J_EE": 7.0, "J_EI": -1.0, "I_E": 0.05},
        ),
    }

    def make_controls(self):
        return _controls()

    def build_figure(self, fig):
        self.ax_p, self.ax_t = fig.subplots(1, 2, width_ratios=[1, 1.2])
        style_axes(self.ax_p, "A_E (Hz)", "A_I (Hz)")
        style_axes(self.ax_t, "time t (ms)", "rate model from A = (1, 1) Hz")
        self.l_ncE, self.l_ncI = _nullcline_lines(self.ax_p)
        (self.l_traj,) = self.ax_p.plot([], [], color=COLORS["green"], lw=1.5, label="trajectory")
        (self.p_s,) = self.ax_p.plot([], [], "o", color=COLORS["black"], ms=8, label="stable")
        (self.p_u,) = self.ax_p.plot([], [], "o", mfc="white", mec=COLORS["black"], mew=2, ms=8, label="unstable")
        legend_above(self.ax_p, 3)
        (self.l_E,) = self.ax_t.plot([], [], color=COLORS["blue"], lw=1.5, label="A_E")
        (self.l_I,) = self.ax_t.plot([], [], color=COLORS["orange"], lw=1.5, label="A_I")
        legend_above(self.ax_t, 2)

    def model(self, J_EE, J_EI, J_IE, J_II, I_E, I_I):
        return phase_plane(J_EE, J_EI, J_IE, J_II, I_E, I_I)

    def draw(self, d):
        self.l_ncE.set_data(*d.nc_E)
        self.l_ncI.set_data(*d.nc_I)
        self.l_traj.set_data(d.A[0], d.A[1])
        s = d.stable
        self.p_s.set_data(d.fp[s, 0], d.fp[s, 1])
        self.p_u.set_data(d.fp[~s, 0], d.fp[~s, 1])
        self.ax_p.set_xlim(0, d.window)
        self.ax_p.set_ylim(0, d.window)
        self.l_E.set_data(d.t, d.A[0])
        self.l_I.set_data(d.t, d.A[1])
        self.ax_t.set_xlim(0, d.t[-1])
        self.ax_t.set_ylim(0, max(float(d.A.max()), 1.0) * 1.1)

    def summary(self, d):
        parts = []
        for a, kind, ev in zip(d.fp, d.kinds, d.eigenvalues, strict=True):
            text = f"({a[0]:.1f}, {a[1]:.1f}) Hz: {kind}"
            if np.iscomplexobj(ev) and abs(ev[0].imag) > 0:
                text += f", decay time {1 / abs(ev[0].real):.0f} ms, {1000 * abs(ev[0].imag) / (2 * np.pi):.0f} Hz"
            parts.append(text)
        return "fixed points: " + "; ".join(parts) if parts else "no fixed point"


class PoolsApp(App):
    """A spiking E/I network (all-to-all, w_ij = J_nm/N_m, white noise) beside the rate model.

    Left: A_E(t), A_I(t) of the spiking network (5 ms bins, thin) and of the rate model
    (thick); right: both trajectories in the phase plane with the nullclines.
    """

    caption = (
        "With fast synapses the spiking pools settle where the rate model's nullclines cross. Slow the synapses "
        "(τ_s = 5 ms and more): the spiking network starts to oscillate although the rate model, which has no "
        "synaptic time constant, still predicts a stable focus."
    )
    figsize = (7.6, 3.6)
    presets = {  # noqa: RUF012
        "fast synapses: the rate model holds": Preset(
            "τ_s = 1 ms: the spiking pools fluctuate around the rate model's stable fixed point", {}
        ),
        "slow synapses: the network oscillates": Preset(
            "τ_s = 5 ms: the spiking pools oscillate at about 25 Hz, the rate model does not", {"tau_s": 5.0}
        ),
    }

    def make_controls(self):
        c = _controls()
        c["N_E"] = selection_slider((200, 400, 800, 1600), 800, "N_E (N_I = N_E/4)")
        c["tau_s"] = float_slider("tau_s", 1.0, "synaptic τ_s", teach=(0.5, 10.0, 0.5), continuous=False)
        return c

    def build_figure(self, fig):
        self.ax_t, self.ax_p = fig.subplots(1, 2, width_ratios=[1.3, 1])
        style_axes(self.ax_t, "time t (ms)", "activity (Hz)")
        style_axes(self.ax_p, "A_E (Hz)", "A_I (Hz)")
        (self.s_E,) = self.ax_t.plot([], [], color=COLORS["blue"], lw=0.8, label="E spiking")
        (self.s_I,) = self.ax_t.plot([], [], color=COLORS["orange"], lw=0.8, label="I spiking")
        (self.r_E,) = self.ax_t.plot([], [], color=COLORS["blue"], lw=2.5, label="E rate model")
        (self.r_I,) = self.ax_t.plot([], [], color=COLORS["orange"], lw=2.5, label="I rate model")
        legend_above(self.ax_t, 2)
        self.ax_t.set_xlim(0, 300.0)
        self.l_ncE, self.l_ncI = _nullcline_lines(self.ax_p)
        self.l_ncE.set_lw(1.5)
        self.l_ncI.set_lw(1.5)
        (self.l_sp,) = self.ax_p.plot([], [], color=COLORS["black"], lw=0.8, label="spiking")
        (self.l_rt,) = self.ax_p.plot([], [], color=COLORS["green"], lw=2, label="rate model")
        legend_above(self.ax_p, 2, handles=[self.l_sp, self.l_rt])

    def model(self, J_EE, J_EI, J_IE, J_II, I_E, I_I, N_E, tau_s):
        return pools_run(J_EE, J_EI, J_IE, J_II, I_E, I_I, N_E, tau_s)

    def draw(self, d):
        self.s_E.set_data(d.tc, d.AE)
        self.s_I.set_data(d.tc, d.AI)
        self.r_E.set_data(d.t, d.A[0])
        self.r_I.set_data(d.t, d.A[1])
        top = max(float(d.AE.max()), float(d.AI.max()), float(d.A.max()), 1.0) * 1.1
        self.ax_t.set_ylim(0, top)
        self.l_ncE.set_data(*d.nc_E)
        self.l_ncI.set_data(*d.nc_I)
        self.l_sp.set_data(d.AE, d.AI)
        self.l_rt.set_data(d.A[0], d.A[1])
        hi = max(float(d.AE.max()), float(d.AI.max()), float(d.A.max()), 5.0) * 1.1
        self.ax_p.set_xlim(0, hi)
        self.ax_p.set_ylim(0, hi)

    def summary(self, d):
        fixed = ", ".join(f"({a[0]:.1f}, {a[1]:.1f})" for a in d.fixed) or "none"
        return (
            f"spiking network, second half: A_E = <b>{d.sim[0]:.1f} Hz</b>, A_I = <b>{d.sim[1]:.1f} Hz</b>, "
            f"synchrony index of E {d.sync_E:.0f} · stable fixed point(s) of the rate model: <b>{fixed}</b> Hz"
        )


class BrunelApp(App):
    """Brunel's sparse E/I network: N_E = 2000, N_I = 500, C_E inputs of J = 100 mV/C_E, delay 1.5 ms, Poisson drive.

    g is the relative strength of inhibition, η = ν_ext/ν_thr the external drive. Raster of
    100 neurons and A(t) (1 ms bins) with the diffusion mean-field rate.
    """

    caption = (
        "For g below about 3.5 excitation wins: the population fires in regular, synchronous volleys at a few hundred "
        "hertz. For larger g single neurons fire irregularly near the mean-field rate (for η ≥ 2), but A(t) still "
        "fluctuates far more than independent neurons would: a fast resonance, or slow oscillations for η ≈ 1, "
        "10–20 % below the mean field. Brunel's four states are the presets."
    )
    figsize = (7.6, 4.2)
    presets = {  # noqa: RUF012
        "A: synchronous regular": Preset(
            "g = 3, η = 2: excitation dominates; regular volleys (CV2 ≈ 0), synchrony index in the hundreds",
            {"g": 3.0, "eta": 2.0},
        ),
        "B: synchronous irregular, fast": Preset(
            "g = 6, η = 4, C_E = 800: irregular neurons (CV2 ≈ 0.7) in a fast global oscillation (≈ 170 Hz)",
            {"g": 6.0, "eta": 4.0, "C_E": 800},
        ),
        "C: asynchronous irregular": Preset(
            "g = 5, η = 2: irregular neurons at the mean-field rate, the weakest synchrony of the four",
            {"g": 5.0, "eta": 2.0},
        ),
        "D: synchronous irregular, slow": Preset(
            "g = 4.5, η = 0.9, C_E = 400: irregular neurons, a slow oscillation (30–60 Hz) below the mean field",
            {"g": 4.5, "eta": 0.9, "C_E": 400},
        ),
    }

    def make_controls(self):
        return {
            "g": float_slider("g", 5.0, "inhibition g", teach=(2.0, 8.0, 0.25), continuous=False),
            "eta": float_slider("eta", 2.0, "drive η = ν_ext/ν_thr", teach=(0.5, 4.0, 0.1), continuous=False),
            "C_E": selection_slider((100, 200, 400, 800), 200, "inputs C_E (J = 100 mV/C_E)"),
        }

    def build_figure(self, fig):
        self.ax_r, self.ax_a = fig.subplots(2, 1, sharex=True)
        style_axes(self.ax_r, "", "neuron (80 E, 20 I)")
        style_axes(self.ax_a, "time t (ms)", "A(t), 1 ms bins (Hz)")
        (self.l_r,) = self.ax_r.plot([], [], "|", color=COLORS["black"], ms=2.5, mew=0.7)
        self.ax_r.set_ylim(-0.5, 99.5)
        (self.l_a,) = self.ax_a.plot([], [], color=COLORS["blue"], lw=1, label="simulation")
        self.l_mf = self.ax_a.axhline(0, color=COLORS["orange"], lw=2, label="mean-field rate")
        legend_above(self.ax_a, 2)
        self.ax_a.set_xlim(0, 300.0)

    def model(self, g, eta, C_E):
        return brunel_run(g, eta, C_E)

    def draw(self, d):
        self.l_r.set_data(d.rt, d.ri)
        self.l_a.set_data(d.tc, d.A)
        self.l_mf.set_ydata([d.mean_field] * 2)
        self.ax_a.set_ylim(0, max(float(d.A.max()), d.mean_field, 1.0) * 1.1)

    def summary(self, d):
        return (
            f"simulated rate <b>{d.rate:.1f} Hz</b> · mean field <b>{d.mean_field:.1f} Hz</b> · synchrony index "
            f"{d.sync:.0f} · CV2 of intervals {'n/a' if np.isnan(d.cv2) else f'{d.cv2:.2f}'} · spectral peak "
            f"{d.peak_Hz:.0f} Hz"
        )
