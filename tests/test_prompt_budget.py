"""The persona prompt stays lean: its fixed text, and all the pack adds on every corpus tree.

The fixed text is the command file's body without its `!` lines (whose output is the
context and the inbox path); `test_e2e_prompt` measures it again on the prompt the real
CLI sends. The total adds the context of every file tree in the test suite's detection
corpus (`tests/detection/test_evidence_exact.fixture_corpus`) and the longest route.
"""

from __future__ import annotations

import re
from pathlib import Path

from backend_persona.commandlint import parse
from backend_persona.context import context_text
from backend_persona.pack import PLUGIN_INVOCATION, PLUGIN_NAMESPACE, render_pack
from backend_persona.route import STEPS, route, to_markdown
from tests.conftest import write_tree

MAIN = "commands/agent-persona-backend-specialist.md"
FIXED_LIMIT = 4_500
TOTAL_LIMIT = 10_000
# Every workflow at once, and an assessment: the longest route there is.
LONGEST_REQUEST = "audit the REST API, the database schema, the kafka microservices, performance"
INBOX = "/home/someone/.local/state/backend-persona/inbox/0b4e1e0c-6b7a-4c1e-9a43-5d1e2f3a4b5c.txt"


def fixed_text() -> str:
    body = parse(render_pack(PLUGIN_INVOCATION, "stamp", PLUGIN_NAMESPACE)[MAIN]).body
    return re.sub(r"!`[^`]*`", "", body)


def test_the_fixed_text_is_at_most_4500_characters() -> None:
    assert len(fixed_text()) <= FIXED_LIMIT


def test_the_longest_route_holds_every_workflow() -> None:
    longest = route(LONGEST_REQUEST)
    assert longest.large
    assert [w.name for w in longest.workflows] == [n for n in STEPS if n != "default"]


def test_no_instruction_appears_twice() -> None:
    text = fixed_text()
    steps = [step for steps in STEPS.values() for step in steps]
    assert not [step for step in steps if step in text]  # the route prints them, once
    assert "Project context" not in text  # the context's own heading is the one
    lines = [line.strip() for line in text.splitlines() if len(line.strip()) > 30]
    assert len(lines) == len(set(lines))


def test_all_the_pack_adds_is_at_most_10000_characters_on_every_corpus_tree(
        tmp_path: Path) -> None:
    # Imported here: the corpus walks every test module, this one included.
    from tests.detection.test_evidence_exact import CORPUS  # noqa: PLC0415

    base = len(fixed_text()) + len(to_markdown(route(LONGEST_REQUEST))) + len(INBOX)
    worst = (0, "")
    for number, (name, tree) in enumerate(CORPUS):
        root = write_tree(tmp_path / f"repo{number}", tree)
        size = base + len(context_text(root))
        worst = max(worst, (size, name))
    assert len(CORPUS) > 400
    assert worst[0] <= TOTAL_LIMIT, worst
