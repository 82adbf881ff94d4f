"""Every widget app, driven from Python: controls at their extremes, the lecture kit, errors in words."""

import dataclasses

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import pytest

from nmteach.apps import ALL_APPS, App, FixedPointApp, LIFApp, PopulationApp, present


def settings(widget):
    """Minimum, middle and maximum of a control."""
    if isinstance(widget, (widgets.Dropdown, widgets.SelectionSlider)):
        options = [o[1] if isinstance(o, tuple) else o for o in widget.options]  # (label, value) pairs
        return [options[0], options[len(options) // 2], options[-1]]
    lo, hi = widget.min, widget.max
    mid = lo + round((hi - lo) / 2 / widget.step) * widget.step
    return [lo, mid, hi]


#: fields that are NaN by definition when undefined: nullcline separators, the CV2 of a silent network
MAY_BE_NAN = ("nc_E", "nc_I", "cv2")


def all_finite(data):
    for f in dataclasses.fields(data):
        value = getattr(data, f.name)
        arr = np.asarray(value) if not isinstance(value, (list, tuple, str)) else None
        if arr is not None and arr.dtype.kind in "fiub":
            ok = np.isfinite(arr.astype(float)) | (np.isnan(arr.astype(float)) & (f.name in MAY_BE_NAN))
            assert np.all(ok), f"{f.name} has non-finite values"


@pytest.fixture
def app_of(request):
    made = []

    def build(cls, **kw):
        app = cls(**kw)
        made.append(app)
        return app

    yield build
    for app in made:
        plt.close(app.fig)


@pytest.mark.parametrize("cls", ALL_APPS, ids=lambda c: c.__name__)
def test_every_control_at_min_mid_max(cls, app_of):
    app = app_of(cls)
    assert dataclasses.is_dataclass(app.data) and app.data.__dataclass_params__.frozen
    defaults = app.values()
    for name, widget in app.controls.items():
        for value in settings(widget):
            app.set(**{name: value})
            assert app.error is None, f"{cls.__name__} {name}={value}: {app.error}"
            assert "Could not update" not in app.status.value
            all_finite(app.data)
        app.set(**{name: defaults[name]})


@pytest.mark.parametrize("cls", ALL_APPS, ids=lambda c: c.__name__)
def test_lecture_kit(cls, app_of):
    """Presets name real controls and apply without error; reset restores the defaults; states round-trip."""
    app = app_of(cls)
    assert len(cls.presets) >= 2, "every app has presets of the regimes its lesson talks about"
    defaults = app.values()
    for name, preset in cls.presets.items():
        assert preset.description and set(preset.values) <= set(app.controls)
        app.apply_preset(name)
        assert app.error is None, f"{cls.__name__} preset {name!r}: {app.error}"
        assert {k: app.values()[k] for k in preset.values} == preset.values
        assert name in app.preset_note.value
        state = app.state()
        assert state.startswith(f"{cls.__name__}:") and len(state) < 300
        other = app_of(cls, state=state)
        assert other.values() == app.values() and other.state() == state
        app.reset()
        assert app.values() == defaults
        app.restore(state)
        assert app.state() == state
    assert app.state_box.value == app.state()


def test_a_preset_from_the_menu_and_a_pasted_state(app_of):
    app = app_of(FixedPointApp)
    app.preset_menu.value = "one root, low activity"
    assert app.values()["J0"] == 1.0 and len(app.data.fp_A) == 1
    app.state_box.value = "FixedPointApp:J0=2,I_ext=0.1,sigma=0.02"
    assert app.values() == {"J0": 2.0, "I_ext": 0.1, "sigma": 0.02} and len(app.data.fp_A) == 3
    app.state_box.value = "FixedPointApp:J0=99"  # outside the slider: refused in words, nothing changes
    assert "Could not update" in app.status.value and app.values()["J0"] == 2.0


@pytest.mark.parametrize(
    ("state", "message"),
    [
        ("LIFApp:I0=0.2", "belongs to LIFApp"),
        ("FixedPointApp:gain=2", "not a control"),
        ("FixedPointApp:J0=x", "not a number"),
        ("FixedPointApp:J0=50", "outside the control's range"),
    ],
)
def test_bad_states_are_refused(state, message, app_of):
    app = app_of(FixedPointApp)
    with pytest.raises(ValueError, match=message):
        app.restore(state)


def test_controls_that_do_nothing_are_disabled_and_say_when_they_apply(app_of):
    app = app_of(PopulationApp)
    assert not app.controls["tau_s"].disabled
    app.set(kernel="delta")
    assert app.controls["tau_s"].disabled and "delta kernel" in app.controls["tau_s"].tooltip
    app.set(kernel="alpha")
    assert not app.controls["tau_s"].disabled and app.controls["tau_s"].tooltip is None


@pytest.mark.parametrize("cls", ALL_APPS, ids=lambda c: c.__name__)
def test_a_disabled_control_changes_nothing_and_an_enabled_one_something(cls, app_of):
    app = app_of(cls)
    for name in app.inactive(app.values()):
        before = app.summary(app.data)
        widget = app.controls[name]
        app.set(**{name: settings(widget)[-1] if settings(widget)[-1] != widget.value else settings(widget)[0]})
        assert app.summary(app.data) == before, f"{cls.__name__}: disabled {name} changed the status"


def test_present_layout_has_large_type_and_the_figure_first(app_of):
    app = app_of(LIFApp, present=True)
    assert app.fig.get_size_inches()[0] == pytest.approx(App.present_width)
    ax = app.fig.axes[0]
    size_px = ax.xaxis.get_ticklabels()[0].get_fontsize() * app.fig.dpi / 72
    assert size_px >= 18, "tick labels of at least 18 px on a 1024-px projector"
    assert "nmteach-present" in app.widget._dom_classes
    assert app.widget.children[1] is app.fig.canvas or isinstance(app.widget.children[1], widgets.Output)
    small = app_of(LIFApp, present=False)
    assert small.fig.axes[0].xaxis.get_ticklabels()[0].get_fontsize() < ax.xaxis.get_ticklabels()[0].get_fontsize()
    present(True)
    try:
        assert app_of(LIFApp).present
    finally:
        present(False)
    with pytest.raises(TypeError, match="True or False"):
        present("yes")


def test_lif_app_rate_matches_formula(app_of):
    app = app_of(LIFApp)
    assert app.data.rate_sim == pytest.approx(app.data.rate_theory, rel=1e-6)
    app.set(I0=0.1)  # below rheobase
    assert app.data.rate_sim == 0 and app.data.rate_theory == 0


def test_errors_are_shown_not_raised(app_of):
    app = app_of(LIFApp)
    # θ below the reset: the model refuses; the app shows the message and keeps the last figure
    app.controls["theta"].min = -80
    app.set(theta=-70.0)
    assert isinstance(app.error, ValueError)
    assert "Could not update" in app.status.value and "theta" in app.status.value
    app.set(theta=-50.0)
    assert app.error is None


def test_unknown_controls_are_refused(app_of):
    with pytest.raises(ValueError, match="unknown control"):
        FixedPointApp(gain=3)
    app = app_of(FixedPointApp)
    with pytest.raises(ValueError, match="unknown control"):
        app.set(gain=3)
    with pytest.raises(ValueError, match="preset = 'nope'"):
        app.apply_preset("nope")


def test_app_accepts_a_given_figure():
    fig = plt.figure()
    app = FixedPointApp(fig=fig)
    assert app.fig is fig
    plt.close(fig)
