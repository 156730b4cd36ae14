"""Generate benchmark repositories shaped like a real Go/Java/TypeScript/Python/Rust monorepo.

A fixture is written file by file, committed with one ``git add`` and one ``git commit``
under a pinned identity, and reused across runs while its generator version and size
are unchanged. Ignored build output (``node_modules/``, ``target/``) is written on disk but
never committed, as on a developer's machine.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import shutil
import subprocess
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

# Bump whenever the generated trees change, so stale fixtures are rebuilt.
GENERATOR_VERSION = "monorepo-v1"

PINNED_GIT_ENV = {
    "GIT_AUTHOR_NAME": "Bench Fixture",
    "GIT_AUTHOR_EMAIL": "bench@example.test",
    "GIT_COMMITTER_NAME": "Bench Fixture",
    "GIT_COMMITTER_EMAIL": "bench@example.test",
    "GIT_AUTHOR_DATE": "2026-01-02T03:04:05+00:00",
    "GIT_COMMITTER_DATE": "2026-01-02T03:04:05+00:00",
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
}
MARKER = "bench-fixture.json"

Content = str | bytes
File = tuple[str, Content]

NOUNS = (
    "order", "payment", "invoice", "customer", "account", "user", "inventory", "shipment",
    "catalog", "cart", "pricing", "notification", "auth", "session", "review", "rating",
    "search", "recommendation", "ledger", "report", "audit", "billing", "subscription",
    "coupon", "warehouse", "supplier", "tenant", "profile", "media", "webhook", "refund",
    "checkout", "fulfillment", "loyalty", "fraud", "tax", "quote", "contract", "booking",
    "schedule",
)
SERVICE_SUFFIXES = ("service", "api", "worker", "gateway", "svc", "processor", "sync")
# The first components rotate through every language, so even a tiny fixture has a
# Maven target/ folder; after that the mix is weighted like a Go-first backend shop.
LANGUAGE_ROTATION = ("java", "go", "node", "python", "rust")
LANGUAGE_WEIGHTS = {"go": 35, "java": 25, "node": 20, "python": 15, "rust": 5}


@dataclass(frozen=True)
class FixtureSpec:
    """What to generate: ``tracked`` committed files and ``ignored`` git-ignored ones."""

    name: str
    tracked: int
    ignored: int
    seed: int = 7

    @property
    def key(self) -> str:
        """Folder name under the work directory; changes whenever the content would."""
        return f"{self.name}-{GENERATOR_VERSION}-t{self.tracked}-i{self.ignored}-s{self.seed}"


@dataclass(frozen=True)
class Fixture:
    """A generated, committed repository."""

    root: Path
    spec: FixtureSpec
    reused: bool
    seconds: float


@dataclass
class _Component:
    name: str
    language: str
    base: str
    library: bool


@dataclass
class _Plan:
    """State gathered while files stream out: what exists, and where build output goes."""

    rng: random.Random
    components: list[_Component] = field(default_factory=list)
    # (folder, kind) where kind is "node_modules", "maven" or "cargo".
    hosts: list[tuple[str, str]] = field(default_factory=lambda: [("", "node_modules")])


# --------------------------------------------------------------------------- file bodies


def _rng(seed: int | str) -> random.Random:
    # Reproducible fixture content, not secrets: a seeded PRNG is the point.
    return random.Random(seed)  # noqa: S311


def _camel(*words: str) -> str:
    return "".join(w[:1].upper() + w[1:] for w in words)


def _go_source(pkg: str, stem: str, rng: random.Random) -> str:
    kind = _camel(pkg, stem.removesuffix("_test"))
    if stem.endswith("_test"):
        cases = "".join(
            f"\nfunc Test{kind}Case{i}(t *testing.T) {{\n\tgot := New{kind}(nil)\n"
            f"\tif got == nil {{\n\t\tt.Fatal(\"expected a {kind}\")\n\t}}\n}}\n"
            for i in range(rng.randint(1, 5))
        )
        return f"package {pkg}\n\nimport \"testing\"\n{cases}"
    methods = "".join(
        f"\n// {_camel('step', str(i))} runs step {i} of the {pkg} {stem} flow.\n"
        f"func (s *{kind}) {_camel('step', str(i))}(ctx context.Context, id string) error {{\n"
        f"\tif id == \"\" {{\n\t\treturn fmt.Errorf(\"{pkg}: empty id in step {i}\")\n\t}}\n"
        f"\treturn s.store.Touch(ctx, \"{pkg}.{stem}.{i}\", id)\n}}\n"
        for i in range(rng.randint(1, 6))
    )
    return (
        f"package {pkg}\n\nimport (\n\t\"context\"\n\t\"fmt\"\n)\n\n"
        f"// {kind} groups the {stem} logic of the {pkg} domain.\n"
        f"type {kind} struct {{\n\tstore Store\n}}\n\n"
        f"// New{kind} wires a {kind} to its store.\n"
        f"func New{kind}(store Store) *{kind} {{\n\treturn &{kind}{{store: store}}\n}}\n{methods}"
    )


def _java_source(package: str, cls: str, rng: random.Random) -> str:
    if cls.endswith(("Test", "IT")):
        cases = "".join(
            f"\n    @Test\n    void case{i}() {{\n        assertNotNull(new Object());\n    }}\n"
            for i in range(rng.randint(1, 5))
        )
        return (
            f"package {package};\n\nimport static org.junit.jupiter.api.Assertions.assertNotNull;"
            f"\n\nimport org.junit.jupiter.api.Test;\n\nclass {cls} {{\n{cases}}}\n"
        )
    methods = "".join(
        f"\n    public Optional<String> step{i}(String id) {{\n"
        f"        if (id == null || id.isBlank()) {{\n            return Optional.empty();\n"
        f"        }}\n        return Optional.of(\"{cls}-{i}-\" + id);\n    }}\n"
        for i in range(rng.randint(1, 6))
    )
    return (
        f"package {package};\n\nimport java.util.Optional;\n\n"
        f"/** {cls} of the {package.rsplit('.', 1)[-1]} module. */\n"
        f"public class {cls} {{\n{methods}}}\n"
    )


def _ts_source(domain: str, stem: str, rng: random.Random) -> str:
    if ".test" in stem:
        cases = "".join(
            f"\n  it('handles case {i}', () => {{\n    expect(subject.step{i}('x')).toBeDefined();"
            f"\n  }});\n"
            for i in range(rng.randint(1, 5))
        )
        return (
            f"import {{ describe, expect, it }} from 'vitest';\nimport * as subject from "
            f"'./{stem.replace('.test', '')}';\n\ndescribe('{stem}', () => {{{cases}}});\n"
        )
    functions = "".join(
        f"\nexport async function step{i}(id: string): Promise<{_camel(domain)}Result> {{\n"
        f"  if (!id) {{\n    throw new Error('{domain}: empty id in step {i}');\n  }}\n"
        f"  return {{ id, source: '{stem}', step: {i} }};\n}}\n"
        for i in range(rng.randint(1, 6))
    )
    return (
        f"export interface {_camel(domain)}Result {{\n  id: string;\n  source: string;\n"
        f"  step: number;\n}}\n{functions}"
    )


def _py_source(pkg: str, stem: str, rng: random.Random) -> str:
    if stem == "__init__":
        return f'"""The {pkg} package."""\n'
    if stem.startswith("test_"):
        cases = "".join(
            f"\n\ndef test_{stem[5:]}_case_{i}() -> None:\n    assert {i} + 1 == {i + 1}\n"
            for i in range(rng.randint(1, 5))
        )
        return f'"""Tests for {pkg}.{stem[5:]}."""\n{cases}'
    functions = "".join(
        f"\n\nasync def step_{i}(item_id: str) -> dict[str, str]:\n"
        f'    """Run step {i} of {stem}."""\n    if not item_id:\n'
        f'        raise ValueError("{pkg}: empty id in step {i}")\n'
        f'    return {{"id": item_id, "source": "{stem}", "step": "{i}"}}\n'
        for i in range(rng.randint(1, 6))
    )
    return f'"""{stem.replace("_", " ").capitalize()} for the {pkg} domain."""\n{functions}'


def _rust_source(module: str, stem: str, rng: random.Random) -> str:
    functions = "".join(
        f"\npub async fn step_{i}(id: &str) -> Result<String, Error> {{\n"
        f"    if id.is_empty() {{\n        return Err(Error::Invalid(\"{module}: step {i}\"));\n"
        f"    }}\n    Ok(format!(\"{stem}-{i}-{{id}}\"))\n}}\n"
        for i in range(rng.randint(1, 6))
    )
    return f"//! {stem} of the {module} module.\n\nuse crate::error::Error;\n{functions}"


def _sql(table: str, step: int) -> str:
    return (
        f"-- migration {step}: {table}\nCREATE TABLE IF NOT EXISTS {table}_{step} (\n"
        f"    id UUID PRIMARY KEY,\n    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),\n"
        f"    payload JSONB NOT NULL\n);\nCREATE INDEX ON {table}_{step} (created_at);\n"
    )


def _markdown(title: str, rng: random.Random) -> str:
    paragraphs = "\n\n".join(
        f"Section {i} describes how {title} behaves under load and how to operate it."
        for i in range(rng.randint(2, 6))
    )
    return f"# {title}\n\n{paragraphs}\n"


def _dockerfile(component: _Component) -> str:
    images = {"go": "golang:1.22", "java": "eclipse-temurin:21", "node": "node:20-alpine",
              "python": "python:3.12-slim", "rust": "rust:1.78"}
    return (
        f"FROM {images[component.language]} AS build\nWORKDIR /src\nCOPY . .\n"
        f"RUN make build\n\nFROM gcr.io/distroless/base\nCOPY --from=build /src/out /app\n"
        f"USER nonroot\nENTRYPOINT [\"/app/{component.name}\"]\n"
    )


def _k8s(name: str, kind: str) -> str:
    return (
        f"apiVersion: {'apps/v1' if kind == 'Deployment' else 'v1'}\nkind: {kind}\n"
        f"metadata:\n  name: {name}\n  labels:\n    app: {name}\nspec:\n"
        f"  selector:\n    app: {name}\n"
    )


# --------------------------------------------------------------------------- folders


def _folder(
    folder: str, pool: Sequence[str], rng: random.Random, render: Callable[[str], Content],
    *, low: int = 6, high: int = 15,
) -> Iterator[File]:
    """Between ``low`` and ``high`` files named from ``pool``, each rendered from its stem."""
    count = min(len(pool), rng.randint(low, high))
    for name in sorted(rng.sample(list(pool), count)):
        yield f"{folder}/{name}", render(name.rpartition(".")[0])


_GO_ROLES = ("handler", "service", "repository", "model", "errors", "validate", "mapper",
             "events", "metrics", "options", "query", "cache", "client", "server", "routes",
             "middleware", "dto", "store")
_GO_POOL = tuple(f"{r}.go" for r in _GO_ROLES) + tuple(f"{r}_test.go" for r in _GO_ROLES[:8])


def _go(c: _Component, plan: _Plan) -> Iterator[File]:
    rng = plan.rng
    module = f"github.com/acme/platform/{c.base}"
    requires = rng.sample([
        "connectrpc.com/connect v1.16.2", "google.golang.org/grpc v1.64.0",
        "github.com/gin-gonic/gin v1.10.0", "github.com/labstack/echo/v4 v4.12.0",
        "github.com/jackc/pgx/v5 v5.6.0", "github.com/redis/go-redis/v9 v9.5.3",
        "github.com/segmentio/kafka-go v0.4.47", "github.com/stretchr/testify v1.9.0",
        "go.uber.org/zap v1.27.0", "github.com/pressly/goose/v3 v3.21.1",
    ], rng.randint(3, 7))
    yield f"{c.base}/go.mod", (f"module {module}\n\ngo 1.22\n\nrequire (\n\t"
                               + "\n\t".join(sorted(requires)) + "\n)\n")
    yield f"{c.base}/go.sum", "".join(f"{r} h1:{rng.getrandbits(128):032x}=\n"
                                      for r in sorted(requires))
    yield f"{c.base}/README.md", _markdown(c.name, rng)
    if not c.library:
        yield f"{c.base}/Dockerfile", _dockerfile(c)
        yield f"{c.base}/Makefile", "build:\n\tgo build -o out/ ./...\n\ntest:\n\tgo test ./...\n"
        yield f"{c.base}/cmd/{c.name}/main.go", (
            f"package main\n\nimport \"{module}/internal/platform/config\"\n\n"
            f"func main() {{\n\tconfig.MustLoad(\"{c.name}\")\n}}\n")
    for domain in rng.sample(NOUNS, rng.randint(2, 7)):
        yield from _folder(f"{c.base}/internal/{domain}", _GO_POOL, rng,
                           partial(_go_source, domain, rng=rng))
        if rng.random() < 0.4:
            sub = rng.choice(("postgres", "events", "grpcapi", "cache"))
            yield from _folder(f"{c.base}/internal/{domain}/{sub}", _GO_POOL, rng,
                               partial(_go_source, sub, rng=rng))
    platform = ("config", "database", "logging", "middleware", "telemetry", "httpx", "authz")
    for part in rng.sample(platform, rng.randint(1, 4)):
        yield from _folder(f"{c.base}/internal/platform/{part}", _GO_POOL, rng,
                           partial(_go_source, part, rng=rng))
    if not c.library:
        yield from _migrations(f"{c.base}/migrations", c, rng,
                               lambda i, t: f"{i:06d}_{t}.up.sql")


_JAVA_ROLES = ("Controller", "Service", "ServiceImpl", "Repository", "", "Dto", "Mapper",
               "NotFoundException", "CreateRequest", "Response", "Event", "Validator", "Status",
               "Config", "Client", "Specification")
_JAVA_TEST_ROLES = ("ControllerTest", "ServiceTest", "RepositoryTest", "MapperTest",
                    "ValidatorTest", "ControllerIT", "RepositoryIT", "EventTest")


def _java(c: _Component, plan: _Plan) -> Iterator[File]:
    rng = plan.rng
    pkg = c.name.replace("-", "")
    deps = rng.sample(["spring-boot-starter-web", "spring-boot-starter-data-jpa",
                       "spring-boot-starter-actuator", "spring-kafka", "flyway-core",
                       "postgresql", "spring-boot-starter-validation", "micrometer-core"],
                      rng.randint(3, 6))
    dependencies = "".join(
        f"    <dependency>\n      <groupId>org.springframework.boot</groupId>\n"
        f"      <artifactId>{d}</artifactId>\n    </dependency>\n" for d in sorted(deps))
    yield f"{c.base}/pom.xml", (
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<project xmlns=\"http://maven.apache.org/"
        "POM/4.0.0\">\n  <modelVersion>4.0.0</modelVersion>\n  <parent>\n    <groupId>"
        "org.springframework.boot</groupId>\n    <artifactId>spring-boot-starter-parent"
        "</artifactId>\n    <version>3.3.1</version>\n  </parent>\n  <groupId>com.acme"
        f"</groupId>\n  <artifactId>{c.name}</artifactId>\n  <version>1.0.0</version>\n"
        f"  <dependencies>\n{dependencies}  </dependencies>\n</project>\n")
    yield f"{c.base}/README.md", _markdown(c.name, rng)
    plan.hosts.append((c.base, "maven"))
    if not c.library:
        yield f"{c.base}/Dockerfile", _dockerfile(c)
        yield f"{c.base}/mvnw", "#!/bin/sh\nexec mvn \"$@\"\n"
        yield f"{c.base}/.mvn/wrapper/maven-wrapper.properties", (
            "distributionUrl=https://repo.maven.apache.org/maven2/org/apache/maven/"
            "apache-maven/3.9.7/apache-maven-3.9.7-bin.zip\n")
    main = f"{c.base}/src/main/java/com/acme/{pkg}"
    yield f"{main}/Application.java", _java_source(f"com.acme.{pkg}", "Application", rng)
    for domain in rng.sample(NOUNS, rng.randint(2, 7)):
        package = f"com.acme.{pkg}.{domain}"
        yield from _folder(f"{main}/{domain}", [f"{_camel(domain)}{r}.java" for r in _JAVA_ROLES],
                           rng, partial(_java_source, package, rng=rng))
        yield from _folder(f"{c.base}/src/test/java/com/acme/{pkg}/{domain}",
                           [f"{_camel(domain)}{r}.java" for r in _JAVA_TEST_ROLES], rng,
                           partial(_java_source, package, rng=rng), low=3, high=8)
    if not c.library:
        resources = f"{c.base}/src/main/resources"
        yield f"{resources}/application.yaml", (
            f"spring:\n  application:\n    name: {c.name}\n  datasource:\n"
            f"    url: jdbc:postgresql://db:5432/{pkg}\nserver:\n  port: 8080\n")
        yield f"{resources}/logback-spring.xml", "<configuration>\n  <root level=\"INFO\"/>\n" \
            "</configuration>\n"
        yield from _migrations(f"{resources}/db/migration", c, rng,
                               lambda i, t: f"V{i}__create_{t}.sql")


_TS_ROLES = ("controller", "service", "repository", "routes", "schema", "types", "mapper",
             "errors", "events", "validator", "client", "cache")


def _node(c: _Component, plan: _Plan) -> Iterator[File]:
    rng = plan.rng
    deps = rng.sample(["express", "fastify", "pg", "ioredis", "kafkajs", "zod", "pino",
                       "@connectrpc/connect", "prisma", "dotenv"], rng.randint(3, 6))
    manifest = {
        "name": f"@acme/{c.name}", "version": "1.0.0", "private": True,
        "scripts": {"build": "tsc -p .", "test": "vitest run"},
        "dependencies": dict.fromkeys(sorted(deps), "^1.0.0"),
        "devDependencies": {"typescript": "^5.4.0", "vitest": "^1.6.0"},
    }
    yield f"{c.base}/package.json", json.dumps(manifest, indent=2) + "\n"
    yield f"{c.base}/tsconfig.json", json.dumps(
        {"extends": "../../tsconfig.base.json", "compilerOptions": {"outDir": "dist"}},
        indent=2) + "\n"
    yield f"{c.base}/README.md", _markdown(c.name, rng)
    plan.hosts.append((c.base, "node_modules"))
    if not c.library:
        yield f"{c.base}/Dockerfile", _dockerfile(c)
        yield from _folder(f"{c.base}/src", ["index.ts", "server.ts", "app.ts", "config.ts",
                                             "logger.ts", "routes.ts", "db.ts", "health.ts"],
                           rng, partial(_ts_source, "app", rng=rng))
    for domain in rng.sample(NOUNS, rng.randint(2, 7)):
        pool = [f"{domain}.{r}.ts" for r in _TS_ROLES] + [
            f"{domain}.{r}.test.ts" for r in _TS_ROLES[:5]]
        yield from _folder(f"{c.base}/src/{domain}", pool, rng,
                           partial(_ts_source, domain, rng=rng))
    if not c.library:
        yield from _folder(f"{c.base}/src/middleware",
                           ["auth.ts", "error-handler.ts", "request-id.ts", "rate-limit.ts",
                            "logging.ts", "validate.ts", "cors.ts", "tracing.ts"], rng,
                           partial(_ts_source, "middleware", rng=rng))


_PY_MODULES = ("__init__", "router", "service", "repository", "models", "schemas", "exceptions",
               "dependencies", "events", "utils", "constants", "tasks", "client", "cache")


def _python(c: _Component, plan: _Plan) -> Iterator[File]:
    rng = plan.rng
    pkg = c.name.replace("-", "_")
    deps = rng.sample(["fastapi>=0.111", "sqlalchemy>=2.0", "alembic>=1.13", "pydantic>=2.7",
                       "httpx>=0.27", "redis>=5.0", "celery>=5.4", "uvicorn>=0.30"],
                      rng.randint(3, 6))
    yield f"{c.base}/pyproject.toml", (
        f"[project]\nname = \"{c.name}\"\nversion = \"1.0.0\"\nrequires-python = \">=3.11\"\n"
        "dependencies = [\n" + "".join(f"    \"{d}\",\n" for d in sorted(deps)) + "]\n")
    yield f"{c.base}/README.md", _markdown(c.name, rng)
    if not c.library:
        yield f"{c.base}/Dockerfile", _dockerfile(c)
        yield f"{c.base}/alembic.ini", "[alembic]\nscript_location = alembic\n"
    yield from _folder(f"{c.base}/src/{pkg}", [f"{m}.py" for m in (
        "__init__", "main", "config", "db", "dependencies", "logging_setup", "settings",
        "middleware")], rng, partial(_py_source, pkg, rng=rng))
    for domain in rng.sample(NOUNS, rng.randint(2, 7)):
        yield from _folder(f"{c.base}/src/{pkg}/{domain}", [f"{m}.py" for m in _PY_MODULES],
                           rng, partial(_py_source, domain, rng=rng))
        yield from _folder(f"{c.base}/tests/{domain}",
                           ["__init__.py"] + [f"test_{m}.py" for m in _PY_MODULES[1:]], rng,
                           partial(_py_source, domain, rng=rng), low=3, high=8)
    if not c.library:
        yield from _migrations(f"{c.base}/alembic/versions", c, rng,
                               lambda i, t: f"{i:04d}_create_{t}.py")


_RUST_MODULES = ("mod", "handlers", "model", "repo", "service", "dto", "errors", "routes",
                 "events", "validate", "cache", "client")


def _rust(c: _Component, plan: _Plan) -> Iterator[File]:
    rng = plan.rng
    deps = rng.sample(["axum = \"0.7\"", "tokio = { version = \"1\", features = [\"full\"] }",
                       "sqlx = { version = \"0.7\", features = [\"postgres\"] }",
                       "serde = { version = \"1\", features = [\"derive\"] }",
                       "tracing = \"0.1\"", "tower = \"0.4\"", "thiserror = \"1\""],
                      rng.randint(3, 6))
    yield f"{c.base}/Cargo.toml", (
        f"[package]\nname = \"{c.name}\"\nversion = \"1.0.0\"\nedition = \"2021\"\n\n"
        "[dependencies]\n" + "\n".join(sorted(deps)) + "\n")
    yield f"{c.base}/README.md", _markdown(c.name, rng)
    plan.hosts.append((c.base, "cargo"))
    if not c.library:
        yield f"{c.base}/Dockerfile", _dockerfile(c)
    yield from _folder(f"{c.base}/src", [f"{m}.rs" for m in (
        "main", "lib", "config", "error", "routes", "state", "telemetry", "db")], rng,
        partial(_rust_source, c.name, rng=rng))
    for domain in rng.sample(NOUNS, rng.randint(2, 7)):
        yield from _folder(f"{c.base}/src/{domain}", [f"{m}.rs" for m in _RUST_MODULES], rng,
                           partial(_rust_source, domain, rng=rng))
    if not c.library:
        yield from _migrations(f"{c.base}/migrations", c, rng,
                               lambda i, t: f"2024010{1 + i % 9}{i:06d}_{t}.sql")


def _migrations(folder: str, c: _Component, rng: random.Random,
                name: Callable[[int, str], str]) -> Iterator[File]:
    tables = [rng.choice(NOUNS) for _ in range(rng.randint(6, 15))]
    for step, table in enumerate(tables, start=1):
        file_name = name(step, table)
        body = (f'"""Create {table}."""\n\nrevision = "{step:04d}"\n' if file_name.endswith(".py")
                else _sql(table, step))
        yield f"{folder}/{file_name}", body


_EMITTERS: dict[str, Callable[[_Component, _Plan], Iterator[File]]] = {
    "go": _go, "java": _java, "node": _node, "python": _python, "rust": _rust,
}


# --------------------------------------------------------------------------- whole repo


def _components(rng: random.Random) -> Iterator[_Component]:
    languages = list(LANGUAGE_WEIGHTS)
    weights = list(LANGUAGE_WEIGHTS.values())
    seen: set[str] = set()
    for number in itertools.count():
        language = (LANGUAGE_ROTATION[number] if number < len(LANGUAGE_ROTATION)
                    else rng.choices(languages, weights)[0])
        library = number >= len(LANGUAGE_ROTATION) and rng.random() < 0.15
        name = f"{rng.choice(NOUNS)}-{'lib' if library else rng.choice(SERVICE_SUFFIXES)}"
        if name in seen:
            name = f"{name}-{number}"
        seen.add(name)
        base = f"libs/{language}/{name}" if library else f"services/{name}"
        yield _Component(name=name, language=language, base=base, library=library)


def _root_files(plan: _Plan) -> list[File]:
    """Top-level files; their number never depends on the components they mention."""
    rng = _rng(0)
    services = [c for c in plan.components if not c.library]
    go_modules = [c.base for c in plan.components if c.language == "go"]
    node_packages = [c.base for c in plan.components if c.language == "node"]
    compose = "services:\n" + "".join(
        f"  {c.name}:\n    build: ./{c.base}\n    depends_on: [postgres]\n" for c in services[:20]
    ) + "  postgres:\n    image: postgres:16\n"
    files: list[File] = [
        (".gitignore", "# dependencies and build output\nnode_modules/\ntarget/\ndist/\n"
                       "*.log\n.env\n.env.local\ncoverage/\n.idea/\n__pycache__/\n*.pyc\n"),
        ("README.md", _markdown("Acme platform monorepo", rng)),
        ("Makefile", "all:\n\t./scripts/build-all.sh\n"),
        ("compose.yaml", compose),
        ("go.work", "go 1.22\n\nuse (\n" + "".join(f"\t./{m}\n" for m in go_modules) + ")\n"),
        ("package.json", json.dumps({"name": "acme-platform", "private": True,
                                     "workspaces": node_packages}, indent=2) + "\n"),
        ("tsconfig.base.json", json.dumps({"compilerOptions": {"strict": True}}) + "\n"),
        ("buf.yaml", "version: v2\nmodules:\n  - path: proto\n"),
        ("buf.gen.yaml", "version: v2\nplugins:\n  - remote: buf.build/connectrpc/go\n"),
        (".editorconfig", "root = true\n\n[*]\nindent_style = space\n"),
        ("CODEOWNERS", "* @acme/platform\n"),
        ("LICENSE", "Proprietary. Copyright Acme.\n"),
    ]
    workflows = ("ci", "release", "lint", "codeql", "deploy-staging", "deploy-production",
                 "proto", "nightly")
    files += [(f".github/workflows/{w}.yml",
               f"name: {w}\non: [push]\njobs:\n  {w}:\n    runs-on: ubuntu-latest\n"
               f"    steps:\n      - uses: actions/checkout@v4\n") for w in workflows]
    files += [(f"docs/{d}.md", _markdown(d, rng)) for d in (
        "architecture", "onboarding", "runbook", "api-guidelines", "glossary", "security")]
    files += [(f"docs/adr/{i:04d}-decision-{i}.md", _markdown(f"ADR {i}", rng))
              for i in range(1, 9)]
    files += [(f"scripts/{s}.sh", f"#!/usr/bin/env bash\nset -euo pipefail\necho {s}\n")
              for s in ("bootstrap", "build-all", "lint", "gen-proto", "migrate", "release")]
    files += [(f"deploy/k8s/base/{k}.yaml", _k8s("platform", k.capitalize())) for k in (
        "namespace", "ingress", "networkpolicy", "configmap", "serviceaccount", "secretstore")]
    return files


def _component_extras(c: _Component, rng: random.Random) -> Iterator[File]:
    """API schemas and deployment manifests that live outside the component's folder."""
    if c.library:
        return
    if c.language == "go" or (c.language == "java" and rng.random() < 0.3):
        package = c.name.replace("-", "")
        yield f"proto/acme/{package}/v1/{package}.proto", (
            f"syntax = \"proto3\";\n\npackage acme.{package}.v1;\n\n"
            f"service {_camel(*c.name.split('-'))} {{\n  rpc Get(GetRequest) returns "
            f"(GetResponse);\n}}\n\nmessage GetRequest {{ string id = 1; }}\n"
            f"message GetResponse {{ string id = 1; }}\n")
    if rng.random() < 0.7:
        for kind in ("Deployment", "Service", "HorizontalPodAutoscaler"):
            yield f"deploy/k8s/{c.name}/{kind.lower()}.yaml", _k8s(c.name, kind)
        yield f"deploy/k8s/{c.name}/kustomization.yaml", (
            "resources:\n  - deployment.yaml\n  - service.yaml\n")


