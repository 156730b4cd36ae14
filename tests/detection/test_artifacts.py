"""API schemas, migrations by tool, infrastructure and CI: exact artifact lists per fixture."""

from __future__ import annotations

import pytest

from backend_persona.models import ProjectContext, Section
from tests.detection.conftest import Detect
from tests.detection.corpus import Case, row_id

APIS = Case("apis", {
    # OpenAPI by content: neither the name nor the folder says "openapi".
    "contracts/orders-service.yaml": """openapi: 3.1.0
info:
  title: Orders
  version: 1.0.0
paths: {}
""",
    "docs/legacy/swagger.json": '{\n  "swagger": "2.0",\n  "info": {"title": "Legacy"},\n'
                                '  "paths": {}\n}\n',
    "proto/orders/v1/orders.proto": """syntax = "proto3";

package orders.v1;

service OrderService {
  rpc PlaceOrder(PlaceOrderRequest) returns (PlaceOrderResponse);
}

service OrderAdminService{
  rpc Refund(RefundRequest) returns (RefundResponse);
}

message PlaceOrderRequest {}
message PlaceOrderResponse {}
message RefundRequest {}
message RefundResponse {}
""",
    "proto/common/v1/money.proto": 'syntax = "proto3";\n\npackage common.v1;\n\n'
                                   "message Money { int64 units = 1; }\n",
    "buf.yaml": "version: v2\nmodules:\n  - path: proto\n",
    "buf.gen.yaml": "version: v2\nplugins:\n  - remote: buf.build/protocolbuffers/go\n",
    "graph/schema.graphqls": "type Query {\n  order(id: ID!): Order\n}\n\ntype Order { id: ID! }\n",
    "events/asyncapi.yaml": "asyncapi: 3.0.0\ninfo:\n  title: Order events\n  version: 1.0.0\n",
    "events/avro/order_created.avsc": '{"type": "record", "name": "OrderCreated", "fields": []}\n',
    # Traps: an `openapi:` job in a workflow and an `openapi` setting are not API definitions.
    ".github/workflows/openapi.yml": """name: openapi
on: [push]
jobs:
  openapi:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
""",
    "config/app.yaml": "server:\n  port: 8080\nfeatures:\n  openapi: true\n  swagger: false\n",
    "package.json": '{"name": "api-docs", "devDependencies": {"@redocly/cli": "^1.25.0"}}\n',
})

MIGRATIONS = Case("migrations", {
    "Cargo.toml": '[package]\nname = "ledger"\nversion = "0.1.0"\n\n[dependencies]\n'
                  'sqlx = { version = "0.8", features = ["postgres"] }\n',
    "src/main.rs": "fn main() {}\n",
    "migrations/20240105120000_create_accounts.sql": "CREATE TABLE accounts (id uuid);\n",
    "migrations/20240106120000_add_balance.sql": "ALTER TABLE accounts ADD balance numeric;\n",
    "go/db/migrations/20240101000000_init.sql": "-- +goose Up\nCREATE TABLE t (id int);\n",
    "go/db/migrate/000001_users.up.sql": "CREATE TABLE users (id int);\n",
    "go/db/migrate/000001_users.down.sql": "DROP TABLE users;\n",
    "java/src/main/resources/db/migration/V1__init.sql": "CREATE TABLE a (id int);\n",
    "java/src/main/resources/db/migration/V1_1__add_index.sql": "CREATE INDEX i ON a (id);\n",
    "java/src/main/resources/db/changelog/db.changelog-master.yaml":
        "databaseChangeLog:\n  - include:\n      file: changes/001.sql\n",
    "web/prisma/migrations/20240101000000_init/migration.sql": "CREATE TABLE b (id int);\n",
    "web/prisma/migrations/migration_lock.toml": 'provider = "postgresql"\n',
    "py/alembic/env.py": "from alembic import context\n",
    "py/alembic/versions/ab12cd34ef56_init.py": "revision = 'ab12cd34ef56'\n",
    "py/shop/migrations/__init__.py": "",
    "py/shop/migrations/0001_initial.py": "from django.db import migrations\n",
    "py/shop/migrations/0002_order_total.py": "from django.db import migrations\n",
    "rb/db/migrate/20240101000000_create_users.rb": "class CreateUsers; end\n",
    "rb/db/schema.rb": "ActiveRecord::Schema.define do\nend\n",
    # Traps: SQL that migrates nothing, and a `versions/` folder without Alembic's env.py.
    "scripts/cleanup.sql": "DELETE FROM sessions WHERE expires_at < now();\n",
    "api/versions/v1.py": "VERSION = 1\n",
    "CHANGELOG.md": "# Changelog\n",
})

