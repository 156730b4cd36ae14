"""Datasources named in application config: JDBC URLs, Quarkus db-kind, Prisma providers.

Only a URL's scheme or a well-known key is ever matched; values are never kept.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import partial

from backend_persona.discover import catalog
from backend_persona.discover.evidence import source
from backend_persona.discover.index import FileIndex
from backend_persona.discover.perfile import per_file
from backend_persona.discover.registry import Finding
from backend_persona.discover.sighting import Sighting

_APP_CONFIG = re.compile(r"^(application|bootstrap)([-.][\w.-]+)?\.(properties|ya?ml)$")
_DJANGO_SETTINGS = re.compile(r"/settings([_.]\w+)?\.py$|/settings/\w+\.py$")

# (pattern, scheme) pairs; each pattern matches a key or a URL scheme, never a value. A
# pattern's group is a database name as the `scheme` rules know it (`jdbc:postgresql:`,
# `db-kind=mysql`); a pattern without one names the server of the scheme beside it.
# Every one is linear: a line start takes only its own indentation (`^\s*` would run on over
# each blank line below it, once per line), and a key's middle is bounded (`[.\w-]*` would
# run to the end of a long word once for every `kafka` in it).
_APP_PATTERNS: tuple[tuple[re.Pattern[str], str | None], ...] = (
    (re.compile(r"\b(?:jdbc|r2dbc):(\w+):"), None),
    (re.compile(r"\bdb-kind\s*[=:]\s*[\"']?(\w+)"), None),
    (re.compile(r"kafka[.\w-]{0,100}bootstrap[.-]servers|smallrye-kafka|^[ \t]*kafka\s*:", re.M),
     "kafka"),
    (re.compile(r"\brabbitmq\b[.\w-]{0,100}\s*[=:]|smallrye-rabbitmq|^[ \t]*rabbitmq\s*:", re.M),
     "amqp"),
    (re.compile(r"\b(?:spring\.data\.redis|spring\.redis|quarkus\.redis)\b|^[ \t]*redis\s*:",
                re.M),
     "redis"),
    (re.compile(r"\b(?:spring\.data\.mongodb|quarkus\.mongodb)\b|^[ \t]*mongodb\s*:", re.M),
     "mongodb"),
)
# A Prisma datasource block, and the provider inside it (found by `_prisma_providers`).
_DATASOURCE = re.compile(r"datasource\s+\w+\s*\{")
_PRISMA_PROVIDER = re.compile(r"provider\s*=\s*\"(\w+)\"")
_DJANGO_ENGINE = re.compile(r"django\.db\.backends\.(\w+)")
_ALEMBIC_URL = re.compile(r"^[ \t]*sqlalchemy\.url\s*=\s*([a-z0-9]+)", re.M)


def detect(index: FileIndex) -> Iterator[Finding]:
    """Databases and brokers that application configuration connects to."""
    candidates = (
        index.with_name_prefix("application", "bootstrap")
        + index.with_suffix(".prisma")
        + index.named("alembic.ini")
        + [p for p in index.with_suffix(".py") if "settings" in p]
    )
    for path in sorted(set(candidates)):
        name = path.rpartition("/")[2]
        if _APP_CONFIG.match(name):
            yield from per_file(index, path, _application_config, index, path)
        elif name.endswith(".prisma"):
            yield from per_file(index, path, _named, index, path, _prisma_providers)
        elif name == "alembic.ini":
            yield from per_file(index, path, _named, index, path, _groups(_ALEMBIC_URL))
        elif _DJANGO_SETTINGS.search("/" + path):
            yield from per_file(index, path, _named, index, path, _groups(_DJANGO_ENGINE))


def _application_config(index: FileIndex, path: str) -> Iterator[Sighting]:
    text = source(index, path)
    for pattern, fixed in _APP_PATTERNS:
        for match in pattern.finditer(text.text):
            yield from catalog.technologies("scheme", fixed or match.group(1).lower(),
                                            partial(text.cite_at, match.start()))


# Where a file names a database, and the name it uses there.
Names = Callable[[str], Iterator[tuple[int, str]]]


def _groups(pattern: re.Pattern[str]) -> Names:
    def names(text: str) -> Iterator[tuple[int, str]]:
        return ((match.start(), match.group(1)) for match in pattern.finditer(text))
    return names


def _prisma_providers(text: str) -> Iterator[tuple[int, str]]:
    # A block ends at its first `}`; its provider is looked for inside it, once. A lazy
    # `\{[^}]*?provider` would search on to the end of the file from every unclosed block.
    at = 0
    while block := _DATASOURCE.search(text, at):
        end = text.find("}", block.end())
        at = len(text) if end < 0 else end
        provider = _PRISMA_PROVIDER.search(text, block.end(), at)
        if provider:
            # The provider line names the database; `datasource db {` does not.
            yield provider.start(), provider.group(1)


def _named(index: FileIndex, path: str, names: Names) -> Iterator[Sighting]:
    text = source(index, path)
    for offset, name in names(text.text):
        yield from catalog.technologies("scheme", name.lower(), partial(text.cite_at, offset))
