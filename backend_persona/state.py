"""Session state that is really kept: decisions, follow-ups and checkpoints per project.

Layout: ``<state home>/projects/<slug>-<hash>/<session id>.json``, one folder per
project (the hash is of the resolved root), folders 0700 and files 0600. Writers hold
a per-project lock and replace files atomically, so concurrent writers lose nothing
and readers never need the lock. ``context`` reads the latest session through
`previous_session`, which imports neither filelock nor platformdirs on Linux.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Literal

from pydantic import Field, StrictInt, ValidationError

from backend_persona.errors import UserError
from backend_persona.models import Model, PreviousSession, SessionDecision
from backend_persona.redact import prompt_safe, redact
from backend_persona.safefs import (
    describe,
    exclusive_lock,
    is_private_dir,
    printable,
    private_dir,
    read_bytes,
    refuse_symlink,
    remove_stale_temps,
    shown,
    write_atomic,
)

STATE_SCHEMA_VERSION = 1
DecisionStatus = Literal["proposed", "accepted", "superseded"]
# The same names as `backend_persona.route.WorkflowName` (a test keeps them equal); not
# imported from there because `context` imports this module and route's patterns cost more.
WorkflowName = Literal["api", "database", "microservices", "performance", "default"]
Clock = Callable[[], datetime]

SESSION_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")
_SESSION_FILE = re.compile(rf"{SESSION_ID.pattern}\.json")
SESSION_ENV = "CLAUDE_CODE_SESSION_ID"
STATE_DIR_ENV = "BACKEND_PERSONA_STATE_DIR"
MAX_TITLE = 200
MAX_LINE = 2_000
MAX_TEXT = 20_000
MAX_REQUEST = 2_000
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
# Context reads at most this many files looking for a readable latest session.
_PREVIOUS_TRIES = 3


class Action(Model):
    """Something the session completed."""

    text: str
    time: datetime


class Decision(Model):
    """An architecture decision, in the shape an ADR needs."""

    id: str
    title: str
    context: str
    decision: str
    consequences: str = ""
    status: DecisionStatus = "accepted"
    date: date
    supersedes: str | None = None
    superseded_by: str | None = None


class FollowUp(Model):
    """Work left for later; ``done`` once finished."""

    text: str
    created: datetime
    done: bool = False
    done_at: datetime | None = None


class Progress(Model):
    """Counts of what a session had done when a checkpoint was taken."""

    actions: int
    decisions: int
    open_followups: int
    done_followups: int


class Checkpoint(Model):
    """A named point in a session, with the progress at that moment."""

    label: str
    time: datetime
    progress: Progress


class SessionState(Model):
    """Everything one session recorded about a project."""

    schema_version: int = STATE_SCHEMA_VERSION
    session_id: str
    project_root: str
    created: datetime
    updated: datetime
    request: str | None = None
    route: list[WorkflowName] = Field(default_factory=list)
    stack: list[str] = Field(default_factory=list)
    actions: list[Action] = Field(default_factory=list)
    decisions: list[Decision] = Field(default_factory=list)
    followups: list[FollowUp] = Field(default_factory=list)
    checkpoints: list[Checkpoint] = Field(default_factory=list)

    def progress(self) -> Progress:
        """The counts a checkpoint records."""
        done = sum(1 for f in self.followups if f.done)
        return Progress(actions=len(self.actions), decisions=len(self.decisions),
                        open_followups=len(self.followups) - done, done_followups=done)


class StoredSession(SessionState):
    """A session and the file it lives in (what ``state show --format json`` prints)."""

    path: str


class Change(Model):
    """What a ``state`` write did, in one line, and where."""

    session_id: str
    path: str
    message: str


class SessionSummary(Model):
    """One line of ``state list``."""

    session_id: str
    created: datetime
    updated: datetime
    request: str | None
    decisions: int
    open_followups: int
    path: str


class SessionList(Model):
    """The sessions of one project, newest first, and files that could not be read."""

    project_root: str
    directory: str
    sessions: list[SessionSummary]
    notes: list[str]


class DecisionInput(Model):
    """A decision as ``state decision --stdin`` reads it: a JSON object or YAML mapping."""

    title: str
    context: str
    decision: str
    consequences: str = ""
    status: DecisionStatus = "accepted"
    # A model writing JSON may well give a decision number as a number (but not `true`).
    supersedes: StrictInt | str | None = None


class PruneReport(Model):
    """Which session files ``state prune`` removed."""

    removed: list[str]
    kept: int


class _BrokenStateError(Exception):
    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(reason)
        self.path = path
        self.reason = reason


def utc_now() -> datetime:
    """The current time in UTC; the default clock."""
    return datetime.now(UTC)


def state_home() -> Path:
    """The per-user folder that holds all state: the override, XDG, or the platform's own."""
    override = os.environ.get(STATE_DIR_ENV)
    if override:
        return Path(override).expanduser()
    xdg = os.environ.get("XDG_STATE_HOME", "")
    if os.path.isabs(xdg):
        return Path(xdg) / "backend-persona"
    if sys.platform.startswith("linux"):
        # What platformdirs answers on Linux, without its import on the context path.
        return Path.home() / ".local" / "state" / "backend-persona"
    import platformdirs  # noqa: PLC0415

    return Path(platformdirs.user_state_dir("backend-persona", appauthor=False))


