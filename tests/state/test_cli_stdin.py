"""`state action|decision|followup|checkpoint --stdin`: text arrives as data, never via a shell."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from backend_persona.cli import cli
from tests.conftest import RepoFactory

TEXT_VERBS = {"action": "actions", "followup": "followups", "checkpoint": "checkpoints"}
STORED_AS = {"actions": "text", "followups": "text", "checkpoints": "label"}
AWS_KEY_ID = "AKIAABCDEFGHIJKLMNOP"


@pytest.fixture
def project(make_project: RepoFactory) -> Path:
    return make_project({"main.go": "package main\n"})


@pytest.fixture
def marker(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The file the hostile text would create if a shell ever ran it (relative: short)."""
    monkeypatch.chdir(tmp_path)
    return Path("pwned")


def hostile(marker: Path) -> str:
    return (f"it's \"quoted\" `touch {marker}` $(touch {marker}); touch {marker} && "
            f"echo '\\'' \\$HOME\nsecond line password=hunter2 {AWS_KEY_ID}\n")


def state(project: Path, *args: str, stdin: str | None = None, code: int = 0) -> Result:
    result = CliRunner().invoke(cli, ["state", *args, "--project", str(project)], input=stdin)
    assert result.exit_code == code, (result.output, result.stderr)
    return result


def shown(project: Path, session: str = "s1") -> dict[str, Any]:
    out = state(project, "show", "--session", session, "--format", "json").output
    loaded: dict[str, Any] = json.loads(out)
    return loaded


def session_files() -> list[Path]:
    return sorted(Path(os.environ["BACKEND_PERSONA_STATE_DIR"]).glob("projects/*/*.json"))


# -- action, followup, checkpoint -------------------------------------------------------


@pytest.mark.parametrize("verb", TEXT_VERBS)
def test_text_from_stdin_is_stored_as_data(project: Path, marker: Path, verb: str) -> None:
    state(project, verb, "--session", "s1", "--stdin", stdin=hostile(marker))
    field = TEXT_VERBS[verb]
    stored = shown(project)[field][0][STORED_AS[field]]
    # One line, as the positional form stores it; the credentials are gone.
    assert stored == (f"it's \"quoted\" `touch {marker}` $(touch {marker}); touch {marker} && "
                      "echo '\\'' \\$HOME second line [redacted] [redacted]")
    assert not marker.exists()


@pytest.mark.parametrize("verb", TEXT_VERBS)
def test_stdin_and_words_store_the_same_text(project: Path, verb: str) -> None:
    state(project, verb, "--session", "s1", "--stdin", stdin="add an index on orders\n")
    state(project, verb, "--session", "s1", "add", "an", "index", "on", "orders")
    field = TEXT_VERBS[verb]
    texts = [item[STORED_AS[field]] for item in shown(project)[field]]
    assert texts == ["add an index on orders", "add an index on orders"]


@pytest.mark.parametrize("verb", TEXT_VERBS)
def test_text_over_the_limit_is_refused_whole(project: Path, marker: Path, verb: str) -> None:
    before = session_files()
    big = (hostile(marker) * 2_000)[:100_000]
    result = state(project, verb, "--session", "s1", "--stdin", stdin=big, code=1)
    assert result.stderr.count("\n") == 1
    assert "longer than" in result.stderr
    assert AWS_KEY_ID not in result.stderr
    assert not marker.exists()
    assert session_files() == before
    state(project, "show", "--session", "s1", code=1)


@pytest.mark.parametrize("verb", TEXT_VERBS)
def test_empty_stdin_is_an_empty_text(project: Path, verb: str) -> None:
    result = state(project, verb, "--session", "s1", "--stdin", stdin="\n", code=1)
    assert "is empty" in result.stderr


@pytest.mark.parametrize("verb", TEXT_VERBS)
@pytest.mark.parametrize(("args", "message"), [
    (("--stdin", "words"), "--stdin replaces"),
    ((), "missing"),
])
def test_text_comes_from_exactly_one_place(project: Path, verb: str, args: tuple[str, ...],
                                           message: str) -> None:
    result = state(project, verb, "--session", "s1", *args, stdin="from stdin\n", code=2)
    assert message in result.output
    assert "--stdin" in result.output


