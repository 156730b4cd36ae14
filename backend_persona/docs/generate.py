"""``docs generate`` and ``docs adr new``: every docs write, in order, under the one lock."""

from __future__ import annotations

import os
import re
from pathlib import Path

from backend_persona.docs.adr import (
    ADR_NAME,
    adr_path,
    hand_written_adr,
    scan_adrs,
    write_adr_dir,
    write_decisions,
)
from backend_persona.docs.files import ADR_DIR_FILE, DECISIONS_DIR, DocsReport, Writer, read_text
from backend_persona.docs.readme import decisions_region, readme_regions, write_index, write_readme
from backend_persona.root import resolve_root
from backend_persona.safefs import dir_inside, remove_stale_temps
from backend_persona.state.inputs import clean_title
from backend_persona.state.model import Clock, utc_now
from backend_persona.state.store import StateStore
from backend_persona.vocabulary import HandStatus

# The files we write in each folder, for cleaning up after a writer that was killed.
_DECISION_FILES = re.compile(rf"README\.md|{ADR_NAME.pattern}")
_README_FILE = re.compile(r"README\.md")
_ADR_DIR_NAME = re.compile(re.escape(ADR_DIR_FILE))


def generate_docs(path: str | os.PathLike[str] = ".") -> DocsReport:
    """Write or refresh ``docs/architecture/`` and ``.adr-dir`` for the project at ``path``.

    Args:
        path: The project directory; decisions come from its sessions' state.

    Returns:
        Each file's outcome, and notes (unreadable sessions, missing regions).

    Raises:
        UserError: The project is missing, a docs folder leads outside it, a target is a
            symlink, or a write failed.
    """
    from backend_persona.discover import discover_context  # noqa: PLC0415
    # The real path, not context.root: that one is made printable for the reader.
    root = resolve_root(path)
    context = discover_context(root)
    store = StateStore(root)
    writer = Writer(root)
    # The project's state lock also serialises docs writers, so that two runs never
    # hand out the same ADR number.
    with store.locked(), dir_inside(root, DECISIONS_DIR) as decisions_dir:
        _remove_stale_temps(root, decisions_dir)
        sessions, writer.notes = store.all_sessions()
        write_decisions(writer, decisions_dir, [d for s in sessions for d in s.decisions])
        adrs = scan_adrs(decisions_dir, writer.notes)
        write_index(writer, decisions_dir, adrs)
        write_readme(writer, decisions_dir.parent, readme_regions(context, adrs), context.name)
        write_adr_dir(writer)
    return writer.report()


def new_adr(path: str | os.PathLike[str], title: str, *, status: HandStatus = "accepted",
            clock: Clock = utc_now) -> DocsReport:
    """Add one numbered ADR by hand, as ``adr new`` would, and refresh the index.

    The record carries no hash marker: it belongs to the person who writes it and is
    never rewritten.

    Raises:
        UserError: The title is empty or too long, or a write was refused.
    """
    root = resolve_root(path)
    clean = clean_title(title)
    writer = Writer(root)
    with StateStore(root).locked(), dir_inside(root, DECISIONS_DIR) as decisions_dir:
        _remove_stale_temps(root, decisions_dir)
        _add_adr(writer, decisions_dir, clean, status, clock().date().isoformat())
    return writer.report()


def _add_adr(writer: Writer, decisions_dir: Path, title: str, status: HandStatus,
             today: str) -> None:
    number = max((a.number for a in scan_adrs(decisions_dir, writer.notes)), default=0) + 1
    writer.put(adr_path(decisions_dir, number, title),
               hand_written_adr(number, title, status, today), None)
    adrs = scan_adrs(decisions_dir, writer.notes)
    write_index(writer, decisions_dir, adrs)
    readme = decisions_dir.parent / "README.md"
    if read_text(readme) is not None:
        write_readme(writer, readme.parent, {"decisions": decisions_region(adrs)}, "")
    write_adr_dir(writer)


def _remove_stale_temps(root: Path, decisions_dir: Path) -> None:
    # A docs writer killed mid-write leaves its temp file in the project; callers hold
    # the lock every docs writer takes.
    remove_stale_temps(decisions_dir, _DECISION_FILES)
    remove_stale_temps(decisions_dir.parent, _README_FILE)
    remove_stale_temps(root, _ADR_DIR_NAME)