# Issue 11's repositories: Spring's init scripts and a dump beside Flyway's migrations,
# Laravel's `database/migrations/`, and Diesel's `diesel setup` folder beside its siblings.
SCHEMA_FILES = Case("schema-files", {
    "pom.xml": "<project><artifactId>shop</artifactId></project>\n",
    "src/main/resources/schema.sql": "CREATE TABLE t (id int);\n",
    "src/main/resources/data.sql": "INSERT INTO t VALUES (1);\n",
    "src/main/resources/schema-postgresql.sql": "CREATE TABLE t (id int);\n",
    "src/main/resources/db/migration/V1__init.sql": "CREATE TABLE a (id int);\n",
    "src/main/resources/db/migration/afterMigrate.sql": "ANALYZE;\n",
    "db/shop_2023-04-01.sql": "-- PostgreSQL database dump\nSET x = 1;\n",
    "docker/initdb/01-users.sql": "CREATE USER app;\n",
    "sql/queries.sql": "SELECT 1;\n",
})

LARAVEL = Case("laravel", {
    "composer.json": '{"require": {"laravel/framework": "^11.0"}}\n',
    "database/migrations/0001_01_01_000000_create_users_table.php": "<?php\n",
    "database/migrations/2024_05_01_120000_create_orders_table.php": "<?php\n",
    "database/migrations/create_audit_log.php": "<?php\n",
    "database/seeders/DatabaseSeeder.php": "<?php\n",
})

DIESEL = Case("diesel", {
    "Cargo.toml": '[package]\nname = "blog"\nversion = "0.1.0"\n\n[dependencies]\n'
                  'diesel = "2"\n',
    "migrations/00000000000000_diesel_initial_setup/up.sql": "CREATE FUNCTION f();\n",
    "migrations/00000000000000_diesel_initial_setup/down.sql": "DROP FUNCTION f();\n",
    "migrations/2024-01-02-030405_posts/up.sql": "CREATE TABLE posts (id int);\n",
    "migrations/2024-01-02-030405_posts/down.sql": "DROP TABLE posts;\n",
})

# One folder per tool, each named by its own layout or the first file's contents.
TOOLS = Case("migration-tools", {
    "dbmate/db/migrations/20240101000000_users.sql": "-- migrate:up\ncreate table u();\n",
    "atlas/migrations/20240101000000_users.sql": "create table u();\n",
    "atlas/migrations/atlas.sum": "h1:abc=\n",
    "web/drizzle/0000_init.sql": "CREATE TABLE u ();\n",
    "web/drizzle/meta/_journal.json": '{"entries": []}\n',
    "knex/migrations/20240101120000_users.js": "exports.up = (knex) => knex.schema;\n",
    "typeorm/src/migrations/1700000000000-Users.ts":
        "import { MigrationInterface } from 'typeorm';\n",
    "sequelize/migrations/20240101000000-users.js":
        "module.exports = { up: async (queryInterface) => {} };\n",
    "mikro/src/migrations/Migration20240101000000.ts":
        "import { Migration } from '@mikro-orm/migrations';\n",
    "sea/migration/src/m20220101_000001_create_table.rs": "pub struct Migration;\n",
    "refinery/Cargo.toml": '[package]\nname = "r"\nversion = "0.1.0"\n',
    "refinery/migrations/V1__users.sql": "create table u();\n",
    # Trap: a numbered script in a `scripts/` folder is no tool's migration.
    "knex/scripts/20240101_backfill.js": "console.log(1);\n",
})