def tracked_files(total: int, plan: _Plan) -> Iterator[File]:
    """Exactly ``total`` committed files: components first, then top-level files."""
    root_count = len(_root_files(_Plan(rng=_rng(0))))
    budget = max(0, total - root_count)
    emitted = 0
    for component in _components(plan.rng):
        if emitted >= budget:
            break
        plan.components.append(component)
        stream = itertools.chain(_EMITTERS[component.language](component, plan),
                                 _component_extras(component, plan.rng))
        for item in itertools.islice(stream, budget - emitted):
            emitted += 1
            yield item
    yield from _root_files(plan)[: total - emitted]


# --------------------------------------------------------------------------- build output


def _node_modules(folder: str, rng: random.Random) -> Iterator[File]:
    popular = ("express", "lodash", "react", "debug", "ms", "zod", "pino", "typescript",
               "@types/node", "@babel/core", "semver", "chalk", "commander", "uuid", "ws")
    for number in itertools.count():
        name = popular[number] if number < len(popular) else f"pkg-{number:05d}"
        package = f"{folder}/node_modules/{name}" if folder else f"node_modules/{name}"
        yield f"{package}/package.json", f'{{"name": "{name}", "version": "1.{number}.0"}}\n'
        yield f"{package}/README.md", f"# {name}\n"
        yield f"{package}/LICENSE", "MIT\n"
        yield f"{package}/index.js", f"module.exports = require('./lib/{name.split('/')[-1]}');\n"
        for part in ("lib", "dist"):
            for i in range(rng.randint(6, 15)):
                yield f"{package}/{part}/module{i}.js", f"exports.f{i} = () => {number + i};\n"
        if rng.random() < 0.3:
            nested = f"{package}/node_modules/dep-{number}"
            yield f"{nested}/package.json", f'{{"name": "dep-{number}"}}\n'
            yield f"{nested}/index.js", "module.exports = {};\n"


