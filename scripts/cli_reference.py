"""The CLI reference in ``docs/cli.md``, generated from ``--help`` so that it can never drift.

    python scripts/cli_reference.py            print the reference (markdown)
    python scripts/cli_reference.py --check    exit 1 when docs/cli.md's section differs
    python scripts/cli_reference.py --write    rewrite docs/cli.md's section in place

The section sits between ``<!-- cli-reference:begin -->`` and ``<!-- cli-reference:end -->``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

import click

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from backend_persona.cli import cli

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


def section(text: str) -> str | None:
    """The text between the markers, or None when the markers are missing."""
    start, end = text.find(BEGIN), text.find(END)
    if start < 0 or end < start:
        return None
    return text[start + len(BEGIN):end].strip("\n")


def replaced(text: str, reference: str) -> str:
    """``text`` with the section between the markers replaced by ``reference``."""
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    return f"{text[:start]}\n{reference.strip()}\n{text[end:]}"


def main(argv: Sequence[str] | None = None) -> int:
    """Print, check or write the reference; returns the exit status."""
    parser = argparse.ArgumentParser(prog="scripts/cli_reference.py", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="exit 1 if docs/cli.md has drifted")
    mode.add_argument("--write", action="store_true", help="rewrite docs/cli.md's section")
    parser.add_argument("--file", type=Path, default=REFERENCE)
    args = parser.parse_args(argv)
    reference = render_reference()
    if not (args.check or args.write):
        sys.stdout.write(reference)
        return 0
    text = args.file.read_text(encoding="utf-8")
    current = section(text)
    if current is None:
        print(f"{args.file}: no {BEGIN} ... {END} markers", file=sys.stderr)
        return 1
    if args.check:
        if current != reference.strip():
            print(f"{args.file}: the CLI reference differs from --help; run "
                  "python scripts/cli_reference.py --write", file=sys.stderr)
            return 1
        return 0
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=args.file.parent,
                                     delete=False, suffix=".tmp") as handle:
        handle.write(replaced(text, reference))
    os.replace(handle.name, args.file)
    return 0


if __name__ == "__main__":
    sys.exit(main())
