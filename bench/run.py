"""`make bench`: `backend-persona context` against the seed's shell one-liners, side by side.

Prints median wall times, ratios, peak memory and the issue's targets with PASS/FAIL,
then the slowest imports of `backend-persona context` (python -X importtime), then the
load test (concurrent context readers beside state writers; see bench/load.py), then the
hostile inputs, each held to 2 s and 200 MB (see bench/hostile.py), then `context` on a
spring-boot checkout against the commit before the catalog rewrite (see bench/spring.py;
skipped, with a line saying how to get one, when there is no checkout).

Every measured command is started, timed and reaped by a small process of its own (see
bench/spawner.py), so a peak RSS is the command's, not the harness's.
"""

from __future__ import annotations

import argparse
import compileall
import importlib.util
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):
    # Run as a script (`python bench/run.py`): make the `bench` package importable.
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.generator import GENERATOR_VERSION, Fixture, FixtureSpec, ensure
from bench.hostile import all_ok, run_hostile
from bench.hostile import lines as hostile_lines
from bench.load import run_load
from bench.measure import Command, Series, Spawner, SpawnerError, measure, rss_note
from bench.seed import SEED_LINES
from bench.spring import ENV_VAR as SPRING_ENV_VAR
from bench.spring import FULL as SPRING_FULL
from bench.spring import QUICK as SPRING_QUICK
from bench.spring import checkout_dir, run_spring, skip_reason
from bench.spring import lines as spring_lines

WORK_DIR = Path(__file__).resolve().parent / ".work"
FD_HINT = ("fd is missing; the seed's one-liners need it. "
           "Install it with: apt-get install -y fd-find")
# Issue 14: cold (--no-cache) and warm against the seed's lines run in turn.
TARGET_COLD = {"12k": 1.1, "100k": 1.6}
TARGET_WARM = 0.25
TARGET_WARM_MS = {"100k": 50.0}
TARGET_RSS_MB = 150.0
TOP_IMPORTS = 10


@dataclass(frozen=True)
class Plan:
    """One repository to measure and how often."""

    spec: FixtureSpec
    warmups: int
    runs: int


FULL = (
    Plan(FixtureSpec("12k", tracked=12_000, ignored=0), warmups=3, runs=15),
    Plan(FixtureSpec("100k", tracked=100_000, ignored=200_000), warmups=2, runs=7),
)
QUICK = (Plan(FixtureSpec("12k", tracked=12_000, ignored=0), warmups=1, runs=5),)
# How the cost grows with the repository (the 100k point is the table's own fixture).
GROWTH = (
    Plan(FixtureSpec("g1k", tracked=1_000, ignored=0), warmups=1, runs=5),
    Plan(FixtureSpec("g10k", tracked=10_000, ignored=0), warmups=1, runs=5),
    Plan(FixtureSpec("100k", tracked=100_000, ignored=200_000), warmups=1, runs=3),
    Plan(FixtureSpec("g300k", tracked=300_000, ignored=0), warmups=1, runs=3),
)


@dataclass(frozen=True)
class Result:
    """The measured series of one repository."""

    plan: Plan
    fixture: Fixture
    series: list[Series]

    def row(self, label: str) -> Series:
        """The series whose command is labelled ``label``."""
        return next(s for s in self.series if s.command.label == label)


