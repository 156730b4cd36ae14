"""The persona's stack playbook: from what a project uses to the patterns to apply.

Every piece of advice answers a technology the project was found to use, and says which
(`Guidance.answers`): a PHP application with no Redis is never told about DragonflyDB.
Only when nothing at all was detected does the persona offer its preferred stacks.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from backend_persona.records import Guidance

if TYPE_CHECKING:
    from backend_persona import models

GO = (
    "ConnectRPC (connect-go, buf-generated stubs) for type-safe RPC that also speaks gRPC "
    "and JSON, Gin or Echo for plain HTTP; microservice patterns: deadlines, interceptors "
    "for auth and tracing, graceful shutdown."
)
GO_GRPC = (
    "ConnectRPC (connect-go) serves the same gRPC clients from the same .proto files, and "
    "adds gRPC-Web and JSON over HTTP without a proxy: adopt it service by service, clients "
    "unchanged; keep deadlines, interceptors for auth and tracing, graceful shutdown."
)
RUST = (
    "Axum on Tokio: async handlers, tower middleware, typed extractors; SQLx with "
    "compile-time checked queries and a shared PgPool."
)
SPRING = (
    "Spring Boot: constructor injection, @ConfigurationProperties, Actuator health and "
    "metrics, Testcontainers in integration tests."
)
QUARKUS = (
    "Quarkus: CDI beans, Quarkus REST (RESTEasy Reactive), Panache for data, "
    "Dev Services for local databases."
)
JAVA_UNDECIDED = "Spring Boot for a broad ecosystem, or Quarkus for fast start-up and low memory."
NODE = (
    "async/await throughout, no callbacks; typed handlers, validation at the edge, "
    "graceful shutdown of pools."
)
PYTHON = (
    "Typed request/response models at the edge (Pydantic, DRF); ASGI or "
    "Gunicorn workers sized to the CPU; SQLAlchemy 2.0 or the Django ORM over psycopg 3, "
    "a bounded pool, no N+1 queries; Alembic or Django migrations as a deploy step."
)
# Said only where Celery was found, like all advice.
CELERY = " Celery tasks idempotent, with acks_late and retries with backoff."
PREFERRED = (
    "No backend stack detected. Preferred stacks: Go with ConnectRPC, Rust with Axum and "
    "SQLx, or Java with Spring Boot or Quarkus."
)
REDIS = "DragonflyDB is a drop-in, Redis-compatible cache with higher throughput per node."
KAFKA = "Redpanda speaks the Kafka API without ZooKeeper or a JVM; a drop-in for Kafka clients."
NO_DATASTORE = "Postgres as the primary store, DragonflyDB as cache, Redpanda for streaming."

# What each ecosystem's advice answers: the technologies that make it relevant, in the
# order they are named. An ecosystem with none of them (a package.json that holds only a
# linter) gets no advice.
RUST_STACK = ("Axum", "Actix Web", "Rocket", "warp", "Tokio", "SQLx", "Diesel", "SeaORM")
NODE_SERVERS = ("Express", "NestJS", "Fastify", "Koa", "Hono", "hapi")
PYTHON_STACK = ("Django", "Django REST framework", "FastAPI", "Flask", "Starlette", "Litestar",
                "SQLAlchemy", "Alembic", "Celery")


def recommend(ecosystems: Iterable[str], technologies: Iterable[str]) -> list[Guidance]:
    """Map a detected stack to the persona's recommended patterns, deterministically.

    Args:
        ecosystems: Ecosystem keys found in the project (``go``, ``rust``, ``java``, ``node``...).
        technologies: Canonical names of the runtime technologies found in the project.

    Returns:
        One recommendation per applicable topic, in a fixed order, each naming the
        technologies it answers; the persona's defaults only when nothing was found.
    """
    found = set(ecosystems)
    names = set(technologies)
    # A project of one ecosystem whose only technologies are its tools (Maven, Cargo: dev
    # scope) still gets that ecosystem's advice.
    if not names and not found:
        return [Guidance(topic="Stack", advice=PREFERRED),
                Guidance(topic="Data", advice=NO_DATASTORE)]
    advice: list[Guidance] = []
    if "go" in found:
        advice.append(_go(names))
    if "rust" in found:
        advice += _answering("Rust", RUST, RUST_STACK, names)
    if "java" in found:
        advice.extend(_java(names))
    if "node" in found:
        advice += _answering("Node.js", NODE, NODE_SERVERS, names)
    if "python" in found:
        advice += _answering("Python", PYTHON + (CELERY if "Celery" in names else ""),
                             PYTHON_STACK, names)
    advice.extend(_datastores(names))
    return advice


def basis(guidance: Guidance | models.Guidance) -> str:
    """What ``guidance`` answers, as a reader sees it: "gRPC found" or "nothing detected"."""
    if not guidance.answers:
        return "nothing detected"
    return f"{', '.join(guidance.answers)} found"


def _go(names: set[str]) -> Guidance:
    if "gRPC" in names and "ConnectRPC" not in names:
        return Guidance(topic="Go", advice=GO_GRPC, answers=["gRPC"])
    return Guidance(topic="Go", advice=GO, answers=["ConnectRPC" if "ConnectRPC" in names
                                                    else "Go"])


def _answering(topic: str, advice: str, stack: tuple[str, ...], names: set[str]
               ) -> list[Guidance]:
    answered = [name for name in stack if name in names]
    return [Guidance(topic=topic, advice=advice, answers=answered)] if answered else []


def _java(names: set[str]) -> list[Guidance]:
    chosen = [
        Guidance(topic="Java", advice=text, answers=[framework])
        for framework, text in (("Spring Boot", SPRING), ("Quarkus", QUARKUS))
        if framework in names
    ]
    return chosen or [Guidance(topic="Java", advice=JAVA_UNDECIDED, answers=["Java"])]


def _datastores(names: set[str]) -> list[Guidance]:
    advice = []
    if "Redis" in names and "DragonflyDB" not in names:
        advice.append(Guidance(topic="Cache", advice=REDIS, answers=["Redis"]))
    if "Kafka" in names and "Redpanda" not in names:
        advice.append(Guidance(topic="Streaming", advice=KAFKA, answers=["Kafka"]))
    return advice
