"""Options and input that more than one command group shares."""

from __future__ import annotations

import sys
from typing import get_args

import click

from backend_persona.vocabulary import PromptFormat, ReportFormat

PROJECT = click.option("--project", default=".", show_default=True,
                       type=click.Path(path_type=str), help="The project directory.")
PROMPT_FORMAT = click.option("--format", "output_format",
                             type=click.Choice(get_args(PromptFormat)), default="markdown",
                             show_default=True)
REPORT_FORMAT = click.option("--format", "output_format",
                             type=click.Choice(get_args(ReportFormat)), default="text",
                             show_default=True)


def read_stdin() -> str:
    """Standard input as UTF-8 text; bytes that are not UTF-8 become U+FFFD, not an error."""
    text = sys.stdin.buffer.read().decode("utf-8", "replace")
    # Line ends as text mode reads them (universal newlines).
    return text.replace("\r\n", "\n").replace("\r", "\n")