OURS = "backend-persona context (warm)"
OURS_COLD = "backend-persona context --no-cache"
SEED_SEQ = "seed one-liners, 7 x bash -c in turn"
SEED_PAR = "seed one-liners, 7 x bash -c at once"
GIT_FLOOR = "git ls-files (floor)"
PYTHON_FLOOR = "python -c pass (interpreter start)"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line of the harness."""
    parser = argparse.ArgumentParser(
        prog="bench/run.py",
        description="Median wall times of `backend-persona context` against the seed "
                    "command file's shell one-liners and `git ls-files`, on generated "
                    "12k-file and 100k-file (+200k ignored) monorepos.",
    )
    parser.add_argument("--quick", action="store_true",
                        help="smoke run: 12k repository only, 1 warm-up + 5 measured runs; "
                             "spring-boot warm cache only, 1 warm-up + 7 runs")
    only = parser.add_mutually_exclusive_group()
    only.add_argument("--hostile-only", action="store_true",
                      help="measure only the hostile inputs (quadratic manifests, YAML "
                           "alias bombs, FIFOs, a 10 MB request)")
    only.add_argument("--spring-only", action="store_true",
                      help="measure only `context` on the spring-boot checkout, HEAD against "
                           "the commit before the catalog rewrite")
    parser.add_argument("--no-growth", action="store_true",
                        help="skip the growth rounds at 1k, 10k, 100k and 300k files")
    parser.add_argument("--speed-only", action="store_true",
                        help="stop after the speed tables: no load test, hostile inputs or "
                             "spring-boot rounds")
    parser.add_argument("--spring-boot", type=Path, default=None, metavar="DIR",
                        help=f"the spring-boot checkout (default: ${SPRING_ENV_VAR}, else "
                             "bench/.work/spring-boot)")
    parser.add_argument("--work-dir", type=Path, default=WORK_DIR,
                        help="where fixture repositories are generated and reused "
                             "(default: bench/.work)")
    return parser.parse_args(argv)


def _clean_environment() -> dict[str, str]:
    # The harness may itself run inside a git hook or another repository's environment.
    drop = {"GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_PREFIX"}
    return {k: v for k, v in os.environ.items() if k not in drop}


def _commands(script: Path, fd_dir: Path, cache_dir: Path) -> list[Command]:
    # The warm path's entries go to a cache folder of the bench's own, not the user's.
    env = {**_clean_environment(), "XDG_CACHE_HOME": str(cache_dir)}
    env.pop("BACKEND_PERSONA_CACHE", None)
    # fd only for the seed's lines, and deliberately no gdate: on Linux the seed falls
    # back to date after bash fails to find gdate, and that is part of its real cost.
    seed_env = {**env, "PATH": f"{fd_dir}{os.pathsep}{env.get('PATH', '')}"}
    seed_steps = tuple(("bash", "-c", line) for line in SEED_LINES)
    return [
        Command(OURS, ((str(script), "context"),), env),
        Command(OURS_COLD, ((str(script), "context", "--no-cache"),), env),
        Command(SEED_SEQ, seed_steps, seed_env),
        Command(SEED_PAR, seed_steps, seed_env, concurrent=True),
        Command(GIT_FLOOR, (("git", "ls-files"),), env),
        Command(PYTHON_FLOOR, ((sys.executable, "-c", "pass"),), env),
    ]


def _fd_shim(work: Path) -> Path | None:
    """A folder holding an ``fd`` that runs Debian's ``fdfind`` (or fd itself), or None."""
    found = shutil.which("fdfind") or shutil.which("fd")
    if found is None:
        return None
    (work / "fd").symlink_to(found)
    return work


def _version(argv: Sequence[str]) -> str:
    try:
        done = subprocess.run(list(argv), capture_output=True, text=True, check=False)
    except OSError:
        return "?"
    return (done.stdout.strip().splitlines() or ["?"])[0]


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f}"


def _cell(series: Series) -> str:
    return f"{_ms(series.median)} ({_ms(series.fastest)}-{_ms(series.slowest)})"


