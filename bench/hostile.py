"""Hostile inputs in `make bench`: each must finish in under 2 s and 200 MB.

Every case is a small repository built in a temp folder around one input that once made
a command slow, huge or hung (issue 9: quadratic manifests, a YAML alias bomb, FIFOs,
``/dev/zero`` as a ``.gitignore``, a 10 MB request). Each runs as a real
``backend-persona`` process; its median wall time and peak RSS are printed next to a
baseline, ``context`` on a one-manifest repository, measured in the same run.
"""

from __future__ import annotations

import os
import statistics
import subprocess
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from bench.generator import PINNED_GIT_ENV
from bench.measure import Spawner, rss_note
from tests.robustness.slow_inputs import GO_MOD, SLOW_CASES, alias_bomb, package_json

LIMIT_SECONDS = 2.0
LIMIT_RSS_MB = 200.0
# A regression must show up as a FAIL row, not as a bench that never ends.
KILL_AFTER_SECONDS = 60.0
# An unfixed alias bomb reaches gigabytes within seconds: let it fail, not the machine.
ADDRESS_SPACE_CAP = 4 * 1024**3

Builder = Callable[[Path], None]


@dataclass(frozen=True)
class Case:
    """One hostile input: how to build its repository and what to run on it."""

    name: str
    build: Builder
    argv: tuple[str, ...] = ("context",)
    stdin: bytes | None = None


@dataclass(frozen=True)
class Outcome:
    """The measured runs of one case."""

    case: Case
    seconds: list[float]
    peak_rss_mb: float
    exit_codes: list[int]
    killed: bool

    @property
    def median(self) -> float:
        """Median wall time in seconds."""
        return statistics.median(self.seconds)

    @property
    def ok(self) -> bool:
        """Within both limits, never killed, and no run crashed (exit 3 or a signal)."""
        return (not self.killed and self.median < LIMIT_SECONDS
                and self.peak_rss_mb < LIMIT_RSS_MB
                and all(code in (0, 1) for code in self.exit_codes))


def _write(root: Path, files: dict[str, str | bytes]) -> None:
    for relative, content in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True,
                   env={**os.environ, **PINNED_GIT_ENV})


def _commit(root: Path) -> None:
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "hostile input")


def _repo(files: dict[str, str | bytes], *, git: bool = True) -> Builder:
    def build(root: Path) -> None:
        _write(root, files)
        if git:
            _commit(root)
    return build


def _fifo_gitignore(*, git: bool) -> Builder:
    def build(root: Path) -> None:
        _write(root, {"go.mod": GO_MOD})
        if git:
            _commit(root)
        os.mkfifo(root / ".gitignore")
    return build


def _gitignore_to(target: str) -> Builder:
    def build(root: Path) -> None:
        _write(root, {"go.mod": GO_MOD})
        (root / ".gitignore").symlink_to(target)
    return build


def _many_package_jsons(count: int = 40) -> Builder:
    return _repo({f"apps/app{n:02d}/package.json": package_json() for n in range(count)})


BASELINE = Case("baseline: go.mod only", _repo({"go.mod": GO_MOD}))
# The slow inputs are the ones the suite asserts findings on (tests/robustness), byte for byte.
CASES: tuple[Case, ...] = (
    *(Case(name, _repo(dict(case.files))) for name, case in SLOW_CASES.items()),
    Case("40 x package.json, 920 KB each", _many_package_jsons()),
    Case("Compose alias bomb, depends_on",
         _repo({"docker-compose.yml": alias_bomb("depends_on")})),
    Case("Compose alias bomb, environment",
         _repo({"docker-compose.yml": alias_bomb("environment")})),
    Case("state init on the alias bomb",
         _repo({"docker-compose.yml": alias_bomb("depends_on")}),
         argv=("state", "init", "--session", "bench")),
    # Each pin reads the comment run below it for pip-compile's `# via`: once, not per line.
    Case("requirements.txt, one pin over 40,000 comment lines",
         _repo({"requirements.txt": "django==5.0\n" + "    #   via\n" * 40_000})),
    Case("FIFO .gitignore, in git", _fifo_gitignore(git=True)),
    Case("FIFO .gitignore, outside git", _fifo_gitignore(git=False)),
    Case(".gitignore -> /dev/zero, outside git", _gitignore_to("/dev/zero")),
    Case(".gitignore -> /dev/stdin, outside git", _gitignore_to("/dev/stdin")),
    Case("route --stdin, 10 MB", _repo({"go.mod": GO_MOD}), argv=("route", "--stdin"),
         stdin=b"design a REST API for orders with postgres and kafka " * 200_000),
)


def measure_case(case: Case, script: Path, work: Path, runs: int,
                 spawner: Spawner) -> Outcome:
    """Build ``case`` in a folder of ``work`` and run it ``runs`` times after one warm-up."""
    root = work / case.name.replace(" ", "-").replace("/", "_").replace(",", "")
    root.mkdir(parents=True)
    case.build(root)
    # State goes to a folder of the bench's own, never the user's.
    env = {**os.environ, "XDG_STATE_HOME": str(work / "state"), "HOME": str(work / "home"),
           **PINNED_GIT_ENV}
    seconds, peaks, codes, killed = [], [], [], False
    for run in range(runs + 1):
        reaped = spawner.run([(str(script), *case.argv)], root, env, stdin=case.stdin,
                             kill_after=KILL_AFTER_SECONDS, address_space=ADDRESS_SPACE_CAP)
        killed = killed or reaped.killed
        if run or reaped.killed:
            seconds.append(reaped.seconds)
            peaks.append(reaped.peak_rss_mb[0])
            codes.append(reaped.exit_codes[0])
        if reaped.killed:
            break
    return Outcome(case, seconds, max(peaks), codes, killed)


def run_hostile(script: Path, work: Path, spawner: Spawner, *, runs: int = 3) -> list[Outcome]:
    """Measure the baseline and every hostile case, in that order."""
    return [measure_case(case, script, work, runs, spawner) for case in (BASELINE, *CASES)]


def lines(outcomes: Sequence[Outcome], floor_mb: float) -> list[str]:
    """The printed table: median, ratio to the baseline, peak RSS and a verdict per case."""
    baseline = outcomes[0].median
    rows = [f"hostile inputs (issue 9): each < {LIMIT_SECONDS:.0f} s and < "
            f"{LIMIT_RSS_MB:.0f} MB, no exit 3; median of {len(outcomes[0].seconds)} runs "
            "after a warm-up",
            rss_note(floor_mb),
            f"{'case':<42}{'median ms':>11}{'x baseline':>12}{'peak MB':>9}  exit  verdict"]
    for outcome in outcomes:
        verdict = "killed" if outcome.killed else "PASS" if outcome.ok else "FAIL"
        if outcome is outcomes[0]:
            verdict = "-"
        codes = ",".join(sorted({str(c) for c in outcome.exit_codes}))
        rows.append(f"{outcome.case.name:<42}{outcome.median * 1000:>11,.0f}"
                    f"{outcome.median / baseline:>11.1f}x{outcome.peak_rss_mb:>9.1f}  "
                    f"{codes:<5} {verdict}")
    return rows


def all_ok(outcomes: Sequence[Outcome]) -> bool:
    """True when every hostile case (not the baseline) passed."""
    return all(o.ok for o in outcomes[1:])
