"""The check a precision table's row makes: what an id must name, and must not."""

from __future__ import annotations

from backend_persona.discover import catalog


def check_names(source: str, ident: str, wanted: set[str], unwanted: set[str]) -> None:
    """Assert that ``ident`` of rule source ``source`` names ``wanted`` and none of ``unwanted``.

    The lookup is the detectors' own (`catalog.match`), implied technologies included.
    """
    found = {known.name for known in catalog.match(source, ident)}
    assert wanted <= found, f"{source} {ident!r} gives {sorted(found)}"
    assert not unwanted & found, f"{source} {ident!r} gives {sorted(found)}"
