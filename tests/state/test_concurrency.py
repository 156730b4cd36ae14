"""Concurrent writers lose nothing: 8 processes x 25 decisions keep exactly 200."""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
from pathlib import Path

import pytest

from backend_persona.state.session import Sessions
from tests.conftest import RepoFactory

PROCESSES = 8
DECISIONS_EACH = 25


def record_decisions(root: str, home: str, session: str | None, worker: int) -> None:
    """One writer process: its own store object, as a separate CLI run would have."""
    store = Sessions(Path(root), home=Path(home))
    for n in range(DECISIONS_EACH):
        store.add_decision(session, f"Decision {worker}-{n}", context="c", decision="d")


@pytest.mark.parametrize("session", ["shared", None], ids=["explicit-session", "latest-session"])
def test_eight_processes_by_25_decisions_keep_200(make_project: RepoFactory, tmp_path: Path,
                                                  session: str | None) -> None:
    root = make_project({"main.go": "package main\n"}, git=False).resolve()
    home = tmp_path / "state"
    # spawn, not fork: each writer starts from nothing, like a separate CLI process.
    spawn = multiprocessing.get_context("spawn")
    workers = [spawn.Process(target=record_decisions, args=(str(root), str(home), session, w))
               for w in range(PROCESSES)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=300)
    assert [w.exitcode for w in workers] == [0] * PROCESSES

    store = Sessions(root, home=home)
    sessions = store.summaries().sessions
    # Without --session the first writer starts a session and every other one joins it.
    assert len(sessions) == 1
    titles = [d.title for d in store.show(sessions[0].session_id).decisions]
    assert len(titles) == PROCESSES * DECISIONS_EACH
    assert set(titles) == {f"Decision {w}-{n}" for w in range(PROCESSES)
                           for n in range(DECISIONS_EACH)}
    # No temp file is left behind by any writer.
    assert sorted(p.name for p in store.directory.iterdir()) == sorted(
        [".lock", f"{sessions[0].session_id}.json"])


def test_concurrent_cli_writers_keep_every_record(make_project: RepoFactory) -> None:
    root = make_project({"main.go": "package main\n"}, git=False)
    command = [sys.executable, "-m", "backend_persona", "state", "followup", "--project",
               str(root), "--session", "cli"]
    running = [subprocess.Popen([*command, f"follow-up {n}"], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env=os.environ.copy())
               for n in range(6)]
    for process in running:
        _, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
    store = Sessions(root.resolve())
    texts = sorted(f.text for f in store.show("cli").followups)
    assert texts == [f"follow-up {n}" for n in range(6)]
