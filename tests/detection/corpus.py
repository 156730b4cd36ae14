"""The corpus's vocabulary: a case is a small realistic tree; expectations cite its lines."""

from __future__ import annotations

from dataclasses import dataclass, field

from backend_persona.evidence import Evidence
from backend_persona.models import Category, ProjectContext, Scope, Technology
from tests.conftest import FileContent


@dataclass(frozen=True)
class Case:
    """A named project tree (relative path -> text or bytes)."""

    name: str
    files: dict[str, FileContent]

    def text(self, path: str) -> str:
        content = self.files[path]
        return content.decode("utf-8", "replace") if isinstance(content, bytes) else content

    def at(self, path: str, needle: str | None = None) -> Evidence:
        """Evidence for ``needle`` in ``path``: ``path:LINE``, or the bare path without a needle.

        Fails at collection time when the needle is not in the file, so that a table can
        never expect evidence the fixture does not hold.
        """
        if needle is None:
            assert path in self.files, path
            return Evidence(path)
        text = self.text(path)
        offset = text.find(needle)
        assert offset >= 0, f"{needle!r} is not in {path}"
        return Evidence(f"{path}:{text.count(chr(10), 0, offset) + 1}")


@dataclass(frozen=True)
class Tech:
    """One technology a case must report, exactly so."""

    name: str
    category: Category
    version: str | None = None
    scope: Scope = "runtime"
    evidence: tuple[str, ...] = field(default=())


def by_name(context: ProjectContext) -> dict[str, Technology]:
    return {t.name: t for t in context.technologies}


def assert_technology(context: ProjectContext, expected: Tech) -> None:
    found = by_name(context)
    assert expected.name in found, f"{expected.name} not detected; got {sorted(found)}"
    got = found[expected.name]
    assert (got.category, got.version, got.scope) == (
        expected.category, expected.version, expected.scope
    ), got
    missing = set(expected.evidence) - set(got.evidence)
    assert not missing, f"{expected.name}: evidence {sorted(missing)} not in {got.evidence}"


def assert_evidence_is_real(case: Case, context: ProjectContext) -> None:
    """Every evidence string names a file of the fixture, and a line that file has."""
    for technology in context.technologies:
        for evidence in technology.evidence:
            path, colon, line = evidence.rpartition(":")
            if not (colon and line.isdigit()):
                path, line = evidence, ""
            assert path in case.files, f"{technology.name}: {evidence} is not a fixture file"
            if line:
                lines = case.text(path).count("\n") + 1
                assert 1 <= int(line) <= lines, f"{technology.name}: {evidence} is past the end"


def table(cases: list[tuple[Case, list[Tech]]]) -> list[tuple[Case, Tech]]:
    """Flatten (case, expectations) into parametrize rows."""
    return [(case, tech) for case, techs in cases for tech in techs]


def row_id(value: object) -> str | None:
    """Test ids: a case's name, a technology's name, a short string; pytest's default else."""
    if isinstance(value, Case | Tech):
        return value.name
    if isinstance(value, str) and len(value) <= 40:
        return value
    return None
