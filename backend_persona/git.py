"""Every git invocation of the package lives here.

The context hot path asks git its questions in parallel processes rather than one after
another: the file list, the last commit and the names of the configured filter drivers
at once, then status as soon as those names are known.

The repository is untrusted: its ``.git/config`` and ``.gitattributes`` come with the
clone. Git is therefore asked only questions that need no program from that config
(no signature checks, no submodule processes, no transports), the filter drivers that
status could still start are overridden by name, and every process has a deadline.
"""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import time
from collections.abc import Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path

from backend_persona.models import Commit, GitState
from backend_persona.redact import redact

# Long enough for git on a very large monorepo, short enough that a hung git (a FIFO
# where a .gitignore should be) costs a slash command seconds, not forever.
GIT_TIMEOUT_SECONDS = 20.0
TIMEOUT_VARIABLE = "BACKEND_PERSONA_GIT_TIMEOUT"
_GRACE_SECONDS = 0.5
# Far more than the markdown's 72 characters; a 48 MB subject once cost 31 s to redact.
MAX_SUBJECT_CHARS = 1024

# Variables that would point git at another repository, object store or config than the
# one asked about. GIT_CEILING_DIRECTORIES stays: the search for ``.git`` honours it.
_REDIRECTING_VARIABLES = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_PREFIX",
                          "GIT_COMMON_DIR", "GIT_OBJECT_DIRECTORY",
                          "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_CONFIG")

# git opens .gitignore files with a blocking open(2) when it lists untracked files. The
# root's own is checked before git starts, so that the common hostile case costs no
# timeout; a FIFO anywhere else costs one.
_ROOT_IGNORE_FILE = ".gitignore"

# The keys of a filter driver that name a program, or make its absence fatal.
_FILTER_OVERRIDES = (("clean", ""), ("smudge", ""), ("process", ""), ("required", "false"))

_LISTING = ("ls-files", "-z", "-t", "--cached", "--others", "--deleted", "--exclude-standard")
# Tracked files come from the index alone: this listing opens no ignore file.
_TRACKED_LISTING = ("ls-files", "-z", "-t", "--cached", "--deleted")
_CONFIG_NAMES = ("config", "--list", "--name-only", "-z")
# Submodule work trees would be checked by a git process under the submodule's own
# config; "dirty" still reports a submodule whose recorded commit moved.
_STATUS = ("status", "--porcelain=v2", "--branch", "-z", "--untracked-files=no",
           "--ignore-submodules=dirty", "--", ".")
# log.showSignature would run gpg.program on a signed HEAD.
_LOG = ("log", "-1", "--no-show-signature", "--format=%H%x00%h%x00%cI%x00%s")


@dataclass
class RepositorySnapshot:
    """What one round of git calls said about a directory."""

    state: GitState
    files: list[str] | None = None
    missing: frozenset[str] = field(default_factory=frozenset)
    error: str | None = None
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Outcome:
    out: bytes
    err: bytes
    # None: the process ran past its deadline and was killed.
    code: int | None

    @property
    def message(self) -> str:
        text = self.err.decode("utf-8", "replace").strip()
        return text.splitlines()[0] if text else ""


def git_timeout() -> float:
    """Seconds any one git process may run: `TIMEOUT_VARIABLE`, or `GIT_TIMEOUT_SECONDS`."""
    try:
        seconds = float(os.environ.get(TIMEOUT_VARIABLE, ""))
    except ValueError:
        return GIT_TIMEOUT_SECONDS
    return seconds if 0 < seconds < float("inf") else GIT_TIMEOUT_SECONDS


def _environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _REDIRECTING_VARIABLES}
    # A context probe must never take the index lock that the user's own git needs.
    env["GIT_OPTIONAL_LOCKS"] = "0"
    env["GIT_TERMINAL_PROMPT"] = "0"
    env["LC_ALL"] = "C"
    # A partial clone fetches missing objects on demand, through core.sshCommand or a
    # remote's uploadpack: an empty allow-list refuses every transport, and newer git
    # is told not to try at all.
    env["GIT_ALLOW_PROTOCOL"] = ""
    env["GIT_NO_LAZY_FETCH"] = "1"
    return env


