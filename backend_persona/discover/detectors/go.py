"""Go modules: ``go.mod`` direct requirements, replacements and the Go version."""

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
from backend_persona.records import Component
from backend_persona.safefs import printable

_DIRECTIVE = re.compile(
    r"^(module|go|toolchain|require|replace|exclude|retract|godebug|tool|ignore)\b\s*(.*)$"
)


class GoMod:
    """The parts of a go.mod file that matter here (a plain class: see `deadline.Outcome`)."""

    __slots__ = ("go_version", "go_version_at", "invalid_line", "module", "replaces",
                 "required_at", "requires")

    def __init__(self) -> None:
        """An empty go.mod, filled in by `parse_go_mod`."""
        self.module: str | None = None
        self.go_version: str | None = None
        self.requires: list[tuple[str, str]] = []
        self.replaces: dict[str, tuple[str, str | None]] = {}
        self.invalid_line: int | None = None  # the first line that is not go.mod syntax
        # Where each module is first required, and where the Go version is set: file offsets.
        self.required_at: dict[str, int] = {}
        self.go_version_at: int | None = None

    def invalid(self, number: int) -> None:
        """Remember ``number`` if it is the first line that could not be parsed."""
        if self.invalid_line is None:
            self.invalid_line = number


def parse_go_mod(text: str) -> GoMod:
    """Parse go.mod: module, go version, direct requirements and replacements."""
    mod = GoMod()
    block: str | None = None
    number = 0
    for number, (offset, raw) in enumerate(split_lines(text), start=1):
        line, _, comment = raw.partition("//")
        line = line.strip()
        if block:
            if line == ")":
                block = None
            elif line and not _apply(mod, block, line, comment, offset):
                mod.invalid(number)
            continue
        if not line:
            continue
        match = _DIRECTIVE.match(line)
        if not match:
            mod.invalid(number)
            continue
        verb, rest = match.groups()
        if rest == "(":
            block = verb
        elif not _apply(mod, verb, rest, comment, offset):
            mod.invalid(number)
    if block:
        mod.invalid(number)  # a block that is never closed
    return mod


def _apply(mod: GoMod, verb: str, rest: str, comment: str, offset: int) -> bool:
    """Record one directive, read on the line at ``offset``; False when it is not go.mod."""
    words = rest.split()
    if verb in ("module", "go"):
        if not words:
            return False
        if verb == "module":
            mod.module = words[0].strip('"')
        else:
            mod.go_version, mod.go_version_at = words[0], offset
    elif verb == "require":
        if len(words) < 2:
            return False
        if "indirect" not in comment:
            mod.requires.append((words[0], words[1]))
            mod.required_at.setdefault(words[0], offset)
    elif verb == "replace":
        arrow = words.index("=>") if "=>" in words else -1
        if arrow < 1 or len(words) <= arrow + 1:
            return False
        target = words[arrow + 1]
        target_version = words[arrow + 2] if len(words) > arrow + 2 else None
        mod.replaces[words[0]] = (target, target_version)
    return True


def detect(index: FileIndex) -> Iterator[Finding]:
    """Go modules, their frameworks, drivers and the Go version."""
    for path in index.named("go.mod"):
        yield from per_file(index, path, _module, index, path)


def _module(index: FileIndex, path: str) -> Iterator[Finding]:
    text = index.read_text(path)
    if text is None:
        return
    mod = parse_go_mod(text)
    if mod.invalid_line is not None:
        index.note(f"{printable(path)}:{mod.invalid_line} is not valid go.mod syntax; "
                   "read what could be parsed")
    folder = parent_of(path)
    name = (mod.module or folder).rstrip("/").rpartition("/")[2] or folder
    yield Component(path=printable(folder), name=printable(name), ecosystems=["go"],
                    manifests=[printable(path)])
    cited = source(index, path, text)
    if mod.go_version and mod.go_version_at is not None:
        yield from catalog.technologies("toolchain", "go", cited.cite_at(mod.go_version_at),
                                        mod.go_version)
    manifest = Manifest(index, path, "go")
    for module, version in mod.requires:
        evidence = partial(cited.cite_at, mod.required_at[module])
        target, target_version = mod.replaces.get(module, (module, version))
        if target == module:
            # `replace` with a version only: that version is what is built.
            yield from manifest.declare(module, evidence, target_version)
            continue
        if not target.startswith((".", "/")):
            yield from catalog.technologies("go", target, evidence, target_version)
        # Replaced by a local folder or another module: the required version is not built.
        yield from manifest.declare(module, evidence)
