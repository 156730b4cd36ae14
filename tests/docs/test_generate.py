"""`docs generate` and `docs adr new`: snapshots, running twice, safe paths, the CLI."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from pytest_snapshot.plugin import Snapshot

from backend_persona.cli import cli
from backend_persona.docs.generate import generate_docs, new_adr
from backend_persona.errors import UserError
from backend_persona.state.session import Sessions
from tests.conftest import Clock, RepoFactory, Tree
from tests.docs.projects import (
    ADR,
    ARCH,
    BARE,
    DECISIONS,
    GO_SERVICE,
    POLYGLOT_MONOREPO,
    record_decisions,
    tree_of,
)

SNAPSHOTS = Path(__file__).parents[1] / "snapshots" / "docs"


def as_snapshot_dir(files: dict[str, str]) -> dict[str, object]:
    """The files as the nested folders pytest-snapshot compares."""
    nested: dict[str, object] = {}
    for name, text in files.items():
        *folders, leaf = name.split("/")
        level = nested
        for folder in folders:
            level = level.setdefault(folder, {})  # type: ignore[assignment]
        level[leaf] = text
    return nested


@pytest.mark.parametrize(("name", "tree", "decisions"), [
    ("go-service", GO_SERVICE, True),
    ("polyglot-monorepo", POLYGLOT_MONOREPO, False),
    ("bare", BARE, False),
])
def test_generated_docs_snapshot(make_project: RepoFactory, snapshot: Snapshot, name: str,
                                 tree: Tree, decisions: bool) -> None:
    root = make_project(tree, name=name)
    if decisions:
        record_decisions(root)

    report = generate_docs(root)

    assert {f.outcome for f in report.files} == {"created"}
    assert report.notes == []
    files = tree_of(root)
    assert files[ADR] == f"{DECISIONS}\n"
    snapshot.snapshot_dir = SNAPSHOTS
    snapshot.assert_match_dir(as_snapshot_dir(files), name)


def test_running_twice_changes_nothing(make_project: RepoFactory) -> None:
    root = make_project(GO_SERVICE)
    record_decisions(root)
    generate_docs(root)
    before = tree_of(root)
    times = {p: os.stat(root / p).st_mtime_ns for p in before}

    report = generate_docs(root)

    assert {f.outcome for f in report.files} == {"unchanged"}
    assert tree_of(root) == before
    assert {p: os.stat(root / p).st_mtime_ns for p in before} == times


def test_secrets_in_decisions_never_reach_the_docs(make_project: RepoFactory) -> None:
    root = make_project(BARE)
    store = Sessions(root.resolve(), clock=Clock())
    store.add_decision("s1", "Rotate AKIAABCDEFGHIJKLMNOP", context="password=hunter2",
                       decision="postgres://app:s3cret@db/app")
    generate_docs(root)
    for text in tree_of(root).values():
        for secret in ("AKIAABCDEFGHIJKLMNOP", "hunter2", "s3cret"):
            assert secret not in text


@pytest.mark.parametrize("title", ["../../x", "/etc/passwd", "..", "a/../../b", "~/.ssh/x"])
def test_adr_titles_never_write_outside_the_decisions_folder(make_project: RepoFactory,
                                                            tmp_path: Path, title: str) -> None:
    root = make_project(BARE)
    before = set(tmp_path.rglob("*"))
    store = Sessions(root.resolve(), clock=Clock())
    store.add_decision("s1", title, context="c", decision="d")

    generate_docs(root)
    new_adr(root, title)

    created = set(tmp_path.rglob("*")) - before
    allowed = {root / "docs", root / ARCH, root / ARCH / "README.md", root / DECISIONS,
               root / ".adr-dir"}
    assert {p for p in created if p not in allowed and p.parent != root / DECISIONS} == set()
    # Two records (one generated, one by hand) and the index.
    assert len(list((root / DECISIONS).iterdir())) == 3


def test_adr_new_numbers_after_every_record(make_project: RepoFactory) -> None:
    root = make_project(BARE)
    record_decisions(root)
    generate_docs(root)
    report = new_adr(root, "Adopt OpenTelemetry", clock=Clock())

    path = root / DECISIONS / "0004-adopt-opentelemetry.md"
    assert [f.path for f in report.files if f.outcome == "created"] == [
        f"{DECISIONS}/0004-adopt-opentelemetry.md"]
    assert path.read_text().startswith("# 4. Adopt OpenTelemetry\n\nDate: 2026-01-02\n\n"
                                       "## Status\n\nAccepted\n")
    assert "backend-persona:adr" not in path.read_text()
    index = (root / DECISIONS / "README.md").read_text()
    assert "| 4 | [Adopt OpenTelemetry](0004-adopt-opentelemetry.md) | Accepted |" in index
    readme = (root / ARCH / "README.md").read_text()
    assert "[ADR 4: Adopt OpenTelemetry](decisions/0004-adopt-opentelemetry.md)" in readme
    # A record a person adds is theirs: regeneration leaves it alone.
    path.write_text(path.read_text() + "\nMore.\n")
    generate_docs(root)
    assert path.read_text().endswith("\nMore.\n")


@pytest.mark.parametrize("link", ["docs", f"{ARCH}", f"{DECISIONS}"])
def test_a_docs_folder_that_leads_outside_the_project_is_refused(
        make_project: RepoFactory, tmp_path: Path, link: str) -> None:
    root = make_project(BARE)
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / link).parent.mkdir(parents=True, exist_ok=True)
    (root / link).symlink_to(outside, target_is_directory=True)

    with pytest.raises(UserError, match="leads outside the project"):
        generate_docs(root)

    assert list(outside.iterdir()) == []
    assert not (root / ".adr-dir").exists()


def test_a_docs_folder_linked_inside_the_project_is_used(make_project: RepoFactory) -> None:
    root = make_project(BARE)
    (root / "documentation").mkdir()
    (root / "docs").symlink_to(root / "documentation", target_is_directory=True)
    generate_docs(root)
    assert (root / "documentation" / "architecture" / "README.md").is_file()


def test_docs_cli(make_project: RepoFactory) -> None:
    root = make_project(BARE)
    runner = CliRunner()
    first = runner.invoke(cli, ["docs", "generate", str(root)])
    assert first.exit_code == 0, first.output
    assert f"created   {ARCH}/README.md\n" in first.output
    again = runner.invoke(cli, ["docs", "generate", str(root), "--format", "json"])
    assert '"outcome": "unchanged"' in again.output
    assert '"outcome": "created"' not in again.output
    added = runner.invoke(cli, ["docs", "adr", "new", "--project", str(root), "Use", "Kafka"])
    assert added.exit_code == 0, added.output
    assert f"created   {DECISIONS}/0001-use-kafka.md\n" in added.output
    missing = runner.invoke(cli, ["docs", "generate", str(root / "nope")])
    assert missing.exit_code == 1
    assert missing.stderr.startswith("backend-persona: ")


def test_a_project_path_that_is_not_utf8_gets_its_docs(tmp_path: Path) -> None:
    root = Path(os.fsdecode(bytes(tmp_path) + b"/proj\xff"))
    root.mkdir()
    report = generate_docs(root)
    assert (root / ARCH / "README.md").is_file()
    assert report.root == str(tmp_path) + "/proj\ufffd"
