"""The scope a file's place gives what it starts or installs: test, dev or runtime.

A Compose file or a Dockerfile that serves the tests, or sits in a tool's folder
(`.devcontainer/` is Dev Containers'), starts and installs nothing any component runs with.
"""

from __future__ import annotations

from collections.abc import Mapping

from backend_persona.discover import catalog
from backend_persona.discover.known import Known
from backend_persona.discover.languages import serves_tests
from backend_persona.records import TOOL_SCOPES, Scope


def place_scope(path: str) -> Scope:
    """``test`` for a file of the tests, a tool's scope inside its folder, else ``runtime``."""
    if serves_tests(path):
        return "test"
    for folder, scope in _tool_folders(catalog.source("file")):
        if path.startswith(folder):
            return scope
    return "runtime"


# The folder keys of one `file` table that name a tool, by the table's identity: a
# repository's every Dockerfile would otherwise scan the whole table.
_FOLDERS: dict[int, tuple[Mapping[str, tuple[Known, ...]], list[tuple[str, Scope]]]] = {}


def _tool_folders(table: Mapping[str, tuple[Known, ...]]) -> list[tuple[str, Scope]]:
    """Each folder key of ``table`` with a tool among what it names, and that tool's scope."""
    kept = _FOLDERS.get(id(table))
    if kept is None or kept[0] is not table:
        folders = [(key, TOOL_SCOPES[tool.category]) for key, known in table.items()
                   if key.endswith("/")
                   for tool in [next((k for k in known if k.category in TOOL_SCOPES), None)]
                   if tool is not None]
        kept = _FOLDERS[id(table)] = (table, folders)
    return kept[1]
