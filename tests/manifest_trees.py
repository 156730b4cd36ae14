"""Small manifest trees for the detection tests: one builder per manifest kind.

Each builder returns a `Tree` (path -> text) that `tests.conftest.write_tree` writes, and
`check_tree` discovers it as a whole, through the real detectors and the shipped catalog.
"""

from __future__ import annotations

import json
from pathlib import Path

from backend_persona.discover import discover_context
from tests.conftest import Tree, write_tree


def check_tree(tmp_path: Path, tree: Tree, expected: set[str], absent: set[str]) -> None:
    """Assert that ``tree`` names every one of ``expected`` and none of ``absent``."""
    write_tree(tmp_path, tree)
    names = {t.name for t in discover_context(tmp_path, debug=True).technologies}
    assert expected <= names, sorted(expected - names)
    assert not absent & names, sorted(absent & names)


def gradle(*coordinates: str) -> Tree:
    lines = "\n".join(f"    implementation '{c}'" for c in coordinates)
    return {"build.gradle": f"plugins {{ id 'java' }}\n\ndependencies {{\n{lines}\n}}\n"}


def npm(*packages: str) -> Tree:
    manifest = {"name": "web", "dependencies": dict.fromkeys(packages, "1.0.0")}
    return {"package.json": json.dumps(manifest)}


def requirements(*packages: str) -> Tree:
    return {"requirements.txt": "".join(f"{p}==1.0\n" for p in packages)}


def composer(*packages: str) -> Tree:
    manifest = {"name": "acme/app", "require": dict.fromkeys(packages, "*")}
    return {"composer.json": json.dumps(manifest)}


def gemfile(*gems: str) -> Tree:
    return {"Gemfile": 'source "https://rubygems.org"\n' + "".join(f'gem "{g}"\n' for g in gems)}


def cargo(*crates: str) -> Tree:
    deps = "".join(f'{c} = "1"\n' for c in crates)
    return {"Cargo.toml": f'[package]\nname = "svc"\nversion = "0.1.0"\n\n[dependencies]\n{deps}'}


def csproj(*packages: str) -> Tree:
    refs = "".join(f'    <PackageReference Include="{p}" Version="1.0.0" />\n' for p in packages)
    return {"src/Api/Api.csproj": '<Project Sdk="Microsoft.NET.Sdk.Web">\n  <ItemGroup>\n'
                                  f"{refs}  </ItemGroup>\n</Project>\n"}


def gomod(*modules: str) -> Tree:
    lines = "".join(f"\t{m} v1.0.0\n" for m in modules)
    return {"go.mod": f"module example.com/svc\n\ngo 1.22\n\nrequire (\n{lines})\n"}


def mix(*packages: str) -> Tree:
    deps = ",\n".join(f'      {{:{p}, "~> 1.0"}}' for p in packages)
    return {"mix.exs": "defmodule App.MixProject do\n  use Mix.Project\n\n  defp deps do\n"
                       f"    [\n{deps}\n    ]\n  end\nend\n"}


def workflow(*uses: str) -> Tree:
    steps = "".join(f"      - uses: {use}\n" for use in uses)
    return {".github/workflows/ci.yml": "on: push\njobs:\n  check:\n    runs-on: ubuntu-latest\n"
                                        f"    steps:\n      - uses: actions/checkout@v4\n{steps}"}
