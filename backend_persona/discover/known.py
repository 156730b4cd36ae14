"""What the catalog answers for one rule: the technology it names, and how it names it.

Its own module so that detectors, the compiled-catalog cache and the loader share one
small type without importing the loader.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from backend_persona.records import Category


@dataclass(frozen=True)
class Known:
    """A canonical technology that a dependency stands for.

    ``versioned`` says whether the version of the rule that found it is this technology's
    own; ``implied``, whether the rule names another technology that implies this one
    (Sidekiq's rule for Redis); ``companion``, whether the rule is a plugin's or a
    companion package's (``companion = true`` in the catalog). All are properties of the
    rule, not of the technology, so two `Known` of one name are equal whatever they say.
    """

    name: str
    category: Category
    versioned: bool = field(default=True, compare=False)
    implied: bool = field(default=False, compare=False)
    # Whether the rule is a companion's (a plugin, a preset): its dependency names the
    # technology, but is no sighting of it.
    companion: bool = field(default=False, compare=False)
