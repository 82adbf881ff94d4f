"""Lesson 04: interacting excitatory and inhibitory pools — spiking network and rate equations."""

from __future__ import annotations

import numpy as np

from ..analysis import synchrony_index
from ..engine import simulate_network
from ..model.inputs import WhiteNoise
from ..model.kernels import ExponentialKernel
from ..model.network import Group, Network, Projection
from ..models import NEURON_E, NEURON_I, brunel_network, ei_rate_model
from ..models import SIGMA_EI as SIGMA
from ..plotting import COLORS, style_axes
from ..theory.meanfield import brunel_rate
from ..theory.rates import integrate, nullclines, stationary_states
from ._base import App, float_slider, selection_slider

__all__ = ["BrunelApp", "PhasePlaneApp", "PoolsApp"]

A_GRID = np.linspace(0.0, 60.0, 200)


def _controls():
    return {
        "J_EE": float_slider("J_nm", 3.0, "J_EE (E → E)", teach=(0.0, 8.0, 0.25), continuous=False),
        "J_EI": float_slider("J_nm", -6.0, "J_EI (I → E)", teach=(-15.0, 0.0, 0.25), continuous=False),
        "J_IE": float_slider("J_nm", 6.0, "J_IE (E → I)", teach=(0.0, 15.0, 0.25), continuous=False),
        "J_II": float_slider("J_nm", -1.0, "J_II (I → I)", teach=(-10.0, 0.0, 0.25), continuous=False),
        "I_E": float_slider("I", 0.14, "input to E", teach=(0.0, 0.3, 0.005), continuous=False),
        "I_I": float_slider("I", 0.10, "input to I", teach=(0.0, 0.3, 0.005), continuous=False),
    }


def _phase_data(model, A0, t_max=300.0):
    model = model.tabulated()  # interpolated gains: a phase plane in tens of milliseconds
    fps = stationary_states(model)
    nc_E, nc_I = nullclines(model, A_GRID)
    traj = integrate(model, A0, t_max, dt=0.5)
    return fps, nc_E, nc_I, traj


