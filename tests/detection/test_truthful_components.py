"""Issue 11: what the services map says of each component is true of it.

Each case rebuilds, in miniature, a public repository where a claim was false.
"""

from __future__ import annotations

import pytest

from backend_persona.discover import discover_context
from tests.conftest import RepoFactory
from tests.detection.conftest import Detect
from tests.detection.corpus import Case, row_id

CARGO_WORKSPACE = Case("cargo-workspace", {
    "Cargo.toml": '[workspace]\nmembers = ["crates/*"]\n',
    "scripts/release.sh": "#!/bin/sh\n",
    "scripts/bench.sh": "#!/bin/sh\n",
    "crates/api/Cargo.toml": '[package]\nname = "api"\nversion = "0.1.0"\n',
    "crates/api/src/main.rs": "fn main() {}\n",
})

MAVEN_PARENT = Case("maven-parent", {
    "pom.xml": "<project><artifactId>shop-parent</artifactId><packaging>pom</packaging>"
               "<modules><module>orders</module></modules></project>\n",
    "mvnw": "#!/bin/sh\n",
    "ci/build.sh": "#!/bin/sh\n",
    "orders/pom.xml": "<project><artifactId>orders</artifactId></project>\n",
    "orders/src/main/kotlin/Orders.kt": "fun main() {}\n",
})

# A Spring Cloud gateway serving a bundled admin UI: more JavaScript files than Java ones.
SPRING_GATEWAY = Case("spring-gateway", {
    "pom.xml": "<project><artifactId>gateway</artifactId></project>\n",
    "src/main/java/acme/Gateway.java": "class Gateway {}\n",
    **{f"src/main/resources/static/js/chunk-{n}.js": "void 0;\n" for n in range(3)},
})

DOTNET = Case("dotnet-tool", {
    "src/Ledger/Ledger.csproj": '<Project Sdk="Microsoft.NET.Sdk"></Project>\n',
})

NODE_ONLY_MANIFEST = Case("node-manifest", {
    "package.json": '{"name": "web", "dependencies": {"express": "^4"}}\n',
})

# Relay's and GraphQL Codegen's output is JavaScript; the team writes TypeScript.
GENERATED_CODE = Case("generated-code", {
    "package.json": '{"name": "web", "dependencies": {"react": "^18"}}\n',
    "src/index.ts": "export {};\n",
    **{f"src/__generated__/query{n}.graphql.js": "module.exports = {};\n" for n in range(3)},
})

# svix-webhooks' root: the Go SDK's module beside the manifest that publishes its PHP SDK.
TWO_SDKS = Case("two-sdks", {
    "go.mod": "module github.com/acme/hooks\n\ngo 1.22\n",
    "hooks.go": "package hooks\n",
    "client.go": "package hooks\n",
    "composer.json": '{"name": "acme/hooks", "autoload": {"psr-4": {"Acme\\\\": "php/src/"}}}\n',
})

# (case, component path, name, language)
LANGUAGES = [
    # The workspace root's own files are scripts; its members are Rust, and so is it.
    (CARGO_WORKSPACE, ".", "cargo-workspace0", "Rust"),
    (MAVEN_PARENT, ".", "shop-parent", "Kotlin"),
    (SPRING_GATEWAY, ".", "gateway", "Java"),
    (DOTNET, "src/Ledger", "Ledger", "C#"),
    (NODE_ONLY_MANIFEST, ".", "web", "JavaScript/TypeScript"),
    (GENERATED_CODE, ".", "web", "TypeScript"),
    # Named by its own language's manifest, not by the one that sorts first.
    (TWO_SDKS, ".", "hooks", "Go"),
]


@pytest.mark.parametrize(("case", "path", "name", "language"), LANGUAGES, ids=row_id)
def test_language_follows_the_manifest(
    detect: Detect, case: Case, path: str, name: str, language: str
) -> None:
    found = {c.path: c for c in detect(case).components}
    assert (found[path].name, found[path].language) == (name, language)


def test_a_workspace_root_is_named_after_its_directory(detect: Detect) -> None:
    assert detect(CARGO_WORKSPACE).name == "cargo-workspace0"


# (package.json, whether it proves Node.js as a runtime)
NODE_RUNTIME = [
    ('{"name": "lint", "devDependencies": {"eslint": "^9"}}', False),
    ('{"name": "docs", "devDependencies": {"@redocly/cli": "^1"}, "scripts": {"lint": "x"}}',
     False),
    ('{"name": "api", "dependencies": {"express": "^4"}}', True),
    ('{"name": "api", "scripts": {"start": "node server.js"}}', True),
    ('{"name": "api", "engines": {"node": ">=20"}, "devDependencies": {"tsx": "^4"}}', True),
]


@pytest.mark.parametrize(("manifest", "runtime"), NODE_RUNTIME)
def test_node_is_a_runtime_only_when_something_runs_on_it(
    make_project: RepoFactory, manifest: str, runtime: bool
) -> None:
    context = discover_context(make_project({"package.json": manifest + "\n"}))
    assert ("Node.js" in {t.name for t in context.technologies}) is runtime


# netbox's GraphiQL page: a React bundle that queries the API, beside the Django app serving it.
GRAPHIQL_PAGE = Case("graphiql-page", {
    "requirements.txt": "django==5.1\nstrawberry-graphql==0.243.0\n",
    "manage.py": "import django\n",
    "static/graphiql/package.json": '{"name": "graphiql-page", "dependencies": {"graphiql": '
                                    '"4.1.2", "graphql": "16.12.0", "react": "18.3.1"}}\n',
})


def test_a_user_interface_is_no_server_of_the_api_it_queries(detect: Detect) -> None:
    found = {c.path: c for c in detect(GRAPHIQL_PAGE).components}
    assert found["static/graphiql"].apis == []
    assert "GraphQL" in found["."].apis
