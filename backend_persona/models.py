"""The typed picture of a repository that every command builds on."""

from __future__ import annotations

from pydantic import Field, computed_field, field_validator, model_validator

from backend_persona import records
from backend_persona.evidence import Evidence
from backend_persona.modelbase import Model
from backend_persona.records import (
    COUNTED_KINDS,
    SCHEMA_VERSION,
    SCOPE_STRENGTH,
    TOOL_SCOPES,
    Category,
    ContextSchema,
    GitStatus,
    Scope,
    Section,
    git_summary,
)
from backend_persona.state.model import PreviousSession
from backend_persona.vocabulary import ComponentKind

__all__ = [
    "COUNTED_KINDS", "SCHEMA_VERSION", "SCOPE_STRENGTH", "TOOL_SCOPES", "Artifact", "Category",
    "Commit", "Component", "ContextSchema", "Dependency", "GitState", "GitStatus", "Guidance",
    "LanguageCount", "ProjectContext", "Scope", "Section", "Technology", "TestSummary",
    "validated",
]

class Technology(Model):
    """A framework, library, datastore or tool, with the files that prove it.

    ``version`` is the technology's own version (its package's, image tag's or toolchain
    line's), the most common among components that are not tools or examples, or when none
    is, their range: the lowest and the highest, joined by an en dash;
    ``versions`` maps each component path to the version that component's files pin.
    """

    name: str
    category: Category
    version: str | None = None
    versions: dict[str, str] = Field(default_factory=dict)
    scope: Scope = "runtime"
    evidence: list[Evidence] = Field(min_length=1)
    # A sighting that only an implying technology's rule made (Sidekiq's line for Redis).
    # Detection's own bookkeeping: the merged technology cites such lines only when no
    # direct line proves as much, and the field is never serialised.
    implied: bool = Field(default=False, exclude=True)

    @field_validator("evidence")
    @classmethod
    def _evidence_is_sorted_and_unique(cls, value: list[Evidence]) -> list[Evidence]:
        return sorted(set(value))


class Artifact(Model):
    """A file that matters to a backend engineer: an API schema, a migration, a Dockerfile."""

    section: Section
    kind: str
    path: str
    detail: str | None = None


class Dependency(Model):
    """A direct dependency that a package manifest declares, whether the catalog knows it or not.

    ``name`` is the id the ecosystem knows it by (``group:artifact`` for Maven, the module
    path for Go, the normalised name for PyPI); ``version`` is kept only when it is harmless
    to print; ``technologies`` are what the catalog says it stands for, none when unknown.
    """

    name: str
    version: str | None = None
    scope: Scope = "runtime"
    evidence: Evidence
    technologies: list[str] = Field(default_factory=list)


class Component(Model):
    """One buildable unit, found by its manifest: a service or library in a monorepo.

    ``technologies`` lists every runtime technology its manifests prove; ``frameworks``,
    ``datastores`` and ``brokers`` are the same, split by kind, plus what its Compose or
    Kubernetes service uses; ``apis`` are the API styles and tooling its files prove
    (REST, gRPC, OpenAPI), then the API definitions inside its folder;
    ``dependencies`` are every direct dependency its manifests declare, in any scope.
    ``kind`` says whether it is the project's own code (a service or a library) or an
    example, generated code, a test fixture, docs or tooling, which the stack leaves out.
    """

    path: str
    name: str
    kind: ComponentKind = "service"
    ecosystems: list[str] = Field(min_length=1)
    manifests: list[str] = Field(min_length=1)
    workspace: bool = False
    language: str | None = None
    technologies: list[str] = Field(default_factory=list)
    frameworks: list[str] = Field(default_factory=list)
    datastores: list[str] = Field(default_factory=list)
    brokers: list[str] = Field(default_factory=list)
    apis: list[str] = Field(default_factory=list)
    dependencies: list[Dependency] = Field(default_factory=list)


class LanguageCount(Model):
    """How many files of one programming language the project holds."""

    name: str
    files: int = Field(ge=1)


class Commit(Model):
    """The last commit on the checked-out branch."""

    sha: str
    short: str
    date: str
    subject: str


class GitState(Model):
    """What git says about the working tree, or why it says nothing."""

    status: GitStatus
    branch: str | None = None
    detached_at: str | None = None
    last_commit: Commit | None = None
    uncommitted: int | None = None

    @model_validator(mode="before")
    @classmethod
    def _drop_derived_summary(cls, data: object) -> object:
        # `summary` is computed and dumped for JSON readers; reading that JSON back must
        # not trip extra="forbid", and the value is recomputed rather than trusted.
        if isinstance(data, dict) and "summary" in data:
            return {key: value for key, value in data.items() if key != "summary"}
        return data

    @computed_field  # type: ignore[prop-decorator]
    @property
    def summary(self) -> str:
        """One human line: the branch, detached head, or why there is no git state."""
        return git_summary(self.status, self.branch, self.detached_at)


class TestSummary(Model):
    """Where the tests live and how many test files there are."""

    files: int = 0
    directories: list[str] = Field(default_factory=list)


class Guidance(Model):
    """A stack-specific recommendation from the persona's playbook.

    ``answers`` names the detected technologies it responds to; it is empty only for the
    persona's defaults, given when nothing at all was detected.
    """

    topic: str
    advice: str
    answers: list[str] = Field(default_factory=list)


class ProjectContext(Model):
    """Everything `backend-persona context` knows about a project."""

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
    # Init scripts, dumps and schema definitions: SQL that no migration tool runs.
    schema_files: list[Artifact] = Field(default_factory=list)
    config_files: list[str]
    containers: list[Artifact]
    infra: list[Artifact]
    ci: list[Artifact]
    tests: TestSummary
    guidance: list[Guidance]
    notes: list[str]
    previous_session: PreviousSession | None = None


def validated(found: records.ProjectContext) -> ProjectContext:
    """The validated model of what discovery found, as ``--format json`` and the library give it.

    Every record is read field by field and validated as the model's own input would be.

    Raises:
        pydantic.ValidationError: ``found`` breaks a promise of the model.
    """
    return ProjectContext.model_validate(found, from_attributes=True)
