"""The warm path's store and entry point: private, keyed by the real root, bypassable.

The console script runs in a subprocess here, as Claude Code runs it; the invalidation
suite (tests/test_cache_invalidation.py) proves the answers exact.
"""

from __future__ import annotations

import marshal
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from backend_persona import cache, entry
from backend_persona.cli import cli

SETTLE = "0.02"
ENCODING = {"PYTHONIOENCODING": "utf-8:strict"}


@pytest.fixture(autouse=True)
def _warm(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    monkeypatch.delenv(cache.CACHE_ENV, raising=False)
    monkeypatch.setenv(cache.SETTLE_ENV, SETTLE)
    monkeypatch.setenv(cache.SYNC_ENV, "1")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("cache")))


def git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "orders"
    root.mkdir()
    (root / "go.mod").write_text("module example.com/orders\n\ngo 1.22\n", encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Orders")
    time.sleep(0.05)
    return root


def run(*args: str, env: dict[str, str] | None = None,
        cwd: Path | None = None) -> subprocess.CompletedProcess[bytes]:
    """The console script's entry, in a fresh interpreter."""
    code = "import sys; from backend_persona.entry import main; sys.argv[0] = 'bp'; main()"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True,
                          env={**os.environ, **ENCODING, **(env or {})}, cwd=cwd, check=False)


def key_for(root: Path, output_format: str = "markdown", focus: str | None = None) -> str:
    # The subprocess writes to a pipe, in the encoding ENCODING names.
    return cache.key(os.path.realpath(root), output_format, focus, encoding="utf-8/strict")


def plant(root: Path, output: bytes, *, paths: list[str] | None = None) -> None:
    """An entry for ``root`` with ``output``, trusted while ``paths`` (none: always) stand."""
    assert cache.store(key_for(root), output, root=str(root), status_digest=None,
                       paths=paths or [], started_ns=time.time_ns())


def test_a_miss_writes_the_entry_and_the_next_run_prints_it(repo: Path) -> None:
    cold = run("context", str(repo))
    assert cold.returncode == 0, cold.stderr
    assert cold.stderr == b""
    assert cache.lookup(key_for(repo)) is not None
    warm = run("context", str(repo))
    assert (warm.returncode, warm.stdout, warm.stderr) == (0, cold.stdout, b"")
    assert run("context", str(repo), "--no-cache").stdout == cold.stdout


def test_the_hit_path_imports_neither_click_nor_pydantic_nor_re(repo: Path) -> None:
    plant(repo, b"cached answer\n")
    result = run("context", str(repo), env={"PYTHONPROFILEIMPORTTIME": "1"})
    assert result.stdout == b"cached answer\n"
    imported = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.decode().splitlines()
                if line.startswith("import time:")}
    assert "backend_persona.cache" in imported
    assert not {"click", "pydantic", "re", "typing"} & imported


@pytest.mark.parametrize("arguments", [
    ["context", "--no-cache"],
    ["context", "--debug"],
    ["--debug", "context"],
    ["context", "--format", "json"],
    ["context", "--focus", "go"],
])
def test_what_the_entry_does_not_answer_goes_to_the_cli(repo: Path, arguments: list[str]) -> None:
    plant(repo, b"cached answer\n")
    result = run(*arguments, cwd=repo)
    assert result.returncode == 0
    assert result.stdout != b"cached answer\n"
    assert result.stdout.startswith(b"## Project context" if "json" not in arguments else b"{")


def test_the_variable_turns_the_cache_off(repo: Path) -> None:
    plant(repo, b"cached answer\n")
    result = run("context", str(repo), env={cache.CACHE_ENV: "0"})
    assert result.stdout.startswith(b"## Project context")
    cache.clear()
    run("context", str(repo), env={cache.CACHE_ENV: "0"})
    assert cache.usage()[1] == 0


def test_no_cache_neither_reads_nor_writes(repo: Path) -> None:
    run("context", str(repo), "--no-cache")
    assert cache.usage()[1] == 0


