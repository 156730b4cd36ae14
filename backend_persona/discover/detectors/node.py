"""JavaScript and TypeScript packages: ``package.json`` dependencies and workspaces."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import Any

from backend_persona.discover.catalog import Known, k, safe_version, technologies
from backend_persona.discover.evidence import Source, source
from backend_persona.discover.index import FileIndex, display, parent_of
from backend_persona.discover.perfile import per_file
from backend_persona.discover.registry import Finding, detector
from backend_persona.models import Component, Scope, Technology

CATALOG: dict[str, tuple[Known, ...]] = {
    "express": k("Express", "framework"),
    "fastify": k("Fastify", "framework"),
    "@nestjs/core": k("NestJS", "framework"),
    "next": k("Next.js", "framework"),
    "koa": k("Koa", "framework"),
    "hono": k("Hono", "framework"),
    "@hapi/hapi": k("hapi", "framework"),
    "prisma": k("Prisma", "data-access"),
    "@prisma/client": k("Prisma", "data-access"),
    "typeorm": k("TypeORM", "data-access"),
    "drizzle-orm": k("Drizzle", "data-access"),
    "sequelize": k("Sequelize", "data-access"),
    "knex": k("Knex", "data-access"),
    "mongoose": (Known("Mongoose", "data-access"), Known("MongoDB", "datastore")),
    "mongodb": k("MongoDB", "datastore"),
    "pg": k("PostgreSQL", "datastore"),
    "postgres": k("PostgreSQL", "datastore"),
    "mysql2": k("MySQL", "datastore"),
    "mysql": k("MySQL", "datastore"),
    "better-sqlite3": k("SQLite", "datastore"),
    "sqlite3": k("SQLite", "datastore"),
    "ioredis": k("Redis", "datastore"),
    "redis": k("Redis", "datastore"),
    "kafkajs": k("Kafka", "broker"),
    "amqplib": k("RabbitMQ", "broker"),
    "nats": k("NATS", "broker"),
    "@grpc/grpc-js": k("gRPC", "rpc"),
    "@connectrpc/connect": k("ConnectRPC", "rpc"),
    "@connectrpc/connect-node": k("ConnectRPC", "rpc"),
    "graphql": k("GraphQL", "rpc"),
    "@apollo/server": k("Apollo Server", "framework"),
    "jest": k("Jest", "testing"),
    "vitest": k("Vitest", "testing"),
    "mocha": k("Mocha", "testing"),
    "@playwright/test": k("Playwright", "testing"),
    "testcontainers": k("Testcontainers", "testing"),
    "typescript": k("TypeScript", "build"),
    "@prisma/cli": k("Prisma", "data-access"),
    "@nestjs/graphql": k("GraphQL", "rpc"),
    "apollo-server-express": (Known("Apollo Server", "framework"), Known("GraphQL", "rpc")),
    "@nestjs/typeorm": k("TypeORM", "data-access"),
    "@nestjs/mongoose": (Known("Mongoose", "data-access"), Known("MongoDB", "datastore")),
    "@mikro-orm/core": k("MikroORM", "data-access"),
    "kysely": k("Kysely", "data-access"),
    "bullmq": (Known("BullMQ", "framework"), Known("Redis", "datastore")),
    "@elastic/elasticsearch": k("Elasticsearch", "datastore"),
    "@opensearch-project/opensearch": k("OpenSearch", "datastore"),
    "@clickhouse/client": k("ClickHouse", "datastore"),
    "cassandra-driver": k("Cassandra", "datastore"),
    "@google-cloud/spanner": k("Spanner", "datastore"),
    "@google-cloud/firestore": k("Firestore", "datastore"),
    "@google-cloud/pubsub": k("Google Pub/Sub", "broker"),
    "@temporalio/client": k("Temporal", "broker"),
    "@temporalio/worker": k("Temporal", "broker"),
}

_SECTIONS: tuple[tuple[str, Scope], ...] = (
    ("dependencies", "runtime"),
    ("peerDependencies", "runtime"),
    ("optionalDependencies", "runtime"),
    ("devDependencies", "dev"),
)


@detector("node")
def detect(index: FileIndex) -> Iterator[Finding]:
    """npm, pnpm and yarn packages, their frameworks, ORMs and drivers."""
    for path in index.named("package.json"):
        yield from per_file(index, path, _manifest, index, path)


def _manifest(index: FileIndex, path: str) -> Iterator[Finding]:
    data = index.read_json_object(path)
    if data is not None:
        yield from _package(path, source(index, path), data)


def _package(path: str, text: Source, data: dict[str, Any]) -> Iterator[Finding]:
    folder = parent_of(path)
    name = data.get("name")
    yield Component(
        path=display(folder),
        name=display(name if isinstance(name, str) and name else folder),
        ecosystems=["node"],
        manifests=[display(path)],
        workspace="workspaces" in data,
    )
    engines = data.get("engines")
    node_version = engines.get("node") if isinstance(engines, dict) else None
    yield Technology(name="Node.js", category="runtime", version=safe_version(node_version),
                     evidence=[display(path)])
    for section, scope in _SECTIONS:
        table = data.get(section)
        if not isinstance(table, dict):
            continue
        for dependency, version in table.items():
            yield from technologies(CATALOG, dependency,
                                    partial(text.cite, f'"{dependency}"'),
                                    version if isinstance(version, str) else None, scope)
