"""The base of every record this package owns, in a module of its own.

`models` (the project context) and `state.model` (the session records) both build on
it; here, neither has to import the other to get it.
"""

from __future__ import annotations

from typing import Self

from pydantic import BaseModel, ConfigDict


class Model(BaseModel):
    """Base for data this package owns: unknown fields are a bug, and nothing changes in place.

    What is guaranteed: fields cannot be reassigned (``frozen``), collection fields are
    tuples, so that they cannot be appended to either, and the one way to get a changed
    record is `evolve`, which validates it like a new one. ``dict`` fields are the
    exception: their mappings are not frozen, and no code of this package mutates one
    after construction.
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