def project_folder_name(root: Path) -> str:
    """A readable and stable folder name for a resolved project root."""
    digest = hashlib.sha256(os.fsencode(str(root))).hexdigest()[:16]
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", root.name)[:40].strip("-.") or "project"
    return f"{slug}-{digest}"


def decision_id(state: SessionState, number: int) -> str:
    """A decision's project-wide id, stable and unique across sessions.

    The session's start time is part of it, so a session id reused after its first
    session was pruned still gives new ids.
    """
    seed = f"{state.session_id}\n{state.created.isoformat()}\n{number}"
    return hashlib.sha256(seed.encode()).hexdigest()[:12]


def valid_session_id(value: str, origin: str = "--session") -> str:
    """Return ``value`` if it is safe as a file name, else raise `UserError`."""
    if not SESSION_ID.fullmatch(value):
        raise UserError(f"{origin}: session ids are 1-128 letters, digits, '.', '_' or '-', "
                        "starting with a letter or digit")
    return value


def clean_text(value: str, what: str, limit: int | None = MAX_TEXT) -> str:
    """User text as stored: control characters dropped, credentials redacted, size checked.

    Bytes that were not UTF-8 (an argument or standard input) are U+FFFD by now, and
    line separators and bidi controls are made visible, as for every prompt.
    """
    cleaned = prompt_safe(redact(_CONTROL.sub("", printable(value)))).strip()
    if limit is not None and len(cleaned) > limit:
        raise UserError(f"{what} is longer than {limit:,} characters")
    return cleaned


def clean_title(value: str, what: str = "title", limit: int = MAX_TITLE) -> str:
    """One line of text: whitespace runs become one space, and it must not be empty."""
    title = " ".join(clean_text(value, what, MAX_TEXT).split())
    if not title:
        raise UserError(f"{what} is empty")
    if len(title) > limit:
        raise UserError(f"{what} is longer than {limit:,} characters")
    return title


