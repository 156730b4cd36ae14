"""ADRs: safe file names, hand-edited records kept, planted records survived, and .adr-dir."""

from __future__ import annotations

import subprocess
import sys

import pytest

from backend_persona.docs.adr import slugify
from backend_persona.docs.generate import generate_docs
from backend_persona.safefs import MAX_OWN_FILE_BYTES
from backend_persona.state.session import Sessions
from tests.conftest import Clock, RepoFactory
from tests.docs.projects import ARCH, BARE, DECISIONS, GO_SERVICE


@pytest.mark.parametrize(("title", "slug"), [
    ("Use PostgreSQL 16", "use-postgresql-16"),
    ("../../x", "x"),
    ("/etc/passwd", "etc-passwd"),
    ("..", "decision"),
    ("a/b\\c:d", "a-b-c-d"),
    ("Über café", "uber-cafe"),
    ("日本語", "decision"),
    ("x" * 100, "x" * 60),
])
def test_slugs_are_safe_file_names(title: str, slug: str) -> None:
    assert slugify(title) == slug


def test_an_adr_a_person_edited_is_never_overwritten(make_project: RepoFactory) -> None:
    root = make_project(GO_SERVICE)
    store = Sessions(root.resolve(), clock=Clock())
    store.add_decision("s1", "Use MySQL", context="c", decision="d")
    generate_docs(root)
    adr = root / DECISIONS / "0001-use-mysql.md"
    edited = adr.read_text().replace("\nd\n", "\nd, and a person's reasoning.\n")
    adr.write_text(edited)

    store.add_decision("s1", "Use PostgreSQL", context="c", decision="d", supersedes="1")
    report = generate_docs(root)

    assert adr.read_text() == edited
    outcomes = {f.path: (f.outcome, f.reason) for f in report.files}
    assert outcomes[f"{DECISIONS}/0001-use-mysql.md"] == (
        "kept", "edited by hand; never rewritten")
    assert outcomes[f"{DECISIONS}/0002-use-postgresql.md"] == ("created", None)
    assert "Supersedes [1. Use MySQL](0001-use-mysql.md)" in (
        root / DECISIONS / "0002-use-postgresql.md").read_text()


def test_an_untouched_adr_follows_its_decision(make_project: RepoFactory) -> None:
    root = make_project(BARE)
    store = Sessions(root.resolve(), clock=Clock())
    store.add_decision("s1", "Use MySQL", context="c", decision="d")
    generate_docs(root)
    store.add_decision("s2", "Use PostgreSQL", context="c", decision="d",
                       supersedes=store.show("s1").decisions[0].id)

    report = generate_docs(root)

    first = (root / DECISIONS / "0001-use-mysql.md").read_text()
    assert "## Status\n\nSuperseded by [2. Use PostgreSQL](0002-use-postgresql.md)\n" in first
    assert {f.path: f.outcome for f in report.files}[f"{DECISIONS}/0001-use-mysql.md"] == (
        "updated")


def test_an_existing_adr_dir_is_where_the_records_go(make_project: RepoFactory) -> None:
    root = make_project({".adr-dir": "adr\n", "adr/0001-record-decisions.md": "# 1. Record\n"})
    Sessions(root.resolve(), clock=Clock()).add_decision("s1", "Use MySQL", context="c",
                                                         decision="d")

    report = generate_docs(root)

    assert (root / ".adr-dir").read_text() == "adr\n"
    outcomes = {f.path: f.outcome for f in report.files}
    assert outcomes[".adr-dir"] == "unchanged"
    assert outcomes["adr/0002-use-mysql.md"] == "created"
    assert outcomes["adr/README.md"] == "created"
    assert not (root / DECISIONS).exists()
    readme = (root / ARCH / "README.md").read_text()
    assert "[ADR 2: Use MySQL](../../adr/0002-use-mysql.md)" in readme
    assert "[decision index](../../adr/README.md)" in readme


def test_an_adr_tools_default_folder_is_not_redirected(make_project: RepoFactory) -> None:
    root = make_project({"doc/adr/0001-record-architecture-decisions.md": "# 1. Record\n"})
    Sessions(root.resolve(), clock=Clock()).add_decision("s1", "Use MySQL", context="c",
                                                         decision="d")

    report = generate_docs(root)

    assert not (root / ".adr-dir").exists()
    assert report.notes == ["doc/adr/ is adr-tools' folder (there is no .adr-dir); the "
                            "records were written there"]
    assert (root / "doc/adr/0002-use-mysql.md").is_file()
    assert not (root / DECISIONS).exists()


# -- planted records ----------------------------------------------------------------------


def test_a_status_of_brackets_costs_one_pass(make_project: RepoFactory) -> None:
    root = make_project(GO_SERVICE)
    planted = root / DECISIONS / "0001-planted.md"
    planted.parent.mkdir(parents=True)
    planted.write_text("# 1. Planted\n\n## Status\n\n" + "[" * 200_000 + "\n")
    # A subprocess, so that a quadratic regression fails here instead of stalling the suite.
    done = subprocess.run([sys.executable, "-m", "backend_persona", "docs", "generate", str(root),
                           "--format", "json"], capture_output=True, text=True, timeout=120,
                          check=False)
    assert done.returncode == 0, done.stderr
    assert "0001-planted.md" in (root / ARCH / "README.md").read_text()


def test_a_record_over_the_read_limit_is_a_note_not_a_failure(make_project: RepoFactory) -> None:
    root = make_project(GO_SERVICE)
    Sessions(root.resolve(), clock=Clock()).add_decision("s1", "Use MySQL", context="c",
                                                           decision="d")
    huge = root / DECISIONS / "0007-huge.md"
    huge.parent.mkdir(parents=True)
    huge.write_bytes(b"# 7. Huge\n" + b"x" * (MAX_OWN_FILE_BYTES + 1))

    report = generate_docs(root)

    assert any("0007-huge.md" in note and note.endswith("; skipped") for note in report.notes)
    assert [path.name for path in (root / DECISIONS).glob("*-use-mysql.md")]
