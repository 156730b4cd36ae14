from pathlib import Path
from typing import get_args

import click
import pytest
from click.testing import CliRunner

from backend_persona.cli import cli
from backend_persona.discover.engine import discover
from backend_persona.focus import focus_context
from backend_persona.vocabulary import Focus
from tests.conftest import RepoFactory

POLYGLOT = {
    "compose.yaml": "services:\n  db:\n    image: postgres:16\n  cache:\n    image: redis:7\n",
    "proto/orders/v1/orders.proto": "syntax = \"proto3\";\nservice OrderService {}\n",
    "services/orders/go.mod": (
        "module example.com/orders\n\ngo 1.22\n\nrequire (\n"
        "\tconnectrpc.com/connect v1.16.2\n\tgithub.com/jackc/pgx/v5 v5.6.0\n)\n"
    ),
    "services/orders/main.go": "package main\n",
    "services/orders/migrations/00001_init.sql": "-- +goose Up\nCREATE TABLE o (id int);\n",
    "services/search/Cargo.toml": (
        "[package]\nname = \"search\"\nversion = \"0.1.0\"\n\n[dependencies]\n"
        "axum = \"0.7\"\nsqlx = { version = \"0.8\", features = [\"postgres\"] }\n"
    ),
    "services/search/src/main.rs": "fn main() {}\n",
    "services/search/migrations/0001_init.sql": "CREATE TABLE s (id int);\n",
}


@pytest.fixture
def polyglot(make_project: RepoFactory) -> Path:
    return make_project(POLYGLOT)


def test_go_focus_keeps_go_and_shared_files(polyglot: Path) -> None:
    focused = focus_context(discover(polyglot), "go")
    assert [c.path for c in focused.components] == ["services/orders"]
    names = {t.name for t in focused.technologies}
    assert {"ConnectRPC", "pgx", "PostgreSQL", "Go"} <= names
    assert not names & {"Axum", "SQLx"}
    migrations = [m.path for m in focused.migrations]
    assert migrations == ["services/orders/migrations/00001_init.sql"]
    assert [a.path for a in focused.api_definitions] == ["proto/orders/v1/orders.proto"]
    assert [c.path for c in focused.containers] == ["compose.yaml"]
    assert focused.guidance[0].topic == "Go"
    assert focused.notes[0].startswith("Focused on Go: 1 of 2 component(s)")


def test_rust_focus_drops_go(polyglot: Path) -> None:
    focused = focus_context(discover(polyglot), "rust")
    assert [c.path for c in focused.components] == ["services/search"]
    names = {t.name for t in focused.technologies}
    assert {"Axum", "SQLx"} <= names
    assert not names & {"ConnectRPC", "pgx"}
    assert [m.path for m in focused.migrations] == ["services/search/migrations/0001_init.sql"]


def test_focus_without_a_matching_component_says_so(polyglot: Path) -> None:
    focused = focus_context(discover(polyglot), "java")
    assert focused.components == []
    assert focused.notes[0] == ("Focused on Java/JVM: no Java/JVM component in this repository; "
                                "only shared files are shown.")
    assert focused.guidance[0].topic == "Java"
    assert [c.path for c in focused.containers] == ["compose.yaml"]


def test_cli_focus_option_matches_the_library(polyglot: Path) -> None:
    result = CliRunner().invoke(cli, ["context", str(polyglot), "--focus", "go"])
    assert result.exit_code == 0, result.output
    assert "ConnectRPC" in result.output
    assert "Axum" not in result.output
    assert "Focused on Go" in result.output
    choices = next(p for p in cli.commands["context"].params if p.name == "focus")
    assert isinstance(choices.type, click.Choice)
    assert tuple(choices.type.choices) == get_args(Focus)
