"""The two escapers: `text` for the prompt (cut, controls shown as "?"), `cell` for the docs."""

from __future__ import annotations

import pytest

from backend_persona.markdown import cell, code, more, text


@pytest.mark.parametrize(("value", "as_text", "as_cell"), [
    ("plain", "plain", "plain"),
    ("a|b", "a/b", "a/b"),
    ("`rm -rf`", "'rm -rf'", "'rm -rf'"),
    ("tab\there", "tab?here", "tab here"),
    ("key AKIAABCDEFGHIJKLMNOP", "key [redacted]", "key [redacted]"),
])
def test_text_and_cell_escape_the_same_markup(value: str, as_text: str, as_cell: str) -> None:
    assert text(value) == as_text
    assert cell(value) == as_cell


def test_text_is_cut_and_a_cell_is_kept_whole() -> None:
    long = "x" * 200
    assert text(long) == "x" * 89 + "…"
    assert text(long, 10) == "x" * 9 + "…"
    assert cell(long) == long


def test_a_code_span_holds_safe_text() -> None:
    assert code("a`b|c") == "`a'b/c`"


@pytest.mark.parametrize(("shown", "total", "note"), [(3, 3, ""), (3, 2, ""), (3, 5, " (+2 more)")])
def test_more_counts_what_was_cut(shown: int, total: int, note: str) -> None:
    assert more(shown, total) == note
