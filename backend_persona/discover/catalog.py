"""Shared vocabulary of detectors: canonical technology names and safe version strings."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

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


# A citation, or how to make one once it is needed.
Evidence = str | Callable[[], str]
# The characters a prefix key ends with; each catalogue's prefix keys, cached by identity.
_SEPARATOR = re.compile(r"[/:\-.]")
_PREFIX_KEYS: dict[int, tuple[object, dict[str, tuple[Known, ...]], int]] = {}


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
    Catalogues are module constants; each one's prefix keys are indexed on first use.
    """
    exact = catalog.get(dependency)
    if exact is not None:
        return exact
    prefixes, longest = _prefix_keys(catalog)
    # Only a dependency's own prefixes that end in a separator can be keys, longest first:
    # a handful of dictionary lookups instead of a scan of every key.
    ends = [m.end() for m in _SEPARATOR.finditer(dependency, 0, longest)]
    for end in reversed(ends):
        known = prefixes.get(dependency[:end])
        if known is not None:
            return known
    return ()


def _prefix_keys(
    catalog: Mapping[str, tuple[Known, ...]],
) -> tuple[dict[str, tuple[Known, ...]], int]:
    """The keys of ``catalog`` that end in a separator, and the length of the longest."""
    cached = _PREFIX_KEYS.get(id(catalog))
    if cached is None or cached[0] is not catalog:
        prefixes = {key: known for key, known in catalog.items() if key[-1] in "/:-."}
        cached = (catalog, prefixes, max(map(len, prefixes), default=0))
        _PREFIX_KEYS[id(catalog)] = cached
    return cached[1], cached[2]


def technologies(
    catalog: Mapping[str, tuple[Known, ...]],
    dependency: str,
    evidence: Evidence,
    version: str | None = None,
    scope: Scope = "runtime",
) -> Iterator[Technology]:
    """Yield the technologies that ``dependency`` stands for, citing ``evidence``.

    Args:
        catalog: What each known dependency stands for.
        dependency: The dependency as the manifest names it.
        evidence: The citation, or a function that makes it: called only when the
            dependency is known, so that unknown ones cost no search of the file.
        version: The version the manifest pins, if any.
        scope: Where the dependency is used.
    """
    found = lookup(catalog, dependency)
    if not found:
        return
    citation = cited(evidence)
    for known in found:
        # A driver's version is not the server's: datastores and brokers get theirs
        # only from images and infrastructure definitions.
        pinned = None if known.category in ("datastore", "broker") else safe_version(version)
        yield Technology(
            name=known.name,
            category=known.category,
            version=pinned,
            scope=scope,
            evidence=[citation],
        )


def cited(evidence: Evidence) -> str:
    """The citation ``evidence`` stands for, made now if it is a function."""
    return evidence() if callable(evidence) else evidence
