"""ADRs: named as adr-tools names them, read whoever wrote them, written from decisions.

A record we write ends in a marker with the hash of its text; once a person edits the
text the hash no longer matches, and the record is never rewritten. ``.adr-dir`` points
adr-tools at the decisions folder; when the project has one already, or adr-tools'
``doc/adr``, that folder is where the records go (`backend_persona.docs.adrdir`).
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from backend_persona.docs.adrdir import AdrFolder
from backend_persona.docs.files import ADR_DIR_FILE, DECISIONS_DIR, Writer, read_text, template
from backend_persona.errors import UserError
from backend_persona.safefs import sha256, shown
from backend_persona.state.model import Decision
from backend_persona.vocabulary import HandStatus

_ADR_MARKER = re.compile(r"<!-- backend-persona:adr decision=([0-9a-f]+) sha256=([0-9a-f]{64}) -->")
ADR_NAME = re.compile(r"([0-9]+)-[^/]*\.md")
# Bounded, and neither part can take the other's brackets: a line of 200 KB of "[" in a
# planted record costs one step per character, not one per pair.
_LINK = re.compile(r"\[([^\[\]\n]{0,200})\]\([^()\s]{0,500}\)")
_STATUS_WORDS = {"proposed": "Proposed", "accepted": "Accepted", "superseded": "Superseded"}


@dataclass(frozen=True)
class AdrFile:
    """An ADR found in the decisions folder, ours or a person's."""

    number: int
    name: str
    title: str
    status: str
    date: str
    decision_id: str | None
    intact: bool


def slugify(title: str) -> str:
    """A file-name slug as adr-tools makes it: ASCII letters and digits joined by dashes."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^A-Za-z0-9]+", "-", ascii_title).strip("-").lower()[:60].rstrip("-")
    return slug or "decision"


def adr_path(decisions_dir: Path, number: int, title: str) -> Path:
    """The record's path in ``decisions_dir``: its number and the slug of its title."""
    target = decisions_dir / f"{number:04d}-{slugify(title)}.md"
    # The slug has no separators, so this holds; it is the guarantee, so check it.
    if target.parent != decisions_dir:  # pragma: no cover
        raise UserError(f"refusing to write {target} outside {decisions_dir}")
    return target


def hand_written_adr(number: int, title: str, status: HandStatus, today: str) -> str:
    """A record as ``adr new`` starts one: no hash marker, and prompts where the text goes."""
    return template("adr.md").substitute(
        number=number, title=title, date=today, status=_STATUS_WORDS[status],
        context="The issue motivating this decision, and any context that influences or "
                "constrains the decision.",
        decision="The change that we're proposing or have agreed to implement.",
        consequences="What becomes easier or more difficult to do and any risks introduced "
                     "by the change that will need to be mitigated.",
    )


def scan_adrs(decisions_dir: Path, notes: list[str], label: str = DECISIONS_DIR) -> list[AdrFile]:
    """Every ``NNNN-*.md`` record in the folder, by number; unreadable ones become notes.

    Args:
        decisions_dir: The folder.
        notes: Where a record that cannot be read is noted.
        label: The folder as notes name it, relative to the project.
    """
    found = []
    for entry in sorted(os.scandir(decisions_dir), key=lambda e: e.name):
        match = ADR_NAME.fullmatch(entry.name)
        if not match:
            continue
        if not entry.is_file(follow_symlinks=False):
            notes.append(f"{label}/{entry.name} is not a regular file; skipped")
            continue
        try:
            text = read_text(Path(entry.path)) or ""
        except UserError as error:
            # A record too large or unreadable is one note, not the end of every file.
            notes.append(f"{error}; skipped")
            continue
        found.append(_parse_adr(int(match.group(1)), entry.name, text))
    return sorted(found, key=lambda a: (a.number, a.name))


