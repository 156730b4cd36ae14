"""Datastores and brokers from every signal: Compose, Kubernetes, Helm, Terraform, env, config."""

from __future__ import annotations

import pytest

from tests.detection.conftest import Detect
from tests.detection.corpus import (
    Case,
    Tech,
    assert_evidence_is_real,
    assert_technology,
    by_name,
    row_id,
    table,
)

COMPOSE = Case("compose-names", {
    "compose.yaml": """name: shop
services:
  api:
    build: .
    ports: ["8080:8080"]
  db:
    image: postgres:17.2-alpine
    environment:
      POSTGRES_PASSWORD: Compose-Secret-1
  events:
    image: docker.redpanda.com/redpandadata/redpanda:v24.2.7
""",
    "compose.prod.yaml": """services:
  cache:
    image: valkey/valkey:8.0.1
""",
    "docker-compose.override.yml": """services:
  documents:
    image: mongo:8.0
""",
    # Not a Compose file name: found only because the Makefile passes it to `docker compose -f`.
    "deploy/stack.yml": """services:
  queue:
    image: rabbitmq:4.0-management
  analytics:
    image: clickhouse/clickhouse-server:24.8
""",
    "Makefile": "up:\n\tdocker compose -f compose.yaml -f deploy/stack.yml up -d\n",
    # A `services:` map of hosts in application config is not a Compose file.
    "config/services.yml": "services:\n  mysql:\n    host: legacy-db.internal\n"
                           "    port: 3306\n  kafka:\n    brokers: [events-1:9092]\n",
    "main.go": "package main\n",
})

KUBERNETES = Case("kubernetes", {
    "k8s/cassandra.yaml": """apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: cassandra
spec:
  serviceName: cassandra
  template:
    spec:
      containers:
        - name: cassandra
          image: cassandra:5.0.2
          ports:
            - containerPort: 9042
""",
    "k8s/messaging.yaml": """apiVersion: apps/v1
kind: Deployment
metadata:
  name: nats
spec:
  template:
    spec:
      containers:
        - name: nats
          image: nats:2.10.22-alpine
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: memcached
spec:
  template:
    spec:
      containers:
        - name: memcached
          image: "memcached:1.6.32"
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: scylla
spec:
  template:
    spec:
      containers:
        - name: scylla
          image: scylladb/scylla:6.2
""",
    "k8s/search.yml": """apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: search
spec:
  template:
    spec:
      initContainers:
        - name: sysctl
          image: busybox:1.37
      containers:
        - name: opensearch
          image: opensearchproject/opensearch:2.17.1
""",
    "k8s/kustomization.yaml": "resources:\n  - cassandra.yaml\n  - messaging.yaml\n"
                              "  - search.yml\n",
})

HELM = Case("helm", {
    "charts/shop/Chart.yaml": """apiVersion: v2
name: shop
version: 0.3.0
dependencies:
  - name: postgresql
    version: 16.2.1
    repository: oci://registry-1.docker.io/bitnamicharts
  - name: kafka
    version: 31.0.0
    repository: oci://registry-1.docker.io/bitnamicharts
  - name: common
    version: 2.x.x
    repository: oci://registry-1.docker.io/bitnamicharts
""",
    "charts/shop/values.yaml": """replicaCount: 2
image:
  repository: ghcr.io/acme/shop
  tag: "1.4.0"
search:
  image:
    repository: docker.elastic.co/elasticsearch/elasticsearch
    tag: 8.15.3
cache:
  image: docker.dragonflydb.io/dragonflydb/dragonfly:v1.24.0
""",
    # Go templates: not YAML, and a literal image in one is not evidence.
    "charts/shop/templates/deployment.yaml": """apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "shop.fullname" . }}
spec:
  template:
    spec:
      containers:
        - name: {{ .Chart.Name }}
          image: "{{ .Values.image.repository }}:{{ .Values.image.tag }}"
        {{- if .Values.sidecar.enabled }}
        - name: sidecar
          image: redis:7.4
        {{- end }}
""",
    "charts/shop/templates/_helpers.tpl": '{{- define "shop.fullname" -}}shop{{- end }}\n',
})

TERRAFORM = Case("terraform", {
    "infra/main.tf": """terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = "~> 5.0" }
  }
}

resource "aws_db_instance" "orders" {
  identifier     = "orders"
  engine         = "postgres"
  engine_version = "16.4"
  instance_class = "db.t4g.medium"
  password       = var.db_password
}

resource "aws_elasticache_replication_group" "sessions" {
  replication_group_id = "sessions"
  description          = "session cache"
  engine               = "valkey"
  engine_version       = "8.0"
}

resource "aws_msk_cluster" "events" {
  cluster_name           = "events"
  kafka_version          = "3.6.0"
  number_of_broker_nodes = 3
}

resource "aws_s3_bucket" "assets" {
  bucket = "acme-assets"
}
""",
    "infra/variables.tf": 'variable "db_password" {\n  type      = string\n  sensitive = true\n}\n',
})

