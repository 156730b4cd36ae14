"""The citation a finding carries: a file, and the line in it when one is known.

Detectors write citations as plain strings, ``path`` or ``path:LINE``; model fields typed
`Evidence` turn them into one, whose parts no reader has to split out itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pydantic_core import CoreSchema, core_schema



class Evidence(str):
    """A citation, ``path`` or ``path:LINE``, that compares, sorts and prints as its string.

    Being a `str`, it sorts, hashes, equals and dumps exactly as the citation does; it
    only adds the two parts, read-only. They are read from the string when asked for:
    a large monorepo holds a hundred thousand citations, and two attributes each would
    cost every one of them an instance dictionary.
    """

    __slots__ = ()

    @property
    def path(self) -> str:
        """The file cited, without the ``:LINE`` suffix; it may hold colons of its own."""
        return self._parts()[0]

    @property
    def line(self) -> int | None:
        """The 1-based line cited, or None when the citation names only the file."""
        return self._parts()[1]

    def _parts(self) -> tuple[str, int | None]:
        # rpartition and str() give plain strings, so `path` never nests another Evidence.
        head, colon, tail = self.rpartition(":")
        # A line number is what `discover.evidence` writes: ASCII digits, from 1, no leading
        # zero; anything else after the last colon ("x:0", "x:01", "C:weird") belongs to the
        # path. String methods, not a regex: the merge and the services map ask a large
        # monorepo's citations for their paths tens of thousands of times.
        if colon and "1" <= tail[:1] <= "9" and tail.isascii() and tail.isdigit():
            return head, int(tail)
        return str(self), None

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> CoreSchema:
        """Validate from a string, never a number or bytes; serialise as that same string."""
        # Only a model's schema asks: discovery's records and the markdown never import it.
        from pydantic_core import core_schema  # noqa: PLC0415

        return core_schema.no_info_wrap_validator_function(
            _validate,
            core_schema.str_schema(strict=True),
            serialization=core_schema.to_string_ser_schema(when_used="always"),
        )


def _validate(value: object, handler: core_schema.ValidatorFunctionWrapHandler) -> Evidence:
    # An Evidence is taken as it is: the Dependency and the sightings of one manifest line
    # share one object, not a copy each.
    if type(value) is Evidence:
        return value
    return Evidence(handler(value))


# A citation, or how to make one once it is needed: finding a line costs a search of the
# file, which a dependency the catalog does not know should not pay.
Citation = str | Callable[[], str]


def cited(citation: Citation) -> Evidence:
    """The evidence ``citation`` stands for, made now if it is a function."""
    if type(citation) is Evidence:
        return citation
    return Evidence(citation() if callable(citation) else citation)