def test_an_entry_answers_only_its_own_root(repo: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    (other / "Cargo.toml").write_text('[package]\nname = "other"\n', encoding="utf-8")
    git(other, "init", "-q", "-b", "main")
    time.sleep(0.05)
    plant(repo, b"orders answer\n")
    # Even the very file, copied to where the other root's entry goes, answers nothing.
    os.link(cache.entry_path(key_for(repo)), cache.entry_path(key_for(other)))
    assert cache.lookup(key_for(other)) is None
    assert b"other" in run("context", str(other)).stdout


def test_a_symlinked_root_is_keyed_by_its_real_path(repo: Path, tmp_path: Path) -> None:
    link = tmp_path / "link"
    link.symlink_to(repo)
    plant(repo, b"orders answer\n")
    assert run("context", str(link)).stdout == b"orders answer\n"
    assert run("context", cwd=link).stdout == b"orders answer\n"


def test_an_entry_is_read_only_from_a_private_folder(repo: Path) -> None:
    plant(repo, b"orders answer\n")
    folder = Path(cache.folder())
    assert folder.stat().st_mode & 0o777 == 0o700
    assert Path(cache.entry_path(key_for(repo))).stat().st_mode & 0o777 == 0o600
    folder.chmod(0o755)
    assert cache.lookup(key_for(repo)) is None
    assert not cache.store(key_for(repo), b"x", root=str(repo), status_digest=None, paths=[],
                           started_ns=time.time_ns())
    folder.chmod(0o700)
    Path(cache.entry_path(key_for(repo))).chmod(0o644)
    assert cache.lookup(key_for(repo)) is None


def test_symlinks_in_the_cache_are_refused(repo: Path, tmp_path: Path) -> None:
    plant(repo, b"orders answer\n")
    entry_file = Path(cache.entry_path(key_for(repo)))
    moved = tmp_path / "elsewhere"
    entry_file.rename(moved)
    entry_file.symlink_to(moved)
    assert cache.lookup(key_for(repo)) is None
    # And the folder itself as a link.
    folder = Path(cache.folder())
    entry_file.unlink()
    moved.rename(entry_file)
    real = folder.with_name("real")
    folder.rename(real)
    folder.symlink_to(real)
    assert cache.lookup(key_for(repo)) is None


def test_a_changed_input_or_a_damaged_entry_is_a_miss(repo: Path) -> None:
    manifest = repo / "go.mod"
    plant(repo, b"orders answer\n", paths=[str(manifest)])
    assert cache.lookup(key_for(repo)) is not None
    manifest.write_text("module example.com/orders\n\ngo 1.23\n", encoding="utf-8")
    assert cache.lookup(key_for(repo)) is None
    Path(cache.entry_path(key_for(repo))).write_bytes(b"\x00not marshal")
    assert cache.lookup(key_for(repo)) is None


def test_an_entry_of_another_layout_or_an_oversized_field_is_no_entry(
        repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    manifest = repo / "go.mod"
    plant(repo, b"orders answer\n", paths=[str(manifest)])
    entry = Path(cache.entry_path(key_for(repo)))
    magic, key, output, root, digest, paths, words = marshal.loads(entry.read_bytes())  # noqa: S302
    assert isinstance(paths, bytes) and len(words) == 5 * 8
    # The former layout (text paths, a tuple of numbers) and a cut word list are misses.
    info = os.lstat(manifest)
    flat = (info.st_mode, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)
    for damaged in ((magic, key, output, root, digest, paths.decode(), flat),
                    (magic, key, output, root, digest, paths, words[:-8])):
        entry.write_bytes(marshal.dumps(damaged))
        assert cache.lookup(key_for(repo)) is None
    # A field no 64-bit word holds is never stored, so never wrongly compared.
    monkeypatch.setattr(cache, "signature", lambda path: (0o100644, 1 << 64, 1, 1, 1))
    assert not cache.store(key_for(repo), b"x", root=str(repo), status_digest=None,
                           paths=[str(manifest)], started_ns=time.time_ns())


def test_a_path_that_is_no_utf_8_is_checked_as_the_system_names_it(repo: Path) -> None:
    odd = repo / os.fsdecode(b"caf\xe9.txt")
    odd.write_text("x", encoding="utf-8")
    time.sleep(0.05)
    plant(repo, b"orders answer\n", paths=[str(repo), str(odd)])
    assert cache.lookup(key_for(repo)) is not None
    odd.write_text("changed", encoding="utf-8")
    assert cache.lookup(key_for(repo)) is None


@pytest.mark.parametrize("how", ["from-a-root-descriptor", "joined", "split-with-a-child"])
def test_every_kind_of_input_path_is_checked(repo: Path, tmp_path: Path, how: str,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    if how == "joined":  # as on Windows, where a folder has no descriptor to stat from
        monkeypatch.setattr(os, "supports_dir_fd", set())
    elif how == "split-with-a-child":  # as in a large repository: a child checks half
        monkeypatch.setattr(cache, "_SPLIT_PATHS", 2)
    outside = tmp_path / "gitconfig"
    outside.write_text("[user]\n", encoding="utf-8")
    gone = repo / "not-yet"
    time.sleep(0.05)
    # The root itself, a file below it, one outside it and one that does not exist.
    plant(repo, b"orders answer\n", paths=[str(repo), str(repo / "go.mod"), str(outside),
                                           str(gone)])
    assert cache.lookup(key_for(repo)) is not None
    # A file appears where none was, one outside the root changes, the root gets a file.
    for path, text in ((gone, "x"), (outside, "[core]\n"), (repo / "new.txt", "x")):
        path.write_text(text, encoding="utf-8")
        assert cache.lookup(key_for(repo)) is None
        time.sleep(0.05)
        plant(repo, b"orders answer\n", paths=[str(repo), str(outside), str(gone)])
        assert cache.lookup(key_for(repo)) is not None


def test_a_recent_input_is_not_trusted(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(cache.SETTLE_ENV, "2")
    manifest = repo / "go.mod"
    assert not cache.store(key_for(repo), b"x", root=str(repo), status_digest=None,
                           paths=[str(manifest)], started_ns=time.time_ns())
    old = time.time() - 10
    # mtime can be aged, ctime cannot: both count.
    os.utime(manifest, (old, old))
    assert not cache.store(key_for(repo), b"x", root=str(repo), status_digest=None,
                           paths=[str(manifest)], started_ns=time.time_ns())
    assert cache.store(key_for(repo), b"x", root=str(repo), status_digest=None,
                       paths=[str(manifest)], started_ns=time.time_ns() + 3 * 10**9)


def test_plain_context_reads_only_what_it_knows(tmp_path: Path) -> None:
    real = os.path.realpath(tmp_path)
    assert entry.plain_context(["context", str(tmp_path)]) == (real, "markdown", None, False)
    assert entry.plain_context(["context", "--format=json", str(tmp_path), "--focus", "go",
                                "--no-cache"]) == (real, "json", "go", True)
    for argv in (["state", "show"], ["context", "--debug"], ["context", "a", "b"],
                 ["context", "--format", "yaml"], ["context", str(tmp_path / "missing")],
                 ["context", "--focus"], []):
        assert entry.plain_context(argv) is None


def test_cache_clear_and_info_and_doctor(repo: Path, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    plant(repo, b"orders answer\n")
    info = CliRunner().invoke(cli, ["cache", "info"])
    assert info.exit_code == 0
    assert f"{cache.folder()}: 1 answer(s)" in info.output
    monkeypatch.chdir(repo)
    assert CliRunner().invoke(cli, ["install", "--scope", "project"]).exit_code == 0
    doctor = CliRunner().invoke(cli, ["doctor", "--scope", "project"])
    # Its own run of the context line may have cached one more answer.
    where, count, size = cache.usage()
    assert f"ok   cache: {where}: {count} answer(s), {size:,} bytes; on" in doctor.output
    cleared = CliRunner().invoke(cli, ["cache", "clear"])
    assert cleared.exit_code == 0
    assert f"removed {count} cached answer(s)" in cleared.output
    assert cache.usage()[1] == 0


def test_a_detached_writer_leaves_the_caller_no_pipe_to_wait_on(repo: Path) -> None:
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-c", "import sys; from backend_persona.entry import main; "
         "sys.argv[0] = 'bp'; main()", "context", str(repo)],
        capture_output=True,
        env={**{k: v for k, v in os.environ.items() if k != cache.SYNC_ENV}, **ENCODING},
        check=False)
    assert result.returncode == 0
    assert time.monotonic() - started < 30
    deadline = time.monotonic() + 30
    while cache.lookup(key_for(repo)) is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert cache.lookup(key_for(repo)) is not None


def test_detached_work_steps_back_for_whatever_runs_next(tmp_path: Path) -> None:
    told = tmp_path / "niceness"
    code = ("import os, sys; from backend_persona import entry\n"
            "entry.in_background(lambda: open(sys.argv[1], 'w').write(str(os.nice(0))))\n")
    subprocess.run([sys.executable, "-c", code, str(told)], check=True,
                   env={k: v for k, v in os.environ.items() if k != cache.SYNC_ENV})
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not (told.exists() and told.read_text()):
        time.sleep(0.05)
    assert int(told.read_text()) >= min(19, os.nice(0) + 10)


def test_a_prestarted_snapshot_is_the_snapshot(repo: Path) -> None:
    from backend_persona import git  # noqa: PLC0415

    (repo / "new.go").write_text("package main\n", encoding="utf-8")
    (repo / "go.mod").unlink()
    git.prestart(repo)
    assert repo in git._PRESTARTED
    early = git.snapshot(repo)
    assert repo not in git._PRESTARTED
    assert early == git.snapshot(repo)
    assert early.files == ["new.go"]
    assert early.missing == frozenset({"go.mod"})


def test_the_miss_path_starts_git_before_the_cli_loads(repo: Path) -> None:
    code = ("import sys; from backend_persona import git; real = git.prestart\n"
            "def spy(root):\n"
            "    print('click' in sys.modules, 'pydantic' in sys.modules, file=sys.stderr)\n"
            "    real(root)\n"
            "git.prestart = spy\n"
            "from backend_persona.entry import main; sys.argv[0] = 'bp'; main()\n")
    done = subprocess.run([sys.executable, "-c", code, "context", str(repo), "--no-cache"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0
    assert done.stderr == "False False\n"


def test_a_miss_dates_the_run_from_before_git_was_started(
        repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The settle check must count from before the early git processes read anything.
    from backend_persona import cli as cli_package  # noqa: PLC0415
    from backend_persona import git  # noqa: PLC0415

    seen: list[int | None] = []
    monkeypatch.setattr(git, "prestart", lambda root: seen.append(entry.started_ns))
    # Neither answer: both would end this process.
    monkeypatch.setattr(entry, "run_context", lambda *args, **kwargs: None)
    monkeypatch.setattr(cli_package, "main", lambda: None)
    monkeypatch.setattr(sys, "argv", ["backend-persona", "context", str(repo), "--no-cache"])
    monkeypatch.setattr(entry, "started_ns", None)
    before = time.time_ns()

    entry.main()

    assert len(seen) == 1 and seen[0] is not None
    assert before <= seen[0] <= time.time_ns()


def test_a_miss_answers_without_the_cyclic_collector_and_the_cli_gets_it_back(
        repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import gc  # noqa: PLC0415

    from backend_persona import cli as cli_package  # noqa: PLC0415
    from backend_persona import git  # noqa: PLC0415

    seen: list[tuple[str, bool]] = []
    monkeypatch.setattr(git, "prestart", lambda root: seen.append(("git", gc.isenabled())))
    # A run_context that returns is a line the CLI answers instead.
    monkeypatch.setattr(entry, "run_context",
                        lambda *args, **kwargs: seen.append(("answer", gc.isenabled())))
    monkeypatch.setattr(cli_package, "main", lambda: seen.append(("cli", gc.isenabled())))
    monkeypatch.setattr(sys, "argv", ["backend-persona", "context", str(repo), "--no-cache"])
    assert gc.isenabled()

    entry.main()

    assert seen == [("git", False), ("answer", False), ("cli", True)]
    assert gc.isenabled()
