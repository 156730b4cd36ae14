"""Every row of the stack and components tables is true: scope, category and columns.

Each class of case reproduces a false row seen in an audit of five public repositories
(maybe, netbox, halo, svix-webhooks, novu).
"""

from __future__ import annotations

import pytest

from backend_persona.models import Component, ProjectContext, Scope
from tests.detection.conftest import Detect
from tests.detection.corpus import Case, Tech, assert_technology, row_id, table

GEMFILE = 'source "https://rubygems.org"\ngem "rails", "~> 7.2"\n'
GO_MOD = "module example.com/orders\n\ngo 1.23\n"

# A tool's config file, workflow or declaration never makes it a runtime technology.
MARKERS = Case("tool-markers", {
    "Gemfile": GEMFILE,
    "biome.json": "{}\n",
    "postcss.config.cjs": "module.exports = {}\n",
    "vite.config.ts": "export default {}\n",
    ".eslintrc.json": "{}\n",
    ".husky/pre-commit": "npm test\n",
    ".config/nextest.toml": "[profile.ci]\n",
    ".devcontainer/devcontainer.json": "{}\n",
    ".github/workflows/ci.yml": "on: push\njobs: {}\n",
    "test/test_helper.rb": "require 'minitest/autorun'\n",
    # A linter among the runtime dependencies is still a linter.
    "package.json": '{"name": "web", "dependencies": {"eslint": "9.0.0"}}\n',
})
# A devDependency of a tool stays dev though its config file is there too.
DEV_TOOL = Case("dev-tool-with-marker", {
    "package.json": '{"name": "ui", "devDependencies": {"husky": "9.1.7"}}\n',
    ".husky/pre-commit": "npm test\n",
})

# maybe-finance: ImageMagick only in the dev container, Faker in the development group.
DEV_PLACES = Case("dev-places", {
    ".devcontainer/Dockerfile": "FROM ruby:3.4\nRUN apt-get install -y imagemagick\n",
    "Dockerfile": "FROM ruby:3.4\nRUN apt-get install -y libvips\n",
    "Gemfile": 'source "https://rubygems.org"\ngem "rails"\n\ngroup :development do\n'
               '  gem "faker"\nend\n',
})

# What a realtime library, an SMS service, a template engine, an in-process cache or
# search library and a connection pool are.
CATEGORIES = Case("categories", {
    "Gemfile": GEMFILE + 'gem "actioncable"\n',
    "Cargo.toml": '[package]\nname = "cli"\nversion = "0.1.0"\n\n[dependencies]\n'
                  'tokio-tungstenite = "0.29"\ndeadpool = "0.12"\nbb8 = "0.9"\n',
    "web/package.json": '{"name": "web", "dependencies": {"socket.io": "4.7.2", "ws": "8.0.0",'
                        ' "@aws-sdk/client-sns": "3.0.0", "express": "4.21.0"}}\n',
    "app/requirements.txt": "jinja2==3.1.6\n",
    "jvm/pom.xml": "<project><artifactId>jvm</artifactId><dependencies>"
                   "<dependency><groupId>com.github.ben-manes.caffeine</groupId>"
                   "<artifactId>caffeine</artifactId></dependency>"
                   "<dependency><groupId>org.apache.lucene</groupId>"
                   "<artifactId>lucene-core</artifactId></dependency>"
                   "</dependencies></project>\n",
    "go/go.mod": GO_MOD.replace("orders", "store") + "\nrequire github.com/jackc/pgx/v5 v5.7.1\n",
})


@pytest.mark.parametrize(("case", "expected"), table([
    (MARKERS, [
        Tech("Biome", "build", scope="dev", evidence=("biome.json",)),
        # Bundlers and CSS processors build the assets; nothing runs them in production.
        Tech("PostCSS", "build", scope="dev", evidence=("postcss.config.cjs",)),
        Tech("Vite", "build", scope="dev", evidence=("vite.config.ts",)),
        Tech("ESLint", "build", "9.0.0", scope="dev",
             evidence=(".eslintrc.json", MARKERS.at("package.json", '"eslint"'))),
        Tech("Husky", "build", scope="dev", evidence=(".husky/pre-commit",)),
        Tech("cargo-nextest", "testing", scope="test", evidence=(".config/nextest.toml",)),
        Tech("Dev Containers", "build", scope="dev",
             evidence=(".devcontainer/devcontainer.json",)),
        Tech("GitHub Actions", "ci", scope="dev", evidence=(".github/workflows/ci.yml",)),
        Tech("Minitest", "testing", scope="test", evidence=("test/test_helper.rb",)),
        Tech("Bundler", "build", scope="dev", evidence=("Gemfile",)),
        Tech("Rails", "framework", "~> 7.2", evidence=(MARKERS.at("Gemfile", '"rails"'),)),
    ]),
    (DEV_TOOL, [
        Tech("Husky", "build", "9.1.7", scope="dev", evidence=(".husky/pre-commit",)),
    ]),
    (DEV_PLACES, [
        Tech("ImageMagick", "library", scope="dev", evidence=(".devcontainer/Dockerfile:2",)),
        Tech("libvips", "library", evidence=("Dockerfile:2",)),
        Tech("Faker", "library", scope="dev", evidence=("Gemfile:5",)),
    ]),
    (CATEGORIES, [
        Tech("Action Cable", "realtime", evidence=(CATEGORIES.at("Gemfile", "actioncable"),)),
        Tech("Tungstenite", "realtime", "0.29",
             evidence=(CATEGORIES.at("Cargo.toml", "tokio-tungstenite"),)),
        Tech("WebSockets", "realtime"),
        Tech("Socket.IO", "realtime", "4.7.2"),
        Tech("ws", "realtime", "8.0.0"),
        Tech("Amazon SNS", "cloud"),  # a service: its SDK pins no version of it
        Tech("Jinja", "library", "3.1.6"),
        Tech("Caffeine", "library"),
        Tech("Apache Lucene", "library"),
        Tech("deadpool", "library", "0.12"),
        Tech("bb8", "library", "0.9"),
        Tech("pgx", "driver", "v5.7.1"),
    ]),
]), ids=row_id)
def test_scope_and_category(detect: Detect, case: Case, expected: Tech) -> None:
    assert_technology(detect(case), expected)


