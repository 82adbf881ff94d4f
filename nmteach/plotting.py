"""Plot helpers: each takes a result (or arrays) and an optional ``ax``, returns the artists.

Colours come from the Okabe–Ito palette, which stays distinguishable under the
common forms of colour blindness. Nothing here calls ``plt.show()``.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from cycler import cycler

from .result import Result

__all__ = [
    "COLORS",
    "LESSON_STYLE",
    "PRESENT_STYLE",
    "fit_legends",
    "legend_above",
    "new_figure",
    "plot_activity",
    "plot_kernels",
    "plot_raster",
    "style_axes",
]

#: Okabe–Ito colour-blind-safe palette.
COLORS = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
}


#: the figure style of the lessons: type readable at 100 dpi, the Okabe–Ito cycle
LESSON_STYLE = {
    "font.size": 12,
    "axes.titlesize": 12,
    "axes.labelsize": 12,
    "legend.fontsize": 10,
    "xtick.labelsize": 11,
    "ytick.labelsize": 11,
    "lines.linewidth": 1.8,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.prop_cycle": cycler(
        color=["#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#000000"]
    ),
    "figure.dpi": 100,
    "savefig.dpi": 150,
}
#: the present layout: tick labels of 14 pt are 19.4 px at 100 dpi, readable from the back of a room
PRESENT_STYLE = {
    **LESSON_STYLE,
    "font.size": 15,
    "axes.titlesize": 15,
    "axes.labelsize": 15,
    "legend.fontsize": 13,
    "xtick.labelsize": 14,
    "ytick.labelsize": 14,
    "lines.linewidth": 2.6,
}


def new_figure(*args, **kw):
    """A figure for a lesson cell: ``plt.subplots(*args, **kw)`` with the constrained layout, made without
    drawing it at once (the cell shows it, e.g. with :func:`nmteach.apps.show`), and without ipympl's title bar."""
    with plt.ioff():
        fig, ax = plt.subplots(*args, layout="constrained", **kw)
    if hasattr(fig.canvas, "header_visible"):
        fig.canvas.header_visible = False
    return fig, ax


def _ax(ax):
    if ax is None:
        import matplotlib.pyplot as plt

        ax = plt.gca()
    return ax


def style_axes(ax, xlabel: str, ylabel: str, title: str | None = None):
    """Label the axes (with units) and drop the top and right spines."""
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title, loc="left", fontsize="medium")
    ax.spines["top"].set_visible(False)
    ax.spines["right"].set_visible(False)
    return ax


def legend_above(ax, ncols: int, **kw):
    """A legend in rows above the axes, off the data, in up to ``ncols`` columns.

    Call :func:`fit_legends` once the figure is complete: it lays the figure out without these
    legends, then gives each as many columns as fit the width of its axes, so that no legend is
    cut off or squeezes the axes sideways.
    """
    kw.setdefault("fontsize", "small")
    ax._legend_above = (max(int(ncols), 1), kw)
    return _place_legend(ax, max(int(ncols), 1))


def _place_legend(ax, n: int):
    _, kw = ax._legend_above
    legend = ax.legend(
        loc="lower left",
        bbox_to_anchor=(0.0, 1.01),
        ncols=n,
        frameon=False,
        borderaxespad=0.0,
        handlelength=1.6,
        columnspacing=1.0,
        **kw,
    )
    return legend


def fit_legends(fig) -> None:
    """Give every :func:`legend_above` legend of ``fig`` as many columns as fit its axes' width."""
    axes = [ax for ax in fig.axes if hasattr(ax, "_legend_above")]
    if not axes:
        return
    for ax in axes:
        ax.get_legend().set_in_layout(False)
    fig.draw_without_rendering()  # the layout without the legends: the widths they must fit
    renderer = fig.canvas.get_renderer()
    for ax in axes:
        width = ax.get_window_extent(renderer).width
        for n in range(ax._legend_above[0], 0, -1):
            legend = _place_legend(ax, n)
            if n == 1 or legend.get_window_extent(renderer).width <= width:
                break
        legend.set_in_layout(True)


def raster_data(res: Result, max_neurons: int = 100):
    """Spike times and ids of the first ``max_neurons`` neurons."""
    sel = res.spike_ids < max_neurons
    return res.spike_times[sel], res.spike_ids[sel]


def plot_raster(res: Result, ax=None, *, max_neurons: int = 100, color: str = COLORS["black"]):
    """Spike raster of the first ``max_neurons`` neurons: one tick per spike."""
    ax = _ax(ax)
    t, i = raster_data(res, max_neurons)
    (line,) = ax.plot(t, i, "|", color=color, markersize=3, markeredgewidth=0.8)
    ax.set_xlim(0, res.t_max)
    ax.set_ylim(-0.5, min(max_neurons, res.N) - 0.5)
    style_axes(ax, "time t (ms)", "neuron")
    return line


def plot_activity(res: Result, ax=None, *, bin_width: float = 1.0, smooth: float | None = None, **kw):
    """A(t) in Hz at bins of ``bin_width`` ms."""
    ax = _ax(ax)
    tc, A = res.activity(bin_width, smooth=smooth)
    kw.setdefault("color", COLORS["blue"])
    (line,) = ax.plot(tc, A, lw=1.0, **kw)
    ax.set_xlim(0, res.t_max)
    style_axes(ax, "time t (ms)", "activity A(t) (Hz)")
    return line


def plot_kernels(kernels, ax=None, *, t_max: float = 30.0):
    """α(s) of several kernels (a delta kernel is drawn as an arrow of height 'q')."""
    ax = _ax(ax)
    palette = [COLORS["blue"], COLORS["orange"], COLORS["green"], COLORS["vermillion"], COLORS["purple"]]
    s = np.linspace(0, t_max, 600)
    artists = []
    for k, c in zip(kernels, palette, strict=False):
        label = f"{k.name}: q = ∫α ds = {k.q:g} pC"
        if k.duration == 0.0:
            artists.append(
                ax.annotate("", xy=(0, k.q), xytext=(0, 0), arrowprops=dict(arrowstyle="-|>", color=c, lw=2))
            )
            artists.append(ax.plot([], [], color=c, lw=2, label=label + " (δ pulse)")[0])
        else:
            artists.append(ax.plot(s, k(s), color=c, lw=2, label=label)[0])
    style_axes(ax, "time since the presynaptic spike s (ms)", "PSC α(s) (nA)")
    ax.legend(frameon=False, fontsize="small")
    return artists
