"""Turn a directory into a `FileIndex`: git's own file list, or gitignore rules outside git."""

from __future__ import annotations

import os
import stat
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from backend_persona import git
from backend_persona.discover.index import FileIndex
from backend_persona.records import GitState
from backend_persona.redact import redact
from backend_persona.safefs import printable

if TYPE_CHECKING:
    from pathspec import GitIgnoreSpec

# Outside git nothing bounds the walk; stop well before a home directory becomes a crawl.
MAX_WALK_FILES = 300_000

# pathspec's cost grows with a pattern's length, faster than linearly: a 1 MB line takes
# it half a minute. Real .gitignore files are a few KB.
MAX_GITIGNORE_BYTES = 64 * 1024

# Folders that are never source, even where no .gitignore says so.
_ALWAYS_SKIPPED = frozenset({".git", ".hg", ".svn"})


class GitObserver(Protocol):
    """What the warm path keeps of git's answers (`backend_persona.cachefill.Observed`)."""

    in_git: bool
    status_digest: str | None


# `manifest.PROJECT_CONFIG`, where a project install writes (a test holds the two equal).
PACK_FOLDER = ".claude"


def _pack_paths(root: Path) -> tuple[frozenset[str], str | None]:
    """`manifest.pack_paths`, whose pydantic model only a project with the pack's folder loads."""
    try:
        if not stat.S_ISDIR(os.lstat(root / PACK_FOLDER).st_mode):
            return frozenset(), None
    except OSError:
        return frozenset(), None
    from backend_persona.manifest import pack_paths  # noqa: PLC0415

    return pack_paths(root)


def index_directory(root: Path, observer: GitObserver | None = None,
                    ) -> tuple[FileIndex, GitState]:
    """List the files of ``root`` as git would, and what git knows about them.

    The files a project install of the pack wrote (by its manifest's account) are not the
    project's: they are neither listed nor counted as uncommitted changes.

    Args:
        root: An existing directory.
        observer: Told whether git listed the files, and its status digest.

    Returns:
        The file index and the git state (``not-a-repository`` outside git).
    """
    hidden, manifest_note = _pack_paths(root)
    snap = git.snapshot(root, hidden)
    if manifest_note:
        snap.notes.append(manifest_note)
    if observer is not None:
        observer.in_git = snap.files is not None and not snap.notes
        observer.status_digest = snap.status_digest
    if snap.files is not None:
        index = FileIndex(root, snap.files, snap.missing)
        _note_all(index, snap.notes)
        if snap.missing:
            index.note(f"{len(snap.missing)} tracked file(s) are missing from disk")
        return index, snap.state
    index = FileIndex(root, [])
    _note_all(index, snap.notes)
    index.paths = [path for path in _walk_with_gitignore(root, index) if path not in hidden]
    if snap.state.status == "git-unavailable":
        index.note("git is not installed; files were listed with .gitignore rules")
    elif snap.error:
        # Redacted before the cut: a URL credential cut before its "@" is no longer recognisable.
        index.note(f"git failed ({redact(printable(snap.error))[:160]}); files were listed with "
                   ".gitignore rules")
    return index, snap.state


def _note_all(index: FileIndex, notes: list[str]) -> None:
    for message in notes:
        index.note(message)


def _walk_with_gitignore(root: Path, index: FileIndex) -> list[str]:
    files: list[str] = []
    # Each entry: a folder relative to root, and the ignore rules in force there,
    # outermost first, each with the folder its .gitignore sits in.
    pending: list[tuple[str, list[tuple[str, GitIgnoreSpec]]]] = [("", [])]
    while pending:
        folder, rules = pending.pop()
        try:
            with os.scandir(os.path.join(root, folder) if folder else root) as entries:
                listing = sorted(entries, key=lambda e: e.name)
        except OSError:
            index.note(f"could not list {printable(folder) or '.'}; skipped")
            continue
        rules = rules + _rules_in(folder, listing, index)
        for entry in listing:
            relative = f"{folder}/{entry.name}" if folder else entry.name
            is_dir = entry.is_dir(follow_symlinks=False)
            if is_dir and entry.name in _ALWAYS_SKIPPED:
                continue
            if _ignored(relative, is_dir, rules):
                continue
            if is_dir:
                pending.append((relative, rules))
            elif entry.is_file(follow_symlinks=False) or entry.is_symlink():
                # As git lists them: a FIFO, socket or device is no file of the project.
                files.append(relative)
        if len(files) >= MAX_WALK_FILES:
            index.note(f"stopped listing after {MAX_WALK_FILES:,} files; "
                       "run inside a git repository for a complete list")
            break
    files.sort()
    return files


def _rules_in(folder: str, listing: list[os.DirEntry[str]],
              index: FileIndex) -> list[tuple[str, GitIgnoreSpec]]:
    entry = next((e for e in listing if e.name == ".gitignore"), None)
    if entry is None or entry.is_dir(follow_symlinks=False):
        return []
    shown = printable(f"{folder}/.gitignore" if folder else ".gitignore")
    # Like git, never follow a symbolic link to a .gitignore (it could name /etc/shadow
    # or /dev/zero), and never open a FIFO or device, which could block forever.
    if not entry.is_file(follow_symlinks=False):
        kind = "a symbolic link" if entry.is_symlink() else "not a regular file"
        index.note(f"{shown} is {kind}; its rules were not applied")
        return []
    data = _read_regular(entry.path)
    if data is None:
        return []
    if len(data) > MAX_GITIGNORE_BYTES:
        index.note(f"{shown} is over {MAX_GITIGNORE_BYTES // 1024} KB; its rules were not applied")
        return []
    return [(folder, _compile(data.decode("utf-8", "replace").splitlines()))]


def _read_regular(path: str) -> bytes | None:
    # Non-blocking and without following links: the file may have been swapped for a
    # FIFO or a link since it was listed.
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return handle.read(MAX_GITIGNORE_BYTES + 1)
    except OSError:
        return None
    finally:
        os.close(fd)


def _compile(lines: list[str]) -> GitIgnoreSpec:
    from pathspec import GitIgnoreSpec  # noqa: PLC0415  (heavy; only needed outside git)

    # pathspec warns (on stderr) about patterns such as "[[" that it still compiles.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return GitIgnoreSpec.from_lines(lines)
        except Exception:  # ValueError, re.error: whatever a bad pattern raises
            # Like git, drop the lines it cannot parse (a trailing backslash, "[z-a]"),
            # and keep the rest.
            return GitIgnoreSpec.from_lines(line for line in lines if _parses(line))


def _parses(line: str) -> bool:
    from pathspec import GitIgnoreSpec  # noqa: PLC0415

    try:
        GitIgnoreSpec.from_lines([line])
    except Exception:  # as above: any error drops the line
        return False
    return True


def _ignored(relative: str, is_dir: bool, rules: list[tuple[str, GitIgnoreSpec]]) -> bool:
    verdict = False
    for base, spec in rules:
        local = relative[len(base) + 1:] if base else relative
        result = spec.check_file(local + "/" if is_dir else local)
        # The deepest .gitignore with an opinion wins, as in git.
        if result.include is not None:
            verdict = result.include
    return verdict
