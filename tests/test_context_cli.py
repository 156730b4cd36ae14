"""`backend-persona context` as a user and the slash command run it: exit codes and streams."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from backend_persona.cli import cli
from backend_persona.models import ProjectContext
from tests.conftest import RepoFactory

PYTHON = sys.executable
CONSOLE_SCRIPT = Path(PYTHON).parent / "backend-persona"
GO_SERVICE = {"go.mod": "module example.com/orders\n\ngo 1.22\n", "main.go": "package main\n"}


def invoke(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("output_format", ["markdown", "json"])
def test_non_repository_directory_exits_0_with_a_note(
    make_project: RepoFactory, output_format: str
) -> None:
    root = make_project(GO_SERVICE, git=False)

    code, out, err = invoke("context", str(root), "--format", output_format)

    assert (code, err) == (0, "")
    assert "not a git repository" in out


def test_default_path_is_the_working_directory(
    make_project: RepoFactory, chdir: Callable[[Path], None]
) -> None:
    root = make_project(GO_SERVICE, name="orders-svc")
    chdir(root)

    code, out, _ = invoke("context")

    assert code == 0
    assert out.startswith("## Project context: orders\n")
    assert f"- **Root:** `{root.resolve()}`" in out


def test_git_missing_from_path_exits_0_with_a_note(
    make_project: RepoFactory, tmp_path: Path
) -> None:
    root = make_project(GO_SERVICE)
    no_git = tmp_path / "bin-without-git"
    no_git.mkdir()

    code, out, err = invoke("context", str(root), env={"PATH": str(no_git)})

    assert (code, err) == (0, "")
    assert "- **Git:** git is not installed" in out
    assert "git is not installed; files were listed with .gitignore rules" in out
    assert "| Go | runtime | 1.22 |" in out


@pytest.mark.parametrize(
    ("make_path", "message"),
    [
        (lambda tmp: tmp / "does-not-exist", "does-not-exist: no such directory; check the "
                                             "path, or run from inside the project without one"),
        (lambda tmp: tmp / "file.txt", "file.txt: not a directory; pass the project's folder"),
    ],
    ids=["missing", "a-file"],
)
def test_bad_path_exits_1_with_one_line_and_no_traceback(
    tmp_path: Path, make_path: Callable[[Path], Path], message: str
) -> None:
    (tmp_path / "file.txt").write_text("x\n")
    path = make_path(tmp_path)

    code, out, err = invoke("context", str(path))

    assert code == 1
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith("backend-persona: ")
    assert err.rstrip("\n").endswith(message)
    assert "Traceback" not in err


def test_bad_path_in_a_real_process(tmp_path: Path) -> None:
    done = subprocess.run([PYTHON, "-m", "backend_persona", "context", str(tmp_path / "nope")],
                          capture_output=True, text=True, timeout=120, check=False)

    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.splitlines() == [f"backend-persona: {tmp_path / 'nope'}: no such directory;"
                                        " check the path, or run from inside the project "
                                        "without one"]


def test_unknown_format_is_a_usage_error(make_project: RepoFactory) -> None:
    root = make_project(GO_SERVICE)

    code, out, err = invoke("context", str(root), "--format", "yaml")

    assert code == 2  # click's usage-error code
    assert out == ""
    assert "Invalid value for '--format'" in err
    assert "Traceback" not in err


def test_json_validates_back_into_the_model(make_project: RepoFactory) -> None:
    root = make_project(GO_SERVICE)

    code, out, _ = invoke("context", str(root), "--format", "json")

    assert code == 0
    found = ProjectContext.model_validate_json(out)
    assert found.git.summary == "branch main"
    assert json.loads(out)["git"]["summary"] == "branch main"
    assert [t.name for t in found.technologies] == ["Go"]
    assert found.technologies[0].model_dump() == {
        "name": "Go", "category": "runtime", "version": "1.22", "versions": {".": "1.22"},
        "scope": "runtime", "evidence": ["go.mod:3"]}


def test_python_m_help_works_in_a_real_process() -> None:
    done = subprocess.run([PYTHON, "-m", "backend_persona", "context", "--help"],
                          capture_output=True, text=True, timeout=120, check=False)

    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Usage: backend-persona context [OPTIONS] [PATH]")
    assert "--format [markdown|json]" in done.stdout


@pytest.mark.skipif(not CONSOLE_SCRIPT.exists(), reason="package not installed in this venv")
def test_console_script_and_python_m_are_the_same_cli(make_project: RepoFactory) -> None:
    root = make_project(GO_SERVICE)
    runs = [
        subprocess.run([*argv, "context", str(root)], capture_output=True, text=True,
                       timeout=120, check=False)
        for argv in ([PYTHON, "-m", "backend_persona"], [str(CONSOLE_SCRIPT)])
    ]

    assert [r.returncode for r in runs] == [0, 0]
    assert runs[0].stdout == runs[1].stdout
    assert runs[0].stdout.startswith("## Project context: orders")


def test_markdown_output_matches_the_process_output(make_project: RepoFactory) -> None:
    root = make_project(GO_SERVICE)
    done = subprocess.run([PYTHON, "-m", "backend_persona", "context", str(root)],
                          capture_output=True, text=True, timeout=120, check=False)

    code, out, _ = invoke("context", str(root))

    assert (done.returncode, code) == (0, 0)
    assert done.stdout == out
    assert done.stderr == ""


def test_context_loads_no_other_command_module(make_project: RepoFactory) -> None:
    # Every slash command runs `context`: the other commands' modules cost it nothing.
    root = make_project(GO_SERVICE)
    script = "\n".join([
        "import os, sys",
        # The CLI ends with os._exit once its output is flushed, so no atexit hook runs.
        "_exit = os._exit",
        "os._exit = lambda code: (print(sorted(m for m in sys.modules",
        "                                      if m.startswith('backend_persona.cli.'))),",
        "                         sys.stdout.flush(), _exit(code))",
        f"sys.argv = ['backend-persona', 'context', {str(root)!r}, '--format', 'json']",
        "from backend_persona.cli import main",
        "main()",
    ])
    done = subprocess.run([PYTHON, "-c", script], capture_output=True, text=True, timeout=120,
                          check=False)

    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == str(["backend_persona.cli.context",
                                                "backend_persona.cli.exits",
                                                "backend_persona.cli.options"])
