"""A freshly cloned repository is the attacker's, .git/config included (issue 9, items 3, 4, 7).

Each attack arms a real repository to run a marker script, and first proves it is armed
by running the git command that does start the script; the context must then finish
without the marker ever appearing. Hangs run the real CLI in a subprocess, so that a
regression fails the test instead of stalling the suite.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from backend_persona.discover import discover_context
from backend_persona.models import ProjectContext
from tests.conftest import RepoFactory, init_repo

PYTHON = sys.executable
# Short, so that the cases that must wait for a timeout stay quick.
GIT_TIMEOUT = "2"
# A hang must fail the test long before pytest would be killed from outside.
GUARD_SECONDS = 120


def run_git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)


@dataclass(frozen=True)
class Marker:
    """A script that logs every call to ``log`` and copies its input to its output."""

    script: Path
    log: Path

    def fired(self) -> bool:
        return self.log.exists()


@pytest.fixture
def marker(tmp_path: Path) -> Marker:
    log = tmp_path / "MARKER"
    script = tmp_path / "driver.sh"
    script.write_text(f'#!/bin/sh\necho "$0 $*" >> "{log}"\ncat\n')
    script.chmod(0o755)
    return Marker(script, log)


def make_stat_dirty(root: Path, name: str = "main.go") -> None:
    """Same content, another mtime: git must compare contents, through the filter."""
    os.utime(root / name, (1_600_000_000, 1_600_000_000))


# --- programs named by the repository's config --------------------------------------------


def clean_filter(root: Path, script: Path) -> None:
    run_git(root, "config", "filter.x.clean", f"{script} clean")
    make_stat_dirty(root)


def process_filter(root: Path, script: Path) -> None:
    run_git(root, "config", "filter.x.process", f"{script} process")
    run_git(root, "config", "filter.x.required", "true")  # a failing driver kills status
    make_stat_dirty(root)


def filter_in_included_file(root: Path, script: Path) -> None:
    included = root.parent / "included.cfg"
    # A driver name with "=" and dots, which a "-c name=value" override would misparse.
    included.write_text(f'[filter "we=ird.name"]\n\tclean = {script} included\n')
    (root / ".gitattributes").write_text("* filter=we=ird.name\n")
    run_git(root, "config", "include.path", str(included))
    make_stat_dirty(root, ".gitattributes")
    make_stat_dirty(root)


def filter_in_conditional_include(root: Path, script: Path) -> None:
    included = root.parent / "conditional.cfg"
    included.write_text(f"[filter \"x\"]\n\tclean = {script} includeIf\n")
    run_git(root, "config", f"includeIf.gitdir:{root}/.git.path", str(included))
    make_stat_dirty(root)


def submodule_filter(root: Path, script: Path) -> None:
    # A nested repository is checked by a git process that reads the nested config.
    nested = root / "vendored"
    nested.mkdir()
    (nested / "lib.go").write_text("package lib\n")
    (nested / ".gitattributes").write_text("* filter=y\n")
    init_repo(nested)
    run_git(nested, "config", "filter.y.clean", f"{script} submodule")
    run_git(root, "add", "vendored")
    run_git(root, "commit", "-qm", "Add a submodule")
    make_stat_dirty(nested, "lib.go")


def fsmonitor_hook(root: Path, script: Path) -> None:
    run_git(root, "config", "core.fsmonitor", str(script))


def signed_head(root: Path, script: Path) -> None:
    commit = subprocess.run(["git", "-C", str(root), "cat-file", "commit", "HEAD"], check=True,
                            capture_output=True, text=True).stdout
    header, _, message = commit.partition("\n\n")
    signature = ("gpgsig -----BEGIN PGP SIGNATURE-----\n \n iQEzBAABCAAdFiEE\n"
                 " -----END PGP SIGNATURE-----")
    signed = subprocess.run(
        ["git", "-C", str(root), "hash-object", "-t", "commit", "-w", "--literally", "--stdin"],
        input=f"{header}\n{signature}\n\n{message}", check=True, capture_output=True, text=True,
    ).stdout.strip()
    run_git(root, "update-ref", "HEAD", signed)
    run_git(root, "config", "log.showSignature", "true")
    run_git(root, "config", "gpg.program", str(script))


def lazy_fetch_over_ssh(root: Path, script: Path) -> None:
    # A partial clone fetches a missing object from its promisor remote, through
    # core.sshCommand; the HEAD commit is the object that goes missing here.
    for key, value in {"core.repositoryformatversion": "1", "extensions.partialClone": "origin",
                       "remote.origin.url": "ssh://attacker.invalid/repo",
                       "remote.origin.promisor": "true",
                       # Through a shell: an empty input ends the copy, and with it the fetch.
                       "core.sshCommand": f"{script} ssh < /dev/null"}.items():
        run_git(root, "config", key, value)
    sha = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], check=True,
                         capture_output=True, text=True).stdout.strip()
    (root / ".git" / "objects" / sha[:2] / sha[2:]).unlink()


def external_diff(root: Path, script: Path) -> None:
    run_git(root, "config", "diff.external", str(script))
    (root / "main.go").write_text("package main\n\nfunc main() {}\n")


def textconv(root: Path, script: Path) -> None:
    (root / ".gitattributes").write_text("* diff=x\n")
    run_git(root, "config", "diff.x.textconv", str(script))
    (root / "main.go").write_text("package main\n\nfunc main() {}\n")


@dataclass(frozen=True)
class Attack:
    arm: Callable[[Path, Path], None]
    # A git command that does run the script once armed: the proof that the arming works.
    control: tuple[str, ...]


STATUS = ("status", "--porcelain=v2")
ATTACKS = {
    "filter-clean": Attack(clean_filter, STATUS),
    "filter-process": Attack(process_filter, STATUS),
    "filter-in-include-path": Attack(filter_in_included_file, STATUS),
    "filter-in-include-if": Attack(filter_in_conditional_include, STATUS),
    "submodule-filter": Attack(submodule_filter, STATUS),
    "core-fsmonitor": Attack(fsmonitor_hook, STATUS),
    "gpg-program": Attack(signed_head, ("log", "-1")),
    "lazy-fetch-ssh-command": Attack(lazy_fetch_over_ssh, ("log", "-1")),
    "diff-external": Attack(external_diff, ("diff",)),
    "textconv": Attack(textconv, ("diff",)),
}


@pytest.mark.parametrize("attack", ATTACKS.values(), ids=ATTACKS.keys())
def test_no_program_from_the_repository_config_runs(
    make_project: RepoFactory, marker: Marker, attack: Attack
) -> None:
    root = make_project({"main.go": "package main\n", ".gitattributes": "* filter=x\n"})
    attack.arm(root, marker.script)
    # Without the index lock, as the context runs git: the proof leaves the index stat-dirty.
    subprocess.run(["git", "-C", str(root), *attack.control], capture_output=True, check=False,
                   env={**os.environ, "GIT_OPTIONAL_LOCKS": "0"}, timeout=GUARD_SECONDS,
                   stdin=subprocess.DEVNULL)
    assert marker.fired(), "the arming is broken: plain git did not run the script"
    marker.log.unlink()

    found = discover_context(root)

    assert not marker.fired(), marker.log.read_text()
    assert found.file_count >= 1


def test_a_neutralised_filter_still_counts_real_changes(
    make_project: RepoFactory, marker: Marker
) -> None:
    # The overrides stop the driver, not the comparison: an edit is still a change.
    root = make_project({"main.go": "package main\n", ".gitattributes": "* filter=x\n"})
    clean_filter(root, marker.script)
    (root / "main.go").write_text("package main\n// edited\n")

    found = discover_context(root)

    assert found.git.uncommitted == 1
    assert not marker.fired()


def test_a_submodule_whose_commit_moved_is_still_a_change(
    make_project: RepoFactory, marker: Marker
) -> None:
    root = make_project({"main.go": "package main\n"})
    submodule_filter(root, marker.script)
    nested = root / "vendored"
    (nested / "more.go").write_text("package lib\n")
    run_git(nested, "add", "more.go")
    run_git(nested, "commit", "-qm", "More")
    make_stat_dirty(nested, "lib.go")
    marker.log.unlink()  # the nested repository's own add ran its filter, as it should

    found = discover_context(root)

    assert found.git.uncommitted == 1
    assert not marker.fired()


# --- nothing hangs ------------------------------------------------------------------------


@pytest.fixture
def blocked_stdin() -> Iterator[int]:
    """A standard input that never delivers a byte and never ends, like an idle terminal."""
    read_end, write_end = os.pipe()
    yield read_end
    os.close(read_end)
    os.close(write_end)


def run_context(root: Path, stdin: int | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "BACKEND_PERSONA_GIT_TIMEOUT": GIT_TIMEOUT}
    return subprocess.run(
        [PYTHON, "-m", "backend_persona", "context", str(root), "--format", "json"],
        capture_output=True, text=True, timeout=GUARD_SECONDS, check=False, env=env,
        stdin=stdin if stdin is not None else subprocess.DEVNULL,
    )


def context_of(root: Path, stdin: int | None = None) -> ProjectContext:
    done = run_context(root, stdin)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    return ProjectContext.model_validate(json.loads(done.stdout))


PROJECT = {"main.py": "print('hi')\n", "app/server.py": "print('serve')\n"}


@pytest.mark.parametrize("in_git", [True, False], ids=["git", "no-git"])
@pytest.mark.parametrize("folder", ["", "app"], ids=["root", "nested"])
def test_fifo_gitignore_does_not_hang(make_project: RepoFactory, in_git: bool,
                                      folder: str) -> None:
    root = make_project(PROJECT, git=in_git)
    fifo = root / folder / ".gitignore"
    os.mkfifo(fifo)

    found = context_of(root)

    # The FIFO itself is no listed file: git never lists what it cannot track, and outside
    # git the walker lists regular files and links as git would.
    assert found.file_count == 2
    shown = f"{folder}/.gitignore" if folder else ".gitignore"
    if not in_git:
        assert f"{shown} is not a regular file; its rules were not applied" in found.notes
    elif folder:
        assert (f"git ls-files did not finish within {GIT_TIMEOUT} s and was stopped; only "
                "tracked files are listed (is a .gitignore a FIFO?)") in found.notes
    else:
        assert (".gitignore is a FIFO, which git would wait on forever; untracked files "
                "are not listed") in found.notes


def test_fifo_gitignore_in_git_still_lists_every_tracked_file(make_project: RepoFactory) -> None:
    root = make_project(PROJECT)
    os.mkfifo(root / ".gitignore")
    (root / "untracked.py").write_text("")

    found = context_of(root)

    assert found.file_count == 2  # untracked.py is the price of not reading the FIFO
    assert found.git.status == "ok"
    assert found.git.branch == "main"


def test_fifo_gitattributes_stops_status_not_the_context(make_project: RepoFactory) -> None:
    # Status reads .gitattributes to compare a stat-dirty file: the open blocks.
    root = make_project(PROJECT)
    os.mkfifo(root / ".gitattributes")
    make_stat_dirty(root, "main.py")

    found = context_of(root)

    assert found.file_count == 2
    assert found.git.status == "git-error"
    assert (f"git status did not finish within {GIT_TIMEOUT} s and was stopped; the branch "
            "and changes are unknown") in found.notes


def test_fifo_in_the_config_include_chain_falls_back_to_the_walk(
    make_project: RepoFactory, tmp_path: Path
) -> None:
    # Every git process reads the config: all of them block, and all are stopped.
    root = make_project({**PROJECT, ".gitignore": "app/\n"})
    fifo = tmp_path / "config-fifo"
    os.mkfifo(fifo)
    run_git(root, "config", "include.path", str(fifo))

    found = context_of(root)

    assert found.git.status == "git-error"
    assert found.file_count == 2  # .gitignore and main.py: its rules were applied by the walk
    assert (f"git failed (git config did not finish within {GIT_TIMEOUT} s and was stopped); "
            "files were listed with .gitignore rules") in found.notes


def outside_rules(root: Path) -> Path:
    outside = root.parent / "outside-ignore"
    outside.write_text("main.py\napp/\n")  # would hide every file of the project
    return outside


GITIGNORE_TARGETS: dict[str, Callable[[Path], Path]] = {
    "dev-stdin": lambda root: Path("/dev/stdin"),
    "dev-zero": lambda root: Path("/dev/zero"),
    "outside-file": outside_rules,
}


@pytest.mark.parametrize("in_git", [True, False], ids=["git", "no-git"])
@pytest.mark.parametrize("target", GITIGNORE_TARGETS.values(), ids=GITIGNORE_TARGETS.keys())
def test_symlinked_gitignore_is_not_followed(
    make_project: RepoFactory, blocked_stdin: int, target: Callable[[Path], Path], in_git: bool
) -> None:
    root = make_project(PROJECT, git=False)
    (root / ".gitignore").symlink_to(target(root))
    if in_git:
        init_repo(root)

    found = context_of(root, stdin=blocked_stdin)

    assert found.file_count == 3  # both files and the link itself: no rule was applied
    assert [(lang.name, lang.files) for lang in found.languages] == [("Python", 2)]
    if not in_git:
        assert ".gitignore is a symbolic link; its rules were not applied" in found.notes


# --- the project's own bytes only ---------------------------------------------------------


# The go detector names a component after the module path's last segment.
OUTSIDE_NAME = "outsidemodule"
OUTSIDE_MODULE = f"evil.example/{OUTSIDE_NAME}"
OUTSIDE_PACKAGE = "outside-package-name"


def test_tracked_folder_replaced_by_a_symlink_is_not_read(
    make_project: RepoFactory, tmp_path: Path
) -> None:
    root = make_project({
        "main.go": "package main\n",
        "a/b/go.mod": "module example.com/inside\n\ngo 1.22\n",
        "a/b/package.json": '{"name": "inside"}\n',
    })
    outside = tmp_path / "outside"
    (outside / "b").mkdir(parents=True)
    (outside / "b" / "go.mod").write_text(f"module {OUTSIDE_MODULE}\n\ngo 1.22\n")
    (outside / "b" / "package.json").write_text(
        json.dumps({"name": OUTSIDE_PACKAGE, "dependencies": {"express": "^4.19.0"}}))
    for path in (root / "a" / "b").iterdir():
        path.unlink()
    (root / "a" / "b").rmdir()
    (root / "a").rmdir()
    (root / "a").symlink_to(outside)  # what a tar archive can carry

    done = run_context(root)

    assert done.returncode == 0, done.stderr
    assert OUTSIDE_NAME not in done.stdout
    assert OUTSIDE_PACKAGE not in done.stdout
    assert "Express" not in done.stdout
    found = ProjectContext.model_validate(json.loads(done.stdout))
    assert "a/b/go.mod crosses a symlink (a); skipped" in found.notes
    assert "a/b/package.json crosses a symlink (a); skipped" in found.notes


def test_the_same_tree_without_the_symlink_is_read(make_project: RepoFactory) -> None:
    # The control for the test above: the detectors do read a/b/ when it is a real folder.
    root = make_project({"main.go": "package main\n",
                         "a/b/go.mod": f"module {OUTSIDE_MODULE}\n\ngo 1.22\n"})

    assert OUTSIDE_NAME in run_context(root).stdout
