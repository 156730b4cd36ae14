"""Issue 3's traps: indirect and test-only dependencies, ignored trees, secrets, bad files."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from backend_persona.cli import cli
from backend_persona.discover import discover_context
from tests.conftest import FileContent, RepoFactory
from tests.detection import test_datastores, test_ecosystems
from tests.detection.corpus import Case, row_id

GO_SERVICE = "module example.com/api\n\ngo 1.23\n\nrequire github.com/gin-gonic/gin v1.10.0\n"

# Every misleading manifest a build or install leaves behind.
MISLEADING = {
    "node_modules/express/package.json":
        '{"name": "express", "dependencies": {"kafkajs": "^2.2.4", "mongoose": "^8.0.0"}}\n',
    "node_modules/@nestjs/core/package.json": '{"name": "@nestjs/core"}\n',
    "web/node_modules/next/package.json": '{"name": "next", "dependencies": {"pg": "^8"}}\n',
    "target/package/axum-0.7.9/Cargo.toml":
        '[package]\nname = "axum"\n\n[dependencies]\nrdkafka = "0.36"\nactix-web = "4"\n',
    "target/classes/META-INF/maven/com.acme/app/pom.xml": """<project>
  <artifactId>app</artifactId>
  <dependencies>
    <dependency><groupId>io.quarkus</groupId><artifactId>quarkus-jdbc-mysql</artifactId></dependency>
  </dependencies>
</project>
""",
    "target/docker-compose.yml": "services:\n  mq:\n    image: rabbitmq:4.0\n",
    "target/debug/build/openapi.yaml": "openapi: 3.0.0\n",
}
MISLEADING_NAMES = ["Express", "Kafka", "MongoDB", "Mongoose", "NestJS", "Next.js", "PostgreSQL",
                    "Axum", "Actix Web", "Quarkus", "MySQL", "RabbitMQ", "Node.js"]


def misleading_tree(ignore: bool) -> dict[str, FileContent]:
    files: dict[str, FileContent] = {"go.mod": GO_SERVICE, "main.go": "package main\n",
                                     **MISLEADING}
    if ignore:
        files[".gitignore"] = "node_modules/\n/target/\n"
    return files


@pytest.mark.parametrize("git", [True, False], ids=["git", "no-git"])
def test_ignored_trees_say_nothing(make_project: RepoFactory, git: bool) -> None:
    context = discover_context(make_project(misleading_tree(ignore=True), git=git), debug=True)
    assert sorted(t.name for t in context.technologies) == ["Gin", "Go"]
    assert [c.path for c in context.components] == ["."]
    assert context.api_definitions == []
    assert context.containers == []
    assert context.file_count == 3


def test_committed_node_modules_is_vendored_code(make_project: RepoFactory) -> None:
    # Checked in, not ignored: still third-party code, never the project's stack.
    files = {k: v for k, v in misleading_tree(ignore=False).items()
             if not k.startswith("target/")}
    context = discover_context(make_project(files), debug=True)
    assert sorted(t.name for t in context.technologies) == ["Gin", "Go"]
    assert set(MISLEADING_NAMES).isdisjoint(t.name for t in context.technologies)
    assert [c.path for c in context.components] == ["."]


def test_only_indirect_requirements_name_nothing(make_project: RepoFactory) -> None:
    go_mod = ("module example.com/tool\n\ngo 1.22\n\nrequire (\n"
              "\tgithub.com/labstack/echo/v4 v4.12.0 // indirect\n"
              "\tgithub.com/lib/pq v1.10.9 // indirect\n)\n")
    context = discover_context(make_project({"go.mod": go_mod}), debug=True)
    assert [t.name for t in context.technologies] == ["Go"]


# (manifest, content, technology that is test/dev-only there, its scope)
TEST_ONLY = [
    ("package.json", '{"name": "a", "dependencies": {"fastify": "5.1.0"},\n'
                     ' "devDependencies": {"pg": "8.13.1", "testcontainers": "10.13.2"}}\n',
     "PostgreSQL", "dev"),
    ("pom.xml", """<project><artifactId>a</artifactId><dependencies>
