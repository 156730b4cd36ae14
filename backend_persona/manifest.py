"""The install manifest: what an install wrote, read back as untrusted input.

A project's ``.claude`` folder comes with the checkout, so anyone may have written its
manifest. Its entries are used only when they name a file below ``commands/`` or
``agents/`` of the config folder with no symlink on the way, and its recorded
invocation is never run.
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
from backend_persona.pack import KINDS
from backend_persona.safefs import describe, read_bytes
from backend_persona.vocabulary import InstallScope

MANIFEST_NAME = "backend-persona-manifest.json"
MANIFEST_SCHEMA = 1
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


def _plain_entry(relative: str) -> bool:
    # Only the shape install writes. isprintable() also rules out NUL, line breaks and
    # lone surrogates, which the file system calls would choke on.
    parts = relative.split("/")
    return (relative.isprintable() and "\\" not in relative and len(parts) >= 2
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
    data = read_bytes(path)
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
