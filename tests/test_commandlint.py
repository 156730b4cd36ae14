import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from backend_persona.cli import cli
from backend_persona.commandlint import (
    _FENCED_BANG,
    _INLINE_BANG,
    MAX_YAML_DEPTH,
    YAMLNestingError,
    _code_ranges,
    bang_commands,
    covered,
    is_plain,
    lint_files,
    lint_text,
    load_yaml,
    tool_rules,
)
from backend_persona.errors import UserError
from backend_persona.expand import expand_text
from backend_persona.toolnames import tool_names
from tests.conftest import RepoFactory

GOOD_FRONT = ("---\ndescription: d\nargument-hint: \"[x]\"\n"
              "allowed-tools: Bash(backend-persona context:*), Read\n---\n")


def codes(text: str, path: str = "commands/x.md") -> list[str]:
    return [f.code for f in lint_text(path, text)]


@pytest.mark.parametrize(("text", "expected"), [
    (GOOD_FRONT + "Context: !`backend-persona context`\n$ARGUMENTS\n", []),
    (GOOD_FRONT + "!`backend-persona context --focus go`\n", []),
    ("no frontmatter\n", ["FM001"]),
    ("---\n: : [\n---\nbody\n", ["FM001"]),
    ("---\n- a list\n---\nbody\n", ["FM001"]),
    ("---\nargument-hint: x\n---\nbody\n", ["FM002"]),
    ("---\ndescription: d\nargument-hint: x\ncolour: red\n---\n", ["FM003"]),
    ("---\ndescription: d\n---\n", ["FM004"]),
    ("---\ndescription: d\nargument-hint: x\nallowed-tools: Bash(x:*\n---\n", ["FM007"]),
    ("---\ndescription: d\nargument-hint: x\nallowed-tools: Teleport\n---\n", ["FM009"]),
    ("---\ndescription: d\nargument-hint: x\nallowed-tools: Read, Task\n---\n", ["FM009"]),
    ("---\ndescription: d\nargument-hint: x\nallowed-tools: Agent, mcp__x__y\n---\n", []),
    ("---\ndescription: d\nargument-hint: x\nallowed-tools: Bash(x:*), (y)\n---\n", ["FM008"]),
    (GOOD_FRONT + "!`backend-persona context $ARGUMENTS`\n", ["BANG002"]),
    (GOOD_FRONT + "!`backend-persona context $1`\n", ["BANG002"]),
    (GOOD_FRONT + "!`backend-persona context ${HOME}`\n", ["BANG002"]),
    (GOOD_FRONT + "!`backend-persona context | head -5`\n", ["BANG003"]),
    # An installed file's fallback: plain words echoed when the command did not run
    # (both CLIs let `echo` through without a rule); anything else after || is not plain.
    (GOOD_FRONT + "!`backend-persona context || echo backend-persona: gone, run make run`\n",
     []),
    (GOOD_FRONT + "!`backend-persona context || touch x`\n", ["BANG003"]),
    (GOOD_FRONT + "!`backend-persona context || echo 'quoted'`\n", ["BANG003"]),
    (GOOD_FRONT + "!`backend-persona context || echo a;b`\n", ["BANG003"]),
    (GOOD_FRONT + "!`cat x || echo none`\n", ["BANG004"]),
    (GOOD_FRONT + "!`backend-persona context; date`\n", ["BANG003"]),
    (GOOD_FRONT + "!`X=1 backend-persona context`\n", ["BANG003"]),
    (GOOD_FRONT + "!`backend-persona context > out`\n", ["BANG003"]),
    (GOOD_FRONT + "!`backend-persona context 'quoted arg'`\n", ["BANG003"]),
    (GOOD_FRONT + "```!\nbackend-persona context\n```\n", ["BANG003"]),
    (GOOD_FRONT + "!`fd . -t d`\n", ["BANG004"]),
    (GOOD_FRONT + "!`backend-personas context`\n", ["BANG004"]),
    (GOOD_FRONT + "Example:\n```\n!`backend-persona context`\n```\n", ["BANG001"]),
    (GOOD_FRONT + "Write `` !`backend-persona context` `` to inject\n", ["BANG001"]),
    (GOOD_FRONT + "Shout!`backend-persona context` is not run\n", []),
    (GOOD_FRONT + "{{bp}} left over\n", ["PH001"]),
])
def test_command_findings(text: str, expected: list[str]) -> None:
    assert codes(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("---\nname: api-architect\ndescription: d\ntools: Read, Bash\n---\nbody\n", []),
    ("---\nname: api-architect\ndescription: d\ntools: Read, Grep\n---\nbody\n", ["FM009"]),
    ("---\nname: api-architect\ndescription: d\n---\nbody\n", ["FM006"]),
    ("---\ndescription: d\ntools: Read\n---\nbody\n", ["FM002"]),
    ("---\nname: Other_Name\ndescription: d\ntools: Read\n---\nbody\n", ["FM005"]),
    ("---\nname: api-architect\ndescription: d\ntools: Read\nallowed-tools: Read\n---\n",
     ["FM003"]),
])
def test_agent_findings(text: str, expected: list[str]) -> None:
    assert codes(text, "agents/api-architect.md") == expected


