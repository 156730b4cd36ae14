"""Writing the docs under the project: each file's outcome reported, a person's file modes kept."""

from __future__ import annotations

import os
import stat
from importlib import resources
from pathlib import Path
from string import Template
from typing import Literal

from backend_persona.modelbase import Model
from backend_persona.safefs import printable, read_bytes, shown, write_atomic

ARCHITECTURE_DIR = "docs/architecture"
DECISIONS_DIR = f"{ARCHITECTURE_DIR}/decisions"
ADR_DIR_FILE = ".adr-dir"

Outcome = Literal["created", "updated", "unchanged", "kept"]


class DocFile(Model):
    """What happened to one file: ``kept`` means it was left alone, with the reason."""

    path: str
    outcome: Outcome
    reason: str | None = None


class DocsReport(Model):
    """The files ``docs`` touched or kept, and anything the reader should know."""

    root: str
    files: list[DocFile]
    notes: list[str]


class Writer:
    """Writes files under the project root and reports each outcome."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.files: list[DocFile] = []
        self.notes: list[str] = []

    def relative(self, path: Path) -> str:
        """The path as the report shows it: relative to the project root."""
        return printable(path.relative_to(self.root).as_posix())

    def put(self, path: Path, content: str, old: str | None) -> None:
        """Write ``content`` unless it is ``old`` already (None: the file is new)."""
        if old == content:
            self.files.append(DocFile(path=self.relative(path), outcome="unchanged"))
            return
        write_atomic(path, content.encode("utf-8"), _mode_of(path))
        outcome: Outcome = "created" if old is None else "updated"
        self.files.append(DocFile(path=self.relative(path), outcome=outcome))

    def keep(self, path: Path, reason: str) -> None:
        """Report a file left alone, and why."""
        self.files.append(DocFile(path=self.relative(path), outcome="kept",
                                  reason=shown(reason)))

    def report(self) -> DocsReport:
        """Every outcome and note so far."""
        return DocsReport(root=printable(self.root), files=self.files,
                          notes=[shown(note) for note in self.notes])


def template(name: str) -> Template:
    """A template of ``resources/docs/``."""
    source = resources.files("backend_persona").joinpath("resources", "docs", name)
    return Template(source.read_text("utf-8"))


def read_text(path: Path) -> str | None:
    """A file's text (bytes that are not UTF-8 become U+FFFD), or None when it is missing."""
    data = read_bytes(path)
    return None if data is None else data.decode("utf-8", "replace")


def _mode_of(path: Path) -> int:
    # Keep the permissions a person gave an existing file, short of group and world
    # write and the setuid, setgid and sticky bits a planted file may carry; new files
    # are 0644.
    try:
        return stat.S_IMODE(os.lstat(path).st_mode) & 0o755
    except OSError:
        return 0o644
