"""A sighting: the slotted record detectors make, validated once when merged."""

from __future__ import annotations

import pytest

from backend_persona.discover.sighting import Sighting
from backend_persona.evidence import Evidence


def test_evidence_is_sorted_unique_and_parsed() -> None:
    sighting = Sighting(name="Redis", category="datastore",
                        evidence=["b.yaml:3", "a.yaml", "b.yaml:3"])
    assert sighting.evidence == ("a.yaml", "b.yaml:3")
    assert all(type(e) is Evidence for e in sighting.evidence)
    assert sighting.evidence[1].path == "b.yaml"
    assert sighting.evidence[1].line == 3


def test_one_citation_is_kept_as_given() -> None:
    citation = Evidence("go.mod:7")
    sighting = Sighting(name="pgx", category="driver", evidence=[citation])
    assert sighting.evidence == (citation,)
    assert sighting.evidence[0] is citation


def test_one_plain_citation_and_one_repeated_become_one_evidence() -> None:
    # The one-citation list takes a shortcut; it must give what the general path gives.
    plain = Sighting(name="pgx", category="driver", evidence=["go.mod:7"])
    repeated = Sighting(name="pgx", category="driver", evidence=("go.mod:7", "go.mod:7"))
    assert plain.evidence == repeated.evidence == ("go.mod:7",)
    assert type(plain.evidence[0]) is Evidence
    assert type(repeated.evidence[0]) is Evidence


def test_a_sighting_without_evidence_is_refused() -> None:
    with pytest.raises(ValueError, match="cites no file"):
        Sighting(name="Redis", category="datastore", evidence=[])


def test_evolve_changes_only_what_it_is_given() -> None:
    sighting = Sighting(name="Express", category="framework", evidence=["package.json:4"],
                        version="4.19", implied=True)
    dev = sighting.evolve(scope="dev")
    assert (dev.name, dev.category, dev.version, dev.scope, dev.evidence, dev.implied) == (
        "Express", "framework", "4.19", "dev", ("package.json:4",), True)
    assert sighting.scope == "runtime"
    assert sighting.evolve(version=None).version is None
    assert sighting.evolve(evidence=["a:1", "b:2"]).evidence == ("a:1", "b:2")
