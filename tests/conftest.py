"""Shared fixtures: real files and real git repositories in tmp_path, with a pinned identity."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

# Every repository the suite builds commits as this identity at this instant, so that
# hashes, dates and snapshots never depend on who runs the tests or when.
PINNED_GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test Author",
    "GIT_AUTHOR_EMAIL": "author@example.test",
    "GIT_COMMITTER_NAME": "Test Author",
    "GIT_COMMITTER_EMAIL": "author@example.test",
    "GIT_AUTHOR_DATE": "2026-01-02T03:04:05+00:00",
    "GIT_COMMITTER_DATE": "2026-01-02T03:04:05+00:00",
    "GIT_CONFIG_NOSYSTEM": "1",
}

# The state tests' clock starts at the same instant.
START = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)

FileContent = str | bytes
Tree = Mapping[str, FileContent]
RepoFactory = Callable[..., Path]


@pytest.fixture(autouse=True)
def _hermetic_git(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No user or system git configuration leaks into a test, and no test sees another's."""
    home = tmp_path_factory.mktemp("home")
    config = home / ".gitconfig"
    config.write_text("[init]\n\tdefaultBranch = main\n[safe]\n\tdirectory = *\n")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setenv("BACKEND_PERSONA_STATE_DIR", str(home / "state"))
    # The warm path's cache is off unless a test turns it on (tests/test_cache*.py do).
    monkeypatch.setenv("BACKEND_PERSONA_CACHE", "0")
    for key, value in PINNED_GIT_ENV.items():
        monkeypatch.setenv(key, value)
    for key in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "CLAUDE_CODE_SESSION_ID"):
        monkeypatch.delenv(key, raising=False)


def write_tree(root: Path, files: Tree) -> Path:
    """Create ``files`` (relative path -> text or bytes) under ``root``."""
    for relative, content in files.items():
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    return root


def init_repo(root: Path, *, commit: bool = True, message: str = "Initial commit") -> None:
    """Turn ``root`` into a git repository through GitPython, committing everything in it."""
    import git  # noqa: PLC0415

    repo = git.Repo.init(root, initial_branch="main")
    if commit:
        repo.git.add("--all")
        repo.git.commit("--allow-empty", "-m", message)


@pytest.fixture
def make_project(tmp_path: Path) -> Iterator[RepoFactory]:
    """Build a project tree; ``git=True`` (the default) makes it a committed repository."""
    counter = 0

    def make(files: Tree, *, git: bool = True, commit: bool = True, name: str = "") -> Path:
        nonlocal counter
        counter += 1
        root = tmp_path / (name or f"project{counter}")
        root.mkdir(parents=True)
        write_tree(root, files)
        if git:
            init_repo(root, commit=commit)
        return root

    yield make


@pytest.fixture
def chdir(monkeypatch: pytest.MonkeyPatch) -> Callable[[Path], None]:
    """Change the working directory for one test."""

    def change(path: Path) -> None:
        monkeypatch.chdir(path)

    return change


@contextmanager
def lock_held_elsewhere(lock_file: Path) -> Iterator[None]:
    """Another process holds ``lock_file`` (as a second backend-persona would) for the block."""
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from filelock import FileLock\n"
         "with FileLock(sys.argv[1]):\n    print('held', flush=True); time.sleep(30)\n",
         str(lock_file)],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline() == "held\n"
        yield
    finally:
        holder.kill()
        holder.wait()


class Clock:
    """A clock that moves one minute per reading, so that every write has its own time."""

    def __init__(self, start: datetime = START) -> None:
        self.now = start

    def __call__(self) -> datetime:
        value = self.now
        self.now += timedelta(minutes=1)
        return value
