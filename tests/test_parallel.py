"""The detectors on two cores: a forked helper's findings are the ones one process makes.

The console script's cold run lets discovery fork a helper (`discover.parallel`); the
answer, its notes and the paths the warm path's cache stats must not depend on it.
"""

from __future__ import annotations

import os
import pickle
import threading
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from backend_persona.context import context_text
from backend_persona.discover import detectors, parallel
from backend_persona.discover.engine import _run_one
from backend_persona.discover.index import FileIndex
from backend_persona.discover.languages import summarize_tests
from backend_persona.discover.readlog import ReadLog, conflicts
from backend_persona.discover.registry import Finding
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


def _findings(root: Path, *, helper: bool) -> tuple[FileIndex, dict[str, list[str]]]:
    index, _ = index_directory(root)
    found, tests = parallel.run_detectors(index, detectors.DETECTORS,
                                          lambda i, name, d: _run_one(i, name, d, debug=False),
                                          partial(summarize_tests, index), helper=helper)
    assert repr(tests) == repr(summarize_tests(index))
    return index, {name: [repr(f) for f in items] for name, items in found.items()}


def _spy(monkeypatch: pytest.MonkeyPatch, name: str) -> list[object]:
    """What each call of ``parallel.<name>`` answered, in order."""
    answers: list[object] = []
    real = getattr(parallel, name)

    def spy(*args: object) -> object:
        answers.append(answer := real(*args))
        return answer

    monkeypatch.setattr(parallel, name, spy)
    return answers


