"""`state inbox` and `--file`: text of any content reaches state without a shell."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from backend_persona.cli import cli
from tests.conftest import RepoFactory

# A JSON error shape, shell syntax, non-ASCII: what Claude Code refuses in a Bash command.
JSON_ERROR = ('Every error is {"error": {"code": "order_not_found", "message": "Order 42 was '
              'not found", "details": [{"field": "id"}]}}')
EXOTIC = "it's \"quoted\" `touch pwned` $(touch pwned) ${HOME} {'a': 1} é 日本 — ✓"
LONG = ("x{\"k\": `v`} " * 1_000)[:10_000].strip()
TEXTS = {"json": JSON_ERROR, "exotic": EXOTIC, "long": LONG}
VERBS = {"action": ("actions", "text"), "followup": ("followups", "text"),
         "checkpoint": ("checkpoints", "label")}


@pytest.fixture
def project(make_project: RepoFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return make_project({"main.go": "package main\n"})


def state(project: Path, *args: str, code: int = 0, session: str | None = "s1") -> Result:
    where = ["--session", session] if session else []
    result = CliRunner().invoke(cli, ["state", *args, *where, "--project", str(project)])
    assert result.exit_code == code, (result.output, result.stderr)
    return result


def inbox(session: str = "s1") -> Path:
    result = CliRunner().invoke(cli, ["state", "inbox", "--session", session])
    assert result.exit_code == 0, result.output
    return Path(result.output.strip())


def shown(project: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(state(project, "show", "--format", "json").output)
    return loaded


def test_the_inbox_is_a_private_folder_in_the_state_home_not_the_project(project: Path) -> None:
    path = inbox()
    home = Path(os.environ["BACKEND_PERSONA_STATE_DIR"])
    assert path == home / "inbox" / "s1.txt"
    assert (path.parent.stat().st_mode & 0o777) == 0o700
    assert not path.exists()
    assert project not in path.parents


def test_the_inbox_follows_claude_codes_session(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAUDE_CODE_SESSION_ID", "abc-123")
    result = CliRunner().invoke(cli, ["state", "inbox"])
    assert result.output.strip().endswith("/inbox/abc-123.txt")


@pytest.mark.parametrize("args", [(), ("--session", "../x")])
def test_the_inbox_needs_a_valid_session(args: tuple[str, ...]) -> None:
    result = CliRunner().invoke(cli, ["state", "inbox", *args])
    assert result.exit_code == 1
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("verb", VERBS)
@pytest.mark.parametrize("kind", TEXTS)
def test_text_from_the_inbox_is_recorded_exactly_and_the_file_removed(
        project: Path, verb: str, kind: str) -> None:
    text = TEXTS[kind] if verb != "checkpoint" else TEXTS[kind][:200].strip()
    path = inbox()
    path.write_text(text + "\n", encoding="utf-8")
    state(project, verb, "--file", str(path))
    field, key = VERBS[verb]
    assert shown(project)[field][0][key] == text
    assert not path.exists()
    assert list(Path.cwd().glob("pwned")) == []


@pytest.mark.parametrize("kind", TEXTS)
def test_a_json_decision_from_the_inbox_is_recorded_byte_for_byte(project: Path,
                                                                  kind: str) -> None:
    decision = {"title": "One error shape", "context": TEXTS[kind], "decision": JSON_ERROR,
                "consequences": EXOTIC, "status": "proposed"}
    path = inbox()
    path.write_text(json.dumps(decision, ensure_ascii=False, indent=2), encoding="utf-8")
    assert "recorded decision 1" in state(project, "decision", "--file", str(path)).output
    recorded = shown(project)["decisions"][0]
    assert {key: recorded[key] for key in decision} == decision
    assert not path.exists()


def test_init_records_the_request_from_the_inbox_and_prints_its_route(project: Path) -> None:
    request = 'design REST API for orders with errors like {"error": {"code": "x"}}'
    path = inbox()
    path.write_text(request, encoding="utf-8")
    result = state(project, "init", "--file", str(path))
    assert "## Route: api" in result.output
    session = shown(project)
    assert (session["request"], session["route"]) == (request, ["api"])
    assert not path.exists()


def test_an_explicit_route_is_recorded_as_given(project: Path) -> None:
    result = state(project, "init", "--request", "anything", "--route", "database")
    assert "## Route" not in result.output
    assert shown(project)["route"] == ["database"]


def test_a_refused_text_stays_in_the_inbox_to_be_fixed(project: Path) -> None:
    path = inbox()
    path.write_text('{"title": "t"}', encoding="utf-8")
    result = state(project, "decision", "--file", str(path), code=1)
    assert "is missing" in result.stderr
    assert path.exists()


@pytest.mark.parametrize("where", ["elsewhere", "nested", "relative", "suffix"])
def test_only_a_file_directly_in_the_inbox_is_read(project: Path, tmp_path: Path,
                                                   where: str) -> None:
    folder = inbox().parent
    target = {"elsewhere": tmp_path / "s1.txt", "nested": folder / "sub" / "s1.txt",
              "relative": Path("s1.txt"), "suffix": folder / "s1.json"}[where]
    if target.is_absolute():
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("keep me")
    result = state(project, "action", "--file", str(target), code=1)
    assert "only a .txt file directly in the inbox" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    if target.is_absolute():
        assert target.read_text() == "keep me"


def test_a_symlink_in_the_inbox_is_refused_and_its_target_kept(project: Path,
                                                               tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    secret.write_text("private")
    path = inbox()
    path.symlink_to(secret)
    result = state(project, "action", "--file", str(path), code=1)
    assert "symlink" in result.stderr
    assert secret.read_text() == "private"
    assert shown_actions(project) == []


def shown_actions(project: Path) -> list[Any]:
    result = CliRunner().invoke(cli, ["state", "show", "--session", "s1", "--project",
                                      str(project), "--format", "json"])
    return [] if result.exit_code else list(json.loads(result.output)["actions"])


@pytest.mark.parametrize("case", ["missing", "huge", "fifo"])
def test_a_missing_huge_or_special_inbox_file_is_one_line(project: Path, case: str) -> None:
    path = inbox()
    if case == "huge":
        path.write_bytes(b"x" * (512 * 1024 + 1))
    elif case == "fifo":
        os.mkfifo(path)
    result = state(project, "followup", "--file", str(path), code=1)
    assert len(result.stderr.strip().splitlines()) == 1
    assert {"missing": "no such file", "huge": "larger than",
            "fifo": "not a regular file"}[case] in result.stderr


def test_stdin_and_file_together_are_a_usage_error(project: Path) -> None:
    result = state(project, "action", "--stdin", "--file", str(inbox()), code=2)
    assert "not both" in result.output
