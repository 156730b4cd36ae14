"""C and C++: ``CMakeLists.txt`` packages."""

from __future__ import annotations

import re
from collections.abc import Iterator

from backend_persona.discover.catalog import Known, cite, k, technologies
from backend_persona.discover.index import FileIndex, display, parent_of
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
_PROJECT = re.compile(r"^\s*project\s*\(\s*([\w.-]+)", re.IGNORECASE | re.MULTILINE)


@detector("cmake")
def detect(index: FileIndex) -> Iterator[Finding]:
    """CMake projects and the packages they find."""
    for path in index.named("CMakeLists.txt"):
        text = index.read_text(path)
        if text is None:
            continue
        project = _PROJECT.search(text)
        if project:
            yield Component(path=display(parent_of(path)), name=display(project.group(1)),
                            ecosystems=["cpp"], manifests=[display(path)])
        for match in _FIND_PACKAGE.finditer(text):
            package, version = match.groups()
            yield from technologies(CATALOG, package, cite(path, text, match.group(0)), version)
