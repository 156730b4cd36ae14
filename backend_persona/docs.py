"""Architecture docs in the project: an arc42-lite README, a Mermaid map, and ADRs.

Everything lands under ``docs/architecture/`` (plus ``.adr-dir`` at the root, for
adr-tools). Regeneration is safe: the README and the decision index are rewritten only
between ``<!-- backend-persona:begin NAME -->`` / ``end`` markers, and an ADR is
rewritten only while its trailing hash marker still matches its text, that is, until a
person edits it. Running ``docs generate`` twice changes nothing.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from string import Template
from typing import Literal

from backend_persona.errors import UserError
from backend_persona.guidance import basis
from backend_persona.markdown import cell, more
from backend_persona.models import Artifact, Model, ProjectContext
from backend_persona.safefs import (
    dir_inside,
    printable,
    read_bytes,
    remove_stale_temps,
    shown,
    write_atomic,
)
from backend_persona.state.inputs import clean_title
from backend_persona.state.model import Clock, Decision, utc_now
from backend_persona.state.store import StateStore

ARCHITECTURE_DIR = "docs/architecture"
DECISIONS_DIR = f"{ARCHITECTURE_DIR}/decisions"
ADR_DIR_FILE = ".adr-dir"
_BEGIN = re.compile(r"<!-- backend-persona:begin ([a-z0-9-]+) -->")
_ADR_MARKER = re.compile(r"<!-- backend-persona:adr decision=([0-9a-f]+) sha256=([0-9a-f]{64}) -->")
_ADR_NAME = re.compile(r"([0-9]+)-[^/]*\.md")
# The files we write in each folder, for cleaning up after a writer that was killed.
_DECISION_FILES = re.compile(rf"README\.md|{_ADR_NAME.pattern}")
_README_FILE = re.compile(r"README\.md")
_ADR_DIR_NAME = re.compile(re.escape(ADR_DIR_FILE))
# Bounded, and neither part can take the other's brackets: a line of 200 KB of "[" in a
# planted record costs one step per character, not one per pair.
_LINK = re.compile(r"\[([^\[\]\n]{0,200})\]\([^()\s]{0,500}\)")
_LABEL_UNSAFE = re.compile(r"[^\w .,/@+:()-]")
_LIST_LIMIT = 30
_STATUS_WORDS = {"proposed": "Proposed", "accepted": "Accepted", "superseded": "Superseded"}

Outcome = Literal["created", "updated", "unchanged", "kept"]
HandStatus = Literal["proposed", "accepted"]


class DocFile(Model):
    """What happened to one file: ``kept`` means it was left alone, with the reason."""

    path: str
    outcome: Outcome
    reason: str | None = None


class DocsReport(Model):
    """The files ``docs`` touched or kept, and anything the reader should know."""

    root: str
    files: list[DocFile]
    notes: list[str]


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


class _Writer:
    """Writes files under the project root and reports each outcome."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.files: list[DocFile] = []
        self.notes: list[str] = []

    def relative(self, path: Path) -> str:
        return printable(path.relative_to(self.root).as_posix())

    def put(self, path: Path, content: str, old: str | None) -> None:
        if old == content:
            self.files.append(DocFile(path=self.relative(path), outcome="unchanged"))
            return
        write_atomic(path, content.encode("utf-8"), _mode_of(path))
        outcome: Outcome = "created" if old is None else "updated"
        self.files.append(DocFile(path=self.relative(path), outcome=outcome))

    def keep(self, path: Path, reason: str) -> None:
        self.files.append(DocFile(path=self.relative(path), outcome="kept",
                                  reason=shown(reason)))

    def report(self) -> DocsReport:
        return DocsReport(root=printable(self.root), files=self.files,
                          notes=[shown(note) for note in self.notes])


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
    from backend_persona.discover.engine import resolve_root  # noqa: PLC0415

    # The real path, not context.root: that one is made printable for the reader.
    root = resolve_root(path)
    context = discover_context(root)
    store = StateStore(root)
    writer = _Writer(root)
    # The project's state lock also serialises docs writers, so that two runs never
    # hand out the same ADR number.
    with store.locked(), dir_inside(root, DECISIONS_DIR) as decisions_dir:
        _remove_stale_temps(root, decisions_dir)
        sessions, writer.notes = store.all_sessions()
        _write_decisions(writer, decisions_dir, [d for s in sessions for d in s.decisions])
        adrs = scan_adrs(decisions_dir, writer.notes)
        _write_index(writer, decisions_dir, adrs)
        _write_readme(writer, decisions_dir.parent, _readme_regions(context, adrs),
                      context.name)
        _write_adr_dir(writer)
    return writer.report()