# -- decision ----------------------------------------------------------------------------


def test_decision_from_stdin_keeps_every_field_as_data(project: Path, marker: Path) -> None:
    text = hostile(marker)
    payload = {"title": f"Use `id` and $(touch {marker}); it's \"fine\"", "context": text,
               "decision": text * 100, "consequences": "END-s1\nEOF\n'", "status": "proposed"}
    out = state(project, "decision", "--session", "s1", "--stdin",
                stdin=json.dumps(payload) + "\n").output
    assert out.startswith("started session s1; recorded decision 1 (")
    decision = shown(project)["decisions"][0]
    redacted = text.replace(f"password=hunter2 {AWS_KEY_ID}", "[redacted] [redacted]").strip()
    assert decision["title"] == payload["title"]
    assert decision["context"] == redacted
    assert decision["decision"] == ((text * 100).replace(f"password=hunter2 {AWS_KEY_ID}",
                                                         "[redacted] [redacted]").strip())
    assert decision["consequences"] == "END-s1\nEOF\n'"
    assert decision["status"] == "proposed"
    assert not marker.exists()


def test_decision_as_yaml_blocks_keeps_every_field_as_data(project: Path,
                                                          marker: Path) -> None:
    text = hostile(marker)
    block = "".join(f"  {line}\n" for line in text.splitlines())
    yaml = (f"title: |\n  Use: PostgreSQL `touch {marker}`\ncontext: |\n{block}"
            f"decision: |\n  - not a list\n  # not a comment\n  {{\"not\": \"json\"}}\n"
            "status: proposed\n")
    state(project, "decision", "--session", "s1", "--stdin", stdin=yaml)
    decision = shown(project)["decisions"][0]
    assert decision["title"] == f"Use: PostgreSQL `touch {marker}`"
    assert decision["context"] == text.replace(f"password=hunter2 {AWS_KEY_ID}",
                                               "[redacted] [redacted]").strip()
    assert decision["decision"] == "- not a list\n# not a comment\n{\"not\": \"json\"}"
    assert decision["status"] == "proposed"
    assert not marker.exists()


def test_decision_from_stdin_supersedes_by_number_or_id(project: Path) -> None:
    first = {"title": "Use MySQL", "context": "c", "decision": "d"}
    state(project, "decision", "--session", "s1", "--stdin", stdin=json.dumps(first))
    old_id = shown(project)["decisions"][0]["id"]
    second = {"title": "Use PostgreSQL", "context": "c", "decision": "d", "supersedes": 1}
    out = state(project, "decision", "--session", "s1", "--stdin", stdin=json.dumps(second))
    assert out.output.rstrip().endswith(f"; it supersedes {old_id}")
    third = {"title": "Use SQLite", "context": "c", "decision": "d",
             "supersedes": shown(project)["decisions"][1]["id"]}
    state(project, "decision", "--session", "s1", "--stdin", stdin=json.dumps(third))
    assert [d["status"] for d in shown(project)["decisions"]] == [
        "superseded", "superseded", "accepted"]


