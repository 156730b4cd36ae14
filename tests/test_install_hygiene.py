"""Installing leaves the project as it was: the pack's files are not the project's, no lock
file stays in ``.claude``, and uninstall takes its folders away again and says what it kept.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import git as gitpython
import pytest
from click.testing import CliRunner

from backend_persona.cli import cli
from backend_persona.errors import UserError
from backend_persona.install import install, uninstall
from backend_persona.install_lock import lock_path
from backend_persona.manifest import (
    LEGACY_LOCK_NAME,
    MANIFEST_NAME,
    MAX_MANIFEST_BYTES,
    read_manifest,
)
from backend_persona.pack import template_paths
from backend_persona.safefs import sha256
from tests.conftest import RepoFactory, write_tree

MAIN = "commands/agent-persona-backend-specialist.md"
GO_REPO = {
    "go.mod": "module example.com/orders\n\ngo 1.22\n\nrequire connectrpc.com/connect v1.16.2\n",
    "main.go": "package main\n",
}


def context_json(root: Path) -> dict[str, object]:
    result = CliRunner().invoke(cli, ["context", str(root), "--format", "json"])
    assert result.exit_code == 0, result.output
    data: dict[str, object] = json.loads(result.stdout)
    return data


def seen(root: Path) -> tuple[int, int | None, list[str]]:
    """What context says of the project: files, uncommitted changes, notes."""
    data = context_json(root)
    git_state = data["git"]
    assert isinstance(git_state, dict)
    notes = data["notes"]
    assert isinstance(notes, list)
    count = data["file_count"]
    assert isinstance(count, int)
    return count, git_state["uncommitted"], notes


def tree(base: Path) -> set[str]:
    return {p.relative_to(base).as_posix() for p in base.rglob("*")}


# --- the pack's files are not the project's -------------------------------------------------


@pytest.mark.parametrize("layout", ["git", "git-subfolder", "no-git"])
def test_an_install_changes_neither_files_nor_uncommitted_changes(
        make_project: RepoFactory, tmp_path: Path, layout: str) -> None:
    if layout == "git-subfolder":
        # A service inside a monorepo: git status names paths from the repository's top.
        top = make_project({f"services/orders/{k}": v for k, v in GO_REPO.items()})
        project = top / "services" / "orders"
    else:
        project = make_project(GO_REPO, git=layout == "git")
    before = seen(project)

    install("project", project=project)

    assert (project / ".claude" / MAIN).is_file()
    assert seen(project) == before
    markdown = CliRunner().invoke(cli, ["context", str(project)]).stdout
    assert "**Files:** 2 " in markdown
    if layout != "no-git":
        assert "· 0 uncommitted change(s)" in markdown


def test_the_users_own_claude_files_still_count(make_project: RepoFactory) -> None:
    project = make_project(GO_REPO)
    install("project", project=project)
    write_tree(project, {".claude/commands/deploy.md": "my command\n",
                         ".claude/settings.json": "{}\n"})

    count, uncommitted, _ = seen(project)

    assert (count, uncommitted) == (4, 2)


def test_an_installed_file_the_user_changed_counts_as_theirs(make_project: RepoFactory) -> None:
    project = make_project(GO_REPO)
    install("project", project=project)
    (project / ".claude" / MAIN).write_text("my own persona\n")

    assert seen(project)[:2] == (3, 1)


def test_committed_pack_files_updated_by_a_reinstall_are_not_changes(
        make_project: RepoFactory) -> None:
    # A team that commits its project install: the next install rewrites tracked files.
    project = make_project(GO_REPO)
    install("project", project=project, invocation="/opt/old/bin/backend-persona")
    repo = gitpython.Repo(project)
    repo.git.add("--all")
    repo.git.commit("-m", "Install the pack")

    install("project", project=project)

    assert gitpython.Repo(project).is_dirty()
    assert seen(project)[:2] == (2, 0)


def test_a_lock_file_of_an_earlier_version_is_hidden_then_removed(
        make_project: RepoFactory) -> None:
    project = make_project(GO_REPO)
    install("project", project=project)
    (project / ".claude" / LEGACY_LOCK_NAME).write_bytes(b"")
    assert seen(project)[:2] == (2, 0)

    install("project", project=project)

    assert not (project / ".claude" / LEGACY_LOCK_NAME).exists()


# --- a planted manifest hides nothing of the project's --------------------------------------


def plant(project: Path, files: dict[str, str], **fields: object) -> Path:
    base = project / ".claude"
    base.mkdir(exist_ok=True)
    manifest = {"schema_version": 1, "tool_version": "0.1.0", "scope": "project",
                "invocation": "backend-persona", "files": files, **fields}
    (base / MANIFEST_NAME).write_text(json.dumps(manifest))
    return base / MANIFEST_NAME


def _own_name_of_someone_else(project: Path) -> None:
    # A file the pack never writes, listed with its true hash: still the user's.
    write_tree(project, {".claude/commands/deploy.md": "deploy\n"})
    plant(project, {"commands/deploy.md": sha256("deploy\n")})


def _pack_name_other_content(project: Path) -> None:
    # The pack's own name, but not the content the manifest records.
    write_tree(project, {f".claude/{MAIN}": "someone's text\n"})
    plant(project, {MAIN: sha256("other text\n")})


def _entry_outside(project: Path) -> None:
    plant(project, {"../main.go": sha256("package main\n")})


def _entry_not_below_commands(project: Path) -> None:
    plant(project, {"settings.json": sha256("{}\n")})
    write_tree(project, {".claude/settings.json": "{}\n"})


def _huge_manifest(project: Path) -> None:
    # Valid in every entry, only too large to be worth reading on every prompt.
    entries = {f"commands/x{n:05}.md": sha256("") for n in range(4000)}
    assert len(json.dumps(entries)) > MAX_MANIFEST_BYTES
    plant(project, entries)


def _manifest_is_a_symlink(project: Path) -> None:
    real = plant(project, {})
    os.replace(real, project / "elsewhere.json")
    real.symlink_to(project / "elsewhere.json")


def _entry_through_a_symlinked_folder(project: Path) -> None:
    write_tree(project, {f"src/{MAIN}": "text\n"})
    plant(project, {MAIN: sha256("text\n")})
    (project / ".claude" / "commands").symlink_to(project / "src" / "commands")


def _claude_folder_is_a_symlink(project: Path) -> None:
    # Git lists the link and the files behind it under their own names: none is hidden.
    write_tree(project, {f".claude/{MAIN}": "text\n"})
    plant(project, {MAIN: sha256("text\n")})
    (project / ".claude").rename(project / "shared")
    (project / ".claude").symlink_to(project / "shared", target_is_directory=True)


def _entry_is_a_fifo(project: Path) -> None:
    (project / ".claude" / "commands").mkdir(parents=True)
    os.mkfifo(project / ".claude" / MAIN)
    plant(project, {MAIN: sha256("")})


def _user_scope_manifest(project: Path) -> None:
    write_tree(project, {f".claude/{MAIN}": "text\n"})
    plant(project, {MAIN: sha256("text\n")}, scope="user")


@pytest.mark.parametrize(("plant_it", "hides", "note"), [
    (_own_name_of_someone_else, {MANIFEST_NAME}, False),
    (_pack_name_other_content, {MANIFEST_NAME}, False),
    (_entry_outside, set(), True),
    (_entry_not_below_commands, set(), True),
    (_huge_manifest, set(), True),
    (_manifest_is_a_symlink, set(), True),
    (_entry_through_a_symlinked_folder, set(), True),
    (_claude_folder_is_a_symlink, set(), False),
    (_entry_is_a_fifo, {MANIFEST_NAME}, False),
    (_user_scope_manifest, set(), False),
])
def test_a_planted_manifest_hides_no_file_of_the_project(
        make_project: RepoFactory, plant_it: Callable[[Path], None], hides: set[str],
        note: bool) -> None:
    project = make_project(GO_REPO, commit=False)
    plant_it(project)
    listed = set(gitpython.Repo(project).git.ls_files(
        "--others", "--cached", "--exclude-standard").splitlines())

    data = context_json(project)

    hidden = {f".claude/{name}" for name in hides}
    assert data["file_count"] == len(listed - hidden)
    git_state = data["git"]
    assert isinstance(git_state, dict)
    assert git_state["uncommitted"] == len(listed - hidden)
    notes = data["notes"]
    assert isinstance(notes, list)
    manifest_notes = [n for n in notes if MANIFEST_NAME in n]
    assert bool(manifest_notes) == note
    for line in manifest_notes:
        assert line == (f".claude/{MANIFEST_NAME} is not a manifest this version reads; the "
                        "files it lists count as the project's")


def test_a_huge_manifest_is_not_read(make_project: RepoFactory) -> None:
    project = make_project(GO_REPO)
    _huge_manifest(project)
    with pytest.raises(UserError, match=f"is larger than {MAX_MANIFEST_BYTES:,} bytes"):
        read_manifest(project / ".claude")


def test_only_the_packs_own_names_can_be_hidden() -> None:
    # The names a manifest may hide are the ones the pack ships, all below .claude.
    assert MAIN in template_paths()
    assert all(p.split("/")[0] in ("commands", "agents") for p in template_paths())


# --- no lock file in .claude ----------------------------------------------------------------


@pytest.mark.parametrize("scope", ["project", "user"])
def test_no_lock_file_is_left_in_the_config_folder(make_project: RepoFactory, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch,
                                                   scope: str) -> None:
    project = make_project(GO_REPO)
    config = tmp_path / "user-claude"
    monkeypatch.setenv("CLAUDE_CONFIG_DIR", str(config))
    base = project / ".claude" if scope == "project" else config
    monkeypatch.chdir(project)
    runner = CliRunner()

    installed = runner.invoke(cli, ["install", "--scope", scope])
    assert installed.exit_code == 0, installed.output
    assert not [p for p in tree(base) if p.endswith(".lock")]
    assert tree(base) == {MANIFEST_NAME, "commands", "agents", *template_paths()}
    # The lock is in the per-user state folder, keyed by the folder it guards.
    assert lock_path(base).is_file()
    assert lock_path(base).parent == Path(os.environ["BACKEND_PERSONA_STATE_DIR"]) / "locks"

    removed = runner.invoke(cli, ["uninstall", "--scope", scope])
    assert removed.exit_code == 0, removed.output
    assert not base.exists() if scope == "project" else tree(base) == set()


def test_every_spelling_of_a_folder_shares_one_lock(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real", target_is_directory=True)
    assert lock_path(tmp_path / "link") == lock_path(tmp_path / "real")
    assert lock_path(tmp_path / "real") != lock_path(tmp_path / "other")


def test_a_symlink_where_an_earlier_lock_was_is_left_alone(make_project: RepoFactory,
                                                           tmp_path: Path) -> None:
    project = make_project(GO_REPO)
    victim = tmp_path / "victim"
    victim.write_bytes(b"")
    (project / ".claude").mkdir()
    (project / ".claude" / LEGACY_LOCK_NAME).symlink_to(victim)

    install("project", project=project)

    assert (project / ".claude" / LEGACY_LOCK_NAME).is_symlink()
    assert victim.exists()


# --- uninstall takes its folders away and says what it kept ----------------------------------


def test_uninstall_leaves_the_project_as_it_was(make_project: RepoFactory) -> None:
    project = make_project(GO_REPO)
    before = tree(project)
    install("project", project=project)

    report = uninstall("project", project=project)

    assert tree(project) == before
    assert [(a.path, a.action) for a in report.actions][-3:] == [
        ("agents/", "removed"), ("commands/", "removed"), ("./", "removed")]


def test_uninstall_keeps_folders_that_were_there(make_project: RepoFactory) -> None:
    project = make_project({**GO_REPO, ".claude/settings.json": "{}\n",
                            ".claude/commands/mine.md": "mine\n"})
    install("project", project=project)

    report = uninstall("project", project=project)

    assert tree(project / ".claude") == {"settings.json", "commands", "commands/mine.md"}
    assert read_manifest(project / ".claude") is None
    # Only agents/ was the install's; the others were never its to remove or report.
    assert [(a.path, a.action) for a in report.actions if a.path.endswith("/")] == [
        ("agents/", "removed")]


def test_uninstall_lists_what_it_kept(make_project: RepoFactory,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    project = make_project(GO_REPO)
    base = project / ".claude"
    install("project", project=project)
    (base / MAIN).write_text("edited\n")
    install("project", project=project, force=True)  # keeps the edit as MAIN.bak
    agent = "agents/api-architect.md"
    (base / agent).write_text("my agent\n")
    write_tree(base, {"agents/notes.txt": "mine\n"})
    monkeypatch.chdir(project)

    result = CliRunner().invoke(cli, ["uninstall", "--scope", "project"])

    assert result.exit_code == 1, result.output  # a file you changed was left alone
    lines = result.stdout.splitlines()
    assert f"{base}: {agent} kept-changed" in lines
    assert f"{base}: {MAIN}.bak kept-backup" in lines
    assert f"{base}: agents/ kept-not-empty" in lines
    assert f"{base}: commands/ kept-not-empty" in lines
    assert f"{base}: .claude/ kept-not-empty" in lines
    assert (f"kept: {agent} (changed by you), {MAIN}.bak (backup), agents/ (not empty), "
            "commands/ (not empty), .claude/ (not empty)") in lines
    assert tree(base) == {MANIFEST_NAME, "agents", "commands", agent, "agents/notes.txt",
                          f"{MAIN}.bak"}


def test_a_dry_run_uninstall_says_what_it_would_remove_and_keep(
        make_project: RepoFactory) -> None:
    project = make_project(GO_REPO)
    install("project", project=project)
    write_tree(project, {".claude/commands/mine.md": "mine\n"})
    before = tree(project)

    report = uninstall("project", project=project, dry_run=True)

    assert tree(project) == before
    assert [(a.path, a.action) for a in report.actions if a.path.endswith("/")] == [
        ("agents/", "removed"), ("commands/", "kept-not-empty"), ("./", "kept-not-empty")]


def test_the_user_config_folder_is_never_removed(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "fresh-claude"
    monkeypatch.setenv("CLAUDE_CONFIG_DIR", str(config))
    install("user", project=tmp_path)
    manifest = read_manifest(config)
    assert manifest is not None
    assert manifest.folders == ["agents", "commands"]

    uninstall("user", project=tmp_path)

    assert config.is_dir()
    assert tree(config) == set()


@pytest.mark.parametrize("folder", ["../outside", "/tmp", "commands/../..", "src", ""])
def test_a_manifest_cannot_name_a_folder_outside_the_pack(make_project: RepoFactory,
                                                          folder: str) -> None:
    project = make_project(GO_REPO)
    plant(project, {}, schema_version=2, folders=[folder])
    (project / "src").mkdir()

    with pytest.raises(UserError, match="lists the folder"):
        uninstall("project", project=project)
    assert (project / "src").is_dir()


def test_a_manifest_of_the_first_schema_still_uninstalls(make_project: RepoFactory) -> None:
    project = make_project(GO_REPO)
    install("project", project=project)
    manifest_path = project / ".claude" / MANIFEST_NAME
    data = json.loads(manifest_path.read_text())
    del data["folders"]
    data["schema_version"] = 1
    manifest_path.write_text(json.dumps(data))

    uninstall("project", project=project)

    # Without a record of its folders, uninstall removes files only.
    assert tree(project / ".claude") == {"commands", "agents"}
