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

from typing import TYPE_CHECKING, Any, Final, Literal, Self

from backend_persona.vocabulary import ComponentKind

if TYPE_CHECKING:
    from collections.abc import Iterable

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

    Each record spells out its ``__init__`` (keyword-only, the model's defaults, a new
    list for each list left out): generated ones, a dataclass's, cost the command's start
    more than the rest of this module. Records compare by value; they are not frozen.
    """

    __slots__: tuple[str, ...] = ()

    def evolve(self, **changes: Any) -> Self:
        """A copy with ``changes`` applied; a misspelt field is refused (TypeError)."""
        return type(self)(**{**{name: getattr(self, name) for name in self.__slots__},
                             **changes})

    def __eq__(self, other: object) -> bool:
        """Equal to a record of the same type whose every field is equal, as a model is."""
        if type(other) is not type(self):
            return NotImplemented
        return all(getattr(self, name) == getattr(other, name) for name in self.__slots__)

    # Equal records may differ in identity, and their lists are not hashable: no hash.
    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        """The fields, as a dataclass's repr shows them."""
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{type(self).__name__}({fields})"


class Technology(Record):
    """`models.Technology`'s fields; the evidence is kept sorted and unique, as there."""

    __slots__ = ("category", "evidence", "implied", "name", "scope", "version", "versions")

    def __init__(self, *, name: str, category: Category, version: str | None = None,
                 versions: dict[str, str] | None = None, scope: Scope = "runtime",
                 evidence: Iterable[Evidence], implied: bool = False) -> None:
        """Record a technology; ``evidence`` is sorted and its repeats dropped."""
        self.name = name
        self.category = category
        self.version = version
        self.versions = {} if versions is None else versions
        self.scope = scope
        self.evidence = sorted(set(evidence))
        self.implied = implied


class Artifact(Record):
    """`models.Artifact`'s fields: an API schema, a migration, a Dockerfile."""

    __slots__ = ("detail", "kind", "path", "section")

    def __init__(self, *, section: Section, kind: str, path: str,
                 detail: str | None = None) -> None:
        """Record an artifact."""
        self.section = section
        self.kind = kind
        self.path = path
        self.detail = detail


class Dependency(Record):
    """`models.Dependency`'s fields: a direct dependency that a manifest declares."""

    __slots__ = ("evidence", "name", "scope", "technologies", "version")

    def __init__(self, *, name: str, version: str | None = None, scope: Scope = "runtime",
                 evidence: Evidence, technologies: list[str] | None = None) -> None:
        """Record a dependency."""
        self.name = name
        self.version = version
        self.scope = scope
        self.evidence = evidence
        self.technologies = [] if technologies is None else technologies


class Component(Record):
    """`models.Component`'s fields: one buildable unit, found by its manifest."""

    __slots__ = (
        "apis",
        "brokers",
        "datastores",
        "dependencies",
        "ecosystems",
        "frameworks",
        "kind",
        "language",
        "manifests",
        "name",
        "path",
        "technologies",
        "workspace",
    )

    def __init__(self, *, path: str, name: str, kind: ComponentKind = "service",
                 ecosystems: list[str], manifests: list[str], workspace: bool = False,
                 language: str | None = None, technologies: list[str] | None = None,
                 frameworks: list[str] | None = None, datastores: list[str] | None = None,
                 brokers: list[str] | None = None, apis: list[str] | None = None,
                 dependencies: list[Dependency] | None = None) -> None:
        """Record a component."""
        self.path = path
        self.name = name
        self.kind = kind
        self.ecosystems = ecosystems
        self.manifests = manifests
        self.workspace = workspace
        self.language = language
        self.technologies = [] if technologies is None else technologies
        self.frameworks = [] if frameworks is None else frameworks
        self.datastores = [] if datastores is None else datastores
        self.brokers = [] if brokers is None else brokers
        self.apis = [] if apis is None else apis
        self.dependencies = [] if dependencies is None else dependencies


class Link(Record):
    """A deployment file says the component in folder ``component`` uses ``technology``."""

    __slots__ = ("component", "technology")

    def __init__(self, *, component: str, technology: str) -> None:
        """Record a link."""
        self.component = component
        self.technology = technology


class LanguageCount(Record):
    """How many files of one programming language the project holds."""

    __slots__ = ("files", "name")

    def __init__(self, *, name: str, files: int) -> None:
        """Record a count."""
        self.name = name
        self.files = files


class Commit(Record):
    """The last commit on the checked-out branch."""

    __slots__ = ("date", "sha", "short", "subject")

    def __init__(self, *, sha: str, short: str, date: str, subject: str) -> None:
        """Record a commit."""
        self.sha = sha
        self.short = short
        self.date = date
        self.subject = subject


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


class GitState(Record):
    """What git says about the working tree, or why it says nothing."""

    __slots__ = ("branch", "detached_at", "last_commit", "status", "uncommitted")

    def __init__(self, *, status: GitStatus, branch: str | None = None,
                 detached_at: str | None = None, last_commit: Commit | None = None,
                 uncommitted: int | None = None) -> None:
        """Record the state."""
        self.status = status
        self.branch = branch
        self.detached_at = detached_at
        self.last_commit = last_commit
        self.uncommitted = uncommitted

    @property
    def summary(self) -> str:
        """One human line: the branch, detached head, or why there is no git state."""
        return git_summary(self.status, self.branch, self.detached_at)


class TestSummary(Record):
    """Where the tests live and how many test files there are."""

    __slots__ = ("directories", "files")

    def __init__(self, *, files: int = 0, directories: list[str] | None = None) -> None:
        """Record the summary."""
        self.files = files
        self.directories = [] if directories is None else directories


class Guidance(Record):
    """A stack-specific recommendation from the persona's playbook."""

    __slots__ = ("advice", "answers", "topic")

    def __init__(self, *, topic: str, advice: str, answers: list[str] | None = None) -> None:
        """Record the advice."""
        self.topic = topic
        self.advice = advice
        self.answers = [] if answers is None else answers


class ProjectContext(Record):
    """`models.ProjectContext`'s fields: everything ``context`` knows about a project."""

    __slots__ = (
        "api_definitions",
        "ci",
        "components",
        "config_files",
        "containers",
        "file_count",
        "git",
        "guidance",
        "infra",
        "languages",
        "migrations",
        "name",
        "notes",
        "previous_session",
        "root",
        "schema_files",
        "schema_version",
        "technologies",
        "tests",
        "tool_version",
    )

    def __init__(self, *, schema_version: ContextSchema = SCHEMA_VERSION,
                 tool_version: str, root: str, name: str, git: GitState, file_count: int,
                 languages: list[LanguageCount], technologies: list[Technology],
                 components: list[Component], api_definitions: list[Artifact],
                 migrations: list[Artifact], schema_files: list[Artifact] | None = None,
                 config_files: list[str], containers: list[Artifact], infra: list[Artifact],
                 ci: list[Artifact], tests: TestSummary, guidance: list[Guidance],
                 notes: list[str], previous_session: PreviousSession | None = None) -> None:
        """Record the context."""
        self.schema_version = schema_version
        self.tool_version = tool_version
        self.root = root
        self.name = name
        self.git = git
        self.file_count = file_count
        self.languages = languages
        self.technologies = technologies
        self.components = components
        self.api_definitions = api_definitions
        self.migrations = migrations
        self.schema_files = [] if schema_files is None else schema_files
        self.config_files = config_files
        self.containers = containers
        self.infra = infra
        self.ci = ci
        self.tests = tests
        self.guidance = guidance
        self.notes = notes
        self.previous_session = previous_session
