"""The markdown and JSON renderings: capped, stable, complete where promised, snapshot-tested."""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from pytest_snapshot.plugin import Snapshot

from backend_persona import models
from backend_persona.cli import cli
from backend_persona.discover import catalog, discover_context
from backend_persona.evidence import Evidence
from backend_persona.models import (
    Artifact,
    Component,
    GitState,
    Guidance,
    LanguageCount,
    ProjectContext,
    Technology,
)
from backend_persona.render import MAX_MARKDOWN_CHARS, to_json, to_markdown
from backend_persona.state.render import previous_session_sections
from tests.conftest import PINNED_GIT_ENV, RepoFactory, Tree, write_tree

SNAPSHOTS = Path(__file__).parent / "snapshots" / "render"


def context_output(root: Path, output_format: str = "markdown") -> str:
    result = CliRunner().invoke(cli, ["context", str(root), "--format", output_format])
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    return result.stdout


# --- a big generated monorepo -------------------------------------------------------------

SERVICES = 320
CONFIG_FILES = 300
BROKEN_MANIFESTS = 30


def dependency_names(catalog: Mapping[str, object]) -> list[str]:
    # Catalogue keys ending in a separator match by prefix; complete them into real names.
    return [key + "x" if key[-1] in "/:-" else key for key in sorted(catalog)]


def service_manifest(number: int) -> tuple[str, str]:
    """One manifest per service, cycling through the ecosystems and their catalogues."""
    kind = number % 5
    if kind == 0:
        deps = dependency_names(catalog.source("npm"))
        chosen = {deps[(number + k) % len(deps)]: f"^1.{k}.0" for k in range(3)}
        return "package.json", json.dumps({"name": f"svc-{number}", "dependencies": chosen})
    if kind == 1:
        deps = dependency_names(catalog.source("go"))
        lines = "".join(f"\t{deps[(number + k) % len(deps)]} v1.{k}.0\n" for k in range(3))
        return "go.mod", f"module example.com/svc{number}\n\ngo 1.22\n\nrequire (\n{lines})\n"
    if kind == 2:
        # `crate/feature` keys name a crate's features, not crates.
        deps = [d for d in dependency_names(catalog.source("crate")) if "/" not in d]
        lines = "".join(f'{deps[(number + k) % len(deps)]} = "1.{k}"\n' for k in range(3))
        return "Cargo.toml", f'[package]\nname = "svc{number}"\n\n[dependencies]\n{lines}'
    if kind == 3:
        deps = dependency_names(catalog.source("pypi"))
        listed = ", ".join(f'"{deps[(number + k) % len(deps)]}>=1.{k}"' for k in range(3))
        return "pyproject.toml", (f'[project]\nname = "svc{number}"\n'
                                  f"dependencies = [{listed}]\n")
    deps = [d for d in dependency_names(catalog.source("maven")) if ":" in d]  # group prefixes
    body = "".join(
        "<dependency><groupId>{}</groupId><artifactId>{}</artifactId></dependency>".format(
            *deps[(number + k) % len(deps)].split(":", 1))
        for k in range(3)
    )
    return "pom.xml", (f"<project><artifactId>svc{number}</artifactId>"
                       f"<dependencies>{body}</dependencies></project>\n")


def big_tree() -> Tree:
    files: dict[str, str | bytes] = {}
    for number in range(SERVICES):
        manifest, content = service_manifest(number)
        files[f"services/svc-{number:03d}/{manifest}"] = content
        files[f"services/svc-{number:03d}/Dockerfile"] = "FROM scratch\n"
        files[f"services/svc-{number:03d}/proto/api.proto"] = "service Api {\n}\n"
    for number in range(CONFIG_FILES):
        files[f"config/app-{number:03d}.yaml"] = "debug: false\n"
    for number in range(BROKEN_MANIFESTS):
        files[f"broken/b{number:02d}/package.json"] = "{not json\n"
    for number in range(40):
        files[f".github/workflows/job{number:02d}.yml"] = "on: push\n"
        files[f"db/migrations/{number:04d}_step.up.sql"] = "select 1;\n"
    return files


