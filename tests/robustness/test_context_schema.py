"""docs/context.schema.json, the published shape of `context --format json`, cannot drift."""

from __future__ import annotations

import json
from pathlib import Path
from typing import get_args

from backend_persona.discover import discover_context
from backend_persona.models import SCHEMA_VERSION, ContextSchema
from scripts.context_schema import SCHEMA, main, render_schema
from tests.conftest import RepoFactory


def test_the_committed_schema_is_the_generated_one() -> None:
    assert SCHEMA.read_text(encoding="utf-8") == render_schema(), (
        "docs/context.schema.json has drifted from ProjectContext; run "
        "`.venv/bin/python scripts/context_schema.py --write`")


def test_the_schema_pins_the_version_and_names_what_the_json_holds(
        make_project: RepoFactory) -> None:
    schema = json.loads(render_schema())
    context = json.loads(discover_context(make_project({"go.mod": "module m\n\ngo 1.22\n"}))
                         .model_dump_json())

    assert get_args(ContextSchema) == (SCHEMA_VERSION,)
    assert schema["properties"]["schema_version"]["const"] == SCHEMA_VERSION
    assert set(context) == set(schema["properties"])
    assert set(schema["required"]) <= set(context)
    # Computed fields are part of what is printed, so part of the schema.
    assert "summary" in schema["$defs"]["GitState"]["properties"]


def test_check_and_write(tmp_path: Path) -> None:
    target = tmp_path / "context.schema.json"
    target.write_text("{}\n")

    assert main(["--check", "--file", str(target)]) == 1
    assert main(["--write", "--file", str(target)]) == 0
    assert main(["--check", "--file", str(target)]) == 0
    assert target.read_text() == render_schema()
