"""The tool names Claude Code offers the model, as data (``resources/claude-tools.toml``).

`backend_persona.commandlint` flags a tool that no measured CLI version offers, naming
what replaced it when an older CLI had it (``Task`` is now ``Agent``).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class ToolNames:
    """The tool names current Claude Code CLIs offer, and old names with what replaced them."""

    versions: dict[str, frozenset[str]]
    renamed: dict[str, str]

    @property
    def known(self) -> frozenset[str]:
        """Every tool that some measured version offers."""
        return frozenset().union(*self.versions.values())


@cache
def tool_names() -> ToolNames:
    """The shipped table of Claude Code's tool names (``resources/claude-tools.toml``)."""
    raw = tomllib.loads(resources.files("backend_persona").joinpath(
        "resources", "claude-tools.toml").read_text("utf-8"))
    return ToolNames(versions={version: frozenset(entry["tools"])
                               for version, entry in raw["versions"].items()},
                     renamed=dict(raw["renamed"]))
