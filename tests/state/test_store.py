"""The session files: where they live, broken files, permissions, symlinks, the lock, pruning."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest

from backend_persona import safefs
from backend_persona.errors import UserError
from backend_persona.safefs import private_dir
from backend_persona.state.model import STATE_SCHEMA_VERSION
from backend_persona.state.session import Sessions
from backend_persona.state.store import project_folder_name, state_home
from tests.conftest import START, Clock, lock_held_elsewhere


def mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


# -- where state lives ----------------------------------------------------------------


@pytest.mark.parametrize(("override", "xdg", "expected"), [
    ("/srv/bp-state", "/xdg", "/srv/bp-state"),
    ("", "/xdg", "/xdg/backend-persona"),
    ("", "relative/ignored", "{home}/.local/state/backend-persona"),
    ("", "", "{home}/.local/state/backend-persona"),
])
def test_state_home_precedence(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, override: str,
                               xdg: str, expected: str) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("BACKEND_PERSONA_STATE_DIR", override)
    monkeypatch.setenv("XDG_STATE_HOME", xdg)
    assert state_home() == Path(expected.format(home=tmp_path))


@pytest.mark.parametrize(("name", "slug"), [
    ("orders", "orders"),
    ("my project!", "my-project"),
    ("..", "project"),
    ("Über", "ber"),
])
def test_project_folder_is_a_readable_slug_and_a_stable_hash(name: str, slug: str) -> None:
    folder = project_folder_name(Path("/work") / name)
    assert folder.startswith(f"{slug}-")
    assert len(folder.rpartition("-")[2]) == 16
    assert folder == project_folder_name(Path("/work") / name)
    assert folder != project_folder_name(Path("/elsewhere") / name)


# -- broken files ---------------------------------------------------------------------


_VALID = {"session_id": "s1", "project_root": "/p", "created": START.isoformat(),
          "updated": START.isoformat()}


@pytest.mark.parametrize(("content", "reason"), [
    (b"{not json", "is not valid JSON"),
    (b"\xff\xfe\x00", "is not valid JSON"),
    (b"[]", "does not match the state schema"),
    (b"[" * 200_000, "is nested too deeply"),
    (json.dumps({**_VALID, "decisions": "many"}).encode(), "does not match the state schema"),
    (json.dumps({**_VALID, "surprise": 1}).encode(), "does not match the state schema"),
    (json.dumps({**_VALID, "schema_version": STATE_SCHEMA_VERSION - 1}).encode(),
     "which no upgrade reads"),
])
def test_a_broken_session_file_is_moved_aside_never_overwritten(
        store: Sessions, content: bytes, reason: str) -> None:
    store.add_action("other", "keeps working")
    path = store.session_path("s1")
    path.write_bytes(content)

    with pytest.raises(UserError) as raised:
        store.add_action("s1", "must not overwrite")

    message = raised.value.message
    assert str(path) in message
    assert reason in message
    aside = list(store.directory.glob("s1.json.corrupt-*"))
    assert len(aside) == 1
    assert aside[0].name in message
    assert aside[0].read_bytes() == content
    assert not path.exists()
    # Other sessions are untouched, and the broken one can start over.
    assert [a.text for a in store.show("other").actions] == ["keeps working"]
    store.add_action("s1", "fresh start")
    assert [a.text for a in store.show("s1").actions] == ["fresh start"]


def test_list_reports_broken_files_and_keeps_listing(store: Sessions) -> None:
    store.add_action("good", "x")
    store.session_path("bad").write_text("{")
    listed = store.summaries()
    assert [s.session_id for s in listed.sessions] == ["good"]
    assert len(listed.notes) == 1
    assert "bad.json is not valid JSON" in listed.notes[0]


def test_a_session_file_removed_while_listing_is_skipped(
        store: Sessions, monkeypatch: pytest.MonkeyPatch) -> None:
    store.add_action("kept", "x")
    store.add_action("gone", "y")
    listing = os.scandir

    @contextmanager
    def racing(path: Path) -> Iterator[list[os.DirEntry[str]]]:
        with listing(path) as entries:
            found = list(entries)
        # A writer's prune removes the file after the directory was read.
        store.session_path("gone").unlink()
        yield found

    monkeypatch.setattr(os, "scandir", racing)

    assert [path.name for path in store.session_files()] == ["kept.json"]


# -- permissions, symlinks and the lock -----------------------------------------------


def test_folders_are_0700_and_files_0600_whatever_the_umask(store: Sessions) -> None:
    previous = os.umask(0)
    try:
        path = Path(store.add_action("s1", "x").path)
    finally:
        os.umask(previous)
    for folder in (store.home, store.home / "projects", store.directory):
        assert mode(folder) == 0o700, folder
    assert mode(path) == 0o600
    assert mode(store.directory / ".lock") == 0o600
    assert [p.name for p in store.directory.iterdir() if p.name.endswith(".tmp")] == []


def test_a_loose_existing_state_folder_is_narrowed(store: Sessions) -> None:
    store.directory.mkdir(parents=True)
    store.directory.chmod(0o777)
    store.add_action("s1", "x")
    assert mode(store.directory) == 0o700


def test_a_symlink_planted_as_the_session_file_is_refused(store: Sessions,
                                                         tmp_path: Path) -> None:
    store.add_action("other", "exists")
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    planted = store.session_path("s1")
    planted.symlink_to(victim)

    with pytest.raises(UserError, match="symlink"):
        store.add_action("s1", "x")

    assert victim.read_text() == "precious"
    assert planted.is_symlink()


@pytest.mark.parametrize("planted", ["projects", "project", ".lock"])
def test_a_symlink_planted_on_the_way_is_refused(store: Sessions, tmp_path: Path,
                                                 planted: str) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    target = {"projects": store.home / "projects", "project": store.directory,
              ".lock": store.directory / ".lock"}[planted]
    target.parent.mkdir(parents=True, exist_ok=True)
    target.symlink_to(elsewhere / "x" if planted == ".lock" else elsewhere)

    with pytest.raises(UserError, match="symlink"):
        store.add_action("s1", "x")

    assert list(elsewhere.iterdir()) == []


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to give a folder to another user")
def test_a_state_folder_owned_by_another_user_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "theirs"
    folder.mkdir(mode=0o777)
    os.chown(folder, 4242, -1)
    with pytest.raises(UserError, match="belongs to another user"):
        private_dir(folder)


def test_a_held_lock_times_out_with_a_clear_error(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(safefs, "LOCK_TIMEOUT_SECONDS", 0.2)
    store = Sessions(tmp_path, home=tmp_path / "home")
    store.add_action("s1", "x")
    with lock_held_elsewhere(store.directory / ".lock"), \
            pytest.raises(UserError, match="another backend-persona is running") as raised:
        store.add_action("s1", "y")
    assert str(raised.value) == (
        f"another backend-persona is running: it has held {store.directory / '.lock'} for 0s; "
        "try again when it has finished")
    assert [a.text for a in store.show("s1").actions] == ["x"]


# -- pruning --------------------------------------------------------------------------


def test_prune_removes_only_what_is_older_than_the_cutoff(store: Sessions) -> None:
    store.add_action("old", "x")
    store.session_path("broken").write_text("{")
    with pytest.raises(UserError):
        store.add_action("broken", "x")
    old_time = (START - timedelta(days=40)).timestamp()
    for path in store.directory.glob("broken.json.corrupt-*"):
        os.utime(path, (old_time, old_time))
    store.clock = Clock(START + timedelta(days=30))
    store.add_action("recent", "x")

    report = store.prune(10)

    assert [name.partition(".")[0] for name in report.removed] == ["broken", "old"]
    assert report.kept == 1
    assert [s.session_id for s in store.summaries().sessions] == ["recent"]


def test_prune_without_state_does_nothing(store: Sessions) -> None:
    assert store.prune(0).model_dump() == {"removed": [], "kept": 0}
    assert not store.home.exists()
