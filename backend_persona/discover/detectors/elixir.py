"""Elixir: ``mix.exs`` dependencies."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import partial

from backend_persona.discover.declared import Manifest
from backend_persona.discover.evidence import source
from backend_persona.discover.index import FileIndex, parent_of
from backend_persona.discover.perfile import per_file
from backend_persona.discover.registry import Finding
from backend_persona.records import Component, Scope
from backend_persona.safefs import printable

# A tuple's options end before the next tuple opens: `[^}]*` alone would let every `{`
# of a file with no `}` search to its end.
_DEP = re.compile(r"\{\s*:(\w+)\s*,\s*(?:\"([^\"]*)\")?([^{}]*)\}")


def detect(index: FileIndex) -> Iterator[Finding]:
    """Mix projects and their dependencies."""
    for path in index.named("mix.exs"):
        yield from per_file(index, path, _mix, index, path)


def _mix(index: FileIndex, path: str) -> Iterator[Finding]:
    text = index.read_text(path)
    if text is None:
        return
    folder = parent_of(path)
    yield Component(path=printable(folder), name=printable(folder.rpartition("/")[2] or folder),
                    ecosystems=["elixir"], manifests=[printable(path)])
    manifest = Manifest(index, path, "hex")
    cited = source(index, path, text)
    for match in _DEP.finditer(text):
        name, version, options = match.groups()
        scope: Scope = "test" if re.search(r"only:\s*\[?:test\]?$", options.strip()) else (
            "dev" if "only:" in options and ":dev" in options else "runtime")
        yield from manifest.declare(name, partial(cited.cite_at, match.start(1)), version, scope)
