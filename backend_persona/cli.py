"""The command line: parse arguments, call one library function, print, map errors to exit codes.

Library modules are imported inside each command so that ``context``, which runs on
every slash command, never pays for the imports of the others.
"""

from __future__ import annotations

import os
import sys
import traceback
from typing import IO, TYPE_CHECKING, Any, get_args

import click

from backend_persona import __version__
from backend_persona.errors import UserError
from backend_persona.vocabulary import (
    DecisionStatus,
    Focus,
    HandStatus,
    InstallScope,
    NoteTopic,
    PromptFormat,
    ReportFormat,
    WorkflowName,
)

if TYPE_CHECKING:
    from backend_persona.docs.files import DocsReport

EXIT_USER_ERROR = 1
EXIT_BUG = 3


class _ExpectedFailure(click.ClickException):
    exit_code = EXIT_USER_ERROR

    def show(self, file: IO[Any] | None = None) -> None:
        from backend_persona.safefs import shown  # noqa: PLC0415

        # Always one line, and never a credential: a path or a pasted title may carry
        # line breaks, bytes that are not UTF-8, or a token.
        click.echo("backend-persona: " + " ".join(shown(self.message).splitlines()), err=True)


def _stdin() -> str:
    """Standard input as UTF-8 text; bytes that are not UTF-8 become U+FFFD, not an error."""
    text = sys.stdin.buffer.read().decode("utf-8", "replace")
    # Line ends as text mode reads them (universal newlines).
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _debugging(ctx: click.Context) -> bool:
    return bool(ctx.find_root().params.get("debug"))


def _details() -> str:
    import platform  # noqa: PLC0415

    return (f"backend-persona {__version__}, Python {platform.python_version()}, "
            f"click {_click_version()}, {platform.platform()}")


def _click_version() -> str:
    """The installed click version, for bug reports."""
    from importlib.metadata import version  # noqa: PLC0415

    return version("click")


