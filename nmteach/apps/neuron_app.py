"""Lesson 00: one LIF neuron — u(t) against the free solution, and the f–I curve."""

from __future__ import annotations

from ..experiments.neuron import I_RANGE, lif_trace
from ..plotting import COLORS, legend_above, style_axes
from ._base import App, Preset, float_slider

__all__ = ["LIFApp"]


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
    figsize = (7.6, 3.3)
    presets = {  # noqa: RUF012
        "silent below the rheobase": Preset("I₀ = 0.12 nA < 0.15 nA: u settles below θ, no spike", {"I0": 0.12}),
        "regular firing": Preset("the defaults: the neuron fires regularly at g(I₀)", {}),
        "slow membrane": Preset("τ_m = 40 ms: same rheobase, a lower rate above it", {"tau_m": 40.0}),
        "long refractory period": Preset(
            "t_ref = 10 ms at 0.5 nA: the rate stays below 1/t_ref = 100 Hz", {"t_ref": 10.0, "I0": 0.5}
        ),
    }

    def make_controls(self):
        return {
            "I0": float_slider("I", 0.2, "input I₀"),
            "tau_m": float_slider("tau_m", 10.0, "τ_m"),
            "R": float_slider("R", 100.0, "R"),
            "theta": float_slider("theta", -50.0, "threshold θ"),
            "t_ref": float_slider("t_ref", 2.0, "refractory t_ref"),
        }

    def build_figure(self, fig):
        self.ax_u, self.ax_f = fig.subplots(1, 2, width_ratios=[1.35, 1])
        style_axes(self.ax_u, "time t (ms)", "membrane potential u (mV)")
        style_axes(self.ax_f, "input current I (nA)", "firing rate g(I) (Hz)")
        (self.l_sim,) = self.ax_u.plot([], [], color=COLORS["blue"], lw=1.5, label="simulation")
        (self.l_free,) = self.ax_u.plot([], [], "--", color=COLORS["orange"], lw=2, label="free solution")
        self.l_theta = self.ax_u.axhline(-50, color=COLORS["vermillion"], lw=1, ls=":", label="θ")
        self.ax_u.set_xlim(0, 100)
        legend_above(self.ax_u, 3)
        (self.l_gain,) = self.ax_f.plot([], [], color=COLORS["black"], lw=1.5, label="g(I)")
        (self.p_sim,) = self.ax_f.plot([], [], "o", color=COLORS["blue"], ms=7, label="simulation")
        self.l_rheo = self.ax_f.axvline(0.15, color=COLORS["green"], ls=":", lw=1.5, label="rheobase")
        self.ax_f.set_xlim(*I_RANGE)
        legend_above(self.ax_f, 3)

    def model(self, I0, tau_m, R, theta, t_ref):
        return lif_trace(I0, tau_m, R, theta, t_ref)

    def draw(self, d):
        self.l_sim.set_data(d.t, d.u)
        self.l_free.set_data(d.t_free, d.u_free)
        self.l_theta.set_ydata([d.theta, d.theta])
        self.ax_u.set_ylim(min(d.u.min(), -66.0) - 1, max(d.theta, d.u.max()) + 3)
        self.l_gain.set_data(d.I, d.g)
        self.p_sim.set_data([d.I0], [d.rate_sim])
        self.l_rheo.set_xdata([d.rheobase, d.rheobase])
        self.ax_f.set_ylim(0, max(d.g.max(), d.rate_sim, 1.0) * 1.05)

    def summary(self, d):
        sim = f"<b>{d.rate_sim:.1f} Hz</b>" if d.n_spikes > 1 or d.rate_theory == 0 else "fewer than two spikes"
        return (
            f"rheobase (θ − u_rest)/R = <b>{d.rheobase:.3f} nA</b> · formula g(I₀) = <b>{d.rate_theory:.1f} Hz</b>"
            f" · simulation ({d.t_rate:.0f} ms) {sim}"
        )
