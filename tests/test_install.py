import json
import os
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from backend_persona import safefs
from backend_persona.cli import cli
from backend_persona.doctor import doctor
from backend_persona.errors import UserError
from backend_persona.install import config_dir, install, resolve_invocation, uninstall
from backend_persona.install_lock import lock_path
from backend_persona.manifest import LEGACY_LOCK_NAME, MANIFEST_NAME, read_manifest
from backend_persona.pack import install_stamp, render_pack
from backend_persona.safefs import sha256
from tests.conftest import RepoFactory, lock_held_elsewhere

MAIN = "commands/agent-persona-backend-specialist.md"
GO_REPO = {
    "go.mod": "module example.com/orders\n\ngo 1.22\n\nrequire connectrpc.com/connect v1.16.2\n",
    "main.go": "package main\n",
}


def tree(base: Path) -> dict[str, bytes]:
    return {str(p.relative_to(base)): p.read_bytes() for p in sorted(base.rglob("*"))
            if p.is_file()}


@pytest.fixture
def project(make_project: RepoFactory) -> Path:
    return make_project(GO_REPO)


def test_invocation_is_the_console_script_next_to_this_interpreter() -> None:
    invocation = resolve_invocation()
    assert invocation == str(Path(os.path.abspath(sys.executable)).parent / "backend-persona")
    assert os.access(invocation, os.X_OK)


def test_install_writes_pack_and_manifest(project: Path) -> None:
    report = install("project", project=project)
    base = project / ".claude"
    assert report.base == str(base)
    assert {a.action for a in report.actions} == {"created"}
    expected = render_pack(resolve_invocation(), install_stamp())
    for relative, text in expected.items():
        assert (base / relative).read_text() == text
    manifest = read_manifest(base)
    assert manifest is not None
    assert manifest.files == {rel: sha256(text) for rel, text in expected.items()}
    assert manifest.invocation == resolve_invocation()
    assert f"Bash({resolve_invocation()} context:*)" in (base / MAIN).read_text()


def test_install_is_idempotent(project: Path) -> None:
    install("project", project=project)
    before = tree(project / ".claude")
    again = install("project", project=project)
    assert {a.action for a in again.actions} == {"unchanged"}
    assert tree(project / ".claude") == before


def test_dry_run_writes_nothing(project: Path) -> None:
    report = install("project", project=project, dry_run=True)
    assert {a.action for a in report.actions} == {"created"}
    assert not (project / ".claude").exists()


def test_a_file_the_user_changed_is_kept_without_force(project: Path) -> None:
    install("project", project=project)
    target = project / ".claude" / MAIN
    target.write_text("my own version\n")
    report = install("project", project=project)
    assert report.conflicts == [MAIN]
    assert target.read_text() == "my own version\n"
    manifest = read_manifest(project / ".claude")
    assert manifest is not None
    assert manifest.files[MAIN] != sha256("my own version\n")


def test_force_replaces_a_changed_file_and_keeps_a_backup(project: Path) -> None:
    install("project", project=project)
    target = project / ".claude" / MAIN
    target.write_text("my own version\n")
    report = install("project", project=project, force=True)
    (action,) = [a for a in report.actions if a.path == MAIN]
    assert (action.action, action.backup) == ("replaced-changed", f"{MAIN}.bak")
    assert (project / ".claude" / f"{MAIN}.bak").read_text() == "my own version\n"
    assert "Backend specialist" in target.read_text()
    target.write_text("second edit\n")
    install("project", project=project, force=True)
    assert (project / ".claude" / f"{MAIN}.bak.2").read_text() == "second edit\n"


def test_a_file_that_was_there_before_is_not_claimed(project: Path) -> None:
    target = project / ".claude" / MAIN
    target.parent.mkdir(parents=True)
    target.write_text("pre-existing\n")
    report = install("project", project=project)
    assert report.conflicts == [MAIN]
    manifest = read_manifest(project / ".claude")
    assert manifest is not None
    assert MAIN not in manifest.files
    uninstall("project", project=project)
    assert target.read_text() == "pre-existing\n"


def test_an_update_replaces_files_we_wrote(project: Path) -> None:
    install("project", project=project, invocation="/old/venv/bin/backend-persona")
    report = install("project", project=project)
    actions = {a.path: a.action for a in report.actions}
    # Agents do not call the helper, so only the commands change.
    assert {p for p, action in actions.items() if action == "updated"} == {
        p for p in actions if p.startswith("commands/")}
    assert {p for p, action in actions.items() if action == "unchanged"} == {
        p for p in actions if p.startswith("agents/")}
    assert resolve_invocation() in (project / ".claude" / MAIN).read_text()


def test_files_no_longer_shipped_are_retired(project: Path) -> None:
    install("project", project=project)
    base = project / ".claude"
    manifest = read_manifest(base)
    assert manifest is not None
    old = base / "commands" / "retired.md"
    old.write_text("old\n")
    files = {**manifest.files, "commands/retired.md": sha256("old\n")}
    (base / MANIFEST_NAME).write_text(manifest.model_copy(update={"files": files})
                                      .model_dump_json())
    report = install("project", project=project)
    assert [a.action for a in report.actions if a.path == "commands/retired.md"] == ["removed"]
    assert not old.exists()


