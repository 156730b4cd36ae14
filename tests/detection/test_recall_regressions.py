"""Regressions from measuring recall on public microservice repositories.

Each case is a synthetic tree shaped like a pattern those repositories use (a Quarkus
service on MongoDB, an Aspire app host, a Makefile that starts its databases with
``docker run``...), never a copy of one. Each asserts what a backend engineer would name
and, where a fix could overreach, what must not be claimed.
"""

from __future__ import annotations

import pytest

from tests.detection.conftest import Detect
from tests.detection.corpus import Case, Tech, assert_technology, by_name, row_id, table

POM = """<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <artifactId>svc</artifactId>
  <dependencies>
{dependencies}
  </dependencies>
</project>
"""


def pom(*dependencies: tuple[str, str, str]) -> str:
    rows = [f"    <dependency><groupId>{g}</groupId><artifactId>{a}</artifactId>"
            + (f"<scope>{s}</scope>" if s else "") + "</dependency>"
            for g, a, s in dependencies]
    return POM.format(dependencies="\n".join(rows))


QUARKUS_MONGO = Case("quarkus-mongo", {"pom.xml": pom(
    ("io.quarkus", "quarkus-mongodb-panache", ""),
    ("io.quarkus", "quarkus-liquibase-mongodb", ""),
    ("io.quarkus", "quarkus-hibernate-reactive-panache", ""),
    ("io.quarkus", "quarkus-junit", "test"),
)})

SPRING_EXTRAS = Case("spring-extras", {"pom.xml": pom(
    ("org.hsqldb", "hsqldb", "runtime"),
    ("org.springframework.ai", "spring-ai-starter-model-openai", ""),
)})

GRADLE_CONTINUED = Case("gradle-continued", {
    "svc/build.gradle": """def grpcVersion = "1.49.2"

dependencies {
    implementation "com.google.api.grpc:proto-google-common-protos:2.9.6",
            "io.grpc:grpc-stub:${grpcVersion}",
            "org.apache.kafka:kafka-clients:3.7.0"

    runtimeOnly "com.fasterxml.jackson.core:jackson-core:2.13.4"
}
""",
    "worker/build.gradle.kts": """dependencies {
    implementation("io.grpc:grpc-netty:${grpcVersion}")
    testImplementation("org.junit.jupiter:junit-jupiter:5.10.0")
}
""",
})

ASPIRE = Case("aspire", {
    "Directory.Packages.props": """<Project>
  <ItemGroup>
    <PackageVersion Include="Aspire.Hosting.PostgreSQL" Version="9.0.0" />
    <PackageVersion Include="Aspire.StackExchange.Redis" Version="9.0.0" />
  </ItemGroup>
</Project>
""",
    "src/AppHost/AppHost.csproj": """<Project Sdk="Aspire.AppHost.Sdk/9.2.0">
  <ItemGroup>
    <PackageReference Include="Aspire.Hosting.PostgreSQL" />
    <PackageReference Include="Aspire.Hosting.RabbitMQ" />
  </ItemGroup>
</Project>
""",
    "src/Basket/Basket.csproj": """<Project Sdk="Microsoft.NET.Sdk.Web">
  <ItemGroup>
    <PackageReference Include="Aspire.StackExchange.Redis" />
    <PackageReference Include="Google.Cloud.Spanner.Data" Version="4.5.0" />
  </ItemGroup>
</Project>
""",
})

CLOUD_CLIENTS = Case("cloud-clients", {
    "go.mod": "module example.com/svc\n\ngo 1.22\n\n"
              "require cloud.google.com/go/firestore v1.2.0\n",
    "pyproject.toml": '[project]\nname = "api"\ndependencies = ["graphene-django>=3"]\n',
    "web/package.json": '{"name": "web", "dependencies": {"@nestjs/graphql": "12.0.0"},'
                        ' "devDependencies": {"@prisma/cli": "2.0.0"}}\n',
})

RUBY_GROUPS = Case("ruby-groups", {"Gemfile": """source "https://rubygems.org"

gem "chewy", "~> 7.3"

group :production do
  gem "redis", "~> 4.5"
end

group :development, :test do
  gem "rspec-rails", "~> 7.0"
end

group :development do
  gem "sinatra"
end
"""})

