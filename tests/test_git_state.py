"""Git state as the context reports it, read from real repositories built in tmp_path."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from backend_persona import git
from backend_persona.cli import cli
from backend_persona.discover import discover_context
from tests.conftest import PINNED_GIT_ENV, RepoFactory

PINNED_DATE = PINNED_GIT_ENV["GIT_COMMITTER_DATE"]


def run_git(root: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True,
                          text=True)
    return done.stdout.strip()


def head_sha(root: Path) -> str:
    return run_git(root, "rev-parse", "HEAD")


BASE = {"main.go": "package main\n", "README.md": "# demo\n", "old.txt": "old\n"}


def no_change(root: Path) -> None:
    """Leave the committed tree as it is."""


def modify_stage_and_add(root: Path) -> None:
    (root / "main.go").write_text("package main\n\nfunc main() {}\n")  # modified, unstaged
    (root / "staged.go").write_text("package main\n")
    run_git(root, "add", "staged.go")  # staged new file
    (root / "untracked.go").write_text("package main\n")  # untracked, not ignored
    (root / "README.md").unlink()  # tracked, deleted


def untracked_but_ignored(root: Path) -> None:
    (root / ".git" / "info" / "exclude").write_text("*.log\n")
    (root / "debug.log").write_text("noise\n")  # ignored: not a change


def rename_staged(root: Path) -> None:
    # A rename is one change, although porcelain v2 spends two NUL-separated fields on it.
    run_git(root, "mv", "old.txt", "new.txt")


def detach(root: Path) -> None:
    run_git(root, "checkout", "--quiet", "--detach")


def feature_branch(root: Path) -> None:
    run_git(root, "checkout", "--quiet", "-b", "feature/orders-api")


@dataclass(frozen=True)
class StateCase:
    change: Callable[[Path], None]
    summary: str | Callable[[Path], str]
    uncommitted: int
    branch: str | None = "main"
    detached: bool = False


STATE_CASES = {
    "clean": StateCase(no_change, "branch main", 0),
    "modified-staged-untracked-deleted": StateCase(modify_stage_and_add, "branch main", 4),
    "ignored-files-are-not-changes": StateCase(untracked_but_ignored, "branch main", 0),
    "rename-counts-once": StateCase(rename_staged, "branch main", 1),
    "feature-branch": StateCase(feature_branch, "branch feature/orders-api", 0,
                                branch="feature/orders-api"),
    "detached": StateCase(detach, lambda root: f"detached at {head_sha(root)[:7]}", 0,
                          branch=None, detached=True),
}


@pytest.mark.parametrize("case", STATE_CASES.values(), ids=STATE_CASES.keys())
def test_state_of_committed_repository(make_project: RepoFactory, case: StateCase) -> None:
    root = make_project(BASE)
    case.change(root)

    state = git.snapshot(root).state

    expected_summary = case.summary(root) if callable(case.summary) else case.summary
    assert state.status == "ok"
    assert state.summary == expected_summary
    assert state.branch == case.branch
    assert state.detached_at == (head_sha(root)[:7] if case.detached else None)
    assert state.uncommitted == case.uncommitted
    assert state.last_commit is not None
    assert state.last_commit.sha == head_sha(root)
    assert state.last_commit.short == head_sha(root)[: len(state.last_commit.short)]
    assert len(state.last_commit.short) >= 7
    assert state.last_commit.date == PINNED_DATE
    assert state.last_commit.subject == "Initial commit"


def test_last_commit_is_the_newest_one(make_project: RepoFactory) -> None:
    root = make_project(BASE)
    (root / "main.go").write_text("package main\n// v2\n")
    run_git(root, "commit", "--quiet", "-am", "Add the orders endpoint")

    commit = git.snapshot(root).state.last_commit

    assert commit is not None
    assert commit.subject == "Add the orders endpoint"
    assert commit.sha == head_sha(root)


def test_empty_repository_has_no_commits_yet(make_project: RepoFactory) -> None:
    root = make_project({"main.go": "package main\n", "go.mod": "module x\n\ngo 1.22\n"},
                        commit=False)

    snap = git.snapshot(root)

    assert snap.state.status == "no-commits"
    assert snap.state.summary == "branch main, no commits yet"
    assert snap.state.last_commit is None
    assert snap.state.uncommitted == 2  # both files are untracked
    assert snap.files == ["go.mod", "main.go"]


def test_empty_repository_context_still_lists_the_stack(make_project: RepoFactory) -> None:
    root = make_project({"go.mod": "module example.com/x\n\ngo 1.22\n"}, commit=False)

    result = CliRunner().invoke(cli, ["context", str(root)])

    assert result.exit_code == 0, result.output
    assert "- **Git:** branch main, no commits yet · 1 uncommitted change(s)" in result.output
    assert "| Go | runtime | 1.22 |" in result.output


def test_plain_directory_is_not_a_repository(make_project: RepoFactory) -> None:
    root = make_project({"main.go": "package main\n"}, git=False)

    snap = git.snapshot(root)

    assert snap.files is None
    assert snap.state.status == "not-a-repository"
    assert snap.state.summary == "not a git repository"
    assert (snap.state.branch, snap.state.last_commit, snap.state.uncommitted) == (None, None, None)


def test_git_missing_from_path_is_reported_not_raised(
    make_project: RepoFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_project(BASE)
    empty_bin = tmp_path / "empty-bin"
    empty_bin.mkdir()
    monkeypatch.setenv("PATH", str(empty_bin))

    snap = git.snapshot(root)

    assert snap.files is None
    assert snap.state.status == "git-unavailable"
    assert snap.state.summary == "git is not installed"


def test_unreadable_repository_is_a_git_error_with_its_first_line(
    make_project: RepoFactory,
) -> None:
    root = make_project(BASE)
    with (root / ".git" / "config").open("a") as config:
        config.write("[core\n")

    snap = git.snapshot(root)

    assert snap.state.status == "git-error"
    assert snap.state.summary == "git could not read this repository"
    assert snap.error is not None
    assert "bad config" in snap.error
    assert "\n" not in snap.error


def test_redirecting_variables_do_not_point_git_elsewhere(
    make_project: RepoFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Hooks and editors export GIT_DIR; the context must still describe the PATH it was given.
    other = make_project({"other.txt": "x\n"})
    run_git(other, "checkout", "--quiet", "-b", "other-branch")
    root = make_project(BASE)
    monkeypatch.setenv("GIT_DIR", str(other / ".git"))
    monkeypatch.setenv("GIT_WORK_TREE", str(other))

    snap = git.snapshot(root)

    assert snap.state.branch == "main"
    assert snap.files == ["README.md", "main.go", "old.txt"]


def test_index_lock_held_by_the_user_does_not_break_the_probe(make_project: RepoFactory) -> None:
    root = make_project(BASE)
    (root / "main.go").write_text("package main\n// edited\n")
    lock = root / ".git" / "index.lock"
    lock.write_text("")  # the user's own git is mid-commit

    state = git.snapshot(root).state

    assert state.status == "ok"
    assert state.uncommitted == 1
    assert lock.exists()  # we neither took nor removed their lock


def test_context_reports_pinned_last_commit_in_markdown(make_project: RepoFactory) -> None:
    root = make_project(BASE)
    short = discover_context(root).git.last_commit
    assert short is not None

    result = CliRunner().invoke(cli, ["context", str(root)])

    assert result.exit_code == 0, result.output
    assert (f"- **Git:** branch main · last commit `{short.short}` 2026-01-02 "
            f"\"Initial commit\" · 0 uncommitted change(s)") in result.output


def test_context_of_detached_head_in_markdown(make_project: RepoFactory) -> None:
    root = make_project(BASE)
    detach(root)

    result = CliRunner().invoke(cli, ["context", str(root)])

    assert result.exit_code == 0, result.output
    assert f"- **Git:** detached at {head_sha(root)[:7]} · last commit" in result.output
    assert "branch main" not in result.output


# --- timeouts -----------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "seconds"), [
    (None, git.GIT_TIMEOUT_SECONDS),
    ("2.5", 2.5),
    ("60", 60.0),
    ("", git.GIT_TIMEOUT_SECONDS),
    ("soon", git.GIT_TIMEOUT_SECONDS),
    ("0", git.GIT_TIMEOUT_SECONDS),
    ("-1", git.GIT_TIMEOUT_SECONDS),
    ("inf", git.GIT_TIMEOUT_SECONDS),
    ("nan", git.GIT_TIMEOUT_SECONDS),
])
def test_timeout_comes_from_the_environment_when_it_is_usable(
    monkeypatch: pytest.MonkeyPatch, value: str | None, seconds: float
) -> None:
    if value is None:
        monkeypatch.delenv(git.TIMEOUT_VARIABLE, raising=False)
    else:
        monkeypatch.setenv(git.TIMEOUT_VARIABLE, value)

    assert git.git_timeout() == seconds


@pytest.fixture
def git_pids(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Put a git on PATH that records the id of every git process, then becomes git."""
    real = shutil.which("git")
    assert real is not None
    folder = tmp_path / "recording-bin"
    folder.mkdir()
    pids = tmp_path / "git-pids"
    wrapper = folder / "git"
    wrapper.write_text(f'#!/bin/sh\necho $$ >> "{pids}"\nexec "{real}" "$@"\n')
    wrapper.chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    return pids