class StateStore:
    """The sessions of one project: selection, locked read-modify-write, and pruning."""

    def __init__(self, root: Path, *, home: Path | None = None, clock: Clock = utc_now) -> None:
        """Open the store of the project at the resolved directory ``root``."""
        self.root = root
        self.home = home or state_home()
        self.directory = self.home / "projects" / project_folder_name(root)
        self.clock = clock

    @classmethod
    def open(cls, project: str | os.PathLike[str]) -> StateStore:
        """The store of the project directory ``project`` (resolved, must exist)."""
        from backend_persona.discover.engine import resolve_root  # noqa: PLC0415

        return cls(resolve_root(project))

    # -- reading ----------------------------------------------------------------------

    def session_path(self, session_id: str) -> Path:
        """Where the session's file lives (the id must already be validated)."""
        return self.directory / f"{session_id}.json"

    def session_files(self) -> list[Path]:
        """Session files, most recently updated first."""
        if not is_private_dir(self.directory):
            return []
        found: list[tuple[int, str, Path]] = []
        with os.scandir(self.directory) as entries:
            for entry in entries:
                stem, dot, suffix = entry.name.rpartition(".")
                if dot and suffix == "json" and SESSION_ID.fullmatch(stem):
                    # Readers take no lock: a writer's prune or quarantine may have
                    # removed the file since the directory was listed.
                    try:
                        updated = entry.stat(follow_symlinks=False).st_mtime_ns
                    except FileNotFoundError:
                        continue
                    found.append((updated, entry.name, Path(entry.path)))
        return [path for _, _, path in sorted(found, reverse=True)]

    def read(self, path: Path) -> SessionState:
        """Parse one session file; raises `_BrokenStateError` for corrupt or future files."""
        data = read_bytes(path)
        if data is None:
            raise FileNotFoundError(path)
        try:
            raw = json.loads(data)
        except ValueError:
            raise _BrokenStateError(path, "is not valid JSON") from None
        except RecursionError:
            raise _BrokenStateError(path, "is nested too deeply") from None
        version = raw.get("schema_version") if isinstance(raw, dict) else None
        if isinstance(version, int) and version > STATE_SCHEMA_VERSION:
            raise _BrokenStateError(path, f"was written by a newer backend-persona "
                                     f"(schema {version}, this one reads {STATE_SCHEMA_VERSION})")
        try:
            return SessionState.model_validate(raw)
        except ValidationError as error:
            raise _BrokenStateError(path, f"does not match the state schema "
                                     f"({error.error_count()} problem(s))") from None

    # -- writing ----------------------------------------------------------------------

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the project's writer lock; the folders are created private first."""
        private_dir(self.home)
        private_dir(self.home / "projects")
        private_dir(self.directory)
        with exclusive_lock(self.directory / ".lock"):
            # Every writer of this folder holds the lock, so no live temp file is here.
            remove_stale_temps(self.directory, _SESSION_FILE)
            yield

    def save(self, state: SessionState) -> Path:
        """Write a session atomically (call with the lock held)."""
        path = self.session_path(state.session_id)
        write_atomic(path, (state.model_dump_json(indent=2) + "\n").encode())
        return path

    def quarantine(self, broken: _BrokenStateError) -> UserError:
        """Move a broken file aside (never overwrite it) and say so in an error."""
        stamp = self.clock().strftime("%Y%m%dT%H%M%S%fZ")
        target = broken.path.with_name(f"{broken.path.name}.corrupt-{stamp}")
        try:
            refuse_symlink(target)
            os.rename(broken.path, target)
        except OSError as error:
            return UserError(f"{broken.path} {broken.reason}, and could not be moved aside "
                             f"({describe(error)})")
        return UserError(f"{broken.path} {broken.reason}; moved it aside to {target.name}. "
                         "Run the command again to use another session")

    def load(self, session_id: str) -> SessionState | None:
        """Load a session for a writer (lock held): None if absent; broken files moved aside."""
        try:
            return self.read(self.session_path(session_id))
        except FileNotFoundError:
            return None
        except _BrokenStateError as broken:
            raise self.quarantine(broken) from None

    def choose(self, session: str | None, *, create: bool) -> str:
        """The session id to use: the given one, Claude Code's, the latest, or a new one."""
        if session:
            return valid_session_id(session)
        if os.environ.get(SESSION_ENV):
            return valid_session_id(os.environ[SESSION_ENV], SESSION_ENV)
        files = self.session_files()
        if files:
            return files[0].name.removesuffix(".json")
        if create:
            return str(uuid.uuid4())
        raise UserError(f"no session recorded for {self.root} yet; "
                        "run `backend-persona state init`")

    def new_state(self, session_id: str) -> SessionState:
        """An empty session for this project."""
        now = self.clock()
        return SessionState(session_id=session_id, project_root=printable(self.root),
                            created=now, updated=now)

    def change(self, session: str | None,
               edit: Callable[[SessionState], tuple[SessionState, str]]) -> Change:
        """Apply ``edit`` to the chosen session under the lock and save it.

        ``edit`` returns the new state and a one-line description of the change.
        """
        with self.locked():
            session_id = self.choose(session, create=True)
            state = self.load(session_id)
            new, message = edit(state or self.new_state(session_id))
            path = self.save(new.model_copy(update={"updated": self.clock()}))
        prefix = f"started session {session_id}; " if state is None else ""
        return Change(session_id=session_id, path=printable(path), message=prefix + message)

    # -- operations -------------------------------------------------------------------

    def init(self, session: str | None = None, *, request: str | None = None,
             route: Sequence[WorkflowName] = (), stack: Sequence[str] = ()) -> StoredSession:
        """Start (or reopen) a session, recording the request, its route and the stack."""
        if session is None and not os.environ.get(SESSION_ENV):
            session = str(uuid.uuid4())
        update: dict[str, object] = {}
        if request is not None:
            # The request is context, not a record: keep its start rather than refuse it.
            text = clean_text(request, "request", None)
            update["request"] = text if len(text) <= MAX_REQUEST else text[:MAX_REQUEST - 1] + "…"
        if route:
            update["route"] = list(dict.fromkeys(route))
        if stack:
            update["stack"] = [shown(name) for name in stack]

        def edit(state: SessionState) -> tuple[SessionState, str]:
            return state.model_copy(update=update), "ready"

        return self.show(self.change(session, edit).session_id)

    def show(self, session: str | None = None) -> StoredSession:
        """The chosen session (see `choose`), which must exist, with its path."""
        if not is_private_dir(self.directory):
            raise UserError(f"no session recorded for {self.root} yet; "
                            "run `backend-persona state init`")
        with self.locked():
            session_id = self.choose(session, create=False)
            state = self.load(session_id)
        if state is None:
            raise UserError(f"no session {session_id} for {self.root}; "
                            "see `backend-persona state list`")
        path = printable(self.session_path(session_id))
        return StoredSession.model_validate({**state.model_dump(), "path": path})

    def add_action(self, session: str | None, text: str) -> Change:
        """Record a completed action."""
        action = Action(text=clean_title(text, "action", MAX_LINE), time=self.clock())

        def edit(state: SessionState) -> tuple[SessionState, str]:
            actions = [*state.actions, action]
            return (state.model_copy(update={"actions": actions}),
                    f"recorded action {len(actions)}")

        return self.change(session, edit)

    def add_decision(self, session: str | None, title: str, *, context: str, decision: str,
                     consequences: str = "", status: DecisionStatus = "accepted",
                     supersedes: str | None = None) -> Change:
        """Record a decision, optionally superseding an earlier one.

        ``supersedes`` is a decision number of this session or a decision id of any
        session of the project; both decisions then link to each other.
        """
        fields = {
            "title": clean_title(title), "context": clean_text(context, "--context"),
            "decision": clean_text(decision, "--decision"),
            "consequences": clean_text(consequences, "--consequences"), "status": status,
            "date": self.clock().date(),
        }

        def edit(state: SessionState) -> tuple[SessionState, str]:
            recorded = Decision.model_validate(
                {**fields, "id": decision_id(state, len(state.decisions) + 1)})
            if supersedes is not None:
                state, old = self._supersede(state, supersedes, recorded.id)
                recorded = recorded.model_copy(update={"supersedes": old.id})
            decisions = [*state.decisions, recorded]
            message = f"recorded decision {len(decisions)} ({recorded.id}): {recorded.title}"
            if recorded.supersedes:
                message += f"; it supersedes {recorded.supersedes}"
            return state.model_copy(update={"decisions": decisions}), message

        return self.change(session, edit)

    def _supersede(self, state: SessionState, ref: str,
                   new_id: str) -> tuple[SessionState, Decision]:
        # A number names a decision of this session; an id may name one in any session.
        # str.isdigit also accepts digits such as "²" that int() refuses.
        if ref.isascii() and ref.isdigit():
            number = int(ref)
            if not 1 <= number <= len(state.decisions):
                raise UserError(f"--supersedes {ref}: this session has "
                                f"{len(state.decisions)} decision(s)")
            return _mark_superseded(state, state.decisions[number - 1].id, new_id)
        if any(d.id == ref for d in state.decisions):
            return _mark_superseded(state, ref, new_id)
        for path in self.session_files():
            if path.name == f"{state.session_id}.json":
                continue
            other = self.load(path.name.removesuffix(".json"))
            if other is not None and any(d.id == ref for d in other.decisions):
                other, old = _mark_superseded(other, ref, new_id)
                self.save(other.model_copy(update={"updated": self.clock()}))
                return state, old
        raise UserError(f"--supersedes {ref}: no such decision number or id in this project")

    def add_followup(self, session: str | None, text: str) -> Change:
        """Record work left for later."""
        item = FollowUp(text=clean_title(text, "follow-up", MAX_LINE), created=self.clock())

        def edit(state: SessionState) -> tuple[SessionState, str]:
            followups = [*state.followups, item]
            return (state.model_copy(update={"followups": followups}),
                    f"recorded follow-up {len(followups)}")

        return self.change(session, edit)

    def complete_followup(self, session: str | None, number: int) -> Change:
        """Mark follow-up ``number`` (1-based, as ``show`` lists them) done."""
        def edit(state: SessionState) -> tuple[SessionState, str]:
            if not 1 <= number <= len(state.followups):
                raise UserError(f"follow-up {number}: this session has "
                                f"{len(state.followups)} follow-up(s)")
            item = state.followups[number - 1]
            if item.done:
                return state, f"follow-up {number} was already done"
            followups = list(state.followups)
            followups[number - 1] = item.model_copy(update={"done": True,
                                                            "done_at": self.clock()})
            return (state.model_copy(update={"followups": followups}),
                    f"follow-up {number} done: {item.text}")

        return self.change(session, edit)

    def add_checkpoint(self, session: str | None, label: str) -> Change:
        """Record a named checkpoint with the current progress."""
        name = clean_title(label, "checkpoint label")

        def edit(state: SessionState) -> tuple[SessionState, str]:
            point = Checkpoint(label=name, time=self.clock(), progress=state.progress())
            checkpoints = [*state.checkpoints, point]
            return (state.model_copy(update={"checkpoints": checkpoints}),
                    f"checkpoint {len(checkpoints)}: {name}")

        return self.change(session, edit)

    def readable(self) -> tuple[list[tuple[Path, SessionState]], list[str]]:
        """Every readable session, newest first, and a note per file that is not."""
        found, notes = [], []
        for path in self.session_files():
            try:
                found.append((path, self.read(path)))
            except _BrokenStateError as broken:
                notes.append(shown(f"{path} {broken.reason}"))
            except (FileNotFoundError, UserError) as error:
                notes.append(shown(str(error)))
        return found, notes

    def summaries(self) -> SessionList:
        """Every session of the project, newest first; unreadable files become notes."""
        found, notes = self.readable()
        sessions = [SessionSummary(
            session_id=state.session_id, created=state.created, updated=state.updated,
            request=state.request, decisions=len(state.decisions),
            open_followups=state.progress().open_followups, path=printable(path),
        ) for path, state in found]
        return SessionList(project_root=printable(self.root),
                           directory=printable(self.directory), sessions=sessions, notes=notes)

    def all_sessions(self) -> tuple[list[SessionState], list[str]]:
        """Every readable session, oldest first, and a note per unreadable file."""
        found, notes = self.readable()
        states = sorted((state for _, state in found), key=lambda s: (s.created, s.session_id))
        return states, notes

    def prune(self, older_than_days: int, only: str | None = None) -> PruneReport:
        """Remove sessions (and moved-aside files) not updated for ``older_than_days`` days.

        With ``only``, just that session's files are considered.
        """
        cutoff = self.clock() - timedelta(days=older_than_days)
        removed, kept = [], 0
        if not is_private_dir(self.directory):
            return PruneReport(removed=[], kept=0)
        with self.locked():
            for path in sorted(self.directory.iterdir()):
                if path.name.startswith(".") or (only and not _of_session(path.name, only)):
                    continue
                when = self._last_update(path)
                if when is not None and when < cutoff:
                    path.unlink()
                    removed.append(path.name)
                elif when is not None:
                    kept += 1
        return PruneReport(removed=removed, kept=kept)

    def _last_update(self, path: Path) -> datetime | None:
        if ".corrupt-" in path.name:
            return datetime.fromtimestamp(path.lstat().st_mtime, UTC)
        if not path.name.endswith(".json"):
            return None
        try:
            return self.read(path).updated
        except (_BrokenStateError, FileNotFoundError, UserError):
            return None


