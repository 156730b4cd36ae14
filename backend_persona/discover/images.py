"""Container images and chart names that stand for a datastore or a broker."""

from __future__ import annotations

import re

from backend_persona.discover.catalog import Known, safe_version

# Keyed by the image's repository path without registry host; the last segment also matches.
IMAGES: dict[str, Known] = {
    "postgres": Known("PostgreSQL", "datastore"),
    "postgresql": Known("PostgreSQL", "datastore"),
    "postgis/postgis": Known("PostgreSQL", "datastore"),
    "timescale/timescaledb": Known("PostgreSQL", "datastore"),
    "pgvector/pgvector": Known("PostgreSQL", "datastore"),
    "cloudnative-pg/postgresql": Known("PostgreSQL", "datastore"),
    "mysql": Known("MySQL", "datastore"),
    "mysql-server": Known("MySQL", "datastore"),
    "percona": Known("MySQL", "datastore"),
    "mariadb": Known("MariaDB", "datastore"),
    "mongo": Known("MongoDB", "datastore"),
    "mongodb": Known("MongoDB", "datastore"),
    "mongodb-community-server": Known("MongoDB", "datastore"),
    "redis": Known("Redis", "datastore"),
    "redis-stack": Known("Redis", "datastore"),
    "redis-stack-server": Known("Redis", "datastore"),
    "valkey": Known("Valkey", "datastore"),
    "dragonfly": Known("DragonflyDB", "datastore"),
    "dragonflydb": Known("DragonflyDB", "datastore"),
    "memcached": Known("Memcached", "datastore"),
    "cassandra": Known("Cassandra", "datastore"),
    "scylla": Known("ScyllaDB", "datastore"),
    "elasticsearch": Known("Elasticsearch", "datastore"),
    "opensearch": Known("OpenSearch", "datastore"),
    "clickhouse-server": Known("ClickHouse", "datastore"),
    "clickhouse": Known("ClickHouse", "datastore"),
    "cockroach": Known("CockroachDB", "datastore"),
    "mssql/server": Known("SQL Server", "datastore"),
    "neo4j": Known("Neo4j", "datastore"),
    "influxdb": Known("InfluxDB", "datastore"),
    "minio": Known("MinIO", "datastore"),
    "cp-kafka": Known("Kafka", "broker"),
    "kafka": Known("Kafka", "broker"),
    "redpanda": Known("Redpanda", "broker"),
    "rabbitmq": Known("RabbitMQ", "broker"),
    "nats": Known("NATS", "broker"),
    "nats-streaming": Known("NATS", "broker"),
    "pulsar": Known("Pulsar", "broker"),
    "pulsar-all": Known("Pulsar", "broker"),
    "activemq": Known("ActiveMQ", "broker"),
    "activemq-artemis": Known("ActiveMQ", "broker"),
    "artemis": Known("ActiveMQ", "broker"),
    "temporalio/auto-setup": Known("Temporal", "broker"),
    "temporalio/server": Known("Temporal", "broker"),
    "temporalio/temporal": Known("Temporal", "broker"),
    "eventstore/eventstore": Known("EventStoreDB", "datastore"),
    "eventstore": Known("EventStoreDB", "datastore"),
    "couchdb": Known("CouchDB", "datastore"),
    "couchbase": Known("Couchbase", "datastore"),
    "etcd": Known("etcd", "datastore"),
    "meilisearch": Known("Meilisearch", "datastore"),
    "typesense": Known("Typesense", "datastore"),
    "qdrant": Known("Qdrant", "datastore"),
}

_IMAGE = re.compile(r"^[a-z0-9][a-z0-9._/:@-]*$", re.IGNORECASE)
# A registry takes names up to 255 characters, tags up to 128 and digests of ~70; longer is
# not an image, and would make the variable patterns below rescan it from every `:$`.
_MAX_REFERENCE = 1024
# `${REGISTRY}/postgres:${POSTGRES_VERSION}`: the repository is literal, only the registry and
# the tag are variables.
_VARIABLE_TAG = re.compile(r":\$(\{[^}]*\}|[A-Za-z_]\w*)$")
_VARIABLE_REGISTRY = re.compile(r"^\$(\{[^}]*\}|[A-Za-z_]\w*)/")
# `${CLICKHOUSE_IMAGE:-clickhouse/clickhouse-server:24.8}`: the default is what runs.
_DEFAULTED = re.compile(r"^\$\{[A-Za-z_]\w*:?-([^${}]+)\}$")


def parse_image(reference: str) -> tuple[Known, str | None] | None:
    """Map an image reference such as ``docker.io/library/postgres:16-alpine`` to a technology.

    Returns:
        The technology and its pinned tag (None for ``latest`` or no tag), or None.
    """
    reference = reference.strip().strip("\"'")
    if len(reference) > _MAX_REFERENCE:
        return None
    defaulted = _DEFAULTED.match(reference)
    reference = _VARIABLE_TAG.sub("", defaulted.group(1) if defaulted else reference)
    reference = _VARIABLE_REGISTRY.sub("", reference)
    if not reference or "${" in reference or not _IMAGE.match(reference):
        return None
    reference = reference.split("@", 1)[0]
    parts = reference.split("/")
    if len(parts) > 1 and ("." in parts[0] or ":" in parts[0] or parts[0] == "localhost"):
        parts = parts[1:]
    path = "/".join(parts)
    tag: str | None = None
    if ":" in parts[-1]:
        path, _, tag = path.rpartition(":")
    path = path.lower().removeprefix("library/")
    known = IMAGES.get(path) or IMAGES.get(path.rpartition("/")[2])
    if known is None:
        return None
    return known, (None if tag in (None, "latest") else safe_version(tag))
