"""Load: many ``context`` readers at once while several writers record decisions.

Readers and writers are real processes started together. A reader passes when it exits 0
and its JSON validates into `ProjectContext` with the expected file count; a writer
records its decisions one process at a time into one shared session, and afterwards every
decision must be in the state file: none lost to a race.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import tempfile
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

SESSION = "load-test"


@dataclass(frozen=True)
class Run:
    """One process: what it was, how long it took, and whether it did its job."""

    role: str
    seconds: float
    ok: bool
    detail: str = ""


@dataclass
class LoadReport:
    """Every run of a load test, and the decisions found afterwards."""

    readers: int
    writers: int
    per_writer: int
    files: int
    wall_seconds: float
    runs: list[Run] = field(default_factory=list)
    decisions_found: int = 0
    missing: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Every process succeeded and every decision was found."""
        return all(r.ok for r in self.runs) and not self.missing and \
            self.decisions_found == self.writers * self.per_writer

    def lines(self) -> list[str]:
        """The report as printed by ``make bench``."""
        rows = [
            f"load: {self.readers} concurrent `context --format json` runs on {self.files:,} "
            f"files while {self.writers} writers record {self.per_writer} decision(s) each "
            "into one session",
            f"  wall time {self.wall_seconds:.1f} s; machine: {os.cpu_count()} CPUs",
        ]
        for role in ("reader", "writer"):
            mine = [r for r in self.runs if r.role == role]
            times = sorted(r.seconds for r in mine)
            failed = [r for r in mine if not r.ok]
            unit = "run" if role == "reader" else "decision"
            rows.append(
                f"  {role}s: {len(mine) - len(failed)}/{len(mine)} succeeded; seconds per "
                f"{unit}: median {statistics.median(times):.2f}, max {times[-1]:.2f}"
            )
            rows += [f"    FAILED {role}: {r.detail[:200]!r}" for r in failed[:3]]
        expected = self.writers * self.per_writer
        rows.append(f"  decisions: {self.decisions_found}/{expected} recorded, "
                    f"{len(self.missing)} lost")
        rows.append(f"  {'PASS' if self.ok else 'FAIL'}  all succeed and no decision is lost")
        return rows


def _reader(argv0: Sequence[str], root: Path, files: int, env: dict[str, str]) -> Run:
    from backend_persona.models import ProjectContext  # noqa: PLC0415

    started = time.perf_counter()
    done = subprocess.run([*argv0, "context", str(root), "--format", "json"], env=env,
                          capture_output=True, text=True, timeout=600, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        return Run("reader", seconds, False, f"exit {done.returncode}: {done.stderr}")
    context = ProjectContext.model_validate_json(done.stdout)
    if context.file_count != files:
        return Run("reader", seconds, False, f"{context.file_count} files, expected {files}")
    return Run("reader", seconds, True)


def _writer(argv0: Sequence[str], root: Path, number: int, count: int,
            env: dict[str, str]) -> list[Run]:
    runs = []
    for index in range(count):
        started = time.perf_counter()
        done = subprocess.run(
            [*argv0, "state", "decision", "--project", str(root), "--session", SESSION,
             "--context", f"load test writer {number}", "--decision", f"decision {index}",
             "--", title(number, index)],
            env=env, capture_output=True, text=True, timeout=600, check=False,
        )
        runs.append(Run("writer", time.perf_counter() - started, done.returncode == 0,
                        done.stderr))
    return runs


def title(writer: int, index: int) -> str:
    """The title writer ``writer`` gives its decision ``index``."""
    return f"Writer {writer} decision {index}"


def run_load(root: Path, argv0: Sequence[str], *, files: int, readers: int = 16,
             writers: int = 8, per_writer: int = 5, state_dir: Path | None = None) -> LoadReport:
    """Run ``readers`` context processes and ``writers`` decision writers at once on ``root``.

    Args:
        root: A committed repository.
        argv0: How to start backend-persona, such as ``[".venv/bin/backend-persona"]``.
        files: The file count every reader must report.
        readers: Concurrent ``context`` runs.
        writers: Concurrent writers, each recording ``per_writer`` decisions in turn.
        state_dir: The state folder to use; a fresh temporary one by default, so that a
            benchmark never touches the user's own state.

    Returns:
        The report; ``ok`` says whether every run succeeded and no decision was lost.
    """
    with tempfile.TemporaryDirectory(prefix="bench-load-") as scratch:
        env = {**os.environ, "BACKEND_PERSONA_STATE_DIR": str(state_dir or Path(scratch))}
        env.pop("CLAUDE_CODE_SESSION_ID", None)
        report = LoadReport(readers=readers, writers=writers, per_writer=per_writer,
                            files=files, wall_seconds=0.0)
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=readers + writers) as pool:
            reading = [pool.submit(_reader, argv0, root, files, env) for _ in range(readers)]
            writing = [pool.submit(_writer, argv0, root, n, per_writer, env)
                       for n in range(writers)]
            report.runs = [f.result() for f in reading]
            report.runs += [run for f in writing for run in f.result()]
        report.wall_seconds = time.perf_counter() - started
        _count_decisions(report, argv0, root, env)
    return report


def _count_decisions(report: LoadReport, argv0: Sequence[str], root: Path,
                     env: dict[str, str]) -> None:
    import json  # noqa: PLC0415

    done = subprocess.run([*argv0, "state", "show", "--project", str(root), "--session",
                           SESSION, "--format", "json"], env=env, capture_output=True,
                          text=True, timeout=600, check=False)
    titles = ([d["title"] for d in json.loads(done.stdout)["decisions"]]
              if done.returncode == 0 else [])
    report.decisions_found = len(titles)
    report.missing = [title(w, i) for w in range(report.writers)
                      for i in range(report.per_writer) if title(w, i) not in titles]
