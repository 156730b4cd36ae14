"""The Foundation detectors: Go, Rust, Java, Node.js and Python, on real fixture repositories."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from backend_persona.cli import cli
from backend_persona.discover import discover_context
from backend_persona.discover.detectors.go import parse_go_mod
from backend_persona.models import ProjectContext, Technology
from tests.conftest import RepoFactory, Tree, init_repo

# (name, category, version, scope) of a technology that must be reported exactly so.
Expected = tuple[str, str, str | None, str]


@dataclass(frozen=True)
class StackCase:
    files: Tree
    present: list[Expected]
    absent: list[str] = field(default_factory=list)
    evidence: dict[str, str] = field(default_factory=dict)  # name -> one exact evidence entry


GO_CONNECT = """module github.com/acme/orders

go 1.22

require (
\tconnectrpc.com/connect v1.16.2
\tgoogle.golang.org/grpc v1.64.0
\tgithub.com/labstack/echo/v4 v4.12.0
\tgithub.com/gin-gonic/gin v1.10.0 // indirect
)

require github.com/go-chi/chi/v5 v5.0.12 // indirect
"""

GO_REPLACED = """module example.com/gateway

go 1.21

require github.com/gin-gonic/gin v1.9.1
require github.com/labstack/echo/v4 v4.11.0

replace github.com/gin-gonic/gin => ../forks/gin

replace github.com/labstack/echo/v4 v4.11.0 => github.com/labstack/echo/v4 v4.11.4
"""

RUST_CRATE = """[package]
name = "orders"
version = "0.1.0"
edition = "2021"

[dependencies]
axum = "0.7.5"
sqlx = { version = "0.7.4", features = ["runtime-tokio", "postgres", "macros"] }
tokio = { version = "1", features = ["full"] }

[dev-dependencies]
testcontainers = "0.15"
"""

RUST_WORKSPACE_ROOT = """[workspace]
resolver = "2"
members = ["crates/api", "crates/admin"]

[workspace.dependencies]
axum = "0.7.5"
sqlx = { version = "0.7.4", features = ["runtime-tokio"] }
"""

RUST_WORKSPACE_API = """[package]
name = "api"
version = "0.1.0"

[dependencies]
axum = { workspace = true }
sqlx = { workspace = true, features = ["postgres"] }
"""

RUST_WORKSPACE_ADMIN = """[package]
name = "admin"
version = "0.1.0"

[dependencies]
actix-web = "4.5"
"""

MAVEN_SPRING = """<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <parent>
    <groupId>org.springframework.boot</groupId>
    <artifactId>spring-boot-starter-parent</artifactId>
    <version>3.2.5</version>
  </parent>
  <artifactId>billing</artifactId>
  <dependencies>
    <dependency>
      <groupId>org.springframework.boot</groupId>
      <artifactId>spring-boot-starter-web</artifactId>
    </dependency>
    <dependency>
      <groupId>org.postgresql</groupId>
      <artifactId>postgresql</artifactId>
      <scope>runtime</scope>
    </dependency>
    <dependency>
      <groupId>org.junit.jupiter</groupId>
      <artifactId>junit-jupiter</artifactId>
      <version>5.10.2</version>
      <scope>test</scope>
    </dependency>
  </dependencies>
</project>
"""

GRADLE_QUARKUS = """plugins {
    java
    id("io.quarkus") version "3.10.0"
}

dependencies {
    implementation(enforcedPlatform("${quarkusPlatformGroupId}:quarkus-bom:3.10.0"))
    implementation("io.quarkus:quarkus-rest")
    implementation("io.quarkus:quarkus-jdbc-postgresql")
    testImplementation("io.quarkus:quarkus-junit5")
}
"""

PACKAGE_JSON = """{
  "name": "@acme/web",
  "engines": {"node": ">=20"},
  "dependencies": {
    "express": "^4.19.2",
    "pg": "^8.11.0"
  },
  "devDependencies": {
    "jest": "^29.7.0",
    "typescript": "^5.4.0",
    "fastify": "^4.0.0"
  }
}
"""

PYPROJECT = """[project]
name = "inventory"
version = "1.0.0"
dependencies = [
    "fastapi>=0.110",
    "SQLAlchemy[asyncio]>=2.0",
]

[project.optional-dependencies]
postgres = ["asyncpg>=0.29"]
dev = ["pytest>=8", "Flask==3.0.0"]
"""

REQUIREMENTS = """# service requirements
-r base.txt
fastapi==0.110.0 \\
    --hash=sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa \\
    --hash=sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb
