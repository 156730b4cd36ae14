"""The compiled catalog, kept as JSON in the per-user cache folder between runs.

Parsing every TOML file costs tens of milliseconds on each ``context`` run; reading the
merged tables back as JSON costs a fraction of that. This module only stores and finds the
JSON: `catalog` turns it into tables and back, and rebuilds whatever is missing or stale.
Only the standard library is imported, and platformdirs only off Linux.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from backend_persona import cache

# The cache's own format: a change to `catalog._freeze` must change it.
SCHEMA = 7


def cache_home() -> Path:
    """The per-user cache folder: XDG, or the platform's own (`backend_persona.cache`'s)."""
    return Path(cache.cache_home())


def cache_path(files: Iterable[tuple[str, str]]) -> Path:
    """Where the catalog compiled from ``files`` (name, text) is kept: named by their hash."""
    digest = hashlib.blake2b(digest_size=16)
    for name, text in files:
        digest.update(f"{name}\0{len(text)}\0{text}".encode())
    return cache_home() / f"catalog-{SCHEMA}-{digest.hexdigest()}.json"


def read(path: Path) -> Any:
    """The cached JSON at ``path``, or None when it is missing or unreadable."""
    try:
        return json.loads(path.read_bytes())
    except (OSError, ValueError):
        return None  # Not there yet, or not JSON: the caller compiles it again.


def write(path: Path, data: object) -> None:
    """Write ``data`` as JSON through a temporary file, or give up quietly.

    Readers never see half a file; a cache that cannot be written is only a slower next run.
    """
    import tempfile  # noqa: PLC0415  (only a cache miss writes)

    encoded = json.dumps(data, separators=(",", ":")).encode()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=".catalog-")
    except OSError:
        return
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(encoded)
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
