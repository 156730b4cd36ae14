"""Catalog data for services, observability, auth and stores: shape, uniqueness, precision.

The catalog loader is written elsewhere; until it lands, a small local reader applies the
README's rules to these four files: a key ending in ``/ : - .`` is a prefix (the longest
one wins), any other key is exact. Image references are reduced the way ``images.py``
reduces them (registry host, ``library/`` and tag stripped; the last segment is tried too).
"""

from __future__ import annotations

import importlib
import re
import tomllib
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import cast

import pytest

CATALOG_DIR = Path(__file__).resolve().parent.parent / "backend_persona/resources/catalog"
OWN_FILES = ("services.toml", "observability.toml", "auth.toml", "stores.toml")
SOURCES = ("npm", "pypi", "maven", "gradle_plugin", "go", "crate", "gem", "hex", "composer",
           "nuget", "cmake", "image", "scheme", "env", "file", "code")
CATEGORIES = {"framework", "frontend", "api", "data-access", "driver", "migrations", "datastore",
              "search", "broker", "jobs", "realtime", "observability", "auth", "cloud", "server",
              "runtime", "testing", "build", "ci", "delivery", "library"}
SEPARATORS = "/:-."

Table = dict[str, object]


def _tables(name: str) -> list[Table]:
    with (CATALOG_DIR / name).open("rb") as handle:
        return list(tomllib.load(handle).get("technology", []))


@cache
def own_tables() -> tuple[tuple[str, Table], ...]:
    return tuple((name, table) for name in OWN_FILES for table in _tables(name))


def _rules(table: Table) -> Iterator[tuple[str, str]]:
    for source in SOURCES:
        for key in cast("list[str]", table.get(source, [])):
            yield source, key


@cache
def own_keys() -> dict[str, dict[str, str]]:
    """source -> key -> technology name, over the four files (extensions included)."""
    keys: dict[str, dict[str, str]] = {source: {} for source in SOURCES}
    for _, table in own_tables():
        for source, key in _rules(table):
            keys[source][key] = str(table["name"])
    return keys


def lookup(source: str, dependency: str) -> str | None:
    """What ``dependency`` names in these files: an exact key, else the longest prefix key."""
    keys = own_keys()[source]
    if dependency in keys:
        return keys[dependency]
    prefixes = [k for k in keys if k[-1] in SEPARATORS and dependency.startswith(k)]
    return keys[max(prefixes, key=len)] if prefixes else None


def image_path(reference: str) -> str:
    """The repository path `images.py` looks up: no registry host, no tag, no `library/`."""
    reference = reference.split("@", 1)[0]
    parts = reference.split("/")
    if len(parts) > 1 and ("." in parts[0] or ":" in parts[0] or parts[0] == "localhost"):
        parts = parts[1:]
    path = "/".join(parts)
    if ":" in parts[-1]:
        path = path.rpartition(":")[0]
    return path.lower().removeprefix("library/")


def lookup_image(reference: str) -> str | None:
    keys = own_keys()["image"]
    path = image_path(reference)
    return keys.get(path) or keys.get(path.rpartition("/")[2])


def lookup_file(path: str) -> set[str]:
    """Every name a path is evidence of: a bare file name anywhere, a folder from the root."""
    found = set()
    for key, name in own_keys()["file"].items():
        if key.endswith("/"):
            hit = path.startswith(key)
        else:
            hit = path == key or ("/" not in key and path.rpartition("/")[2] == key)
        if hit:
            found.add(name)
    return found


# --- What exists outside these files -----------------------------------------------------

_DETECTOR_SOURCES = {"go": ("go",), "rust": ("crate",), "java": ("maven", "gradle_plugin"),
                     "node": ("npm",), "python": ("pypi",), "ruby": ("gem",), "elixir": ("hex",),
                     "php": ("composer",), "dotnet": ("nuget",), "cmake": ("cmake",)}


def _known_names(value: object) -> list[str]:
    items = value if isinstance(value, tuple) else (value,)
    return [item if isinstance(item, str) else item.name for item in items]


