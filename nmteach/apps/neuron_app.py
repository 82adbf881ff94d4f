"""Lesson 00: one LIF neuron — u(t) against the simulation, and the f–I curve."""

from __future__ import annotations

import numpy as np

from ..engine import simulate
from ..model.network import Population
from ..model.neuron import LIF, free_solution, gain, rheobase
from ..plotting import COLORS, style_axes
from ._base import App, float_slider

__all__ = ["LIFApp"]

T_MAX = 100.0  # ms shown in the trace
DT = 0.1


class LIFApp(App):
    """Membrane trace of one LIF neuron under a constant current, and its gain function.

    Left: the simulated u(t) (solid) and the free solution
    u(t) = u_rest + (1 − e^{−t/τ_m}) R I0 (dashed) up to the first spike.
    Right: the f–I curve g(I), the current I0 and the rate measured in the simulation.
    """

    caption = (
        "Left, the dashed free solution lies exactly on the simulated trace until u reaches θ. "
        "Right, the measured rate (dot) sits on the f–I curve; below the rheobase (dotted line) there are no spikes."
    )
    figsize = (9.5, 3.6)

    def make_controls(self):
        return {
            "I0": float_slider("I", 0.2, "input I₀"),
            "tau_m": float_slider("tau_m", 10.0, "τ_m"),
            "R": float_slider("R", 100.0, "R"),
            "theta": float_slider("theta", -50.0, "threshold θ"),
            "t_ref": float_slider("t_ref", 2.0, "refractory t_ref"),
        }

    def build_figure(self, fig):
        self.ax_u, self.ax_f = fig.subplots(1, 2, width_ratios=[1.4, 1])
        style_axes(self.ax_u, "time t (ms)", "membrane potential u (mV)", "u(t) with constant input")
        style_axes(self.ax_f, "input current I (nA)", "firing rate g(I) (Hz)", "f–I curve")
        (self.l_sim,) = self.ax_u.plot([], [], color=COLORS["blue"], lw=1.5, label="simulation")
        (self.l_free,) = self.ax_u.plot([], [], "--", color=COLORS["orange"], lw=2, label="free solution u(t)")
        self.l_theta = self.ax_u.axhline(-50, color=COLORS["vermillion"], lw=1, ls=":", label="threshold θ")
        self.ax_u.set_xlim(0, T_MAX)
        self.ax_u.legend(fontsize="small", framealpha=0.85, edgecolor="none", loc="lower right")
        (self.l_gain,) = self.ax_f.plot([], [], color=COLORS["black"], lw=1.5, label="g(I), formula")
        (self.p_sim,) = self.ax_f.plot([], [], "o", color=COLORS["blue"], ms=7, label="simulation")
        self.l_rheo = self.ax_f.axvline(0.15, color=COLORS["green"], ls=":", lw=1.5, label="rheobase")
        self.ax_f.set_xlim(0, 0.5)
        self.ax_f.legend(fontsize="small", framealpha=0.85, edgecolor="none", loc="upper left")

    def model(self, I0, tau_m, R, theta, t_ref):
        neuron = LIF(tau_m=tau_m, R=R, theta=theta, t_ref=t_ref)
        res = simulate(Population(N=1, neuron=neuron, I_ext=I0, u0="rest"), T_MAX, dt=DT, rng=0, record=1)
        t = res.t
        first = res.spike_times[0] if res.n_spikes else T_MAX
        before = t <= first
        u_free = free_solution(t[before], I0, neuron)
        I = np.linspace(0, 0.5, 251)
        # the rate in the simulation, from the intervals of a longer run
        long = simulate(Population(N=1, neuron=neuron, I_ext=I0, u0="rest"), 500.0, dt=DT, rng=0, record=0)
        st = long.spike_times
        rate_sim = 1000.0 / np.diff(st).mean() if st.size > 1 else 0.0
        return {
            "t": t,
            "u": res.u[0],
            "t_free": t[before],
            "u_free": u_free,
            "I": I,
            "g": gain(I, neuron),
            "I0": I0,
            "rate_sim": rate_sim,
            "rate_theory": float(gain(I0, neuron)),
            "rheobase": rheobase(neuron),
            "theta": theta,
            "n_spikes": res.n_spikes,
        }

    def draw(self, d):
        self.l_sim.set_data(d["t"], d["u"])
        self.l_free.set_data(d["t_free"], d["u_free"])
        self.l_theta.set_ydata([d["theta"], d["theta"]])
        lo = min(d["u"].min(), -66.0)
        self.ax_u.set_ylim(lo - 1, max(d["theta"], d["u"].max()) + 3)
        self.l_gain.set_data(d["I"], d["g"])
        self.p_sim.set_data([d["I0"]], [d["rate_sim"]])
        self.l_rheo.set_xdata([d["rheobase"], d["rheobase"]])
        self.ax_f.set_ylim(0, max(d["g"].max(), d["rate_sim"], 1.0) * 1.05)

    def summary(self, d):
        return (
            f"rheobase (θ − u_rest)/R = <b>{d['rheobase']:.3f} nA</b> · "
            f"formula g(I₀) = <b>{d['rate_theory']:.1f} Hz</b> · simulation <b>{d['rate_sim']:.1f} Hz</b>"
        )
