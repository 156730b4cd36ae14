"""The command line: parse arguments, call one library function, print, map errors to exit codes.

Library modules are imported inside each command so that ``context``, which runs on
every slash command, never pays for the imports of the others.
"""

from __future__ import annotations

import os
import sys
import traceback
from typing import IO, Any

import click

from backend_persona import __version__
from backend_persona.errors import UserError

EXIT_USER_ERROR = 1
EXIT_BUG = 3


class _ExpectedFailure(click.ClickException):
    exit_code = EXIT_USER_ERROR

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"backend-persona: {self.message}", err=True)


class _Group(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except UserError as error:
            raise _ExpectedFailure(error.message) from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="backend-persona")
def cli() -> None:
    """Backend context, session state and architecture docs for Claude Code.

    The library behind the /agent-persona-backend-specialist slash command.
    """


@cli.command()
@click.argument("path", default=".", type=click.Path(path_type=str))
@click.option("--format", "output_format", type=click.Choice(["markdown", "json"]),
              default="markdown", show_default=True,
              help="markdown is compact and capped for prompts; json carries every list.")
@click.option("--debug", is_flag=True, help="Raise detector failures instead of noting them.")
@click.option("--focus", type=click.Choice(["go", "rust", "java", "node", "python"]),
              help="Only this ecosystem's components, technologies and files, plus shared files.")
def context(path: str, output_format: str, debug: bool, focus: str | None) -> None:
    """Describe the project at PATH (default: here): git state, stack, components, files.

    Exits 0 whenever PATH is a directory, even outside git or with broken manifests;
    problems become notes in the output.
    """
    from backend_persona.discover import discover_context  # noqa: PLC0415
    from backend_persona.render import to_json, to_markdown  # noqa: PLC0415

    found = discover_context(path, debug=debug)
    if focus:
        from backend_persona.focus import focus_context  # noqa: PLC0415

        found = focus_context(found, focus)  # type: ignore[arg-type]  # click.Choice checked it
    click.echo(to_json(found) if output_format == "json" else to_markdown(found), nl=False)
    if output_format == "json":
        click.echo()


def main() -> None:
    """Entry point of the ``backend-persona`` console script and ``python -m backend_persona``."""
    # pydantic otherwise scans every installed distribution for plugins on first use,
    # which costs more than the whole context discovery of a small repository.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    try:
        cli.main(prog_name="backend-persona")
    except Exception:
        # Not an expected failure: keep the traceback for the bug report.
        traceback.print_exc()
        click.echo("backend-persona: internal error; please report it with the trace above",
                   err=True)
        sys.exit(EXIT_BUG)