class PhasePlaneApp(App):
    """The E/I rate model τ_n dA_n/dt = −A_n + g_n(I_n), I_n = I_ext,n + Σ_m J_nm q A_m, in the phase plane.

    Nullclines of A_E (blue) and A_I (orange), fixed points (filled: stable, open: unstable)
    and a trajectory started at A_E = A_I = 1 Hz (green); right, the trajectory against time.
    """

    caption = (
        "Fixed points sit where the two nullclines cross. Near a stable focus the trajectory spirals in (damped "
        "oscillations); make the I → E coupling stronger and the focus can lose stability to a limit cycle."
    )
    figsize = (10.0, 4.0)

    def make_controls(self):
        return _controls()

    def build_figure(self, fig):
        self.ax_p, self.ax_t = fig.subplots(1, 2, width_ratios=[1, 1.2])
        style_axes(self.ax_p, "A_E (Hz)", "A_I (Hz)", "phase plane")
        style_axes(self.ax_t, "time t (ms)", "activity (Hz)", "rate model from A = (1, 1) Hz")
        (self.l_ncE,) = self.ax_p.plot([], [], color=COLORS["blue"], lw=2, label="dA_E/dt = 0")
        (self.l_ncI,) = self.ax_p.plot([], [], color=COLORS["orange"], lw=2, label="dA_I/dt = 0")
        (self.l_traj,) = self.ax_p.plot([], [], color=COLORS["green"], lw=1.5, label="trajectory")
        (self.p_s,) = self.ax_p.plot([], [], "o", color=COLORS["black"], ms=8, label="stable")
        (self.p_u,) = self.ax_p.plot([], [], "o", mfc="white", mec=COLORS["black"], mew=2, ms=8, label="unstable")
        self.ax_p.set_xlim(A_GRID[0], A_GRID[-1])
        self.ax_p.set_ylim(A_GRID[0], A_GRID[-1])
        self.ax_p.legend(fontsize="small", framealpha=0.85, edgecolor="none", loc="upper right")
        (self.l_E,) = self.ax_t.plot([], [], color=COLORS["blue"], lw=1.5, label="A_E")
        (self.l_I,) = self.ax_t.plot([], [], color=COLORS["orange"], lw=1.5, label="A_I")
        self.ax_t.legend(fontsize="small", framealpha=0.85, edgecolor="none", loc="upper right")

    def model(self, J_EE, J_EI, J_IE, J_II, I_E, I_I):
        model = ei_rate_model(J_EE, J_EI, J_IE, J_II, I_E, I_I)
        fps, nc_E, nc_I, traj = _phase_data(model, [1.0, 1.0])
        A = np.array([fp.A for fp in fps]).reshape(-1, 2)
        stable = np.array([fp.stable for fp in fps], dtype=bool)
        return {
            "ncE": np.nan_to_num(nc_E, nan=-1.0),
            "ncI": np.nan_to_num(nc_I, nan=-1.0),
            "fp": A,
            "stable": stable,
            "kinds": [fp.kind for fp in fps],
            "eig": [fp.eigenvalues for fp in fps],
            "t": traj.t,
            "A": traj.A,
        }

    def draw(self, d):
        # nullcline pieces are separated by NaN; mapped to −1 (off the axes) to keep the data finite
        for line, nc in ((self.l_ncE, d["ncE"]), (self.l_ncI, d["ncI"])):
            x, y = nc
            gap = (x < 0) | (y < 0)
            line.set_data(np.where(gap, np.nan, x), np.where(gap, np.nan, y))
        self.l_traj.set_data(d["A"][0], d["A"][1])
        s = d["stable"]
        self.p_s.set_data(d["fp"][s, 0], d["fp"][s, 1])
        self.p_u.set_data(d["fp"][~s, 0], d["fp"][~s, 1])
        self.l_E.set_data(d["t"], d["A"][0])
        self.l_I.set_data(d["t"], d["A"][1])
        self.ax_t.set_xlim(0, d["t"][-1])
        self.ax_t.set_ylim(0, max(float(d["A"].max()), 1.0) * 1.1)

    def summary(self, d):
        parts = []
        for a, kind, ev in zip(d["fp"], d["kinds"], d["eig"], strict=True):
            text = f"({a[0]:.1f}, {a[1]:.1f}) Hz: {kind}"
            if np.iscomplexobj(ev) and abs(ev[0].imag) > 0:
                text += f", damping {1 / abs(ev[0].real):.0f} ms, {1000 * abs(ev[0].imag) / (2 * np.pi):.0f} Hz"
            parts.append(text)
        return "fixed points: " + "; ".join(parts) if parts else "no fixed point in the window"


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
    figsize = (10.0, 4.0)
    T = 300.0
    DT = 0.2

    def make_controls(self):
        c = _controls()
        c["N_E"] = selection_slider((200, 400, 800, 1600), 800, "N_E (N_I = N_E/4)")
        c["tau_s"] = float_slider("tau_s", 1.0, "synaptic τ_s", teach=(0.5, 10.0, 0.5), continuous=False)
        return c

    def build_figure(self, fig):
        self.ax_t, self.ax_p = fig.subplots(1, 2, width_ratios=[1.3, 1])
        style_axes(self.ax_t, "time t (ms)", "activity (Hz)", "spiking (thin) and rate model (thick)")
        style_axes(self.ax_p, "A_E (Hz)", "A_I (Hz)", "phase plane")
        (self.s_E,) = self.ax_t.plot([], [], color=COLORS["blue"], lw=0.8)
        (self.s_I,) = self.ax_t.plot([], [], color=COLORS["orange"], lw=0.8)
        (self.r_E,) = self.ax_t.plot([], [], color=COLORS["blue"], lw=2.5, label="E")
        (self.r_I,) = self.ax_t.plot([], [], color=COLORS["orange"], lw=2.5, label="I")
        self.ax_t.legend(fontsize="small", framealpha=0.85, edgecolor="none", loc="upper right")
        self.ax_t.set_xlim(0, self.T)
        (self.l_ncE,) = self.ax_p.plot([], [], color=COLORS["blue"], lw=1.5)
        (self.l_ncI,) = self.ax_p.plot([], [], color=COLORS["orange"], lw=1.5)
        (self.l_sp,) = self.ax_p.plot([], [], color=COLORS["black"], lw=0.8, label="spiking")
        (self.l_rt,) = self.ax_p.plot([], [], color=COLORS["green"], lw=2, label="rate model")
        self.ax_p.legend(fontsize="small", framealpha=0.85, edgecolor="none", loc="upper right")

    def model(self, J_EE, J_EI, J_IE, J_II, I_E, I_I, N_E, tau_s):
        N_I = N_E // 4
        rate = ei_rate_model(J_EE, J_EI, J_IE, J_II, I_E, I_I)
        kernel = ExponentialKernel(1.0, tau_s)
        groups = (
            Group("E", N_E, neuron=NEURON_E, I_ext=I_E, noise=WhiteNoise(SIGMA)),
            Group("I", N_I, neuron=NEURON_I, I_ext=I_I, noise=WhiteNoise(SIGMA)),
        )
        projections = tuple(
            Projection(src, tgt, J=J, kernel=kernel)
            for (tgt, src), J in {("E", "E"): J_EE, ("E", "I"): J_EI, ("I", "E"): J_IE, ("I", "I"): J_II}.items()
            if J != 0
        )
        res = simulate_network(Network(groups, projections), self.T, dt=self.DT, rng=1, record=0, record_spikes=False)
        m = round(5.0 / self.DT)
        AE = res.A_groups[0].reshape(-1, m).mean(axis=1)
        AI = res.A_groups[1].reshape(-1, m).mean(axis=1)
        tc = (np.arange(len(AE)) + 0.5) * 5.0
        fps, nc_E, nc_I, traj = _phase_data(rate, [0.0, 0.0], self.T)
        late = tc > self.T / 2
        stable = [fp.A for fp in fps if fp.stable]
        return {
            "tc": tc,
            "AE": AE,
            "AI": AI,
            "t": traj.t,
            "A": traj.A,
            "ncE": np.nan_to_num(nc_E, nan=-1.0),
            "ncI": np.nan_to_num(nc_I, nan=-1.0),
            "sim": np.array([AE[late].mean(), AI[late].mean()]),
            "fixed": np.array(stable).reshape(-1, 2),
        }

    def draw(self, d):
        self.s_E.set_data(d["tc"], d["AE"])
        self.s_I.set_data(d["tc"], d["AI"])
        self.r_E.set_data(d["t"], d["A"][0])
        self.r_I.set_data(d["t"], d["A"][1])
        top = max(float(d["AE"].max()), float(d["AI"].max()), float(d["A"].max()), 1.0) * 1.1
        self.ax_t.set_ylim(0, top)
        for line, nc in ((self.l_ncE, d["ncE"]), (self.l_ncI, d["ncI"])):
            x, y = nc
            gap = (x < 0) | (y < 0)
            line.set_data(np.where(gap, np.nan, x), np.where(gap, np.nan, y))
        self.l_sp.set_data(d["AE"], d["AI"])
        self.l_rt.set_data(d["A"][0], d["A"][1])
        hi = max(float(d["AE"].max()), float(d["AI"].max()), float(d["A"].max()), 5.0) * 1.1
        self.ax_p.set_xlim(0, hi)
        self.ax_p.set_ylim(0, hi)

    def summary(self, d):
        fixed = ", ".join(f"({a[0]:.1f}, {a[1]:.1f})" for a in d["fixed"]) or "none"
        return (
            f"spiking network, second half: A_E = <b>{d['sim'][0]:.1f} Hz</b>, A_I = <b>{d['sim'][1]:.1f} Hz</b> · "
            f"stable fixed point(s) of the rate model: <b>{fixed}</b> Hz"
        )


