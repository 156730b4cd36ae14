"""Regions of a generated file: only the text between a region's markers is ours to rewrite."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

from backend_persona.docs.files import Writer, read_text

_BEGIN = re.compile(r"<!-- backend-persona:begin ([a-z0-9-]+) -->")


def fill_regions(text: str, regions: Mapping[str, str]) -> tuple[str, list[str]]:
    """Replace the body of each marked region named in ``regions``; keep everything else.

    Args:
        text: A document with ``<!-- backend-persona:begin NAME -->`` and matching
            ``<!-- backend-persona:end NAME -->`` lines.
        regions: New markdown for each region, by name.

    Returns:
        The new text, and the names in ``regions`` the text has no markers for.

    Raises:
        ValueError: A region is opened but never closed.
    """
    lines = text.splitlines(keepends=True)
    out: list[str] = []
    seen: set[str] = set()
    position = 0
    while position < len(lines):
        line = lines[position]
        out.append(line)
        begin = _BEGIN.fullmatch(line.strip())
        position += 1
        if not begin:
            continue
        name = begin.group(1)
        end_marker = f"<!-- backend-persona:end {name} -->"
        end = next((k for k in range(position, len(lines)) if lines[k].strip() == end_marker),
                   None)
        if end is None:
            raise ValueError(f"region {name} has no end marker; left the file as it was")
        if name in regions:
            body = regions[name].strip("\n")
            out.append(f"\n{body}\n\n" if body else "")
        else:
            out.extend(lines[position:end])
        out.append(lines[end])
        seen.add(name)
        position = end + 1
    return "".join(out), [name for name in regions if name not in seen]


def fill_file(writer: Writer, path: Path, skeleton: str, regions: Mapping[str, str]) -> None:
    """Fill ``regions`` of the file ``path`` (``skeleton`` when it is new); a broken one is kept."""
    old = read_text(path)
    relative = writer.relative(path)
    try:
        text, missing = fill_regions(old if old is not None else skeleton, regions)
    except ValueError as error:
        writer.keep(path, str(error))
        return
    if missing and old is not None:
        writer.notes.append(f"{relative} has no {', '.join(missing)} region(s); add the "
                            "backend-persona markers where they belong to have them generated")
    writer.put(path, text, old)
