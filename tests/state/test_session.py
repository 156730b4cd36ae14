"""What the state commands record: every kind of record, which session, supersession."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from backend_persona.errors import UserError
from backend_persona.state.inputs import MAX_REQUEST
from backend_persona.state.model import STATE_SCHEMA_VERSION
from backend_persona.state.session import Sessions

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


def test_a_huge_request_is_cut_not_refused(store: Sessions) -> None:
    shown = store.init("s1", request="design an API " * 100_000)
    assert shown.request is not None
    assert len(shown.request) == MAX_REQUEST
    assert shown.request.endswith("…")


def test_stack_names_are_stored_redacted_and_prompt_safe(store: Sessions) -> None:
    token = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"

    shown = store.init("s1", stack=["Go", "\u202eevil", token])

    assert shown.stack == ["Go", "\\u202eevil", "[redacted]"]


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
