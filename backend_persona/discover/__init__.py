"""Context discovery: walker, file index, detector registry and the engine that joins them."""

from backend_persona.discover.engine import discover_context

__all__ = ["discover_context"]
