"""The session files of one project: where they live, the writer lock, reads and writes.

Writers hold the project's lock (`locked`) and replace files atomically; readers take no
lock. A file that cannot be read is moved aside by a writer, never overwritten, and
only noted by a reader. A file written by a newer version is refused and left exactly
where it is, by readers, writers and ``prune`` alike; an older one is upgraded on read.
Neither filelock nor platformdirs is imported until a writer locks or a platform other
than Linux asks where state lives.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Self

from pydantic import ValidationError

from backend_persona.errors import UserError
from backend_persona.root import resolve_root
from backend_persona.safefs import (
    describe,
    exclusive_lock,
    is_private_dir,
    printable,
    private_dir,
    read_bytes,
    refuse_symlink,
    remove_stale_temps,
    shown,
    write_atomic,
)
from backend_persona.state.location import (
    SESSION_ID,
    STATE_DIR_ENV,
    project_folder_name,
    session_files,
    state_home,
)
from backend_persona.state.migrations import OLDEST_SCHEMA, UpgradeError, upgrade
from backend_persona.state.model import (
    STATE_SCHEMA_VERSION,
    Clock,
    PruneReport,
    SessionList,
    SessionState,
    SessionSummary,
    utc_now,
)

_SESSION_FILE = re.compile(rf"{SESSION_ID.pattern}\.json")


__all__ = ["STATE_DIR_ENV", "BrokenStateError", "NewerStateError", "StateStore",
           "project_folder_name", "state_home"]


class BrokenStateError(Exception):
    """A session file that is not valid state: ``reason`` completes "``path`` ..."."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(reason)
        self.path = path
        self.reason = reason


class NewerStateError(UserError):
    """A session file written by a newer backend-persona: refused, never moved or changed."""

    def __init__(self, path: Path, version: int) -> None:
        super().__init__(f"{path} was written by a newer backend-persona (state schema "
                         f"{version}; this version reads {STATE_SCHEMA_VERSION})",
                         hint="upgrade backend-persona to use it; the file was left as it is")


