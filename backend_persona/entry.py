"""The console script's entry: a warm ``context`` answers from the cache, all else runs the CLI.

``context [PATH] [--format F] [--focus E]`` whose cached answer still holds (see
`backend_persona.cache`) is printed here, with no import of click, pydantic or ``re``,
and a detached child then asks git whether the tracked files' status is still the one the
answer counted, dropping the entry when not. A miss, ``--no-cache`` or
``BACKEND_PERSONA_CACHE=0`` runs the same line here too, without click (`run_context`);
any other command line, or a run that fails, goes to `backend_persona.cli.main`.
"""

from __future__ import annotations

import os
import sys

from backend_persona import cache

# typing's own TYPE_CHECKING would import typing (and re) on the hit path; mypy reads this one.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from backend_persona.cachefill import Observed
    from backend_persona.vocabulary import Focus, PromptFormat

_FORMATS = ("markdown", "json")
# How far the detached background work steps back (nice(1)): a tenth of a busy core's share.
_BACKGROUND_NICENESS = 10
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
        import gc  # noqa: PLC0415
        import time  # noqa: PLC0415

        started_ns = time.time_ns()
        # The cyclic collector would walk the growing heap of paths and findings again and
        # again (a tenth of a cold run on 100,000 files) to free next to nothing: this
        # process prints one answer and ends. A line the CLI takes over gets it back.
        collecting = gc.isenabled()
        gc.disable()
        from pathlib import Path  # noqa: PLC0415

        from backend_persona import git  # noqa: PLC0415

        git.prestart(Path(root))
        run_context(root, output_format, focus, no_cache=no_cache)
        if collecting:
            gc.enable()
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


def run_context(root: str, output_format: str, focus: str | None, *, no_cache: bool) -> None:
    """Answer a plain ``context`` line as the CLI would, without importing click, and exit.

    Returns instead, having printed nothing, when the line is the CLI's to answer: a
    focus it would refuse, or a failure, which it reports in its own words and exit code.
    """
    import time  # noqa: PLC0415
    from typing import cast, get_args  # noqa: PLC0415

    from backend_persona.cachefill import Observed  # noqa: PLC0415
    from backend_persona.context import context_text  # noqa: PLC0415
    from backend_persona.vocabulary import Focus  # noqa: PLC0415

    if focus is not None and focus not in get_args(Focus):
        return
    chosen, focused = cast("PromptFormat", output_format), cast("Focus | None", focus)
    started = started_ns or time.time_ns()
    # As `cli.main` does: pydantic (JSON only) would scan every distribution for plugins.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    observed = Observed() if cache.enabled() and not no_cache else None
    try:
        # This process has one thread: discovery may fork a helper for some detectors.
        text = context_text(root, output_format=chosen, focus=focused, observed=observed,
                            helper=True)
    except KeyboardInterrupt:
        # As the CLI does: click ends the terminal's ^C line first.
        sys.stderr.write("\nbackend-persona: interrupted\n")
        sys.stderr.flush()
        os._exit(130)
    except Exception:
        return  # the CLI runs the line again, and reports the failure as it does
    try:
        if "\x1b" in text or _ascii_stdout():
            # click's echo strips escapes when the output is no terminal, and mends an
            # ASCII-only stream.
            import click  # noqa: PLC0415

            click.echo(text, nl=False)
        else:
            sys.stdout.write(text)
        sys.stdout.flush()
    except UnicodeEncodeError:
        return  # nothing was written: the CLI says it as it does
    except OSError:  # the reader went away: what it missed is a failure, as in the CLI
        os._exit(1)
    if observed is not None:
        remember_answer(text, observed, chosen, focused, started)
    os._exit(0)


def _ascii_stdout() -> bool:
    import codecs  # noqa: PLC0415

    encoding = getattr(sys.stdout, "encoding", None)
    return not encoding or codecs.lookup(encoding).name == "ascii"


def remember_answer(text: str, observed: Observed, output_format: PromptFormat,
                    focus: Focus | None, started: int) -> None:
    """Cache ``text`` once it is printed, in a detached child: a miss is no slower for it."""
    from backend_persona.cachefill import remember  # noqa: PLC0415

    stream = sys.stdout
    encoding, errors = getattr(stream, "encoding", None), getattr(stream, "errors", None)
    # click strips ANSI escapes when the output is no terminal: such text is not cached.
    if not encoding or not errors or "\x1b" in text or not observed.root:
        return
    key = context_key(observed.root, output_format, focus)
    output = text.encode(encoding, errors)
    in_background(lambda: remember(observed, key, output, started))


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
    reads our output sees its end, and waits for nothing, as soon as we exit; it runs at a
    lower priority, so that what the user runs next goes first.
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
        # Behind whatever runs next (git status over 100,000 files is 130 ms of CPU): the
        # work, and the git it starts, only makes a later answer faster or safer.
        try:  # noqa: SIM105  (contextlib is one import more on the hit path)
            os.nice(_BACKGROUND_NICENESS)
        except OSError:
            pass  # at full speed, then
        null = os.open(os.devnull, os.O_RDWR)
        for descriptor in (0, 1, 2):
            os.dup2(null, descriptor)
        work()
    finally:
        os._exit(0)
