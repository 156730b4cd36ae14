"""Code markers: a word in a framework's own kind of source file (``code`` rules).

``@RestController`` in a Spring controller or ``[ApiController]`` in an ASP.NET one says
the service speaks REST, which no manifest can: the web framework serves pages as well.
Only the files a rule's pattern names (outside the tests, or for a test framework, inside
them) are opened, only their heads, and only until each part of the repository has shown
the marker once.
"""

from __future__ import annotations

from collections.abc import Iterator

from backend_persona.discover import catalog
from backend_persona.discover.catalog import found
from backend_persona.discover.detectors.files import paths_for
from backend_persona.discover.evidence import source
from backend_persona.discover.index import FileIndex
from backend_persona.discover.languages import serves_tests
from backend_persona.discover.registry import Finding
from backend_persona.safefs import printable

# A controller declares itself in its first lines; what a file holds below that is code.
_HEAD_BYTES = 16 * 1024
# Files opened per rule, at most: a large monorepo costs as much as a service does.
_READS_PER_RULE = 64
_SOURCE_ROOT = "/src/"


def detect(index: FileIndex) -> Iterator[Finding]:
    """Each ``code`` rule's marker, once per part of the repository that holds it."""
    for key, known in catalog.source("code").items():
        pattern, _, needle = key.partition(" ")
        shown: set[str] = set()
        # A controller the tests define serves nothing the product does; a test framework's
        # marker is looked for in the tests alone.
        testing = any(k.category == "testing" for k in known)
        candidates = [p for p in paths_for(index, pattern) if serves_tests(p) is testing]
        for path in candidates[:_READS_PER_RULE]:
            part = _part(path)
            if part in shown:
                continue
            head = index.read_head(path, _HEAD_BYTES) or ""
            at = head.find(needle)
            if at >= 0:
                shown.add(part)
                yield from found(known, source(index, path, head).cite_at(at))


def _part(path: str) -> str:
    """The part of the repository a source file belongs to: its tree above ``src/``.

    Without a ``src/`` folder, the file's top folder.
    """
    at = f"/{path}".find(_SOURCE_ROOT)
    if at > 0:
        return printable(path[:at - 1])
    return path.partition("/")[0] if "/" in path else "."
