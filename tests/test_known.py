"""`Known`: the catalog's answer for one rule, immutable, equal by name and category."""

from __future__ import annotations

import pytest

from backend_persona.discover.known import Known


def test_known_compares_and_hashes_by_name_and_category_alone() -> None:
    plain = Known("Redis", "datastore")
    implied = Known("Redis", "datastore", versioned=False, implied=True, companion=True)
    assert plain == implied
    assert hash(plain) == hash(implied)
    assert plain != Known("Redis", "search")
    assert plain != ("Redis", "datastore")


def test_evolve_changes_only_the_flags_it_is_given() -> None:
    known = Known("Sidekiq", "jobs")
    changed = known.evolve(versioned=False, companion=True)
    assert (changed.name, changed.category) == ("Sidekiq", "jobs")
    assert (changed.versioned, changed.implied, changed.companion) == (False, False, True)
    assert (known.versioned, known.companion) == (True, False)
    with pytest.raises(TypeError, match="no flag 'name'"):
        known.evolve(name=True)


def test_known_is_immutable() -> None:
    known = Known("Kafka", "broker")
    with pytest.raises(AttributeError):
        known.versioned = False
    with pytest.raises(AttributeError):
        del known.name
    assert repr(known) == ("Known(name='Kafka', category='broker', versioned=True, "
                           "implied=False, companion=False)")
