"""``context`` and ``route``: what a slash command reads before the persona answers."""

from __future__ import annotations

from typing import get_args

import click

from backend_persona.cli.exits import Command, root_debug
from backend_persona.cli.options import PROMPT_FORMAT, read_stdin
from backend_persona.vocabulary import Focus, PromptFormat


@click.command("context", cls=Command)
@click.argument("path", default=".", type=click.Path(path_type=str))
@click.option("--format", "output_format", type=click.Choice(get_args(PromptFormat)),
              default="markdown", show_default=True,
              help="markdown is compact and capped for prompts; json carries every list.")
@click.option("--debug", is_flag=True, help="Raise detector failures instead of noting them.")
@click.option("--focus", type=click.Choice(get_args(Focus)),
              help="Only this ecosystem's components, technologies and files, plus shared files.")
@click.option("--no-cache", is_flag=True,
              help="Neither answer from nor write the per-user cache (as BACKEND_PERSONA_CACHE=0).")
def context_command(path: str, output_format: PromptFormat, debug: bool,
                    focus: Focus | None, no_cache: bool) -> None:
    """Describe the project at PATH (default: here): git state, stack, components, files.

    Exits 0 whenever PATH is a directory, even outside git or with broken manifests;
    problems become notes in the output. An unchanged repository is answered from the
    per-user cache (`backend-persona cache clear` empties it).
    """
    # A plain `context` line is answered by `entry.run_context`, without click; this is the
    # rest (`--debug`, a refused focus, a failure to report) and any caller of `cli`.
    import time  # noqa: PLC0415

    from backend_persona import cache, entry  # noqa: PLC0415
    from backend_persona.cachefill import Observed  # noqa: PLC0415
    from backend_persona.context import context_text  # noqa: PLC0415

    # From the console script's start when it began git early, else from now.
    started = entry.started_ns or time.time_ns()
    debug = debug or root_debug(click.get_current_context())
    observed = Observed() if cache.enabled() and not (no_cache or debug) else None
    text = context_text(path, output_format=output_format, focus=focus, debug=debug,
                        observed=observed)
    click.echo(text, nl=False)
    if observed is not None:
        entry.remember_answer(text, observed, output_format, focus, started)


@click.command("route", cls=Command)
@click.argument("request", nargs=-1)
@click.option("--stdin", "from_stdin", is_flag=True,
              help="Read the request from standard input (safest: no shell quoting needed).")
@PROMPT_FORMAT
def route_command(request: tuple[str, ...], from_stdin: bool,
                  output_format: PromptFormat) -> None:
    """Choose the persona's workflows for REQUEST: api, database, microservices, performance.

    Whole words, case-insensitive, several at once; ``default`` when none match.
    """
    from backend_persona.route import route, to_markdown  # noqa: PLC0415

    text = read_stdin() if from_stdin else " ".join(request)
    result = route(text)
    click.echo(result.model_dump_json(indent=2) if output_format == "json"
               else to_markdown(result), nl=output_format == "json")