@cache
def existing() -> tuple[frozenset[str], frozenset[tuple[str, str]]]:
    """Names and (source, key) rules of the catalogue outside these four files.

    Read from the detectors' literal dictionaries while they exist, and from every other
    TOML file in the catalog folder (where the dictionaries are moving).
    """
    names: set[str] = set()
    rules: set[tuple[str, str]] = set()

    def add(sources: tuple[str, ...], mapping: object) -> None:
        if not isinstance(mapping, dict):
            return
        for key, value in mapping.items():
            names.update(_known_names(value))
            rules.update((source, key) for source in sources)

    for module, sources in _DETECTOR_SOURCES.items():
        try:
            detector = importlib.import_module(f"backend_persona.discover.detectors.{module}")
        except ImportError:
            continue
        add(sources, getattr(detector, "CATALOG", None))
    for module, attribute, sources in (
        ("backend_persona.discover.images", "IMAGES", ("image",)),
        ("backend_persona.discover.detectors.datasources", "_DATABASES", ("scheme",)),
        ("backend_persona.discover.detectors.compose", "_SCHEMES", ("scheme",)),
        ("backend_persona.discover.detectors.envfiles", "SCHEMES", ("scheme",)),
    ):
        try:
            add(sources, getattr(importlib.import_module(module), attribute, None))
        except ImportError:
            continue
    for path in sorted(CATALOG_DIR.glob("*.toml")):
        if path.name in OWN_FILES:
            continue
        for table in _tables(path.name):
            if "category" in table:
                names.add(str(table["name"]))
            rules.update(_rules(table))
    return frozenset(names), frozenset(rules)


# --- Shape and uniqueness ----------------------------------------------------------------


def test_files_parse_and_tables_have_the_contract_shape() -> None:
    allowed = {"name", "category", "implies", "versioned", *SOURCES}
    for file, table in own_tables():
        assert isinstance(table.get("name"), str) and table["name"], (file, table)
        assert set(table) <= allowed, (file, table["name"], set(table) - allowed)
        if "category" in table:
            assert table["category"] in CATEGORIES, (file, table["name"], table["category"])
        else:
            assert "implies" not in table, f"{table['name']}: an extension implies nothing"
        for source, key in _rules(table):
            assert isinstance(key, str) and key == key.strip() and key, (table["name"], source)
            # A `code` key is a file pattern, a space and a marker; every other id is one word.
            assert source == "code" or not re.search(r"\s", key), (table["name"], source, key)


@pytest.mark.parametrize("source", ["pypi", "image", "scheme"])
def test_keys_are_written_the_way_ids_are(source: str) -> None:
    for key, name in own_keys()[source].items():
        assert key == key.lower(), (name, key)
        if source == "pypi":
            assert "_" not in key and "." not in key, (name, key)
        if source == "image":
            # `php:apache` is a variant rule: a repository and one word of its tags.
            repository, _, word = key.partition(":")
            assert not word or word.isalpha(), f"{name}: {key} keeps a tag, not a tag's word"
            assert image_path(repository) == repository, f"{name}: {key} keeps a registry"
            assert key[-1] not in SEPARATORS, (name, key)


def test_every_name_is_defined_once_and_nowhere_else() -> None:
    existing_names, _ = existing()
    defined: dict[str, str] = {}
    for file, table in own_tables():
        if "category" not in table:
            continue
        name = str(table["name"])
        assert name not in defined, f"{name} is defined in {defined[name]} and {file}"
        assert name not in existing_names, f"{name} already exists: extend it, no category"
        defined[name] = file


def test_extensions_and_implies_name_defined_technologies() -> None:
    existing_names, _ = existing()
    defined = {str(t["name"]) for _, t in own_tables() if "category" in t}
    for file, table in own_tables():
        if "category" not in table:
            assert table["name"] in existing_names, f"{file}: {table['name']} is defined nowhere"
        for implied in cast("list[str]", table.get("implies", [])):
            assert implied in defined | existing_names, (table["name"], implied)


def test_no_key_is_claimed_twice() -> None:
    _, existing_rules = existing()
    seen: dict[tuple[str, str], str] = {}
    for _, table in own_tables():
        for rule in _rules(table):
            assert rule not in seen, f"{rule} is claimed by {seen[rule]} and {table['name']}"
            assert rule not in existing_rules, f"{rule} ({table['name']}) is already claimed"
            seen[rule] = str(table["name"])


