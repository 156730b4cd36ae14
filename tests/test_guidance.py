"""The seed's STEP 2 as a deterministic table: detected stack -> recommended patterns."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from backend_persona import guidance
from backend_persona.cli import cli
from backend_persona.guidance import recommend
from tests.conftest import RepoFactory

G = guidance
# A project without any datastore also gets the persona's default data stack.
DATA = ("Data", G.NO_DATASTORE)

CASES: dict[str, tuple[list[str], list[str], list[tuple[str, str]]]] = {
    "go": (["go"], ["ConnectRPC"], [("Go", G.GO), DATA]),
    "rust": (["rust"], ["Axum", "SQLx", "PostgreSQL"], [("Rust", G.RUST)]),
    "java-spring-boot": (["java"], ["Spring Boot"], [("Java", G.SPRING), DATA]),
    "java-quarkus": (["java"], ["Quarkus"], [("Java", G.QUARKUS), DATA]),
    "java-both": (["java"], ["Quarkus", "Spring Boot"],
                  [("Java", G.SPRING), ("Java", G.QUARKUS), DATA]),
    "java-neither": (["java"], ["Maven"], [("Java", G.JAVA_UNDECIDED), DATA]),
    "node": (["node"], ["Express"], [("Node.js", G.NODE), DATA]),
    "nothing": ([], [], [("Stack", G.PREFERRED), DATA]),
    "python-only-gets-preferred-stack": (["python"], ["FastAPI"], [("Stack", G.PREFERRED), DATA]),
    "polyglot-fixed-order": (["node", "java", "rust", "go"], ["Spring Boot"],
                             [("Go", G.GO), ("Rust", G.RUST), ("Java", G.SPRING),
                              ("Node.js", G.NODE), DATA]),
    "redis-and-kafka": (["go"], ["Redis", "Kafka"],
                        [("Go", G.GO), ("Cache", G.REDIS), ("Streaming", G.KAFKA)]),
    "a-database-silences-data-advice": (["go"], ["MySQL"], [("Go", G.GO)]),
}


@pytest.mark.parametrize(("ecosystems", "technologies", "expected"), CASES.values(),
                         ids=CASES.keys())
def test_recommend(
    ecosystems: list[str], technologies: list[str], expected: list[tuple[str, str]]
) -> None:
    advice = recommend(ecosystems, technologies)

    assert [(g.topic, g.advice) for g in advice] == expected


@pytest.mark.parametrize(("ecosystems", "technologies", "expected"), CASES.values(),
                         ids=CASES.keys())
def test_recommend_ignores_input_order_and_iterable_kind(
    ecosystems: list[str], technologies: list[str], expected: list[tuple[str, str]]
) -> None:
    shuffled = recommend(iter(reversed(ecosystems)), set(technologies))

    assert [(g.topic, g.advice) for g in shuffled] == expected


@pytest.mark.parametrize(
    ("advice", "phrases"),
    [
        (G.GO, ["ConnectRPC", "microservice"]),
        (G.RUST, ["Axum", "async"]),
        (G.SPRING, ["Spring Boot"]),
        (G.QUARKUS, ["Quarkus"]),
        (G.NODE, ["async/await"]),
        (G.PREFERRED, ["Go", "Rust", "Java"]),
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
    assert f"- **Java:** {G.JAVA_UNDECIDED}" in result.output
    assert G.QUARKUS not in result.output


def test_markdown_carries_guidance_as_one_short_section(make_project: RepoFactory) -> None:
    root = make_project({
        "go.mod": "module example.com/orders\n\nrequire connectrpc.com/connect v1.16.2\n",
    })

    result = CliRunner().invoke(cli, ["context", str(root)])

    assert result.exit_code == 0, result.output
    assert result.output.count("### Stack guidance") == 1
    section = result.output.split("### Stack guidance\n", 1)[1].split("\n\n", 1)[0]
    assert section.splitlines() == [f"- **Go:** {G.GO}", f"- **Data:** {G.NO_DATASTORE}"]
