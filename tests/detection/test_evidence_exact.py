"""Evidence is exact: every ``path:LINE`` of every fixture the suite discovers names its claim.

The corpus is enumerated, not listed: every `Case`, and every file tree (a mapping of
relative paths to contents) that a test module holds at its top level or in a
``parametrize`` table, anywhere under ``tests/``. A fixture added tomorrow is checked
without touching this file.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import ModuleType

import pytest

import tests
from backend_persona.discover import discover_context
from backend_persona.evidence import Evidence
from backend_persona.models import Dependency
from tests.conftest import FileContent, write_tree
from tests.detection.citations import names_dependency, wrong_citations
from tests.detection.corpus import Case

Tree = dict[str, FileContent]

# A tree's keys are relative file paths. At least one of them must look like a file name
# (`go.mod`, `src/app.py`, `Gemfile`), which tells a tree from a table of words or an
# environment (`GIT_AUTHOR_NAME`).
_RELATIVE_PATH = re.compile(r"^[\w.@+-]+(?:/[\w.@+ -]+)*$")
_FILE_NAME = re.compile(r"(?:^|/)(?:[^/]*\.[^/]*|[A-Z][a-z]+file)$")
# Containers are searched this deep: a parametrize table of tuples holding a tree.
_DEPTH = 4


def _tree(value: object) -> Tree | None:
    if isinstance(value, Case):
        return dict(value.files)
    if not isinstance(value, Mapping) or not value:
        return None
    if not all(isinstance(key, str) and _RELATIVE_PATH.match(key)
               and isinstance(content, str | bytes) for key, content in value.items()):
        return None
    return dict(value) if any(_FILE_NAME.search(key) for key in value) else None


def _trees(value: object, where: str, depth: int = 0) -> Iterator[tuple[str, Tree]]:
    tree = _tree(value)
    if tree is not None:
        yield (value.name if isinstance(value, Case) else where), tree
    elif depth < _DEPTH and isinstance(value, list | tuple):
        for number, item in enumerate(value):
            yield from _trees(item, f"{where}[{number}]", depth + 1)
    elif depth < _DEPTH and isinstance(value, Mapping):
        for key, item in value.items():
            yield from _trees(item, f"{where}[{key}]", depth + 1)
    elif depth < _DEPTH and type(value).__name__ == "ParameterSet":
        yield from _trees(getattr(value, "values", ()), where, depth + 1)


def _module_trees(module: ModuleType) -> Iterator[tuple[str, Tree]]:
    short = module.__name__.removeprefix("tests.")
    for name, value in vars(module).items():
        if name.startswith("__"):
            continue
        if callable(value) and not isinstance(value, type):
            # A test's own `@pytest.mark.parametrize` table: trees written in the decorator.
            for mark in getattr(value, "pytestmark", []):
                if mark.name == "parametrize" and len(mark.args) > 1:
                    yield from _trees(mark.args[1], f"{short}.{name}")
        elif getattr(value, "__module__", module.__name__) in {module.__name__, "builtins"}:
            yield from _trees(value, f"{short}.{name}")


def fixture_corpus() -> list[tuple[str, Tree]]:
    """Every distinct file tree of the test suite, named by where it was first found."""
    found: dict[tuple[tuple[str, FileContent], ...], str] = {}
    trees: list[tuple[str, Tree]] = []
    for info in pkgutil.walk_packages(tests.__path__, "tests."):
        if info.name == __name__:
            continue
        for name, tree in _module_trees(importlib.import_module(info.name)):
            key = tuple(sorted(tree.items()))
            if key not in found:
                found[key] = name
                trees.append((name, tree))
    return trees


CORPUS = fixture_corpus()


def test_the_corpus_holds_every_kind_of_fixture() -> None:
    names = {name for name, _ in CORPUS}
    # Cases, module-level trees, parametrize rows and a test's decorator table.
    assert {"go", "deps-maven", "test_render.GO_CONNECT_SERVICE",
            "detection.test_frameworks.ROWS[0][0]"} <= names, sorted(names)
    assert any(".test_kind_from_markers_and_manifests[" in name for name in names)
    assert len(CORPUS) > 300


@pytest.mark.parametrize(("name", "tree"), CORPUS, ids=[name for name, _ in CORPUS])
def test_every_citation_names_its_claim(tmp_path: Path, name: str, tree: Tree) -> None:
    # Outside git: what a line says does not depend on git, and 400 repositories would
    # cost half a minute of commits. The walker applies the same ignore rules.
    root = write_tree(tmp_path / "repo", tree)
    wrong = wrong_citations(discover_context(root, debug=True))
    assert not wrong, f"{name}:\n" + "\n".join(wrong)


# (manifest, dependency, line, names it): the check itself must tell a declaration from a
# line that only holds the name inside another one.
NAME_CHECKS = [
    ("go.mod", "google.golang.org/grpc", "\tgoogle.golang.org/grpc v1.67.1", True),
    ("go.mod", "google.golang.org/grpc",
     "\tgo.opentelemetry.io/contrib/instrumentation/google.golang.org/grpc/otelgrpc v0.56.0",
     False),
    ("pom.xml", "org.postgresql:postgresql", "      <artifactId>postgresql</artifactId>", True),
    ("build.gradle", "org.postgresql:postgresql",
     '    testImplementation "org.testcontainers:postgresql:1.20.4"', False),
    ("build.gradle", "org.postgresql:postgresql",
     '    implementation "org.postgresql:postgresql:42.7.4"', True),
    ("requirements.txt", "python-dotenv", "Python_Dotenv[cli]>=1.0", True),
    ("requirements.txt", "redis", "redis-om==0.3", False),
    ("Cargo.toml", "serde", "serde.workspace = true", True),
    ("Cargo.toml", "tokio", 'sqlx = { version = "0.8", features = ["runtime-tokio"] }', False),
    ("package.json", "express", '    "express-session": "^1.18.0",', False),
    ("Api.csproj", "Npgsql", '<PackageReference Include="npgsql" Version="8.0.5" />', True),
]


@pytest.mark.parametrize(("path", "name", "line", "names"), NAME_CHECKS,
                         ids=[f"{row[0]}-{row[1]}-{row[3]}" for row in NAME_CHECKS])
def test_the_check_tells_a_name_from_a_longer_one(
    tmp_path: Path, path: str, name: str, line: str, names: bool
) -> None:
    assert names_dependency(Dependency(name=name, evidence=Evidence(f"{path}:1")), line, path,
                            tmp_path) is names
