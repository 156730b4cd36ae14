"""C and C++: ``CMakeLists.txt`` packages."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import partial

from backend_persona.discover import catalog
from backend_persona.discover.evidence import source
from backend_persona.discover.index import FileIndex, parent_of
from backend_persona.discover.perfile import per_file
from backend_persona.discover.registry import Finding
from backend_persona.records import Component
from backend_persona.safefs import printable

_FIND_PACKAGE = re.compile(r"find_package\s*\(\s*([\w+-]+)(?:\s+([\d.]+))?", re.IGNORECASE)
# `[ \t]*`, not `\s*`: a line start must not run on over the blank lines after it.
_PROJECT = re.compile(r"^[ \t]*project\s*\(\s*([\w.-]+)", re.IGNORECASE | re.MULTILINE)


def detect(index: FileIndex) -> Iterator[Finding]:
    """CMake projects and the packages they find."""
    for path in index.named("CMakeLists.txt"):
        yield from per_file(index, path, _cmake, index, path)


def _cmake(index: FileIndex, path: str) -> Iterator[Finding]:
    text = index.read_text(path)
    if text is None:
        return
    project = _PROJECT.search(text)
    if project:
        yield Component(path=printable(parent_of(path)), name=printable(project.group(1)),
                        ecosystems=["cpp"], manifests=[printable(path)])
    cited = source(index, path, text)
    for match in _FIND_PACKAGE.finditer(text):
        package, version = match.groups()
        yield from catalog.technologies("cmake", package, partial(cited.cite_at, match.start()),
                                        version)
