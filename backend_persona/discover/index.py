"""The file index that detectors query: paths by name and suffix, and capped, safe reads."""

from __future__ import annotations

import json
import os
import re
import stat
from bisect import bisect_left
from collections import defaultdict
from functools import cached_property
from pathlib import Path
from typing import Any

from backend_persona.discover.readlog import ReadLog
from backend_persona.safefs import printable

# The largest repository file a detector reads: manifests are kilobytes, generated ones a few
# hundred; anything bigger is data, not a declaration of the stack.
MAX_PROJECT_FILE_BYTES = 1024 * 1024

# Third-party code checked into a repository says nothing about the project's own stack.
VENDORED_SEGMENTS = frozenset(
    {"node_modules", "vendor", "third_party", "third-party", ".venv", "venv", "site-packages",
     "bower_components", ".git"}
)

# An absolute path, or an empty, "." or ".." component: nothing the listing produces.
_NOT_PLAIN = re.compile(r"^/|(?:^|/)\.{0,2}(?:/|$)")

_VENDORED_FOLDER = re.compile(
    "(?:^|/)(?:" + "|".join(re.escape(s) for s in sorted(VENDORED_SEGMENTS)) + ")/"
)


def parent_of(path: str) -> str:
    """Return the folder of a relative posix path, ``.`` for the root."""
    parent = path.rpartition("/")[0]
    return parent or "."


def _name_tables(paths: list[str]) -> tuple[dict[str, list[str]], dict[str, list[str]], list[str]]:
    """Paths by file name and by last suffix (lower-cased), and each run's folder, in order."""
    by_name: dict[str, list[str]] = defaultdict(list)
    by_suffix: dict[str, list[str]] = defaultdict(list)
    folders: list[str] = []
    last = None
    # A monorepo repeats its file names (100,000 paths, 4,000 names): each name's lists
    # are found, and its suffix cut, once.
    lists: dict[str, tuple[list[str], list[str] | None]] = {}
    for path in paths:
        folder, _, name = path.rpartition("/")
        if folder != last:
            folders.append(folder)
            last = folder
        found = lists.get(name)
        if found is None:
            dot = name.rfind(".")
            found = lists[name] = (by_name[name],
                                   by_suffix[name[dot:].lower()] if dot > 0 else None)
        found[0].append(path)
        if found[1] is not None:
            found[1].append(path)
    return by_name, by_suffix, folders


