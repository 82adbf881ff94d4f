"""Every widget app, driven from Python: each control at its minimum, middle and maximum."""

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import pytest

from nmteach.apps import ALL_APPS, FixedPointApp, LIFApp, PopulationApp


def settings(widget):
    """Minimum, middle and maximum of a control."""
    if isinstance(widget, (widgets.Dropdown, widgets.SelectionSlider)):
        options = [o[1] if isinstance(o, tuple) else o for o in widget.options]  # (label, value) pairs
        return [options[0], options[len(options) // 2], options[-1]]
    lo, hi = widget.min, widget.max
    mid = lo + round((hi - lo) / 2 / widget.step) * widget.step
    return [lo, mid, hi]


def all_finite(data):
    for key, value in data.items():
        arr = np.asarray(value)
        if arr.dtype.kind in "fiub":
            assert np.all(np.isfinite(arr.astype(float))), f"{key} has non-finite values"


@pytest.mark.parametrize("cls", ALL_APPS, ids=lambda c: c.__name__)
def test_every_control_at_min_mid_max(cls):
    app = cls()
    try:
        defaults = app.values()
        for name, widget in app.controls.items():
            for value in settings(widget):
                app.set(**{name: value})
                assert app.error is None, f"{cls.__name__} {name}={value}: {app.error}"
                assert "Could not update" not in app.status.value
                all_finite(app.data)
            app.set(**{name: defaults[name]})
    finally:
        plt.close(app.fig)


def test_lif_app_rate_matches_formula():
    app = LIFApp()
    assert app.data["rate_sim"] == pytest.approx(app.data["rate_theory"], rel=1e-6)
    app.set(I0=0.1)  # below rheobase
    assert app.data["rate_sim"] == 0 and app.data["rate_theory"] == 0
    plt.close(app.fig)


def test_population_app_defaults_are_asynchronous_and_match_mean_field():
    app = PopulationApp()
    d = app.data
    assert len(d["A0"]) == 1 and d["stable"][0]
    # 500 neurons over 150 ms: the mean of A has a standard error of about √(A0/(N T)) ≈ 0.8 Hz
    assert d["mean_rate"] == pytest.approx(d["A0"][0], abs=5 * np.sqrt(d["A0"][0] / (500 * 0.15)) + 1.0)
    assert d["sync"] < 3
    app.set(sigma=0.0)
    assert app.data["sync"] > 10  # noise-free excitation synchronises
    plt.close(app.fig)


def test_fixed_point_app_finds_three_states_for_bistable_defaults():
    app = FixedPointApp()
    assert list(app.data["stable"]) == [True, False, True]
    plt.close(app.fig)


def test_errors_are_shown_not_raised():
    app = LIFApp()
    # θ below the reset: the model refuses; the app shows the message and keeps the last figure
    app.controls["theta"].min = -80
    app.set(theta=-70.0)
    assert isinstance(app.error, ValueError)
    assert "Could not update" in app.status.value and "theta" in app.status.value
    app.set(theta=-50.0)
    assert app.error is None
    plt.close(app.fig)


def test_unknown_controls_are_refused():
    with pytest.raises(ValueError, match="unknown control"):
        FixedPointApp(gain=3)
    app = FixedPointApp()
    with pytest.raises(ValueError, match="unknown control"):
        app.set(gain=3)
    plt.close(app.fig)


def test_app_accepts_a_given_figure():
    fig = plt.figure()
    app = FixedPointApp(fig=fig)
    assert app.fig is fig
    plt.close(fig)
