"""What the ``state`` commands do to a session, and the functions the CLI calls for them.

Every write is one locked read-modify-write of one session file (`Sessions.change`);
superseding a decision of another session also rewrites that session's file, under the
same lock.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Sequence

from backend_persona.errors import UserError
from backend_persona.invocation import hint_invocation
from backend_persona.safefs import is_private_dir, printable, sha256, shown
from backend_persona.state.inputs import (
    MAX_LINE,
    MAX_REQUEST,
    clean_text,
    clean_title,
    parse_decision,
    valid_session_id,
)
from backend_persona.state.model import (
    Action,
    Change,
    Checkpoint,
    Decision,
    FollowUp,
    PruneReport,
    SessionList,
    SessionState,
    StoredSession,
)
from backend_persona.state.store import StateStore
from backend_persona.vocabulary import DecisionStatus, WorkflowName

SESSION_ENV = "CLAUDE_CODE_SESSION_ID"


def decision_id(state: SessionState, number: int) -> str:
    """A decision's project-wide id, stable and unique across sessions.

    The session's start time is part of it, so a session id reused after its first
    session was pruned still gives new ids.
    """
    seed = f"{state.session_id}\n{state.created.isoformat()}\n{number}"
    return sha256(seed)[:12]


class Sessions(StateStore):
    """A project's sessions, and what the ``state`` commands record in them."""

    # -- which session ----------------------------------------------------------------

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
        raise UserError(f"no session recorded for {self.root} yet",
                        hint=f"run `{hint_invocation()} state init`")

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
            path = self.save(new.evolve(updated=self.clock()))
        prefix = f"started session {session_id}; " if state is None else ""
        return Change(session_id=session_id, path=printable(path), message=prefix + message)

    # -- what the commands record -----------------------------------------------------

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
            return state.evolve(**update), "ready"

        return self.show(self.change(session, edit).session_id)

    def show(self, session: str | None = None) -> StoredSession:
        """The chosen session (see `choose`), which must exist, with its path."""
        if not is_private_dir(self.directory):
            raise UserError(f"no session recorded for {self.root} yet",
                            hint=f"run `{hint_invocation()} state init`")
        with self.locked():
            session_id = self.choose(session, create=False)
            state = self.load(session_id)
        if state is None:
            raise UserError(f"no session {session_id} for {self.root}",
                            hint=f"see `{hint_invocation()} state list`")
        path = printable(self.session_path(session_id))
        return StoredSession.model_validate({**state.model_dump(), "path": path})

    def add_action(self, session: str | None, text: str) -> Change:
        """Record a completed action."""
        action = Action(text=clean_title(text, "action", MAX_LINE), time=self.clock())

        def edit(state: SessionState) -> tuple[SessionState, str]:
            actions = [*state.actions, action]
            return (state.evolve(actions=actions),
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
                recorded = recorded.evolve(supersedes=old.id)
            decisions = [*state.decisions, recorded]
            message = f"recorded decision {len(decisions)} ({recorded.id}): {recorded.title}"
            if recorded.supersedes:
                message += f"; it supersedes {recorded.supersedes}"
            return state.evolve(decisions=decisions), message

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
                self.save(other.evolve(updated=self.clock()))
                return state, old
        raise UserError(f"--supersedes {ref}: no such decision number or id in this project")

    def add_followup(self, session: str | None, text: str) -> Change:
        """Record work left for later."""
        item = FollowUp(text=clean_title(text, "follow-up", MAX_LINE), created=self.clock())

        def edit(state: SessionState) -> tuple[SessionState, str]:
            followups = [*state.followups, item]
            return (state.evolve(followups=followups),
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
            followups[number - 1] = item.evolve(done=True, done_at=self.clock())
            return (state.evolve(followups=followups),
                    f"follow-up {number} done: {item.text}")

        return self.change(session, edit)

    def add_checkpoint(self, session: str | None, label: str) -> Change:
        """Record a named checkpoint with the current progress."""
        name = clean_title(label, "checkpoint label")

        def edit(state: SessionState) -> tuple[SessionState, str]:
            point = Checkpoint(label=name, time=self.clock(), progress=state.progress())
            checkpoints = [*state.checkpoints, point]
            return (state.evolve(checkpoints=checkpoints),
                    f"checkpoint {len(checkpoints)}: {name}")

        return self.change(session, edit)


def _mark_superseded(state: SessionState, decision_id: str,
                     new_id: str) -> tuple[SessionState, Decision]:
    decisions = list(state.decisions)
    for position, old in enumerate(decisions):
        if old.id == decision_id:
            if old.superseded_by:
                raise UserError(f"decision {old.id} ({old.title}) is already superseded by "
                                f"{old.superseded_by}")
            decisions[position] = old.evolve(status="superseded", superseded_by=new_id)
            return state.evolve(decisions=decisions), old
    raise UserError(f"no decision {decision_id}")  # pragma: no cover - callers check first


# -- what the CLI calls -------------------------------------------------------------------


def init_session(project: str, session: str | None = None, request: str | None = None,
                 route: Sequence[WorkflowName] = (), stack: Sequence[str] = ()) -> StoredSession:
    """``state init``: start or reopen a session, recording the stack its caller summarised.

    State never runs discovery itself: the CLI passes `backend_persona.context.stack_summary`.
    """
    return Sessions.open(project).init(session, request=request, route=route, stack=stack)


def show_session(project: str, session: str | None = None) -> StoredSession:
    """``state show``."""
    return Sessions.open(project).show(session)


def list_sessions(project: str, session: str | None = None) -> SessionList:
    """``state list``: every session of the project, or only ``session``."""
    listed = Sessions.open(project).summaries()
    if session is None:
        return listed
    wanted = valid_session_id(session)
    return listed.evolve(sessions=[s for s in listed.sessions if s.session_id == wanted])


def record_action(project: str, session: str | None, text: str) -> Change:
    """``state action``."""
    return Sessions.open(project).add_action(session, text)


def record_decision(project: str, session: str | None, title: str, *, context: str,
                    decision: str, consequences: str = "", status: DecisionStatus = "accepted",
                    supersedes: str | None = None) -> Change:
    """``state decision``."""
    return Sessions.open(project).add_decision(
        session, title, context=context, decision=decision, consequences=consequences,
        status=status, supersedes=supersedes)


def record_decision_json(project: str, session: str | None, text: str) -> Change:
    """``state decision --stdin``: one JSON object, as `DecisionInput` describes it."""
    given = parse_decision(text)
    supersedes = None if given.supersedes is None else str(given.supersedes)
    return Sessions.open(project).add_decision(
        session, given.title, context=given.context, decision=given.decision,
        consequences=given.consequences, status=given.status, supersedes=supersedes)


def record_followup(project: str, session: str | None, text: str) -> Change:
    """``state followup``."""
    return Sessions.open(project).add_followup(session, text)


def complete_followup(project: str, session: str | None, number: int) -> Change:
    """``state done``."""
    return Sessions.open(project).complete_followup(session, number)


def record_checkpoint(project: str, session: str | None, label: str) -> Change:
    """``state checkpoint``."""
    return Sessions.open(project).add_checkpoint(session, label)


def prune_sessions(project: str, older_than_days: int, session: str | None = None) -> PruneReport:
    """``state prune``: the project's stale sessions, or only ``session`` if it is stale."""
    only = valid_session_id(session) if session is not None else None
    return Sessions.open(project).prune(older_than_days, only=only)
