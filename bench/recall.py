"""Recall and false technologies of `backend-persona context` on real repositories.

The ground truth in ``tests/recall/truth/`` was written by reading each repository's own
manifests before the tool ran on it; each file pins the commit it describes. The
repositories themselves are never committed: check each one out at its commit into
``CHECKOUTS/<owner>__<name>/`` (for example with ``git archive <commit> | tar -x``).

Repositories in the ``holdout`` set are scored as totals only, without the list of what
was missed, so that tuning the catalog on their misses cannot happen by accident.

``--peer stack-analyser`` scores the npm package ``@specfy/stack-analyser`` (a pinned
version, installed into ``bench/.work/stack-analyser`` on first use) the same way and
prints its figures beside ours; when node, npm or the install fails, ours stand alone.

Usage: ``python bench/recall.py [--checkouts DIR] [--show-holdout] [--peer stack-analyser]``.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import tomllib
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

TRUTH_DIR = Path(__file__).resolve().parent.parent / "tests" / "recall" / "truth"
DEFAULT_CHECKOUTS = Path("/work/recall")
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")

PEER = "stack-analyser"
PEER_PACKAGE = "@specfy/stack-analyser"
# Pinned: the peer's figure moves only when we choose to move it.
PEER_VERSION = "1.27.3"
PEER_LABEL = f"{PEER} {PEER_VERSION}"
PEER_DIR = Path(__file__).resolve().parent / ".work" / PEER
PEER_SCRIPT = Path(__file__).resolve().parent / "stack_analyser.mjs"
_PEER_INSTALL_SECONDS = 600
_PEER_RUN_SECONDS = 600


def normal(name: str) -> str:
    """A name as compared: lower case, letters and digits only."""
    return _NOT_ALNUM.sub("", name.lower())


@dataclass(frozen=True)
class Expected:
    """One technology an engineer named, with the names that count as naming it."""

    name: str
    category: str
    names: frozenset[str]


@dataclass(frozen=True)
class Truth:
    """The ground truth of one repository."""

    repo: str
    commit: str
    set: str
    expected: tuple[Expected, ...]
    acceptable: frozenset[str]

    @property
    def folder(self) -> str:
        """The checkout folder's name."""
        return self.repo.replace("/", "__")


@dataclass
class Score:
    """What the tool named of one repository's truth, and what it named beyond it."""

    truth: Truth
    found: list[Expected] = field(default_factory=list)
    missed: list[Expected] = field(default_factory=list)
    false: list[str] = field(default_factory=list)


