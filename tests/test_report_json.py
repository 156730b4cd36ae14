"""Every report the library returns reads back from its own JSON, derived fields included."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from backend_persona.commandlint import LintFinding, LintReport
from backend_persona.discover import discover_context
from backend_persona.docs.files import DocFile, DocsReport
from backend_persona.doctor import Check, DoctorReport
from backend_persona.install import FileAction, InstallReport
from backend_persona.modelbase import Model
from backend_persona.models import ProjectContext
from backend_persona.pack import SyncReport
from backend_persona.route import route
from backend_persona.state.model import (
    Change,
    Decision,
    PruneReport,
    SessionList,
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
        path="/s/s1.json",
        decisions=[Decision(id="d1", title="t", context="c", decision="d",
                            date=date(2025, 1, 2))]),
    "route": route("add an index to the orders table"),
}


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
