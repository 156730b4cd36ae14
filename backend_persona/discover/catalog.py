"""Shared vocabulary of detectors: canonical technology names and safe version strings."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from backend_persona.discover.index import display
from backend_persona.discover.versions import is_version
from backend_persona.models import Category, Scope, Technology
from backend_persona.redact import redact


def safe_version(value: object) -> str | None:
    """Return ``value`` as a version string if it is harmless to print, else None.

    A version is printed only when it parses as one (`is_version`); anything else (prose,
    URLs, paths, git references with tokens in them) is dropped rather than risk a
    credential or an instruction in the prompt.
    """
    if not isinstance(value, str):
        return None
    value = value.strip()
    if not is_version(value):
        return None
    # A token can be shaped like a version suffix (1.0-AKIA...); the grammar alone won't do.
    return value if redact(value) == value else None


@dataclass(frozen=True)
class Known:
    """A canonical technology that a dependency stands for."""

    name: str
    category: Category


def k(name: str, category: Category) -> tuple[Known, ...]:
    """One known technology, as a catalogue entry."""
    return (Known(name, category),)


def lookup(catalog: Mapping[str, tuple[Known, ...]], dependency: str) -> tuple[Known, ...]:
    """Find what ``dependency`` stands for: an exact key, or the longest key it extends.

    A key ending in ``/``, ``:``, ``-`` or ``.`` matches every dependency that starts with it.
    """
    exact = catalog.get(dependency)
    if exact is not None:
        return exact
    best: tuple[Known, ...] = ()
    best_length = 0
    for key, known in catalog.items():
        if key[-1] in "/:-." and dependency.startswith(key) and len(key) > best_length:
            best, best_length = known, len(key)
    return best


def technologies(
    catalog: Mapping[str, tuple[Known, ...]],
    dependency: str,
    evidence: str,
    version: str | None = None,
    scope: Scope = "runtime",
) -> Iterator[Technology]:
    """Yield the technologies that ``dependency`` stands for, citing ``evidence``."""
    for known in lookup(catalog, dependency):
        # A driver's version is not the server's: datastores and brokers get theirs
        # only from images and infrastructure definitions.
        pinned = None if known.category in ("datastore", "broker") else safe_version(version)
        yield Technology(
            name=known.name,
            category=known.category,
            version=pinned,
            scope=scope,
            evidence=[evidence],
        )


def line_of(text: str, needle: str) -> int | None:
    """Return the 1-based line where ``needle`` first occurs in ``text``."""
    at = text.find(needle)
    return None if at < 0 else text.count("\n", 0, at) + 1


def cite(path: str, text: str | None = None, needle: str | None = None) -> str:
    """Evidence for a claim: the path, with ``:LINE`` when the line is cheap to find."""
    shown = display(path)
    if text is None or needle is None:
        return shown
    line = line_of(text, needle)
    return shown if line is None else f"{shown}:{line}"
