"""Writes that never leave a half-written file and never follow a planted symlink.

Only the standard library is imported here: the ``context`` hot path reads state
through these helpers.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import stat
import tempfile
from pathlib import Path

from backend_persona.errors import UserError

MAX_READ_BYTES = 4 * 1024 * 1024


def printable(value: str | os.PathLike[str]) -> str:
    """A path or message as valid Unicode, fit to print and to dump as JSON.

    Bytes of a file name that are not UTF-8 become U+FFFD.
    """
    return os.fspath(value).encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def describe(error: OSError) -> str:
    """A short reason for an OS error, without the errno prefix."""
    return error.strerror or type(error).__name__


def refuse_symlink(path: Path) -> None:
    """Raise `UserError` when ``path`` exists as a symlink (we replace files, never links)."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    except OSError as error:
        raise UserError(f"{path}: cannot inspect ({describe(error)})") from None
    if stat.S_ISLNK(info.st_mode):
        raise UserError(f"{path} is a symlink; refusing to write through it")


def read_bytes(path: Path, limit: int = MAX_READ_BYTES) -> bytes | None:
    """Read a regular file without following a symlink at its last component.

    Args:
        path: The file.
        limit: Read at most this many bytes; a longer file is an error.

    Returns:
        The content, or None when the file does not exist.

    Raises:
        UserError: The file is a symlink, not a regular file, too large or unreadable.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except FileNotFoundError:
        return None
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise UserError(f"{path} is a symlink; refusing to read through it") from None
        raise UserError(f"{path}: cannot read ({describe(error)})") from None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            raise UserError(f"{path} is not a regular file")
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise UserError(f"{path} is larger than {limit:,} bytes")
    return data


def write_atomic(path: Path, data: str | bytes, mode: int = 0o600) -> None:
    """Replace ``path`` with ``data`` in one step: a temp file in the same folder, then rename.

    Readers see the old content or the new, never a mix. A symlink at ``path`` is
    refused rather than followed or replaced. Text is written as UTF-8.

    Raises:
        UserError: ``path`` is a symlink, or the disk refused the write.
    """
    refuse_symlink(path)
    try:
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise UserError(f"cannot write in {path.parent} ({describe(error)})") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data.encode("utf-8") if isinstance(data, str) else data)
            handle.flush()
            os.fsync(handle.fileno())
            os.fchmod(handle.fileno(), mode)
        os.replace(temp, path)
    except OSError as error:
        _discard(temp)
        raise UserError(f"cannot write {path} ({describe(error)}); it was left as it was") \
            from None
    except BaseException:
        _discard(temp)
        raise


def _discard(temp: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(temp)


def private_dir(path: Path) -> Path:
    """Create ``path`` (and missing parents) as a directory only its owner can enter.

    An existing directory must be a real directory (not a symlink) owned by the
    current user; it is narrowed to 0700.

    Raises:
        UserError: ``path`` is a symlink, not a directory, owned by someone else, or
            cannot be created.
    """
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        info = os.lstat(path)
    except OSError as error:
        raise UserError(f"cannot create {path} ({describe(error)})") from None
    if stat.S_ISLNK(info.st_mode):
        raise UserError(f"{path} is a symlink; refusing to keep state through it")
    if not stat.S_ISDIR(info.st_mode):
        raise UserError(f"{path} is not a directory")
    if info.st_uid != os.geteuid():
        raise UserError(f"{path} belongs to another user; refusing to use it")
    if stat.S_IMODE(info.st_mode) != 0o700:
        try:
            os.chmod(path, 0o700)
        except OSError as error:
            raise UserError(f"cannot restrict {path} to its owner ({describe(error)})") from None
    return path


def is_private_dir(path: Path) -> bool:
    """True when ``path`` is a real directory owned by the current user (no writes, no errors)."""
    try:
        info = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and info.st_uid == os.geteuid()


def dir_inside(root: Path, relative: str) -> Path:
    """Create ``root/relative`` as a folder that resolves inside ``root``.

    A symlinked folder on the way is accepted only when it leads back inside the
    project, so that generated files can never land outside it.

    Args:
        root: The resolved project root.
        relative: A posix path such as ``docs/architecture``.

    Returns:
        The folder (not resolved, so that messages show the project's own names).

    Raises:
        UserError: A part of the path leads outside ``root``, is not a directory, or
            cannot be created.
    """
    current = root
    for part in relative.split("/"):
        current = current / part
        try:
            if current.is_symlink() or current.exists():
                resolved = current.resolve(strict=True)
                if not resolved.is_relative_to(root):
                    raise UserError(f"{current} leads outside the project ({resolved}); "
                                    "refusing to write there")
                if not resolved.is_dir():
                    raise UserError(f"{current} is not a directory")
            else:
                current.mkdir()
        except OSError as error:
            raise UserError(f"cannot create {current} ({describe(error)})") from None
    return current


def sha256(data: str | bytes) -> str:
    """The hex SHA-256 of ``data`` (text is hashed as UTF-8)."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return hashlib.sha256(raw).hexdigest()


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
    if not target.resolve().is_relative_to(anchor.resolve()):
        raise UserError(f"{target} leads outside {anchor} through a symbolic link; refusing to "
                        "write there")
