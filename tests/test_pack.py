import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from backend_persona import __version__
from backend_persona.cli import cli
from backend_persona.commandlint import bang_commands, lint_pack, parse, tool_rules
from backend_persona.errors import UserError
from backend_persona.pack import (
    NOTES,
    PLUGIN_INVOCATION,
    install_stamp,
    notes,
    plugin_layout,
    plugin_stamp,
    render,
    render_pack,
    sync_plugin,
    template_paths,
)

REPO = Path(__file__).resolve().parent.parent
SNAPSHOTS = Path(__file__).parent / "snapshots" / "pack"
INVOCATION = "/opt/venvs/bp/bin/backend-persona"
MAIN = "commands/agent-persona-backend-specialist.md"
# What the persona runs: state through the inbox, then the docs.
STATE_VERBS = ("state inbox", "state init", "state action", "state decision", "state followup",
               "state checkpoint", "state done", "state show", "state list", "docs generate")
AGENTS = ("api-architect", "database-specialist", "security-auditor", "performance-engineer",
          "observability-engineer")
STACK_COMMANDS = ("context-load-go-connectrpc", "context-load-rust-web",
                  "context-load-java-spring", "context-load-python-web")


def test_repository_plugin_layout_is_in_sync_with_the_templates() -> None:
    report = sync_plugin(REPO, check=True)
    assert report.changed == [], "run `backend-persona sync-plugin` and commit the result"
    assert report.extra == []


def test_sync_plugin_writes_then_finds_nothing_to_do(tmp_path: Path) -> None:
    first = sync_plugin(tmp_path)
    assert sorted(first.changed) == sorted(plugin_layout())
    (tmp_path / "commands" / "stray.md").write_text("---\ndescription: x\n---\n")
    second = sync_plugin(tmp_path, check=True)
    assert second.changed == []
    assert second.extra == ["commands/stray.md"]


def test_sync_plugin_cli_check_fails_on_drift(tmp_path: Path) -> None:
    sync_plugin(tmp_path)
    (tmp_path / MAIN).write_text("edited\n")
    result = CliRunner().invoke(cli, ["sync-plugin", "--check", str(tmp_path)])
    assert result.exit_code == 1
    assert f"{MAIN} differs" in result.output


def test_pack_holds_the_five_commands_and_five_agents() -> None:
    assert template_paths() == [
        "agents/api-architect.md", "agents/database-specialist.md",
        "agents/observability-engineer.md", "agents/performance-engineer.md",
        "agents/security-auditor.md", MAIN, "commands/context-load-go-connectrpc.md",
        "commands/context-load-java-spring.md", "commands/context-load-python-web.md",
        "commands/context-load-rust-web.md",
    ]


@pytest.mark.parametrize("path", template_paths())
def test_rendered_files_are_short_and_lint_clean(path: str) -> None:
    text = render_pack(INVOCATION, install_stamp())[path]
    assert len(text.splitlines()) <= 150
    assert "{{" not in text


def test_shipped_pack_has_no_lint_findings() -> None:
    report = lint_pack()
    assert report.findings == []


def test_main_command_has_the_context_and_inbox_lines_only() -> None:
    text = render_pack(INVOCATION, install_stamp())[MAIN]
    parsed = parse(text)
    bangs = bang_commands(parsed.body, parsed.body_line)
    assert [b.command for b in bangs] == [f"{INVOCATION} context", f"{INVOCATION} state inbox"]
    assert "$ARGUMENTS" in parsed.body
    for line in parsed.body.splitlines():
        if "!`" in line:
            assert "$" not in line


def test_main_command_allows_exactly_the_helper_verbs_it_uses() -> None:
    text = render_pack(INVOCATION, install_stamp())[MAIN]
    front = parse(text).frontmatter
    assert front is not None
    rules = tool_rules(front["allowed-tools"])
    assert rules is not None
    bash = sorted(r for r in rules if r.startswith("Bash("))
    assert bash == sorted(f"Bash({INVOCATION} {verb}:*)" for verb in (*STATE_VERBS, "context"))
    assert sorted(r for r in rules if not r.startswith("Bash(")) == ["Agent", "Edit", "Read",
                                                                     "Write"]
    assert f"`{INVOCATION} state VERB --session ${{CLAUDE_SESSION_ID}} --file INBOX`" in text
    for verb in ("init", "action", "followup", "checkpoint", "decision", "show", "list"):
        assert f"`{verb}`" in text, verb
    assert f"`{INVOCATION} state done N --session ID`" in text
    assert f"`{INVOCATION} docs generate`" in text


