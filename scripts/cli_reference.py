"""The CLI reference in ``docs/cli.md``, generated from ``--help`` so that it can never drift.

    python scripts/cli_reference.py            print the reference (markdown)
    python scripts/cli_reference.py --check    exit 1 when docs/cli.md's section differs
    python scripts/cli_reference.py --write    rewrite docs/cli.md's section in place

The section sits between ``<!-- cli-reference:begin -->`` and ``<!-- cli-reference:end -->``.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import click

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from backend_persona.cli import cli
from scripts import generated
from scripts.generated import Generator, Region

BEGIN = "<!-- cli-reference:begin -->"
END = "<!-- cli-reference:end -->"
REFERENCE = Path(__file__).resolve().parent.parent / "docs" / "cli.md"
PROG = "backend-persona"
# Fixed, so that the text does not depend on the terminal it is generated in.
WIDTH = 100


def _commands(command: click.Command, parent: click.Context | None) -> Iterator[click.Context]:
    name = PROG if parent is None else command.name
    ctx = click.Context(command, info_name=name, parent=parent, terminal_width=WIDTH,
                        max_content_width=WIDTH, **command.context_settings)
    yield ctx
    if isinstance(command, click.Group):
        for sub in command.list_commands(ctx):
            found = command.get_command(ctx, sub)
            if found is not None and not found.hidden:
                yield from _commands(found, ctx)


def render_reference() -> str:
    """The markdown reference: every command's ``--help``, in command-tree order."""
    parts = []
    for ctx in _commands(cli, None):
        parts.append(f"#### `{ctx.command_path}`\n\n```text\n{ctx.command.get_help(ctx)}\n```\n")
    return "\n".join(parts)


REGION = Region(BEGIN, END)
section = REGION.section
GENERATOR = Generator(prog="scripts/cli_reference.py", doc=__doc__ or "", region=REGION,
                      default=REFERENCE, path_flag="--file", what="CLI reference",
                      render=render_reference)


def main(argv: Sequence[str] | None = None) -> int:
    """Print, check or write the CLI reference; returns the exit status."""
    return generated.main(GENERATOR, argv)


if __name__ == "__main__":
    sys.exit(main())