def _maven_target(folder: str, rng: random.Random) -> Iterator[File]:
    for number in itertools.count():
        classes = f"{folder}/target/classes/com/acme/generated/m{number}"
        for i in range(rng.randint(6, 15)):
            yield f"{classes}/Type{i}.class", b"\xca\xfe\xba\xbe\x00\x00\x00\x41" + bytes(64)
        yield (f"{folder}/target/surefire-reports/TEST-m{number}.txt",
               f"Tests run: {number % 9 + 1}, Failures: 0\n")


def _cargo_target(folder: str, rng: random.Random) -> Iterator[File]:
    for number in itertools.count():
        crate, digest = f"crate{number}", f"{rng.getrandbits(64):016x}"
        deps = f"{folder}/target/debug/deps"
        for suffix in ("d", "rlib", "rmeta"):
            yield f"{deps}/lib{crate}-{digest}.{suffix}", b"\x7fELF" + bytes(60)
        fingerprint = f"{folder}/target/debug/.fingerprint/{crate}-{digest}"
        for name in ("dep-lib", "lib", "lib.json", "invoked.timestamp"):
            yield f"{fingerprint}/{name}-{crate}", f"{digest}\n"


_BUILD_OUTPUT: dict[str, Callable[[str, random.Random], Iterator[File]]] = {
    "node_modules": _node_modules, "maven": _maven_target, "cargo": _cargo_target,
}
# The root node_modules/ of a workspace holds most hoisted packages.
_HOST_WEIGHT = {"node_modules": 3, "maven": 1, "cargo": 2}


