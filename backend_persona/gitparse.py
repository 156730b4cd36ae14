"""What git's answers say, and where git would look: pure helpers of `backend_persona.git`.

The file list, the status records and the last commit, parsed; the work tree's top; the
filter overrides. Nothing here runs a process.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from backend_persona.records import Commit, GitState

# Far more than the markdown's 72 characters; a 48 MB subject once cost 31 s to redact.
MAX_SUBJECT_CHARS = 1024

# The keys of a filter driver that name a program, or make its absence fatal.
_FILTER_OVERRIDES = (("clean", ""), ("smudge", ""), ("process", ""), ("required", "false"))


class FileList:
    """``ls-files -z -t`` output, parsed as it streams in: one list of paths, nothing more.

    On 300,000 files the listing is 20 MB; every copy of it (the raw bytes, their decoding,
    a list of tagged entries) would cost tens of MB. Each chunk is split at NUL bytes,
    which never occur inside a UTF-8 sequence, so a path cut between two chunks is
    decoded whole once its end arrives.
    """

    def __init__(self, hidden: frozenset[str] = frozenset()) -> None:
        """Start an empty listing; ``hidden`` paths (the pack's own) are not counted."""
        self._hidden = hidden
        self._carry = b""
        self.paths: list[str] = []
        self.untracked = 0

    def feed(self, chunk: bytes) -> None:
        """Take the next piece of the listing."""
        complete, separator, self._carry = (self._carry + chunk).rpartition(b"\0")
        if not separator:
            return
        # fsdecode's own encoding, once per chunk rather than once per path.
        entries = complete.decode("utf-8", "surrogateescape").split("\0")
        hidden = self._hidden
        for at, entry in enumerate(entries):
            path = entries[at] = entry[2:]
            self.untracked += entry[:1] == "?" and bool(path) and path not in hidden
        self.paths += entries

    def result(self, missing: frozenset[str]) -> tuple[list[str], int]:
        """The paths in neither ``missing`` nor the hidden ones, sorted; the untracked count.

        Consumes the listing: `paths` is sorted in place.
        """
        if self._carry:  # an entry without its NUL: the listing's last
            self.feed(b"\0")
        paths = self.paths
        paths.sort()
        # An unmerged path is listed once per stage, and git names no path twice otherwise;
        # equal paths sort next to each other.
        if any(map(str.__eq__, paths, islice(paths, 1, None))):
            paths = list(dict.fromkeys(paths))
        hidden = self._hidden
        if missing or hidden or (paths and not paths[0]):
            paths = [path for path in paths if path and path not in missing
                     and path not in hidden]
        return paths, self.untracked


def deleted_paths(raw: bytes, prefix: str, root: Path) -> frozenset[str]:
    """The tracked files that ``status --porcelain=v2 -z`` says are gone from the work tree.

    Status also calls a file deleted when a folder on its way became a symbolic link; such
    a path still resolves, and stays listed (the file index refuses to read through it).

    Args:
        raw: Status output.
        prefix: The root's folder from the top of the work tree, ending in ``/`` (or empty):
            status names paths from the top, ls-files from the root.
        root: The root, where a deleted path is checked.
    """
    deleted: set[str] = set()
    records = iter(raw.split(b"\0"))
    for record in records:
        kind = record[:2]
        if kind in (b"1 ", b"2 "):
            if record[3:4] == b"D":
                fields = record.split(b" ", 8 if kind == b"1 " else 9)
                path = fields[-1].decode("utf-8", "surrogateescape")[len(prefix):]
                if (fields[-1].startswith(prefix.encode("utf-8", "surrogateescape"))
                        and not os.path.lexists(os.path.join(root, path))):
                    deleted.add(path)
            if kind == b"2 ":
                next(records, None)  # the rename's original path
    return frozenset(deleted)


def gone_paths(root: Path, paths: list[str]) -> frozenset[str]:
    """Without status's answer, the listed files that are missing from disk."""
    return frozenset(path for path in paths
                     if path and not os.path.lexists(os.path.join(root, path)))


def parse_status(raw: bytes, untracked: int, log: bytes | None,
                 hidden: set[str] | frozenset[str] = frozenset()) -> GitState:
    """The git state from ``status --porcelain=v2 --branch -z``, the untracked count and the log.

    Records of ``hidden`` paths (from the top of the work tree) are not counted as changes.
    """
    from backend_persona.records import GitState  # noqa: PLC0415  (off git's start, see git.py)

    branch: str | None = None
    oid: str | None = None
    changed = 0
    records = iter(raw.split(b"\0"))
    for record in records:
        if record.startswith(b"# branch.head "):
            branch = record[len(b"# branch.head "):].decode("utf-8", "replace")
        elif record.startswith(b"# branch.oid "):
            oid = record[len(b"# branch.oid "):].decode("ascii", "replace")
        elif record[:2] in (b"1 ", b"2 ", b"u "):
            # The path follows 8 fields (ordinary), 9 (renamed) or 10 (unmerged).
            path = record.split(b" ", {b"1": 8, b"2": 9, b"u": 10}[record[:1]])[-1]
            changed += path.decode("utf-8", "surrogateescape") not in hidden
            if record[:2] == b"2 ":
                # A rename record is followed by its original path as a separate field.
                next(records, None)
    detached = branch == "(detached)"
    last_commit = parse_log(log) if log else None
    return GitState(
        status="no-commits" if oid in (None, "(initial)") else "ok",
        branch=None if detached else branch,
        detached_at=(oid or "")[:7] if detached else None,
        last_commit=last_commit,
        uncommitted=changed + untracked,
    )


def parse_log(raw: bytes) -> Commit | None:
    """The last commit from ``log -1`` output, its subject cut and redacted; None if malformed."""
    from backend_persona.records import Commit  # noqa: PLC0415
    from backend_persona.redact import redact  # noqa: PLC0415

    parts = raw.decode("utf-8", "replace").rstrip("\n").split("\0")
    if len(parts) != 4:
        return None
    sha, short, date, subject = parts
    if len(subject) > MAX_SUBJECT_CHARS:
        # Redaction's cost grows with the text, and no view shows more than a line. The
        # cut falls at whitespace, so that no half of a secret survives it unrecognised.
        head = subject[:MAX_SUBJECT_CHARS]
        subject = head.rsplit(None, 1)[0] if head.split(None, 1)[1:] else ""
    # A subject is free text that people paste keys into; the JSON must not carry them.
    return Commit(sha=sha, short=short, date=date, subject=redact(subject))


def repository_top(root: Path) -> Path | None:
    """The nearest folder at or above ``root`` that holds a ``.git`` folder or gitfile.

    Git's own search would also take ``root`` itself as a bare repository, and would then
    follow its ``core.worktree`` anywhere; this one knows only ``.git`` entries. Like
    git's, it does not climb into a ``GIT_CEILING_DIRECTORIES`` entry or onto another
    file system.

    Args:
        root: A directory.

    Returns:
        The work tree's top folder, or None when no ``.git`` entry is found.
    """
    ceilings = {os.path.normpath(entry) for entry in
                os.environ.get("GIT_CEILING_DIRECTORIES", "").split(os.pathsep)
                if os.path.isabs(entry)}
    folder = os.path.abspath(root)
    try:
        device = os.stat(folder).st_dev
    except OSError:
        return None
    while True:
        try:
            # A worktree's or submodule's .git is a file; a symlinked one git follows too.
            mode = os.stat(os.path.join(folder, ".git")).st_mode
        except OSError:
            mode = 0
        if stat.S_ISDIR(mode) or stat.S_ISREG(mode):
            return Path(folder)
        parent = os.path.dirname(folder)
        if parent == folder or parent in ceilings:
            return None
        try:
            if os.stat(parent).st_dev != device:
                return None
        except OSError:
            return None
        folder = parent


def filter_overrides(config_names: bytes, base: Mapping[str, str]) -> dict[str, str]:
    """Environment that empties every filter driver the repository's config defines.

    Git skips a filter whose command is empty. The keys go through GIT_CONFIG_KEY_<n>
    rather than ``-c``, which would split a driver name holding ``=``.
    """
    drivers: dict[str, None] = {}
    for name in config_names.decode("utf-8", "surrogateescape").split("\0"):
        section, _, rest = name.partition(".")
        driver, dot, _ = rest.rpartition(".")
        if section == "filter" and dot:
            drivers[driver] = None
    # The user's own GIT_CONFIG_COUNT entries stay; ours come after them and win. git
    # config has just accepted the count (git reads an empty one as 0), so int() can too.
    number = int(base.get("GIT_CONFIG_COUNT") or 0)
    env: dict[str, str] = {}
    for driver in drivers:
        for key, value in _FILTER_OVERRIDES:
            env[f"GIT_CONFIG_KEY_{number}"] = f"filter.{driver}.{key}"
            env[f"GIT_CONFIG_VALUE_{number}"] = value
            number += 1
    if env:
        env["GIT_CONFIG_COUNT"] = str(number)
    return env
