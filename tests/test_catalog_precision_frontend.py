"""Precision of the frontend, tooling, CI and delivery catalog files.

The check reads the TOML data as ``resources/catalog/README.md`` defines it, with a small
reader of its own: every ``*.toml`` file of the catalog folder is parsed with ``tomllib``,
extensions are merged into their definitions, ``implies`` is followed transitively, and an
id matches a key exactly or, failing that, the longest key that ends in ``/ : - .`` and
that the id starts with. A ``file`` key is a bare file name (any folder), a path from the
root, or a root path prefix ending in ``/``.

Each row says what an id names, and look-alike ids show that a short key or a prefix does
not reach unrelated packages.
"""

from __future__ import annotations

import tomllib
from collections import defaultdict
from functools import cache
from pathlib import Path

import pytest

from backend_persona.discover import catalog

CATALOG = Path(__file__).resolve().parents[1] / "backend_persona" / "resources" / "catalog"
OWN_FILES = ("frontend.toml", "tooling.toml", "ci.toml", "delivery.toml")
SOURCES = ("npm", "pypi", "maven", "gradle_plugin", "go", "crate", "gem", "hex", "composer",
           "nuget", "cmake", "image", "scheme", "file", "artifact", "code")
# The README's fixed vocabulary.
CATEGORIES = frozenset({
    "framework", "frontend", "api", "data-access", "driver", "migrations", "datastore", "search",
    "broker", "jobs", "realtime", "observability", "auth", "cloud", "server", "runtime", "testing",
    "build", "ci", "delivery", "library",
})

Tables = list[dict[str, object]]


def _tables(name: str) -> Tables:
    data = tomllib.loads((CATALOG / name).read_text("utf-8"))
    tables = data.get("technology", [])
    assert isinstance(tables, list)
    return tables


@cache
def _catalog() -> tuple[dict[str, dict[str, set[str]]], dict[str, list[str]]]:
    """Per source, key -> the names it matches directly; and each name's ``implies``."""
    rules: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    implies: dict[str, list[str]] = defaultdict(list)
    for path in sorted(CATALOG.glob("*.toml")):
        for table in _tables(path.name):
            name = str(table["name"])
            implies[name].extend(str(other) for other in table.get("implies", []))  # type: ignore[attr-defined]
            for source in SOURCES:
                for key in table.get(source, []):  # type: ignore[attr-defined]
                    rules[source][str(key)].add(name)
    return rules, implies


def _expanded(names: set[str]) -> set[str]:
    _, implies = _catalog()
    found: set[str] = set()
    pending = list(names)
    while pending:
        current = pending.pop()
        if current not in found:
            found.add(current)
            pending.extend(implies.get(current, []))
    return found


def names(source: str, ident: str) -> set[str]:
    """The technologies the catalog names for ``ident`` from rule source ``source``."""
    rules, _ = _catalog()
    table = rules.get(source, {})
    if source == "file":
        direct: set[str] = set()
        base = ident.rpartition("/")[2]
        for key, matched in table.items():
            if key.endswith("/"):
                hit = ident.startswith(key)
            elif key.startswith("./"):
                hit = ident == key.removeprefix("./")
            elif "/" in key:
                hit = ident == key
            else:
                hit = base == key
            if hit:
                direct |= matched
        return _expanded(direct)
    # Everything else through the loader the detectors use, implied technologies included.
    return {known.name for known in catalog.match(source, ident)}


NOTHING: set[str] = set()

