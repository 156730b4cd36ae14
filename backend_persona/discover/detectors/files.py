"""File markers: a file name, a path or a path prefix that names a technology (``file`` rules)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from backend_persona.discover import catalog
from backend_persona.discover.catalog import found
from backend_persona.discover.index import FileIndex
from backend_persona.discover.known import Known
from backend_persona.discover.registry import Finding
from backend_persona.safefs import printable

# `**/config/cable.yml` is a path at any depth; `*.blade.php` and `*_test.go` are the ends of
# file names (with a dot in them, so that the index's suffix table finds the candidates);
# `**/database/factories/*Factory.php` is such an ending in (or under) a folder;
# `jquery-3*.js` a file name's start and end (a vendored copy with its version in its name).
_ANY_DEPTH = "**/"
_ENDING = "*"
# `./Procfile` is a file name at the root only: the same name in a subfolder is something
# else's (a Procfile beside an image's nginx config is its process supervisor's).
_ROOT = "./"


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


def paths_for(index: FileIndex, key: str) -> list[str]:
    """The paths a key that is not a prefix names."""
    if key.startswith(_ROOT):
        path = key.removeprefix(_ROOT)
        return [p for p in index.named(path.rpartition("/")[2]) if p == path]
    anywhere = key.startswith(_ANY_DEPTH)
    rest = key.removeprefix(_ANY_DEPTH)
    folder, slash, pattern = rest.rpartition("/")
    folder += slash
    start, star, ending = pattern.partition(_ENDING)
    if star:
        last = ending[ending.rfind("."):]
        # Sorted once filtered: `*_test.go` would otherwise sort every Go file first.
        candidates = sorted(p for p in index.with_suffix(last.lower(), ordered=False)
                            if _fits(p.rpartition("/")[2], start, ending))
        if not folder:
            return candidates
        # The ending in the folder or below it: at any depth after `**/`, else from the root.
        return [p for p in candidates
                if (f"/{folder}" in f"/{p}" if anywhere else p.startswith(folder))]
    name = rest.rpartition("/")[2]
    if anywhere:
        return [p for p in index.named(name) if p == rest or p.endswith("/" + rest)]
    # A bare name matches in any folder; a key with a folder is one path from the root.
    return index.named(name) if name == key else [p for p in index.named(name) if p == key]


def _fits(name: str, start: str, ending: str) -> bool:
    return len(name) >= len(start) + len(ending) and name.startswith(start) and name.endswith(
        ending)


def _prefixed(index: FileIndex, rules: Mapping[str, tuple[Known, ...]],
              keys: list[str]) -> Iterator[Finding]:
    rooted = tuple(key for key in keys if not key.startswith(_ANY_DEPTH))
    # `**/config/cable.yml` is found as "/config/cable.yml" inside "/" + the path.
    nested = [(key, "/" + key.removeprefix(_ANY_DEPTH)) for key in keys
              if key.startswith(_ANY_DEPTH)]
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
