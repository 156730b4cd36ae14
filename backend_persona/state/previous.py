"""The latest session as ``context`` shows it, read on every slash command.

Nothing here locks or writes, and on Linux neither filelock nor platformdirs is imported;
nor is pydantic, while the project has no session.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from backend_persona.errors import UserError
from backend_persona.safefs import shown
from backend_persona.state.location import project_directory, session_files

if TYPE_CHECKING:
    from backend_persona.state.model import PreviousSession, SessionState

# Context reads at most this many files looking for a readable latest session.
_PREVIOUS_TRIES = 3


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
        files = session_files(project_directory(root))
    except (OSError, UserError) as error:
        return None, [shown(f"session state could not be read ({error})")]
    if not files:
        return None, notes
    from backend_persona.state.store import BrokenStateError, StateStore  # noqa: PLC0415

    store = StateStore(root)
    for path in files[:_PREVIOUS_TRIES]:
        try:
            return summarize(store.read(path)), notes
        except BrokenStateError as broken:
            notes.append(shown(f"session state {path} {broken.reason}; "
                               "`backend-persona state list` shows the sessions"))
        except (OSError, UserError, ValueError) as error:
            notes.append(shown(f"session state {path} could not be read ({error})"))
    return None, notes


def summarize(state: SessionState) -> PreviousSession:
    """What ``context`` shows of a session."""
    from backend_persona.state.model import PreviousSession, SessionDecision  # noqa: PLC0415

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
