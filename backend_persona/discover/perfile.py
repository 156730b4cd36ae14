"""One file is one unit of failure: a hostile file costs its own findings, not its detector's.

Detectors parse each file inside `per_file` (or `guarded`). A file past a bound, one that
nests deeper than a parser can follow (``RecursionError``) or one that `SkipFile` rejects
for holding too much work, becomes a note naming it, and the detector goes on with its
other files. Any other exception is a bug and still reaches the engine, which reports the
detector as failed (or raises, under ``--debug``): only conditions the input causes are
absorbed here, like the "not valid JSON" notes the readers already write.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import ParamSpec, TypeVar

from backend_persona.discover.index import FileIndex
from backend_persona.safefs import printable

P = ParamSpec("P")
T = TypeVar("T")


class SkipFile(Exception):  # noqa: N818  (a verdict on a file, not an error in the code)
    """Raised while parsing a file that holds more work than one file may cost."""

    def __init__(self, reason: str) -> None:
        """Keep ``reason``, which completes the note: ``<path> <reason>; skipped``."""
        super().__init__(reason)
        self.reason = reason


def guarded(
    index: FileIndex, path: str, parse: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs
) -> T | None:
    """Run ``parse(*args, **kwargs)`` for ``path``; None, with a note, when the file is refused.

    Args:
        index: The file index, which collects the note.
        path: The file being parsed, as the index lists it.
        parse: The parse of that one file.
        *args: Positional arguments for ``parse``.
        **kwargs: Keyword arguments for ``parse``.

    Returns:
        What ``parse`` returned, or None when the file nests too deeply or is past a bound.
    """
    try:
        return parse(*args, **kwargs)
    except RecursionError:
        index.note(f"{printable(path)} is nested too deeply to read; skipped")
    except SkipFile as skip:
        index.note(f"{printable(path)} {skip.reason}; skipped")
    return None


def per_file(
    index: FileIndex,
    path: str,
    parse: Callable[P, Iterable[T]],
    /,
    *args: P.args,
    **kwargs: P.kwargs,
) -> list[T]:
    """Every finding ``parse`` makes of ``path``, or none (with a note) when it is refused.

    The findings are collected before any is returned, so that a file refused halfway
    through contributes nothing rather than a misleading part of itself.
    """
    return guarded(index, path, lambda: list(parse(*args, **kwargs))) or []
