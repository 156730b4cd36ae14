"""No import cycle in backend_persona, counting the imports inside functions too.

And no module over 400 lines: a newcomer reads a module whole, or not at all.

A lazy import hides a cycle from Python, not from a reader: the graph here is every
``import`` and ``from ... import`` in every module, wherever it sits.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import backend_persona

PACKAGE = Path(backend_persona.__file__).parent
ROOT = PACKAGE.name
MAX_MODULE_LINES = 400


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imported(name: str, path: Path) -> Iterator[str]:
    """The package's modules that ``name`` imports, anywhere in its code.

    ``from pkg import x`` names the submodule ``pkg.x`` when there is one, else ``pkg``
    itself. The parent packages Python initialises on the way are left out: a package
    whose ``__init__`` imports its own modules is not a cycle.
    """
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names if alias.name in MODULES)
        elif isinstance(node, ast.ImportFrom):
            # The package imports itself absolutely; a relative import would need resolving.
            assert node.level == 0, f"{name}:{node.lineno}: relative import"
            base = node.module or ""
            for alias in node.names:
                if f"{base}.{alias.name}" in MODULES:
                    yield f"{base}.{alias.name}"
                elif base in MODULES:
                    yield base


GRAPH = {name: sorted(set(imported(name, path)) - {name}) for name, path in MODULES.items()}


def find_cycle(graph: dict[str, list[str]]) -> list[str] | None:
    """One cycle of ``graph`` as the path that closes it, or None."""
    done: set[str] = set()
    path: list[str] = []
    on_path: set[str] = set()

    def visit(node: str) -> list[str] | None:
        if node in on_path:
            return [*path[path.index(node):], node]
        if node in done:
            return None
        path.append(node)
        on_path.add(node)
        for target in graph.get(node, []):
            cycle = visit(target)
            if cycle:
                return cycle
        path.pop()
        on_path.discard(node)
        done.add(node)
        return None

    for start in graph:
        cycle = visit(start)
        if cycle:
            return cycle
    return None


def test_the_graph_sees_every_module_and_the_lazy_imports() -> None:
    assert f"{ROOT}.discover.engine" in MODULES
    assert f"{ROOT}.cli.context" in GRAPH
    # cli/context.py imports the library face inside its command function.
    assert f"{ROOT}.context" in GRAPH[f"{ROOT}.cli.context"]


def test_no_module_imports_itself_back() -> None:
    cycle = find_cycle(GRAPH)
    assert cycle is None, " -> ".join(cycle or [])


def test_discovery_imports_no_state_reader() -> None:
    discover = [name for name in GRAPH if name.startswith(f"{ROOT}.discover")]
    readers = {f"{ROOT}.state.{module}" for module in ("store", "previous", "session")}
    assert not {target for name in discover for target in GRAPH[name]} & readers


def test_a_planted_cycle_is_found() -> None:
    assert find_cycle({"a": ["b"], "b": ["c"], "c": ["a"]}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": ["b"], "b": []}) is None


def test_no_module_is_over_400_lines() -> None:
    long = {name: lines for name, path in MODULES.items()
            if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES}
    assert not long, long
