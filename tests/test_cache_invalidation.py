"""The warm path is exact: after every step, the cached answer is the ``--no-cache`` answer.

Real git repositories in tmp_path, driven by real git. Each step is followed by a warm
answer (through the cache, as the CLI does it) and a cold one (no cache), which must be
equal; a second warm answer must then come from the cache, so that the suite cannot pass
by never caching. The one documented exception, an in-place edit of a tracked file no
detector reads (or its chmod), may be stale once: the hit's revalidation drops the entry.

The settle time (2 s in use) is lowered to a few hundredths of a second through
`cache.SETTLE_ENV`, and each step waits that long, instead of two seconds.
"""

from __future__ import annotations

import os
import stat
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backend_persona import cache, entry
from backend_persona.cachefill import Observed, remember
from backend_persona.context import context_text
from backend_persona.state.session import record_action

SETTLE = 0.03
Step = Callable[[Path], None]


@pytest.fixture(autouse=True)
def _warm(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    monkeypatch.delenv(cache.CACHE_ENV, raising=False)
    monkeypatch.setenv(cache.SETTLE_ENV, str(SETTLE))
    monkeypatch.setenv(cache.SYNC_ENV, "1")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True,
                          text=True).stdout


def settle() -> None:
    # Past the settle time, and past a coarse file-system clock's tick.
    time.sleep(SETTLE + 0.02)


def warm(root: Path, output_format: str = "markdown", focus: str | None = None,
         ) -> tuple[str, bool]:
    """The answer as the console script gives it: from the cache, or computed and cached."""
    key = cache.key(os.path.realpath(root), output_format, focus, encoding="utf-8/strict")
    hit = cache.lookup(key)
    if hit is not None:
        entry.revalidate(hit)
        return hit.output.decode(), True
    started = time.time_ns()
    observed = Observed()
    text = context_text(root, output_format=output_format,  # type: ignore[arg-type]
                        focus=focus, observed=observed)  # type: ignore[arg-type]
    remember(observed, key, text.encode(), started)
    return text, False


def cold(root: Path, output_format: str = "markdown", focus: str | None = None) -> str:
    return context_text(root, output_format=output_format,  # type: ignore[arg-type]
                        focus=focus)  # type: ignore[arg-type]


def write(root: Path, relative: str, text: str) -> None:
    target = root / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")


GO_MOD = "module example.com/orders\n\ngo 1.22\n\nrequire github.com/jackc/pgx/v5 v5.6.0\n"


def make_repo(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    write(root, "go.mod", GO_MOD)
    write(root, "main.go", "package main\n\nfunc main() {}\n")
    write(root, "README.md", "# orders\n")
    write(root, "compose.yaml", "services:\n  db:\n    image: postgres:16\n")
    write(root, ".gitignore", "node_modules/\n*.log\n")
    write(root, "logs/app.log", "noise\n")
    write(root, "node_modules/left-pad/index.js", "module.exports = 1\n")
    write(root, "web/package.json", '{"name": "web", "dependencies": {"express": "^4.19.2"}}\n')
    (root / "empty").mkdir()
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Orders service")
    return root


def check(root: Path, *, may_be_stale: bool = False) -> None:
    """Warm equals cold after a step, and the next warm answer is a cache hit."""
    settle()
    first, _ = warm(root)
    expected = cold(root)
    if not may_be_stale:
        assert first == expected
    second, _ = warm(root)
    assert second == expected
    third, hit = warm(root)
    assert hit, "an unchanged, settled repository is answered from the cache"
    assert third == expected


# -- the steps -----------------------------------------------------------------------------

def edit_manifest(root: Path) -> None:
    write(root, "go.mod", GO_MOD + "require github.com/redis/go-redis/v9 v9.5.1\n")


def edit_tracked(root: Path) -> None:
    with (root / "README.md").open("a", encoding="utf-8") as stream:
        stream.write("more words\n")


def untracked_existing(root: Path) -> None:
    write(root, "handler.go", "package main\n")


def untracked_new_folder(root: Path) -> None:
    write(root, "services/billing/pom.xml", "<project><artifactId>billing</artifactId></project>\n")


def untracked_empty_folder(root: Path) -> None:
    (root / "empty").mkdir(exist_ok=True)
    write(root, "empty/notes.txt", "hello\n")


def untracked_ignored_only_folder(root: Path) -> None:
    write(root, "logs/readme.txt", "not ignored\n")


def delete_tracked(root: Path) -> None:
    target = root / "main.go"
    if target.exists():
        target.unlink()


def stage_all(root: Path) -> None:
    git(root, "add", "-A")


def commit_all(root: Path) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "--allow-empty", "-m", f"Step {time.time_ns()}")


def checkout_new_branch(root: Path) -> None:
    git(root, "checkout", "-q", "-B", f"topic-{time.time_ns()}")


def ignore_listed(root: Path) -> None:
    with (root / ".gitignore").open("a", encoding="utf-8") as stream:
        stream.write("compose.yaml\n")


def exclude_listed(root: Path) -> None:
    exclude = root / ".git" / "info" / "exclude"
    exclude.parent.mkdir(exist_ok=True)
    with exclude.open("a", encoding="utf-8") as stream:
        stream.write("web/\n")


def state_change(root: Path) -> None:
    record_action(str(root), "cache-test", f"an action at {time.time_ns()}")


def chmod_manifest(root: Path) -> None:
    target = root / "go.mod"
    target.chmod(target.stat().st_mode ^ stat.S_IXUSR)


