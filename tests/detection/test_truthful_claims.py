"""Every claim in the context is true: versions belong to their technology, scope is carried.

Each case reproduces a wrong claim seen on a public repository.
"""

from __future__ import annotations

import pytest

from backend_persona.models import ProjectContext, Scope
from backend_persona.render import to_markdown
from tests.detection.conftest import Detect
from tests.detection.corpus import Case, Tech, assert_technology, row_id, table


def _go_mod(module: str, go: str) -> str:
    return f"module example.com/{module}\n\ngo {go}\n"


def _package_json(name: str, express: str) -> str:
    return f'{{"name": "{name}", "dependencies": {{"express": "{express}"}}}}\n'


def _csproj(*packages: tuple[str, str]) -> str:
    references = "".join(f'    <PackageReference Include="{name}" Version="{version}" />\n'
                         for name, version in packages)
    return (f'<Project Sdk="Microsoft.NET.Sdk.Web">\n  <ItemGroup>\n{references}'
            "  </ItemGroup>\n</Project>\n")


# `internal/tools/go.mod` sorts before every service and pins an ancient Go.
GO_TOOLS = Case("go-tools-module", {
    "internal/tools/go.mod": _go_mod("tools", "1.12"),
    "services/billing/go.mod": _go_mod("billing", "1.25.0"),
    "services/orders/go.mod": _go_mod("orders", "1.25.0"),
})
# An example's Compose file sorts before the real one.
EXAMPLE_COMPOSE = Case("example-compose", {
    "examples/quickstart/compose.yaml": "services:\n  db:\n    image: postgres:12\n",
    "infra/compose.yaml": "services:\n  db:\n    image: postgres:16.4\n",
})
GRPC_ONLY = Case("grpc-aspnetcore", {
    "src/Api/Api.csproj": _csproj(("Grpc.AspNetCore", "2.83.0")),
})
GRPC_AND_OPENAPI = Case("grpc-and-aspnetcore-package", {
    "src/Api/Api.csproj": _csproj(("Grpc.AspNetCore", "2.83.0"),
                                  ("Microsoft.AspNetCore.OpenApi", "9.0.0")),
})
PROTOBUF_PLUGIN = Case("gradle-protobuf-plugin", {
    "build.gradle.kts": """plugins {
    id("org.springframework.boot") version "3.3.4"
    id("com.google.protobuf") version "0.10.0"
}

dependencies {
    implementation("org.springframework.boot:spring-boot-starter-web")
}
""",
})
PROTOBUF_RUNTIME = Case("gradle-protobuf-runtime", {
    "build.gradle.kts": """plugins {
    id("com.google.protobuf") version "0.10.0"
}

dependencies {
    implementation("com.google.protobuf:protobuf-java:4.28.2")
}
""",
})
# Two services agree, one lags behind and sorts first.
EXPRESS_SPLIT = Case("express-split", {
    "services/admin/package.json": _package_json("admin", "4.18.0"),
    "services/api/package.json": _package_json("api", "4.21.2"),
    "services/web/package.json": _package_json("web", "4.21.2"),
})
# Two services each, on two versions: none is the most common.
EXPRESS_TIE = Case("express-tie", {
    "services/admin/package.json": _package_json("admin", "4.18.0"),
    "services/api/package.json": _package_json("api", "4.21.2"),
    "services/bff/package.json": _package_json("bff", "4.9.0"),
    "services/web/package.json": _package_json("web", "4.21.2"),
    "services/worker/package.json": _package_json("worker", "4.9.0"),
})
# A tie where an end would be a constraint of several clauses: no range of those.
CLAUSES_TIE = Case("clauses-tie", {
    "services/api/package.json": _package_json("api", "^4.18.0 || ^5.0.0"),
    "services/web/package.json": _package_json("web", "^5.1.0"),
})
# Siblings that merely map to a technology: wrappers, plugins, typings, SDKs of a service,
# libraries of a standard. None of them pins the technology's own version.
SIBLINGS = Case("sibling-packages", {
    "web/package.json": """{"name": "web",
  "dependencies": {"@nestjs/bull": "^10.1.0", "@types/bull": "^4.10.0",
                   "@codemirror/commands": "^6.8.0", "graphql": "^16.9.0",
                   "@aws-sdk/client-s3": "^3.567.0", "newrelic": "^12.1.0"},
  "devDependencies": {"@eslint/compat": "^1.2.0", "eslint-plugin-storybook": "10.5.7",
                      "@tailwindcss/forms": "^0.5.9"}}
""",
    "api/pyproject.toml": """[build-system]
requires = ["hatchling>=1.27"]
build-backend = "hatchling.build"

[project]
name = "api"
dependencies = ["django-rq==4.1.1", "django-prometheus==2.4.0", "gitpython==3.1.43",
                "django-htmx==1.29.0"]
""",
    "bridge/Cargo.toml": """[package]
name = "bridge"
version = "0.1.0"

[dependencies]
aws-sdk-s3 = "1.60.0"
aws-config = "1.8.12"
jwt-simple = "0.11.6"
deno_core = "0.352.1"
""",
    "Gemfile": ('source "https://rubygems.org"\n'
                'gem "rotp", "~> 6.3"\ngem "aws-sdk-s3", "~> 1.177.0"\n'),
})
# The same technologies, by their own packages: those versions stay.
OWN_PACKAGES = Case("own-packages", {
    "web/package.json": """{"name": "web",
  "dependencies": {"bull": "^4.16.0", "codemirror": "^6.0.1"},
  "devDependencies": {"eslint": "^9.39.1", "tailwindcss": "^4.1.0"}}
""",
    "api/requirements.txt": "rq==2.1.0\nhatch==1.14.0\nboto3==1.34.96\n",
})
# Image tags: a variant after the version, or a tag that is only a word.
IMAGE_TAGS = Case("image-tags", {
    "compose.yaml": """services:
  db:
    image: postgres:15.18-trixie
  cache:
    image: redis:7-alpine
  queue:
    image: rabbitmq:management-alpine
  search:
    image: getmeili/meilisearch:latest
  pool:
    image: edoburu/pgbouncer:v1.25.2-p0
""",
})
COMPOSER_OR = Case("composer-or", {
    "composer.json": '{"name": "acme/sdk", "require": {"guzzlehttp/guzzle": "^7.0 || ^8.0"}}\n',
})

