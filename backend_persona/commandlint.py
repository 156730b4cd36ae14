"""Static checks of Claude Code command and agent files, as the CLI will read them.

What the CLI does, measured on version 2.1.197 (see the project's Claude Code facts):
a `!` followed by a backtick-quoted command runs it in bash when the `!` starts the text
or follows whitespace, inside code fences and inline code too; a fenced block opened with
three backticks and a `!` runs as a script; arguments are pasted into the text before any
command runs; and a command not covered by ``allowed-tools`` cancels the whole slash
command without a word.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, cast

import yaml
from pydantic import Field

from backend_persona.errors import UserError
from backend_persona.modelbase import Model
from backend_persona.safefs import printable
from backend_persona.toolnames import tool_names

Severity = Literal["error", "warning"]
FileKind = Literal["command", "agent"]

COMMAND_KEYS = frozenset({"description", "argument-hint", "allowed-tools", "model",
                          "disable-model-invocation"})
AGENT_KEYS = frozenset({"name", "description", "tools", "model", "color"})


_FRONTMATTER = re.compile(r"\A---[ \t]*\n(.*?)^---[ \t]*$\n?", re.DOTALL | re.MULTILINE)
_INLINE_BANG = re.compile(r"(?:^|(?<=\s))!`([^`]*)`", re.MULTILINE)
_FENCED_BANG = re.compile(r"```![ \t]*\n(.*?)```", re.DOTALL)
_FENCE = re.compile(r"^[ \t]*(?:```|~~~)", re.MULTILINE)
_CODE_SPAN = re.compile(r"``.*?``", re.DOTALL)
# A brace holds no brace: from each "$" of "${${${..." the search stops at the next "{"
# instead of running to the end of the command.
_PLACEHOLDERS = re.compile(r"\$(ARGUMENTS|\d+|\{[^{}]*\}|[A-Za-z_]\w*)")
_WORD = re.compile(r"[A-Za-z0-9_./:=@%+,-]+")
_ECHO_WORDS = re.compile(r"[A-Za-z0-9_./:=@%+,-]+(?: [A-Za-z0-9_./:=@%+,-]+)*")
_RULE = re.compile(r"^(?P<tool>[A-Za-z_][\w-]*)(?:\((?P<spec>.*)\))?$", re.DOTALL)
_AGENT_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Far deeper than any frontmatter or decision needs, far shallower than what breaks PyYAML.
MAX_YAML_DEPTH = 32


class YAMLNestingError(yaml.MarkedYAMLError):
    """YAML nested deeper than `MAX_YAML_DEPTH` collections."""


def load_yaml(text: str) -> object:
    """``yaml.safe_load`` for untrusted text, refusing nesting deeper than `MAX_YAML_DEPTH`.

    PyYAML builds nodes recursively: the Python loader raises `RecursionError` after a
    few hundred levels, and the C loader recurses on the C stack, which only libyaml
    0.2.5 and later stop (at 1,000 levels) before the process crashes. The parser is an
    iterative state machine, so one pass over its events measures the depth first, in
    linear time, stopping at the first level too deep.

    Args:
        text: A YAML document.

    Returns:
        The loaded value.

    Raises:
        yaml.YAMLError: The text is not YAML, or is nested too deeply (`YAMLNestingError`).
    """
    depth = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_YAML_DEPTH:
                # The Python parser's events carry its own Mark, not libyaml's.
                mark = cast("yaml.error.Mark", event.start_mark)
                raise YAMLNestingError(problem=f"nested deeper than {MAX_YAML_DEPTH} levels",
                                       problem_mark=mark)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return yaml.safe_load(text)


class LintFinding(Model):
    """One problem in one file."""

    path: str
    line: int
    code: str
    severity: Severity
    message: str


def _no_errors(report: dict[str, Any]) -> bool:
    """True when no finding is an error."""
    return not any(f.severity == "error" for f in report["findings"])


class LintReport(Model):
    """Every finding for the files checked."""

    files: list[str]
    findings: list[LintFinding] = Field(default_factory=list)
    # A field derived from the findings, so that the report reads its own JSON back.
    ok: bool = Field(default_factory=_no_errors)


@dataclass(frozen=True)
class BangCommand:
    """A command the CLI would run while expanding the file."""

    line: int
    command: str
    fenced: bool
    in_code: bool


@dataclass(frozen=True)
class Parsed:
    """A command or agent file split into frontmatter and body."""

    frontmatter: dict[str, Any] | None
    error: str | None
    body: str
    body_line: int


def parse(text: str) -> Parsed:
    """Split ``text`` into its YAML frontmatter and body, as the CLI does."""
    match = _FRONTMATTER.match(text)
    if not match:
        return Parsed(None, "no frontmatter (a --- block at the top)", text, 1)
    body_line = text.count("\n", 0, match.end()) + 1
    body = text[match.end():]
    try:
        loaded = load_yaml(match.group(1))
    except YAMLNestingError as error:
        return Parsed(None, f"frontmatter is {error.problem}", body, body_line)
    except yaml.YAMLError as error:
        return Parsed(None, f"frontmatter is not valid YAML ({type(error).__name__})", body,
                      body_line)
    if loaded is None:
        loaded = {}
    if not isinstance(loaded, dict):
        return Parsed(None, "frontmatter is not a mapping of keys to values", body, body_line)
    return Parsed({str(k): v for k, v in loaded.items()}, None, body, body_line)


def bang_commands(body: str, first_line: int = 1) -> list[BangCommand]:
    """Every `!` command the CLI would run from ``body``, with its line number."""
    # Line numbers and code ranges are looked up, not recounted per command: a body of
    # many commands and fences stays linear.
    line_starts = [0, *(m.end() for m in re.finditer("\n", body))]
    found = [
        BangCommand(first_line + bisect_right(line_starts, m.start()) - 1, m.group(1).strip(),
                    True, False)
        for m in _FENCED_BANG.finditer(body)
    ]
    # Blank out the script blocks (keeping line breaks) so their fences and contents do
    # not confuse the search for code blocks and inline commands.
    rest = _FENCED_BANG.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), body)
    code = sorted(_code_ranges(rest))
    # Commands come in order of position, so one sweep over the ranges by start suffices:
    # a command is inside code when a range that starts at or before it ends after it.
    next_range, reach = 0, -1
    for match in _INLINE_BANG.finditer(rest):
        position = match.start()
        while next_range < len(code) and code[next_range][0] <= position:
            reach = max(reach, code[next_range][1])
            next_range += 1
        found.append(BangCommand(first_line + bisect_right(line_starts, position) - 1,
                                 match.group(1), False, position < reach))
    return sorted(found, key=lambda b: b.line)


def _code_ranges(body: str) -> list[tuple[int, int]]:
    ranges = [(m.start(), m.end()) for m in _CODE_SPAN.finditer(body)]
    fences = list(_FENCE.finditer(body))
    ranges += [(o.start(), c.end()) for o, c in zip(fences[::2], fences[1::2], strict=False)]
    return ranges


def split_fallback(command: str) -> tuple[str, str | None]:
    """A `!` command and the line it echoes when it fails, if it ends with one.

    An installed command's `!` lines read ``CMD || echo WORDS``: when the interpreter is
    gone, the CLI shows WORDS instead of cancelling the command (2.1.197) or showing only
    "command not found". ``echo`` needs no rule, and WORDS are plain words, unquoted.
    """
    main, separator, rest = command.partition(" || echo ")
    if separator and is_plain(main) and rest and _ECHO_WORDS.fullmatch(rest):
        return main, rest
    return command, None


def is_plain(command: str) -> bool:
    """One simple command: words of safe characters, single spaces, no variable prefix."""
    words = command.split(" ")
    return (bool(command) and all(_WORD.fullmatch(w) for w in words)
            and "=" not in words[0] and not words[0].startswith("-"))


def placeholders(command: str) -> list[str]:
    """Argument or variable placeholders (``$ARGUMENTS``, ``$1``, ``${X}``) in a command."""
    return [m.group() for m in _PLACEHOLDERS.finditer(command)]


def tool_rules(value: object) -> list[str] | None:
    """The rules of an ``allowed-tools`` or ``tools`` value, or None if malformed.

    A string is split at commas that are not inside parentheses.
    """
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return [v.strip() for v in value if v.strip()]
    if not isinstance(value, str):
        return None
    rules, depth, current = [], 0, ""
    for char in value:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if char == "," and depth == 0:
            rules.append(current.strip())
            current = ""
        else:
            current += char
    rules.append(current.strip())
    return [r for r in rules if r] if depth == 0 else None


def covered(command: str, rules: Iterable[str]) -> bool:
    """Whether a ``Bash(...)`` rule allows ``command``: ``P:*`` is a prefix, else exact."""
    for rule in rules:
        match = _RULE.match(rule)
        if not match or match.group("tool") != "Bash":
            continue
        spec = match.group("spec")
        if spec is None:
            return True
        if spec.endswith(":*"):
            prefix = spec[:-2]
            if command == prefix or command.startswith(prefix + " "):
                return True
        elif command == spec:
            return True
    return False


def kind_of(path: str) -> FileKind:
    """Agents live in an ``agents/`` folder; everything else is a command."""
    return "agent" if Path(path).parent.name == "agents" else "command"


def lint_text(path: str, text: str, kind: FileKind | None = None) -> list[LintFinding]:
    """Check one command or agent file.

    Args:
        path: The name to report findings under.
        text: The file's content.
        kind: ``command`` or ``agent``; by default decided from the folder name.

    Returns:
        The findings, in line order.
    """
    kind = kind or kind_of(path)
    parsed = parse(text)
    report = _Reporter(path)
    placeholder = re.search(r"\{\{\s*\w+\s*\}\}", text)
    if placeholder:
        report.error(1 + text.count("\n", 0, placeholder.start()), "PH001",
                     f"unrendered template placeholder {placeholder.group()}")
    if parsed.frontmatter is None:
        report.error(1, "FM001", parsed.error or "no frontmatter")
        rules: list[str] = []
    else:
        rules = _frontmatter(report, parsed.frontmatter, kind, path)
    for bang in bang_commands(parsed.body, parsed.body_line):
        _bang(report, bang, rules)
    return sorted(report.findings, key=lambda f: (f.line, f.code))


def _frontmatter(report: _Reporter, front: dict[str, Any], kind: FileKind, path: str) -> list[str]:
    known = COMMAND_KEYS if kind == "command" else AGENT_KEYS
    required = ("description",) if kind == "command" else ("name", "description")
    for key in required:
        if not isinstance(front.get(key), str) or not front[key].strip():
            report.error(1, "FM002", f"{kind} frontmatter needs a non-empty {key!r}")
    for key in sorted(set(front) - known):
        report.warning(1, "FM003", f"unknown frontmatter key {key!r} for a {kind}")
    if kind == "command" and "argument-hint" not in front:
        report.warning(1, "FM004", "no 'argument-hint': users will not know what to type")
    if kind == "agent" and isinstance(front.get("name"), str):
        name = front["name"]
        if not _AGENT_NAME.fullmatch(name) or name != Path(path).stem:
            report.error(1, "FM005", f"agent name {name!r} must be lowercase-hyphenated and "
                         "match the file name")
    field = "allowed-tools" if kind == "command" else "tools"
    if field not in front:
        if kind == "agent":
            report.warning(1, "FM006", "no 'tools': the agent inherits every tool")
        return []
    rules = tool_rules(front[field])
    if rules is None:
        report.error(1, "FM007", f"{field!r} must be a comma-separated string or a list of rules "
                     "with balanced parentheses")
        return []
    names = tool_names()
    for rule in rules:
        match = _RULE.match(rule)
        if not match:
            report.warning(1, "FM008", f"malformed rule {rule!r}")
            continue
        tool = match.group("tool")
        if tool in names.known or tool.startswith("mcp__"):
            continue
        instead = names.renamed.get(tool)
        versions = " or ".join(sorted(names.versions))
        report.error(1, "FM009", f"no tool {tool!r} in Claude Code {versions}"
                     + (f"; use {instead}" if instead else ""))
    return rules


def _bang(report: _Reporter, bang: BangCommand, rules: Sequence[str]) -> None:
    shown = bang.command if len(bang.command) <= 60 else bang.command[:59] + "…"
    command, _ = split_fallback(bang.command)
    if bang.in_code:
        report.error(bang.line, "BANG001", f"`!` example inside code is executed too: {shown!r}; "
                     "keep syntax examples out of command files")
    found = placeholders(bang.command)
    if found:
        report.error(bang.line, "BANG002", f"argument placeholder {found[0]} inside a `!` "
                     "command: the CLI pastes the raw request there before the shell runs")
        return
    if bang.fenced or not is_plain(command):
        report.error(bang.line, "BANG003", f"{shown!r} is not one plain command (no pipes, "
                     "lists, redirections, quoting, variables or substitutions)")
        return
    if not covered(command, rules):
        report.error(bang.line, "BANG004", f"{shown!r} is not covered by 'allowed-tools': the "
                     "CLI would cancel the whole command silently")


class _Reporter:
    def __init__(self, path: str) -> None:
        self.path = path
        self.findings: list[LintFinding] = []

    def error(self, line: int, code: str, message: str) -> None:
        self.findings.append(LintFinding(path=self.path, line=line, code=code,
                                         severity="error", message=message))

    def warning(self, line: int, code: str, message: str) -> None:
        self.findings.append(LintFinding(path=self.path, line=line, code=code,
                                         severity="warning", message=message))


def lint_files(paths: Sequence[Path]) -> LintReport:
    """Lint files on disk.

    Raises:
        UserError: a file cannot be read.
    """
    findings: list[LintFinding] = []
    for path in paths:
        try:
            text = path.read_text("utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise UserError(f"{path}: cannot read ({type(error).__name__})") from None
        # A file name that is not UTF-8 must still print and dump as JSON.
        findings += lint_text(printable(path), text)
    return LintReport(files=[printable(p) for p in paths], findings=findings)


def lint_pack() -> LintReport:
    """Lint the shipped templates as the repository ships them (`pack.plugin_layout`)."""
    from backend_persona.pack import plugin_layout  # noqa: PLC0415

    # The very text that ships, the skills' `|| echo` fallbacks included.
    files = {path: text for path, text in plugin_layout().items() if path.endswith(".md")}
    findings = [f for path, text in files.items() for f in lint_text(path, text)]
    return LintReport(files=list(files), findings=findings)


def to_text(report: LintReport) -> str:
    """One line per finding, like a compiler, then a summary line."""
    lines = [f"{f.path}:{f.line}: {f.severity} {f.code} {f.message}" for f in report.findings]
    errors = sum(f.severity == "error" for f in report.findings)
    lines.append(f"{len(report.files)} file(s), {errors} error(s), "
                 f"{len(report.findings) - errors} warning(s)")
    return "\n".join(lines) + "\n"
