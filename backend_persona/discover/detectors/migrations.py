"""Database migrations, named by the tool that runs them, and the SQL that migrates nothing.

A file is a migration when a migration tool's layout and file conventions say so; the
folder that holds a set of migrations gets one tool, the one most of its files name.
Init scripts (Spring's ``schema.sql`` and ``data.sql``, a container's ``init.sql``) and
dumps are schema files: they describe or seed a database, and no tool versions them.
The catalog's ``artifact`` rules turn a kind into a technology (``flyway`` is Flyway).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from backend_persona.discover.index import FileIndex, parent_of
from backend_persona.discover.registry import Finding
from backend_persona.records import Artifact
from backend_persona.safefs import printable

_FLYWAY = re.compile(r"^[VUR]\d*(?:[._]\d+)*__.+\.sql$")
_NUMBERED_UP_DOWN = re.compile(r"^\d+_.+\.(up|down)\.sql$")
# Pop (and Ory's popx) write one file per dialect: `20150100000001000000_networks.mysql.up.sql`.
_POP = re.compile(r"^\d+_.+\.(postgres|mysql|sqlite3?|cockroach|mssql)\.(up|down)\.sql$")
# sqlx takes any integer version (`1_setup.sql`, `20240101120000_users.sql`), reversible or not.
_SQLX = re.compile(r"^\d+_[\w-]+(\.up|\.down)?\.sql$")
# Diesel's folders are `<version>_<name>`: `2024-01-02-030405_posts` from `diesel migration
# generate`, and `00000000000000_diesel_initial_setup` from `diesel setup`.
_DIESEL = re.compile(r"(^|/)migrations/\d[\d-]*_[\w-]+/(up|down)\.sql$")
_DJANGO = re.compile(r"/\w*migrations/\d{4}_\w+\.py$")
_RAILS = re.compile(r"(^|/)db/migrate/\d+_\w+\.rb$")
_ECTO = re.compile(r"(^|/)priv/\w+/migrations/\d+_\w+\.exs$")
# Laravel runs every PHP file of `database/migrations/`, whatever its name: `make:migration`
# writes timestamps, but hand-named and renamed files run all the same.
_LARAVEL = re.compile(r"(^|/)database/migrations/[^/]+\.php$")
# `dotnet ef migrations add` writes `Migrations/<14-digit timestamp>_<Name>.cs` and a
# `.Designer.cs` beside it: `\w+` stops at the dot, so the designer half (the same
# migration) is not listed twice.
_EF_CORE = re.compile(r"(^|/)Migrations/\d{14}_\w+\.cs$")
# `sea-orm-cli migrate generate` writes `migration/src/m<date>_<time>_<name>.rs`.
_SEA_ORM = re.compile(r"(^|/)migration/src/m\d{8}_\d{6}_\w+\.rs$")
# refinery reads `V<n>__<name>.rs` (or `.sql`, Flyway's naming) from a `migrations` folder.
_REFINERY_RS = re.compile(r"(^|/)migrations/[VU]\d+__\w+\.rs$")
# Knex, Sequelize and TypeORM name files by timestamp, MikroORM `Migration<timestamp>`.
_JS_MIGRATION = re.compile(r"^(?:Migration)?\d{8,}[\w.-]*\.(?:[cm]?js|[cm]?ts)$")
# What the first file of a JavaScript migrations folder imports or implements, by tool.
_JS_MARKERS = (("mikro-orm", "@mikro-orm/"), ("typeorm", "MigrationInterface"),
               ("sequelize", "queryInterface"), ("knex", "knex"))
_LIQUIBASE = re.compile(r"changelog.*\.(xml|ya?ml|json|sql)$", re.IGNORECASE)
# Folders whose numbered SQL files are migrations even when no tool's convention names them.
_MIGRATION_FOLDERS = frozenset({"migrations", "migration", "migrate", "flyway", "changelog",
                                "changelogs"})
# Folders where a one-off dump or a hand-run script is kept: their files' first bytes are read.
_DATABASE_FOLDERS = frozenset({"db", "sql", "database", "schema", "schemas", "dump", "dumps",
                               "backup", "backups"})
_TOOLS_BY_MARKER = (("goose", "+goose"), ("dbmate", "-- migrate:up"))
# Spring Boot's `schema.sql`, `data.sql` and `schema-<platform>.sql`, Hibernate's
# `import.sql`, a container's `init.sql`: each runs whole at start-up.
_INIT_SCRIPT = re.compile(r"^(?:schema|data|init|initdb|seed|seeds|import)(?:[-_.]\w+)?$")
_INIT_FOLDERS = frozenset({"docker-entrypoint-initdb.d", "initdb", "init", "seed", "seeds"})
_DUMP_NAME = re.compile(r"(?:^|[-_.])(?:dump|backup)(?:[-_.]|$)")
_DUMP_BANNER = re.compile(r"(?:PostgreSQL|MySQL|MariaDB|SQLite) (?:database )?dump|pg_dump",
                          re.IGNORECASE)
# A sqlx dependency line (`sqlx = "0.8"`, `sqlx.workspace = true`, `[dependencies.sqlx]`),
# not a comment that says it went.
_SQLX_DEPENDENCY = re.compile(r"^\s*(?:sqlx\s*[=.]|\[(?:[\w.-]+\.)?dependencies\.sqlx\])",
                              re.MULTILINE)
# Where one migration is a folder (Diesel's `up.sql`, Prisma's `migration.sql`), the set is
# the folder above it.
_PER_MIGRATION_FOLDER = frozenset({"up.sql", "down.sql", "migration.sql"})


def detect(index: FileIndex) -> Iterator[Finding]:
    """Migrations of every tool (SQL and code), Liquibase changelogs, and schema files."""
    yield from _sql_files(index)
    yield from _code_migrations(index)
    for path in index.with_suffix(".xml", ".yaml", ".yml", ".json"):
        name = path.rpartition("/")[2]
        if name.startswith("db.changelog") or (
            _LIQUIBASE.search(name) and _is_liquibase(index, path)
        ):
            yield Artifact(section="migration", kind="liquibase", path=printable(path))


def _sql_files(index: FileIndex) -> Iterator[Artifact]:
    paths = index.with_suffix(".sql")
    sqlx = bool(paths) and _uses_sqlx(index)
    crates = bool(index.named("Cargo.toml"))  # once, not once per SQL file
    kinds = {path: _sql_kind(index, path, sqlx, crates) for path in paths}
    tools = _folder_tools(kinds)
    for path, kind in kinds.items():
        # A folder's tool runs every file in it: Flyway's `afterMigrate.sql` callback and
        # a golang-migrate folder's odd `0_init.sql` are that tool's files too.
        tool = tools.get(_migration_set(path), kind)
        if tool:
            yield Artifact(section="migration", kind=tool, path=printable(path))
            continue
        schema = _schema_kind(index, path)
        if schema:
            yield Artifact(section="schema", kind=schema, path=printable(path))


def _migration_set(path: str) -> str:
    """The folder that holds ``path``'s set of migrations."""
    folder = parent_of(path)
    if path.rpartition("/")[2] in _PER_MIGRATION_FOLDER:
        return parent_of(folder)
    return folder


