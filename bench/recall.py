"""Recall and false technologies of `backend-persona context` on real repositories.

The ground truth in ``tests/recall/truth/`` was written by reading each repository's own
manifests before the tool ran on it; each file pins the commit it describes. The
repositories themselves are never committed: check each one out at its commit into
``CHECKOUTS/<owner>__<name>/`` (for example with ``git archive <commit> | tar -x``).

Repositories in the ``holdout`` set are scored as totals only, without the list of what
was missed, so that tuning the catalog on their misses cannot happen by accident.

Usage: ``python bench/recall.py [--checkouts DIR] [--show-holdout]``.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

TRUTH_DIR = Path(__file__).resolve().parent.parent / "tests" / "recall" / "truth"
DEFAULT_CHECKOUTS = Path("/work/recall")
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


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


def report(scores: Sequence[Score], *, show_holdout: bool) -> list[str]:
    """Per-repository rows, then totals per set."""
    rows = []
    for s in scores:
        total = len(s.truth.expected)
        rows.append(f"{s.truth.set:<8} {s.truth.repo:<36} {len(s.found):>3}/{total:<3} "
                    f"{100 * len(s.found) / total:5.1f}%  false: {len(s.false)}")
        if s.truth.set != "holdout" or show_holdout:
            if s.missed:
                rows.append("    missed: " + ", ".join(e.name for e in s.missed))
            if s.false:
                rows.append("    not in the truth: " + ", ".join(s.false))
    for name in sorted({s.truth.set for s in scores}):
        part = [s for s in scores if s.truth.set == name]
        found = sum(len(s.found) for s in part)
        total = sum(len(s.truth.expected) for s in part)
        false = sum(len(s.false) for s in part)
        rows.append(f"{name}: {found}/{total} named ({100 * found / total:.1f}%), "
                    f"{false} not in the truth, over {len(part)} repositories")
    return rows


def main(argv: Sequence[str] | None = None) -> int:
    """Score every truth file whose checkout exists; say which are missing."""
    parser = argparse.ArgumentParser(prog="bench/recall.py", description=__doc__.split("\n")[0])
    parser.add_argument("--checkouts", type=Path, default=DEFAULT_CHECKOUTS,
                        help=f"folder of <owner>__<name> checkouts (default {DEFAULT_CHECKOUTS})")
    parser.add_argument("--show-holdout", action="store_true",
                        help="also list the holdout set's misses (do not tune on them)")
    parser.add_argument("--tool", default=str(Path(sys.prefix) / "bin" / "backend-persona"),
                        help="the command to score, split on spaces (default: this venv's)")
    args = parser.parse_args(argv)
    tool = args.tool.split()
    scores = []
    for path in sorted(TRUTH_DIR.glob("*.toml")):
        truth = load_truth(path)
        checkout = args.checkouts / truth.folder
        if not checkout.is_dir():
            print(f"recall: {checkout} is missing; check out {truth.repo} at "
                  f"{truth.commit[:12]} there", file=sys.stderr)
            continue
        context = run_context(tool, checkout)
        scores.append(score(truth, named_by(context), [*languages_of(context), *kinds_of(context)]))
    if not scores:
        print("recall: no checkouts found; nothing scored", file=sys.stderr)
        return 1
    print("\n".join(report(scores, show_holdout=args.show_holdout)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