def _parse_adr(number: int, name: str, text: str) -> AdrFile:
    lines = text.splitlines()
    title = lines[0].removeprefix("#").strip() if lines else name
    title = re.sub(r"^[0-9]+\.\s*", "", title)
    date = next((line.removeprefix("Date:").strip() for line in lines
                 if line.startswith("Date:")), "")
    decision_id, intact = None, False
    body, _, last = text.rstrip("\n").rpartition("\n")
    marker = _ADR_MARKER.fullmatch(last.strip())
    if marker:
        decision_id = marker.group(1)
        intact = sha256(body) == marker.group(2)
    return AdrFile(number=number, name=name, title=title, status=_status_of(lines), date=date,
                   decision_id=decision_id, intact=intact)


def _status_of(lines: Sequence[str]) -> str:
    # The same reading as adr-tools: the non-blank lines between "## Status" and the next heading.
    status, inside = [], False
    for line in lines:
        if line.startswith("#"):
            inside = line.rstrip() == "## Status"
        elif inside and line.strip():
            status.append(_LINK.sub(r"\1", line.strip()))
    return "; ".join(status)


def write_decisions(writer: Writer, decisions_dir: Path, decisions: list[Decision]) -> None:
    """Write a record per decision: new ones numbered after every record, edited ones kept."""
    existing = scan_adrs(decisions_dir, writer.notes, writer.relative(decisions_dir))
    by_id = {a.decision_id: a for a in existing if a.decision_id}
    names: dict[str, tuple[int, str, str]] = {}
    number = max((a.number for a in existing), default=0)
    for decision in decisions:
        known = by_id.get(decision.id)
        if known:
            names[decision.id] = (known.number, known.name, known.title)
        else:
            number += 1
            names[decision.id] = (number, adr_path(decisions_dir, number, decision.title).name,
                                  decision.title)
    for decision in decisions:
        target = decisions_dir / names[decision.id][1]
        known = by_id.get(decision.id)
        if known and not known.intact:
            writer.keep(target, "edited by hand; never rewritten")
            continue
        writer.put(target, _render_adr(decision, names), read_text(target))


def _render_adr(decision: Decision, names: Mapping[str, tuple[int, str, str]]) -> str:
    number = names[decision.id][0]

    def link(decision_id: str | None) -> str | None:
        if decision_id is None or decision_id not in names:
            return None
        other_number, other_name, other_title = names[decision_id]
        return f"[{other_number}. {other_title}]({other_name})"

    successor = link(decision.superseded_by)
    predecessor = link(decision.supersedes)
    if decision.status == "superseded" and successor:
        status = f"Superseded by {successor}"
    else:
        status = _STATUS_WORDS[decision.status]
    if predecessor:
        status += f"\n\nSupersedes {predecessor}"
    body = template("adr.md").substitute(
        number=number, title=shown(decision.title), date=decision.date.isoformat(),
        status=status, context=_prose(decision.context), decision=_prose(decision.decision),
        consequences=_prose(decision.consequences),
    )
    return f"{body}\n<!-- backend-persona:adr decision={decision.id} sha256={sha256(body)} -->\n"


def _prose(value: str) -> str:
    # A line starting with "#" would open a section that adr-tools reads as structure.
    lines = [("\\" + line if line.startswith("#") else line)
             for line in shown(value).strip().splitlines()]
    return "\n".join(lines) or "None recorded."


def write_adr_dir(writer: Writer, folder: AdrFolder) -> None:
    """Point adr-tools at our decisions folder, unless the project has its own already.

    An ``.adr-dir`` that named the folder is left as it is, and adr-tools finds its
    ``doc/adr`` without one.
    """
    path = writer.root / ADR_DIR_FILE
    if folder.source == "adr-dir":
        writer.put(path, folder.text or "", folder.text)  # honoured, never rewritten
    elif folder.source == "adr-tools-default":
        writer.notes.append(f"{folder.relative}/ is adr-tools' folder (there is no "
                            f"{ADR_DIR_FILE}); the records were written there")
    else:
        writer.put(path, DECISIONS_DIR + "\n", read_text(path))
