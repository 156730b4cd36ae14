"""Each framework, library and test tool that issue 3 names, from a one-dependency manifest."""

from __future__ import annotations

import pytest

from backend_persona.discover import catalog, discover_context
from backend_persona.models import Category, Scope
from tests.conftest import RepoFactory

GO_MOD = "module example.com/svc\n\ngo 1.23\n\nrequire {dep} v1.2.3\n"
CARGO = '[package]\nname = "svc"\nversion = "0.1.0"\n\n[{section}]\n{dep} = "1.2.3"\n'
POM = """<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <artifactId>svc</artifactId>
  <dependencies>
    <dependency>
      <groupId>{group}</groupId>
      <artifactId>{artifact}</artifactId>
      <version>1.2.3</version>
      <scope>{scope}</scope>
    </dependency>
  </dependencies>
</project>
"""
PACKAGE_JSON = '{{"name": "svc", "{section}": {{"{dep}": "1.2.3"}}}}\n'
PYPROJECT = '[project]\nname = "svc"\ndependencies = ["{dep}==1.2.3"]\n'
PYPROJECT_TEST = ('[project]\nname = "svc"\n\n[project.optional-dependencies]\n'
                  'test = ["{dep}==1.2.3"]\n')
CSPROJ = ('<Project Sdk="Microsoft.NET.Sdk">\n  <ItemGroup>\n'
          '    <PackageReference Include="{dep}" Version="1.2.3" />\n  </ItemGroup>\n</Project>\n')
GEMFILE = 'source "https://rubygems.org"\n\ngem "{dep}", "1.2.3"\n'
COMPOSER = '{{"name": "acme/svc", "require": {{"{dep}": "1.2.3"}}}}\n'
MIX = 'defmodule Svc.MixProject do\n  defp deps do\n    [{{:{dep}, "1.2.3"}}]\n  end\nend\n'


def go(dep: str) -> dict[str, str]:
    return {"go.mod": GO_MOD.format(dep=dep)}


def cargo(dep: str, section: str = "dependencies") -> dict[str, str]:
    return {"Cargo.toml": CARGO.format(dep=dep, section=section)}


def maven(coordinate: str, scope: str = "compile") -> dict[str, str]:
    group, artifact = coordinate.split(":")
    return {"pom.xml": POM.format(group=group, artifact=artifact, scope=scope)}


def npm(dep: str, section: str = "dependencies") -> dict[str, str]:
    return {"package.json": PACKAGE_JSON.format(dep=dep, section=section)}


def pip(dep: str, template: str = PYPROJECT) -> dict[str, str]:
    return {"pyproject.toml": template.format(dep=dep)}


# What a dependency proves besides itself: pgx is a PostgreSQL driver.
# What a dependency implies by itself: pgx is PostgreSQL's driver, SeaORM runs on SQLx,
# quarkus-rest is Quarkus REST, which serves REST resources.
COMPANIONS = {"pgx": {"PostgreSQL"}, "SeaORM": {"SQLx"}, "Quarkus": {"REST", "Quarkus REST"},
              # Boot's servlet starter is Spring MVC; the classic Gateway runs on WebFlux.
              "Spring Boot": {"Spring MVC"},
              "Spring Cloud": {"Spring Cloud Gateway", "Spring WebFlux", "Project Reactor"}}

