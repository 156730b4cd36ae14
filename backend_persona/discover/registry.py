"""The detector registry: each detector maps the file index to evidence-backed findings."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable
from functools import cache

from backend_persona.discover.index import FileIndex
from backend_persona.models import Artifact, Component, Model, Technology


class Link(Model):
    """A deployment file says the component in folder ``component`` uses ``technology``."""

    component: str
    technology: str


Finding = Technology | Component | Artifact | Link
Detector = Callable[[FileIndex], Iterable[Finding]]

_DETECTORS: dict[str, Detector] = {}


def detector(name: str) -> Callable[[Detector], Detector]:
    """Register a detector under ``name``; a module in ``detectors/`` is all it takes."""

    def register(function: Detector) -> Detector:
        if name in _DETECTORS:
            raise ValueError(f"two detectors are named {name!r}")
        _DETECTORS[name] = function
        return function

    return register


@cache
def detectors() -> dict[str, Detector]:
    """Every registered detector by name, importing the ``detectors`` package once."""
    from backend_persona.discover import detectors as package  # noqa: PLC0415

    for module in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"{package.__name__}.{module.name}")
    return dict(sorted(_DETECTORS.items()))
