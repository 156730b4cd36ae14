"""The file helpers of state, docs and install: atomic, symlink-refusing, one lock, clear errors."""

from __future__ import annotations

import errno
import os
import re
import stat
import subprocess
import sys
import time
from pathlib import Path

import filelock
import pytest

from backend_persona.errors import UserError
from backend_persona.safefs import (
    dir_inside,
    ensure_inside,
    exclusive_lock,
    printable,
    private_dir,
    read_bytes,
    remove_stale_temps,
    write_atomic,
)


def test_read_bytes_missing_is_none(tmp_path: Path) -> None:
    assert read_bytes(tmp_path / "absent") is None


def test_read_bytes_refuses_what_is_not_a_plain_file(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    with pytest.raises(UserError, match="not a regular file"):
        read_bytes(fifo)
    (tmp_path / "file").write_text("x")
    with pytest.raises(UserError, match="cannot read"):
        read_bytes(tmp_path / "file" / "below-a-file")
    # A folder where a file should be (a planted .adr-dir, say) is one line, not a traceback.
    (tmp_path / "folder").mkdir()
    with pytest.raises(UserError, match="folder is not a regular file"):
        read_bytes(tmp_path / "folder")


def test_read_bytes_caps_the_size(tmp_path: Path) -> None:
    big = tmp_path / "big"
    big.write_bytes(b"x" * 11)
    assert read_bytes(big, limit=11) == b"x" * 11
    with pytest.raises(UserError, match="larger than 10 bytes"):
        read_bytes(big, limit=10)


def test_write_atomic_replaces_and_sets_the_mode(tmp_path: Path) -> None:
    target = tmp_path / "f"
    target.write_text("old")
    write_atomic(target, b"new", 0o640)
    assert target.read_bytes() == b"new"
    assert target.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["f"]


def test_a_full_disk_leaves_the_old_file_and_no_temp(tmp_path: Path) -> None:
    # A real write failure: the file-size limit makes the kernel refuse the write (EFBIG),
    # as a full disk would with ENOSPC.
    target = tmp_path / "f"
    target.write_text("old")
    script = (
        "import resource, signal, sys\n"
        "from pathlib import Path\n"
        "from backend_persona.errors import UserError\n"
        "from backend_persona.safefs import write_atomic\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (100, 100))\n"
        "try:\n"
        "    write_atomic(Path(sys.argv[1]), b'x' * 100_000)\n"
        "except UserError as error:\n"
        "    print(error.message)\n"
    )
    done = subprocess.run([sys.executable, "-c", script, str(target)], capture_output=True,
                          text=True, timeout=60, check=True)
    assert done.stdout.startswith(f"cannot write {target} (")
    assert done.stdout.strip().endswith("it was left as it was")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["f"]


def test_write_atomic_in_a_missing_folder_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="cannot write in"):
        write_atomic(tmp_path / "missing" / "f", b"x")


@pytest.mark.parametrize("blocker", ["file", "file-parent"])
def test_private_dir_where_a_file_is_in_the_way(tmp_path: Path, blocker: str) -> None:
    (tmp_path / "f").write_text("x")
    target = tmp_path / "f" if blocker == "file" else tmp_path / "f" / "below"
    with pytest.raises(UserError, match="cannot create"):
        private_dir(target)


@pytest.mark.parametrize("blocker", ["docs", "docs/architecture"])
def test_dir_inside_where_a_file_is_in_the_way(tmp_path: Path, blocker: str) -> None:
    (tmp_path / blocker).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / blocker).write_text("x")
    with pytest.raises(UserError, match="is not a directory"), \
            dir_inside(tmp_path, "docs/architecture/decisions"):
        pass


def test_dir_inside_with_a_dangling_link(tmp_path: Path) -> None:
    (tmp_path / "docs").symlink_to(tmp_path / "nowhere")
    with pytest.raises(UserError, match="cannot create"), dir_inside(tmp_path, "docs/architecture"):
        pass
    assert not (tmp_path / "nowhere").exists()


