"""Which version a technology is reported at when its components pin different ones.

Each component keeps the first version its own files pin, in path order; the stack
reports the version most components pin, or, when no version is pinned by more components
than every other, the range from the lowest to the highest. Tool-only and example modules
(``internal/tools/go.mod``, ``examples/``, ``testdata/``...) keep their own version but
never decide the stack's: a tools module pinning ``go 1.12`` says nothing about services
that all say ``go 1.25.0``.

A runtime's version is the workspace's: when a workspace root pins one (``engines.node``
in the root package.json of a pnpm, npm or yarn workspace), its members vote through it.
The workspace installs, builds, tests and runs every member with that toolchain; a
member's own ``engines`` (a published SDK's ``>=10``) is the oldest runtime it promises its
users, not the one the project runs, so a dozen SDKs do not outvote the root.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Iterable

from backend_persona.discover.components import owner_of
from backend_persona.discover.sighting import Sighting
from backend_persona.records import Component

# Folders whose modules build tools, examples or test data, not the project itself.
TOOLING_FOLDERS = frozenset({
    "tools", "tool", "examples", "example", "samples", "sample", "testdata", "fixtures",
    "playground", "playgrounds",
})


# Joins the lowest and the highest version of a range: no version holds it (versions.py's
# grammar is ASCII), so a reader of the version can tell a range from a version.
RANGE = "\u2013"
_NUMBER = re.compile(r"[0-9]+")


def is_tooling(folder: str) -> bool:
    """Whether ``folder`` (``.`` for the root) lies in a tool-only or example folder."""
    return any(part in TOOLING_FOLDERS for part in folder.split("/"))


def pinned_versions(
    sightings: Iterable[Sighting],
    components: dict[str, Component],
    workspaces: Collection[str] = (),
) -> tuple[dict[str, str], str | None]:
    """Each component's version of one technology, and the version the stack reports.

    Args:
        sightings: One technology's sightings, in path order of their evidence.
        components: The components by folder, which own the files below them.
        workspaces: The folders of workspace roots: for a runtime, the members of one
            that pins a version vote through it.

    Returns:
        Component path -> the first version its files pin; and the version that more of
        the components (and files outside any component) that are not tooling pin than
        any other, or if none does, their range (`version_range`); None if none pins one
        or the range would join multi-clause constraints.
    """
    sightings = list(sightings)
    per_component: dict[str, str] = {}
    # One vote per component, or per file that no component owns.
    votes: dict[str, str] = {}
    for sighting in sightings:
        if sighting.version is None:
            continue
        for evidence in sighting.evidence:
            path = evidence.path
            tooling = is_tooling(path.rpartition("/")[0] or ".")
            owner = owner_of(path, components)
            # The root's version does not come from an `examples/` file below it.
            if owner is not None and tooling == is_tooling(owner):
                per_component.setdefault(owner, sighting.version)
            if not tooling:
                votes.setdefault(owner or path, sighting.version)
    if sightings and sightings[0].category == "runtime":
        votes = _through_workspaces(votes, per_component, workspaces)
    ranked = Counter(votes.values()).most_common(2)
    if not ranked:
        return per_component, None
    if len(ranked) == 1 or ranked[0][1] > ranked[1][1]:
        return per_component, ranked[0][0]
    return per_component, version_range(votes.values())


def _through_workspaces(
    votes: dict[str, str], per_component: dict[str, str], workspaces: Collection[str]
) -> dict[str, str]:
    """The votes without those of members of a workspace whose root pins a version."""
    pinning = [root for root in workspaces if root in per_component and root in votes]
    if not pinning:
        return votes
    return {voter: version for voter, version in votes.items()
            if not any(voter != root and below(voter, root) for root in pinning)}


def below(path: str, folder: str) -> bool:
    """Whether ``path`` is ``folder`` or lies inside it (``.`` holds everything)."""
    return folder in (".", path) or path.startswith(f"{folder}/")


def version_range(versions: Iterable[str]) -> str | None:
    """The lowest and the highest of ``versions``, by their numbers, joined by `RANGE`.

    Constraints compare by the numbers they hold (``^5.0`` as 5.0); of versions with the
    same numbers (``1.2`` and ``~1.2``) the first in path order stands. None when an end
    would be a constraint of several clauses (``^18.0.0 || >=20.0.0``): a range of those
    reads as nonsense, and each component's version is in ``versions``.
    """
    ordered = sorted(dict.fromkeys(versions), key=lambda v: [int(n) for n in _NUMBER.findall(v)])
    if any(" " in end for end in (ordered[0], ordered[-1])):
        return None
    return f"{ordered[0]}{RANGE}{ordered[-1]}"
