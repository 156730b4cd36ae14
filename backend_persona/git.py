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
import stat
from collections.abc import Mapping, Sequence
from contextlib import suppress
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, NamedTuple

from backend_persona.deadline import After, Outcome, Process
from backend_persona.gitparse import (
    MAX_SUBJECT_CHARS,
    FileList,
    deleted_paths,
    filter_overrides,
    gone_paths,
    parse_status,
    repository_top,
)

if TYPE_CHECKING:
    from backend_persona.records import GitState

# Long enough for git on a very large monorepo, short enough that a hung git (a FIFO
# where a .gitignore should be) costs a slash command seconds, not forever.
GIT_TIMEOUT_SECONDS = 20.0
TIMEOUT_VARIABLE = "BACKEND_PERSONA_GIT_TIMEOUT"

# Variables that would point git at another repository, object store or config than the
# one asked about. GIT_CEILING_DIRECTORIES stays: the search for ``.git`` honours it.
_REDIRECTING_VARIABLES = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_PREFIX",
                          "GIT_COMMON_DIR", "GIT_OBJECT_DIRECTORY",
                          "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_CONFIG")

# git opens .gitignore files with a blocking open(2) when it lists untracked files. The
# root's own is checked before git starts, so that the common hostile case costs no
# timeout; a FIFO anywhere else costs one.
_ROOT_IGNORE_FILE = ".gitignore"

# Deleted files come from status, whose threads stat the tracked files anyway: --deleted
# would stat every one of them again, on one thread.
_LISTING = ("ls-files", "-z", "-t", "--cached", "--others", "--exclude-standard")
# Tracked files come from the index alone: this listing opens no ignore file.
_TRACKED_LISTING = ("ls-files", "-z", "-t", "--cached")
_CONFIG_NAMES = ("config", "--list", "--name-only", "-z")
# Submodule work trees would be checked by a git process under the submodule's own
# config; "dirty" still reports a submodule whose recorded commit moved.
_STATUS = ("status", "--porcelain=v2", "--branch", "-z", "--untracked-files=no",
           "--ignore-submodules=dirty", "--", ".")
# log.showSignature would run gpg.program on a signed HEAD.
_LOG = ("log", "-1", "--no-show-signature", "--format=%H%x00%h%x00%cI%x00%s")


class RepositorySnapshot:
    """What one round of git calls said about a directory (not a dataclass: see deadline.py)."""

    __slots__ = ("error", "files", "missing", "notes", "state", "status_digest")

    def __init__(self, state: GitState, *, files: list[str] | None = None,
                 missing: frozenset[str] = frozenset(), error: str | None = None,
                 notes: list[str] | None = None, status_digest: str | None = None) -> None:
        """Record what git said; ``status_digest``: status's answer on tracked files, hashed."""
        self.state, self.files, self.missing, self.error = state, files, missing, error
        # The warm path's revalidation compares the digest.
        self.notes, self.status_digest = [] if notes is None else notes, status_digest

    def __eq__(self, other: object) -> bool:
        """Equal when every field is: a prestarted snapshot is the one asked for later."""
        if not isinstance(other, RepositorySnapshot):
            return NotImplemented
        return all(getattr(self, f) == getattr(other, f) for f in self.__slots__)

    __hash__ = None  # type: ignore[assignment]  # mutable, as the dataclass it replaces was


def _state(**fields: Any) -> GitState:
    # The models (pydantic) load only once git is asked: prestart runs before they do.
    from backend_persona.records import GitState  # noqa: PLC0415

    return GitState(**fields)


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


def _git(root: Path, top: Path, args: Sequence[str]) -> list[str]:
    # An explicit work tree overrides core.worktree and core.bare, so git lists the files
    # of this tree and no other; -C keeps the paths relative to root, and only root's.
    # fsmonitor hooks are commands from repository config: never run them from here.
    return ["git", "-C", str(root), f"--git-dir={top / '.git'}", f"--work-tree={top}",
            "-c", "core.fsmonitor=false", "-c", "core.quotepath=off", *args]


class _Session:
    """The git processes of one snapshot; leaving it stops any that are still running."""

    def __init__(self, root: Path, top: Path) -> None:
        self.root = root
        self.top = top
        self.env = _environment()
        self.timeout = git_timeout()
        self._started: list[Process] = []

    def start(self, args: Sequence[str], extra_env: Mapping[str, str] | None = None) -> Process:
        process = Process(_git(self.root, self.top, args), {**self.env, **(extra_env or {})},
                           self.timeout)
        self._started.append(process)
        return process

    def expired(self, what: str) -> str:
        return f"git {what} did not finish within {self.timeout:g} s and was stopped"

    def __enter__(self) -> _Session:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
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
    top = repository_top(root)
    if top is None:
        # Not asked, so that a bare-repository layout at root is never read; whether git
        # is there at all is still worth saying.
        import shutil  # noqa: PLC0415  (outside a work tree only: bz2 and lzma come with it)

        if shutil.which("git") is None:
            return RepositorySnapshot(state=_state(status="git-unavailable"))
        return RepositorySnapshot(state=_state(status="not-a-repository"))
    try:
        prestarted = _PRESTARTED.pop(root, None)
        session, questions, blocking = prestarted or _first_questions(root, top)
        with session:
            return _collect(session, questions, blocking, hidden=hidden)
    except FileNotFoundError:
        return RepositorySnapshot(state=_state(status="git-unavailable"))


