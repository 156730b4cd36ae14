"""Install, uninstall and check the command pack in a Claude Code config folder.

``install`` renders the templates with an invocation that resolves to the installing
interpreter, so the commands work whether or not the venv is on PATH, and records what it
wrote, with hashes, in a manifest. A file whose hash no longer matches the manifest was
changed by someone else and is left alone unless ``force`` is given; then it is backed up.

The manifest is untrusted input; `backend_persona.manifest` reads and checks it.
Installs and uninstalls of one config folder take `backend_persona.install_lock`,
which lives in the per-user state folder, not in the config folder.
"""

from __future__ import annotations

import errno
import os
import re
import sys
from pathlib import Path
from typing import Any, Literal

from pydantic import Field

from backend_persona import __version__
from backend_persona.errors import UserError
from backend_persona.install_lock import locked
from backend_persona.manifest import (
    LEGACY_LOCK_NAME,
    MANIFEST_NAME,
    Manifest,
    first_link,
    read_manifest,
)
from backend_persona.modelbase import Model
from backend_persona.pack import install_stamp, render_pack
from backend_persona.safefs import (
    describe,
    ensure_inside,
    read_bytes,
    sha256,
    write_atomic,
)
from backend_persona.vocabulary import InstallScope

InstallAction = Literal[
    "created", "updated", "unchanged", "skipped-changed", "replaced-changed",
    "removed", "kept-changed", "missing", "kept-backup", "kept-not-empty",
]
# What uninstall leaves behind on purpose; its report lists each one.
KEPT_ACTIONS = ("kept-changed", "kept-backup", "kept-not-empty")


class FileAction(Model):
    """What happened, or would happen with ``--dry-run``, to one file."""

    path: str
    action: InstallAction
    backup: str | None = None


def _conflicts(report: dict[str, Any]) -> list[str]:
    """Files left alone because someone changed them; ``--force`` replaces them."""
    return [a.path for a in report["actions"] if a.action in ("skipped-changed", "kept-changed")]


class InstallReport(Model):
    """The outcome of an install or uninstall."""

    scope: InstallScope
    base: str
    invocation: str
    dry_run: bool
    actions: list[FileAction] = Field(default_factory=list)
    # Derived from the actions, yet a field, not a computed one: a computed field is
    # dumped but refused on input (extra="forbid"), so the report could not read its JSON.
    conflicts: list[str] = Field(default_factory=_conflicts)


def config_dir(scope: InstallScope, project: Path) -> Path:
    """Where Claude Code looks: ``PROJECT/.claude``, or ``$CLAUDE_CONFIG_DIR``/``~/.claude``."""
    if scope == "project":
        return project / ".claude"
    configured = os.environ.get("CLAUDE_CONFIG_DIR")
    return Path(configured).expanduser() if configured else Path.home() / ".claude"


def anchor_of(scope: InstallScope, project: Path) -> Path:
    """The folder every write must stay inside: the project, or the user's config folder."""
    return project if scope == "project" else config_dir(scope, project)


def checked_config_dir(scope: InstallScope, project: Path) -> Path:
    """The scope's config folder, refused when it leads out of the folder we own.

    A project's ``.claude`` may be a symlink planted by the checkout; only one that
    resolves inside the project is used. The user's config folder may lead anywhere.

    Raises:
        UserError: The folder, or the manifest in it, leads outside or is a symlink.
    """
    base = config_dir(scope, project)
    ensure_inside(anchor_of(scope, project), base / MANIFEST_NAME)
    return base


def resolve_invocation() -> str:
    """The command that runs this installation of backend-persona, as an absolute path.

    The console script next to the running interpreter is preferred: it is what the venv
    installed, and the current folder cannot shadow it. Without one, the interpreter runs
    the module with ``-P`` so that a ``backend_persona/`` folder in the user's repository
    cannot shadow ours.
    """
    interpreter = Path(os.path.abspath(sys.executable))  # not resolved: venv bin/ matters
    script = interpreter.parent / "backend-persona"
    if script.is_file() and os.access(script, os.X_OK):
        return str(script)
    return f"{interpreter} -P -m backend_persona"