def assert_all_gone(pids: Path) -> None:
    for pid in map(int, pids.read_text().split()):
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)  # neither running nor a zombie: killed and waited for


def test_a_listing_that_blocks_is_killed_and_replaced_by_the_tracked_files(
    make_project: RepoFactory, monkeypatch: pytest.MonkeyPatch, git_pids: Path
) -> None:
    root = make_project(BASE)
    (root / "sub").mkdir()
    os.mkfifo(root / "sub" / ".gitignore")  # git opens it with a blocking open(2)
    (root / "untracked.go").write_text("package main\n")
    monkeypatch.setenv(git.TIMEOUT_VARIABLE, "0.5")
    git_pids.write_text("")  # only the snapshot's own processes

    snap = git.snapshot(root)

    assert snap.files == ["README.md", "main.go", "old.txt"]
    assert snap.state.status == "ok"
    assert snap.notes == ["git ls-files did not finish within 0.5 s and was stopped; only "
                          "tracked files are listed (is a .gitignore a FIFO?)"]
    assert len(git_pids.read_text().split()) == 5  # config, listing, log, status, tracked
    assert_all_gone(git_pids)


def test_a_fifo_gitignore_at_the_root_costs_no_timeout(
    make_project: RepoFactory, monkeypatch: pytest.MonkeyPatch, git_pids: Path
) -> None:
    root = make_project(BASE)
    os.mkfifo(root / ".gitignore")
    # Were the full listing started, it would block for the whole minute, then say so.
    monkeypatch.setenv(git.TIMEOUT_VARIABLE, "60")
    git_pids.write_text("")

    snap = git.snapshot(root)

    assert snap.files == ["README.md", "main.go", "old.txt"]
    assert snap.notes == [".gitignore is a FIFO, which git would wait on forever; untracked "
                          "files are not listed"]
    assert len(git_pids.read_text().split()) == 4
    assert_all_gone(git_pids)


