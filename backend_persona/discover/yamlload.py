"""Load YAML from the repository safely and cheaply: PyYAML's C loader when present.

A file without aliases is parsed and built in one go. A file with aliases is first composed
into its node graph, whose expanded size is counted once per node: a "billion laughs" of a
few hundred bytes, which would expand to a billion nodes for whatever walks the data, is
refused before anything is built, and so are aliases that loop or nest past libyaml's own
depth limit. libyaml refuses nesting written out past 1,000 levels by itself (a
``ScannerError``, never a crash); PyYAML's pure-Python parser, the fallback, recurses and
raises ``RecursionError`` sooner, which becomes the same kind of note.
"""

from __future__ import annotations

from typing import Any

from backend_persona.discover.index import FileIndex
from backend_persona.safefs import printable

# How many nodes aliases may add to those the file writes out.
MAX_ALIAS_NODES = 100_000
# libyaml's limit on nesting written out; aliases may not nest deeper than a file could.
MAX_DEPTH = 1_000


def load_documents(index: FileIndex, path: str) -> list[Any] | None:
    """Every document of a YAML file, or None (with a note) when it cannot be parsed.

    Documents that would expand past `MAX_ALIAS_NODES` extra nodes, nest past `MAX_DEPTH`
    or refer to themselves through aliases are refused with a note, and so is the file.
    """
    text = index.read_text(path)
    if text is None:
        return None
    import yaml  # noqa: PLC0415  (heavy; only repositories with such files pay for it)

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        if "*" not in text:
            # Without an alias nothing is shared, so nothing can expand.
            return [doc for doc in yaml.load_all(text, Loader=loader) if doc is not None]
        return _load_measured(index, path, loader(text))
    except yaml.YAMLError as error:
        index.note(f"{printable(path)} {_parse_problem(error)}; skipped")
    except RecursionError:
        index.note(f"{printable(path)} {_TOO_DEEP}; skipped")
    return None


_TOO_DEEP = "is nested too deeply to read"


def _parse_problem(error: Exception) -> str:
    # Only the parser's own words and the line: its context lines quote file content.
    problem = getattr(error, "problem", None) or type(error).__name__
    if "nesting depth" in problem:
        return _TOO_DEEP  # libyaml's limit: valid YAML, only deeper than it follows
    mark = getattr(error, "problem_mark", None)
    where = f" at line {mark.line + 1}" if mark is not None else ""
    return f"is not valid YAML ({problem}{where})"


def _load_measured(index: FileIndex, path: str, loader: Any) -> list[Any] | None:
    try:
        documents = []
        while loader.check_node():
            node = loader.get_node()
            problem = _expansion_problem(node)
            if problem is not None:
                index.note(f"{printable(path)} {problem}; skipped")
                return None
            document = loader.construct_document(node)
            if document is not None:
                documents.append(document)
        return documents
    finally:
        loader.dispose()


def _expansion_problem(root: Any) -> str | None:
    """Why the YAML node graph under ``root`` may not be built, or None when it may.

    Each node is visited once, in an iterative depth-first walk: its expanded size and
    depth come from its children's, so shared subtrees cost nothing more however often
    aliases repeat them.
    """
    size: dict[int, int] = {}
    depth: dict[int, int] = {}
    open_nodes: set[int] = set()
    pending: list[tuple[Any, bool]] = [(root, False)]
    while pending:
        node, finished = pending.pop()
        key = id(node)
        children = _children(node)
        if finished:
            open_nodes.discard(key)
            # Capped: a bomb's true size is a number with thousands of digits.
            size[key] = min(1 + sum(size[id(c)] for c in children), 2**62)
            depth[key] = 1 + max((depth[id(c)] for c in children), default=0)
        elif key not in size:
            if key in open_nodes:
                return "uses YAML aliases that refer to themselves"
            open_nodes.add(key)
            pending.append((node, True))
            pending.extend((child, False) for child in children)
    limit = len(size) + MAX_ALIAS_NODES
    if size[id(root)] > limit:
        return f"uses YAML aliases that expand past {limit:,} nodes"
    if depth[id(root)] > MAX_DEPTH:
        return f"uses YAML aliases that nest past {MAX_DEPTH:,} levels"
    return None


def _children(node: Any) -> list[Any]:
    from yaml.nodes import MappingNode, SequenceNode  # noqa: PLC0415  (loaded by now)

    if isinstance(node, MappingNode):
        return [part for pair in node.value for part in pair]
    return list(node.value) if isinstance(node, SequenceNode) else []
