"""Manifests of every ecosystem, parsed: exact technologies, versions, scopes and evidence."""

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

GO = Case("go", {
    "go.mod": """module github.com/acme/orders

go 1.23.4

require (
\tgithub.com/acme/shared v0.0.0
\tgithub.com/go-chi/chi/v5 v5.1.0
\tgithub.com/jackc/pgx/v5 v5.7.1
\tgithub.com/labstack/echo/v4 v4.12.0
\tgithub.com/pressly/goose/v3 v3.22.1
\tgithub.com/stretchr/testify v1.9.0
)

require (
\tgithub.com/gin-gonic/gin v1.10.0 // indirect
\tgithub.com/segmentio/kafka-go v0.4.47 // indirect
\tgo.mongodb.org/mongo-driver v1.17.1 // indirect
\tgolang.org/x/crypto v0.28.0 // indirect
)

replace github.com/jackc/pgx/v5 => github.com/jackc/pgx/v5 v5.7.2

replace github.com/acme/shared => ../shared
""",
    "go.sum": "github.com/gin-gonic/gin v1.10.0 h1:nTuyha1TYqgedzytsKYqna+DfLos46nTv2ygFy86HFU=\n",
    "cmd/orders/main.go": "package main\n\nfunc main() {}\n",
    "internal/store/store.go": "package store\n",
    "internal/store/store_test.go": "package store\n",
    "sqlc.yaml": "version: \"2\"\nsql:\n  - engine: postgresql\n"
                 "    queries: internal/store/queries\n    schema: db/migrations\n",
    "db/migrations/00001_create_orders.sql": "-- +goose Up\nCREATE TABLE orders (id bigserial);\n"
                                             "-- +goose Down\nDROP TABLE orders;\n",
})

RUST = Case("rust", {
    "Cargo.toml": """[workspace]
members = ["crates/api", "crates/worker"]
resolver = "2"

[workspace.dependencies]
axum = "0.7.9"
tokio = { version = "1.41", features = ["full"] }
serde = { version = "1", features = ["derive"] }

[workspace.dependencies.sqlx]
version = "0.8.2"
default-features = false
features = ["runtime-tokio", "postgres", "macros"]
""",
    "crates/api/Cargo.toml": """[package]
name = "api"
version = "0.1.0"
edition = "2021"

[dependencies]
axum = { workspace = true }
tokio.workspace = true
sqlx = { workspace = true, features = ["sqlite"] }
serde.workspace = true

[dev-dependencies]
testcontainers = "0.23.1"
""",
    "crates/api/src/main.rs": "fn main() {}\n",
    "crates/api/src/routes.rs": "pub fn routes() {}\n",
    "crates/worker/Cargo.toml": """[package]
name = "worker"
version = "0.1.0"
edition = "2021"

[dependencies]
rdkafka = { version = "0.36.2", features = ["cmake-build"] }
tokio = { workspace = true, features = ["rt-multi-thread"] }
sqlx.workspace = true
""",
    "crates/worker/src/main.rs": "fn main() {}\n",
})

MAVEN_SPRING = Case("maven-spring", {
    "pom.xml": """<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <parent>
    <groupId>org.springframework.boot</groupId>
    <artifactId>spring-boot-starter-parent</artifactId>
    <version>3.3.5</version>
    <relativePath/>
  </parent>
  <groupId>com.acme</groupId>
  <artifactId>shop-parent</artifactId>
  <version>1.0.0-SNAPSHOT</version>
  <packaging>pom</packaging>
  <modules>
    <module>catalog</module>
    <module>notifications</module>
  </modules>
</project>
""",
    "catalog/pom.xml": """<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <parent>
    <groupId>com.acme</groupId>
    <artifactId>shop-parent</artifactId>
    <version>1.0.0-SNAPSHOT</version>
  </parent>
  <artifactId>catalog</artifactId>
  <dependencies>
    <dependency>
      <groupId>org.springframework.boot</groupId>
      <artifactId>spring-boot-starter-web</artifactId>
    </dependency>
    <dependency>
      <groupId>org.springframework.boot</groupId>
      <artifactId>spring-boot-starter-data-jpa</artifactId>
    </dependency>
    <dependency>
      <groupId>org.flywaydb</groupId>
      <artifactId>flyway-core</artifactId>
    </dependency>
    <dependency>
      <groupId>org.postgresql</groupId>
      <artifactId>postgresql</artifactId>
      <scope>runtime</scope>
    </dependency>
    <dependency>
      <groupId>org.springframework.boot</groupId>
      <artifactId>spring-boot-starter-test</artifactId>
      <scope>test</scope>
    </dependency>
    <dependency>
      <groupId>org.testcontainers</groupId>
      <artifactId>postgresql</artifactId>
      <version>1.20.3</version>
      <scope>test</scope>
    </dependency>
  </dependencies>
</project>
""",
    "catalog/src/main/java/com/acme/catalog/CatalogApplication.java": "package com.acme.catalog;\n",
    "catalog/src/main/resources/db/migration/V1__create_products.sql":
        "CREATE TABLE products (id bigint primary key);\n",
    "notifications/pom.xml": """<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <parent>
    <groupId>com.acme</groupId>
    <artifactId>shop-parent</artifactId>
    <version>1.0.0-SNAPSHOT</version>
  </parent>
  <artifactId>notifications</artifactId>
  <dependencies>
    <dependency>
      <groupId>org.springframework.kafka</groupId>
      <artifactId>spring-kafka</artifactId>
    </dependency>
    <dependency>
      <groupId>org.springframework.boot</groupId>
      <artifactId>spring-boot-starter-data-redis</artifactId>
    </dependency>
  </dependencies>
</project>
""",
    "notifications/src/main/java/com/acme/notify/Listener.java": "package com.acme.notify;\n",
})

