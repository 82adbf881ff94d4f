"""The widget-app pattern: a pure computation from :mod:`nmteach.experiments` plus a thin view.

An app owns a dict of ipywidgets ``controls``, a matplotlib figure (an ipympl canvas under
``%matplotlib widget``, any other canvas otherwise) and a status line. A control change runs
``model(**values)`` — a call of a pure function of :mod:`nmteach.experiments` that returns a
frozen dataclass — then ``draw(data)`` updates the existing artists with ``set_data`` and asks
the canvas to redraw. Errors are caught and shown in the status line: a learner never sees a
traceback.

For lecturers every app has named :attr:`App.presets` (the regimes its lesson talks about),
:meth:`App.reset`, a state string (:meth:`App.state`, :meth:`App.restore`) that encodes the
control values themselves, and a present layout with large type (``App(present=True)``, or
:func:`present` for every app of a lesson, or ``NMTEACH_PRESENT=1`` in the environment).

Figures are drawn at a fixed size and scaled down by the browser to the width of the
column they are shown in (never cut off): 760 px wide by default, 980 px in the present layout.
"""

from __future__ import annotations

import html
import io
import os
import time
from dataclasses import dataclass
from urllib.parse import quote, unquote

import ipywidgets as widgets
import matplotlib
import numpy as np

from .._params import PARAMETERS
from ..plotting import LESSON_STYLE, PRESENT_STYLE, fit_legends

__all__ = [
    "App",
    "Preset",
    "dropdown",
    "float_slider",
    "present",
    "progress",
    "selection_slider",
    "show",
    "static_page",
]

_SETTINGS = {
    "present": os.environ.get("NMTEACH_PRESENT", "") not in ("", "0"),
    # a static page (the course website): apps show their figure as an image and their caption as text
    "static": os.environ.get("NMTEACH_STATIC", "") not in ("", "0"),
}

#: the figure scales with the column (its pixels stay those of the figure): ipympl stacks two absolutely
#: placed canvases, so the drawing canvas is put back in the flow to give the figure its size, and the
#: overlay (rubber band, mouse events) covers it; rows of widgets wrap
_CSS = """<style>
.nmteach-fit { max-width: 100%; }
.nmteach-fit .jupyter-matplotlib, .nmteach-fit .jupyter-matplotlib-figure,
.nmteach-fit .jupyter-matplotlib-canvas-container { max-width: 100%; }
.nmteach-fit .jupyter-matplotlib-canvas-div { width: auto !important; height: auto !important; max-width: 100%;
  position: relative; }
.nmteach-fit .jupyter-matplotlib-canvas-div canvas:first-child { position: static !important; display: block;
  max-width: 100% !important; height: auto !important; }
.nmteach-fit .jupyter-matplotlib-canvas-div canvas + canvas { width: 100% !important; height: 100% !important; }
.nmteach-fit .widget-hbox { flex-wrap: wrap; max-width: 100%; }
.nmteach-fit img.nmteach-figure { max-width: 100%; height: auto; }
.nmteach-present { --jp-widgets-font-size: 18px; --jp-widgets-inline-height: 34px; font-size: 18px; }
.nmteach-present .widget-html-content, .nmteach-present .widget-label { font-size: 18px; line-height: 1.4; }
</style>"""

_SLIDER_STYLE = {"description_width": "12em"}
_SLIDER_LAYOUT = {"width": "29em", "max_width": "100%"}


def show(fig):
    """A lesson's figure as the learner should see it: the interactive canvas scaled to the width of the
    notebook's column (as in the apps), or the figure itself where the canvas is not a widget."""
    if _SETTINGS["static"]:
        return _image(fig)
    if isinstance(fig.canvas, widgets.DOMWidget):
        box = widgets.VBox([widgets.HTML(_CSS), fig.canvas])
        box.add_class("nmteach-fit")
        return box
    return fig


def present(on: bool = True) -> None:
    """Use the present layout (large type, figure first) for every app created from now on."""
    if not isinstance(on, bool):
        raise TypeError(f"on = {on!r} must be True or False")
    _SETTINGS["present"] = on