def _of_session(name: str, session_id: str) -> bool:
    # The session's file or a moved-aside copy of it; "a" must not match "a.b.json".
    return name == f"{session_id}.json" or name.startswith(f"{session_id}.json.corrupt-")


def _mark_superseded(state: SessionState, decision_id: str,
                     new_id: str) -> tuple[SessionState, Decision]:
    decisions = list(state.decisions)
    for position, old in enumerate(decisions):
        if old.id == decision_id:
            if old.superseded_by:
                raise UserError(f"decision {old.id} ({old.title}) is already superseded by "
                                f"{old.superseded_by}")
            decisions[position] = old.model_copy(update={"status": "superseded",
                                                         "superseded_by": new_id})
            return state.model_copy(update={"decisions": decisions}), old
    raise UserError(f"no decision {decision_id}")  # pragma: no cover - callers check first


# -- the context hot path ---------------------------------------------------------------


def previous_session(root: Path) -> tuple[PreviousSession | None, list[str]]:
    """The project's latest readable session, for ``context``; never raises.

    No lock is taken (writes are atomic renames) and nothing is written: a broken
    file becomes a note, and the next newest session is tried.

    Args:
        root: The resolved project root.

    Returns:
        The summary (None without state) and notes about files that could not be read.
    """
    notes: list[str] = []
    try:
        store = StateStore(root)
        files = store.session_files()
    except (OSError, UserError) as error:
        return None, [shown(f"session state could not be read ({error})")]
    for path in files[:_PREVIOUS_TRIES]:
        try:
            return summarize(store.read(path)), notes
        except _BrokenStateError as broken:
            notes.append(shown(f"session state {path} {broken.reason}; "
                               "`backend-persona state list` shows the sessions"))
        except (OSError, UserError, ValueError) as error:
            notes.append(shown(f"session state {path} could not be read ({error})"))
    return None, notes


