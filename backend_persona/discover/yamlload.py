"""Load YAML from the repository safely and cheaply: PyYAML's C loader when present."""

from __future__ import annotations

from typing import Any

from backend_persona.discover.index import FileIndex, display


def load_documents(index: FileIndex, path: str) -> list[Any] | None:
    """Every document of a YAML file, or None (with a note) when it cannot be parsed."""
    text = index.read_text(path)
    if text is None:
        return None
    import yaml  # noqa: PLC0415  (heavy; only repositories with such files pay for it)

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return [doc for doc in yaml.load_all(text, Loader=loader) if doc is not None]
    except yaml.YAMLError as error:
        # Only the parser's own words and the line: its context lines quote file content.
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(error, "problem", None) or type(error).__name__
        index.note(f"{display(path)} is not valid YAML ({problem}{where}); skipped")
        return None