# (files, name, category, version, scope)
ROWS: list[tuple[dict[str, str], str, Category, str | None, Scope]] = [
    (go("connectrpc.com/connect"), "ConnectRPC", "api", "v1.2.3", "runtime"),
    (go("google.golang.org/grpc"), "gRPC", "api", "v1.2.3", "runtime"),
    (go("github.com/gin-gonic/gin"), "Gin", "framework", "v1.2.3", "runtime"),
    (go("github.com/labstack/echo/v4"), "Echo", "framework", "v1.2.3", "runtime"),
    (go("github.com/gofiber/fiber/v2"), "Fiber", "framework", "v1.2.3", "runtime"),
    (go("github.com/go-chi/chi/v5"), "chi", "framework", "v1.2.3", "runtime"),
    (go("github.com/gorilla/mux"), "gorilla/mux", "framework", "v1.2.3", "runtime"),
    (go("github.com/jackc/pgx/v5"), "pgx", "driver", "v1.2.3", "runtime"),
    (go("gorm.io/gorm"), "GORM", "data-access", "v1.2.3", "runtime"),
    (go("github.com/pressly/goose/v3"), "goose", "migrations", "v1.2.3", "runtime"),
    ({"sqlc.yaml": 'version: "2"\n'}, "sqlc", "data-access", None, "runtime"),
    (cargo("axum"), "Axum", "framework", "1.2.3", "runtime"),
    (cargo("actix-web"), "Actix Web", "framework", "1.2.3", "runtime"),
    (cargo("tonic"), "tonic", "api", "1.2.3", "runtime"),
    (cargo("sqlx"), "SQLx", "data-access", "1.2.3", "runtime"),
    (cargo("diesel"), "Diesel", "data-access", "1.2.3", "runtime"),
    (cargo("sea-orm"), "SeaORM", "data-access", "1.2.3", "runtime"),
    (cargo("tokio"), "Tokio", "runtime", "1.2.3", "runtime"),
    (cargo("testcontainers", "dev-dependencies"), "Testcontainers", "testing", "1.2.3", "test"),
    (maven("org.springframework.boot:spring-boot-starter-web"), "Spring Boot", "framework",
     "1.2.3", "runtime"),
    # The starter is Spring Cloud Gateway's, which implies Spring Cloud: its version is not
    # the release train's.
    (maven("org.springframework.cloud:spring-cloud-starter-gateway"), "Spring Cloud", "framework",
     None, "runtime"),
    (maven("io.quarkus:quarkus-rest"), "Quarkus", "framework", "1.2.3", "runtime"),
    (maven("io.micronaut:micronaut-http-server-netty"), "Micronaut", "framework", "1.2.3",
     "runtime"),
    (maven("org.hibernate.orm:hibernate-core"), "Hibernate ORM", "data-access", "1.2.3",
     "runtime"),
    (maven("org.flywaydb:flyway-core"), "Flyway", "migrations", "1.2.3", "runtime"),
    (maven("org.liquibase:liquibase-core"), "Liquibase", "migrations", "1.2.3", "runtime"),
    (maven("org.junit.jupiter:junit-jupiter", "test"), "JUnit", "testing", "1.2.3", "test"),
    (maven("org.testcontainers:kafka", "test"), "Testcontainers", "testing", "1.2.3", "test"),
    (npm("express"), "Express", "framework", "1.2.3", "runtime"),
    (npm("fastify"), "Fastify", "framework", "1.2.3", "runtime"),
    (npm("@nestjs/core"), "NestJS", "framework", "1.2.3", "runtime"),
    (npm("next"), "Next.js", "framework", "1.2.3", "runtime"),
    (npm("@prisma/client"), "Prisma", "data-access", "1.2.3", "runtime"),
    (npm("typeorm"), "TypeORM", "data-access", "1.2.3", "runtime"),
    (npm("drizzle-orm"), "Drizzle", "data-access", "1.2.3", "runtime"),
    (npm("jest", "devDependencies"), "Jest", "testing", "1.2.3", "test"),
    (npm("vitest", "devDependencies"), "Vitest", "testing", "1.2.3", "test"),
    (pip("fastapi"), "FastAPI", "framework", "1.2.3", "runtime"),
    (pip("Django"), "Django", "framework", "1.2.3", "runtime"),
    (pip("Flask"), "Flask", "framework", "1.2.3", "runtime"),
    (pip("SQLAlchemy"), "SQLAlchemy", "data-access", "1.2.3", "runtime"),
    (pip("alembic"), "Alembic", "migrations", "1.2.3", "runtime"),
    (pip("celery"), "Celery", "jobs", "1.2.3", "runtime"),
    (pip("pytest", PYPROJECT_TEST), "pytest", "testing", "1.2.3", "test"),
    # Microsoft.AspNetCore.OpenApi is OpenAPI too (its own technology beside the framework).
    ({"svc.csproj": CSPROJ.format(dep="Microsoft.AspNetCore.Mvc.Core")}, "ASP.NET Core",
     "framework", "1.2.3", "runtime"),
    ({"svc.csproj": CSPROJ.format(dep="Microsoft.EntityFrameworkCore.Design")}, "EF Core",
     "data-access", "1.2.3", "runtime"),
    ({"Gemfile": GEMFILE.format(dep="rails")}, "Rails", "framework", "1.2.3", "runtime"),
    ({"Gemfile": GEMFILE.format(dep="sinatra")}, "Sinatra", "framework", "1.2.3", "runtime"),
    ({"composer.json": COMPOSER.format(dep="laravel/framework")}, "Laravel", "framework", "1.2.3",
     "runtime"),
    ({"composer.json": COMPOSER.format(dep="slim/slim")}, "Slim", "framework", "1.2.3",
     "runtime"),
    ({"mix.exs": MIX.format(dep="phoenix")}, "Phoenix", "framework", "1.2.3", "runtime"),
    ({"mix.exs": MIX.format(dep="ecto_sql")}, "Ecto", "data-access", "1.2.3", "runtime"),
]


@pytest.mark.parametrize(("files", "name", "category", "version", "scope"), ROWS,
                         ids=[f"{row[1]}-{next(iter(row[0]))}" for row in ROWS])
def test_one_dependency_names_one_technology(  # noqa: PLR0917  (one parametrize row)
    make_project: RepoFactory, files: dict[str, str], name: str, category: Category,
    version: str | None, scope: Scope,
) -> None:
    context = discover_context(make_project(files), debug=True)
    found = {t.name: t for t in context.technologies}
    # Nothing but the dependency itself and the ecosystem's runtime or build tool, which
    # the manifest names by its own file name.
    tools = {k.name for path in files for k in catalog.match("file", path.rpartition("/")[2])}
    dotnet = {".NET"} if any(p.endswith(".csproj") for p in files) else set()
    allowed = {"Go", "Node.js", *dotnet, *tools, *COMPANIONS.get(name, ())}
    assert set(found) - {name} <= allowed, sorted(found)
    got = found[name]
    assert (got.category, got.version, got.scope) == (category, version, scope)
    manifest = next(iter(files))
    assert got.evidence[0].partition(":")[0] == manifest