def test_the_helpers_findings_notes_and_reads_come_back(make_project: RepoFactory,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_project(FILES)
    alone, expected = _findings(root, helper=False)
    replies, clashes = _spy(monkeypatch, "_finish"), _spy(monkeypatch, "conflicts")
    helped, found = _findings(root, helper=True)
    # The helper answered and its answer was taken, not run again here.
    assert len(replies) == 1 and replies[0] is not None
    assert clashes == [False]
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
    replies = _spy(monkeypatch, "_finish")
    helped, found = _findings(root, helper=True)
    assert replies == [None]
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


# A workflow whose head, 16 KiB, is not its whole text's first 16,384 characters: the emoji
# take four bytes each. The code marker for GHCR sits past the head's end.
WIDE_WORKFLOW = ("name: \U0001f680 release\n" + "# \U0001f680\n" * 3000
                 + "on: push\njobs:\n  p:\n    runs-on: ubuntu-latest\n    steps:\n"
                   "      - uses: docker/login-action@v3\n        with:\n"
                   "          registry: ghcr.io\n")


def test_reads_that_one_process_would_answer_otherwise_run_again_in_order(
        make_project: RepoFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_project({**FILES, ".github/workflows/release.yml": WIDE_WORKFLOW})
    alone, expected = _findings(root, helper=False)
    # The workflow's readers in this process, its code markers in the helper: one process
    # would hand the markers the whole text's start, which names GHCR.
    monkeypatch.setattr(parallel, "HELPER_DETECTORS",
                        parallel.HELPER_DETECTORS - {"ci", "compose"})
    restarts: list[int] = []
    real = FileIndex.restart

    def restart(self: FileIndex, notes: list[str], memo: dict[str, object]) -> None:
        restarts.append(1)
        real(self, notes, memo)

    monkeypatch.setattr(FileIndex, "restart", restart)
    replies, clashes = _spy(monkeypatch, "_finish"), _spy(monkeypatch, "conflicts")
    helped, found = _findings(root, helper=True)
    # The helper answered; its reads clashed with this process's, so all ran again here.
    assert len(replies) == 1 and replies[0] is not None
    assert clashes == [True]
    assert restarts == [1]
    assert found == expected
    assert any("GitHub Container Registry" in f for f in found["markers"])
    assert sorted(helped.notes) == sorted(alone.notes)
    assert helped.read_paths() == alone.read_paths()


def test_a_read_log_says_which_reads_another_process_would_change() -> None:
    mine, theirs = ReadLog(), ReadLog()
    assert not conflicts(mine, theirs)
    mine.rank, theirs.rank = 5, 2
    mine.first_head("a.yml", 4096, False)
    mine.read_head("a.yml", 4096, "ascii only")
    theirs.read_whole("a.yml", True)
    assert not conflicts(mine, theirs)  # an ASCII head as long as asked is the text's start
    mine.read_head("a.yml", 8192, "ascii only")
    assert conflicts(mine, theirs)  # longer asked: the text's start says more
    other = ReadLog()
    other.rank = 9
    other.read_whole("a.yml", True)
    assert not conflicts(mine, other)  # read whole only by a later detector
    limited = ReadLog()
    limited.read_whole("big.sh", False)
    unlimited = ReadLog()
    unlimited.read_whole("big.sh", True)
    assert conflicts(limited, unlimited)
    small, large = ReadLog(), ReadLog()
    small.first_head("x.go", 512, False)
    large.first_head("x.go", 16384, True)
    assert conflicts(small, large)
    small.heads["x.go"] = (512, True)
    assert not conflicts(small, large)


def test_with_another_thread_alive_nothing_forks(make_project: RepoFactory,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_project(FILES)
    _, expected = _findings(root, helper=False)
    forks: list[int] = []
    real_fork = os.fork

    def counted_fork() -> int:
        forks.append(1)
        return real_fork()

    monkeypatch.setattr(os, "fork", counted_fork)
    release = threading.Event()
    waiting = threading.Thread(target=release.wait)
    waiting.start()
    try:
        assert _findings(root, helper=True)[1] == expected
    finally:
        release.set()
        waiting.join()
    assert forks == []


def test_an_interrupted_run_ends_and_reaps_its_helper(make_project: RepoFactory,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_project(FILES)
    parent = os.getpid()
    children: list[int] = []
    real_fork, real_run = os.fork, parallel._run

    def recorded_fork() -> int:
        child = real_fork()
        if child:
            children.append(child)
        return child

    def interrupted(*args: Any) -> dict[str, list[Finding]]:
        if os.getpid() == parent:
            raise KeyboardInterrupt
        return real_run(*args)

    monkeypatch.setattr(os, "fork", recorded_fork)
    monkeypatch.setattr(parallel, "_run", interrupted)
    with pytest.raises(KeyboardInterrupt):
        _findings(root, helper=True)
    assert len(children) == 1
    with pytest.raises(ChildProcessError):  # already reaped: no zombie, no orphan at work
        os.waitpid(children[0], os.WNOHANG)



@pytest.mark.parametrize("git", [True, False])
def test_hostile_links_and_fifos_read_the_same_in_the_helper(
        make_project: RepoFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        git: bool) -> None:
    # The checkout is the attacker's: a manifest and a workflow linked to files outside it, a
    # folder linked outside, and FIFOs where the helper's detectors read (Compose, Dockerfile).
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "package.json").write_text('{"dependencies": {"next": "14.2.0"}}\n')
    (outside / "ci.yml").write_text("on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n"
                                    "    steps:\n      - uses: aws-actions/amazon-ecr-login@v2\n")
    root = make_project(FILES, git=git)
    (root / "app").mkdir()
    (root / "app" / "package.json").symlink_to(outside / "package.json")
    (root / ".github/workflows/deploy.yml").symlink_to(outside / "ci.yml")
    (root / "linked").symlink_to(outside, target_is_directory=True)
    os.mkfifo(root / "compose.yaml")
    os.mkfifo(root / "api" / "Dockerfile")
    alone = context_text(root, output_format="json")
    replies = _spy(monkeypatch, "_finish")
    helped = context_text(root, output_format="json", helper=True)
    assert len(replies) == 1 and replies[0] is not None  # the helper ran and answered
    assert helped == alone
    assert "Next.js" not in alone and "Amazon ECR" not in alone
