"""Rust crates: ``Cargo.toml`` dependencies, workspaces and feature flags."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterator
from functools import partial
from typing import Any

from backend_persona.discover import catalog
from backend_persona.discover.declared import Manifest
from backend_persona.discover.evidence import Source, source
from backend_persona.discover.index import FileIndex, parent_of
from backend_persona.discover.perfile import guarded, per_file
from backend_persona.discover.registry import Finding
from backend_persona.discover.sighting import Sighting
from backend_persona.records import Component, Dependency, Scope
from backend_persona.safefs import printable

# Where a dependency key is written: `name = ...` or `name.workspace = ...` at a line's
# start, or a `[dependencies.name]` table. A search for the bare name would stop inside
# another declaration first (`tokio` in sqlx's `features = ["runtime-tokio"]`).
_KEY = re.compile(r"""^[ \t]*(?:\[[^\]\n]*?\.)?["']?([\w-]+)["']?[ \t]*[=.\]]""", re.MULTILINE)

_SECTIONS: tuple[tuple[str, Scope], ...] = (
    ("dependencies", "runtime"),
    ("dev-dependencies", "test"),
    ("build-dependencies", "dev"),
)


def detect(index: FileIndex) -> Iterator[Finding]:
    """Cargo packages and workspaces, their frameworks, drivers and chosen features."""
    manifests = {path: guarded(index, path, _load, index, path)
                 for path in index.named("Cargo.toml")}
    workspace_deps = _workspace_dependencies(manifests)
    for path, data in manifests.items():
        if data is not None:
            yield from per_file(index, path, _manifest, index, path, data, workspace_deps)


def _manifest(
    index: FileIndex, path: str, data: dict[str, Any], workspace_deps: dict[str, Any]
) -> Iterator[Finding]:
    folder = parent_of(path)
    package = data.get("package") if isinstance(data.get("package"), dict) else None
    is_workspace = isinstance(data.get("workspace"), dict)
    if package is not None or is_workspace:
        name = package.get("name") if package else None
        yield Component(
            path=printable(folder),
            name=printable(name if isinstance(name, str) else folder),
            ecosystems=["rust"],
            manifests=[printable(path)],
            workspace=is_workspace and package is None,
        )
    manifest = Manifest(index, path, "crate")
    text = _Keys(source(index, path))
    for table, scope in _dependency_tables(data):
        for crate, declared in table.items():
            spec = declared
            if isinstance(declared, dict) and declared.get("workspace") is True:
                spec = _merge(workspace_deps.get(_crate_name(crate, declared), {}), declared)
            yield from _crate(manifest, crate, spec, _Citer(text, crate, declared), scope)


class _Keys:
    """Cites each dependency at its own key, in the order the parser reads the tables.

    The keys are found in one pass. A name declared in two tables (dependencies and
    dev-dependencies) is cited at its next key after the last one cited, as
    `evidence.InOrder` goes on, or at its first when none follows.
    """

    def __init__(self, text: Source) -> None:
        self._text = text
        self._keys: dict[str, list[int]] = {}
        for match in _KEY.finditer(text.text):
            self._keys.setdefault(match.group(1), []).append(match.start(1))
        self._at = 0

    def cite(self, crate: str) -> str:
        """``path:LINE`` of ``crate``'s next key, or the bare path when it has none."""
        at = self.locate(crate)
        return self._text.shown if at is None else self._text.cite_at(at)

    def locate(self, crate: str) -> int | None:
        """The offset of ``crate``'s next key (see `cite`), or None when it has none."""
        offsets = self._keys.get(crate)
        if not offsets:
            return None
        next_key = bisect_left(offsets, self._at)
        at = offsets[next_key] if next_key < len(offsets) else offsets[0]
        self._at = at + 1
        return at

    @property
    def text(self) -> Source:
        """The manifest's text."""
        return self._text


class _Citer:
    """Cites one dependency's declaration, and each feature it enables where it is written.

    A feature inherited from `[workspace.dependencies]` is cited at the member's
    declaration, which turns it on: the workspace's table only offers it, and a citation
    there would make the workspace's root a component that uses the technology.
    """

    def __init__(self, keys: _Keys, crate: str, declared: object) -> None:
        self._keys, self._crate = keys, crate
        own = declared.get("features") if isinstance(declared, dict) else None
        self._own = frozenset(f for f in own if isinstance(f, str)) if isinstance(
            own, list) else frozenset()
        self._at: int | None = None
        self._located = False

    def declaration(self) -> str:
        """``path:LINE`` of the dependency's key, found once."""
        if not self._located:
            self._at, self._located = self._keys.locate(self._crate), True
        text = self._keys.text
        return text.shown if self._at is None else text.cite_at(self._at)

    def feature(self, feature: str) -> str:
        """``path:LINE`` where ``feature`` is enabled, or the declaration's when not found."""
        declaration = self.declaration()
        if feature in self._own and self._at is not None:
            return _quoted(self._keys.text, self._at, feature) or declaration
        return declaration


def _quoted(text: Source, start: int, word: str) -> str | None:
    # A declaration's feature list comes before the next declaration, so the first quoted
    # `word` after its key is the one it enables.
    found = re.compile(rf"""["']{re.escape(word)}["']""").search(text.text, start)
    return text.cite_at(found.start()) if found else None


def _load(index: FileIndex, path: str) -> dict[str, Any] | None:
    text = index.read_text(path)
    if text is None:
        return None
    import tomllib  # noqa: PLC0415  (a repository without TOML never pays its import)

    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        index.note(f"{printable(path)} is not valid TOML ({error}); skipped")
        return None


def _workspace_dependencies(manifests: dict[str, dict[str, Any] | None]) -> dict[str, Any]:
    shared: dict[str, Any] = {}
    for data in manifests.values():
        workspace = (data or {}).get("workspace")
        if isinstance(workspace, dict) and isinstance(workspace.get("dependencies"), dict):
            for crate, spec in workspace["dependencies"].items():
                shared[_crate_name(crate, spec)] = spec
    return shared


def _dependency_tables(data: dict[str, Any]) -> Iterator[tuple[dict[str, Any], Scope]]:
    holders = [data]
    targets = data.get("target")
    if isinstance(targets, dict):
        holders.extend(t for t in targets.values() if isinstance(t, dict))
    for holder in holders:
        for key, scope in _SECTIONS:
            table = holder.get(key)
            if isinstance(table, dict):
                yield table, scope


def _crate_name(key: str, spec: object) -> str:
    # `name = { package = "real-name" }` renames a dependency.
    if isinstance(spec, dict) and isinstance(spec.get("package"), str):
        return str(spec["package"])
    return key


def _merge(shared: object, local: dict[str, Any]) -> dict[str, Any]:
    merged: dict[str, Any] = {"version": shared} if isinstance(shared, str) else dict(
        shared if isinstance(shared, dict) else {}
    )
    features = list(merged.get("features", [])) + list(local.get("features", []))
    merged.update({key: value for key, value in local.items() if key != "workspace"})
    merged["features"] = features
    return merged


def _crate(
    manifest: Manifest, crate: str, spec: object, cite: _Citer, scope: Scope
) -> Iterator[Sighting | Dependency]:
    name = _crate_name(crate, spec)
    version = spec if isinstance(spec, str) else None
    features: list[object] = []
    if isinstance(spec, dict):
        version = spec.get("version") if isinstance(spec.get("version"), str) else None
        raw = spec.get("features")
        features = list(raw) if isinstance(raw, list) else []
    yield from manifest.declare(name, cite.declaration, version, scope)
    # A feature may choose a technology (`sqlx/postgres`, `omniqueue/sqs`): the catalog
    # says which, under the crate's rules. The crate's version is not the technology's.
    # Exact keys only: a prefix rule (`aws-sdk-`) names the crate, not its features.
    rules = catalog.source("crate")
    for feature in dict.fromkeys(f for f in features if isinstance(f, str)):
        yield from catalog.found(rules.get(f"{name}/{feature}", ()),
                                 partial(cite.feature, feature), scope=scope)