# --- Precision ---------------------------------------------------------------------------

IMAGES = [
    ("nginx:1.27-alpine", "nginx"),
    ("docker.io/library/nginx", "nginx"),
    ("nginxinc/nginx-unprivileged:1.25", "nginx"),
    ("nginx/nginx-ingress:3.6", None),
    ("traefik:v3.1", "Traefik"),
    ("traefik/whoami", None),
    ("envoyproxy/envoy:v1.31-latest", "Envoy"),
    ("caddy:2-alpine", "Caddy"),
    ("haproxytech/haproxy-alpine:3.0", "HAProxy"),
    ("httpd:2.4", "Apache HTTP Server"),
    ("kong/kong-gateway:3.8", "Kong"),
    ("quay.io/keycloak/keycloak:26.0", "Keycloak"),
    ("bitnami/keycloak", "Keycloak"),
    ("mcr.microsoft.com/azure-storage/azurite", "Azurite"),
    ("mcr.microsoft.com/cosmosdb/linux/azure-cosmos-emulator:latest", "Cosmos DB"),
    ("gcr.io/cloud-spanner-emulator/emulator", "Spanner"),
    ("docker.elastic.co/kibana/kibana:8.15.0", "Kibana"),
    ("docker.elastic.co/elasticsearch/elasticsearch:8.15.0", "Elasticsearch"),
    ("docker.elastic.co/apm/apm-server:8.15.0", "Elastic APM"),
    ("docker.elastic.co/beats/filebeat:8.15.0", "Filebeat"),
    ("ghcr.io/oauth2-proxy/oauth2-proxy:v7.6.0", "oauth2-proxy"),
    ("quay.io/oauth2-proxy/oauth2-proxy", "oauth2-proxy"),
    ("otel/opentelemetry-collector-contrib:0.110.0", "OpenTelemetry Collector"),
    ("ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector-contrib",
     "OpenTelemetry Collector"),
    ("prom/prometheus", "Prometheus"),
    ("quay.io/prometheus/prometheus:v2.54.0", "Prometheus"),
    ("prom/node-exporter", "Node Exporter"),
    ("prom/statsd-exporter", None),
    ("gcr.io/cadvisor/cadvisor:v0.49.1", "cAdvisor"),
    ("grafana/grafana-oss:11.2.0", "Grafana"),
    ("grafana/k6", None),
    ("grafana/agent", "Grafana Agent"),
    ("datadog/agent", "Datadog"),
    ("gcr.io/datadoghq/agent:7", "Datadog"),
    ("public.ecr.aws/datadog/agent:latest", "Datadog"),
    ("example/agent", None),
    ("jaegertracing/all-in-one:1.60", "Jaeger"),
    ("example/all-in-one", None),
    ("timberio/vector:0.41.1-alpine", "Vector"),
    ("example/vector", None),
    ("minio/minio:RELEASE.2024-08-17T01-24-54Z", "MinIO"),
    ("quay.io/minio/minio", "MinIO"),
    ("localstack/localstack:3.7", "LocalStack"),
    ("selenium/standalone-chrome:4.24", "Selenium Grid"),
    ("axllent/mailpit", "Mailpit"),
    ("eclipse-mosquitto:2", "Mosquitto"),
    ("emqx/emqx:5.8", "EMQX"),
    ("timescale/timescaledb-ha:pg16", "TimescaleDB"),
    ("ghcr.io/goauthentik/server:2024.8", "authentik"),
    ("quay.io/infinispan/server:15.0", "Infinispan"),
    ("example/server", None),
    ("hashicorp/vault:1.17", "Vault"),
    ("hashicorp/consul", "Consul"),
    ("cr.weaviate.io/semitechnologies/weaviate:1.26.1", "Weaviate"),
    ("container-registry.oracle.com/database/free:latest", "Oracle Database"),
    ("ghcr.io/microsoft/garnet", "Garnet"),
    ("docker.redpanda.com/redpandadata/redpanda:v24.2.4", "Redpanda"),
    ("ghcr.io/dexidp/dex:v2.41.1", "Dex"),
    ("oryd/kratos:v1.2", "Ory Kratos"),
    ("oryd/kratos-selfservice-ui-node", None),
]