@pytest.fixture(scope="module")
def big_repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # Built once for the module; the per-test hermetic environment is not active yet, so
    # the pinned identity and an empty global config are passed to git explicitly.
    root = write_tree(tmp_path_factory.mktemp("big") / "big-monorepo", big_tree())
    env = {**os.environ, **PINNED_GIT_ENV, "GIT_CONFIG_GLOBAL": os.devnull}
    for args in (["init", "--quiet", "--initial-branch=main"], ["add", "--all"],
                 ["commit", "--quiet", "-m", "Generated monorepo"]):
        subprocess.run(["git", "-C", str(root), *args], check=True, env=env)
    return root


def test_big_repo_markdown_is_capped_with_more_notes(big_repo: Path) -> None:
    markdown = context_output(big_repo)

    assert len(markdown) <= MAX_MARKDOWN_CHARS
    assert "more technologies in `--format json`" in markdown
    assert "more components in `--format json`" in markdown
    assert "more notes in `--format json`" in markdown
    config_line = next(line for line in markdown.splitlines() if "Config files" in line)
    assert " more)" in config_line
    assert "context cut to fit" not in markdown  # lists were shortened, no section was lost
    for heading in ("### Stack", "### Services and components", "### APIs, data and delivery",
                    "### Stack guidance", "### Notes"):
        assert heading in markdown


def test_big_repo_markdown_is_byte_identical_across_runs(big_repo: Path) -> None:
    first = CliRunner().invoke(cli, ["context", str(big_repo)]).stdout_bytes
    second = CliRunner().invoke(cli, ["context", str(big_repo)]).stdout_bytes

    assert first == second


def test_big_repo_json_carries_the_full_lists(big_repo: Path) -> None:
    markdown = context_output(big_repo)
    raw = context_output(big_repo, "json")

    found = ProjectContext.model_validate(json.loads(raw))

    assert len([c for c in found.components if c.path.startswith("services/")]) == SERVICES
    assert len([c for c in found.config_files if c.startswith("config/")]) == CONFIG_FILES
    assert len(found.technologies) >= 60
    assert len([n for n in found.notes if "is not valid JSON" in n]) == BROKEN_MANIFESTS
    assert len(found.ci) == 40
    shown_rows = [line for line in markdown.splitlines() if line.startswith("| `services/")]
    assert 0 < len(shown_rows) < SERVICES
    stack_rows = markdown.split("### Stack\n", 1)[1].split("\n\n", 1)[0].count("\n| ") - 1
    assert 0 < stack_rows < len(found.technologies)
    node_js = next(t for t in found.technologies if t.name == "Node.js")
    assert len(node_js.evidence) == SERVICES // 5  # every package.json, not just two


# --- the renderer on synthetic contexts ---------------------------------------------------


def synthetic(size: int, width: int = 150) -> ProjectContext:
    """A context with ``size`` entries in every list, each name ``width`` characters long."""
    long = "x" * width
    return ProjectContext(
        tool_version="0.0.0",
        root="/" + long,
        name=long,
        git=GitState(status="ok", branch=long, uncommitted=size),
        file_count=size * 10,
        languages=[LanguageCount(name=f"L{n}{long}", files=n + 1) for n in range(size)],
        technologies=[Technology(name=f"T{n}{long}", category="library", version=long,
                                 evidence=[Evidence(f"{n}/{long}.{e}") for e in range(5)])
                      for n in range(size)],
        components=[Component(path=f"c{n}/{long}", name=long, ecosystems=["go"],
                              manifests=[f"c{n}/go.mod"], frameworks=[long] * 9)
                    for n in range(size)],
        api_definitions=[Artifact(section="api", kind="openapi", path=f"a{n}/{long}.yaml",
                                  detail=long) for n in range(size)],
        migrations=[Artifact(section="migration", kind="sql", path=f"m{n}/{long}.sql")
                    for n in range(size)],
        config_files=[f"c{n}/{long}.yaml" for n in range(size)],
        containers=[Artifact(section="container", kind="dockerfile", path=f"d{n}/Dockerfile")
                    for n in range(size)],
        infra=[Artifact(section="infra", kind="terraform", path=f"i{n}/{long}.tf")
               for n in range(size)],
        ci=[Artifact(section="ci", kind="github-actions", path=f".github/workflows/{n}.yml")
            for n in range(size)],
        tests=models.TestSummary(files=size, directories=[f"t{n}/{long}" for n in range(size)]),
        guidance=[Guidance(topic="Go", advice="Use ConnectRPC.")],
        notes=[f"note {n} {long}" for n in range(size)],
    )


