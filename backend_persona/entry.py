"""The console script's entry: a warm ``context`` answers from the cache, all else runs the CLI.

``context [PATH] [--format F] [--focus E]`` whose cached answer still holds (see
`backend_persona.cache`) is printed here, with no import of click, pydantic or ``re``,
and a detached child then asks git whether the tracked files' status is still the one the
answer counted, dropping the entry when not. Any other command line, ``--no-cache``,
``BACKEND_PERSONA_CACHE=0`` or a miss goes to `backend_persona.cli.main`, unchanged.
"""

from __future__ import annotations

import os
import sys

from backend_persona import cache

# typing's own TYPE_CHECKING would import typing (and re) on the hit path; mypy reads this one.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

_FORMATS = ("markdown", "json")
# When this run began, before git was asked anything: the cache trusts no input changed later.
started_ns: int | None = None


def main() -> None:
    """Entry point of the ``backend-persona`` console script and ``python -m backend_persona``."""
    global started_ns  # noqa: PLW0603  (one value per process, read by the context command)
    request = plain_context(sys.argv[1:])
    if request is not None:
        root, output_format, focus, no_cache = request
        if not no_cache and cache.enabled():
            hit = cache.lookup(context_key(root, output_format, focus))
            if hit is not None:
                _answer(hit)
        # A miss: git lists the files while the CLI loads.
        import time  # noqa: PLC0415

        started_ns = time.time_ns()
        from pathlib import Path  # noqa: PLC0415

        from backend_persona import git  # noqa: PLC0415

        git.prestart(Path(root))
    from backend_persona.cli import main as cli_main  # noqa: PLC0415

    cli_main()


def plain_context(argv: list[str]) -> tuple[str, str, str | None, bool] | None:
    """The real root, format, focus and ``--no-cache`` of a plain ``context`` command line.

    Returns:
        None for any other command line, or one with an option this does not know, or a
        PATH that is not a directory: those are the CLI's alone.
    """
    if not argv or argv[0] != "context":
        return None
    path, output_format, focus, no_cache = None, "markdown", None, False
    words = iter(argv[1:])
    for word in words:
        name, equals, value = word.partition("=")
        if name in ("--format", "--focus"):
            value = value if equals else next(words, "")
            if name == "--format":
                output_format = value
            else:
                focus = value
        elif word == "--no-cache":
            no_cache = True
        elif word.startswith("-") or path is not None:
            return None
        else:
            path = word
    if output_format not in _FORMATS or focus == "":
        return None
    root = os.path.realpath(os.path.expanduser(path or "."))
    return (root, output_format, focus, no_cache) if os.path.isdir(root) else None


def context_key(root: str, output_format: str, focus: str | None) -> str:
    """The cache key of a ``context`` answer printed to this process's standard output."""
    return cache.key(root, output_format, focus, encoding=_stdout_encoding())


def _stdout_encoding() -> str:
    stream = sys.stdout
    return f"{getattr(stream, 'encoding', '')}/{getattr(stream, 'errors', '')}"


def _answer(hit: cache.Hit) -> None:
    """Print the cached answer, revalidate it in the background, and exit at once."""
    try:
        sys.stdout.buffer.write(hit.output)
        sys.stdout.flush()
    except OSError:  # the reader went away: nothing more to say to it
        os._exit(1)
    if hit.status_digest is not None:
        in_background(lambda: revalidate(hit))
    os._exit(0)


def revalidate(hit: cache.Hit) -> None:
    """Drop ``hit``'s entry when the tracked files' status is no longer what it counted."""
    from pathlib import Path  # noqa: PLC0415

    from backend_persona import git  # noqa: PLC0415

    if git.status_digest(Path(hit.root)) != hit.status_digest:
        cache.forget(hit.entry)


def in_background(work: Callable[[], object]) -> None:
    """Run ``work`` in a detached child, once our output is flushed.

    In the foreground instead when `cache.SYNC_ENV` is set or the platform cannot fork.
    The child has its own session and /dev/null for its standard streams, so that whoever
    reads our output sees its end, and waits for nothing, as soon as we exit.
    """
    if os.environ.get(cache.SYNC_ENV) or not hasattr(os, "fork"):
        work()
        return
    for stream in (sys.stdout, sys.stderr):
        try:  # noqa: SIM105  (contextlib is one import more on the hit path)
            stream.flush()
        except (OSError, ValueError):
            pass  # closed or gone: the child writes nothing to it anyway
    try:
        child = os.fork()
    except OSError:
        return  # no child to spare: the cache is only a faster next run
    if child:
        return
    try:
        os.setsid()
        null = os.open(os.devnull, os.O_RDWR)
        for descriptor in (0, 1, 2):
            os.dup2(null, descriptor)
        work()
    finally:
        os._exit(0)
