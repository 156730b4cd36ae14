"""Writes that never leave a half-written file and never follow a planted symlink.

Only the standard library (and `backend_persona.redact`, which needs no more) is
imported here: the ``context`` hot path reads state through these helpers. The one
writer lock, `exclusive_lock`, imports filelock when it is taken, never before.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from backend_persona.errors import UserError
from backend_persona.redact import prompt_safe, redact

# `sha256` names every context run's state folder: hashlib's own would first load OpenSSL
# (~2 ms). The built-in module gives the same digest; 3.12 renamed it.
if TYPE_CHECKING:
    from hashlib import sha256 as _sha256
else:
    try:
        from _sha256 import sha256 as _sha256
    except ImportError:  # pragma: no cover - Python 3.12 and later
        try:
            from _sha2 import sha256 as _sha256
        except ImportError:  # an interpreter built without them
            from hashlib import sha256 as _sha256

# The largest file `read_bytes` reads back: files this package wrote (session state, install
# manifests) or sits beside (an installed command, an ADR), never repository data.
MAX_OWN_FILE_BYTES = 4 * 1024 * 1024
# Every writer holds its lock for well under a second; this long means one is stuck.
LOCK_TIMEOUT_SECONDS = 30.0
# A temp file of `write_atomic` this old belongs to a writer that was killed: a live one
# holds its temp file for milliseconds, and the folders we clean are written under a lock.
STALE_TEMP_SECONDS = 10 * 60
# What `tempfile.mkstemp` makes of write_atomic's prefix and suffix: 8 random characters.
_TEMP_NAME = re.compile(r"\.(?P<target>.+)\.[a-z0-9_]{8}\.tmp")
_SURROGATE = re.compile("[\ud800-\udfff]")


def printable(value: str | os.PathLike[str]) -> str:
    """A path or message as valid Unicode, fit to print and to dump as JSON.

    Bytes of a file name or an argument that are not UTF-8 become U+FFFD, and so does
    any other lone surrogate (one that a YAML escape made, say).
    """
    text = os.fspath(value)
    if type(text) is str and text.isascii():
        # Nearly every path: nothing to replace, and no copy of it to hold.
        return text
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:
        # A surrogate that no undecodable byte made has no bytes to decode back.
        return _SURROGATE.sub("\ufffd", text)


def shown(value: str | os.PathLike[str]) -> str:
    """Repository- or user-derived text as we print or store it.

    Valid Unicode (see `printable`), credentials replaced by ``[redacted]``, and line
    separators and bidi controls made visible, so that it can reach a prompt safely.
    """
    return prompt_safe(redact(printable(value)))


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


def read_bytes(path: Path, limit: int = MAX_OWN_FILE_BYTES) -> bytes | None:
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
    try:
        # Checked before fdopen, which refuses a folder with an OSError of its own.
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise UserError(f"{path} is not a regular file")
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(limit + 1)
    finally:
        os.close(fd)
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
    import tempfile  # noqa: PLC0415  (reading, what every context run does, never needs it)

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


@contextlib.contextmanager
def exclusive_lock(path: Path, mode: int = 0o600) -> Iterator[None]:
    """Hold the lock file ``path`` for a block of writes; every writer of its folder takes it.

    Args:
        path: The lock file, in a folder that exists; it is created when missing.
        mode: The permissions of the lock file.

    Yields:
        Nothing: the lock is held until the block ends.

    Raises:
        UserError: Another process held the lock for `LOCK_TIMEOUT_SECONDS`, the lock
            file is a symlink, or it cannot be created.
    """
    # A planted link would otherwise surface as ELOOP, read as a permissions problem.
    refuse_symlink(path)
    from filelock import FileLock, Timeout  # noqa: PLC0415  (context never locks)

    lock = FileLock(path, timeout=LOCK_TIMEOUT_SECONDS, mode=mode)
    try:
        lock.acquire()
    except Timeout:  # an OSError too: it must come first
        raise UserError(f"another backend-persona is running: it has held {path} for "
                        f"{LOCK_TIMEOUT_SECONDS:.0f}s", hint="try again when it has finished") \
            from None
    except OSError as error:
        raise UserError(f"cannot write in {path.parent} ({describe(error)})",
                        hint="check its permissions and free space") from None
    try:
        yield
    finally:
        lock.release()


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


@contextlib.contextmanager
def dir_inside(root: Path, relative: str) -> Iterator[Path]:
    """Create ``root/relative`` as a folder that resolves inside ``root``, for a block of writes.

    A symlinked folder on the way is accepted only when it leads back inside the
    project, so that generated files can never land outside it. When the block (or the
    creation itself) fails, the folders created here are removed again while they are
    still empty, so that a refused write leaves nothing behind.

    Args:
        root: The resolved project root.
        relative: A posix path such as ``docs/architecture``.

    Yields:
        The folder (not resolved, so that messages show the project's own names).

    Raises:
        UserError: A part of the path leads outside ``root``, is not a directory, is a
            symlink loop, or cannot be created.
    """
    created: list[Path] = []
    try:
        current = root
        for part in relative.split("/"):
            current = current / part
            if _make_inside(root, current):
                created.append(current)
        yield current
    except BaseException:
        for folder in reversed(created):
            with contextlib.suppress(OSError):
                folder.rmdir()  # refuses a folder that is no longer empty
        raise


def _make_inside(root: Path, current: Path) -> bool:
    # True when the folder was created here.
    try:
        if current.is_symlink() or current.exists():
            resolved = _resolved(current, strict=True)
            if not resolved.is_relative_to(root):
                raise UserError(f"{current} leads outside the project ({resolved}); "
                                "refusing to write there")
            if not resolved.is_dir():
                raise UserError(f"{current} is not a directory")
            return False
        current.mkdir()
    except OSError as error:
        raise UserError(f"cannot create {current} ({describe(error)})") from None
    return True


def _resolved(path: Path, *, strict: bool = False) -> Path:
    try:
        return path.resolve(strict=strict)
    except RuntimeError:
        # Python 3.11 and 3.12 raise RuntimeError for a loop; 3.13 raises OSError (ELOOP).
        raise UserError(f"{path} is a symbolic link loop", hint="check where it points") from None


def remove_stale_temps(folder: Path, targets: re.Pattern[str]) -> list[str]:
    """Remove the temp files a killed `write_atomic` left in ``folder``.

    Only temp files of targets whose names fully match ``targets`` are considered, and
    only regular files of this user not modified for `STALE_TEMP_SECONDS`: a live
    writer's temp file is fresh. Cleaning is best effort; errors are ignored so that
    they never stop the write that triggered it.

    Args:
        folder: A folder we write into with `write_atomic`.
        targets: The names of the files we write there.

    Returns:
        The names of the files removed.
    """
    cutoff = time.time() - STALE_TEMP_SECONDS
    removed: list[str] = []
    try:
        with os.scandir(folder) as listing:
            entries = list(listing)
    except OSError:
        return removed
    for entry in entries:
        match = _TEMP_NAME.fullmatch(entry.name)
        if not match or not targets.fullmatch(match["target"]):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
            if (stat.S_ISREG(info.st_mode) and info.st_uid == os.geteuid()
                    and info.st_mtime < cutoff):
                os.unlink(entry.path)
                removed.append(entry.name)
        except OSError:
            continue
    return removed


def sha256(data: str | bytes) -> str:
    """The hex SHA-256 of ``data`` (text is hashed as UTF-8)."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return _sha256(raw).hexdigest()


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
    if not _resolved(target).is_relative_to(_resolved(anchor)):
        raise UserError(f"{target} leads outside {anchor} through a symbolic link; refusing to "
                        "write there")