MAVEN_QUARKUS = Case("maven-quarkus", {
    "pom.xml": """<?xml version="1.0"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>org.acme</groupId>
  <artifactId>inventory</artifactId>
  <version>1.0.0-SNAPSHOT</version>
  <properties>
    <quarkus.platform.version>3.15.1</quarkus.platform.version>
  </properties>
  <dependencyManagement>
    <dependencies>
      <dependency>
        <groupId>io.quarkus.platform</groupId>
        <artifactId>quarkus-bom</artifactId>
        <version>3.15.1</version>
        <type>pom</type>
        <scope>import</scope>
      </dependency>
    </dependencies>
  </dependencyManagement>
  <dependencies>
    <dependency>
      <groupId>io.quarkus</groupId>
      <artifactId>quarkus-rest</artifactId>
    </dependency>
    <dependency>
      <groupId>io.quarkus</groupId>
      <artifactId>quarkus-hibernate-orm-panache</artifactId>
    </dependency>
    <dependency>
      <groupId>io.quarkus</groupId>
      <artifactId>quarkus-jdbc-mariadb</artifactId>
    </dependency>
    <dependency>
      <groupId>io.quarkus</groupId>
      <artifactId>quarkus-liquibase</artifactId>
    </dependency>
    <dependency>
      <groupId>io.quarkus</groupId>
      <artifactId>quarkus-junit5</artifactId>
      <scope>test</scope>
    </dependency>
  </dependencies>
  <build>
    <plugins>
      <plugin>
        <groupId>io.quarkus.platform</groupId>
        <artifactId>quarkus-maven-plugin</artifactId>
        <version>${quarkus.platform.version}</version>
      </plugin>
    </plugins>
  </build>
</project>
""",
    "src/main/java/org/acme/InventoryResource.java": "package org.acme;\n",
    "src/main/resources/application.properties":
        "quarkus.datasource.db-kind=mariadb\nquarkus.datasource.username=inventory\n"
        "quarkus.datasource.password=Quarkus-Secret-9\n"
        "quarkus.liquibase.migrate-at-start=true\n",
    "src/main/resources/db/changeLog.xml": """<?xml version="1.0" encoding="UTF-8"?>
<databaseChangeLog xmlns="http://www.liquibase.org/xml/ns/dbchangelog">
  <changeSet id="1" author="acme">
    <createTable tableName="item"><column name="id" type="bigint"/></createTable>
  </changeSet>
</databaseChangeLog>
""",
})

GRADLE = Case("gradle", {
    "settings.gradle.kts": 'rootProject.name = "payments"\ninclude("api", "ledger")\n',
    "build.gradle.kts": "plugins {\n    alias(libs.plugins.kotlin.jvm) apply false\n}\n",
    "gradle/libs.versions.toml": """[versions]
spring-boot = "3.3.4"
kotlin = "2.0.21"
flyway = "10.20.1"

[libraries]
spring-boot-starter-web = { module = "org.springframework.boot:spring-boot-starter-web" }
postgresql = { module = "org.postgresql:postgresql", version = "42.7.4" }
flyway-core = { group = "org.flywaydb", name = "flyway-core", version.ref = "flyway" }
kafka-clients = "org.apache.kafka:kafka-clients:3.8.1"
testcontainers-postgresql = { module = "org.testcontainers:postgresql", version = "1.20.3" }

[plugins]
spring-boot = { id = "org.springframework.boot", version.ref = "spring-boot" }
kotlin-jvm = { id = "org.jetbrains.kotlin.jvm", version.ref = "kotlin" }
""",
    "api/build.gradle.kts": """plugins {
    alias(libs.plugins.spring.boot)
    alias(libs.plugins.kotlin.jvm)
}

dependencies {
    implementation(libs.spring.boot.starter.web)
    implementation(libs.flyway.core)
    runtimeOnly(libs.postgresql)
    testImplementation(libs.testcontainers.postgresql)
}
""",
    "api/src/main/kotlin/com/acme/payments/Application.kt": "package com.acme.payments\n",
    "ledger/build.gradle.kts": """plugins {
    alias(libs.plugins.kotlin.jvm)
}

dependencies {
    implementation(libs.kafka.clients)
    implementation("org.mongodb:mongodb-driver-sync:5.2.0")
    testImplementation("org.junit.jupiter:junit-jupiter:5.11.3")
}
""",
    "ledger/src/main/kotlin/com/acme/ledger/Ledger.kt": "package com.acme.ledger\n",
})

NODE = Case("node-workspaces", {
    "package.json": """{
  "name": "acme-platform",
  "private": true,
  "workspaces": ["apps/*", "packages/*"],
  "engines": { "node": ">=20.11" },
  "devDependencies": {
    "typescript": "^5.6.3",
    "vitest": "^2.1.4"
  }
}
""",
    "apps/api/package.json": """{
  "name": "@acme/api",
  "version": "1.0.0",
  "dependencies": {
    "@nestjs/core": "^10.4.6",
    "@nestjs/common": "^10.4.6",
    "typeorm": "^0.3.20",
    "pg": "^8.13.1",
    "kafkajs": "^2.2.4"
  },
  "devDependencies": {
    "@nestjs/testing": "^10.4.6",
    "jest": "^29.7.0"
  }
}
""",
    "apps/api/src/main.ts": "export {};\n",
    "apps/gateway/package.json": """{
  "name": "@acme/gateway",
  "dependencies": { "fastify": "^5.1.0", "ioredis": "^5.4.1" }
}
""",
    "apps/gateway/src/server.ts": "export {};\n",
    "apps/web/package.json": """{
  "name": "@acme/web",
  "dependencies": { "next": "15.0.3", "react": "19.0.0-rc-66855b96-20241106" }
}
""",
    "apps/web/app/page.tsx": "export default function Page() { return null; }\n",
    "packages/db/package.json": """{
  "name": "@acme/db",
  "dependencies": { "@prisma/client": "^5.22.0", "drizzle-orm": "^0.36.1" },
  "devDependencies": { "prisma": "^5.22.0" }
}
""",
    "packages/db/prisma/schema.prisma": """generator client {
  provider = "prisma-client-js"
}

datasource db {
  provider = "postgresql"
  url      = env("DATABASE_URL")
}
""",
})