ROWS: list[tuple[str, str, set[str]]] = [
    # React and its look-alikes: no `react-` prefix is claimed.
    ("npm", "react", {"React"}),
    ("npm", "react-dom", {"React"}),
    ("npm", "react-native", {"React Native", "React"}),
    ("npm", "react-native-web", NOTHING),
    # Create React App's scripts: React itself, and Jest, which `react-scripts test` runs.
    ("npm", "react-scripts", {"Create React App", "React", "Jest"}),
    ("npm", "react-redux", {"Redux"}),
    ("npm", "react-router-dom", {"React Router"}),
    ("npm", "react-relay", {"Relay"}),
    ("npm", "preact", {"Preact"}),
    ("npm", "preact-render-to-string", NOTHING),
    ("npm", "@preact/signals", {"Preact"}),
    # Vue.
    ("npm", "vue", {"Vue"}),
    ("npm", "@vue/compiler-sfc", {"Vue"}),
    ("npm", "vue-template-compiler", NOTHING),
    ("npm", "vue-loader", NOTHING),
    ("npm", "@vue/apollo-composable", {"Apollo Client"}),
    ("npm", "vuetify", {"Vuetify", "Vue"}),
    ("npm", "nuxt", {"Nuxt", "Vue"}),
    ("npm", "nuxt-icon", NOTHING),
    # Angular and AngularJS.
    ("npm", "angular", {"AngularJS"}),
    ("npm", "@angular/core", {"Angular"}),
    ("npm", "@angular/material", {"Angular Material", "Angular"}),
    ("npm", "@angular-eslint/builder", {"angular-eslint"}),
    ("npm", "angular-eslint", {"angular-eslint"}),
    # Svelte, Solid, Remix, Lit, Astro.
    ("npm", "svelte", {"Svelte"}),
    ("npm", "svelte-check", NOTHING),
    ("npm", "@sveltejs/kit", {"SvelteKit", "Svelte"}),
    ("npm", "@sveltejs/adapter-node", {"SvelteKit", "Svelte"}),
    ("npm", "@sveltejs/vite-plugin-svelte", {"Svelte"}),
    ("npm", "solid-js", {"Solid"}),
    ("npm", "@remix-run/react", {"Remix", "React"}),
    ("npm", "@remix-run/router", NOTHING),
    ("npm", "lit", {"Lit"}),
    ("npm", "lit-html", {"Lit"}),
    ("npm", "lite-server", NOTHING),
    ("npm", "astro", {"Astro"}),
    ("npm", "@astrojs/react", {"Astro"}),
    ("npm", "elm", {"Elm"}),
    ("npm", "jquery", {"jQuery"}),
    ("npm", "htmx.org", {"htmx"}),
    # Mobile and desktop.
    ("npm", "expo", {"Expo", "React Native", "React"}),
    ("npm", "@expo/vector-icons", {"Expo", "React Native", "React"}),
    ("npm", "electron", {"Electron"}),
    ("npm", "electron-to-chromium", NOTHING),
    ("npm", "@tauri-apps/api", {"Tauri"}),
    # Hotwire versus Turborepo: both are "turbo".
    ("npm", "turbo", {"Turborepo"}),
    ("npm", "@hotwired/turbo", {"Hotwire"}),
    ("npm", "@hotwired/stimulus", {"Stimulus"}),
    ("npm", "turbo-stream", NOTHING),
    ("gem", "turbo-rails", {"Hotwire"}),
    ("gem", "stimulus-rails", {"Stimulus"}),
    # Bundlers and compilers.
    ("npm", "vite", {"Vite"}),
    ("npm", "@vitejs/plugin-react", {"Vite"}),
    # A Vite plugin names Vite (plugins.toml); a name that only starts like it does not.
    ("npm", "vite-tsconfig-paths", {"Vite"}),
    ("npm", "vite-plugin-dts", {"Vite"}),
    ("npm", "vitessce", NOTHING),
    ("npm", "vite-plugin-ruby", {"Vite Ruby", "Vite"}),
    ("npm", "vitest", {"Vitest"}),
    ("npm", "@vitest/coverage-v8", {"Vitest"}),
    ("npm", "webpack", {"webpack"}),
    ("npm", "@webpack-cli/serve", {"webpack"}),
    # Plugins and loaders name their tool (plugins.toml), never its version.
    ("npm", "webpack-bundle-analyzer", {"webpack"}),
    ("npm", "webpackbar-lookalike", NOTHING),
    ("npm", "laravel-mix", {"Laravel Mix", "webpack"}),
    ("npm", "esbuild", {"esbuild"}),
    ("npm", "esbuild-register", NOTHING),
    ("npm", "rollup", {"Rollup"}),
    ("npm", "@rollup/plugin-node-resolve", {"Rollup"}),
    ("npm", "rollup-plugin-terser", {"Rollup"}),
    ("npm", "rollupjs-lookalike", NOTHING),
    ("npm", "@swc/core", {"SWC"}),
    ("npm", "@babel/core", {"Babel"}),
    ("npm", "babel-plugin-macros", {"Babel"}),
    ("npm", "babelfish", NOTHING),
    ("npm", "babel-jest", {"Jest"}),
    ("npm", "parcel", {"Parcel"}),
    # Styling.
    ("npm", "tailwindcss", {"Tailwind CSS"}),
    ("npm", "@tailwindcss/vite", {"Tailwind CSS"}),
    # Tailwind's class merger and its plugins name it; a look-alike does not.
    ("npm", "tailwind-merge", {"Tailwind CSS"}),
    ("npm", "tailwindcss-animate", {"Tailwind CSS"}),
    ("npm", "tailwind-lookalike", NOTHING),
    ("npm", "postcss", {"PostCSS"}),
    ("npm", "postcss-loader", {"PostCSS"}),
    ("npm", "sass", {"Sass"}),
    ("npm", "sass-graph", NOTHING),
    ("npm", "styled-components", {"styled-components"}),
    ("npm", "styled-jsx", NOTHING),
    ("npm", "@emotion/react", {"Emotion"}),
    ("npm", "@mui/material", {"MUI"}),
    ("npm", "@radix-ui/react-dialog", {"Radix UI"}),
    ("npm", "antd", {"Ant Design"}),
    ("npm", "bootstrap", {"Bootstrap"}),
    ("npm", "bootstrap-icons", NOTHING),
    ("gem", "bootstrap", {"Bootstrap"}),
    ("gem", "bootstrap_form", NOTHING),
    # State and data fetching.
    ("npm", "@tanstack/react-query", {"TanStack Query"}),
    ("npm", "@tanstack/react-table", {"TanStack Table"}),
    ("npm", "@tanstack/react-router", {"TanStack Router"}),
    ("npm", "@apollo/client", {"Apollo Client"}),
    ("npm", "swr", {"SWR"}),
    ("npm", "redux", {"Redux"}),
    ("npm", "redux-thunk", {"Redux Thunk"}),
    # Storybook.
    ("npm", "storybook", {"Storybook"}),
    ("npm", "@storybook/react", {"Storybook"}),
    ("npm", "@storybook/test-runner", {"Storybook Test Runner", "Storybook"}),
    # Testing.
    ("npm", "playwright", {"Playwright"}),
    ("npm", "@playwright/test", {"Playwright"}),
    ("npm", "playwright-chromium", NOTHING),
    ("npm", "cypress", {"Cypress"}),
    ("npm", "cypress-image-snapshot", {"Cypress"}),
    ("npm", "cypressjs", NOTHING),
    ("npm", "karma-jasmine", {"Karma"}),
    ("npm", "karmatic", NOTHING),
    ("npm", "storybook-dark-mode", {"Storybook"}),
    ("npm", "prosemirror-collab", {"ProseMirror"}),
    ("npm", "eslint-import-resolver-webpack", {"ESLint"}),
    ("npm", "@cspell/eslint-plugin", {"ESLint"}),
    ("npm", "pnpm", {"pnpm"}),
    ("npm", "@pnpm/logger", {"pnpm"}),
    ("npm", "pnpmfile-lookalike", NOTHING),
    ("npm", "nestjs-otel", {"NestJS"}),
    ("npm", "nestjs", NOTHING),
    ("npm", "puppeteer", {"Puppeteer"}),
    ("npm", "puppeteer-extra", NOTHING),
    ("npm", "chai", {"Chai"}),
    ("npm", "chai-as-promised", NOTHING),
    ("npm", "@testing-library/react", {"Testing Library"}),
    ("npm", "msw", {"Mock Service Worker"}),
    ("npm", "@types/k6", {"k6"}),
    ("npm", "@types/react", NOTHING),
    ("npm", "ava", {"AVA"}),
    ("npm", "@jest/globals", {"Jest"}),
    # Linters and release tooling.
    ("npm", "eslint", {"ESLint"}),
    ("npm", "eslint-plugin-react", {"ESLint"}),
    ("npm", "eslint-config-next", {"ESLint"}),
    ("npm", "@typescript-eslint/parser", {"ESLint"}),
    ("npm", "prettier-plugin-tailwindcss", {"Prettier"}),
    ("npm", "@biomejs/biome", {"Biome"}),
    ("npm", "nx", {"Nx"}),
    ("npm", "@nx/react", {"Nx"}),
    ("npm", "@nrwl/workspace", {"Nx"}),
    ("npm", "@changesets/cli", {"Changesets"}),
    ("npm", "semantic-release", {"semantic-release"}),
    ("npm", "@actions/core", {"GitHub Actions"}),
    ("npm", "@dagger.io/dagger", {"Dagger"}),
    # Delivery from npm.
    ("npm", "serverless", {"Serverless Framework"}),
    ("npm", "serverless-http", NOTHING),
    ("npm", "aws-cdk-lib", {"AWS CDK"}),
    ("npm", "@aws-cdk/aws-s3", {"AWS CDK"}),
    ("npm", "@pulumi/aws", {"Pulumi"}),
    ("npm", "cdktf", {"CDK for Terraform", "Terraform"}),
    ("npm", "sst", {"SST"}),
    # PyPI (normalised names).
    ("pypi", "dash", {"Dash"}),
    ("pypi", "dash-bootstrap-components", NOTHING),
    ("pypi", "pytest-django", {"pytest-django", "pytest"}),
    ("pypi", "pytest-playwright", {"Playwright"}),
    ("pypi", "pytest-recording", {"VCR.py"}),
    ("pypi", "testcontainers-postgres", {"Testcontainers"}),
    ("pypi", "pulumi-aws", {"Pulumi"}),
    ("pypi", "aws-cdk-aws-s3", {"AWS CDK"}),
    ("pypi", "hera", {"Argo Workflows"}),
    ("pypi", "robotframework-seleniumlibrary", {"Robot Framework"}),
    ("pypi", "selenium", {"Selenium"}),
    ("pypi", "seleniumbase", NOTHING),
    ("pypi", "django-htmx", {"htmx"}),
    ("pypi", "ansible", {"Ansible"}),
    ("pypi", "factory-boy", {"factory_boy"}),
    # Gems, Hex, Composer.
    ("gem", "rubocop-rails", {"RuboCop"}),
    ("gem", "capistrano-rails", {"Capistrano"}),
    ("gem", "database_cleaner-active_record", {"Database Cleaner"}),
    ("gem", "tailwindcss-rails", {"Tailwind CSS"}),
    ("gem", "rspec-core", {"RSpec"}),
    ("hex", "phoenix_live_view", {"Phoenix LiveView", "Phoenix"}),
    ("hex", "tailwind", {"Tailwind CSS"}),
    ("hex", "esbuild", {"esbuild"}),
    ("composer", "livewire/livewire", {"Livewire"}),
    ("composer", "laravel/dusk", {"Laravel Dusk"}),
    ("composer", "laravel/pint", {"Laravel Pint"}),
    ("composer", "pestphp/pest-plugin-laravel", {"Pest"}),
    # NuGet: Blazor sits under ASP.NET Core's prefix and keeps naming it.
    ("nuget", "Microsoft.AspNetCore.Components.WebAssembly", {"Blazor", "ASP.NET Core"}),
    ("nuget", "Microsoft.AspNetCore.Components.WebAssembly.Server", {"Blazor", "ASP.NET Core"}),
    ("nuget", "Microsoft.Playwright", {"Playwright"}),
    ("nuget", "Selenium.WebDriver.ChromeDriver", {"Selenium"}),
    ("nuget", "Amazon.CDK.Lib", {"AWS CDK"}),
    ("nuget", "Pulumi.Aws", {"Pulumi"}),
    ("nuget", "AutoFixture.Xunit2", {"AutoFixture"}),
    # Maven coordinates and Gradle plugins.
    ("maven", "org.mockito:mockito-core", {"Mockito"}),
    ("maven", "org.thymeleaf:thymeleaf", {"Thymeleaf"}),
    ("maven", "androidx.compose.ui:ui", {"Jetpack Compose"}),
    ("maven", "com.google.cloud.tools:jib-maven-plugin", {"Jib"}),
    ("maven", "com.google.cloud.tools:appengine-maven-plugin", NOTHING),
    ("maven", "com.google.errorprone:error_prone_annotations", NOTHING),
    ("maven", "au.com.dius.pact.consumer:junit5", {"Pact"}),
    ("maven", "com.github.tomakehurst:wiremock-jre8", {"WireMock"}),
    ("maven", "org.seleniumhq.selenium:selenium-java", {"Selenium"}),
    ("gradle_plugin", "com.google.cloud.tools.jib", {"Jib"}),
    ("gradle_plugin", "jacoco", {"JaCoCo"}),
    ("gradle_plugin", "org.sonarqube", {"SonarQube"}),
    # Go modules and crates.
    ("go", "github.com/pulumi/pulumi/sdk/v3", {"Pulumi"}),
    ("go", "github.com/onsi/ginkgo/v2", {"Ginkgo"}),
    ("go", "dagger.io/dagger", {"Dagger"}),
    ("go", "github.com/a-h/templ", {"templ"}),
    ("crate", "tauri", {"Tauri"}),
    ("crate", "tauri-plugin-shell", {"Tauri"}),
    ("crate", "dioxus-web", {"Dioxus"}),
    ("crate", "yew", {"Yew"}),
    # Images.
    ("image", "cypress/included", {"Cypress"}),
    ("image", "jenkins/jenkins", {"Jenkins"}),
    ("image", "docker", {"Docker"}),
    ("image", "grafana/k6", {"k6"}),
    ("image", "pulumi/pulumi", {"Pulumi"}),
    ("image", "fluxcd/source-controller", {"Flux", "Kubernetes"}),
    ("image", "drone/drone", {"Drone"}),
    # Files: names in any folder, root path prefixes.
    ("file", "Dockerfile", {"Docker"}),
    ("file", "docker-compose.yml", {"Docker Compose"}),
    ("file", "deploy/compose.yaml", {"Docker Compose"}),
    ("file", ".github/workflows/ci.yml", {"GitHub Actions"}),
    ("file", "docs/.github/workflows/ci.yml", NOTHING),
    ("file", ".github/dependabot.yml", {"Dependabot"}),
    ("file", ".gitlab-ci.yml", {"GitLab CI"}),
    ("file", ".circleci/config.yml", {"CircleCI"}),
    ("file", ".woodpecker/build.yaml", {"Woodpecker CI"}),
    ("file", "Jenkinsfile", {"Jenkins"}),
    ("file", "charts/api/Chart.yaml", {"Helm", "Kubernetes"}),
    ("file", "helmfile.yaml", {"Helmfile", "Helm", "Kubernetes"}),
    ("file", "k8s/kustomization.yaml", {"Kustomize", "Kubernetes"}),
    ("file", "turbo.json", {"Turborepo"}),
    ("file", "nx.json", {"Nx"}),
    ("file", "pnpm-lock.yaml", {"pnpm"}),
    ("file", "uv.lock", {"uv"}),
    ("file", "flake.nix", {"Nix"}),
    ("file", "devenv.nix", {"devenv", "Nix"}),
    ("file", "Pulumi.yaml", {"Pulumi"}),
    ("file", "cdk.json", {"AWS CDK"}),
    ("file", "fly.toml", {"Fly.io"}),
    # A Procfile alone is foreman's or a process monitor's as much as Heroku's (its content
    # decides: `code` rules); in a subfolder it is an image's process supervisor's.
    ("file", "Procfile", NOTHING),
    ("file", "docker/nginx/Procfile", NOTHING),
    ("file", ".changeset/config.json", {"Changesets"}),
    ("file", ".devcontainer/devcontainer.json", {"Dev Containers"}),
    ("file", "tailwind.config.ts", {"Tailwind CSS"}),
    ("file", ".golangci.yml", {"golangci-lint"}),
    ("file", ".pre-commit-config.yaml", {"pre-commit"}),
    ("file", "samconfig.toml", {"AWS SAM"}),
    # Generic names that prove nothing.
    ("file", "config.yml", NOTHING),
    ("file", "template.yaml", NOTHING),
    ("file", "app.json", NOTHING),
    ("file", "project.toml", NOTHING),
    # A Makefile is read by Make alone: it names Make, and nothing a Makefile happens to run.
    ("file", "Makefile", {"Make"}),
    ("file", "package.json", NOTHING),
    ("file", "k8s/deployment.yaml", NOTHING),
]