class _Command(click.Command):
    """Maps errors: expected failures to one line and exit 1, bugs kept for `main`."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except UserError as error:
            if _debugging(ctx):
                traceback.print_exc()
            command = " ".join(["backend-persona", *ctx.command_path.split()[1:]])
            hint = error.hint or f"see `{command} --help`"
            raise _ExpectedFailure(f"{error.message}; {hint}") from None
        except Exception as error:
            if _debugging(ctx):
                error.add_note(_details())
            raise


class _Group(click.Group):
    command_class = _Command
    group_class = type

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except UserError as error:
            raise _ExpectedFailure(str(error)) from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="backend-persona")
@click.option("--debug", is_flag=True,
              help="Show the trace of any failure, expected or not, and versions for a bug "
                   "report; context raises detector failures instead of noting them.")
def cli(debug: bool) -> None:
    """Backend context, session state and architecture docs for Claude Code.

    The library behind the /agent-persona-backend-specialist slash command.

    Exit codes: 0 success; 1 an expected failure (one line on stderr saying what to do);
    2 a usage error; 3 a bug (a traceback to report; add --debug for detail).
    """


@cli.command()
@click.argument("path", default=".", type=click.Path(path_type=str))
@click.option("--format", "output_format", type=click.Choice(get_args(PromptFormat)),
              default="markdown", show_default=True,
              help="markdown is compact and capped for prompts; json carries every list.")
@click.option("--debug", is_flag=True, help="Raise detector failures instead of noting them.")
@click.option("--focus", type=click.Choice(get_args(Focus)),
              help="Only this ecosystem's components, technologies and files, plus shared files.")
def context(path: str, output_format: PromptFormat, debug: bool, focus: Focus | None) -> None:
    """Describe the project at PATH (default: here): git state, stack, components, files.

    Exits 0 whenever PATH is a directory, even outside git or with broken manifests;
    problems become notes in the output.
    """
    from backend_persona.context import context_text  # noqa: PLC0415

    click.echo(context_text(path, output_format=output_format, focus=focus,
                            debug=debug or _debugging(click.get_current_context())), nl=False)


_FORMAT = click.option("--format", "output_format", type=click.Choice(get_args(PromptFormat)),
                       default="markdown", show_default=True)
_PROJECT = click.option("--project", default=".", show_default=True,
                        type=click.Path(path_type=str), help="The project directory.")
_SESSION = click.option("--session", metavar="ID",
                        help="Session id; default: $CLAUDE_CODE_SESSION_ID, else the "
                             "project's latest session.")


@cli.group()
def state() -> None:
    """Session state kept per project: actions, decisions, follow-ups, checkpoints.

    State lives in the per-user state folder ($BACKEND_PERSONA_STATE_DIR overrides it),
    never in the project.
    """


@state.command("init")
@_SESSION
@_PROJECT
@click.option("--request", help="The user's request, kept as data.")
@click.option("--stdin", "from_stdin", is_flag=True,
              help="Read the request from standard input (no shell quoting needed).")
@click.option("--route", "routes", multiple=True, type=click.Choice(get_args(WorkflowName)),
              help="A workflow the request was routed to (repeatable).")
def state_init(*, session: str | None, project: str, request: str | None, from_stdin: bool,
               routes: tuple[WorkflowName, ...]) -> None:
    """Start a session (or reopen --session) and print its id and state file."""
    from backend_persona.state.session import init_session  # noqa: PLC0415

    if from_stdin:
        request = _stdin()
    stored = init_session(project, session, request, routes)
    click.echo(f"session: {stored.session_id}\nstate file: {stored.path}")


@state.command("show")
@_SESSION
@_PROJECT
@_FORMAT
def state_show(session: str | None, project: str, output_format: PromptFormat) -> None:
    """Print a session: request, route, actions, decisions, follow-ups, checkpoints."""
    from backend_persona.state.render import session_markdown  # noqa: PLC0415
    from backend_persona.state.session import show_session  # noqa: PLC0415

    stored = show_session(project, session)
    click.echo(stored.model_dump_json(indent=2) if output_format == "json"
               else session_markdown(stored).rstrip("\n"))


@state.command("list")
@_SESSION
@_PROJECT
@_FORMAT
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


def _one_source(from_stdin: bool, replaced: tuple[str, ...], required: tuple[str, ...]) -> None:
    # Argument shape only: --stdin replaces `replaced`, and without it `required` must be given.
    from click.core import ParameterSource  # noqa: PLC0415

    ctx = click.get_current_context()
    shown = {param.name: param.opts[0] if isinstance(param, click.Option)
             else param.human_readable_name for param in ctx.command.params}
    if from_stdin:
        clash = [shown[name] for name in replaced
                 if ctx.get_parameter_source(name) is ParameterSource.COMMANDLINE]
        if clash:
            raise click.UsageError(f"--stdin replaces {', '.join(clash)}; give one or the other")
        return
    missing = [shown[name] for name in required if ctx.params[name] in (None, ())]
    if missing:
        raise click.UsageError(f"missing {', '.join(missing)} (or give --stdin)")


def _text(words: tuple[str, ...], from_stdin: bool, name: str) -> str:
    _one_source(from_stdin, (name,), (name,))
    return _stdin().removesuffix("\n") if from_stdin else " ".join(words)


@state.command("action")
@_SESSION
@_PROJECT
@_STATE_STDIN
@click.argument("text", nargs=-1)
def state_action(session: str | None, project: str, from_stdin: bool,
                 text: tuple[str, ...]) -> None:
    """Record a completed action: TEXT, or standard input with --stdin."""
    from backend_persona.state.session import record_action  # noqa: PLC0415

    click.echo(record_action(project, session, _text(text, from_stdin, "text")).message)


@state.command("decision")
@_SESSION
@_PROJECT
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
def state_decision(*, session: str | None, project: str, title: tuple[str, ...],
                   context_text: str | None, decision_text: str | None, consequences: str,
                   status: DecisionStatus, supersedes: str | None, from_stdin: bool) -> None:
    """Record an architecture decision (it becomes an ADR with `docs generate`)."""
    from backend_persona.state.session import record_decision, record_decision_json  # noqa: PLC0415

    _one_source(from_stdin, ("title", "context_text", "decision_text", "consequences", "status",
                             "supersedes"), ("title", "context_text", "decision_text"))
    if from_stdin:
        change = record_decision_json(project, session, _stdin())
    else:
        change = record_decision(project, session, " ".join(title), context=context_text or "",
                                 decision=decision_text or "", consequences=consequences,
                                 status=status, supersedes=supersedes)
    click.echo(change.message)


@state.command("followup")
@_SESSION
@_PROJECT
@_STATE_STDIN
@click.argument("text", nargs=-1)
def state_followup(session: str | None, project: str, from_stdin: bool,
                   text: tuple[str, ...]) -> None:
    """Record work left for later: TEXT, or standard input with --stdin."""
    from backend_persona.state.session import record_followup  # noqa: PLC0415

    click.echo(record_followup(project, session, _text(text, from_stdin, "text")).message)


@state.command("done")
@_SESSION
@_PROJECT
@click.argument("number", type=click.IntRange(min=1))
def state_done(session: str | None, project: str, number: int) -> None:
    """Mark follow-up NUMBER (as `state show` lists them) done."""
    from backend_persona.state.session import complete_followup  # noqa: PLC0415

    click.echo(complete_followup(project, session, number).message)


@state.command("checkpoint")
@_SESSION
@_PROJECT
@_STATE_STDIN
@click.argument("label", nargs=-1)
def state_checkpoint(session: str | None, project: str, from_stdin: bool,
                     label: tuple[str, ...]) -> None:
    """Record a named checkpoint with the session's progress so far: LABEL, or --stdin."""
    from backend_persona.state.session import record_checkpoint  # noqa: PLC0415

    click.echo(record_checkpoint(project, session, _text(label, from_stdin, "label")).message)