def float_slider(
    name: str, value: float, label: str, *, teach=None, continuous: bool = True, readout_format=".3g"
) -> widgets.FloatSlider:
    """A FloatSlider whose range and unit come from :data:`nmteach.PARAMETERS` (the label names the quantity only)."""
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
        layout=widgets.Layout(**_SLIDER_LAYOUT),
    )


def selection_slider(options, value, description: str, continuous: bool = False) -> widgets.SelectionSlider:
    return widgets.SelectionSlider(
        options=options,
        value=value,
        description=description,
        continuous_update=continuous,
        style=_SLIDER_STYLE,
        layout=widgets.Layout(**_SLIDER_LAYOUT),
    )


def dropdown(options, value, description: str) -> widgets.Dropdown:
    """A dropdown as wide as its longest option, so no label is cut."""
    return widgets.Dropdown(
        options=options, value=value, description=description, style=_SLIDER_STYLE, layout=widgets.Layout(width="auto")
    )


@dataclass(frozen=True)
class Preset:
    """A named setting of an app's controls: ``description`` says in one line what to see."""

    description: str
    values: dict


_NO_PRESET = "choose a preset…"


class App:
    """Base class of the lesson apps. Subclasses define the controls, the figure, the model and the view.

    ``App(fig=None, *, present=None, state=None, **values)``: ``values`` set controls by name,
    ``state`` restores a string from :meth:`state`, ``present`` chooses the layout (default: the
    lesson-wide setting of :func:`present`).
    """

    #: one-line caption saying what to look for in the figure
    caption = ""
    #: named settings of the regimes the lesson talks about
    presets: dict[str, Preset] = {}  # noqa: RUF012 (a read-only class table)
    figsize = (7.6, 3.6)  # inches at 100 dpi: 760 px, scaled down to the column by the browser
    present_width = 9.8  # inches in the present layout (980 px: a 1024-px projector)

    def __init__(self, fig=None, *, present: bool | None = None, state: str | None = None, **values):
        import matplotlib.pyplot as plt

        self.present = _SETTINGS["present"] if present is None else present
        if not isinstance(self.present, bool):
            raise TypeError(f"present = {present!r} must be True, False or None")
        self.controls: dict[str, widgets.ValueWidget] = self.make_controls()
        self.defaults = {k: w.value for k, w in self.controls.items()}
        initial = {**(self.parse_state(state) if state is not None else {}), **values}
        self._check_names(initial)
        for k, v in initial.items():
            self._set_control(k, v)
        style = PRESENT_STYLE if self.present else LESSON_STYLE
        if fig is None:
            w, h = self.figsize
            size = (self.present_width, h * self.present_width / w) if self.present else (w, h)
            with plt.ioff(), matplotlib.rc_context(style):
                fig = plt.figure(figsize=size, layout="constrained")
        self.fig = fig
        with matplotlib.rc_context(style):
            self.build_figure(fig)
        self._style = style
        self.status = widgets.HTML(layout=widgets.Layout(min_height="2.5em", max_width="100%"))
        self.error: Exception | None = None
        self.data = None
        self.seconds: float = 0.0
        self._batch = False
        self._output = None
        self._make_view()
        self.update()
        self._freeze_layout()

    # subclasses implement these
    def make_controls(self) -> dict:
        raise NotImplementedError

    def build_figure(self, fig) -> None:
        raise NotImplementedError

    def model(self, **values):
        raise NotImplementedError

    def draw(self, data) -> None:
        raise NotImplementedError

    def summary(self, data) -> str:
        return ""

    def inactive(self, values: dict) -> dict:
        """Controls that do nothing at these values, each with a sentence saying when it applies."""
        return {}

    # ------------------------------------------------------------------ the view
    def _make_view(self) -> None:
        canvas = self.fig.canvas
        if isinstance(canvas, widgets.DOMWidget):
            canvas.header_visible = False
            canvas.footer_visible = False
            canvas.toolbar_visible = False
            canvas.resizable = False
            view = canvas
        else:  # inline backends: show a fresh PNG in an Output widget after each update
            self._output = widgets.Output()
            view = self._output
        for w in self.controls.values():
            w.observe(self._on_change, names="value")
        self.preset_menu = widgets.Dropdown(
            options=[_NO_PRESET, *self.presets], value=_NO_PRESET, description="preset", layout={"width": "auto"}
        )
        self.preset_menu.observe(self._on_preset, names="value")
        self.reset_button = widgets.Button(description="reset", tooltip="back to the default values", icon="undo")
        self.reset_button.on_click(lambda _: self.reset())
        self.state_box = widgets.Text(
            description="state",
            tooltip="the current values; paste a state here and press Enter to restore it",
            continuous_update=False,
            layout={"width": "30em", "max_width": "100%"},
        )
        self.state_box.observe(self._on_state_typed, names="value")
        self.preset_note = widgets.HTML(layout={"max_width": "100%"})
        kit = widgets.HBox([self.preset_menu, self.reset_button, self.state_box])
        controls = widgets.HBox(list(self.controls.values()))
        caption = widgets.HTML(f"<p style='max-width:60em'><b>What to look for:</b> {self.caption}</p>")
        parts = (
            [view, controls, self.status, kit, self.preset_note, caption]
            if self.present
            else [kit, self.preset_note, controls, view, self.status, caption]
        )
        self.widget = widgets.VBox([widgets.HTML(_CSS), *parts])
        self.widget.add_class("nmteach-app")
        self.widget.add_class("nmteach-fit")
        if self.present:
            self.widget.add_class("nmteach-present")

    def _freeze_layout(self) -> None:
        # lay the figure out once, then keep the axes where they are: re-running the constrained
        # layout on every redraw would double the time a redraw takes. A small extra left margin
        # leaves room for tick labels that grow by a digit later. The layout runs without
        # rendering: an ipympl canvas drawn before a browser is connected stores an image the
        # browser cannot load (ipympl issue 472).
        with matplotlib.rc_context(self._style):
            fit_legends(self.fig)
            self.fig.draw_without_rendering()
        self.fig.set_layout_engine("none")
        for ax in self.fig.axes:
            ax.tick_params(labelsize=self._style["xtick.labelsize"])  # new ticks keep the layout's type size
            if ax.get_label() != "<colorbar>":
                box = ax.get_position()
                ax.set_position([box.x0 + 0.012, box.y0, box.width - 0.012, box.height])

    # ------------------------------------------------------------------ machinery
    def values(self) -> dict:
        return {k: w.value for k, w in self.controls.items()}

    def _check_names(self, values) -> None:
        unknown = set(values) - set(self.controls)
        if unknown:
            raise ValueError(f"unknown control(s) {sorted(unknown)}; this app has {sorted(self.controls)}")

    def _set_control(self, name, value) -> None:
        w = self.controls[name]
        if hasattr(w, "options"):
            options = [o[1] if isinstance(o, tuple) else o for o in w.options]
            if value not in options:
                raise ValueError(f"{name} = {value!r} is not one of the choices {options}")
        elif hasattr(w, "min") and not (w.min <= value <= w.max):
            raise ValueError(f"{name} = {value!r} is outside the control's range [{w.min:g}, {w.max:g}]")
        w.value = value

    def set(self, **values) -> None:
        """Set several controls at once and update once (also what tests use)."""
        self._check_names(values)
        self._batch = True
        try:
            for k, v in values.items():
                self._set_control(k, v)
        finally:
            self._batch = False
        self.update()

    def reset(self) -> None:
        """Every control back to its default, one update."""
        self.set(**self.defaults)

    def apply_preset(self, name: str) -> None:
        """Set the controls of preset ``name`` (the others to their defaults) and update once."""
        if name not in self.presets:
            raise ValueError(f"preset = {name!r} is not one of {list(self.presets)}")
        self.set(**{**self.defaults, **self.presets[name].values})
        self.preset_note.value = f"<i>{html.escape(name)}:</i> {html.escape(self.presets[name].description)}"

    def state(self) -> str:
        """A short string with every control's current value: ``AppName:name=value,...``."""
        return f"{type(self).__name__}:" + ",".join(f"{k}={_encode(v)}" for k, v in self.values().items())

    def parse_state(self, state: str) -> dict:
        """The control values a state string holds (checked against this app)."""
        if not isinstance(state, str):
            raise TypeError(f"state = {state!r} must be a string from App.state()")
        name, _, body = state.strip().rpartition(":")
        if name and name != type(self).__name__:
            raise ValueError(f"the state belongs to {name}, not to {type(self).__name__}")
        out = {}
        for item in filter(None, body.split(",")):
            key, sep, raw = item.partition("=")
            if not sep or key not in self.controls:
                raise ValueError(
                    f"{item!r} in the state is not a control of {type(self).__name__}: {sorted(self.controls)}"
                )
            out[key] = _decode(raw, self.controls[key])
        return out

    def restore(self, state: str) -> None:
        """Set the controls to the values of a state string and update once."""
        self.set(**self.parse_state(state))

    def _on_change(self, change) -> None:
        if not self._batch:
            self.update()

    def _on_preset(self, change) -> None:
        if change["new"] != _NO_PRESET:
            self.apply_preset(change["new"])
            self.preset_menu.value = _NO_PRESET

    def _on_state_typed(self, change) -> None:
        if change["new"] and change["new"] != self.state():
            try:
                self.restore(change["new"])
            except (TypeError, ValueError) as exc:
                self.status.value = _error_html(exc)

    def _sync_controls(self, values) -> None:
        reasons = self.inactive(values)
        for name, w in self.controls.items():
            reason = reasons.get(name)
            w.disabled = reason is not None
            w.tooltip = reason

    def update(self) -> None:
        self.status.value = "<i>running…</i>"
        t0 = time.perf_counter()
        values = self.values()
        self._sync_controls(values)
        try:
            data = self.model(**values)
            self.draw(data)
        except Exception as exc:  # shown to the learner in words, never as a traceback
            self.error = exc
            self.status.value = _error_html(exc)
        else:
            self.error = None
            self.data = data
            self.seconds = time.perf_counter() - t0
            self.status.value = self.summary(data)
        self.state_box.value = self.state()
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
        from IPython.display import HTML, display

        if not _SETTINGS["static"]:
            display(self.widget)
            return
        presets = ", ".join(f"<i>{html.escape(name)}</i>" for name in self.presets)
        display(_image(self.fig))
        display(
            HTML(
                f"<p>{self.status.value}</p><p style='max-width:60em'><b>What to look for:</b> {self.caption}</p>"
                f"<p><i>Open the lesson in JupyterLab to move the controls ({', '.join(self.controls)})"
                + (f" and try the presets: {presets}" if presets else "")
                + ".</i></p>"
            )
        )


