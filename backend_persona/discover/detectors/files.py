"""File markers: a file name, a path or a path prefix that names a technology (``file`` rules)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from backend_persona.discover import catalog
from backend_persona.discover.catalog import found
from backend_persona.discover.filekeys import ANY_DEPTH, paths_for
from backend_persona.discover.index import FileIndex
from backend_persona.discover.known import Known
from backend_persona.discover.registry import Finding
from backend_persona.safefs import printable

# The key syntax (`**/`, `*`, `./`) is filekeys.py's; prefixes at any depth start `**/`.


def detect(index: FileIndex) -> Iterator[Finding]:
    """Every file that a ``file`` rule names, as evidence of the rule's technologies."""
    rules = catalog.source("file")
    prefixes: list[str] = []
    for key, known in rules.items():
        if key.endswith("/"):
            prefixes.append(key)
            continue
        for path in paths_for(index, key):
            yield from found(known, printable(path))
    if prefixes:
        yield from _prefixed(index, rules, prefixes)


def _prefixed(index: FileIndex, rules: Mapping[str, tuple[Known, ...]],
              keys: list[str]) -> Iterator[Finding]:
    rooted = tuple(key for key in keys if not key.startswith(ANY_DEPTH))
    # `**/config/cable.yml` is found as "/config/cable.yml" inside "/" + the path.
    nested = [(key, "/" + key.removeprefix(ANY_DEPTH)) for key in keys
              if key.startswith(ANY_DEPTH)]
    # One pass over the paths, whatever the number of prefix rules: `startswith` takes the
    # rooted ones at once, and a folder at any depth is a substring of `/` + the path. Every
    # key ends in `/`, so what matches is decided by a path's folder alone: once for each
    # run of paths in one folder, which the sorted listing keeps together.
    folder: str | None = None
    matched: list[str] = []
    for path in index.own_paths:
        current = path[:path.rfind("/") + 1]
        if current != folder:
            folder, matched = current, _keys_for(current, rooted, nested)
        for key in matched:
            yield from found(rules[key], printable(path))


def _keys_for(folder: str, rooted: tuple[str, ...], nested: list[tuple[str, str]]) -> list[str]:
    """The prefix keys that name the files of ``folder`` (``""`` or ending in ``/``)."""
    keys = [key for key in rooted if folder.startswith(key)] if folder.startswith(rooted) else []
    slashed = "/" + folder
    return keys + [key for key, needle in nested if needle in slashed]
