"""Precision of the backend catalog files: cloud, jobs, schemas, data and HTTP.

The check reads the TOML data as ``resources/catalog/README.md`` defines it, with a small
reader of its own: every ``*.toml`` file of the catalog folder is parsed with ``tomllib``,
extensions are merged into their definitions, ``implies`` is followed transitively, and an
id matches a key exactly or, failing that, the longest key that ends in ``/ : - .`` and
that the id starts with.

Each row says what an id names, and look-alike ids show that a short key or a prefix does
not reach unrelated packages (or reaches only what it should).
"""

from __future__ import annotations

import tomllib
from collections import Counter, defaultdict
from functools import cache
from pathlib import Path

import pytest

from backend_persona.discover import catalog

CATALOG = Path(__file__).resolve().parents[1] / "backend_persona" / "resources" / "catalog"
OWN_FILES = ("cloud.toml", "jobs.toml", "schemas.toml", "data.toml", "http.toml")
SOURCES = ("npm", "pypi", "maven", "gradle_plugin", "go", "crate", "gem", "hex", "composer",
           "nuget", "cmake", "image", "scheme", "file", "artifact", "code")
# The README's fixed vocabulary.
CATEGORIES = frozenset({
    "framework", "frontend", "api", "data-access", "driver", "migrations", "datastore", "search",
    "broker", "jobs", "realtime", "observability", "auth", "cloud", "server", "runtime", "testing",
    "build", "ci", "delivery", "library",
})

Tables = list[dict[str, object]]


def _tables(name: str) -> Tables:
    data = tomllib.loads((CATALOG / name).read_text("utf-8"))
    tables = data.get("technology", [])
    assert isinstance(tables, list)
    return tables


def _keys(table: dict[str, object], source: str) -> list[str]:
    value = table.get(source, [])
    assert isinstance(value, list)
    return [str(key) for key in value]


@cache
def _catalog() -> tuple[dict[str, dict[str, set[str]]], dict[str, list[str]]]:
    """Per source, key -> the names it matches directly; and each name's ``implies``."""
    rules: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    implies: dict[str, list[str]] = defaultdict(list)
    for path in sorted(CATALOG.glob("*.toml")):
        for table in _tables(path.name):
            name = str(table["name"])
            implies[name].extend(_keys(table, "implies"))
            for source in SOURCES:
                for key in _keys(table, source):
                    rules[source][key].add(name)
    return rules, implies


def _expanded(found: set[str]) -> set[str]:
    _, implies = _catalog()
    result: set[str] = set()
    pending = list(found)
    while pending:
        current = pending.pop()
        if current not in result:
            result.add(current)
            pending.extend(implies.get(current, []))
    return result


def names(source: str, ident: str) -> set[str]:
    """The technologies the catalog names for ``ident`` from rule source ``source``."""
    rules, _ = _catalog()
    table = rules.get(source, {})
    if source == "file":
        base = ident.rpartition("/")[2]
        direct = set(table.get(ident, set())) | set(table.get(base, set()))
        return _expanded(direct)
    # Everything else through the loader the detectors use, implied technologies included.
    return {known.name for known in catalog.match(source, ident)}


