"""File markers: a file name, a path or a path prefix that names a technology (``file`` rules)."""

from __future__ import annotations

from collections.abc import Iterator

from backend_persona.discover import catalog
from backend_persona.discover.catalog import found
from backend_persona.discover.index import FileIndex, display
from backend_persona.discover.registry import Finding


def detect(index: FileIndex) -> Iterator[Finding]:
    """Every file that a ``file`` rule names, as evidence of the rule's technologies."""
    rules = catalog.source("file")
    prefixes = tuple(key for key in rules if key.endswith("/"))
    for key, known in rules.items():
        if key.endswith("/"):
            continue
        name = key.rpartition("/")[2]
        # A bare name matches in any folder; a key with a folder is one path from the root.
        paths = index.named(name) if name == key else [p for p in index.named(name) if p == key]
        for path in paths:
            yield from found(known, display(path))
    if prefixes:
        # One pass over the paths, whatever the number of prefix rules: `startswith` takes
        # them all at once.
        for path in index.own_paths:
            if path.startswith(prefixes):
                for key in prefixes:
                    if path.startswith(key):
                        yield from found(rules[key], display(path))
