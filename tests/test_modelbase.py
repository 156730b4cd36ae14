"""The base model keeps its word: changes go through `evolve`, which validates them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from backend_persona.evidence import Evidence
from backend_persona.models import Technology
from backend_persona.state.model import FollowUp

PACKAGE = Path(__file__).resolve().parents[1] / "backend_persona"


def test_evolve_runs_the_validators() -> None:
    redis = Technology(name="Redis", category="datastore", evidence=[Evidence("b.yaml:3")])

    changed = redis.evolve(evidence=["c.yaml", "a.yaml:9", "c.yaml", "b.yaml:3"])

    assert changed.evidence == ["a.yaml:9", "b.yaml:3", "c.yaml"]
    assert redis.evidence == ["b.yaml:3"]  # the original is untouched


@pytest.mark.parametrize(("changes", "problem"), [
    ({"evidence": []}, "too_short"),
    ({"category": "nonsense"}, "literal_error"),
    ({"nmae": "Redis"}, "extra_forbidden"),
])
def test_evolve_refuses_what_a_new_record_would_refuse(
    changes: dict[str, object], problem: str
) -> None:
    redis = Technology(name="Redis", category="datastore", evidence=[Evidence("b.yaml:3")])

    with pytest.raises(ValidationError) as raised:
        redis.evolve(**changes)

    assert [e["type"] for e in raised.value.errors()] == [problem]


def test_evolve_leaves_defaults_unset() -> None:
    item = FollowUp(text="t", created="2025-01-02T03:04:05Z")  # type: ignore[arg-type]

    done = item.evolve(done=True)

    assert done.model_dump(exclude_unset=True).keys() == {"text", "created", "done"}


def test_fields_cannot_be_reassigned() -> None:
    redis = Technology(name="Redis", category="datastore", evidence=[Evidence("b.yaml:3")])

    with pytest.raises(ValidationError):
        redis.evidence = [Evidence("a.yaml")]  # type: ignore[misc]


def test_no_change_skips_the_validators() -> None:
    # model_copy(update=...) builds a record without validating it; evolve is the way.
    offenders = [f"{path.relative_to(PACKAGE.parent)}:{number}"
                 for path in sorted(PACKAGE.rglob("*.py"))
                 for number, line in enumerate(path.read_text().splitlines(), 1)
                 if re.search(r"\bmodel_copy\(|\bmodel_construct\(", line)
                 and not line.lstrip().startswith("#")]

    assert offenders == []
