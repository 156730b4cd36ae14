"""Route a request to the persona's workflows: API, database, microservices, performance.

The request is untrusted text and stays data: it is matched against word tables and
never echoed back, so nothing in it can reach a shell or a prompt through here. Matching
is linear in the request: its distinct words are collected once, and a phrase is
searched for only when all of its words occur.
"""

from __future__ import annotations

import re

from pydantic import Field

from backend_persona.modelbase import Model
from backend_persona.vocabulary import WorkflowName

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


_WORD = re.compile(r"\w+")
_NON_WORD = re.compile(r"\W")
_SEPARATOR = re.compile(r"[\s\-]+")
# Words are collected this many characters at a time, so that a huge request never
# becomes one list of millions of strings.
_CHUNK = 256 * 1024


def _phrase(term: str) -> re.Pattern[str]:
    # Spaces and hyphens inside a phrase match any run of whitespace or hyphens, and the
    # phrase must not touch another word character on either side. The start check
    # comes after the first word so that the pattern opens with a literal, which the
    # engine finds by a fast scan instead of trying the pattern at every position.
    first, *rest = (re.escape(part) for part in _SEPARATOR.split(term))
    tail = "".join(rf"[\s\-]+{part}" for part in rest)
    return re.compile(rf"{first}(?<!\w{first}){tail}(?!\w)")


def _distinct(terms: tuple[str, ...]) -> tuple[str, ...]:
    # Spellings that differ only in their separators ("event-driven", "event driven")
    # match the same text; the last one listed is the one reported.
    last = {_SEPARATOR.sub(" ", term): term for term in terms}
    return tuple(term for term in terms if last[_SEPARATOR.sub(" ", term)] == term)


_REPORTED: dict[WorkflowName, tuple[str, ...]] = {
    workflow: _distinct(terms) for workflow, terms in SYNONYMS.items()
}
# Terms of more than one word, with the words that must all occur before a search.
_PHRASES: dict[str, tuple[frozenset[str], re.Pattern[str]]] = {
    term: (frozenset(_WORD.findall(term)), _phrase(term))
    for term in {*ASSESSMENT, *(t for terms in SYNONYMS.values() for t in terms)}
    if not _WORD.fullmatch(term)
}


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

    Every synonym that occurs is reported, including one inside a longer phrase that
    also occurs ("queue" in "message queue").

    Args:
        request: The user's request, as untrusted text.

    Returns:
        The matched workflows in the order api, database, microservices, performance, or
        the single ``default`` workflow. ``large`` is true when three or more match or the
        request asks for an assessment of the whole system: then the persona delegates to
        its subagents.
    """
    # U+0130 is the one character whose lowercase holds a non-word character (a combining
    # dot) that would split its word in two; simple case folding makes it "i".
    text = request.replace("\u0130", "i").lower()
    words = _words(text)
    chosen: list[Workflow] = []
    for name in _ORDER:
        matched = [term for term in _REPORTED[name] if _occurs(term, text, words)]
        if matched:
            chosen.append(_workflow(name, matched))
    if not chosen:
        chosen.append(_workflow("default", []))
    large = len(chosen) >= 3 or any(_occurs(term, text, words) for term in ASSESSMENT)
    return Route(workflows=chosen, large=large)


def _words(text: str) -> set[str]:
    """The distinct words of ``text``, a chunk at a time, cut only between words."""
    words: set[str] = set()
    start = 0
    while start < len(text):
        cut = _NON_WORD.search(text, start + _CHUNK)
        end = cut.start() if cut else len(text)
        words.update(_WORD.findall(text, start, end))
        start = end
    return words


def _occurs(term: str, text: str, words: set[str]) -> bool:
    """Whether ``term`` occurs in the lowercase ``text`` as whole words."""
    phrase = _PHRASES.get(term)
    if phrase is None:
        return term in words
    needed, pattern = phrase
    return needed <= words and pattern.search(text) is not None


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
