"""Managed datastores and brokers that Terraform provisions: ``terraform`` rules.

A rule is a resource type that is one technology whatever its arguments say
(``aws_msk_cluster``), or ``engine:WORD`` for the resources whose engine argument names the
technology: the longest WORD the engine contains wins (``aurora-postgresql``: ``postgres``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from backend_persona.discover import catalog
from backend_persona.discover.catalog import found
from backend_persona.discover.evidence import source
from backend_persona.discover.index import FileIndex
from backend_persona.discover.known import Known
from backend_persona.discover.perfile import per_file
from backend_persona.discover.registry import Finding
from backend_persona.discover.sighting import Sighting
from backend_persona.discover.versions import safe_version

_ENGINE_RULE = "engine:"

# A line start takes only its own indentation: `^\s*` would run on over every blank line
# below it, once per line.
_RESOURCE = re.compile(r'^[ \t]*resource\s+"(\w+)"\s+"[\w-]+"\s*\{', re.MULTILINE)
_ENGINE = re.compile(r'^[ \t]*(?:engine|database_version|engine_type)\s*=\s*"([\w.-]+)"',
                     re.MULTILINE)
_VERSION = re.compile(r'^[ \t]*(?:engine_version|kafka_version|redis_version)\s*=\s*"([\w.-]+)"',
                      re.MULTILINE)

# Resources whose engine argument names the technology.
_BY_ENGINE = frozenset({"aws_db_instance", "aws_rds_cluster", "aws_elasticache_cluster",
                        "aws_elasticache_replication_group", "aws_elasticache_serverless_cache",
                        "google_sql_database_instance", "aws_mq_broker"})


def detect(index: FileIndex) -> Iterator[Finding]:
    """Datastore and broker resources in ``*.tf`` files."""
    for path in index.with_suffix(".tf"):
        yield from per_file(index, path, _resources, index, path)


def _resources(index: FileIndex, path: str) -> Iterator[Sighting]:
    text = source(index, path)
    matches = list(_RESOURCE.finditer(text.text))
    for number, match in enumerate(matches):
        kind = match.group(1)
        body_end = matches[number + 1].start() if number + 1 < len(matches) else len(text.text)
        body = text.text[match.end():body_end]
        known, at = catalog.match("terraform", kind), match.start()
        if not known and kind in _BY_ENGINE:
            # The engine argument, not the resource type, names the server: cite its line.
            known, engine_at = _engine(body)
            at = match.end() + engine_at
        version = _VERSION.search(body) if known else None
        for technology in found(known, text.cite_at(at)):
            # The resource pins the server it provisions: its version is the server's.
            yield technology.evolve(
                version=safe_version(version.group(1)) if version else None)


@cache
def _engines() -> tuple[tuple[str, tuple[Known, ...]], ...]:
    """The ``engine:`` rules as (word, technologies), longest word first."""
    rules = [(key.removeprefix(_ENGINE_RULE), known)
             for key, known in catalog.source("terraform").items()
             if key.startswith(_ENGINE_RULE)]
    return tuple(sorted(rules, key=lambda rule: (-len(rule[0]), rule[0])))


def _engine(body: str) -> tuple[tuple[Known, ...], int]:
    """What a resource body's engine argument names, and the offset of that argument."""
    match = _ENGINE.search(body)
    if not match:
        return (), 0
    engine = match.group(1).lower()
    return next((known for word, known in _engines() if word in engine), ()), match.start(1)
