"""``docs generate`` and ``docs adr new``: every docs write, in order, under the one lock."""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import quote

from backend_persona.docs.adr import (
    ADR_NAME,
    adr_path,
    hand_written_adr,
    scan_adrs,
    write_adr_dir,
    write_decisions,
)
from backend_persona.docs.adrdir import adr_folder
from backend_persona.docs.files import ADR_DIR_FILE, ARCHITECTURE_DIR, DocsReport, Writer, read_text
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
    """Write or refresh ``docs/architecture/`` and the ADRs for the project at ``path``.

    The ADRs go where adr-tools keeps them (`adr_folder`): the folder ``.adr-dir``
    names, else ``doc/adr``, else ``docs/architecture/decisions``, which a new
    ``.adr-dir`` then names.

    Args:
        path: The project directory; decisions come from its sessions' state.

    Returns:
        Each file's outcome, and notes (unreadable sessions, missing regions).

    Raises:
        UserError: The project is missing, ``.adr-dir`` names no folder inside it, a
            docs folder leads outside it, a target is a symlink, or a write failed.
    """
    from backend_persona.discover import discover_context  # noqa: PLC0415
    # The real path, not context.root: that one is made printable for the reader.
    root = resolve_root(path)
    adr_folder(root)  # a hostile .adr-dir is refused before discovery runs
    context = discover_context(root)
    store = StateStore(root)
    writer = Writer(root)
    # The project's state lock also serialises docs writers, so that two runs never
    # hand out the same ADR number.
    with store.locked():
        folder = adr_folder(root)
        with dir_inside(root, folder.relative) as decisions_dir, \
                dir_inside(root, ARCHITECTURE_DIR) as architecture_dir:
            _remove_stale_temps(root, decisions_dir, architecture_dir)
            sessions, writer.notes = store.all_sessions()
            write_decisions(writer, decisions_dir, [d for s in sessions for d in s.decisions])
            adrs = scan_adrs(decisions_dir, writer.notes, writer.relative(decisions_dir))
            write_index(writer, decisions_dir, adrs)
            regions = readme_regions(context, adrs, _link(architecture_dir, decisions_dir))
            write_readme(writer, architecture_dir, regions, context.name)
            write_adr_dir(writer, folder)
    return writer.report()


def new_adr(path: str | os.PathLike[str], title: str, *, status: HandStatus = "accepted",
            clock: Clock = utc_now) -> DocsReport:
    """Add one numbered ADR by hand, as ``adr new`` would, and refresh the index.

    The record goes where `generate_docs` puts them, numbered after every record there.
    It carries no hash marker: it belongs to the person who writes it and is never
    rewritten.

    Raises:
        UserError: The title is empty or too long, ``.adr-dir`` names no folder inside
            the project, or a write was refused.
    """
    root = resolve_root(path)
    clean = clean_title(title)
    writer = Writer(root)
    with StateStore(root).locked():
        folder = adr_folder(root)
        with dir_inside(root, folder.relative) as decisions_dir:
            _remove_stale_temps(root, decisions_dir, None)
            _add_adr(writer, decisions_dir, clean, status, clock().date().isoformat())
            _refresh_readme(writer, decisions_dir)
            write_adr_dir(writer, folder)
    return writer.report()


def _add_adr(writer: Writer, decisions_dir: Path, title: str, status: HandStatus,
             today: str) -> None:
    label = writer.relative(decisions_dir)
    number = max((a.number for a in scan_adrs(decisions_dir, writer.notes, label)),
                 default=0) + 1
    writer.put(adr_path(decisions_dir, number, title),
               hand_written_adr(number, title, status, today), None)
    write_index(writer, decisions_dir, scan_adrs(decisions_dir, writer.notes, label))


def _refresh_readme(writer: Writer, decisions_dir: Path) -> None:
    # The architecture README's list of records, when there is a README to refresh;
    # dir_inside creates nothing that exists, and refuses a folder that leads outside.
    if not (writer.root / ARCHITECTURE_DIR / "README.md").is_file():
        return
    with dir_inside(writer.root, ARCHITECTURE_DIR) as architecture_dir:
        readme = architecture_dir / "README.md"
        if read_text(readme) is not None:
            adrs = scan_adrs(decisions_dir, [], writer.relative(decisions_dir))
            region = decisions_region(adrs, _link(architecture_dir, decisions_dir))
            write_readme(writer, architecture_dir, {"decisions": region}, "")


def _link(architecture_dir: Path, decisions_dir: Path) -> str:
    """The decisions folder as a markdown link from the architecture README's folder."""
    return quote(Path(os.path.relpath(decisions_dir, architecture_dir)).as_posix())


def _remove_stale_temps(root: Path, decisions_dir: Path, architecture_dir: Path | None) -> None:
    # A docs writer killed mid-write leaves its temp file in the project; callers hold
    # the lock every docs writer takes.
    remove_stale_temps(decisions_dir, _DECISION_FILES)
    if architecture_dir is not None:
        remove_stale_temps(architecture_dir, _README_FILE)
    remove_stale_temps(root, _ADR_DIR_NAME)
