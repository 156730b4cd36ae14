"""The project context as plain records: what discovery builds and the markdown renders.

``context`` runs on every slash command, and its markdown needs no validation of what
discovery made itself: importing pydantic and building its models would cost that path
more than the detectors do. Discovery therefore works on these slotted records, the
standard library only, and `backend_persona.models` holds the validated public model
(``--format json`` and the library API), built from them once, at the end
(`backend_persona.discover.engine.discover_context`). Each record mirrors its model's
fields, names and defaults; the vocabularies both share are defined here.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final, Literal, Self

from backend_persona.vocabulary import ComponentKind

if TYPE_CHECKING:
    from backend_persona.evidence import Evidence
    from backend_persona.state.model import PreviousSession

# The version of the context's JSON shape (docs/context.schema.json); a reader can refuse
# any other.
ContextSchema = Literal[1]
SCHEMA_VERSION: Final[ContextSchema] = 1

Category = Literal[
    "framework",
    "frontend",
    "api",
    "data-access",
    "driver",
    "migrations",
    "datastore",
    "search",
    "broker",
    "jobs",
    "realtime",
    "observability",
    "auth",
    "cloud",
    "server",
    "runtime",
    "testing",
    "build",
    "ci",
    "delivery",
    "library",
]
Scope = Literal["runtime", "dev", "test"]
# Which of two sightings of one technology or dependency wins: runtime over dev over test.
SCOPE_STRENGTH: dict[Scope, int] = {"runtime": 0, "dev": 1, "test": 2}
# A tool never runs with the product: whatever names it (a config file, a CI workflow, a
# build plugin, a line in the runtime or dev dependencies), it is used to build, lint or test.
TOOL_SCOPES: dict[Category, Scope] = {"build": "dev", "ci": "dev", "testing": "test"}
Section = Literal["api", "migration", "schema", "container", "infra", "ci", "config"]
GitStatus = Literal["ok", "no-commits", "not-a-repository", "git-unavailable", "git-error"]
# The kinds of component whose technologies, CI files and rows make the project's stack.
COUNTED_KINDS: frozenset[ComponentKind] = frozenset({"service", "library"})

class Record:
    """Base of the records: `evolve` makes a changed copy, and no code changes one in place.

    Unlike the models they are not frozen, and compare by identity: a frozen dataclass's
    generated methods cost the command's start more than the rest of this module.
    """

    __slots__ = ()

    def evolve(self, **changes: Any) -> Self:
        """A copy with ``changes`` applied; a misspelt field is refused (TypeError)."""
        return dataclasses.replace(self, **changes)  # type: ignore[type-var]


@dataclass(slots=True, kw_only=True, eq=False)
class Technology(Record):
    """`models.Technology`'s fields; the evidence is kept sorted and unique, as there."""

    name: str
    category: Category
    version: str | None = None
    versions: dict[str, str] = field(default_factory=dict)
    scope: Scope = "runtime"
    evidence: list[Evidence]
    implied: bool = False

    def __post_init__(self) -> None:
        """Sort the evidence and drop repeats, as the model's validator does."""
        self.evidence = sorted(set(self.evidence))


@dataclass(slots=True, kw_only=True, eq=False)
class Artifact(Record):
    """`models.Artifact`'s fields: an API schema, a migration, a Dockerfile."""

    section: Section
    kind: str
    path: str
    detail: str | None = None


@dataclass(slots=True, kw_only=True, eq=False)
class Dependency(Record):
    """`models.Dependency`'s fields: a direct dependency that a manifest declares."""

    name: str
    version: str | None = None
    scope: Scope = "runtime"
    evidence: Evidence
    technologies: list[str] = field(default_factory=list)


@dataclass(slots=True, kw_only=True, eq=False)
class Component(Record):
    """`models.Component`'s fields: one buildable unit, found by its manifest."""

    path: str
    name: str
    kind: ComponentKind = "service"
    ecosystems: list[str]
    manifests: list[str]
    workspace: bool = False
    language: str | None = None
    technologies: list[str] = field(default_factory=list)
    frameworks: list[str] = field(default_factory=list)
    datastores: list[str] = field(default_factory=list)
    brokers: list[str] = field(default_factory=list)
    apis: list[str] = field(default_factory=list)
    dependencies: list[Dependency] = field(default_factory=list)


@dataclass(slots=True, kw_only=True, eq=False)
class Link(Record):
    """A deployment file says the component in folder ``component`` uses ``technology``."""

    component: str
    technology: str


@dataclass(slots=True, kw_only=True, eq=False)
class LanguageCount(Record):
    """How many files of one programming language the project holds."""

    name: str
    files: int


@dataclass(slots=True, kw_only=True, eq=False)
class Commit(Record):
    """The last commit on the checked-out branch."""

    sha: str
    short: str
    date: str
    subject: str


def git_summary(status: GitStatus, branch: str | None, detached_at: str | None) -> str:
    """One human line: the branch, detached head, or why there is no git state."""
    if status == "not-a-repository":
        return "not a git repository"
    if status == "git-unavailable":
        return "git is not installed"
    if status == "git-error":
        return "git could not read this repository"
    head = f"detached at {detached_at}" if detached_at else f"branch {branch}"
    if status == "no-commits":
        return f"{head}, no commits yet"
    return head


@dataclass(slots=True, kw_only=True, eq=False)
class GitState(Record):
    """What git says about the working tree, or why it says nothing."""

    status: GitStatus
    branch: str | None = None
    detached_at: str | None = None
    last_commit: Commit | None = None
    uncommitted: int | None = None

    @property
    def summary(self) -> str:
        """One human line: the branch, detached head, or why there is no git state."""
        return git_summary(self.status, self.branch, self.detached_at)


@dataclass(slots=True, kw_only=True, eq=False)
class TestSummary(Record):
    """Where the tests live and how many test files there are."""

    files: int = 0
    directories: list[str] = field(default_factory=list)


@dataclass(slots=True, kw_only=True, eq=False)
class Guidance(Record):
    """A stack-specific recommendation from the persona's playbook."""

    topic: str
    advice: str
    answers: list[str] = field(default_factory=list)


@dataclass(slots=True, kw_only=True, eq=False)
class ProjectContext(Record):
    """`models.ProjectContext`'s fields: everything ``context`` knows about a project."""

    schema_version: ContextSchema = SCHEMA_VERSION
    tool_version: str
    root: str
    name: str
    git: GitState
    file_count: int
    languages: list[LanguageCount]
    technologies: list[Technology]
    components: list[Component]
    api_definitions: list[Artifact]
    migrations: list[Artifact]
    schema_files: list[Artifact] = field(default_factory=list)
    config_files: list[str]
    containers: list[Artifact]
    infra: list[Artifact]
    ci: list[Artifact]
    tests: TestSummary
    guidance: list[Guidance]
    notes: list[str]
    previous_session: PreviousSession | None = None
