"""Where a project's session files live, and which they are: read on every slash command.

``context`` lists the latest sessions of a project before anything else of the state is
needed; this module does it with the standard library alone, so that a project without
state never loads the validated models of `backend_persona.state.store`.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from backend_persona.safefs import is_private_dir, sha256

# A session id becomes a file name: only these pass (`state.inputs.valid_session_id`).
SESSION_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")
STATE_DIR_ENV = "BACKEND_PERSONA_STATE_DIR"


def state_home() -> Path:
    """The per-user folder that holds all state: the override, XDG, or the platform's own."""
    override = os.environ.get(STATE_DIR_ENV)
    if override:
        return Path(override).expanduser()
    xdg = os.environ.get("XDG_STATE_HOME", "")
    if os.path.isabs(xdg):
        return Path(xdg) / "backend-persona"
    if sys.platform.startswith("linux"):
        # What platformdirs answers on Linux, without its import on the context path.
        return Path.home() / ".local" / "state" / "backend-persona"
    import platformdirs  # noqa: PLC0415

    return Path(platformdirs.user_state_dir("backend-persona", appauthor=False))


def project_folder_name(root: Path) -> str:
    """A readable and stable folder name for a resolved project root."""
    digest = sha256(os.fsencode(str(root)))[:16]
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", root.name)[:40].strip("-.") or "project"
    return f"{slug}-{digest}"


def project_directory(root: Path) -> Path:
    """The folder of the resolved project root ``root``'s session files."""
    return state_home() / "projects" / project_folder_name(root)


def session_files(directory: Path) -> list[Path]:
    """The session files in ``directory``, most recently updated first."""
    if not is_private_dir(directory):
        return []
    found: list[tuple[int, str, Path]] = []
    with os.scandir(directory) as entries:
        for entry in entries:
            stem, dot, suffix = entry.name.rpartition(".")
            if dot and suffix == "json" and SESSION_ID.fullmatch(stem):
                # Readers take no lock: a writer's prune or quarantine may have
                # removed the file since the directory was listed.
                try:
                    updated = entry.stat(follow_symlinks=False).st_mtime_ns
                except FileNotFoundError:
                    continue
                found.append((updated, entry.name, Path(entry.path)))
    return [path for _, _, path in sorted(found, reverse=True)]
