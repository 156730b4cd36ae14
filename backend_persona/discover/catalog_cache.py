"""The compiled catalog, kept as JSON in the per-user cache folder between runs.

Parsing every TOML file costs tens of milliseconds on each ``context`` run; reading the
merged tables back as JSON costs a fraction of that, and each table is made into `Known`
records only when a detector first asks for it (`Tables`): a Go service never pays for
NuGet's 1,100 keys. `catalog` compiles the files and rebuilds whatever is missing or stale.
Only the standard library is imported, and platformdirs only off Linux.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from backend_persona import __version__, cache
from backend_persona.discover.known import Known

try:  # Built in, without hashlib's OpenSSL load (as `backend_persona.cache` does).
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - an interpreter built without it
    from hashlib import blake2b

# The cache's own format: a change to `freeze` must change it.
SCHEMA = 7

Table = Mapping[str, tuple[Known, ...]]


def cache_home() -> Path:
    """The per-user cache folder: XDG, or the platform's own (`backend_persona.cache`'s)."""
    return Path(cache.cache_home())


def cache_path(files: Iterable[tuple[str, str]]) -> Path:
    """Where the catalog compiled from ``files`` (name, text) is kept: named by their hash."""
    digest = blake2b(digest_size=16)
    for name, text in files:
        digest.update(f"{name}\0{len(text)}\0{text}".encode())
    return cache_home() / f"catalog-{SCHEMA}-{digest.hexdigest()}.json"


def folder_signature(folder: str) -> str | None:
    """The name, size and modification time of each ``*.toml`` file in ``folder``, or None.

    What `cache_stat_path` names a compiled catalog by when the shipped files are plain
    files: as Python's own bytecode cache does, a file's size and mtime stand for its text,
    so a run stats 37 files instead of reading and hashing half a megabyte of them.
    """
    try:
        entries = sorted((e.name, e.stat(follow_symlinks=False)) for e in os.scandir(folder)
                         if e.name.endswith(".toml"))
    except OSError:
        return None
    return "\0".join(f"{name}\0{info.st_size}\0{info.st_mtime_ns}" for name, info in entries)


def cache_stat_path(signature: str) -> Path:
    """Where the catalog compiled from the files of `folder_signature` is kept.

    The package version is part of the name too: a release's files could keep an older
    release's sizes and times (a reproducible build's fixed timestamps).
    """
    digest = blake2b(f"{__version__}\0{signature}".encode(), digest_size=16)
    return cache_home() / f"catalog-{SCHEMA}-s-{digest.hexdigest()}.json"


def read(path: Path) -> Any:
    """The cached JSON at ``path``, or None when it is missing or unreadable."""
    try:
        return json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None  # Not there yet, or not JSON: the caller compiles it again.


def write(path: Path, data: object) -> None:
    """Write ``data`` as JSON through a temporary file, or give up quietly.

    Readers never see half a file; a cache that cannot be written is only a slower next run.
    """
    import tempfile  # noqa: PLC0415  (only a cache miss writes)

    encoded = json.dumps(data, separators=(",", ":")).encode()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".catalog-")
    except OSError:
        return
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(encoded)
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)


def freeze(technologies: Mapping[str, Known], tables: Mapping[str, Table]) -> dict[str, object]:
    """The compiled catalog as the JSON that `thaw` reads back."""
    # Names stand for technologies in the tables: each Known is written once, and a name
    # whose rule's version is not its own is written after "~" ("+" implied, "^" a companion).
    return {"technologies": {n: k.category for n, k in technologies.items()},
            "tables": {source: {key: [_frozen_name(k) for k in known]
                                for key, known in table.items()}
                       for source, table in tables.items()}}


def _frozen_name(known: Known) -> str:
    mark = "" if known.versioned else "^" if known.companion else "+" if known.implied else "~"
    return f"{mark}{known.name}"


def thaw(data: dict[str, Any], categories: frozenset[str],
         recompiled: Callable[[], Mapping[str, Table]]) -> tuple[dict[str, Known], Tables]:
    """The technologies and the lazily made tables of what `freeze` wrote.

    Args:
        data: The JSON read back.
        categories: Every category this version knows.
        recompiled: The tables compiled from the catalog files, for a table that turns out
            not to be what this version writes (`Tables`).

    Raises:
        ValueError, TypeError, KeyError: ``data`` is not what this version writes.
    """
    technologies = {name: Known(name, category)
                    for name, category in data["technologies"].items()}
    if not set(map(str, data["technologies"].values())) <= categories:
        raise ValueError("a category this version does not know")
    tables = data["tables"]
    if not isinstance(tables, dict) or not all(isinstance(t, dict) for t in tables.values()):
        raise TypeError("tables are not a mapping of mappings")
    return technologies, Tables(tables, technologies, recompiled)


class Tables(Mapping[str, Table]):
    """The cached lookup tables, each thawed when first asked for, then kept.

    A table that does not thaw (a name no technology has, an unknown mark: a cache this
    version did not write) is taken, with every later one, from ``recompiled``.
    """

    def __init__(self, frozen: dict[str, dict[str, Any]], technologies: dict[str, Known],
                 recompiled: Callable[[], Mapping[str, Table]]) -> None:
        """Hold the frozen tables; nothing is thawed yet."""
        self._frozen = frozen
        self._technologies = technologies
        self._recompiled = recompiled
        self._fallback: Mapping[str, Table] | None = None
        self._thawed: dict[str, Table] = {}
        # Each written name is made a Known once, a marked one only when some rule uses it:
        # three variants of every technology would cost each run tens of milliseconds.
        self._made: dict[str, Known] = dict(technologies)

    def __getitem__(self, source: str) -> Table:
        """The table of rule source ``source``, thawed now if it was not yet."""
        table = self._thawed.get(source)
        if table is None:
            frozen = self._frozen[source]
            if self._fallback is None:
                try:
                    table = MappingProxyType({key: tuple(map(self._known, names))
                                              for key, names in frozen.items()})
                except (ValueError, TypeError, KeyError, IndexError, AttributeError):
                    self._fallback = self._recompiled()
            if table is None:
                table = self._recompiled_table(source)
            self._thawed[source] = table
        return table

    def get(self, source: str, default: Any = None) -> Any:
        """The table of ``source``, or ``default`` when it has none.

        Detectors ask for a table once per manifest: a thawed one is one dictionary lookup,
        not the mixin's call of `__getitem__`.
        """
        table = self._thawed.get(source)
        if table is not None:
            return table
        return self[source] if source in self._frozen else default

    def _recompiled_table(self, source: str) -> Table:
        if self._fallback is None:
            self._fallback = self._recompiled()
        return self._fallback.get(source, MappingProxyType({}))

    def _known(self, written: str) -> Known:
        known = self._made.get(written)
        if known is None:
            mark, name = written[0], written[1:]
            if mark not in "~+^":
                raise KeyError(written)
            known = self._made[written] = Known(
                name, self._technologies[name].category, versioned=False,
                implied=mark == "+", companion=mark == "^")
        return known

    def __iter__(self) -> Iterator[str]:
        """The rule sources that have a table."""
        return iter(self._frozen)

    def __len__(self) -> int:
        """How many rule sources have a table."""
        return len(self._frozen)
