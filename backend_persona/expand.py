"""Expand a command file into the prompt Claude Code would send, for debugging.

Unlike the CLI, this never uses a shell: every `!` command must be one plain command,
which is split into words and executed directly.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Mapping
from pathlib import Path

from pydantic import Field

from backend_persona.commandlint import (
    BangCommand,
    bang_commands,
    covered,
    is_plain,
    parse,
    placeholders,
    split_fallback,
)
from backend_persona.commandlint import tool_rules as parse_rules
from backend_persona.errors import UserError
from backend_persona.modelbase import Model

COMMAND_TIMEOUT_SECONDS = 120
_ARGUMENTS = "$ARGUMENTS"
_SESSION = "${CLAUDE_SESSION_ID}"


class RanCommand(Model):
    """One `!` command that ran while expanding."""

    line: int
    command: str
    exit_code: int
    characters: int


class Expansion(Model):
    """The prompt text the model would receive, and the commands that produced it."""

    text: str
    commands: list[RanCommand] = Field(default_factory=list)


def expand_file(path: Path, arguments: str, *, cwd: Path, session: str = "render-session",
                env: Mapping[str, str] | None = None) -> Expansion:
    """Expand the command file at ``path`` with ``arguments``, running its `!` commands.

    Raises:
        UserError: the file cannot be read or has no valid frontmatter, or a `!` command
            is not plain, is not allowed by ``allowed-tools``, or fails; the CLI would
            cancel the whole command in the last two cases, silently.
    """
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise UserError(f"{path}: cannot read ({type(error).__name__})") from None
    return expand_text(text, arguments, cwd=cwd, session=session, env=env)


def expand_text(text: str, arguments: str, *, cwd: Path, session: str = "render-session",
                env: Mapping[str, str] | None = None) -> Expansion:
    """Expand command text the way Claude Code 2.1.197 does.

    Arguments are pasted first, with a `!` before a backtick escaped as the CLI does so
    that a request cannot add a command; then each `!` command runs, in the project
    folder, with ``CLAUDE_CODE_SESSION_ID`` set; then, when the text had no
    ``$ARGUMENTS``, the arguments are appended on an ``ARGUMENTS:`` line.
    """
    parsed = parse(text)
    if parsed.frontmatter is None:
        raise UserError(parsed.error or "no frontmatter")
    rules = parse_rules(parsed.frontmatter.get("allowed-tools", "")) or []
    safe_arguments = arguments.replace("!`", "\\! `")
    body = parsed.body.replace(_ARGUMENTS, safe_arguments).replace(_SESSION, session)
    child_env = {**(os.environ if env is None else env), "CLAUDE_CODE_SESSION_ID": session}
    ran: list[RanCommand] = []
    pieces: list[str] = []
    cursor = 0
    for bang, start, end in _locate(body, parsed.body_line):
        output, code = _run(bang.command, bang.line, rules, cwd, child_env)
        pieces += [body[cursor:start], output]
        cursor = end
        ran.append(RanCommand(line=bang.line, command=bang.command, exit_code=code,
                              characters=len(output)))
    pieces.append(body[cursor:])
    expanded = "".join(pieces)
    if _ARGUMENTS not in parsed.body and arguments:
        expanded = expanded.rstrip("\n") + f"\n\nARGUMENTS: {safe_arguments}"
    return Expansion(text=expanded, commands=ran)


def _locate(body: str, first_line: int) -> list[tuple[BangCommand, int, int]]:
    spans: list[tuple[BangCommand, int, int]] = []
    for bang in bang_commands(body, first_line):
        if bang.fenced:
            raise UserError(f"line {bang.line}: a script block is not one plain command; "
                            "render runs no shell")
        pattern = re.compile(r"(?:^|(?<=\s))!`" + re.escape(bang.command) + "`", re.MULTILINE)
        offset = spans[-1][2] if spans else 0
        match = pattern.search(body, offset)
        if match is None:  # pragma: no cover - bang_commands found it in the same text
            raise RuntimeError(f"lost the `!` command on line {bang.line}")
        spans.append((bang, match.start(), match.end()))
    return spans


def _run(command: str, line: int, rules: list[str], cwd: Path,
         env: Mapping[str, str]) -> tuple[str, int]:
    # Only the command runs: its failure is reported, never hidden by the fallback echo.
    command, fallback = split_fallback(command)
    shown = "Claude Code would cancel the command silently" if fallback is None else (
        f"Claude Code would show {fallback!r}")
    if placeholders(command) or not is_plain(command):
        raise UserError(f"line {line}: {command!r} is not one plain command; render runs no "
                        "shell, and Claude Code would hand it to bash")
    if not covered(command, rules):
        raise UserError(f"line {line}: {command!r} is not allowed by 'allowed-tools'; Claude "
                        "Code would cancel the command silently")
    argv = command.split(" ")
    try:
        done = subprocess.run(argv, cwd=cwd, env=dict(env), capture_output=True,
                              text=True, errors="replace", timeout=COMMAND_TIMEOUT_SECONDS,
                              check=False, stdin=subprocess.DEVNULL)
    except FileNotFoundError:
        raise UserError(f"line {line}: {argv[0]}: command not found; {shown}") from None
    except subprocess.TimeoutExpired:
        raise UserError(f"line {line}: {command!r} ran longer than "
                        f"{COMMAND_TIMEOUT_SECONDS} s") from None
    if done.returncode != 0:
        raise UserError(f"line {line}: {command!r} exited {done.returncode}; {shown}")
    output = done.stdout + done.stderr
    return output.rstrip("\n"), done.returncode
