"""Precision of the rules added from the misses of the repositories promoted to dev.

Each row looks an id up through the loader the detectors use (`catalog.match`, implied
technologies included) and says what it must name and what it must not. The short names
(`zod`, `arctic`, `dropbox`, `twitter`, `foreman`) are exact keys, and their look-alikes
name nothing of theirs; the prefixes (`@lingui/`, `@vaadin/`, `Autofac.`, `google-apis-`,
`com.github.pagehelper:`, `io.quarkiverse.mcp:`...) stay inside their owner's namespace.
"""

from __future__ import annotations

import re

import pytest

from backend_persona.discover import catalog
from tests.catalog_rows import check_names

# (source, id, names it must give, names it must not give)
ROWS: list[tuple[str, str, set[str], set[str]]] = [
    # --- .NET: ids compare without case, prefixes stop at the owner's dot
    ("nuget", "nunit", {"NUnit"}, set()),
    ("nuget", "NUnit", {"NUnit"}, set()),
    ("nuget", "NUNIT3TESTADAPTER", set(), {"NUnit"}),
    ("nuget", "polly", {"Polly"}, set()),
    ("nuget", "Autofac", {"Autofac"}, set()),
    ("nuget", "Autofac.Extensions.DependencyInjection", {"Autofac"}, set()),
    ("nuget", "AutofacSerilogIntegration", set(), {"Autofac"}),
    ("nuget", "SqlStreamStore.MsSql", {"SQL Stream Store"}, set()),
    ("nuget", "NetArchTest.Rules", {"NetArchTest"}, set()),
    ("nuget", "Nuke.Common", {"NUKE"}, set()),
    ("nuget", "NukeBuildHelpers", set(), {"NUKE"}),
    # --- Rust
    ("crate", "diesel-async", {"diesel-async", "Diesel"}, set()),
    ("crate", "diesel", {"Diesel"}, {"diesel-async"}),
    ("crate", "activitypub_federation", {"ActivityPub"}, set()),
    ("crate", "activitystreams", set(), {"ActivityPub"}),
    ("crate", "extism", {"Extism"}, set()),
    ("crate", "extism-manifest", set(), {"Extism"}),
    ("image", "asonix/pictrs", {"pict-rs"}, set()),
    # --- npm
    ("npm", "zod", {"Zod"}, set()),
    ("npm", "zod-validation-error", set(), {"Zod"}),
    ("npm", "zod-openapi", {"zod-openapi", "OpenAPI"}, {"Zod"}),
    ("npm", "trpc-to-openapi", {"trpc-to-openapi", "OpenAPI", "tRPC"}, set()),
    ("npm", "arctic", {"Arctic", "OAuth 2.0"}, set()),
    ("npm", "arctic-icons", set(), {"Arctic"}),
    ("npm", "@lingui/core", {"Lingui"}, set()),
    ("npm", "lingui-loader", set(), {"Lingui"}),
    ("npm", "@react-email/render", {"React Email"}, set()),
    ("npm", "react-email-editor", set(), {"React Email"}),
    ("npm", "posthog-js", {"PostHog"}, set()),
    ("npm", "posthog-plugin-geoip", set(), {"PostHog"}),
    ("npm", "@google-cloud/kms", {"Google Cloud KMS", "Google Cloud SDK"}, set()),
    ("npm", "@ai-sdk/google-vertex", {"Google Vertex AI"}, {"Google Gemini"}),
    ("npm", "@ai-sdk/google", {"Google Gemini"}, {"Google Vertex AI"}),
    ("npm", "@ng-bootstrap/ng-bootstrap", {"ng-bootstrap", "Bootstrap"}, set()),
    ("npm", "ngx-ui-tour-ng-bootstrap", set(), {"ng-bootstrap"}),
    ("npm", "@vaadin/grid", {"Vaadin Web Components"}, set()),
    ("npm", "@vaadin/router", {"Vaadin Router"}, {"Vaadin Web Components"}),
    ("npm", "vaadin-grid", set(), {"Vaadin Web Components"}),
    ("npm", "dropbox", {"Dropbox"}, set()),
    ("npm", "dropbox-chooser", set(), {"Dropbox"}),
    ("npm", "ali-oss", {"Aliyun OSS"}, set()),
    ("npm", "twitter-text", set(), {"Twitter API"}),
    # --- Python
    ("pypi", "whitenoise", {"WhiteNoise"}, set()),
    ("pypi", "django-compressor", {"django-compressor"}, set()),
    ("pypi", "django-compression-middleware", set(), {"django-compressor"}),
    ("pypi", "django-cachalot", {"django-cachalot"}, set()),
    ("pypi", "flower", {"Flower", "Celery"}, set()),
    ("pypi", "sqlite-vec", {"sqlite-vec"}, set()),
    ("pypi", "tantivy", {"Tantivy"}, set()),
    ("pypi", "ocrmypdf", {"OCRmyPDF"}, set()),
    ("pypi", "llama-index-llms-ollama", {"Ollama"}, set()),
    ("pypi", "llama-index-llms-openai-like", set(), {"Ollama"}),
    ("pypi", "azure-ai-documentintelligence", {"Azure AI Document Intelligence"}, set()),
    ("pypi", "posthog", {"PostHog"}, set()),
    # --- Ruby
    ("gem", "nokogiri", {"Nokogiri"}, set()),
    ("gem", "nokogiri-happymapper", set(), {"Nokogiri"}),
    ("gem", "twitter", {"Twitter API"}, set()),
    ("gem", "omniauth-twitter", set(), {"Twitter API"}),
    ("gem", "foreman", {"Foreman"}, set()),
    ("gem", "foreman_remote_execution", set(), {"Foreman"}),
    ("gem", "google-apis-calendar_v3", {"Google APIs"}, {"Google Cloud SDK"}),
    ("gem", "google-cloud-storage", {"Google Cloud Storage"}, {"Google APIs"}),
    ("gem", "solid_cache", {"Solid Cache"}, set()),
    ("gem", "solid_queue", set(), {"Solid Cache"}),
    # --- PHP
    ("composer", "teamtnt/laravel-scout-tntsearch-driver", {"TNTSearch"}, set()),
    ("composer", "laravel/nightwatch", {"Laravel Nightwatch"}, set()),
    ("composer", "laravel/ai", {"Laravel AI"}, set()),
    ("composer", "spatie/flysystem-dropbox", {"Dropbox"}, set()),
    ("composer", "robthree/twofactorauth", {"TOTP"}, set()),
    # --- Elixir
    ("hex", "nimble_zta", {"NimbleZTA"}, set()),
    # --- JVM
    ("maven", "org.mybatis.generator:mybatis-generator-core", {"MyBatis Generator", "MyBatis"},
     set()),
    ("maven", "org.mybatis:mybatis", {"MyBatis"}, {"MyBatis Generator"}),
    ("maven", "com.github.pagehelper:pagehelper-spring-boot-starter", {"PageHelper"}, set()),
    ("maven", "com.github.pagehelperx:x", set(), {"PageHelper"}),
    ("maven", "com.alibaba:druid-spring-boot-starter", {"Alibaba Druid"}, {"Apache Druid"}),
    ("maven", "com.alibaba:fastjson", set(), {"Alibaba Druid"}),
    ("maven", "com.aliyun.oss:aliyun-sdk-oss", {"Aliyun OSS"}, set()),
    ("maven", "com.alipay.sdk:alipay-sdk-java", {"Alipay"}, set()),
    ("maven", "io.quarkiverse.mcp:quarkus-mcp-server-http", {"Model Context Protocol"}, set()),
    ("maven", "io.quarkiverse.web-bundler:quarkus-web-bundler", {"Quarkus Web Bundler"}, set()),
    ("maven", "io.quarkus:quarkus-rest", {"Quarkus REST", "REST", "Quarkus"}, set()),
    ("maven", "io.quarkus:quarkus-rest-client-jackson", {"Quarkus"}, {"Quarkus REST"}),
    ("maven", "io.quarkus:quarkus-resteasy", {"REST", "Quarkus"}, {"Quarkus REST"}),
    # --- example env files: whole words of a key's name
    ("env", "OIDC", {"OpenID Connect"}, set()),
    ("env", "LDAP", {"LDAP"}, set()),
    ("env", "MEMCACHED", {"Memcached"}, set()),
    ("env", "FFMPEG", {"FFmpeg"}, set()),
    ("env", "OIDCX", set(), {"OpenID Connect"}),
    ("env", "oidc", set(), {"OpenID Connect"}),
]


@pytest.mark.parametrize(("source", "ident", "wanted", "unwanted"), ROWS,
                         ids=[f"{row[0]}:{row[1]}" for row in ROWS])
def test_id_names_exactly_what_it_should(
    source: str, ident: str, wanted: set[str], unwanted: set[str]
) -> None:
    check_names(source, ident, wanted, unwanted)


def test_env_keys_are_whole_upper_case_words() -> None:
    # The detector splits a variable's name at `_` and upper-cases it: a key with `_`, a
    # lower-case letter or a prefix separator could never match, or would match too much.
    for key, known in catalog.source("env").items():
        assert re.fullmatch(r"[A-Z0-9]+", key), (key, [k.name for k in known])
