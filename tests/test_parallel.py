"""The detectors on two cores: a forked helper's findings are the ones one process makes.

The console script's cold run lets discovery fork a helper (`discover.parallel`); the
answer, its notes and the paths the warm path's cache stats must not depend on it.
"""

from __future__ import annotations

import os
import pickle
from pathlib import Path

import pytest

from backend_persona.context import context_text
from backend_persona.discover import detectors, parallel
from backend_persona.discover.engine import _run_one
from backend_persona.discover.index import FileIndex
from backend_persona.discover.walker import index_directory
from tests.conftest import RepoFactory

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork on this platform")

FILES = {
    "go.mod": "module example.test/shop\n\ngo 1.22\n\nrequire github.com/jackc/pgx/v5 v5.7.1\n",
    "main.go": "package main\n",
    "web/package.json": '{"name": "web", "dependencies": {"express": "^4.19.2"}}\n',
    "docker-compose.yml": "services:\n  db:\n    image: postgres:16\n",
    # The helper's detectors read these: a Dockerfile, a migration, a workflow, a
    # controller, and a Dockerfile no detector can read (a note).
    "Dockerfile": "FROM golang:1.22\nRUN apt-get install -y curl\n",
    "worker/Dockerfile": b"FROM \x00 binary\n",
    "db/migrations/0001_init.up.sql": "CREATE TABLE orders (id bigint);\n",
    ".github/workflows/ci.yml": "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n"
                                "    steps:\n      - uses: actions/setup-go@v5\n",
    "api/src/main/java/shop/OrderController.java":
        "package shop;\n@RestController\nclass OrderController {}\n",
    "api/pom.xml": "<project><artifactId>api</artifactId></project>\n",
}


@pytest.mark.parametrize("output_format", ["markdown", "json"])
def test_the_helper_changes_nothing_in_the_answer(make_project: RepoFactory,
                                                   output_format: str) -> None:
    root = make_project(FILES)
    alone = context_text(root, output_format=output_format)  # type: ignore[arg-type]
    helped = context_text(root, output_format=output_format, helper=True)  # type: ignore[arg-type]
    assert helped == alone
    assert "worker/Dockerfile is binary; not read" in alone


def _findings(root: Path, *, helper: bool) -> tuple[FileIndex, dict[str, list[object]]]:
    index, _ = index_directory(root)
    found = parallel.run_detectors(index, detectors.DETECTORS,
                                   lambda i, name, d: _run_one(i, name, d, debug=False),
                                   helper=helper)
    return index, {name: [repr(f) for f in items] for name, items in found.items()}


def test_the_helpers_findings_notes_and_reads_come_back(make_project: RepoFactory) -> None:
    root = make_project(FILES)
    alone, expected = _findings(root, helper=False)
    helped, found = _findings(root, helper=True)
    assert found == expected
    assert sorted(found) == sorted(name for name, _ in detectors.DETECTORS)
    assert sorted(helped.notes) == sorted(alone.notes) != []
    # The warm path stats what the helper's detectors opened.
    assert helped.read_paths() == alone.read_paths()
    assert {"Dockerfile", "worker/Dockerfile"} <= helped.read_paths()


def test_a_helper_that_fails_costs_only_time(make_project: RepoFactory,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_project(FILES)
    alone, expected = _findings(root, helper=False)

    def broken(*args: object, **kwargs: object) -> bytes:
        raise RuntimeError("no pickling today")

    # The child cannot answer: its detectors run again in this process.
    monkeypatch.setattr(pickle, "dumps", broken)
    helped, found = _findings(root, helper=True)
    assert found == expected
    assert sorted(helped.notes) == sorted(alone.notes)
    assert helped.read_paths() == alone.read_paths()


def test_without_a_fork_the_detectors_run_here(make_project: RepoFactory,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_project(FILES)
    _, expected = _findings(root, helper=False)

    def no_fork() -> int:
        raise OSError("no process to spare")

    monkeypatch.setattr(os, "fork", no_fork)
    assert _findings(root, helper=True)[1] == expected