VERSIONS = [
    (GO_TOOLS, [Tech("Go", "runtime", version="1.25.0")]),
    (EXAMPLE_COMPOSE, [Tech("PostgreSQL", "datastore", version="16.4")]),
    # Grpc.AspNetCore is versioned as gRPC for .NET; ASP.NET Core's own package says 9.0.0.
    (GRPC_ONLY, [Tech("ASP.NET Core", "framework"), Tech("gRPC", "api", version="2.83.0")]),
    (GRPC_AND_OPENAPI, [Tech("ASP.NET Core", "framework", version="9.0.0"),
                        Tech("gRPC", "api", version="2.83.0")]),
    # The Spring Boot plugin's version is Spring Boot's; the protobuf plugin's is not protobuf's.
    (PROTOBUF_PLUGIN, [Tech("Protocol Buffers", "api"),
                       Tech("Spring Boot", "framework", version="3.3.4")]),
    (PROTOBUF_RUNTIME, [Tech("Protocol Buffers", "api", version="4.28.2")]),
    (EXPRESS_SPLIT, [Tech("Express", "framework", version="4.21.2")]),
    # Two versions pinned by two services each: the range, lowest to highest by number.
    (EXPRESS_TIE, [Tech("Express", "framework", version="4.9.0\u20134.21.2")]),
    (CLAUSES_TIE, [Tech("Express", "framework")]),
    (SIBLINGS, [Tech("Bull", "jobs"), Tech("CodeMirror", "frontend"), Tech("GraphQL", "api"),
                Tech("Amazon S3", "cloud"), Tech("New Relic", "observability"),
                Tech("ESLint", "build", scope="dev"), Tech("Tailwind CSS", "frontend", scope="dev"),
                Tech("Hatch", "build", scope="dev"), Tech("RQ", "jobs"),
                Tech("Prometheus", "observability"), Tech("Git", "library"),
                Tech("htmx", "frontend"), Tech("JWT", "auth"), Tech("Deno", "runtime"),
                Tech("TOTP", "auth"),
                # aws-config numbers itself, not the SDK (svix-webhooks said AWS SDK 1.8.12).
                Tech("AWS SDK", "cloud")]),
    (OWN_PACKAGES, [Tech("Bull", "jobs", version="^4.16.0"),
                    Tech("CodeMirror", "frontend", version="^6.0.1"),
                    Tech("ESLint", "build", version="^9.39.1", scope="dev"),
                    Tech("Tailwind CSS", "frontend", version="^4.1.0", scope="dev"),
                    Tech("RQ", "jobs", version="2.1.0"),
                    Tech("Hatch", "build", version="1.14.0", scope="dev"),
                    Tech("AWS SDK", "cloud", version="1.34.96")]),
    (IMAGE_TAGS, [Tech("PostgreSQL", "datastore", version="15.18"),
                  Tech("Redis", "datastore", version="7"), Tech("RabbitMQ", "broker"),
                  Tech("Meilisearch", "search"), Tech("PgBouncer", "server", version="v1.25.2")]),
]


@pytest.mark.parametrize(("case", "tech"), table(VERSIONS), ids=row_id)
def test_a_version_is_the_technologys_own(detect: Detect, case: Case, tech: Tech) -> None:
    assert_technology(detect(case), tech)