@pytest.mark.parametrize("size", [0, 1, 13, 200, 1000])
@pytest.mark.parametrize("width", [10, 150, 5000])
def test_markdown_never_exceeds_the_cap(size: int, width: int) -> None:
    context = synthetic(size, width)

    markdown = to_markdown(context)

    assert len(markdown) <= MAX_MARKDOWN_CHARS
    assert markdown == to_markdown(context)
    assert markdown.startswith("## Project context: ")
    assert markdown.endswith("\n")


def section(markdown: str, heading: str) -> list[str]:
    return markdown.split(heading + "\n", 1)[1].split("\n### ", 1)[0].splitlines()


@pytest.mark.parametrize("size", [30, 200])
def test_cut_lists_say_how_many_more(size: int) -> None:
    markdown = to_markdown(synthetic(size, 10))

    stack = section(markdown, "### Stack")
    rows = [line for line in stack if re.match(r"\| T\d", line)]
    assert 0 < len(rows) < size
    assert f"_+{size - len(rows)} more technologies in `--format json`._" in stack
    components = section(markdown, f"### Services and components ({size})")
    rows = [line for line in components if line.startswith("| `c")]
    assert 0 < len(rows) < size
    assert f"_+{size - len(rows)} more components in `--format json`._" in components
    notes = section(markdown, "### Notes")
    shown = [line for line in notes if line.startswith("- note ")]
    assert notes[-1] == f"- +{size - len(shown)} more notes in `--format json`"
    config = next(line for line in markdown.splitlines() if "Config files" in line)
    assert config.endswith(f"(+{size - config.count('`') // 2} more)")


def test_json_keeps_every_entry_the_markdown_cuts() -> None:
    context = synthetic(200, 10)

    data = json.loads(to_json(context))

    assert len(data["technologies"]) == 200
    assert len(data["components"]) == 200
    assert len(data["notes"]) == 200
    assert ProjectContext.model_validate(data) == context


def test_oversized_extra_sections_are_cut_with_a_marker() -> None:
    markdown = to_markdown(synthetic(1, 10), extra=["### Huge\n" + "word " * 3000])

    assert len(markdown) <= MAX_MARKDOWN_CHARS
    assert markdown.endswith("_(context cut to fit the size cap)_\n")


def test_hostile_names_cannot_forge_markdown_structure(make_project: RepoFactory) -> None:
    root = make_project({
        "config/evil\n## Injected heading.yaml": "x: 1\n",
        "svc/package.json": json.dumps({"name": "a|b`c\n### Fake section",
                                        "dependencies": {"express": "^4"}}),
    })

    markdown = context_output(root)

    lines = markdown.splitlines()
    assert not [line for line in lines if line.startswith(("## Injected", "### Fake"))]
    row = next(line for line in lines if line.startswith("| `svc`"))
    header = next(line for line in lines if line.startswith("| Path |"))
    assert row.count("|") == header.count("|")
    assert "a/b'c?### Fake section" in row


# --- one redaction, at the last step ------------------------------------------------------

TOKEN = "gh" + "p_" + "R3n" * 12  # assembled, so that no scanner flags this file
Where = tuple[str | int, ...]


def with_planted(where: Where, value: str) -> ProjectContext:
    """The synthetic context with ``value`` at ``where``; a list there becomes ``[value]``."""
    data = synthetic(1, 10).model_dump()
    data["git"]["last_commit"] = {"sha": "a" * 40, "short": "aaaaaaa", "date": "2026-01-02",
                                  "subject": "Initial commit"}
    data["previous_session"] = {"session_id": "s1", "updated": "2026-01-02T03:04:05+00:00",
                                "request": "r", "open_followups": ["f"], "last_checkpoint": "c",
                                "last_checkpoint_time": "2026-01-02T03:04:05+00:00",
                                "decisions": [{"title": "t", "status": "accepted",
                                               "date": "2026-01-02"}]}
    target: Any = data
    for key in where[:-1]:
        target = target[key]
    target[where[-1]] = [value] if isinstance(target[where[-1]], list) else value
    return ProjectContext.model_validate(data)