def test_uninstall_removes_exactly_the_manifest(project: Path) -> None:
    base = project / ".claude"
    (base / "commands").mkdir(parents=True)
    (base / "commands" / "mine.md").write_text("user command\n")
    (base / "settings.json").write_text("{}\n")
    install("project", project=project)
    report = uninstall("project", project=project)
    assert {a.action for a in report.actions} == {"removed"}
    assert tree(base) == {"commands/mine.md": b"user command\n", "settings.json": b"{}\n"}
    assert not (base / LEGACY_LOCK_NAME).exists()


def test_uninstall_keeps_changed_files_unless_forced(project: Path) -> None:
    install("project", project=project)
    target = project / ".claude" / MAIN
    target.write_text("edited\n")
    report = uninstall("project", project=project)
    assert report.conflicts == [MAIN]
    assert target.read_text() == "edited\n"
    manifest = read_manifest(project / ".claude")
    assert manifest is not None
    assert list(manifest.files) == [MAIN]
    forced = uninstall("project", project=project, force=True)
    assert [(a.path, a.action, a.backup) for a in forced.actions] == [
        (MAIN, "removed", f"{MAIN}.bak"), (f"{MAIN}.bak", "kept-backup", None),
        ("commands/", "kept-not-empty", None), ("./", "kept-not-empty", None)]
    assert not target.exists()
    assert read_manifest(project / ".claude") is None


def test_uninstall_without_install_is_a_user_error(project: Path) -> None:
    with pytest.raises(UserError, match="nothing to uninstall"):
        uninstall("project", project=project)