def summarize(state: SessionState) -> PreviousSession:
    """What ``context`` shows of a session."""
    last = state.checkpoints[-1] if state.checkpoints else None
    return PreviousSession(
        session_id=state.session_id,
        updated=state.updated.isoformat(),
        request=state.request,
        decisions=[SessionDecision(title=d.title, status=d.status, date=d.date.isoformat())
                   for d in state.decisions],
        open_followups=[f.text for f in state.followups if not f.done],
        last_checkpoint=last.label if last else None,
        last_checkpoint_time=last.time.isoformat() if last else None,
    )


# -- what ``state decision --stdin`` reads -----------------------------------------------

_DECISION_FIELDS = "title, context, decision, consequences, status, supersedes"


def parse_decision(text: str) -> DecisionInput:
    """Validate the decision ``state decision --stdin`` reads; errors name the field.

    A JSON object, or a YAML mapping. The command file asks Claude for YAML with block
    scalars because Claude Code refuses a Bash command in which a ``{`` is followed by a
    quote ("brace with quote character"), and every JSON object has one.

    Args:
        text: Standard input.

    Returns:
        The decision; `UserError` when the text does not hold one.
    """
    try:
        if text.lstrip().startswith("{"):
            return DecisionInput.model_validate_json(text)
        return DecisionInput.model_validate(_yaml(text), strict=True)
    except ValidationError as error:
        problems = [_problem(e["type"], e["loc"], e.get("ctx") or {}) for e in error.errors()]
        raise UserError("--stdin: " + "; ".join(dict.fromkeys(problems))) from None


