"""What users give: safe session ids, text kept as data, and the decision --stdin reads."""

from __future__ import annotations

import pytest

from backend_persona.errors import UserError
from backend_persona.state.inputs import DecisionInput, clean_text, parse_decision, valid_session_id
from backend_persona.state.session import Sessions


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


# -- what ``state decision --stdin`` reads --------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ('{"title": "t", "context": "c", "decision": "d"}',
     DecisionInput(title="t", context="c", decision="d")),
    ('  {"title": "t", "context": "c\\nmore", "decision": "d", "consequences": "q",\n'
     '   "status": "superseded", "supersedes": "abc123"}\n',
     DecisionInput(title="t", context="c\nmore", decision="d", consequences="q",
                   status="superseded", supersedes="abc123")),
    ('{"title": "t", "context": "c", "decision": "d", "supersedes": 2, "status": "proposed"}',
     DecisionInput(title="t", context="c", decision="d", supersedes=2, status="proposed")),
    ("title: |\n  t: u\ncontext: |\n  c\n  more\ndecision: d\nsupersedes: 2\n",
     DecisionInput(title="t: u\n", context="c\nmore\n", decision="d", supersedes=2)),
    ("title: t\ncontext: c\ndecision: d\nsupersedes: abc123\nstatus: superseded\n",
     DecisionInput(title="t", context="c", decision="d", supersedes="abc123",
                   status="superseded")),
])
def test_parse_decision_accepts_the_documented_shape(text: str,
                                                     expected: DecisionInput) -> None:
    assert parse_decision(text) == expected


@pytest.mark.parametrize(("text", "message"), [
    ('{"title": "t"}', '--stdin: the field "context" is missing; the field "decision" is '
                       "missing"),
    ('{"title": "t", "context": "c", "decision": "d", "supersedes": 1.5}',
     '--stdin: the field "supersedes" must be a decision number or id'),
    ("title: t\ncontext: c\ndecision: d\nsupersedes: true\n",
     '--stdin: the field "supersedes" must be a decision number or id'),
    ("title: t\ncontext: c\ndecision: d\n1: x\n", '--stdin: unknown field "1"'),
    ("title: t\ncontext: c\ndecision: d\nctx: |\n  password=hunter2\n",
     '--stdin: unknown field "ctx"; the fields are title,'),
    ('{"title": "t", "context": "c", "decision": "d", "' + "k" * 100 + '": 1}',
     '--stdin: unknown field "' + "k" * 39 + '…"'),
])
def test_parse_decision_names_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(UserError) as raised:
        parse_decision(text)
    assert raised.value.message.startswith(message)
