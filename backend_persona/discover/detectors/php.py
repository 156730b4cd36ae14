"""PHP: ``composer.json`` requirements."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from backend_persona.discover import catalog
from backend_persona.discover.declared import Manifest
from backend_persona.discover.evidence import InOrder, source
from backend_persona.discover.index import FileIndex, parent_of
from backend_persona.discover.perfile import per_file
from backend_persona.discover.registry import Finding
from backend_persona.records import Component, Scope
from backend_persona.safefs import printable

_SECTIONS: tuple[tuple[str, Scope], ...] = (("require", "runtime"), ("require-dev", "dev"))


def detect(index: FileIndex) -> Iterator[Finding]:
    """Composer packages and their frameworks."""
    for path in index.named("composer.json"):
        yield from per_file(index, path, _composer, index, path)


def _composer(index: FileIndex, path: str) -> Iterator[Finding]:
    data = index.read_json_object(path)
    if data is None:
        return
    manifest = Manifest(index, path, "composer")
    text = InOrder(source(index, path))
    folder = parent_of(path)
    name = data.get("name")
    yield Component(path=printable(folder),
                    name=printable(name if isinstance(name, str) and name else folder),
                    ecosystems=["php"], manifests=[printable(path)])
    for section, scope in _SECTIONS:
        table = data.get(section)
        if not isinstance(table, dict):
            continue
        text.seek(f'"{section}"')
        for package, version in table.items():
            evidence = partial(text.cite, f'"{package}"')
            pinned = version if isinstance(version, str) else None
            if "/" in package:
                yield from manifest.declare(package, evidence, pinned, scope)
            else:
                # A platform requirement (php, ext-intl, lib-icu): what the package runs on,
                # not a package it depends on.
                yield from catalog.technologies("composer", package, evidence, pinned, scope)