# (source, id, a name it must give, names it must not give)
ROWS: list[tuple[str, str, str | None, tuple[str, ...]]] = [
    # --- cloud: vendor SDK prefixes against service-specific keys
    ("npm", "aws-sdk", "AWS SDK", ()),
    ("npm", "aws-sdk-client-mock", None, ("AWS SDK",)),
    ("npm", "@aws-sdk/client-s3", "Amazon S3", ()),
    ("npm", "@aws-sdk/client-s3", "AWS SDK", ()),
    ("npm", "@aws-sdk/client-ec2", "AWS SDK", ("Amazon S3",)),
    ("npm", "@aws-sdk/client-sqs", "Amazon SQS", ("Amazon S3",)),
    ("npm", "@aws-sdk/client-dynamodb", "DynamoDB", ()),
    ("npm", "dynamoose", "Dynamoose", ()),
    ("npm", "dynamoose", "DynamoDB", ()),
    ("pypi", "boto3", "AWS SDK", ()),
    ("pypi", "boto3-type-annotations", None, ("AWS SDK",)),
    ("maven", "software.amazon.awssdk:s3", "Amazon S3", ()),
    ("maven", "software.amazon.awssdk:s3control", "AWS SDK", ("Amazon S3",)),
    ("maven", "com.amazonaws:aws-java-sdk-s3", "Amazon S3", ()),
    ("go", "github.com/aws/aws-sdk-go-v2/service/s3", "Amazon S3", ()),
    ("go", "github.com/aws/aws-sdk-go-v2/service/ec2", "AWS SDK", ("Amazon S3",)),
    ("go", "github.com/aws/aws-sdk-go-v2/config", "AWS SDK", ()),
    ("go", "github.com/aws/aws-lambda-go", "AWS Lambda", ("AWS SDK",)),
    ("crate", "aws-sdk-s3", "Amazon S3", ()),
    ("crate", "aws-sdk-ec2", "AWS SDK", ("Amazon S3",)),
    ("gem", "aws-sdk-s3", "Amazon S3", ()),
    ("gem", "aws-sdk-core", "AWS SDK", ()),
    ("gem", "aws-sigv4", None, ("AWS SDK",)),
    ("nuget", "AWSSDK.S3", "Amazon S3", ()),
    ("nuget", "AWSSDK.EC2", "AWS SDK", ("Amazon S3",)),
    ("nuget", "AWSSDKNotReally", None, ("AWS SDK",)),
    ("hex", "ex_aws_s3", "Amazon S3", ()),
    ("hex", "ex_aws", "ExAws", ("Amazon S3",)),
    ("hex", "broadway_sqs", "Amazon SQS", ()),
    ("npm", "@google-cloud/storage", "Google Cloud Storage", ()),
    ("npm", "@google-cloud/pubsub", "Google Cloud Pub/Sub", ("Google Cloud Storage",)),
    ("npm", "@google-cloud/vision", "Google Cloud SDK", ("Google Cloud Storage",)),
    ("pypi", "google-cloud-storage", "Google Cloud Storage", ()),
    ("pypi", "google-cloud-bigquery", "BigQuery", ()),
    ("pypi", "google-cloud-pubsub", "Google Cloud Pub/Sub", ("Google Cloud Storage",)),
    ("maven", "com.google.cloud:google-cloud-storage", "Google Cloud Storage", ()),
    ("maven", "com.google.cloud:google-cloud-spanner", "Spanner", ("Google Cloud SDK",)),
    ("maven", "com.google.cloud:spring-cloud-gcp-starter-pubsub", "Spring Cloud GCP", ()),
    ("go", "cloud.google.com/go/storage", "Google Cloud Storage", ()),
    ("go", "cloud.google.com/go/pubsub", "Google Cloud Pub/Sub", ("Google Cloud Storage",)),
    ("composer", "google/cloud-storage", "Google Cloud Storage", ()),
    ("composer", "google/cloud-vision", "Google Cloud SDK", ("Google Cloud Storage",)),
    ("scheme", "gs", "Google Cloud Storage", ()),
    ("npm", "firebase", "Firebase", ()),
    ("npm", "firebase-admin", "Firebase", ()),
    ("npm", "firebase-mock", None, ("Firebase",)),
    ("npm", "@azure/storage-blob", "Azure Blob Storage", ()),
    ("npm", "@azure/storage-blob", "Azure SDK", ()),
    ("npm", "@azure/identity", "Azure SDK", ("Azure Blob Storage",)),
    ("nuget", "Azure.Storage.Blobs", "Azure Blob Storage", ()),
    ("nuget", "Azure.Identity", "Azure SDK", ()),
    ("nuget", "Microsoft.Azure.Cosmos", "Cosmos DB", ()),
    ("nuget", "Microsoft.Azure.Functions.Worker.Sdk", "Azure Functions", ()),
    ("nuget", "AzureFunctions.Extensions", None, ("Azure Functions", "Azure SDK")),
    ("go", "github.com/Azure/azure-sdk-for-go/sdk/storage/azblob", "Azure Blob Storage", ()),
    ("go", "github.com/Azure/azure-sdk-for-go/sdk/azidentity", "Azure SDK", ()),
    ("maven", "com.azure:azure-storage-blob", "Azure Blob Storage", ()),
    ("maven", "com.azure.spring:spring-cloud-azure-starter", "Spring Cloud Azure", ()),
    ("npm", "wrangler", "Cloudflare Workers", ()),
    ("crate", "worker", "Cloudflare Workers", ()),
    ("crate", "worker-kv", None, ("Cloudflare Workers",)),
    ("file", "wrangler.toml", "Cloudflare Workers", ()),
    ("npm", "@supabase/supabase-js", "Supabase", ()),
    ("npm", "@vercel/blob", "Vercel Blob", ()),
    ("npm", "@vercel/blob", "Vercel", ()),
    ("npm", "vercel-toast", None, ("Vercel",)),
    ("npm", "stripe", "Stripe", ()),
    ("npm", "stripe-event-types", None, ("Stripe",)),
    ("pypi", "stripe", "Stripe", ()),
    ("gem", "stripe", "Stripe", ()),
    ("composer", "stripe/stripe-php", "Stripe", ()),
    ("go", "github.com/stripe/stripe-go/v79", "Stripe", ()),
    ("maven", "com.stripe:stripe-java", "Stripe", ()),
    ("nuget", "Stripe.net", "Stripe", ()),
    ("hex", "stripity_stripe", "Stripe", ()),
    ("npm", "twilio", "Twilio", ()),
    ("npm", "@sendgrid/mail", "SendGrid", ()),
    ("npm", "postmark", "Postmark", ()),
    ("npm", "resend", "Resend", ()),
    ("npm", "nodemailer", "Nodemailer", ()),
    ("npm", "nodemailer-mock", None, ("Nodemailer",)),
    ("hex", "swoosh", "Swoosh", ()),
    ("crate", "lettre", "Lettre", ()),
    ("nuget", "MailKit", "MailKit", ()),
    ("gem", "fog-aws", "Fog", ()),
    ("gem", "shrine", "Shrine", ()),
    ("gem", "carrierwave", "CarrierWave", ()),
    ("composer", "league/flysystem-aws-s3-v3", "Flysystem", ()),
    ("composer", "league/flysystem", "Flysystem", ()),
    ("composer", "league/oauth2-client", None, ("Flysystem",)),
    # --- jobs: short names are exact, prefixes are owned namespaces
    ("npm", "bull", "Bull", ()),
    ("npm", "bull", "Redis", ()),
    ("npm", "bullmq", "BullMQ", ("Bull",)),
    ("npm", "@nestjs/bullmq", "BullMQ", ("Bull",)),
    ("npm", "@nestjs/bull", "Bull", ("BullMQ",)),
    ("npm", "bull-arena", None, ("Bull", "BullMQ")),
    ("npm", "agenda", "Agenda", ()),
    ("npm", "agendash", None, ("Agenda",)),
    ("npm", "bee-queue", "Bee-Queue", ()),
    ("npm", "node-cron", "node-cron", ()),
    ("npm", "graphile-worker", "Graphile Worker", ()),
    ("npm", "inngest", "Inngest", ()),
    ("npm", "@trigger.dev/sdk", "Trigger.dev", ()),
    ("npm", "@temporalio/activity", "Temporal", ()),
    ("npm", "socket.io", "Socket.IO", ()),
    ("npm", "socket.io-client", "Socket.IO", ()),
    ("npm", "@socket.io/redis-adapter", "Socket.IO", ()),
    ("npm", "socket.io-mock", None, ("Socket.IO",)),
    ("npm", "ws", "ws", ()),
    ("npm", "isomorphic-ws", None, ("ws",)),
    ("npm", "wsrun", None, ("ws",)),
    ("npm", "pusher", "Pusher", ()),
    ("npm", "pusher-js", "Pusher", ()),
    ("npm", "laravel-echo", "Laravel Echo", ()),
    ("npm", "@microsoft/signalr", "SignalR", ()),
    ("npm", "ably", "Ably", ()),
    ("npm", "centrifuge", "Centrifugo", ()),
    # A Django app names Django (plugins.toml); djangorestframework is no django-* name.
    ("pypi", "django-filter", "Django", ()),
    ("pypi", "django-debug-toolbar", "Django", ()),
    ("pypi", "djangorestframework", "Django REST framework", ("Django",)),
    ("pypi", "djangoql", None, ("Django",)),
    ("crate", "axum-extra", "Axum", ()),
    ("crate", "axumite", None, ("Axum",)),
    ("crate", "deno_ast", "Deno", ()),
    ("crate", "bb8-redis", "Redis", ()),
    ("crate", "tokio-util", "Tokio", ()),
    ("crate", "tokio-postgres", "PostgreSQL", ("Tokio",)),
    ("crate", "http-body-util", "hyper", ()),
    ("nuget", "System.Text.Json", ".NET", ()),
    ("nuget", "Microsoft.NET.Test.Sdk", ".NET", ()),
    ("nuget", "Microsoft.Extensions.Caching.StackExchangeRedis", "Redis", (".NET",)),
    ("nuget", "SystemTextJson.Lookalike", None, (".NET",)),
    ("npm", "@types/node", "Node.js", ()),
    ("npm", "tsx", "TypeScript", ()),
    ("npm", "redlock", "Redis", ()),
    ("pypi", "mkdocstrings-python", "MkDocs", ()),
    ("maven", "org.openapi4j:openapi-schema-validator", "OpenAPI", ()),
    ("pypi", "celery", "Celery", ()),
    ("pypi", "django-celery-beat", "Celery", ()),
    ("pypi", "rq", "RQ", ()),
    ("pypi", "rqlite", None, ("RQ",)),
    ("pypi", "dramatiq", "Dramatiq", ()),
    ("pypi", "huey", "Huey", ()),
    ("pypi", "apscheduler", "APScheduler", ()),
    ("pypi", "arq", "arq", ()),
    ("pypi", "prefect", "Prefect", ()),
    ("pypi", "prefect-aws", "Prefect", ("AWS SDK",)),
    ("pypi", "apache-airflow", "Apache Airflow", ()),
    ("pypi", "apache-airflow-providers-amazon", "Apache Airflow", ("AWS SDK",)),
    ("pypi", "dagster-postgres", "Dagster", ()),
    ("pypi", "luigi", "Luigi", ()),
    ("pypi", "channels", "Django Channels", ()),
    ("pypi", "channels-redis", "Redis", ("Django Channels",)),
    ("pypi", "python-socketio", "Socket.IO", ()),
    ("pypi", "cent", "Centrifugo", ()),
    ("pypi", "centaur", None, ("Centrifugo",)),
    ("pypi", "temporalio", "Temporal", ()),
    ("gem", "sidekiq-cron", "Sidekiq", ()),
    ("gem", "good_job", "GoodJob", ()),
    ("gem", "solid_queue", "Solid Queue", ()),
    ("gem", "solid_cable", "Solid Cable", ()),
    ("gem", "delayed_job_active_record", "Delayed Job", ()),
    ("gem", "resque", "Resque", ()),
    ("gem", "que", "Que", ()),
    ("gem", "queue_classic", None, ("Que",)),
    ("gem", "shoryuken", "Shoryuken", ()),
    ("gem", "whenever", "Whenever", ()),
    ("gem", "anycable-rails", "AnyCable", ()),
    ("composer", "laravel/horizon", "Laravel Horizon", ()),
    ("composer", "laravel/reverb", "Laravel Reverb", ()),
    ("composer", "laravel/framework", "Laravel", ("Laravel Horizon",)),
    ("composer", "pusher/pusher-php-server", "Pusher", ()),
    ("composer", "symfony/messenger", "Symfony Messenger", ()),
    ("maven", "org.quartz-scheduler:quartz", "Quartz Scheduler", ()),
    ("maven", "org.jobrunr:jobrunr-spring-boot-3-starter", "JobRunr", ()),
    ("maven", "net.javacrumbs.shedlock:shedlock-spring", "ShedLock", ()),
    ("maven", "org.springframework.batch:spring-batch-core", "Spring Batch", ()),
    ("maven", "org.springframework.boot:spring-boot-starter-batch", "Spring Batch", ()),
    ("maven", "org.springframework.boot:spring-boot-starter-web", None, ("Spring Batch",)),
    ("maven", "io.quarkus:quarkus-scheduler", "Quarkus Scheduler", ()),
    ("maven", "io.quarkus:quarkus-scheduler", "Quarkus", ()),
    ("maven", "io.quarkus:quarkus-rest", "Quarkus", ("Quarkus Scheduler",)),
    ("maven", "io.temporal:temporal-sdk", "Temporal", ()),
    ("maven", "io.socket:socket.io-client", "Socket.IO", ()),
    ("nuget", "Hangfire", "Hangfire", ()),
    ("nuget", "Hangfire.PostgreSql", "Hangfire", ()),
    ("nuget", "HangfireBasicAuthenticationFilter", None, ("Hangfire",)),
    ("nuget", "Quartz", "Quartz.NET", ()),
    ("nuget", "Quartz.Extensions.Hosting", "Quartz.NET", ()),
    ("nuget", "QuartzScheduler", None, ("Quartz.NET",)),
    ("nuget", "Microsoft.AspNetCore.SignalR.Client", "SignalR", ()),
    ("nuget", "Microsoft.AspNetCore.Mvc.Core", "ASP.NET Core", ("SignalR",)),
    ("nuget", "Temporalio", "Temporal", ()),
    ("hex", "oban_web", "Oban", ()),
    ("hex", "quantum", "Quantum", ()),
    ("hex", "exq", "Exq", ()),
    ("hex", "phoenix_pubsub", "Phoenix PubSub", ()),
    ("hex", "phoenix", "Phoenix", ("Phoenix PubSub",)),
    ("go", "github.com/hibiken/asynq", "Asynq", ()),
    ("go", "github.com/riverqueue/river", "River", ()),
    ("go", "github.com/riverqueue/river/riverdriver/riverpgxv5", "River", ()),
    ("go", "github.com/go-co-op/gocron/v2", "gocron", ()),
    ("go", "github.com/robfig/cron/v3", "robfig/cron", ()),
    ("go", "github.com/RichardKnop/machinery/v2", "Machinery", ()),
    ("go", "go.temporal.io/sdk", "Temporal", ()),
    ("go", "go.temporal.io/sdk/contrib/opentelemetry", "Temporal", ()),
    ("crate", "apalis", "apalis", ()),
    ("crate", "apalis-redis", "apalis", ()),
    ("crate", "tokio-cron-scheduler", "tokio-cron-scheduler", ()),
    ("crate", "temporal-sdk", "Temporal", ()),
    ("crate", "fang", "Fang", ()),
    ("image", "centrifugo/centrifugo", "Centrifugo", ()),
    ("image", "dunglas/mercure", "Mercure", ()),
    # --- schemas
    ("npm", "@trpc/server", "tRPC", ()),
    ("npm", "graphql", "GraphQL", ("GraphQL Yoga",)),
    ("npm", "@apollo/server", "Apollo Server", ()),
    ("npm", "apollo-server", "Apollo Server", ()),
    ("npm", "@apollo/client", None, ("Apollo Server",)),
    ("npm", "graphql-yoga", "GraphQL Yoga", ()),
    ("npm", "graphql-yoga", "GraphQL", ()),
    ("npm", "mercurius", "Mercurius", ()),
    ("npm", "@pothos/core", "Pothos", ()),
    ("npm", "nexus", "Nexus", ()),
    ("npm", "nexus-rpc", None, ("Nexus",)),
    ("npm", "type-graphql", "TypeGraphQL", ()),
    ("npm", "@graphql-codegen/cli", "GraphQL Code Generator", ()),
    ("npm", "@openapitools/openapi-generator-cli", "OpenAPI Generator", ()),
    ("npm", "orval", "Orval", ()),
    ("npm", "openapi-typescript", "openapi-typescript", ()),
    ("npm", "swagger-ui-express", "Swagger UI", ()),
    ("npm", "@asyncapi/cli", "AsyncAPI", ()),
    ("npm", "avsc", "Avro", ()),
    ("npm", "thrift", "Apache Thrift", ()),
    ("npm", "@connectrpc/connect-web", "ConnectRPC", ()),
    ("npm", "protobufjs", "Protocol Buffers", ()),
    ("npm", "grpc-web", "gRPC-Web", ()),
    ("npm", "@stoplight/spectral-cli", "Spectral", ()),
    ("pypi", "drf-spectacular", "drf-spectacular", ()),
    ("pypi", "drf-yasg", "drf-yasg", ()),
    ("pypi", "strawberry-graphql", "GraphQL", ()),
    ("pypi", "avro", "Avro", ()),
    ("pypi", "fastavro", "Avro", ()),
    ("pypi", "protobuf", "Protocol Buffers", ()),
    ("pypi", "pydantic", "Pydantic", ()),
    ("pypi", "pydantic-extra-types", None, ("Pydantic",)),
    ("maven", "com.netflix.graphql.dgs:graphql-dgs-spring-graphql-starter", "Netflix DGS", ()),
    ("maven", "org.springframework.boot:spring-boot-starter-graphql", "Spring for GraphQL", ()),
    ("maven", "com.graphql-java:graphql-java", "graphql-java", ()),
    ("maven", "org.springdoc:springdoc-openapi-starter-webmvc-ui", "springdoc-openapi", ()),
    ("maven", "io.springfox:springfox-boot-starter", "Springfox", ()),
    ("maven", "io.swagger.core.v3:swagger-annotations", "Swagger", ()),
    ("maven", "io.quarkus:quarkus-smallrye-openapi", "SmallRye OpenAPI", ()),
    ("maven", "org.openapitools:openapi-generator-maven-plugin", "OpenAPI Generator", ()),
    ("maven", "org.apache.avro:avro", "Avro", ()),
    ("maven", "io.confluent:kafka-avro-serializer", "Confluent Schema Registry", ()),
    ("maven", "io.confluent:kafka-streams", None, ("Confluent Schema Registry",)),
    ("maven", "com.google.protobuf:protobuf-java", "Protocol Buffers", ()),
    ("gradle_plugin", "org.openapi.generator", "OpenAPI Generator", ()),
    ("go", "github.com/99designs/gqlgen", "GraphQL", ()),
    ("go", "github.com/grpc-ecosystem/grpc-gateway/v2", "gRPC-Gateway", ()),
    ("go", "github.com/grpc-ecosystem/go-grpc-middleware/v2", "gRPC", ("gRPC-Gateway",)),
    ("go", "github.com/swaggo/swag", "swag", ()),
    ("go", "github.com/swaggo/gin-swagger", "swag", ()),
    ("go", "github.com/getkin/kin-openapi", "kin-openapi", ()),
    ("go", "github.com/oapi-codegen/runtime", "oapi-codegen", ()),
    ("go", "github.com/ogen-go/ogen", "ogen", ()),
    ("go", "github.com/linkedin/goavro/v2", "Avro", ()),
    ("go", "github.com/hamba/avro/v2", "Avro", ()),
    ("go", "github.com/twitchtv/twirp", "Twirp", ()),
    ("go", "google.golang.org/protobuf", "Protocol Buffers", ()),
    ("crate", "async-graphql", "async-graphql", ()),
    ("crate", "async-graphql-axum", "async-graphql", ()),
    ("crate", "juniper", "Juniper", ()),
    ("crate", "utoipa", "utoipa", ()),
    ("crate", "utoipa-swagger-ui", "utoipa", ()),
    ("crate", "prost", "prost", ()),
    ("crate", "prost", "Protocol Buffers", ()),
    ("crate", "tonic", "tonic", ()),
    ("crate", "tonic-build", "tonic", ()),
    ("crate", "apache-avro", "Avro", ()),
    ("gem", "graphql", "graphql-ruby", ()),
    ("gem", "graphql", "GraphQL", ()),
    ("gem", "graphql-client", None, ("graphql-ruby",)),
    ("gem", "rswag-specs", "rswag", ()),
    ("hex", "absinthe", "GraphQL", ()),
    ("hex", "absinthe_plug", "GraphQL", ()),
    ("hex", "open_api_spex", "OpenApiSpex", ()),
    ("composer", "nuwave/lighthouse", "Lighthouse", ()),
    ("composer", "darkaonline/l5-swagger", "L5-Swagger", ()),
    ("nuget", "HotChocolate.AspNetCore", "Hot Chocolate", ()),
    ("nuget", "Swashbuckle.AspNetCore", "Swashbuckle", ()),
    ("nuget", "Swashbuckle.AspNetCore.Annotations", "Swashbuckle", ()),
    ("nuget", "NSwag.AspNetCore", "NSwag", ()),
    ("nuget", "Microsoft.AspNetCore.OpenApi", "ASP.NET Core", ()),
    ("nuget", "GraphQL.Server.Transports.AspNetCore", "GraphQL.NET", ()),
    ("nuget", "GraphQLParser", None, ("GraphQL.NET",)),
    ("nuget", "Confluent.SchemaRegistry.Serdes.Avro", "Confluent Schema Registry", ()),
    ("nuget", "Confluent.Kafka", "Kafka", ("Confluent Schema Registry",)),
    ("image", "confluentinc/cp-schema-registry", "Confluent Schema Registry", ()),
    ("image", "hasura/graphql-engine", "Hasura", ()),
    ("file", "buf.yaml", "buf", ()),
    ("file", "buf.gen.yaml", "buf", ()),
    ("file", "proto/buf.yaml", "buf", ()),
    # --- data access and migrations
    ("npm", "@prisma/adapter-pg", "Prisma", ()),
    ("npm", "prisma-json-types-generator", None, ("Prisma",)),
    ("npm", "@mikro-orm/postgresql", "MikroORM", ()),
    ("npm", "drizzle-kit", "Drizzle", ()),
    ("npm", "objection", "Objection.js", ()),
    ("npm", "objection", "Knex", ()),
    ("npm", "node-pg-migrate", "node-pg-migrate", ()),
    ("npm", "umzug", "Umzug", ()),
    ("npm", "db-migrate-pg", "db-migrate", ()),
    ("file", "schema.prisma", "Prisma", ()),
    ("file", "prisma/schema.prisma", "Prisma", ()),
    ("maven", "org.mybatis:mybatis", "MyBatis", ()),
    ("maven", "org.mybatis.spring.boot:mybatis-spring-boot-starter", "MyBatis", ()),
    ("maven", "com.baomidou:mybatis-plus-boot-starter", "MyBatis-Plus", ()),
    ("maven", "org.jooq:jooq", "jOOQ", ()),
    ("gradle_plugin", "nu.studer.jooq", "jOOQ", ()),
    ("maven", "org.jetbrains.exposed:exposed-core", "Exposed", ()),
    ("maven", "org.jdbi:jdbi3-core", "Jdbi", ()),
    ("maven", "org.springframework.data:spring-data-jdbc", "Spring Data JDBC", ()),
    ("maven", "org.springframework.boot:spring-boot-starter-data-r2dbc", "Spring Data R2DBC", ()),
    ("maven", "org.springframework.boot:spring-boot-starter-data-jpa", "Hibernate ORM", ()),
    ("maven", "com.querydsl:querydsl-jpa", "Querydsl", ()),
    ("maven", "io.github.openfeign.querydsl:querydsl-jpa", "Querydsl", ("OpenFeign",)),
    ("maven", "org.hibernate.reactive:hibernate-reactive-core", "Hibernate Reactive", ()),
    ("maven", "org.hibernate.orm:hibernate-core", "Hibernate ORM", ("Hibernate Reactive",)),
    ("maven", "org.flywaydb:flyway-core", "Flyway", ()),
    ("go", "github.com/jmoiron/sqlx", "jmoiron/sqlx", ("SQLx",)),
    ("crate", "sqlx", "SQLx", ("jmoiron/sqlx",)),
    ("go", "entgo.io/ent", "Ent", ()),
    # Go's Bun ORM is named by its path: "Bun" is the JavaScript runtime.
    ("go", "github.com/uptrace/bun", "uptrace/bun", ("Bun",)),
    ("go", "github.com/uptrace/bun/dialect/pgdialect", "uptrace/bun", ()),
    ("go", "github.com/uptrace/bunrouter", None, ("uptrace/bun",)),
    ("file", "bun.lockb", "Bun", ("uptrace/bun",)),
    ("go", "github.com/volatiletech/sqlboiler/v4", "SQLBoiler", ()),
    ("go", "github.com/Masterminds/squirrel", "Squirrel", ()),
    ("go", "github.com/go-pg/pg/v10", "go-pg", ()),
    ("go", "github.com/go-jet/jet/v2", "Jet", ()),
    ("go", "ariga.io/atlas", "Atlas", ()),
    ("go", "github.com/pressly/goose/v3", "goose", ()),
    ("file", "atlas.hcl", "Atlas", ()),
    ("file", "sqitch.plan", "Sqitch", ()),
    ("file", "dbt_project.yml", "dbt", ()),
    ("crate", "sea-orm-migration", "SeaORM", ()),
    ("crate", "refinery", "refinery", ()),
    ("crate", "deadpool", "deadpool", ()),
    ("crate", "deadpool-postgres", "PostgreSQL", ("deadpool",)),
    ("crate", "bb8", "bb8", ()),
    ("gem", "sequel", "Sequel", ()),
    ("gem", "rom-sql", "ROM", ()),
    ("gem", "romaji", None, ("ROM",)),
    ("composer", "doctrine/orm", "Doctrine ORM", ()),
    ("composer", "doctrine/dbal", "Doctrine DBAL", ()),
    ("composer", "doctrine/migrations", "Doctrine Migrations", ()),
    ("composer", "robmorgan/phinx", "Phinx", ()),
    ("composer", "cycle/orm", "Cycle ORM", ()),
    ("pypi", "peewee", "Peewee", ()),
    ("pypi", "pony", "Pony ORM", ()),
    ("pypi", "databases", "databases", ()),
    ("pypi", "dbt-core", "dbt", ()),
    ("pypi", "dbt-postgres", "dbt", ()),
    ("pypi", "yoyo-migrations", "Yoyo", ()),
    ("pypi", "flask-migrate", "Flask-Migrate", ()),
    ("pypi", "flask-migrate", "Alembic", ()),
    ("nuget", "Dapper", "Dapper", ()),
    ("nuget", "NHibernate", "NHibernate", ()),
    ("nuget", "linq2db.PostgreSQL", "linq2db", ()),
    ("nuget", "Marten", "Marten", ()),
    ("nuget", "Marten", "PostgreSQL", ()),
    ("nuget", "dbup-core", "DbUp", ()),
    ("nuget", "dbup-postgresql", "DbUp", ()),
    ("nuget", "FluentMigrator.Runner", "FluentMigrator", ()),
    ("nuget", "FluentMigratorExtras", None, ("FluentMigrator",)),
    # --- HTTP clients and gateways
    ("crate", "reqwest", "reqwest", ()),
    ("crate", "hyper", "hyper", ()),
    ("crate", "ureq", "ureq", ()),
    ("crate", "isahc", "isahc", ()),
    ("npm", "axios", "axios", ()),
    ("npm", "axios-mock-adapter", None, ("axios",)),
    ("npm", "got", "got", ()),
    ("npm", "got-scraping", None, ("got",)),
    ("npm", "ky", "ky", ()),
    ("npm", "ky-universal", None, ("ky",)),
    ("npm", "node-fetch", "node-fetch", ()),
    ("npm", "undici", "undici", ()),
    ("npm", "superagent", "superagent", ()),
    ("npm", "supertest", None, ("superagent",)),
    ("npm", "request", "request", ()),
    ("npm", "request-ip", None, ("request",)),
    ("pypi", "requests", "Requests", ()),
    ("pypi", "requests-oauthlib", None, ("Requests",)),
    ("pypi", "httpx", "HTTPX", ()),
    ("pypi", "aiohttp", "aiohttp", ("HTTPX", "Requests")),
    ("maven", "com.squareup.okhttp3:okhttp", "OkHttp", ()),
    ("maven", "com.squareup.retrofit2:retrofit", "Retrofit", ()),
    ("maven", "io.github.openfeign:feign-core", "OpenFeign", ()),
    ("maven", "org.springframework.cloud:spring-cloud-starter-openfeign", "OpenFeign", ()),
    ("maven", "org.springframework.cloud:spring-cloud-starter-config", "Spring Cloud",
     ("OpenFeign", "Spring Cloud Gateway")),
    ("maven", "org.springframework.cloud:spring-cloud-starter-gateway-server-webflux",
     "Spring Cloud Gateway", ()),
    ("maven", "org.springframework.cloud:spring-cloud-starter-gateway-server-webflux",
     "Spring Cloud", ()),
    ("maven", "org.springframework.cloud:spring-cloud-starter-gateway", "Spring Cloud", ()),
    ("maven", "org.apache.httpcomponents.client5:httpclient5", "Apache HttpClient", ()),
    ("maven", "org.apache.httpcomponents:httpclient", "Apache HttpClient", ()),
    ("maven", "org.apache.httpcomponents:httpcore", None, ("Apache HttpClient",)),
    ("maven", "io.ktor:ktor-client-core", "Ktor Client", ()),
    ("maven", "io.ktor:ktor-server-core", None, ("Ktor Client",)),
    ("maven", "io.github.resilience4j:resilience4j-spring-boot3", "Resilience4j", ()),
    ("go", "github.com/go-resty/resty/v2", "Resty", ()),
    ("gem", "faraday", "Faraday", ()),
    ("gem", "faraday-retry", "Faraday", ()),
    ("gem", "httparty", "HTTParty", ()),
    ("gem", "typhoeus", "Typhoeus", ()),
    ("gem", "excon", "Excon", ()),
    ("gem", "http", "http.rb", ()),
    ("gem", "http-cookie", None, ("http.rb",)),
    ("gem", "http_parser.rb", None, ("http.rb",)),
    ("composer", "guzzlehttp/guzzle", "Guzzle", ()),
    ("composer", "guzzlehttp/psr7", None, ("Guzzle",)),
    ("composer", "symfony/http-client", "Symfony HttpClient", ()),
    ("composer", "symfony/http-client-contracts", None, ("Symfony HttpClient",)),
    ("hex", "finch", "Finch", ()),
    ("hex", "req", "Req", ()),
    ("hex", "tesla", "Tesla", ()),
    ("hex", "httpoison", "HTTPoison", ()),
    ("hex", "mint", "Mint", ()),
    ("hex", "mint_web_socket", None, ("Mint",)),
    ("nuget", "Refit", "Refit", ()),
    ("nuget", "Refit.HttpClientFactory", "Refit", ()),
    ("nuget", "Polly", "Polly", ()),
    ("nuget", "Polly.Extensions.Http", "Polly", ()),
    ("nuget", "Yarp.ReverseProxy", "YARP", ()),
    ("cmake", "CURL", "libcurl", ()),
]


