"""Widget apps for the lessons: each is a pure model function plus a thin view.

Use them in a notebook with ``%matplotlib widget``::

    from nmteach.apps import PopulationApp
    PopulationApp()

Every app can be driven from Python: ``app.set(N=1000)`` updates it once;
``app.data`` holds the model's last output and ``app.error`` its last error.
"""

from ._base import App
from .neuron_app import LIFApp
from .population_app import FixedPointApp, PopulationApp, synchrony_index

#: every app of the lessons, for tests and benchmarks
ALL_APPS = (LIFApp, PopulationApp, FixedPointApp)

__all__ = ["ALL_APPS", "App", "FixedPointApp", "LIFApp", "PopulationApp", "synchrony_index"]