@pytest.mark.parametrize(("namespace", "rendered"), [
    ("", lambda: render_pack(INVOCATION, install_stamp())),
    ("backend-persona:", plugin_layout),
])
def test_subagents_and_commands_are_named_as_the_install_mode_names_them(
        namespace: str, rendered: Callable[[], dict[str, str]]) -> None:
    files = rendered()
    main = files[MAIN]
    for agent in AGENTS:
        assert f"`{namespace}{agent}`" in main, agent
    for command in STACK_COMMANDS:
        assert f"`/{namespace}{command}`" in main, command
        assert f"`/{namespace}agent-persona-backend-specialist`" in files[f"commands/{command}.md"]
    if namespace:
        assert not [agent for agent in AGENTS if f"`{agent}`" in main]
    else:
        assert "backend-persona:" not in main
    assert "Task tool" not in main


@pytest.mark.parametrize(("command", "focus"), [
    ("commands/context-load-go-connectrpc.md", "go"),
    ("commands/context-load-rust-web.md", "rust"),
    ("commands/context-load-python-web.md", "python"),
    ("commands/context-load-java-spring.md", "java"),
])
def test_stack_commands_inject_focused_context_and_notes(command: str, focus: str) -> None:
    parsed = parse(render_pack(PLUGIN_INVOCATION, plugin_stamp())[command])
    assert [b.command for b in bang_commands(parsed.body)] == [
        f"backend-persona context --focus {focus}", f"backend-persona notes {focus}"]


@pytest.mark.parametrize("topic", NOTES)
def test_notes_are_concise_and_complete(topic: str) -> None:
    text = notes(topic)
    assert len(text.splitlines()) <= 150
    for heading in ("## Patterns", "## Pitfalls", "## Project-specific checks"):
        assert heading in text
    # Output is not scanned again by the CLI, but the notes stay free of anything it would run.
    assert bang_commands(text) == []


def test_unknown_notes_topic_is_a_user_error() -> None:
    with pytest.raises(UserError, match="no notes for 'cobol'"):
        notes("cobol")


@pytest.mark.parametrize("path", [p for p in template_paths() if p.startswith("agents/")])
def test_agents_have_name_description_and_read_only_tools(path: str) -> None:
    front = parse(render_pack(PLUGIN_INVOCATION, plugin_stamp())[path]).frontmatter
    assert front is not None
    assert front["name"] == Path(path).stem
    assert front["description"]
    assert tool_rules(front["tools"]) == ["Read", "Bash"]
    assert front["model"] == "inherit"


@pytest.mark.parametrize("invocation", [
    "/path with space/backend-persona", "backend-persona; rm -rf /", "$(id)", "a'b",
])
def test_unusable_invocations_are_refused(invocation: str) -> None:
    with pytest.raises(UserError, match="cannot use"):
        render("!`{{bp}} context`", invocation, "stamp")


def test_fallback_module_invocation_is_accepted() -> None:
    rendered = render("!`{{bp}} context`", "/usr/bin/python3 -P -m backend_persona", "s")
    assert rendered == "!`/usr/bin/python3 -P -m backend_persona context`"


def test_unknown_placeholder_is_a_bug() -> None:
    with pytest.raises(ValueError, match="unknown template placeholder"):
        render("{{nope}}", "backend-persona", "s")


def test_plugin_manifests_carry_the_package_version() -> None:
    plugin = json.loads((REPO / ".claude-plugin" / "plugin.json").read_text())
    market = json.loads((REPO / ".claude-plugin" / "marketplace.json").read_text())
    assert plugin["name"] == "backend-persona"
    assert plugin["version"] == __version__
    assert set(plugin) >= {"name", "version", "description", "author"}
    assert [p["source"] for p in market["plugins"]] == ["./"]
    assert market["plugins"][0]["name"] == plugin["name"]
    assert re.fullmatch(r"[a-z0-9-]+", market["name"])


@pytest.mark.parametrize("path", template_paths())
def test_rendered_install_files_match_snapshots(path: str, snapshot: object) -> None:
    snapshot.snapshot_dir = SNAPSHOTS / "install"  # type: ignore[attr-defined]
    text = render_pack(INVOCATION, install_stamp())[path].replace(__version__, "VERSION")
    snapshot.assert_match(text, path.replace("/", "__"))  # type: ignore[attr-defined]