def _repository_top(root: Path) -> Path | None:
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


def _git(root: Path, top: Path, args: Sequence[str]) -> list[str]:
    # An explicit work tree overrides core.worktree and core.bare, so git lists the files
    # of this tree and no other; -C keeps the paths relative to root, and only root's.
    # fsmonitor hooks are commands from repository config: never run them from here.
    return ["git", "-C", str(root), f"--git-dir={top / '.git'}", f"--work-tree={top}",
            "-c", "core.fsmonitor=false", "-c", "core.quotepath=off", *args]


class _Process:
    """One git process with its own deadline; a late one is killed with its children."""

    def __init__(self, argv: list[str], env: Mapping[str, str], timeout: float) -> None:
        # Its own process group, so that a kill also reaches anything git started.
        self._popen = subprocess.Popen(
            argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
            env=dict(env), start_new_session=True)
        self._deadline = time.monotonic() + timeout
        self._outcome: _Outcome | None = None

    def outcome(self) -> _Outcome:
        """Wait, at most until the deadline, for the process to finish."""
        if self._outcome is None:
            # A process that finished while another one was being waited for still
            # needs a moment to hand over what is in its pipes.
            remaining = max(_GRACE_SECONDS, self._deadline - time.monotonic())
            try:
                out, err = self._popen.communicate(timeout=remaining)
                self._outcome = _Outcome(out, err, self._popen.returncode)
            except subprocess.TimeoutExpired:
                self.stop()
                self._outcome = _Outcome(b"", b"", None)
        return self._outcome

    def stop(self) -> None:
        """Kill the process group unless the process has been waited for."""
        if self._popen.returncode is None:
            # Not reaped yet, so its id still names this group and no other.
            with suppress(ProcessLookupError):
                os.killpg(self._popen.pid, signal.SIGKILL)
            self._popen.wait()
        # A survivor outside the group may hold the pipes open: never read them again.
        for pipe in (self._popen.stdout, self._popen.stderr):
            if pipe is not None:
                pipe.close()


class _Session:
    """The git processes of one snapshot; `close` stops any that are still running."""

    def __init__(self, root: Path, top: Path, hidden: frozenset[str]) -> None:
        self.root = root
        self.top = top
        self.hidden = hidden
        below = Path(os.path.abspath(root)).relative_to(top)  # status names paths from top
        self.hidden_on_top = {(below / path).as_posix() for path in hidden}
        self.env = _environment()
        self.timeout = git_timeout()
        self._started: list[_Process] = []

    def start(self, args: Sequence[str], extra_env: Mapping[str, str] | None = None) -> _Process:
        process = _Process(_git(self.root, self.top, args), {**self.env, **(extra_env or {})},
                           self.timeout)
        self._started.append(process)
        return process

    def expired(self, what: str) -> str:
        return f"git {what} did not finish within {self.timeout:g} s and was stopped"

    def close(self) -> None:
        """Stop every process that is still running."""
        for process in self._started:
            process.stop()


def snapshot(root: Path, hidden: frozenset[str] = frozenset()) -> RepositorySnapshot:
    """Read files, branch, changes and the last commit of the work tree at ``root``.

    No program named by the repository's configuration runs, and every git process
    is killed after `git_timeout` seconds; what that cost is said in ``notes``.

    Args:
        root: A directory, possibly inside a git work tree.
        hidden: Paths relative to ``root`` that are not the project's (the files the pack
            installed): neither listed nor counted as changes.

    Returns:
        The snapshot; ``files`` is None when ``root`` is not inside a usable work tree.
    """
    top = _repository_top(root)
    if top is None:
        # Not asked, so that a bare-repository layout at root is never read; whether git
        # is there at all is still worth saying.
        if shutil.which("git") is None:
            return RepositorySnapshot(state=GitState(status="git-unavailable"))
        return RepositorySnapshot(state=GitState(status="not-a-repository"))
    blocking = _blocking_ignore_file(root)
    session = _Session(root, top, hidden)
    try:
        config = session.start(_CONFIG_NAMES)
        listing = session.start(_TRACKED_LISTING if blocking else _LISTING)
        return _collect(session, config, listing, session.start(_LOG), blocking)
    except FileNotFoundError:
        return RepositorySnapshot(state=GitState(status="git-unavailable"))
    finally:
        session.close()


