"""``state``: the session's record of actions, decisions, follow-ups and checkpoints."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import get_args

import click

from backend_persona.cli.exits import Group
from backend_persona.cli.options import PROJECT, PROMPT_FORMAT, read_stdin
from backend_persona.vocabulary import DecisionStatus, PromptFormat, WorkflowName

_FILE = click.option("--file", "from_file", metavar="PATH",
                     help="Read the text from this session's inbox file (see `state inbox`), "
                          "then remove it: no shell ever sees the text.")

_SESSION = click.option("--session", metavar="ID",
                        help="Session id; default: $CLAUDE_CODE_SESSION_ID, else the "
                             "project's latest session.")


@click.group("state", cls=Group)
def state() -> None:
    """Session state kept per project: actions, decisions, follow-ups, checkpoints.

    State lives in the per-user state folder ($BACKEND_PERSONA_STATE_DIR overrides it),
    never in the project.
    """


@state.command("init")
@_SESSION
@PROJECT
@click.option("--request", help="The user's request, kept as data.")
@click.option("--stdin", "from_stdin", is_flag=True,
              help="Read the request from standard input (no shell quoting needed).")
@_FILE
@click.option("--route", "routes", multiple=True, type=click.Choice(get_args(WorkflowName)),
              help="A workflow the request was routed to (repeatable); by default the "
                   "request is routed and the route printed.")
def state_init(*, session: str | None, project: str, request: str | None, from_stdin: bool,
               from_file: str | None, routes: tuple[WorkflowName, ...]) -> None:
    """Start a session (or reopen --session) and print its id and state file.

    With a request (--request, --stdin or --file) and no --route, the request is routed
    as `route` does, the route recorded and printed.
    """
    from backend_persona.context import stack_summary  # noqa: PLC0415
    from backend_persona.route import route, to_markdown  # noqa: PLC0415
    from backend_persona.state.session import init_session  # noqa: PLC0415

    _one_input(from_stdin, from_file, ("request",), ())
    with _input(from_stdin, from_file, request) as text:
        chosen = route(text) if text is not None and not routes else None
        names = tuple(w.name for w in chosen.workflows) if chosen else routes
        stored = init_session(project, session, text, names, stack_summary(project))
    click.echo(f"session: {stored.session_id}\nstate file: {stored.path}"
               + (f"\n\n{to_markdown(chosen).rstrip()}" if chosen else ""))


@state.command("show")
@_SESSION
@PROJECT
@PROMPT_FORMAT
def state_show(session: str | None, project: str, output_format: PromptFormat) -> None:
    """Print a session: request, route, actions, decisions, follow-ups, checkpoints."""
    from backend_persona.state.render import session_markdown  # noqa: PLC0415
    from backend_persona.state.session import show_session  # noqa: PLC0415

    stored = show_session(project, session)
    click.echo(stored.model_dump_json(indent=2) if output_format == "json"
               else session_markdown(stored).rstrip("\n"))


@state.command("list")
@_SESSION
@PROJECT
@PROMPT_FORMAT
def state_list(session: str | None, project: str, output_format: PromptFormat) -> None:
    """List the project's sessions (or only --session), newest first."""
    from backend_persona.state.render import sessions_markdown  # noqa: PLC0415
    from backend_persona.state.session import list_sessions  # noqa: PLC0415

    listed = list_sessions(project, session)
    click.echo(listed.model_dump_json(indent=2) if output_format == "json"
               else sessions_markdown(listed).rstrip("\n"))


_STATE_STDIN = click.option("--stdin", "from_stdin", is_flag=True,
                            help="Read the text from standard input instead of arguments "
                                 "(no shell quoting needed).")


def _one_input(from_stdin: bool, from_file: str | None, replaced: tuple[str, ...],
               required: tuple[str, ...]) -> None:
    # Argument shape only: --stdin or --file replaces `replaced`, and without either
    # `required` must be given.
    from click.core import ParameterSource  # noqa: PLC0415

    ctx = click.get_current_context()
    shown = {param.name: param.opts[0] if isinstance(param, click.Option)
             else param.human_readable_name for param in ctx.command.params}
    if from_stdin and from_file is not None:
        raise click.UsageError("give --stdin or --file, not both")
    if from_stdin or from_file is not None:
        source = "--stdin" if from_stdin else "--file"
        clash = [shown[name] for name in replaced
                 if ctx.get_parameter_source(name) is ParameterSource.COMMANDLINE]
        if clash:
            raise click.UsageError(f"{source} replaces {', '.join(clash)}; give one or the other")
        return
    missing = [shown[name] for name in required if ctx.params[name] in (None, ())]
    if missing:
        raise click.UsageError(f"missing {', '.join(missing)} (or give --stdin or --file)")


@contextmanager
def _input(from_stdin: bool, from_file: str | None, given: str | None) -> Iterator[str | None]:
    """The text from --file (removed once the block records it), --stdin, or ``given``."""
    if from_file is not None:
        from backend_persona.state.inbox import inbox_text  # noqa: PLC0415

        with inbox_text(from_file) as text:
            yield text
    elif from_stdin:
        yield read_stdin()
    else:
        yield given


@contextmanager
def _text(words: tuple[str, ...], from_stdin: bool, from_file: str | None,
          name: str) -> Iterator[str]:
    """One text: the words given, or standard input or the inbox file, without its last newline."""
    _one_input(from_stdin, from_file, (name,), (name,))
    with _input(from_stdin, from_file, " ".join(words)) as text:
        piped = from_stdin or from_file is not None
        yield (text or "").removesuffix("\n") if piped else (text or "")


