"""Every path a cached ``context`` answer depends on, for `backend_persona.cache` to stat.

Made after the answer is printed, in the background: git's own files and the user's git
configuration, every folder git could list a file in (those that hold listed files and the
folders no ignore rule excludes, empty or not), every ``.gitignore`` and ``.gitattributes``
in them, every file a detector opened, the session-state files the "Previous session"
section reads, the project's ``.claude`` folder (whose install manifest hides the pack's
files) and the package's own files. A folder's signature changes whenever an
entry is added to it, removed or renamed, so no new or deleted file goes unseen; a file's
changes whenever it is written or chmod-ed.

What this does not stat is the content of tracked files no detector reads: an edit of one
changes only the uncommitted count, which the hit path's background revalidation compares.
"""

from __future__ import annotations

import os
from pathlib import Path

import backend_persona
from backend_persona import cache

# Names whose content changes what git lists or how it compares files.
_GIT_RULE_FILES = frozenset({".gitignore", ".gitattributes"})


class Observed:
    """What one ``context`` run learned about its inputs while it ran."""

    def __init__(self) -> None:
        self.root = ""
        self.in_git = False
        self.status_digest: str | None = None
        self.paths: list[str] = []
        self.reads: set[str] = set()


def remember(observed: Observed, key: str, output: bytes, started_ns: int) -> bool:
    """Cache ``output``, the answer of ``observed``'s run, under ``key`` (`cache.key`).

    Args:
        observed: Filled by the run.
        key: The entry's key.
        output: The exact bytes the run printed.
        started_ns: When the run began, before anything was read.

    Returns:
        Whether an entry was written (see `dependencies` and `cache.store`).
    """
    paths = dependencies(observed)
    if paths is None:
        return False
    return cache.store(key, output, root=observed.root, status_digest=observed.status_digest,
                       paths=paths, started_ns=started_ns)


def dependencies(observed: Observed) -> list[str] | None:
    """Every absolute path the answer of ``observed``'s run depends on.

    Args:
        observed: Filled by the run (`backend_persona.context.context_text`).

    Returns:
        The paths, or None when this answer must not be cached: outside git, where git
        could not answer in full, or in a repository with submodules (their state lives
        in other work trees).
    """
    if not observed.in_git or not observed.root:
        return None
    from backend_persona import git  # noqa: PLC0415  (the writer's alone, in the background)

    root = Path(observed.root)
    inputs = git.cache_inputs(root)
    if inputs is None or os.path.lexists(inputs.top / ".gitmodules"):
        return None
    found: dict[str, None] = dict.fromkeys(str(path) for path in inputs.files)
    found.update(dict.fromkeys(_user_git_files()))
    found.update(dict.fromkeys(_above(root, inputs.top)))
    found.update(dict.fromkeys(_folders(str(root), inputs.ignored_folders, observed.paths)))
    found.update(dict.fromkeys(os.path.join(root, path) for path in sorted(observed.reads)))
    found.update(dict.fromkeys(_state_paths(root)))
    found.update(dict.fromkeys(_installed_pack(root)))
    found.update(dict.fromkeys(_package_paths()))
    return list(found)


def _user_git_files() -> list[str]:
    """The system and global git configuration, ignore and attributes files, there or not."""
    home = os.path.expanduser("~")
    xdg = os.environ.get("XDG_CONFIG_HOME") or os.path.join(home, ".config")
    return [os.environ.get("GIT_CONFIG_SYSTEM") or "/etc/gitconfig", "/usr/local/etc/gitconfig",
            os.environ.get("GIT_CONFIG_GLOBAL") or os.path.join(home, ".gitconfig"),
            os.path.join(home, ".gitconfig"), os.path.join(xdg, "git", "config"),
            os.path.join(xdg, "git", "ignore"), os.path.join(xdg, "git", "attributes")]


def _above(root: Path, top: Path) -> list[str]:
    """The folders from the work tree's top down to the root's parent, with their rule files."""
    found: list[str] = []
    folder = root.parent
    while top == folder or top in folder.parents:
        found += [str(folder), *(str(folder / name) for name in sorted(_GIT_RULE_FILES))]
        folder = folder.parent
    return found


def _folders(root: str, ignored: frozenset[str], listed: list[str]) -> list[str]:
    """The folders git may list a file in, and the rule files in them, absolute."""
    folders: set[str] = {""}
    for path in listed:
        folder = path.rpartition("/")[0]
        # A tracked file may sit in an ignored folder: its folder counts all the same.
        while folder not in folders:
            folders.add(folder)
            folder = folder.rpartition("/")[0]
    found: list[str] = []
    pending = [""]
    walked = {""}
    while pending:
        folder = pending.pop()
        full = os.path.join(root, folder) if folder else root
        try:
            with os.scandir(full) as entries:
                listing = list(entries)
        except OSError:
            continue  # gone, or not ours to list: its signature (or absence) says so
        for entry in listing:
            if entry.name in _GIT_RULE_FILES:
                found.append(entry.path)
            if entry.name == ".git" or not entry.is_dir(follow_symlinks=False):
                continue
            child = f"{folder}/{entry.name}" if folder else entry.name
            if child in ignored:
                continue
            walked.add(child)
            # Git lists a nested repository as one entry and never looks inside it.
            if not os.path.lexists(os.path.join(entry.path, ".git")):
                pending.append(child)
    found += (os.path.join(root, folder) if folder else root for folder in folders | walked)
    return found


def _state_paths(root: Path) -> list[str]:
    """The project's session-state folder and every file in it, or its absence."""
    from backend_persona.state.store import StateStore  # noqa: PLC0415

    directory = StateStore(root).directory
    found = [str(directory)]
    try:
        with os.scandir(directory) as entries:
            found += [entry.path for entry in entries]
    except OSError:
        pass  # no state yet: the folder's absence is recorded
    return found


def _installed_pack(root: Path) -> list[str]:
    """The project's ``.claude`` folder and everything in it.

    Its install manifest hides the pack's files from the listing, by their content.
    """
    from backend_persona.manifest import PROJECT_CONFIG  # noqa: PLC0415

    base = os.path.join(root, PROJECT_CONFIG)
    found = [base]
    if os.path.isdir(base) and not os.path.islink(base):
        for folder, subfolders, files in os.walk(base):  # never into a symlinked folder
            subfolders.sort()
            found.append(folder)
            found += (os.path.join(folder, name) for name in sorted(files))
    return found


def _package_paths() -> list[str]:
    """Every folder and file of this package as installed, compiled caches aside."""
    found: list[str] = []
    for folder, subfolders, files in os.walk(os.path.dirname(backend_persona.__file__)):
        subfolders[:] = sorted(name for name in subfolders if name != "__pycache__")
        found.append(folder)
        found += (os.path.join(folder, name) for name in sorted(files))
    return found