def new_adr(path: str | os.PathLike[str], title: str, *, status: HandStatus = "accepted",
            clock: Clock = utc_now) -> DocsReport:
    """Add one numbered ADR by hand, as ``adr new`` would, and refresh the index.

    The record carries no hash marker: it belongs to the person who writes it and is
    never rewritten.

    Raises:
        UserError: The title is empty or too long, or a write was refused.
    """
    from backend_persona.discover.engine import resolve_root  # noqa: PLC0415

    root = resolve_root(path)
    clean = clean_title(title)
    writer = _Writer(root)
    with StateStore(root).locked(), dir_inside(root, DECISIONS_DIR) as decisions_dir:
        _remove_stale_temps(root, decisions_dir)
        _add_adr(writer, decisions_dir, clean, status, clock().date().isoformat())
    return writer.report()


def _add_adr(writer: _Writer, decisions_dir: Path, title: str, status: HandStatus,
             today: str) -> None:
    number = max((a.number for a in scan_adrs(decisions_dir, writer.notes)), default=0) + 1
    target = _adr_path(decisions_dir, number, title)
    text = _template("adr.md").substitute(
        number=number, title=title, date=today, status=_STATUS_WORDS[status],
        context="The issue motivating this decision, and any context that influences or "
                "constrains the decision.",
        decision="The change that we're proposing or have agreed to implement.",
        consequences="What becomes easier or more difficult to do and any risks introduced "
                     "by the change that will need to be mitigated.",
    )
    writer.put(target, text, None)
    adrs = scan_adrs(decisions_dir, writer.notes)
    _write_index(writer, decisions_dir, adrs)
    readme = decisions_dir.parent / "README.md"
    if _read(readme) is not None:
        _write_readme(writer, readme.parent, {"decisions": _decisions_region(adrs)}, "")
    _write_adr_dir(writer)


def _remove_stale_temps(root: Path, decisions_dir: Path) -> None:
    # A docs writer killed mid-write leaves its temp file in the project; callers hold
    # the lock every docs writer takes.
    remove_stale_temps(decisions_dir, _DECISION_FILES)
    remove_stale_temps(decisions_dir.parent, _README_FILE)
    remove_stale_temps(root, _ADR_DIR_NAME)


# -- ADRs -------------------------------------------------------------------------------