<dependency><groupId>io.micronaut</groupId><artifactId>micronaut-http</artifactId></dependency>
<dependency><groupId>org.testcontainers</groupId><artifactId>kafka</artifactId>
<scope>test</scope></dependency>
<dependency><groupId>org.apache.kafka</groupId><artifactId>kafka-clients</artifactId>
<scope>test</scope></dependency>
</dependencies></project>
""", "Kafka", "test"),
    ("Cargo.toml", '[package]\nname = "a"\n\n[dependencies]\naxum = "0.7"\n\n'
                   '[dev-dependencies]\nredis = "0.27"\n', "Redis", "test"),
    ("pyproject.toml", '[project]\nname = "a"\ndependencies = ["flask>=3"]\n\n'
                       '[dependency-groups]\ntest = ["pymongo>=4.10"]\n', "MongoDB", "test"),
    ("Gemfile", 'gem "sinatra"\n\ngroup :test do\n  gem "sqlite3"\nend\n', "SQLite", "test"),
]


@pytest.mark.parametrize(("manifest", "content", "name", "scope"), TEST_ONLY,
                         ids=[row[0] for row in TEST_ONLY])
def test_test_only_dependency_keeps_its_scope(
    make_project: RepoFactory, manifest: str, content: str, name: str, scope: str
) -> None:
    context = discover_context(make_project({manifest: content}), debug=True)
    found = {t.name: t for t in context.technologies}
    assert found[name].scope == scope
    # The services map shows what runs in production: not a test database.
    (component,) = context.components
    assert name not in component.datastores + component.brokers + component.technologies


SECRET_CASES = [test_datastores.ENV, test_datastores.DATASOURCES, test_datastores.COMPOSE,
                test_ecosystems.MAVEN_QUARKUS, test_ecosystems.PYTHON_PEP621,
                test_ecosystems.PYTHON_POETRY]
SECRETS = ["Env-Secret-Password-42", "Env-Secret-Url-43", "sk_live_EnvSecretStripe44",
           "Jdbc-Secret-55", "Quarkus-Yaml-Secret-56", "Compose-Secret-1", "Quarkus-Secret-9",
           "Alembic-Secret-3", "Poetry-Secret-7", "changeme", "guest:guest"]


@pytest.mark.parametrize("case", SECRET_CASES, ids=row_id)
@pytest.mark.parametrize("output", ["markdown", "json"])
def test_no_secret_is_printed(make_project: RepoFactory, case: Case, output: str) -> None:
    planted = [s for s in SECRETS if any(s.encode() in (v if isinstance(v, bytes) else v.encode())
                                         for v in case.files.values())]
    assert planted, "each case plants at least one secret"
    result = CliRunner().invoke(cli, ["context", "--format", output,
                                      str(make_project(case.files))])
    assert result.exit_code == 0, result.output
    assert [s for s in planted if s in result.output] == []


BROKEN_SECRET = "Broken-Secret-77"  # noqa: S105  (planted, must never be printed)
# (path, content, words the note must contain)
MALFORMED: list[tuple[str, FileContent, str]] = [
    ("web/package.json", '{"name": "web", "dependencies": {"express": "4"\n'
                         f' "password": "{BROKEN_SECRET}"\n', "not valid JSON"),
    ("php/composer.json", f'{{"require": {{"slim/slim": "4" "{BROKEN_SECRET}"}}}}\n',
     "not valid JSON"),
    ("rs/Cargo.toml", f'[package]\nname = "rs"\n[dependencies\naxum = "{BROKEN_SECRET}"\n',
     "not valid TOML"),
    ("py/pyproject.toml", f'[project]\nname = "py\ndependencies = ["{BROKEN_SECRET}"]\n',
     "not valid TOML"),
    ("jvm/gradle/libs.versions.toml", f'[libraries]\nspring = {{ module = "{BROKEN_SECRET}"\n',
     "not valid TOML"),
    ("java/pom.xml", f"<project><artifactId>java</artifactId><password>{BROKEN_SECRET}"
                     "</project>\n", "not valid XML"),
    ("compose.yaml", f"services:\n  db:\n    image: postgres:17\n   password: {BROKEN_SECRET}\n"
                     "  - broken\n", "not valid YAML"),
    ("charts/app/Chart.yaml", f"apiVersion: v2\nname: [app\ndependencies: {BROKEN_SECRET}\n",
     "not valid YAML"),
    ("go/go.mod", b"module example.com/broken\n\x00\x00\x00go 1.23\n" + BROKEN_SECRET.encode(),
     "binary"),
    ("node/package.json", b'{"name": "x"}\x00' + BROKEN_SECRET.encode(), "binary"),
]


@pytest.mark.parametrize(("path", "content", "words"), MALFORMED,
                         ids=[row[0] for row in MALFORMED])
def test_malformed_manifest_is_a_note_not_a_crash(
    make_project: RepoFactory, path: str, content: FileContent, words: str
) -> None:
    good = {"svc/go.mod": GO_SERVICE, "svc/main.go": "package main\n"}
    context = discover_context(make_project({path: content, **good}), debug=True)
    notes = [n for n in context.notes if path in n]
    assert len(notes) == 1 and words in notes[0], context.notes
    assert all(BROKEN_SECRET not in note for note in context.notes)
    # The rest of the repository is still described.
    assert {"Gin", "Go"} <= {t.name for t in context.technologies}
    assert "svc" in [c.path for c in context.components]


def test_all_malformed_manifests_at_once_still_render(make_project: RepoFactory) -> None:
    files = {path: content for path, content, _ in MALFORMED}
    result = CliRunner().invoke(cli, ["context", "--debug", str(make_project(files))])
    assert result.exit_code == 0, result.output
    assert BROKEN_SECRET not in result.output
    assert "### Notes" in result.output


FIVE_MB = 5 * 1024 * 1024


def big_sql(head: str) -> bytes:
    row = b"INSERT INTO events (id, payload) VALUES (1, 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx');\n"
    return head.encode() + row * (FIVE_MB // len(row) + 1)


def test_five_megabyte_sql_files(make_project: RepoFactory) -> None:
    files: dict[str, FileContent] = {
        "db/migration/V2__seed_events.sql": big_sql("-- seed\n"),
        "db/migrations/20240101000000_events.sql": big_sql("-- +goose Up\n"),
        "backups/dump.sql": big_sql("-- pg_dump\n"),
        "go.mod": GO_SERVICE,
    }
    assert all(len(content) > FIVE_MB for content in files.values() if isinstance(content, bytes))
    context = discover_context(make_project(files), debug=True)
    assert [(m.kind, m.path) for m in context.migrations] == [
        ("flyway", "db/migration/V2__seed_events.sql"),
        ("goose", "db/migrations/20240101000000_events.sql"),
    ]
    # Named from the file name and its first line: no detector asked for the whole file.
    assert not [n for n in context.notes if ".sql" in n], context.notes
    assert {"Flyway", "goose"} <= {t.name for t in context.technologies}
    json.loads(CliRunner().invoke(cli, ["context", "--format", "json",
                                        str(context.root)]).output)


# (path, content, technology, its one evidence): each file names the dependency first
# somewhere other than its declaration (a comment, a longer name, a blank line above), and
# the declaration is what is cited.
CITED_WHERE_DECLARED = [
    ("requirements.txt", "# redis holds the sessions\nredis\n", "Redis", "requirements.txt:2"),
    ("Gemfile", '# gem "pg" pinned the old driver\ngem "pg"\n', "PostgreSQL", "Gemfile:2"),
    ("mix.exs", 'defmodule EctoShop.MixProject do\n  def project, do: [app: :ecto_shop]\n'
                '  defp deps, do: [{:ecto, "~> 3.11"}]\nend\n', "Ecto", "mix.exs:3"),
    ("go.mod", "module github.com/lib/pq-demo\n\ngo 1.22\n\nrequire github.com/lib/pq v1.10.9\n",
     "PostgreSQL", "go.mod:5"),
    ("build.gradle", 'dependencies {\n\n    implementation "org.postgresql:postgresql:42.7.3"\n}\n',
     "PostgreSQL", "build.gradle:3"),
    ("src/main/resources/application.yml", "spring:\n\n  kafka:\n    bootstrap-servers: b:9092\n",
     "Kafka", "src/main/resources/application.yml:3"),
    ("Dockerfile", "# FROM postgres:16 was the old base\nFROM postgres:16\n", "PostgreSQL",
     "Dockerfile:2"),
    ("k8s/pod.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  annotations:\n"
                     "    note: redis:7.2 replaced memcached\nspec:\n  containers:\n"
                     "    - image: redis:7.2\n", "Redis", "k8s/pod.yaml:8"),
    # A crate's name inside another crate's feature list is no declaration of it.
    ("Cargo.toml", '[package]\nname = "svc"\n\n[dependencies]\n'
                   'sqlx = { version = "0.8", features = ["runtime-tokio"] }\ntokio = "1.41"\n',
     "Tokio", "Cargo.toml:6"),
    # The engine argument names the server, the resource type does not.
    ("infra/main.tf", 'resource "aws_db_instance" "orders" {\n  identifier = "orders"\n'
                      '  engine     = "postgres"\n}\n', "PostgreSQL", "infra/main.tf:3"),
    ("prisma/schema.prisma", 'datasource db {\n  url      = env("DATABASE_URL")\n'
                             '  provider = "postgresql"\n}\n', "PostgreSQL",
     "prisma/schema.prisma:3"),
]


@pytest.mark.parametrize(("path", "content", "name", "evidence"), CITED_WHERE_DECLARED,
                         ids=[row[0] for row in CITED_WHERE_DECLARED])
def test_a_dependency_is_cited_where_it_is_declared(
    make_project: RepoFactory, path: str, content: str, name: str, evidence: str
) -> None:
    context = discover_context(make_project({path: content}, git=False), debug=True)
    found = {t.name: t for t in context.technologies}
    assert found[name].evidence == [evidence]
