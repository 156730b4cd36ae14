"""The inbox: where the model leaves text for a ``state`` command, outside any shell.

Claude Code refuses a Bash command in which ``{`` is followed by a quote, even inside a
quoted here-document, so text holding JSON cannot reach ``--stdin`` through Bash. The
slash command instead has the model write the text with the Write tool into this
session's inbox file, ``<state home>/inbox/<session id>.txt``, then run ``state ...
--file PATH``, which reads it here, records it, and removes it. The inbox is in the
per-user state folder, never in the repository, so it is never the project's file.

Only a regular file directly in the inbox folder is read: not a symlink, not anything
the model may have been talked into naming elsewhere (the file is removed once read).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from backend_persona.errors import UserError
from backend_persona.safefs import describe, private_dir, read_bytes
from backend_persona.state.inputs import valid_session_id
from backend_persona.state.store import state_home

INBOX = "inbox"
SUFFIX = ".txt"
# A decision's four texts at their limits, in JSON with every character escaped, fit.
MAX_INBOX_BYTES = 512 * 1024


def inbox_dir() -> Path:
    """The folder of every session's inbox file, in the per-user state folder."""
    return state_home() / INBOX


def inbox_path(session: str) -> Path:
    """Where the session's inbox file is, its folder created private when possible.

    Never raises for a folder it cannot create: the path is printed into the prompt by a
    `!` line, which must not fail, and reading the file later says what is wrong.

    Raises:
        UserError: ``session`` is not a valid session id.
    """
    session = valid_session_id(session)
    folder = inbox_dir()
    with suppress(UserError):
        private_dir(folder)
    return folder / f"{session}{SUFFIX}"


def _checked(given: str) -> Path:
    path = Path(os.path.expanduser(given))
    folder = inbox_dir()
    if not path.is_absolute() or path.parent != folder or not path.name.endswith(SUFFIX):
        raise UserError(f"--file {given}: only a {SUFFIX} file directly in the inbox {folder} "
                        "is read",
                        hint="write the text there (`backend-persona state inbox` prints the "
                             "path), or pipe it with --stdin")
    private_dir(folder)  # a folder the Write tool made is narrowed to its owner first
    return path


@contextmanager
def inbox_text(given: str) -> Iterator[str]:
    """The text of the inbox file ``given``, removed once the block records it.

    When the block raises (the text was refused), the file stays, for the model to fix.

    Raises:
        UserError: The path is not an inbox file, or the file is missing, a symlink,
            not a regular file or larger than `MAX_INBOX_BYTES`.
    """
    path = _checked(given)
    data = read_bytes(path, MAX_INBOX_BYTES)
    if data is None:
        raise UserError(f"--file {path}: no such file",
                        hint="write the text there with the Write tool first")
    text = data.decode("utf-8", "replace").replace("\r\n", "\n").replace("\r", "\n")
    yield text
    try:
        path.unlink()
    except FileNotFoundError:
        pass
    except OSError as error:
        raise UserError(f"recorded, but could not remove {path} ({describe(error)})") from None
