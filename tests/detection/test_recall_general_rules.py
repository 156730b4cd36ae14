"""General rules added to raise recall, each with the look-alikes it must not claim.

Every row is a small tree written to ``tmp_path`` and discovered as a whole, so a row holds
through the real detectors and the shipped catalog: ``expected`` must all be named, and
``absent`` (the look-alike's would-be technology) must not be. Prefix keys and short names
get a look-alike row of their own.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from backend_persona.discover import discover_context
from tests.conftest import Tree, write_tree
from tests.manifest_trees import (
    cargo,
    check_tree,
    composer,
    csproj,
    gemfile,
    gomod,
    gradle,
    mix,
    npm,
    requirements,
)


def lock_file(direct: str, transitive: str) -> Tree:
    packages = {direct: {"type": "Direct", "requested": "[1.9.0, )", "resolved": "1.9.0"},
                transitive: {"type": "Transitive", "resolved": "8.0.0"}}
    return {"src/Api/packages.lock.json": json.dumps(
        {"version": 1, "dependencies": {"net8.0": packages}}, indent=2),
        **csproj("Microsoft.Extensions.Logging")}


def props(name: str, *packages: str, condition: str = "") -> Tree:
    refs = "".join(f'    <PackageReference Include="{p}" Version="1.0.0" />\n' for p in packages)
    group = f' Condition="{condition}"' if condition else ""
    return {f"src/{name}": f"<Project>\n  <ItemGroup{group}>\n{refs}  </ItemGroup>\n</Project>\n",
            **csproj()}


KNATIVE_SERVICE = "apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata:\n  name: a\n"
GEMSPEC = ('Gem::Specification.new do |spec|\n  spec.name = "svix"\n'
           '  spec.add_dependency "faraday", "~> 2.0"\n'
           '  spec.add_development_dependency "rspec", "~> 3.2"\nend\n')
LARAVEL_TREE: Tree = {**composer("laravel/framework"),
                      "database/migrations/2014_10_12_000000_create_users_table.php": "<?php\n"}
PYPROJECT_HATCH = ('[build-system]\nrequires = ["hatchling>=1.27"]\n'
                   'build-backend = "hatchling.build"\n\n[project]\nname = "svc"\n')
CUSTOM_RESOURCE = "apiVersion: plugin.example.run/v1alpha1\nkind: Plugin\nmetadata:\n  name: a\n"
CONFIG_MAP = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n"
EF_TREE: Tree = {
    **csproj("Microsoft.EntityFrameworkCore.Design"),
    "src/Api/Migrations/20240101120000_Init.cs": "public partial class Init {}\n",
    "src/Api/Migrations/20240101120000_Init.Designer.cs": "partial class Init {}\n",
    "src/Api/Migrations/AppDbContextModelSnapshot.cs": "class Snapshot {}\n",
}

# (row id, tree, technologies that must be named, technologies that must not be)
ROWS: list[tuple[str, Tree, set[str], set[str]]] = [
    # --- JVM ---------------------------------------------------------------------------
    ("webflux-starter", gradle("org.springframework.boot:spring-boot-starter-webflux"),
     {"Spring WebFlux", "Project Reactor", "Spring Boot"}, set()),
    ("webflux-module", gradle("org.springframework:spring-webflux"),
     {"Spring WebFlux", "Project Reactor"}, {"Spring Boot"}),
    ("reactor-core", gradle("io.projectreactor:reactor-core"), {"Project Reactor"}, set()),
    ("reactor-netty-is-not-reactor", gradle("io.projectreactor.netty:reactor-netty"),
     set(), {"Project Reactor"}),
    ("pf4j", gradle("org.pf4j:pf4j"), {"PF4J"}, set()),
    ("caffeine", gradle("com.github.ben-manes.caffeine:caffeine"), {"Caffeine"}, set()),
    ("ben-manes-plugin-is-not-caffeine", gradle("com.github.ben-manes:gradle-versions-plugin"),
     set(), {"Caffeine"}),
    ("lucene", gradle("org.apache.lucene:lucene-core"), {"Apache Lucene"}, set()),
    ("solr-is-not-lucene", gradle("org.apache.solr:solr-solrj"), set(), {"Apache Lucene"}),
    ("spring-oauth2-client", gradle("org.springframework.security:spring-security-oauth2-client"),
     {"Spring Security OAuth2", "Spring Security", "OAuth 2.0"}, set()),
    ("spring-security-core-is-not-oauth",
     gradle("org.springframework.security:spring-security-core"),
     {"Spring Security"}, {"OAuth 2.0"}),
    ("junit-platform", gradle("org.junit.platform:junit-platform-launcher"), {"JUnit"}, set()),
    ("r2dbc-mysql", gradle("io.asyncer:r2dbc-mysql"), {"r2dbc-mysql", "R2DBC", "MySQL"}, set()),
    ("r2dbc-mariadb", gradle("org.mariadb:r2dbc-mariadb"),
     {"r2dbc-mariadb", "R2DBC", "MariaDB"}, {"MySQL"}),
    ("r2dbc-migrate",
     gradle("name.nkonev.r2dbc-migrate:r2dbc-migrate-spring-boot-starter"),
     {"r2dbc-migrate"}, set()),
    ("lombok", gradle("org.projectlombok:lombok"), {"Lombok"}, set()),
    # --- .NET --------------------------------------------------------------------------
    ("packages-props-references", props("Directory.Packages.props", "MediatR", "Autofac"),
     {"MediatR", "Autofac"}, set()),
    ("build-props-references", props("Directory.Build.props", "Serilog.AspNetCore"),
     {"Serilog"}, set()),
    ("other-props-is-no-manifest", props("Versions.props", "MediatR"), set(), {"MediatR"}),
    ("nuget-ids-compare-without-case", csproj("nunit", "fluentvalidation"),
     {"NUnit", "FluentValidation"}, set()),
    # --- npm packages republished as jars --------------------------------------------
    ("mvnpm-package", gradle("org.mvnpm:lit:3.1.0"), {"Lit"}, set()),
    ("mvnpm-scoped-package", gradle("org.mvnpm.at.vaadin:grid:24.0.0"),
     {"Vaadin Web Components"}, set()),
    ("webjars-npm-package", gradle("org.webjars.npm:lit:3.1.0"), {"Lit"}, set()),
    ("webjars-npm-scoped-package", gradle("org.webjars.npm:vaadin__router:1.7.5"),
     {"Vaadin Router"}, {"Vaadin Web Components"}),
    ("mvnpm-own-tools-are-no-npm-package", gradle("io.mvnpm:importmap:1.0.0"), set(), {"Lit"}),
    # --- npm ---------------------------------------------------------------------------
    ("tabler", npm("@tabler/core"), {"Tabler"}, set()),
    ("tabler-icons-are-not-tabler", npm("@tabler/icons"), set(), {"Tabler"}),
    ("codemirror", npm("@codemirror/view"), {"CodeMirror"}, set()),
    ("graphiql", npm("graphiql"), {"GraphiQL"}, set()),
    ("tinymce", npm("tinymce"), {"TinyMCE"}, set()),
    ("mjml", npm("mjml"), {"MJML"}, set()),
    ("openai", npm("openai"), {"OpenAI"}, set()),
    ("logtail", npm("@logtail/node"), {"Logtail"}, set()),
    # --- Python ------------------------------------------------------------------------
    ("strawberry", requirements("strawberry-graphql"), {"Strawberry GraphQL", "GraphQL"}, set()),
    ("graphene-is-not-strawberry", requirements("graphene"), {"GraphQL"}, {"Strawberry GraphQL"}),
    ("django-auth-ldap", requirements("django-auth-ldap"), {"LDAP"}, set()),
    ("python3-saml", requirements("python3-saml"), {"SAML"}, set()),
    # --- PHP ---------------------------------------------------------------------------
    ("php-saml", composer("onelogin/php-saml"), {"SAML"}, set()),
    ("ext-ldap", composer("ext-ldap"), {"LDAP"}, set()),
    ("other-extension-is-not-ldap", composer("ext-mbstring"), set(), {"LDAP"}),
    ("google2fa", composer("pragmarx/google2fa"), {"Google2FA"}, set()),
    ("google2fa-laravel", composer("pragmarx/google2fa-laravel"), {"Google2FA"}, set()),
    ("pragmarx-other-is-not-google2fa", composer("pragmarx/countries"), set(), {"Google2FA"}),
    ("league-oauth2", composer("league/oauth2-client"), {"OAuth 2.0"}, set()),
    ("laravel-migrations", LARAVEL_TREE, {"Laravel migrations", "Laravel"}, set()),
    ("migration-outside-database-folder",
     {**composer("laravel/framework"), "app/migrations/2014_10_12_000000_x.php": "<?php\n"},
     {"Laravel"}, {"Laravel migrations"}),
    # --- Ruby --------------------------------------------------------------------------
    ("sidekiq-cron", gemfile("sidekiq-cron"), {"sidekiq-cron", "Sidekiq"}, set()),
    ("sidekiq-scheduler-stays-sidekiq", gemfile("sidekiq-scheduler"),
     {"Sidekiq"}, {"sidekiq-cron"}),
    ("jbuilder", gemfile("jbuilder"), {"Jbuilder"}, set()),
    ("logtail-rails", gemfile("logtail-rails"), {"Logtail"}, set()),
    ("plaid", gemfile("plaid"), {"Plaid"}, set()),
    ("ruby-openai", gemfile("ruby-openai"), {"OpenAI"}, set()),
    # Ruby's Mocha (a mocking library) and JavaScript's (a test runner) share the name.
    ("ruby-mocha", gemfile("mocha"), {"Mocha"}, set()),
    # --- Rust --------------------------------------------------------------------------
    ("deno-core", cargo("deno_core"), {"Deno"}, set()),
    ("tower", cargo("tower", "tower-http"), {"Tower"}, set()),
    ("tower-lsp-is-not-tower", cargo("tower-lsp"), set(), {"Tower"}),
    ("jwt-simple", cargo("jwt-simple"), {"JWT"}, set()),
    # --- .NET --------------------------------------------------------------------------
    ("azure-tables", csproj("Azure.Data.Tables"), {"Azure Table Storage", "Azure SDK"}, set()),
    ("azure-queues", csproj("Azure.Storage.Queues"), {"Azure Queue Storage", "Azure SDK"}, set()),
    ("azure-blobs-are-not-queues", csproj("Azure.Storage.Blobs"),
     {"Azure Blob Storage"}, {"Azure Queue Storage"}),
    ("notification-hubs", csproj("Microsoft.Azure.NotificationHubs"),
     {"Azure Notification Hubs", "Azure SDK"}, set()),
    ("sustainsys", csproj("Sustainsys.Saml2.AspNetCore2"), {"SAML"}, set()),
    ("ef-sqlite", csproj("Microsoft.EntityFrameworkCore.Sqlite"), {"EF Core", "SQLite"}, set()),
    ("ef-sqlserver-is-not-sqlite", csproj("Microsoft.EntityFrameworkCore.SqlServer"),
     {"EF Core"}, {"SQLite"}),
    ("health-checks", csproj("AspNetCore.HealthChecks.SqlServer"),
     {"ASP.NET Core Health Checks"}, set()),
    ("rate-limit-is-not-health-checks", csproj("AspNetCoreRateLimit"),
     set(), {"ASP.NET Core Health Checks"}),
    ("identity-stores", csproj("Microsoft.Extensions.Identity.Stores"),
     {"ASP.NET Core Identity"}, set()),
    ("ef-core-migrations", EF_TREE, {"EF Core Migrations", "EF Core"}, set()),
    ("ef-design-alone-is-not-migrations", csproj("Microsoft.EntityFrameworkCore.Design"),
     {"EF Core"}, {"EF Core Migrations"}),
    # --- Build tools that their own manifests prove -----------------------------------
    ("cargo", cargo("serde"), {"Cargo"}, set()),
    ("bundler", gemfile("rails"), {"Bundler"}, set()),
    ("composer", composer("laravel/framework"), {"Composer"}, set()),
    ("mix", {"mix.exs": "defmodule App.MixProject do\nend\n"}, {"Mix", "Erlang/OTP"}, set()),
    ("rebar3-is-erlang-not-mix", {"rebar.config": "{deps, []}.\n"}, {"Erlang/OTP"}, {"Mix"}),
    ("nuget-central-packages", {"Directory.Packages.props": "<Project />\n"}, {"NuGet"}, set()),
    ("nuget-lock-file", {"src/Api/packages.lock.json": "{}\n"}, {"NuGet"}, set()),
    ("make", {"Makefile": "all:\n\ttrue\n"}, {"Make"}, set()),
    ("automake-input-is-not-make", {"Makefile.am": "SUBDIRS = src\n"}, set(), {"Make"}),
    ("hatchling-build-backend", {"pyproject.toml": PYPROJECT_HATCH}, {"Hatch"}, set()),
    ("setuptools-build-backend-is-not-hatch",
     {"pyproject.toml": PYPROJECT_HATCH.replace("hatchling>=1.27", "setuptools>=61")},
     set(), {"Hatch"}),
    # --- Framework subsystems that their standard files prove ---------------------------
    ("rails-migrations", {"db/migrate/20240101000000_create_users.rb": "class CreateUsers\nend\n"},
     {"Active Record Migrations", "Active Record"}, set()),
    ("rails-seeds-are-not-migrations", {"db/seeds.rb": "User.create!\n"},
     set(), {"Active Record Migrations"}),
    ("django-migrations", {"shop/migrations/0001_initial.py": "from django.db import migrations\n"},
     {"Django migrations", "Django ORM", "Django"}, set()),
    ("migrations-helper-is-not-django", {"shop/migrations/helpers.py": "X = 1\n"},
     set(), {"Django migrations", "Django ORM"}),
    # MIGRATION_MODULES may move them: DefectDojo keeps its own in dojo/db_migrations/.
    ("django-test-case-in-tests-underscore-file",
     {"app/tests/tests_views.py": "from django.test import TestCase, tag\n"},
     {"Django test framework"}, set()),
    ("drf-api-test-case", {"api/tests.py": "from rest_framework.test import APITestCase\n"},
     {"Django test framework"}, set()),
    ("pgjdbc-driver", gradle("org.postgresql:postgresql:42.7.4"), {"pgjdbc", "PostgreSQL"}, set()),
    ("r2dbc-postgresql-is-no-jdbc", gradle("org.postgresql:r2dbc-postgresql:1.0.0"),
     {"PostgreSQL"}, {"pgjdbc"}),
    ("mysql-connector-j", gradle("com.mysql:mysql-connector-j:9.0.0"),
     {"MySQL Connector/J", "MySQL"}, set()),
    ("sqlite-jdbc", gradle("org.xerial:sqlite-jdbc:3.46.0"), {"sqlite-jdbc", "SQLite"}, set()),
    ("microsoft-data-sqlite", csproj("Microsoft.Data.Sqlite"), {"Microsoft.Data.Sqlite", "SQLite"},
     set()),
    ("mongodb-csharp-driver", csproj("MongoDB.Driver"), {"MongoDB.Driver", "MongoDB"}, set()),
    ("go-sqlite3", gomod("github.com/mattn/go-sqlite3"), {"mattn/go-sqlite3", "SQLite"}, set()),
    ("modernc-sqlite-is-no-go-sqlite3", gomod("modernc.org/sqlite"), {"SQLite"},
     {"mattn/go-sqlite3"}),
    ("tokio-postgres", cargo("tokio-postgres"), {"tokio-postgres", "PostgreSQL"}, set()),
    ("micrometer-prometheus-registry", gradle("io.micrometer:micrometer-registry-prometheus"),
     {"Micrometer", "Prometheus"}, set()),
    ("micrometer-other-registry-is-no-prometheus", gradle("io.micrometer:micrometer-registry-otlp"),
     {"Micrometer"}, {"Prometheus"}),
    ("quarkus-prometheus-registry",
     gradle("io.quarkus:quarkus-micrometer-registry-prometheus"),
     {"Quarkus", "Micrometer", "Prometheus"}, set()),
    ("quarkus-hibernate-search", gradle("io.quarkus:quarkus-hibernate-search-orm-elasticsearch"),
     {"Quarkus", "Hibernate Search", "Elasticsearch"}, set()),
    ("springdoc-ui-is-swagger-ui",
     gradle("org.springdoc:springdoc-openapi-starter-webmvc-ui:2.6.0"),
     {"springdoc-openapi", "Swagger UI", "OpenAPI"}, set()),
    ("springdoc-api-alone-is-no-swagger-ui",
     gradle("org.springdoc:springdoc-openapi-starter-webmvc-api:2.6.0"),
     {"springdoc-openapi"}, {"Swagger UI"}),
    ("utoipa-swagger-ui", cargo("utoipa", "utoipa-swagger-ui"), {"utoipa", "Swagger UI"}, set()),
    ("quarkus-swagger-ui", gradle("io.quarkus:quarkus-swagger-ui"), {"Quarkus", "Swagger UI"},
     set()),
    ("spring-security-test", gradle("org.springframework.security:spring-security-test"),
     {"Spring Security Test", "Spring Security"}, set()),
    ("kiota-builder-is-no-openapi-net", csproj("Microsoft.OpenApi.Kiota.Builder"),
     {"Kiota"}, {"OpenAPI.NET"}),
    ("web-api-client-is-no-web-api", csproj("Microsoft.AspNet.WebApi.Client"),
     set(), {"ASP.NET Web API"}),
    ("web-api-core", csproj("Microsoft.AspNet.WebApi.Core"), {"ASP.NET Web API"}, set()),
    ("nuxt-config-is-nuxt-not-nuxt-ui", {"frontend/nuxt.config.js": "export default {}\n"},
     {"Nuxt"}, {"Nuxt UI"}),
    ("nuxt-ui-package", npm("@nuxt/ui"), {"Nuxt UI", "Vue"}, {"Nuxt"}),
    ("preact-signals-for-react", npm("@preact/signals-react", "react"), {"Preact Signals"},
     {"Preact"}),
    ("vercel-ncc-is-no-vercel", npm("@vercel/ncc"), {"ncc"}, {"Vercel"}),
    ("vercel-analytics-is-vercel", npm("@vercel/analytics"), {"Vercel"}, set()),
    ("remark-parse-is-no-unified", npm("react-markdown", "remark-parse"), set(), {"unified"}),
    ("unified-itself", npm("unified"), {"unified"}, set()),
    ("prettierignore-alone-is-no-prettier", {".prettierignore": "dist\n"}, set(), {"Prettier"}),
    ("datasource-micrometer-is-no-datasource-proxy",
     gradle("net.ttddyy.observation:datasource-micrometer-spring-boot:1.0.5"),
     set(), {"datasource-proxy"}),
    ("mysqlclient-driver", requirements("mysqlclient"), {"mysqlclient", "MySQL"}, set()),
    ("pymysql-driver", requirements("PyMySQL"), {"PyMySQL", "MySQL"}, {"mysqlclient"}),
    ("cargo-integration-tests", {**cargo("serde"), "tests/api.rs": "#[test]\nfn ok() {}\n"},
     {"cargo test"}, set()),
    ("rust-file-outside-tests-is-no-cargo-test", {**cargo("serde"), "src/tests.rs": "fn x() {}\n"},
     set(), {"cargo test"}),
    ("django-auth-installed-app",
     {"shop/settings.py": "INSTALLED_APPS = [\n    'django.contrib.admin',\n"
                          "    'django.contrib.auth',\n]\n"},
     {"Django authentication"}, set()),
    ("django-auth-middleware-alone-is-no-installed-app",
     {"shop/settings.py":
      "MIDDLEWARE = ['django.contrib.auth.middleware.AuthenticationMiddleware']\n"},
     set(), {"Django authentication"}),
    ("spring-cloud-oauth2-starter", gradle("org.springframework.cloud:spring-cloud-starter-oauth2"),
     {"Spring Security OAuth2", "Spring Security", "OAuth 2.0"}, set()),
    ("django-migrations-in-a-renamed-folder",
     {"dojo/db_migrations/0001_initial.py": "from django.db import migrations\n"},
     {"Django migrations", "Django ORM"}, set()),
    ("numbered-file-outside-a-migrations-folder-is-not-django",
     {"dojo/steps/0001_initial.py": "X = 1\n"}, set(), {"Django migrations", "Django ORM"}),
    # cookiecutter-django's layout: one file per environment in a requirements/ folder.
    ("requirements-folder", {"requirements/base.txt": "django==5.2\n",
                             "requirements/production.txt": "-r base.txt\ngunicorn==23.0\n"},
     {"Django", "Gunicorn"}, set()),
    ("txt-in-another-folder-is-no-requirements", {"docs/notes.txt": "gunicorn==23.0\n"},
     set(), {"Gunicorn"}),
    ("ecto-migrations",
     {"priv/repo/migrations/20240101000000_add_users.exs": "defmodule M do\nend\n"},
     {"Ecto migrations", "Ecto"}, set()),
    ("active-job", {"web/app/jobs/application_job.rb": "class ApplicationJob\nend\n"},
     {"Active Job"}, set()),
    ("other-job-is-not-active-job", {"app/jobs/cleanup.rb": "class Cleanup\nend\n"},
     set(), {"Active Job"}),
    # `rails new` writes config/cable.yml into every app; it stays when the app turns the
    # engine off (`# require "action_cable/engine"`), so it alone proves no channel.
    ("action-cable-config-alone-is-not-action-cable",
     {"config/cable.yml": "production:\n  adapter: redis\n"}, set(), {"Action Cable"}),
    ("action-cable-connection",
     {"app/channels/application_cable/connection.rb": "module ApplicationCable\nend\n"},
     {"Action Cable"}, set()),
    ("cable-yml-outside-config-is-not-action-cable", {"deploy/cable.yml": "a: 1\n"},
     set(), {"Action Cable"}),
    ("active-storage", {"config/storage.yml": "local:\n  service: Disk\n"},
     {"Active Storage"}, set()),
    ("storage-yml-at-root-is-not-active-storage", {"storage.yml": "a: 1\n"},
     set(), {"Active Storage"}),
    ("minitest-helper", {"test/test_helper.rb": 'require "rails/test_help"\n'},
     {"Minitest"}, set()),
    ("rspec-helper-is-not-minitest", {"spec/spec_helper.rb": "RSpec.configure\n"},
     set(), {"Minitest"}),
    ("exunit-helper", {"test/test_helper.exs": "ExUnit.start()\n"}, {"ExUnit"}, set()),
    ("eloquent-factories",
     {"database/factories/Entities/BookFactory.php": "<?php\nclass BookFactory {}\n"},
     {"Eloquent"}, set()),
    ("factory-outside-database-is-not-eloquent",
     {"src/Factory/BookFactory.php": "<?php\n", "database/factories/book.ts": "x\n"},
     set(), {"Eloquent"}),
    ("laravel-jobs", {"app/Jobs/SendInvoice.php": "<?php\n"}, {"Laravel Queues"}, set()),
    ("rails-jobs-are-not-laravel", {"app/jobs/send_invoice_job.rb": "class X\nend\n"},
     set(), {"Laravel Queues"}),
    ("blade-views", {"resources/views/welcome.blade.php": "<html></html>\n"},
     {"Blade", "Laravel"}, set()),
    ("plain-php-view-is-not-blade", {"resources/views/welcome.php": "<html></html>\n"},
     set(), {"Blade"}),
    ("razor-views", {"src/Admin/Views/Home/Index.cshtml": "<p></p>\n"},
     {"Razor", "ASP.NET Core"}, set()),
    ("stimulus-rails", gemfile("stimulus-rails"), {"Stimulus"}, {"Hotwire"}),
    ("turbo-rails-is-not-stimulus", gemfile("turbo-rails"), {"Hotwire"}, {"Stimulus"}),
    ("hotwired-stimulus", npm("@hotwired/stimulus"), {"Stimulus"}, {"Hotwire"}),
    ("hotwired-turbo", npm("@hotwired/turbo"), {"Hotwire"}, {"Stimulus"}),
    # --- Python drivers and servers -------------------------------------------------------
    # psycopg 2 is a driver named for itself, as psycopg 3 is.
    ("psycopg2", requirements("psycopg2-binary"), {"psycopg2", "PostgreSQL"}, {"psycopg"}),
    ("psycopg", requirements("psycopg[binary]"), {"psycopg", "PostgreSQL"}, {"psycopg2"}),
    ("asyncpg-is-not-psycopg", requirements("asyncpg"), {"PostgreSQL"}, {"psycopg"}),
    ("gunicorn", requirements("gunicorn"), {"Gunicorn"}, set()),
    # --- Delivery and CI that only some files prove ---------------------------------------
    ("custom-resources-alone-are-not-kubernetes",
     {"app/extensions/plugin.yaml": CUSTOM_RESOURCE,
      "app/extensions/core-lookalike.yaml": CUSTOM_RESOURCE.replace(
          "plugin.example.run/v1alpha1", "v1")},
     set(), {"Kubernetes"}),
    ("custom-resources-beside-a-config-map-are-kubernetes",
     {"deploy/plugin.yaml": CUSTOM_RESOURCE, "deploy/config.yaml": CONFIG_MAP},
     {"Kubernetes"}, set()),
    ("travis-at-the-root", {".travis.yml": "language: go\n"}, {"Travis CI"}, set()),
    ("generated-client-travis-is-not-ci", {"sdk/client-go/.travis.yml": "language: go\n"},
     set(), {"Travis CI"}),
    ("auth0-jwt-middleware-is-jwt-not-auth0",
     {"go.mod": "module x\n\ngo 1.22\n\nrequire github.com/auth0/go-jwt-middleware/v2 v2.3.0\n"},
     {"JWT"}, {"Auth0"}),
    # --- Quarkus extensions and the technologies they are -------------------------------
    ("quarkus-rest", gradle("io.quarkus:quarkus-rest-jackson"), {"REST", "Quarkus"}, set()),
    ("quarkus-rest-client-is-not-rest", gradle("io.quarkus:quarkus-rest-client-jackson"),
     {"Quarkus REST Client"}, {"REST"}),
    ("jakarta-rest", gradle("jakarta.ws.rs:jakarta.ws.rs-api"), {"REST"}, set()),
    ("spring-mvc-proves-no-style", gradle("org.springframework.boot:spring-boot-starter-web"),
     set(), {"REST"}),
    ("django-rest-framework", requirements("djangorestframework"),
     {"Django REST framework", "REST"}, set()),
    ("hibernate-reactive-panache", gradle("io.quarkus:quarkus-hibernate-reactive-panache"),
     {"Hibernate Reactive", "Hibernate ORM", "Quarkus"}, set()),
    ("mongodb-panache", gradle("io.quarkus:quarkus-mongodb-panache"),
     {"MongoDB with Panache", "MongoDB", "Quarkus"}, set()),
    ("mongodb-client-is-not-panache", gradle("io.quarkus:quarkus-mongodb-client"),
     {"MongoDB", "Quarkus"}, {"MongoDB with Panache"}),
    ("quarkus-opentelemetry", gradle("io.quarkus:quarkus-opentelemetry"),
     {"OpenTelemetry", "Quarkus"}, set()),
    ("quarkus-micrometer", gradle("io.quarkus:quarkus-micrometer-opentelemetry"),
     {"Micrometer", "Quarkus"}, set()),
    ("smallrye-health", gradle("io.quarkus:quarkus-smallrye-health"),
     {"SmallRye Health", "Quarkus"}, set()),
    ("quarkus-junit-mockito", gradle("io.quarkus:quarkus-junit-mockito"),
     {"Mockito", "Quarkus"}, set()),
    ("quarkus-openshift", gradle("io.quarkus:quarkus-openshift"),
     {"OpenShift", "Kubernetes", "Quarkus"}, set()),
    ("quarkus-websockets-next", gradle("io.quarkus:quarkus-websockets-next"),
     {"Quarkus WebSockets", "WebSockets"}, set()),
    ("quarkiverse-pact", gradle("io.quarkiverse.pact:quarkus-pact-provider"), {"Pact"}, set()),
    ("quarkiverse-playwright", gradle("io.quarkiverse.playwright:quarkus-playwright"),
     {"Playwright"}, set()),
    ("microcks", gradle("io.github.microcks.quarkus:quarkus-microcks"), {"Microcks"}, set()),
    ("quinoa", gradle("io.quarkiverse.quinoa:quarkus-quinoa"), {"Quinoa"}, set()),
    ("langchain4j-openai", gradle("io.quarkiverse.langchain4j:quarkus-langchain4j-openai"),
     {"LangChain4j", "OpenAI"}, set()),
    ("langchain4j-core-is-not-openai", gradle("dev.langchain4j:langchain4j-core"),
     {"LangChain4j"}, {"OpenAI"}),
    ("graalvm-native-maven-plugin", gradle("org.graalvm.buildtools:native-maven-plugin"),
     {"GraalVM Native Image"}, set()),
    ("quarkus-native-dockerfile", {"src/main/docker/Dockerfile.native": "FROM ubi-minimal\n"},
     {"GraalVM Native Image", "Docker"}, set()),
    # --- Spring --------------------------------------------------------------------------
    ("spring-boot-test", gradle("org.springframework.boot:spring-boot-starter-test"),
     {"Spring Boot Test", "JUnit", "Spring Boot"}, set()),
    ("spring-web-is-not-spring-boot-test",
     gradle("org.springframework.boot:spring-boot-starter-web"), set(), {"Spring Boot Test"}),
    ("spring-messaging-is-no-websocket", gradle("org.springframework:spring-messaging"),
     set(), {"Spring WebSocket", "WebSockets"}),
    ("springdoc-writes-openapi", gradle("org.springdoc:springdoc-openapi-starter-webmvc-ui"),
     {"springdoc-openapi", "OpenAPI"}, set()),
    # --- WebSocket libraries name the protocol --------------------------------------------
    ("ws", npm("ws"), {"ws", "WebSockets"}, set()),
    ("graphql-ws", npm("subscriptions-transport-ws"), {"graphql-ws", "GraphQL", "WebSockets"},
     set()),
    ("gorilla-websocket", gomod("github.com/gorilla/websocket"), {"WebSockets"}, set()),
    ("socket-io-is-its-own-protocol", npm("socket.io"), set(), {"WebSockets"}),
    # --- Go --------------------------------------------------------------------------------
    ("cobra", gomod("github.com/spf13/cobra"), {"Cobra"}, set()),
    ("ory-pop", gomod("github.com/ory/pop/v6"), {"Pop"}, set()),
    ("gobuffalo-pop", gomod("github.com/gobuffalo/pop/v6"), {"Pop"}, set()),
    ("gobuffalo-packr-is-not-pop", gomod("github.com/gobuffalo/packr/v2"), set(), {"Pop"}),
    ("x-oauth2", gomod("golang.org/x/oauth2"), {"OAuth 2.0"}, set()),
    ("pquerna-otp", gomod("github.com/pquerna/otp"), {"TOTP"}, set()),
    ("dockertest-v4", gomod("github.com/ory/dockertest/v4"), {"dockertest"}, set()),
    ("go-oidc", gomod("github.com/coreos/go-oidc/v3"), {"go-oidc", "OpenID Connect"}, set()),
    ("go-test-files", {"pkg/a/a_test.go": "package a\n"}, {"Go testing"}, set()),
    ("go-files-without-tests", {"pkg/a/a.go": "package a\n", "pkg/a/testing.go": "package a\n"},
     set(), {"Go testing"}),
    ("pop-migrations",
     {"migrations/20150100000001000000_networks.postgres.up.sql": "create table n();\n"},
     {"Pop migrations", "Pop"}, set()),
    ("golang-migrate-is-not-pop",
     {"db/migrations/000001_init.up.sql": "create table n();\n"}, set(), {"Pop migrations"}),
    # --- Elixir ----------------------------------------------------------------------------
    ("plug", mix("plug"), {"Plug"}, set()),
    ("plug-attack-is-not-plug", mix("plug_attack"), set(), {"Plug"}),
    ("telemetry", mix("telemetry_metrics", "telemetry_poller"), {"Telemetry"}, set()),
    ("oidcc", mix("oidcc"), {"OpenID Connect"}, set()),
    # --- Rust ------------------------------------------------------------------------------
    ("ldap3-proto", cargo("ldap3_proto"), {"LDAP"}, set()),
    ("opaque-ke", cargo("opaque-ke"), {"OPAQUE"}, set()),
    ("rustls", cargo("tokio-rustls"), {"rustls"}, set()),
    ("graphql-client", cargo("graphql_client"), {"graphql_client", "GraphQL"}, set()),
    ("wasm-bindgen", cargo("wasm-bindgen"), {"WebAssembly"}, set()),
    ("jwt-crate", cargo("jwt"), {"JWT"}, set()),
    ("gcloud-pubsub", cargo("gcloud-pubsub"), {"Google Cloud Pub/Sub"}, set()),
    ("sea-orm-sqlx-all",
     {"Cargo.toml": '[package]\nname = "svc"\nversion = "0.1.0"\n\n[dependencies]\n'
                    'sea-orm = { version = "1", features = ["sqlx-all", "macros"] }\n'},
     {"SeaORM", "SQLx", "PostgreSQL", "MySQL", "SQLite"}, set()),
    ("sea-orm-sqlx-postgres-only",
     {"Cargo.toml": '[package]\nname = "svc"\nversion = "0.1.0"\n\n[dependencies]\n'
                    'sea-orm = { version = "1", features = ["sqlx-postgres"] }\n'},
     {"SeaORM", "SQLx", "PostgreSQL"}, {"MySQL", "SQLite"}),
    # --- npm -------------------------------------------------------------------------------
    ("create-react-app", npm("react-scripts"), {"Create React App", "React", "Jest"}, set()),
    ("panda-css", npm("@pandacss/dev"), {"Panda CSS"}, set()),
    ("passport-github2", npm("passport-github2"), {"Passport", "OAuth 2.0"}, set()),
    ("passport-local-is-not-oauth", npm("passport-local"), {"Passport"}, {"OAuth 2.0"}),
    ("nestjs-swagger-writes-openapi", npm("@nestjs/swagger"), {"OpenAPI"}, set()),
    ("openid-client", npm("openid-client"), {"OpenID Connect"}, set()),
    # --- PHP, Ruby, .NET -------------------------------------------------------------------
    # The adapter's AWS SDK for PHP is its dependency, not the project's.
    ("flysystem-s3", composer("league/flysystem-aws-s3-v3"),
     {"Flysystem", "Amazon S3"}, {"AWS SDK"}),
    ("aws-sdk-s3-client-is-s3-and-the-sdk", npm("@aws-sdk/client-s3"),
     {"Amazon S3", "AWS SDK"}, set()),
    ("rust-s3-is-s3-without-the-sdk", cargo("rust-s3"), {"Amazon S3"}, {"AWS SDK"}),
    ("flysystem-local-is-not-s3", composer("league/flysystem-local"),
     {"Flysystem"}, {"Amazon S3"}),
    ("gemspec-development-dependency", {"ruby/svix.gemspec": GEMSPEC}, {"RSpec", "Faraday"}, set()),
    ("swashbuckle-writes-openapi", csproj("Swashbuckle.AspNetCore"),
     {"Swashbuckle", "OpenAPI"}, set()),
    ("nuget-lock-direct-package", lock_file("OpenTelemetry.Extensions.Hosting", "Npgsql"),
     {"OpenTelemetry", "NuGet"}, {"PostgreSQL"}),
    ("sql-server-database-project", {"src/Sql/Sql.sqlproj": "<Project />\n"},
     {"SQL Server Database Project", "SQL Server"}, set()),
    # --- Delivery ----------------------------------------------------------------------------
    ("systemd-unit", {"contrib/netbox.service": "[Unit]\nDescription=NetBox\n"},
     {"systemd"}, set()),
    ("service-source-is-not-systemd", {"src/app/user.service.ts": "export class S {}\n"},
     set(), {"systemd"}),
    ("knative-service", {"deploy/svc.yaml": KNATIVE_SERVICE}, {"Knative", "Kubernetes"}, set()),
    ("test-fixture-manifest-is-not-delivery",
     {"x/watcherx/integrationtest/configmap.yml": CONFIG_MAP,
      "pkg/testdata/deployment.yaml": CONFIG_MAP}, set(), {"Kubernetes"}),
    ("bun-runtime", {"bun.lock": "{}\n", **npm("hono")}, {"Bun"}, {"uptrace/bun"}),
    ("uptrace-bun-is-not-the-runtime", gomod("github.com/uptrace/bun"), {"uptrace/bun"}, {"Bun"}),
    ("workflow-service-containers",
     {".github/workflows/ci.yml": "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n"
                                  "    container: node:22\n    services:\n      db:\n"
                                  "        image: mariadb:11\n      cache:\n"
                                  "        image: ${{ matrix.cache }}\n"
                                  "    steps:\n      - run: make test\n"},
     {"MariaDB", "GitHub Actions"}, {"MySQL"}),
    ("php-apache-image", {"docker/Dockerfile": "FROM php:8.3-apache\n"},
     {"Apache HTTP Server", "Docker"}, set()),
    ("php-fpm-image-is-not-apache", {"docker/Dockerfile": "FROM php:8.3-fpm-alpine\n"},
     {"Docker"}, {"Apache HTTP Server"}),
    ("tinymce-copy", {"public/libs/tinymce/tinymce.min.js": "/* tinymce */\n"},
     {"TinyMCE"}, set()),
    # --- Images and file markers -------------------------------------------------------
    ("pgbouncer", {"compose.yaml": "services:\n  pool:\n    image: edoburu/pgbouncer:v1.24\n"},
     {"PgBouncer", "PostgreSQL"}, set()),
    ("apache-conf", {"contrib/apache.conf": "<VirtualHost *:80>\n</VirtualHost>\n"},
     {"Apache HTTP Server"}, set()),
    ("nginx-conf-is-not-apache", {"contrib/nginx.conf": "server {}\n"},
     set(), {"Apache HTTP Server"}),
    ("deno-json", {"deno.json": "{}\n"}, {"Deno"}, set()),
    ("cargo-dist", {"dist-workspace.toml": "[workspace]\nmembers = []\n"}, {"cargo-dist"}, set()),
    ("msbuild", {"Directory.Build.props": "<Project />\n"}, {"MSBuild"}, set()),
    # --- Round 3: classes of rules, each with the look-alikes its keys could reach ------
    # Spring's starters and Spring Cloud's subsystems
    ("spring-webmvc-starter", gradle("org.springframework.boot:spring-boot-starter-webmvc"),
     {"Spring MVC", "Spring Boot"}, {"Spring WebFlux"}),
    ("spring-data-jpa-starter", gradle("org.springframework.boot:spring-boot-starter-data-jpa"),
     {"Spring Data JPA", "Hibernate ORM", "Spring Boot"}, set()),
    # The starter bundles Mockito and AssertJ; only a test's import says it uses them.
    ("spring-boot-starter-test", gradle("org.springframework.boot:spring-boot-starter-test"),
     {"Spring Boot Test", "JUnit"}, {"Mockito", "AssertJ"}),
    ("spring-boot-test-module-is-not-mockito", gradle("org.springframework.boot:spring-boot-test"),
     {"Spring Boot Test"}, {"Mockito"}),
    ("config-server", gradle("org.springframework.cloud:spring-cloud-config-server"),
     {"Spring Cloud Config", "Spring Cloud"}, set()),
    ("eureka", gradle("org.springframework.cloud:spring-cloud-starter-netflix-eureka-client"),
     {"Netflix Eureka", "Spring Cloud"}, set()),
    ("other-spring-cloud-is-not-eureka", gradle("org.springframework.cloud:spring-cloud-commons"),
     {"Spring Cloud"}, {"Netflix Eureka", "Spring Cloud Config"}),
    ("boot-admin", gradle("de.codecentric:spring-boot-admin-starter-server"),
     {"Spring Boot Admin"}, set()),
    ("chaos-monkey-is-not-boot-admin", gradle("de.codecentric:chaos-monkey-spring-boot"),
     {"Chaos Monkey for Spring Boot"}, {"Spring Boot Admin"}),
    ("webjars", gradle("org.webjars:angularjs", "org.webjars:bootstrap", "org.webjars:jquery"),
     {"AngularJS", "Bootstrap", "jQuery"}, set()),
    ("webjars-locator-is-nothing", gradle("org.webjars:webjars-locator-lite"),
     set(), {"AngularJS", "Bootstrap", "jQuery"}),
    ("spring-ai-openai", gradle("org.springframework.ai:spring-ai-starter-model-openai"),
     {"Spring AI", "OpenAI"}, set()),
    ("spring-ai-vector-store-is-not-openai",
     gradle("org.springframework.ai:spring-ai-vector-store"),
     {"Spring AI"}, {"OpenAI"}),
    ("jmeter-plan", {"src/test/jmeter/plan.jmx": "<jmeterTestPlan/>\n"}, {"JMeter"}, set()),
    ("maven-profile-plugins",
     {"pom.xml": "<project><modelVersion>4.0.0</modelVersion><artifactId>gw</artifactId>"
                 "<profiles><profile><id>css</id><build><plugins><plugin>"
                 "<groupId>com.gitlab.haynes</groupId><artifactId>libsass-maven-plugin</artifactId>"
                 "</plugin></plugins></build><dependencies><dependency>"
                 "<groupId>org.webjars</groupId><artifactId>jquery</artifactId>"
                 "</dependency></dependencies></profile></profiles></project>\n"},
     {"Sass", "jQuery", "Maven"}, set()),
    # Go
    ("macaron-flamego", gomod("gopkg.in/macaron.v1", "github.com/flamego/cache"),
     {"Macaron", "Flamego"}, set()),
    ("go-kratos-is-not-ory-kratos", gomod("github.com/go-kratos/kratos/v2"),
     {"Kratos"}, {"Ory Kratos"}),
    ("urfave-cli", gomod("github.com/urfave/cli/v3"), {"urfave/cli"}, set()),
    ("go-git", gomod("github.com/go-git/go-git/v5"), {"Git"}, set()),
    ("pam-smtp", gomod("github.com/msteinert/pam", "github.com/wneessen/go-mail"),
     {"PAM", "SMTP"}, set()),
    ("glebarez-sqlite", gomod("github.com/glebarez/sqlite"), {"SQLite"}, set()),
    ("go-mockgen", gomod("github.com/derision-test/go-mockgen/v2"), {"go-mockgen"}, set()),
    # .NET
    ("dotnet-project-files", csproj("MediatR", "FluentValidation", "Asp.Versioning.Http"),
     {".NET", "MediatR", "FluentValidation", "ASP.NET API Versioning"}, set()),
    ("global-json", {"global.json": '{"sdk": {"version": "10.0.100"}}\n'}, {".NET"}, set()),
    ("json-is-not-dotnet", {"config/global.yaml": "a: 1\n", "tsconfig.json": "{}\n"},
     set(), {".NET"}),
    ("worker-sdk", {"src/W/W.csproj": '<Project Sdk="Microsoft.NET.Sdk.Worker" />\n'},
     {".NET Worker Service"}, set()),
    ("mstest-sdk", {"tests/T/T.csproj": '<Project Sdk="MSTest.Sdk" />\n'}, {"MSTest"}, set()),
    ("xunit-v3-prefix", csproj("xunit.v3.mtp-v2"), {"xUnit"}, set()),
    ("xunit-lookalike", csproj("XunitXml.TestLogger"), set(), {"xUnit"}),
    ("maui", csproj("Microsoft.Maui.Controls", "CommunityToolkit.Maui"), {".NET MAUI"}, set()),
    ("aspnet-testing", csproj("Microsoft.AspNetCore.Mvc.Testing"),
     {"ASP.NET Core integration testing", "ASP.NET Core"}, set()),
    ("aspnet-oidc", csproj("Microsoft.AspNetCore.Authentication.OpenIdConnect"),
     {"OpenID Connect", "ASP.NET Core"}, set()),
    ("aspire-ollama-openai",
     csproj("CommunityToolkit.Aspire.OllamaSharp", "Aspire.Azure.AI.OpenAI"),
     {"Ollama", "Azure OpenAI", "OpenAI", ".NET Aspire"}, set()),
    # Rust
    ("rust-auth-and-templates", cargo("totp-lite", "yubico_ng", "argon2", "handlebars", "opendal"),
     {"TOTP", "YubiKey OTP", "Argon2", "Handlebars", "Apache OpenDAL"}, set()),
    ("diesel-migrations", cargo("diesel", "diesel_migrations"),
     {"Diesel", "Diesel migrations"}, set()),
    ("diesel-alone-has-no-migrations", cargo("diesel"), {"Diesel"}, {"Diesel migrations"}),
    ("rocket-ws", cargo("rocket_ws", "job_scheduler_ng"),
     {"rocket_ws", "WebSockets", "job_scheduler_ng"}, set()),
    ("bake-file", {"docker/docker-bake.hcl": 'group "default" {}\n'},
     {"Docker Buildx Bake", "Docker"}, set()),
    # Ruby, Python, PHP, Elixir
    ("devise-two-factor",
     gemfile("devise-two-factor", "cuprite", "hexapdf", "onnxruntime", "trilogy"),
     {"devise-two-factor", "Devise", "TOTP", "Cuprite", "Capybara", "HexaPDF", "ONNX Runtime",
      "MySQL"}, set()),
    ("azure-blob-gem-is-not-the-azure-sdk", gemfile("azure-blob"),
     {"Azure Blob Storage"}, {"Azure SDK"}),
    ("azure-storage-blob-is-the-sdk", requirements("azure-storage-blob"),
     {"Azure Blob Storage", "Azure SDK"}, set()),
    ("git-gem", gemfile("git"), {"Git"}, set()),
    ("gitlab-gem-is-not-git", gemfile("gitlab"), set(), {"Git"}),
    ("graphene-celery-beat", requirements("graphene-django", "django-celery-beat", "pytest-django"),
     {"Graphene", "GraphQL", "Celery Beat", "Celery", "pytest-django", "pytest"}, set()),
    ("pypi-mcp", requirements("mcp"), {"Model Context Protocol"}, set()),
    ("pypi-mcp-lookalike", requirements("mcpi"), set(), {"Model Context Protocol"}),
    ("pypi-click", requirements("click"), {"Click"}, set()),
    ("pypi-typer-implies-click", requirements("typer"), {"Typer", "Click"}, set()),
    ("pypi-click-lookalike", requirements("clickhouse-connect"), set(), {"Click"}),
    ("pypi-pyyaml", requirements("pyyaml"), {"PyYAML"}, set()),
    ("laravel-extras", composer("rcrowe/twigbridge", "league/fractal", "laravel-json-api/testing",
                                "laravel/passport", "ext-pdo_mysql", "ext-pdo_pgsql"),
     {"Twig", "Fractal", "JSON:API", "Laravel Passport", "OAuth 2.0", "MySQL", "PostgreSQL"},
     set()),
    ("php-extension-lookalikes", composer("ext-pdo", "ext-mysqlnd_ms", "ext-redis_cluster"),
     set(), {"MySQL", "PostgreSQL", "Redis", "SQLite"}),
    ("plug-cowboy", mix("plug_cowboy", "mock"), {"Plug", "Cowboy", "Mock"}, set()),
    ("mox-is-not-mock", mix("mox"), {"Mox"}, {"Mock"}),
    # npm: short names and scoped prefixes
    ("npm-editors-maps",
     npm("prosemirror-model", "@tiptap/core", "leaflet", "daisyui", "admin-lte"),
     {"ProseMirror", "Tiptap", "Leaflet", "daisyUI", "Tailwind CSS", "AdminLTE"}, set()),
    ("prosemirror-lookalike", npm("prosemirror-dev-toolkit"), set(), {"ProseMirror"}),
    ("npm-collab", npm("@hocuspocus/server", "yjs", "@modelcontextprotocol/sdk"),
     {"Hocuspocus", "Yjs", "Model Context Protocol"}, set()),
    ("bull-board-is-not-bullmq", npm("@bull-board/koa", "bull"), {"Bull Board"}, {"BullMQ"}),
    ("npm-ai-exact", npm("ai"), {"Vercel AI SDK"}, set()),
    ("npm-ai-lookalikes", npm("ai-tools", "aiohttp-js", "@ai/sdk"), set(), {"Vercel AI SDK"}),
    ("npm-ol-exact", npm("ol"), {"OpenLayers"}, set()),
    ("npm-ol-lookalike", npm("ol-mapbox-style-x", "olm"), set(), {"OpenLayers"}),
    ("passport-slack", npm("passport-slack-oauth2"), {"Slack", "Passport"}, set()),
    ("pdfjs-viewers-are-not-pdfjs", npm("vue-pdf-embed", "react-pdf"), set(), {"PDF.js"}),
    ("fontawesome-scope", npm("@fortawesome/react-fontawesome"), {"Font Awesome"}, set()),
    # File markers
    ("vendored-bootstrap", {"src/static/scripts/bootstrap.css": "/* b */\n"}, {"Bootstrap"}, set()),
    ("bootstrap-script-is-not-bootstrap-css", {"scripts/bootstrap.sh": "#!/bin/sh\n"},
     set(), {"Bootstrap"}),
    ("fluent-ftl-is-not-freemarker", {"web/locale/en-US/viewer.ftl": "a = b\n"},
     set(), {"FreeMarker"}),
    ("gohtml", {"templates/home.gohtml": "{{.}}\n"}, {"Go templates"}, set()),
    ("versioned-jquery-copy", {"public/js/jquery-3.7.1.min.js": "/*! jQuery */\n"},
     {"jQuery"}, set()),
    ("jquery-plugin-is-not-jquery", {"public/js/jquery-datetimepicker.js": "x\n",
                                     "public/js/jquery.are-you-sure.js": "x\n"},
     set(), {"jQuery"}),
    ("versioned-semantic-copy", {"public/css/semantic-2.4.2.min.css": "x\n"},
     {"Semantic UI"}, set()),
    ("semantic-release-is-not-semantic-ui", {"semantic-release.config.js": "x\n"},
     set(), {"Semantic UI"}),
    ("minified-d3-copy", {"static/d3.min.js": "x\n"}, {"D3.js"}, set()),
    # --- example env files: the words of a key's name ----------------------------------
    ("env-example-oidc", {".env.example": "SSO_OIDC_ISSUER=\nOIDC_CLIENT_ID=\n"},
     {"OpenID Connect"}, set()),
    ("env-example-ldap-memcached-ffmpeg",
     {".env.sample": "LDAP_SERVER=false\nMEMCACHED_SERVERS=127.0.0.1:11211\nFFMPEG_PATH=\n"},
     {"LDAP", "Memcached", "FFmpeg"}, set()),
    ("env-of-one-machine-is-no-documentation", {".env": "OIDC_CLIENT_ID=abc\nLDAP_HOST=x\n"},
     set(), {"OpenID Connect", "LDAP"}),
    ("env-word-inside-a-word-is-not-it",
     {".env.example": "OIDCX_MODE=1\nPAYLDAP_KEY=\nFFMPEGX=\n"},
     set(), {"OpenID Connect", "LDAP", "FFmpeg"}),
    ("env-value-is-never-a-word", {".env.example": "AUTH_PROVIDER=OIDC\n"},
     set(), {"OpenID Connect"}),
    ("prisma-migrate", {"prisma/migrations/20230406064219_init/migration.sql":
                        "CREATE TABLE a (id int);\n"}, {"Prisma Migrate", "Prisma"}, set()),
    ("s6-overlay-services", {"docker/rootfs/etc/s6-overlay/s6-rc.d/svc-web/run": "#!/bin/sh\n"},
     {"s6-overlay"}, set()),
    ("s6-folder-is-not-s6-overlay", {"docker/s6/web/run": "#!/bin/sh\n"}, set(), {"s6-overlay"}),
    ("moon-workspace", {".moon/workspace.yml": "projects: []\n"}, {"moonrepo"}, set()),
    ("elastic-beanstalk", {"deployment/elasticbeanstalk/Dockerrun.aws.json": "{}\n"},
     {"AWS Elastic Beanstalk"}, set()),
    ("rails-api-controllers", {"app/controllers/api/users_controller.rb": "class U; end\n"},
     {"REST"}, set()),
    ("laravel-api-routes", {"routes/api.php": "<?php\n"}, {"REST"}, set()),
    ("importmap-pins", {"config/importmap.rb": 'pin "application"\n'
                        'pin "@hotwired/turbo-rails", to: "turbo.min.js" # @8.0.4\n'
                        'pin "jquery" # @3.7.1\n'},
     {"Hotwire", "jQuery"}, set()),
    ("importmap-elsewhere-is-not-rails", {"lib/importmap.rb": 'pin "jquery"\n'},
     set(), {"jQuery"}),
    ("dockerfile-system-packages",
     {"Dockerfile": "FROM debian:12\nRUN apt-get update && apt-get install -y "
                    "--no-install-recommends \\\n    ffmpeg=7:5.1 exiftool \\\n"
                    "    tesseract-ocr-deu && rm -rf /var/lib/apt/lists/*\n"
                    "RUN apk add --no-cache libvips\n"},
     {"FFmpeg", "ExifTool", "Tesseract OCR", "libvips"}, set()),
    ("words-after-the-command-are-not-packages",
     {"Dockerfile": "FROM debian:12\nRUN apt-get install -y curl && ffmpeg -version\n"
                    "# apt-get install nginx\nRUN echo pandoc\n"},
     set(), {"FFmpeg", "Pandoc", "nginx"}),
    ("workflow-actions",
     {".github/workflows/ci.yml": "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n"
                                  "    steps:\n      - uses: actions/checkout@v4\n"
                                  "      - uses: github/codeql-action/init@v3\n"
                                  "      - uses: aws-actions/amazon-ecr-login@v2\n"
                                  "      - uses: codecov/codecov-action@v5\n"},
     {"CodeQL", "Amazon ECR", "Codecov", "GitHub Actions"}, set()),
    ("setup-actions-name-no-runtime",
     {".github/workflows/docs.yml": "on: push\njobs:\n  docs:\n    runs-on: ubuntu-latest\n"
                                    "    steps:\n      - uses: actions/setup-node@v4\n"},
     set(), {"Node.js"}),
    ("phoenix-channels-and-presence",
     {"lib/chat_web/channels/room_channel.ex": "defmodule R do\nend\n",
      "lib/chat_web/presence.ex": "defmodule P do\nend\n"},
     {"Phoenix Channels", "Phoenix Presence"}, set()),
    ("a-channel-outside-channels-is-not-phoenix",
     {"lib/chat/tv_channel.ex": "defmodule T do\nend\n",
      "app/channels/room_channel.rb": "class RoomChannel; end\n"},
     set(), {"Phoenix Channels"}),
    ("prisma-lock-in-a-renamed-folder",
     {"packages/database/migration/migration_lock.toml": 'provider = "postgresql"\n'},
     {"Prisma Migrate"}, set()),
    ("shipit-at-the-root", {"shipit.yml": "deploy:\n  override: []\n"}, {"Shipit"}, set()),
    ("service-images", {"compose.yaml": "services:\n  db:\n    image: pgvector/pgvector:pg17\n"
                                        "  s3:\n    image: rustfs/rustfs:1.0.0\n"
                                        "  proxy:\n    image: ghcr.io/shopify/toxiproxy:2.5.0\n"},
     {"pgvector", "PostgreSQL", "RustFS", "Toxiproxy"}, set()),
    ("spring-rest-controller",
     {"orders/src/main/java/acme/OrderController.java":
      "package acme;\n\n@RestController\nclass OrderController {}\n"},
     {"REST"}, set()),
    ("spring-page-controller-is-no-rest",
     {"web/src/main/java/acme/HomeController.java": "package acme;\n\n@Controller\nclass H {}\n",
      "web/src/test/java/acme/StubController.java": "@RestController\nclass StubController {}\n"},
     set(), {"REST"}),
    ("aspnet-api-controller",
     {"src/Api/Controllers/OrdersController.cs": "[ApiController]\npublic class O {}\n"},
     {"REST"}, set()),
    ("nextjs-route-handler", {"apps/web/app/api/orders/route.ts": "export function GET() {}\n"},
     {"REST"}, set()),
    ("nextjs-page-is-no-route-handler", {"apps/web/app/orders/page.tsx": "export default 1;\n"},
     set(), {"REST"}),
    ("spring-scheduling",
     {"app/src/main/java/acme/TaskConfig.java": "@Configuration\n@EnableScheduling\nclass T {}\n"},
     {"Spring Scheduling"}, set()),
    ("laravel-scheduler", {"routes/console.php": "<?php\nSchedule::command('prune')->daily();\n"},
     {"Laravel Scheduler"}, set()),
    ("laravel-console-without-schedule", {"routes/console.php": "<?php\nArtisan::command('x');\n"},
     set(), {"Laravel Scheduler"}),
    ("view-templates", {"app/views/orders/show.html.erb": "<%= 1 %>\n",
                        "lib/shop_web/controllers/page_html/home.html.heex": "<p></p>\n"},
     {"ERB", "HEEx", "Phoenix"}, set()),
    ("django-test-case", {"shop/tests/test_orders.py": "from django.test import TestCase\n"},
     {"Django test framework"}, set()),
    ("pytest-is-not-django-test", {"shop/tests/test_orders.py": "import pytest\n"
                                   "from django.test import override_settings\n",
                                   "shop/views.py": "from django.test import Client\n"},
     set(), {"Django test framework"}),
    ("build-tool-files", {"mvnw": "#!/bin/sh\n", "deny.toml": "[bans]\n", ".air.toml": "x\n",
                          "knip.json": "{}\n", ".envrc": "use flake\n"},
     {"Maven Wrapper", "Maven", "cargo-deny", "Air", "Knip", "direnv"}, set()),
    ("nested-wrapper-and-envrc-are-not-the-repositorys",
     {"examples/demo/mvnw": "#!/bin/sh\n", "examples/demo/.envrc": "x\n"},
     set(), {"Maven Wrapper", "direnv"}),
    ("ktor-server-not-client", gradle("io.ktor:ktor-server-netty:2.3.12",
                                      "io.ktor:ktor-client-cio:2.3.12"),
     {"Ktor", "Ktor Client"}, set()),
    ("ktor-client-alone", gradle("io.ktor:ktor-client-cio:2.3.12"), {"Ktor Client"}, {"Ktor"}),
    ("nginx-config-folder", {"deployment/nginx/app.conf": "upstream app {}\n"}, {"nginx"}, set()),
    ("nginx-template-folder", {"docker/nginx/templates/default.conf.template": "server {}\n"},
     {"nginx"}, set()),
    # HertzBeat's collector for nginx's status page is code about nginx, not nginx's config.
    ("nginx-collector-code-is-no-nginx",
     {"collector/src/main/java/org/x/nginx/NginxCollectImpl.java": "class NginxCollectImpl {}\n"},
     set(), {"nginx"}),
    ("nginx-in-a-file-name-is-no-folder", {"docs/nginx-setup.md": "# x\n"}, set(), {"nginx"}),
    ("own-published-packages-are-no-technologies",
     {"packages/svix/package.json": '{"name": "svix", "version": "1.2.0"}',
      "apps/api/package.json": '{"name": "api", "dependencies": {"svix": "^1.2.0"}}'},
     set(), {"Svix"}),
    # From the review: comments, longer names, caseless owners, fixtures' names.
    ("commented-markers-are-none",
     {"app/Console/Kernel.php": "<?php\n    protected function schedule($schedule)\n    {\n"
                                "        // $schedule->command('inspire')->hourly();\n    }\n",
      "web/src/main/java/acme/AppConfig.java": "// We used to need @EnableScheduling\nclass A {}\n",
      "web/src/main/java/acme/ErrorsController.java": "@RestControllerAdvice\nclass E {}\n"},
     set(), {"Laravel Scheduler", "Spring Scheduling", "REST"}),
    ("capitalised-action-owner",
     {".github/workflows/deploy.yml": "on: push\njobs:\n  d:\n    runs-on: ubuntu-latest\n"
                                      "    steps:\n      - uses: Azure/login@v2\n"
                                      "      - uses: Docker/build-push-action@v6\n"},
     {"Azure", "Docker"}, set()),
    ("a-fixture-named-like-a-library-is-no-sibling",
     {"test/fixtures/app/package.json": '{"name": "react", "version": "0.0.0"}',
      "web/package.json": '{"name": "web", "dependencies": {"react": "^18.3.1"}}'},
     {"React"}, set()),
    ("local-protocols-are-no-technologies",
     {"web/package.json": '{"name": "web", "dependencies": {"react": "file:../vendor/react",'
                          ' "svix": "link:../svix", "express": "^4.21.0"}}'},
     {"Express"}, {"React", "Svix"}),
    ("one-line-manifest-keeps-what-is-not-own",
     {"packages/ui/package.json": '{"name": "@acme/ui", "version": "1.0.0"}',
      "api/package.json": '{"name": "api", "dependencies": {"@acme/ui": "^1", "express": "^4"}}'},
     {"Express"}, set()),
    ("a-route-module-is-no-route-handler", {"apps/web/app/api/reroute.ts": "export {}\n",
                                            "src/pages/api/users.ts": "export {}\n"},
     set(), {"REST"}),
    ("root-procfile-of-heroku-tools-is-heroku",
     {"Procfile": "web: vendor/bin/heroku-php-nginx -C nginx_app.conf public/\n"},
     {"Heroku"}, set()),
    ("root-procfile-alone-is-foremans", {"Procfile": "web: bundle exec puma\n"},
     set(), {"Heroku"}),
    ("app-json-with-heroku-addons",
     {"app.json": '{"addons": ["heroku-postgresql"], "buildpacks": []}\n'}, {"Heroku"}, set()),
    ("expo-app-json-is-none", {"app.json": '{"expo": {"name": "x"}}\n'}, set(), {"Heroku"}),
    ("nested-procfile-is-a-supervisor", {"docker/nginx/Procfile": "nginx: nginx\n"},
     set(), {"Heroku"}),
    ("apiary-is-not-an-api-folder", {"app/controllers/apiary/x.rb": "class X; end\n",
                                      "routes/web.php": "<?php\n"}, set(), {"REST"}),
    # 2026-12-03: an `/api` namespace in each framework's router; its look-alikes.
    ("phoenix-api-scope", {"lib/app_web/router.ex": 'scope "/api", AppWeb do\n'},
     {"REST"}, set()),
    ("phoenix-api-pipeline-alone-is-none",
     {"lib/app_web/router.ex": 'scope "/dev", AppWeb do\n  pipe_through :api\n'},
     set(), {"REST"}),
    ("django-api-path", {"hc/urls.py": 'urlpatterns = [path("api/v1/", include(api))]\n'},
     {"REST"}, set()),
    ("django-apis-path-is-none", {"hc/urls.py": 'urlpatterns = [path("apis/", include(x))]\n'},
     set(), {"REST"}),
    ("go-api-group", {"web/web.go": 'package web\nfunc r() { m.Group("/api", f) }\n'},
     {"REST"}, set()),
    ("go-api-client-call-is-none",
     {"client/c.go": 'package client\nfunc r() { get(base + "/api/v1/users") }\n'},
     set(), {"REST"}),
    ("actix-api-scope", {"crates/routes/src/lib.rs": 'fn c() { cfg.service(scope("/api/v4")) }\n'},
     {"REST"}, set()),
    ("commented-api-scope-is-none",
     {"crates/routes/src/lib.rs": '// cfg.service(scope("/api/v4"))\nfn c() {}\n'},
     set(), {"REST"}),
    ("own-api-controller-attribute",
     {"src/Api/SeriesController.cs": "[V3ApiController]\npublic class SeriesController {}\n"},
     {"REST"}, set()),
    ("minimal-api-group",
     {"src/Catalog.API/Apis/CatalogApi.cs": 'var api = app.MapGroup("api/catalog");\n'},
     {"REST"}, set()),
    ("remix-api-route", {"apps/webapp/app/routes/api.v1.runs.ts": "export {}\n"}, {"REST"}, set()),
    ("remix-page-route-is-none", {"apps/webapp/app/routes/runs.$id.tsx": "export {}\n"},
     set(), {"REST"}),
    ("grpc-gateway-is-rest",
     {"go.mod": "module x\n\ngo 1.22\n\nrequire github.com/grpc-ecosystem/grpc-gateway/v2 "
                "v2.20.0\n"}, {"REST", "gRPC-Gateway"}, set()),
    # Laravel's skeleton defines every driver's connection; the default is the one it uses.
    ("laravel-default-database-connection",
     {"config/database.php": "<?php\nreturn [\n"
                             "  'default' => env('DB_CONNECTION', 'mysql'),\n"
                             "  'connections' => [\n"
                             "  'sqlite' => ['driver'   => 'sqlite'],\n"
                             "  'mysql' => ['driver'      => 'mysql'],\n"
                             "  'pgsql' => ['driver'      => 'pgsql'],\n"
                             "  'sqlsrv' => ['driver' => 'sqlsrv'],\n]];\n"},
     {"MySQL"}, {"SQLite", "SQL Server", "PostgreSQL"}),
    ("laravel-example-env-connection", {".env.example": "APP_NAME=x\nDB_CONNECTION=pgsql\n"},
     {"PostgreSQL"}, set()),
    ("laravel-example-env-test-connection-is-another-name",
     {".env.example": "DB_CONNECTION=pgsql_testing\n"}, set(), {"PostgreSQL"}),
    ("phpunit-sqlite-connection",
     {"phpunit.xml": '<phpunit><php><env name="DB_CONNECTION" value="sqlite"/></php></phpunit>\n'},
     {"SQLite"}, set()),
    # --- Servers and API styles that a router's own file shows ------------------------------
    ("go-serve-mux",
     {"internal/http/routes.go": "package http\n\nfunc r() { m := http.NewServeMux() }\n"},
     {"net/http"}, set()),
    ("go-pprof-in-main-is-no-server",
     {"cmd/tool/main.go":
      'package main\n\nfunc main() { http.ListenAndServe("localhost:6060", nil) }\n'},
     set(), {"net/http"}),
    ("rocket-mount-api",
     {"src/main.rs": 'fn rocket() { rocket::build().mount("/api", routes()) }\n'},
     {"REST"}, set()),
    ("spring-api-class", {"src/main/java/io/x/api/ArticleApi.java":
                          "package io.x.api;\n\n@RestController\npublic class ArticleApi {}\n"},
     {"REST"}, set()),
    ("openapi-document-is-rest",
     {"api/openapi.yml": "openapi: 3.0.3\ninfo:\n  title: x\npaths: {}\n"},
     {"OpenAPI", "REST"}, set()),
    ("rust-sass-compiler", cargo("rsass"), {"Sass"}, set()),
    ("gulp-sass", npm("gulp-sass"), {"Sass"}, set()),
    ("quarkus-hibernate-validator", gradle("io.quarkus:quarkus-hibernate-validator"),
     {"Hibernate Validator", "Quarkus"}, set()),
    ("spring-validation-starter", gradle("org.springframework.boot:spring-boot-starter-validation"),
     {"Hibernate Validator"}, set()),
    ("commented-laravel-default-is-none",
     {"config/database.php": "<?php\n// 'default' => env('DB_CONNECTION', 'pgsql'),\nreturn [];\n"},
     set(), {"PostgreSQL"}),
    # An SDK's `global.json`; a translation file of the same name.
    ("dotnet-global-json", {"global.json": '{\n  "sdk": {"version": "8.0.100"}\n}\n'},
     {".NET"}, set()),
    ("i18n-global-json-is-none", {"src/main/webapp/i18n/en/global.json": '{"global": {}}\n'},
     set(), {".NET"}),
    ("html-webpack-template-is-no-ejs", {"frontend/src/index.ejs": "<html></html>\n"},
     set(), {"EJS"}),
    ("stray-bazel-build-file-is-none", {"svc/route/BUILD.bazel": "go_library()\n"},
     set(), {"Bazel"}),
    ("bazel-module", {"MODULE.bazel": "module(name = 'x')\n"}, {"Bazel"}, set()),
    ("sqlx-migrations-with-sqlx",
     {"Cargo.toml": '[package]\nname = "x"\n[dependencies]\nsqlx = "0.8"\n',
      "migrations/1_init.sql": "create table t();\n"}, {"SQLx migrations"}, set()),
    ("numbered-sql-without-sqlx-is-no-sqlx",
     {"Cargo.toml": '[package]\nname = "x"\n[dependencies]\nhiqlite = "0.9"\n',
      "migrations/hiqlite/1_init.sql": "create table t();\n"}, set(), {"SQLx migrations", "SQLx"}),
    ("mockito-from-a-tests-import",
     {"pom.xml": "<project><dependencies><dependency><groupId>org.springframework.boot</groupId>"
                 "<artifactId>spring-boot-starter-test</artifactId></dependency></dependencies>"
                 "</project>\n",
      "src/test/java/a/ATest.java": "import static org.mockito.Mockito.mock;\nclass ATest {}\n"},
     {"Mockito", "Spring Boot Test"}, {"AssertJ"}),
    ("a-comment-naming-sqlx-is-no-sqlx",
     {"Cargo.toml": '[package]\nname = "x"\n# sqlx has been removed\n[dependencies]\n',
      "migrations/1_init.sql": "create table t();\n"}, set(), {"SQLx migrations"}),
    ("babel-config-alone-is-none", {"frontend/babel.config.js": "module.exports = {}\n"},
     set(), {"Babel"}),
    ("ghcr-login-in-a-workflow",
     {".github/workflows/publish.yml": "on: push\njobs:\n  p:\n    runs-on: ubuntu-latest\n"
                                       "    steps:\n      - uses: docker/login-action@v3\n"
                                       "        with:\n          registry: ghcr.io\n"
                                       "          username: ${{ secrets.DOCKERHUB_USERNAME }}\n"},
     {"GitHub Container Registry", "Docker Hub"}, set()),
    ("an-image-pulled-from-ghcr-is-no-registry-of-ours",
     {".github/workflows/ci.yml": "on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n"
                                  "    container: ghcr.io/acme/builder:1\n"},
     set(), {"GitHub Container Registry"}),
    ("gigalixir-buildpacks",
     {".buildpacks": "https://github.com/gigalixir/gigalixir-buildpack-elixir\n"},
     {"Gigalixir"}, {"Heroku"}),
    ("kestrel-configured-by-the-host",
     {"API/Program.cs": "webBuilder.UseKestrel(opts => { });\n"}, {"Kestrel"}, set()),
    ("kestrel-in-a-comment-is-none",
     {"Server/Startup.cs": "// Startup configuration for the Kestrel webhost.\nclass S {}\n"},
     set(), {"Kestrel"}),
    ("allauth-openid-connect-provider",
     {"settings/settings_global.py":
      'INSTALLED_APPS = ["allauth.socialaccount.providers.openid_connect"]\n'},
     {"OpenID Connect"}, set()),
    ("spring-mail-starter-is-jakarta-mail",
     gradle("org.springframework.boot:spring-boot-starter-mail"), {"Jakarta Mail", "SMTP"}, set()),
    ("angular-cli", npm("@angular/cli", "@angular/core"), {"Angular CLI", "Angular"}, set()),
    ("hcaptcha-and-web-push", gemfile("hcaptcha", "web-push"), {"hCaptcha", "Web Push"}, set()),
    ("web-push-look-alike-is-none", gemfile("web-pushr"), set(), {"Web Push"}),
    ("rails-fts5-table",
     {"db/schema.rb": 'create_virtual_table "search_index", "fts5", ["body"]\n'},
     {"SQLite FTS5"}, set()),
    ("django-template-engine",
     {"hc/settings.py": 'TEMPLATES = [{"BACKEND": '
                        '"django.template.backends.django.DjangoTemplates"}]\n'},
     {"Django templates"}, set()),
    ("jinja-engine-is-no-django-templates",
     {"hc/settings.py": 'TEMPLATES = [{"BACKEND": "django.template.backends.jinja2.Jinja2"}]\n'},
     set(), {"Django templates"}),
    ("erb-templated-kubernetes-manifest",
     {"config/deploy/web.yaml.erb": "apiVersion: apps/v1\nkind: Deployment\nmetadata: {}\n"},
     {"Kubernetes"}, set()),
    ("libcluster-kubernetes-strategy",
     {"config/prod.exs": "config :libcluster, topologies: [k8s: [strategy: "
                         "Cluster.Strategy.Kubernetes]]\n"}, {"Kubernetes"}, set()),
    ("libcluster-gossip-is-no-kubernetes",
     {"config/prod.exs": "config :libcluster,\n"
                         "  topologies: [g: [strategy: Cluster.Strategy.Gossip]]\n"},
     set(), {"Kubernetes"}),
    ("go-sse-handler",
     {"server/events/sse.go": 'package events\nconst ct = "text/event-stream"\n'},
     {"Server-Sent Events"}, set()),
    ("workos-and-patternfly", npm("@workos-inc/node", "@patternfly/react-core"),
     {"WorkOS", "PatternFly"}, set()),
    ("qute-is-quarkus-too", gradle("io.quarkus:quarkus-qute"), {"Qute", "Quarkus"}, set()),
    ("tink-go",
     {"go.mod": "module x\n\ngo 1.22\n\nrequire github.com/tink-crypto/tink-go/v2 v2.8.0\n"},
     {"Tink"}, set()),
    ("playwright-from-capybara", gemfile("capybara-playwright-driver"), {"Playwright"}, set()),
    ("cors-plug-is-no-corsica",
     {"mix.exs": 'defmodule A.MixProject do\n  defp deps do\n    [{:cors_plug, "~> 3.0"}]\n'
                 '  end\nend\n'}, {"CORSPlug"}, {"Corsica"}),
    ("requirements-are-pips", {"requirements.txt": "django==5.0\n"}, {"pip", "Django"}, set()),
    # Bun runs a package whose folder has Bun's lock file alone.
    ("bun-lock-is-no-node",
     {"assets/package.json": '{"name": "assets", "dependencies": {"morphdom": "^2"}}',
      "assets/bun.lock": "{}\n"}, {"Bun"}, {"Node.js"}),
    ("node-lock-beside-bun-lock-is-node",
     {"web/package.json": '{"name": "web", "dependencies": {"express": "^4"}}',
      "web/bun.lock": "{}\n", "web/package-lock.json": "{}\n"}, {"Node.js"}, set()),
    # A Woodpecker pipeline's services are no Compose file's.
    ("woodpecker-pipeline-is-no-compose",
     {"lint/schema/.woodpecker/test-service.yaml":
      "steps:\n  build:\n    image: golang\nservices:\n  cache:\n    image: redis\n"},
     set(), {"Redis", "Docker Compose"}),
    ("compose-by-content", {"deploy/stack.yaml": "services:\n  cache:\n    image: redis:7\n"},
     {"Redis"}, set()),
    # A one-off run borrows the image's program; a detached one is a service.
    ("one-off-docker-run-is-none",
     {"scripts/secrets.sh": "docker run --rm httpd:2 htpasswd -Bbn u p > f\n"},
     set(), {"Apache HTTP Server"}),
    ("detached-docker-run-with-command",
     {"scripts/dev.sh": "docker run -d --name cache redis:7 redis-server --save ''\n"},
     {"Redis"}, set()),
    ("docker-run-named-like-its-image",
     {"Makefile": "db:\n\tdocker run --rm --name postgres postgres:16\n"},
     {"PostgreSQL"}, set()),
    # Quarkus REST's JSON binding is Jackson too.
    ("quarkus-rest-jackson", gradle("io.quarkus:quarkus-rest-jackson"),
     {"Jackson", "Quarkus REST", "REST", "Quarkus"}, set()),
    ("quarkus-extensions-by-their-own-names",
     gradle("io.quarkus:quarkus-cache", "io.quarkus:quarkus-oidc", "io.quarkus:quarkus-mailer",
            "io.quarkus:quarkus-container-image-jib"),
     {"Quarkus Cache", "OpenID Connect", "Quarkus Mailer", "Jib", "Quarkus"}, set()),
    ("quarkus-arc-is-none-of-them", gradle("io.quarkus:quarkus-arc"), {"Quarkus"},
     {"Quarkus Cache", "Jackson", "Jib"}),
    # A project's own configuration files.
    ("logback-configuration", {"src/main/resources/logback-spring.xml": "<configuration/>\n"},
     {"Logback"}, set()),
    ("shadcn-components-json",
     {"web/components.json": '{"$schema": "https://ui.shadcn.com/schema.json"}\n'},
     {"shadcn/ui"}, set()),
    ("components-json-of-another-tool", {"web/components.json": '{"components": []}\n'},
     set(), {"shadcn/ui"}),
    ("release-and-packaging-files",
     {"Cross.toml": "[build]\n", "book/book.toml": "[book]\n", "jreleaser.yml": "project: {}\n",
      "nfpm.yaml": "name: app\n", ".cloud66/manifest.yml": "{}\n", ".do/app.yaml": "name: a\n",
      "dist/setup.iss": "[Setup]\n", "debian/control": "Source: app\n",
      ".depot/workflows/ci.yaml": "on: push\n", "cloudbuild/prod/deploy.yaml": "steps: []\n"},
     {"cross-rs", "mdBook", "JReleaser", "nfpm", "Cloud66", "DigitalOcean App Platform",
      "Inno Setup", "Debian packaging", "Depot", "Google Cloud Build"}, set()),
    ("a-debian-folder-without-control", {"docs/debian/README.md": "notes\n"}, set(),
     {"Debian packaging"}),
    # ASP.NET Core's shared framework: SignalR hubs and the WebSocket middleware.
    ("aspnet-hub-and-websockets",
     {"src/App/Program.cs": "var app = builder.Build();\napp.UseWebSockets();\n"
                            "app.MapHub<ChatHub>(\"/chat\");\n"},
     {"SignalR", "WebSockets"}, set()),
    ("aspnet-without-hubs", {"src/App/Program.cs": "var app = builder.Build();\napp.Run();\n"},
     set(), {"SignalR", "WebSockets"}),
    ("eloquent-model-of-the-app",
     {"app/Models/Server.php": "<?php\nnamespace App\\Models;\n\n"
                               "use Illuminate\\Database\\Eloquent\\Model;\n"},
     {"Eloquent"}, set()),
    ("a-model-on-another-orm",
     {"app/Models/User.php": "<?php\nuse Doctrine\\ORM\\Mapping as ORM;\n"},
     set(), {"Eloquent"}),
    # Mail through SMTP, as the settings say.
    ("smtp-in-example-env", {".env.example": "SMTP_HOST=mail.example.com\nSMTP_PORT=587\n"},
     {"SMTP"}, set()),
    ("django-smtp-backend",
     {"app/settings.py": 'EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"\n'},
     {"SMTP"}, set()),
    ("django-console-mail-is-no-smtp",
     {"app/settings.py": 'EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"\n'},
     set(), {"SMTP"}),
    ("rails-smtp-delivery",
     {"config/environments/production.rb": "  config.action_mailer.delivery_method = :smtp\n"},
     {"SMTP"}, set()),
    # Rust tooling the task runner calls.
    ("cargo-clippy-and-fmt-in-justfile",
     {"justfile": "lint:\n    cargo clippy --all-targets\n    cargo fmt --check\n"},
     {"Clippy", "rustfmt"}, set()),
    ("pre-commit-hooks-name-their-tools",
     {".pre-commit-config.yaml": "repos:\n- repo: https://github.com/psf/black\n"
                                 "- repo: https://github.com/PyCQA/flake8\n"
                                 "- repo: https://github.com/astral-sh/ruff-pre-commit\n"},
     {"Black", "Flake8", "Ruff", "pre-commit"}, {"isort", "mypy"}),
    ("uv-installed-into-an-image",
     {"Dockerfile": "FROM python:3.12\nCOPY --from=ghcr.io/astral-sh/uv:0.5 /uv /bin/\n"},
     {"uv"}, set()),
    ("laravel-worker-in-compose",
     {"docker-compose.yml": "services:\n  queue:\n    image: app\n"
                            "    command: php artisan queue:work --tries=3\n"},
     {"Laravel Queues"}, set()),
    ("rails-queue-adapter",
     {"config/application.rb": "module App\n  class Application < Rails::Application\n"
                               "    config.active_job.queue_adapter = :sidekiq\n  end\nend\n"},
     {"Active Job"}, set()),
    ("nginx-named-config", {"nginx_app.conf": "server { listen 80; }\n"}, {"nginx"}, set()),
    ("openshift-templates-folder",
     {"openshift/templates/app.json": "{}\n"}, {"OpenShift"}, set()),
    ("mix-release-files-and-image",
     {"rel/env.sh.eex": "#!/bin/sh\n", "Dockerfile": "FROM elixir:1.17\nRUN mix release\n"},
     {"Mix releases"}, set()),
    ("mix-without-release", {"Dockerfile": "FROM elixir:1.17\nRUN mix compile\n"}, set(),
     {"Mix releases"}),
    ("django-postgres-search",
     {"app/models.py": "from django.contrib.postgres.search import SearchVectorField\n"},
     {"PostgreSQL full-text search", "PostgreSQL"}, set()),
    ("django-postgres-fields-are-no-search",
     {"app/models.py": "from django.contrib.postgres.fields import ArrayField\n"},
     set(), {"PostgreSQL full-text search"}),
    ("tsvector-in-a-go-migration",
     {"internal/database/migrations.go":
      'package database\nconst m = "CREATE INDEX i ON e USING gin(to_tsvector(\'english\', t))"\n'},
     {"PostgreSQL full-text search"}, set()),
    ("fts5-in-a-migration",
     {"db/migrations/0002_search.sql": "CREATE VIRTUAL TABLE s USING fts5(title, body);\n"},
     {"SQLite FTS5"}, set()),
    ("spring-cloud-modules-by-their-names",
     gradle("org.springframework.cloud:spring-cloud-starter-netflix-hystrix-dashboard",
            "org.springframework.cloud:spring-cloud-starter-netflix-turbine-stream",
            "org.springframework.cloud:spring-cloud-starter-bus-amqp",
            "org.springframework.boot:spring-boot-starter-cache",
            "org.springframework.security:spring-security-ldap"),
     {"Hystrix Dashboard", "Netflix Turbine", "Spring Cloud Bus", "Spring Cloud", "Spring Cache",
      "Spring Boot", "LDAP"}, set()),
    ("a-spring-cloud-config-client-is-none-of-them",
     gradle("org.springframework.cloud:spring-cloud-starter-config"), {"Spring Cloud"},
     {"Hystrix Dashboard", "Netflix Turbine", "Spring Cloud Bus"}),
    # Azure's own OpenAI clients are the Azure SDK; the Vercel AI SDK's Azure provider is not.
    ("azure-openai-through-the-ai-sdk", npm("@ai-sdk/azure"), {"Azure OpenAI", "OpenAI"},
     {"Azure SDK"}),
    ("azure-openai-through-azure-sdk", npm("@azure/openai"), {"Azure OpenAI", "Azure SDK"}, set()),
    ("jersey-by-its-name", gradle("org.glassfish.jersey.containers:jersey-container-servlet"),
     {"Jersey", "REST"}, set()),
    ("jetty-websockets",
     gradle("org.eclipse.jetty.ee10.websocket:jetty-ee10-websocket-jetty-server",
            "org.eclipse.jetty:jetty-server"), {"WebSockets", "Jetty"}, set()),
    ("quarkus-security-sentry-unleash",
     gradle("io.quarkus:quarkus-security", "io.quarkiverse.loggingsentry:quarkus-logging-sentry",
            "io.quarkiverse.unleash:quarkus-unleash"),
     {"Quarkus Security", "Quarkus", "Sentry", "Unleash"}, set()),
    ("swoosh-adapter-in-runtime-config",
     {"config/runtime.exs": "config :app, App.Mailer,\n  adapter: Swoosh.Adapters.Postmark,\n"},
     {"Postmark"}, set()),
    ("a-commented-swoosh-example-is-none",
     {"config/runtime.exs": "#   config :app, App.Mailer,\n"
                            "#     adapter: Swoosh.Adapters.Mailgun,\n"},
     set(), {"Mailgun"}),
    ("tailwind-v4-stylesheet",
     {"assets/input.css": '@import "tailwindcss";\n@plugin "daisyui";\n'},
     {"Tailwind CSS", "daisyUI"}, set()),
    ("a-plain-stylesheet-is-no-tailwind", {"assets/app.css": "body { margin: 0; }\n"}, set(),
     {"Tailwind CSS"}),
    ("timescaledb-image",
     {"docker-compose.yml": "services:\n  db:\n    image: timescale/timescaledb:2.17.2-pg17\n"},
     {"TimescaleDB", "PostgreSQL"}, set()),
    ("sccache-action",
     {".github/workflows/ci.yml": "on: push\njobs:\n  b:\n    runs-on: ubuntu-latest\n"
                                  "    steps:\n"
                                  "      - uses: mozilla-actions/sccache-action@v0.0.6\n"},
     {"sccache"}, set()),
]


@pytest.mark.parametrize(("tree", "expected", "absent"), [r[1:] for r in ROWS],
                         ids=[r[0] for r in ROWS])
def test_rule_names_exactly_what_it_should(
    tmp_path: Path, tree: Tree, expected: set[str], absent: set[str]
) -> None:
    check_tree(tmp_path, tree, expected, absent)


def test_ef_core_migrations_list_each_migration_once(tmp_path: Path) -> None:
    write_tree(tmp_path, EF_TREE)
    migrations = discover_context(tmp_path, debug=True).migrations
    # The designer half and the model snapshot are the same migration, not more of them.
    assert [(m.kind, m.path) for m in migrations] == [
        ("ef-core", "src/Api/Migrations/20240101120000_Init.cs")]


def test_laravel_migrations_are_listed(tmp_path: Path) -> None:
    write_tree(tmp_path, LARAVEL_TREE)
    migrations = discover_context(tmp_path, debug=True).migrations
    assert [(m.kind, m.path) for m in migrations] == [
        ("laravel", "database/migrations/2014_10_12_000000_create_users_table.php")]


@pytest.mark.parametrize(("condition", "scope"), [
    ("$(MSBuildProjectFullPath.Contains('Tests'))", "test"),
    ("'$(IsTestProject)' == 'true'", "test"),
    ("!$(MSBuildProjectName.Contains('Tests'))", "runtime"),
    ("$(MSBuildProjectName.EndsWith('API'))", "runtime"),
])
def test_props_item_groups_for_tests_are_test_scope(
    tmp_path: Path, condition: str, scope: str
) -> None:
    write_tree(tmp_path, props("Directory.Packages.props", "MediatR", condition=condition))
    found = discover_context(tmp_path, debug=True)
    mediatr = next(t for t in found.technologies if t.name == "MediatR")
    assert (mediatr.scope, [str(e) for e in mediatr.evidence]) == (
        scope, ["src/Directory.Packages.props:3"])


def test_each_service_shows_its_marker_however_many_files_the_first_has(tmp_path: Path) -> None:
    # 70 controllers in the first service: the second is still opened and speaks REST.
    tree = {f"a-svc/src/main/java/a/C{n}Controller.java": "@RestController\nclass C {}\n"
            for n in range(70)}
    tree["b-svc/src/main/java/b/OrderController.java"] = "@RestController\nclass O {}\n"
    tree["a-svc/pom.xml"] = "<project><artifactId>a</artifactId></project>\n"
    tree["b-svc/pom.xml"] = "<project><artifactId>b</artifactId></project>\n"
    write_tree(tmp_path, tree)
    components = {c.path: c for c in discover_context(tmp_path, debug=True).components}
    assert "REST" in components["a-svc"].apis
    assert "REST" in components["b-svc"].apis


def test_an_importmap_pin_keeps_its_version(tmp_path: Path) -> None:
    write_tree(tmp_path, {"config/importmap.rb": 'pin "jquery" # @3.7.1\n'})
    found = {t.name: t for t in discover_context(tmp_path, debug=True).technologies}
    assert found["jQuery"].version == "3.7.1"
    assert found["jQuery"].evidence == ["config/importmap.rb:1"]


def test_a_dev_containers_base_image_is_dev_scope(tmp_path: Path) -> None:
    write_tree(tmp_path, {".devcontainer/Dockerfile": "FROM postgres:16\n",
                          "Dockerfile": "FROM redis:7\n"})
    found = {t.name: t for t in discover_context(tmp_path, debug=True).technologies}
    assert (found["PostgreSQL"].scope, found["Redis"].scope) == ("dev", "runtime")


def test_a_pipelines_own_project_is_tooling(tmp_path: Path) -> None:
    write_tree(tmp_path, {".github/smoke/pom.xml": "<project><artifactId>smoke</artifactId>"
                                                   "</project>\n",
                          "pom.xml": "<project><artifactId>app</artifactId></project>\n"})
    kinds = {c.path: c.kind for c in discover_context(tmp_path, debug=True).components}
    assert kinds == {".": "service", ".github/smoke": "tooling"}


def test_a_requirements_folder_belongs_to_the_project_above_it(tmp_path: Path) -> None:
    write_tree(tmp_path, {"requirements/base.txt": "django==5.2\n",
                          "requirements/test.txt": "-r base.txt\npytest==8.4\n"})
    components = discover_context(tmp_path, debug=True).components
    assert [(c.path, c.manifests) for c in components] == [
        (".", ["requirements/base.txt", "requirements/test.txt"])]
    scopes = {d.name: d.scope for d in components[0].dependencies}
    assert scopes == {"django": "runtime", "pytest": "test"}


PIPFILE = ('[[source]]\nurl = "https://pypi.org/simple"\nname = "pypi"\n\n'
           '[packages]\ndjango = "~=5.0"\ndjango-axes = {extras = ["ipware"], version = "~=7.0"}\n'
           'inflection = "*"\n\n[dev-packages]\nblack = "~=26.0"\n')


def test_a_pipfile_declares_its_packages_and_dev_packages(tmp_path: Path) -> None:
    write_tree(tmp_path, {"Pipfile": PIPFILE})
    context = discover_context(tmp_path, debug=True)
    assert [(c.path, c.manifests) for c in context.components] == [(".", ["Pipfile"])]
    declared = {d.name: (d.version, d.scope, d.evidence)
                for d in context.components[0].dependencies}
    assert declared == {"django": ("~=5.0", "runtime", "Pipfile:6"),
                        "django-axes": ("~=7.0", "runtime", "Pipfile:7"),
                        "inflection": (None, "runtime", "Pipfile:8"),
                        "black": ("~=26.0", "dev", "Pipfile:11")}
    assert {"Django", "Black"} <= {t.name for t in context.technologies}


def test_a_pipfile_that_is_no_toml_is_noted_and_skipped(tmp_path: Path) -> None:
    write_tree(tmp_path, {"Pipfile": "[packages\ndjango = \n"})
    context = discover_context(tmp_path, debug=True)
    assert "Django" not in {t.name for t in context.technologies}
    assert any("Pipfile is not valid TOML" in note for note in context.notes)


@pytest.mark.parametrize(("dev_dependencies", "node_scope"), [
    # Django's assets, built by gulp from Bootstrap's sources: Node.js runs the build.
    ({"bootstrap": "^5.3.0", "gulp": "^5.0.0"}, "dev"),
    # A formatter alone builds nothing.
    ({"prettier": "^3.0.0"}, None),
])
def test_node_builds_a_frontend_that_no_runtime_dependency_needs(
    tmp_path: Path, dev_dependencies: dict[str, str], node_scope: str | None
) -> None:
    manifest = {"name": "assets", "private": True, "devDependencies": dev_dependencies}
    write_tree(tmp_path, {"package.json": json.dumps(manifest),
                          "requirements.txt": "django==5.2\n"})
    scopes = {t.name: t.scope for t in discover_context(tmp_path, debug=True).technologies}
    assert scopes.get("Node.js") == node_scope


def _pom(managed: str, declared: str = "") -> str:
    return ("<project><modelVersion>4.0.0</modelVersion><groupId>x</groupId><artifactId>app"
            "</artifactId><version>1</version>\n<dependencyManagement><dependencies>\n"
            f"{managed}</dependencies></dependencyManagement>\n"
            f"<dependencies>\n{declared}</dependencies></project>\n")


_ALIYUN_PIN = ("<dependency><groupId>com.aliyun</groupId><artifactId>dysmsapi20170525"
               "</artifactId><version>2.0.24</version></dependency>\n")
_CLOUD_BOM = ("<dependency><groupId>org.springframework.cloud</groupId><artifactId>"
              "spring-cloud-dependencies</artifactId><version>2025.1.2</version>"
              "<type>pom</type><scope>import</scope></dependency>\n")


@pytest.mark.parametrize(("pom", "named", "unnamed"), [
    # HertzBeat pins an SMS SDK in its parent that no module uses.
    (_pom(_ALIYUN_PIN), set(), {"Alibaba Cloud SDK"}),
    # An imported BOM is a platform the project chose.
    (_pom(_CLOUD_BOM), {"Spring Cloud"}, set()),
    # A module that uses the pinned artifact declares it, and names it there.
    (_pom(_ALIYUN_PIN, _ALIYUN_PIN.replace("<version>2.0.24</version>", "")),
     {"Alibaba Cloud SDK"}, set()),
])
def test_a_managed_pin_names_nothing_but_an_imported_bom_does(
    tmp_path: Path, pom: str, named: set[str], unnamed: set[str]
) -> None:
    write_tree(tmp_path, {"pom.xml": pom})
    names = {t.name for t in discover_context(tmp_path, debug=True).technologies}
    assert named <= names and not unnamed & names, sorted(names)