def _folder_tools(kinds: dict[str, str | None]) -> dict[str, str]:
    """Each migration set's tool: the one most of its files name, ties by name."""
    votes: dict[str, Counter[str]] = {}
    for path, kind in kinds.items():
        # "sql" names no tool: it never outvotes one, and never spreads to a folder.
        if kind and kind != "sql":
            folder = _migration_set(path)
            counts = votes.get(folder)
            if counts is None:  # not setdefault: that would make a Counter per file
                counts = votes[folder] = Counter()
            counts[kind] += 1
    return {folder: min(counts.items(), key=lambda i: (-i[1], i[0]))[0]
            for folder, counts in votes.items()}


def _uses_sqlx(index: FileIndex) -> bool:
    """Whether a crate of the repository declares sqlx: numbered SQL is not its alone.

    Rauthy's `migrations/hiqlite/1_init.sql` look like sqlx's and are hiqlite's.
    """
    return any(_SQLX_DEPENDENCY.search(index.read_text(path) or "")
               for path in index.named("Cargo.toml"))


def _sql_kind(  # noqa: PLR0911  (a decision table)
    index: FileIndex, path: str, sqlx: bool, crates: bool
) -> str | None:
    name = path.rpartition("/")[2]
    folder = parent_of(path)
    if "/prisma/migrations/" in f"/{path}":
        return "prisma"
    # drizzle-kit keeps its journal beside the SQL it generates; Atlas its checksum file.
    if _sibling(index, folder, "meta/_journal.json"):
        return "drizzle"
    if _sibling(index, folder, "atlas.sum"):
        return "atlas"
    if _FLYWAY.match(name):
        # refinery shares Flyway's naming; a JVM classpath folder is Flyway's whatever
        # manifest sits above it.
        rust = "/resources/" not in f"/{path}" and _nearest_build(index, folder) == "Cargo.toml"
        return "refinery" if rust else "flyway"
    marked = _folder_marker(index, path) if name[:1].isdigit() else None
    if marked:
        return marked
    if crates:  # a Cargo.toml anywhere
        if _DIESEL.search(path):
            return "diesel"
        if sqlx and _SQLX.match(name) and "migrations" in folder.lower().split("/"):
            return "sqlx"
    if _POP.match(name):
        return "pop"
    if _NUMBERED_UP_DOWN.match(name):
        return "golang-migrate"
    if name[:1].isdigit() and set(folder.lower().split("/")) & _MIGRATION_FOLDERS:
        return "sql"
    return None


