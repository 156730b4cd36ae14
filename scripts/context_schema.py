"""The JSON Schema of ``context --format json``, committed as ``docs/context.schema.json``.

    python scripts/context_schema.py            print the schema
    python scripts/context_schema.py --check    exit 1 when docs/context.schema.json differs
    python scripts/context_schema.py --write    rewrite docs/context.schema.json

It is ``ProjectContext.model_json_schema(mode="serialization")``: the shape of what the
command prints, computed fields included, so that readers can validate against it.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from backend_persona.models import ProjectContext

SCHEMA = Path(__file__).resolve().parent.parent / "docs" / "context.schema.json"


def render_schema() -> str:
    """The schema as the committed file holds it: sorted keys, two-space indent, a newline."""
    schema = ProjectContext.model_json_schema(mode="serialization")
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    """Print, check or write the schema; returns the exit status."""
    parser = argparse.ArgumentParser(prog="scripts/context_schema.py", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help=f"exit 1 if {SCHEMA.name} drifted")
    mode.add_argument("--write", action="store_true", help=f"rewrite {SCHEMA.name}")
    parser.add_argument("--file", dest="path", type=Path, default=SCHEMA)
    args = parser.parse_args(argv)
    schema = render_schema()
    if args.check:
        current = args.path.read_text(encoding="utf-8") if args.path.exists() else None
        if current != schema:
            print(f"{args.path}: the context schema has drifted; run "
                  "python scripts/context_schema.py --write", file=sys.stderr)
            return 1
        return 0
    if not args.write:
        sys.stdout.write(schema)
        return 0
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=args.path.parent,
                                     delete=False, suffix=".tmp") as handle:
        handle.write(schema)
    os.replace(handle.name, args.path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