ELIXIR_CLICKHOUSE = Case("elixir-clickhouse", {
    "mix.exs": """defmodule App.MixProject do
  defp deps do
    [
      {:clickhouse_ecto, git: "https://example.test/clickhouse_ecto.git"},
      {:ecto_sql, "~> 3.0"}
    ]
  end
end
""",
    "priv/repo/migrations/20200101000000_create_users.exs":
        "defmodule App.Repo.Migrations.CreateUsers do\n  use Ecto.Migration\nend\n",
})

BASE_IMAGES = Case("base-images", {
    "broker/Dockerfile": "FROM apache/kafka:3.7.0\nUSER appuser\n",
    "search/Dockerfile": "FROM public.ecr.aws/opensearchproject/opensearch:3.8.0@sha256:"
                         + "ab" * 32 + "\n",
    "app/Dockerfile": "FROM python:3.12-slim AS redis\nFROM redis\nCOPY . /app\n",
})

COMPOSE_ELSEWHERE = Case("compose-elsewhere", {
    "deploy/stacks/jvm.yml": """services:
  orders-db:
    image: mongo:7.0
  orders:
    image: example.test/orders:latest
""",
    ".github/workflows/ci.yml": """on: push
jobs:
  test:
    services:
      db:
        image: postgres:16
""",
    "chart/values-prod.yaml": "services:\n  cache:\n    image: redis:7\n",
    "notes/services.yml": "services:\n  - name: billing\n",
})

MAKEFILE_RUN = Case("makefile-run", {"Makefile": """db:
\tdocker run --detach -e POSTGRES_PASSWORD="SENTINEL-make" -p 5432:5432 \\
\t\t--volume=data:/var/lib/postgresql/data --name app_db postgres:16

olap:
\tdocker run -d -p8123:8123 --ulimit nofile=262144:262144 --name redis \\
\t\tclickhouse/clickhouse-server:24.3

shell:
\tdocker run --rm -it --name mongo example.test/tools:1 mongo
"""})

DEV_ENV = Case("dev-env", {
    "config/.env.dev": "DATABASE_URL=postgres://app:SENTINEL-dev@localhost:5432/app\n"
                       "SECRET_KEY_BASE=SENTINEL-key\n",
    ".env": "CACHE_URL=redis://:SENTINEL-prod@cache:6379\n",
})

RUST_MIGRATIONS = Case("rust-migrations", {
    "Cargo.toml": '[package]\nname = "api"\nversion = "0.1.0"\n\n'
                  '[dependencies]\nsqlx = { version = "0.7", features = ["postgres"] }\n',
    "migrations/1_setup.sql": "create extension if not exists \"uuid-ossp\";\n",
    "migrations/2_users.up.sql": "create table users (id uuid primary key);\n",
    "diesel/migrations/2024-01-02-030405_posts/up.sql": "create table posts (id int);\n",
})

GO_MIGRATIONS = Case("go-migrations", {
    "go.mod": "module example.com/svc\n\ngo 1.22\n",
    "migrations/1_users.up.sql": "create table users (id int);\n",
})

COMPATIBLE = Case("compatible", {
    "cart/cart.csproj": """<Project Sdk="Microsoft.NET.Sdk.Web">
  <ItemGroup>
    <PackageReference Include="StackExchange.Redis" Version="2.8.31" />
  </ItemGroup>
</Project>
""",
    "events/go.mod": "module example.com/events\n\ngo 1.22\n\n"
                     "require github.com/IBM/sarama v1.46.3\n",
    "compose.yaml": """services:
  cache:
    image: valkey/valkey:8.1
  stream:
    image: redpandadata/redpanda:v24.2.1
  cart:
    build: ./cart
    environment:
      CACHE_URL: redis://cache:6379
""",
})

REDIS_AND_VALKEY = Case("redis-and-valkey", {
    "api/package.json": '{"name": "api", "dependencies": {"ioredis": "5.3.2"}}\n',
    "compose.yaml": "services:\n  a:\n    image: redis:7\n  b:\n    image: valkey/valkey:8\n",
})

VARIABLE_TAGS = Case("variable-tags", {
    ".env": "CASSANDRA_VERSION=3.11.9\nWORKFLOW_VERSION=1.19.1\n",
    "docker-compose-cassandra.yml": """services:
  cassandra:
    image: cassandra:${CASSANDRA_VERSION}
  workflow:
    image: temporalio/auto-setup:${WORKFLOW_VERSION}
    depends_on: [cassandra]
  search:
    image: ${REGISTRY}/elasticsearch:7.17.0
""",
})