def test_a_fifo_info_exclude_blocks_listing_and_status_but_not_the_tracked_files(
    make_project: RepoFactory, monkeypatch: pytest.MonkeyPatch, git_pids: Path
) -> None:
    root = make_project(BASE)
    exclude = root / ".git" / "info" / "exclude"
    exclude.unlink(missing_ok=True)
    os.mkfifo(exclude)  # status opens it too, even without untracked files
    monkeypatch.setenv(git.TIMEOUT_VARIABLE, "0.5")
    git_pids.write_text("")

    snap = git.snapshot(root)

    assert snap.files == ["README.md", "main.go", "old.txt"]
    assert snap.state.status == "git-error"
    assert snap.notes == [
        "git ls-files did not finish within 0.5 s and was stopped; only tracked files are "
        "listed (is a .gitignore a FIFO?)",
        "git status did not finish within 0.5 s and was stopped; the branch and changes are "
        "unknown",
    ]
    assert_all_gone(git_pids)


def test_when_every_git_blocks_all_are_killed(
    make_project: RepoFactory, monkeypatch: pytest.MonkeyPatch, git_pids: Path, tmp_path: Path
) -> None:
    root = make_project(BASE)
    fifo = tmp_path / "included-config"
    os.mkfifo(fifo)
    run_git(root, "config", "include.path", str(fifo))
    monkeypatch.setenv(git.TIMEOUT_VARIABLE, "0.5")
    git_pids.write_text("")

    snap = git.snapshot(root)

    assert snap.files is None
    assert snap.state.status == "git-error"
    assert snap.error == "git config did not finish within 0.5 s and was stopped"
    assert len(git_pids.read_text().split()) == 3  # status never starts without the config
    assert_all_gone(git_pids)


def test_the_users_own_git_config_variables_still_apply(
    make_project: RepoFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Filter overrides travel as GIT_CONFIG_KEY_<n>: they must follow the user's own.
    root = make_project({**BASE, ".gitattributes": "*.md filter=x\n"})
    run_git(root, "config", "filter.x.clean", "cat")
    rename_staged(root)
    monkeypatch.setenv("GIT_CONFIG_COUNT", "1")
    monkeypatch.setenv("GIT_CONFIG_KEY_0", "status.renames")
    monkeypatch.setenv("GIT_CONFIG_VALUE_0", "false")

    state = git.snapshot(root).state

    assert state.uncommitted == 2  # without rename detection: a deletion and an addition