@state.command("prune")
@_PROJECT
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


@cli.group()
def docs() -> None:
    """Architecture docs in docs/architecture/: arc42-lite README, Mermaid map, ADRs."""


def _echo_docs(report: DocsReport, output_format: ReportFormat) -> None:
    if output_format == "json":
        click.echo(report.model_dump_json(indent=2))
        return
    for item in report.files:
        click.echo(f"{item.outcome:9} {item.path}" + (f" ({item.reason})" if item.reason else ""))
    for note in report.notes:
        click.echo(f"note: {note}")


@docs.command("generate")
@click.argument("path", default=".", type=click.Path(path_type=str))
@click.option("--format", "output_format", type=click.Choice(get_args(ReportFormat)),
              default="text", show_default=True)
def docs_generate(path: str, output_format: ReportFormat) -> None:
    """Write or refresh docs/architecture/ and .adr-dir for the project at PATH.

    Only the marked regions of the READMEs are rewritten, and an ADR only until a
    person edits it; running it twice changes nothing.
    """
    from backend_persona.docs.generate import generate_docs  # noqa: PLC0415

    _echo_docs(generate_docs(path), output_format)


@docs.group("adr")
def docs_adr() -> None:
    """Architecture decision records, one at a time."""


@docs_adr.command("new")
@click.argument("title", nargs=-1, required=True)
@_PROJECT
@click.option("--status", type=click.Choice(get_args(HandStatus)), default="accepted",
              show_default=True)
def docs_adr_new(title: tuple[str, ...], project: str, status: HandStatus) -> None:
    """Add the next numbered ADR, titled TITLE, for a person to fill in."""
    from backend_persona.docs.generate import new_adr  # noqa: PLC0415

    _echo_docs(new_adr(project, " ".join(title), status=status), "text")


@cli.command("route")
@click.argument("request", nargs=-1)
@click.option("--stdin", "from_stdin", is_flag=True,
              help="Read the request from standard input (safest: no shell quoting needed).")
@click.option("--format", "output_format", type=click.Choice(get_args(PromptFormat)),
              default="markdown", show_default=True)
def route_command(request: tuple[str, ...], from_stdin: bool, output_format: PromptFormat) -> None:
    """Choose the persona's workflows for REQUEST: api, database, microservices, performance.

    Whole words, case-insensitive, several at once; ``default`` when none match.
    """
    from backend_persona.route import route, to_markdown  # noqa: PLC0415

    text = _stdin() if from_stdin else " ".join(request)
    result = route(text)
    click.echo(result.model_dump_json(indent=2) if output_format == "json"
               else to_markdown(result), nl=output_format == "json")


@cli.command("notes")
@click.argument("topic", type=click.Choice(get_args(NoteTopic)))
def notes_command(topic: NoteTopic) -> None:
    """Print the offline reference notes for TOPIC: patterns, pitfalls, checks."""
    from backend_persona.pack import notes  # noqa: PLC0415

    click.echo(notes(topic), nl=False)


_SCOPE = click.option("--scope", type=click.Choice(get_args(InstallScope)), default="project",
                      show_default=True,
                      help="project: ./.claude; user: $CLAUDE_CONFIG_DIR or ~/.claude.")
_TEXT_OR_JSON = click.option("--format", "output_format", type=click.Choice(get_args(ReportFormat)),
                             default="text", show_default=True)


@cli.command("install")
@_SCOPE
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
@click.option("--force", is_flag=True, help="Replace files you changed, keeping a .bak copy.")
@_TEXT_OR_JSON
def install_command(scope: InstallScope, dry_run: bool, force: bool,
                    output_format: ReportFormat) -> None:
    """Install the slash commands and subagents for Claude Code.

    The files call this installation by absolute path, so they work without the venv on
    PATH. Exits 1 when a file you changed was left alone.
    """
    from backend_persona.install import install, to_text  # noqa: PLC0415

    report = install(scope, dry_run=dry_run, force=force)
    click.echo(report.model_dump_json(indent=2) if output_format == "json" else to_text(report),
               nl=output_format == "json")
    if report.conflicts:
        sys.exit(EXIT_USER_ERROR)