NAMED_SERVICES = Case("named-services", {"docker-compose.base.yml": """services:
  olap:
    image: ${OLAP_IMAGE:-clickhouse/clickhouse-server:24.8.7.41}
  kafka:
    image: ghcr.io/example/kafka-container:v2.8.2
  kafka_ui:
    image: provectuslabs/kafka-ui:latest
  search:
    image: ${SEARCH_IMAGE}
  web:
    build: .
    depends_on: [kafka]
""", "package.json": '{"name": "web"}\n'})

MANAGED_AND_STREAMING = Case("managed-and-streaming", {
    "infra/firestore.tf": 'resource "google_firestore_index" "by_user" {\n'
                          '  collection = "items"\n}\n',
    "go.mod": "module example.com/svc\n\ngo 1.22\n\nrequire github.com/nats-io/stan.go v0.8.3\n",
})

EXPECTED = [
    (QUARKUS_MONGO, [
        Tech("MongoDB", "datastore",
             evidence=(QUARKUS_MONGO.at("pom.xml", ">quarkus-mongodb-panache<"),)),
        Tech("Liquibase", "migrations"),
        Tech("Hibernate ORM", "data-access"),
        Tech("JUnit", "testing", scope="test"),
    ]),
    (SPRING_EXTRAS, [Tech("HSQLDB", "datastore"), Tech("Spring AI", "framework")]),
    (GRADLE_CONTINUED, [
        Tech("gRPC", "api", evidence=(
            GRADLE_CONTINUED.at("svc/build.gradle", '"io.grpc:grpc-stub:${grpcVersion}"'),
            GRADLE_CONTINUED.at("worker/build.gradle.kts", "io.grpc:grpc-netty"),
        )),
        Tech("Kafka", "broker"),
        Tech("JUnit", "testing", version="5.10.0", scope="test"),
    ]),
    (ASPIRE, [
        Tech(".NET Aspire", "framework", version="9.0.0"),
        Tech("PostgreSQL", "datastore"),
        Tech("RabbitMQ", "broker"),
        Tech("Redis", "datastore",
             evidence=(ASPIRE.at("src/Basket/Basket.csproj", "Aspire.Stack"),)),
        Tech("Spanner", "datastore"),
    ]),
    (CLOUD_CLIENTS, [
        Tech("Firestore", "datastore"),
        # graphene-django implies GraphQL, and @nestjs/graphql is a server library: neither
        # version is GraphQL's.
        Tech("GraphQL", "api"),
        Tech("Prisma", "data-access", version="2.0.0", scope="dev"),
    ]),
    (RUBY_GROUPS, [
        Tech("Elasticsearch", "search"),
        Tech("Redis", "datastore"),
        Tech("RSpec", "testing", scope="test"),  # rspec-rails 7 is not RSpec 7
        Tech("Sinatra", "framework", scope="dev"),
    ]),
    (ELIXIR_CLICKHOUSE, [
        Tech("ClickHouse", "datastore"),
        Tech("Ecto", "data-access", version="~> 3.0"),
    ]),
    (BASE_IMAGES, [
        Tech("Kafka", "broker", version="3.7.0",
             evidence=(BASE_IMAGES.at("broker/Dockerfile", "FROM apache/kafka"),)),
        Tech("OpenSearch", "search", version="3.8.0"),
    ]),
    (COMPOSE_ELSEWHERE, [
        Tech("MongoDB", "datastore", version="7.0",
             evidence=(COMPOSE_ELSEWHERE.at("deploy/stacks/jvm.yml", "mongo:7.0"),)),
    ]),
    (MAKEFILE_RUN, [
        Tech("PostgreSQL", "datastore", version="16",
             evidence=(MAKEFILE_RUN.at("Makefile", "postgres:16"),)),
        Tech("ClickHouse", "datastore", version="24.3"),
    ]),
    (DEV_ENV, [Tech("PostgreSQL", "datastore", evidence=("config/.env.dev:1",))]),
    (COMPATIBLE, [
        Tech("Valkey", "datastore", version="8.1",
             evidence=(COMPATIBLE.at("cart/cart.csproj", "StackExchange.Redis"),)),
        Tech("Redpanda", "broker", version="v24.2.1",
             evidence=(COMPATIBLE.at("events/go.mod", "github.com/IBM/sarama"),)),
    ]),
    (VARIABLE_TAGS, [
        Tech("Cassandra", "datastore",
             evidence=(VARIABLE_TAGS.at("docker-compose-cassandra.yml", "cassandra:${"),)),
        Tech("Temporal", "jobs"),
        Tech("Elasticsearch", "search", version="7.17.0"),
    ]),
    (NAMED_SERVICES, [
        Tech("ClickHouse", "datastore", version="24.8.7.41"),
        Tech("Kafka", "broker",
             evidence=(NAMED_SERVICES.at("docker-compose.base.yml", "kafka:"),)),
    ]),
    (MANAGED_AND_STREAMING, [Tech("Firestore", "datastore"), Tech("NATS", "broker")]),
    (REDIS_AND_VALKEY, [
        Tech("Redis", "datastore", version="7"),
        Tech("Valkey", "datastore", version="8"),
    ]),
]

