"""The services map of a monorepo: each component with its language, stack, data and APIs."""

from __future__ import annotations

import pytest

from backend_persona.discover import discover_context
from backend_persona.models import Component, Dependency
from backend_persona.render import MAX_MARKDOWN_CHARS, to_markdown
from tests.conftest import RepoFactory
from tests.detection.conftest import Detect
from tests.detection.corpus import Case, assert_evidence_is_real

MONOREPO = Case("monorepo", {
    "compose.yaml": """services:
  orders:
    build: ./services/orders
    depends_on: [postgres, redpanda]
    environment:
      DATABASE_URL: postgres://orders:Orders-Secret-81@postgres:5432/orders
      KAFKA_BROKERS: redpanda:9092
  billing:
    build:
      context: services/billing
      dockerfile: Dockerfile
    depends_on:
      redis:
        condition: service_healthy
  postgres:
    image: postgres:17.2
  redpanda:
    image: docker.redpanda.com/redpandadata/redpanda:v24.2.7
  redis:
    image: redis:7.4
""",
    "services/orders/go.mod": """module github.com/acme/shop/services/orders

go 1.23

require (
\tgithub.com/jackc/pgx/v5 v5.7.1
\tgithub.com/labstack/echo/v4 v4.12.0
\tgithub.com/twmb/franz-go v1.18.0
)
""",
    "services/orders/cmd/orders/main.go": "package main\n",
    "services/orders/internal/http/handler.go": "package http\n",
    "services/orders/internal/store/store.go": "package store\n",
    "services/orders/Dockerfile": "FROM golang:1.23\n",
    "services/orders/api/openapi.yaml": "openapi: 3.1.0\ninfo:\n  title: Orders\n"
                                        "  version: 1.0.0\npaths: {}\n",
    "services/orders/proto/orders/v1/orders.proto":
        'syntax = "proto3";\npackage orders.v1;\nservice OrderService {\n}\n',
    "services/billing/pyproject.toml": '[project]\nname = "billing"\n'
                                       'dependencies = ["fastapi>=0.115", "redis>=5.2"]\n',
    "services/billing/app/main.py": "from fastapi import FastAPI\n",
    "services/billing/app/invoices.py": "INVOICES = []\n",
    "services/billing/Dockerfile": "FROM python:3.13-slim\n",
})

ORDERS = Component(
    path="services/orders", name="orders", ecosystems=["go"],
    manifests=["services/orders/go.mod"], language="Go",
    # franz-go is a Kafka client; the Kafka the service talks to is the Redpanda it deploys.
    # The API definitions in its folder are technologies of it, but not frameworks: go.mod
    # declares neither OpenAPI nor Protocol Buffers. The OpenAPI document says it speaks REST.
    technologies=["Docker", "Echo", "Go", "OpenAPI", "pgx", "PostgreSQL", "Protocol Buffers",
                  "Redpanda", "REST"],
    frameworks=["Echo"], datastores=["PostgreSQL"], brokers=["Redpanda"],
    apis=["openapi: openapi.yaml", "protobuf: services: OrderService"],
    dependencies=[
        Dependency(name="github.com/jackc/pgx/v5", version="v5.7.1",
                   evidence=MONOREPO.at("services/orders/go.mod", "pgx"),
                   technologies=["pgx", "PostgreSQL"]),
        Dependency(name="github.com/labstack/echo/v4", version="v4.12.0",
                   evidence=MONOREPO.at("services/orders/go.mod", "echo"), technologies=["Echo"]),
        # What franz-go is to the catalog, whichever broker the service is deployed with.
        Dependency(name="github.com/twmb/franz-go", version="v1.18.0",
                   evidence=MONOREPO.at("services/orders/go.mod", "franz-go"),
                   technologies=["Kafka"]),
    ],
)
BILLING = Component(
    path="services/billing", name="billing", ecosystems=["python"],
    manifests=["services/billing/pyproject.toml"], language="Python",
    technologies=["Docker", "FastAPI", "Redis"], frameworks=["FastAPI"], datastores=["Redis"],
    dependencies=[
        Dependency(name="fastapi", version=">=0.115",
                   evidence=MONOREPO.at("services/billing/pyproject.toml", "fastapi"),
                   technologies=["FastAPI"]),
        Dependency(name="redis", version=">=5.2",
                   evidence=MONOREPO.at("services/billing/pyproject.toml", "redis"),
                   technologies=["Redis"]),
    ],
)


@pytest.mark.parametrize("expected", [ORDERS, BILLING], ids=["orders", "billing"])
def test_component(detect: Detect, expected: Component) -> None:
    found = {c.path: c for c in detect(MONOREPO).components}
    assert found[expected.path] == expected


def test_only_built_services_are_components(detect: Detect) -> None:
    assert [c.path for c in detect(MONOREPO).components] == ["services/billing",
                                                             "services/orders"]


def test_evidence_points_into_the_fixture(detect: Detect) -> None:
    assert_evidence_is_real(MONOREPO, detect(MONOREPO))


def test_markdown_shows_the_map_compactly(detect: Detect) -> None:
    markdown = to_markdown(detect(MONOREPO))
    assert len(markdown) <= MAX_MARKDOWN_CHARS
    assert "| `services/orders` | orders | Go | Echo | PostgreSQL, Redpanda " \
           "| openapi: openapi.yaml, protobuf: services: OrderService |" in markdown
    assert "| `services/billing` | billing | Python | FastAPI | Redis | - |" in markdown
    assert "Orders-Secret-81" not in markdown


def test_kafka_client_is_the_deployed_redpanda(detect: Detect) -> None:
    found = {t.name: t for t in detect(MONOREPO).technologies}
    assert "Kafka" not in found
    assert found["Redpanda"].evidence == ["compose.yaml:18", "services/orders/go.mod:8"]


def big_monorepo(services: int) -> dict[str, str]:
    files: dict[str, str] = {}
    compose = ["services:"]
    for number in range(services):
        name = f"service-{number:02d}"
        files[f"services/{name}/go.mod"] = (
            f"module github.com/acme/big/{name}\n\ngo 1.23\n\nrequire (\n"
            "\tgithub.com/go-chi/chi/v5 v5.1.0\n\tgithub.com/jackc/pgx/v5 v5.7.1\n"
            "\tgithub.com/nats-io/nats.go v1.37.0\n)\n")
        files[f"services/{name}/main.go"] = "package main\n"
        files[f"services/{name}/api/{name}.proto"] = f"service Service{number} {{\n}}\n"
        compose += [f"  {name}:", f"    build: services/{name}", "    depends_on: [db, nats]"]
    compose += ["  db:", "    image: postgres:17", "  nats:", "    image: nats:2.10"]
    files["compose.yaml"] = "\n".join(compose) + "\n"
    return files


def test_a_large_monorepo_stays_within_the_size_cap(make_project: RepoFactory) -> None:
    context = discover_context(make_project(big_monorepo(40)), debug=True)
    assert len(context.components) == 40
    assert all(c.datastores == ["PostgreSQL"] and c.brokers == ["NATS"]
               for c in context.components)
    markdown = to_markdown(context)
    assert len(markdown) <= MAX_MARKDOWN_CHARS
    table = [line for line in markdown.splitlines() if line.startswith("| `services/")]
    assert 1 <= len(table) < 40
    assert f"+{40 - len(table)} more components" in markdown
    assert all(len(row) <= 200 for row in table)
