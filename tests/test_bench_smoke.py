"""The benchmark harness builds what it claims: committed monorepos with ignored build output."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml

from backend_persona.discover import discover_context
from bench import hostile, run, spring
from bench.generator import FixtureSpec, build, ensure
from bench.measure import Command, Sample, Series, Spawner, SpawnerError, run_once
from tests.robustness import slow_inputs

MB = 1024 * 1024


@pytest.fixture(scope="module")
def spawner() -> Iterator[Spawner]:
    with Spawner() as running:
        yield running


def _git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True,
                          text=True).stdout


def _files_under(root: Path, folder_name: str) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file() and folder_name in p.parts]


@pytest.mark.parametrize(("tracked", "ignored"), [(200, 150), (40, 0)])
def test_fixture_is_a_clean_committed_repository_of_the_asked_size(
    tmp_path: Path, tracked: int, ignored: int
) -> None:
    root = tmp_path / "repo"
    build(FixtureSpec("tiny", tracked=tracked, ignored=ignored), root)

    assert len(_git(root, "ls-files", "-z").split("\0")[:-1]) == tracked
    assert _git(root, "status", "--porcelain", "--untracked-files=all") == ""
    assert _git(root, "log", "--format=%an <%ae> %cI").strip() == (
        "Bench Fixture <bench@example.test> 2026-01-02T03:04:05+00:00"
    )
    on_disk = [p for p in root.rglob("*") if p.is_file() and ".git" not in p.parts]
    assert len(on_disk) == tracked + ignored


def test_ignored_build_output_exists_but_is_not_reported(tmp_path: Path) -> None:
    root = tmp_path / "repo"
    build(FixtureSpec("tiny", tracked=200, ignored=150), root)
    node_modules = _files_under(root, "node_modules")
    target = _files_under(root, "target")

    assert node_modules
    assert target
    assert len(node_modules) + len(target) == 150
    for path in (node_modules[0], target[0]):
        assert _git(root, "check-ignore", str(path.relative_to(root))).strip()

    found = discover_context(root)
    assert found.file_count == 200
    assert found.git.status == "ok"
    assert found.git.uncommitted == 0
    dumped = found.model_dump_json()
    assert "node_modules" not in dumped
    assert "/target/" not in dumped
    assert found.components, "the generated manifests should be found as components"


def test_generation_is_deterministic(tmp_path: Path) -> None:
    spec = FixtureSpec("tiny", tracked=150, ignored=10)
    build(spec, tmp_path / "a")
    build(spec, tmp_path / "b")

    assert _git(tmp_path / "a", "rev-parse", "HEAD") == _git(tmp_path / "b", "rev-parse", "HEAD")


def test_ensure_reuses_a_current_fixture_and_replaces_a_stale_one(tmp_path: Path) -> None:
    first = ensure(FixtureSpec("tiny", tracked=100, ignored=0), tmp_path)
    again = ensure(FixtureSpec("tiny", tracked=100, ignored=0), tmp_path)
    other = ensure(FixtureSpec("tiny", tracked=100, ignored=0, seed=99), tmp_path)

    assert (first.reused, again.reused, other.reused) == (False, True, False)
    assert again.root == first.root
    assert not first.root.exists(), "a fixture of another seed replaces the stale one"
    assert [p.name for p in tmp_path.iterdir()] == [other.root.name]


@pytest.mark.parametrize("concurrent", [False, True])
def test_run_once_reports_every_step(tmp_path: Path, concurrent: bool,
                                     spawner: Spawner) -> None:
    command = Command("two steps", (("bash", "-c", "echo one"), ("bash", "-c", "pwd; exit 3")),
                      concurrent=concurrent)

    sample = run_once(command, tmp_path, spawner)

    assert sample.exit_codes == (0, 3)
    assert sample.output == f"one\n{tmp_path}\n".encode()
    assert sample.peak_rss_mb > 0


def _resident_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        line = next(line for line in status if line.startswith("VmRSS:"))
    return int(line.split()[1]) / 1024


def test_peak_rss_is_the_childs_own_however_much_the_harness_holds(tmp_path: Path) -> None:
    held = bytearray(200 * MB)
    # One byte per page, so every page is resident, not just reserved.
    held[::4096] = b"\x01" * len(range(0, len(held), 4096))
    assert _resident_mb() > 200
    python = (sys.executable, "-c", "pass")
    allocating = (sys.executable, "-c", "held = b'x' * (150 * 1024 * 1024)")

    # Started while the harness is big: the spawner execs, so it starts small regardless.
    with Spawner() as fresh:
        idle = run_once(Command("python", (python,)), tmp_path, fresh)
        busy = run_once(Command("150 MB", (allocating,)), tmp_path, fresh)
        floor = fresh.floor_mb()

    assert idle.peak_rss_mb < 100, "the harness's 200 MB leaked into the child's peak"
    assert idle.peak_rss_mb <= floor + 1
    assert busy.peak_rss_mb >= 150, "the measurement is clamped, not the child's own"
    assert floor < 50
    del held


def test_a_kill_reaches_the_grandchildren_and_the_cap_binds_the_child(
    tmp_path: Path, spawner: Spawner
) -> None:
    started = time.perf_counter()
    # The backgrounded sleep holds the output pipe: the run returns only once it is dead.
    hung = spawner.run([("bash", "-c", "sleep 60 & wait")], tmp_path, capture=True,
                       kill_after=0.5)
    elapsed = time.perf_counter() - started
    capped = spawner.run([(sys.executable, "-c",
                           "import resource; print(resource.getrlimit(resource.RLIMIT_AS))")],
                         tmp_path, capture=True, address_space=1 << 33)

    assert hung.killed and hung.exit_codes == (-signal.SIGKILL,)
    assert 0.5 <= hung.seconds < 10 and elapsed < 10
    assert capped.outputs == (b"(8589934592, 8589934592)\n",)
    assert not capped.killed


def test_stdin_is_fed_and_a_step_that_cannot_start_is_an_error(
    tmp_path: Path, spawner: Spawner
) -> None:
    counting = (sys.executable, "-c", "import sys; print(len(sys.stdin.buffer.read()))")
    closing = (sys.executable, "-c", "import sys; sys.stdin.close()")

    fed = spawner.run([counting], tmp_path, stdin=b"x" * 10_000_000, capture=True)
    unread = spawner.run([closing], tmp_path, stdin=b"x" * 10_000_000)

    assert fed.outputs == (b"10000000\n",)
    assert unread.exit_codes == (0,)
    with pytest.raises(OSError, match="cannot start"):
        spawner.run([(str(tmp_path / "absent"),)], tmp_path)
    with pytest.raises(ValueError, match="one step"):
        spawner.run([counting, counting], tmp_path, stdin=b"")


def _interrupt(running: Spawner) -> None:
    os.kill(running._process.pid, signal.SIGINT)


def _hang_up(running: Spawner) -> None:
    running._channel.shutdown(2)


def _stop_once_started(pid_file: Path, stop: Callable[[Spawner], None],
                       running: Spawner) -> None:
    for _ in range(1500):
        if pid_file.exists() and pid_file.read_text(encoding="ascii").strip():
            break
        time.sleep(0.02)
    stop(running)


@pytest.mark.parametrize("stop", [_interrupt, _hang_up], ids=["ctrl-c", "harness gone"])
def test_a_stopped_spawner_kills_what_it_runs(
    tmp_path: Path, stop: Callable[[Spawner], None]
) -> None:
    pid_file = tmp_path / "pid"
    running = Spawner()
    stopper = threading.Thread(target=_stop_once_started, args=(pid_file, stop, running))
    stopper.start()

    with pytest.raises(SpawnerError, match="stopped"):
        running.run([("bash", "-c", f"echo $$ > {pid_file}; exec sleep 60")], tmp_path)
    stopper.join()
    running.close()

    with pytest.raises(ProcessLookupError):
        os.kill(int(pid_file.read_text(encoding="ascii")), 0)


def test_a_spawner_that_cannot_start_fails_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "executable", str(tmp_path / "no-python"))

    assert run.main(["--hostile-only"]) == 1

    assert capfd.readouterr().err.splitlines() == [
        f"bench: the process spawner could not start: [Errno 2] No such file or directory: "
        f"'{tmp_path / 'no-python'}'"
    ]


def test_hostile_baseline_reports_the_commands_own_peak(tmp_path: Path,
                                                        spawner: Spawner) -> None:
    held = bytearray(200 * MB)
    held[::4096] = b"\x01" * len(range(0, len(held), 4096))
    script = Path(sys.prefix) / "bin" / "backend-persona"

    outcome = hostile.measure_case(hostile.BASELINE, script, tmp_path, 1, spawner)

    assert not outcome.killed and outcome.exit_codes == [0]
    assert outcome.peak_rss_mb < 100
    del held


def test_hostile_inputs_have_the_sizes_the_issue_measured() -> None:
    sizes = {
        "package.json": len(slow_inputs.package_json().encode()),
        "requirements.txt": len(slow_inputs.requirements_txt().encode()),
        "application.properties": len(slow_inputs.application_properties().encode()),
        "schema.prisma": len(slow_inputs.schema_prisma().encode()),
    }
    # Each stays under the 1 MiB read cap, so the detectors really parse it.
    assert 900_000 < sizes["package.json"] < 1_048_576
    assert 1_000_000 <= sizes["requirements.txt"] < 1_048_576
    assert 240_000 < sizes["application.properties"] < 260_000
    assert 740_000 < sizes["schema.prisma"] < 760_000


@pytest.mark.parametrize("key", ["depends_on", "environment"])
def test_alias_bomb_is_small_and_expands_to_millions(key: str) -> None:
    text = slow_inputs.alias_bomb(key)
    document = yaml.compose(text, Loader=yaml.SafeLoader)
    sizes: dict[int, int] = {}

    def leaves(node: yaml.Node) -> int:
        # Shared (aliased) nodes are counted once per reference, as a naive walk would.
        if id(node) not in sizes:
            if isinstance(node, yaml.ScalarNode):
                sizes[id(node)] = 1
            elif isinstance(node, yaml.SequenceNode):
                sizes[id(node)] = sum(leaves(child) for child in node.value)
            else:
                sizes[id(node)] = sum(leaves(k) + leaves(v) for k, v in node.value)
        return sizes[id(node)]

    assert document is not None
    assert 500 < len(text) < 600
    assert leaves(document) > 300_000_000


def test_hostile_cases_build_and_a_crash_or_a_kill_fails(tmp_path: Path) -> None:
    for number, case in enumerate(hostile.CASES):
        root = tmp_path / str(number)
        root.mkdir()
        case.build(root)
        assert any(root.iterdir()), case.name
    baseline = hostile.Outcome(hostile.BASELINE, [0.2, 0.2, 0.2], 50.0, [0, 0, 0], False)
    crashed = hostile.Outcome(hostile.CASES[0], [0.3, 0.3, 0.3], 50.0, [3, 3, 3], False)
    killed = hostile.Outcome(hostile.CASES[1], [60.0], 50.0, [-9], True)
    fine = hostile.Outcome(hostile.CASES[2], [0.4, 0.5, 0.6], 80.0, [0, 0, 0], False)

    table = hostile.lines([baseline, crashed, killed, fine], 12.3)

    assert [crashed.ok, killed.ok, fine.ok] == [False, False, True]
    assert not hostile.all_ok([baseline, crashed, fine])
    assert hostile.all_ok([baseline, fine])
    assert "floor ~12 MB" in table[1]
    assert table[4].endswith("FAIL") and table[5].endswith("killed")
    assert table[6].endswith("PASS") and "2.5x" in table[6]


def test_spring_checkout_comes_from_the_option_then_the_environment_then_the_default(
    tmp_path: Path,
) -> None:
    given = {spring.ENV_VAR: str(tmp_path / "env")}

    assert spring.checkout_dir(tmp_path / "opt", given) == tmp_path / "opt"
    assert spring.checkout_dir(None, given) == tmp_path / "env"
    assert spring.checkout_dir(None, {spring.ENV_VAR: ""}) == spring.DEFAULT_CHECKOUT
    assert spring.DEFAULT_CHECKOUT.parent.name == ".work"


def test_spring_is_skipped_with_one_line_when_a_checkout_or_the_baseline_is_missing(
    tmp_path: Path,
) -> None:
    missing = spring.skip_reason(tmp_path / "absent")
    shallow = tmp_path / "shallow"
    build(FixtureSpec("tiny", tracked=5, ignored=0), shallow)

    assert missing is not None and "\n" not in missing
    assert "spring-projects/spring-boot" in missing and spring.ENV_VAR in missing
    no_baseline = spring.skip_reason(tmp_path, root=shallow)
    assert no_baseline is not None and spring.BASELINE in no_baseline
    assert spring.describe(tmp_path).tracked is None, "not a repository of its own"


def _series(label: str, seconds: list[float], code: int = 0) -> Series:
    return Series(Command(label, (("true",),)),
                  [Sample(s, 10.0, (code,), b"boom") for s in seconds])


@pytest.mark.parametrize(("head", "verdict"), [(1.10, "PASS"), (1.12, "FAIL")])
def test_spring_passes_within_the_tolerance_of_the_baseline(head: float, verdict: str) -> None:
    warm = spring.Pair(_series("HEAD abc", [head, head, 9.0]), _series("base", [1.0, 1.0, 0.5]))
    result = spring.Result(spring.Checkout(Path("/sb"), 3, "abc"), "abc", spring.QUICK, warm,
                           None)

    text = spring.lines(result)

    assert result.ok is (verdict == "PASS")
    assert text[-1].startswith(f"  {verdict}  warm cache") and "10% tolerance" in text[-1]
    assert "cold cache" not in "\n".join(text)


def test_spring_fails_when_a_run_fails_however_fast() -> None:
    warm = spring.Pair(_series("HEAD abc", [0.1], code=3), _series("base", [1.0]))
    result = spring.Result(spring.Checkout(Path("/sb"), None, "-"), "abc", spring.QUICK, warm,
                           warm)

    text = "\n".join(spring.lines(result))

    assert not result.ok
    assert "WARNING: HEAD abc (warm cache) exited non-zero in 1 of 1 runs" in text
    assert "NOT a git repository of its own" in text and text.endswith("measured 0.10x")


def test_spring_measures_this_tree_against_an_exported_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, spawner: Spawner
) -> None:
    # HEAD stands in for the baseline: any clone has it, however shallow.
    monkeypatch.setattr(spring, "BASELINE", "HEAD")
    checkout = tmp_path / "spring-boot"
    build(FixtureSpec("tiny", tracked=30, ignored=0), checkout)

    result = spring.run_spring(checkout, spring.Plan(warmups=1, runs=1, cold_warmups=0,
                                                     cold_runs=1), spawner)

    assert result.checkout.tracked == 30
    assert result.cold is not None
    for pair in (result.warm, result.cold):
        assert len(pair.head.samples) == len(pair.baseline.samples) == 1
        assert pair.head.failures == pair.baseline.failures == 0
        assert b"Project context" in pair.baseline.samples[0].output
    assert len(result.cold.head.samples[0].exit_codes) == 2, "rm, then context"
    assert "ratio HEAD / HEAD" in "\n".join(spring.lines(result))