def test_a_symlinked_claude_folder_leading_outside_is_refused(project: Path,
                                                              tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (project / ".claude").symlink_to(outside)
    with pytest.raises(UserError, match="leads outside"):
        install("project", project=project)
    assert list(outside.iterdir()) == []


def test_a_planted_symlink_file_is_refused(project: Path, tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n")
    commands = project / ".claude" / "commands"
    commands.mkdir(parents=True)
    (commands / "agent-persona-backend-specialist.md").symlink_to(victim)
    with pytest.raises(UserError, match="symbolic link"):
        install("project", project=project)
    assert victim.read_text() == "keep me\n"


def test_user_scope_honours_claude_config_dir(project: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "claude-config"
    monkeypatch.setenv("CLAUDE_CONFIG_DIR", str(config))
    assert config_dir("user", project) == config
    install("user", project=project)
    assert (config / MAIN).is_file()
    assert not (project / ".claude").exists()
    monkeypatch.delenv("CLAUDE_CONFIG_DIR")
    assert config_dir("user", project) == Path.home() / ".claude"


def test_an_unreadable_manifest_is_a_user_error(project: Path) -> None:
    base = project / ".claude"
    base.mkdir()
    (base / MANIFEST_NAME).write_text("{not json")
    with pytest.raises(UserError, match="not a backend-persona manifest"):
        install("project", project=project)


def test_doctor_passes_after_install_and_runs_the_context_lines(project: Path) -> None:
    install("project", project=project)
    report = doctor("project", project=project)
    assert report.ok, [c for c in report.checks if not c.ok]
    ran = next(c for c in report.checks if c.name == f"{MAIN} context line")
    assert ran.detail == (f"exit 0: '{resolve_invocation()} context', "
                          f"'{resolve_invocation()} state inbox'")


@pytest.mark.parametrize(("damage", "expected"), [
    (lambda base: (base / MAIN).write_text("x\n"),
     "changed since install; `install --force` restores it (with a backup)"),
    (lambda base: (base / MAIN).unlink(), "missing; run install again"),
])
def test_doctor_reports_damage(project: Path, damage: object, expected: str) -> None:
    install("project", project=project)
    damage(project / ".claude")  # type: ignore[operator]
    report = doctor("project", project=project)
    assert not report.ok
    assert [c.detail for c in report.checks if not c.ok] == [expected]


def test_doctor_reports_files_that_call_another_installation(project: Path) -> None:
    install("project", project=project, invocation="/gone/venv/bin/backend-persona")
    report = doctor("project", project=project)
    failed = {c.name: c.detail for c in report.checks if not c.ok}
    assert failed.pop("invocation") == (
        f"the files call '/gone/venv/bin/backend-persona', not this installation "
        f"({resolve_invocation()}); run `backend-persona install --scope project` from the "
        "venv you use")
    # Rendered with another invocation, no command file matches, so no `!` line runs.
    assert failed == dict.fromkeys(
        (p for p in render_pack("x", install_stamp()) if p.startswith("commands/")),
        "differs from what this installation writes; run install again")
    assert not [c for c in report.checks if c.name.endswith("context line")]


def test_doctor_without_install(project: Path) -> None:
    report = doctor("project", project=project)
    assert not report.ok
    assert report.checks[0].detail == "not installed; run `backend-persona install --scope project`"


def test_cli_install_doctor_uninstall(project: Path, chdir: object) -> None:
    chdir(project)  # type: ignore[operator]
    runner = CliRunner()
    first = runner.invoke(cli, ["install", "--scope", "project", "--format", "json"])
    assert first.exit_code == 0, first.output
    assert json.loads(first.output)["conflicts"] == []
    assert runner.invoke(cli, ["doctor"]).exit_code == 0
    (project / ".claude" / MAIN).write_text("mine\n")
    conflict = runner.invoke(cli, ["install"])
    assert conflict.exit_code == 1
    assert "left alone; re-run with --force" in conflict.output
    assert runner.invoke(cli, ["doctor"]).exit_code == 1
    gone = runner.invoke(cli, ["uninstall", "--force"])
    assert gone.exit_code == 0, gone.output
    assert not (project / ".claude" / MANIFEST_NAME).exists()


def test_without_a_console_script_the_module_runs_with_safe_path(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    python = tmp_path / "bin" / "python3"
    python.parent.mkdir()
    python.symlink_to(sys.executable)
    monkeypatch.setattr(sys, "executable", str(python))
    # -P keeps a backend_persona/ folder in the user's repository from shadowing ours.
    assert resolve_invocation() == f"{python} -P -m backend_persona"


def test_doctor_reports_a_file_from_another_package_version(project: Path) -> None:
    install("project", project=project)
    base = project / ".claude"
    older = (base / MAIN).read_text().replace("# Backend specialist", "# Older specialist")
    (base / MAIN).write_text(older)
    manifest = read_manifest(base)
    assert manifest is not None
    files = {**manifest.files, MAIN: sha256(older), "commands/retired.md": sha256("old\n")}
    (base / "commands" / "retired.md").write_text("old\n")
    (base / MANIFEST_NAME).write_text(manifest.model_copy(update={"files": files})
                                      .model_dump_json())
    failed = {c.name: c.detail for c in doctor("project", project=project).checks if not c.ok}
    assert failed == {MAIN: "differs from what this installation writes; run install again",
                      "commands/retired.md": "no longer shipped; run install again to remove it"}


def test_doctor_reports_an_unreadable_manifest(project: Path) -> None:
    (project / ".claude").mkdir()
    (project / ".claude" / MANIFEST_NAME).write_text("[]")
    report = doctor("project", project=project)
    assert [(c.name, c.ok) for c in report.checks] == [("manifest", False)]
    assert "not a backend-persona manifest" in report.checks[0].detail


def test_doctor_reports_an_invocation_it_cannot_render(project: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    install("project", project=project)
    monkeypatch.setattr("backend_persona.doctor.resolve_invocation",
                        lambda: "/my venv/bin/backend-persona")
    report = doctor("project", project=project)
    assert [(c.name, c.ok) for c in report.checks] == [
        ("manifest", True), ("invocation", False), ("render", False)]
    assert report.checks[-1].detail.startswith("cannot use '/my venv/bin/backend-persona'")


def _unlist(base: Path, prefix: str) -> None:
    """Drop the manifest's entries under ``prefix``, so that they are expected, not listed."""
    manifest = json.loads((base / MANIFEST_NAME).read_text())
    manifest["files"] = {k: v for k, v in manifest["files"].items() if not k.startswith(prefix)}
    (base / MANIFEST_NAME).write_text(json.dumps(manifest))


def test_doctor_reads_no_unlisted_file_through_a_symlinked_folder(project: Path,
                                                                   tmp_path: Path) -> None:
    install("project", project=project)
    base = project / ".claude"
    outside = tmp_path / "outside"
    (base / "commands").rename(outside)
    (base / "commands").symlink_to(outside)
    _unlist(base, "commands/")

    report = doctor("project", project=project)

    failed = {c.name: c.detail for c in report.checks if not c.ok}
    assert failed[MAIN] == f"{base / 'commands'} is a symbolic link; not read through it"
    assert not [c for c in report.checks if c.name == f"{MAIN} context line"]


def test_doctor_reports_a_file_it_cannot_read_as_one_check(project: Path) -> None:
    install("project", project=project)
    base = project / ".claude"
    (base / MAIN).unlink()
    os.mkfifo(base / MAIN)

    report = doctor("project", project=project)

    assert [(c.name, c.detail) for c in report.checks if not c.ok] == [
        (MAIN, f"{base / MAIN} is not a regular file")]


def test_a_symlinked_lock_file_is_refused_as_a_symlink(project: Path, tmp_path: Path) -> None:
    base = project / ".claude"
    base.mkdir()
    lock = lock_path(base)
    lock.parent.mkdir(parents=True)
    lock.symlink_to(tmp_path / "loop")
    (tmp_path / "loop").symlink_to(lock)

    with pytest.raises(UserError, match="is a symlink; refusing"):
        install("project", project=project)


def test_an_install_already_running_is_named_not_blamed_on_permissions(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(safefs, "LOCK_TIMEOUT_SECONDS", 0.2)
    base = project / ".claude"
    base.mkdir()

    with lock_held_elsewhere(lock_path(base)), \
            pytest.raises(UserError, match="another backend-persona is running") as raised:
        install("project", project=project)

    assert "permissions" not in raised.value.message
    assert not (base / MANIFEST_NAME).exists()
