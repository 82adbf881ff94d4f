"""Widget apps for the lessons: each is a pure model function plus a thin view.

Use them in a notebook with ``%matplotlib widget``::

    from nmteach.apps import PopulationApp
    PopulationApp()

Every app can be driven from Python: ``app.set(N=1000)`` updates it once;
``app.data`` holds the model's last output (a frozen dataclass from :mod:`nmteach.experiments`)
and ``app.error`` its last error. For lectures: ``app.apply_preset(name)`` (``App.presets``),
``app.reset()``, ``app.state()`` / ``app.restore(state)``, and ``present()`` for large type.
"""

from ._base import App, Preset, present, progress, show
from .exercises import ChoiceExercise, Exercises, NumericExercise
from .field_app import BumpApp, DiscretisationApp, FrontApp
from .heterogeneity_app import HeterogeneityApp, SplitApp
from .neuron_app import LIFApp
from .pools_app import BrunelApp, PhasePlaneApp, PoolsApp
from .population_app import FixedPointApp, PopulationApp
from .scaling_app import BalancedApp, DegreeApp, ScalingApp
from .space_app import SheetApp, SpreadApp

#: every app of the lessons, for tests and benchmarks
ALL_APPS = (
    LIFApp,
    PopulationApp,
    FixedPointApp,
    HeterogeneityApp,
    SplitApp,
    ScalingApp,
    DegreeApp,
    BalancedApp,
    PhasePlaneApp,
    PoolsApp,
    BrunelApp,
    SheetApp,
    SpreadApp,
    DiscretisationApp,
    BumpApp,
    FrontApp,
)

__all__ = [
    "ALL_APPS",
    "App",
    "BalancedApp",
    "BrunelApp",
    "BumpApp",
    "ChoiceExercise",
    "DegreeApp",
    "DiscretisationApp",
    "Exercises",
    "FixedPointApp",
    "FrontApp",
    "HeterogeneityApp",
    "LIFApp",
    "NumericExercise",
    "PhasePlaneApp",
    "PoolsApp",
    "PopulationApp",
    "Preset",
    "ScalingApp",
    "SheetApp",
    "SplitApp",
    "SpreadApp",
    "present",
    "progress",
    "show",
]