@state.command("action")
@_SESSION
@PROJECT
@_STATE_STDIN
@_FILE
@click.argument("text", nargs=-1)
def state_action(session: str | None, project: str, from_stdin: bool, from_file: str | None,
                 text: tuple[str, ...]) -> None:
    """Record a completed action: TEXT, or standard input with --stdin, or --file."""
    from backend_persona.state.session import record_action  # noqa: PLC0415

    with _text(text, from_stdin, from_file, "text") as given:
        change = record_action(project, session, given)
    click.echo(change.message)


@state.command("decision")
@_SESSION
@PROJECT
@click.argument("title", nargs=-1)
@click.option("--context", "context_text",
              help="Why a decision was needed (required without --stdin).")
@click.option("--decision", "decision_text", help="What was decided (required without --stdin).")
@click.option("--consequences", default="", help="What becomes easier or harder.")
@click.option("--status", type=click.Choice(get_args(DecisionStatus)), default="accepted",
              show_default=True)
@click.option("--supersedes", metavar="REF",
              help="A decision this one replaces: its number in this session, or its id.")
@click.option("--stdin", "from_stdin", is_flag=True,
              help="Instead of TITLE and options, read the decision from standard input: a "
                   "JSON object or YAML mapping with title, context, decision and optionally "
                   "consequences, status, supersedes.")
@_FILE
def state_decision(*, session: str | None, project: str, title: tuple[str, ...],
                   context_text: str | None, decision_text: str | None, consequences: str,
                   status: DecisionStatus, supersedes: str | None, from_stdin: bool,
                   from_file: str | None) -> None:
    """Record an architecture decision (it becomes an ADR with `docs generate`).

    --file reads the same JSON object or YAML mapping as --stdin from the inbox file.
    """
    from backend_persona.state.session import record_decision, record_decision_json  # noqa: PLC0415

    _one_input(from_stdin, from_file, ("title", "context_text", "decision_text", "consequences",
                                       "status", "supersedes"),
               ("title", "context_text", "decision_text"))
    if from_stdin or from_file is not None:
        with _input(from_stdin, from_file, None) as text:
            change = record_decision_json(project, session, text or "")
    else:
        change = record_decision(project, session, " ".join(title), context=context_text or "",
                                 decision=decision_text or "", consequences=consequences,
                                 status=status, supersedes=supersedes)
    click.echo(change.message)


@state.command("followup")
@_SESSION
@PROJECT
@_STATE_STDIN
@_FILE
@click.argument("text", nargs=-1)
def state_followup(session: str | None, project: str, from_stdin: bool, from_file: str | None,
                   text: tuple[str, ...]) -> None:
    """Record work left for later: TEXT, or standard input with --stdin, or --file."""
    from backend_persona.state.session import record_followup  # noqa: PLC0415

    with _text(text, from_stdin, from_file, "text") as given:
        change = record_followup(project, session, given)
    click.echo(change.message)


@state.command("done")
@_SESSION
@PROJECT
@click.argument("number", type=click.IntRange(min=1))
def state_done(session: str | None, project: str, number: int) -> None:
    """Mark follow-up NUMBER (as `state show` lists them) done."""
    from backend_persona.state.session import complete_followup  # noqa: PLC0415

    click.echo(complete_followup(project, session, number).message)


@state.command("checkpoint")
@_SESSION
@PROJECT
@_STATE_STDIN
@_FILE
@click.argument("label", nargs=-1)
def state_checkpoint(session: str | None, project: str, from_stdin: bool,
                     from_file: str | None, label: tuple[str, ...]) -> None:
    """Record a named checkpoint with the session's progress so far: LABEL, --stdin or --file."""
    from backend_persona.state.session import record_checkpoint  # noqa: PLC0415

    with _text(label, from_stdin, from_file, "label") as given:
        change = record_checkpoint(project, session, given)
    click.echo(change.message)


@state.command("inbox")
@click.option("--session", metavar="ID",
              help="Session id; default: $CLAUDE_CODE_SESSION_ID.")
def state_inbox(session: str | None) -> None:
    """Print the session's inbox file, where text for `--file` is written.

    The folder is created private (0700) in the per-user state folder; the file is
    read and removed by the `state` command given `--file`.
    """
    import os  # noqa: PLC0415

    from backend_persona.errors import UserError  # noqa: PLC0415
    from backend_persona.state.inbox import inbox_path  # noqa: PLC0415
    from backend_persona.state.session import SESSION_ENV  # noqa: PLC0415

    chosen = session or os.environ.get(SESSION_ENV)
    if not chosen:
        raise UserError("no session: give --session or run inside Claude Code",
                        hint="Claude Code sets $CLAUDE_CODE_SESSION_ID")
    click.echo(str(inbox_path(chosen)))


@state.command("prune")
@PROJECT
@click.option("--older-than", "days", type=click.IntRange(min=0), required=True,
              metavar="DAYS", help="Remove sessions not updated for this many days.")
@click.option("--session", metavar="ID", help="Consider only this session.")
def state_prune(project: str, days: int, session: str | None) -> None:
    """Remove the project's sessions (or only --session) not updated for DAYS days."""
    from backend_persona.state.session import prune_sessions  # noqa: PLC0415

    report = prune_sessions(project, days, session)
    click.echo(f"removed {len(report.removed)} file(s), kept {report.kept} session(s)")
    for name in report.removed:
        click.echo(f"  {name}")
