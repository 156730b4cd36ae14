"""The install manifest is the checkout's: a planted one can neither run code nor reach out.

A project's ``.claude/`` comes with the repository, so its manifest may name any
invocation and any path. ``doctor`` must run only this installation's invocation, and
``install`` and ``uninstall`` must refuse, with one line and before touching anything, a
manifest that lists a file outside the config folder or through a symlink.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from backend_persona.cli import cli
from backend_persona.doctor import doctor
from backend_persona.errors import UserError
from backend_persona.install import install, resolve_invocation, uninstall
from backend_persona.manifest import (
    LEGACY_LOCK_NAME,
    MANIFEST_NAME,
    MANIFEST_SCHEMA,
    read_manifest,
)
from backend_persona.pack import install_stamp, render_pack
from backend_persona.safefs import sha256
from tests.conftest import RepoFactory

GO_REPO = {
    "go.mod": "module example.test/shop\n\ngo 1.22\n",
    "main.go": "package main\n",
    "src/main.go": "package src\n",
}
# Listed first in every planted manifest: a legitimate entry that install and uninstall
# would remove if they acted on entries one by one instead of validating them all first.
RETIRED = "commands/retired.md"
RETIRED_TEXT = "retired command\n"

Snapshot = dict[str, bytes | str]


def snapshot(roots: Iterable[Path]) -> Snapshot:
    """Every entry below each root: file bytes, a symlink's target, or a folder marker."""
    found: Snapshot = {}
    for root in roots:
        for current, dirs, files in os.walk(root):
            for name in dirs + files:
                path = Path(current) / name
                if path.is_symlink():
                    found[str(path)] = "-> " + os.readlink(path)
                elif path.is_file():
                    found[str(path)] = path.read_bytes()
                else:
                    found[str(path)] = "dir"
    return found


def plant_manifest(base: Path, files: dict[str, str], *, invocation: str | None = None,
                   schema_version: int = MANIFEST_SCHEMA) -> Path:
    """Write a manifest as an attacker would: raw JSON, no validation on the way."""
    base.mkdir(parents=True, exist_ok=True)
    path = base / MANIFEST_NAME
    path.write_text(json.dumps({
        "schema_version": schema_version, "tool_version": "0.1.0", "scope": "project",
        "invocation": invocation or resolve_invocation(), "files": files,
    }))
    return path


def plant_retired(base: Path) -> dict[str, str]:
    (base / RETIRED).parent.mkdir(parents=True, exist_ok=True)
    (base / RETIRED).write_text(RETIRED_TEXT)
    return {RETIRED: sha256(RETIRED_TEXT)}


def invoke(project: Path, monkeypatch: pytest.MonkeyPatch, *args: str) -> Result:
    monkeypatch.chdir(project)
    return CliRunner().invoke(cli, list(args))


def assert_one_line_failure(result: Result) -> str:
    """Exit 1, exactly one line on stderr, no traceback; returns that line."""
    assert result.exit_code == 1, (result.output, result.exception)
    assert isinstance(result.exception, SystemExit), result.exception
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("backend-persona: ")
    assert "Traceback" not in result.output
    return lines[0]


def assert_one_line_user_error(error: pytest.ExceptionInfo[UserError], manifest: Path) -> None:
    line = str(error.value)
    assert "\n" not in line
    assert str(manifest) in error.value.message
    assert error.value.hint in ("move it aside and install again",
                                "move the manifest aside and install again")


@pytest.fixture
def project(make_project: RepoFactory) -> Path:
    return make_project(GO_REPO, name="shop")


# --- doctor runs only this installation's invocation ---------------------------------------


@pytest.fixture
def evil(project: Path, tmp_path: Path) -> Path:
    """``./evil.sh`` in the project; running it appends to the returned marker file."""
    marker = tmp_path / "evil-ran"
    script = project / "evil.sh"
    script.write_text(f"#!/bin/sh\necho ran >> '{marker}'\necho '## context'\n")
    script.chmod(0o755)
    return marker


@pytest.mark.parametrize("files_call", ["./evil.sh", "this installation"])
def test_doctor_never_runs_the_invocation_a_planted_manifest_records(
        project: Path, evil: Path, files_call: str, monkeypatch: pytest.MonkeyPatch) -> None:
    invocation = resolve_invocation() if files_call == "this installation" else files_call
    rendered = render_pack(invocation, install_stamp())
    base = project / ".claude"
    for relative, text in rendered.items():
        (base / relative).parent.mkdir(parents=True, exist_ok=True)
        (base / relative).write_text(text)
    plant_manifest(base, {rel: sha256(text) for rel, text in rendered.items()},
                   invocation="./evil.sh")

    report = doctor("project", project=project)
    cli_result = invoke(project, monkeypatch, "doctor", "--scope", "project")

    assert not evil.exists()
    failed = {c.name: c.detail for c in report.checks if not c.ok}
    assert failed["invocation"].startswith("the files call './evil.sh', not this installation")
    assert "run `backend-persona install --scope project`" in failed["invocation"]
    ran = [c for c in report.checks if c.name.endswith("context line")]
    # Files rendered with our invocation run it; files that call ./evil.sh never run.
    assert bool(ran) == (files_call == "this installation")
    assert all(c.ok and "evil" not in c.detail for c in ran)
    assert cli_result.exit_code == 1
    assert "FAIL invocation: the files call './evil.sh'" in cli_result.stdout
    # The trap is real: run on its own, the script leaves its mark.
    subprocess.run(["./evil.sh"], cwd=project, check=True, capture_output=True)
    assert evil.read_text() == "ran\n"