def install(scope: InstallScope, *, project: Path | None = None, dry_run: bool = False,
            force: bool = False, invocation: str | None = None) -> InstallReport:
    """Write the commands and agents into the scope's config folder.

    Args:
        scope: ``project`` (``./.claude``) or ``user`` (the user's Claude config folder).
        project: The project root for ``project`` scope; the current folder by default.
        dry_run: Report what would happen and write nothing.
        force: Replace files someone changed, keeping a ``.bak`` copy of each.
        invocation: The command the files call; by default this interpreter's console script.

    Returns:
        One action per file; ``conflicts`` lists the files left alone.

    Raises:
        UserError: a target is a symlink or leads outside the folder we own, the manifest
            is unreadable or lists a file outside the config folder (then nothing is
            touched), or the invocation cannot be used in a command file.
    """
    project = (project or Path.cwd()).absolute()
    invocation = invocation or resolve_invocation()
    files = render_pack(invocation, install_stamp())
    base = checked_config_dir(scope, project)
    for relative in files:
        _refuse_links(base, relative)
    read_manifest(base)  # refuse a hostile manifest before anything is written
    absent = _absent_folders(base, scope, files)  # before the lock creates the config folder
    with locked(base, dry_run=dry_run):
        previous = read_manifest(base)  # again: another install may have run meanwhile
        recorded = previous.files if previous else {}
        placed = [_place(base, rel, text, recorded.get(rel), dry_run=dry_run, force=force)
                  for rel, text in files.items()]
        retired = [_retire(base, rel, digest, dry_run=dry_run, force=force)
                   for rel, digest in recorded.items() if rel not in files]
        actions = placed + retired
        folders = sorted(set(previous.folders if previous else ()) | absent)
        manifest = Manifest(tool_version=__version__, scope=scope, invocation=invocation,
                            files=_recorded_after(files, recorded, actions), folders=folders)
        if not dry_run and manifest != previous:
            write_atomic(base / MANIFEST_NAME, manifest.model_dump_json(indent=2) + "\n",
                         mode=0o644)
    return InstallReport(scope=scope, base=str(base), invocation=invocation, dry_run=dry_run,
                         actions=actions)


def uninstall(scope: InstallScope, *, project: Path | None = None, dry_run: bool = False,
              force: bool = False) -> InstallReport:
    """Remove exactly the files the manifest lists, then the folders install created.

    A folder goes only once it is empty. A file someone changed since the install is kept
    (and stays listed) unless ``force``. What is left on purpose is reported: changed
    files, ``.bak`` copies beside the files we managed, and the folders we created that
    still hold something.

    Raises:
        UserError: nothing is installed in that scope, the config folder leads outside,
            or the manifest is unreadable or lists a file outside the config folder (then
            nothing is touched).
    """
    project = (project or Path.cwd()).absolute()
    base = checked_config_dir(scope, project)
    _installed(base)  # refuse before anything is written
    with locked(base, dry_run=dry_run):
        manifest = _installed(base)  # again: another uninstall may have run meanwhile
        actions = [_retire(base, rel, digest, dry_run=dry_run, force=force)
                   for rel, digest in manifest.files.items()]
        kept = {a.path: manifest.files[a.path] for a in actions if a.action == "kept-changed"}
        if not dry_run:
            if kept:
                write_atomic(base / MANIFEST_NAME,
                             manifest.evolve(files=kept)
                             .model_dump_json(indent=2) + "\n", mode=0o644)
            else:
                (base / MANIFEST_NAME).unlink()
        actions += _backups(base, manifest)
        gone = {a.path for a in actions if a.action == "removed"} | {LEGACY_LOCK_NAME}
        if not kept:
            gone.add(MANIFEST_NAME)
        actions += _folders(base, scope, manifest.folders, gone, dry_run=dry_run)
    return InstallReport(scope=scope, base=str(base), invocation=manifest.invocation,
                         dry_run=dry_run, actions=actions)


def _installed(base: Path) -> Manifest:
    manifest = read_manifest(base)
    if manifest is None:
        raise UserError(f"nothing to uninstall: no {MANIFEST_NAME} in {base}")
    return manifest


def _refuse_links(base: Path, relative: str) -> None:
    link = first_link(base, relative)
    if link is not None:
        raise UserError(f"{link} is a symbolic link; refusing to write through it")


def _recorded_after(files: dict[str, str], recorded: dict[str, str],
                    actions: list[FileAction]) -> dict[str, str]:
    # A file left alone keeps its old hash (or stays unlisted if we never wrote it), so
    # that it still reads as changed by someone else next time.
    after = {}
    for action in actions:
        if action.action in ("skipped-changed", "kept-changed"):
            if action.path in recorded:
                after[action.path] = recorded[action.path]
        elif action.path in files:
            after[action.path] = sha256(files[action.path])
    return dict(sorted(after.items()))


def _absent_folders(base: Path, scope: InstallScope, files: dict[str, str]) -> set[str]:
    # The folders this install will create, relative to base ("." is base itself, which
    # only a project's .claude may be: the user's config folder is Claude Code's own).
    wanted = {"."} if scope == "project" else set()
    for relative in files:
        parts = relative.split("/")[:-1]
        wanted |= {"/".join(parts[:n]) for n in range(1, len(parts) + 1)}
    return {f for f in wanted if not os.path.lexists(base if f == "." else base / f)}


