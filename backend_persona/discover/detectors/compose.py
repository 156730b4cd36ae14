"""Docker Compose: datastore and broker images, and which built service uses them."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from typing import Any

from backend_persona.discover import catalog
from backend_persona.discover.compatible import server_for
from backend_persona.discover.detectors.containers import is_compose_file
from backend_persona.discover.detectors.scripts import script_files
from backend_persona.discover.evidence import Source, source
from backend_persona.discover.images import named_image, parse_image
from backend_persona.discover.index import FileIndex, parent_of
from backend_persona.discover.known import Known
from backend_persona.discover.pathscope import place_scope
from backend_persona.discover.perfile import per_file
from backend_persona.discover.registry import Finding, Link
from backend_persona.discover.sighting import Sighting
from backend_persona.discover.sniff import may_sniff
from backend_persona.discover.yamlload import load_documents
from backend_persona.evidence import Evidence
from backend_persona.records import Artifact
from backend_persona.safefs import printable

_FILE_FLAG = re.compile(r"(?:\s-f|\s--file)[= ]\s*['\"]?([\w./-]+\.ya?ml)")
_URL_SCHEME = re.compile(r"^([a-z][a-z0-9+]*)://", re.IGNORECASE)
# A Compose file under another name still opens with a top-level `services:` mapping whose
# entries have an image or a build; GitHub workflows and GitLab CI nest or list theirs, and
# Woodpecker and Drone pipelines hold a top-level one beside their `steps` (`_is_compose`).
_TOP_SERVICES = re.compile(r"^services:[ \t]*(#.*)?$", re.MULTILINE)
_PIPELINE_KEYS = frozenset({"steps", "pipeline"})
_SERVICE_KEY = re.compile(r"^[ \t]+(image|build):", re.MULTILINE)
_NOT_COMPOSE = re.compile(r"(^|/)(\.github|\.gitlab|templates)/|(^|/)(values[\w.-]*|\.gitlab-ci)"
                          r"\.ya?ml$")


def detect(index: FileIndex) -> Iterator[Finding]:
    """Images of every Compose file: by conventional name, referenced with ``-f``, or by content."""
    named = compose_files(index)
    for path in named + _compose_by_content(index, set(named)):
        yield from per_file(index, path, _compose_file, index, path, path in named)


def _compose_file(index: FileIndex, path: str, named: bool) -> Iterator[Finding]:
    documents = [d for d in load_documents(index, path) or [] if _is_compose(d)]
    if documents or named:
        yield Artifact(section="container", kind="compose", path=printable(path))
    for document in documents:
        yield from _services(source(index, path), document["services"])


def _compose_by_content(index: FileIndex, named: set[str]) -> list[str]:
    found = []
    for path in index.with_suffix(".yaml", ".yml"):
        if path in named or _NOT_COMPOSE.search(path) or not may_sniff(index, path):
            continue
        head = index.read_head(path) or ""
        if _TOP_SERVICES.search(head) and _SERVICE_KEY.search(head):
            found.append(path)
    return found


def _is_compose(document: object) -> bool:
    if not isinstance(document, dict) or not isinstance(document.get("services"), dict):
        return False
    if _PIPELINE_KEYS & document.keys():
        return False
    return any(isinstance(s, dict) and ("image" in s or "build" in s)
               for s in document["services"].values())


def compose_files(index: FileIndex) -> list[str]:
    """Compose files by name, plus files that scripts pass to ``docker compose -f``."""
    # Made at the first reference only: a set of 300,000 paths costs 16 MB.
    known: set[str] | None = None
    found = {p for p in index.with_suffix(".yml", ".yaml") if is_compose_file(p.rpartition("/")[2])}
    scripts = script_files(index) + index.named("package.json") + [
        p for p in index.with_suffix(".yml", ".yaml") if p.startswith(".github/workflows/")
    ]
    for script in scripts:
        text = index.read_text(script) or ""
        if "compose" not in text:
            continue
        for line in text.splitlines():
            if "compose" in line:
                for reference in _FILE_FLAG.findall(line):
                    for base in ("", parent_of(script)):
                        candidate = posixpath.normpath(posixpath.join(base, reference))
                        known = set(index.paths) if known is None else known
                        if candidate in known:
                            found.add(candidate)
    return sorted(found)


def _services(text: Source, services: dict[str, Any]) -> Iterator[Finding]:
    path = text.path
    scope = place_scope(path)
    provides: dict[str, str] = {}
    for name, service in services.items():
        if not isinstance(service, dict):
            continue
        image = service.get("image")
        parsed = parse_image(image) if isinstance(image, str) else None
        if parsed and isinstance(image, str):
            known, version = parsed
            evidence, pinned = text.cite(image), version
        else:
            # A service called `kafka` that runs a custom or home-built image is still Kafka.
            known, evidence, pinned = named_image(str(name).lower()), text.cite(f"{name}:"), None
            if not known:
                continue
        provides[str(name)] = known[0].name
        for each in known:
            yield Sighting(name=each.name, category=each.category, scope=scope,
                             version=catalog.own_version(each, pinned),
                             evidence=[Evidence(evidence)], implied=each.implied)
    built = [s for n, s in services.items()
             if isinstance(s, dict) and "build" in s and str(n) not in provides]
    for service in built if scope == "runtime" else ():
        folder = _build_folder(path, service["build"])
        if folder is None:
            continue
        for technology in sorted(_uses(service, provides, single=len(built) == 1),
                                 key=lambda k: k.name):
            if technology.name not in provides.values():
                # Named only by a connection URL's scheme: cite the file, never the value.
                yield Sighting(name=technology.name, category=technology.category,
                                 evidence=[Evidence(printable(path))])
            yield Link(component=folder, technology=technology.name)


def _build_folder(compose_path: str, build: object) -> str | None:
    context = build.get("context", ".") if isinstance(build, dict) else build
    if not isinstance(context, str) or "://" in context:
        return None
    folder = posixpath.normpath(posixpath.join(parent_of(compose_path), context))
    return None if folder.startswith("..") else folder


def _uses(service: dict[str, Any], provides: dict[str, str], *, single: bool) -> set[Known]:
    # With one built service in the file, every datastore in it is that service's.
    deployed = set(provides.values())
    uses = set(deployed) if single else set()
    depends = service.get("depends_on")
    names = depends if isinstance(depends, list) else list(depends or {})
    # Names and values are scalars; anything else is skipped unread, never turned into
    # text, which for aliased lists nested in lists costs their whole expansion.
    uses.update(provides[str(n)] for n in names if _scalar(n) and str(n) in provides)
    found = {catalog.named(name) for name in uses}
    environment = service.get("environment")
    values = environment.values() if isinstance(environment, dict) else [
        e.partition("=")[2] for e in environment or [] if isinstance(e, str)]
    for value in values:
        match = _URL_SCHEME.match(value) if isinstance(value, str) else None
        for protocol in catalog.match("scheme", match.group(1).lower()) if match else ():
            # `redis://` to a Valkey service speaks Redis's protocol to Valkey.
            server = server_for(protocol.name, deployed)
            found.add(catalog.named(server) if server else protocol)
    return found


def _scalar(value: object) -> bool:
    return isinstance(value, str | int | float | bool) or value is None