@cli.command("uninstall")
@_SCOPE
@click.option("--dry-run", is_flag=True, help="Show what would be removed; remove nothing.")
@click.option("--force", is_flag=True, help="Also remove files you changed, keeping a .bak copy.")
@_TEXT_OR_JSON
def uninstall_command(scope: InstallScope, dry_run: bool, force: bool,
                      output_format: ReportFormat) -> None:
    """Remove exactly the files the install manifest lists."""
    from backend_persona.install import to_text, uninstall  # noqa: PLC0415

    report = uninstall(scope, dry_run=dry_run, force=force)
    click.echo(report.model_dump_json(indent=2) if output_format == "json" else to_text(report),
               nl=output_format == "json")
    if report.conflicts:
        sys.exit(EXIT_USER_ERROR)


@cli.command("doctor")
@_SCOPE
@_TEXT_OR_JSON
def doctor_command(scope: InstallScope, output_format: ReportFormat) -> None:
    """Check the installed files against this package and run their context lines."""
    from backend_persona.doctor import doctor, to_text  # noqa: PLC0415

    report = doctor(scope)
    click.echo(report.model_dump_json(indent=2) if output_format == "json" else to_text(report),
               nl=output_format == "json")
    if not report.ok:
        sys.exit(EXIT_USER_ERROR)


@cli.command("lint")
@click.argument("files", nargs=-1, type=click.Path(path_type=str))
@_TEXT_OR_JSON
def lint_command(files: tuple[str, ...], output_format: ReportFormat) -> None:
    """Check command and agent FILES (default: the shipped pack) as Claude Code reads them."""
    from pathlib import Path  # noqa: PLC0415

    from backend_persona.commandlint import lint_files, lint_pack, to_text  # noqa: PLC0415

    report = lint_files([Path(f) for f in files]) if files else lint_pack()
    click.echo(report.model_dump_json(indent=2) if output_format == "json" else to_text(report),
               nl=output_format == "json")
    if not report.ok:
        sys.exit(EXIT_USER_ERROR)


@cli.command("render")
@click.argument("command_file", type=click.Path(path_type=str))
@click.option("--arguments", default="", help="The text typed after the slash command.")
@click.option("--session", default="render-session", show_default=True,
              help="Stands in for ${CLAUDE_SESSION_ID}.")
def render_command(command_file: str, arguments: str, session: str) -> None:
    """Print the prompt Claude Code would send for COMMAND_FILE, running its `!` lines.

    The `!` lines run here, in the current folder, without a shell: each must be one
    plain command allowed by the file's allowed-tools.
    """
    from pathlib import Path  # noqa: PLC0415

    from backend_persona.expand import expand_file  # noqa: PLC0415

    click.echo(expand_file(Path(command_file), arguments, cwd=Path.cwd(), session=session).text)


@cli.command("sync-plugin")
@click.argument("root", default=".", type=click.Path(path_type=str, file_okay=False))
@click.option("--check", is_flag=True, help="Only report drift (exit 1); write nothing.")
def sync_plugin_command(root: str, check: bool) -> None:
    """Regenerate the plugin layout (commands/, agents/, .claude-plugin/) under ROOT."""
    from pathlib import Path  # noqa: PLC0415

    from backend_persona.pack import sync_plugin  # noqa: PLC0415

    report = sync_plugin(Path(root), check=check)
    verb = "differs" if check else "written"
    for relative in report.changed:
        click.echo(f"{relative} {verb}")
    for relative in report.extra:
        click.echo(f"{relative} is not generated by any template")
    click.echo(f"{len(report.changed)} file(s) {verb}")
    if check and (report.changed or report.extra):
        sys.exit(EXIT_USER_ERROR)


def main() -> None:
    """Entry point of the ``backend-persona`` console script and ``python -m backend_persona``."""
    # pydantic otherwise scans every installed distribution for plugins on first use,
    # which costs more than the whole context discovery of a small repository.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    try:
        cli.main(prog_name="backend-persona")
    except Exception:
        # Not an expected failure: keep the traceback for the bug report.
        traceback.print_exc()
        click.echo("backend-persona: internal error (exit 3); please report it with the trace "
                   "above, rerun with `backend-persona --debug ...` for more detail", err=True)
        sys.exit(EXIT_BUG)
