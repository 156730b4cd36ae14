"""Rows a workspace made false: where Node.js runs, whose version it is, which are libraries.

Each case reproduces a row that the row-by-row audit of five public repositories found
false (halo's Node.js as a runtime, novu's Node.js at its SDKs' ``>=10``, novu's libraries
listed as services).
"""

from __future__ import annotations

import json

import pytest

from backend_persona.models import Component, ProjectContext, Scope
from backend_persona.render import to_markdown
from backend_persona.vocabulary import ComponentKind
from tests.detection.conftest import Detect
from tests.detection.corpus import Case, by_name


def _json(data: object) -> str:
    return json.dumps(data, indent=2) + "\n"


# halo: a Spring app whose `ui/` pnpm workspace builds the console. Its generated API client
# holds only axios and qs, and its bundler kit is a Vite and Rsbuild plugin: neither is run
# by Node.js in production.
UI_WORKSPACE = Case("ui-workspace", {
    "build.gradle": "plugins {\n    id 'org.springframework.boot' version '3.4.0'\n}\n",
    "ui/package.json": _json({
        "name": "ui", "workspaces": ["packages/*"], "engines": {"node": ">=24.11.0"},
        "dependencies": {"vue": "^3.5.0", "@acme/api-client": "workspace:*"},
        "devDependencies": {"vite": "^7.0.0"},
    }),
    "ui/packages/api-client/package.json": _json({
        "name": "@acme/api-client", "types": "./dist/index.d.ts",
        "dependencies": {"qs": "^6.15.3"}, "peerDependencies": {"axios": "^1.16.0"},
    }),
    "ui/packages/api-client/src/.openapi-generator-ignore": "\n",
    "ui/packages/bundler-kit/package.json": _json({
        "name": "@acme/bundler-kit", "engines": {"node": "^18.0.0 || >=20.0.0"},
        "dependencies": {"@acme/api-client": "workspace:*", "semver": "^7.0.0"},
        "peerDependencies": {"vite": "^7.0.0", "@rsbuild/core": "^1.0.0"},
    }),
})
# The same client, imported by a server: there Node.js runs it.
SERVER_IMPORTS = Case("server-imports-client", {
    "package.json": _json({"name": "root", "private": True, "workspaces": ["packages/*"]}),
    "packages/api-client/package.json": UI_WORKSPACE.files["ui/packages/api-client/package.json"],
    "packages/server/package.json": _json({
        "name": "server", "scripts": {"start": "node dist/main.js"},
        "dependencies": {"express": "^4.21.0", "@acme/api-client": "workspace:*"},
    }),
    "packages/web/package.json": _json({
        "name": "web", "dependencies": {"react": "^18.3.1", "@acme/api-client": "workspace:*"},
    }),
    # A published SDK nobody here imports keeps its own verdict: it runs on its users' Node.js.
    "packages/sdk/package.json": _json({
        "name": "@acme/sdk", "engines": {"node": ">=10"}, "types": "./dist/index.d.ts",
        "dependencies": {"axios": "^1.6.8"},
    }),
})
# novu: the root pins the workspace's Node.js; a dozen published SDKs say the oldest one
# they support, and their `start` scripts are watch builds.
SDK_WORKSPACE = Case("sdk-workspace", {
    "package.json": _json({
        "name": "root", "private": True, "workspaces": ["apps/*", "packages/*"],
        "engines": {"node": ">=20 <21"},
    }),
    "apps/api/package.json": _json({
        "name": "@acme/api", "scripts": {"start": "pnpm start:dev", "start:dev": "nest start"},
        "dependencies": {"@nestjs/core": "10.4.1", "@acme/node": "workspace:*"},
    }),
    **{f"packages/{name}/package.json": _json({
        "name": f"@acme/{name}", "engines": {"node": ">=10"}, "types": "dist/index.d.ts",
        "scripts": {"start": "npm run start:dev", "start:dev": "npm run watch:build",
                    "watch:build": "tsc -p tsconfig.json -w"},
        "dependencies": {"axios": "^1.6.8"},
    }) for name in ("node", "client", "stateless")},
    "packages/shared/package.json": _json({
        "name": "@acme/shared", "types": "dist/index.d.ts",
        "scripts": {"start": "pnpm build:watch", "build:watch": "tsc -w"},
    }),
    # A start script that runs something else is a start.
    "packages/cli/package.json": _json({
        "name": "@acme/cli", "types": "dist/index.d.ts",
        "scripts": {"start": "npm run build && node dist/index.js", "build": "tsc"},
    }),
    "playground/nestjs/package.json": _json({
        "name": "nestjs", "engines": {"node": ">=18"},
        "dependencies": {"@nestjs/core": "10.4.1"},
    }),
})


@pytest.mark.parametrize(("case", "scope"), [
    (UI_WORKSPACE, "dev"),
    (SERVER_IMPORTS, "runtime"),
], ids=["frontend-workspace", "server-imports"])
def test_node_runs_a_workspace_library_where_its_importers_run(
    detect: Detect, case: Case, scope: Scope
) -> None:
    assert by_name(detect(case))["Node.js"].scope == scope


def test_a_client_only_the_frontend_imports_and_a_build_plugin_give_no_node_runtime(
    detect: Detect,
) -> None:
    components = {c.path: c for c in detect(UI_WORKSPACE).components}
    for path in ("ui", "ui/packages/api-client", "ui/packages/bundler-kit"):
        assert "Node.js" not in components[path].technologies, path


