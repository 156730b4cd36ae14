"""The warm path's store: rendered context per user, trusted only while its fingerprint holds.

An entry is the exact text one ``context`` run printed, with the stat signature (mode,
inode, size, mtime and ctime, or absence) of every path that text depends on
(`backend_persona.cachefill` lists them). A lookup re-stats those paths and answers only
when every signature is unchanged. Nothing modified within `SETTLE_SECONDS` of the run
that made an entry is trusted: such an entry is never written, since a file changed in
the same timestamp tick as the run could keep its signature.

Entries live in a private folder of the per-user cache folder (0700, files 0600, owned by
the user, never through a symbolic link) and are named by a hash of their key: the tool
version, the interpreter, the real root path, the format, the focus and the environment
git and the state store read. The whole key is stored in the entry and compared, so a
collision can never answer for another repository.

Only the standard library is imported: the hit path runs before click and pydantic.
"""

from __future__ import annotations

import marshal
import os
import stat
import sys

from backend_persona import __version__

# typing's own TYPE_CHECKING would import typing (and re) on the hit path; mypy reads this one.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator

    # A path and the five words stored for it (see `_words`).
    Fields = Iterator[tuple[bytes, int, int, int, int, int]]

try:  # Built in, without hashlib's OpenSSL load: the hit path is counted in milliseconds.
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - an interpreter built without it
    from hashlib import blake2b

CACHE_ENV = "BACKEND_PERSONA_CACHE"
# Seconds an input must have been left alone before a run started for its entry to be kept.
SETTLE_SECONDS = 2.0
SETTLE_ENV = "BACKEND_PERSONA_CACHE_SETTLE"
# Set (to anything) to write entries and revalidate in the foreground: tests wait for them.
SYNC_ENV = "BACKEND_PERSONA_CACHE_SYNC"
FOLDER_NAME = "context"
# The signatures are machine words in the machine's own byte order (see `store`).
_MAGIC = f"backend-persona-context-3-{sys.byteorder}"
_OWN_VARIABLES = frozenset({CACHE_ENV, SETTLE_ENV, SYNC_ENV})
# Variables outside GIT_*, XDG_* and BACKEND_PERSONA_* that change what a run prints.
_KEY_VARIABLES = ("HOME", "PATH", "LANG", "LC_ALL")

Signature = tuple[int, int, int, int, int] | None
# A signature's fields, and those of an absent path (no mode is -1).
_FIELDS = 5
_GONE = -1
_ABSENT = (_GONE, 0, 0, 0, 0)
# In an entry, each path's mode, inode and size are unsigned words ("Q"; an absent path's
# mode is the largest), then every path's mtime and ctime signed ones ("q").
_UNSIGNED, _SIGNED = 3, 2
_WORD = 8
_GONE_WORD = (1 << 64) - 1


class Hit:
    """A trusted entry: what to print, and what its background revalidation compares."""

    __slots__ = ("entry", "output", "root", "status_digest")

    def __init__(self, output: bytes, root: str, status_digest: str | None, entry: str) -> None:
        self.output, self.root, self.status_digest, self.entry = output, root, status_digest, entry


def enabled(environ: dict[str, str] | os._Environ[str] = os.environ) -> bool:
    """Whether the warm path may be used: `CACHE_ENV` is not ``0``."""
    return environ.get(CACHE_ENV, "").strip() != "0"


def settle_seconds() -> float:
    """`SETTLE_SECONDS`, or `SETTLE_ENV` when it holds a number from 0 to 60."""
    try:
        value = float(os.environ.get(SETTLE_ENV, ""))
    except ValueError:
        return SETTLE_SECONDS
    return value if 0 <= value <= 60 else SETTLE_SECONDS


def cache_home() -> str:
    """The per-user cache folder: XDG, or the platform's own."""
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(xdg):
        return os.path.join(xdg, "backend-persona")
    if sys.platform.startswith("linux"):
        # What platformdirs answers on Linux, without its import on the context path.
        return os.path.join(os.path.expanduser("~"), ".cache", "backend-persona")
    import platformdirs  # noqa: PLC0415

    return str(platformdirs.user_cache_dir("backend-persona", appauthor=False))


def folder() -> str:
    """The folder that holds the context entries."""
    return os.path.join(cache_home(), FOLDER_NAME)


def key(root: str, output_format: str, focus: str | None, *, encoding: str) -> str:
    """The whole key of an entry: everything besides the fingerprint that the text depends on.

    Args:
        root: The real path of the project root (symlinks resolved).
        output_format: ``markdown`` or ``json``.
        focus: The ``--focus`` ecosystem, or None.
        encoding: Standard output's encoding and error handler, which made the bytes.
    """
    variables = sorted((name, value) for name, value in os.environ.items()
                       if (name.startswith(("GIT_", "XDG_", "BACKEND_PERSONA_"))
                           or name in _KEY_VARIABLES) and name not in _OWN_VARIABLES)
    parts = [_MAGIC, __version__, sys.version, sys.executable, root, output_format, focus or "",
             encoding,
             *(f"{name}={value}" for name, value in variables)]
    return "\0".join(parts)


