"""Load, scaled down for the suite: concurrent context readers beside state writers.

``make bench`` runs the full size (16 readers, 8 writers, the 100,000-file repository)
through the same `bench.load.run_load`.
"""

from __future__ import annotations

import sys
from pathlib import Path

from bench.generator import FixtureSpec, ensure
from bench.load import run_load

FILES = 2_000


def test_readers_and_writers_at_once_all_succeed_and_no_decision_is_lost(
    tmp_path: Path,
) -> None:
    fixture = ensure(FixtureSpec("load", tracked=FILES, ignored=500), tmp_path / "work")

    report = run_load(fixture.root, [sys.executable, "-m", "backend_persona"], files=FILES,
                      readers=4, writers=4, per_writer=3, state_dir=tmp_path / "state")

    assert [r.detail for r in report.runs if not r.ok] == []
    assert len([r for r in report.runs if r.role == "reader"]) == 4
    assert report.missing == []
    assert report.decisions_found == 12
    assert report.ok
    assert report.lines()[-1].startswith("  PASS")