@pytest.mark.parametrize(("case", "name", "versions"), [
    # The tools module is a tooling component: not counted in the stack at all (its own
    # version stays in its component's dependencies and toolchain line, not here).
    (GO_TOOLS, "Go", {"services/billing": "1.25.0", "services/orders": "1.25.0"}),
    (EXPRESS_SPLIT, "Express", {"services/admin": "4.18.0", "services/api": "4.21.2",
                                "services/web": "4.21.2"}),
    # No component owns a Compose file: each file votes, and none is a component's.
    (EXAMPLE_COMPOSE, "PostgreSQL", {}),
], ids=row_id)
def test_json_keeps_each_components_version(
    detect: Detect, case: Case, name: str, versions: dict[str, str]
) -> None:
    context = detect(case)
    assert next(t for t in context.technologies if t.name == name).versions == versions
    assert ProjectContext.model_validate_json(context.model_dump_json()) == context


@pytest.mark.parametrize(("case", "cell"), [
    (EXPRESS_SPLIT, "| Express | framework | 4.21.2 (most common) | runtime |"),
    # A tie has no most common version: the range, and the cell says so.
    (EXPRESS_TIE, "| Express | framework | 4.9.0\u20134.21.2 (range) | runtime |"),
    # A Composer constraint keeps its pipes, escaped for the table.
    (COMPOSER_OR, "| Guzzle | library | ^7.0 \\|\\| ^8.0 | runtime |"),
    # Only the services vote: they agree, so no "(most common)".
    (GO_TOOLS, "| Go | runtime | 1.25.0 | runtime |"),
    (GRPC_AND_OPENAPI, "| ASP.NET Core | framework | 9.0.0 | runtime |"),
], ids=row_id)
def test_the_stack_table_says_when_components_differ(
    detect: Detect, case: Case, cell: str
) -> None:
    assert cell in to_markdown(detect(case))


# A driver in one package's test extras, while another package runs on it.
TEST_EXTRAS = Case("python-test-extras", {
    "lib/pyproject.toml": """[project]
name = "lib"
dependencies = ["fastapi>=0.115"]

[project.optional-dependencies]
test = ["pytest>=8", "psycopg[binary]>=3.2"]
docs = ["mkdocs>=1.6"]
""",
    "svc/pyproject.toml": '[project]\nname = "svc"\ndependencies = ["psycopg>=3.2"]\n',
})
# The same, with the runtime use in Compose and the driver in devDependencies.
DEV_DRIVER = Case("node-dev-driver", {
    "compose.yaml": "services:\n  db:\n    image: postgres:16.4\n",
    "web/package.json": '{"name": "web", "dependencies": {"express": "4.21.2"}, '
                        '"devDependencies": {"pg": "8.13.0"}}\n',
})


@pytest.mark.parametrize(("case", "path", "datastores", "frameworks"), [
    (TEST_EXTRAS, "lib", [], ["FastAPI"]),
    # A driver is no framework: psycopg shows as the datastore it talks to.
    (TEST_EXTRAS, "svc", ["PostgreSQL"], []),
    (DEV_DRIVER, "web", [], ["Express"]),
], ids=row_id)
def test_test_and_dev_dependencies_make_no_runtime_stack(
    detect: Detect, case: Case, path: str, datastores: list[str], frameworks: list[str]
) -> None:
    component = next(c for c in detect(case).components if c.path == path)
    assert (component.datastores, component.frameworks) == (datastores, frameworks)
    assert ("PostgreSQL" in component.technologies) == bool(datastores)


@pytest.mark.parametrize(("case", "path", "name", "scope"), [
    (TEST_EXTRAS, "lib", "psycopg", "test"),
    (TEST_EXTRAS, "lib", "pytest", "test"),
    (TEST_EXTRAS, "lib", "mkdocs", "dev"),
    (DEV_DRIVER, "web", "pg", "dev"),
], ids=row_id)
def test_they_appear_with_their_scope(
    detect: Detect, case: Case, path: str, name: str, scope: Scope
) -> None:
    component = next(c for c in detect(case).components if c.path == path)
    assert [d.scope for d in component.dependencies if d.name == name] == [scope]


# Review of novu and maybe-finance: a service's two SDKs, and an add-on's line.
SERVICE_SDKS = Case("service-sdks", {
    "api/package.json": '{"name": "api", "dependencies": {"mixpanel": "^0.17.0"}}\n',
    "web/package.json": '{"name": "web", "dependencies": {"mixpanel-browser": "^2.52.0"}}\n',
    "Gemfile": 'source "https://rubygems.org"\ngem "activerecord-import"\n',
})


def test_a_service_and_an_add_on_claim_nothing_of_their_own(detect: Detect) -> None:
    found = {t.name: t for t in detect(SERVICE_SDKS).technologies}
    assert found["Mixpanel"].version is None  # each SDK numbers itself
    # activerecord-import names Active Record, but its line declares no Active Record.
    assert "Active Record" not in found
