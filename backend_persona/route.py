"""Route a request to the persona's workflows: API, database, microservices, performance.

The request is untrusted text and stays data: it is matched with regular expressions
and never echoed back, so nothing in it can reach a shell or a prompt through here.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field

from backend_persona.models import Model

WorkflowName = Literal["api", "database", "microservices", "performance", "default"]

# Whole words or phrases, matched case-insensitively. Plurals are listed rather than
# stemmed so that matching stays predictable ("apis" is a word, "rapid" is not "api").
SYNONYMS: dict[WorkflowName, tuple[str, ...]] = {
    "api": (
        "api", "apis", "rest", "restful", "graphql", "grpc", "connectrpc", "connect-rpc",
        "endpoint", "endpoints", "openapi", "swagger", "http", "route", "routes", "webhook",
        "webhooks", "protobuf", "proto", "rpc", "auth", "authentication", "authorization",
        "oauth", "jwt", "rate limit", "rate limiting", "pagination", "versioning",
    ),
    "database": (
        "database", "databases", "db", "sql", "schema", "schemas", "index", "indexes",
        "indices", "indexing", "migration", "migrations", "query", "queries", "postgres",
        "postgresql", "mysql", "mariadb", "sqlite", "mongodb", "orm", "table", "tables",
        "transaction", "transactions", "sqlx", "jpa", "hibernate", "replication", "sharding",
        "partitioning",
    ),
    "microservices": (
        "microservice", "microservices", "service mesh", "event-driven", "event driven",
        "queue", "queues", "message queue", "message queues", "kafka", "redpanda", "rabbitmq",
        "nats", "pulsar", "broker", "brokers", "pub/sub", "pubsub", "saga", "sagas",
        "service discovery", "service boundaries", "distributed", "event sourcing", "cqrs",
        "load balancing",
        "outbox",
    ),
    "performance": (
        "performance", "latency", "throughput", "slow", "slowness", "profiling", "profiler",
        "bottleneck", "bottlenecks", "cache", "caches", "caching", "optimize", "optimise",
        "optimization", "optimisation", "scale", "scaling", "scalability", "load test",
        "load testing", "p99",
        "p95", "benchmark", "benchmarks", "memory", "cpu", "high-traffic", "high traffic",
        "dragonflydb", "redis", "cdn",
    ),
}

STEPS: dict[WorkflowName, tuple[str, ...]] = {
    "api": (
        "Design the REST, GraphQL or RPC contract first (OpenAPI or protobuf), then the code.",
        "Implement authentication and authorization at the edge, deny by default.",
        "Validate every request and map errors to one consistent error shape.",
        "Document the API and add contract and integration tests.",
    ),
    "database": (
        "Analyse the current schema and its migrations before proposing changes.",
        "Optimise queries and indexes from measured query plans.",
        "Add caching only where reads dominate and staleness is acceptable.",
        "Plan migrations that are reversible and safe under live traffic.",
    ),
    "microservices": (
        "Draw service boundaries from the domain and decide sync versus async per call.",
        "Plan service discovery, load balancing, timeouts and retries with budgets.",
        "Set up monitoring, tracing and structured logs across services.",
        "Design for failure: idempotency, outbox, circuit breakers, dead-letter queues.",
    ),
    "performance": (
        "Measure first: profile and find the real bottleneck before changing code.",
        "Optimise database interactions: N+1 queries, pooling, batching.",
        "Apply caching and CDN strategies with explicit invalidation.",
        "Scale horizontally behind load balancing once the service is stateless.",
    ),
    "default": (
        "Perform a comprehensive analysis of the backend architecture.",
        "Identify improvement opportunities, ranked by impact and effort.",
        "Recommend modern patterns and best practices for the detected stack.",
        "Create an implementation roadmap with small, verifiable steps.",
    ),
}

TITLES: dict[WorkflowName, str] = {
    "api": "API design",
    "database": "Database",
    "microservices": "Microservices",
    "performance": "Performance",
    "default": "Architecture review (no specific workflow matched)",
}

_ORDER: tuple[WorkflowName, ...] = ("api", "database", "microservices", "performance")
# A whole-system assessment is large even when it names no single workflow.
ASSESSMENT = ("audit", "assess", "assessment", "full review", "whole system", "entire system",
              "end-to-end review")


def _body(term: str) -> str:
    # Spaces and hyphens inside a phrase match any run of whitespace or hyphens.
    return r"[\s\-]+".join(re.escape(part) for part in re.split(r"[\s\-]+", term))


def _key(text: str) -> str:
    return re.sub(r"[\s\-]+", " ", text.lower())


def _pattern(terms: tuple[str, ...]) -> re.Pattern[str]:
    # One alternation per workflow, longest terms first, scans a long request once; a
    # term must not touch another word character on either side.
    ordered = sorted(terms, key=len, reverse=True)
    return re.compile(rf"(?<!\w)(?:{'|'.join(_body(t) for t in ordered)})(?!\w)", re.IGNORECASE)


_PATTERNS: dict[WorkflowName, re.Pattern[str]] = {
    workflow: _pattern(terms) for workflow, terms in SYNONYMS.items()
}
_TERMS: dict[WorkflowName, dict[str, str]] = {
    workflow: {_key(term): term for term in terms} for workflow, terms in SYNONYMS.items()
}
_ASSESSMENT = _pattern(ASSESSMENT)


class Workflow(Model):
    """One workflow the request calls for, with the words that chose it."""

    name: WorkflowName
    title: str
    matched: list[str] = Field(default_factory=list)
    steps: list[str]


class Route(Model):
    """The workflows chosen for a request, in a fixed order; ``default`` when none match."""

    workflows: list[Workflow] = Field(min_length=1)
    large: bool


def route(request: str) -> Route:
    """Choose the workflows for ``request``: whole words, case-insensitive, several at once.

    Args:
        request: The user's request, as untrusted text.

    Returns:
        The matched workflows in the order api, database, microservices, performance, or
        the single ``default`` workflow. ``large`` is true when three or more match or the
        request asks for an assessment of the whole system: then the persona delegates to
        its subagents.
    """
    chosen: list[Workflow] = []
    for name in _ORDER:
        found = {_TERMS[name][_key(m.group())] for m in _PATTERNS[name].finditer(request)}
        matched = [term for term in SYNONYMS[name] if term in found]
        if matched:
            chosen.append(_workflow(name, matched))
    if not chosen:
        chosen.append(_workflow("default", []))
    large = len(chosen) >= 3 or _ASSESSMENT.search(request) is not None
    return Route(workflows=chosen, large=large)


def _workflow(name: WorkflowName, matched: list[str]) -> Workflow:
    return Workflow(name=name, title=TITLES[name], matched=matched, steps=list(STEPS[name]))


def to_markdown(result: Route) -> str:
    """The route as a short markdown section for the model to follow."""
    names = ", ".join(w.name for w in result.workflows)
    lines = [f"## Route: {names}"]
    if result.large:
        lines.append("_Large request: delegate each workflow to its subagent._")
    for workflow in result.workflows:
        because = f" (matched: {', '.join(workflow.matched)})" if workflow.matched else ""
        lines.append(f"\n### {workflow.title}{because}")
        lines += [f"- {step}" for step in workflow.steps]
    return "\n".join(lines) + "\n"
