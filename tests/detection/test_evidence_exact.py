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
from tests.conftest import FileContent, write_tree
from tests.detection.citations import wrong_citations
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
