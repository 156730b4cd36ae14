"""The fixture the state tests share: a project and its sessions in a private home."""

from __future__ import annotations

from pathlib import Path

import pytest

from backend_persona.state.session import Sessions
from tests.conftest import Clock, RepoFactory


@pytest.fixture
def store(make_project: RepoFactory, tmp_path: Path) -> Sessions:
    root = make_project({"main.go": "package main\n"}, git=False)
    return Sessions(root.resolve(), home=tmp_path / "state", clock=Clock())
