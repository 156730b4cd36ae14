"""`context` carries the previous session, stays cheap, and survives broken state."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from backend_persona.cli import cli
from backend_persona.invocation import PLUGIN_ENV, resolve_invocation
from backend_persona.render import MAX_MARKDOWN_CHARS
from backend_persona.state.previous import previous_session
from backend_persona.state.session import Sessions
from tests.conftest import Clock, RepoFactory

GO_MOD = "module example.com/orders\n\ngo 1.22\n\nrequire github.com/gin-gonic/gin v1.9.1\n"


@pytest.fixture
def project(make_project: RepoFactory) -> Path:
    return make_project({"go.mod": GO_MOD, "main.go": "package main\n"}).resolve()


@pytest.fixture
def store(project: Path) -> Sessions:
    # The default home: BACKEND_PERSONA_STATE_DIR from conftest, as the CLI will see it.
    return Sessions(project, clock=Clock())


def context_markdown(project: Path) -> str:
    result = CliRunner().invoke(cli, ["context", str(project)])
    assert result.exit_code == 0, result.output
    return result.output


def test_no_state_means_no_section_and_no_folders(project: Path) -> None:
    assert "Previous session" not in context_markdown(project)
    assert previous_session(project) == (None, [])
    assert not Path(os.environ["BACKEND_PERSONA_STATE_DIR"]).exists()


@pytest.mark.parametrize("plugin", [False, True], ids=["installed", "plugin"])
def test_context_ends_with_the_latest_session(store: Sessions, project: Path, plugin: bool,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    # The hint names a command that works where context runs: the bare name under the
    # plugin's launcher (its bin/ is on PATH), else this installation's absolute path.
    if plugin:
        monkeypatch.setenv(PLUGIN_ENV, "0.1.0")
    else:
        monkeypatch.delenv(PLUGIN_ENV, raising=False)
    invocation = "backend-persona" if plugin else resolve_invocation()
    store.add_decision("older", "Use MySQL", context="c", decision="d")
    store.init("s1", request="design REST API for orders")
    store.add_decision("s1", "Use PostgreSQL", context="c", decision="d")
    store.add_decision("s1", "Use pgx", context="c", decision="d", status="proposed")
    store.add_followup("s1", "add an index")
    store.add_followup("s1", "write the load test")
    store.complete_followup("s1", 2)
    store.add_checkpoint("s1", "schema drafted")

    markdown = context_markdown(project)

    section = markdown[markdown.index("### Previous session"):]
    assert markdown.rstrip().endswith(section.rstrip())
    assert section == (
        "### Previous session\n"
        "_Session `s1`, last updated 2026-01-02 03:20 UTC; "
        f"`{invocation} state show` has the details._\n"
        "- **Request:** design REST API for orders\n"
        "- **Decisions:** Use PostgreSQL (accepted, 2026-01-02); Use pgx (proposed, 2026-01-02)\n"
        "- **Open follow-ups:** add an index\n"
        "- **Last checkpoint:** schema drafted (2026-01-02 03:19 UTC)\n"
    )
    assert "Use MySQL" not in markdown


def test_json_carries_the_previous_session(store: Sessions, project: Path) -> None:
    store.add_followup("s1", "one")
    result = CliRunner().invoke(cli, ["context", str(project), "--format", "json"])
    assert result.exit_code == 0
    assert '"open_followups": [\n      "one"\n    ]' in result.output


def test_a_long_session_stays_within_the_size_cap(store: Sessions, project: Path) -> None:
    for n in range(60):
        store.add_decision("s1", f"Decision number {n} " + "x" * 150, context="c", decision="d")
        store.add_followup("s1", f"follow-up {n} " + "y" * 150)
    markdown = context_markdown(project)
    assert len(markdown) <= MAX_MARKDOWN_CHARS
    assert "### Previous session" in markdown
    assert "(+55 more)" in markdown
    assert "Decision number 59" in markdown


@pytest.mark.parametrize("content", ["{broken", '{"schema_version": 99}'])
def test_broken_latest_state_becomes_a_note_and_the_next_session_is_shown(
        store: Sessions, project: Path, content: str) -> None:
    store.add_decision("good", "Use PostgreSQL", context="c", decision="d")
    broken = store.session_path("broken")
    broken.write_text(content)
    later = time.time() + 3600  # file times are real, whatever the test clock says
    os.utime(broken, (later, later))

    markdown = context_markdown(project)

    assert "_Session `good`" in markdown
    assert "broken.json" in markdown[markdown.index("### Notes"):]
    # Reading never moves or rewrites anything.
    assert broken.read_text() == content


def test_a_symlinked_state_folder_is_ignored_by_context(project: Path, tmp_path: Path) -> None:
    store = Sessions(project)
    store.directory.parent.mkdir(parents=True)
    store.directory.symlink_to(tmp_path)
    markdown = context_markdown(project)
    assert "Previous session" not in markdown
    summary, notes = previous_session(project)
    assert summary is None
    assert notes == []


def test_a_planted_symlink_session_is_not_read(store: Sessions, project: Path,
                                               tmp_path: Path) -> None:
    store.add_action("s1", "x")
    secret = tmp_path / "secret.json"
    secret.write_text('{"not": "state"}')
    store.session_path("zz").symlink_to(secret)
    later = time.time() + 3600  # file times are real, whatever the test clock says
    os.utime(store.session_path("zz"), (later, later), follow_symlinks=False)
    summary, notes = previous_session(project)
    assert summary is not None
    assert summary.session_id == "s1"
    assert len(notes) == 1
    assert "symlink" in notes[0]


def test_the_context_path_imports_neither_filelock_nor_platformdirs(
        store: Sessions, project: Path) -> None:
    store.add_decision("s1", "Use PostgreSQL", context="c", decision="d")
    env = {k: v for k, v in os.environ.items() if k != "XDG_STATE_HOME"}
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "backend_persona", "context", str(project)],
        capture_output=True, text=True, timeout=120, check=False, env=env,
    )
    assert done.returncode == 0, done.stderr
    assert "### Previous session" in done.stdout
    imported = {line.rpartition("|")[2].strip() for line in done.stderr.splitlines()}
    assert "backend_persona.state" in imported
    assert not {name for name in imported if name.split(".")[0] in ("filelock", "platformdirs")}