DELIVERY = Case("delivery", {
    "Dockerfile": "FROM golang:1.23 AS build\n",
    "Dockerfile.dev": "FROM golang:1.23\n",
    "docker/api.Dockerfile": "FROM node:22-alpine\n",
    "worker/Containerfile": "FROM python:3.13-slim\n",
    "compose.yaml": "services:\n  api:\n    build: .\n",
    "k8s/base/deployment.yaml": """apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  template:
    spec:
      containers:
        - name: api
          image: ghcr.io/acme/api:1.0.0
""",
    "k8s/base/kustomization.yaml": "resources:\n  - deployment.yaml\n",
    "k8s/istio/virtual-service.yaml": """apiVersion: networking.istio.io/v1
kind: VirtualService
metadata:
  name: api
spec:
  hosts: ["api"]
""",
    "envoy/front-proxy.yaml": """static_resources:
  listeners:
    - name: listener_0
      address:
        socket_address: { address: 0.0.0.0, port_value: 10000 }
""",
    "charts/api/Chart.yaml": "apiVersion: v2\nname: api\nversion: 0.1.0\n",
    "charts/api/values.yaml": "image:\n  repository: ghcr.io/acme/api\n",
    "charts/api/templates/service.yaml": "apiVersion: v1\nkind: Service\n"
                                         "metadata:\n  name: {{ .Release.Name }}\n",
    "infra/main.tf": 'resource "aws_s3_bucket" "assets" {\n  bucket = "acme-assets"\n}\n',
    "skaffold.yaml": "apiVersion: skaffold/v4beta11\nkind: Config\n",
    ".github/workflows/ci.yml": "on: [push]\njobs: {}\n",
    ".github/workflows/release.yaml": "on: [release]\njobs: {}\n",
    ".gitlab-ci.yml": "stages: [test]\n",
    "Jenkinsfile": "pipeline { agent any }\n",
    ".circleci/config.yml": "version: 2.1\n",
    "azure-pipelines.yml": "trigger: [main]\n",
    # Traps: YAML that is neither infrastructure nor CI.
    "docs/example.yaml": "title: Example\nitems: [1, 2]\n",
    ".github/dependabot.yml": "version: 2\nupdates: []\n",
    "main.go": "package main\n",
    "go.mod": "module example.com/api\n\ngo 1.23\n",
})

# (case, section, [(kind, path, detail)]): the complete list for that section.
ARTIFACTS: list[tuple[Case, Section, list[tuple[str, str, str | None]]]] = [
    (APIS, "api", [
        ("buf", "buf.gen.yaml", None),
        ("buf", "buf.yaml", None),
        ("openapi", "contracts/orders-service.yaml", None),
        ("openapi", "docs/legacy/swagger.json", None),
        ("asyncapi", "events/asyncapi.yaml", None),
        ("avro", "events/avro/order_created.avsc", None),
        ("graphql", "graph/schema.graphqls", None),
        ("protobuf", "proto/common/v1/money.proto", None),
        ("protobuf", "proto/orders/v1/orders.proto",
         "services: OrderService, OrderAdminService"),
    ]),
    (MIGRATIONS, "migration", [
        ("goose", "go/db/migrations/20240101000000_init.sql", None),
        ("golang-migrate", "go/db/migrate/000001_users.down.sql", None),
        ("golang-migrate", "go/db/migrate/000001_users.up.sql", None),
        ("flyway", "java/src/main/resources/db/migration/V1_1__add_index.sql", None),
        ("flyway", "java/src/main/resources/db/migration/V1__init.sql", None),
        ("liquibase", "java/src/main/resources/db/changelog/db.changelog-master.yaml", None),
        ("sqlx", "migrations/20240105120000_create_accounts.sql", None),
        ("sqlx", "migrations/20240106120000_add_balance.sql", None),
        ("alembic", "py/alembic/versions/ab12cd34ef56_init.py", None),
        ("django", "py/shop/migrations/0001_initial.py", None),
        ("django", "py/shop/migrations/0002_order_total.py", None),
        ("rails", "rb/db/migrate/20240101000000_create_users.rb", None),
        ("prisma", "web/prisma/migrations/20240101000000_init/migration.sql", None),
    ]),
    (SCHEMA_FILES, "migration", [
        ("flyway", "src/main/resources/db/migration/V1__init.sql", None),
        ("flyway", "src/main/resources/db/migration/afterMigrate.sql", None),
    ]),
    (SCHEMA_FILES, "schema", [
        ("dump", "db/shop_2023-04-01.sql", None),
        ("init-script", "docker/initdb/01-users.sql", None),
        ("init-script", "src/main/resources/data.sql", None),
        ("init-script", "src/main/resources/schema-postgresql.sql", None),
        ("init-script", "src/main/resources/schema.sql", None),
    ]),
    (LARAVEL, "migration", [
        ("laravel", "database/migrations/0001_01_01_000000_create_users_table.php", None),
        ("laravel", "database/migrations/2024_05_01_120000_create_orders_table.php", None),
        ("laravel", "database/migrations/create_audit_log.php", None),
    ]),
    (DIESEL, "migration", [
        ("diesel", "migrations/00000000000000_diesel_initial_setup/down.sql", None),
        ("diesel", "migrations/00000000000000_diesel_initial_setup/up.sql", None),
        ("diesel", "migrations/2024-01-02-030405_posts/down.sql", None),
        ("diesel", "migrations/2024-01-02-030405_posts/up.sql", None),
    ]),
    (TOOLS, "migration", [
        ("atlas", "atlas/migrations/20240101000000_users.sql", None),
        ("dbmate", "dbmate/db/migrations/20240101000000_users.sql", None),
        ("knex", "knex/migrations/20240101120000_users.js", None),
        ("mikro-orm", "mikro/src/migrations/Migration20240101000000.ts", None),
        ("refinery", "refinery/migrations/V1__users.sql", None),
        ("sea-orm", "sea/migration/src/m20220101_000001_create_table.rs", None),
        ("sequelize", "sequelize/migrations/20240101000000-users.js", None),
        ("typeorm", "typeorm/src/migrations/1700000000000-Users.ts", None),
        ("drizzle", "web/drizzle/0000_init.sql", None),
    ]),
    (DELIVERY, "container", [
        ("dockerfile", "Dockerfile", None),
        ("dockerfile", "Dockerfile.dev", None),
        ("compose", "compose.yaml", None),
        ("dockerfile", "docker/api.Dockerfile", None),
        ("dockerfile", "worker/Containerfile", None),
    ]),
    (DELIVERY, "infra", [
        ("helm", "charts/api/Chart.yaml", None),
        ("envoy", "envoy/front-proxy.yaml", None),
        ("terraform", "infra/main.tf", None),
        ("kubernetes", "k8s/base/deployment.yaml", None),
        ("kustomize", "k8s/base/kustomization.yaml", None),
        ("istio", "k8s/istio/virtual-service.yaml", None),
        ("skaffold", "skaffold.yaml", None),
    ]),
    (DELIVERY, "ci", [
        ("circleci", ".circleci/config.yml", None),
        ("github-actions", ".github/workflows/ci.yml", None),
        ("github-actions", ".github/workflows/release.yaml", None),
        ("gitlab-ci", ".gitlab-ci.yml", None),
        ("jenkins", "Jenkinsfile", None),
        ("azure-pipelines", "azure-pipelines.yml", None),
    ]),
]