@pytest.mark.parametrize(("path", "runs"), [
    ("packages/server", True),
    # Imported at runtime by the server.
    ("packages/api-client", True),
    # A frontend.
    ("packages/web", False),
    # Imported by nobody here: its own dependencies decide.
    ("packages/sdk", True),
], ids=lambda value: value if isinstance(value, str) else None)
def test_each_package_has_node_where_it_runs(detect: Detect, path: str, runs: bool) -> None:
    component = _component(detect(SERVER_IMPORTS), path)
    assert ("Node.js" in component.technologies) is runs


def test_a_runtime_version_is_the_workspace_roots(detect: Detect) -> None:
    context = detect(SDK_WORKSPACE)
    node = by_name(context)["Node.js"]
    assert node.version == ">=20 <21"
    # Each component's own pin is kept (an example is no part of the stack at all).
    assert node.versions == {".": ">=20 <21", "packages/client": ">=10", "packages/node": ">=10",
                             "packages/stateless": ">=10"}
    assert "| Node.js | runtime | >=20 <21 (workspace root) | runtime |" in to_markdown(context)


def test_without_a_workspace_pin_the_most_common_still_wins(detect: Detect) -> None:
    node = by_name(detect(SERVER_IMPORTS))["Node.js"]
    assert node.version == ">=10"


@pytest.mark.parametrize(("path", "kind"), [
    ("packages/node", "library"),
    ("packages/client", "library"),
    ("packages/shared", "library"),
    ("packages/cli", "service"),
    ("apps/api", "service"),
    ("playground/nestjs", "example"),
], ids=lambda value: value if "/" in str(value) else None)
def test_a_watch_build_start_script_starts_nothing(
    detect: Detect, path: str, kind: ComponentKind
) -> None:
    assert _component(detect(SDK_WORKSPACE), path).kind == kind


def _component(context: ProjectContext, path: str) -> Component:
    return next(c for c in context.components if c.path == path)


# Dependencies that are plugins or companion packages of a technology in the stack (seen as
# "Other deps" in novu, netbox and svix-webhooks) name it; a dependency naming none is other.
PLUGINS = Case("plugins-name-their-tool", {
    "package.json": _json({
        "name": "root", "private": True, "dependencies": {"tslib": "^2.4.0"},
        "devDependencies": {
            "eslint": "^9.0.0", "eslint-import-resolver-webpack": "^0.13.8",
            "@cspell/eslint-plugin": "^8.0.0", "pnpm": "^9.11.0", "left-pad": "^1.3.0",
        },
    }),
    "Cargo.toml": '[package]\nname = "bridge"\nversion = "0.1.0"\n\n[dependencies]\n'
                  'deno_core = "0.300"\ndeno_ast = "0.42"\naxum = "0.8"\naxum-extra = "0.10"\n'
                  'anyhow = "1"\n',
    "requirements.txt": "django==5.1\ndjango-sesame==3.2\nnetaddr==1.3.0\n",
})


@pytest.mark.parametrize(("dependency", "technologies"), [
    ("eslint-import-resolver-webpack", ["ESLint"]),
    ("@cspell/eslint-plugin", ["ESLint"]),
    ("pnpm", ["pnpm"]),
    ("tslib", ["TypeScript"]),
    ("deno_ast", ["Deno"]),
    ("axum-extra", ["Axum"]),
    ("django-sesame", ["Django"]),
    # Nothing stands for these: they are the "other" ones.
    ("left-pad", []),
    ("anyhow", []),
    ("netaddr", []),
], ids=lambda value: value if isinstance(value, str) else None)
def test_a_plugin_names_its_technology(
    detect: Detect, dependency: str, technologies: list[str]
) -> None:
    declared = {d.name: d for c in detect(PLUGINS).components for d in c.dependencies}
    assert declared[dependency].technologies == technologies


def test_a_plugin_is_no_sighting_of_its_technology(detect: Detect) -> None:
    found = by_name(detect(PLUGINS))
    # Its version, and its evidence, are the technology's own packages' only.
    assert (found["Deno"].version, found["ESLint"].version, found["Axum"].version,
            found["Django"].version) == (None, "^9.0.0", "0.8", "5.1")
    assert found["Django"].evidence == [PLUGINS.at("requirements.txt", "django==")]
    assert found["Axum"].evidence == [PLUGINS.at("Cargo.toml", "axum =")]
    assert found["Deno"].evidence == [PLUGINS.at("Cargo.toml", "deno_core")]
    # Nothing else names pnpm here: a dependency on its package adds no row to the stack.
    assert "pnpm" not in found


# novu: Agenda at ^6.3.0 was hokify's fork's version; agenda itself has no 6.
FORK = Case("agenda-fork", {
    "package.json": _json({"name": "jobs", "dependencies": {"@hokify/agenda": "^6.3.0"}}),
    "worker/package.json": _json({"name": "worker", "dependencies": {"agenda": "^5.0.0"}}),
})


def test_a_fork_never_gives_the_original_its_version(detect: Detect) -> None:
    agenda = by_name(detect(FORK))["Agenda"]
    assert (agenda.version, agenda.versions) == ("^5.0.0", {"worker": "^5.0.0"})
