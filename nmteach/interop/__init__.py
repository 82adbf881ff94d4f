"""Other simulators: the same networks built in NEST (:func:`~nmteach.interop.nest.to_nest`)."""

from .nest import NestNetwork, to_nest

__all__ = ["NestNetwork", "to_nest"]