def load_truth(path: Path) -> Truth:
    """Read one ground-truth file."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    expected = tuple(
        Expected(e["name"], e["category"],
                 frozenset(normal(n) for n in (e["name"], *e.get("aliases", ()))))
        for e in data["expected"]
    )
    acceptable = frozenset(normal(n) for n in data.get("acceptable", {}).get("names", ()))
    return Truth(data["repo"], data["commit"], data["set"], expected, acceptable)


def named_by(context: Mapping[str, object]) -> list[str]:
    """Every technology the context claims."""
    return sorted({str(t["name"]) for t in _dicts(context.get("technologies"))})


def kinds_of(context: Mapping[str, object]) -> list[str]:
    """The kinds of the files the context lists (``dockerfile``, ``github-actions``...).

    A file list says "this file is here", not "this technology is used": a kind counts
    towards recall, and never as a false technology.
    """
    kinds = set()
    for section in ("api_definitions", "migrations", "containers", "infra", "ci"):
        kinds |= {str(a["kind"]) for a in _dicts(context.get(section))}
    return sorted(kinds)


def languages_of(context: Mapping[str, object]) -> list[str]:
    """The languages the context counts files of.

    They name a runtime an engineer would list (PHP, Ruby), but as measured counts, not
    claims: they count towards recall and never as a false technology.
    """
    return sorted({str(lang["name"]) for lang in _dicts(context.get("languages"))})


def _dicts(value: object) -> Iterable[dict[str, object]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def peer_named_by(output: Mapping[str, object]) -> list[str]:
    """Every technology stack-analyser claims, by the human name it gives it.

    ``output`` is what ``bench/stack_analyser.mjs`` writes: the analysis tree
    (``Payload.toJson()``) under ``analysis`` and the package's key-to-name table under
    ``names``. Each component claims the keys in its ``techs`` and, when it stands for a
    technology itself (a database service in a compose file), its ``tech``; a key the
    table lacks is kept as it is.
    """
    table = output.get("names")
    names = table if isinstance(table, dict) else {}
    keys: set[str] = set()
    for component in _components(output.get("analysis")):
        techs = component.get("techs")
        keys |= {str(key) for key in techs} if isinstance(techs, list) else set()
        if isinstance(component.get("tech"), str):
            keys.add(str(component["tech"]))
    return sorted({str(names.get(key, key)) for key in keys})


def peer_languages_of(output: Mapping[str, object]) -> list[str]:
    """The languages stack-analyser counts files of, in any component.

    Like ours, they are counts by file extension, not claims: recall only.
    """
    found: set[str] = set()
    for component in _components(output.get("analysis")):
        languages = component.get("languages")
        found |= set(map(str, languages)) if isinstance(languages, dict) else set()
    return sorted(found)


def _components(root: object) -> Iterator[dict[str, object]]:
    """The component ``root`` and every one nested under it (``childs``, at any depth)."""
    pending = [root]
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            yield node
            pending.extend(_dicts(node.get("childs")))


def score(truth: Truth, names: Sequence[str], measured: Sequence[str] = ()) -> Score:
    """Compare the technologies the tool claimed with the truth.

    ``measured`` are the languages it counted and the file kinds it listed: they name
    what an engineer would, but are not claims, so they count only towards recall.
    """
    result = Score(truth)
    printed = {normal(n) for n in (*names, *measured)}
    for expected in truth.expected:
        (result.found if expected.names & printed else result.missed).append(expected)
    known = truth.acceptable.union(*(e.names for e in truth.expected))
    result.false = [n for n in names if normal(n) not in known]
    return result


def run_context(tool: Sequence[str], checkout: Path) -> dict[str, object]:
    """``context --format json`` of one checkout, by the real command."""
    done = subprocess.run([*tool, "context", str(checkout), "--format", "json"],
                          capture_output=True, text=True, check=True)
    data = json.loads(done.stdout)
    assert isinstance(data, dict)
    return data


class PeerError(Exception):
    """stack-analyser could not be installed or run; the message says why, in one line."""


def _installed_peer(folder: Path) -> str | None:
    """The version of stack-analyser installed under ``folder``, if any."""
    manifest = folder / "node_modules" / PEER_PACKAGE / "package.json"
    try:
        version = json.loads(manifest.read_text(encoding="utf-8")).get("version")
    except (OSError, ValueError, AttributeError):
        return None
    return version if isinstance(version, str) else None


def _last_line(text: str) -> str:
    return (text.strip().splitlines() or ["no output"])[-1][:200]


def ensure_peer(folder: Path) -> None:
    """Install the pinned stack-analyser into ``folder`` unless it is already there.

    Raises:
        PeerError: node or npm is missing, or the install failed.
    """
    if _installed_peer(folder) == PEER_VERSION:
        return
    missing = [tool for tool in ("node", "npm") if shutil.which(tool) is None]
    if missing:
        raise PeerError(f"{' and '.join(missing)} not on PATH")
    folder.mkdir(parents=True, exist_ok=True)
    argv = ["npm", "install", "--no-audit", "--no-fund", "--save-exact", "--prefix",
            str(folder), f"{PEER_PACKAGE}@{PEER_VERSION}"]
    try:
        done = subprocess.run(argv, capture_output=True, text=True, check=False,
                              timeout=_PEER_INSTALL_SECONDS)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise PeerError(f"npm install failed: {error}") from error
    if done.returncode != 0:
        raise PeerError(f"npm install exited {done.returncode}: {_last_line(done.stderr)}")
    if _installed_peer(folder) != PEER_VERSION:
        raise PeerError(f"npm install left no {PEER_PACKAGE} {PEER_VERSION} in {folder}")


def run_peer(folder: Path, checkout: Path) -> dict[str, object]:
    """stack-analyser's analysis of one checkout and its key-to-name table.

    Raises:
        PeerError: it exited non-zero, ran too long or wrote no JSON object.
    """
    with tempfile.TemporaryDirectory(prefix="recall-peer-") as work:
        output = Path(work) / "output.json"
        argv = ["node", str(PEER_SCRIPT), str(folder), str(checkout), str(output)]
        try:
            done = subprocess.run(argv, capture_output=True, text=True, check=False,
                                  timeout=_PEER_RUN_SECONDS)
            if done.returncode != 0:
                raise PeerError(f"exited {done.returncode}: {_last_line(done.stderr)}")
            data = json.loads(output.read_text(encoding="utf-8"))
        except (OSError, ValueError, subprocess.TimeoutExpired) as error:
            raise PeerError(str(error)) from error
    if not isinstance(data, dict):
        raise PeerError("its output is not a JSON object")
    return data


def report(scores: Sequence[Score], *, show_holdout: bool,
           peer: Sequence[Score] = ()) -> list[str]:
    """Per-repository rows, then totals per set; stack-analyser's under ours when given.

    ``peer`` holds stack-analyser's scores of the same truths (fewer where it failed).
    The holdout rule holds for both: totals only, unless ``show_holdout``.
    """
    theirs = {s.truth.repo: s for s in peer}
    rows = []
    for s in scores:
        rows += _rows(f"{s.truth.set:<8} {s.truth.repo:<36}", s, show_holdout)
        if s.truth.repo in theirs:
            rows += _rows(f"{'':<8} {'  ' + PEER_LABEL:<36}", theirs[s.truth.repo],
                          show_holdout)
    for name in sorted({s.truth.set for s in scores}):
        rows.append(_totals(name, [s for s in scores if s.truth.set == name]))
        part = [s for s in peer if s.truth.set == name]
        if part:
            rows.append(_totals(f"{name}, {PEER_LABEL}", part))
    return rows


def _rows(head: str, s: Score, show_holdout: bool) -> list[str]:
    total = len(s.truth.expected)
    rows = [f"{head} {len(s.found):>3}/{total:<3} {100 * len(s.found) / total:5.1f}%  "
            f"false: {len(s.false)}"]
    if s.truth.set != "holdout" or show_holdout:
        if s.missed:
            rows.append("    missed: " + ", ".join(e.name for e in s.missed))
        if s.false:
            rows.append("    not in the truth: " + ", ".join(s.false))
    return rows


def _totals(name: str, part: Sequence[Score]) -> str:
    found = sum(len(s.found) for s in part)
    total = sum(len(s.truth.expected) for s in part)
    false = sum(len(s.false) for s in part)
    return (f"{name}: {found}/{total} named ({100 * found / total:.1f}%), "
            f"{false} not in the truth, over {len(part)} repositories")


def main(argv: Sequence[str] | None = None) -> int:
    """Score every truth file whose checkout exists; say which are missing."""
    parser = argparse.ArgumentParser(prog="bench/recall.py", description=__doc__.split("\n")[0])
    parser.add_argument("--checkouts", type=Path, default=DEFAULT_CHECKOUTS,
                        help=f"folder of <owner>__<name> checkouts (default {DEFAULT_CHECKOUTS})")
    parser.add_argument("--show-holdout", action="store_true",
                        help="also list the holdout set's misses (do not tune on them)")
    parser.add_argument("--tool", default=str(Path(sys.prefix) / "bin" / "backend-persona"),
                        help="the command to score, split on spaces (default: this venv's)")
    parser.add_argument("--peer", choices=[PEER],
                        help=f"also score {PEER_PACKAGE} {PEER_VERSION} (npm; installed on "
                             "first use) and print its figures beside ours")
    parser.add_argument("--peer-dir", type=Path, default=PEER_DIR,
                        help="where the peer is installed (default: bench/.work/stack-analyser)")
    args = parser.parse_args(argv)
    tool = args.tool.split()
    scores: list[Score] = []
    peer = _start_peer(args.peer_dir) if args.peer else None
    for path in sorted(TRUTH_DIR.glob("*.toml")):
        truth = load_truth(path)
        checkout = args.checkouts / truth.folder
        if not checkout.is_dir():
            print(f"recall: {checkout} is missing; check out {truth.repo} at "
                  f"{truth.commit[:12]} there", file=sys.stderr)
            continue
        context = run_context(tool, checkout)
        scores.append(score(truth, named_by(context), [*languages_of(context), *kinds_of(context)]))
        if peer is not None:
            try:
                output = run_peer(args.peer_dir, checkout)
            except PeerError as error:
                print(f"recall: {PEER_LABEL} failed on {truth.repo}, left out of its totals: "
                      f"{error}", file=sys.stderr)
                continue
            peer.append(score(truth, peer_named_by(output), peer_languages_of(output)))
    if not scores:
        print("recall: no checkouts found; nothing scored", file=sys.stderr)
        return 1
    print("\n".join(report(scores, show_holdout=args.show_holdout, peer=peer or ())))
    return 0


def _start_peer(folder: Path) -> list[Score] | None:
    """An empty list to collect the peer's scores in, or None (and why) when it is missing."""
    try:
        ensure_peer(folder)
    except PeerError as error:
        print(f"recall: {PEER_LABEL} is unavailable, so ours stand alone: {error}",
              file=sys.stderr)
        return None
    return []


if __name__ == "__main__":
    sys.exit(main())
