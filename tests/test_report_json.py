"""Every report the library returns reads back from its own JSON, derived fields included."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest

import backend_persona
from backend_persona import models
from backend_persona.commandlint import LintFinding, LintReport
from backend_persona.discover import discover_context
from backend_persona.docs.files import DocFile, DocsReport
from backend_persona.doctor import Check, DoctorReport
from backend_persona.evidence import Evidence
from backend_persona.expand import Expansion, RanCommand
from backend_persona.install import FileAction, InstallReport
from backend_persona.manifest import Manifest
from backend_persona.modelbase import Model
from backend_persona.models import (
    Artifact,
    Commit,
    Component,
    Dependency,
    GitState,
    Guidance,
    LanguageCount,
    ProjectContext,
    Technology,
)
from backend_persona.pack import SyncReport
from backend_persona.route import route
from backend_persona.state.inputs import parse_decision
from backend_persona.state.model import (
    Action,
    Change,
    Checkpoint,
    Decision,
    FollowUp,
    PreviousSession,
    Progress,
    PruneReport,
    SessionDecision,
    SessionList,
    SessionState,
    SessionSummary,
    StoredSession,
)
from tests.conftest import RepoFactory

NOW = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)

REPORTS: dict[str, Model] = {
    "install, with a conflict": InstallReport(
        scope="project", base="/p/.claude", invocation="backend-persona", dry_run=False,
        actions=[FileAction(path="commands/a.md", action="skipped-changed"),
                 FileAction(path="agents/b.md", action="replaced-changed",
                            backup="agents/b.md.bak")]),
    "doctor, failing": DoctorReport(
        scope="user", base="/home/u/.claude",
        checks=[Check(name="manifest", ok=True, detail="2 file(s)"),
                Check(name="commands/a.md", ok=False, detail="changed")]),
    "lint, with an error": LintReport(
        files=["commands/a.md"],
        findings=[LintFinding(path="commands/a.md", line=3, code="BP001", severity="error",
                              message="not allowed")]),
    "sync": SyncReport(root="/r", check=True, changed=["commands/a.md"], action="checked"),
    "docs": DocsReport(root="/p", files=[DocFile(path="docs/architecture/README.md",
                                                 outcome="kept", reason="edited")],
                       notes=["a note"]),
    "prune": PruneReport(removed=["s1.json"], kept=2),
    "state change": Change(session_id="s1", path="/s/s1.json", message="recorded"),
    "state list": SessionList(project_root="/p", directory="/s", notes=[], sessions=[
        SessionSummary(session_id="s1", created=NOW, updated=NOW, request="r", decisions=1,
                       open_followups=0, path="/s/s1.json")]),
    "state show": StoredSession(
        session_id="s1", project_root="/p", created=NOW, updated=NOW, route=["api"],
        path="/s/s1.json", request="r", stack=["Go"],
        actions=[Action(text="a", time=NOW)],
        decisions=[Decision(id="d1", title="t", context="c", decision="d",
                            date=date(2025, 1, 2))],
        followups=[FollowUp(text="f", created=NOW, done=True, done_at=NOW)],
        checkpoints=[Checkpoint(label="c", time=NOW, progress=Progress(
            actions=1, decisions=1, open_followups=0, done_followups=1))]),
    "session file": SessionState(session_id="s1", project_root="/p", created=NOW, updated=NOW),
    "state decision input": parse_decision("title: t\ncontext: c\ndecision: d\nsupersedes: 3\n"),
    "route": route("add an index to the orders table"),
    "route, large": route("assess the whole system: api, database, microservices, latency"),
    "install manifest": Manifest(tool_version="0.1.0", scope="project",
                                 invocation="backend-persona", files={"commands/a.md": "0" * 64}),
    "render": Expansion(text="prompt", commands=[
        RanCommand(line=3, command="backend-persona context .", exit_code=0, characters=6)]),
    # Every part of a context, the optional ones set, evidence whose path holds a colon.
    "context, every part": ProjectContext(
        tool_version="0.1.0", root="/p", name="p",
        git=GitState(status="ok", branch="main", uncommitted=2, last_commit=Commit(
            sha="a" * 40, short="aaaaaaa", date="2025-01-02", subject="s")),
        file_count=3, languages=[LanguageCount(name="Go", files=2)],
        technologies=[Technology(name="Go", category="runtime", version="1.22",
                                 versions={"svc": "1.22"},
                                 evidence=[Evidence("svc/go.mod:3"), Evidence("C:odd:1")])],
        components=[Component(path="svc", name="svc", ecosystems=["go"],
                              manifests=["svc/go.mod"], language="Go", technologies=["Go"],
                              dependencies=[Dependency(name="github.com/a/b", version="v1.0.0",
                                                       evidence=Evidence("svc/go.mod:5"))])],
        api_definitions=[Artifact(section="api", kind="openapi", path="api.yaml", detail="d")],
        migrations=[], schema_files=[], config_files=[".env.example"], containers=[],
        infra=[], ci=[], tests=models.TestSummary(files=1, directories=["svc"]),
        guidance=[Guidance(topic="t", advice="a", answers=["Go"])], notes=["n"],
        previous_session=PreviousSession(
            session_id="s1", updated="2025-01-02", request="r", open_followups=["f"],
            decisions=[SessionDecision(title="t", status="accepted", date="2025-01-02")],
            last_checkpoint="c", last_checkpoint_time="2025-01-02T03:04:05Z")),
}
# Records the library builds but never returns: a detector's finding, joined into the
# context by the engine.
NOT_RETURNED = {"Link"}


@pytest.mark.parametrize("name", list(REPORTS))
def test_a_report_reads_back_from_its_own_json(name: str) -> None:
    report = REPORTS[name]

    assert type(report).model_validate_json(report.model_dump_json()) == report


def test_the_context_reads_back_from_its_own_json(make_project: RepoFactory) -> None:
    context = discover_context(make_project({"go.mod": "module example.test/shop\n\ngo 1.22\n"}))

    assert ProjectContext.model_validate_json(context.model_dump_json()) == context


def test_derived_fields_are_in_the_json() -> None:
    install, doctor, lint = (REPORTS[n] for n in ("install, with a conflict", "doctor, failing",
                                                  "lint, with an error"))

    assert '"conflicts":["commands/a.md"]' in install.model_dump_json()
    assert '"ok":false' in doctor.model_dump_json()
    assert '"ok":false' in lint.model_dump_json()


def _models_in(value: object) -> Iterator[type[Model]]:
    if isinstance(value, Model):
        yield type(value)
        for name in type(value).model_fields:
            yield from _models_in(getattr(value, name))
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _models_in(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _models_in(item)


def _every_model() -> set[type[Model]]:
    for module in pkgutil.walk_packages(backend_persona.__path__, "backend_persona."):
        if not module.name.endswith("__main__"):
            importlib.import_module(module.name)
    found: set[type[Model]] = set()
    todo = list(Model.__subclasses__())
    while todo:
        model = todo.pop()
        found.add(model)
        todo.extend(model.__subclasses__())
    return {m for m in found if m.__module__.startswith("backend_persona.")}


def test_the_table_holds_every_model_the_library_returns() -> None:
    covered = {model for report in REPORTS.values() for model in _models_in(report)}

    missing = {m.__name__ for m in _every_model() - covered} - NOT_RETURNED

    assert not missing, f"add these to REPORTS: {sorted(missing)}"