class BrunelApp(App):
    """Brunel's sparse E/I network (N_E = 2000, C_E = 200, J = 0.5 mV, delay 1.5 ms, Poisson drive).

    g is the relative strength of inhibition, η = ν_ext/ν_thr the external drive. Raster of
    100 neurons and A(t) (1 ms bins) with the diffusion mean-field rate.
    """

    caption = (
        "For g > 4 inhibition dominates and the network fires asynchronously and irregularly near the mean-field "
        "rate; for g < 4 excitation wins and the population fires in regular, synchronous volleys at high rate."
    )
    figsize = (10.0, 4.4)
    T = 300.0

    def make_controls(self):
        return {
            "g": float_slider("g", 5.0, "inhibition g", teach=(2.0, 8.0, 0.25), continuous=False),
            "eta": float_slider("eta", 2.0, "drive η = ν_ext/ν_thr", teach=(0.5, 4.0, 0.1), continuous=False),
        }

    def build_figure(self, fig):
        self.ax_r, self.ax_a = fig.subplots(2, 1, sharex=True)
        style_axes(self.ax_r, "", "neuron", "100 neurons (80 E, 20 I)")
        style_axes(self.ax_a, "time t (ms)", "A(t) (Hz)", "population activity, 1 ms bins")
        (self.l_r,) = self.ax_r.plot([], [], "|", color=COLORS["black"], ms=2.5, mew=0.7)
        self.ax_r.set_ylim(-0.5, 99.5)
        (self.l_a,) = self.ax_a.plot([], [], color=COLORS["blue"], lw=1)
        self.l_mf = self.ax_a.axhline(0, color=COLORS["orange"], lw=2, label="mean-field rate")
        self.ax_a.legend(fontsize="small", framealpha=0.85, edgecolor="none", loc="upper right")
        self.ax_a.set_xlim(0, self.T)

    def model(self, g, eta):
        net = brunel_network(g, eta)
        res = simulate_network(net, self.T, dt=0.1, rng=1, record=0)
        tc, A = res.activity(1.0)
        sel = (res.spike_ids < 80) | ((res.spike_ids >= 2000) & (res.spike_ids < 2020))
        ids = np.where(res.spike_ids[sel] < 80, res.spike_ids[sel], res.spike_ids[sel] - 2000 + 80)
        try:
            mf = brunel_rate(g, eta, J=0.5, C_E=200)
        except ValueError:
            mf = 0.0
        late = tc > 100
        return {
            "rt": res.spike_times[sel],
            "ri": ids,
            "tc": tc,
            "A": A,
            "mf": mf,
            "rate": float(A[late].mean()),
            "sync": synchrony_index(A[late], res.N, 1.0),
        }

    def draw(self, d):
        self.l_r.set_data(d["rt"], d["ri"])
        self.l_a.set_data(d["tc"], d["A"])
        self.l_mf.set_ydata([d["mf"]] * 2)
        self.ax_a.set_ylim(0, max(float(d["A"].max()), d["mf"], 1.0) * 1.1)

    def summary(self, d):
        return (
            f"simulated rate <b>{d['rate']:.1f} Hz</b> · mean-field (diffusion) rate <b>{d['mf']:.1f} Hz</b> · "
            f"synchrony index {d['sync']:.0f}"
        )
