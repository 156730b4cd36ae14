"""`state list` and `state prune` take --session like every other state verb."""

import json
from pathlib import Path

from click.testing import CliRunner

from backend_persona.cli import cli


def _init(runner: CliRunner, project: Path, session: str) -> None:
    result = runner.invoke(cli, ["state", "init", "--project", str(project), "--session", session])
    assert result.exit_code == 0, result.output


def test_list_with_session_shows_only_that_session(tmp_path: Path) -> None:
    runner = CliRunner()
    for session in ("first-session", "second-session"):
        _init(runner, tmp_path, session)
    every = runner.invoke(cli, ["state", "list", "--project", str(tmp_path), "--format", "json"])
    only = runner.invoke(cli, ["state", "list", "--project", str(tmp_path), "--format", "json",
                               "--session", "second-session"])
    assert every.exit_code == only.exit_code == 0
    assert sorted(s["session_id"] for s in json.loads(every.output)["sessions"]) == [
        "first-session", "second-session"]
    assert [s["session_id"] for s in json.loads(only.output)["sessions"]] == ["second-session"]


def test_prune_with_session_removes_only_that_session(tmp_path: Path) -> None:
    runner = CliRunner()
    for session in ("keep-me", "drop-me"):
        _init(runner, tmp_path, session)
    result = runner.invoke(cli, ["state", "prune", "--project", str(tmp_path),
                                 "--older-than", "0", "--session", "drop-me"])
    assert result.exit_code == 0, result.output
    assert "drop-me.json" in result.output
    listed = runner.invoke(cli, ["state", "list", "--project", str(tmp_path), "--format", "json"])
    assert [s["session_id"] for s in json.loads(listed.output)["sessions"]] == ["keep-me"]


def test_list_refuses_an_unsafe_session_id(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["state", "list", "--project", str(tmp_path),
                                      "--session", "../../etc"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
