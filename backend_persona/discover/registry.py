"""What a detector is: a function from the file index to evidence-backed findings.

The detectors themselves are listed, in order, in `detectors.DETECTORS`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from backend_persona.discover.index import FileIndex
from backend_persona.discover.sighting import Sighting
from backend_persona.records import Artifact, Component, Dependency, Link

__all__ = ["Detector", "Finding", "Link"]

Finding = Sighting | Component | Artifact | Link | Dependency
Detector = Callable[[FileIndex], Iterable[Finding]]