PYTHON_PEP621 = Case("python-pep621", {
    "pyproject.toml": """[project]
name = "ingest"
version = "0.4.0"
requires-python = ">=3.12"
dependencies = [
    "fastapi>=0.115.4",
    "sqlalchemy[asyncio]~=2.0.36",
    "asyncpg>=0.30",
    "alembic==1.14.0",
]

[project.optional-dependencies]
cache = ["redis>=5.2"]
test = ["pytest>=8.3", "testcontainers[postgres]>=4.8"]

[dependency-groups]
lint = ["ruff>=0.7"]
dev = ["celery>=5.4"]

[tool.uv]
dev-dependencies = ["aiokafka>=0.12"]
""",
    "src/ingest/main.py": "app = None\n",
    "alembic.ini": "[alembic]\nscript_location = migrations\n"
                   "sqlalchemy.url = postgresql+asyncpg://ingest:Alembic-Secret-3@db/ingest\n",
    "migrations/env.py": "from alembic import context\n",
    "migrations/versions/3f1c2a7b9d10_create_events.py": "revision = '3f1c2a7b9d10'\n",
})

PYTHON_POETRY = Case("python-poetry", {
    "pyproject.toml": """[tool.poetry]
name = "shop"
version = "1.0.0"
description = "A Django shop"

[tool.poetry.dependencies]
python = "^3.12"
django = "^5.1.3"
celery = { version = "^5.4.0", extras = ["redis"] }
psycopg = { extras = ["binary"], version = "^3.2.3" }

[tool.poetry.group.test.dependencies]
pytest = "^8.3.3"

[tool.poetry.group.dev.dependencies]
mypy = "^1.13"

[build-system]
requires = ["poetry-core"]
build-backend = "poetry.core.masonry.api"
""",
    "manage.py": "import django\n",
    "shop/settings.py": "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql'}}\n"
                        "SECRET_KEY = 'django-insecure-Poetry-Secret-7'\n",
    "orders/migrations/__init__.py": "",
    "orders/migrations/0001_initial.py": "from django.db import migrations\n",
})

PYTHON_REQUIREMENTS = Case("python-requirements", {
    "requirements.txt": """# Generated by pip-compile
-r requirements/base.txt
flask==3.0.3 \\
    --hash=sha256:34e815dfaa43340d1d15a5c3a02b8476004037eb4840b34910c6e21679d288f3 \\
    --hash=sha256:ceb27b0af3823ea2737928a4d99d125a06175b8512c445cbd9a9ce200ef76842
gunicorn==23.0.0  # via -r requirements.in
""",
    "requirements/base.txt": "SQLAlchemy==2.0.36\n"
                             "psycopg2-binary==2.9.10 ; python_version >= \"3.9\"\n"
                             "pika>=1.3.2\n",
    "requirements-dev.txt": "-r requirements.txt\npytest==8.3.3\n",
    "requirements.in": "flask\ngunicorn\n",
    "app.py": "from flask import Flask\n",
})

DOTNET = Case("dotnet", {
    "Directory.Packages.props": """<Project>
  <PropertyGroup>
    <ManagePackageVersionsCentrally>true</ManagePackageVersionsCentrally>
  </PropertyGroup>
  <ItemGroup>
    <PackageVersion Include="Npgsql.EntityFrameworkCore.PostgreSQL" Version="8.0.10" />
    <PackageVersion Include="StackExchange.Redis" Version="2.8.16" />
    <PackageVersion Include="Microsoft.NET.Test.Sdk" Version="17.11.1" />
    <PackageVersion Include="xunit" Version="2.9.2" />
    <PackageVersion Include="Testcontainers.PostgreSql" Version="3.10.0" />
  </ItemGroup>
</Project>
""",
    "src/Orders.Api/Orders.Api.csproj": """<Project Sdk="Microsoft.NET.Sdk.Web">
  <PropertyGroup>
    <TargetFramework>net8.0</TargetFramework>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Npgsql.EntityFrameworkCore.PostgreSQL" />
    <PackageReference Include="StackExchange.Redis" />
  </ItemGroup>
</Project>
""",
    "src/Orders.Api/Program.cs": "var builder = WebApplication.CreateBuilder(args);\n",
    "tests/Orders.Api.Tests/Orders.Api.Tests.csproj": """<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net8.0</TargetFramework>
    <IsPackable>false</IsPackable>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Microsoft.NET.Test.Sdk" />
    <PackageReference Include="xunit" />
    <PackageReference Include="Testcontainers.PostgreSql" />
  </ItemGroup>
</Project>
""",
    "tests/Orders.Api.Tests/OrdersTests.cs": "public class OrdersTests {}\n",
})

RUBY = Case("ruby", {
    "Gemfile": """source "https://rubygems.org"

ruby "3.3.5"

gem "rails", "~> 7.2.2"
gem "pg", "~> 1.5"
gem "puma", ">= 5.0"
gem "sidekiq", "~> 7.3"

group :development, :test do
  gem "rspec-rails", "~> 7.1"
end

group :development do
  gem "web-console"
end
""",
    "config/application.rb": "module Shop; end\n",
    "db/migrate/20241101090000_create_users.rb":
        "class CreateUsers < ActiveRecord::Migration[7.2]; end\n",
})

PHP = Case("php", {
    "composer.json": """{
    "name": "acme/billing",
    "type": "project",
    "require": {
        "php": "^8.2",
        "laravel/framework": "^11.31",
        "predis/predis": "^2.2"
    },
    "require-dev": {
        "phpunit/phpunit": "^11.4"
    }
}
""",
    "app/Http/Kernel.php": "<?php\n",
})

