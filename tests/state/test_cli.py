"""The `state` commands through the real CLI: output, exit codes and hostile text."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from backend_persona.cli import cli
from tests.conftest import RepoFactory

GO_MOD = "module example.com/orders\n\ngo 1.22\n\nrequire github.com/gin-gonic/gin v1.9.1\n"


@pytest.fixture
def project(make_project: RepoFactory) -> Path:
    return make_project({"go.mod": GO_MOD, "main.go": "package main\n"})


def run(project: Path, *args: str, code: int = 0, **env: str) -> Result:
    result = CliRunner().invoke(cli, ["state", *args, "--project", str(project)], env=env)
    assert result.exit_code == code, (result.output, result.stderr)
    return result


def show(project: Path, session: str = "s1") -> dict[str, Any]:
    shown: dict[str, Any] = json.loads(
        run(project, "show", "--session", session, "--format", "json").output)
    return shown


def test_init_prints_the_session_and_its_private_state_file(project: Path) -> None:
    result = run(project, "init", "--session", "s1", "--request", "design REST API",
                 "--route", "api", "--route", "database")
    lines = result.output.splitlines()
    assert lines[0] == "session: s1"
    path = Path(lines[1].removeprefix("state file: "))
    assert path.name == "s1.json"
    assert path.is_relative_to(os.environ["BACKEND_PERSONA_STATE_DIR"])
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    shown = show(project)
    assert shown["path"] == str(path)
    assert shown["route"] == ["api", "database"]
    assert shown["stack"] == ["Go", "Gin"]


def test_init_uses_the_claude_code_session_id(project: Path) -> None:
    result = run(project, "init", CLAUDE_CODE_SESSION_ID="abc-123")
    assert result.output.startswith("session: abc-123\n")


def test_every_verb_records_and_show_prints_it(project: Path) -> None:
    assert run(project, "action", "--session", "s1", "drafted", "the", "schema").output == (
        "started session s1; recorded action 1\n")
    out = run(project, "decision", "--session", "s1", "Use PostgreSQL", "--context", "Need SQL",
              "--decision", "PostgreSQL 16", "--consequences", "Backups",
              "--status", "proposed").output
    assert out.startswith("recorded decision 1 (")
    assert out.endswith("): Use PostgreSQL\n")
    assert run(project, "followup", "--session", "s1", "add an index").output == (
        "recorded follow-up 1\n")
    assert run(project, "done", "--session", "s1", "1").output == (
        "follow-up 1 done: add an index\n")
    assert run(project, "checkpoint", "--session", "s1", "schema", "drafted").output == (
        "checkpoint 1: schema drafted\n")

    markdown = run(project, "show", "--session", "s1").output
    assert "## Session `s1`" in markdown
    assert "1. drafted the schema (" in markdown
    assert "1. **Use PostgreSQL** (proposed, " in markdown
    assert "1. [x] add an index" in markdown
    assert "- **schema drafted** (" in markdown
    assert "1 action(s), 1 decision(s), 0 open and 1 done follow-up(s)" in markdown


def test_superseding_through_the_cli(project: Path) -> None:
    run(project, "decision", "--session", "s1", "Use MySQL", "--context", "c", "--decision", "d")
    out = run(project, "decision", "--session", "s1", "Use PostgreSQL", "--context", "c",
              "--decision", "d", "--supersedes", "1").output
    decisions = show(project)["decisions"]
    assert decisions[0]["status"] == "superseded"
    assert decisions[0]["superseded_by"] == decisions[1]["id"]
    assert f"supersedes {decisions[0]['id']}" in out


def test_list_shows_sessions_newest_first(project: Path) -> None:
    run(project, "action", "--session", "first", "x")
    run(project, "followup", "--session", "second", "y")
    listed = json.loads(run(project, "list", "--format", "json").output)
    assert [s["session_id"] for s in listed["sessions"]] == ["second", "first"]
    assert listed["sessions"][0]["open_followups"] == 1
    markdown = run(project, "list").output
    assert markdown.index("`second`") < markdown.index("`first`")


def test_list_without_sessions_says_how_to_start(project: Path) -> None:
    assert "state init" in run(project, "list").output


@pytest.mark.parametrize("args", [
    ("done", "--session", "s1", "3"),
    ("show", "--session", "nope"),
    ("action", "--session", "../escape", "x"),
    ("decision", "--session", "s1", "   ", "--context", "c", "--decision", "d"),
    ("decision", "--session", "s1", "T", "--context", "c", "--decision", "d",
     "--supersedes", "9"),
])
def test_expected_failures_are_one_line_and_exit_1(project: Path, args: tuple[str, ...]) -> None:
    run(project, "followup", "--session", "s1", "one")
    result = run(project, *args, code=1)
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith("backend-persona: ")
    assert "Traceback" not in result.stderr


def test_a_corrupt_session_gives_a_clear_error_then_recovers(project: Path) -> None:
    path = Path(run(project, "init", "--session", "s1").output.splitlines()[1].split(": ")[1])
    path.write_text("{corrupt")
    result = run(project, "action", "--session", "s1", "x", code=1)
    assert f"{path} is not valid JSON; moved it aside to s1.json.corrupt-" in result.stderr
    assert run(project, "action", "--session", "s1", "x").output.startswith("started session")


def test_missing_required_options_are_usage_errors(project: Path) -> None:
    result = run(project, "decision", "T", "--context", "c", code=2)
    assert "--decision" in result.output


def test_hostile_text_is_stored_as_data(project: Path, tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    hostile = f"it's \"quoted\" `touch {marker}` $(touch {marker}); touch {marker}\nnext"
    run(project, "followup", "--session", "s1", hostile)
    title = "Use `id` and $(id); it's \"fine\""
    run(project, "decision", "--session", "s1", title, "--context", hostile,
        "--decision", hostile)
    shown = show(project)
    followups, decisions = shown["followups"], shown["decisions"]
    assert followups[0]["text"] == hostile.replace("\n", " ")
    assert decisions[0]["context"] == hostile
    assert decisions[0]["title"] == title
    assert not marker.exists()


def test_prune_through_the_cli(project: Path) -> None:
    run(project, "action", "--session", "s1", "x")
    assert run(project, "prune", "--older-than", "1").output == (
        "removed 0 file(s), kept 1 session(s)\n")
    assert run(project, "prune", "--older-than", "0").output == (
        "removed 1 file(s), kept 0 session(s)\n  s1.json\n")


def test_init_reads_the_request_from_stdin_as_data(project: Path) -> None:
    request = "design the API; $(rm -rf /) `id` 'quoted'\nsecond line"
    result = CliRunner().invoke(
        cli, ["state", "init", "--session", "s1", "--stdin", "--project", str(project)],
        input=request)
    assert result.exit_code == 0, result.output
    assert show(project)["request"] == request


def test_a_project_path_that_is_not_utf8_still_gives_json(tmp_path: Path) -> None:
    project = Path(os.fsdecode(bytes(tmp_path) + b"/proj\xff"))
    project.mkdir()
    run(project, "decision", "--session", "s1", "T", "--context", "c", "--decision", "d")
    shown = show(project)
    assert shown["project_root"] == str(tmp_path) + "/proj\ufffd"
    listed = json.loads(run(project, "list", "--format", "json").output)
    assert listed["project_root"] == shown["project_root"]
    docs = CliRunner().invoke(cli, ["docs", "generate", str(project), "--format", "json"])
    assert docs.exit_code == 0, docs.output
    assert json.loads(docs.output)["root"] == shown["project_root"]


# -- --session on list and prune ---------------------------------------------------------


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
