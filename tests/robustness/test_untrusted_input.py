"""Untrusted request text stays data in route, render and state: no shell ever sees it.

Every payload tries to run ``touch CANARY`` in a way some shell would honour; the canary
must never appear, and what is stored or echoed must be the text itself.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from backend_persona.cli import cli
from backend_persona.state.inputs import MAX_REQUEST, clean_text, clean_title
from tests.conftest import RepoFactory

MEGABYTE = 1024 * 1024


def payloads(canary: Path) -> dict[str, str]:
    """Request texts that would create ``canary`` if any shell interpreted them."""
    touch = f"touch {canary}"
    return {
        "quotes": f"it's \"quoted\" '; {touch}; echo '",
        "backticks": f"use `{touch}` for the API",
        "subshell": f"design $({touch}) REST endpoints",
        "bang": f"!`{touch}` and the database",
        "chain": f"api && {touch} ; {touch} | cat",
        "newlines": f"first line\n{touch}\n\n  indented $(id)\r\nlast",
        "nul": f"before\0{touch}\0after",
        "variables": f"${{IFS}}{touch}${{HOME}} $CLAUDE_SESSION_ID $ARGUMENTS",
        "heredoc": f"x\nEND\n{touch}\ncat <<'END'",
        "escapes": f"\x1b[31mred\x1b[0m \u202e{touch} \x7f",
    }


def big(canary: Path) -> str:
    """A megabyte of request that ends in an injection."""
    return ("optimise the database " * (MEGABYTE // 22))[:MEGABYTE - 40] + f"$(touch {canary})"


def invoke(*args: str, input_text: str | None = None) -> Result:
    result = CliRunner().invoke(cli, list(args), input=input_text)
    assert isinstance(result.exception, SystemExit | None), result.exception
    return result


@pytest.fixture
def canary(tmp_path: Path) -> Path:
    return tmp_path / "INJECTED"


@pytest.fixture
def project(make_project: RepoFactory) -> Path:
    return make_project({"go.mod": "module example.test/shop\n\ngo 1.22\n"}, name="shop")


@pytest.mark.parametrize("name", list(payloads(Path("x"))))
def test_route_takes_every_payload_as_data(canary: Path, name: str) -> None:
    text = payloads(canary)[name]

    for args, stdin in ((["route", text], None), (["route", "--stdin"], text),
                        (["route", "--format", "json", "--stdin"], text)):
        result = invoke(*args, input_text=stdin)
        assert result.exit_code == 0, result.output
        assert str(canary) not in result.stdout  # the request is never echoed

    assert not canary.exists()


def test_route_reads_a_megabyte_with_nul_bytes_from_a_real_process(canary: Path) -> None:
    text = big(canary) + "\0api\0"

    done = subprocess.run([sys.executable, "-m", "backend_persona", "route", "--stdin",
                           "--format", "json"], input=text.encode(), capture_output=True,
                          timeout=120, check=False)

    assert done.returncode == 0, done.stderr
    assert [w["name"] for w in json.loads(done.stdout)["workflows"]] == ["api", "database",
                                                                          "performance"]
    assert not canary.exists()


@pytest.mark.parametrize("name", list(payloads(Path("x"))))
def test_state_stores_every_payload_as_the_text_itself(project: Path, canary: Path,
                                                       name: str) -> None:
    text = payloads(canary)[name]
    where = ("--project", str(project), "--session", "s1")

    assert invoke("state", "init", *where, "--request", text).exit_code == 0
    for kind in ("action", "followup", "checkpoint"):
        assert invoke("state", kind, *where, "--", text).exit_code == 0
    assert invoke("state", "decision", *where, "--context", text, "--decision", text,
                  "--consequences", text, "--", text).exit_code == 0
    shown = json.loads(invoke("state", "show", *where, "--format", "json").stdout)
    markdown = invoke("state", "show", *where).stdout

    title = clean_title(text)
    assert shown["request"] == clean_text(text, "request", None)
    assert shown["actions"][0]["text"] == title
    assert shown["followups"][0]["text"] == title
    assert shown["checkpoints"][0]["label"] == title
    decision = shown["decisions"][0]
    assert decision["title"] == title
    assert decision["context"] == decision["decision"] == decision["consequences"] == \
        clean_text(text, "--context")
    assert "\0" not in markdown and "\x1b" not in markdown
    assert not canary.exists()


def test_state_keeps_the_start_of_a_megabyte_request_and_refuses_a_megabyte_title(
    project: Path, canary: Path,
) -> None:
    where = ("--project", str(project), "--session", "s1")
    text = big(canary)

    assert invoke("state", "init", *where, "--request", text).exit_code == 0
    refused = invoke("state", "action", *where, "--", text)

    shown = json.loads(invoke("state", "show", *where, "--format", "json").stdout)
    assert shown["request"] == text[:MAX_REQUEST - 1] + "…"
    assert refused.exit_code == 1
    assert refused.stderr.count("\n") == 1 and "longer than" in refused.stderr
    assert not canary.exists()


COMMAND_FILE = """---
description: test command
allowed-tools: Bash(echo:*)
---
Before: !`echo ready`

<request>
$ARGUMENTS
</request>
Session ${CLAUDE_SESSION_ID}
"""


@pytest.mark.parametrize("name", [*payloads(Path("x")), "megabyte"])
def test_render_pastes_arguments_as_text_and_runs_none_of_them(
    tmp_path: Path, canary: Path, name: str, monkeypatch: pytest.MonkeyPatch,
) -> None:
    command = tmp_path / "probe.md"
    command.write_text(COMMAND_FILE)
    monkeypatch.chdir(tmp_path)
    text = big(canary) if name == "megabyte" else payloads(canary)[name]

    result = invoke("render", str(command), "--arguments", text)

    assert result.exit_code == 0, result.output
    assert "Before: ready" in result.stdout
    # Pasted verbatim, except that "!`" is escaped as Claude Code escapes it; click strips
    # terminal escapes from output that is not a terminal, and the runner reads \r\n as \n.
    pasted = click.unstyle(text.replace("!`", "\\! `")).replace("\r\n", "\n")
    assert f"<request>\n{pasted}\n</request>" in result.stdout
    assert not canary.exists()
