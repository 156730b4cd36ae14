"""What the catalog answers for one rule: the technology it names, and how it names it.

Its own module so that detectors, the compiled-catalog cache and the loader share one
small type without importing the loader.
"""

from __future__ import annotations

from typing import Any

from backend_persona.records import Category


class Known:
    """A canonical technology that a dependency stands for.

    ``versioned`` says whether the version of the rule that found it is this technology's
    own; ``implied``, whether the rule names another technology that implies this one
    (Sidekiq's rule for Redis); ``companion``, whether the rule is a plugin's or a
    companion package's (``companion = true`` in the catalog). All are properties of the
    rule, not of the technology, so two `Known` of one name are equal whatever they say.

    Immutable and slotted, written out rather than a frozen dataclass: dataclasses imports
    inspect, some 7 ms of every cold ``context`` run.
    """

    __slots__ = ("category", "companion", "implied", "name", "versioned")

    name: str
    category: Category
    versioned: bool
    implied: bool
    # Whether the rule is a companion's (a plugin, a preset): its dependency names the
    # technology, but is no sighting of it.
    companion: bool

    def __init__(self, name: str, category: Category, versioned: bool = True,
                 implied: bool = False, companion: bool = False) -> None:
        """Name a technology as one rule does; see the class for the flags."""
        setattr_ = object.__setattr__
        setattr_(self, "name", name)
        setattr_(self, "category", category)
        setattr_(self, "versioned", versioned)
        setattr_(self, "implied", implied)
        setattr_(self, "companion", companion)

    def evolve(self, **changes: bool) -> Known:
        """A copy with some of ``versioned``, ``implied`` and ``companion`` changed."""
        flags = {"versioned": self.versioned, "implied": self.implied,
                 "companion": self.companion}
        if unknown := changes.keys() - flags.keys():
            raise TypeError(f"Known has no flag {sorted(unknown)[0]!r}")
        return Known(self.name, self.category, **{**flags, **changes})

    def __setattr__(self, name: str, value: Any) -> None:
        """Refuse: a `Known` is shared by every table and sighting that names it."""
        raise AttributeError(f"cannot assign to field {name!r}")

    def __delattr__(self, name: str) -> None:
        """Refuse, as `__setattr__` does."""
        raise AttributeError(f"cannot delete field {name!r}")

    def __eq__(self, other: object) -> bool:
        """Equal when the name and category are: the flags are the rule's, not the technology's."""
        if not isinstance(other, Known):
            return NotImplemented
        return self.name == other.name and self.category == other.category

    def __hash__(self) -> int:
        """The hash of the name and category, as `__eq__` compares them."""
        return hash((self.name, self.category))

    def __repr__(self) -> str:
        """Every field, as a dataclass would show them."""
        return (f"Known(name={self.name!r}, category={self.category!r}, "
                f"versioned={self.versioned!r}, implied={self.implied!r}, "
                f"companion={self.companion!r})")
