"""Datasources named in application config: JDBC URLs, Quarkus db-kind, Prisma providers.

Only a URL's scheme or a well-known key is ever matched; values are never kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from backend_persona.discover.catalog import Known
from backend_persona.discover.index import FileIndex, display
from backend_persona.discover.registry import Finding, detector
from backend_persona.models import Technology

_APP_CONFIG = re.compile(r"^(application|bootstrap)([-.][\w.-]+)?\.(properties|ya?ml)$")
_DJANGO_SETTINGS = re.compile(r"/settings([_.]\w+)?\.py$|/settings/\w+\.py$")

_DATABASES: dict[str, Known] = {
    "postgresql": Known("PostgreSQL", "datastore"),
    "postgres": Known("PostgreSQL", "datastore"),
    "pg": Known("PostgreSQL", "datastore"),
    "mysql": Known("MySQL", "datastore"),
    "mariadb": Known("MariaDB", "datastore"),
    "sqlserver": Known("SQL Server", "datastore"),
    "mssql": Known("SQL Server", "datastore"),
    "oracle": Known("Oracle Database", "datastore"),
    "sqlite": Known("SQLite", "datastore"),
    "sqlite3": Known("SQLite", "datastore"),
    "mongodb": Known("MongoDB", "datastore"),
    "cockroachdb": Known("CockroachDB", "datastore"),
    "h2": Known("H2", "datastore"),
}

# (pattern, technology) pairs; each pattern matches a key or a URL scheme, never a value.
_APP_PATTERNS: tuple[tuple[re.Pattern[str], Known | None], ...] = (
    (re.compile(r"\b(?:jdbc|r2dbc):(\w+):"), None),
    (re.compile(r"\bdb-kind\s*[=:]\s*[\"']?(\w+)"), None),
    (re.compile(r"kafka[.\w-]*bootstrap[.-]servers|smallrye-kafka|^\s*kafka\s*:", re.M),
     Known("Kafka", "broker")),
    (re.compile(r"\brabbitmq\b[.\w-]*\s*[=:]|smallrye-rabbitmq|^\s*rabbitmq\s*:", re.M),
     Known("RabbitMQ", "broker")),
    (re.compile(r"\b(?:spring\.data\.redis|spring\.redis|quarkus\.redis)\b|^\s*redis\s*:", re.M),
     Known("Redis", "datastore")),
    (re.compile(r"\b(?:spring\.data\.mongodb|quarkus\.mongodb)\b|^\s*mongodb\s*:", re.M),
     Known("MongoDB", "datastore")),
)
_PRISMA_PROVIDER = re.compile(r"datasource\s+\w+\s*\{[^}]*?provider\s*=\s*\"(\w+)\"", re.S)
_DJANGO_ENGINE = re.compile(r"django\.db\.backends\.(\w+)")
_ALEMBIC_URL = re.compile(r"^\s*sqlalchemy\.url\s*=\s*([a-z0-9]+)", re.M)


@detector("datasources")
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
            yield from _application_config(index, path)
        elif name.endswith(".prisma"):
            yield from _first_group(index, path, _PRISMA_PROVIDER)
        elif name == "alembic.ini":
            yield from _first_group(index, path, _ALEMBIC_URL)
        elif _DJANGO_SETTINGS.search("/" + path):
            yield from _first_group(index, path, _DJANGO_ENGINE)


def _at(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def _application_config(index: FileIndex, path: str) -> Iterator[Technology]:
    text = index.read_text(path) or ""
    for pattern, fixed in _APP_PATTERNS:
        for match in pattern.finditer(text):
            known = fixed or _DATABASES.get(match.group(1).lower())
            if known:
                yield Technology(name=known.name, category=known.category,
                                 evidence=[f"{display(path)}:{_at(text, match.start())}"])


def _first_group(index: FileIndex, path: str, pattern: re.Pattern[str]) -> Iterator[Technology]:
    text = index.read_text(path) or ""
    for match in pattern.finditer(text):
        known = _DATABASES.get(match.group(1).lower())
        if known:
            yield Technology(name=known.name, category=known.category,
                             evidence=[f"{display(path)}:{_at(text, match.start())}"])