DEPENDENCIES = [
    # npm
    ("npm", "@opentelemetry/api", "OpenTelemetry"),
    ("npm", "@opentelemetry/sdk-node", "OpenTelemetry"),
    ("npm", "opentelemetry", None),
    ("npm", "@sentry/node", "Sentry"),
    ("npm", "sentry", None),
    ("npm", "passport", "Passport"),
    ("npm", "passport-jwt", "Passport"),
    ("npm", "passportjs", None),
    ("npm", "jose", "jose"),
    ("npm", "node-jose", None),
    ("npm", "jsonwebtoken", "jsonwebtoken"),
    ("npm", "@nestjs/jwt", "JWT"),
    ("npm", "next-auth", "Auth.js"),
    ("npm", "@auth/prisma-adapter", "Auth.js"),
    ("npm", "auth", None),
    ("npm", "auth0", "Auth0"),
    ("npm", "@auth0/nextjs-auth0", "Auth0"),
    ("npm", "pino", "Pino"),
    ("npm", "pino-pretty", "Pino"),
    ("npm", "pinoccio", None),
    ("npm", "winston-daily-rotate-file", "winston"),
    ("npm", "mqtt", "MQTT"),
    ("npm", "mqtt-packet", None),
    ("npm", "minio", "MinIO"),
    ("npm", "nano", "CouchDB"),
    ("npm", "nanoid", None),
    ("npm", "supertokens-node", "SuperTokens"),
    ("npm", "@supabase/auth-js", "Supabase Auth"),
    ("npm", "@supabase/auth-helpers-nextjs", "Supabase Auth"),
    ("npm", "@supabase/storage-js", None),
    ("npm", "@azure/msal-node", "MSAL"),
    ("npm", "@azure/storage-blob", None),
    ("npm", "@grafana/faro-web-sdk", "Grafana Faro"),
    ("npm", "@grafana/ui", None),
    ("npm", "@datadog/browser-rum", "Datadog"),
    ("npm", "zipkin-transport-http", "Zipkin"),
    ("npm", "@neondatabase/serverless", "Neon"),
    ("npm", "sqlite3", None),
    ("npm", "lucia", "Lucia"),
    ("npm", "oso", "Oso"),
    ("npm", "consul", "Consul"),
    # pypi
    ("pypi", "opentelemetry-instrumentation-django", "OpenTelemetry"),
    ("pypi", "sentry-sdk", "Sentry"),
    ("pypi", "raven", "Sentry"),
    ("pypi", "sentry", None),
    ("pypi", "fastapi-users-db-sqlalchemy", "FastAPI Users"),
    ("pypi", "fastapi", None),
    ("pypi", "pyjwt", "PyJWT"),
    ("pypi", "jwt", None),
    ("pypi", "python-jose", "python-jose"),
    ("pypi", "jose", None),
    ("pypi", "uvicorn", "Uvicorn"),
    ("pypi", "uvicorn-worker", None),
    ("pypi", "datadog", "Datadog"),
    ("pypi", "datadog-checks-base", None),
    ("pypi", "statsd", "StatsD"),
    ("pypi", "casbin", "Casbin"),
    ("pypi", "azure-monitor-opentelemetry", "Application Insights"),
    # go
    ("go", "go.opentelemetry.io/otel", "OpenTelemetry"),
    ("go", "go.opentelemetry.io/otel/sdk", "OpenTelemetry"),
    ("go", "go.opentelemetry.io/contrib/instrumentation/net/http/otelhttp", "OpenTelemetry"),
    ("go", "go.opentelemetry.io/collector/component", "OpenTelemetry Collector"),
    ("go", "go.opentelemetry.io/otelx", None),
    ("go", "go.uber.org/zap", "zap"),
    ("go", "go.uber.org/zap/exp", "zap"),
    ("go", "go.uber.org/fx", None),
    ("go", "github.com/DataDog/dd-trace-go/v2", "Datadog"),
    ("go", "gopkg.in/DataDog/dd-trace-go.v1", "Datadog"),
    ("go", "github.com/DataDog/zstd", None),
    ("go", "github.com/getsentry/sentry-go", "Sentry"),
    ("go", "github.com/golang-jwt/jwt/v5", "golang-jwt"),
    ("go", "github.com/golang-jwt/jwe", None),
    ("go", "github.com/ory/fosite", "Fosite"),
    ("go", "github.com/ory/dockertest/v3", None),
    ("go", "github.com/casbin/casbin/v2", "Casbin"),
    ("go", "github.com/casbin/gorm-adapter/v3", None),
    ("go", "github.com/caddyserver/caddy/v2", "Caddy"),
    ("go", "github.com/caddyserver/certmagic", None),
    ("go", "go.elastic.co/apm/v2", "Elastic APM"),
    ("go", "go.elastic.co/ecszap", None),
    ("go", "go.etcd.io/etcd/client/v3", "etcd"),
    ("go", "go.etcd.io/bbolt", "bbolt"),
    ("go", "github.com/hashicorp/vault/api", "Vault"),
    ("go", "github.com/hashicorp/go-hclog", None),
    ("go", "github.com/prometheus/client_golang", "Prometheus"),
    ("go", "github.com/prometheus/common", None),
    ("go", "github.com/newrelic/go-agent/v3", "New Relic"),
    # maven
    ("maven", "org.springframework.boot:spring-boot-starter-security", "Spring Security"),
    # Its test support, which implies the Spring Security it tests.
    ("maven", "org.springframework.security:spring-security-test", "Spring Security Test"),
    ("maven", "org.springframework.security:spring-security-oauth2-authorization-server",
     "Spring Authorization Server"),
    ("maven", "org.springframework.boot:spring-boot-starter-web", None),
    ("maven", "io.opentelemetry.instrumentation:opentelemetry-spring-boot-starter",
     "OpenTelemetry"),
    ("maven", "io.micrometer:micrometer-registry-prometheus", "Micrometer"),
    ("maven", "io.zipkin.brave:brave", "Zipkin"),
    ("maven", "io.zipkinx:zipkinx", None),
    ("maven", "io.netty:netty-all", "Netty"),
    ("maven", "io.projectreactor.netty:reactor-netty-http", None),
    ("maven", "org.eclipse.jetty.ee10:jetty-ee10-servlet", "Jetty"),
    ("maven", "ch.qos.logback:logback-classic", "Logback"),
    ("maven", "org.apache.logging.log4j:log4j-core", "Log4j 2"),
    ("maven", "log4j:log4j", None),
    ("maven", "com.auth0:java-jwt", "JWT"),
    ("maven", "com.auth0:auth0", "Auth0"),
    ("maven", "io.jsonwebtoken:jjwt-api", "JJWT"),
    ("maven", "org.apache.tomcat.embed:tomcat-embed-core", "Tomcat"),
    ("maven", "io.micronaut.security:micronaut-security-jwt", "Micronaut Security"),
    ("maven", "org.apache.cassandra:java-driver-core", "Cassandra"),
    # nuget
    ("nuget", "OpenTelemetry.Extensions.Hosting", "OpenTelemetry"),
    ("nuget", "Serilog.AspNetCore", "Serilog"),
    ("nuget", "SerilogAnalyzer", None),
    ("nuget", "Microsoft.AspNetCore.Identity.EntityFrameworkCore", "ASP.NET Core Identity"),
    ("nuget", "Microsoft.AspNetCore.Authentication.JwtBearer", "JWT"),
    ("nuget", "Microsoft.AspNetCore.Mvc", None),
    ("nuget", "Sentry.AspNetCore", "Sentry"),
    ("nuget", "Microsoft.Identity.Client", "MSAL"),
    ("nuget", "Microsoft.Identity.Web.UI", "Microsoft.Identity.Web"),
    ("nuget", "prometheus-net.AspNetCore", "Prometheus"),
    # gem
    ("gem", "opentelemetry-sdk", "OpenTelemetry"),
    ("gem", "omniauth-google-oauth2", "OmniAuth"),
    ("gem", "omniauth-auth0", "Auth0"),
    ("gem", "devise", "Devise"),
    ("gem", "devise-i18n", None),
    ("gem", "jwt", "JWT"),
    ("gem", "sentry-api", None),
    ("gem", "puma_worker_killer", None),
    # hex, crate, composer
    ("hex", "opentelemetry_phoenix", "OpenTelemetry"),
    ("hex", "cowboy", "Cowboy"),
    ("hex", "tortoise", "MQTT"),
    ("crate", "tracing", "tracing"),
    ("crate", "tracing-subscriber", "tracing"),
    ("crate", "tracing-opentelemetry", "OpenTelemetry"),
    ("crate", "opentelemetry-otlp", "OpenTelemetry"),
    ("crate", "sentry-tracing", "Sentry"),
    ("crate", "tracing-tree", None),
    ("composer", "open-telemetry/sdk", "OpenTelemetry"),
    ("composer", "sentry/sentry-laravel", "Sentry"),
    ("composer", "laravel/sanctum", "Laravel Sanctum"),
    ("composer", "laravel/framework", None),
    # scheme
    ("scheme", "mqtt", "MQTT"),
    ("scheme", "neo4j+s", "Neo4j"),
    ("scheme", "libsql", "libSQL"),
]