def slugify(title: str) -> str:
    """A file-name slug as adr-tools makes it: ASCII letters and digits joined by dashes."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^A-Za-z0-9]+", "-", ascii_title).strip("-").lower()[:60].rstrip("-")
    return slug or "decision"


def _adr_path(decisions_dir: Path, number: int, title: str) -> Path:
    target = decisions_dir / f"{number:04d}-{slugify(title)}.md"
    # The slug has no separators, so this holds; it is the guarantee, so check it.
    if target.parent != decisions_dir:  # pragma: no cover
        raise UserError(f"refusing to write {target} outside {decisions_dir}")
    return target


def scan_adrs(decisions_dir: Path, notes: list[str]) -> list[AdrFile]:
    """Every ``NNNN-*.md`` record in the folder, by number; unreadable ones become notes."""
    found = []
    for entry in sorted(os.scandir(decisions_dir), key=lambda e: e.name):
        match = _ADR_NAME.fullmatch(entry.name)
        if not match:
            continue
        if not entry.is_file(follow_symlinks=False):
            notes.append(f"{DECISIONS_DIR}/{entry.name} is not a regular file; skipped")
            continue
        try:
            text = _read(Path(entry.path)) or ""
        except UserError as error:
            # A record too large or unreadable is one note, not the end of every file.
            notes.append(f"{error.message}; skipped")
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
        intact = _digest(body) == marker.group(2)
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


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _write_decisions(writer: _Writer, decisions_dir: Path, decisions: list[Decision]) -> None:
    existing = scan_adrs(decisions_dir, writer.notes)
    by_id = {a.decision_id: a for a in existing if a.decision_id}
    names: dict[str, tuple[int, str, str]] = {}
    number = max((a.number for a in existing), default=0)
    for decision in decisions:
        known = by_id.get(decision.id)
        if known:
            names[decision.id] = (known.number, known.name, known.title)
        else:
            number += 1
            names[decision.id] = (number, _adr_path(decisions_dir, number, decision.title).name,
                                  decision.title)
    for decision in decisions:
        target = decisions_dir / names[decision.id][1]
        known = by_id.get(decision.id)
        if known and not known.intact:
            writer.keep(target, "edited by hand; never rewritten")
            continue
        writer.put(target, _render_adr(decision, names), _read(target))


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
    body = _template("adr.md").substitute(
        number=number, title=shown(decision.title), date=decision.date.isoformat(),
        status=status, context=_prose(decision.context), decision=_prose(decision.decision),
        consequences=_prose(decision.consequences),
    )
    return f"{body}\n<!-- backend-persona:adr decision={decision.id} sha256={_digest(body)} -->\n"


def _prose(value: str) -> str:
    # A line starting with "#" would open a section that adr-tools reads as structure.
    lines = [("\\" + line if line.startswith("#") else line)
             for line in shown(value).strip().splitlines()]
    return "\n".join(lines) or "None recorded."


# -- index, README and .adr-dir -----------------------------------------------------------


def _write_index(writer: _Writer, decisions_dir: Path, adrs: list[AdrFile]) -> None:
    rows = ["| ADR | Title | Status | Date |", "|---|---|---|---|"]
    rows += [f"| {a.number} | [{cell(a.title)}]({a.name}) | {cell(a.status)} | "
             f"{cell(a.date)} |" for a in adrs]
    region = "\n".join(rows) if adrs else "No decisions recorded yet."
    _fill_file(writer, decisions_dir / "README.md", _template("decisions-index.md").template,
               {"index": region})


def _write_readme(writer: _Writer, folder: Path, regions: Mapping[str, str], name: str) -> None:
    skeleton = _template("architecture.md").substitute(name=cell(name) or "this project")
    _fill_file(writer, folder / "README.md", skeleton, regions)


def _write_adr_dir(writer: _Writer) -> None:
    path = writer.root / ADR_DIR_FILE
    old = _read(path)
    if old is not None and old.strip() != DECISIONS_DIR:
        writer.keep(path, f"points adr-tools at {old.strip()[:80]!r}, not {DECISIONS_DIR}")
        return
    if old is None and (writer.root / "doc" / "adr").is_dir():
        writer.notes.append("doc/adr/ holds this project's adr-tools records; no .adr-dir was "
                            f"written, so `adr` keeps using doc/adr rather than {DECISIONS_DIR}")
        return
    writer.put(path, DECISIONS_DIR + "\n", old)


def _fill_file(writer: _Writer, path: Path, skeleton: str, regions: Mapping[str, str]) -> None:
    old = _read(path)
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


def _readme_regions(context: ProjectContext, adrs: list[AdrFile]) -> dict[str, str]:
    return {
        "summary": "_Generated by backend-persona from the repository's manifests and files "
                   "and from the decisions recorded in its sessions._",
        "context": _context_region(context),
        "building-blocks": _blocks_region(context),
        "deployment": _deployment_region(context),
        "crosscutting": _crosscutting_region(context),
        "decisions": _decisions_region(adrs),
    }


def _context_region(context: ProjectContext) -> str:
    external = _external_systems(context)
    languages = ", ".join(cell(lang.name) for lang in context.languages[:8])
    lines = [
        f"- **System:** {cell(context.name)}, {len(context.components)} component(s)"
        + (f" in {languages}" if languages else ""),
        "- **External systems (datastores and brokers):** "
        + (", ".join(f"{cell(name)} ({kind})" for name, kind in external) or "none detected"),
        "- **Interfaces (API definitions):** "
        + (_artifacts(context.api_definitions) or "none detected"),
    ]
    return "\n".join(lines)


def _external_systems(context: ProjectContext) -> list[tuple[str, str]]:
    return [(t.name, t.category) for t in context.technologies
            if t.scope == "runtime" and t.category in ("datastore", "broker")]


def _blocks_region(context: ProjectContext) -> str:
    if context.components:
        lines = ["| Service | Path | Language | Framework | Datastores | Brokers | APIs |",
                 "|---|---|---|---|---|---|---|"]
        for c in context.components:
            language = c.language or ", ".join(c.ecosystems)
            lines.append(f"| {cell(c.name)} | `{cell(c.path)}` | {cell(language)} | "
                         f"{_names(c.frameworks)} | {_names(c.datastores)} | "
                         f"{_names(c.brokers)} | {_names(c.apis)} |")
    else:
        lines = ["No components were found from manifests."]
    return "\n".join([*lines, "", _flowchart(context)])


def _flowchart(context: ProjectContext) -> str:
    lines = ["```mermaid", "flowchart LR"]
    nodes: dict[str, str] = {}

    def node(name: str, kind: str) -> str:
        key = f"{kind}:{name}"
        if key not in nodes:
            nodes[key] = f"{kind[0]}{len(nodes) + 1}"
            shape = {"service": '["{}"]', "datastore": '[("{}")]', "broker": '{{{{"{}"}}}}'}
            lines.append(f"  {nodes[key]}{shape[kind].format(_label(name))}")
        return nodes[key]

    edges = []
    services = context.components or []
    for c in services:
        source = node(c.name if c.path == "." else f"{c.name} ({c.path})", "service")
        edges += [f"  {source} --> {node(d, 'datastore')}" for d in c.datastores]
        edges += [f"  {source} --> {node(b, 'broker')}" for b in c.brokers]
    if not services:
        node(context.name, "service")
    for name, kind in _external_systems(context):
        node(name, kind)
    return "\n".join([*lines, *edges, "```"])


def _deployment_region(context: ProjectContext) -> str:
    return "\n".join([
        f"- **Containers:** {_artifacts(context.containers) or 'none detected'}",
        f"- **Infrastructure:** {_artifacts(context.infra) or 'none detected'}",
        f"- **CI:** {_artifacts(context.ci) or 'none detected'}",
    ])


def _crosscutting_region(context: ProjectContext) -> str:
    configs = ", ".join(f"`{cell(c)}`" for c in context.config_files[:_LIST_LIMIT])
    configs += more(_LIST_LIMIT, len(context.config_files))
    tests = context.tests
    where = ", ".join(f"`{cell(d)}`" for d in tests.directories[:_LIST_LIMIT])
    lines = [
        f"- **Configuration (file names only):** {configs or 'none detected'}",
        f"- **Data migrations:** {_artifacts(context.migrations) or 'none detected'}",
        f"- **Testing:** {tests.files} test file(s)" + (f" in {where}" if where else ""),
    ]
    lines += [f"- **{cell(g.topic)}** ({cell(basis(g))}): {cell(g.advice)}"
              for g in context.guidance]
    return "\n".join(lines)


def _decisions_region(adrs: list[AdrFile]) -> str:
    if not adrs:
        return ("No decisions recorded yet. `backend-persona state decision` records one; "
                "`backend-persona docs adr new TITLE` adds one by hand.")
    lines = ["All records, with their status, are in the [decision index](decisions/README.md).",
             ""]
    lines += [f"- [ADR {a.number}: {cell(a.title)}](decisions/{a.name}): {cell(a.status)}"
              for a in adrs]
    return "\n".join(lines)


def _artifacts(artifacts: Iterable[Artifact]) -> str:
    grouped: dict[tuple[str, str], list[Artifact]] = defaultdict(list)
    for artifact in artifacts:
        grouped[(artifact.path.rpartition("/")[0] or ".", artifact.kind)].append(artifact)
    entries = []
    for (folder, kind), members in grouped.items():
        if len(members) == 1:
            entries.append(f"`{cell(members[0].path)}` ({cell(kind)})")
        else:
            entries.append(f"`{cell(folder)}/` ({len(members)} {cell(kind)} files)")
    return ", ".join(entries[:_LIST_LIMIT]) + more(_LIST_LIMIT, len(entries))


def _names(values: Sequence[str]) -> str:
    return ", ".join(cell(v) for v in values) or "-"


def _label(value: str) -> str:
    """A file, folder or package name made safe for a Mermaid label: redacted, plain."""
    return _LABEL_UNSAFE.sub(" ", shown(value)).strip() or "?"


# -- files --------------------------------------------------------------------------------


def _template(name: str) -> Template:
    source = resources.files("backend_persona").joinpath("resources", "docs", name)
    return Template(source.read_text("utf-8"))


def _read(path: Path) -> str | None:
    data = read_bytes(path)
    return None if data is None else data.decode("utf-8", "replace")


def _mode_of(path: Path) -> int:
    # Keep the permissions a person gave an existing file, short of group and world
    # write and the setuid, setgid and sticky bits a planted file may carry; new files
    # are 0644.
    try:
        return stat.S_IMODE(os.lstat(path).st_mode) & 0o755
    except OSError:
        return 0o644