def ignored_files(total: int, plan: _Plan) -> Iterator[File]:
    """Exactly ``total`` ignored files spread over the plan's build-output folders."""
    weights = [10 if not folder else _HOST_WEIGHT[kind] for folder, kind in plan.hosts]
    shares = [total * w // sum(weights) for w in weights]
    shares[0] += total - sum(shares)
    for (folder, kind), share in zip(plan.hosts, shares, strict=True):
        yield from itertools.islice(_BUILD_OUTPUT[kind](folder, plan.rng), share)


# --------------------------------------------------------------------------- on disk


def _write(root: Path, files: Iterator[File]) -> int:
    made: set[str] = set()
    count = 0
    for relative, content in files:
        folder = os.path.dirname(relative)
        if folder and folder not in made:
            os.makedirs(root / folder, exist_ok=True)
            made.add(folder)
        data = content.encode() if isinstance(content, str) else content
        with open(root / relative, "xb") as handle:
            handle.write(data)
        count += 1
    return count


def _git(root: Path, *args: str) -> str:
    env = {**os.environ, **PINNED_GIT_ENV}
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE"):
        env.pop(name, None)
    done = subprocess.run(
        ["git", "-C", str(root), "-c", "core.fsmonitor=false", *args],
        env=env, check=True, capture_output=True, text=True,
    )
    return done.stdout


def build(spec: FixtureSpec, root: Path) -> None:
    """Write and commit the fixture ``spec`` into the new, empty or absent folder ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    plan = _Plan(rng=_rng(f"{GENERATOR_VERSION}:{spec.seed}"))
    written = _write(root, tracked_files(spec.tracked, plan))
    written += _write(root, ignored_files(spec.ignored, plan))
    if written != spec.tracked + spec.ignored:
        raise RuntimeError(f"generator wrote {written} files, expected "
                           f"{spec.tracked + spec.ignored}")
    # git trusts a file's cached stat only if it is older than the index itself; a file
    # written in the same second stays "racily clean" and would be re-read by every later
    # git status. Letting the clock pass the next full second before indexing avoids that.
    time.sleep(1.0 - time.time() % 1.0 + 0.01)
    _git(root, "init", "--quiet", "--initial-branch=main")
    _git(root, "add", "--all")
    _git(root, "commit", "--quiet", "--no-verify", "-m", f"Bench fixture {spec.key}")
    committed = _git(root, "ls-files", "-z").count("\0")
    if committed != spec.tracked:
        raise RuntimeError(f"{committed} files committed, expected {spec.tracked}: a generated "
                           "path matches .gitignore")
    head = _git(root, "rev-parse", "HEAD").strip()
    marker = {"key": spec.key, "head": head}
    (root / ".git" / MARKER).write_text(json.dumps(marker) + "\n", encoding="utf-8")


def _is_current(spec: FixtureSpec, root: Path) -> bool:
    try:
        marker = json.loads((root / ".git" / MARKER).read_text(encoding="utf-8"))
        head = _git(root, "rev-parse", "HEAD").strip()
    except (OSError, ValueError, subprocess.CalledProcessError):
        return False
    return bool(marker.get("key") == spec.key and marker.get("head") == head)


def ensure(spec: FixtureSpec, work_dir: Path) -> Fixture:
    """Return the fixture for ``spec`` under ``work_dir``, generating it unless current.

    Fixtures of older generator versions or other sizes under the same name are removed.
    """
    started = time.perf_counter()
    root = work_dir / spec.key
    if _is_current(spec, root):
        return Fixture(root=root, spec=spec, reused=True, seconds=time.perf_counter() - started)
    work_dir.mkdir(parents=True, exist_ok=True)
    for stale in work_dir.glob(f"{spec.name}-*"):
        shutil.rmtree(stale)
    build(spec, root)
    return Fixture(root=root, spec=spec, reused=False, seconds=time.perf_counter() - started)
