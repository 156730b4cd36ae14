"""Turn a directory into a `FileIndex`: git's own file list, or gitignore rules outside git."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from backend_persona import git
from backend_persona.discover.index import FileIndex, display
from backend_persona.models import GitState

if TYPE_CHECKING:
    from pathspec import GitIgnoreSpec

# Outside git nothing bounds the walk; stop well before a home directory becomes a crawl.
MAX_WALK_FILES = 300_000

# Folders that are never source, even where no .gitignore says so.
_ALWAYS_SKIPPED = frozenset({".git", ".hg", ".svn"})


def index_directory(root: Path) -> tuple[FileIndex, GitState]:
    """List the files of ``root`` as git would, and what git knows about them.

    Args:
        root: An existing directory.

    Returns:
        The file index and the git state (``not-a-repository`` outside git).
    """
    snap = git.snapshot(root)
    if snap.files is not None:
        index = FileIndex(root, snap.files, snap.missing)
        if snap.missing:
            index.note(f"{len(snap.missing)} tracked file(s) are missing from disk")
        return index, snap.state
    index = FileIndex(root, [])
    index.paths = _walk_with_gitignore(root, index)
    if snap.state.status == "git-unavailable":
        index.note("git is not installed; files were listed with .gitignore rules")
    elif snap.error:
        index.note(f"git failed ({display(snap.error)[:160]}); files were listed with "
                   ".gitignore rules")
    return index, snap.state


def _walk_with_gitignore(root: Path, index: FileIndex) -> list[str]:
    files: list[str] = []
    # Each entry: a folder relative to root, and the ignore rules in force there,
    # outermost first, each with the folder its .gitignore sits in.
    pending: list[tuple[str, list[tuple[str, GitIgnoreSpec]]]] = [("", [])]
    while pending:
        folder, rules = pending.pop()
        rules = rules + _rules_in(root, folder)
        try:
            with os.scandir(os.path.join(root, folder) if folder else root) as entries:
                listing = sorted(entries, key=lambda e: e.name)
        except OSError:
            index.note(f"could not list {display(folder) or '.'}; skipped")
            continue
        for entry in listing:
            relative = f"{folder}/{entry.name}" if folder else entry.name
            is_dir = entry.is_dir(follow_symlinks=False)
            if is_dir and entry.name in _ALWAYS_SKIPPED:
                continue
            if _ignored(relative, is_dir, rules):
                continue
            if is_dir:
                pending.append((relative, rules))
            else:
                files.append(relative)
        if len(files) >= MAX_WALK_FILES:
            index.note(f"stopped listing after {MAX_WALK_FILES:,} files; "
                       "run inside a git repository for a complete list")
            break
    files.sort()
    return files


def _rules_in(root: Path, folder: str) -> list[tuple[str, GitIgnoreSpec]]:
    ignore_file = os.path.join(root, folder, ".gitignore")
    try:
        with open(ignore_file, encoding="utf-8", errors="replace") as handle:
            lines = handle.read(1024 * 1024).splitlines()
    except OSError:
        return []
    from pathspec import GitIgnoreSpec  # noqa: PLC0415  (heavy; only needed outside git)

    try:
        return [(folder, GitIgnoreSpec.from_lines(lines))]
    except ValueError:
        # Like git, drop the lines it cannot parse (such as a trailing backslash), keep the rest.
        return [(folder, GitIgnoreSpec.from_lines(line for line in lines if _parses(line)))]


def _parses(line: str) -> bool:
    from pathspec import GitIgnoreSpec  # noqa: PLC0415

    try:
        GitIgnoreSpec.from_lines([line])
    except ValueError:
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