ELIXIR = Case("elixir", {
    "mix.exs": """defmodule Chat.MixProject do
  use Mix.Project

  def project do
    [app: :chat, version: "0.1.0", elixir: "~> 1.17", deps: deps()]
  end

  defp deps do
    [
      {:phoenix, "~> 1.7.14"},
      {:phoenix_ecto, "~> 4.6"},
      {:ecto_sql, "~> 3.12"},
      {:postgrex, ">= 0.0.0"},
      {:broadway_kafka, "~> 0.4.4"},
      {:phoenix_live_reload, "~> 1.5", only: :dev},
      {:ex_machina, "~> 2.8", only: :test}
    ]
  end
end
""",
    "lib/chat.ex": "defmodule Chat do\nend\n",
})

CMAKE = Case("cmake", {
    "CMakeLists.txt": """cmake_minimum_required(VERSION 3.25)
project(ledger VERSION 1.2.0 LANGUAGES CXX)

find_package(PostgreSQL 16 REQUIRED)
find_package(libpqxx CONFIG REQUIRED)
find_package(gRPC 1.66 CONFIG REQUIRED)
find_package(GTest REQUIRED)

add_executable(ledger src/main.cpp)
""",
    "src/main.cpp": "int main() { return 0; }\n",
})

EXPECTED: list[tuple[Case, list[Tech]]] = [
    (GO, [
        Tech("Go", "runtime", "1.23.4", evidence=(GO.at("go.mod", "go 1.23.4"),)),
        Tech("chi", "framework", "v5.1.0", evidence=(GO.at("go.mod", "go-chi/chi/v5"),)),
        Tech("Echo", "framework", "v4.12.0", evidence=(GO.at("go.mod", "labstack/echo"),)),
        # `replace` pins what is built: v5.7.2, not the required v5.7.1.
        Tech("pgx", "driver", "v5.7.2", evidence=(GO.at("go.mod", "jackc/pgx/v5 v5.7.1"),)),
        Tech("PostgreSQL", "datastore", None, evidence=(GO.at("go.mod", "jackc/pgx/v5 v5.7.1"),)),
        Tech("sqlc", "data-access", None, evidence=(GO.at("sqlc.yaml"),)),
        Tech("goose", "migrations", "v3.22.1", evidence=(
            GO.at("go.mod", "pressly/goose"), GO.at("db/migrations/00001_create_orders.sql"))),
        Tech("testify", "testing", "v1.9.0", "test",
             evidence=(GO.at("go.mod", "stretchr/testify"),)),
        Tech("Go testing", "testing", None, "test",
             evidence=(GO.at("internal/store/store_test.go"),)),
    ]),
    (RUST, [
        Tech("Axum", "framework", "0.7.9", evidence=(RUST.at("crates/api/Cargo.toml", "axum"),)),
        Tech("Tokio", "runtime", "1.41", evidence=(
            RUST.at("crates/api/Cargo.toml", "tokio"),
            RUST.at("crates/worker/Cargo.toml", "tokio"))),
        Tech("SQLx", "data-access", "0.8.2", evidence=(
            RUST.at("crates/api/Cargo.toml", "sqlx"), RUST.at("crates/worker/Cargo.toml", "sqlx"))),
        Tech("serde", "library", "1", evidence=(RUST.at("crates/api/Cargo.toml", "serde"),)),
        # From `[workspace.dependencies.sqlx]` features, and from the member's own feature list.
        Tech("PostgreSQL", "datastore", None, evidence=(
            RUST.at("crates/api/Cargo.toml", "sqlx"), RUST.at("crates/worker/Cargo.toml", "sqlx"))),
        Tech("SQLite", "datastore", None, evidence=(RUST.at("crates/api/Cargo.toml", "sqlx"),)),
        Tech("Kafka", "broker", None, evidence=(RUST.at("crates/worker/Cargo.toml", "rdkafka"),)),
        Tech("Testcontainers", "testing", "0.23.1", "test",
             evidence=(RUST.at("crates/api/Cargo.toml", "testcontainers"),)),
        Tech("Cargo", "build", None, scope="dev", evidence=(
            RUST.at("Cargo.toml"), RUST.at("crates/api/Cargo.toml"),
            RUST.at("crates/worker/Cargo.toml"))),
    ]),
    (MAVEN_SPRING, [
        Tech("Spring Boot", "framework", "3.3.5",
             evidence=(MAVEN_SPRING.at("pom.xml", ">spring-boot-starter-parent<"),
                       MAVEN_SPRING.at("catalog/pom.xml", ">spring-boot-starter-web<"))),
        # The servlet starter is Spring MVC; the JPA starter Spring Data JPA on Hibernate.
        Tech("Spring MVC", "framework", None,
             evidence=(MAVEN_SPRING.at("catalog/pom.xml", ">spring-boot-starter-web<"),)),
        Tech("Spring Data JPA", "data-access", None,
             evidence=(MAVEN_SPRING.at("catalog/pom.xml", ">spring-boot-starter-data-jpa<"),)),
        Tech("Hibernate ORM", "data-access", None,
             evidence=(MAVEN_SPRING.at("catalog/pom.xml", ">spring-boot-starter-data-jpa<"),)),
        Tech("Flyway", "migrations", None, evidence=(
            MAVEN_SPRING.at("catalog/pom.xml", ">flyway-core<"),
            MAVEN_SPRING.at("catalog/src/main/resources/db/migration/V1__create_products.sql"))),
        Tech("PostgreSQL", "datastore", None,
             evidence=(MAVEN_SPRING.at("catalog/pom.xml", ">postgresql<"),)),
        Tech("pgjdbc", "driver", None,
             evidence=(MAVEN_SPRING.at("catalog/pom.xml", ">postgresql<"),)),
        Tech("Kafka", "broker", None,
             evidence=(MAVEN_SPRING.at("notifications/pom.xml", ">spring-kafka<"),)),
        Tech("Spring for Apache Kafka", "library", None,
             evidence=(MAVEN_SPRING.at("notifications/pom.xml", ">spring-kafka<"),)),
        Tech("Redis", "datastore", None, evidence=(
            MAVEN_SPRING.at("notifications/pom.xml", ">spring-boot-starter-data-redis<"),)),
        Tech("Spring Data Redis", "data-access", None, evidence=(
            MAVEN_SPRING.at("notifications/pom.xml", ">spring-boot-starter-data-redis<"),)),
        # Its own `postgresql` artifactId, not the JDBC driver's above it.
        Tech("Testcontainers", "testing", "1.20.3", "test", evidence=(
            MAVEN_SPRING.at("catalog/pom.xml", "postgresql</artifactId>\n      <version>1.20.3"),)),
        Tech("Maven", "build", None, scope="dev", evidence=(MAVEN_SPRING.at("pom.xml"),)),
        # spring-boot-starter-test: Spring Boot's test support, and the JUnit, Mockito and
        # AssertJ it brings.
        Tech("Spring Boot Test", "testing", None, "test", evidence=(
            MAVEN_SPRING.at("catalog/pom.xml", "spring-boot-starter-test"),)),
        Tech("JUnit", "testing", None, "test", evidence=(
            MAVEN_SPRING.at("catalog/pom.xml", "spring-boot-starter-test"),)),
    ]),
    (MAVEN_QUARKUS, [
        Tech("Quarkus", "framework", "3.15.1",
             evidence=(MAVEN_QUARKUS.at("pom.xml", ">quarkus-bom<"),)),
        Tech("Hibernate ORM", "data-access", None,
             evidence=(MAVEN_QUARKUS.at("pom.xml", ">quarkus-hibernate-orm-panache<"),)),
        Tech("MariaDB", "datastore", None, evidence=(
            MAVEN_QUARKUS.at("pom.xml", ">quarkus-jdbc-mariadb<"),
            MAVEN_QUARKUS.at("src/main/resources/application.properties", "db-kind"))),
        Tech("Liquibase", "migrations", None, evidence=(
            MAVEN_QUARKUS.at("pom.xml", ">quarkus-liquibase<"),
            MAVEN_QUARKUS.at("src/main/resources/db/changeLog.xml"))),
        Tech("JUnit", "testing", None, "test",
             evidence=(MAVEN_QUARKUS.at("pom.xml", ">quarkus-junit5<"),)),
        Tech("Maven", "build", None, scope="dev", evidence=(MAVEN_QUARKUS.at("pom.xml"),)),
        Tech("REST", "api", None, evidence=(MAVEN_QUARKUS.at("pom.xml", "quarkus-rest"),)),
        Tech("Quarkus REST", "framework", None,
             evidence=(MAVEN_QUARKUS.at("pom.xml", "quarkus-rest"),)),
    ]),
    (GRADLE, [
        # The catalog pins the version; the script's lines that use it are the evidence.
        Tech("Spring Boot", "framework", "3.3.4", evidence=(
            GRADLE.at("api/build.gradle.kts", "alias(libs.plugins.spring.boot)"),
            GRADLE.at("api/build.gradle.kts", "libs.spring.boot.starter.web"))),
        Tech("Flyway", "migrations", "10.20.1", evidence=(
            GRADLE.at("api/build.gradle.kts", "libs.flyway.core"),)),
        Tech("PostgreSQL", "datastore", None, evidence=(
            GRADLE.at("api/build.gradle.kts", "libs.postgresql"),)),
        # The driver's version is its own; the server's is not in the build.
        Tech("pgjdbc", "driver", "42.7.4", evidence=(
            GRADLE.at("api/build.gradle.kts", "libs.postgresql"),)),
        Tech("Kafka", "broker", None, evidence=(
            GRADLE.at("ledger/build.gradle.kts", "libs.kafka.clients"),)),
        Tech("MongoDB", "datastore", None, evidence=(
            GRADLE.at("ledger/build.gradle.kts", "org.mongodb:mongodb-driver-sync"),)),
        Tech("Testcontainers", "testing", "1.20.3", "test", evidence=(
            GRADLE.at("api/build.gradle.kts", "libs.testcontainers.postgresql"),)),
        Tech("JUnit", "testing", "5.11.3", "test", evidence=(
            GRADLE.at("ledger/build.gradle.kts", "junit-jupiter"),)),
        Tech("Gradle", "build", None, scope="dev", evidence=(
            GRADLE.at("api/build.gradle.kts"), GRADLE.at("ledger/build.gradle.kts"))),
        Tech("Spring MVC", "framework", None, evidence=(
            GRADLE.at("api/build.gradle.kts", "libs.spring.boot.starter.web"),)),
    ]),
    (NODE, [
        Tech("Node.js", "runtime", ">=20.11", evidence=(NODE.at("package.json"),)),
        Tech("NestJS", "framework", "^10.4.6",
             evidence=(NODE.at("apps/api/package.json", '"@nestjs/core"'),)),
        Tech("Fastify", "framework", "^5.1.0",
             evidence=(NODE.at("apps/gateway/package.json", '"fastify"'),)),
        Tech("Next.js", "framework", "15.0.3",
             evidence=(NODE.at("apps/web/package.json", '"next"'),)),
        Tech("React", "frontend", "19.0.0-rc-66855b96-20241106",
             evidence=(NODE.at("apps/web/package.json", '"react"'),)),
        Tech("TypeORM", "data-access", "^0.3.20",
             evidence=(NODE.at("apps/api/package.json", '"typeorm"'),)),
        Tech("Prisma", "data-access", "^5.22.0",
             evidence=(NODE.at("packages/db/package.json", '"@prisma/client"'),)),
        Tech("Drizzle", "data-access", "^0.36.1",
             evidence=(NODE.at("packages/db/package.json", '"drizzle-orm"'),)),
        Tech("node-postgres", "driver", "^8.13.1", evidence=(
            NODE.at("apps/api/package.json", '"pg"'),)),
        Tech("PostgreSQL", "datastore", None, evidence=(
            NODE.at("apps/api/package.json", '"pg"'),
            NODE.at("packages/db/prisma/schema.prisma", '"postgresql"'))),
        Tech("Redis", "datastore", None, evidence=(
            NODE.at("apps/gateway/package.json", '"ioredis"'),)),
        Tech("ioredis", "driver", "^5.4.1",
             evidence=(NODE.at("apps/gateway/package.json", '"ioredis"'),)),
        Tech("Kafka", "broker", None, evidence=(NODE.at("apps/api/package.json", '"kafkajs"'),)),
        Tech("Jest", "testing", "^29.7.0", "test", evidence=(
            NODE.at("apps/api/package.json", '"jest"'),)),
        Tech("Vitest", "testing", "^2.1.4", "test",
             evidence=(NODE.at("package.json", '"vitest"'),)),
        Tech("TypeScript", "build", "^5.6.3", "dev",
             evidence=(NODE.at("package.json", '"typescript"'),)),
    ]),
    (PYTHON_PEP621, [
        Tech("FastAPI", "framework", ">=0.115.4", evidence=(
            PYTHON_PEP621.at("pyproject.toml", "fastapi"),)),
        Tech("SQLAlchemy", "data-access", "~=2.0.36", evidence=(
            PYTHON_PEP621.at("pyproject.toml", "sqlalchemy"),)),
        Tech("Alembic", "migrations", "1.14.0", evidence=(
            PYTHON_PEP621.at("pyproject.toml", "alembic=="),)),
        Tech("PostgreSQL", "datastore", None, evidence=(
            PYTHON_PEP621.at("pyproject.toml", "asyncpg"),
            PYTHON_PEP621.at("alembic.ini", "sqlalchemy.url"))),
        # An optional extra named for what it adds is a runtime feature, not a dev tool.
        Tech("Redis", "datastore", None, evidence=(PYTHON_PEP621.at("pyproject.toml", "redis>="),)),
        # A group named for tests is test scope; other optional groups of tools are dev.
        Tech("pytest", "testing", ">=8.3", "test", evidence=(
            PYTHON_PEP621.at("pyproject.toml", "pytest"),)),
        Tech("Testcontainers", "testing", ">=4.8", "test", evidence=(
            PYTHON_PEP621.at("pyproject.toml", "testcontainers"),)),
        Tech("Ruff", "build", ">=0.7", "dev", evidence=(
            PYTHON_PEP621.at("pyproject.toml", "ruff>="),)),
        # PEP 735 groups and uv's dev-dependencies are development-only, whatever the group name.
        Tech("Celery", "jobs", ">=5.4", "dev", evidence=(
            PYTHON_PEP621.at("pyproject.toml", "celery"),)),
        Tech("Kafka", "broker", None, "dev",
             evidence=(PYTHON_PEP621.at("pyproject.toml", "aiokafka"),)),
    ]),
    (PYTHON_POETRY, [
        Tech("Django", "framework", "^5.1.3", evidence=(
            PYTHON_POETRY.at("pyproject.toml", "django ="),)),
        Tech("Celery", "jobs", "^5.4.0", evidence=(
            PYTHON_POETRY.at("pyproject.toml", "celery ="),)),
        Tech("PostgreSQL", "datastore", None, evidence=(
            PYTHON_POETRY.at("pyproject.toml", "psycopg ="),
            PYTHON_POETRY.at("shop/settings.py", "django.db.backends.postgresql"))),
        Tech("pytest", "testing", "^8.3.3", "test", evidence=(
            PYTHON_POETRY.at("pyproject.toml", "pytest ="),)),
        Tech("mypy", "build", "^1.13", "dev", evidence=(
            PYTHON_POETRY.at("pyproject.toml", "mypy ="),)),
        # The Django migration is what proves the models: Django ORM, and Django migrations.
        Tech("Django ORM", "data-access", None, evidence=(
            PYTHON_POETRY.at("orders/migrations/0001_initial.py"),)),
        Tech("Django migrations", "migrations", None, evidence=(
            PYTHON_POETRY.at("orders/migrations/0001_initial.py"),)),
        # `[build-system] requires` is read as a build (dev) dependency.
        Tech("Poetry", "build", None, "dev", evidence=(
            PYTHON_POETRY.at("pyproject.toml", "poetry-core"),)),
        Tech("psycopg", "driver", "^3.2.3", evidence=(
            PYTHON_POETRY.at("pyproject.toml", "psycopg ="),)),
    ]),
    (PYTHON_REQUIREMENTS, [
        Tech("Flask", "framework", "3.0.3", evidence=(
            PYTHON_REQUIREMENTS.at("requirements.txt", "flask==3.0.3"),
            PYTHON_REQUIREMENTS.at("requirements.in", "flask"))),
        # Reached only through `-r requirements/base.txt`.
        Tech("SQLAlchemy", "data-access", "2.0.36", evidence=(
            PYTHON_REQUIREMENTS.at("requirements/base.txt", "SQLAlchemy"),)),
        Tech("PostgreSQL", "datastore", None, evidence=(
            PYTHON_REQUIREMENTS.at("requirements/base.txt", "psycopg2-binary"),)),
        Tech("RabbitMQ", "broker", None, evidence=(
            PYTHON_REQUIREMENTS.at("requirements/base.txt", "pika"),)),
        Tech("pytest", "testing", "8.3.3", "test", evidence=(
            PYTHON_REQUIREMENTS.at("requirements-dev.txt", "pytest"),)),
        Tech("Gunicorn", "server", "23.0.0", evidence=(
            PYTHON_REQUIREMENTS.at("requirements.in", "gunicorn"),
            PYTHON_REQUIREMENTS.at("requirements.txt", "gunicorn"))),
        Tech("psycopg2", "driver", "2.9.10", evidence=(
            PYTHON_REQUIREMENTS.at("requirements/base.txt", "psycopg2-binary"),)),
        # Requirements files are pip's own format.
        Tech("pip", "build", None, "dev", evidence=(
            PYTHON_REQUIREMENTS.at("requirements-dev.txt"),
            PYTHON_REQUIREMENTS.at("requirements.in"),
            PYTHON_REQUIREMENTS.at("requirements.txt"))),
    ]),
    (DOTNET, [
        Tech("ASP.NET Core", "framework", None, evidence=(
            DOTNET.at("src/Orders.Api/Orders.Api.csproj", "Microsoft.NET.Sdk.Web"),)),
        Tech("EF Core", "data-access", "8.0.10", evidence=(
            DOTNET.at("src/Orders.Api/Orders.Api.csproj", "Npgsql.EntityFrameworkCore"),)),
        Tech("PostgreSQL", "datastore", None, evidence=(
            DOTNET.at("src/Orders.Api/Orders.Api.csproj", "Npgsql.EntityFrameworkCore"),)),
        Tech("Npgsql", "driver", "8.0.10", evidence=(
            DOTNET.at("src/Orders.Api/Orders.Api.csproj", "Npgsql.EntityFrameworkCore"),)),
        Tech("Redis", "datastore", None, evidence=(
            DOTNET.at("src/Orders.Api/Orders.Api.csproj", "StackExchange.Redis"),)),
        Tech("xUnit", "testing", "2.9.2", "test", evidence=(
            DOTNET.at("tests/Orders.Api.Tests/Orders.Api.Tests.csproj", '"xunit"'),)),
        Tech("Testcontainers", "testing", "3.10.0", "test", evidence=(
            DOTNET.at("tests/Orders.Api.Tests/Orders.Api.Tests.csproj", "Testcontainers"),)),
        Tech("NuGet", "build", None, "dev", evidence=(DOTNET.at("Directory.Packages.props"),)),
        # Named by its project files.
        Tech(".NET", "runtime", None, evidence=(
            DOTNET.at("src/Orders.Api/Orders.Api.csproj"),
            DOTNET.at("tests/Orders.Api.Tests/Orders.Api.Tests.csproj"))),
    ]),
    (RUBY, [
        Tech("Rails", "framework", "~> 7.2.2", evidence=(RUBY.at("Gemfile", 'gem "rails"'),)),
        Tech("PostgreSQL", "datastore", None, evidence=(RUBY.at("Gemfile", 'gem "pg"'),)),
        Tech("pg", "driver", "~> 1.5", evidence=(RUBY.at("Gemfile", 'gem "pg"'),)),
        Tech("Sidekiq", "jobs", "~> 7.3", evidence=(RUBY.at("Gemfile", 'gem "sidekiq"'),)),
        Tech("Redis", "datastore", None, evidence=(RUBY.at("Gemfile", 'gem "sidekiq"'),)),
        # rspec-rails has versions of its own (7.x), not RSpec's (3.x).
        Tech("RSpec", "testing", None, "test", evidence=(
            RUBY.at("Gemfile", 'gem "rspec-rails"'),)),
        Tech("Active Record", "data-access", None, evidence=(
            RUBY.at("db/migrate/20241101090000_create_users.rb"),)),
        Tech("Active Record Migrations", "migrations", None, evidence=(
            RUBY.at("db/migrate/20241101090000_create_users.rb"),)),
        Tech("Bundler", "build", None, scope="dev", evidence=(RUBY.at("Gemfile"),)),
        Tech("Puma", "server", ">= 5.0", evidence=(RUBY.at("Gemfile", 'gem "puma"'),)),
    ]),
    (PHP, [
        Tech("Laravel", "framework", "^11.31", evidence=(
            PHP.at("composer.json", '"laravel/framework"'),)),
        Tech("Redis", "datastore", None, evidence=(PHP.at("composer.json", '"predis/predis"'),)),
        Tech("Predis", "driver", "^2.2", evidence=(PHP.at("composer.json", '"predis/predis"'),)),
        Tech("PHPUnit", "testing", "^11.4", "test", evidence=(
            PHP.at("composer.json", '"phpunit/phpunit"'),)),
        Tech("Composer", "build", None, scope="dev", evidence=(PHP.at("composer.json"),)),
    ]),
    (ELIXIR, [
        Tech("Phoenix", "framework", "~> 1.7.14", evidence=(ELIXIR.at("mix.exs", "{:phoenix,"),)),
        Tech("Ecto", "data-access", "~> 3.12", evidence=(ELIXIR.at("mix.exs", ":ecto_sql"),)),
        Tech("PostgreSQL", "datastore", None, evidence=(ELIXIR.at("mix.exs", ":postgrex"),)),
        Tech("Postgrex", "driver", ">= 0.0.0", evidence=(ELIXIR.at("mix.exs", ":postgrex"),)),
        Tech("Kafka", "broker", None, evidence=(ELIXIR.at("mix.exs", ":broadway_kafka"),)),
        Tech("ExMachina", "testing", "~> 2.8", "test", evidence=(
            ELIXIR.at("mix.exs", ":ex_machina"),)),
        Tech("Erlang/OTP", "runtime", None, evidence=(ELIXIR.at("mix.exs"),)),
        Tech("Mix", "build", None, scope="dev", evidence=(ELIXIR.at("mix.exs"),)),
    ]),
    (CMAKE, [
        Tech("PostgreSQL", "datastore", None, evidence=(
            CMAKE.at("CMakeLists.txt", "find_package(PostgreSQL"),
            CMAKE.at("CMakeLists.txt", "find_package(libpqxx"))),
        Tech("gRPC", "api", "1.66", evidence=(CMAKE.at("CMakeLists.txt", "find_package(gRPC"),)),
        Tech("GoogleTest", "testing", None, "test",
             evidence=(CMAKE.at("CMakeLists.txt", "GTest"),)),
        Tech("CMake", "build", None, scope="dev", evidence=(CMAKE.at("CMakeLists.txt"),)),
    ]),
]

