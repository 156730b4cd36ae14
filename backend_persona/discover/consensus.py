"""Which version a technology is reported at when its components pin different ones.

Each component keeps the first version its own files pin, in path order; the stack
reports the version most components pin. Tool-only and example modules
(``internal/tools/go.mod``, ``examples/``, ``testdata/``...) keep their own version but
never decide the stack's: a tools module pinning ``go 1.12`` says nothing about services
that all say ``go 1.25.0``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from backend_persona.discover.components import evidence_path, owner_of
from backend_persona.models import Component, Technology

# Folders whose modules build tools, examples or test data, not the project itself.
TOOLING_FOLDERS = frozenset({
    "tools", "tool", "examples", "example", "samples", "sample", "testdata", "fixtures",
})


def is_tooling(folder: str) -> bool:
    """Whether ``folder`` (``.`` for the root) lies in a tool-only or example folder."""
    return any(part in TOOLING_FOLDERS for part in folder.split("/"))


def pinned_versions(
    sightings: Iterable[Technology], components: dict[str, Component]
) -> tuple[dict[str, str], str | None]:
    """Each component's version of one technology, and the version the stack reports.

    Args:
        sightings: One technology's sightings, in path order of their evidence.
        components: The components by folder, which own the files below them.

    Returns:
        Component path -> the first version its files pin; and the most common version
        among the components (and files outside any component) that are not tooling,
        the first in path order of equally common ones; None if none pins one.
    """
    per_component: dict[str, str] = {}
    # One vote per component, or per file that no component owns.
    votes: dict[str, str] = {}
    for sighting in sightings:
        if sighting.version is None:
            continue
        for evidence in sighting.evidence:
            path = evidence_path(evidence)
            tooling = is_tooling(path.rpartition("/")[0] or ".")
            owner = owner_of(path, components)
            # The root's version does not come from an `examples/` file below it.
            if owner is not None and tooling == is_tooling(owner):
                per_component.setdefault(owner, sighting.version)
            if not tooling:
                votes.setdefault(owner or path, sighting.version)
    # Counter keeps first-seen order among equal counts: path order breaks ties.
    ranked = Counter(votes.values()).most_common(1)
    return per_component, ranked[0][0] if ranked else None
