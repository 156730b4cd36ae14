"""Managed datastores and brokers that Terraform provisions."""

from __future__ import annotations

import re
from collections.abc import Iterator

from backend_persona.discover.catalog import Known, safe_version
from backend_persona.discover.evidence import source
from backend_persona.discover.index import FileIndex
from backend_persona.discover.perfile import per_file
from backend_persona.discover.registry import Finding, detector
from backend_persona.models import Technology

# A line start takes only its own indentation: `^\s*` would run on over every blank line
# below it, once per line.
_RESOURCE = re.compile(r'^[ \t]*resource\s+"(\w+)"\s+"[\w-]+"\s*\{', re.MULTILINE)
_ENGINE = re.compile(r'^[ \t]*(?:engine|database_version|engine_type)\s*=\s*"([\w.-]+)"',
                     re.MULTILINE)
_VERSION = re.compile(r'^[ \t]*(?:engine_version|kafka_version|redis_version)\s*=\s*"([\w.-]+)"',
                      re.MULTILINE)

# Resources that are one technology whatever their arguments say.
_FIXED: dict[str, Known] = {
    "aws_msk_cluster": Known("Kafka", "broker"),
    "aws_msk_serverless_cluster": Known("Kafka", "broker"),
    "confluent_kafka_cluster": Known("Kafka", "broker"),
    "aws_docdb_cluster": Known("MongoDB", "datastore"),
    "mongodbatlas_cluster": Known("MongoDB", "datastore"),
    "mongodbatlas_advanced_cluster": Known("MongoDB", "datastore"),
    "aws_opensearch_domain": Known("OpenSearch", "datastore"),
    "aws_elasticsearch_domain": Known("Elasticsearch", "datastore"),
    "aws_dynamodb_table": Known("DynamoDB", "datastore"),
    "aws_sqs_queue": Known("Amazon SQS", "broker"),
    "aws_sns_topic": Known("Amazon SNS", "broker"),
    "aws_kinesis_stream": Known("Amazon Kinesis", "broker"),
    "google_pubsub_topic": Known("Google Pub/Sub", "broker"),
    "google_redis_instance": Known("Redis", "datastore"),
    "google_spanner_instance": Known("Spanner", "datastore"),
    "google_firestore_database": Known("Firestore", "datastore"),
    "google_firestore_index": Known("Firestore", "datastore"),
    "google_bigtable_instance": Known("Bigtable", "datastore"),
    "azurerm_postgresql_server": Known("PostgreSQL", "datastore"),
    "azurerm_postgresql_flexible_server": Known("PostgreSQL", "datastore"),
    "azurerm_mysql_flexible_server": Known("MySQL", "datastore"),
    "azurerm_redis_cache": Known("Redis", "datastore"),
    "azurerm_cosmosdb_account": Known("Cosmos DB", "datastore"),
    "azurerm_servicebus_namespace": Known("Azure Service Bus", "broker"),
    "azurerm_eventhub_namespace": Known("Kafka", "broker"),
}
# Resources whose engine argument names the technology.
_BY_ENGINE = frozenset({"aws_db_instance", "aws_rds_cluster", "aws_elasticache_cluster",
                        "aws_elasticache_replication_group", "aws_elasticache_serverless_cache",
                        "google_sql_database_instance", "aws_mq_broker"})
_ENGINES: tuple[tuple[str, Known], ...] = (
    ("postgres", Known("PostgreSQL", "datastore")),
    ("mysql", Known("MySQL", "datastore")),
    ("mariadb", Known("MariaDB", "datastore")),
    ("valkey", Known("Valkey", "datastore")),
    ("redis", Known("Redis", "datastore")),
    ("memcached", Known("Memcached", "datastore")),
    ("sqlserver", Known("SQL Server", "datastore")),
    ("rabbitmq", Known("RabbitMQ", "broker")),
    ("activemq", Known("ActiveMQ", "broker")),
)


@detector("terraform")
def detect(index: FileIndex) -> Iterator[Finding]:
    """Datastore and broker resources in ``*.tf`` files."""
    for path in index.with_suffix(".tf"):
        yield from per_file(index, path, _resources, index, path)


def _resources(index: FileIndex, path: str) -> Iterator[Technology]:
    text = source(index, path)
    matches = list(_RESOURCE.finditer(text.text))
    for number, match in enumerate(matches):
        kind = match.group(1)
        body_end = matches[number + 1].start() if number + 1 < len(matches) else len(text.text)
        body = text.text[match.end():body_end]
        known = _FIXED.get(kind) or (_engine(body) if kind in _BY_ENGINE else None)
        if known:
            version = _VERSION.search(body)
            yield Technology(name=known.name, category=known.category,
                             version=safe_version(version.group(1)) if version else None,
                             evidence=[text.cite_at(match.start())])


def _engine(body: str) -> Known | None:
    match = _ENGINE.search(body)
    if not match:
        return None
    engine = match.group(1).lower()
    return next((known for prefix, known in _ENGINES if prefix in engine), None)
