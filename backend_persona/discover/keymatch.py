"""Matching dependency ids against one catalog table: exact keys and separator prefixes."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from backend_persona.discover.known import Known

# The characters a prefix key ends with; each table's prefix keys, cached by identity.
_SEPARATOR = re.compile(r"[/:\-.]")
_PREFIX_KEYS: dict[
    int, tuple[object, dict[str, tuple[Known, ...]], int, dict[str, tuple[Known, ...]]]
] = {}


def lookup(catalog: Mapping[str, tuple[Known, ...]], dependency: str) -> tuple[Known, ...]:
    """Find what ``dependency`` stands for: an exact key, or the longest key it extends.

    A key ending in ``/``, ``:``, ``-`` or ``.`` matches every dependency that starts with it.
    Each table's prefix keys are indexed on first use.
    """
    # Monorepos list the same unknown dependencies in many manifests: `matcher` answers each once.
    return matcher(catalog)(dependency)


def matcher(
    catalog: Mapping[str, tuple[Known, ...]], *, caseless: bool = False
) -> Callable[[str], tuple[Known, ...]]:
    """`lookup` bound to one table, for a manifest that may look up thousands of ids in it.

    Every answer, exact or not, is kept for the process: one dictionary lookup per id seen
    before, where `lookup` pays for its calls each time.
    """
    prefixes, longest, answered = _prefix_keys(catalog)

    def find(dependency: str) -> tuple[Known, ...]:
        dependency = dependency.lower() if caseless else dependency
        known = answered.get(dependency)
        if known is None:
            known = answered[dependency] = (catalog.get(dependency)
                                            or _longest_prefix(prefixes, longest, dependency))
        return known

    return find


def _longest_prefix(prefixes: Mapping[str, tuple[Known, ...]], longest: int,
                    dependency: str) -> tuple[Known, ...]:
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
) -> tuple[dict[str, tuple[Known, ...]], int, dict[str, tuple[Known, ...]]]:
    """The keys of ``catalog`` that end in a separator, the longest's length, and answers."""
    cached = _PREFIX_KEYS.get(id(catalog))
    if cached is None or cached[0] is not catalog:
        prefixes = {key: known for key, known in catalog.items() if key[-1] in "/:-."}
        cached = (catalog, prefixes, max(map(len, prefixes), default=0), {})
        _PREFIX_KEYS[id(catalog)] = cached
    return cached[1], cached[2], cached[3]
