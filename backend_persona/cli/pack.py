"""The command pack: install it, check it, lint and render its files, print its notes."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar, get_args

import click

from backend_persona.cli.exits import EXIT_EXPECTED, EXIT_OK, Command
from backend_persona.cli.options import REPORT_FORMAT
from backend_persona.vocabulary import InstallScope, NoteTopic, ReportFormat

if TYPE_CHECKING:
    from pydantic import BaseModel

_Report = TypeVar("_Report", bound="BaseModel")

_SCOPE = click.option("--scope", type=click.Choice(get_args(InstallScope)), default="project",
                      show_default=True,
                      help="project: ./.claude; user: $CLAUDE_CONFIG_DIR or ~/.claude.")


def _echo(report: _Report, to_text: Callable[[_Report], str], output_format: ReportFormat) -> None:
    """The report as JSON, or as the lines ``to_text`` makes of it."""
    if output_format == "json":
        click.echo(report.model_dump_json(indent=2))
    else:
        click.echo(to_text(report), nl=False)


@click.command("install", cls=Command)
@_SCOPE
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
@click.option("--force", is_flag=True, help="Replace files you changed, keeping a .bak copy.")
@REPORT_FORMAT
def install_command(scope: InstallScope, dry_run: bool, force: bool,
                    output_format: ReportFormat) -> int:
    """Install the slash commands and subagents for Claude Code.

    The files call this installation by absolute path, so they work without the venv on
    PATH. Exits 1 when a file you changed was left alone.
    """
    from backend_persona.install import install, to_text  # noqa: PLC0415

    report = install(scope, dry_run=dry_run, force=force)
    _echo(report, to_text, output_format)
    return EXIT_EXPECTED if report.conflicts else EXIT_OK


@click.command("uninstall", cls=Command)
@_SCOPE
@click.option("--dry-run", is_flag=True, help="Show what would be removed; remove nothing.")
@click.option("--force", is_flag=True, help="Also remove files you changed, keeping a .bak copy.")
@REPORT_FORMAT
def uninstall_command(scope: InstallScope, dry_run: bool, force: bool,
                      output_format: ReportFormat) -> int:
    """Remove exactly the files the install manifest lists.

    The folders the install created go too, once empty; files you changed, .bak copies
    and folders that still hold something are kept and listed. Exits 1 when a file you
    changed was left alone.
    """
    from backend_persona.install import to_text, uninstall  # noqa: PLC0415

    report = uninstall(scope, dry_run=dry_run, force=force)
    _echo(report, to_text, output_format)
    return EXIT_EXPECTED if report.conflicts else EXIT_OK


@click.command("doctor", cls=Command)
@_SCOPE
@REPORT_FORMAT
def doctor_command(scope: InstallScope, output_format: ReportFormat) -> int:
    """Check the installed files against this package and run their context lines."""
    from backend_persona.doctor import doctor, to_text  # noqa: PLC0415

    report = doctor(scope)
    _echo(report, to_text, output_format)
    return EXIT_OK if report.ok else EXIT_EXPECTED


@click.command("lint", cls=Command)
@click.argument("files", nargs=-1, type=click.Path(path_type=str))
@REPORT_FORMAT
def lint_command(files: tuple[str, ...], output_format: ReportFormat) -> int:
    """Check command and agent FILES (default: the shipped pack) as Claude Code reads them."""
    from pathlib import Path  # noqa: PLC0415

    from backend_persona.commandlint import lint_files, lint_pack, to_text  # noqa: PLC0415

    report = lint_files([Path(f) for f in files]) if files else lint_pack()
    _echo(report, to_text, output_format)
    return EXIT_OK if report.ok else EXIT_EXPECTED


@click.command("render", cls=Command)
@click.argument("command_file", type=click.Path(path_type=str))
@click.option("--arguments", default="", help="The text typed after the slash command.")
@click.option("--session", default="render-session", show_default=True,
              help="Stands in for ${CLAUDE_SESSION_ID}.")
def render_command(command_file: str, arguments: str, session: str) -> None:
    """Print the prompt Claude Code would send for COMMAND_FILE, running its `!` lines.

    The `!` lines run here, in the current folder, without a shell: each must be one
    plain command allowed by the file's allowed-tools.
    """
    from pathlib import Path  # noqa: PLC0415

    from backend_persona.expand import expand_file  # noqa: PLC0415

    click.echo(expand_file(Path(command_file), arguments, cwd=Path.cwd(), session=session).text)


@click.command("sync-plugin", cls=Command)
@click.argument("root", default=".", type=click.Path(path_type=str, file_okay=False))
@click.option("--check", is_flag=True, help="Only report drift (exit 1); write nothing.")
def sync_plugin_command(root: str, check: bool) -> int:
    """Regenerate the plugin layout (commands/, agents/, .claude-plugin/) under ROOT."""
    from pathlib import Path  # noqa: PLC0415

    from backend_persona.pack import sync_plugin  # noqa: PLC0415

    report = sync_plugin(Path(root), check=check)
    verb = "differs" if check else "written"
    for relative in report.changed:
        click.echo(f"{relative} {verb}")
    for relative in report.extra:
        click.echo(f"{relative} is not generated by any template")
    click.echo(f"{len(report.changed)} file(s) {verb}")
    return EXIT_EXPECTED if check and (report.changed or report.extra) else EXIT_OK


@click.command("notes", cls=Command)
@click.argument("topic", type=click.Choice(get_args(NoteTopic)))
def notes_command(topic: NoteTopic) -> None:
    """Print the offline reference notes for TOPIC: patterns, pitfalls, checks."""
    from backend_persona.pack import notes  # noqa: PLC0415

    click.echo(notes(topic), nl=False)
