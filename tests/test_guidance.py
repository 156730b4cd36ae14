"""The seed's STEP 2 as a deterministic table: detected stack -> recommended patterns."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from backend_persona import guidance
from backend_persona.cli import cli
from backend_persona.guidance import recommend
from tests.conftest import RepoFactory

G = guidance
Expected = list[tuple[str, str, list[str]]]

# (ecosystems, runtime technologies, [(topic, advice, what it answers)]).
CASES: dict[str, tuple[list[str], list[str], Expected]] = {
    "go-connectrpc": (["go"], ["ConnectRPC", "Go"], [("Go", G.GO, ["ConnectRPC"])]),
    "go-plain": (["go"], ["Go"], [("Go", G.GO, ["Go"])]),
    "go-grpc-is-told-connect-serves-its-clients": (
        ["go"], ["Go", "gRPC"], [("Go", G.GO_GRPC, ["gRPC"])]),
    "go-grpc-and-connect": (["go"], ["gRPC", "ConnectRPC"], [("Go", G.GO, ["ConnectRPC"])]),
    "rust": (["rust"], ["Axum", "SQLx", "PostgreSQL"], [("Rust", G.RUST, ["Axum", "SQLx"])]),
    "rust-without-a-web-stack": (["rust"], ["Serde"], []),
    "java-spring-boot": (["java"], ["Spring Boot"], [("Java", G.SPRING, ["Spring Boot"])]),
    "java-quarkus": (["java"], ["Quarkus"], [("Java", G.QUARKUS, ["Quarkus"])]),
    "java-both": (["java"], ["Quarkus", "Spring Boot"],
                  [("Java", G.SPRING, ["Spring Boot"]), ("Java", G.QUARKUS, ["Quarkus"])]),
    "java-neither": (["java"], ["Maven"], [("Java", G.JAVA_UNDECIDED, ["Java"])]),
    "node-server": (["node"], ["Express", "Node.js"], [("Node.js", G.NODE, ["Express"])]),
    "node-linter-only-gets-nothing": (["node"], ["Node.js", "Biome"], []),
    "python-fastapi": (["python"], ["FastAPI", "SQLAlchemy", "Alembic"],
                       [("Python", G.PYTHON, ["FastAPI", "SQLAlchemy", "Alembic"])]),
    "python-django-celery": (["python"], ["Django", "Celery", "PostgreSQL"],
                             [("Python", G.PYTHON + G.CELERY, ["Django", "Celery"])]),
    "nothing-detected-gets-the-defaults": (
        [], [], [("Stack", G.PREFERRED, []), ("Data", G.NO_DATASTORE, [])]),
    "php-app-without-redis-gets-no-cache-advice": (["php"], ["Laravel", "MySQL"], []),
    "polyglot-fixed-order": (["node", "java", "rust", "go"], ["Spring Boot", "Go", "Axum",
                                                              "NestJS"],
                             [("Go", G.GO, ["Go"]), ("Rust", G.RUST, ["Axum"]),
                              ("Java", G.SPRING, ["Spring Boot"]),
                              ("Node.js", G.NODE, ["NestJS"])]),
    "redis-and-kafka": (["go"], ["Go", "Redis", "Kafka"],
                        [("Go", G.GO, ["Go"]), ("Cache", G.REDIS, ["Redis"]),
                         ("Streaming", G.KAFKA, ["Kafka"])]),
    "dragonfly-and-redpanda-already-there": (["go"], ["Go", "Redis", "DragonflyDB", "Kafka",
                                                      "Redpanda"], [("Go", G.GO, ["Go"])]),
}


@pytest.mark.parametrize(("ecosystems", "technologies", "expected"), CASES.values(),
                         ids=CASES.keys())
def test_recommend(ecosystems: list[str], technologies: list[str], expected: Expected) -> None:
    advice = recommend(ecosystems, technologies)

    assert [(g.topic, g.advice, g.answers) for g in advice] == expected


@pytest.mark.parametrize(("ecosystems", "technologies", "expected"), CASES.values(),
                         ids=CASES.keys())
def test_recommend_ignores_input_order_and_iterable_kind(
    ecosystems: list[str], technologies: list[str], expected: Expected
) -> None:
    shuffled = recommend(iter(reversed(ecosystems)), set(technologies))

    assert [(g.topic, g.advice, g.answers) for g in shuffled] == expected


@pytest.mark.parametrize(("ecosystems", "technologies", "expected"), CASES.values(),
                         ids=CASES.keys())
def test_advice_answers_only_what_was_detected(
    ecosystems: list[str], technologies: list[str], expected: Expected
) -> None:
    for advice in recommend(ecosystems, technologies):
        assert set(advice.answers) <= {*technologies, "Java"}
        assert advice.answers or not technologies


@pytest.mark.parametrize(
    ("advice", "phrases"),
    [
        (G.GO, ["ConnectRPC", "microservice"]),
        (G.RUST, ["Axum", "async"]),
        (G.SPRING, ["Spring Boot"]),
        (G.QUARKUS, ["Quarkus"]),
        (G.NODE, ["async/await"]),
        (G.PREFERRED, ["Go", "Rust", "Java"]),
        (G.GO_GRPC, ["ConnectRPC", "same gRPC clients"]),
        (G.PYTHON, ["SQLAlchemy", "Django ORM", "psycopg", "Alembic"]),
        (G.CELERY, ["Celery", "idempotent", "acks_late", "retries"]),
    ],
)
def test_advice_says_what_the_seed_asks(advice: str, phrases: list[str]) -> None:
    for phrase in phrases:
        assert phrase in advice


def test_dev_only_framework_does_not_choose_the_java_advice(make_project: RepoFactory) -> None:
    # Only runtime technologies decide: a test-scoped Quarkus must not pick Quarkus advice.
    pom = ("<project><artifactId>svc</artifactId><dependencies><dependency>"
           "<groupId>io.quarkus</groupId><artifactId>quarkus-junit5</artifactId>"
           "<scope>test</scope></dependency></dependencies></project>\n")
    root = make_project({"pom.xml": pom})

    result = CliRunner().invoke(cli, ["context", str(root)])

    assert result.exit_code == 0, result.output
    assert f"- **Java** (Java found): {G.JAVA_UNDECIDED}" in result.output
    assert G.QUARKUS not in result.output


def test_markdown_carries_guidance_as_one_short_section(make_project: RepoFactory) -> None:
    root = make_project({
        "go.mod": "module example.com/orders\n\nrequire connectrpc.com/connect v1.16.2\n",
    })

    result = CliRunner().invoke(cli, ["context", str(root)])

    assert result.exit_code == 0, result.output
    assert result.output.count("### Stack guidance") == 1
    section = result.output.split("### Stack guidance\n", 1)[1].split("\n\n", 1)[0]
    assert section.splitlines() == [f"- **Go** (ConnectRPC found): {G.GO}"]


def test_php_app_without_redis_is_not_told_about_dragonfly(make_project: RepoFactory) -> None:
    root = make_project({
        "composer.json": '{"require": {"php": "^8.2", "laravel/framework": "^11.0"}}\n',
        ".env.example": "DB_CONNECTION=mysql\n",
    })

    result = CliRunner().invoke(cli, ["context", str(root)])

    assert result.exit_code == 0, result.output
    assert "DragonflyDB" not in result.output
    assert "Redpanda" not in result.output
    assert "Preferred stacks" not in result.output


def test_go_with_grpc_learns_that_connect_serves_the_same_clients(
    make_project: RepoFactory,
) -> None:
    root = make_project({
        "go.mod": "module example.com/users\n\ngo 1.23\n\n"
                  "require google.golang.org/grpc v1.68.0\n",
        "proto/users/v1/users.proto": 'syntax = "proto3";\nservice UserService {}\n',
    })

    result = CliRunner().invoke(cli, ["context", str(root)])

    assert result.exit_code == 0, result.output
    assert f"- **Go** (gRPC found): {G.GO_GRPC}" in result.output


def test_python_web_app_gets_python_guidance(make_project: RepoFactory) -> None:
    root = make_project({
        "pyproject.toml": '[project]\nname = "api"\ndependencies = ["fastapi>=0.115", '
                          '"sqlalchemy>=2", "alembic", "psycopg[binary]>=3.2"]\n',
    })

    result = CliRunner().invoke(cli, ["context", str(root)])

    assert result.exit_code == 0, result.output
    assert f"- **Python** (FastAPI, SQLAlchemy, Alembic found): {G.PYTHON}" in result.output