ENV = Case("env-files", {
    ".env": """# local stack
POSTGRES_IMAGE=postgres:18
export REDIS_IMAGE="redis:7.4.1-alpine"
DB_PASSWORD=Env-Secret-Password-42
DATABASE_URL=mongodb://root:Env-Secret-Url-43@mongo:27017/app
STRIPE_SECRET_KEY=sk_live_EnvSecretStripe44
""",
    ".env.example": """DATABASE_URL=postgresql://app:changeme@localhost:5432/app
AMQP_URL=amqps://guest:guest@localhost:5671
NATS_URL=nats://localhost:4222
PULSAR_SERVICE_URL=pulsar://localhost:6650
LOG_LEVEL=info
""",
    "app/main.py": "print('hello')\n",
})

DATASOURCES = Case("datasources", {
    "src/main/resources/application.properties": """spring.application.name=orders
spring.datasource.url=jdbc:postgresql://db:5432/orders
spring.datasource.username=orders
spring.datasource.password=Jdbc-Secret-55
spring.kafka.bootstrap-servers=kafka:9092
""",
    "src/main/resources/application-test.yml": """spring:
  datasource:
    url: jdbc:h2:mem:testdb
""",
    "reports/src/main/resources/application.yaml": """quarkus:
  datasource:
    db-kind: mysql
    password: Quarkus-Yaml-Secret-56
""",
    "prisma/schema.prisma": """generator client {
  provider = "prisma-client-js"
}

datasource db {
  provider = "sqlite"
  url      = "file:./dev.db"
}
""",
})

EXPECTED: list[tuple[Case, list[Tech]]] = [
    (COMPOSE, [
        Tech("PostgreSQL", "datastore", "17.2",
             evidence=(COMPOSE.at("compose.yaml", "postgres:17.2-alpine"),)),
        Tech("Redpanda", "broker", "v24.2.7", evidence=(COMPOSE.at("compose.yaml", "redpanda"),)),
        Tech("Valkey", "datastore", "8.0.1", evidence=(COMPOSE.at("compose.prod.yaml", "valkey"),)),
        Tech("MongoDB", "datastore", "8.0",
             evidence=(COMPOSE.at("docker-compose.override.yml", "mongo:8.0"),)),
        Tech("RabbitMQ", "broker", "4.0",
             evidence=(COMPOSE.at("deploy/stack.yml", "rabbitmq:"),)),
        Tech("ClickHouse", "datastore", "24.8",
             evidence=(COMPOSE.at("deploy/stack.yml", "clickhouse/"),)),
    ]),
    (KUBERNETES, [
        Tech("Cassandra", "datastore", "5.0.2",
             evidence=(KUBERNETES.at("k8s/cassandra.yaml", "cassandra:5.0.2"),)),
        Tech("NATS", "broker", "2.10.22",
             evidence=(KUBERNETES.at("k8s/messaging.yaml", "nats:2.10"),)),
        Tech("Memcached", "datastore", "1.6.32",
             evidence=(KUBERNETES.at("k8s/messaging.yaml", "memcached:1.6.32"),)),
        Tech("ScyllaDB", "datastore", "6.2",
             evidence=(KUBERNETES.at("k8s/messaging.yaml", "scylladb/scylla:6.2"),)),
        Tech("OpenSearch", "search", "2.17.1",
             evidence=(KUBERNETES.at("k8s/search.yml", "opensearchproject/"),)),
    ]),
    (HELM, [
        # A chart dependency's version is the chart's, not the server's: no version.
        Tech("PostgreSQL", "datastore", None,
             evidence=(HELM.at("charts/shop/Chart.yaml", "name: postgresql"),)),
        Tech("Kafka", "broker", None, evidence=(HELM.at("charts/shop/Chart.yaml", "name: kafka"),)),
        Tech("Elasticsearch", "search", "8.15.3",
             evidence=(HELM.at("charts/shop/values.yaml", "docker.elastic.co"),)),
        Tech("DragonflyDB", "datastore", "v1.24.0",
             evidence=(HELM.at("charts/shop/values.yaml", "docker.dragonflydb.io"),)),
    ]),
    (TERRAFORM, [
        Tech("PostgreSQL", "datastore", "16.4",
             evidence=(TERRAFORM.at("infra/main.tf", '"postgres"'),)),
        Tech("Valkey", "datastore", "8.0", evidence=(
            TERRAFORM.at("infra/main.tf", '"valkey"'),)),
        Tech("Kafka", "broker", "3.6.0",
             evidence=(TERRAFORM.at("infra/main.tf", 'resource "aws_msk_cluster"'),)),
    ]),
    (ENV, [
        Tech("PostgreSQL", "datastore", "18", evidence=(
            ENV.at(".env", "POSTGRES_IMAGE"), ENV.at(".env.example", "DATABASE_URL"))),
        Tech("Redis", "datastore", "7.4.1", evidence=(ENV.at(".env", "REDIS_IMAGE"),)),
        Tech("RabbitMQ", "broker", None, evidence=(ENV.at(".env.example", "AMQP_URL"),)),
        Tech("NATS", "broker", None, evidence=(ENV.at(".env.example", "NATS_URL"),)),
        Tech("Pulsar", "broker", None, evidence=(ENV.at(".env.example", "PULSAR_SERVICE_URL"),)),
    ]),
    (DATASOURCES, [
        Tech("PostgreSQL", "datastore", None, evidence=(
            DATASOURCES.at("src/main/resources/application.properties", "jdbc:postgresql"),)),
        Tech("Kafka", "broker", None, evidence=(
            DATASOURCES.at("src/main/resources/application.properties", "spring.kafka"),)),
        Tech("H2", "datastore", None, evidence=(
            DATASOURCES.at("src/main/resources/application-test.yml", "jdbc:h2"),)),
        Tech("MySQL", "datastore", None, evidence=(
            DATASOURCES.at("reports/src/main/resources/application.yaml", "db-kind"),)),
        Tech("SQLite", "datastore", None,
             evidence=(DATASOURCES.at("prisma/schema.prisma", '"sqlite"'),)),
    ]),
]

