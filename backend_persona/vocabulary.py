"""The words the command line and the library share, each written once, as a `Literal`.

The library annotates with these types, and the CLI builds its choices from them
(``click.Choice(get_args(Focus))``), so a value click accepts is one mypy accepts. The
standard library only: ``context`` imports this module on every slash command.
"""

from typing import Literal

Focus = Literal["go", "rust", "java", "node", "python"]
"""An ecosystem that ``context --focus`` narrows the project's context to."""

WorkflowName = Literal["api", "database", "microservices", "performance", "default"]
"""A workflow of the persona; ``default`` when a request matches none of the others."""

DecisionStatus = Literal["proposed", "accepted", "superseded"]
"""The status of an architecture decision."""

HandStatus = Literal["proposed", "accepted"]
"""The status a person gives a new hand-written ADR (superseding is recorded, not chosen)."""

InstallScope = Literal["project", "user"]
"""Where the command pack is installed: ``./.claude``, or the user's Claude config folder."""

NoteTopic = Literal["go", "rust", "java", "python"]
"""A topic of the shipped offline reference notes."""

PromptFormat = Literal["markdown", "json"]
"""Output for a prompt (markdown) or for a program (json)."""

ReportFormat = Literal["text", "json"]
"""Output of a report for a person (text) or for a program (json)."""

ComponentKind = Literal[
    "service", "library", "example", "generated", "test-fixture", "docs", "tooling"
]
"""What a component is: only services and libraries are the project's own stack."""
