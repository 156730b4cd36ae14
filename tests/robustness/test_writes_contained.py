"""Writers stay in their place: docs, install and state never write outside their targets.

Each hostile set-up (a traversing title, a folder symlinked out of the project, a
read-only target, a full disk) must end in one clear line on stderr, exit 1, and every
file that existed before left exactly as it was.
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from backend_persona.cli import cli
from tests.conftest import RepoFactory

Snapshot = dict[str, bytes | str]


def snapshot(folder: Path) -> Snapshot:
    """Every entry below ``folder``: file bytes, or a symlink's target; links not followed."""
    found: Snapshot = {}
    for current, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = Path(current) / name
            key = str(path.relative_to(folder))
            if path.is_symlink():
                found[key] = "-> " + os.readlink(path)
            elif path.is_file():
                found[key] = path.read_bytes()
    return found


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def assert_clear_failure(code: int, stderr: str) -> str:
    """Exit 1 and exactly one line on stderr, no traceback; returns the line."""
    lines = stderr.strip("\n").splitlines()
    assert code == 1, stderr
    assert len(lines) == 1, stderr
    assert lines[0].startswith("backend-persona: ")
    return lines[0]


def assert_result_fails_clearly(result: Result) -> str:
    assert isinstance(result.exception, SystemExit), result.exception
    return assert_clear_failure(result.exit_code, result.stderr)


@pytest.fixture
def project(make_project: RepoFactory) -> Path:
    return make_project({
        "go.mod": ("module example.test/shop\n\ngo 1.22\n\n"
                   "require github.com/gin-gonic/gin v1.9.1\n"),
        "main.go": "package main\n",
    }, name="shop")


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "keep.txt").write_text("not yours\n")
    return folder


# --- traversing titles ---------------------------------------------------------------------


@pytest.mark.parametrize("title", [
    "../../x", "../../../../../../tmp/escaped", "/etc/cron.d/job", "..", "a/../../b",
    "..\\..\\windows", "docs/../../../up", "~/.ssh/authorized_keys",
])
def test_adr_titles_never_leave_the_decisions_folder(project: Path, tmp_path: Path,
                                                     title: str) -> None:
    before = snapshot(tmp_path)

    result = invoke("docs", "adr", "new", "--project", str(project), "--", title)

    assert result.exit_code == 0, result.output
    added = set(snapshot(tmp_path)) - set(before)
    decisions = "shop/docs/architecture/decisions/"
    adr_files = [p for p in added if p.startswith(decisions) and p.endswith(".md")
                 and not p.endswith("README.md")]
    assert len(adr_files) == 1
    assert "/" not in adr_files[0].removeprefix(decisions)
    assert all(p.startswith("shop/") or p.startswith("home") for p in added), added
    assert not (tmp_path / "x").exists()


def test_decision_titles_that_traverse_stay_inside_when_docs_are_generated(
    project: Path, tmp_path: Path,
) -> None:
    for title in ("../../x", "../../../etc/passwd", "/abs/olute"):
        result = invoke("state", "decision", "--project", str(project), "--context", "c",
                        "--decision", "d", "--", title)
        assert result.exit_code == 0, result.output
    before = snapshot(tmp_path)

    result = invoke("docs", "generate", str(project))

    assert result.exit_code == 0, result.output
    added = set(snapshot(tmp_path)) - set(before)
    assert added
    assert all(p.startswith("shop/docs/architecture/") or p == "shop/.adr-dir" for p in added)
    adrs = [p for p in added if p.startswith("shop/docs/architecture/decisions/0")]
    assert len(adrs) == 3


# --- folders symlinked out of the project ----------------------------------------------------


@pytest.mark.parametrize("link", ["docs", "docs/architecture", "docs/architecture/decisions"])
def test_docs_refuse_a_folder_that_leads_outside(project: Path, outside: Path,
                                                 link: str) -> None:
    (project / link).parent.mkdir(parents=True, exist_ok=True)
    (project / link).symlink_to(outside, target_is_directory=True)
    before = snapshot(outside)

    for args in (("docs", "generate", str(project)),
                 ("docs", "adr", "new", "--project", str(project), "A", "title")):
        line = assert_result_fails_clearly(invoke(*args))
        assert "outside the project" in line

    assert snapshot(outside) == before


def test_docs_refuse_an_adr_dir_file_that_is_a_symlink(project: Path, outside: Path) -> None:
    (project / ".adr-dir").symlink_to(outside / "keep.txt")
    before = snapshot(outside)

    result = invoke("docs", "generate", str(project))

    assert snapshot(outside) == before
    if result.exit_code == 0:
        # Kept as someone else's pointer, never written through.
        assert "kept" in result.stdout and ".adr-dir" in result.stdout
    else:
        assert_result_fails_clearly(result)


