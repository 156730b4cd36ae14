"""End to end: a model that follows the persona prompt's steps, in the real CLI.

The stub acts as that model: it writes texts into the inbox the prompt names with the
Write tool, records them with the `state` verbs the prompt gives, delegates to a subagent
by the name the prompt gives, and marks a follow-up done. Every test runs on each CLI in
``CLAUDE_VERSIONS`` and in each install mode.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.claude_stub import Step, Stub, ToolCall, calls_made
from tests.test_e2e_claude import (
    MAIN,
    MODES,
    Run,
    Setup,
    _assert_clean,
    _invocation,
    _run,
    _slash,
    inbox_in,
    setup,
    through_inbox,
)

pytestmark = pytest.mark.e2e
__all__ = ["setup"]  # the module-scoped fixture, one per CLI version

REQUEST = "design REST API for orders"
# The api workflow asks for one error shape; this is the decision that records it.
DECISION = {
    "title": "One error shape for every endpoint",
    "context": "Clients parse errors; today each handler invents its own. "
               "Shell-looking text stays data: `touch PWNED1` $(touch PWNED2) it's \"fine\".",
    "decision": 'Every error is {"error": {"code": "order_not_found", "message": "Order 42 '
                'was not found", "details": [{"field": "id"}]}} — non-ASCII kept: é 日本 ✓',
    "consequences": "x" * 10_000,
    "status": "proposed",
}
FOLLOWUP = 'Document {"error": {"code": ...}} in the OpenAPI spec'
FIXED_LIMIT = 4_500


def _bash(mode: str, args: str) -> Step:
    def call(prompt: str) -> ToolCall | None:
        found = inbox_in(prompt)
        return ToolCall.bash(f"{_invocation(mode)} state {args.format(session=found[1])}"
                             ) if found else None
    return call


def _follow_the_steps(mode: str) -> list[Step]:
    """Steps 1 and 5 of the prompt: start, record a decision and a follow-up, close it."""
    return [
        *through_inbox(mode, REQUEST, "init"),
        *through_inbox(mode, json.dumps(DECISION, ensure_ascii=False, indent=2), "decision"),
        *through_inbox(mode, FOLLOWUP, "followup"),
        _bash(mode, "done 1 --session {session}"),
        _bash(mode, "show --session {session} --format json"),
    ]


def _delegate(prompt: str) -> ToolCall | None:
    # The name exactly as the prompt gives it, prefix and all.
    found = re.search(r"`((?:[\w-]+:)?api-architect)`", prompt)
    return ToolCall.agent(found.group(1), "Review the API surface.") if found else None


@pytest.fixture(scope="module")
def runs(setup: Setup) -> Iterator[dict[tuple[str, str], Run]]:
    jobs: dict[tuple[str, str], tuple[str, str, None, list[Step]]] = {}
    for mode in MODES:
        prompt = f"{_slash(mode, MAIN)} {REQUEST}"
        jobs[(mode, "steps")] = (mode, prompt, None, _follow_the_steps(mode))
        jobs[(mode, "delegate")] = (mode, prompt, None, [_delegate])
    with ThreadPoolExecutor(max_workers=3) as pool:
        futures = {key: pool.submit(_run, setup, *job) for key, job in jobs.items()}
        yield {key: future.result() for key, future in futures.items()}


def _results(run: Run) -> list[str]:
    """The tool results of the longest conversation, the main one, in order."""
    longest = max(run.stub.bodies, key=calls_made)
    return Stub(bodies=[longest]).tool_results()


@pytest.mark.parametrize("mode", MODES)
def test_a_json_decision_recorded_through_the_prompt_is_in_state_byte_for_byte(
        runs: dict[tuple[str, str], Run], mode: str) -> None:
    run = runs[(mode, "steps")]
    _assert_clean(run)
    results = _results(run)
    assert len(results) == 8, results
    writes = [results[0], results[2], results[4]]
    assert all(r.startswith("File created successfully") for r in writes), writes
    assert "## Route: api" in results[1]
    assert "recorded decision 1 (" in results[3]
    assert results[5] == "recorded follow-up 1"
    assert results[6].startswith("follow-up 1 done: ")
    shown = json.loads(results[7])
    assert {key: shown["decisions"][0][key] for key in DECISION} == DECISION
    assert (shown["request"], shown["route"]) == (REQUEST, ["api"])
    assert [(f["text"], f["done"]) for f in shown["followups"]] == [(FOLLOWUP, True)]
    inbox = inbox_in(run.sent)
    assert inbox is not None and not (run.project / "PWNED1").exists()
    assert str(run.project) not in inbox[0]


@pytest.mark.parametrize("mode", MODES)
def test_a_delegation_by_the_name_the_prompt_gives_is_accepted(
        runs: dict[tuple[str, str], Run], mode: str) -> None:
    run = runs[(mode, "delegate")]
    _assert_clean(run)
    [call] = [u for u in run.stub.tool_uses() if u["name"] == "Agent"][:1]
    expected = "backend-persona:api-architect" if mode == "plugin" else "api-architect"
    assert call["input"]["subagent_type"] == expected
    results = _results(run)
    assert results, run.stdout[-2000:]
    assert not [r for r in results if "not found" in r], results
    assert "agentId" in results[0], results[0]


@pytest.mark.parametrize("mode", MODES)
def test_the_fixed_text_of_the_prompt_the_cli_sends_is_short(
        runs: dict[tuple[str, str], Run], mode: str) -> None:
    run = runs[(mode, "delegate")]
    [prompt] = [t for t in run.stub.user_texts() if "# Backend specialist" in t][:1]
    context = re.search(r"^## Project context: .*?(?=^## The request$)", prompt,
                        re.MULTILINE | re.DOTALL)
    inbox = inbox_in(prompt)
    assert context is not None and inbox is not None
    fixed = prompt.replace(context.group(), "").replace(inbox[0], "").replace(REQUEST, "")
    assert len(fixed) <= FIXED_LIMIT, len(fixed)
    assert prompt.count("Project context") == 1