class FileIndex:
    """The project's files as relative posix paths, with cheap lookups and guarded reads."""

    def __init__(self, root: Path, paths: list[str], missing: frozenset[str] = frozenset()):
        self.root = root
        self.paths = paths
        self.missing = missing
        self.notes: list[str] = []
        # Membership beside the ordered list: a tree of 100k bad files must not make
        # each new note scan all earlier ones.
        self._noted: set[str] = set()
        self.sniffed: dict[str, str | None] = {}
        # Per-run results that several detectors share, keyed by the detector that made them.
        self.memo: dict[str, object] = {}
        self._reads: dict[str, str | None] = {}
        # What a helper process's detectors opened, read whole (their text came back) and
        # first asked the head of (for how many bytes): `discover.parallel`, `adopt`.
        self._opened_elsewhere: set[str] = set()
        self._whole_elsewhere: set[str] = set()
        self._heads_elsewhere: dict[str, int] = {}
        self.log = ReadLog()
        self._last_object: tuple[str, dict[str, Any] | None] | None = None
        # Folder -> the first folder on the way to it that is a symbolic link, or None.
        self._links: dict[str, str | None] = {}
        # File name -> its own paths, as a set: `has` answers per file, not per listing.
        self._name_sets: dict[str, frozenset[str]] = {}

    @cached_property
    def own_paths(self) -> list[str]:
        """Paths outside vendored folders such as ``node_modules/`` or ``vendor/``."""
        return self._tables[0]

    @cached_property
    def _by_name(self) -> dict[str, list[str]]:
        return self._tables[1]

    @cached_property
    def _by_suffix(self) -> dict[str, list[str]]:
        return self._tables[2]

    @cached_property
    def _tables(self) -> tuple[list[str], dict[str, list[str]], dict[str, list[str]]]:
        # The own paths and both lookups in one pass over the paths: on 100k files every
        # pass counts. A vendored segment is a folder's, so each folder is checked once
        # (the sorted listing keeps a folder's files together), not each path; usually none
        # is vendored, and the tables of every path are the own paths' tables.
        paths = self.paths
        by_name, by_suffix, folders = _name_tables(paths)
        vendored = _VENDORED_FOLDER.search
        if not any(vendored(f"{folder}/") for folder in folders):
            return paths, by_name, by_suffix
        own = [p for p in paths if not vendored(p)]
        by_name, by_suffix, _ = _name_tables(own)
        return own, by_name, by_suffix

    def named(self, *names: str) -> list[str]:
        """Paths whose file name is one of ``names``, in path order."""
        found = [p for name in names for p in self._by_name.get(name, ())]
        return sorted(found)

    def has(self, path: str) -> bool:
        """Whether ``path`` is one of the own paths: ``path in named(its file name)``, cheaply.

        A detector asks it once per SQL file or manifest; `named` would copy and sort every
        path of that name for each question.
        """
        name = path.rpartition("/")[2]
        members = self._name_sets.get(name)
        if members is None:
            members = self._name_sets[name] = frozenset(self._by_name.get(name, ()))
        return path in members

    def with_suffix(self, *suffixes: str, ordered: bool = True) -> list[str]:
        """Paths whose last suffix (lower-cased, with the dot) is one of ``suffixes``.

        ``ordered=False`` skips sorting, for callers that only count.
        """
        found = [p for suffix in suffixes for p in self._by_suffix.get(suffix, ())]
        return sorted(found) if ordered else found

    @cached_property
    def _names_by_suffix(self) -> dict[str, list[str]]:
        table: dict[str, list[str]] = defaultdict(list)
        for name in self._by_name:
            dot = name.rfind(".")
            if dot > 0:
                table[name[dot:].lower()].append(name)
        return table

    def names_with_suffix(self, suffix: str) -> list[str]:
        """The own files' distinct names whose last suffix (lower-cased, with the dot) is this.

        A monorepo repeats `handler_test.go` thousands of times: a question about names is
        asked once per name, not once per path.
        """
        return self._names_by_suffix.get(suffix, [])

    @cached_property
    def _sorted_names(self) -> list[str]:
        return sorted(self._by_name)

    def with_name_prefix(self, *prefixes: str) -> list[str]:
        """Paths whose file name starts with one of ``prefixes``, in path order."""
        names = self._sorted_names
        found: set[str] = set()
        for prefix in prefixes:
            at = bisect_left(names, prefix)
            while at < len(names) and names[at].startswith(prefix):
                found.update(self._by_name[names[at]])
                at += 1
        return sorted(found)

    def suffix_counts(self) -> dict[str, int]:
        """How many own files carry each last suffix."""
        return {suffix: len(paths) for suffix, paths in self._by_suffix.items()}

    def note(self, message: str) -> None:
        """Record something the reader of the context should know."""
        if message not in self._noted:
            self._noted.add(message)
            self.notes.append(message)

    def read_text(self, path: str, limit: int = MAX_PROJECT_FILE_BYTES) -> str | None:
        """Read a regular file of the project as text, or None with a note saying why not.

        Symbolic links are not followed, so a link can never make us read outside
        the project. Files over ``limit`` bytes, binary files and files that are
        not regular (FIFOs, devices) are skipped.

        Args:
            path: A path relative to the root, as the index lists it.
            limit: The largest file to read, in bytes.

        Returns:
            The text, decoded as UTF-8 with replacement characters, or None.
        """
        if path in self._reads:
            return self._reads[path]
        text = self._read(path, limit, whole=True)
        self._reads[path] = text
        self.log.read_whole(path, text is not None)
        return text

    def read_paths(self) -> set[str]:
        """Every path a detector opened or tried to, whole or only its head."""
        return {key.rpartition("\0")[2] for key in self._reads} | self._opened_elsewhere

    def adopt(self, opened: list[str], log: ReadLog) -> None:
        """Take a helper process's reads as this index's own (`discover.parallel`).

        Its detectors ran on a copy of this index: what they opened counts as read, a
        file they read whole is read whole here too (again, when asked for), one whose
        whole read came back empty-handed stays so, and a head they read first is read
        for the size they asked.
        """
        self._opened_elsewhere.update(opened)
        for path, (_, found) in log.whole.items():
            if found:
                self._whole_elsewhere.add(path)
            else:
                self._reads.setdefault(path, None)
        for path, (size, _) in log.heads.items():
            self._heads_elsewhere.setdefault(path, size)

    def restart(self, notes: list[str], memo: dict[str, object]) -> None:
        """Forget every read and what came of it: back to ``notes`` and ``memo``, as before."""
        self.notes, self._noted, self.memo = list(notes), set(notes), dict(memo)
        self.sniffed, self._reads, self._last_object = {}, {}, None
        self._opened_elsewhere, self._whole_elsewhere, self._heads_elsewhere = set(), set(), {}
        self.log = ReadLog()

    def read_json_object(self, path: str) -> dict[str, Any] | None:
        """Read a JSON manifest that must hold an object, or None with a note saying why.

        The last one parsed is kept: the readers of one manifest come one after another,
        and keeping every object would hold a hostile repository's megabytes of JSON at
        once. Callers share the object and must not change it.
        """
        if self._last_object is None or self._last_object[0] != path:
            self._last_object = (path, self._parse_json_object(path))
        return self._last_object[1]

    def _parse_json_object(self, path: str) -> dict[str, Any] | None:
        text = self.read_text(path)
        if text is None:
            return None
        try:
            data = json.loads(text)
        except ValueError as error:
            self.note(f"{printable(path)} is not valid JSON ({error}); skipped")
            return None
        except RecursionError:
            self.note(f"{printable(path)} is nested too deeply to read; skipped")
            return None
        if not isinstance(data, dict):
            self.note(f"{printable(path)} is not a JSON object; skipped")
            return None
        return data

    def read_head(self, path: str, size: int = 4096) -> str | None:
        """Read the first ``size`` bytes of a file, for sniffing what kind of file it is."""
        whole = self._reads.get(path)
        if whole is None and path in self._whole_elsewhere and path not in self._reads:
            whole = self.read_text(path)
        if whole is not None:
            # Already read whole (a detector parsed it): its start is the head, no second read.
            return whole[:size]
        key = f"\0head\0{path}"
        if key not in self._reads:
            first = self._heads_elsewhere.get(path, size)
            data = self._bytes(path, first, whole=False) if self._inside(path) else None
            self._reads[key] = self._decoded(path, data, whole=False)
            self.log.first_head(path, first, data is None or len(data) < first)
        head = self._reads[key]
        self.log.read_head(path, size, head)
        return head

    def _read(self, path: str, limit: int, *, whole: bool) -> str | None:
        data = self._bytes(path, limit, whole=whole) if self._inside(path) else None
        return self._decoded(path, data, whole=whole)

    def _decoded(self, path: str, data: bytes | None, *, whole: bool) -> str | None:
        if data is None:
            return None
        if b"\0" in data:
            if whole:
                self.note(f"{printable(path)} is binary; not read")
            return None
        return data.decode("utf-8", "replace")

    def _bytes(self, path: str, limit: int, *, whole: bool) -> bytes | None:
        full = os.path.join(self.root, path)
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        try:
            fd = os.open(full, flags)
        except OSError:
            return None
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                return None
            if whole and info.st_size > limit:
                self.note(f"{printable(path)} is {info.st_size / 1e6:.1f} MB; not read")
                return None
            # read(limit) would allocate the whole 1 MiB for every 2 KB manifest: ask for
            # the size the file has (and a byte more, to see it grow), then the rest. No
            # buffered file object: thousands of manifests would each pay for one.
            # A regular file's read comes back short only at its end.
            data = os.read(fd, min(limit, info.st_size + 1))
            while info.st_size < len(data) < limit:  # it grew: the rest, up to the cap
                more = os.read(fd, limit - len(data))
                if not more:
                    break
                data += more
            return data
        except OSError:
            return None
        finally:
            os.close(fd)

    def _inside(self, path: str) -> bool:
        # O_NOFOLLOW guards the last component only: a tracked folder replaced by a link
        # (a tar archive can carry one) would lead the open outside the project.
        if _NOT_PLAIN.search(path):
            self.note(f"{printable(path)} is not a plain path inside the project; skipped")
            return False
        link = self._link_above(parent_of(path))
        if link is not None:
            self.note(f"{printable(path)} crosses a symlink ({printable(link)}); skipped")
        return link is None

    def _link_above(self, folder: str) -> str | None:
        """The first folder of ``folder``'s chain that is a symbolic link, or None."""
        if folder == "." or folder in self._links:
            return self._links.get(folder)
        current = ""
        link: str | None = None
        for part in folder.split("/"):
            current = f"{current}/{part}" if current else part
            if current not in self._links:
                self._links[current] = current if self._is_link(current) else None
            link = self._links[current]
            if link is not None:
                break
        self._links[folder] = link
        return link

    def _is_link(self, folder: str) -> bool:
        try:
            return stat.S_ISLNK(os.lstat(os.path.join(self.root, folder)).st_mode)
        except OSError:
            return False  # a missing folder: the open fails on its own
