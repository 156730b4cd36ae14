"""Elixir: ``mix.exs`` dependencies."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import partial

from backend_persona.discover.catalog import Known, k, technologies
from backend_persona.discover.evidence import source
from backend_persona.discover.index import FileIndex, display, parent_of
from backend_persona.discover.perfile import per_file
from backend_persona.discover.registry import Finding, detector
from backend_persona.models import Component, Scope

CATALOG: dict[str, tuple[Known, ...]] = {
    "phoenix": k("Phoenix", "framework"),
    "plug_cowboy": k("Plug", "framework"),
    "ecto": k("Ecto", "data-access"),
    "ecto_sql": k("Ecto", "data-access"),
    "postgrex": k("PostgreSQL", "datastore"),
    "myxql": k("MySQL", "datastore"),
    "redix": k("Redis", "datastore"),
    "broadway": k("Broadway", "framework"),
    "broadway_kafka": k("Kafka", "broker"),
    "brod": k("Kafka", "broker"),
    "amqp": k("RabbitMQ", "broker"),
    "absinthe": k("GraphQL", "rpc"),
    "grpc": k("gRPC", "rpc"),
    "oban": k("Oban", "framework"),
    "clickhouse_ecto": (Known("Ecto", "data-access"), Known("ClickHouse", "datastore")),
    "ecto_ch": (Known("Ecto", "data-access"), Known("ClickHouse", "datastore")),
    "ch": k("ClickHouse", "datastore"),
    "ecto_sqlite3": (Known("Ecto", "data-access"), Known("SQLite", "datastore")),
    "mongodb_driver": k("MongoDB", "datastore"),
    "gnat": k("NATS", "broker"),
    "broadway_rabbitmq": k("RabbitMQ", "broker"),
}
# A tuple's options end before the next tuple opens: `[^}]*` alone would let every `{`
# of a file with no `}` search to its end.
_DEP = re.compile(r"\{\s*:(\w+)\s*,\s*(?:\"([^\"]*)\")?([^{}]*)\}")


@detector("elixir")
def detect(index: FileIndex) -> Iterator[Finding]:
    """Mix projects and their dependencies."""
    for path in index.named("mix.exs"):
        yield from per_file(index, path, _mix, index, path)


def _mix(index: FileIndex, path: str) -> Iterator[Finding]:
    text = index.read_text(path)
    if text is None:
        return
    folder = parent_of(path)
    yield Component(path=display(folder), name=display(folder.rpartition("/")[2] or folder),
                    ecosystems=["elixir"], manifests=[display(path)])
    cited = source(index, path, text)
    for match in _DEP.finditer(text):
        name, version, options = match.groups()
        scope: Scope = "test" if re.search(r"only:\s*\[?:test\]?$", options.strip()) else (
            "dev" if "only:" in options and ":dev" in options else "runtime")
        yield from technologies(CATALOG, name, partial(cited.cite_at, match.start(1)),
                                version, scope)
