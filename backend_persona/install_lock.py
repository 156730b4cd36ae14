"""The lock that serialises installs and uninstalls of one config folder.

It lives in the per-user state folder, never in the config folder, so that installing
leaves no lock file in a project's ``.claude``: one file per resolved config folder,
named by a hash of its path, and never removed. A lock file that is removed after use
is racy: a process that opened it just before the removal locks the old, unlinked file
while the next one creates and locks a new one, and both write. A file that always
exists is one inode, so every install and uninstall of this user into that folder
waits for the one before. (Two users writing one project's ``.claude`` are not
serialised; each write is still atomic.)
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from backend_persona.errors import UserError
from backend_persona.manifest import LEGACY_LOCK_NAME
from backend_persona.safefs import describe, exclusive_lock, private_dir, sha256
from backend_persona.state.store import state_home


def lock_path(base: Path) -> Path:
    """The install lock of the config folder ``base``, in the per-user state folder.

    Keyed by the folder's resolved path, so that every spelling of one folder (through
    a symlink, say) shares one lock.
    """
    key = sha256(os.fsencode(os.path.realpath(base)))[:32]
    return state_home() / "locks" / f"install-{key}.lock"


@contextmanager
def locked(base: Path, *, dry_run: bool) -> Iterator[None]:
    """Create ``base`` and hold its install lock for the block (nothing, for a dry run).

    Raises:
        UserError: ``base`` or the lock cannot be created, or another install has held
            the lock too long.
    """
    if dry_run:
        yield
        return
    try:
        base.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UserError(f"cannot write in {base} ({describe(error)})",
                        hint="check its permissions and free space") from None
    lock = lock_path(base)
    private_dir(lock.parent)
    with exclusive_lock(lock):
        _remove_legacy_lock(base)
        yield


def _remove_legacy_lock(base: Path) -> None:
    # Earlier versions locked a file in the config folder and left it there. It is an
    # empty regular file when it is one of theirs; anything else at that name is left.
    legacy = base / LEGACY_LOCK_NAME
    try:
        info = os.lstat(legacy)
        if stat.S_ISREG(info.st_mode) and info.st_size == 0:
            legacy.unlink()
    except OSError:
        return