uvicorn[standard]>=0.29  # server
--index-url https://pypi.example.test/simple
"""

STACK_CASES: dict[str, StackCase] = {
    "go-connect-grpc-echo-indirect-ignored": StackCase(
        files={"go.mod": GO_CONNECT, "main.go": "package main\n"},
        present=[("Go", "runtime", "1.22", "runtime"),
                 ("ConnectRPC", "api", "v1.16.2", "runtime"),
                 ("gRPC", "api", "v1.64.0", "runtime"),
                 ("Echo", "framework", "v4.12.0", "runtime")],
        absent=["Gin", "chi"],
        evidence={"ConnectRPC": "go.mod:6", "Echo": "go.mod:8"},
    ),
    "go-replace": StackCase(
        files={"go.mod": GO_REPLACED},
        # A local replacement builds the fork, so the required version is not claimed.
        present=[("Gin", "framework", None, "runtime"),
                 ("Echo", "framework", "v4.11.4", "runtime")],
        evidence={"Gin": "go.mod:5"},
    ),
    "rust-axum-sqlx-postgres": StackCase(
        files={"Cargo.toml": RUST_CRATE, "src/main.rs": "fn main() {}\n"},
        present=[("Axum", "framework", "0.7.5", "runtime"),
                 ("SQLx", "data-access", "0.7.4", "runtime"),
                 ("PostgreSQL", "datastore", None, "runtime"),
                 ("Tokio", "runtime", "1", "runtime"),
                 ("Testcontainers", "testing", "0.15", "test")],
        absent=["MySQL", "SQLite", "Actix Web"],
        evidence={"Axum": "Cargo.toml:7"},
    ),
    "rust-workspace-inherited-deps": StackCase(
        files={"Cargo.toml": RUST_WORKSPACE_ROOT, "crates/api/Cargo.toml": RUST_WORKSPACE_API,
               "crates/admin/Cargo.toml": RUST_WORKSPACE_ADMIN},
        present=[("Axum", "framework", "0.7.5", "runtime"),
                 ("SQLx", "data-access", "0.7.4", "runtime"),
                 ("PostgreSQL", "datastore", None, "runtime"),
                 ("Actix Web", "framework", "4.5", "runtime")],
        absent=["MySQL"],
        evidence={"Axum": "crates/api/Cargo.toml:6", "Actix Web": "crates/admin/Cargo.toml:6"},
    ),
    "maven-spring-boot-parent": StackCase(
        files={"pom.xml": MAVEN_SPRING},
        present=[("Spring Boot", "framework", "3.2.5", "runtime"),
                 ("PostgreSQL", "datastore", None, "runtime"),
                 ("JUnit", "testing", "5.10.2", "test"),
                 ("Maven", "build", None, "dev")],
        absent=["Quarkus", "Gradle"],
        evidence={"JUnit": "pom.xml:22"},
    ),
    "gradle-kts-quarkus-plugin": StackCase(
        files={"build.gradle.kts": GRADLE_QUARKUS},
        present=[("Quarkus", "framework", "3.10.0", "runtime"),
                 ("PostgreSQL", "datastore", None, "runtime"),
                 ("Gradle", "build", None, "dev")],
        absent=["Spring Boot", "Maven"],
        evidence={"Quarkus": "build.gradle.kts:3"},
    ),
    "node-dependencies-vs-dev": StackCase(
        files={"package.json": PACKAGE_JSON},
        present=[("Node.js", "runtime", ">=20", "runtime"),
                 ("Express", "framework", "^4.19.2", "runtime"),
                 ("PostgreSQL", "datastore", None, "runtime"),
                 ("Jest", "testing", "^29.7.0", "test"),
                 ("TypeScript", "build", "^5.4.0", "dev"),
                 ("Fastify", "framework", "^4.0.0", "dev")],
        absent=["NestJS"],
        evidence={"Express": "package.json:5", "Jest": "package.json:9"},
    ),
    "python-pep621-optional": StackCase(
        files={"pyproject.toml": PYPROJECT, "app/main.py": ""},
        present=[("FastAPI", "framework", ">=0.110", "runtime"),
                 ("SQLAlchemy", "data-access", ">=2.0", "runtime"),
                 ("PostgreSQL", "datastore", None, "runtime"),
                 ("pytest", "testing", ">=8", "test"),
                 ("Flask", "framework", "3.0.0", "dev")],
        absent=["Django"],
        evidence={"FastAPI": "pyproject.toml:5", "PostgreSQL": "pyproject.toml:10"},
    ),
    "python-requirements-continuation-hash-include": StackCase(
        files={"requirements.txt": REQUIREMENTS,
               "base.txt": "flask==3.0.3\nredis>=5  # cache\n",
               "requirements-dev.txt": "pytest==8.2.0\n"},
        present=[("FastAPI", "framework", "0.110.0", "runtime"),
                 ("Flask", "framework", "3.0.3", "runtime"),
                 ("Redis", "datastore", None, "runtime"),
                 ("pytest", "testing", "8.2.0", "test")],
        absent=["Django"],
        evidence={"FastAPI": "requirements.txt:3", "Flask": "base.txt:1",
                  "pytest": "requirements-dev.txt:1"},
    ),
}


def split_evidence(evidence: str) -> tuple[str, int | None]:
    """``path:LINE`` or ``path`` -> (path, line)."""
    path, colon, line = evidence.rpartition(":")
    return (path, int(line)) if colon and line.isdigit() else (evidence, None)


def by_name(found: ProjectContext) -> dict[str, Technology]:
    return {t.name: t for t in found.technologies}


@pytest.mark.parametrize("case", STACK_CASES.values(), ids=STACK_CASES.keys())
def test_stack_detection(make_project: RepoFactory, case: StackCase) -> None:
    root = make_project(case.files)

    found = by_name(discover_context(root))

    for name, category, version, scope in case.present:
        assert name in found, f"{name} missing from {sorted(found)}"
        assert (found[name].category, found[name].version, found[name].scope) == (
            category, version, scope), name
    for name in case.absent:
        assert name not in found
    for name, evidence in case.evidence.items():
        assert evidence in found[name].evidence


@pytest.mark.parametrize("case", STACK_CASES.values(), ids=STACK_CASES.keys())
def test_every_technology_cites_a_file_of_the_fixture(
    make_project: RepoFactory, case: StackCase
) -> None:
    root = make_project(case.files)

    found = discover_context(root)

    assert found.technologies
    for technology in found.technologies:
        assert technology.evidence, technology.name
        for evidence in technology.evidence:
            path, line = split_evidence(evidence)
            cited = root / path
            assert cited.is_file(), f"{technology.name}: {evidence}"
            if line is not None:
                assert 1 <= line <= len(cited.read_text().splitlines()), evidence


MONOREPO: Tree = {
    "package.json": '{"name": "acme", "private": true, "workspaces": ["web"]}\n',
    "services/orders/go.mod": "module github.com/acme/orders\n\ngo 1.22\n\n"
                              "require connectrpc.com/connect v1.16.2\n",
    "services/orders/Dockerfile": "FROM golang:1.22\n",
    "services/ledger/Cargo.toml": RUST_CRATE,
    "services/billing/pom.xml": MAVEN_SPRING,
    "services/catalog/build.gradle.kts": GRADLE_QUARKUS,
    "services/inventory/pyproject.toml": PYPROJECT,
    "services/inventory/requirements.txt": "fastapi==0.110.0\n",
    "services/reports/requirements.txt": "flask==3.0.3\n",
    "web/package.json": PACKAGE_JSON,
    "web/node_modules/left-pad/package.json": '{"name": "left-pad", "dependencies": '
                                              '{"koa": "2"}}\n',
    "tools/README.md": "no manifest here\n",
}


def test_one_component_per_manifest_folder(make_project: RepoFactory) -> None:
    root = make_project(MONOREPO)

    components = {c.path: c for c in discover_context(root).components}

    assert sorted(components) == [".", "services/billing", "services/catalog",
                                  "services/inventory", "services/ledger", "services/orders",
                                  "services/reports", "web"]
    expected = {
        ".": ("acme", ["node"]),
        "services/orders": ("orders", ["go"]),
        "services/ledger": ("orders", ["rust"]),
        "services/billing": ("billing", ["java"]),
        "services/catalog": ("catalog", ["java"]),
        "services/inventory": ("inventory", ["python"]),
        "services/reports": ("reports", ["python"]),
        "web": ("@acme/web", ["node"]),
    }
    for path, (name, ecosystems) in expected.items():
        assert (components[path].name, components[path].ecosystems) == (name, ecosystems), path
    assert components["."].workspace
    assert set(components["services/inventory"].manifests) == {
        "services/inventory/pyproject.toml", "services/inventory/requirements.txt"}


def test_components_list_only_their_own_runtime_technologies(make_project: RepoFactory) -> None:
    root = make_project(MONOREPO)

    components = {c.path: c for c in discover_context(root).components}

    assert "ConnectRPC" in components["services/orders"].technologies
    assert "Axum" in components["services/ledger"].technologies
    assert "Spring Boot" in components["services/billing"].technologies
    assert "Quarkus" in components["services/catalog"].technologies
    assert "Express" in components["web"].technologies
    assert "Jest" not in components["web"].technologies  # a dev dependency
    assert "Axum" not in components["services/orders"].technologies
    assert "Express" not in components["."].technologies


def test_vendored_manifests_are_not_components(make_project: RepoFactory) -> None:
    root = make_project(MONOREPO)

    found = discover_context(root)

    assert not [c for c in found.components if "node_modules" in c.path]
    assert "Koa" not in by_name(found)


def test_maven_multi_module_root_is_a_workspace(make_project: RepoFactory) -> None:
    parent = ('<project><artifactId>platform</artifactId><packaging>pom</packaging>'
              '<modules><module>billing</module></modules></project>\n')
    root = make_project({"pom.xml": parent, "billing/pom.xml": MAVEN_SPRING})

    components = {c.path: c for c in discover_context(root).components}

    assert components["."].workspace
    assert components["."].name == "platform"
    assert not components["billing"].workspace


@pytest.mark.parametrize(
    ("files", "expected_name"),
    [
        ({"Cargo.toml": RUST_WORKSPACE_ROOT, "crates/api/Cargo.toml": RUST_WORKSPACE_API},
         "fixture-dir"),
        ({"build.gradle.kts": GRADLE_QUARKUS}, "fixture-dir"),
        ({"requirements.txt": "flask\n"}, "fixture-dir"),
        ({"package.json": "{}\n"}, "fixture-dir"),
        ({"package.json": '{"name": "storefront"}\n'}, "storefront"),
        ({"go.mod": "module github.com/acme/orders\n"}, "orders"),
    ],
    ids=["rust-virtual-workspace", "gradle", "requirements", "unnamed-package", "named-package",
         "go-module"],
)
def test_project_name(make_project: RepoFactory, files: Tree, expected_name: str) -> None:
    root = make_project(files, name="fixture-dir")

    assert discover_context(root).name == expected_name


def test_languages_count_programming_languages_only(make_project: RepoFactory) -> None:
    root = make_project({
        "cmd/a.go": "", "cmd/b.go": "", "cmd/b_test.go": "", "scripts/x.py": "",
        "README.md": "", "config.yaml": "", "data.json": "", "schema.sql": "", "index.html": "",
    })

    found = discover_context(root)

    assert [(lang.name, lang.files) for lang in found.languages] == [("Go", 3), ("Python", 1)]
    assert found.tests.files == 1
    assert found.tests.directories == ["cmd"]


ARTIFACT_FILES: Tree = {
    "proto/orders/v1/orders.proto": 'syntax = "proto3";\nservice OrderService {\n}\n',
    "buf.yaml": "version: v2\n",
    "api/openapi.yaml": "openapi: 3.1.0\ninfo:\n  title: Orders\n",
    "db/migrations/0001_init.up.sql": "create table orders (id int);\n",
    "db/migrations/0001_init.down.sql": "drop table orders;\n",
    "Dockerfile": "FROM golang:1.22\n",
    "compose.yaml": "services:\n  db:\n    image: postgres:16\n",
    "deploy/deployment.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\n",
    ".github/workflows/ci.yml": "on: push\n",
    "config/settings.toml": "debug = false\n",
    ".env.example": "PORT=8080\n",
    "tests/test_api.py": "",
}


def test_api_migration_container_infra_ci_config_and_tests(make_project: RepoFactory) -> None:
    root = make_project(ARTIFACT_FILES)

    found = discover_context(root)

    apis = {(a.path, a.kind) for a in found.api_definitions}
    assert {("proto/orders/v1/orders.proto", "protobuf"), ("buf.yaml", "buf"),
            ("api/openapi.yaml", "openapi")} <= apis
    proto = next(a for a in found.api_definitions if a.kind == "protobuf")
    assert proto.detail == "services: OrderService"
    assert {a.path for a in found.migrations} >= {"db/migrations/0001_init.up.sql",
                                                  "db/migrations/0001_init.down.sql"}
    assert {(a.path, a.kind) for a in found.containers} >= {("Dockerfile", "dockerfile"),
                                                            ("compose.yaml", "compose")}
    assert ("deploy/deployment.yaml", "kubernetes") in {(a.path, a.kind) for a in found.infra}
    assert [(a.path, a.kind) for a in found.ci] == [(".github/workflows/ci.yml",
                                                     "github-actions")]
    assert {"config/settings.toml", ".env.example"} <= set(found.config_files)
    assert found.tests.files == 1


MALFORMED: dict[str, tuple[str, str]] = {
    "go.mod": ("module\nrequire (\n\tgithub.com/gin-gonic/gin\n", "go.mod"),
    "Cargo.toml": ("[package\nname = 'x'\n", "Cargo.toml is not valid TOML"),
    "pom.xml": ("<project><dependencies></project>\n", "pom.xml is not valid XML"),
    "package.json": ('{"dependencies": {"express": }\n', "package.json is not valid JSON"),
    "pyproject.toml": ('[project]\nname = "x\n', "pyproject.toml is not valid TOML"),
}


@pytest.mark.parametrize(("manifest", "content", "note"),
                         [(m, c, n) for m, (c, n) in MALFORMED.items()], ids=MALFORMED.keys())
def test_malformed_manifest_is_a_note_and_exit_0(
    make_project: RepoFactory, manifest: str, content: str, note: str
) -> None:
    root = make_project({manifest: content, "main.py": ""})

    result = CliRunner().invoke(cli, ["context", str(root), "--format", "json"])

    assert result.exit_code == 0, result.output
    found = ProjectContext.model_validate_json(result.stdout)
    assert [n for n in found.notes if n.startswith(note)], found.notes
    assert not [n for n in found.notes if "detector" in n and "failed" in n]


def test_notes_reach_the_markdown(make_project: RepoFactory) -> None:
    root = make_project({"package.json": "{oops\n"})

    result = CliRunner().invoke(cli, ["context", str(root)])

    assert result.exit_code == 0, result.output
    assert "### Notes" in result.output
    assert "- package.json is not valid JSON" in result.output


@pytest.mark.parametrize("value", ["[]", '"a string"', "42", "null"])
def test_package_json_that_is_not_an_object(make_project: RepoFactory, value: str) -> None:
    root = make_project({"package.json": value + "\n"})

    found = discover_context(root)

    assert "package.json is not a JSON object; skipped" in found.notes
    assert found.components == []


def test_requirements_include_outside_the_project_is_not_followed(
    make_project: RepoFactory, tmp_path: Path
) -> None:
    (tmp_path / "outside.txt").write_text("django==5.0\n")
    root = make_project({"requirements.txt": "-r ../outside.txt\nflask==3.0.3\n"})

    found = by_name(discover_context(root))

    assert "Flask" in found
    assert "Django" not in found


VALID_GO_MOD = """// Package comment.
module github.com/acme/tools // the module

