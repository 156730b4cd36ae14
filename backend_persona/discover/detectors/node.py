"""JavaScript and TypeScript packages: ``package.json`` dependencies and workspaces."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from functools import partial
from typing import Any, Literal, NamedTuple

from backend_persona.discover import catalog
from backend_persona.discover.declared import Manifest
from backend_persona.discover.evidence import InOrder, source
from backend_persona.discover.index import FileIndex, parent_of
from backend_persona.discover.kinds import folder_kind
from backend_persona.discover.perfile import per_file
from backend_persona.discover.registry import Finding
from backend_persona.discover.sighting import Sighting
from backend_persona.records import TOOL_SCOPES, Category, Component, Dependency, Scope
from backend_persona.safefs import printable

# Version protocols of a package that comes from the repository or the disk, not a registry.
_LOCAL_PROTOCOLS = ("workspace:", "file:", "link:", "portal:")
_SECTIONS: tuple[tuple[str, Scope], ...] = (
    ("dependencies", "runtime"),
    ("peerDependencies", "runtime"),
    ("optionalDependencies", "runtime"),
    ("devDependencies", "dev"),
)
# The section that names the host a package plugs into (Vite for a Vite plugin).
_PEERS = "peerDependencies"
# The dependency names of one manifest kept to find the repository's own packages among them.
_NAMES_KEPT = 5_000

# Categories of what only a server runs: one of them among runtime dependencies makes Node.js
# a runtime of the package.
_SERVER_SIDE: frozenset[Category] = frozenset({
    "framework", "data-access", "driver", "migrations", "datastore", "search", "broker", "jobs",
    "server",
})
# What a package's own dependencies say about where Node.js runs it (`_verdict`).
_Verdict = Literal["server", "runs", "frontend", "tools"]
_BUN_LOCKS = ("bun.lock", "bun.lockb")
_NODE_LOCKS = ("package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml")


class _Package(NamedTuple):
    """One package.json's findings, and what decides where Node.js runs it."""

    name: str | None
    folder: str
    # The component and its dependencies; the technologies come by dependency (`sightings`).
    findings: list[Finding]
    # Each dependency's name and the technologies it names: `detect` drops those of a
    # dependency on one of the repository's own packages.
    sightings: list[tuple[str, list[Sighting]]]
    # Node.js's sightings, at runtime scope: `detect` gives dev to a package it only builds.
    node: list[Sighting]
    # Whether Node.js only builds the package's frontend (`_builds_frontend`): never production.
    builds_only: bool
    # What the package's own dependencies say (`_verdict`): "server" (a server-side
    # dependency), "runs" (some other library), "frontend" or "tools" (it only builds).
    verdict: _Verdict
    # The packages it imports at runtime, and every package it names in any section.
    imports: frozenset[str]
    names: frozenset[str]


def detect(index: FileIndex) -> Iterator[Finding]:
    """npm, pnpm and yarn packages, their frameworks, ORMs and drivers."""
    bun = _bun_folders(index)
    packages = [package for path in index.named("package.json")
                for package in per_file(index, path, _manifest, index, path,
                                        parent_of(path) in bun)]
    production = _run_in_production(packages)
    # The repository's own packages: a dependency on one (`"@novu/react": "^2.3.0"`) is a
    # sibling, published or not, and names no technology, whatever the catalog calls it.
    # Not a fixture's or an example's name: `test/fixtures/app` called "react" is no sibling.
    own = {package.name for package in packages
           if package.name and folder_kind(package.folder) is None}
    for number, package in enumerate(packages):
        yield from package.findings
        for dependency, technologies in package.sightings:
            if dependency not in own:
                yield from technologies
        for sighting in package.node:
            yield sighting if number in production else sighting.evolve(scope="dev")


def _bun_folders(index: FileIndex) -> frozenset[str]:
    """The folders whose packages Bun installs and runs: a Bun lock file and no Node one."""
    locked = {parent_of(p) for name in _NODE_LOCKS for p in index.named(name)}
    return frozenset(parent_of(p) for name in _BUN_LOCKS for p in index.named(name)
                     if parent_of(p) not in locked)


def _manifest(index: FileIndex, path: str, on_bun: bool) -> Iterator[_Package]:
    data = index.read_json_object(path)
    if data is not None:
        yield _package(path, Manifest(index, path, "npm"), InOrder(source(index, path)), data,
                       on_bun)


