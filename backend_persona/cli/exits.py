"""Exit codes: one handler maps every outcome to one, in the shape of pre-commit's.

Commands return: nothing on success, or `EXIT_EXPECTED` when their report says something
needs the user. `Root.main` runs click inside `error_handler`, which turns whatever
escapes into its message and code, and then exits, the only place that does.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import click

from backend_persona import __version__
from backend_persona.errors import UserError

EXIT_OK = 0
EXIT_EXPECTED = 1
# 2, a usage error, is click's own: UsageError.exit_code.
EXIT_BUG = 3
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as a shell reports Ctrl-C
PROG = "backend-persona"


def root_debug(ctx: click.Context) -> bool:
    """Whether ``backend-persona --debug`` was given."""
    return bool(ctx.find_root().params.get("debug"))


@dataclass
class Run:
    """One run of the CLI: the context of the command that ran, and the exit code."""

    context: click.Context | None = None
    exit_code: int = EXIT_OK

    @property
    def debug(self) -> bool:
        """Whether ``--debug`` was given; unknown, so false, before a command ran."""
        return self.context is not None and root_debug(self.context)

    @property
    def command(self) -> str:
        """The command as the user types it, such as ``backend-persona state show``."""
        words = self.context.command_path.split()[1:] if self.context else []
        return " ".join([PROG, *words])


@contextmanager
def error_handler(run: Run) -> Iterator[None]:
    """Turn whatever escapes the block into ``run.exit_code``, said the way the user needs.

    An expected failure is one line and exit 1, a usage error click's usage and exit 2, a
    bug its traceback and exit 3, Ctrl-C one line and exit 130. ``--debug`` adds the trace
    of an expected failure and, to a bug, the versions a report needs.
    """
    try:
        yield
    except (Exception, KeyboardInterrupt) as error:
        run.exit_code = _report(error, run)


def _report(error: BaseException, run: Run) -> int:
    if isinstance(error, UserError):
        return _expected(error, run)
    if isinstance(error, click.ClickException):
        error.show()  # usage errors, and click's own FileError
        return error.exit_code
    if isinstance(error, KeyboardInterrupt | click.Abort):
        # click has already ended the terminal's ^C line.
        _say("interrupted")
        return EXIT_INTERRUPTED
    return _bug(error, run)


def _expected(error: UserError, run: Run) -> int:
    if run.debug:
        _print_trace(error)
    _say(f"{error.message}; {error.hint or f'see `{run.command} --help`'}")
    return EXIT_EXPECTED


def _bug(error: BaseException, run: Run) -> int:
    if run.debug:
        error.add_note(_details())
    _print_trace(error)
    _say("internal error (exit 3); please report it with the trace above, rerun with "
         f"`{PROG} --debug ...` for more detail")
    return EXIT_BUG


def _say(line: str) -> None:
    from backend_persona.safefs import shown  # noqa: PLC0415

    # Always one line, and never a credential: a path or a pasted title may carry line
    # breaks, bytes that are not UTF-8, or a token.
    click.echo(f"{PROG}: " + " ".join(shown(line).splitlines()), err=True)


def _print_trace(error: BaseException) -> None:
    import traceback  # noqa: PLC0415  (only a failure pays for it)

    traceback.print_exception(error)


def _details() -> str:
    import platform  # noqa: PLC0415
    from importlib.metadata import version  # noqa: PLC0415

    return (f"{PROG} {__version__}, Python {platform.python_version()}, "
            f"click {version('click')}, {platform.platform()}")


class Command(click.Command):
    """A command that leaves its context with the run, for `error_handler` to read."""

    def invoke(self, ctx: click.Context) -> Any:
        """Note the context in the run (when there is one), then run the command."""
        run = ctx.find_object(Run)
        if run is not None:
            run.context = ctx
        return super().invoke(ctx)


class Group(click.Group):
    """A group whose commands and subgroups are `Command` and `Group`."""

    command_class = Command
    group_class = type


class Root(Group):
    """The top command: click's ``main`` inside `error_handler`, then the one exit."""

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True,
             **extra: Any) -> Any:
        """Run the command line and exit with the code `error_handler` chose.

        With ``standalone_mode=False`` errors propagate and the result is returned, as
        click defines it.
        """
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        run = Run()
        with error_handler(run):
            result = super().main(args, prog_name, complete_var, False, **extra, obj=run)
            run.exit_code = result or EXIT_OK
        sys.exit(run.exit_code)