# Ids other files own: none of the names defined here may appear for them.
FOREIGN: list[tuple[str, str]] = [
    ("npm", "@apollo/server"),
    ("npm", "next"),
    ("npm", "express"),
    ("npm", "typescript"),
    ("npm", "aws-sdk"),
    ("hex", "phoenix"),
    ("hex", "phoenix_live_dashboard"),
    ("composer", "laravel/framework"),
    ("nuget", "Microsoft.AspNetCore.Mvc.Testing"),
    ("nuget", "Microsoft.AspNetCore.OpenApi"),
    ("maven", "org.springframework.boot:spring-boot-starter-web"),
    ("gem", "rails"),
    ("image", "grafana/grafana"),
    ("image", "postgres"),
]


@pytest.mark.parametrize(("source", "ident", "expected"), ROWS,
                         ids=[f"{s}:{i}" for s, i, _ in ROWS])
def test_id_names_exactly(source: str, ident: str, expected: set[str]) -> None:
    assert names(source, ident) == expected


def _own_definitions() -> dict[str, str]:
    defined: dict[str, str] = {}
    for filename in OWN_FILES:
        for table in _tables(filename):
            if "category" in table:
                defined[str(table["name"])] = filename
    return defined


@pytest.mark.parametrize(("source", "ident"), FOREIGN, ids=[f"{s}:{i}" for s, i in FOREIGN])
def test_foreign_ids_name_nothing_defined_here(source: str, ident: str) -> None:
    assert not (names(source, ident) & set(_own_definitions()))