# Every repository-derived string the markdown shows; the JSON shows them all.
SHOWN: list[Where] = [
    ("root",), ("name",), ("git", "branch"), ("git", "last_commit", "subject"),
    ("git", "last_commit", "short"), ("languages", 0, "name"), ("technologies", 0, "name"),
    ("technologies", 0, "version"), ("technologies", 0, "evidence"),
    ("components", 0, "path"), ("components", 0, "name"), ("components", 0, "ecosystems"),
    ("components", 0, "frameworks"), ("api_definitions", 0, "path"),
    ("api_definitions", 0, "kind"), ("api_definitions", 0, "detail"),
    ("migrations", 0, "path"), ("containers", 0, "path"), ("infra", 0, "path"),
    ("ci", 0, "path"), ("config_files",), ("tests", "directories"), ("notes",),
    ("guidance", 0, "topic"), ("previous_session", "request"),
    ("previous_session", "decisions", 0, "title"), ("previous_session", "decisions", 0, "status"),
    ("previous_session", "decisions", 0, "date"), ("previous_session", "open_followups"),
    ("previous_session", "last_checkpoint"),
]


def markdown_of(context: ProjectContext) -> str:
    return to_markdown(context, extra=previous_session_sections(context.previous_session))


@pytest.mark.parametrize("where", SHOWN, ids=lambda where: ".".join(map(str, where)))
def test_every_printed_string_is_redacted(where: Where) -> None:
    context = with_planted(where, f"x_{TOKEN}")

    for output in (markdown_of(context), to_json(context)):
        assert TOKEN not in output
        assert "x_[redacted]" in output


def test_a_detached_head_is_redacted() -> None:
    context = with_planted(("git", "detached_at"), TOKEN)

    assert "detached at [redacted]" in markdown_of(context)
    assert TOKEN not in to_json(context)


def test_redaction_comes_before_the_cut() -> None:
    # The URL's "@" lies past the 90-character cell: cut first, the start of the password
    # would stay, with nothing left to say it is one.
    planted = "Pl4ntedPassw0rd" * 2
    context = with_planted(("name",), "n" * 60 + f"postgres://app:{planted}@db.internal/app")

    markdown = markdown_of(context)

    assert planted[:10] not in markdown
    assert "postgres://[redacted]@" in markdown


def test_json_strings_are_redacted_as_data_and_the_json_stays_valid() -> None:
    hostile = 'a", "password": "hunter2'
    context = with_planted(("components", 0, "name"), hostile)

    data = json.loads(to_json(context))

    assert "hunter2" not in to_json(context)
    assert data["components"][0]["name"] == 'a", "[redacted]'


def test_json_of_a_clean_context_is_what_pydantic_prints() -> None:
    context = synthetic(13, 10)

    assert to_json(context) == context.model_dump_json(indent=2)


# --- snapshots ----------------------------------------------------------------------------

GO_CONNECT_SERVICE: Tree = {
    "go.mod": ("module github.com/acme/orders\n\ngo 1.22\n\nrequire (\n"
               "\tconnectrpc.com/connect v1.16.2\n\tgoogle.golang.org/grpc v1.64.0\n"
               "\tgithub.com/jackc/pgx/v5 v5.6.0\n"
               "\tgolang.org/x/net v0.26.0 // indirect\n)\n"),
    "buf.yaml": "version: v2\n",
    "buf.gen.yaml": "version: v2\n",
    "proto/orders/v1/orders.proto": ('syntax = "proto3";\npackage orders.v1;\n'
                                     "service OrderService {\n}\n"),
    "cmd/server/main.go": "package main\n",
    "internal/orders/service.go": "package orders\n",
    "internal/orders/service_test.go": "package orders\n",
    "db/migrations/00001_create_orders.sql": "-- +goose Up\ncreate table orders (id int);\n",
    "Dockerfile": "FROM golang:1.22\n",
    ".github/workflows/ci.yml": "on: push\n",
    ".env.example": "PORT=8080\n",
}

