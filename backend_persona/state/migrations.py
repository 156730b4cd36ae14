"""Upgrades of session files written by older versions, applied when a file is read.

Each entry of `UPGRADES` turns the raw JSON object of one state schema into the next
(``N`` to ``N + 1``), registered in order with `upgrade_from`; `upgrade` runs the entries
from a file's version up to `STATE_SCHEMA_VERSION`, and the next write saves the result
at the current version. The file itself is not rewritten by a read.

History: every release so far has written ``"schema_version": 1`` (the field has been in
`SessionState` since session state was added), so the table is still empty. A file
without the key counts as version 1, which is also what the model's default always did.
A file newer than this version is not upgraded or touched here: the store refuses it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from backend_persona.state.model import STATE_SCHEMA_VERSION

# The schema a file without "schema_version" is taken to have (see the module docstring).
OLDEST_SCHEMA = 1

Raw = dict[str, Any]
Upgrade = Callable[[Raw], Raw]
# The version a step upgrades from -> the step; each step's result is that version + 1.
UPGRADES: dict[int, Upgrade] = {}


class UpgradeError(Exception):
    """A file's schema is one no registered step upgrades from."""


def upgrade_from(version: int) -> Callable[[Upgrade], Upgrade]:
    """Register the decorated function as the upgrade from ``version`` to ``version + 1``.

    Raises:
        ValueError: ``version`` is not above every version registered before it.
    """
    def register(step: Upgrade) -> Upgrade:
        if UPGRADES and version <= max(UPGRADES):
            raise ValueError(f"upgrades register in order: {version} after {max(UPGRADES)}")
        UPGRADES[version] = step
        return step

    return register


def upgrade(raw: Raw, current: int = STATE_SCHEMA_VERSION) -> Raw:
    """``raw`` upgraded to the ``current`` schema, one registered step at a time.

    A version that is not an integer is left for validation to refuse.

    Raises:
        UpgradeError: No step upgrades from one of the versions on the way.
    """
    version = raw.get("schema_version", OLDEST_SCHEMA)
    if not isinstance(version, int) or isinstance(version, bool):
        return raw
    while version < current:
        step = UPGRADES.get(version)
        if step is None:
            raise UpgradeError(f"has state schema {version}, which no upgrade reads")
        version += 1
        raw = {**step(dict(raw)), "schema_version": version}
    return raw
