"""The technology catalog: what each dependency, image, scheme or file stands for.

The knowledge is data, in ``resources/catalog/*.toml`` (the README there is the contract).
This module loads it once per process into one lookup table per rule source, and answers
detectors' questions: which technologies a dependency id names, with what evidence.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator, Mapping
from functools import cache
from types import MappingProxyType
from typing import NamedTuple, cast, get_args

from backend_persona.discover import catalog_cache
from backend_persona.discover.keymatch import matcher
from backend_persona.discover.known import Known
from backend_persona.discover.sighting import Sighting
from backend_persona.discover.versions import safe_version
from backend_persona.evidence import Citation, cited
from backend_persona.records import TOOL_SCOPES, Category, Scope

# Every rule source a table may use, in the README's order.
SOURCES: tuple[str, ...] = (
    "npm", "pypi", "maven", "gradle_plugin", "go", "crate", "gem", "hex", "composer", "nuget",
    "cmake", "image", "action", "system", "scheme", "env", "file", "code", "terraform",
    "toolchain", "artifact",
)
# For the membership test of every table lookup.
_SOURCE_NAMES = frozenset(SOURCES)
# The sources that name a package; of these, only a technology's own give its version.
PACKAGE_SOURCES: tuple[str, ...] = SOURCES[:SOURCES.index("image")]
CATEGORIES: frozenset[str] = frozenset(get_args(Category))
# Ids compare without case (`nunit` is NuGet's `NUnit`): keys are also held lower-cased.
# GitHub owner and repository names are caseless too (`Azure/login` is `azure/login`).
CASELESS_SOURCES: frozenset[str] = frozenset({"nuget", "action"})
# Table keys that are not rule sources.
_FIELDS = frozenset({"name", "category", "implies", "shares", "versioned", "companion"})
_STUBS = re.compile(r"@types/|types-|mypy-|.*-stubs$")  # Typings: not the typed one's version.
# Categories whose version a client library never gives: the server's comes from images
# and infrastructure definitions only.
_SERVER_CATEGORIES = frozenset({"datastore", "search", "broker"})


class CatalogError(Exception):
    """The shipped catalog breaks its contract: a bug in the package, not a user error."""


class Entry:
    """One technology as the catalog files define and extend it.

    A plain class, as `Known` is, so that loading the catalog never imports dataclasses.
    """

    __slots__ = ("companions", "defined", "defined_in", "implies", "known", "rules", "shares",
                 "versioned")

    def __init__(self, known: Known, defined_in: str) -> None:
        """Start the entry of ``known``, as the table in ``defined_in`` defines it."""
        self.known = known
        self.defined_in = defined_in
        self.implies: list[str] = []
        self.shares: list[str] = []
        # Source -> rule keys, with the file that contributed each.
        self.rules: dict[str, list[tuple[str, str]]] = {}
        # The (source, key) package rules whose version is this technology's own: what
        # `versioned` lists, if a table has it; else the definition's rules but type stubs
        # (not extensions').
        self.versioned: set[tuple[str, str]] | None = None
        self.defined: set[tuple[str, str]] = set()
        # The (source, key) rules of tables marked `companion = true`: plugins, presets
        # and the like.
        self.companions: set[tuple[str, str]] = set()


class Catalog(NamedTuple):
    """The merged catalog: every technology by name, and one lookup table per source."""

    technologies: Mapping[str, Known]
    tables: Mapping[str, Mapping[str, tuple[Known, ...]]]

    def source(self, name: str) -> Mapping[str, tuple[Known, ...]]:
        """The lookup table of rule source ``name``: key to the technologies it names."""
        if name not in _SOURCE_NAMES:
            raise CatalogError(f"no rule source is called {name!r}")
        return self.tables.get(name, MappingProxyType({}))

    def named(self, name: str) -> Known:
        """The technology called ``name``; a name the catalog lacks is a bug."""
        known = self.technologies.get(name)
        if known is None:
            raise CatalogError(f"the catalog defines no technology called {name!r}")
        return known


def load(files: Iterable[tuple[str, str]]) -> Catalog:
    """Parse and merge catalog files, given as (file name, TOML text) pairs, into tables.

    Raises:
        CatalogError: The files break the contract; see `merge`.
    """
    entries = merge(files)
    return Catalog(MappingProxyType({name: e.known for name, e in entries.items()}),
                   _lookup_tables(entries))


def merge(files: Iterable[tuple[str, str]]) -> dict[str, Entry]:
    """Parse catalog files and merge each technology's extensions into its definition.

    Raises:
        CatalogError: A file does not parse, a table uses an unknown key or category, a
            name is defined twice, or an extension or ``implies`` names nothing defined.
    """
    import tomllib  # noqa: PLC0415  (only a cache miss parses TOML)

    tables: list[tuple[str, dict[str, object]]] = []
    for filename, text in sorted(files):
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise CatalogError(f"{filename} is not valid TOML: {error}") from error
        if unexpected := set(data) - {"technology"}:
            raise CatalogError(f"{filename}: unknown top-level keys {sorted(unexpected)}")
        technologies = data.get("technology", [])
        if not isinstance(technologies, list):
            raise CatalogError(f"{filename}: `technology` must be an array of tables")
        tables.extend((filename, table) for table in technologies)
    entries = _definitions(tables)
    for filename, table in tables:
        _add_rules(entries, filename, table)
    for entry in entries.values():
        for other in (*entry.implies, *entry.shares):
            if other not in entries:
                raise CatalogError(f"{entry.defined_in}: {entry.known.name!r} refers to "
                                   f"{other!r}, which no table defines")
        for source_name, key in sorted(entry.versioned or ()):
            if key not in {k for k, _ in entry.rules.get(source_name, ())} or (
                    source_name not in PACKAGE_SOURCES):
                raise CatalogError(f"{entry.defined_in}: {entry.known.name!r} marks "
                                   f"{source_name}:{key} versioned, not a package rule of its")
    return entries


def _definitions(tables: list[tuple[str, dict[str, object]]]) -> dict[str, Entry]:
    entries: dict[str, Entry] = {}
    for filename, table in tables:
        name = table.get("name")
        if not isinstance(name, str) or not name:
            raise CatalogError(f"{filename}: a table has no name")
        unknown = set(table) - _FIELDS - set(SOURCES)
        if unknown:
            raise CatalogError(f"{filename}: {name!r} has unknown keys {sorted(unknown)}")
        category = table.get("category")
        if category is None:
            continue
        if category not in CATEGORIES:
            raise CatalogError(f"{filename}: {name!r} has unknown category {category!r}")
        if name in entries:
            raise CatalogError(f"{name!r} is defined twice, in {entries[name].defined_in} "
                               f"and {filename}")
        # Checked against the vocabulary just above.
        entries[name] = Entry(Known(name, cast(Category, category)), filename)
    return entries


def _add_rules(entries: dict[str, Entry], filename: str, table: dict[str, object]) -> None:
    name = str(table["name"])
    entry = entries.get(name)
    if entry is None:
        raise CatalogError(f"{filename}: extends {name!r}, which no table defines")
    for key in ("implies", "shares"):
        getattr(entry, key).extend(_strings(table.get(key, []), filename, name, key))
    if "versioned" in table:
        rules = _strings(table["versioned"], filename, name, "versioned")
        entry.versioned = (entry.versioned or set()) | {
            (s, k) for s, _, k in (rule.partition(":") for rule in rules)}
    companion = table.get("companion", False)
    if not isinstance(companion, bool) or (companion and "category" in table):
        raise CatalogError(f"{filename}: {name!r}.companion must be a boolean, in an extension")
    for source in SOURCES:
        keys = _strings(table.get(source, []), filename, name, source)
        if "category" in table:
            entry.defined.update((source, key) for key in keys if not _STUBS.match(key))
        entry.companions.update((source, key) for key in keys if companion)
        entry.rules.setdefault(source, []).extend((key, filename) for key in keys)


def _strings(value: object, filename: str, name: str, key: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise CatalogError(f"{filename}: {name!r}.{key} must be a list of non-empty strings")
    return list(value)


def _implied(entries: Mapping[str, Entry], name: str) -> tuple[Known, ...]:
    """``name`` and everything it implies, transitively, each once, in a stable order.

    Only ``name`` keeps its rules' version: a library's version is not that of the
    framework or protocol it implies (djangorestframework 3.15 is no Django 3.15).
    """
    found: dict[str, Known] = {}
    pending = [name]
    while pending:
        current = pending.pop(0)
        if current not in found:
            known = entries[current].known
            # A driver's line declares its database as plainly as the database's own.
            implied = current != name and entries[name].known.category != "driver"
            found[current] = (known if current == name
                              else known.evolve(versioned=False, implied=implied))
            pending.extend(entries[current].implies)
    return tuple(found.values())


def _lookup_tables(
    entries: Mapping[str, Entry],
) -> Mapping[str, Mapping[str, tuple[Known, ...]]]:
    tables: dict[str, dict[str, dict[str, Known]]] = {}
    for name, entry in entries.items():
        expanded = _implied(entries, name)
        own = entry.defined if entry.versioned is None else entry.versioned
        for source, keys in entry.rules.items():
            table = tables.setdefault(source, {})
            for key, _ in keys:
                named = table.setdefault(key, {})
                # One key may name several technologies (a Quarkus extension is Quarkus
                # and its database); each is added once, versioned if any rule says so.
                # A companion is no sighting of its technology, nor of what that implies
                # (`react-error-overlay` is no Create React App, so no Jest).
                unseen = (source, key) in entry.companions
                for each in expanded:
                    known = (each.evolve(versioned=False) if each.name == name
                             and source in PACKAGE_SOURCES and (source, key) not in own
                             else each)
                    if unseen:
                        known = known.evolve(versioned=False, companion=True)
                    kept = named.get(known.name)
                    if kept is None or (known.versioned and not kept.versioned) or (
                            kept.implied and not known.implied):
                        named[known.name] = known
    for table in (tables[s] for s in CASELESS_SOURCES & tables.keys()):
        for key, named in list(table.items()):
            folded = table.setdefault(key.lower(), {})
            folded.update({n: k for n, k in named.items() if n not in folded})
    return MappingProxyType({s: MappingProxyType({k: tuple(n.values()) for k, n in t.items()})
                             for s, t in tables.items()})


def _shipped_folder() -> str | None:
    """The catalog folder as plain files beside this module, or None (a zipped package).

    Read with `os`, not importlib.resources, which with the zipfile and tempfile it imports
    costs every cold run some 4 ms.
    """
    folder = os.path.join(os.path.dirname(os.path.dirname(__file__)), "resources", "catalog")
    return folder if os.path.isdir(folder) else None


def catalog_files() -> list[tuple[str, str]]:
    """Every shipped ``*.toml`` catalog file, as (file name, text)."""
    folder = _shipped_folder()
    if folder is not None:
        names = [name for name in os.listdir(folder) if name.endswith(".toml")]
        texts = []
        for name in names:
            with open(os.path.join(folder, name), encoding="utf-8") as stream:
                texts.append(stream.read())
        return sorted(zip(names, texts, strict=True))
    from importlib import resources  # noqa: PLC0415  (a zipped package only)

    found = resources.files("backend_persona").joinpath("resources", "catalog")
    return sorted((entry.name, entry.read_text("utf-8")) for entry in found.iterdir()
                  if entry.name.endswith(".toml"))


@cache
def shipped() -> Catalog:
    """The catalog the package ships, loaded once per process.

    The merged result is cached as JSON (`catalog_cache`), named by the files' sizes and
    modification times (by a hash of their text in a zipped package); a missing, stale or
    unreadable cache is rebuilt.
    """
    folder = _shipped_folder()
    signature = catalog_cache.folder_signature(folder) if folder is not None else None
    files = None if signature is not None else catalog_files()
    path = (catalog_cache.cache_stat_path(signature) if signature is not None
            else catalog_cache.cache_path(files or []))
    cached = catalog_cache.read(path)
    if cached is not None:
        try:
            technologies, tables = catalog_cache.thaw(cached, CATEGORIES,
                                                      lambda: load(catalog_files()).tables)
            return Catalog(MappingProxyType(technologies), tables)
        except (ValueError, TypeError, KeyError, AttributeError):
            pass  # Not what this version wrote: compile it again.
    compiled = load(catalog_files() if files is None else files)
    # Files changed while they were read would be cached under the older ones' name.
    if signature is None or catalog_cache.folder_signature(str(folder)) == signature:
        catalog_cache.write(path, catalog_cache.freeze(compiled.technologies, compiled.tables))
    return compiled


def source(name: str) -> Mapping[str, tuple[Known, ...]]:
    """The shipped lookup table of rule source ``name``."""
    return shipped().source(name)


def named(name: str) -> Known:
    """The shipped technology called ``name``."""
    return shipped().named(name)


def match(source_name: str, key: str) -> tuple[Known, ...]:
    """What ``key`` stands for in the shipped rule source ``source_name``."""
    return matcher(source(source_name), caseless=source_name in CASELESS_SOURCES)(key)


def technologies(
    source_name: str,
    dependency: str,
    evidence: Citation,
    version: str | None = None,
    scope: Scope = "runtime",
) -> Iterator[Sighting]:
    """Yield the technologies that ``dependency`` stands for, citing ``evidence``.

    Args:
        source_name: The rule source the id belongs to (``npm``, ``go``, ``image``...).
        dependency: The dependency as the manifest names it.
        evidence: The citation, or a function that makes it: called only when the
            dependency is known, so that unknown ones cost no search of the file.
        version: The version the manifest pins, if any.
        scope: Where the dependency is used.
    """
    yield from found(match(source_name, dependency), evidence, version, scope)


def found(
    known: tuple[Known, ...],
    evidence: Citation,
    version: str | None = None,
    scope: Scope = "runtime",
) -> Iterator[Sighting]:
    """Yield ``known`` as technologies citing ``evidence``; see `technologies`."""
    if not known:
        return
    citation = cited(evidence)
    # Checked once for every technology the rule names: the check redacts the version.
    checked = None if version is None else safe_version(version)
    for each in known:
        if each.companion:  # A plugin's rule proves nothing.
            continue
        category = each.category
        # A driver's version is not the server's, and only the rule's own technology's
        # version is the one pinned (`own_version`).
        pinned = checked if each.versioned and category not in _SERVER_CATEGORIES else None
        yield Sighting(name=each.name, category=category, version=pinned,
                       scope=TOOL_SCOPES.get(category, scope), evidence=[citation],
                       implied=each.implied)


def own_version(known: Known, version: str | None) -> str | None:
    """``version`` if the rule that found ``known`` pins its own version, else None."""
    return version if known.versioned else None

