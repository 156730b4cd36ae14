"""`docs generate` and `docs adr new`: snapshots, regeneration rules and safe paths."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from pytest_snapshot.plugin import Snapshot

from backend_persona.cli import cli
from backend_persona.docs.adr import slugify
from backend_persona.docs.generate import generate_docs, new_adr
from backend_persona.docs.regions import fill_regions
from backend_persona.errors import UserError
from backend_persona.safefs import MAX_READ_BYTES
from backend_persona.state.session import Sessions
from tests.conftest import Clock, RepoFactory, Tree

SNAPSHOTS = Path(__file__).parent / "snapshots" / "docs"
ARCH = "docs/architecture"
DECISIONS = f"{ARCH}/decisions"
ADR = ".adr-dir"

GO_SERVICE: Tree = {
    "go.mod": ("module github.com/acme/orders\n\ngo 1.22\n\nrequire (\n"
               "\tgithub.com/gin-gonic/gin v1.9.1\n\tgithub.com/jackc/pgx/v5 v5.6.0\n)\n"),
    "cmd/server/main.go": "package main\n",
    "internal/orders/service_test.go": "package orders\n",
    "api/openapi.yaml": "openapi: 3.0.3\ninfo:\n  title: Orders\n  version: '1'\npaths: {}\n",
    "db/migrations/00001_create_orders.sql": "-- +goose Up\ncreate table orders (id int);\n",
    "Dockerfile": "FROM golang:1.22\n",
    ".github/workflows/ci.yml": "on: push\n",
}

POLYGLOT_MONOREPO: Tree = {
    "services/orders/go.mod": ("module example.com/orders\n\ngo 1.22\n\n"
                               "require connectrpc.com/connect v1.16.2\n"),
    "services/orders/main.go": "package main\n",
    "services/billing/Cargo.toml": ('[package]\nname = "billing"\nversion = "0.1.0"\n\n'
                                    '[dependencies]\naxum = "0.7.5"\n'
                                    'sqlx = { version = "0.7.4", features = ["postgres"] }\n'),
    "services/billing/src/main.rs": "fn main() {}\n",
    "compose.yaml": "services:\n  db:\n    image: postgres:16\n",
}

BARE: Tree = {"notes.txt": "nothing to see\n"}


def record_decisions(root: Path) -> None:
    store = Sessions(root.resolve(), clock=Clock())
    store.init("s1", request="design REST API for orders")
    store.add_decision("s1", "Use PostgreSQL for orders",
                       context="Orders need transactions.\n## Not a heading",
                       decision="Run PostgreSQL 16.", consequences="Backups are ours.")
    store.add_decision("s1", "Use pgx without an ORM", context="Keep SQL visible.",
                       decision="Use pgx directly.", status="proposed")
    store.add_decision("s1", "Use sqlc", context="Type-safe queries.",
                       decision="Generate code with sqlc.", supersedes="2")


def tree_of(root: Path) -> dict[str, str]:
    """The generated files, by path relative to the project."""
    found = {ADR: (root / ".adr-dir").read_text()} if (root / ".adr-dir").exists() else {}
    for path in sorted((root / ARCH).rglob("*")):
        if path.is_file():
            found[path.relative_to(root).as_posix()] = path.read_text()
    return found



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


def test_text_outside_the_markers_is_kept(make_project: RepoFactory) -> None:
    root = make_project(GO_SERVICE)
    generate_docs(root)
    readme = root / ARCH / "README.md"
    text = readme.read_text()
    mine = "\n## 6. Risks\n\nOur own words, kept forever.\n"
    edited = text.replace("## 2. Building blocks", "Intro written by a person.\n\n"
                          "## 2. Building blocks") + mine
    edited = edited.replace("- **CI:**", "- **Stale generated line:** x\n- **CI:**")
    readme.write_text(edited)

    record_decisions(root)
    report = generate_docs(root)

    final = readme.read_text()
    assert "Intro written by a person.\n\n## 2. Building blocks" in final
    assert final.endswith(mine)
    assert "Stale generated line" not in final
    assert "[ADR 3: Use sqlc](decisions/0003-use-sqlc.md)" in final
    assert {f.path: f.outcome for f in report.files}[f"{ARCH}/README.md"] == "updated"


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


def test_secrets_in_decisions_never_reach_the_docs(make_project: RepoFactory) -> None:
    root = make_project(BARE)
    store = Sessions(root.resolve(), clock=Clock())
    store.add_decision("s1", "Rotate AKIAABCDEFGHIJKLMNOP", context="password=hunter2",
                       decision="postgres://app:s3cret@db/app")
    generate_docs(root)
    for text in tree_of(root).values():
        for secret in ("AKIAABCDEFGHIJKLMNOP", "hunter2", "s3cret"):
            assert secret not in text


def test_a_readme_without_markers_is_left_alone(make_project: RepoFactory) -> None:
    root = make_project({f"{ARCH}/README.md": "# Our architecture\n\nHand written.\n"})
    report = generate_docs(root)
    assert (root / ARCH / "README.md").read_text() == "# Our architecture\n\nHand written.\n"
    assert {f.path: f.outcome for f in report.files}[f"{ARCH}/README.md"] == "unchanged"
    assert any("has no summary, context, building-blocks" in n for n in report.notes)


def test_an_unclosed_region_keeps_the_file(make_project: RepoFactory) -> None:
    text = "# Arch\n<!-- backend-persona:begin context -->\nmine\n"
    root = make_project({f"{ARCH}/README.md": text})
    report = generate_docs(root)
    assert (root / ARCH / "README.md").read_text() == text
    kept = {f.path: (f.outcome, f.reason) for f in report.files}[f"{ARCH}/README.md"]
    assert kept == ("kept", "region context has no end marker; left the file as it was")


@pytest.mark.parametrize(("text", "regions", "expected", "missing"), [
    ("a\n<!-- backend-persona:begin x -->\nold\n<!-- backend-persona:end x -->\nb\n",
     {"x": "new"},
     "a\n<!-- backend-persona:begin x -->\n\nnew\n\n<!-- backend-persona:end x -->\nb\n", []),
    ("<!-- backend-persona:begin x -->\n<!-- backend-persona:end x -->\n", {"x": "", "y": "z"},
     "<!-- backend-persona:begin x -->\n<!-- backend-persona:end x -->\n", ["y"]),
    ("<!-- backend-persona:begin other -->\nkeep\n<!-- backend-persona:end other -->\n",
     {"x": "new"},
     "<!-- backend-persona:begin other -->\nkeep\n<!-- backend-persona:end other -->\n", ["x"]),
    ("text <!-- backend-persona:begin x --> inline\n", {"x": "new"},
     "text <!-- backend-persona:begin x --> inline\n", ["x"]),
])
def test_fill_regions(text: str, regions: dict[str, str], expected: str,
                      missing: list[str]) -> None:
    assert fill_regions(text, regions) == (expected, missing)


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


@pytest.mark.parametrize("target", [f"{ARCH}/README.md", f"{DECISIONS}/README.md", ".adr-dir"])
def test_a_symlinked_target_file_is_refused(make_project: RepoFactory, tmp_path: Path,
                                            target: str) -> None:
    root = make_project(BARE)
    victim = tmp_path / "victim.md"
    victim.write_text("precious\n")
    (root / target).parent.mkdir(parents=True, exist_ok=True)
    (root / target).symlink_to(victim)

    with pytest.raises(UserError, match="symlink"):
        generate_docs(root)

    assert victim.read_text() == "precious\n"
    assert (root / target).is_symlink()


def test_an_existing_adr_dir_elsewhere_is_kept(make_project: RepoFactory) -> None:
    root = make_project({".adr-dir": "adr\n"})
    report = generate_docs(root)
    assert (root / ".adr-dir").read_text() == "adr\n"
    assert {f.path: f.outcome for f in report.files}[".adr-dir"] == "kept"


def test_an_adr_tools_default_folder_is_not_redirected(make_project: RepoFactory) -> None:
    root = make_project({"doc/adr/0001-record-architecture-decisions.md": "# 1. Record\n"})
    report = generate_docs(root)
    assert not (root / ".adr-dir").exists()
    assert any("doc/adr/" in note for note in report.notes)


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
    huge.write_bytes(b"# 7. Huge\n" + b"x" * (MAX_READ_BYTES + 1))

    report = generate_docs(root)

    assert any("0007-huge.md" in note and note.endswith("; skipped") for note in report.notes)
    assert [path.name for path in (root / DECISIONS).glob("*-use-mysql.md")]


def test_a_planted_file_mode_keeps_no_write_or_setuid_bits(make_project: RepoFactory) -> None:
    root = make_project(GO_SERVICE)
    generate_docs(root)
    readme = root / ARCH / "README.md"
    readme.write_text(readme.read_text().replace("- **CI:**", "- **Stale:** x\n- **CI:**"))
    readme.chmod(0o6777)

    report = generate_docs(root)

    assert {f.path: f.outcome for f in report.files}[f"{ARCH}/README.md"] == "updated"
    assert stat.S_IMODE(readme.stat().st_mode) == 0o755
