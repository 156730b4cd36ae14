"""Each corpus case is built once per session as a real git repository, then discovered."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from backend_persona.discover import discover_context
from backend_persona.models import ProjectContext
from tests.conftest import init_repo, write_tree
from tests.detection.corpus import Case

Detect = Callable[[Case], ProjectContext]


@pytest.fixture(scope="session")
def _contexts() -> dict[str, ProjectContext]:
    return {}


@pytest.fixture
def detect(
    _contexts: dict[str, ProjectContext], tmp_path_factory: pytest.TempPathFactory
) -> Detect:
    """Discover a case (debug on, so any detector exception fails the test instead of a note)."""

    def run(case: Case) -> ProjectContext:
        if case.name not in _contexts:
            # Built inside the test, so the hermetic git identity of conftest is in force.
            root = tmp_path_factory.mktemp(case.name)
            write_tree(root, case.files)
            init_repo(root)
            _contexts[case.name] = discover_context(root, debug=True)
        return _contexts[case.name]

    return run
