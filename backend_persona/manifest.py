"""The install manifest: what an install wrote, read back as untrusted input.

A project's ``.claude`` folder comes with the checkout, so anyone may have written its
manifest. Its entries are used only when they name a file below ``commands/`` or
``agents/`` of the config folder with no symlink on the way, and its recorded
invocation is never run. `pack_paths` tells ``context`` which of the project's files the
pack wrote, so that they do not count as the project's own.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

from pydantic import Field, ValidationError, field_validator
from pydantic_core import PydanticCustomError

from backend_persona.errors import UserError
from backend_persona.modelbase import Model
from backend_persona.pack import KINDS, template_paths
from backend_persona.safefs import describe, read_bytes, sha256
from backend_persona.vocabulary import InstallScope

MANIFEST_NAME = "backend-persona-manifest.json"
# 2: ``folders``, the folders install created, which uninstall removes once empty.
MANIFEST_SCHEMA = 2
# A real manifest is about 2 KB; this bounds what a planted one costs to read and parse.
MAX_MANIFEST_BYTES = 256 * 1024
# An installed command or agent is a few KB.
_MAX_PACK_FILE_BYTES = 256 * 1024
# Where earlier versions locked installs; the lock now lives in the per-user state folder.
LEGACY_LOCK_NAME = ".backend-persona.lock"
PROJECT_CONFIG = ".claude"
# Validation errors whose message says more than "unreadable"; read_manifest shows them.
_ENTRY_ERROR = "manifest_entry"
_SCHEMA_ERROR = "manifest_schema"


class Manifest(Model):
    """What an install wrote: relative paths and the SHA-256 of each file's content.

    Constructing one checks what can be checked without the file system: the schema is
    one this version reads, every entry is a plain path below ``commands/`` or
    ``agents/``, and the strings shown to the user hold no control characters.
    """

    schema_version: int = Field(default=MANIFEST_SCHEMA, ge=1)
    tool_version: str
    scope: InstallScope
    invocation: str
    files: dict[str, str]
    folders: list[str] = Field(default_factory=list)

    @field_validator("schema_version")
    @classmethod
    def _schema_we_read(cls, version: int) -> int:
        if version > MANIFEST_SCHEMA:
            raise PydanticCustomError(
                _SCHEMA_ERROR, "was written by a newer backend-persona (manifest schema "
                "{found}; this version reads {known})",
                {"found": version, "known": MANIFEST_SCHEMA})
        return version

    @field_validator("tool_version", "invocation")
    @classmethod
    def _printable(cls, value: str) -> str:
        # Both are printed; an escape sequence could rewrite the user's terminal.
        if not value.isprintable():
            raise ValueError("holds a control character")
        return value

    @field_validator("files")
    @classmethod
    def _entries_inside(cls, files: dict[str, str]) -> dict[str, str]:
        for relative in files:
            if not _plain_entry(relative):
                raise PydanticCustomError(
                    _ENTRY_ERROR, "lists {entry}, which is not a file below commands/ or "
                    "agents/ of the config folder", {"entry": repr(relative)})
        return files

    @field_validator("folders")
    @classmethod
    def _folders_inside(cls, folders: list[str]) -> list[str]:
        for folder in folders:
            if folder != "." and not _plain_entry(folder, least=1):
                raise PydanticCustomError(
                    _ENTRY_ERROR, "lists the folder {entry}, which is not the config folder "
                    "or one below its commands/ or agents/", {"entry": repr(folder)})
        return folders


def _plain_entry(relative: str, least: int = 2) -> bool:
    # Only the shape install writes. isprintable() also rules out NUL, line breaks and
    # lone surrogates, which the file system calls would choke on.
    parts = relative.split("/")
    return (relative.isprintable() and "\\" not in relative and len(parts) >= least
            and parts[0] in KINDS and not {"", ".", ".."} & set(parts))


def read_manifest(base: Path) -> Manifest | None:
    """The manifest in ``base``, or None when there is none.

    Every entry must name a file below ``commands/`` or ``agents/`` of ``base`` with no
    symlink on the way, so that acting on the manifest cannot reach anything else.

    Raises:
        UserError: the manifest exists but is not one this version can read, or an entry
            leads outside ``base``; one line naming the manifest.
    """
    path = base / MANIFEST_NAME
    data = read_bytes(path, MAX_MANIFEST_BYTES)
    if data is None:
        return None
    try:
        manifest = Manifest.model_validate(json.loads(data))
    except (ValueError, RecursionError) as error:  # ValidationError is a ValueError
        raise UserError(f"{path} {_refusal(error)}", hint="move it aside and install again") \
            from None
    for relative in manifest.files:
        link = first_link(base, relative)
        if link is not None:
            raise UserError(f"{path} lists {relative!r} through the symbolic link {link}",
                            hint="move the manifest aside and install again")
    return manifest


def _refusal(error: Exception) -> str:
    if isinstance(error, ValidationError):
        for detail in error.errors():
            if detail["type"] in (_ENTRY_ERROR, _SCHEMA_ERROR):
                return detail["msg"]
    return "is not a backend-persona manifest this version can read"


def first_link(base: Path, relative: str) -> Path | None:
    """The first symlink on the way from ``base`` to ``base/relative``, or None.

    Raises:
        UserError: A part of the path cannot be inspected.
    """
    # lstat each part below base: a symlinked folder on the way could lead anywhere.
    current = base
    for part in relative.split("/"):
        current = current / part
        try:
            if stat.S_ISLNK(os.lstat(current).st_mode):
                return current
        except FileNotFoundError:
            return None  # nothing below it exists either
        except OSError as error:
            raise UserError(f"{current}: cannot inspect ({describe(error)})") from None
    return None


def pack_paths(root: Path) -> tuple[frozenset[str], str | None]:
    """The files below ``root`` that a project install wrote, by the manifest's account.

    Only what the manifest can vouch for is named: the manifest itself (and the lock file
    earlier versions left beside it), and each listed entry that is one of the pack's own
    file names and still holds the content recorded for it. So a planted manifest can
    hide no file the pack would not write, a file the user changed counts as theirs, and
    nothing outside ``root/.claude`` is read: a ``.claude`` that is a symlink is not
    followed, and the manifest and files are read without following links and capped.

    Args:
        root: The project directory.

    Returns:
        Paths relative to ``root``, and a note when a manifest was there but not used.
    """
    base = root / PROJECT_CONFIG
    try:
        if not stat.S_ISDIR(os.lstat(base).st_mode):
            return frozenset(), None
        manifest = read_manifest(base)
    except OSError:
        return frozenset(), None
    except UserError:
        # Fixed words: the manifest's own text is the checkout's, not ours to repeat.
        return frozenset(), (f"{PROJECT_CONFIG}/{MANIFEST_NAME} is not a manifest this "
                             "version reads; the files it lists count as the project's")
    if manifest is None or manifest.scope != "project":
        return frozenset(), None
    own = set(template_paths())
    found = {MANIFEST_NAME, LEGACY_LOCK_NAME}
    for relative, digest in manifest.files.items():
        try:
            data = read_bytes(base / relative, _MAX_PACK_FILE_BYTES) if relative in own else None
        except UserError:
            continue  # too large, not a regular file: not what install wrote
        if data is not None and sha256(data) == digest:
            found.add(relative)
    return frozenset(f"{PROJECT_CONFIG}/{relative}" for relative in found), None
