"""One detector's sighting of a technology: what `engine.merge_technologies` folds into one.

A large monorepo yields a sighting per manifest line and per marker file, some 80,000 on
300,000 files; as validated pydantic records they cost over a kilobyte each. A sighting
is the engine's own intermediate: its name, category and scope come from the compiled
catalog, so it is a plain record of slots, merged into a `backend_persona.records.Technology`,
and validated only when the JSON or the library asks for `backend_persona.models`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from backend_persona.evidence import Evidence
from backend_persona.records import Category, Scope


class Sighting:
    """A technology one file proves: the fields of a `Technology`, without ``versions``.

    Attributes:
        name: The technology's name, as the catalog spells it.
        category: Its category.
        version: The version this file pins, if any.
        scope: Where this file uses it.
        evidence: The citations, sorted and unique (one, as detectors make them).
        implied: Only an implying technology's rule made it (Sidekiq's line for Redis).
    """

    __slots__ = ("_cites", "category", "implied", "name", "scope", "version")

    name: str
    category: Category
    version: str | None
    scope: Scope
    implied: bool
    # One citation as it is, several as a tuple: nearly every sighting has one.
    _cites: Evidence | tuple[Evidence, ...]

    def __init__(self, *, name: str, category: Category, evidence: Iterable[str],
                 version: str | None = None, scope: Scope = "runtime",
                 implied: bool = False) -> None:
        """Record a sighting; ``evidence`` must cite at least one file.

        Raises:
            ValueError: ``evidence`` is empty.
        """
        if type(evidence) is list and len(evidence) == 1:
            # What `catalog.found` passes for every sighting a large monorepo makes: one
            # citation needs no set, sort or tuple.
            only = evidence[0]
            cites: Evidence | tuple[Evidence, ...] = (
                only if type(only) is Evidence else Evidence(only))
        else:
            cites = tuple(sorted({e if type(e) is Evidence else Evidence(e) for e in evidence}))
            if not cites:
                raise ValueError(f"a sighting of {name} cites no file")
            if len(cites) == 1:
                cites = cites[0]
        self.name = name
        self.category = category
        self.version = version
        self.scope = scope
        self._cites = cites
        self.implied = implied

    @property
    def evidence(self) -> tuple[Evidence, ...]:
        """The citations, sorted and unique."""
        cites = self._cites
        return cites if isinstance(cites, tuple) else (cites,)

    def evolve(self, **changes: Any) -> Sighting:
        """A copy with ``changes`` (any of the constructor's fields) applied."""
        fields = {"name": self.name, "category": self.category, "evidence": self.evidence,
                  "version": self.version, "scope": self.scope, "implied": self.implied}
        return Sighting(**{**fields, **changes})

    def __repr__(self) -> str:
        """The fields, as a record's repr shows them."""
        return (f"Sighting(name={self.name!r}, category={self.category!r}, "
                f"version={self.version!r}, scope={self.scope!r}, "
                f"evidence={list(self.evidence)!r}, implied={self.implied!r})")