def entry_path(entry_key: str) -> str:
    """Where the entry of ``entry_key`` is kept."""
    digest = blake2b(entry_key.encode("utf-8", "surrogateescape"), digest_size=20).hexdigest()
    return os.path.join(folder(), digest)


def signature(path: str) -> Signature:
    """What a stat of ``path`` (never through a final symlink) says, or None when it is gone."""
    try:
        info = os.lstat(path)
    except OSError:
        return None
    return (info.st_mode, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


def lookup(entry_key: str) -> Hit | None:
    """The entry of ``entry_key`` when every path it depends on is as it was; else None."""
    path = entry_path(entry_key)
    data = _read_private(path)
    if data is None:
        return None
    try:
        # Our own file in our own 0700 folder; marshal builds data, it never runs code.
        magic, stored, output, root, digest, paths, signatures = marshal.loads(data)  # noqa: S302
    except (EOFError, ValueError, TypeError):
        return None
    if (magic != _MAGIC or stored != entry_key or not isinstance(output, bytes)
            or not isinstance(root, str) or not isinstance(paths, bytes)
            or not isinstance(signatures, bytes)):
        return None
    listed = paths.split(b"\0") if paths else []
    if len(signatures) != len(listed) * _FIELDS * _WORD or not _unchanged(root, listed,
                                                                         signatures):
        return None
    return Hit(output, root, digest, path)


def _unchanged(root: str, paths: list[bytes], signatures: bytes) -> bool:
    """Whether each path (relative ones from ``root``) still has its stored signature.

    The one loop of the hit path, run once per folder of a large repository: it compares
    the fields in place instead of building a tuple per path, and stops at the first change.
    The paths stay bytes, as the system takes them, and the signatures are read as words
    where they lie: no list of 100,000 numbers is built. A long list is split in two, the
    second half checked by a forked child on the other core (see `_split_unchanged`).
    """
    split = len(paths) * _UNSIGNED * _WORD
    view = memoryview(signatures)
    unsigned, signed = view[:split].cast("Q"), view[split:].cast("q")
    if os.stat not in os.supports_dir_fd:  # Windows: no descriptor of a folder to stat from
        return all(signature(os.path.join(root, os.fsdecode(path))) == (
            None if mode == _GONE_WORD else (mode, ino, size, mtime, ctime))
            for path, mode, ino, size, mtime, ctime in _fields(paths, unsigned, signed))
    try:
        # Not through a symlink either: a root replaced by one is a miss, as its lstat was.
        top = os.open(root, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | _NOFOLLOW)
    except OSError:
        return False
    try:
        if len(paths) >= _SPLIT_PATHS and hasattr(os, "fork"):
            return _split_unchanged(top, paths, unsigned, signed)
        return _same(top, _fields(paths, unsigned, signed))
    finally:
        os.close(top)


# From this many paths on, a child checks half of them (its exit status 1: one changed):
# a fork costs about 0.6 ms, 25,000 lstat calls (100,000 files) 45 ms on one core.
_SPLIT_PATHS = 4_000
_CHANGED = 1


def _fields(paths: list[bytes], unsigned: memoryview, signed: memoryview,
            start: int = 0, stop: int | None = None) -> Fields:
    """Each path of ``paths[start:stop]`` with the five words stored for it."""
    stop = len(paths) if stop is None else stop
    words = iter(unsigned[start * _UNSIGNED:stop * _UNSIGNED])
    times = iter(signed[start * _SIGNED:stop * _SIGNED])
    return zip(paths[start:stop], words, words, words, times, times, strict=True)


def _split_unchanged(top: int, paths: list[bytes], unsigned: memoryview,
                     signed: memoryview) -> bool:
    """`_same` over ``paths``, half in a forked child at once (a thread would hold the GIL)."""
    half = len(paths) // 2
    try:
        # A fork copies one thread: another thread's locks would stay taken in the child.
        if "threading" in sys.modules and sys.modules["threading"].active_count() > 1:
            raise OSError
        child = os.fork()
    except OSError:
        return _same(top, _fields(paths, unsigned, signed))
    if not child:
        # `try` first: nothing of the parent's (frames, buffers, exit handlers) runs here.
        try:
            os._exit(0 if _same(top, _fields(paths, unsigned, signed, half)) else _CHANGED)
        finally:
            os._exit(_CHANGED)
    unchanged = _same(top, _fields(paths, unsigned, signed, 0, half))
    if not unchanged:
        import signal  # noqa: PLC0415  (a miss only: its half no longer matters)

        try:  # noqa: SIM105  (contextlib is one import more on the hit path)
            os.kill(child, signal.SIGKILL)
        except OSError:  # it has already ended
            pass
    _, status = os.waitpid(child, 0)
    return unchanged and os.waitstatus_to_exitcode(status) == 0


def _same(top: int, fields: Fields) -> bool:
    """Whether every path of ``fields``, from the folder ``top``, still has its words."""
    lstat = os.lstat
    for path, mode, ino, size, mtime, ctime in fields:
        try:
            # An absolute path ignores dir_fd; a relative one is looked up from the root.
            info = lstat(path, dir_fd=top)
        except OSError:
            if mode != _GONE_WORD:
                return False
        else:
            if (info.st_mtime_ns != mtime or info.st_ctime_ns != ctime
                    or info.st_ino != ino or info.st_size != size or info.st_mode != mode):
                return False
    return True


def store(entry_key: str, output: bytes, *, root: str, status_digest: str | None,
          paths: list[str], started_ns: int) -> bool:
    """Keep ``output`` under ``entry_key`` while ``paths`` keep their signatures.

    Args:
        entry_key: From `key`.
        output: The exact bytes the run printed.
        root: The real project root, for revalidation.
        status_digest: What git status said of the tracked files (`git.status_digest`).
        paths: Every path the output depends on, absolute.
        started_ns: When the run began (``time.time_ns()``), before anything was read.

    Returns:
        Whether an entry was written: not when an input changed within `settle_seconds`
        of the run's start, or the folder is not private.
    """
    signatures = list(map(signature, paths))
    limit = started_ns - int(settle_seconds() * 1e9)
    if any(s is not None and (s[3] >= limit or s[4] >= limit) for s in signatures):
        return False
    home = _private_folder(create=True)
    if home is None:
        return False
    # Paths below the root are kept relative to it, one byte string for all, and the
    # signatures as machine words in one more: on 100,000 files an entry is half the size,
    # and a lookup loads a few objects instead of tens of thousands.
    inside = root.rstrip("/") + "/"
    relative = b"\0".join(os.fsencode(_relative(p, root, inside)) for p in paths)
    words = _words(signatures)
    if words is None:
        return False
    data = marshal.dumps((_MAGIC, entry_key, output, root, status_digest, relative, words))
    target = entry_path(entry_key)
    temporary = os.path.join(home, f".{os.path.basename(target)}.{os.getpid()}.tmp")
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o600)
        try:
            os.write(fd, data)
        finally:
            os.close(fd)
        os.replace(temporary, target)
    except OSError:
        forget(temporary)
        return False
    return True