@pytest.mark.parametrize("filename", OWN_FILES)
def test_tables_follow_the_contract(filename: str) -> None:
    for table in _tables(filename):
        assert isinstance(table.get("name"), str) and table["name"], table
        assert set(table) <= {"name", "category", "implies", "versioned", *SOURCES}, table["name"]
        if "category" in table:
            assert table["category"] in CATEGORIES, table["name"]
        for source in SOURCES:
            keys = table.get(source, [])
            assert isinstance(keys, list), (table["name"], source)
            assert all(isinstance(key, str) and key == key.strip() and key for key in keys)
            assert len(set(keys)) == len(keys), (table["name"], source)
        for key in table.get("pypi", []):  # type: ignore[attr-defined]
            assert key == key.lower() and "_" not in key and "." not in key, key


def test_names_and_keys_are_defined_once() -> None:
    defined: dict[str, str] = {}
    claimed: dict[tuple[str, str], str] = {}
    for path in sorted(CATALOG.glob("*.toml")):
        for table in _tables(path.name):
            name = str(table["name"])
            if "category" in table:
                if path.name in OWN_FILES or defined.get(name) in OWN_FILES:
                    assert name not in defined, f"{name} in {defined.get(name)} and {path.name}"
                defined[name] = path.name
            for source in SOURCES:
                for key in table.get(source, []):  # type: ignore[attr-defined]
                    owner = claimed.get((source, key))
                    if path.name in OWN_FILES or (owner or "").startswith(OWN_FILES):
                        assert owner is None, f"{source} {key!r}: {owner} and {path.name}"
                    claimed[(source, key)] = f"{path.name}:{name}"
    own = [t for f in OWN_FILES for t in _tables(f)]
    for table in own:
        if "category" not in table:
            assert table["name"] in defined, f"{table['name']} extends nothing"
        for other in table.get("implies", []):  # type: ignore[attr-defined]
            assert other in defined, f"{table['name']} implies unknown {other}"