def _yaml(text: str) -> object:
    import yaml  # noqa: PLC0415  (only this command pays for it)

    from backend_persona.commandlint import YAMLNestingError, load_yaml  # noqa: PLC0415

    try:
        return load_yaml(text)
    except yaml.YAMLError as error:
        # Only the parser's own words and the place: its context lines quote the text.
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or "unreadable characters"
        if isinstance(error, YAMLNestingError):
            raise UserError(f"--stdin: standard input is {problem}{where}; a decision is one "
                            f"mapping with {_DECISION_FIELDS}") from None
        raise UserError(f"--stdin: standard input is neither a JSON object nor valid YAML "
                        f"({problem}{where})") from None


def _problem(kind: str, loc: tuple[int | str, ...], ctx: dict[str, object]) -> str:
    # Messages name the field but never echo a value: the text may carry secrets.
    if kind == "json_invalid":
        return f"standard input is not valid JSON ({ctx.get('error')})"
    if not loc:
        return f"standard input must be one JSON object or YAML mapping with {_DECISION_FIELDS}"
    name = json.dumps(str(loc[0]))
    name = name if len(name) <= 42 else name[:40] + '…"'
    if loc[0] not in DecisionInput.model_fields:
        return f"unknown field {name}; the fields are {_DECISION_FIELDS}"
    if kind == "missing":
        return f"the field {name} is missing"
    if kind == "literal_error":
        return f"the field {name} must be one of proposed, accepted, superseded"
    expected = "a decision number or id" if loc[0] == "supersedes" else "a string"
    return f"the field {name} must be {expected}"


