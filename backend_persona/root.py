"""The project directory a command was given, checked and resolved.

Only the standard library and the package's stdlib-only `errors` and `safefs` are
imported: discovery, state and docs all start here, and none of them may pull in another.
"""

from __future__ import annotations

import os
from pathlib import Path

from backend_persona.errors import UserError
from backend_persona.safefs import printable


def resolve_root(path: str | os.PathLike[str]) -> Path:
    """Return ``path`` as an absolute directory, or raise `UserError` saying what is wrong."""
    candidate = Path(path).expanduser()
    if not candidate.exists():
        raise UserError(f"{printable(path)}: no such directory",
                        hint="check the path, or run from inside the project without one")
    if not candidate.is_dir():
        raise UserError(f"{printable(path)}: not a directory", hint="pass the project's folder")
    return candidate.resolve()