def report(results: Sequence[Result], imports: list[tuple[str, float]], quick: bool,
           floor_mb: float, growth: Sequence[Result] = ()) -> str:
    """The whole printed report: setup, table, ratios, targets, imports."""
    lines = [
        f"backend-persona bench (generator {GENERATOR_VERSION})",
        f"machine: {os.cpu_count()} CPUs, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, {_version(['git', '--version'])}, "
        f"{_version([shutil.which('fdfind') or 'fd', '--version'])}, "
        f"bash {_version(['bash', '-c', 'echo $BASH_VERSION'])}",
        # Other work on the machine slows every command alike (rounds interleave them),
        # but it widens the spread; say how busy the machine was.
        "load average at the end (1/5/15 min): " + " ".join(
            f"{load:.2f}" for load in os.getloadavg()),
        # An installed package runs from bytecode; see `precompile`.
        "bytecode: the package's modules are compiled before measuring, as an install has them",
        "fixtures:",
    ]
    for r in results:
        s = r.fixture.spec
        how = "reused" if r.fixture.reused else f"generated in {r.fixture.seconds:.1f} s"
        lines.append(f"  {s.name:<5} {s.tracked:>7,} tracked + {s.ignored:>7,} ignored, "
                     f"{how}: {r.fixture.root}")
    lines.append("runs: " + "; ".join(
        f"{r.plan.spec.name} {r.plan.warmups} warm-up + {r.plan.runs} measured" for r in results
    ) + "; every command in every round, order rotated each round")
    lines += ["", _table(results), "", *_ratios(results), rss_note(floor_mb), "",
              *_targets(results, quick, growth)]
    if growth:
        lines += ["", *growth_lines(growth)]
    lines += ["", *_failures(results), *_imports(imports, results[0])]
    return "\n".join(lines).replace("\n\n\n", "\n\n") + "\n"


def _table(results: Sequence[Result]) -> str:
    head = f"{'median wall time, ms (min-max)':<40}" + "".join(
        f"{r.plan.spec.name:>22}" for r in results)
    rows = [head]
    for series in results[0].series:
        label = series.command.label
        rows.append(f"{label:<40}" + "".join(f"{_cell(r.row(label)):>22}" for r in results))
    return "\n".join(rows)


def _ratios(results: Sequence[Result]) -> list[str]:
    rows = [f"{'ratio (medians)':<40}" + "".join(f"{r.plan.spec.name:>22}" for r in results)]
    for ours, name in ((OURS_COLD, "cold"), (OURS, "warm")):
        for label in (SEED_SEQ, SEED_PAR, GIT_FLOOR):
            short = label.split(",")[0].split(" (")[0] + (
                " in turn" if label == SEED_SEQ else " at once" if label == SEED_PAR else "")
            rows.append(f"{name + ' context / ' + short:<40}" + "".join(
                f"{r.row(ours).median / r.row(label).median:>21.2f}x" for r in results))
    for ours, name in ((OURS_COLD, "cold"), (OURS, "warm")):
        rows.append(f"{'peak RSS of ' + name + ' context, MB':<40}" + "".join(
            f"{r.row(ours).peak_rss_mb:>22.1f}" for r in results))
    return rows