_SECTIONS = {"api": "api_definitions", "migration": "migrations", "schema": "schema_files",
             "container": "containers", "infra": "infra", "ci": "ci"}


def artifacts(context: ProjectContext, section: Section) -> list[tuple[str, str, str | None]]:
    return [(a.kind, a.path, a.detail) for a in getattr(context, _SECTIONS[section])]


@pytest.mark.parametrize(("case", "section", "expected"), ARTIFACTS, ids=row_id)
def test_artifacts(
    detect: Detect, case: Case, section: Section, expected: list[tuple[str, str, str | None]]
) -> None:
    assert artifacts(detect(case), section) == sorted(expected, key=lambda a: (a[1], a[0]))


@pytest.mark.parametrize("case", [APIS, MIGRATIONS, SCHEMA_FILES, LARAVEL, DIESEL, TOOLS, DELIVERY],
                         ids=row_id)
def test_artifacts_are_fixture_files(detect: Detect, case: Case) -> None:
    context = detect(case)
    for section in _SECTIONS:
        for _, path, _ in artifacts(context, section):  # type: ignore[arg-type]
            assert path in case.files


def test_migration_tools_are_named_with_evidence(detect: Detect) -> None:
    found = {t.name: t for t in detect(MIGRATIONS).technologies if t.category == "migrations"}
    # The tree's Django, Rails and Prisma migrations name their frameworks' migration tools
    # too, and its sqlx and Alembic folders theirs; `.up.sql` naming alone names no tool.
    assert set(found) == {"Flyway", "goose", "Liquibase", "Django migrations",
                          "Active Record Migrations", "Prisma Migrate", "SQLx migrations",
                          "Alembic"}
    assert found["goose"].evidence == ["go/db/migrations/20240101000000_init.sql"]
    assert found["Liquibase"].evidence == [
        "java/src/main/resources/db/changelog/db.changelog-master.yaml"]
    assert found["Flyway"].evidence == [
        "java/src/main/resources/db/migration/V1_1__add_index.sql",
        "java/src/main/resources/db/migration/V1__init.sql",
    ]


def test_init_scripts_name_no_migration_tool(detect: Detect) -> None:
    found = {t.name: t.evidence for t in detect(SCHEMA_FILES).technologies
             if t.category == "migrations"}
    assert found == {"Flyway": ["src/main/resources/db/migration/V1__init.sql",
                                "src/main/resources/db/migration/afterMigrate.sql"]}