# Names that a careless detector would report from these trees, and that are not there.
ABSENT: list[tuple[Case, list[str]]] = [
    # Indirect requirements (Gin, kafka-go, the Mongo driver) are not the module's own choice.
    (GO, ["Gin", "Kafka", "MongoDB", "GORM", "Fiber"]),
    (RUST, ["Actix Web", "Diesel", "SeaORM", "MySQL", "RenderScript", "Redis"]),
    # The Boot test starter bundles Mockito and AssertJ; no test here imports them.
    (MAVEN_SPRING, ["Quarkus", "Micronaut", "MySQL", "Liquibase", "Spring Cloud", "Mockito",
                    "AssertJ"]),
    (MAVEN_QUARKUS, ["Spring Boot", "MySQL", "PostgreSQL", "Flyway"]),
    (GRADLE, ["Quarkus", "Micronaut", "MySQL", "Liquibase"]),
    (NODE, ["Express", "MongoDB", "MySQL", "Koa", "Mocha"]),
    (PYTHON_PEP621, ["Django", "Flask", "MySQL", "MongoDB"]),
    (PYTHON_POETRY, ["FastAPI", "Flask", "SQLAlchemy", "MySQL"]),
    (PYTHON_REQUIREMENTS, ["Django", "FastAPI", "Celery", "MySQL"]),
    (DOTNET, ["SQL Server", "MySQL", "NUnit", "MSTest"]),
    (RUBY, ["Sinatra", "MySQL", "Minitest"]),
    (PHP, ["Symfony", "Slim", "MySQL"]),
    (ELIXIR, ["Redis", "MySQL", "RabbitMQ"]),
    (CMAKE, ["MySQL", "Redis", "Kafka"]),
]