def _package(path: str, manifest: Manifest, text: InOrder, data: dict[str, Any],
             on_bun: bool) -> _Package:
    folder = parent_of(path)
    name = data.get("name")
    findings: list[Finding] = [Component(
        path=printable(folder),
        name=printable(name if isinstance(name, str) and name else folder),
        ecosystems=["node"],
        manifests=[printable(path)],
        workspace="workspaces" in data,
    )]
    declared: list[Finding] = []
    sightings: list[tuple[str, list[Sighting]]] = []
    peers: list[Dependency] = []
    imports: set[str] = set()
    names: set[str] = set()
    for section, scope in _SECTIONS:
        table = data.get(section)
        if not isinstance(table, dict):
            continue
        text.seek(f'"{section}"')
        for dependency, version in table.items():
            # Only a sibling's name matters here (`_run_in_production`), and real manifests
            # name a few hundred packages: a generated one's tens of thousands are not kept.
            if len(names) < _NAMES_KEPT:
                names.add(dependency)
                if scope == "runtime":
                    imports.add(dependency)
            found = list(manifest.declare(dependency, partial(text.cite, f'"{dependency}"'),
                                          version if isinstance(version, str) else None, scope))
            technologies = [f for f in found if isinstance(f, Sighting)]
            if isinstance(version, str) and version.startswith(_LOCAL_PROTOCOLS):
                # A package of this very repository or disk (`"@novu/ee-auth": "workspace:*"`,
                # `file:../ui`): a dependency, but no technology, whatever its name.
                technologies = []
            if technologies:
                sightings.append((dependency, technologies))
            declared.extend(found)
            if section == _PEERS:
                peers.extend(d for d in found if isinstance(d, Dependency))
    findings.extend(d for d in declared if not isinstance(d, Sighting))
    engines = data.get("engines")
    node_version = engines.get("node") if isinstance(engines, dict) else None
    node: list[Sighting] = []
    # Bun's lock file alone says Bun runs the package (Livebook builds its assets so),
    # unless `engines.node` asks for Node.js.
    runs = node_version is not None or (_runs_on_node(data) and not on_bun)
    builds_only = not runs and not on_bun and _builds_frontend(declared)
    if runs or builds_only:
        node.extend(catalog.technologies(
            "toolchain", "node", printable(path),
            node_version if isinstance(node_version, str) else None))
    return _Package(
        name=name if isinstance(name, str) and name else None,
        folder=folder,
        findings=findings,
        sightings=sightings,
        node=node,
        verdict=_verdict(declared, peers),
        builds_only=builds_only,
        imports=frozenset(imports),
        names=frozenset(names),
    )


def _builds_frontend(declared: list[Finding]) -> bool:
    """Whether a package with no runtime of its own builds a frontend: Node.js runs the build.

    A Django or Rails app's `package.json` of Bootstrap and a bundler among its development
    dependencies; not one that holds only a linter or a formatter.
    """
    return any(isinstance(f, Sighting) and f.category == "frontend" for f in declared)


def _runs_on_node(data: dict[str, Any]) -> bool:
    """Whether the package runs on Node.js: it has runtime dependencies or a start script.

    A package.json that holds only a linter or a docs tool runs nothing in production.
    """
    scripts = data.get("scripts")
    if isinstance(scripts, dict) and "start" in scripts:
        return True
    return any(isinstance(data.get(section), dict) and data[section]
               for section, scope in _SECTIONS if scope == "runtime")


def _verdict(declared: list[Finding], peers: list[Dependency]) -> _Verdict:
    """What a package's own dependencies say about where Node.js runs it.

    "server" with a server-side runtime dependency (a framework, a driver, a queue): Node.js
    runs it in production. "tools" when its runtime dependencies are all tools (a linter
    among them is still a linter), or its peer dependencies are (a Vite or ESLint plugin
    runs inside them, when the code is built). "frontend" with a frontend dependency: React
    and Vite bundled for a Rails, Django or Spring app run in the browser. "runs" otherwise.
    """
    found = [t for t in declared if isinstance(t, Sighting)]
    if any(t.scope == "runtime" and t.category in _SERVER_SIDE for t in found):
        return "server"
    tools = {t.name for t in found if t.category in TOOL_SCOPES}
    runtime = [d for d in declared if isinstance(d, Dependency) and d.scope == "runtime"]
    if (runtime and _all_tools(runtime, tools)) or (peers and _all_tools(peers, tools)):
        return "tools"
    return "frontend" if any(t.category == "frontend" for t in found) else "runs"


def _all_tools(dependencies: list[Dependency], tools: set[str]) -> bool:
    return all(d.technologies and set(d.technologies) <= tools for d in dependencies)


def _run_in_production(packages: list[_Package]) -> set[int]:
    """Which packages Node.js runs in production, by their position in ``packages``.

    A package with a server-side dependency runs, whoever imports it, and a tool's plugin
    never does (`_verdict`). A package that runs on its own terms ("runs") and that no other
    package of the repository imports (a published SDK, a script) runs. Every other one (a
    workspace member, a generated API client, a shared frontend library) runs where its
    importers run: in production when one that runs there imports it among its runtime
    dependencies; an API client that only the frontend build imports runs in the browser.
    """
    by_name: dict[str, list[int]] = {}
    for number, package in enumerate(packages):
        if package.name is not None:
            by_name.setdefault(package.name, []).append(number)
    # How many packages name each package, in any section (one that names itself aside).
    named = Counter(name for package in packages for name in package.names
                    if name != package.name)
    production = {n for n, package in enumerate(packages) if package.node
                  and not package.builds_only and (
        package.verdict == "server"
        or (package.verdict == "runs" and not named[package.name or ""]))}
    # Along runtime imports from there, each name once: a worklist, so that an import cycle
    # proves nothing, no chain of packages is too deep to follow, and a thousand packages of
    # one name cost one pass.
    pending = list(production)
    followed: set[str] = set()
    while pending:
        for name in packages[pending.pop()].imports - followed:
            followed.add(name)
            for number in by_name.get(name, ()):
                package = packages[number]
                if (package.node and not package.builds_only and package.verdict != "tools"
                        and number not in production):
                    production.add(number)
                    pending.append(number)
    return production