def _backups(base: Path, manifest: Manifest) -> list[FileAction]:
    # The .bak copies that install or uninstall --force made beside the files it managed.
    found: set[str] = set()
    for relative in manifest.files:
        folder, _, name = relative.rpartition("/")
        backup = re.compile(re.escape(name) + r"\.bak(\.[0-9]+)?")
        try:
            with os.scandir(base / folder) as entries:
                found |= {f"{folder}/{e.name}" for e in entries if backup.fullmatch(e.name)}
        except OSError:
            continue
    return [FileAction(path=path, action="kept-backup") for path in sorted(found)]


def _folders(base: Path, scope: InstallScope, folders: list[str], gone: set[str], *,
             dry_run: bool) -> list[FileAction]:
    """Remove the folders install created, deepest first, while they are empty.

    rmdir removes nothing but an empty folder, so a manifest that lists someone else's
    folder costs at most that folder, and only when it was empty anyway.
    """
    actions = []
    for folder in sorted(folders, key=lambda f: (f == ".", -f.count("/"), f)):
        if folder == "." and scope != "project":
            continue
        path = base if folder == "." else base / folder
        try:
            if dry_run:
                prefix = "" if folder == "." else folder + "/"
                if {prefix + name for name in os.listdir(path)} - gone:
                    raise OSError(errno.ENOTEMPTY, "not empty")
            else:
                path.rmdir()
        except OSError as error:
            if error.errno in (errno.ENOTEMPTY, errno.EEXIST):
                actions.append(FileAction(path=_shown_folder(folder), action="kept-not-empty"))
            continue  # gone already, or not a folder: nothing of ours to remove
        actions.append(FileAction(path=_shown_folder(folder), action="removed"))
        gone.add(folder)
    return actions


def _shown_folder(folder: str) -> str:
    # Folders are reported with a trailing slash; the config folder itself as "./".
    return "./" if folder == "." else folder + "/"


def _is_folder(action: FileAction) -> bool:
    return action.path.endswith("/")


def _where(report: InstallReport, action: FileAction) -> str:
    # The config folder itself by its own name: "./" reads as nothing in particular.
    return f"{Path(report.base).name}/" if action.path == "./" else action.path


def _place(base: Path, relative: str, text: str, recorded: str | None, *, dry_run: bool,
           force: bool) -> FileAction:
    target = base / relative
    current = read_bytes(target)
    if current is None:
        action: InstallAction = "created"
    elif current == text.encode("utf-8"):
        return FileAction(path=relative, action="unchanged")
    elif recorded == sha256(current):
        action = "updated"
    elif not force:
        return FileAction(path=relative, action="skipped-changed")
    else:
        action = "replaced-changed"
    backup = _backup_name(target) if action == "replaced-changed" else None
    if not dry_run:
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise UserError(f"cannot create {target.parent} ({describe(error)})") from None
        if backup is not None:
            write_atomic(backup, current or b"", mode=0o644)
        write_atomic(target, text, mode=0o644)
    return FileAction(path=relative, action=action,
                      backup=str(backup.relative_to(base)) if backup else None)


def _retire(base: Path, relative: str, recorded: str, *, dry_run: bool,
            force: bool) -> FileAction:
    target = base / relative
    current = read_bytes(target)
    if current is None:
        return FileAction(path=relative, action="missing")
    changed = sha256(current) != recorded
    if changed and not force:
        return FileAction(path=relative, action="kept-changed")
    backup = _backup_name(target) if changed else None
    if not dry_run:
        if backup is not None:
            os.replace(target, backup)
        else:
            target.unlink()
    return FileAction(path=relative, action="removed",
                      backup=str(backup.relative_to(base)) if backup else None)


def _backup_name(target: Path) -> Path:
    candidate = target.with_name(target.name + ".bak")
    number = 1
    while candidate.exists() or candidate.is_symlink():
        number += 1
        candidate = target.with_name(f"{target.name}.bak.{number}")
    return candidate


_KEPT_BECAUSE = {"kept-changed": "changed by you", "kept-backup": "backup",
                 "kept-not-empty": "not empty"}


def to_text(report: InstallReport) -> str:
    """One line per file that changed or needs attention, then a summary."""
    verb = "would be " if report.dry_run else ""
    lines = [f"{report.base}: {_where(report, a)} {verb}{a.action}"
             + (f" (backup {a.backup})" if a.backup else "")
             for a in report.actions if a.action != "unchanged"]
    unchanged = sum(a.action == "unchanged" for a in report.actions)
    files = sum(a.action != "kept-backup" and not _is_folder(a) for a in report.actions)
    lines.append(f"{files} file(s), {unchanged} unchanged; commands call {report.invocation}")
    kept = [a for a in report.actions if a.action in KEPT_ACTIONS]
    if kept:
        lines.append(("would keep: " if report.dry_run else "kept: ") + ", ".join(
            f"{_where(report, a)} ({_KEPT_BECAUSE[a.action]})" for a in kept))
    if report.conflicts:
        lines.append(f"{len(report.conflicts)} file(s) changed by you were left alone; "
                     "re-run with --force to replace them (a .bak copy is kept)")
    return "\n".join(lines) + "\n"