def _words(signatures: list[Signature]) -> bytes | None:
    """The signatures as `_unchanged` reads them, or None when a field fits no word."""
    import array  # noqa: PLC0415  (only the background child that stores an entry needs it)

    unsigned, signed = array.array("Q"), array.array("q")
    try:
        for found in signatures:
            mode, ino, size, mtime, ctime = found or _ABSENT
            unsigned.extend((_GONE_WORD if found is None else mode, ino, size))
            signed.extend((mtime, ctime))
    except OverflowError:
        return None  # no file system we know of; the cache is only a faster next run
    return unsigned.tobytes() + signed.tobytes()


def _relative(path: str, root: str, inside: str) -> str:
    if path == root:
        return "."
    return path[len(inside):] if path.startswith(inside) and len(path) > len(inside) else path


def forget(path: str | os.PathLike[str]) -> None:
    """Remove one entry (or temporary file), if it is there."""
    try:  # noqa: SIM105  (contextlib is one import more on the hit path)
        os.unlink(path)
    except OSError:
        pass


def clear() -> int:
    """Remove every entry; return how many files were removed."""
    home = _private_folder(create=False)
    if home is None:
        return 0
    removed = 0
    with os.scandir(home) as entries:
        for entry in entries:
            if entry.is_file(follow_symlinks=False) or entry.is_symlink():
                forget(entry.path)
                removed += 1
    return removed


def usage() -> tuple[str, int, int]:
    """The entries' folder, how many entries it holds and their total size in bytes."""
    home = _private_folder(create=False)
    count = size = 0
    if home is not None:
        with os.scandir(home) as entries:
            for entry in entries:
                if entry.is_file(follow_symlinks=False):
                    count += 1
                    size += entry.stat(follow_symlinks=False).st_size
    return folder(), count, size


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


def _owned_private(info: os.stat_result) -> bool:
    owner = getattr(os, "getuid", None)
    return (owner is None or info.st_uid == owner()) and not info.st_mode & 0o077


def _private_folder(*, create: bool) -> str | None:
    """The entries' folder when it is a real directory of ours that no one else can read."""
    home = folder()
    if create:
        try:
            os.makedirs(os.path.dirname(home), mode=0o700, exist_ok=True)
            os.mkdir(home, 0o700)
        except FileExistsError:
            pass
        except OSError:
            return None
    try:
        info = os.lstat(home)
    except OSError:
        return None
    return home if stat.S_ISDIR(info.st_mode) and _owned_private(info) else None


def _read_private(path: str) -> bytes | None:
    if _private_folder(create=False) is None:
        return None
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or not _owned_private(info):
            return None
        chunks = []
        while chunk := os.read(fd, max(info.st_size, 1 << 16)):
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError:
        return None
    finally:
        os.close(fd)