@pytest.mark.parametrize(("source", "ident", "wanted", "unwanted"), ROWS,
                         ids=[f"{row[0]}:{row[1]}:{row[2]}" for row in ROWS])
def test_id_names_the_right_technology(
    source: str, ident: str, wanted: str | None, unwanted: tuple[str, ...]
) -> None:
    if wanted is not None and wanted not in _defined():
        pytest.skip(f"{wanted} is defined by a catalog file that is not in place yet")
    found = names(source, ident)
    if wanted is not None:
        assert wanted in found, f"{source} {ident!r} gives {sorted(found)}"
    for name in unwanted:
        assert name not in found, f"{source} {ident!r} gives {sorted(found)}"


@cache
def _defined() -> dict[str, list[str]]:
    """Each name defined (with a category) by any catalog file, with the files defining it."""
    defined: dict[str, list[str]] = defaultdict(list)
    for path in sorted(CATALOG.glob("*.toml")):
        for table in _tables(path.name):
            if "category" in table:
                defined[str(table["name"])].append(path.name)
    return defined


@pytest.mark.parametrize("filename", OWN_FILES)
def test_own_file_follows_the_contract(filename: str) -> None:
    allowed = {"name", "category", "implies", "versioned", *SOURCES}
    for table in _tables(filename):
        name = table.get("name")
        assert isinstance(name, str) and name, f"{filename}: a table has no name"
        assert set(table) <= allowed, f"{filename}: {name} has {sorted(set(table) - allowed)}"
        if "category" in table:
            assert table["category"] in CATEGORIES, f"{filename}: {name}"
        for source in SOURCES:
            keys = _keys(table, source)
            assert all(keys), f"{filename}: {name} has an empty {source} key"
            assert len(keys) == len(set(keys)), f"{filename}: {name} repeats a {source} key"
            if source == "pypi":
                # Distribution names are normalised: lower case, `-` for `_` and `.`.
                assert all(k == k.lower() and "_" not in k and "." not in k for k in keys), name


