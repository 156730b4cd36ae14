"""The recall scorer counts what it claims, and every ground-truth file is well formed."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
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


# stack-analyser's output in its real shape (Payload.toJson(), trimmed), as
# bench/stack_analyser.mjs writes it with the package's key-to-name table beside it.
PEER_OUTPUT: dict[str, object] = {
    "analysis": {
        "id": "root", "name": "main", "path": ["/"], "tech": None, "edges": [],
        "inComponent": None, "techs": ["github.actions"], "languages": {},
        "licenses": [], "dependencies": [], "reason": [],
        "childs": [
            {
                "id": "api", "name": "@shop/api", "path": ["/api/package.json"],
                "tech": None, "edges": [{"target": "db", "read": True, "write": True}],
                "inComponent": None, "techs": ["nodejs", "prisma", "typescript"],
                "languages": {"TypeScript": 12, "JSON": 2}, "licenses": ["MIT"],
                "dependencies": [["npm", "prisma", "5.0.0"], ["npm", "left-pad", "1.3.0"]],
                "reason": [],
                "childs": [
                    {"id": "db", "name": "db", "path": ["/docker-compose.yml"],
                     "tech": "postgresql", "edges": [], "inComponent": None, "techs": [],
                     "languages": {}, "licenses": [], "dependencies": [
                         ["docker", "postgres", "16"]], "reason": [], "childs": []},
                ],
            },
            {"id": "x", "name": "worker", "path": ["/worker/go.mod"], "tech": "golang",
             "edges": [], "inComponent": None, "techs": ["golang", "brand-new-key"],
             "languages": {"Go": 3}, "licenses": [], "dependencies": [], "reason": [],
             "childs": []},
        ],
    },
    "names": {"github.actions": "Github Actions", "nodejs": "NodeJS", "prisma": "Prisma",
              "typescript": "Typescript", "postgresql": "Postgres", "golang": "Golang",
              "redis": "Redis"},
}


def test_peer_names_every_tech_of_every_component_by_its_human_name() -> None:
    assert recall.peer_named_by(PEER_OUTPUT) == [
        "Github Actions", "Golang", "NodeJS", "Postgres", "Prisma", "Typescript",
        "brand-new-key",
    ]
    assert recall.peer_languages_of(PEER_OUTPUT) == ["Go", "JSON", "TypeScript"]


def test_peer_output_of_another_shape_names_nothing() -> None:
    assert recall.peer_named_by({}) == []
    assert recall.peer_named_by({"analysis": [], "names": []}) == []
    assert recall.peer_languages_of({"analysis": {"childs": "none", "languages": []}}) == []


def test_peer_is_scored_by_the_same_comparison_and_reported_beside_ours() -> None:
    truth = recall.Truth(
        "acme/shop", "0" * 40, "dev",
        (recall.Expected("PostgreSQL", "datastore", frozenset({"postgresql", "postgres"})),
         recall.Expected("GitHub Actions", "ci", frozenset({"githubactions"})),
         recall.Expected("Go", "runtime", frozenset({"go"})),
         recall.Expected("Redis", "datastore", frozenset({"redis"}))),
        frozenset({"typescript", "nodejs"}))
    ours = recall.score(truth, ["PostgreSQL", "Redis", "GitHub Actions"], ["Go"])
    theirs = recall.score(truth, recall.peer_named_by(PEER_OUTPUT),
                          recall.peer_languages_of(PEER_OUTPUT))

    rows = recall.report([ours], show_holdout=False, peer=[theirs])

    assert [e.name for e in theirs.missed] == ["Redis"]
    assert theirs.false == ["Golang", "Prisma", "brand-new-key"]
    assert rows[0].startswith("dev      acme/shop") and rows[0].endswith("4/4   100.0%  false: 0")
    assert rows[1].endswith("3/4    75.0%  false: 3") and recall.PEER_LABEL in rows[1]
    assert rows[2:4] == ["    missed: Redis",
                         "    not in the truth: Golang, Prisma, brand-new-key"]
    assert rows[-2:] == [
        "dev: 4/4 named (100.0%), 0 not in the truth, over 1 repositories",
        f"dev, {recall.PEER_LABEL}: 3/4 named (75.0%), 3 not in the truth, over 1 repositories",
    ]


def test_peer_holdout_rows_are_totals_only() -> None:
    truth = recall.Truth("a/b", "0" * 40, "holdout",
                         (recall.Expected("Redis", "datastore", frozenset({"redis"})),),
                         frozenset())
    ours = recall.score(truth, ["Redis"])
    theirs = recall.score(truth, recall.peer_named_by(PEER_OUTPUT))

    hidden = "\n".join(recall.report([ours], show_holdout=False, peer=[theirs]))

    assert "Redis" not in hidden and "Postgres" not in hidden and "missed" not in hidden
    assert (f"holdout, {recall.PEER_LABEL}: 0/1 named (0.0%), 7 not in the truth, "
            "over 1 repositories") in hidden


def test_the_pinned_peer_is_not_installed_again(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    manifest = tmp_path / "node_modules" / "@specfy" / "stack-analyser" / "package.json"
    manifest.parent.mkdir(parents=True)
    manifest.write_text(json.dumps({"version": recall.PEER_VERSION}), encoding="utf-8")

    def no_run(*args: object, **kwargs: object) -> None:
        raise AssertionError("npm must not run")

    monkeypatch.setattr(subprocess, "run", no_run)

    recall.ensure_peer(tmp_path)


def test_a_peer_that_cannot_be_installed_leaves_our_figure_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    truth_dir = tmp_path / "truth"
    truth_dir.mkdir()
    (truth_dir / "acme__shop.toml").write_text(
        'repo = "acme/shop"\ncommit = "' + "a" * 40 + '"\nset = "dev"\n'
        '[[expected]]\nname = "Python"\ncategory = "runtime"\n', encoding="utf-8")
    checkout = tmp_path / "checkouts" / "acme__shop"
    checkout.mkdir(parents=True)
    (checkout / "main.py").write_text("print('hi')\n", encoding="utf-8")
    monkeypatch.setattr(recall, "TRUTH_DIR", truth_dir)
    # No node or npm: the install cannot start, and no network is asked.
    monkeypatch.setattr(shutil, "which", lambda tool: None)

    status = recall.main(["--checkouts", str(tmp_path / "checkouts"),
                          "--tool", f"{sys.executable} -m backend_persona",
                          "--peer", "stack-analyser", "--peer-dir", str(tmp_path / "peer")])

    out, err = capsys.readouterr()
    assert status == 0
    assert err.splitlines() == [f"recall: {recall.PEER_LABEL} is unavailable, so ours stand "
                                "alone: node and npm not on PATH"]
    assert out.splitlines()[-1] == (
        "dev: 1/1 named (100.0%), 0 not in the truth, over 1 repositories")
    assert not (tmp_path / "peer").exists()