class StateStore:
    """The session files of one project: listing, reading, locked writing, and pruning."""

    def __init__(self, root: Path, *, home: Path | None = None, clock: Clock = utc_now) -> None:
        """Open the store of the project at the resolved directory ``root``."""
        self.root = root
        self.home = home or state_home()
        self.directory = self.home / "projects" / project_folder_name(root)
        self.clock = clock

    @classmethod
    def open(cls, project: str | os.PathLike[str]) -> Self:
        """The store of the project directory ``project`` (resolved, must exist)."""
        return cls(resolve_root(project))

    # -- reading ----------------------------------------------------------------------

    def session_path(self, session_id: str) -> Path:
        """Where the session's file lives (the id must already be validated)."""
        return self.directory / f"{session_id}.json"

    def session_files(self) -> list[Path]:
        """Session files, most recently updated first."""
        return session_files(self.directory)

    def read(self, path: Path) -> SessionState:
        """Parse one session file, upgraded to the current schema if it is older.

        Raises:
            FileNotFoundError: The file is gone.
            BrokenStateError: The file is corrupt.
            NewerStateError: A newer backend-persona wrote the file.
        """
        data = read_bytes(path)
        if data is None:
            raise FileNotFoundError(path)
        try:
            raw = json.loads(data)
        except ValueError:
            raise BrokenStateError(path, "is not valid JSON") from None
        except RecursionError:
            raise BrokenStateError(path, "is nested too deeply") from None
        try:
            return SessionState.model_validate(self._upgraded(path, raw))
        except ValidationError as error:
            raise BrokenStateError(path, f"does not match the state schema "
                                    f"({error.error_count()} problem(s))") from None

    @staticmethod
    def _upgraded(path: Path, raw: object) -> object:
        if not isinstance(raw, dict):
            return raw  # validation refuses it
        version = raw.get("schema_version", OLDEST_SCHEMA)
        if isinstance(version, int) and version > STATE_SCHEMA_VERSION:
            raise NewerStateError(path, version)
        try:
            return upgrade(raw)
        except UpgradeError as error:
            raise BrokenStateError(path, str(error)) from None

    def readable(self) -> tuple[list[tuple[Path, SessionState]], list[str]]:
        """Every readable session, newest first, and a note per file that is not."""
        found, notes = [], []
        for path in self.session_files():
            try:
                found.append((path, self.read(path)))
            except BrokenStateError as broken:
                notes.append(shown(f"{path} {broken.reason}"))
            except (FileNotFoundError, UserError) as error:
                notes.append(shown(str(error)))
        return found, notes

    def summaries(self) -> SessionList:
        """Every session of the project, newest first; unreadable files become notes."""
        found, notes = self.readable()
        sessions = [SessionSummary(
            session_id=state.session_id, created=state.created, updated=state.updated,
            request=state.request, decisions=len(state.decisions),
            open_followups=state.progress().open_followups, path=printable(path),
        ) for path, state in found]
        return SessionList(project_root=printable(self.root),
                           directory=printable(self.directory), sessions=sessions, notes=notes)

    def all_sessions(self) -> tuple[list[SessionState], list[str]]:
        """Every readable session, oldest first, and a note per unreadable file."""
        found, notes = self.readable()
        states = sorted((state for _, state in found), key=lambda s: (s.created, s.session_id))
        return states, notes

    # -- writing ----------------------------------------------------------------------

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the project's writer lock; the folders are created private first."""
        private_dir(self.home)
        private_dir(self.home / "projects")
        private_dir(self.directory)
        with exclusive_lock(self.directory / ".lock"):
            # Every writer of this folder holds the lock, so no live temp file is here.
            remove_stale_temps(self.directory, _SESSION_FILE)
            yield

    def save(self, state: SessionState) -> Path:
        """Write a session atomically (call with the lock held)."""
        path = self.session_path(state.session_id)
        write_atomic(path, (state.model_dump_json(indent=2) + "\n").encode())
        return path

    def quarantine(self, broken: BrokenStateError) -> UserError:
        """Move a broken file aside (never overwrite it) and say so in an error."""
        stamp = self.clock().strftime("%Y%m%dT%H%M%S%fZ")
        target = broken.path.with_name(f"{broken.path.name}.corrupt-{stamp}")
        try:
            refuse_symlink(target)
            os.rename(broken.path, target)
        except OSError as error:
            return UserError(f"{broken.path} {broken.reason}, and could not be moved aside "
                             f"({describe(error)})")
        return UserError(f"{broken.path} {broken.reason}; moved it aside to {target.name}",
                         hint="run the command again to use another session")

    def load(self, session_id: str) -> SessionState | None:
        """Load a session for a writer (lock held): None if absent; broken files moved aside.

        Raises:
            NewerStateError: A newer backend-persona wrote the file, which stays as it is.
            UserError: The file is corrupt; it was moved aside.
        """
        try:
            return self.read(self.session_path(session_id))
        except FileNotFoundError:
            return None
        except BrokenStateError as broken:
            raise self.quarantine(broken) from None

    def prune(self, older_than_days: int, only: str | None = None) -> PruneReport:
        """Remove sessions (and moved-aside files) not updated for ``older_than_days`` days.

        With ``only``, just that session's files are considered.
        """
        cutoff = self.clock() - timedelta(days=older_than_days)
        removed, kept = [], 0
        if not is_private_dir(self.directory):
            return PruneReport(removed=[], kept=0)
        with self.locked():
            for path in sorted(self.directory.iterdir()):
                if path.name.startswith(".") or (only and not _of_session(path.name, only)):
                    continue
                when = self._last_update(path)
                if when is not None and when < cutoff:
                    path.unlink()
                    removed.append(path.name)
                elif when is not None:
                    kept += 1
        return PruneReport(removed=removed, kept=kept)

    def _last_update(self, path: Path) -> datetime | None:
        if ".corrupt-" in path.name:
            return datetime.fromtimestamp(path.lstat().st_mtime, UTC)
        if not path.name.endswith(".json"):
            return None
        try:
            return self.read(path).updated
        except (BrokenStateError, FileNotFoundError, UserError):
            return None


def _of_session(name: str, session_id: str) -> bool:
    # The session's file or a moved-aside copy of it; "a" must not match "a.b.json".
    return name == f"{session_id}.json" or name.startswith(f"{session_id}.json.corrupt-")
