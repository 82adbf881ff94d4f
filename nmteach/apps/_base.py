"""The widget-app pattern: a pure model function plus a thin view on a figure built once.

An app owns a dict of ipywidgets ``controls``, a matplotlib figure (an ipympl
canvas under ``%matplotlib widget``, any other canvas otherwise) and a status
line. A control change runs ``model(**values)`` (pure, testable without a
browser), then ``draw(data)`` updates the existing artists with ``set_data``
and asks the canvas to redraw. Errors are caught and shown in the status line:
a learner never sees a traceback.
"""

from __future__ import annotations

import html
import time

import ipywidgets as widgets
import numpy as np

from .._params import PARAMETERS

__all__ = ["App", "float_slider", "progress"]

_SLIDER_STYLE = {"description_width": "13em"}
_SLIDER_LAYOUT = widgets.Layout(width="31em")


def float_slider(name: str, value: float, label: str, *, teach=None, continuous: bool = True, readout_format=".3g"):
    """A FloatSlider whose range and unit come from :data:`nmteach.PARAMETERS`."""
    spec = PARAMETERS[name]
    lo, hi, step = teach or spec.teach
    unit = f" ({spec.unit})" if spec.unit else ""
    return widgets.FloatSlider(
        value=value,
        min=lo,
        max=hi,
        step=step,
        description=f"{label}{unit}",
        continuous_update=continuous,
        readout_format=readout_format,
        style=_SLIDER_STYLE,
        layout=_SLIDER_LAYOUT,
    )


def selection_slider(options, value, description: str, continuous: bool = False):
    return widgets.SelectionSlider(
        options=options,
        value=value,
        description=description,
        continuous_update=continuous,
        style=_SLIDER_STYLE,
        layout=_SLIDER_LAYOUT,
    )


def dropdown(options, value, description: str):
    return widgets.Dropdown(options=options, value=value, description=description, style=_SLIDER_STYLE)


class App:
    """Base class of the lesson apps. Subclasses define the controls, the figure and the model."""

    #: one-line caption saying what to look for in the figure
    caption = ""
    figsize = (9.0, 4.5)

    def __init__(self, fig=None, **values):
        import matplotlib.pyplot as plt

        self.controls: dict[str, widgets.ValueWidget] = self.make_controls()
        unknown = set(values) - set(self.controls)
        if unknown:
            raise ValueError(f"unknown control(s) {sorted(unknown)}; this app has {sorted(self.controls)}")
        for k, v in values.items():
            self.controls[k].value = v
        if fig is None:
            with plt.ioff():
                fig = plt.figure(figsize=self.figsize, layout="constrained")
        self.fig = fig
        self.build_figure(fig)
        self.status = widgets.HTML(layout=widgets.Layout(min_height="2.5em"))
        self.error: Exception | None = None
        self.data: dict | None = None
        self.seconds: float = 0.0
        self._batch = False
        self._output = None
        canvas = fig.canvas
        if isinstance(canvas, widgets.DOMWidget):
            canvas.header_visible = False
            canvas.footer_visible = False
            canvas.toolbar_position = "left"
            view = canvas
        else:  # inline backends: show a fresh PNG in an Output widget after each update
            self._output = widgets.Output()
            view = self._output
        for w in self.controls.values():
            w.observe(self._on_change, names="value")
        caption = widgets.HTML(f"<p style='max-width:60em'><b>What to look for:</b> {self.caption}</p>")
        self.widget = widgets.VBox(
            [
                widgets.HBox(list(self.controls.values()), layout=widgets.Layout(flex_flow="row wrap")),
                view,
                self.status,
                caption,
            ]
        )
        self.update()
        # lay the figure out once, then keep the axes where they are: re-running the
        # constrained layout on every redraw would double the time a redraw takes. A small
        # extra left margin leaves room for tick labels that grow by a digit later. The layout
        # runs without rendering: an ipympl canvas drawn before a browser is connected stores
        # an image the browser cannot load (ipympl issue 472).
        fig.draw_without_rendering()
        fig.set_layout_engine("none")
        for ax in fig.axes:
            if ax.get_label() != "<colorbar>":
                box = ax.get_position()
                ax.set_position([box.x0 + 0.012, box.y0, box.width - 0.012, box.height])

    # subclasses implement these four
    def make_controls(self) -> dict:
        raise NotImplementedError

    def build_figure(self, fig) -> None:
        raise NotImplementedError

    def model(self, **values) -> dict:
        raise NotImplementedError

    def draw(self, data: dict) -> None:
        raise NotImplementedError

    def summary(self, data: dict) -> str:
        return ""

    # machinery
    def values(self) -> dict:
        return {k: w.value for k, w in self.controls.items()}

    def set(self, **values) -> None:
        """Set several controls at once and update once (also what tests use)."""
        self._batch = True
        try:
            for k, v in values.items():
                if k not in self.controls:
                    raise ValueError(f"unknown control {k!r}; this app has {sorted(self.controls)}")
                self.controls[k].value = v
        finally:
            self._batch = False
        self.update()

    def _on_change(self, change) -> None:
        if not self._batch:
            self.update()

    def update(self) -> None:
        self.status.value = "<i>running…</i>"
        t0 = time.perf_counter()
        try:
            data = self.model(**self.values())
            self.draw(data)
        except Exception as exc:  # shown to the learner in words, never as a traceback
            self.error = exc
            self.status.value = (
                f"<span style='color:#D55E00'><b>Could not update:</b> {html.escape(str(exc))}. "
                "Try other values.</span>"
            )
        else:
            self.error = None
            self.data = data
            self.seconds = time.perf_counter() - t0
            self.status.value = self.summary(data)
        self.redraw()

    def redraw(self) -> None:
        self.fig.canvas.draw_idle()
        if self._output is not None:
            from IPython import get_ipython
            from IPython.display import clear_output, display

            if get_ipython() is not None:
                with self._output:
                    clear_output(wait=True)
                    display(self.fig)

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)


def finite(x) -> bool:
    """True when every number in ``x`` is finite (used by tests of the apps' outputs)."""
    return bool(np.all(np.isfinite(np.asarray(x, dtype=float))))


def progress(items, description: str = "running"):
    """Iterate over ``items`` while a progress bar shows how far the loop has come.

    For computations in a lesson that take longer than a second::

        for N in progress([100, 400, 1600], "simulating"):
            ...
    """
    from IPython.display import display

    items = list(items)
    bar = widgets.IntProgress(value=0, min=0, max=len(items), description=description, bar_style="info")
    display(bar)
    for i, item in enumerate(items):
        yield item
        bar.value = i + 1
    bar.bar_style = "success"
    bar.description = "done"
