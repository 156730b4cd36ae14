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
from backend_persona.discover.evidence import source
from backend_persona.discover.filekeys import paths_for
from backend_persona.discover.index import FileIndex
from backend_persona.discover.known import Known
from backend_persona.discover.languages import serves_tests
from backend_persona.discover.registry import Finding

# A controller declares itself in its first lines; what a file holds below that is code.
_HEAD_BYTES = 16 * 1024
# Files opened per rule, at most: a large monorepo costs as much as a service does.
_READS_PER_RULE = 64
_SOURCE_ROOT = "/src/"
_COMMENT_STARTS = ("//", "#", "*", "/*", "--")


def detect(index: FileIndex) -> Iterator[Finding]:
    """Each ``code`` rule's marker, once per part of the repository that holds it."""
    # The rules by file pattern: each pattern's files are found, and told test or product,
    # once for all of its markers.
    by_pattern: dict[str, list[tuple[str, tuple[Known, ...]]]] = {}
    for key, known in catalog.source("code").items():
        pattern, _, needle = key.partition(" ")
        by_pattern.setdefault(pattern, []).append((needle, known))
    for pattern, rules in by_pattern.items():
        paths = paths_for(index, pattern)
        if not paths:
            continue
        # Told test or product as a rule reaches them: most rules stop after a few files.
        in_tests: dict[str, bool] = {}
        for needle, known in rules:
            yield from _shown(index, paths, in_tests, needle, known)


def _shown(index: FileIndex, paths: list[str], in_tests: dict[str, bool], needle: str,
           known: tuple[Known, ...]) -> Iterator[Finding]:
    shown: set[str] = set()
    opened = 0
    # A controller the tests define serves nothing the product does; a test framework's
    # marker is looked for in the tests alone.
    testing = any(k.category == "testing" for k in known)
    for path in paths:
        if opened >= _READS_PER_RULE:
            break
        test = in_tests.get(path)
        if test is None:
            test = in_tests[path] = serves_tests(path)
        part = _part(path)
        if part in shown or test is not testing:
            continue
        opened += 1
        head = index.read_head(path, _HEAD_BYTES) or ""
        at = _marker_at(head, needle)
        if at >= 0:
            shown.add(part)
            yield from found(known, source(index, path, head).cite_at(at))


def _marker_at(text: str, marker: str) -> int:
    """Where ``marker`` first stands as code in ``text``, or -1.

    A marker in a comment line (`// @EnableScheduling`, `// $schedule->command(...)`) or at
    the start of a longer name (`@RestControllerAdvice`) is none.
    """
    at = text.find(marker)
    while at >= 0:
        line = text[text.rfind("\n", 0, at) + 1:at].lstrip()
        after = text[at + len(marker):at + len(marker) + 1]
        ends_word = not (marker[-1:].isalnum() and (after.isalnum() or after == "_"))
        if ends_word and not line.startswith(_COMMENT_STARTS):
            return at
        at = text.find(marker, at + 1)
    return -1


def _part(path: str) -> str:
    """The part of the repository a source file belongs to: its tree above ``src/``.

    Without a ``src/`` folder, the file's top folder.
    """
    at = f"/{path}".find(_SOURCE_ROOT)
    if at > 0:
        return path[:at - 1]
    return path.partition("/")[0] if "/" in path else "."
