"""The generated ADRs work with the real Debian `adr-tools` and read as MADR records."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from backend_persona.docs.generate import generate_docs, new_adr
from backend_persona.state.session import Sessions
from tests.conftest import Clock, RepoFactory

DECISIONS = "docs/architecture/decisions"


@pytest.fixture
def adr() -> str:
    found = shutil.which("adr")
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail("`adr` (Debian package adr-tools) is not on PATH, and CI must run the "
                    "adr-tools compatibility test: apt-get install -y adr-tools")
    pytest.skip("adr-tools is not installed (apt-get install -y adr-tools); CI runs this test")


def run_adr(adr: str, root: Path, *args: str) -> str:
    # EDITOR=true: `adr new` opens the new record in an editor, which a test must not wait for.
    env = {**os.environ, "EDITOR": "true", "VISUAL": "true", "ADR_DATE": "2026-01-03"}
    done = subprocess.run([adr, *args], cwd=root, env=env, capture_output=True, text=True,
                          timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture
def project(make_project: RepoFactory) -> Path:
    root = make_project({"main.go": "package main\n"})
    store = Sessions(root.resolve(), clock=Clock())
    store.add_decision("s1", "Use MySQL", context="c", decision="d")
    store.add_decision("s1", "Use PostgreSQL", context="c", decision="d", supersedes="1")
    generate_docs(root)
    return root


def test_adr_list_sees_our_records(adr: str, project: Path) -> None:
    assert run_adr(adr, project, "list").splitlines() == [
        f"{DECISIONS}/0001-use-mysql.md",
        f"{DECISIONS}/0002-use-postgresql.md",
    ]


def test_adr_tools_reads_titles_and_supersession_links(adr: str, project: Path) -> None:
    toc = run_adr(adr, project, "generate", "toc")
    assert "* [1. Use MySQL](0001-use-mysql.md)\n* [2. Use PostgreSQL](0002-use-postgresql.md)" \
        in toc
    graph = run_adr(adr, project, "generate", "graph")
    assert '_2 -> _1 [label="Supersedes", weight=0]' in graph


def test_adr_new_numbers_after_ours_and_we_keep_its_record(adr: str, project: Path) -> None:
    created = run_adr(adr, project, "new", "Use Kafka for events").strip()
    assert created == f"{DECISIONS}/0003-use-kafka-for-events.md"
    assert (project / created).read_text().startswith("# 3. Use Kafka for events\n\n"
                                                       "Date: 2026-01-03\n")
    before = (project / created).read_text()

    report = generate_docs(project)

    assert (project / created).read_text() == before
    assert created not in {f.path for f in report.files}
    index = (project / DECISIONS / "README.md").read_text()
    assert "| 3 | [Use Kafka for events](0003-use-kafka-for-events.md) | Accepted | 2026-01-03 |" \
        in index
    assert len(run_adr(adr, project, "list").splitlines()) == 3


def test_adr_new_superseding_ours_makes_it_hand_edited(adr: str, project: Path) -> None:
    run_adr(adr, project, "new", "-s", "2", "Use CockroachDB")
    ours = project / DECISIONS / "0002-use-postgresql.md"
    assert "Superseded by [3. Use CockroachDB](0003-use-cockroachdb.md)" in ours.read_text()
    edited = ours.read_text()

    report = generate_docs(project)

    assert ours.read_text() == edited
    assert {f.path: f.outcome for f in report.files}[f"{DECISIONS}/0002-use-postgresql.md"] == (
        "kept")


def test_records_read_as_madr(project: Path) -> None:
    # MADR: NNNN-title-with-dashes.md, the title as the only H1, status and date stated.
    for path in sorted((project / DECISIONS).glob("0*.md")):
        assert re.fullmatch(r"[0-9]{4}-[a-z0-9]+(-[a-z0-9]+)*\.md", path.name)
        lines = path.read_text().splitlines()
        assert [line for line in lines if line.startswith("# ")] == [lines[0]]
        assert re.fullmatch(r"Date: [0-9]{4}-[0-9]{2}-[0-9]{2}", lines[2])
        for heading in ("## Status", "## Context", "## Decision", "## Consequences"):
            assert heading in lines


@pytest.mark.parametrize("folder", [None, "docs/decisions", "architecture/adr"])
def test_records_continue_the_numbering_of_an_adr_init(adr: str, make_project: RepoFactory,
                                                       folder: str | None) -> None:
    # `adr init` with no folder uses doc/adr and writes no .adr-dir; with one, it writes
    # .adr-dir naming it. Either way our records join that folder and its numbering.
    root = make_project({"main.go": "package main\n"})
    run_adr(adr, root, "init", *([folder] if folder else []))
    where = folder or "doc/adr"
    adr_dir_before = (root / ".adr-dir").read_bytes() if folder else None
    store = Sessions(root.resolve(), clock=Clock())
    store.add_decision("s1", "Use MySQL", context="c", decision="d")
    store.add_decision("s1", "Use PostgreSQL", context="c", decision="d", supersedes="1")

    generate_docs(root)
    new_adr(root, "Adopt OpenTelemetry", clock=Clock())

    assert run_adr(adr, root, "list").splitlines() == [
        f"{where}/0001-record-architecture-decisions.md",
        f"{where}/0002-use-mysql.md",
        f"{where}/0003-use-postgresql.md",
        f"{where}/0004-adopt-opentelemetry.md",
    ]
    toc = run_adr(adr, root, "generate", "toc")
    assert ("* [1. Record architecture decisions](0001-record-architecture-decisions.md)\n"
            "* [2. Use MySQL](0002-use-mysql.md)\n"
            "* [3. Use PostgreSQL](0003-use-postgresql.md)\n"
            "* [4. Adopt OpenTelemetry](0004-adopt-opentelemetry.md)") in toc
    # adr-tools goes on numbering after ours, in the same folder.
    assert run_adr(adr, root, "new", "Use Kafka").strip() == f"{where}/0005-use-kafka.md"
    assert not (root / DECISIONS).exists()
    if folder:
        assert (root / ".adr-dir").read_bytes() == adr_dir_before
    else:
        assert not (root / ".adr-dir").exists()
    readme = (root / "docs/architecture/README.md").read_text()
    link = os.path.relpath(root / where, root / "docs/architecture")
    assert f"[ADR 2: Use MySQL]({link}/0002-use-mysql.md)" in readme
    assert (root / "docs/architecture" / link / "0002-use-mysql.md").is_file()