@pytest.mark.parametrize(("tool", "instead"), [
    ("Task", "; use Agent"), ("Grep", "; use Bash (grep, git grep)"), ("Teleport", ""),
])
def test_a_tool_no_current_cli_offers_is_named_with_its_replacement(tool: str,
                                                                    instead: str) -> None:
    text = f"---\nname: api-architect\ndescription: d\ntools: Read, {tool}\n---\nbody\n"
    [finding] = lint_text("agents/api-architect.md", text)
    assert finding.message == f"no tool {tool!r} in Claude Code 2.1.197 or 2.1.332{instead}"


def test_every_tool_a_measured_cli_offers_is_known() -> None:
    names = tool_names()
    assert {"Agent", "Bash", "Edit", "Read", "Write", "Skill"} <= names.known
    assert not {"Task", "Grep", "Glob"} & names.known
    assert set(names.versions) == {"2.1.197", "2.1.332"}


def test_bang_detection_follows_the_cli() -> None:
    body = ("a!`no`\n(!`no`)\n!`yes1`\ntext !`yes2`\n```\n!`code`\n```\n"
            "x ```!\nscript\n```\n")
    found = [(b.line, b.command, b.fenced, b.in_code) for b in bang_commands(body)]
    assert found == [(3, "yes1", False, False), (4, "yes2", False, False),
                     (6, "code", False, True), (8, "script", True, False)]


@pytest.mark.parametrize(("command", "plain"), [
    ("backend-persona context", True),
    ("/opt/v/bin/backend-persona context --focus go", True),
    ("/usr/bin/python3 -P -m backend_persona context", True),
    ("a  b", False), ("", False), ("a|b", False), ("a && b", False), ("echo $X", False),
    ("echo `id`", False), ("a\nb", False), ("-rf x", False), ("A=1 b", False),
])
def test_plain_commands(command: str, plain: bool) -> None:
    assert is_plain(command) is plain


@pytest.mark.parametrize(("command", "rules", "allowed"), [
    ("bp context", ["Bash(bp context:*)"], True),
    ("bp context --focus go", ["Bash(bp context:*)"], True),
    ("bp contextual", ["Bash(bp context:*)"], False),
    ("bp notes go", ["Bash(bp notes go)"], True),
    ("bp notes rust", ["Bash(bp notes go)"], False),
    ("python3 x", ["Bash(python:*)"], False),
    ("anything", ["Bash"], True),
    ("bp context", ["Read", "Edit"], False),
])
def test_permission_rules(command: str, rules: list[str], allowed: bool) -> None:
    assert covered(command, rules) is allowed


def test_tool_rules_split_outside_parentheses() -> None:
    assert tool_rules("Bash(a, b:*), Read") == ["Bash(a, b:*)", "Read"]
    assert tool_rules(["Read", "Write"]) == ["Read", "Write"]
    assert tool_rules(42) is None


def test_lint_cli_defaults_to_the_shipped_pack() -> None:
    result = CliRunner().invoke(cli, ["lint"])
    assert result.exit_code == 0, result.output
    assert result.output.endswith("15 file(s), 0 error(s), 0 warning(s)\n")


