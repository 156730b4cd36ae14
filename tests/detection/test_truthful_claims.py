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
