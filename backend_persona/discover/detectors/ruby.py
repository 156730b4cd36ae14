"""Ruby: ``Gemfile`` gems, with development and test groups kept apart."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import partial

from backend_persona.discover import catalog
from backend_persona.discover.declared import Manifest
from backend_persona.discover.evidence import source, split_lines
from backend_persona.discover.index import FileIndex, parent_of
from backend_persona.discover.perfile import per_file
from backend_persona.discover.registry import Finding
from backend_persona.records import Component, Scope
from backend_persona.safefs import printable

_GEM = re.compile(r"""^\s*gem\s+["']([\w.-]+)["'](?:\s*,\s*["']([^"']+)["'])?""")
# The group names start and end at a non-space: with `(.+?)`, `\s+` and the group compete
# for every space of a long blank run, and a line of spaces costs its length cubed.
_GROUP = re.compile(r"^\s*group\s+(\S(?:.*?\S)?)\s+do\b")
_GROUP_NAME = re.compile(r":(\w+)|[\"'](\w+)[\"']")
_NOT_RUNTIME = frozenset({"development", "dev", "test", "ci"})
# A gem's own dependencies, which its Gemfile's `gemspec` line installs.
_GEMSPEC_DEPENDENCY = re.compile(
    r"""^\s*\w+\.add_(runtime_|development_)?dependency\s*\(?\s*["']([\w.-]+)["']"""
    r"""(?:\s*,\s*["']([^"']+)["'])?""")

# importmap-rails' pins: `pin "@hotwired/turbo-rails", to: "turbo.min.js" # @8.0.4`. The
# version is the comment `bin/importmap pin` writes; a pin without one may be a local module.
_PIN = re.compile(r"""^\s*pin\s+["']([@\w./-]+)["'][^#\n]*(?:#\s*@(\S+))?""")


def detect(index: FileIndex) -> Iterator[Finding]:
    """Gems from every Gemfile and gemspec; npm packages pinned by importmap-rails."""
    for path in index.named("Gemfile"):
        yield from per_file(index, path, _gemfile, index, path)
    for path in index.with_suffix(".gemspec"):
        yield from per_file(index, path, _gemspec, index, path)
    for path in index.named("importmap.rb"):
        if path == "config/importmap.rb" or path.endswith("/config/importmap.rb"):
            yield from per_file(index, path, _importmap, index, path)


def _importmap(index: FileIndex, path: str) -> Iterator[Finding]:
    """The npm packages an importmap pins, as the technologies the catalog knows them by.

    Pins are no manifest's dependencies (most name the app's own modules), so only those
    the catalog knows count.
    """
    text = index.read_text(path)
    if text is None:
        return
    cited = source(index, path, text)
    for offset, line in split_lines(text):
        pin = _PIN.match(line)
        if pin:
            name, version = pin.groups()
            yield from catalog.technologies("npm", name, partial(cited.cite_at, offset), version)


def _gemspec(index: FileIndex, path: str) -> Iterator[Finding]:
    text = index.read_text(path)
    if text is None:
        return
    manifest = Manifest(index, path, "gem")
    cited = source(index, path, text)
    for offset, line in split_lines(text):
        dependency = _GEMSPEC_DEPENDENCY.match(line)
        if dependency:
            kind, gem, version = dependency.groups()
            scope: Scope = "dev" if kind == "development_" else "runtime"
            yield from manifest.declare(gem, partial(cited.cite_at, offset), version, scope)


def _gemfile(index: FileIndex, path: str) -> Iterator[Finding]:
    text = index.read_text(path)
    if text is None:
        return
    folder = parent_of(path)
    yield Component(path=printable(folder), name=printable(folder.rpartition("/")[2] or folder),
                    ecosystems=["ruby"], manifests=[printable(path)])
    manifest = Manifest(index, path, "gem")
    cited = source(index, path, text)
    scope: Scope = "runtime"
    for offset, line in split_lines(text):
        group = _GROUP.match(line)
        if group:
            scope = _scope_of_group(group.group(1))
            continue
        if line.strip() == "end":
            scope = "runtime"
            continue
        gem = _GEM.match(line)
        if gem:
            yield from manifest.declare(gem.group(1), partial(cited.cite_at, offset),
                                        gem.group(2), scope)


def _scope_of_group(declaration: str) -> Scope:
    # `group :production` or an optional feature group still ships; only dev and test don't.
    names = {a or b for a, b in _GROUP_NAME.findall(declaration)}
    if not names or not names <= _NOT_RUNTIME:
        return "runtime"
    return "test" if "test" in names else "dev"
