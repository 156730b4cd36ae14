"""The scope a file's place gives what it starts or installs: test, dev or runtime.

A Compose file or a Dockerfile that serves the tests, or sits in a tool's folder
(`.devcontainer/` is Dev Containers'), starts and installs nothing any component runs with.
"""

from __future__ import annotations

from backend_persona.discover import catalog
from backend_persona.discover.languages import serves_tests
from backend_persona.records import TOOL_SCOPES, Scope


def place_scope(path: str) -> Scope:
    """``test`` for a file of the tests, a tool's scope inside its folder, else ``runtime``."""
    if serves_tests(path):
        return "test"
    for key, known in catalog.source("file").items():
        if key.endswith("/") and path.startswith(key):
            for each in known:
                if each.category in TOOL_SCOPES:
                    return TOOL_SCOPES[each.category]
    return "runtime"