def test_own_names_are_defined_once() -> None:
    counts = Counter(
        str(table["name"])
        for filename in OWN_FILES
        for table in _tables(filename)
        if "category" in table
    )
    assert [name for name, count in counts.items() if count > 1] == []
    defined = _defined()
    clashes = {name: files for name, files in defined.items() if len(files) > 1
               and set(files) & set(OWN_FILES)}
    assert clashes == {}


def test_own_keys_are_claimed_once() -> None:
    """No key of the own files is claimed twice within a source, here or elsewhere."""
    claims: dict[tuple[str, str], list[str]] = defaultdict(list)
    own: set[tuple[str, str]] = set()
    for path in sorted(CATALOG.glob("*.toml")):
        for table in _tables(path.name):
            for source in SOURCES:
                for key in _keys(table, source):
                    claims[(source, key)].append(f"{path.name}:{table['name']}")
                    if path.name in OWN_FILES:
                        own.add((source, key))
    assert {key: claims[key] for key in own if len(claims[key]) > 1} == {}


def test_own_extensions_and_implies_name_defined_technologies() -> None:
    defined = _defined()
    if "PostgreSQL" not in defined:
        pytest.skip("the migrated catalog files are not in place yet")
    missing = []
    for filename in OWN_FILES:
        for table in _tables(filename):
            if "category" not in table and str(table["name"]) not in defined:
                missing.append(f"{filename}: extends {table['name']}")
            for other in _keys(table, "implies"):
                if other not in defined:
                    missing.append(f"{filename}: {table['name']} implies {other}")
    assert missing == []
