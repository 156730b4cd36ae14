"""``docs``: the architecture docs, generated, and ADRs added by hand."""

from __future__ import annotations

from typing import TYPE_CHECKING, get_args

import click

from backend_persona.cli.exits import Group
from backend_persona.cli.options import PROJECT, REPORT_FORMAT
from backend_persona.vocabulary import HandStatus, ReportFormat

if TYPE_CHECKING:
    from backend_persona.docs.files import DocsReport


@click.group("docs", cls=Group)
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
@REPORT_FORMAT
def docs_generate(path: str, output_format: ReportFormat) -> None:
    """Write or refresh docs/architecture/ and the ADRs for the project at PATH.

    The ADRs go where adr-tools keeps them: the folder .adr-dir names, else doc/adr,
    else docs/architecture/decisions (then named by a new .adr-dir), numbered after the
    records there. Only the marked regions of the READMEs are rewritten, and an ADR only until a
    person edits it; running it twice changes nothing.
    """
    from backend_persona.docs.generate import generate_docs  # noqa: PLC0415

    _echo_docs(generate_docs(path), output_format)


@docs.group("adr")
def docs_adr() -> None:
    """Architecture decision records, one at a time."""


@docs_adr.command("new")
@click.argument("title", nargs=-1, required=True)
@PROJECT
@click.option("--status", type=click.Choice(get_args(HandStatus)), default="accepted",
              show_default=True)
def docs_adr_new(title: tuple[str, ...], project: str, status: HandStatus) -> None:
    """Add the next numbered ADR, titled TITLE, for a person to fill in."""
    from backend_persona.docs.generate import new_adr  # noqa: PLC0415

    _echo_docs(new_adr(project, " ".join(title), status=status), "text")
