"""Regression tests for the review findings on git, state, docs, lint, doctor and pack."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from backend_persona import git, gitparse
from tests.conftest import init_repo, write_tree


def run_git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)


def planted_elsewhere(tmp_path: Path) -> Path:
    """A folder beside the checkout whose file name must never reach the context."""
    elsewhere = tmp_path / "elsewhere"
    write_tree(elsewhere, {"SECRET_NAME.txt": "x\n"})
    return elsewhere


# --- 1. the work tree is the checkout's own -----------------------------------------------


@pytest.mark.parametrize("relative", [False, True], ids=["absolute", "relative"])
def test_core_worktree_does_not_list_another_folder(tmp_path: Path, relative: bool) -> None:
    elsewhere = planted_elsewhere(tmp_path)
    root = write_tree(tmp_path / "repo", {"main.go": "package main\n"})
    init_repo(root)
    run_git(root, "config", "core.worktree", "../../elsewhere" if relative else str(elsewhere))

    snap = git.snapshot(root)

    assert snap.files == ["main.go"]
    assert snap.state.uncommitted == 0


def test_bare_layout_at_root_is_not_a_repository(tmp_path: Path) -> None:
    elsewhere = planted_elsewhere(tmp_path)
    source = write_tree(tmp_path / "source", {"main.go": "package main\n"})
    init_repo(source)
    root = tmp_path / "root"
    # The checkout root is itself a git directory: HEAD, config, objects/, no .git.
    subprocess.run(["cp", "-r", str(source / ".git"), str(root)], check=True)
    run_git(root, "config", "core.bare", "false")
    run_git(root, "config", "core.worktree", str(elsewhere))

    snap = git.snapshot(root)

    assert snap.files is None
    assert snap.state.status == "not-a-repository"


def test_a_worktree_checkout_still_lists_its_files(tmp_path: Path) -> None:
    main = write_tree(tmp_path / "main", {"main.go": "package main\n"})
    init_repo(main)
    linked = tmp_path / "linked"
    run_git(main, "worktree", "add", "-q", "-b", "side", str(linked))
    (linked / "new.txt").write_text("new\n")

    snap = git.snapshot(linked)

    assert snap.files == ["main.go", "new.txt"]
    assert snap.state.branch == "side"
    assert snap.state.uncommitted == 1


def test_a_subfolder_of_a_worktree_checkout_lists_relative_to_it(tmp_path: Path) -> None:
    main = write_tree(tmp_path / "main", {"api/a.go": "package api\n", "b.go": "package b\n"})
    init_repo(main)
    linked = tmp_path / "linked"
    run_git(main, "worktree", "add", "-q", "-b", "side", str(linked))

    assert git.snapshot(linked / "api").files == ["a.go"]


@pytest.mark.parametrize("variable", ["GIT_COMMON_DIR", "GIT_OBJECT_DIRECTORY",
                                      "GIT_ALTERNATE_OBJECT_DIRECTORIES", "GIT_CONFIG"])
def test_redirecting_variables_are_dropped(variable: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(variable, "/nowhere")

    assert variable not in git._environment()


# --- 2. a huge commit subject ---------------------------------------------------------------


@pytest.mark.parametrize(("subject", "kept"), [
    ("word " * 100_000, "word " * 203 + "word"),
    ("x" * 100_000, ""),
    # A key straddling the cut goes with it, rather than surviving half-recognised.
    ("fix " * 250 + "AKIAABCDEFGHIJKLMNOP" * 10, ("fix " * 250).rstrip()),
])
def test_a_huge_commit_subject_is_cut_at_whitespace(subject: str, kept: str) -> None:
    raw = f"{'a' * 40}\0aaaaaaa\x002024-01-01T00:00:00+00:00\0{subject}\n".encode()

    commit = gitparse.parse_log(raw)

    assert commit is not None
    assert commit.subject == kept
    assert len(commit.subject) <= git.MAX_SUBJECT_CHARS


def test_a_short_subject_is_kept_whole() -> None:
    raw = f"{'a' * 40}\0aaaaaaa\x002024-01-01T00:00:00+00:00\0Add orders\n".encode()

    commit = gitparse.parse_log(raw)

    assert commit is not None
    assert commit.subject == "Add orders"
