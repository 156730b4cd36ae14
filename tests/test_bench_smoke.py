"""The benchmark harness builds what it claims: committed monorepos with ignored build output."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml

from backend_persona.discover import discover_context
from bench import hostile, spring
from bench.generator import FixtureSpec, build, ensure
from bench.measure import Command, Sample, Series, run_once
from tests.robustness import slow_inputs


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
def test_run_once_reports_every_step(tmp_path: Path, concurrent: bool) -> None:
    command = Command("two steps", (("bash", "-c", "echo one"), ("bash", "-c", "pwd; exit 3")),
                      concurrent=concurrent)

    sample = run_once(command, tmp_path)

    assert sample.exit_codes == (0, 3)
    assert sample.output == f"one\n{tmp_path}\n".encode()
    assert sample.peak_rss_mb > 0


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

    table = hostile.lines([baseline, crashed, killed, fine])

    assert [crashed.ok, killed.ok, fine.ok] == [False, False, True]
    assert not hostile.all_ok([baseline, crashed, fine])
    assert hostile.all_ok([baseline, fine])
    assert table[3].endswith("FAIL") and table[4].endswith("killed")
    assert table[5].endswith("PASS") and "2.5x" in table[5]


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
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # HEAD stands in for the baseline: any clone has it, however shallow.
    monkeypatch.setattr(spring, "BASELINE", "HEAD")
    checkout = tmp_path / "spring-boot"
    build(FixtureSpec("tiny", tracked=30, ignored=0), checkout)

    result = spring.run_spring(checkout, spring.Plan(warmups=1, runs=1, cold_warmups=0,
                                                     cold_runs=1))

    assert result.checkout.tracked == 30
    assert result.cold is not None
    for pair in (result.warm, result.cold):
        assert len(pair.head.samples) == len(pair.baseline.samples) == 1
        assert pair.head.failures == pair.baseline.failures == 0
        assert b"Project context" in pair.baseline.samples[0].output
    assert len(result.cold.head.samples[0].exit_codes) == 2, "rm, then context"
    assert "ratio HEAD / HEAD" in "\n".join(spring.lines(result))