@pytest.mark.parametrize("link", [".claude", ".claude/commands", ".claude/agents"])
def test_install_refuses_a_config_folder_that_leads_outside(
    project: Path, outside: Path, link: str, monkeypatch: pytest.MonkeyPatch,
) -> None:
    (project / link).parent.mkdir(parents=True, exist_ok=True)
    (project / link).symlink_to(outside, target_is_directory=True)
    monkeypatch.chdir(project)
    before = snapshot(outside)

    line = assert_result_fails_clearly(invoke("install", "--scope", "project"))

    assert "outside" in line or "symbolic link" in line
    assert snapshot(outside) == before


def test_install_refuses_a_command_file_that_is_a_symlink(
    project: Path, outside: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    commands = project / ".claude" / "commands"
    commands.mkdir(parents=True)
    (commands / "agent-persona-backend-specialist.md").symlink_to(outside / "keep.txt")
    monkeypatch.chdir(project)
    before = snapshot(outside)

    assert_result_fails_clearly(invoke("install", "--scope", "project"))

    assert snapshot(outside) == before


@pytest.mark.parametrize("link", ["", "projects"])
def test_state_refuses_a_state_folder_that_is_a_symlink(
    project: Path, outside: Path, tmp_path: Path, link: str, monkeypatch: pytest.MonkeyPatch,
) -> None:
    state_home = tmp_path / "state-home"
    if link:
        state_home.mkdir(mode=0o700)
        (state_home / link).symlink_to(outside, target_is_directory=True)
    else:
        state_home.symlink_to(outside, target_is_directory=True)
    monkeypatch.setenv("BACKEND_PERSONA_STATE_DIR", str(state_home))
    before = snapshot(outside)

    line = assert_result_fails_clearly(invoke(
        "state", "decision", "--project", str(project), "--context", "c", "--decision", "d",
        "Use", "Postgres"))

    assert "symlink" in line
    assert snapshot(outside) == before


# --- read-only targets ------------------------------------------------------------------------


@pytest.fixture
def read_only() -> Iterator[Callable[[Path], None]]:
    """Make a folder refuse new entries, even for root (``chattr +i``); undone afterwards."""
    undo: list[Callable[[], None]] = []

    def protect(folder: Path) -> None:
        if os.geteuid() != 0:
            folder.chmod(0o555)
            undo.append(lambda: folder.chmod(0o755))
            return
        if shutil.which("chattr") is None:
            pytest.skip("running as root without chattr: cannot make a folder read-only")
        done = subprocess.run(["chattr", "+i", str(folder)], capture_output=True, check=False)
        if done.returncode != 0:
            pytest.skip(f"chattr +i is not supported here: {done.stderr.decode().strip()}")
        def release() -> None:
            subprocess.run(["chattr", "-i", str(folder)], check=True)

        undo.append(release)

    yield protect
    for step in reversed(undo):
        step()


def test_docs_generate_into_a_read_only_folder_fails_clearly(
    project: Path, read_only: Callable[[Path], None],
) -> None:
    assert invoke("docs", "generate", str(project)).exit_code == 0
    invoke("state", "decision", "--project", str(project), "--context", "c", "--decision", "d",
           "Adopt", "gRPC")
    folder = project / "docs" / "architecture" / "decisions"
    before = snapshot(project / "docs")
    read_only(folder)

    line = assert_result_fails_clearly(invoke("docs", "generate", str(project)))

    assert "decisions" in line
    assert snapshot(project / "docs") == before


def test_install_into_a_read_only_folder_fails_clearly(
    project: Path, read_only: Callable[[Path], None], monkeypatch: pytest.MonkeyPatch,
) -> None:
    claude = project / ".claude"
    claude.mkdir()
    (claude / "settings.json").write_text('{"permissions": {}}\n')
    monkeypatch.chdir(project)
    before = snapshot(claude)
    read_only(claude)

    assert_result_fails_clearly(invoke("install", "--scope", "project"))

    assert snapshot(claude) == before


def test_state_in_a_read_only_folder_fails_clearly_and_keeps_the_session(
    project: Path, read_only: Callable[[Path], None],
) -> None:
    where = ("--project", str(project), "--session", "s1")
    assert invoke("state", "decision", *where, "--context", "c", "--decision", "d",
                  "First").exit_code == 0
    state_file = Path(invoke("state", "show", *where, "--format", "json").stdout
                      .split('"path": "')[1].split('"')[0])
    before = snapshot(state_file.parent)
    read_only(state_file.parent)

    assert_result_fails_clearly(invoke("state", "decision", *where, "--context", "c",
                                       "--decision", "d", "Second"))

    assert snapshot(state_file.parent) == before


# --- a full disk --------------------------------------------------------------------------------


def _limit_file_size(limit: int) -> Callable[[], None]:
    def apply() -> None:
        # A write past the limit then fails with EFBIG instead of killing the process.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def cli_process(*args: str, cwd: Path | None = None,
                limit: int | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "backend_persona", *args], capture_output=True, text=True,
        timeout=120, check=False, cwd=cwd,
        preexec_fn=_limit_file_size(limit) if limit is not None else None,
    )


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    """A 256 KB tmpfs (root only): writes on it really fail with ENOSPC once it is full."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(mount_point)],
                          capture_output=True, check=False)
    if done.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root); the RLIMIT_FSIZE cases still run")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=True)


def fill(disk: Path) -> None:
    """Take every free byte of ``disk``."""
    with open(disk / "filler", "wb", buffering=0) as handle:
        for size in (4096, 512, 1):
            try:
                while True:
                    handle.write(b"\0" * size)
            except OSError:
                continue


def test_docs_generate_on_a_full_disk_fails_clearly_and_keeps_earlier_files(
    tiny_disk: Path,
) -> None:
    root = tiny_disk / "shop"
    root.mkdir()
    (root / "go.mod").write_text("module example.test/shop\n\ngo 1.22\n")
    assert cli_process("state", "decision", "--project", str(root), "--context", "c",
                       "--decision", "d", "First").returncode == 0
    first = cli_process("docs", "generate", str(root))
    assert first.returncode == 0, first.stderr
    assert cli_process("state", "decision", "--project", str(root), "--context", "why " * 400,
                       "--decision", "what " * 400, "Second").returncode == 0
    before = snapshot(root / "docs")
    fill(tiny_disk)

    done = cli_process("docs", "generate", str(root))

    line = assert_clear_failure(done.returncode, done.stderr)
    assert "No space left on device" in line
    assert snapshot(root / "docs") == before


def test_install_on_a_full_disk_fails_clearly_and_leaves_no_partial_file(tiny_disk: Path) -> None:
    root = tiny_disk / "shop"
    (root / ".claude").mkdir(parents=True)
    (root / ".claude" / "settings.json").write_text("{}\n")
    fill(tiny_disk)

    done = cli_process("install", "--scope", "project", cwd=root)

    assert_clear_failure(done.returncode, done.stderr)
    assert (root / ".claude" / "settings.json").read_text() == "{}\n"
    leftovers = [p for p in snapshot(root / ".claude") if p.endswith(".tmp")]
    assert leftovers == []


def test_state_on_a_full_disk_fails_clearly_and_keeps_the_session(
    tiny_disk: Path, project: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("BACKEND_PERSONA_STATE_DIR", str(tiny_disk / "state"))
    where = ("--project", str(project), "--session", "s1")
    assert cli_process("state", "decision", *where, "--context", "c", "--decision", "d",
                       "First").returncode == 0
    before = snapshot(tiny_disk / "state")
    fill(tiny_disk)

    done = cli_process("state", "decision", *where, "--context", "c" * 5000, "--decision", "d",
                       "Second")

    assert_clear_failure(done.returncode, done.stderr)
    after = snapshot(tiny_disk / "state")
    assert {k: v for k, v in after.items() if not k.endswith(".lock")} == \
        {k: v for k, v in before.items() if not k.endswith(".lock")}


@pytest.mark.parametrize("command", ["docs", "install", "state"])
def test_a_file_size_limit_fails_clearly_and_keeps_earlier_files(
    project: Path, tmp_path: Path, command: str, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The unprivileged stand-in for a full disk: RLIMIT_FSIZE makes big writes fail."""
    state_home = tmp_path / "limited-state"
    monkeypatch.setenv("BACKEND_PERSONA_STATE_DIR", str(state_home))
    where = ("--project", str(project), "--session", "s1")
    assert cli_process("state", "decision", *where, "--context", "c", "--decision", "d",
                       "First").returncode == 0
    args: tuple[str, ...]
    if command == "docs":
        assert cli_process("docs", "generate", str(project)).returncode == 0
        assert cli_process("state", "decision", *where, "--context", "why " * 400,
                           "--decision", "what", "Second").returncode == 0
        args, cwd, watched = ("docs", "generate", str(project)), None, project / "docs"
    elif command == "install":
        args, cwd, watched = ("install", "--scope", "project"), project, project
    else:
        args, cwd, watched = (("state", "decision", *where, "--context", "c" * 5000,
                               "--decision", "d", "Second"), None, state_home)
    before = snapshot(watched)

    done = cli_process(*args, cwd=cwd, limit=600)

    assert_clear_failure(done.returncode, done.stderr)
    after = snapshot(watched)
    unchanged = {k: v for k, v in before.items() if not k.endswith(".lock")}
    assert {k: v for k, v in after.items() if k in unchanged} == unchanged
    new = [k for k in set(after) - set(before) if not k.endswith(".lock")]
    # Only whole folders may appear (install creates .claude/ before it writes); no files.
    assert all((watched / k).is_dir() for k in new), new
