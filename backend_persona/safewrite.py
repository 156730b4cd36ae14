"""Atomic writes, and refusing to write through a symlink that leads somewhere we do not own."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from backend_persona.errors import UserError


def sha256(data: str | bytes) -> str:
    """The hex SHA-256 of ``data`` (text is hashed as UTF-8)."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return hashlib.sha256(raw).hexdigest()


def write_atomic(path: Path, text: str | bytes) -> None:
    """Write ``text`` (UTF-8 if a string) to ``path``: a temporary file, then os.replace.

    The temporary file sits in the same folder, so a reader sees the old file or the new
    one, never a half-written one, and a crash leaves at worst a stray temporary file.

    Raises:
        UserError: The folder refused the write (read-only, full disk); the old file stays.
    """
    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.",
                                             suffix=".tmp")
    except OSError as error:
        raise UserError(f"cannot write in {path.parent} ({_reason(error)})") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(text.encode("utf-8") if isinstance(text, str) else text)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except OSError as error:
        # A full disk or a read-only folder is the user's to fix, not a bug.
        Path(temporary).unlink(missing_ok=True)
        raise UserError(f"cannot write {path} ({_reason(error)}); it was left as it was") \
            from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _reason(error: OSError) -> str:
    return error.strerror or type(error).__name__


def ensure_inside(anchor: Path, target: Path) -> None:
    """Refuse ``target`` if it is a symlink or any folder on the way leads outside ``anchor``.

    Args:
        anchor: The folder we own; it may itself be a symlink (a user's choice).
        target: The file we are about to write or remove, below ``anchor``.

    Raises:
        UserError: ``target`` is a symlink, or resolves outside ``anchor``.
    """
    if target.is_symlink():
        raise UserError(f"{target} is a symbolic link; refusing to write through it")
    root = anchor.resolve()
    if not target.resolve().is_relative_to(root):
        raise UserError(f"{target} leads outside {anchor} through a symbolic link; refusing to "
                        "write there")


def read_bytes(path: Path) -> bytes | None:
    """The content of a regular file, or None when it does not exist."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
