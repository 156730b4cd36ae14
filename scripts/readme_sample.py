"""The README's "What it prints" sample: real output of `context` on a real repository.

    python scripts/readme_sample.py            print the sample (markdown)
    python scripts/readme_sample.py --check    exit 1 when README.md's sample differs
    python scripts/readme_sample.py --write    rewrite README.md's sample in place

The sample repository (three services: Go + ConnectRPC, Rust + Axum/SQLx, Java + Spring
Boot, one Compose file, secrets in ``.env`` and ``application.properties``) is written to
a temporary folder and committed with a pinned identity and date, so the output, commit
hash included, is the same on every machine. The section sits between
``<!-- context-sample:begin -->`` and ``<!-- context-sample:end -->``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from backend_persona.discover.engine import discover_context
from backend_persona.render import to_markdown
from scripts import generated
from scripts.generated import Generator, Region

README = Path(__file__).resolve().parent.parent / "README.md"
BEGIN = "<!-- context-sample:begin -->"
END = "<!-- context-sample:end -->"
# The root as the README shows it, whatever temporary folder the sample was built in.
SHOWN_ROOT = "/home/me/shop"
GIT_ENV = {
    "GIT_AUTHOR_NAME": "Sample Author",
    "GIT_AUTHOR_EMAIL": "author@example.test",
    "GIT_COMMITTER_NAME": "Sample Author",
    "GIT_COMMITTER_EMAIL": "author@example.test",
    "GIT_AUTHOR_DATE": "2026-11-26T10:00:00+00:00",
    "GIT_COMMITTER_DATE": "2026-11-26T10:00:00+00:00",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
}

FILES: dict[str, str] = {
    "compose.yaml": """\
services:
  orders:
    build: services/orders
    depends_on: [db, cache]
  inventory:
    build: services/inventory
    depends_on: [db]
  billing:
    build: services/billing
    depends_on: [db, redpanda]
  db:
    image: postgres:17-alpine
    env_file: .env
  cache:
    image: docker.dragonflydb.io/dragonflydb/dragonfly:v1.24.0
  redpanda:
    image: docker.redpanda.com/redpandadata/redpanda:v24.2.7
""",
    ".env": "POSTGRES_PASSWORD=sample-not-a-real-password\n",
    ".gitignore": "target/\n",
    ".github/workflows/ci.yml": """\
name: ci
on: [push]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: make test
""",
    "deploy/k8s/orders.yaml": """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: orders
spec:
  template:
    spec:
      containers:
        - name: orders
          image: ghcr.io/example/orders:1.0.0
""",
    "services/orders/go.mod": """\
module example.com/shop/orders

go 1.23

require (
\tconnectrpc.com/connect v1.17.0
\tgithub.com/jackc/pgx/v5 v5.7.1
\tgithub.com/pressly/goose/v3 v3.22.1
\tgithub.com/redis/go-redis/v9 v9.7.0
\tgoogle.golang.org/protobuf v1.35.1
)
""",
    "services/orders/main.go": "package main\n\nfunc main() {}\n",
    "services/orders/main_test.go": "package main\n",
    "services/orders/Dockerfile": "FROM golang:1.23 AS build\nFROM gcr.io/distroless/base\n",
    "services/orders/buf.yaml": "version: v2\n",
    "services/orders/proto/orders/v1/orders.proto": """\
syntax = "proto3";
package orders.v1;

service OrderService {
  rpc CreateOrder(CreateOrderRequest) returns (CreateOrderResponse);
}

message CreateOrderRequest {}
message CreateOrderResponse {}
""",
    "services/orders/db/migrations/00001_create_orders.sql": """\
-- +goose Up
CREATE TABLE orders (id bigserial PRIMARY KEY);
-- +goose Down
DROP TABLE orders;
""",
    "services/orders/db/migrations/00002_add_total.sql": """\
-- +goose Up
ALTER TABLE orders ADD COLUMN total_cents bigint NOT NULL DEFAULT 0;
-- +goose Down
ALTER TABLE orders DROP COLUMN total_cents;
""",
    "services/inventory/Cargo.toml": """\
[package]
name = "inventory"
version = "0.1.0"
edition = "2021"

[dependencies]
axum = "0.7.7"
tokio = { version = "1.41", features = ["full"] }
sqlx = { version = "0.8.2", features = ["postgres", "runtime-tokio"] }
serde = { version = "1", features = ["derive"] }

[dev-dependencies]
testcontainers = "0.23"
""",
    "services/inventory/src/main.rs": "fn main() {}\n",
    "services/inventory/Dockerfile": "FROM rust:1.83 AS build\nFROM debian:bookworm-slim\n",
    "services/billing/pom.xml": """\
<project>
  <modelVersion>4.0.0</modelVersion>
  <parent><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-parent</artifactId><version>3.3.5</version></parent>
  <artifactId>billing</artifactId>
  <dependencies>
    <dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-web</artifactId></dependency>
    <dependency><groupId>org.springframework.kafka</groupId><artifactId>spring-kafka</artifactId></dependency>
    <dependency><groupId>org.flywaydb</groupId><artifactId>flyway-core</artifactId></dependency>
    <dependency><groupId>org.postgresql</groupId><artifactId>postgresql</artifactId></dependency>
    <dependency><groupId>org.testcontainers</groupId><artifactId>postgresql</artifactId><scope>test</scope></dependency>
  </dependencies>
</project>
""",
    "services/billing/src/main/java/shop/billing/BillingApplication.java":
        "package shop.billing;\n\nclass BillingApplication {}\n",
    "services/billing/src/main/resources/application.properties": """\
spring.datasource.url=jdbc:postgresql://db:5432/billing
spring.datasource.password=sample-not-a-real-password
spring.kafka.bootstrap-servers=redpanda:9092
""",
}
# Left uncommitted, as on a developer's machine.
UNCOMMITTED = ("services/orders/main.go", "package main\n\nfunc main() { serve() }\n")


def build(root: Path) -> None:
    """Write the sample repository into ``root`` and commit it with the pinned identity."""
    for name, content in FILES.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    env = {**os.environ, **GIT_ENV}
    for argv in (["init", "-q", "-b", "main"], ["add", "-A"],
                 ["commit", "-q", "-m", "Add orders, inventory and billing services"]):
        subprocess.run(["git", *argv], cwd=root, env=env, check=True, capture_output=True)
    name, content = UNCOMMITTED
    (root / name).write_text(content, encoding="utf-8")


def render_sample() -> str:
    """The sample as the README shows it: a fenced markdown block of real `context` output."""
    with tempfile.TemporaryDirectory(prefix="readme-sample-") as work:
        root = Path(work) / "shop"
        root.mkdir()
        build(root)
        markdown = to_markdown(discover_context(root))
    shown = markdown.replace(str(root.resolve()), SHOWN_ROOT).replace(str(root), SHOWN_ROOT)
    return f"```markdown\n{shown.strip()}\n```"


REGION = Region(BEGIN, END)
section = REGION.section
GENERATOR = Generator(prog="scripts/readme_sample.py", doc=__doc__ or "", region=REGION,
                      default=README, path_flag="--readme", what="context sample",
                      render=render_sample)


def main(argv: Sequence[str] | None = None) -> int:
    """Print, check or write the context sample; returns the exit status."""
    return generated.main(GENERATOR, argv)


if __name__ == "__main__":
    sys.exit(main())
