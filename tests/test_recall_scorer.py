"""The recall scorer counts what it claims, and every ground-truth file is well formed."""

from __future__ import annotations

from pathlib import Path
from typing import get_args

import pytest

from backend_persona.models import Category
from bench import recall

CATEGORIES = set(get_args(Category))
TRUTH_FILES = sorted(recall.TRUTH_DIR.glob("*.toml"))


@pytest.mark.parametrize("path", TRUTH_FILES, ids=lambda p: p.stem)
def test_truth_file_is_well_formed(path: Path) -> None:
    truth = recall.load_truth(path)

    assert truth.folder == path.stem
    assert len(truth.commit) == 40 and int(truth.commit, 16) >= 0
    assert truth.set in ("dev", "holdout")
    assert len(truth.expected) >= 10
    assert {e.category for e in truth.expected} <= CATEGORIES
    names = [e.name for e in truth.expected]
    assert len(names) == len(set(names)), "each technology is expected once"


def test_there_are_ten_repositories_or_more_in_both_sets() -> None:
    sets = [recall.load_truth(p).set for p in TRUTH_FILES]

    assert len(sets) >= 10
    assert sets.count("holdout") >= 5


def test_score_matches_aliases_and_names_what_is_false(tmp_path: Path) -> None:
    path = tmp_path / "acme__shop.toml"
    path.write_text(
        'repo = "acme/shop"\ncommit = "' + "a" * 40 + '"\nset = "dev"\n'
        '[[expected]]\nname = "PostgreSQL"\ncategory = "datastore"\naliases = ["Postgres"]\n'
        '[[expected]]\nname = "Tailwind CSS"\ncategory = "frontend"\n'
        '[[expected]]\nname = "Sidekiq"\ncategory = "jobs"\n'
        '[acceptable]\nnames = ["RuboCop"]\n', encoding="utf-8")
    truth = recall.load_truth(path)

    result = recall.score(truth, ["postgres", "tailwindcss", "Rubocop", "MongoDB"])

    assert [e.name for e in result.found] == ["PostgreSQL", "Tailwind CSS"]
    assert [e.name for e in result.missed] == ["Sidekiq"]
    assert result.false == ["MongoDB"]


def test_technologies_are_claims_and_file_kinds_are_not() -> None:
    context = {"technologies": [{"name": "Go"}, {"name": "gRPC"}],
               "ci": [{"kind": "github-actions", "path": ".github/workflows/ci.yml"}],
               "containers": [{"kind": "dockerfile"}, {"kind": "dockerfile"}]}
    truth = recall.Truth("a/b", "0" * 40, "dev",
                         (recall.Expected("GitHub Actions", "ci",
                                          frozenset({"githubactions"})),),
                         frozenset())

    result = recall.score(truth, recall.named_by(context), recall.kinds_of(context))

    assert recall.named_by(context) == ["Go", "gRPC"]
    assert recall.kinds_of(context) == ["dockerfile", "github-actions"]
    assert [e.name for e in result.found] == ["GitHub Actions"]
    assert result.false == ["Go", "gRPC"]


def test_holdout_misses_stay_hidden_unless_asked() -> None:
    truth = recall.Truth("a/b", "0" * 40, "holdout",
                         (recall.Expected("Redis", "datastore", frozenset({"redis"})),),
                         frozenset())
    result = recall.score(truth, ["Kafka"])

    hidden = "\n".join(recall.report([result], show_holdout=False))
    shown = "\n".join(recall.report([result], show_holdout=True))

    assert "Redis" not in hidden and "Kafka" not in hidden
    assert "missed: Redis" in shown and "not in the truth: Kafka" in shown
    assert "holdout: 0/1 named (0.0%), 1 not in the truth, over 1 repositories" in hidden


def test_languages_count_towards_recall_but_never_as_false() -> None:
    truth = recall.Truth("a/b", "0" * 40, "dev",
                         (recall.Expected("PHP", "runtime", frozenset({"php"})),),
                         frozenset())
    context = {"languages": [{"name": "PHP", "files": 3}, {"name": "Shell", "files": 1}]}

    result = recall.score(truth, [], recall.languages_of(context))

    assert [e.name for e in result.found] == ["PHP"]
    assert result.false == []