def ignored_activity(root: Path) -> None:
    write(root, f"node_modules/left-pad/lib/{time.time_ns()}.js", "x\n")
    write(root, "logs/app.log", f"more noise {time.time_ns()}\n")


# Steps whose effect a stat of the inputs sees: the first warm answer after them is exact.
EXACT_STEPS: list[Step] = [
    edit_manifest, untracked_existing, untracked_new_folder, untracked_empty_folder,
    untracked_ignored_only_folder, delete_tracked, stage_all, commit_all, checkout_new_branch,
    ignore_listed, exclude_listed, state_change, chmod_manifest, ignored_activity,
]


# -- the suite -------------------------------------------------------------------------------

@pytest.mark.parametrize("step", EXACT_STEPS, ids=lambda s: s.__name__)
def test_each_step_is_seen_by_the_first_warm_answer(step: Step, tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo")
    check(root)
    step(root)
    check(root)


def test_an_in_place_edit_of_a_tracked_file_is_stale_at_most_once(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo")
    check(root)
    edit_tracked(root)
    settle()
    stale, hit = warm(root)
    assert hit
    expected = cold(root)
    assert "1 uncommitted change(s)" in expected
    assert stale != expected  # the documented staleness: only the count lags
    # The hit's revalidation saw the status change and dropped the entry.
    assert warm(root) == (expected, False)
    check(root)


def test_chmod_of_a_tracked_file_is_stale_at_most_once(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo")
    check(root)
    target = root / "main.go"
    target.chmod(target.stat().st_mode | stat.S_IXUSR)
    check(root, may_be_stale=True)


def test_stash_and_its_pop(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo")
    edit_manifest(root)
    untracked_existing(root)
    check(root)
    git(root, "stash", "-q", "-u")
    check(root)
    git(root, "stash", "pop", "-q")
    check(root)


def test_checkout_of_another_branch_and_back(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo")
    git(root, "checkout", "-q", "-b", "feature")
    write(root, "Cargo.toml", '[package]\nname = "inv"\n\n[dependencies]\naxum = "0.7"\n')
    commit_all(root)
    check(root)
    git(root, "checkout", "-q", "main")
    check(root)
    git(root, "checkout", "-q", "--detach", "feature")
    check(root)


def test_rebase(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo")
    git(root, "checkout", "-q", "-b", "feature")
    write(root, "feature.go", "package main\n")
    commit_all(root)
    git(root, "checkout", "-q", "main")
    edit_manifest(root)
    commit_all(root)
    git(root, "checkout", "-q", "feature")
    check(root)
    git(root, "rebase", "-q", "main")
    check(root)


def test_an_install_of_the_pack_and_an_edit_of_its_files(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner  # noqa: PLC0415

    from backend_persona.cli import cli  # noqa: PLC0415

    root = make_repo(tmp_path / "repo")
    check(root)
    monkeypatch.chdir(root)
    assert CliRunner().invoke(cli, ["install", "--scope", "project"]).exit_code == 0
    check(root)
    installed = cold(root)
    command = next((root / ".claude" / "commands").rglob("*.md"))
    with command.open("a", encoding="utf-8") as stream:
        stream.write("edited by the user\n")  # now the project's own file, no longer hidden
    check(root)
    assert cold(root) != installed


def test_the_global_excludes_file(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo")
    check(root)
    excludes = tmp_path / "global-ignore"
    excludes.write_text("README.md\n", encoding="utf-8")
    config = Path(os.environ["GIT_CONFIG_GLOBAL"])
    with config.open("a", encoding="utf-8") as stream:
        stream.write(f"[core]\n\texcludesFile = {excludes}\n")
    check(root)
    write(root, "notes.md", "untracked\n")
    excludes.write_text("README.md\nnotes.md\n", encoding="utf-8")
    check(root)


def test_formats_and_focus_are_kept_apart(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo")
    settle()
    for output_format, focus in [("markdown", None), ("json", None), ("markdown", "go")]:
        answer, _ = warm(root, output_format, focus)
        assert answer == cold(root, output_format, focus)
        assert warm(root, output_format, focus) == (answer, True)


def test_a_subfolder_root_sees_a_new_ignore_rule_above_it(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo")
    sub = root / "web"
    check(sub)
    write(root, ".gitignore", "node_modules/\n*.log\npackage.json\n")
    check(sub)


def test_nothing_changed_within_the_settle_time_is_trusted(tmp_path: Path) -> None:
    root = make_repo(tmp_path / "repo")
    # No settle: the files were all written just now.
    assert warm(root)[1] is False
    assert warm(root)[1] is False
    settle()
    warm(root)
    assert warm(root)[1] is True


def test_outside_git_nothing_is_cached(tmp_path: Path) -> None:
    root = tmp_path / "plain"
    write(root, "go.mod", GO_MOD)
    settle()
    warm(root)
    assert warm(root) == (cold(root), False)


# -- random sequences ----------------------------------------------------------------------

ALL_STEPS: list[tuple[Step, bool]] = [(step, False) for step in EXACT_STEPS] + [
    (edit_tracked, True),
]


@settings(max_examples=12, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(st.lists(st.sampled_from(range(len(ALL_STEPS))), min_size=1, max_size=5))
def test_random_sequences_of_steps(tmp_path_factory: pytest.TempPathFactory,
                                   steps: list[int]) -> None:
    root = make_repo(tmp_path_factory.mktemp("random") / "repo")
    check(root)
    for number in steps:
        step, may_be_stale = ALL_STEPS[number]
        step(root)
        check(root, may_be_stale=may_be_stale)
