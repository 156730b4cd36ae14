"""Where a project keeps its ADRs: the folder ``.adr-dir`` names, adr-tools' ``doc/adr``, or ours.

adr-tools (and log4brains, which reads adr-tools projects) look for ``.adr-dir`` first, a
one-line file naming the ADR folder relative to the folder it sits in, and then for
``doc/adr``. We look the same way at the project root, so that our records continue the
numbering that is already there instead of starting a second one beside it.

``.adr-dir`` comes with the checkout. Its text is used only when it names a folder
inside the project, relative, without ``..`` or ``.git``, and when it can be shown
as it is; a symlink, a special file, a huge file or anything else is refused in one
line before anything is written. A symlinked folder on the way is checked when the
folder is created (`backend_persona.safefs.dir_inside`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from backend_persona.docs.files import ADR_DIR_FILE, ARCHITECTURE_DIR, DECISIONS_DIR
from backend_persona.errors import UserError
from backend_persona.safefs import read_bytes, shown

# adr-tools writes one short line; this is generous for any folder name.
MAX_ADR_DIR_BYTES = 4096
ADR_TOOLS_DEFAULT = "doc/adr"
_HINT = f"make {ADR_DIR_FILE} one line naming a folder inside the project, or remove it"


@dataclass(frozen=True)
class AdrFolder:
    """The decisions folder, relative to the project root, and where that came from.

    ``text`` is the content of ``.adr-dir`` when it named the folder.
    """

    relative: str
    source: Literal["adr-dir", "adr-tools-default", "ours"]
    text: str | None = None


def adr_folder(root: Path) -> AdrFolder:
    """The folder the project's ADRs go in, as adr-tools would find it from ``root``.

    Args:
        root: The resolved project root.

    Returns:
        The folder named by ``.adr-dir``; else ``doc/adr`` when it exists; else ours,
        `DECISIONS_DIR`.

    Raises:
        UserError: ``.adr-dir`` is a symlink, not a regular file, over
            `MAX_ADR_DIR_BYTES`, or names no folder inside the project.
    """
    path = root / ADR_DIR_FILE
    try:
        data = read_bytes(path, MAX_ADR_DIR_BYTES)
    except UserError as error:
        raise UserError(error.message, hint=_HINT) from None
    if data is None:
        if (root / ADR_TOOLS_DEFAULT).is_dir():
            return AdrFolder(ADR_TOOLS_DEFAULT, "adr-tools-default")
        return AdrFolder(DECISIONS_DIR, "ours")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise UserError(f"{path} is not UTF-8 text", hint=_HINT) from None
    return AdrFolder(_checked(path, text.strip()), "adr-dir", text)


def _checked(path: Path, value: str) -> str:
    # Each test names what is wrong; the value itself is shown only once it is safe to.
    if not value.isprintable():
        raise UserError(f"{path} holds more than one line or a control character", hint=_HINT)
    if shown(value) != value:
        raise UserError(f"{path} names a folder that cannot be shown as it is "
                        f"({shown(value)[:80]!r}); refusing to write there", hint=_HINT)
    parts = [part for part in value.split("/") if part not in ("", ".")]
    if value.startswith("/"):
        problem = "an absolute path"
    elif ".." in parts:
        problem = "a path that leads outside the project"
    elif not parts:
        problem = "the project folder itself"
    elif any(part.lower() == ".git" for part in parts):
        problem = "a folder inside .git"
    elif any(part.lower() == ".claude" for part in parts):
        # Every Markdown file there can become a command or an agent of Claude Code.
        problem = "a folder inside .claude"
    elif "/".join(parts) == ARCHITECTURE_DIR:
        problem = f"{ARCHITECTURE_DIR} itself, where the architecture README and index live"
    else:
        return "/".join(parts)
    raise UserError(f"{path} names {problem} ({value[:80]!r}); refusing to write ADRs there",
                    hint=_HINT)
