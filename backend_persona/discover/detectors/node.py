"""JavaScript and TypeScript packages: ``package.json`` dependencies and workspaces."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import Any

from backend_persona.discover import catalog
from backend_persona.discover.declared import Manifest
from backend_persona.discover.evidence import InOrder, source
from backend_persona.discover.index import FileIndex, parent_of
from backend_persona.discover.perfile import per_file
from backend_persona.discover.registry import Finding
from backend_persona.models import TOOL_SCOPES, Category, Component, Dependency, Scope, Technology
from backend_persona.safefs import printable

_SECTIONS: tuple[tuple[str, Scope], ...] = (
    ("dependencies", "runtime"),
    ("peerDependencies", "runtime"),
    ("optionalDependencies", "runtime"),
    ("devDependencies", "dev"),
)

# Categories of what only a server runs: one of them among runtime dependencies makes Node.js
# a runtime of the package.
_SERVER_SIDE: frozenset[Category] = frozenset({
    "framework", "data-access", "driver", "migrations", "datastore", "search", "broker", "jobs",
    "server",
})


def detect(index: FileIndex) -> Iterator[Finding]:
    """npm, pnpm and yarn packages, their frameworks, ORMs and drivers."""
    for path in index.named("package.json"):
        yield from per_file(index, path, _manifest, index, path)


def _manifest(index: FileIndex, path: str) -> Iterator[Finding]:
    data = index.read_json_object(path)
    if data is not None:
        yield from _package(path, Manifest(index, path, "npm"), InOrder(source(index, path)),
                            data)


def _package(
    path: str, manifest: Manifest, text: InOrder, data: dict[str, Any]
) -> Iterator[Finding]:
    folder = parent_of(path)
    name = data.get("name")
    yield Component(
        path=printable(folder),
        name=printable(name if isinstance(name, str) and name else folder),
        ecosystems=["node"],
        manifests=[printable(path)],
        workspace="workspaces" in data,
    )
    declared: list[Finding] = []
    for section, scope in _SECTIONS:
        table = data.get(section)
        if not isinstance(table, dict):
            continue
        text.seek(f'"{section}"')
        for dependency, version in table.items():
            declared.extend(manifest.declare(dependency, partial(text.cite, f'"{dependency}"'),
                                             version if isinstance(version, str) else None,
                                             scope))
    engines = data.get("engines")
    node_version = engines.get("node") if isinstance(engines, dict) else None
    if node_version is not None or _runs_on_node(data):
        yield from catalog.technologies("toolchain", "node", printable(path),
                                        node_version if isinstance(node_version, str) else None,
                                        "dev" if _only_builds(declared) else "runtime")
    yield from declared


def _runs_on_node(data: dict[str, Any]) -> bool:
    """Whether the package runs on Node.js: it has runtime dependencies or a start script.

    A package.json that holds only a linter or a docs tool runs nothing in production.
    """
    scripts = data.get("scripts")
    if isinstance(scripts, dict) and "start" in scripts:
        return True
    return any(isinstance(data.get(section), dict) and data[section]
               for section, scope in _SECTIONS if scope == "runtime")


def _only_builds(declared: list[Finding]) -> bool:
    """Whether Node.js only builds or checks the code here, and runs nothing in production.

    React and Vite bundled for a Rails, Django or Spring app run in the browser, and a linter
    among the runtime dependencies is still a linter: Node.js is a runtime only with a
    server-side dependency (a framework, a driver, a queue) or one that is no frontend or tool.
    """
    found = [t for t in declared if isinstance(t, Technology)]
    if any(t.scope == "runtime" and t.category in _SERVER_SIDE for t in found):
        return False
    tools = {t.name for t in found if t.category in TOOL_SCOPES}
    runtime = [d for d in declared if isinstance(d, Dependency) and d.scope == "runtime"]
    only_tools = bool(runtime) and all(d.technologies and set(d.technologies) <= tools
                                       for d in runtime)
    return only_tools or any(t.category == "frontend" for t in found)