def test_the_lock_is_released_after_the_block_even_when_it_fails(tmp_path: Path) -> None:
    lock_file = tmp_path / ".lock"
    with pytest.raises(UserError, match="inside"), exclusive_lock(lock_file):
        raise UserError("inside")
    with exclusive_lock(lock_file):
        assert stat.S_IMODE(os.lstat(lock_file).st_mode) == 0o600


def test_a_lock_that_cannot_be_created_is_a_user_error(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    def refused(*args: object, **kwargs: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    # Root may write anywhere, so the refusal is simulated where filelock would meet it.
    monkeypatch.setattr(filelock.FileLock, "acquire", refused)
    with pytest.raises(UserError) as raised, exclusive_lock(tmp_path / ".lock"):
        pass
    assert str(raised.value) == (f"cannot write in {tmp_path} (Permission denied); check its "
                                    "permissions and free space")


@pytest.mark.parametrize(("value", "expected"), [
    ("plain", "plain"),
    ("bad\udcff", "bad\ufffd"),          # an argument byte that was not UTF-8
    ("lone\ud800", "lone\ufffd"),        # a surrogate no byte stands for
    ("both\udcff\ud800", "both\ufffd\ufffd"),
])
def test_printable_makes_any_surrogate_a_replacement_character(value: str,
                                                               expected: str) -> None:
    assert printable(value) == expected
    printable(value).encode("utf-8")


def test_ensure_inside_refuses_a_symlink_loop_clearly(tmp_path: Path) -> None:
    (tmp_path / "loop").symlink_to("loop")
    with pytest.raises(UserError, match="is a symbolic link loop"):
        ensure_inside(tmp_path, tmp_path / "loop" / "file")


def test_dir_inside_removes_the_folders_it_made_when_the_block_fails(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    with pytest.raises(UserError, match="disk full"), \
            dir_inside(tmp_path, "docs/architecture/decisions"):
        raise UserError("disk full")
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["docs"]


def test_dir_inside_keeps_a_folder_a_write_already_filled(tmp_path: Path) -> None:
    with pytest.raises(UserError), dir_inside(tmp_path, "docs/architecture") as folder:
        (folder / "README.md").write_text("written before the failure")
        raise UserError("disk full")
    assert (tmp_path / "docs/architecture/README.md").is_file()


def _temp(folder: Path, name: str, age: float) -> Path:
    path = folder / name
    path.write_text("x")
    os.utime(path, (time.time() - age, time.time() - age))
    return path


def test_remove_stale_temps_takes_only_old_temp_files_of_the_named_targets(
    tmp_path: Path,
) -> None:
    old = _temp(tmp_path, ".s.json.abcd_123.tmp", 3600)
    fresh = _temp(tmp_path, ".s.json.abcd1234.tmp", 1)
    other_target = _temp(tmp_path, ".s.txt.abcd1234.tmp", 3600)
    not_ours = [_temp(tmp_path, name, 3600) for name in
                (".s.json.short.tmp", "s.json.abcd1234.tmp", ".s.json.ABCD1234.tmp")]

    removed = remove_stale_temps(tmp_path, re.compile(r"s\.json"))

    assert removed == [old.name]
    assert [p for p in (fresh, other_target, *not_ours) if not p.exists()] == []


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to give a file to another user")
def test_remove_stale_temps_leaves_another_users_file(tmp_path: Path) -> None:
    theirs = _temp(tmp_path, ".s.json.abcd1234.tmp", 3600)
    os.chown(theirs, 4242, 4242)

    assert remove_stale_temps(tmp_path, re.compile(r"s\.json")) == []
    assert theirs.exists()


def test_remove_stale_temps_of_a_missing_folder_is_nothing(tmp_path: Path) -> None:
    assert remove_stale_temps(tmp_path / "absent", re.compile(".*")) == []