# --- manifest entries stay inside the config folder ----------------------------------------


HOSTILE_ENTRIES = [
    # (command and flags, entry, the victim relative to the config folder, hash matches)
    pytest.param(("install",), "{home}/.profile", True, id="install-absolute-outside"),
    pytest.param(("install", "--force"), "../../victim/authorized_keys", False,
                 id="install-force-traversal"),
    pytest.param(("uninstall",), "../src/main.go", True, id="uninstall-project-source"),
    pytest.param(("uninstall",), "../.git/config", True, id="uninstall-git-config"),
    pytest.param(("uninstall", "--force"), "../.git/config", False,
                 id="uninstall-force-git-config"),
    pytest.param(("uninstall", "--force"), "commands/../../src/main.go", False,
                 id="uninstall-force-traversal-below-commands"),
]


def _victim(project: Path, tmp_path: Path, entry: str) -> tuple[str, Path]:
    """The entry as planted and the file it names; outside files are created here."""
    entry = entry.format(home=Path.home())
    victim = Path(os.path.normpath(project / ".claude" / entry))
    if not victim.exists():
        assert not victim.is_relative_to(project)
        victim.parent.mkdir(parents=True, exist_ok=True)
        victim.write_text("ssh-ed25519 AAAA victim\n")
    assert victim.is_relative_to(tmp_path) or victim.is_relative_to(Path.home())
    return entry, victim


def _run_library(command: tuple[str, ...], project: Path) -> None:
    action = install if command[0] == "install" else uninstall
    action("project", project=project, force="--force" in command)


@pytest.mark.parametrize(("command", "entry", "matching"), HOSTILE_ENTRIES)
def test_a_planted_entry_outside_the_config_folder_is_refused_untouched(
        project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *,
        command: tuple[str, ...], entry: str, matching: bool) -> None:
    base = project / ".claude"
    entry, victim = _victim(project, tmp_path, entry)
    content = victim.read_bytes()
    listed = {**plant_retired(base),
              entry: sha256(content) if matching else sha256("something else\n")}
    manifest = plant_manifest(base, listed)
    watched = (project, victim.parent)
    before = snapshot(watched)

    with pytest.raises(UserError) as error:
        _run_library(command, project)
    line = assert_one_line_failure(invoke(project, monkeypatch, *command, "--scope", "project"))

    assert_one_line_user_error(error, manifest)
    assert repr(entry) in line
    assert victim.read_bytes() == content
    assert not list(victim.parent.glob(victim.name + ".bak*"))
    assert (base / RETIRED).read_text() == RETIRED_TEXT
    assert not (base / LEGACY_LOCK_NAME).exists()
    assert snapshot(watched) == before


def test_doctor_reports_a_manifest_with_an_entry_outside_as_a_failed_check(
        project: Path, evil: Path) -> None:
    base = project / ".claude"
    plant_manifest(base, {**plant_retired(base), "../src/main.go": sha256("package src\n")},
                   invocation="./evil.sh")
    before = snapshot([project])

    report = doctor("project", project=project)

    assert [(c.name, c.ok) for c in report.checks] == [("manifest", False)]
    assert "lists '../src/main.go'" in report.checks[0].detail
    assert "move it aside" in report.checks[0].detail
    assert snapshot([project]) == before
    assert not evil.exists()


@pytest.mark.parametrize("entry", [
    pytest.param("/etc/passwd", id="absolute"),
    pytest.param("../x.md", id="parent"),
    pytest.param("commands/../../x.md", id="parent-below-commands"),
    pytest.param("commands//x.md", id="empty-part"),
    pytest.param("commands/./x.md", id="dot-part"),
    pytest.param("commands/", id="trailing-slash"),
    pytest.param("commands\\..\\..\\x.md", id="backslash"),
    pytest.param("commands/x\x00.md", id="nul"),
    pytest.param("commands/x\n.md", id="line-break"),
    pytest.param("commands/\ud800.md", id="lone-surrogate"),
    pytest.param("commands", id="the-folder-itself"),
    pytest.param("settings.json", id="outside-our-folders"),
    pytest.param(MANIFEST_NAME, id="the-manifest"),
    pytest.param("", id="empty"),
])
def test_an_entry_that_is_not_a_plain_path_below_our_folders_is_refused(
        project: Path, entry: str) -> None:
    manifest = plant_manifest(project / ".claude", {entry: "0" * 64})
    with pytest.raises(UserError) as error:
        read_manifest(project / ".claude")
    assert_one_line_user_error(error, manifest)
    assert repr(entry) in error.value.message