FILES = [
    ("deploy/nginx.conf", {"nginx"}),
    ("nginx.config", set()),
    ("grafana/provisioning/dashboards/main.json", {"Grafana"}),
    ("grafana/provisioning/datasources/prometheus.yml", {"Grafana", "Prometheus"}),
    ("docs/grafana/provisioning/notes.md", set()),
    ("monitoring/prometheus.yml", {"Prometheus"}),
    ("Caddyfile", {"Caddy"}),
    ("supabase/migrations/0001_init.sql", {"Supabase"}),
    ("supabase/functions/hello/index.ts", set()),
    ("config/puma.rb", {"Puma"}),
]


@pytest.mark.parametrize(("reference", "expected"), IMAGES)
def test_image_precision(reference: str, expected: str | None) -> None:
    assert lookup_image(reference) == expected


@pytest.mark.parametrize(("source", "dependency", "expected"), DEPENDENCIES)
def test_dependency_precision(source: str, dependency: str, expected: str | None) -> None:
    assert lookup(source, dependency) == expected


@pytest.mark.parametrize(("path", "expected"), FILES)
def test_file_precision(path: str, expected: set[str]) -> None:
    assert lookup_file(path) == expected


# --- The same rows through the real loader and image parser, once they read TOML ---------


@cache
def _loaded() -> object:
    catalog = importlib.import_module("backend_persona.discover.catalog")
    if not hasattr(catalog, "load") or not hasattr(catalog, "catalog_files"):
        pytest.skip("the catalog loader does not read the TOML files yet")
    return catalog.load(catalog.catalog_files())