def dirname(case: Case) -> str:
    """The folder the `detect` fixture builds ``case`` in: pytest numbers it from 0."""
    return f"{case.name}0"


# (case, folder, name, ecosystems, workspace): every component each case must show. A root
# manifest without a name (a virtual workspace, a requirements file) takes its directory's.
COMPONENTS: list[tuple[Case, list[tuple[str, str, list[str], bool]]]] = [
    (GO, [(".", "orders", ["go"], False)]),
    (RUST, [(".", dirname(RUST), ["rust"], True), ("crates/api", "api", ["rust"], False),
            ("crates/worker", "worker", ["rust"], False)]),
    (MAVEN_SPRING, [(".", "shop-parent", ["java"], True), ("catalog", "catalog", ["java"], False),
                    ("notifications", "notifications", ["java"], False)]),
    (MAVEN_QUARKUS, [(".", "inventory", ["java"], False)]),
    # `rootProject.name = "payments"` names the root, not the checkout's folder.
    (GRADLE, [(".", "payments", ["java"], True), ("api", "api", ["java"], False),
              ("ledger", "ledger", ["java"], False)]),
    (NODE, [(".", "acme-platform", ["node"], True), ("apps/api", "@acme/api", ["node"], False),
            ("apps/gateway", "@acme/gateway", ["node"], False),
            ("apps/web", "@acme/web", ["node"], False),
            ("packages/db", "@acme/db", ["node"], False)]),
    (PYTHON_PEP621, [(".", "ingest", ["python"], False)]),
    (PYTHON_POETRY, [(".", "shop", ["python"], False)]),
    (PYTHON_REQUIREMENTS, [(".", dirname(PYTHON_REQUIREMENTS), ["python"], False)]),
    (DOTNET, [("src/Orders.Api", "Orders.Api", ["dotnet"], False),
              ("tests/Orders.Api.Tests", "Orders.Api.Tests", ["dotnet"], False)]),
    (RUBY, [(".", dirname(RUBY), ["ruby"], False)]),
    (PHP, [(".", "acme/billing", ["php"], False)]),
    (ELIXIR, [(".", dirname(ELIXIR), ["elixir"], False)]),
    (CMAKE, [(".", "ledger", ["cpp"], False)]),
]

