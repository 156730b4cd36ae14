"""C and C++: ``CMakeLists.txt`` packages."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import partial

from backend_persona.discover.catalog import Known, k, technologies
from backend_persona.discover.evidence import source
from backend_persona.discover.index import FileIndex, display, parent_of
from backend_persona.discover.perfile import per_file
from backend_persona.discover.registry import Finding, detector
from backend_persona.models import Component

CATALOG: dict[str, tuple[Known, ...]] = {
    "PostgreSQL": k("PostgreSQL", "datastore"),
    "libpqxx": k("PostgreSQL", "datastore"),
    "pqxx": k("PostgreSQL", "datastore"),
    "MySQL": k("MySQL", "datastore"),
    "SQLite3": k("SQLite", "datastore"),
    "hiredis": k("Redis", "datastore"),
    "redis++": k("Redis", "datastore"),
    "RdKafka": k("Kafka", "broker"),
    "gRPC": k("gRPC", "rpc"),
    "Protobuf": k("Protocol Buffers", "rpc"),
    "Drogon": k("Drogon", "framework"),
    "Crow": k("Crow", "framework"),
    "Boost": k("Boost", "library"),
    "GTest": k("GoogleTest", "testing"),
    "Catch2": k("Catch2", "testing"),
}
_FIND_PACKAGE = re.compile(r"find_package\s*\(\s*([\w+-]+)(?:\s+([\d.]+))?", re.IGNORECASE)
# `[ \t]*`, not `\s*`: a line start must not run on over the blank lines after it.
_PROJECT = re.compile(r"^[ \t]*project\s*\(\s*([\w.-]+)", re.IGNORECASE | re.MULTILINE)


@detector("cmake")
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
        yield Component(path=display(parent_of(path)), name=display(project.group(1)),
                        ecosystems=["cpp"], manifests=[display(path)])
    cited = source(index, path, text)
    for match in _FIND_PACKAGE.finditer(text):
        package, version = match.groups()
        yield from technologies(CATALOG, package, partial(cited.cite_at, match.start()), version)
