"""The base of every record this package owns, in a module of its own.

`models` (the project context) and `state.model` (the session records) both build on
it; here, neither has to import the other to get it.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class Model(BaseModel):
    """Base for data this package owns: unknown fields are a bug, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)