def _collect(session: _Session, config: _Process, listing: _Process, log: _Process,
             blocking: str | None) -> RepositorySnapshot:
    settings = config.outcome()
    if settings.code is None:
        return _failed(settings, session.expired("config"))
    if settings.code != 0:
        return _failed(settings, "git config failed")
    # Status is the one question that may compare file contents, and with them start the
    # filter drivers that .gitattributes names: it starts once they are all overridden.
    status = session.start(_STATUS, _filter_overrides(settings.out, session.env))

    notes: list[str] = []
    files = _files(session, listing, blocking, notes)
    changes = status.outcome()
    if changes.code is not None and changes.code != 0:
        return _failed(changes, "git status failed")
    if files.code != 0:
        return _failed(files, session.expired("ls-files") if files.code is None
                       else "git ls-files failed", notes)
    paths, untracked, missing = _parse_file_list(files.out, session.hidden)
    if changes.code is None:
        notes.append(f"{session.expired('status')}; the branch and changes are unknown")
        state = GitState(status="git-error")
    else:
        last = log.outcome()
        if last.code is None:
            notes.append(f"{session.expired('log')}; the last commit is unknown")
        state = _parse_status(changes.out, untracked, last.out if last.code == 0 else None,
                              session.hidden_on_top)
    return RepositorySnapshot(state=state, files=paths, missing=missing, notes=notes)


def _files(session: _Session, listing: _Process, blocking: str | None,
           notes: list[str]) -> _Outcome:
    files = listing.outcome()
    if blocking:
        notes.append(f"{blocking} is a FIFO, which git would wait on forever; "
                     "untracked files are not listed")
    elif files.code is None:
        # Most likely git is waiting on a FIFO named .gitignore deeper in the tree.
        notes.append(f"{session.expired('ls-files')}; only tracked files are listed "
                     "(is a .gitignore a FIFO?)")
        files = session.start(_TRACKED_LISTING).outcome()
    return files


def _failed(outcome: _Outcome, fallback: str, notes: list[str] | None = None) -> RepositorySnapshot:
    message = outcome.message
    if "not a git repository" in message:
        return RepositorySnapshot(state=GitState(status="not-a-repository"))
    return RepositorySnapshot(state=GitState(status="git-error"), error=message or fallback,
                              notes=notes or [])


def _blocking_ignore_file(root: Path) -> str | None:
    try:
        mode = os.lstat(os.path.join(root, _ROOT_IGNORE_FILE)).st_mode
    except OSError:
        return None
    return _ROOT_IGNORE_FILE if stat.S_ISFIFO(mode) else None


def _filter_overrides(config_names: bytes, base: Mapping[str, str]) -> dict[str, str]:
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


def _parse_file_list(raw: bytes, hidden: frozenset[str]) -> tuple[list[str], int, frozenset[str]]:
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
            untracked += path not in hidden
        present[path] = None
    files = sorted(path for path in present if path not in deleted and path not in hidden)
    return files, untracked, frozenset(deleted - hidden)


def _parse_status(raw: bytes, untracked: int, log: bytes | None, hidden: set[str]) -> GitState:
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
    return GitState(status="no-commits" if oid in (None, "(initial)") else "ok",
                    branch=None if detached else branch,
                    detached_at=(oid or "")[:7] if detached else None,
                    last_commit=_parse_log(log) if log else None, uncommitted=changed + untracked)


def _parse_log(raw: bytes) -> Commit | None:
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
