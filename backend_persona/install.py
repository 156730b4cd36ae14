"""Install, uninstall and check the command pack in a Claude Code config folder.

``install`` renders the templates with an invocation that resolves to the installing
interpreter, so the commands work whether or not the venv is on PATH, and records what it
wrote, with hashes, in a manifest. A file whose hash no longer matches the manifest was
changed by someone else and is left alone unless ``force`` is given; then it is backed up.

The manifest is untrusted input; `backend_persona.manifest` reads and checks it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

from pydantic import Field

from backend_persona import __version__
from backend_persona.errors import UserError
from backend_persona.invocation import resolve_invocation
from backend_persona.manifest import MANIFEST_NAME, Manifest, first_link, read_manifest
from backend_persona.modelbase import Model
from backend_persona.pack import install_stamp, render_pack, repair_line
from backend_persona.safefs import (
    describe,
    ensure_inside,
    exclusive_lock,
    read_bytes,
    sha256,
    write_atomic,
)
from backend_persona.vocabulary import InstallScope

InstallAction = Literal[
    "created", "updated", "unchanged", "skipped-changed", "replaced-changed",
    "removed", "kept-changed", "missing",
]
LOCK_NAME = ".backend-persona.lock"


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
    files = render_pack(invocation, install_stamp(), repair_line(invocation, scope))
    base = checked_config_dir(scope, project)
    for relative in files:
        _refuse_links(base, relative)
    read_manifest(base)  # refuse a hostile manifest before even the lock file is written
    with _locked(base, dry_run):
        previous = read_manifest(base)  # again: another install may have run meanwhile
        recorded = previous.files if previous else {}
        placed = [_place(base, rel, text, recorded.get(rel), dry_run=dry_run, force=force)
                  for rel, text in files.items()]
        retired = [_retire(base, rel, digest, dry_run=dry_run, force=force)
                   for rel, digest in recorded.items() if rel not in files]
        actions = placed + retired
        manifest = Manifest(tool_version=__version__, scope=scope, invocation=invocation,
                            files=_recorded_after(files, recorded, actions))
        if not dry_run and manifest != previous:
            write_atomic(base / MANIFEST_NAME, manifest.model_dump_json(indent=2) + "\n",
                         mode=0o644)
    return InstallReport(scope=scope, base=str(base), invocation=invocation, dry_run=dry_run,
                         actions=actions)


def uninstall(scope: InstallScope, *, project: Path | None = None, dry_run: bool = False,
              force: bool = False) -> InstallReport:
    """Remove exactly the files the manifest lists, and then the manifest.

    A file someone changed since the install is kept (and stays listed) unless ``force``.

    Raises:
        UserError: nothing is installed in that scope, the config folder leads outside,
            or the manifest is unreadable or lists a file outside the config folder (then
            nothing is touched).
    """
    project = (project or Path.cwd()).absolute()
    base = checked_config_dir(scope, project)
    _installed(base)  # refuse before the lock file is written
    with _locked(base, dry_run):
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
    if not dry_run and not kept:
        (base / LOCK_NAME).unlink(missing_ok=True)
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


@contextmanager
def _locked(base: Path, dry_run: bool) -> Iterator[None]:
    if dry_run:
        yield
        return
    try:
        base.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UserError(f"cannot write in {base} ({describe(error)})",
                        hint="check its permissions and free space") from None
    with exclusive_lock(base / LOCK_NAME, mode=0o644):
        yield


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


def to_text(report: InstallReport) -> str:
    """One line per file that changed or needs attention, then a summary."""
    verb = "would be " if report.dry_run else ""
    lines = [f"{report.base}: {a.path} {verb}{a.action}"
             + (f" (backup {a.backup})" if a.backup else "")
             for a in report.actions if a.action != "unchanged"]
    unchanged = sum(a.action == "unchanged" for a in report.actions)
    lines.append(f"{len(report.actions)} file(s), {unchanged} unchanged; commands call "
                 f"{report.invocation}")
    if report.conflicts:
        lines.append(f"{len(report.conflicts)} file(s) changed by you were left alone; "
                     "re-run with --force to replace them (a .bak copy is kept)")
    return "\n".join(lines) + "\n"
