"""The base of every record this package owns, in a module of its own.

`models` (the project context) and `state.model` (the session records) both build on
it; here, neither has to import the other to get it.
"""

from __future__ import annotations

from typing import Self

from pydantic import BaseModel, ConfigDict


class Model(BaseModel):
    """Base for data this package owns: unknown fields are a bug, and nothing changes in place.

    What is guaranteed: fields cannot be reassigned (``frozen``), and the one way to get a
    changed record is `evolve`, which validates it like a new one (a test keeps
    ``model_copy`` out of the package). What is not: the lists and dicts inside a record
    are Python's own, so nothing stops code from mutating them in place; no code of this
    package does, and changes go through `evolve` instead.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    def evolve(self, **changes: object) -> Self:
        """A copy with ``changes`` applied, built through validation like a new record.

        Unlike pydantic's ``model_copy`` with an update, every validator runs again, so a
        change cannot break what a record promises (such as sorted, unique evidence), and
        a misspelt field is refused instead of being added.

        Raises:
            pydantic.ValidationError: The changed record would not be valid.
        """
        # Only the fields that were set are passed on, so that defaults stay defaults; the
        # nested records are passed as they are, valid already, and are not re-validated.
        fields = {name: getattr(self, name) for name in self.model_fields_set}
        return type(self).model_validate({**fields, **changes})
