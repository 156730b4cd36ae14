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
    # The same in two packages: the line that names it, wherever it is.
    ({"api/Gemfile": GEMFILE_HEAD + 'gem "redis", "~> 5.0"\n',
      "worker/Gemfile": GEMFILE_HEAD + 'gem "sidekiq", "~> 7.2"\n'},
     "Redis", "runtime", ["api/Gemfile:2"]),
    # A driver names its database: its line stays beside the settings that name it too.
    ({"pyproject.toml": '[project]\nname = "shop"\ndependencies = ["psycopg>=3.2"]\n',
      "shop/settings.py": "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql'}}\n"},
     "PostgreSQL", "runtime", ["pyproject.toml:3", "shop/settings.py:1"]),
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


def test_typings_name_their_library_without_a_sighting_of_it(
    make_project: RepoFactory,
) -> None:
    context = discover_context(make_project({"package.json": (
        '{"name": "api", "dependencies": {"@nestjs/common": "^10.4.1"},\n'
        ' "devDependencies": {"@types/express": "^4.17.21", "@types/babel__core": "^7.20.5",'
        ' "@types/left-pad": "^1.2.0"}}\n')}), debug=True)
    found = {t.name: (t.version, t.scope) for t in context.technologies}
    assert found["NestJS"] == (None, "runtime")
    # Typings alone prove nothing: a project keeps `@types/jest` for another runner's
    # globals, or `@types/express` long after Express went.
    assert "Express" not in found
    assert "Babel" not in found
    api = next(c for c in context.components if c.path == ".")
    typed = {d.name: d.technologies for d in api.dependencies}
    assert typed["@types/express"] == ["Express"]
    assert typed["@types/babel__core"] == ["Babel"]
    # Only the typings of a library the catalog does not know stay "other".
    assert [d.name for d in api.dependencies if not d.technologies] == ["@types/left-pad"]