def _targets(results: Sequence[Result], quick: bool,
             growth: Sequence[Result] = ()) -> list[str]:
    rows = ["targets (issue 14, against the seed's lines run in turn as the command file lists "
            "them, medians of the same rounds):"]
    by_name = {r.plan.spec.name: r for r in results}
    for name in ("12k", "100k"):
        if name not in by_name:
            rows.append(f"  ----  {name}: not measured ({'--quick' if quick else 'skipped'})")
            continue
        row = by_name[name]
        seed = row.row(SEED_SEQ).median
        cold, warm = row.row(OURS_COLD).median / seed, row.row(OURS).median / seed
        rows.append(f"  {_verdict(cold <= TARGET_COLD[name])}  {name}: cold <= "
                    f"{TARGET_COLD[name]}x seed   measured {cold:.2f}x")
        rows.append(f"  {_verdict(warm <= TARGET_WARM)}  {name}: warm <= {TARGET_WARM}x seed   "
                    f"measured {warm:.2f}x")
        if name in TARGET_WARM_MS:
            ms = row.row(OURS).median * 1000
            rows.append(f"  {_verdict(ms <= TARGET_WARM_MS[name])}  {name}: warm <= "
                        f"{TARGET_WARM_MS[name]:.0f} ms   measured {ms:.0f} ms")
    measured = [*results, *growth]
    peak = max(r.row(ours).peak_rss_mb for r in measured for ours in (OURS, OURS_COLD))
    largest = max(r.plan.spec.tracked for r in measured)
    rows.append(f"  {_verdict(peak <= TARGET_RSS_MB)}  peak RSS of context <= "
                f"{TARGET_RSS_MB:.0f} MB (largest: {largest:,} files)   measured {peak:.1f} MB")
    return rows


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def growth_lines(growth: Sequence[Result]) -> list[str]:
    """How cold and warm context, and git ls-files, grow with the repository."""
    if not growth:
        return []
    rows = ["growth (median ms; peak RSS MB of cold context):",
            f"{'files':>10}{'cold':>10}{'warm':>10}{'git ls-files':>14}{'RSS':>8}"]
    for r in growth:
        rows.append(f"{r.plan.spec.tracked:>10,}{_ms(r.row(OURS_COLD).median):>10}"
                    f"{_ms(r.row(OURS).median):>10}{_ms(r.row(GIT_FLOOR).median):>14}"
                    f"{r.row(OURS_COLD).peak_rss_mb:>8.1f}")
    return rows


def _failures(results: Sequence[Result]) -> list[str]:
    rows = []
    for r in results:
        for series in r.series:
            if series.failures:
                tail = series.samples[-1].output.decode("utf-8", "replace")[-300:]
                rows.append(f"WARNING: {series.command.label} on {r.plan.spec.name} exited "
                            f"non-zero in {series.failures} of {len(series.samples)} runs; "
                            f"last output ends: {tail!r}")
    return [*rows, ""] if rows else []