def _own_definitions() -> set[str]:
    return {str(t["name"]) for _, t in own_tables() if "category" in t}


def _mismatch(names: set[str], expected: str | None) -> bool:
    """A row's name is among what the whole catalog says; a look-alike names none of ours."""
    return bool(names & _own_definitions()) if expected is None else expected not in names


def test_dependency_rows_hold_in_the_shipped_catalog() -> None:
    loaded = _loaded()
    keymatch = importlib.import_module("backend_persona.discover.keymatch")
    wrong = []
    for source, dependency, expected in DEPENDENCIES:
        found = keymatch.lookup(loaded.source(source), dependency)  # type: ignore[attr-defined]
        names = {k.name for k in found}
        if _mismatch(names, expected):
            wrong.append((source, dependency, expected, sorted(names)))
    assert not wrong


def test_image_rows_hold_through_the_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    """`images.py` itself, reading the shipped catalog, agrees with the image rows."""
    loaded = _loaded()
    catalog = importlib.import_module("backend_persona.discover.catalog")
    images = importlib.import_module("backend_persona.discover.images")
    monkeypatch.setattr(catalog, "source", loaded.source)  # type: ignore[attr-defined]
    wrong = []
    for reference, expected in IMAGES:
        parsed = images.parse_image(reference)
        known = parsed[0] if parsed else ()
        names = {k.name for k in (known if isinstance(known, tuple) else (known,))}
        if _mismatch(names, expected):
            wrong.append((reference, expected, sorted(names)))
    assert not wrong
