"""Session state: the model, where it lives, selection, safe writes and broken files."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import get_args

import pytest

from backend_persona.errors import UserError
from backend_persona.safefs import private_dir
from backend_persona.state.inputs import MAX_REQUEST, clean_text, valid_session_id
from backend_persona.state.model import STATE_SCHEMA_VERSION, SessionState
from backend_persona.state.session import Sessions
from backend_persona.state.store import project_folder_name, state_home
from tests.conftest import RepoFactory

START = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


class Clock:
    """A clock that moves one minute per reading, so that every write has its own time."""

    def __init__(self, start: datetime = START) -> None:
        self.now = start

    def __call__(self) -> datetime:
        value = self.now
        self.now += timedelta(minutes=1)
        return value


@pytest.fixture
def store(make_project: RepoFactory, tmp_path: Path) -> Sessions:
    root = make_project({"main.go": "package main\n"}, git=False)
    return Sessions(root.resolve(), home=tmp_path / "state", clock=Clock())


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


@pytest.mark.parametrize("session_id", [
    "s1", "3f2c1a9e-0b7d-4c1e-9a55-2d6f0c8b1e42", "a.b_c-d", "x" * 128,
])
def test_session_ids_that_are_safe_file_names_are_accepted(session_id: str) -> None:
    assert valid_session_id(session_id) == session_id


@pytest.mark.parametrize("session_id", [
    "", "../x", "a/b", ".hidden", "-rf", "x" * 129, "a b", "a\nb", "a\x00b", "ü",
])
def test_session_ids_that_could_escape_or_confuse_are_refused(session_id: str) -> None:
    with pytest.raises(UserError, match="session ids are"):
        valid_session_id(session_id)


# -- recording ------------------------------------------------------------------------


def test_every_kind_of_record_is_kept_in_order(store: Sessions) -> None:
    store.init("s1", request="design REST API for orders", route=["api", "database", "api"],
               stack=["Go", "Gin"])
    store.add_action("s1", "drafted the orders schema")
    store.add_decision("s1", "Use PostgreSQL", context="Need SQL", decision="PostgreSQL 16",
                       consequences="Run backups")
    store.add_followup("s1", "add an index on orders.created_at")
    store.add_followup("s1", "load test")
    store.complete_followup("s1", 1)
    store.add_checkpoint("s1", "schema drafted")

    shown = store.show("s1")
    assert shown.request == "design REST API for orders"
    assert shown.route == ["api", "database"]
    assert shown.stack == ["Go", "Gin"]
    assert [a.text for a in shown.actions] == ["drafted the orders schema"]
    decision = shown.decisions[0]
    assert (decision.title, decision.context, decision.decision, decision.consequences,
            decision.status, decision.date.isoformat()) == (
        "Use PostgreSQL", "Need SQL", "PostgreSQL 16", "Run backups", "accepted", "2026-01-02")
    assert [(f.text, f.done) for f in shown.followups] == [
        ("add an index on orders.created_at", True), ("load test", False)]
    checkpoint = shown.checkpoints[0]
    assert checkpoint.label == "schema drafted"
    assert checkpoint.progress.model_dump() == {
        "actions": 1, "decisions": 1, "open_followups": 1, "done_followups": 1}
    assert shown.updated > shown.created
    assert shown.path == str(store.session_path("s1"))
    on_disk = json.loads(Path(shown.path).read_text())
    assert on_disk["schema_version"] == STATE_SCHEMA_VERSION
    assert "path" not in on_disk


@pytest.mark.parametrize(("number", "message"), [
    (0, "this session has 1 follow-up"),
    (2, "this session has 1 follow-up"),
])
def test_done_outside_the_list_is_a_user_error(store: Sessions, number: int,
                                               message: str) -> None:
    store.add_followup("s1", "only one")
    with pytest.raises(UserError, match=message):
        store.complete_followup("s1", number)


def test_done_twice_is_harmless(store: Sessions) -> None:
    store.add_followup("s1", "one")
    store.complete_followup("s1", 1)
    assert "already done" in store.complete_followup("s1", 1).message


def test_text_is_kept_as_data_with_credentials_redacted() -> None:
    hostile = "x'; rm -rf / $(id) `id` \x00\x07 password=hunter2 AKIAABCDEFGHIJKLMNOP"
    cleaned = clean_text(hostile, "text")
    assert "$(id)" in cleaned
    assert "`id`" in cleaned
    assert "\x00" not in cleaned
    assert "hunter2" not in cleaned
    assert "AKIAABCDEFGHIJKLMNOP" not in cleaned


@pytest.mark.parametrize(("field", "value", "message"), [
    ("title", "", "title is empty"),
    ("title", "   \n\t ", "title is empty"),
    ("title", "t" * 201, "longer than 200"),
    ("context", "c" * 20_001, "--context is longer than 20,000"),
])
def test_bad_decision_fields_are_user_errors(store: Sessions, field: str, value: str,
                                             message: str) -> None:
    fields = {"title": "ok", "context": "ok", "decision": "ok"} | {field: value}
    with pytest.raises(UserError, match=message):
        store.add_decision("s1", fields["title"], context=fields["context"],
                           decision=fields["decision"])
    assert not store.session_path("s1").exists()


def test_a_huge_request_is_cut_not_refused(store: Sessions) -> None:
    shown = store.init("s1", request="design an API " * 100_000)
    assert shown.request is not None
    assert len(shown.request) == MAX_REQUEST
    assert shown.request.endswith("…")


# -- which session --------------------------------------------------------------------


def test_session_choice_order_is_flag_then_environment_then_latest(
        store: Sessions, monkeypatch: pytest.MonkeyPatch) -> None:
    store.add_action("older", "one")
    store.add_action("newer", "two")
    assert store.add_action(None, "three").session_id == "newer"
    monkeypatch.setenv("CLAUDE_CODE_SESSION_ID", "from-claude")
    assert store.add_action(None, "four").session_id == "from-claude"
    assert store.add_action("older", "five").session_id == "older"
    assert [a.text for a in store.show("older").actions] == ["one", "five"]


def test_a_writer_without_any_session_starts_one(store: Sessions) -> None:
    change = store.add_followup(None, "first")
    assert change.message.startswith(f"started session {change.session_id}")
    assert store.show(None).session_id == change.session_id


def test_init_without_an_id_starts_a_new_session_each_time(store: Sessions) -> None:
    first, second = store.init(), store.init()
    assert first.session_id != second.session_id
    assert len(store.summaries().sessions) == 2


def test_an_invalid_claude_session_id_is_a_clear_error(
        store: Sessions, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAUDE_CODE_SESSION_ID", "../../etc/passwd")
    with pytest.raises(UserError, match="CLAUDE_CODE_SESSION_ID: session ids are"):
        store.add_action(None, "x")


@pytest.mark.parametrize("session", [None, "missing"])
def test_show_needs_an_existing_session(store: Sessions, session: str | None) -> None:
    if session:
        store.add_action("other", "exists")
    with pytest.raises(UserError, match="no session"):
        store.show(session)


# -- supersession ---------------------------------------------------------------------


def test_superseding_within_a_session_links_both_ways(store: Sessions) -> None:
    store.add_decision("s1", "Use MySQL", context="c", decision="d")
    change = store.add_decision("s1", "Use PostgreSQL", context="c", decision="d",
                                supersedes="1")
    old, new = store.show("s1").decisions
    assert (old.status, old.superseded_by) == ("superseded", new.id)
    assert (new.status, new.supersedes) == ("accepted", old.id)
    assert f"supersedes {old.id}" in change.message


def test_superseding_a_decision_of_another_session_by_id(store: Sessions) -> None:
    store.add_decision("first", "Use MySQL", context="c", decision="d")
    old_id = store.show("first").decisions[0].id
    store.add_decision("second", "Use PostgreSQL", context="c", decision="d",
                       supersedes=old_id)
    new = store.show("second").decisions[0]
    old = store.show("first").decisions[0]
    assert (old.status, old.superseded_by, new.supersedes) == ("superseded", new.id, old_id)


@pytest.mark.parametrize(("ref", "message"), [
    ("2", "this session has 1 decision"),
    ("0", "this session has 1 decision"),
    ("abcdef012345", "no such decision"),
    ("\u00b2", "no such decision"),
    ("\u0663", "no such decision"),
])
def test_superseding_an_unknown_decision_changes_nothing(store: Sessions, ref: str,
                                                         message: str) -> None:
    store.add_decision("s1", "Use MySQL", context="c", decision="d")
    before = store.session_path("s1").read_bytes()
    with pytest.raises(UserError, match=message):
        store.add_decision("s1", "Use PostgreSQL", context="c", decision="d", supersedes=ref)
    assert store.session_path("s1").read_bytes() == before


def test_a_decision_is_superseded_only_once(store: Sessions) -> None:
    store.add_decision("s1", "A", context="c", decision="d")
    store.add_decision("s1", "B", context="c", decision="d", supersedes="1")
    with pytest.raises(UserError, match="already superseded"):
        store.add_decision("s1", "C", context="c", decision="d", supersedes="1")


def test_decision_ids_are_stable_and_distinct_across_sessions(store: Sessions) -> None:
    store.add_decision("a", "A", context="c", decision="d")
    store.add_decision("b", "A", context="c", decision="d")
    store.add_decision("a", "B", context="c", decision="d")
    ids = [d.id for s in ("a", "b") for d in store.show(s).decisions]
    assert len(set(ids)) == 3


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
    (json.dumps({**_VALID, "schema_version": STATE_SCHEMA_VERSION + 1}).encode(),
     "was written by a newer backend-persona"),
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


# -- permissions and symlinks ---------------------------------------------------------


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


def test_the_model_round_trips_through_json(store: Sessions) -> None:
    store.add_decision("s1", "A", context="c", decision="d")
    stored = store.show("s1")
    state = SessionState.model_validate_json(Path(stored.path).read_text())
    assert state.decisions == stored.decisions


def test_workflow_names_match_the_router() -> None:
    from backend_persona import route  # noqa: PLC0415
    from backend_persona.state import model  # noqa: PLC0415

    assert get_args(model.WorkflowName) == get_args(route.WorkflowName)


def test_stack_names_are_stored_redacted_and_prompt_safe(store: Sessions) -> None:
    token = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"

    shown = store.init("s1", stack=["Go", "\u202eevil", token])

    assert shown.stack == ["Go", "\\u202eevil", "[redacted]"]
