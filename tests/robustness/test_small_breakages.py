"""Small breakages end in exit 0 or a one-line exit 1, never a traceback and exit 3.

Each case reproduces a report of issue 9: text that is not UTF-8, a docs symlink loop,
deeply nested YAML, a session id that prefixes another, temp files of a killed writer,
a huge request to route, and repository or user text that reached stderr or a file
without redaction.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from backend_persona.cli import cli
from backend_persona.state.store import StateStore
from tests.conftest import RepoFactory
from tests.robustness.test_writes_contained import cli_process, snapshot

# What click hands a command for the byte 0xff in an argument, and what we store.
BAD_ARG = "bad\udcff"
BAD_BYTES = b"bad\xff"
STORED = "bad\ufffd"
TOKEN = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"
LONG_AGO = time.time() - 3600


def invoke(*args: str, stdin: bytes | str | None = None) -> Result:
    result = CliRunner().invoke(cli, list(args), input=stdin)
    # SystemExit is how click ends every run; anything else escaped as a bug (exit 3).
    assert isinstance(result.exception, SystemExit | None), result.exception
    return result


def ok(result: Result) -> Result:
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.stderr
    return result


def one_line_failure(result: Result) -> str:
    """Exit 1 and exactly one line on stderr, no traceback; returns the line."""
    lines = result.stderr.splitlines()
    assert result.exit_code == 1, result.output
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("backend-persona: ")
    return lines[0]


def empty_folders(root: Path) -> list[str]:
    """Folders below ``root`` with nothing in them (git's own folder aside)."""
    return [os.path.relpath(current, root) for current, dirs, files in os.walk(root)
            if not dirs and not files and ".git" not in Path(current).parts]


@pytest.fixture
def project(make_project: RepoFactory) -> Path:
    return make_project({"go.mod": "module example.test/shop\n\ngo 1.22\n"}, name="shop")


def shown_session(project: Path) -> dict[str, Any]:
    out = ok(invoke("state", "show", "--project", str(project), "--session", "s1",
                    "--format", "json")).stdout
    loaded: dict[str, Any] = json.loads(out)
    return loaded


# --- text that is not UTF-8 -----------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """A state verb given text that is not UTF-8, and where the text is stored."""

    verb: str
    args: tuple[str, ...]
    stdin: bytes | None
    stored: Callable[[dict[str, Any]], str]


def _first(kind: str, key: str) -> Callable[[dict[str, Any]], str]:
    return lambda shown: str(shown[kind][0][key])


ACTION, FOLLOWUP = _first("actions", "text"), _first("followups", "text")
CHECKPOINT, TITLE = _first("checkpoints", "label"), _first("decisions", "title")
DECISION_OPTIONS = ("--context", "c", "--decision", "d")

NOT_UTF8: dict[str, Text] = {
    "action argument": Text("action", ("--", BAD_ARG), None, ACTION),
    "action --stdin": Text("action", ("--stdin",), BAD_BYTES, ACTION),
    "followup argument": Text("followup", ("--", BAD_ARG), None, FOLLOWUP),
    "followup --stdin": Text("followup", ("--stdin",), BAD_BYTES, FOLLOWUP),
    "checkpoint argument": Text("checkpoint", ("--", BAD_ARG), None, CHECKPOINT),
    "checkpoint --stdin": Text("checkpoint", ("--stdin",), BAD_BYTES, CHECKPOINT),
    "init --request": Text("init", ("--request", BAD_ARG), None, lambda s: str(s["request"])),
    "init --stdin": Text("init", ("--stdin",), BAD_BYTES, lambda s: str(s["request"])),
    "decision title argument": Text("decision", (*DECISION_OPTIONS, "--", BAD_ARG), None,
                                    TITLE),
    "decision --context argument": Text("decision", ("--context", BAD_ARG, "--decision", "d",
                                                     "Title"), None,
                                        _first("decisions", "context")),
    "decision --stdin YAML": Text("decision", ("--stdin",),
                                  b"title: " + BAD_BYTES + b"\ncontext: c\ndecision: d\n", TITLE),
    "decision --stdin JSON": Text("decision", ("--stdin",),
                                  b'{"title": "' + BAD_BYTES + b'", "context": "c", '
                                  b'"decision": "d"}', TITLE),
    # A YAML escape makes a lone surrogate that no byte stands for.
    "decision --stdin YAML escape": Text("decision", ("--stdin",),
                                         b'title: "bad\\ud800"\ncontext: c\ndecision: d\n',
                                         TITLE),
}


@pytest.mark.parametrize("case", list(NOT_UTF8))
def test_text_that_is_not_utf8_is_stored_with_replacement_characters(project: Path,
                                                                     case: str) -> None:
    text = NOT_UTF8[case]

    result = invoke("state", text.verb, "--project", str(project), "--session", "s1",
                    *text.args, stdin=text.stdin)

    ok(result)
    assert text.stored(shown_session(project)) == STORED
    assert "\udcff" not in result.stdout


@pytest.mark.parametrize("how", ["argument", "stdin"])
def test_a_real_process_stores_bytes_that_are_not_utf8(project: Path, how: str) -> None:
    # The operating system decodes argv here, not CliRunner: the path users really take.
    command: list[str | bytes] = [sys.executable, "-m", "backend_persona", "state", "action",
                                  "--project", str(project), "--session", "s1"]
    command += ["--", BAD_BYTES] if how == "argument" else ["--stdin"]

    done = subprocess.run(command, input=BAD_BYTES if how == "stdin" else b"",
                          capture_output=True, timeout=120, check=False)

    assert done.returncode == 0, done.stderr
    assert ACTION(shown_session(project)) == STORED


def test_adr_new_with_a_title_that_is_not_utf8_writes_it_and_no_empty_folder(
    project: Path,
) -> None:
    result = ok(invoke("docs", "adr", "new", "--project", str(project), "--", BAD_ARG, "x"))

    adr = project / "docs/architecture/decisions/0001-bad-x.md"
    assert "created   docs/architecture/decisions/0001-bad-x.md" in result.stdout
    assert adr.read_text(encoding="utf-8").startswith(f"# 1. {STORED} x\n")
    assert empty_folders(project) == []


@pytest.mark.parametrize("command", [
    ("docs", "adr", "new", "--project", "{root}", "Use", "Kafka"),
    ("docs", "generate", "{root}"),
])
def test_a_refused_docs_write_leaves_no_empty_folder_behind(project: Path,
                                                            command: tuple[str, ...]) -> None:
    # RLIMIT_FSIZE makes the first file write fail after the folders were created.
    done = cli_process(*(part.format(root=project) for part in command), limit=100)

    assert "File too large" in one_line_failure_of(done)
    assert not (project / "docs").exists()
    assert not (project / ".adr-dir").exists()


def one_line_failure_of(done: subprocess.CompletedProcess[str]) -> str:
    lines = done.stderr.splitlines()
    assert done.returncode == 1, done.stderr
    assert len(lines) == 1, done.stderr
    return lines[0]


# --- docs symlink loops ---------------------------------------------------------------------


LOOPS: dict[str, dict[str, str]] = {
    "docs -> docs": {"docs": "docs"},
    "docs -> d2 -> docs": {"docs": "d2", "d2": "docs"},
    "docs/architecture -> ../docs/architecture": {"docs/architecture": "../docs/architecture"},
    "decisions -> decisions": {"docs/architecture/decisions": "decisions"},
}


@pytest.mark.parametrize("case", list(LOOPS))
@pytest.mark.parametrize("command", ["generate", "adr new"])
def test_a_docs_symlink_loop_is_one_line_and_writes_nothing(project: Path, case: str,
                                                            command: str) -> None:
    for link, target in LOOPS[case].items():
        (project / link).parent.mkdir(parents=True, exist_ok=True)
        (project / link).symlink_to(target)
    before = snapshot(project)
    args = (["docs", "generate", str(project)] if command == "generate"
            else ["docs", "adr", "new", "--project", str(project), "Use", "Kafka"])

    line = one_line_failure(invoke(*args))

    assert "is a symbolic link loop" in line
    assert snapshot(project) == before


def test_a_docs_folder_linked_back_up_is_not_a_loop_and_stays_inside(project: Path) -> None:
    (project / "docs").mkdir()
    (project / "docs/architecture").symlink_to("../docs")

    ok(invoke("docs", "generate", str(project)))

    assert (project / "docs/decisions/README.md").is_file()
    assert (project / "docs/README.md").is_file()


# --- deeply nested YAML ---------------------------------------------------------------------


DEEP_YAML: dict[str, str] = {
    "flow sequences": "[" * 100_000,
    "flow mappings": "title: " + "{a: " * 100_000,
    "block sequences": "- " * 100_000 + "x\n",
    "block mappings": "".join(" " * depth + "k:\n" for depth in range(1_000)),
}


@pytest.mark.parametrize("case", list(DEEP_YAML))
def test_deep_yaml_on_decision_stdin_is_one_line(project: Path, case: str) -> None:
    result = invoke("state", "decision", "--project", str(project), "--session", "s1",
                    "--stdin", stdin=DEEP_YAML[case])

    assert "nested deeper than 32 levels" in one_line_failure(result)
    assert not StateStore(project.resolve()).session_files()


@pytest.mark.parametrize("case", list(DEEP_YAML))
def test_deep_frontmatter_is_a_lint_finding(tmp_path: Path, case: str) -> None:
    command = tmp_path / "deep.md"
    command.write_text(f"---\n{DEEP_YAML[case]}\n---\nbody\n")

    result = invoke("lint", str(command))

    assert result.exit_code == 1
    assert result.stderr == ""
    assert f"{command}:1: error FM001 frontmatter is nested deeper than 32 levels" in \
        result.stdout


def test_deep_json_on_decision_stdin_is_one_line(project: Path) -> None:
    result = invoke("state", "decision", "--project", str(project), "--session", "s1",
                    "--stdin", stdin='{"title": ' + "[" * 100_000)

    assert "is not valid JSON" in one_line_failure(result)


# --- prune --session --------------------------------------------------------------------------


def test_prune_of_one_session_leaves_sessions_it_prefixes(project: Path) -> None:
    for session in ("a", "a.b", "ab", "a-b", "b.a"):
        ok(invoke("state", "init", "--project", str(project), "--session", session))
    folder = StateStore(project.resolve()).directory
    (folder / "a.json.corrupt-20260101T000000000000Z").write_text("{")
    (folder / "a.b.json.corrupt-20260101T000000000000Z").write_text("{")

    result = ok(invoke("state", "prune", "--project", str(project), "--older-than", "0",
                       "--session", "a"))

    assert result.stdout.splitlines()[0] == "removed 2 file(s), kept 0 session(s)"
    assert sorted(p.name for p in folder.iterdir() if not p.name.startswith(".")) == [
        "a-b.json", "a.b.json", "a.b.json.corrupt-20260101T000000000000Z", "ab.json",
        "b.a.json"]


# --- temp files of a killed writer ----------------------------------------------------------


def plant(folder: Path, name: str, *, stale: bool = True) -> Path:
    path = folder / name
    path.write_text("half a write")
    if stale:
        os.utime(path, (LONG_AGO, LONG_AGO))
    return path


def test_state_writes_remove_stale_temp_files_and_keep_a_live_one(project: Path) -> None:
    where = ("--project", str(project), "--session", "s1")
    ok(invoke("state", "init", *where))
    folder = StateStore(project.resolve()).directory
    stale = plant(folder, ".s1.json.k2j3h4k5.tmp")
    live = plant(folder, ".s1.json.a1b2c3d4.tmp", stale=False)
    foreign = plant(folder, ".notes.txt.k2j3h4k5.tmp")
    (folder / ".s2.json.zzzzzzzz.tmp").mkdir()
    (folder / ".s3.json.yyyyyyyy.tmp").symlink_to(foreign)

    ok(invoke("state", "action", *where, "wrote", "tests"))

    assert not stale.exists()
    assert live.exists() and foreign.exists()
    assert (folder / ".s2.json.zzzzzzzz.tmp").is_dir()
    assert (folder / ".s3.json.yyyyyyyy.tmp").is_symlink()


def test_docs_remove_stale_temp_files_of_their_own_files_only(project: Path) -> None:
    ok(invoke("docs", "generate", str(project)))
    decisions = project / "docs/architecture/decisions"
    stale = [plant(decisions, ".README.md.k2j3h4k5.tmp"),
             plant(decisions, ".0001-use-kafka.md.k2j3h4k5.tmp"),
             plant(decisions.parent, ".README.md.k2j3h4k5.tmp"),
             plant(project, "..adr-dir.k2j3h4k5.tmp")]
    kept = [plant(decisions, ".README.md.a1b2c3d4.tmp", stale=False),
            plant(project, ".README.md.k2j3h4k5.tmp"),
            plant(decisions.parent, ".notes.md.k2j3h4k5.tmp")]

    ok(invoke("docs", "generate", str(project)))

    assert [p for p in stale if p.exists()] == []
    assert [p for p in kept if not p.exists()] == []


# --- route on a huge request ----------------------------------------------------------------


def test_route_reads_ten_megabytes_from_stdin() -> None:
    text = ("tune the slow queries " * 500_000)[:10 * 1024 * 1024] + " behind a REST API"

    result = ok(invoke("route", "--stdin", "--format", "json", stdin=text))

    routed = json.loads(result.stdout)
    assert [w["name"] for w in routed["workflows"]] == ["api", "database", "performance"]
    assert routed["workflows"][0]["matched"] == ["api", "rest"]


# --- nothing unredacted reaches stderr or the docs ------------------------------------------


@pytest.mark.parametrize(("name", "shown"), [
    (TOKEN, "[redacted]"),
    ("svc\u202ecod", "svc\\u202ecod"),
    ("line\u2028break", "line\\u2028break"),
])
def test_an_error_line_is_redacted_and_prompt_safe(tmp_path: Path, name: str,
                                                   shown: str) -> None:
    line = one_line_failure(invoke("context", str(tmp_path / name)))

    assert TOKEN not in line
    assert "\u202e" not in line and "\u2028" not in line
    assert shown in line


def test_an_adr_dir_file_is_never_echoed_unredacted(project: Path) -> None:
    # A folder named like a credential is refused: its name would be in every report line.
    (project / ".adr-dir").write_text(f"{TOKEN}\n")

    result = invoke("docs", "generate", str(project))

    line = one_line_failure(result)
    assert ".adr-dir names a folder that cannot be shown as it is ('[redacted]')" in line
    assert TOKEN not in result.output
    assert not (project / TOKEN).exists()


def test_mermaid_labels_are_redacted_and_prompt_safe(make_project: RepoFactory) -> None:
    root = make_project({
        f"{TOKEN}/go.mod": (f"module example.test/{TOKEN}\n\ngo 1.22\n\n"
                            "require github.com/lib/pq v1.10.9\n"),
        "svc\u202ecod/go.mod": "module example.test/svc\n\ngo 1.22\n",
    })

    ok(invoke("docs", "generate", str(root)))

    readme = (root / "docs/architecture/README.md").read_text(encoding="utf-8")
    chart = readme[readme.index("```mermaid"):]
    chart = chart[:chart.index("```", 3)]
    assert TOKEN not in readme and "\u202e" not in readme
    assert '["redacted  ( redacted )"]' in chart
    assert "svc u202ecod" in chart


def test_state_stores_user_text_prompt_safe(project: Path) -> None:
    where = ("--project", str(project), "--session", "s1")

    ok(invoke("state", "action", *where, "--", f"one\u2028two \u202eevil {TOKEN}"))

    assert ACTION(shown_session(project)) == "one\\u2028two \\u202eevil [redacted]"
