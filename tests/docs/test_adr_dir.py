"""An existing ``.adr-dir`` is honoured, and a hostile one is refused before anything is written."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from backend_persona.cli import cli
from backend_persona.docs.adrdir import MAX_ADR_DIR_BYTES, adr_folder
from backend_persona.docs.generate import generate_docs, new_adr
from backend_persona.errors import UserError
from backend_persona.state.session import Sessions
from tests.conftest import Clock, RepoFactory
from tests.docs.projects import ARCH, BARE, DECISIONS


def files_under(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*")}


@pytest.mark.parametrize(("text", "folder"), [
    ("adr\n", "adr"),
    ("docs/decisions", "docs/decisions"),
    ("  ./docs//adr/  \n\n", "docs/adr"),
    ("architecture/decisions\r\n", "architecture/decisions"),
    ("décisions\n", "décisions"),
])
def test_the_folder_adr_dir_names_is_the_decisions_folder(make_project: RepoFactory,
                                                         text: str, folder: str) -> None:
    root = make_project({**BARE, ".adr-dir": text})

    assert adr_folder(root.resolve()).relative == folder
    report = new_adr(root, "Use Kafka", clock=Clock())

    assert [f.path for f in report.files if f.outcome == "created"] == [
        f"{folder}/0001-use-kafka.md", f"{folder}/README.md"]
    assert (root / ".adr-dir").read_bytes() == text.encode()


@pytest.mark.parametrize(("text", "says"), [
    ("/etc\n", "names an absolute path ('/etc')"),
    ("../outside\n", "names a path that leads outside the project ('../outside')"),
    ("docs/../../x\n", "names a path that leads outside the project"),
    (".\n", "names the project folder itself"),
    ("\n", "names the project folder itself"),
    (".git/hooks\n", "names a folder inside .git"),
    ("sub/.GIT\n", "names a folder inside .git"),
    (".claude/commands\n", "names a folder inside .claude"),
    ("x/.Claude/agents\n", "names a folder inside .claude"),
    ("docs/architecture/\n", "names docs/architecture itself"),
    ("adr\nmore\n", "holds more than one line or a control character"),
    ("adr\x1b[2J\n", "holds more than one line or a control character"),
    ("ad\u202er\n", "holds more than one line or a control character"),
    (b"\xff\xfe", "is not UTF-8 text"),
    ("x" * (MAX_ADR_DIR_BYTES + 1), f"is larger than {MAX_ADR_DIR_BYTES:,} bytes"),
])
def test_a_hostile_adr_dir_is_refused_in_one_line_before_any_write(
        make_project: RepoFactory, tmp_path: Path, text: str | bytes, says: str) -> None:
    root = make_project(BARE)
    Sessions(root.resolve(), clock=Clock()).add_decision("s1", "Use MySQL", context="c",
                                                         decision="d")
    adr_dir = root / ".adr-dir"
    if isinstance(text, bytes):
        adr_dir.write_bytes(text)
    else:
        adr_dir.write_text(text)
    before = files_under(tmp_path)

    for args in (["docs", "generate", str(root)],
                 ["docs", "adr", "new", "--project", str(root), "Use", "Kafka"]):
        result = CliRunner().invoke(cli, args)

        assert result.exit_code == 1, result.output
        lines = result.stderr.splitlines()
        assert len(lines) == 1, result.stderr
        assert lines[0].startswith(f"backend-persona: {root.resolve() / '.adr-dir'} {says}")
        assert lines[0].endswith("; make .adr-dir one line naming a folder inside the "
                                 "project, or remove it")
    assert files_under(tmp_path) == before


@pytest.mark.parametrize(("kind", "says"), [
    ("symlink-inside", "is a symlink; refusing to read through it"),
    ("symlink-outside", "is a symlink; refusing to read through it"),
    ("fifo", "is not a regular file"),
    ("directory", "is not a regular file"),
])
def test_an_adr_dir_that_is_not_a_regular_file_is_refused(make_project: RepoFactory,
                                                          tmp_path: Path, kind: str,
                                                          says: str) -> None:
    root = make_project({**BARE, "real-adr-dir": "adr\n"})
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "pointer").write_text("adr\n")
    adr_dir = root / ".adr-dir"
    if kind == "symlink-inside":
        adr_dir.symlink_to(root / "real-adr-dir")
    elif kind == "symlink-outside":
        adr_dir.symlink_to(outside / "pointer")
    elif kind == "fifo":
        os.mkfifo(adr_dir)
    else:
        adr_dir.mkdir()

    with pytest.raises(UserError) as generating:
        generate_docs(root)
    with pytest.raises(UserError) as adding:
        new_adr(root, "Use Kafka")

    for refused in (generating, adding):
        assert refused.value.message == f"{root.resolve() / '.adr-dir'} {says}"

    assert not (root / "adr").exists() and not (root / "docs").exists()
    assert files_under(outside) == {"pointer"}


def test_an_adr_dir_through_a_folder_linked_outside_is_refused(make_project: RepoFactory,
                                                               tmp_path: Path) -> None:
    root = make_project({**BARE, ".adr-dir": "records/adr\n"})
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / "records").symlink_to(outside, target_is_directory=True)

    with pytest.raises(UserError, match="leads outside the project"):
        generate_docs(root)

    assert files_under(outside) == set()
    assert not (root / "docs").exists()


def test_our_own_adr_dir_is_honoured_on_the_next_run(make_project: RepoFactory) -> None:
    root = make_project(BARE)
    first = generate_docs(root)
    assert {f.path: f.outcome for f in first.files}[".adr-dir"] == "created"

    again = generate_docs(root)

    assert {f.outcome for f in again.files} == {"unchanged"}
    assert (root / ".adr-dir").read_text() == f"{DECISIONS}\n"
    assert (root / ARCH / "README.md").is_file()