def test_no_tool_is_a_technology_of_a_component(detect: Detect) -> None:
    root = _component(detect(MARKERS), ".")
    assert root.technologies == ["Rails"], root.technologies
    assert root.frameworks == ["Rails"]


# Drivers and pools are no frameworks; API styles are in the APIs column.
COLUMNS = Case("columns", {
    "orders/go.mod": GO_MOD + "\nrequire (\n\tgithub.com/jackc/pgx/v5 v5.7.1\n"
                     "\tgithub.com/labstack/echo/v4 v4.12.0\n)\n",
    "bridge/Cargo.toml": '[package]\nname = "bridge"\nversion = "0.1.0"\n\n[dependencies]\n'
                         'axum = "0.8"\ndeadpool = "0.12"\naide = "0.14"\n',
    "app/Gemfile": GEMFILE,
    "app/app/controllers/api/v1/accounts_controller.rb": "class AccountsController; end\n",
})


@pytest.mark.parametrize(("path", "frameworks", "datastores", "apis"), [
    ("orders", ["Echo"], ["PostgreSQL"], []),
    ("bridge", ["Axum"], [], ["aide"]),
    ("app", ["Rails"], [], ["REST"]),
], ids=row_id)
def test_frameworks_datastores_and_apis_columns(
    detect: Detect, path: str, frameworks: list[str], datastores: list[str], apis: list[str]
) -> None:
    component = _component(detect(COLUMNS), path)
    assert (component.frameworks, component.datastores, component.apis) == (
        frameworks, datastores, apis)


# Node.js runs at runtime only where a server-side dependency is: a package.json that
# only bundles a frontend for a Rails app uses Node.js to build it.
NODE = Case("node-runtime", {
    "Gemfile": GEMFILE,
    "package.json": '{"name": "assets", "engines": {"node": ">=20"}, "scripts": {"start": "vite"},'
                    ' "dependencies": {"react": "18.3.1"}, "devDependencies": {"vite": "5.4.0"}}\n',
    "server/package.json": '{"name": "server", "dependencies": {"react": "18.3.1",'
                           ' "express": "4.21.0"}}\n',
    "sdk/package.json": '{"name": "sdk", "engines": {"node": ">=22"},'
                        ' "dependencies": {"standardwebhooks": "1.0.0"}}\n',
})
ONLY_ASSETS = Case("node-only-assets", {"Gemfile": GEMFILE,
                                        "package.json": NODE.files["package.json"]})


@pytest.mark.parametrize(("case", "scope"), [
    (ONLY_ASSETS, "dev"),
    # The server's Express and the SDK's engines make Node.js a runtime there.
    (NODE, "runtime"),
], ids=row_id)
def test_node_is_a_runtime_only_where_something_runs_on_it(
    detect: Detect, case: Case, scope: Scope
) -> None:
    assert {t.name: t.scope for t in detect(case).technologies}["Node.js"] == scope


def test_a_frontend_package_has_no_node_runtime(detect: Detect) -> None:
    context = detect(NODE)
    assert "Node.js" not in _component(context, ".").technologies
    assert "Node.js" in _component(context, "server").technologies
    assert "Node.js" in _component(context, "sdk").technologies


# Compose files that start a test or dev environment give no component a datastore.
COMPOSE = Case("test-compose", {
    "Cargo.toml": '[package]\nname = "svc"\nversion = "0.1.0"\n',
    "testing-docker-compose.yml": "services:\n  db:\n    image: postgres:16\n",
    "client-integration-tests/docker-compose.yml": "services:\n  cache:\n    image: redis:7\n",
    ".devcontainer/docker-compose.yml": "services:\n  queue:\n    image: rabbitmq:3\n",
    "server/Cargo.toml": '[package]\nname = "server"\nversion = "0.1.0"\n',
    "server/docker-compose.yml": "services:\n  app:\n    build: .\n  db:\n    image: mongo:7\n",
})


@pytest.mark.parametrize(("case", "expected"), table([
    (COMPOSE, [
        Tech("PostgreSQL", "datastore", "16", scope="test",
             evidence=(COMPOSE.at("testing-docker-compose.yml", "postgres"),)),
        Tech("Redis", "datastore", "7", scope="test"),
        Tech("RabbitMQ", "broker", "3", scope="dev"),
        Tech("MongoDB", "datastore", "7"),
    ]),
]), ids=row_id)
def test_test_and_dev_compose_files_give_their_scope(
    detect: Detect, case: Case, expected: Tech
) -> None:
    assert_technology(detect(case), expected)


def test_test_compose_files_give_no_component_a_datastore(detect: Detect) -> None:
    context = detect(COMPOSE)
    root, server = _component(context, "."), _component(context, "server")
    assert (root.datastores, root.brokers) == ([], [])
    assert server.datastores == ["MongoDB"]


def _component(context: ProjectContext, path: str) -> Component:
    return next(c for c in context.components if c.path == path)
