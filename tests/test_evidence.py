"""Evidence: a citation parsed once into its path and line, and still exactly its string."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from backend_persona.evidence import Evidence, cited
from backend_persona.models import Dependency, Technology

PARSED = [
    ("a.go", "a.go", None),
    ("a.go:12", "a.go", 12),
    ("a.go:1", "a.go", 1),
    ("dir/a b.go:987654", "dir/a b.go", 987654),
    # Only the last colon can start a line number; the path keeps the others.
    ("C:weird:3", "C:weird", 3),
    ("C:weird", "C:weird", None),
    ("a.go:12:5", "a.go:12", 5),
    # Not line numbers: zero, a leading zero, nothing, non-ASCII digits, a sign, a space.
    ("x:0", "x:0", None),
    ("x:01", "x:01", None),
    ("x:", "x:", None),
    ("x:\u0661\u0662", "x:\u0661\u0662", None),  # Arabic-Indic 12
    ("x:\uff11", "x:\uff11", None),  # fullwidth 1
    ("x:\u00b2", "x:\u00b2", None),  # superscript 2, which str.isdigit accepts
    ("x:-1", "x:-1", None),
    ("x:1 ", "x:1 ", None),
    ("x:1\n", "x:1\n", None),
    ("", "", None),
]


@pytest.mark.parametrize(("citation", "path", "line"), PARSED)
def test_a_citation_parses_into_its_path_and_line(
    citation: str, path: str, line: int | None
) -> None:
    evidence = Evidence(citation)

    assert (evidence.path, evidence.line) == (path, line)
    assert type(evidence.path) is str


@pytest.mark.parametrize("citation", [c for c, _, _ in PARSED])
def test_evidence_is_its_citation(citation: str) -> None:
    evidence = Evidence(citation)

    assert str(evidence) == citation
    assert type(str(evidence)) is str
    assert evidence == citation
    assert hash(evidence) == hash(citation)
    assert repr(evidence) == repr(citation)


def test_evidence_sorts_as_its_strings() -> None:
    citations = ["b.go", "a.go:9", "a.go:10", "a.go", "C:weird:3", "a-b.go:1", "a/b.go:2"]

    assert sorted(Evidence(c) for c in citations) == sorted(citations)
    assert [str(e) for e in sorted(Evidence(c) for c in citations)] == sorted(citations)


def test_the_parts_are_read_only() -> None:
    evidence = Evidence("a.go:3")

    with pytest.raises(AttributeError):
        evidence.path = "b.go"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        evidence.line = 4  # type: ignore[misc]


def test_a_model_field_turns_strings_into_evidence() -> None:
    technology = Technology.model_validate(
        {"name": "Go", "category": "runtime", "evidence": ["go.mod:3", "C:weird"]})

    assert [type(e) for e in technology.evidence] == [Evidence, Evidence]
    assert [(e.path, e.line) for e in technology.evidence] == [("C:weird", None), ("go.mod", 3)]


def test_a_technology_round_trips_through_json_unchanged() -> None:
    citations = ["services/a/go.mod:3", "C:weird:3", "x:01", "docker-compose.yml"]
    technology = Technology.model_validate(
        {"name": "Go", "category": "runtime", "evidence": citations})

    dumped = technology.model_dump_json()
    again = Technology.model_validate_json(dumped)

    assert dumped == ('{"name":"Go","category":"runtime","version":null,"versions":{},'
                      '"scope":"runtime","evidence":["C:weird:3","docker-compose.yml",'
                      '"services/a/go.mod:3","x:01"]}')
    assert again == technology
    assert [(e.path, e.line) for e in again.evidence] == [
        ("C:weird", 3), ("docker-compose.yml", None), ("services/a/go.mod", 3), ("x:01", None)]


def test_a_python_dump_holds_plain_strings() -> None:
    # Plain strings, so that whatever a dump is handed to (yaml.safe_dump, say) never
    # meets an unknown type.
    dependency = Dependency.model_validate({"name": "pgx", "evidence": "go.mod:5"})

    assert type(dependency.model_dump()["evidence"]) is str
    assert type(dependency.evidence) is Evidence


@pytest.mark.parametrize("value", [12, 1.5, b"go.mod:3", None, ["go.mod"], {"path": "go.mod"}])
def test_a_model_refuses_evidence_that_is_not_a_string(value: object) -> None:
    with pytest.raises(ValidationError) as raised:
        Dependency.model_validate({"name": "pgx", "evidence": value})

    assert [e["loc"] for e in raised.value.errors()] == [("evidence",)]


def test_json_refuses_evidence_that_is_not_a_string() -> None:
    with pytest.raises(ValidationError):
        Dependency.model_validate_json('{"name": "pgx", "evidence": 12}')


def test_the_json_schema_says_string() -> None:
    schema = Dependency.model_json_schema()

    assert schema["properties"]["evidence"] == {"title": "Evidence", "type": "string"}


def test_cited_makes_a_lazy_citation_only_when_asked() -> None:
    calls: list[str] = []

    def lazily() -> str:
        calls.append("called")
        return "pom.xml:7"

    assert calls == []
    evidence = cited(lazily)

    assert calls == ["called"]
    assert (type(evidence), evidence, evidence.line) == (Evidence, "pom.xml:7", 7)
    assert cited("pom.xml").line is None