# What each case must not claim: the tempting mistake its fix could make.
ABSENT = [
    (RUBY_GROUPS, ["Rails"]),
    (BASE_IMAGES, ["Redis"]),  # `FROM redis` names the earlier stage, not the image
    # A chart's values are no Compose file. (The workflow's service container is PostgreSQL,
    # named by the ci detector from the job, not by reading the workflow as Compose.)
    (COMPOSE_ELSEWHERE, ["Redis"]),
    (MAKEFILE_RUN, ["Redis", "MongoDB"]),  # `--name redis` and a command argument
    (DEV_ENV, ["Redis"]),  # a plain .env is read for image keys only
    (COMPATIBLE, ["Redis", "Kafka"]),  # clients of servers that speak their protocol
]

MIGRATIONS = [
    (ELIXIR_CLICKHOUSE, {"priv/repo/migrations/20200101000000_create_users.exs": "ecto"}),
    (RUST_MIGRATIONS, {
        "migrations/1_setup.sql": "sqlx",
        "migrations/2_users.up.sql": "sqlx",
        "diesel/migrations/2024-01-02-030405_posts/up.sql": "diesel",
    }),
    (GO_MIGRATIONS, {"migrations/1_users.up.sql": "golang-migrate"}),
]


@pytest.mark.parametrize(("case", "tech"), table(EXPECTED), ids=row_id)
def test_detects(detect: Detect, case: Case, tech: Tech) -> None:
    assert_technology(detect(case), tech)


@pytest.mark.parametrize(("case", "names"), ABSENT, ids=row_id)
def test_claims_nothing_false(detect: Detect, case: Case, names: list[str]) -> None:
    found = by_name(detect(case))
    assert not set(names) & set(found), sorted(found)


@pytest.mark.parametrize(("case", "kinds"), MIGRATIONS, ids=row_id)
def test_migration_tools(detect: Detect, case: Case, kinds: dict[str, str]) -> None:
    found = {m.path: m.kind for m in detect(case).migrations}
    assert {path: found.get(path) for path in kinds} == kinds


@pytest.mark.parametrize(("case", "compose"), [
    (COMPOSE_ELSEWHERE, ["deploy/stacks/jvm.yml"]),
    (COMPATIBLE, ["compose.yaml"]),
], ids=row_id)
def test_compose_files_by_content(detect: Detect, case: Case, compose: list[str]) -> None:
    found = [c.path for c in detect(case).containers if c.kind == "compose"]
    assert found == compose


def test_a_compatible_server_is_what_its_clients_use(detect: Detect) -> None:
    cart = next(c for c in detect(COMPATIBLE).components if c.path == "cart")
    assert cart.datastores == ["Valkey"]


@pytest.mark.parametrize("case", [MAKEFILE_RUN, DEV_ENV], ids=row_id)
def test_secret_values_are_never_reported(detect: Detect, case: Case) -> None:
    assert "SENTINEL" not in detect(case).model_dump_json()


def test_a_named_service_feeds_the_services_map(detect: Detect) -> None:
    web = next(c for c in detect(NAMED_SERVICES).components if c.path == ".")
    assert web.brokers == ["Kafka"]
    # `kafka_ui` and a variable image with no default claim nothing, and neither does a
    # package.json with no dependencies and no start script: it proves no Node.js.
    assert set(by_name(detect(NAMED_SERVICES))) == {"ClickHouse", "Docker Compose", "Kafka"}
