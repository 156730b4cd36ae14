"""The projects the docs tests generate for, and how they read what was generated."""

from __future__ import annotations

from pathlib import Path

from backend_persona.state.session import Sessions
from tests.conftest import Clock, Tree

ARCH = "docs/architecture"
DECISIONS = f"{ARCH}/decisions"
ADR = ".adr-dir"

GO_SERVICE: Tree = {
    "go.mod": ("module github.com/acme/orders\n\ngo 1.22\n\nrequire (\n"
               "\tgithub.com/gin-gonic/gin v1.9.1\n\tgithub.com/jackc/pgx/v5 v5.6.0\n)\n"),
    "cmd/server/main.go": "package main\n",
    "internal/orders/service_test.go": "package orders\n",
    "api/openapi.yaml": "openapi: 3.0.3\ninfo:\n  title: Orders\n  version: '1'\npaths: {}\n",
    "db/migrations/00001_create_orders.sql": "-- +goose Up\ncreate table orders (id int);\n",
    "Dockerfile": "FROM golang:1.22\n",
    ".github/workflows/ci.yml": "on: push\n",
}

POLYGLOT_MONOREPO: Tree = {
    "services/orders/go.mod": ("module example.com/orders\n\ngo 1.22\n\n"
                               "require connectrpc.com/connect v1.16.2\n"),
    "services/orders/main.go": "package main\n",
    "services/billing/Cargo.toml": ('[package]\nname = "billing"\nversion = "0.1.0"\n\n'
                                    '[dependencies]\naxum = "0.7.5"\n'
                                    'sqlx = { version = "0.7.4", features = ["postgres"] }\n'),
    "services/billing/src/main.rs": "fn main() {}\n",
    "compose.yaml": "services:\n  db:\n    image: postgres:16\n",
}

BARE: Tree = {"notes.txt": "nothing to see\n"}


def record_decisions(root: Path) -> None:
    store = Sessions(root.resolve(), clock=Clock())
    store.init("s1", request="design REST API for orders")
    store.add_decision("s1", "Use PostgreSQL for orders",
                       context="Orders need transactions.\n## Not a heading",
                       decision="Run PostgreSQL 16.", consequences="Backups are ours.")
    store.add_decision("s1", "Use pgx without an ORM", context="Keep SQL visible.",
                       decision="Use pgx directly.", status="proposed")
    store.add_decision("s1", "Use sqlc", context="Type-safe queries.",
                       decision="Generate code with sqlc.", supersedes="2")


def tree_of(root: Path) -> dict[str, str]:
    """The generated files, by path relative to the project."""
    found = {ADR: (root / ".adr-dir").read_text()} if (root / ".adr-dir").exists() else {}
    for path in sorted((root / ARCH).rglob("*")):
        if path.is_file():
            found[path.relative_to(root).as_posix()] = path.read_text()
    return found
