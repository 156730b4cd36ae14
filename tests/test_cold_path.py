"""The cold ``context`` path: no click and no pydantic for markdown, and the CLI's very bytes.

The console script answers a plain ``context`` line itself, from discovery's plain records
(`backend_persona.records`); pydantic is loaded for ``--format json`` alone.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from backend_persona.cli import cli
from tests.conftest import RepoFactory

FILES = {
    "go.mod": "module example.test/shop\n\ngo 1.22\n\nrequire github.com/jackc/pgx/v5 v5.7.1\n",
    "main.go": "package main\n",
    "web/package.json": '{"name": "web", "dependencies": {"express": "^4.19.2"}}\n',
    "docker-compose.yml": "services:\n  db:\n    image: postgres:16\n",
    "Dockerfile": "FROM golang:1.22\n",
}


def console(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``backend-persona ARGS`` as the console script runs it, with the imports it made."""
    return subprocess.run([sys.executable, "-X", "importtime", "-m", "backend_persona", *args],
                          capture_output=True, text=True, timeout=120, check=False, cwd=cwd)


def imported(stderr: str) -> set[str]:
    """The top-level packages that ``-X importtime`` says were imported."""
    return {line.rpartition("|")[2].strip().partition(".")[0]
            for line in stderr.splitlines() if line.startswith("import time:")}


@pytest.mark.parametrize("extra", [[], ["--focus", "go"]], ids=["whole", "focus"])
def test_markdown_loads_neither_click_nor_pydantic(make_project: RepoFactory, tmp_path: Path,
                                                    extra: list[str]) -> None:
    project = make_project(FILES, name="shop")

    done = console("context", "--no-cache", *extra, str(project), cwd=tmp_path)

    assert done.returncode == 0, done.stderr
    assert "## Project context: shop" in done.stdout
    assert {"click", "pydantic", "pydantic_core"}.isdisjoint(imported(done.stderr))


# Standard-library modules the markdown path has no use for, each milliseconds of import
# on every cold run: dataclasses alone imports inspect, ast, dis and tokenize; importlib's
# resources import zipfile and tempfile; TOML is parsed only when a repository has some;
# hashlib loads OpenSSL for digests the built-in modules make as well; shutil (with bz2 and
# lzma) only finds git outside a work tree.
OFF_THE_COLD_PATH = {"dataclasses", "inspect", "zipfile", "tempfile", "tomllib", "hashlib",
                     "shutil", "bz2", "lzma"}


def test_markdown_loads_no_module_it_has_no_use_for(make_project: RepoFactory,
                                                    tmp_path: Path) -> None:
    project = make_project(FILES, name="shop")

    # The first run compiles the catalog (TOML) and writes its cache (tempfile).
    first = console("context", "--no-cache", str(project), cwd=tmp_path)
    done = console("context", "--no-cache", str(project), cwd=tmp_path)

    assert first.returncode == done.returncode == 0, done.stderr
    assert done.stdout == first.stdout
    assert OFF_THE_COLD_PATH.isdisjoint(imported(done.stderr)), (
        OFF_THE_COLD_PATH & imported(done.stderr))


def test_json_loads_pydantic_but_not_click(make_project: RepoFactory, tmp_path: Path) -> None:
    project = make_project(FILES, name="shop")

    done = console("context", "--no-cache", "--format", "json", str(project), cwd=tmp_path)

    assert done.returncode == 0, done.stderr
    assert {"pydantic", "pydantic_core"} <= imported(done.stderr)
    assert "click" not in imported(done.stderr)


@pytest.mark.parametrize("extra", [[], ["--format", "json"], ["--focus", "node"],
                                   ["--format=json", "--focus=go"]])
def test_the_console_script_prints_what_the_cli_prints(make_project: RepoFactory,
                                                        tmp_path: Path, extra: list[str]) -> None:
    project = make_project(FILES, name="shop")

    done = console("context", *extra, str(project), cwd=tmp_path)
    through_click = CliRunner().invoke(cli, ["context", *extra, str(project)])

    assert done.returncode == through_click.exit_code == 0, done.stderr
    assert done.stdout == through_click.stdout


def test_a_focus_the_cli_refuses_is_its_usage_error(make_project: RepoFactory,
                                                     tmp_path: Path) -> None:
    project = make_project(FILES, name="shop")

    done = console("context", "--focus", "cobol", str(project), cwd=tmp_path)

    assert done.returncode == 2
    assert "Usage:" in done.stderr
    assert done.stdout == ""
