"""docs/cli.md, the CLI reference, is generated from --help and checked for drift."""

from __future__ import annotations

from pathlib import Path

import click
from click.testing import CliRunner

from backend_persona.cli import cli
from scripts.cli_reference import BEGIN, END, REFERENCE, main, render_reference, section


def test_the_reference_shows_every_command_and_option() -> None:
    reference = render_reference()

    for path in ("backend-persona", "backend-persona context", "backend-persona state decision",
                 "backend-persona docs adr new", "backend-persona route",
                 "backend-persona install", "backend-persona render"):
        assert f"#### `{path}`\n" in reference
    assert "--focus [go|rust|java|node|python]" in reference
    assert "-h, --help" in reference
    assert reference.count("#### `") == _count_commands()


def _count_commands() -> int:
    pending, count = [cli], 0
    while pending:
        command = pending.pop()
        count += 1
        pending += list(getattr(command, "commands", {}).values())
    return count


def test_the_reference_says_what_help_says() -> None:
    help_text = CliRunner().invoke(cli, ["state", "decision", "--help"],
                                   terminal_width=100).stdout

    assert help_text.replace("Usage: cli", "Usage: backend-persona") in render_reference()


def test_the_documented_reference_matches_the_generated_one() -> None:
    current = section(REFERENCE.read_text(encoding="utf-8"))

    assert current is not None, f"docs/cli.md lacks the {BEGIN} / {END} markers"
    assert current == render_reference().strip(), (
        "docs/cli.md has drifted from --help; run "
        "`.venv/bin/python scripts/cli_reference.py --write`")


def test_check_and_write_keep_the_rest_of_the_file(tmp_path: Path) -> None:
    reference = tmp_path / "cli.md"
    reference.write_text(f"# Title\n\n{BEGIN}\nstale\n{END}\n\n## After\n")

    assert main(["--check", "--file", str(reference)]) == 1
    assert main(["--write", "--file", str(reference)]) == 0
    assert main(["--check", "--file", str(reference)]) == 0
    text = reference.read_text()
    assert text.startswith(f"# Title\n\n{BEGIN}\n#### `backend-persona`")
    assert text.endswith(f"```\n{END}\n\n## After\n")


def test_check_without_markers_fails(tmp_path: Path) -> None:
    reference = tmp_path / "cli.md"
    reference.write_text("# No markers\n")

    assert main(["--check", "--file", str(reference)]) == 1
    assert main(["--write", "--file", str(reference)]) == 1
    assert reference.read_text() == "# No markers\n"


def test_every_listed_command_loads_under_its_own_name() -> None:
    ctx = click.Context(cli)

    for name in cli.list_commands(ctx):
        command = cli.get_command(ctx, name)
        assert command is not None, name
        assert command.name == name
    assert cli.get_command(ctx, "no-such-command") is None