ABSENT: list[tuple[Case, list[str]]] = [
    # config/services.yml names mysql and kafka hosts, but deploys nothing.
    (COMPOSE, ["MySQL", "Kafka", "Redis"]),
    (KUBERNETES, ["PostgreSQL", "Redis", "Kafka", "Elasticsearch"]),
    # redis:7.4 appears only inside a Helm template; `common` is a library chart.
    (HELM, ["Redis", "MongoDB"]),
    # An S3 bucket is storage, not a database; the MSK cluster is Kafka, not Redpanda.
    (TERRAFORM, ["Amazon S3", "Redpanda", "MySQL", "Redis"]),
    # `.env` is a real env file: its DATABASE_URL value is never read, so no MongoDB.
    (ENV, ["MongoDB", "Kafka"]),
    (DATASOURCES, ["MariaDB", "Redis", "MongoDB"]),
]


@pytest.mark.parametrize(("case", "tech"), table(EXPECTED), ids=row_id)
def test_detects(detect: Detect, case: Case, tech: Tech) -> None:
    assert_technology(detect(case), tech)


@pytest.mark.parametrize(("case", "names"), ABSENT, ids=row_id)
def test_reports_nothing_false(detect: Detect, case: Case, names: list[str]) -> None:
    found = set(by_name(detect(case)))
    assert found.isdisjoint(names), sorted(found.intersection(names))


@pytest.mark.parametrize(("case", "techs"), EXPECTED, ids=row_id)
def test_exactly_these_technologies(detect: Detect, case: Case, techs: list[Tech]) -> None:
    servers = ("datastore", "search", "broker")
    found = {t.name for t in detect(case).technologies if t.category in servers}
    assert found == {t.name for t in techs if t.category in servers}


@pytest.mark.parametrize("case", [case for case, _ in EXPECTED], ids=row_id)
def test_evidence_points_into_the_fixture(detect: Detect, case: Case) -> None:
    assert_evidence_is_real(case, detect(case))


@pytest.mark.parametrize("case", [case for case, _ in EXPECTED], ids=row_id)
def test_parses_without_notes(detect: Detect, case: Case) -> None:
    # Helm templates and `.tpl` files are skipped, not reported as broken YAML.
    assert detect(case).notes == []


def test_every_compose_file_name_is_listed(detect: Detect) -> None:
    compose = [(a.kind, a.path) for a in detect(COMPOSE).containers]
    assert compose == [("compose", "compose.prod.yaml"), ("compose", "compose.yaml"),
                       ("compose", "deploy/stack.yml"),
                       ("compose", "docker-compose.override.yml")]
