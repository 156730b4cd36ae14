"""Session files of other versions: newer ones are refused and left alone, older ones upgraded."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, get_args

import pytest
from click.testing import CliRunner

from backend_persona.cli import cli
from backend_persona.state import migrations
from backend_persona.state.model import STATE_SCHEMA_VERSION, StateSchema
from backend_persona.state.session import Sessions
from tests.conftest import START

NEWER = STATE_SCHEMA_VERSION + 1
# Updated long ago: prune would remove it if it judged the file by its content.
_NEWER_FILE = json.dumps({"schema_version": NEWER, "session_id": "future",
                          "project_root": "/p", "created": "2000-01-01T00:00:00Z",
                          "updated": "2000-01-01T00:00:00Z", "a field from the future": 1})


def state(project: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["state", *args, "--project", str(project)])
    return result.exit_code, result.output


@pytest.fixture
def future(tmp_path: Path) -> Path:
    """The file a newer version wrote, beside a session of this version, in ``tmp_path``."""
    assert state(tmp_path, "init", "--session", "today")[0] == 0
    path = Sessions(tmp_path.resolve()).session_path("future")
    path.write_text(_NEWER_FILE)
    return path


@pytest.mark.parametrize("args", [
    ("show", "--session", "future"),
    ("decision", "--session", "future", "T", "--context", "c", "--decision", "d"),
    ("action", "--session", "future", "x"),
    ("followup", "--session", "future", "x"),
    ("checkpoint", "--session", "future", "x"),
])
def test_a_newer_session_file_is_refused_in_one_line(
        future: Path, tmp_path: Path, args: tuple[str, ...]) -> None:
    code, output = state(tmp_path, *args)

    assert code == 1
    assert f"state schema {NEWER}; this version reads {STATE_SCHEMA_VERSION}" in output
    assert "upgrade backend-persona" in output
    assert len(output.strip().splitlines()) == 1
    assert future.read_text() == _NEWER_FILE
    assert sorted(p.name for p in future.parent.iterdir() if not p.name.startswith(".")) == [
        "future.json", "today.json"]


def test_prune_and_list_leave_a_newer_file_in_place(future: Path, tmp_path: Path) -> None:
    code, output = state(tmp_path, "prune", "--older-than", "0")
    assert code == 0
    assert "today.json" in output
    assert "future.json" not in output

    code, output = state(tmp_path, "list")
    assert code == 0
    assert "state schema" in output  # a note, not a failure
    assert future.read_text() == _NEWER_FILE
    assert [p.name for p in future.parent.glob("future*")] == ["future.json"]


def test_the_schema_literal_is_the_current_version() -> None:
    assert get_args(StateSchema) == (STATE_SCHEMA_VERSION,)


def test_an_older_file_is_upgraded_on_read_and_saved_current(
        store: Sessions, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(migrations, "UPGRADES", {})

    @migrations.upgrade_from(STATE_SCHEMA_VERSION - 1)
    def _goal_became_request(raw: dict[str, Any]) -> dict[str, Any]:
        raw["request"] = raw.pop("goal")
        return raw

    store.add_action("other", "x")  # creates the private folder
    path = store.session_path("old")
    older = json.dumps({"schema_version": STATE_SCHEMA_VERSION - 1, "session_id": "old",
                        "project_root": "/p", "created": START.isoformat(),
                        "updated": START.isoformat(), "goal": "add an index"})
    path.write_text(older)

    assert store.show("old").request == "add an index"
    assert path.read_text() == older  # reading does not rewrite the file

    store.add_action("old", "indexed")
    saved = json.loads(path.read_text())
    assert saved["schema_version"] == STATE_SCHEMA_VERSION
    assert saved["request"] == "add an index"
    assert "goal" not in saved
    assert [a["text"] for a in saved["actions"]] == ["indexed"]


def test_upgrades_run_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(migrations, "UPGRADES", {})
    ran: list[int] = []

    for version in (1, 2, 3):
        @migrations.upgrade_from(version)
        def _step(raw: dict[str, Any], version: int = version) -> dict[str, Any]:
            ran.append(version)
            return {**raw, "seen": [*raw.get("seen", []), raw["schema_version"]]}

    upgraded = migrations.upgrade({"schema_version": 2}, current=4)

    assert ran == [2, 3]
    assert upgraded == {"schema_version": 4, "seen": [2, 3]}
    with pytest.raises(ValueError, match="register in order"):
        migrations.upgrade_from(2)(lambda raw: raw)


def test_a_file_without_a_version_counts_as_the_oldest(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(migrations, "UPGRADES", {})
    monkeypatch.setattr(migrations, "OLDEST_SCHEMA", 1)
    migrations.upgrade_from(1)(lambda raw: {**raw, "upgraded": True})

    assert migrations.upgrade({}, current=2) == {"upgraded": True, "schema_version": 2}
