"""The persona's stack playbook: from what a project uses to the patterns to apply."""

from __future__ import annotations

from collections.abc import Iterable

from backend_persona.models import Guidance

GO = (
    "ConnectRPC (connect-go, buf-generated stubs) for type-safe RPC that also speaks gRPC "
    "and JSON over HTTP; microservice patterns: context deadlines, interceptors for auth "
    "and tracing, graceful shutdown."
)
RUST = (
    "Axum on Tokio with async handlers, tower middleware and typed extractors; SQLx with "
    "compile-time checked queries and a shared PgPool."
)
SPRING = (
    "Spring Boot: constructor injection, @ConfigurationProperties, Actuator health and "
    "metrics, Testcontainers for integration tests."
)
QUARKUS = (
    "Quarkus: CDI beans, reactive routes or RESTEasy Reactive, Panache for data, "
    "Dev Services for local databases."
)
JAVA_UNDECIDED = "Spring Boot for a broad ecosystem, or Quarkus for fast start-up and low memory."
NODE = (
    "Modern async/await end to end: no callbacks, typed handlers, validation at the edge, "
    "graceful shutdown of pools."
)
PREFERRED = (
    "No Go, Rust, Java or Node.js backend detected. Preferred stacks: Go with ConnectRPC, "
    "Rust with Axum and SQLx, or Java with Spring Boot or Quarkus."
)
REDIS = "DragonflyDB is a drop-in, Redis-compatible cache with higher throughput per node."
KAFKA = "Redpanda speaks the Kafka API without ZooKeeper or a JVM; a drop-in for Kafka clients."
NO_DATASTORE = "Postgres as the primary store, DragonflyDB as cache, Redpanda for streaming."


def recommend(ecosystems: Iterable[str], technologies: Iterable[str]) -> list[Guidance]:
    """Map a detected stack to the persona's recommended patterns, deterministically.

    Args:
        ecosystems: Ecosystem keys found in the project (``go``, ``rust``, ``java``, ``node``...).
        technologies: Canonical technology names found in the project.

    Returns:
        One recommendation per applicable topic, in a fixed order.
    """
    found = set(ecosystems)
    names = set(technologies)
    advice: list[Guidance] = []
    if "go" in found:
        advice.append(Guidance(topic="Go", advice=GO))
    if "rust" in found:
        advice.append(Guidance(topic="Rust", advice=RUST))
    if "java" in found:
        advice.extend(_java(names))
    if "node" in found:
        advice.append(Guidance(topic="Node.js", advice=NODE))
    if not found & {"go", "rust", "java", "node"}:
        advice.append(Guidance(topic="Stack", advice=PREFERRED))
    advice.extend(_datastores(names))
    return advice


def _java(names: set[str]) -> list[Guidance]:
    chosen = [
        Guidance(topic="Java", advice=text)
        for framework, text in (("Spring Boot", SPRING), ("Quarkus", QUARKUS))
        if framework in names
    ]
    return chosen or [Guidance(topic="Java", advice=JAVA_UNDECIDED)]


def _datastores(names: set[str]) -> list[Guidance]:
    advice = []
    if "Redis" in names and "DragonflyDB" not in names:
        advice.append(Guidance(topic="Cache", advice=REDIS))
    if "Kafka" in names and "Redpanda" not in names:
        advice.append(Guidance(topic="Streaming", advice=KAFKA))
    if not names & {"PostgreSQL", "MySQL", "MariaDB", "MongoDB", "SQLite", "Redis", "Valkey",
                    "DragonflyDB", "Kafka", "Redpanda"}:
        advice.append(Guidance(topic="Data", advice=NO_DATASTORE))
    return advice
