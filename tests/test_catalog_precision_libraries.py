"""Precision of the libraries each ecosystem adds (`catalog/libraries-*.toml`).

Each row looks an id up through the loader the detectors use (`catalog.match`, implied
technologies included) and says what it must name and what it must not. Short names
(`three`, `marked`, `http`, `rack`, `req`, `image`, `ray`, `docker`) are exact keys, and
their look-alikes name nothing of theirs; the prefixes (`@visx/`, `workbox-`,
`com.fasterxml.jackson.`, `io.fabric8:kubernetes-`, `SkiaSharp.`, `Akka.`...) stay inside
their owner's namespace. A client named for itself (ioredis, Postgrex, Dalli, Predis) still
names the datastore it talks to.
"""

from __future__ import annotations

import pytest

from tests.catalog_rows import check_names

# (source, id, names it must give, names it must not give)
ROWS: list[tuple[str, str, set[str], set[str]]] = [
    # --- npm: exact short names, and scoped or dashed families
    ("npm", "three", {"Three.js"}, set()),
    ("npm", "three-stdlib", set(), {"Three.js"}),
    ("npm", "marked", {"Marked"}, set()),
    ("npm", "marked-highlight", set(), {"Marked"}),
    ("npm", "xlsx", {"SheetJS"}, set()),
    ("npm", "xlsx-populate", set(), {"SheetJS"}),
    ("npm", "payload", {"Payload"}, set()),
    ("npm", "sanity", {"Sanity"}, set()),
    ("npm", "@sanity/client", {"Sanity"}, set()),
    ("npm", "sanity-plugin-media", set(), {"Sanity"}),
    ("npm", "workbox-window", {"Workbox"}, set()),
    ("npm", "workbox", set(), {"Workbox"}),
    ("npm", "@visx/shape", {"visx"}, set()),
    ("npm", "visx", set(), {"visx"}),
    ("npm", "@upstash/ratelimit", {"Upstash Ratelimit"}, {"Redis"}),
    ("npm", "@upstash/redis", {"Upstash Redis", "Redis"}, set()),
    ("npm", "svix", {"Svix"}, set()),
    ("npm", "svix-react", set(), {"Svix"}),
    ("npm", "ioredis", {"ioredis", "Redis"}, set()),
    ("npm", "ioredis-mock", set(), {"ioredis", "Redis"}),
    ("npm", "vue-router", {"Vue Router", "Vue"}, set()),
    ("npm", "helmet", {"Helmet"}, set()),
    ("npm", "react-helmet", set(), {"Helmet"}),
    ("npm", "joi", {"Joi"}, set()),
    ("npm", "@strapi/strapi", {"Strapi"}, set()),
    ("npm", "strapi-sdk-js", set(), {"Strapi"}),
    ("npm", "i18next", {"i18next"}, set()),
    ("npm", "@boxyhq/saml-jackson", {"SAML Jackson"}, {"Jackson"}),
    # --- Ruby
    ("gem", "http", {"http.rb"}, set()),
    ("gem", "http-cookie", set(), {"http.rb"}),
    ("gem", "rack", {"Rack"}, set()),
    ("gem", "rack-test", set(), {"Rack"}),
    ("gem", "rack-attack", {"Rack::Attack"}, {"Rack"}),
    ("gem", "dalli", {"Dalli", "Memcached"}, set()),
    ("gem", "searchkick", {"Searchkick", "Elasticsearch"}, set()),
    ("gem", "doorkeeper-openid_connect", {"Doorkeeper OpenID Connect", "Doorkeeper",
                                          "OpenID Connect"}, set()),
    ("gem", "doorkeeper", {"Doorkeeper"}, {"OpenID Connect"}),
    ("gem", "slim", {"Slim templates"}, {"Slim"}),
    # --- Elixir
    ("hex", "req", {"Req"}, set()),
    ("hex", "jason", {"Jason"}, set()),
    ("hex", "postgrex", {"Postgrex", "PostgreSQL"}, set()),
    ("hex", "nx", {"Elixir Nx"}, {"Nx"}),
    ("hex", "phoenix_swagger", {"PhoenixSwagger", "OpenAPI"}, set()),
    # --- Rust
    ("crate", "serde", {"serde"}, set()),
    ("crate", "serde_with", set(), {"serde"}),
    ("crate", "eyre", {"eyre"}, set()),
    ("crate", "color-eyre", {"eyre"}, set()),
    ("crate", "tree-sitter", {"tree-sitter"}, set()),
    ("crate", "tree-sitter-rust", set(), {"tree-sitter"}),
    ("crate", "image", {"image-rs"}, {"Image"}),
    ("crate", "wiremock", {"WireMock"}, set()),
    # --- Python
    ("pypi", "time-machine", set(), {"freezegun"}),  # a sibling, not freezegun
    ("pypi", "ray", {"Ray"}, set()),
    ("pypi", "docker", {"Docker SDK for Python"}, {"Docker"}),
    ("pypi", "kubernetes", {"Kubernetes Python Client"}, {"Kubernetes"}),
    ("pypi", "falcon", {"Falcon Framework"}, {"Falcon"}),
    ("pypi", "bandit", {"PyCQA Bandit"}, {"Bandit"}),
    ("pypi", "django-filter", {"django-filter", "Django"}, set()),
    ("pypi", "django-filters", set(), {"django-filter"}),
    ("pypi", "django-redis", {"django-redis", "Redis"}, set()),
    ("pypi", "redis", {"Redis"}, {"django-redis"}),
    # --- JVM
    ("maven", "com.fasterxml.jackson.core:jackson-databind", {"Jackson"}, set()),
    ("maven", "com.fasterxml.jackson.module:jackson-module-kotlin", {"Jackson"}, set()),
    ("maven", "com.fasterxml:classmate", set(), {"Jackson"}),
    ("maven", "io.quarkus:quarkus-jackson", {"Jackson", "Quarkus"}, set()),
    ("maven", "io.quarkus:quarkus-picocli", {"Picocli", "Quarkus"}, set()),
    ("maven", "io.quarkus:quarkus-smallrye-jwt", {"SmallRye JWT", "Quarkus"}, set()),
    ("maven", "io.quarkus:quarkus-kubernetes-client", {"Fabric8 Kubernetes Client", "Quarkus"},
     set()),
    ("maven", "io.fabric8:kubernetes-client", {"Fabric8 Kubernetes Client"}, set()),
    ("maven", "io.fabric8:docker-maven-plugin", set(), {"Fabric8 Kubernetes Client"}),
    ("maven", "org.eclipse.jgit:org.eclipse.jgit", {"JGit", "Git"}, set()),
    ("maven", "io.smallrye:smallrye-open-api-core", set(), {"SmallRye JWT"}),
    ("maven", "com.alibaba.cloud:spring-cloud-starter-alibaba-nacos-discovery",
     {"Spring Cloud Alibaba"}, {"Nacos"}),
    ("maven", "org.hibernate.validator:hibernate-validator", {"Hibernate Validator"},
     {"Hibernate ORM"}),
    ("maven", "org.springframework.kafka:spring-kafka", {"Spring for Apache Kafka", "Kafka"},
     set()),
    ("maven", "org.apache.kafka:kafka-clients", {"Kafka"}, {"Spring for Apache Kafka"}),
    ("maven", "com.google.dagger:dagger", {"Dagger DI"}, {"Dagger"}),
    # --- Go: every major version of a module, and nothing beside it
    ("go", "github.com/redis/go-redis/v9", {"go-redis", "Redis"}, set()),
    ("go", "github.com/redis/rueidis", {"Redis"}, {"go-redis"}),
    ("go", "github.com/go-playground/validator/v10", {"go-playground/validator"}, set()),
    ("go", "github.com/spf13/cobra", {"Cobra"}, set()),
    ("go", "github.com/spf13/cobra-cli", set(), {"Cobra"}),
    # --- .NET: prefixes stop at the owner's dot
    ("nuget", "Newtonsoft.Json", {"Newtonsoft.Json"}, set()),
    ("nuget", "Newtonsoft.Json.Bson", set(), {"Newtonsoft.Json"}),
    ("nuget", "System.Text.Json", {"System.Text.Json", ".NET"}, set()),
    ("nuget", "SkiaSharp.NativeAssets.Linux", {"SkiaSharp"}, set()),
    ("nuget", "SkiaSharpX", set(), {"SkiaSharp"}),
    ("nuget", "Akka.Cluster", {"Akka.NET"}, set()),
    ("nuget", "AkkaNet.Extras", set(), {"Akka.NET"}),
    ("nuget", "Microsoft.Extensions.DependencyInjection.Abstractions",
     {"Microsoft.Extensions.DependencyInjection"}, set()),
    ("nuget", "Microsoft.Extensions.Hosting", {".NET"},
     {"Microsoft.Extensions.DependencyInjection"}),
    ("nuget", "Dapper", {"Dapper"}, {"Dapr"}),
    # --- PHP
    ("composer", "brick/math", set(), {"Brick Money"}),  # a sibling, not Brick Money
    ("composer", "predis/predis", {"Predis", "Redis"}, set()),
    ("composer", "intervention/image", {"Intervention Image"}, set()),
    ("composer", "laravel/envoy", {"Laravel Envoy"}, {"Envoy"}),
]


@pytest.mark.parametrize(("source", "ident", "wanted", "unwanted"), ROWS,
                         ids=[f"{row[0]}:{row[1]}" for row in ROWS])
def test_id_names_exactly_what_it_should(
    source: str, ident: str, wanted: set[str], unwanted: set[str]
) -> None:
    check_names(source, ident, wanted, unwanted)
