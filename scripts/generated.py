"""A generated region of a checked-in file: read, compare, rewrite, for every generator.

`scripts/cli_reference.py` (docs/cli.md) and `scripts/readme_sample.py` (README.md) each
own one region between two markers; this module reads and rewrites it and gives them the
same ``--check`` / ``--write`` command line.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Region:
    """The text between ``begin`` and ``end`` in a file."""

    begin: str
    end: str

    def section(self, text: str) -> str | None:
        """The text between the markers, or None when the markers are missing."""
        start, end = text.find(self.begin), text.find(self.end)
        if start < 0 or end < start:
            return None
        return text[start + len(self.begin):end].strip("\n")

    def replaced(self, text: str, body: str) -> str:
        """``text`` with the region replaced by ``body``."""
        start, end = text.index(self.begin) + len(self.begin), text.index(self.end)
        return f"{text[:start]}\n{body.strip()}\n{text[end:]}"


@dataclass(frozen=True)
class Generator:
    """One generated region: where it lives, how to make it, and what to call it."""

    prog: str
    doc: str
    region: Region
    default: Path
    path_flag: str
    what: str
    render: Callable[[], str]


def main(generator: Generator, argv: Sequence[str] | None = None) -> int:
    """Print, check or write ``generator``'s region; returns the exit status."""
    parser = argparse.ArgumentParser(prog=generator.prog, description=generator.doc,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true",
                      help=f"exit 1 if {generator.default.name} has drifted")
    mode.add_argument("--write", action="store_true",
                      help=f"rewrite {generator.default.name}'s {generator.what}")
    parser.add_argument(generator.path_flag, dest="path", type=Path, default=generator.default)
    args = parser.parse_args(argv)
    body = generator.render()
    if not (args.check or args.write):
        sys.stdout.write(body if body.endswith("\n") else body + "\n")
        return 0
    region, path = generator.region, args.path
    text = path.read_text(encoding="utf-8")
    current = region.section(text)
    if current is None:
        print(f"{path}: no {region.begin} ... {region.end} markers", file=sys.stderr)
        return 1
    if args.check:
        if current != body.strip():
            print(f"{path}: the {generator.what} has drifted; run "
                  f"python {generator.prog} --write", file=sys.stderr)
            return 1
        return 0
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent,
                                     delete=False, suffix=".tmp") as handle:
        handle.write(region.replaced(text, body))
    os.replace(handle.name, path)
    return 0