# The first questions: config, the listing, log, and status (none when config failed).
_Questions = tuple[Process, Process, Process, After]
# Sessions that `prestart` began, by root, for `snapshot` to take over.
_PRESTARTED: dict[Path, tuple[_Session, _Questions, str | None]] = {}


def prestart(root: Path) -> None:
    """Ask ``root``'s first git questions now, for the next `snapshot` of it to collect.

    The console script calls it before the CLI's imports, so that git lists the files
    while Python loads. Nothing is started outside a work tree, or without git.

    Args:
        root: The resolved project root.
    """
    top = repository_top(root)
    if top is not None and root not in _PRESTARTED:
        with suppress(FileNotFoundError):
            _PRESTARTED[root] = _first_questions(root, top)


def _first_questions(root: Path, top: Path) -> tuple[_Session, _Questions, str | None]:
    session = _Session(root, top)
    blocking = _blocking_ignore_file(root)
    try:
        config, listing, log = (session.start(_CONFIG_NAMES), session.start(
            _TRACKED_LISTING if blocking else _LISTING), session.start(_LOG))
        # Status may compare file contents, and so start the filter drivers .gitattributes
        # names: it starts once they are all overridden, and then stats every tracked file
        # while the CLI loads.
        status = After(config, lambda settings: None if settings.code != 0 else session.start(
            _STATUS, filter_overrides(settings.out, session.env)))
    except BaseException:
        session.__exit__(None, None, None)
        raise
    return session, (config, listing, log, status), blocking


def _collect(session: _Session, questions: _Questions, blocking: str | None, *,
             hidden: frozenset[str]) -> RepositorySnapshot:
    config, listing, log, after = questions
    status = after.process()
    settings = config.outcome()
    if settings.code is None:
        return _failed(settings, session.expired("config"))
    if settings.code != 0 or status is None:
        return _failed(settings, "git config failed")

    notes: list[str] = []
    files, listed = _files(session, listing, blocking, notes, hidden)
    changes = status.outcome()
    if changes.code is not None and changes.code != 0:
        return _failed(changes, "git status failed")
    if files.code != 0:
        return _failed(files, session.expired("ls-files") if files.code is None
                       else "git ls-files failed", notes)
    prefix = "" if session.root == session.top else \
        f"{session.root.relative_to(session.top).as_posix()}/"
    missing = (deleted_paths(changes.out, prefix, session.root) if changes.code == 0
               else gone_paths(session.root, listed.paths)) - hidden
    paths, untracked = listed.result(missing)
    if changes.code is None:
        notes.append(f"{session.expired('status')}; the branch and changes are unknown")
        state = _state(status="git-error")
    else:
        last = log.outcome()
        if last.code is None:
            notes.append(f"{session.expired('log')}; the last commit is unknown")
        state = parse_status(changes.out, untracked, last.out if last.code == 0 else None,
                             {prefix + path for path in hidden})
    return RepositorySnapshot(state=state, files=paths, missing=missing, notes=notes,
                              status_digest=_digest(changes) if changes.code == 0 else None)


def _files(session: _Session, listing: Process, blocking: str | None,
           notes: list[str], hidden: frozenset[str]) -> tuple[Outcome, FileList]:
    listed = FileList(hidden)
    files = listing.stream(listed.feed)
    if blocking:
        notes.append(f"{blocking} is a FIFO, which git would wait on forever; "
                     "untracked files are not listed")
    elif files.code is None:
        # Most likely git is waiting on a FIFO named .gitignore deeper in the tree.
        notes.append(f"{session.expired('ls-files')}; only tracked files are listed "
                     "(is a .gitignore a FIFO?)")
        listed = FileList(hidden)
        files = session.start(_TRACKED_LISTING).stream(listed.feed)
    return files, listed


def _failed(outcome: Outcome, fallback: str, notes: list[str] | None = None) -> RepositorySnapshot:
    message = outcome.message
    if "not a git repository" in message:
        return RepositorySnapshot(state=_state(status="not-a-repository"))
    return RepositorySnapshot(state=_state(status="git-error"), error=message or fallback,
                              notes=notes or [])