def import_times(script: Path, cwd: Path, repeats: int = 3) -> list[tuple[str, float]]:
    """Median cumulative import time (ms) per module of ``backend-persona context``."""
    seen: dict[str, list[float]] = {}
    for _ in range(repeats):
        done = subprocess.run(
            [sys.executable, "-X", "importtime", str(script), "context", "--no-cache"], cwd=cwd,
            env=_clean_environment(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            text=True, check=True,
        )
        for line in done.stderr.splitlines():
            parts = line.removeprefix("import time:").split("|")
            if len(parts) != 3 or not parts[1].strip().isdigit():
                continue
            # Two spaces of indent per nesting level; keep it to show what imports what.
            seen.setdefault(parts[2].rstrip()[1:], []).append(int(parts[1]) / 1000)
    return sorted(((name, statistics.median(ms)) for name, ms in seen.items()),
                  key=lambda item: -item[1])


def _imports(imports: list[tuple[str, float]], result: Result) -> list[str]:
    total = sum(ms for name, ms in imports if not name.startswith(" "))
    rows = [
        f"python -X importtime, `backend-persona context` on {result.plan.spec.name} "
        f"(median of 3, cold): all imports {total:,.0f} ms of a "
        f"{_ms(result.row(OURS_COLD).median)} ms median run",
        f"{'cumulative ms':>14}  module (indent = import nesting depth)",
    ]
    rows += [f"{ms:>14,.1f}  {name}" for name, ms in imports[:TOP_IMPORTS]]
    return rows


def _run_plan(plan: Plan, work_dir: Path, commands: list[Command], spawner: Spawner) -> Result:
    print(f"[bench] preparing the {plan.spec.name} repository ...", file=sys.stderr, flush=True)
    fixture = ensure(plan.spec, work_dir)
    print(f"[bench] measuring on {plan.spec.name}: {plan.warmups} warm-up + {plan.runs} runs "
          f"of {len(commands)} commands ...", file=sys.stderr, flush=True)
    series = measure(commands, fixture.root, spawner, warmups=plan.warmups, runs=plan.runs)
    return Result(plan, fixture, series)


def main(argv: Sequence[str] | None = None) -> int:
    """Measure, print the report, and return the exit status."""
    args = parse_args(argv)
    try:
        # First of all, so that a spawner which cannot start fails in a second, not after
        # minutes of fixtures; closed on any way out, Ctrl-C included.
        with Spawner() as spawner:
            return _bench(args, spawner)
    except SpawnerError as error:
        print(f"bench: {error}", file=sys.stderr)
        return 1


def precompile() -> bool:
    """Compile the measured package's modules to bytecode, as pip does when it installs one.

    An editable install leaves that to the first run, and with PYTHONDONTWRITEBYTECODE set
    (as in some CI and sandboxes) every run compiles every module again, some 100 ms that
    no installed copy pays. Returns whether all compiled.
    """
    spec = importlib.util.find_spec("backend_persona")
    if spec is None or spec.origin is None:
        return False
    return bool(compileall.compile_dir(Path(spec.origin).parent, quiet=1))


def _bench(args: argparse.Namespace, spawner: Spawner) -> int:
    script = Path(sys.prefix) / "bin" / "backend-persona"
    missing = (f"{script} is missing; run `make bench`, which installs it"
               if not script.is_file() else
               "the package's modules did not all compile" if not precompile() else None)
    if missing:
        print(f"bench: {missing}", file=sys.stderr)
        return 1
    if args.hostile_only:
        return _hostile(script, spawner)
    if args.spring_only:
        return _spring(args, spawner)
    with tempfile.TemporaryDirectory(prefix="bench-fd-") as shim:
        fd_dir = _fd_shim(Path(shim))
        if fd_dir is None:
            print(f"bench: {FD_HINT}", file=sys.stderr)
            return 1
        commands = _commands(script, fd_dir, Path(shim) / "cache")
        results = [_run_plan(plan, args.work_dir, commands, spawner)
                   for plan in (QUICK if args.quick else FULL)]
        # The seed's lines stay out of the growth rounds: they list a few names, not the tree.
        small = [c for c in commands if c.label in (OURS, OURS_COLD, GIT_FLOOR)]
        growth = [] if args.quick or args.no_growth else [
            _run_plan(plan, args.work_dir, small, spawner) for plan in GROWTH]
    imports = import_times(script, results[0].fixture.root)
    print(report(results, imports, args.quick, spawner.floor_mb(), growth), end="")
    if args.speed_only:
        return 0
    loaded = results[-1].fixture
    print(f"[bench] load test on {loaded.spec.name} ...", file=sys.stderr, flush=True)
    readers, writers, per_writer = (4, 2, 2) if args.quick else (16, 8, 5)
    load = run_load(loaded.root, [str(script)], files=loaded.spec.tracked, readers=readers,
                    writers=writers, per_writer=per_writer)
    print("\n" + "\n".join(load.lines()))
    hostile = _hostile(script, spawner)
    spring = _spring(args, spawner)
    return 0 if load.ok and hostile == 0 and spring == 0 else 1


def _hostile(script: Path, spawner: Spawner) -> int:
    print("[bench] hostile inputs ...", file=sys.stderr, flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-hostile-") as work:
        outcomes = run_hostile(script, Path(work), spawner)
    print("\n" + "\n".join(hostile_lines(outcomes, spawner.floor_mb())))
    return 0 if all_ok(outcomes) else 1


def _spring(args: argparse.Namespace, spawner: Spawner) -> int:
    checkout = checkout_dir(args.spring_boot, os.environ)
    reason = skip_reason(checkout)
    if reason is not None:
        # No checkout is no failure: the bench must run without the network to fetch one.
        print("\n" + reason)
        return 0
    print(f"[bench] spring-boot at {checkout} ...", file=sys.stderr, flush=True)
    result = run_spring(checkout, SPRING_QUICK if args.quick else SPRING_FULL, spawner)
    print("\n" + "\n".join(spring_lines(result)))
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
