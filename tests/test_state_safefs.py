"""The write helpers under state and docs: atomic, symlink-refusing, clear about failures."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from backend_persona import state
from backend_persona.errors import UserError
from backend_persona.safefs import dir_inside, private_dir, read_bytes, write_atomic
from backend_persona.state import StateStore
from backend_persona.state_render import session_markdown


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
    with pytest.raises(UserError, match="is not a directory"):
        dir_inside(tmp_path, "docs/architecture/decisions")


def test_dir_inside_with_a_dangling_link(tmp_path: Path) -> None:
    (tmp_path / "docs").symlink_to(tmp_path / "nowhere")
    with pytest.raises(UserError, match="cannot create"):
        dir_inside(tmp_path, "docs/architecture")
    assert not (tmp_path / "nowhere").exists()


def test_a_held_lock_times_out_with_a_clear_error(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(state, "LOCK_TIMEOUT_SECONDS", 0.2)
    store = StateStore(tmp_path, home=tmp_path / "home")
    store.add_action("s1", "x")
    holder = subprocess.Popen(
        [sys.executable, "-c",
         "import sys, time; from filelock import FileLock\n"
         "with FileLock(sys.argv[1]):\n    print('held', flush=True); time.sleep(30)\n",
         str(store.directory / ".lock")],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline() == "held\n"
        with pytest.raises(UserError, match="held the state lock"):
            store.add_action("s1", "y")
    finally:
        holder.kill()
        holder.wait()
    assert [a.text for a in store.show("s1").actions] == ["x"]


def test_an_empty_session_shows_none_yet(tmp_path: Path) -> None:
    store = StateStore(tmp_path, home=tmp_path / "home")
    markdown = session_markdown(store.init("s1"))
    assert markdown.count("None yet.") == 4
    assert "**Request:**" not in markdown