def _blocking_ignore_file(root: Path) -> str | None:
    try:
        mode = os.lstat(os.path.join(root, _ROOT_IGNORE_FILE)).st_mode
    except OSError:
        return None
    return _ROOT_IGNORE_FILE if stat.S_ISFIFO(mode) else None


def _digest(outcome: Outcome) -> str:
    from backend_persona.safefs import sha256  # noqa: PLC0415  (loaded by then; no OpenSSL)

    return sha256(outcome.out)


def status_digest(root: Path) -> str | None:
    """What status says of the tracked files at ``root`` now, hashed as `snapshot` hashes it.

    Args:
        root: A directory inside a git work tree.

    Returns:
        The digest, or None when git cannot answer.
    """
    top = repository_top(root)
    if top is None:
        return None
    try:
        with _Session(root, top) as session:
            settings = session.start(_CONFIG_NAMES).outcome()
            if settings.code != 0:
                return None
            changes = session.start(_STATUS, filter_overrides(settings.out, session.env)).outcome()
    except FileNotFoundError:
        return None
    return _digest(changes) if changes.code == 0 else None


class CacheInputs(NamedTuple):
    """The files outside the work tree that git's answers about it depend on."""

    top: Path
    files: list[Path]
    # Folders under the root that an ignore rule matches, relative to the root.
    ignored_folders: frozenset[str]


_DIRS = ("rev-parse", "--path-format=absolute", "--git-dir", "--git-common-dir")
_HEAD_REF = ("symbolic-ref", "-q", "HEAD")
_ORIGINS = ("config", "-z", "--list", "--show-origin", "--name-only")
_EXCLUDES = ("config", "-z", "--path", "--get", "core.excludesFile")
_ATTRIBUTES = ("config", "-z", "--path", "--get", "core.attributesFile")
_IGNORED = ("status", "--porcelain=v2", "-z", "--ignored=matching", "--untracked-files=all",
            "--ignore-submodules=all", "--", ".")


def cache_inputs(root: Path) -> CacheInputs | None:
    """Which git files and ignored folders a cached context of ``root`` depends on.

    Paths only: nothing here is read but git's answers. The caller stats them.

    Args:
        root: A directory inside a git work tree.

    Returns:
        The inputs, or None when git cannot say (then nothing may be cached).
    """
    top = repository_top(root)
    if top is None:
        return None
    try:
        with _Session(root, top) as session:
            dirs, ref, origins, config, excludes, attributes = (
                session.start(args) for args in
                (_DIRS, _HEAD_REF, _ORIGINS, _CONFIG_NAMES, _EXCLUDES, _ATTRIBUTES))
            settings = config.outcome()
            if settings.code != 0:
                return None
            ignored = session.start(_IGNORED, filter_overrides(settings.out, session.env))
            answers = [dirs.outcome(), origins.outcome(), ignored.outcome()]
            head = ref.outcome()
            named = [excludes.outcome(), attributes.outcome()]
    except FileNotFoundError:
        return None
    if (any(answer.code != 0 for answer in answers)
            or any(answer.code not in (0, 1) for answer in [head, *named])):
        return None
    located = os.fsdecode(answers[0].out).splitlines()
    if len(located) != 2:
        return None
    git_dir, common = Path(located[0]), Path(located[1])
    files = [top / ".git", git_dir / "HEAD", git_dir / "index", git_dir / "config.worktree",
             common / "config", common / "packed-refs", common / "info" / "exclude",
             common / "info" / "attributes", common / "shallow", top / ".gitmodules"]
    name = os.fsdecode(head.out).strip()
    if head.code == 0 and name.startswith("refs/"):
        files.append(common / name)
    # A relative setting names a path from where git runs: the root.
    files += [root / os.fsdecode(answer.out).rstrip("\0") for answer in named if answer.code == 0]
    fields = os.fsdecode(answers[1].out).split("\0")
    files += [Path(origin[5:]) for origin in fields[::2] if origin.startswith("file:")]
    return CacheInputs(top=top, files=files,
                       ignored_folders=_ignored_folders(answers[2].out, root, top))


def _ignored_folders(raw: bytes, root: Path, top: Path) -> frozenset[str]:
    # Status names paths from the top of the work tree; the cache's are from the root.
    prefix = "" if root == top else f"{root.relative_to(top).as_posix()}/"
    folders = set()
    for record in os.fsdecode(raw).split("\0"):
        if record.startswith("! ") and record.endswith("/") and record[2:].startswith(prefix):
            folders.add(record[2 + len(prefix):-1])
    return frozenset(folders)


__all__ = ["MAX_SUBJECT_CHARS", "CacheInputs", "RepositorySnapshot", "cache_inputs", "git_timeout",
           "snapshot", "status_digest"]
