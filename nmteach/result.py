"""The one result type of every simulation."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ._params import check

__all__ = ["Result", "bin_activity"]


def bin_activity(A, dt: float, bin_width: float, *, smooth: float | None = None):
    """Average a step-resolution activity ``A`` (Hz) into bins of ``bin_width`` ms; returns ``(centres, A)``.

    ``bin_width`` is rounded to a whole number of steps ``dt``; ``smooth`` (ms) convolves the
    binned activity with a normalised Gaussian of that standard deviation (edges corrected).
    """
    bin_width = check("bin_width", bin_width)
    m = max(1, round(bin_width / dt))
    n_bins = len(A) // m
    if n_bins < 1:
        raise ValueError(f"bin_width = {bin_width} ms is longer than the simulated time {len(A) * dt:g} ms")
    out = np.asarray(A[: n_bins * m], dtype=float).reshape(n_bins, m).mean(axis=1)
    width = m * dt
    centres = np.arange(n_bins) * width + width / 2
    if smooth is not None:
        smooth = check("smooth", smooth)
        half = int(np.ceil(4 * smooth / width))
        s = np.arange(-half, half + 1) * width
        g = np.exp(-0.5 * (s / smooth) ** 2)
        g /= g.sum()
        norm = np.convolve(np.ones_like(out), g, mode="same")
        out = np.convolve(out, g, mode="same") / norm
    return centres, out


@dataclass(frozen=True)
class Result:
    """What a simulation produced. Times in ms, potentials in mV, currents in nA, rates in Hz.

    Attributes
    ----------
    t : ndarray, shape (T,)
        Start of every time step, ``t[k] = k·dt``.
    A : ndarray, shape (T,)
        Population activity A(t) at the resolution of the time step: the number
        of spikes with time in ``[t_k, t_k + dt)`` divided by ``N·dt``, in Hz.
    I_ext : ndarray, shape (T,)
        External input at ``t[k]`` (the deterministic part, the same for every neuron).
    I_rec : ndarray, shape (T,)
        Recurrent input, averaged over step ``k``: ``w0 Σ_j Σ_f α(t − t_j^f)``,
        the same for every neuron (with self-coupling excluded, neuron i receives
        this minus its own contribution).
    u : ndarray, shape (R, T)
        Membrane potential of the recorded neurons at ``t[k]``; ``u_reset`` while refractory.
    recorded : ndarray of int, shape (R,)
        Indices of the recorded neurons.
    spike_times : ndarray, shape (S,)
        Spike times (ms), located within their step by inverting the exponential
        membrane trajectory; grouped by time step (ordered to within ``dt``).
    spike_ids : ndarray of int, shape (S,)
        Index of the neuron that fired each spike.
    n_spikes : int
        Total number of spikes (also when spikes were not stored).
    N, dt, t_max :
        Population size, time step (ms) and simulated time (ms).
    params : object
        The model that was simulated (a :class:`nmteach.Population` or :class:`nmteach.Network`).
    groups : tuple of str
        Names of the groups; ``A_groups``, ``I_ext_groups`` and ``I_rec_groups`` (shape (G, T))
        hold each group's activity and mean inputs. For several groups, ``A`` is the activity of
        all neurons and ``I_ext``, ``I_rec`` are averages over all neurons.
    neuron_params : dict of str to ndarray (N,)
        Per-neuron values of the parameters that vary from neuron to neuron
        (a group's ``spread``; "I" is the constant input offset in nA).
    """

    t: np.ndarray
    A: np.ndarray
    I_ext: np.ndarray
    I_rec: np.ndarray
    u: np.ndarray
    recorded: np.ndarray
    spike_times: np.ndarray
    spike_ids: np.ndarray
    n_spikes: int
    N: int
    dt: float
    t_max: float
    params: object = field(repr=False)
    groups: tuple = ("pop",)
    A_groups: np.ndarray | None = field(default=None, repr=False)
    I_ext_groups: np.ndarray | None = field(default=None, repr=False)
    I_rec_groups: np.ndarray | None = field(default=None, repr=False)
    neuron_params: dict = field(default_factory=dict, repr=False)

    def group(self, name: str) -> dict:
        """Activity (Hz) and mean inputs (nA) of one group: ``{"A": (T,), "I_ext": (T,), "I_rec": (T,)}``."""
        if name not in self.groups:
            raise ValueError(f"group {name!r} is not in this result; the groups are {list(self.groups)}")
        i = self.groups.index(name)
        return {"A": self.A_groups[i], "I_ext": self.I_ext_groups[i], "I_rec": self.I_rec_groups[i]}

    def mean_rate(self, t_start: float = 0.0, t_stop: float | None = None) -> float:
        """Mean population activity (Hz) over ``[t_start, t_stop)``."""
        t_start = check("t_on", t_start, label="t_start")
        t_stop = self.t_max if t_stop is None else check("t_max", t_stop, label="t_stop")
        sel = (self.t >= t_start) & (self.t < t_stop)
        if not sel.any():
            raise ValueError(f"the window [{t_start}, {t_stop}) ms contains no time step of this result")
        return float(self.A[sel].mean())

    def activity(self, bin_width: float, *, smooth: float | None = None, group: str | None = None):
        """A(t) in bins of ``bin_width`` ms (optionally Gaussian-smoothed), of all neurons or of one ``group``.

        Returns ``(bin_centres, A)``. Uses every spike, also when spikes were not stored;
        ``bin_width`` is rounded to a whole number of steps.
        """
        A = self.A if group is None else self.group(group)["A"]
        return bin_activity(A, self.dt, bin_width, smooth=smooth)

    def I_total(self) -> np.ndarray:
        """I(t) = I_ext(t) + recurrent input, the mean-field input of the notes (nA)."""
        return self.I_ext + self.I_rec

    def __repr__(self) -> str:
        return (
            f"Result(N={self.N}, t_max={self.t_max:g} ms, dt={self.dt:g} ms, "
            f"n_spikes={self.n_spikes}, mean rate={self.n_spikes / self.N / self.t_max * 1000:.3g} Hz)"
        )
