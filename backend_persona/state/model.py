"""The session records: what a session file holds, what ``state`` prints, what ``context`` shows."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Final, Literal

from pydantic import Field

from backend_persona.modelbase import Model
from backend_persona.vocabulary import DecisionStatus, WorkflowName

# The session-file schema this version reads and writes; older files are upgraded on read
# (state/migrations.py), newer ones refused.
StateSchema = Literal[1]
STATE_SCHEMA_VERSION: Final[StateSchema] = 1
Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The current time in UTC; the default clock."""
    return datetime.now(UTC)


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

    schema_version: StateSchema = STATE_SCHEMA_VERSION
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


class PruneReport(Model):
    """Which session files ``state prune`` removed."""

    removed: list[str]
    kept: int


class SessionDecision(Model):
    """A decision as the previous-session summary shows it."""

    title: str
    status: str
    date: str


class PreviousSession(Model):
    """The project's latest recorded session, so that a new session can carry on from it."""

    session_id: str
    updated: str
    request: str | None = None
    decisions: list[SessionDecision] = Field(default_factory=list)
    open_followups: list[str] = Field(default_factory=list)
    last_checkpoint: str | None = None
    last_checkpoint_time: str | None = None