@pytest.mark.parametrize(("stdin", "message"), [
    ("", "standard input must be one JSON object or YAML mapping with title, context"),
    ('{"title": "t", "context": "c"', "standard input is not valid JSON (EOF while parsing"),
    ('{"title": "t", "context": "c", "decision": "d"} {}', "not valid JSON (trailing"),
    ('["t", "c", "d"]', "standard input must be one JSON object or YAML mapping"),
    ("null", "standard input must be one JSON object or YAML mapping"),
    ("title: a: b\n", "neither a JSON object nor valid YAML (mapping values are not allowed "
                      "here at line 1, column 9)"),
    ("title: t\n---\ntitle: u\n", "neither a JSON object nor valid YAML (but found another "
                                   "document at line 2, column 1)"),
    ("title: 2026-01-02\ncontext: c\ndecision: d\n", 'the field "title" must be a string'),
    ("title: t\ncontext: c\ndecision: d\nstatus: yes\n", 'the field "status" must be one of'),
    ("title: t\ncontext: c\n", 'the field "decision" is missing'),
    ('{"title": "t", "decision": "d"}', 'the field "context" is missing'),
    ('{"context": "c", "decision": "d"}', 'the field "title" is missing'),
    ('{"title": "t", "context": "c"}', 'the field "decision" is missing'),
    ('{"title": "t", "context": "c", "decision": "d", "why": "x"}', 'unknown field "why"'),
    ('{"title": ["t"], "context": "c", "decision": "d"}', 'the field "title" must be a string'),
    ('{"title": "t", "context": 1, "decision": "d"}', 'the field "context" must be a string'),
    ('{"title": "t", "context": "c", "decision": "d", "status": "done"}',
     'the field "status" must be one of proposed, accepted, superseded'),
    ('{"title": "t", "context": "c", "decision": "d", "supersedes": true}',
     'the field "supersedes" must be a decision number or id'),
    ('{"title": "", "context": "c", "decision": "d"}', "title is empty"),
    ('{"title": "t", "context": "c", "decision": "d", "supersedes": 3}',
     "--supersedes 3: this session has 0 decision(s)"),
    # A digit to str.isdigit, not to int().
    ('{"title": "t", "context": "c", "decision": "d", "supersedes": "\u00b2"}',
     "--supersedes \u00b2: no such decision number or id"),
])
def test_a_bad_decision_is_one_line_naming_the_field(project: Path, stdin: str,
                                                        message: str) -> None:
    before = session_files()
    result = state(project, "decision", "--session", "s1", "--stdin", stdin=stdin, code=1)
    assert message in result.stderr
    assert result.stderr.startswith("backend-persona: ")
    assert result.stderr.count("\n") == 1
    assert session_files() == before


def test_decision_errors_never_echo_values(project: Path) -> None:
    payload = {"title": f"password=hunter2 {AWS_KEY_ID}", "context": 7, "decision": "d",
               f"x{AWS_KEY_ID}": "y"}
    result = state(project, "decision", "--session", "s1", "--stdin",
                   stdin=json.dumps(payload), code=1)
    assert 'the field "context" must be a string' in result.stderr
    assert "unknown field" in result.stderr
    assert "hunter2" not in result.stderr
    assert AWS_KEY_ID not in result.stderr.replace(f'"x{AWS_KEY_ID}"', "")


def test_a_huge_decision_is_refused_and_nothing_runs(project: Path, marker: Path) -> None:
    big = (hostile(marker) * 2_000)[:100_000]
    payload = {"title": "t", "context": big, "decision": "d"}
    result = state(project, "decision", "--session", "s1", "--stdin",
                   stdin=json.dumps(payload), code=1)
    assert "--context is longer than 20,000 characters" in result.stderr
    assert not marker.exists()
    state(project, "show", "--session", "s1", code=1)


@pytest.mark.parametrize(("args", "message"), [
    (("--stdin", "Title"), "--stdin replaces TITLE; give one or the other"),
    (("--stdin", "--context", "c"), "--stdin replaces --context;"),
    (("--stdin", "--status", "accepted"), "--stdin replaces --status;"),
    (("--stdin", "--supersedes", "1", "--consequences", ""),
     "--stdin replaces --consequences, --supersedes;"),
    (("Title", "--context", "c"), "missing --decision (or give --stdin or --file)"),
    ((), "missing TITLE, --context, --decision (or give --stdin or --file)"),
])
def test_decision_comes_from_arguments_or_stdin(project: Path, args: tuple[str, ...],
                                                message: str) -> None:
    valid = json.dumps({"title": "t", "context": "c", "decision": "d"})
    result = state(project, "decision", "--session", "s1", *args, stdin=valid, code=2)
    assert message in result.output
    state(project, "show", "--session", "s1", code=1)


def test_decision_options_still_work(project: Path) -> None:
    state(project, "decision", "--session", "s1", "Use", "PostgreSQL", "--context", "Need SQL",
          "--decision", "PostgreSQL 16", "--status", "proposed")
    decision = shown(project)["decisions"][0]
    assert (decision["title"], decision["context"], decision["status"]) == (
        "Use PostgreSQL", "Need SQL", "proposed")


# -- the JSON model on its own ------------------------------------------------------------
