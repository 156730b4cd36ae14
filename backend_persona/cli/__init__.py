"""The command line: parse arguments, call one library function, print; exit in one place.

Each command group has its module: `context` (context, route), `state`, `docs` and `pack`
(install, uninstall, doctor, lint, render, sync-plugin, notes). A command's module is
imported when the command runs, and its library modules inside the command, so that
``context``, which runs on every slash command, never pays for the others' imports.
`exits` maps every outcome to an exit code.
"""

from __future__ import annotations

import os
import sys
from importlib import import_module

import click

from backend_persona import __version__
from backend_persona.cli.exits import PROG, Root

# Every top-level command: its name, and the module and attribute that define it.
COMMANDS = {
    "context": ("context", "context_command"),
    "route": ("context", "route_command"),
    "state": ("state", "state"),
    "docs": ("docs", "docs"),
    "install": ("pack", "install_command"),
    "uninstall": ("pack", "uninstall_command"),
    "doctor": ("pack", "doctor_command"),
    "lint": ("pack", "lint_command"),
    "render": ("pack", "render_command"),
    "sync-plugin": ("pack", "sync_plugin_command"),
    "notes": ("pack", "notes_command"),
    "cache": ("cache", "cache_group"),
}


class _LazyRoot(Root):
    """The root command, which imports a command's module only when it is asked for."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every command name, sorted, as click lists them in ``--help``."""
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """The command called ``cmd_name``, imported on first use; None for an unknown name."""
        if cmd_name in COMMANDS and cmd_name not in self.commands:
            module, attribute = COMMANDS[cmd_name]
            self.add_command(getattr(import_module(f"{__name__}.{module}"), attribute))
        return super().get_command(ctx, cmd_name)


@click.group(cls=_LazyRoot, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name=PROG)
@click.option("--debug", is_flag=True,
              help="Show the trace of any failure, expected or not, and versions for a bug "
                   "report; context raises detector failures instead of noting them.")
def cli(debug: bool) -> None:
    """Backend context, session state and architecture docs for Claude Code.

    The library behind the /agent-persona-backend-specialist slash command.

    Exit codes: 0 success; 1 an expected failure (one line on stderr saying what to do);
    2 a usage error; 3 a bug (a traceback to report; add --debug for detail); 130
    interrupted (Ctrl-C).
    """


def main() -> None:
    """Run the command line, then exit without the interpreter's teardown.

    `backend_persona.entry.main` calls it for whatever the warm path does not answer.
    Once the output is flushed nothing is left to do but free memory, which costs tens of
    milliseconds on a large repository's context: the process ends with ``os._exit``.
    """
    # pydantic otherwise scans every installed distribution for plugins on first use,
    # which costs more than the whole context discovery of a small repository.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    try:
        cli.main(prog_name=PROG)
    except SystemExit as done:
        code = done.code if isinstance(done.code, int) else int(done.code is not None)
    else:  # pragma: no cover - Root.main always exits
        code = 0
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            code = code or 1  # the reader went away: what it missed is a failure
    os._exit(code)
