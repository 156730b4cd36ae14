"""The session records: what a session file holds round-trips."""

from __future__ import annotations

from pathlib import Path

from backend_persona.state.model import SessionState
from backend_persona.state.session import Sessions


def test_the_model_round_trips_through_json(store: Sessions) -> None:
    store.add_decision("s1", "A", context="c", decision="d")
    stored = store.show("s1")
    state = SessionState.model_validate_json(Path(stored.path).read_text())
    assert state.decisions == stored.decisions