def test_lint_cli_fails_on_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.md"
    bad.write_text(GOOD_FRONT + "!`backend-persona context $ARGUMENTS`\n")
    result = CliRunner().invoke(cli, ["lint", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}:6: error BANG002" in result.output


# --- render: the prompt as the CLI would expand it, without a shell ---------------------

SCRIPT_FRONT = "---\ndescription: d\nallowed-tools: Bash(git rev-parse:*), Bash(printf:*)\n---\n"


def test_render_runs_bang_lines_and_pastes_arguments(make_project: RepoFactory) -> None:
    root = make_project({"a.txt": "a\n"})
    text = SCRIPT_FRONT + "Top: !`git rev-parse --show-toplevel`\nAsk: $ARGUMENTS\n"
    result = expand_text(text, "design API", cwd=root)
    assert result.text == f"Top: {root}\nAsk: design API\n"
    assert [(c.command, c.exit_code) for c in result.commands] == [
        ("git rev-parse --show-toplevel", 0)]


def test_render_appends_arguments_when_the_body_has_none(tmp_path: Path) -> None:
    result = expand_text(SCRIPT_FRONT + "Hello\n", "x", cwd=tmp_path)
    assert result.text == "Hello\n\nARGUMENTS: x"


def test_render_substitutes_the_session_id(tmp_path: Path) -> None:
    result = expand_text(SCRIPT_FRONT + "id ${CLAUDE_SESSION_ID}\n", "", cwd=tmp_path,
                         session="abc")
    assert result.text == "id abc\n"


def test_hostile_arguments_stay_text(tmp_path: Path) -> None:
    hostile = "a \"b\" 'c'; $(touch PWNED) !`touch PWNED2` `touch PWNED3`"
    result = expand_text(SCRIPT_FRONT + "R: $ARGUMENTS\n!`printf ok`\n", hostile, cwd=tmp_path)
    assert result.text == ("R: a \"b\" 'c'; $(touch PWNED) \\! `touch PWNED2` `touch PWNED3`\n"
                           "ok\n")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(("body", "message"), [
    ("!`printf a | cat`\n", "not one plain command"),
    ("!`date`\n", "not allowed by 'allowed-tools'"),
    ("!`git rev-parse --no-such-flag-here`\n", "exited"),
    ("```!\nprintf a\n```\n", "script block"),
])
def test_render_refuses_what_the_cli_would_not_run(tmp_path: Path, body: str,
                                                   message: str) -> None:
    with pytest.raises(UserError, match=message):
        expand_text(SCRIPT_FRONT + body, "", cwd=tmp_path)


def test_render_cli_prints_the_prompt(tmp_path: Path) -> None:
    command = tmp_path / "c.md"
    command.write_text(SCRIPT_FRONT + "Says: !`printf hello`\n$ARGUMENTS\n")
    result = CliRunner().invoke(cli, ["render", str(command), "--arguments", "x $(id)"])
    assert result.exit_code == 0, result.output
    assert result.output == "Says: hello\nx $(id)\n\n"


def test_load_yaml_takes_the_deepest_nesting_allowed_and_refuses_one_more() -> None:
    assert load_yaml("[" * MAX_YAML_DEPTH + "]" * MAX_YAML_DEPTH) is not None
    with pytest.raises(YAMLNestingError) as refused:
        load_yaml("[" * (MAX_YAML_DEPTH + 1) + "]" * (MAX_YAML_DEPTH + 1))
    assert refused.value.problem_mark is not None
    assert refused.value.problem_mark.column == MAX_YAML_DEPTH


def test_load_yaml_measures_depth_before_building_anything(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import yaml  # noqa: PLC0415

    def composes(*args: object, **kwargs: object) -> object:
        raise AssertionError("composed deep YAML")

    monkeypatch.setattr(yaml, "safe_load", composes)
    with pytest.raises(YAMLNestingError):
        load_yaml("a:\n" + "- " * 100_000 + "x\n")


def test_lint_of_a_file_name_that_is_not_utf8_still_reports(tmp_path: Path) -> None:
    path = Path(os.fsdecode(bytes(tmp_path) + b"/bad\xff.md"))
    path.write_text("no frontmatter\n")

    dumped = json.loads(lint_files([path]).model_dump_json())

    assert dumped["files"] == [f"{tmp_path}/bad\ufffd.md"]
    assert [f["path"] for f in dumped["findings"]] == [f"{tmp_path}/bad\ufffd.md"]


def _naive_bangs(body: str) -> list[tuple[int, str, bool]]:
    """The inline commands as the first version found them: a scan per command."""
    rest = _FENCED_BANG.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), body)
    code = _code_ranges(rest)
    return [(1 + rest.count("\n", 0, m.start()), m.group(1),
             any(start <= m.start() < end for start, end in code))
            for m in _INLINE_BANG.finditer(rest)]


@pytest.mark.parametrize("body", [
    "!`a`\n```\n!`b` ``!`c```\n```\n!`d`\n",
    "``x ```\n!`a`\n``` !`b`\n``\n!`c`\n",
    "```\n```\n!`a`\n~~~\n``!`b`\n~~~``\n!`c`\n```\n",
    " !`a`\n``` \n" * 5,
    "```!\n!`inside a script`\n```\n``` !`x`\n",
])
def test_bang_lines_and_code_ranges_match_a_scan_per_command(body: str) -> None:
    found = [(b.line, b.command, b.in_code) for b in bang_commands(body) if not b.fenced]
    assert found == _naive_bangs(body)


@pytest.mark.parametrize("body", [
    # Once 56 s at 40,000 repeats: a count of lines and a scan of code ranges per command.
    "---\ndescription: x\nallowed-tools: Bash(a)\n---\n" + " !`a`\n``` \n" * 120_000,
    # Once 1.1 s at 40,000 and growing with the square: a brace scan from every "$".
    "---\ndescription: x\n---\n!`a " + "${" * 800_000 + "`\n",
])
def test_lint_of_many_commands_or_braces_finishes(tmp_path: Path, body: str) -> None:
    path = tmp_path / "x.md"
    path.write_text(body)
    script = ("import sys; from backend_persona.commandlint import lint_text; "
              "lint_text('commands/x.md', open(sys.argv[1]).read())")
    # A subprocess with a guard far above the linear cost, so that a quadratic regression
    # fails here instead of stalling the suite.
    done = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
