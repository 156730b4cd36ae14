"""Database migrations and schemas, named by the tool that runs them.

The catalog's ``artifact`` rules turn a kind into a technology (``flyway`` is Flyway).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from backend_persona.discover.index import FileIndex, display, parent_of
from backend_persona.discover.registry import Finding
from backend_persona.models import Artifact

_FLYWAY = re.compile(r"^[VUR]\d*(?:[._]\d+)*__.+\.sql$")
_NUMBERED_UP_DOWN = re.compile(r"^\d+_.+\.(up|down)\.sql$")
# Pop (and Ory's popx) write one file per dialect: `20150100000001000000_networks.mysql.up.sql`.
_POP = re.compile(r"^\d+_.+\.(postgres|mysql|sqlite3?|cockroach|mssql)\.(up|down)\.sql$")
# sqlx takes any integer version (`1_setup.sql`, `20240101120000_users.sql`), reversible or not.
_SQLX = re.compile(r"^\d+_[\w-]+(\.up|\.down)?\.sql$")
_DIESEL = re.compile(r"(^|/)migrations/\d{4}-\d{2}-\d{2}-\d{6}_[\w-]+/(up|down)\.sql$")
_DJANGO = re.compile(r"/migrations/\d{4}_\w+\.py$")
_RAILS = re.compile(r"(^|/)db/migrate/\d+_\w+\.rb$")
_ECTO = re.compile(r"(^|/)priv/\w+/migrations/\d+_\w+\.exs$")
# `php artisan make:migration` names files by timestamp under `database/migrations/`.
_LARAVEL = re.compile(r"(^|/)database/migrations/\d{4}_\d{2}_\d{2}_\d{6}_\w+\.php$")
# `dotnet ef migrations add` writes `Migrations/<14-digit timestamp>_<Name>.cs` and a
# `.Designer.cs` beside it: `\w+` stops at the dot, so the designer half (the same
# migration) is not listed twice.
_EF_CORE = re.compile(r"(^|/)Migrations/\d{14}_\w+\.cs$")
_LIQUIBASE = re.compile(r"changelog.*\.(xml|ya?ml|json|sql)$", re.IGNORECASE)
_MIGRATION_FOLDERS = frozenset({"migrations", "migration", "migrate", "db", "sql", "schema",
                                "flyway", "changelog", "changelogs", "schemas", "database"})


def detect(index: FileIndex) -> Iterator[Finding]:
    """SQL migrations (Flyway, goose, golang-migrate, sqlx, Diesel, Prisma) and code ones."""
    for path in index.with_suffix(".sql"):
        kind = _sql_kind(index, path)
        if kind:
            yield Artifact(section="migration", kind=kind, path=display(path))
    yield from _code_migrations(index)
    for path in index.with_suffix(".xml", ".yaml", ".yml", ".json"):
        name = path.rpartition("/")[2]
        if name.startswith("db.changelog") or (
            _LIQUIBASE.search(name) and _is_liquibase(index, path)
        ):
            yield Artifact(section="migration", kind="liquibase", path=display(path))


def _code_migrations(index: FileIndex) -> Iterator[Artifact]:
    for path in index.with_suffix(".py"):
        if _DJANGO.search("/" + path):
            yield Artifact(section="migration", kind="django", path=display(path))
        elif "/versions/" in f"/{path}" and _has_alembic_env(index, path):
            yield Artifact(section="migration", kind="alembic", path=display(path))
    for path in index.with_suffix(".rb"):
        if _RAILS.search(path):
            yield Artifact(section="migration", kind="rails", path=display(path))
    for path in index.with_suffix(".exs"):
        if _ECTO.search(path):
            yield Artifact(section="migration", kind="ecto", path=display(path))
    for path in index.with_suffix(".php"):
        if _LARAVEL.search(path):
            yield Artifact(section="migration", kind="laravel", path=display(path))
    for path in index.with_suffix(".cs"):
        if _EF_CORE.search(path):
            yield Artifact(section="migration", kind="ef-core", path=display(path))


def _sql_kind(index: FileIndex, path: str) -> str | None:  # noqa: PLR0911  (a decision table)
    name = path.rpartition("/")[2]
    folders = set(parent_of(path).lower().split("/"))
    if "/prisma/migrations/" in f"/{path}":
        return "prisma"
    if _FLYWAY.match(name):
        return "flyway"
    if name[:1].isdigit() and _goose_folder(index, path):
        return "goose"
    if index.named("Cargo.toml"):
        if _DIESEL.search(path):
            return "diesel"
        if _SQLX.match(name) and "migrations" in folders:
            return "sqlx"
    if _POP.match(name):
        return "pop"
    if _NUMBERED_UP_DOWN.match(name):
        return "golang-migrate"
    if folders & _MIGRATION_FOLDERS:
        return "sql"
    if "schema" in name.lower() or "migration" in name.lower():
        return "schema"
    return None


def _goose_folder(index: FileIndex, path: str) -> bool:
    # goose names its files by version and annotates every one of them, so the first
    # numbered file of a folder speaks for the folder: one read, not one per migration.
    stored = index.memo.get("goose-folders")
    verdicts: dict[str, str | bool] = stored if isinstance(stored, dict) else {}
    folder = parent_of(path)
    if not isinstance(stored, dict):
        index.memo["goose-folders"] = verdicts
        for candidate in index.with_suffix(".sql"):
            if candidate.rpartition("/")[2][:1].isdigit():
                verdicts.setdefault(parent_of(candidate), candidate)
    first = verdicts.get(folder)
    if isinstance(first, str):
        verdicts[folder] = "+goose" in (index.read_head(first, 1024) or "")
    return verdicts.get(folder) is True


def _is_liquibase(index: FileIndex, path: str) -> bool:
    # Quarkus and others default to `db/changeLog.xml`: the root element says what it is.
    return "liquibase" in path.lower() or "databaseChangeLog" in (index.read_head(path, 1024) or "")


def _has_alembic_env(index: FileIndex, path: str) -> bool:
    folder = parent_of(parent_of(path))
    env = "env.py" if folder == "." else f"{folder}/env.py"
    return env in index.named("env.py")