go 1.24.0

toolchain go1.24.1

godebug default=go1.21

require github.com/gin-gonic/gin v1.10.0

exclude github.com/gin-gonic/gin v1.9.0

retract [v0.1.0, v0.1.5]

retract (
\tv0.0.1 // published by mistake
)

tool golang.org/x/tools/cmd/stringer

ignore ./node_modules
"""


@pytest.mark.parametrize(
    ("text", "invalid_line"),
    [
        (VALID_GO_MOD, None),
        ("module\n", 1),
        ("module x\n\nthis is not go.mod\n", 3),
        ("module x\nrequire (\n\tgithub.com/a/b\n)\n", 3),
        ("module x\nrequire (\n\tgithub.com/a/b v1.0.0\n", 3),
        ("module x\nreplace github.com/a/b v1.0.0\n", 2),
        ("module x\nreplace => ../b\n", 2),
    ],
    ids=["valid", "module-without-path", "stray-line", "require-without-version",
         "unclosed-block", "replace-without-arrow", "replace-without-source"],
)
def test_go_mod_syntax_errors_are_located(text: str, invalid_line: int | None) -> None:
    assert parse_go_mod(text).invalid_line == invalid_line


def test_valid_go_mod_parses_every_directive_it_needs() -> None:
    mod = parse_go_mod(VALID_GO_MOD)

    assert (mod.module, mod.go_version) == ("github.com/acme/tools", "1.24.0")
    assert mod.requires == [("github.com/gin-gonic/gin", "v1.10.0")]


@pytest.mark.parametrize("in_git", [True, False], ids=["git", "no-git"])
def test_requirements_include_through_a_symlinked_folder_is_not_followed(
    make_project: RepoFactory, tmp_path: Path, in_git: bool
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "reqs.txt").write_text("django==5.0\n")
    root = make_project({"requirements.txt": "-r shared/reqs.txt\n-r sub/base.txt\nflask\n",
                         "sub/base.txt": "celery==5.4.0\n"}, git=False)
    (root / "shared").symlink_to(outside)
    if in_git:
        init_repo(root)

    found = by_name(discover_context(root))

    assert "Flask" in found
    assert "Celery" in found  # an include inside the project is still followed
    assert "Django" not in found
