"""Servers that speak another server's protocol: a Redis client talking to Valkey is Valkey.

A client library names the protocol it speaks, not the server behind it. When a project
deploys a compatible server (Valkey, DragonflyDB, Redpanda, MariaDB...) and nothing but
client libraries names the original, the original is that server seen through its client,
and reporting both would claim a datastore the project does not run.
"""

from __future__ import annotations

from backend_persona.records import Technology

# Protocol -> servers that speak it, in order of preference.
COMPATIBLE: dict[str, tuple[str, ...]] = {
    "Redis": ("Valkey", "DragonflyDB"),
    "Kafka": ("Redpanda",),
    "MySQL": ("MariaDB",),
    "Elasticsearch": ("OpenSearch",),
    "PostgreSQL": ("CockroachDB",),
}

_MANIFESTS = frozenset({
    "package.json", "go.mod", "Cargo.toml", "pom.xml", "build.gradle", "build.gradle.kts",
    "libs.versions.toml", "Gemfile", "mix.exs", "composer.json", "pyproject.toml",
    "CMakeLists.txt", "Directory.Packages.props",
})


def server_for(protocol: str, deployed: set[str]) -> str | None:
    """The deployed server that speaks ``protocol``, when the protocol itself is not deployed."""
    if protocol in deployed:
        return None
    return next((s for s in COMPATIBLE.get(protocol, ()) if s in deployed), None)


def fold_compatible(technologies: list[Technology]) -> list[Technology]:
    """Fold client-only sightings of a protocol into the compatible server the project runs.

    Args:
        technologies: Merged technologies, one per name.

    Returns:
        The same list, minus each folded protocol, whose evidence its server now carries.
    """
    deployed = {t.name for t in technologies if not _only_manifests(t)}
    servers = {t.name: server_for(t.name, deployed) for t in technologies if _only_manifests(t)}
    into = {name: server for name, server in servers.items() if server is not None}
    if not into:
        return technologies
    extra: dict[str, set[str]] = {}
    for technology in technologies:
        if technology.name in into:
            extra.setdefault(into[technology.name], set()).update(technology.evidence)
    return [
        t.evolve(evidence=sorted({*t.evidence, *extra[t.name]}))
        if t.name in extra else t
        for t in technologies if t.name not in into
    ]


def _only_manifests(technology: Technology) -> bool:
    return all(_is_manifest(e.path) for e in technology.evidence)


def _is_manifest(path: str) -> bool:
    name = path.rpartition("/")[2]
    return (name in _MANIFESTS or name.endswith((".csproj", ".fsproj"))
            or (name.startswith("requirements") and name.endswith((".txt", ".in"))))
