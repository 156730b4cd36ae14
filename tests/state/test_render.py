"""Sessions as markdown."""

from __future__ import annotations

from pathlib import Path

from backend_persona.state.render import session_markdown
from backend_persona.state.session import Sessions


def test_an_empty_session_shows_none_yet(tmp_path: Path) -> None:
    store = Sessions(tmp_path, home=tmp_path / "home")
    markdown = session_markdown(store.init("s1"))
    assert markdown.count("None yet.") == 4
    assert "**Request:**" not in markdown
