"""A technology is cited at its own lines; a line that only implies it counts alone.

From an audit of real repositories: Redis cited at Sidekiq's and django-rq's lines while
the Gemfile and requirements name the redis client itself, and PostgreSQL cited at a
PgBouncer image beside the postgres one.
"""

from __future__ import annotations

import pytest

from backend_persona.discover.engine import discover_context
from tests.conftest import RepoFactory

GEMFILE_HEAD = 'source "https://rubygems.org"\n'


def _evidence(
    make_project: RepoFactory, files: dict[str, str], name: str
) -> tuple[str, list[str]]:
    context = discover_context(make_project(files), debug=True)
    found = {t.name: t for t in context.technologies}
    assert name in found, sorted(found)
    return found[name].scope, list(found[name].evidence)


@pytest.mark.parametrize(("files", "name", "scope", "evidence"), [
    # The client's own line, not the job queue's that implies it.
    ({"Gemfile": GEMFILE_HEAD + 'gem "redis", "~> 5.0"\ngem "sidekiq", "~> 7.2"\n'},
     "Redis", "runtime", ["Gemfile:2"]),
    # Only the job queue says so: its line is the evidence.
    ({"Gemfile": GEMFILE_HEAD + 'gem "sidekiq", "~> 7.2"\n'}, "Redis", "runtime", ["Gemfile:2"]),
    # The client is test-only, the queue runs: both lines, since only the queue proves runtime.
    ({"Gemfile": GEMFILE_HEAD + 'gem "sidekiq", "~> 7.2"\ngroup :test do\n'
                 '  gem "redis", "~> 5.0"\nend\n'},
     "Redis", "runtime", ["Gemfile:2", "Gemfile:4"]),
    # A PgBouncer image implies PostgreSQL; the postgres image is the one to cite.
    ({"compose.yaml": "services:\n  db:\n    image: postgres:16.4\n"
                      "  bouncer:\n    image: edoburu/pgbouncer:v1.24.1-p1\n"},
     "PostgreSQL", "runtime", ["compose.yaml:3"]),
])
def test_a_technology_is_cited_at_its_own_lines(
    make_project: RepoFactory, files: dict[str, str], name: str, scope: str,
    evidence: list[str],
) -> None:
    assert _evidence(make_project, files, name) == (scope, evidence)