# --- no symlink on the way ----------------------------------------------------------------


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "keep.md").write_text("not yours\n")
    return folder


@pytest.mark.parametrize("command", [("install",), ("uninstall",), ("uninstall", "--force")],
                         ids="-".join)
@pytest.mark.parametrize("leads_to", ["outside", "project"])
def test_an_entry_through_a_symlinked_folder_inside_the_config_folder_is_refused(
        project: Path, outside: Path, command: tuple[str, ...], leads_to: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    # A planted folder link, even one back into the project, could lead anywhere.
    target = outside if leads_to == "outside" else project / "src"
    (target / "keep.md").write_text("not yours\n")
    base = project / ".claude"
    (base / "agents").mkdir(parents=True)
    (base / "agents" / "shared").symlink_to(target, target_is_directory=True)
    manifest = plant_manifest(base, {**plant_retired(base),
                                     "agents/shared/keep.md": sha256("not yours\n")})
    watched = (project, outside)
    before = snapshot(watched)

    with pytest.raises(UserError, match="through the symbolic link") as error:
        _run_library(command, project)
    line = assert_one_line_failure(invoke(project, monkeypatch, *command, "--scope", "project"))

    assert_one_line_user_error(error, manifest)
    assert str(base / "agents" / "shared") in line
    assert snapshot(watched) == before
    report = doctor("project", project=project)
    assert [(c.name, c.ok) for c in report.checks] == [("manifest", False)]


def test_install_refuses_to_write_through_a_symlinked_folder_leading_inside(
        project: Path) -> None:
    (project / ".claude").mkdir()
    (project / ".claude" / "commands").symlink_to(project / "src", target_is_directory=True)
    before = snapshot([project])
    with pytest.raises(UserError, match=r"commands is a symbolic link; refusing to write"):
        install("project", project=project)
    assert snapshot([project]) == before


@pytest.mark.parametrize("command", [("install",), ("uninstall",), ("doctor",)],
                         ids="-".join)
def test_a_config_folder_that_is_a_symlink_leading_outside_is_refused(
        project: Path, outside: Path, evil: Path, command: tuple[str, ...],
        monkeypatch: pytest.MonkeyPatch) -> None:
    plant_manifest(outside, {"commands/keep.md": sha256("not yours\n")}, invocation="./evil.sh")
    (outside / "commands").mkdir()
    (outside / "commands" / "keep.md").write_text("not yours\n")
    (project / ".claude").symlink_to(outside, target_is_directory=True)
    before = snapshot([outside])

    result = invoke(project, monkeypatch, *command, "--scope", "project")

    assert result.exit_code == 1
    if command == ("doctor",):
        assert "FAIL manifest:" in result.stdout and "leads outside" in result.stdout
    else:
        assert "leads outside" in assert_one_line_failure(result)
    assert snapshot([outside]) == before
    assert not evil.exists()


# --- what else a manifest may not claim ----------------------------------------------------


@pytest.mark.parametrize("schema_version", [MANIFEST_SCHEMA + 1, 99])
def test_a_manifest_from_a_newer_version_is_refused_in_one_line(
        project: Path, schema_version: int, monkeypatch: pytest.MonkeyPatch) -> None:
    base = project / ".claude"
    manifest = plant_manifest(base, plant_retired(base), schema_version=schema_version)
    before = snapshot([project])

    with pytest.raises(UserError) as error:
        uninstall("project", project=project)
    line = assert_one_line_failure(invoke(project, monkeypatch, "install", "--scope", "project"))

    assert_one_line_user_error(error, manifest)
    assert f"manifest schema {schema_version}; this version reads {MANIFEST_SCHEMA}" in line
    assert snapshot([project]) == before
    assert not doctor("project", project=project).ok


@pytest.mark.parametrize(("field", "value"), [
    ("schema_version", 0),
    ("invocation", "/bin/backend-persona\x1b]0;owned\x07"),
    ("tool_version", "0.1.0\n"),
])
def test_a_manifest_with_a_malformed_field_is_unreadable(project: Path, field: str,
                                                         value: object) -> None:
    base = project / ".claude"
    manifest = plant_manifest(base, {})
    data = json.loads(manifest.read_text())
    manifest.write_text(json.dumps({**data, field: value}))
    with pytest.raises(UserError, match="not a backend-persona manifest this version can read"):
        read_manifest(base)


def test_a_deeply_nested_manifest_is_unreadable_not_a_crash(project: Path) -> None:
    base = project / ".claude"
    base.mkdir()
    (base / MANIFEST_NAME).write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(UserError, match="not a backend-persona manifest"):
        read_manifest(base)


def test_an_entry_below_a_file_is_refused_not_a_crash(project: Path) -> None:
    base = project / ".claude"
    plant_manifest(base, {**plant_retired(base), f"{RETIRED}/x.md": "0" * 64})
    with pytest.raises(UserError, match=r"retired\.md/x\.md: cannot inspect \(Not a directory\)"):
        uninstall("project", project=project, force=True)
    assert (base / RETIRED).read_text() == RETIRED_TEXT
