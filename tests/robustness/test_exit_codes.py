"""Exit codes and messages: 0 success, 1 expected failure, 2 usage error, 3 bug, 130 Ctrl-C.

An expected failure is one line on stderr that says what to do next; a bug is a traceback
and exit 3, and ``--debug`` adds detail to both.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from backend_persona.cli import cli
from backend_persona.errors import UserError
from tests.conftest import RepoFactory

NEXT_STEP = re.compile(r"`backend-persona [^`]*`|\b(check|run|try|see|move|choose|install|"
                       r"pass|use)\b", re.IGNORECASE)

Setup = Callable[[Path], list[str]]


def _no_session(root: Path) -> list[str]:
    return ["state", "show", "--project", str(root)]


def _unknown_followup(root: Path) -> list[str]:
    CliRunner().invoke(cli, ["state", "followup", "--project", str(root), "--session", "s",
                             "write", "tests"])
    return ["state", "done", "--project", str(root), "--session", "s", "9"]


def _bad_session_id(root: Path) -> list[str]:
    return ["state", "action", "--project", str(root), "--session", "../../etc", "x"]


def _unknown_supersedes(root: Path) -> list[str]:
    return ["state", "decision", "--project", str(root), "--context", "c", "--decision", "d",
            "--supersedes", "7", "Use", "Kafka"]


def _empty_title(root: Path) -> list[str]:
    return ["docs", "adr", "new", "--project", str(root), "  \n "]


def _missing_command_file(root: Path) -> list[str]:
    return ["render", str(root / "missing.md")]


def _command_file_without_frontmatter(root: Path) -> list[str]:
    (root / "plain.md").write_text("# no frontmatter\n")
    return ["render", str(root / "plain.md")]


def _nothing_installed(root: Path) -> list[str]:
    return ["uninstall", "--scope", "user"]


def _docs_symlink_loop(root: Path) -> list[str]:
    (root / "docs").symlink_to("docs")
    return ["docs", "generate", str(root)]


def _state_dir_is_a_file(root: Path) -> list[str]:
    (root / "state-file").write_text("")
    return ["state", "init", "--project", str(root / "state-file")]


EXPECTED_FAILURES: dict[str, Setup] = {
    "context of a missing folder": lambda root: ["context", str(root / "missing")],
    "context of a file": lambda root: ["context", str(root / "go.mod")],
    "docs of a missing folder": lambda root: ["docs", "generate", str(root / "missing")],
    "state show without a session": _no_session,
    "state done of an unknown follow-up": _unknown_followup,
    "state with a traversing session id": _bad_session_id,
    "state decision superseding nothing": _unknown_supersedes,
    "docs adr new with an empty title": _empty_title,
    "render of a missing file": _missing_command_file,
    "render of a file without frontmatter": _command_file_without_frontmatter,
    "uninstall with nothing installed": _nothing_installed,
    "state of a file instead of a project": _state_dir_is_a_file,
    "docs generate through a symlink loop": _docs_symlink_loop,
}


@pytest.fixture
def project(make_project: RepoFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("CLAUDE_CONFIG_DIR", str(tmp_path / "claude-config"))
    return make_project({"go.mod": "module example.test/shop\n\ngo 1.22\n"}, name="shop")


@pytest.mark.parametrize("case", list(EXPECTED_FAILURES))
@pytest.mark.parametrize("debug", [False, True], ids=["plain", "debug"])
def test_expected_failures_are_one_line_with_a_next_step_and_exit_1(
    project: Path, case: str, debug: bool,
) -> None:
    args = EXPECTED_FAILURES[case](project)

    result = CliRunner().invoke(cli, ["--debug", *args] if debug else args)

    assert isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    if debug:
        # --debug shows where the failure was raised, then the same one line.
        assert lines[0] == "Traceback (most recent call last):"
        assert "UserError" in result.stderr
    else:
        assert len(lines) == 1
        assert "Traceback" not in result.stderr
    assert lines[-1].startswith("backend-persona: ")
    assert NEXT_STEP.search(lines[-1].removeprefix("backend-persona: ")), lines[-1]


def test_a_message_with_line_breaks_still_prints_as_one_line(tmp_path: Path) -> None:
    folder = tmp_path / "two\nlines"

    result = CliRunner().invoke(cli, ["context", str(folder)])

    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1


def test_usage_errors_exit_2(project: Path) -> None:
    for args in (["context", "--format", "yaml"], ["no-such-command"], ["state", "done", "x"]):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 2, args
        assert "Usage:" in result.stderr


def run_with_bug(tmp_path: Path, *args: str, plant: str,
                 main: str = "backend_persona.entry") -> subprocess.CompletedProcess[str]:
    """Run the real entry point (or ``main``'s) after ``plant`` (Python) breaks something.

    The console script answers a plain ``context`` line without click, and hands a
    failure to the CLI: both must end the same way.
    """
    script = "\n".join([
        "import sys", plant, f"from {main} import main",
        f"sys.argv = ['backend-persona', *{list(args)!r}]", "main()",
    ])
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120, check=False, cwd=tmp_path)


BROKEN_ENGINE = """
import backend_persona.discover.engine as engine
def broken(*args, **kwargs):
    raise RuntimeError("planted bug")
engine.discover = broken
"""

BROKEN_DETECTOR = """
from backend_persona.discover import detectors
def broken(index):
    raise RuntimeError("planted detector bug")
detectors.DETECTORS = (*detectors.DETECTORS, ("zz-planted", broken))
"""


@pytest.mark.parametrize("main", ["backend_persona.entry", "backend_persona.cli"])
@pytest.mark.parametrize("debug", [False, True], ids=["plain", "debug"])
def test_a_bug_prints_a_traceback_and_exits_3(project: Path, tmp_path: Path,
                                             debug: bool, main: str) -> None:
    args = ["--debug"] if debug else []

    done = run_with_bug(tmp_path, *args, "context", str(project), plant=BROKEN_ENGINE,
                        main=main)

    assert done.returncode == 3
    assert done.stdout == ""
    assert done.stderr.startswith("Traceback (most recent call last):")
    assert "RuntimeError: planted bug" in done.stderr
    assert done.stderr.splitlines()[-1].startswith("backend-persona: internal error (exit 3)")
    # --debug adds the versions a bug report needs.
    assert ("backend-persona 0." in done.stderr and "Python 3." in done.stderr) == debug


def test_a_failing_detector_is_a_note_and_with_debug_a_bug(project: Path,
                                                          tmp_path: Path) -> None:
    plain = run_with_bug(tmp_path, "context", str(project), plant=BROKEN_DETECTOR)
    debug = run_with_bug(tmp_path, "--debug", "context", str(project), plant=BROKEN_DETECTOR)

    assert plain.returncode == 0, plain.stderr
    assert "detector zz-planted failed (RuntimeError)" in plain.stdout
    assert debug.returncode == 3
    assert "RuntimeError: planted detector bug" in debug.stderr


def _raising(error: BaseException) -> Callable[..., object]:
    def raise_it(*args: object, **kwargs: object) -> object:
        raise error
    return raise_it


def test_a_hint_is_the_next_step_and_without_one_help_is(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from backend_persona import route  # noqa: PLC0415

    monkeypatch.setattr(route, "route", _raising(UserError("it broke", hint="try again")))
    hinted = CliRunner().invoke(cli, ["route", "x"])
    monkeypatch.setattr(route, "route", _raising(UserError("it broke")))
    plain = CliRunner().invoke(cli, ["route", "x"])

    assert (hinted.exit_code, plain.exit_code) == (1, 1)
    assert hinted.stderr == "backend-persona: it broke; try again\n"
    assert plain.stderr == "backend-persona: it broke; see `backend-persona route --help`\n"


def test_ctrl_c_exits_130_with_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    from backend_persona import route  # noqa: PLC0415

    monkeypatch.setattr(route, "route", _raising(KeyboardInterrupt()))

    result = CliRunner().invoke(cli, ["route", "x"])

    assert result.exit_code == 130
    # click ends the terminal's ^C line first.
    assert result.stderr == "\nbackend-persona: interrupted\n"


def test_ctrl_c_in_a_real_process_exits_130(project: Path, tmp_path: Path) -> None:
    plant = BROKEN_ENGINE.replace('RuntimeError("planted bug")', "KeyboardInterrupt")

    done = run_with_bug(tmp_path, "context", str(project), plant=plant)

    assert done.returncode == 130
    assert done.stderr.splitlines()[-1] == "backend-persona: interrupted"
    assert "Traceback" not in done.stderr


def test_without_standalone_mode_errors_and_codes_reach_the_caller(project: Path) -> None:
    with pytest.raises(UserError):
        cli.main(["context", str(project / "missing")], standalone_mode=False)
    assert cli.main(["lint", "--format", "json"], standalone_mode=False) == 0