def _schema_kind(index: FileIndex, path: str) -> str | None:
    """``init-script``, ``dump`` or ``schema`` for SQL that no migration tool runs."""
    folder, _, name = path.rpartition("/")
    stem = name.lower().removesuffix(".sql")
    segments = set(folder.lower().split("/"))
    if _DUMP_NAME.search(stem) or (
        segments & _DATABASE_FOLDERS and _DUMP_BANNER.search(index.read_head(path, 512) or "")
    ):
        return "dump"
    if _INIT_SCRIPT.match(stem) or segments & _INIT_FOLDERS:
        return "init-script"
    if "schema" in stem or "structure" in stem or segments & {"schema", "schemas"}:
        return "schema"
    return None


def _sibling(index: FileIndex, folder: str, name: str) -> bool:
    """Whether ``folder`` holds the file ``name`` (which may be in a subfolder)."""
    path = name if folder == "." else f"{folder}/{name}"
    return index.has(path)


def _nearest_build(index: FileIndex, folder: str) -> str | None:
    """The build manifest of the nearest folder, from ``folder`` up, that has one."""
    while True:
        for manifest in ("Cargo.toml", "pom.xml", "build.gradle", "build.gradle.kts"):
            if _sibling(index, folder, manifest):
                return manifest
        if folder == ".":
            return None
        folder = parent_of(folder)


def _folder_marker(index: FileIndex, path: str) -> str | None:
    # goose and dbmate annotate every file they run, so the first numbered file of a
    # folder speaks for the folder: one read, not one per migration.
    stored = index.memo.get("migration-markers")
    verdicts: dict[str, str | tuple[str | None]] = stored if isinstance(stored, dict) else {}
    if not isinstance(stored, dict):
        index.memo["migration-markers"] = verdicts
        for candidate in index.with_suffix(".sql"):
            if candidate.rpartition("/")[2][:1].isdigit():
                verdicts.setdefault(parent_of(candidate), candidate)
    first = verdicts[parent_of(path)]
    if isinstance(first, str):
        head = index.read_head(first, 1024) or ""
        first = verdicts[parent_of(path)] = (
            next((tool for tool, mark in _TOOLS_BY_MARKER if mark in head), None),)
    return first[0]


def _code_migrations(index: FileIndex) -> Iterator[Artifact]:
    yield from _python_migrations(index)
    for suffix, pattern, kind in ((".rb", _RAILS, "rails"), (".exs", _ECTO, "ecto"),
                                  (".php", _LARAVEL, "laravel"), (".cs", _EF_CORE, "ef-core"),
                                  (".rs", _SEA_ORM, "sea-orm"), (".rs", _REFINERY_RS, "refinery")):
        for path in index.with_suffix(suffix):
            if pattern.search(path):
                yield Artifact(section="migration", kind=kind, path=printable(path))
    yield from _javascript_migrations(index)


def _python_migrations(index: FileIndex) -> Iterator[Artifact]:
    for path in index.with_suffix(".py"):
        if _DJANGO.search("/" + path):
            yield Artifact(section="migration", kind="django", path=printable(path))
        elif "/versions/" in f"/{path}" and _has_alembic_env(index, path):
            yield Artifact(section="migration", kind="alembic", path=printable(path))


def _javascript_migrations(index: FileIndex) -> Iterator[Artifact]:
    """Knex, Sequelize, TypeORM and MikroORM files, by what a folder's first file uses."""
    tools: dict[str, str | None] = {}
    for path in index.with_suffix(".js", ".cjs", ".mjs", ".ts", ".cts", ".mts"):
        folder, _, name = path.rpartition("/")
        if not (_JS_MIGRATION.match(name) and folder.rpartition("/")[2] in _MIGRATION_FOLDERS):
            continue
        if folder not in tools:
            head = index.read_head(path, 2048) or ""
            tools[folder] = next((tool for tool, mark in _JS_MARKERS if mark in head), None)
        tool = tools[folder]
        if tool:
            yield Artifact(section="migration", kind=tool, path=printable(path))


def _is_liquibase(index: FileIndex, path: str) -> bool:
    # Quarkus and others default to `db/changeLog.xml`: the root element says what it is.
    return "liquibase" in path.lower() or "databaseChangeLog" in (index.read_head(path, 1024) or "")


def _has_alembic_env(index: FileIndex, path: str) -> bool:
    folder = parent_of(parent_of(path))
    env = "env.py" if folder == "." else f"{folder}/env.py"
    return index.has(env)