# (case, kind, path): migrations that the manifests' own tools run.
MIGRATIONS: list[tuple[Case, list[tuple[str, str]]]] = [
    (GO, [("goose", "db/migrations/00001_create_orders.sql")]),
    (MAVEN_SPRING, [("flyway", "catalog/src/main/resources/db/migration/V1__create_products.sql")]),
    (MAVEN_QUARKUS, [("liquibase", "src/main/resources/db/changeLog.xml")]),
    (PYTHON_PEP621, [("alembic", "migrations/versions/3f1c2a7b9d10_create_events.py")]),
    (PYTHON_POETRY, [("django", "orders/migrations/0001_initial.py")]),
    (RUBY, [("rails", "db/migrate/20241101090000_create_users.rb")]),
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
    assert set(by_name(detect(case))) == {t.name for t in techs}


@pytest.mark.parametrize("case", [case for case, _ in EXPECTED], ids=row_id)
def test_evidence_points_into_the_fixture(detect: Detect, case: Case) -> None:
    assert_evidence_is_real(case, detect(case))


@pytest.mark.parametrize(("case", "components"), COMPONENTS, ids=row_id)
def test_components(
    detect: Detect, case: Case, components: list[tuple[str, str, list[str], bool]]
) -> None:
    found = [(c.path, c.name, c.ecosystems, c.workspace) for c in detect(case).components]
    assert found == components


@pytest.mark.parametrize(("case", "migrations"), MIGRATIONS, ids=row_id)
def test_migrations(detect: Detect, case: Case, migrations: list[tuple[str, str]]) -> None:
    assert [(m.kind, m.path) for m in detect(case).migrations] == migrations
