"""Every git invocation of the package lives here.

The context hot path asks git three questions at once (file list, status, last
commit) in parallel processes, rather than many small questions one after another.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from backend_persona.models import Commit, GitState
from backend_persona.redact import redact

# Variables that would point git at another repository than the one asked about.
_REDIRECTING_VARIABLES = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_PREFIX")


@dataclass
class RepositorySnapshot:
    """What one round of git calls said about a directory."""

    state: GitState
    files: list[str] | None = None
    missing: frozenset[str] = field(default_factory=frozenset)
    error: str | None = None


def _environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _REDIRECTING_VARIABLES}
    # A context probe must never take the index lock that the user's own git needs.
    env["GIT_OPTIONAL_LOCKS"] = "0"
    env["GIT_TERMINAL_PROMPT"] = "0"
    env["LC_ALL"] = "C"
    return env


def _git(root: Path, *args: str) -> list[str]:
    # fsmonitor hooks are commands from repository config: never run them from here.
    return ["git", "-C", str(root), "-c", "core.fsmonitor=false", "-c", "core.quotepath=off", *args]


def snapshot(root: Path) -> RepositorySnapshot:
    """Read files, branch, changes and the last commit of the work tree at ``root``.

    Args:
        root: A directory, possibly inside a git work tree.

    Returns:
        The snapshot; ``files`` is None when ``root`` is not inside a usable work tree.
    """
    commands = {
        "files": _git(root, "ls-files", "-z", "-t", "--cached", "--others", "--deleted",
                      "--exclude-standard"),
        "status": _git(root, "status", "--porcelain=v2", "--branch", "-z",
                       "--untracked-files=no", "--", "."),
        "log": _git(root, "log", "-1", "--format=%H%x00%h%x00%cI%x00%s"),
    }
    env = _environment()
    try:
        running = {
            name: subprocess.Popen(
                argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
                env=env,
            )
            for name, argv in commands.items()
        }
    except FileNotFoundError:
        return RepositorySnapshot(state=GitState(status="git-unavailable"))
    results = {name: (proc.communicate(), proc.returncode) for name, proc in running.items()}

    (status_out, status_err), status_code = results["status"]
    if status_code != 0:
        message = status_err.decode("utf-8", "replace").strip()
        if "not a git repository" in message:
            return RepositorySnapshot(state=GitState(status="not-a-repository"))
        return RepositorySnapshot(
            state=GitState(status="git-error"), error=_first_line(message) or "git status failed"
        )

    (files_out, files_err), files_code = results["files"]
    if files_code != 0:
        return RepositorySnapshot(
            state=GitState(status="git-error"),
            error=_first_line(files_err.decode("utf-8", "replace")) or "git ls-files failed",
        )
    files, untracked, missing = _parse_file_list(files_out)
    (log_out, _), log_code = results["log"]
    state = _parse_status(status_out, untracked, log_out if log_code == 0 else None)
    return RepositorySnapshot(state=state, files=files, missing=missing)


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else ""


def _parse_file_list(raw: bytes) -> tuple[list[str], int, frozenset[str]]:
    present: dict[str, None] = {}
    deleted: set[str] = set()
    untracked = 0
    # One decode of the whole listing, not one per path (fsdecode's own encoding).
    for entry in raw.decode("utf-8", "surrogateescape").split("\0"):
        if len(entry) < 3:
            continue
        tag, path = entry[0], entry[2:]
        if tag == "R":
            deleted.add(path)
            continue
        if tag == "?":
            untracked += 1
        present[path] = None
    files = sorted(path for path in present if path not in deleted)
    return files, untracked, frozenset(deleted)


def _parse_status(raw: bytes, untracked: int, log: bytes | None) -> GitState:
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
            changed += 1
            if record[:2] == b"2 ":
                # A rename record is followed by its original path as a separate field.
                next(records, None)
    detached = branch == "(detached)"
    last_commit = _parse_log(log) if log else None
    return GitState(
        status="no-commits" if oid in (None, "(initial)") else "ok",
        branch=None if detached else branch,
        detached_at=(oid or "")[:7] if detached else None,
        last_commit=last_commit,
        uncommitted=changed + untracked,
    )


def _parse_log(raw: bytes) -> Commit | None:
    parts = raw.decode("utf-8", "replace").rstrip("\n").split("\0")
    if len(parts) != 4:
        return None
    sha, short, date, subject = parts
    # A subject is free text that people paste keys into; the JSON must not carry them.
    return Commit(sha=sha, short=short, date=date, subject=redact(subject))