def _image(fig):
    """The figure as a PNG image, whatever the canvas (an ipympl canvas would show as a widget)."""
    from IPython.display import Image

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=fig.dpi)
    return Image(data=buf.getvalue(), format="png")


def static_page() -> bool:
    """Whether the lesson is rendered as a static page (``NMTEACH_STATIC=1``): no widgets, figures as images."""
    return _SETTINGS["static"]


def _error_html(exc) -> str:
    return f"<span style='color:#D55E00'><b>Could not update:</b> {html.escape(str(exc))}. Try other values.</span>"


def _encode(v) -> str:
    if isinstance(v, (bool, np.bool_)):
        return str(bool(v))
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    if isinstance(v, (float, np.floating)):
        return f"{float(v):.10g}"
    return quote(str(v), safe="")


def _decode(raw: str, widget):
    options = getattr(widget, "options", None)
    if options is not None:
        values = [o[1] if isinstance(o, tuple) else o for o in options]
        for v in values:
            if _encode(v) == raw:
                return v
        raise ValueError(f"{unquote(raw)!r} is not one of the choices {values} of {widget.description!r}")
    try:
        x = float(raw)
    except ValueError:
        raise ValueError(f"{raw!r} is not a number for {widget.description!r}") from None
    return int(x) if isinstance(widget.value, int) and x.is_integer() else x


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
    if _SETTINGS["static"]:
        yield from items
        return
    bar = widgets.IntProgress(value=0, min=0, max=len(items), description=description, bar_style="info")
    display(bar)
    for i, item in enumerate(items):
        yield item
        bar.value = i + 1
    bar.bar_style = "success"
    bar.description = "done"