# -- what the CLI calls -------------------------------------------------------------------


def init_session(project: str, session: str | None = None, request: str | None = None,
                 route: Sequence[WorkflowName] = ()) -> StoredSession:
    """``state init``: start or reopen a session, with the project's stack summary."""
    from backend_persona.discover import discover_context  # noqa: PLC0415

    store = StateStore.open(project)
    found = discover_context(store.root)
    shown = {"framework", "rpc", "data-access", "datastore", "broker"}
    stack = [lang.name for lang in found.languages[:3]]
    stack += [t.name for t in found.technologies if t.scope == "runtime" and t.category in shown]
    return store.init(session, request=request, route=route, stack=stack[:15])


def show_session(project: str, session: str | None = None) -> StoredSession:
    """``state show``."""
    return StateStore.open(project).show(session)


def list_sessions(project: str, session: str | None = None) -> SessionList:
    """``state list``: every session of the project, or only ``session``."""
    listed = StateStore.open(project).summaries()
    if session is None:
        return listed
    wanted = valid_session_id(session)
    return listed.model_copy(
        update={"sessions": [s for s in listed.sessions if s.session_id == wanted]}
    )


def record_action(project: str, session: str | None, text: str) -> Change:
    """``state action``."""
    return StateStore.open(project).add_action(session, text)


def record_decision(project: str, session: str | None, title: str, *, context: str,
                    decision: str, consequences: str = "", status: DecisionStatus = "accepted",
                    supersedes: str | None = None) -> Change:
    """``state decision``."""
    return StateStore.open(project).add_decision(
        session, title, context=context, decision=decision, consequences=consequences,
        status=status, supersedes=supersedes)


def record_decision_json(project: str, session: str | None, text: str) -> Change:
    """``state decision --stdin``: one JSON object, as `DecisionInput` describes it."""
    given = parse_decision(text)
    supersedes = None if given.supersedes is None else str(given.supersedes)
    return StateStore.open(project).add_decision(
        session, given.title, context=given.context, decision=given.decision,
        consequences=given.consequences, status=given.status, supersedes=supersedes)


def record_followup(project: str, session: str | None, text: str) -> Change:
    """``state followup``."""
    return StateStore.open(project).add_followup(session, text)


def complete_followup(project: str, session: str | None, number: int) -> Change:
    """``state done``."""
    return StateStore.open(project).complete_followup(session, number)


def record_checkpoint(project: str, session: str | None, label: str) -> Change:
    """``state checkpoint``."""
    return StateStore.open(project).add_checkpoint(session, label)


def prune_sessions(project: str, older_than_days: int, session: str | None = None) -> PruneReport:
    """``state prune``: the project's stale sessions, or only ``session`` if it is stale."""
    only = valid_session_id(session) if session is not None else None
    return StateStore.open(project).prune(older_than_days, only=only)