RUST_AXUM_WORKSPACE: Tree = {
    "Cargo.toml": ('[workspace]\nresolver = "2"\nmembers = ["crates/api", "crates/worker"]\n\n'
                   "[workspace.dependencies]\n"
                   'axum = "0.7.5"\n'
                   'sqlx = { version = "0.7.4", features = ["runtime-tokio", "postgres"] }\n'
                   'tokio = { version = "1.38", features = ["full"] }\n'),
    "crates/api/Cargo.toml": ('[package]\nname = "api"\nversion = "0.1.0"\n\n[dependencies]\n'
                              "axum = { workspace = true }\nsqlx = { workspace = true }\n"
                              "tokio = { workspace = true }\n"),
    "crates/api/src/main.rs": "fn main() {}\n",
    "crates/worker/Cargo.toml": ('[package]\nname = "worker"\nversion = "0.1.0"\n\n'
                                 "[dependencies]\ntokio = { workspace = true }\n\n"
                                 '[dev-dependencies]\ntestcontainers = "0.20"\n'),
    "crates/worker/src/main.rs": "fn main() {}\n",
    "crates/worker/tests/it_test.rs": "#[test]\nfn ok() {}\n",
    "migrations/20240101000000_init.sql": "create table jobs (id bigint);\n",
    "compose.yaml": "services:\n  db:\n    image: postgres:16\n",
}

JAVA_NODE_MONOREPO: Tree = {
    "package.json": '{"name": "shop", "private": true, "workspaces": ["web", "bff"]}\n',
    "backend/pom.xml": (
        "<project><modelVersion>4.0.0</modelVersion><parent>"
        "<groupId>org.springframework.boot</groupId>"
        "<artifactId>spring-boot-starter-parent</artifactId><version>3.3.0</version></parent>"
        "<artifactId>shop-backend</artifactId><dependencies>"
        "<dependency><groupId>org.springframework.boot</groupId>"
        "<artifactId>spring-boot-starter-web</artifactId></dependency>"
        "<dependency><groupId>org.flywaydb</groupId><artifactId>flyway-core</artifactId>"
        "</dependency>"
        "<dependency><groupId>org.postgresql</groupId><artifactId>postgresql</artifactId>"
        "</dependency></dependencies></project>\n"),
    "backend/src/main/java/shop/App.java": "class App {}\n",
    "backend/src/test/java/shop/AppTest.java": "class AppTest {}\n",
    "backend/src/main/resources/application.yml": "server:\n  port: 8080\n",
    "backend/src/main/resources/db/migration/V1__init.sql": "create table items (id int);\n",
    "bff/package.json": ('{"name": "@shop/bff", "dependencies": {"express": "^4.19.2"}, '
                         '"devDependencies": {"jest": "^29.7.0"}}\n'),
    "bff/src/server.ts": "export {};\n",
    "web/package.json": ('{"name": "@shop/web", "dependencies": {"next": "14.2.3"}, '
                         '"devDependencies": {"typescript": "^5.4.0"}}\n'),
    "web/app/page.tsx": "export default function Page() {}\n",
    "backend/Dockerfile": "FROM eclipse-temurin:21\n",
}

SNAPSHOT_REPOS: dict[str, Tree] = {
    "go-connect-service": GO_CONNECT_SERVICE,
    "rust-axum-sqlx-workspace": RUST_AXUM_WORKSPACE,
    "java-spring-node-monorepo": JAVA_NODE_MONOREPO,
}


@pytest.mark.parametrize("name", SNAPSHOT_REPOS)
def test_markdown_snapshot(
    make_project: RepoFactory, tmp_path: Path, snapshot: Snapshot, name: str
) -> None:
    root = make_project(SNAPSHOT_REPOS[name], name=name)
    found = discover_context(root)
    # Only the machine-specific tmp prefix of the root changes; everything else is pinned.
    stable = found.model_copy(
        update={"root": found.root.replace(str(tmp_path.resolve()), "<tmp>")})

    markdown = to_markdown(stable)

    assert context_output(root) == to_markdown(found)  # the snapshot is what the CLI prints
    assert stable.root == f"<tmp>/{name}"
    snapshot.snapshot_dir = SNAPSHOTS
    snapshot.assert_match(markdown, f"{name}.md")


@pytest.mark.parametrize(("schema_files", "line"), [
    ([], None),
    ([Artifact(section="schema", kind="init-script", path="src/main/resources/schema.sql")],
     "- **Schema files (no migration tool runs them):** "
     "`src/main/resources/schema.sql` (init-script)"),
])
def test_schema_files_get_their_own_line_when_there_are_any(
    schema_files: list[Artifact], line: str | None
) -> None:
    context = synthetic(1).model_copy(update={"schema_files": schema_files})
    lines = section(to_markdown(context), "### APIs, data and delivery")
    found = [entry for entry in lines if entry.startswith("- **Schema files")]
    assert found == ([line] if line else [])
    assert ProjectContext.model_validate_json(context.model_dump_json()) == context
