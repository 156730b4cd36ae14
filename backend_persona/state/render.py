"""Session state as markdown: ``state show``, ``state list`` and context's previous session."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from backend_persona.invocation import PLUGIN_INVOCATION
from backend_persona.markdown import code, more, text

if TYPE_CHECKING:
    # Types only: ``context`` renders a project without session state and no pydantic.
    from backend_persona.state.model import PreviousSession, SessionList, StoredSession

# The previous-session section shares the context's 6,000-character budget.
_PREVIOUS_LIMIT = 5


def when(moment: datetime | str) -> str:
    """A timestamp as ``2026-01-02 03:04 UTC``."""
    value = datetime.fromisoformat(moment) if isinstance(moment, str) else moment
    return value.strftime("%Y-%m-%d %H:%M UTC")


def session_markdown(session: StoredSession) -> str:
    """The whole session, for ``state show``."""
    lines = [
        f"## Session {code(session.session_id)}",
        f"- **Project:** {code(session.project_root)}",
        f"- **Started:** {when(session.created)} · **Updated:** {when(session.updated)}",
        f"- **State file:** {code(session.path)}",
    ]
    if session.request:
        lines.append(f"- **Request:** {text(session.request, 300)}")
    if session.route:
        lines.append(f"- **Route:** {', '.join(session.route)}")
    if session.stack:
        lines.append(f"- **Stack:** {', '.join(text(s) for s in session.stack)}")
    lines += ["", f"### Completed actions ({len(session.actions)})"]
    lines += [f"{n}. {text(a.text, 200)} ({when(a.time)})"
              for n, a in enumerate(session.actions, 1)] or ["None yet."]
    lines += ["", f"### Decisions ({len(session.decisions)})"]
    for n, decision in enumerate(session.decisions, 1):
        links = ""
        if decision.supersedes:
            links += f"; supersedes {code(decision.supersedes)}"
        if decision.superseded_by:
            links += f"; superseded by {code(decision.superseded_by)}"
        lines.append(f"{n}. **{text(decision.title)}** ({decision.status}, {decision.date}, "
                     f"id {code(decision.id)}{links}): {text(decision.decision, 200)}")
    if not session.decisions:
        lines.append("None yet.")
    lines += ["", f"### Follow-ups ({len(session.followups)})"]
    lines += [f"{n}. [{'x' if f.done else ' '}] {text(f.text, 200)}"
              for n, f in enumerate(session.followups, 1)] or ["None yet."]
    lines += ["", f"### Checkpoints ({len(session.checkpoints)})"]
    for point in session.checkpoints:
        p = point.progress
        lines.append(f"- **{text(point.label)}** ({when(point.time)}): {p.actions} action(s), "
                     f"{p.decisions} decision(s), {p.open_followups} open and "
                     f"{p.done_followups} done follow-up(s)")
    if not session.checkpoints:
        lines.append("None yet.")
    return "\n".join(lines) + "\n"


def sessions_markdown(listed: SessionList, invocation: str = PLUGIN_INVOCATION) -> str:
    """The project's sessions as a table, newest first, for ``state list``.

    Args:
        listed: The sessions.
        invocation: The command its hint names (`invocation.hint_invocation`).
    """
    lines = [f"## Sessions of {code(listed.project_root)} ({len(listed.sessions)})"]
    if listed.sessions:
        lines += ["| Session | Updated | Decisions | Open follow-ups | Request |",
                  "|---|---|---|---|---|"]
        lines += [f"| {code(s.session_id)} | {when(s.updated)} | {s.decisions} | "
                  f"{s.open_followups} | {text(s.request or '', 60)} |" for s in listed.sessions]
    else:
        lines.append(f"No sessions yet; `{invocation} state init` starts one.")
    lines += [f"- {text(note, 300)}" for note in listed.notes]
    return "\n".join(lines) + "\n"


def previous_session_sections(previous: PreviousSession | None,
                              invocation: str = PLUGIN_INVOCATION) -> list[str]:
    """The short "Previous session" section that ends ``context``, or nothing.

    Args:
        previous: The latest session, if any.
        invocation: The command its hint names (`invocation.hint_invocation`).
    """
    if previous is None:
        return []
    lines = [
        "### Previous session",
        f"_Session {code(previous.session_id)}, last updated {when(previous.updated)}; "
        f"`{invocation} state show` has the details._",
    ]
    if previous.request:
        lines.append(f"- **Request:** {text(previous.request, 160)}")
    decisions = previous.decisions[-_PREVIOUS_LIMIT:]
    if decisions:
        # Every field goes through text: PreviousSession is a plain model of str fields.
        shown = "; ".join(f"{text(d.title, 80)} ({text(d.status)}, {text(d.date)})"
                          for d in decisions)
        lines.append(f"- **Decisions:** {shown}{more(len(decisions), len(previous.decisions))}")
    followups = previous.open_followups[:_PREVIOUS_LIMIT]
    if followups:
        shown = "; ".join(text(f, 80) for f in followups)
        lines.append(f"- **Open follow-ups:** {shown}"
                     f"{more(len(followups), len(previous.open_followups))}")
    if previous.last_checkpoint and previous.last_checkpoint_time:
        lines.append(f"- **Last checkpoint:** {text(previous.last_checkpoint, 80)} "
                     f"({when(previous.last_checkpoint_time)})")
    return ["\n".join(lines)]
