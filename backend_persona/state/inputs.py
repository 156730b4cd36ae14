"""What a user gives the ``state`` commands, cleaned and checked before anything is stored.

Session ids become file names, so only safe ones pass. Text is kept as data: control
characters dropped, credentials redacted, sizes bounded. The decision ``state decision
--stdin`` reads is a JSON object or a YAML mapping, and errors name the field, never
the value.
"""

from __future__ import annotations

import json
import re

from pydantic import StrictInt, ValidationError

from backend_persona.errors import UserError
from backend_persona.modelbase import Model
from backend_persona.redact import prompt_safe, redact
from backend_persona.safefs import printable
from backend_persona.state.location import SESSION_ID
from backend_persona.vocabulary import DecisionStatus

MAX_TITLE = 200
MAX_LINE = 10_000
MAX_TEXT = 20_000
MAX_REQUEST = 2_000
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_DECISION_FIELDS = "title, context, decision, consequences, status, supersedes"


def valid_session_id(value: str, origin: str = "--session") -> str:
    """Return ``value`` if it is safe as a file name, else raise `UserError`."""
    if not SESSION_ID.fullmatch(value):
        raise UserError(f"{origin}: session ids are 1-128 letters, digits, '.', '_' or '-', "
                        "starting with a letter or digit")
    return value


def clean_text(value: str, what: str, limit: int | None = MAX_TEXT) -> str:
    """User text as stored: control characters dropped, credentials redacted, size checked.

    Bytes that were not UTF-8 (an argument or standard input) are U+FFFD by now, and
    line separators and bidi controls are made visible, as for every prompt.
    """
    cleaned = prompt_safe(redact(_CONTROL.sub("", printable(value)))).strip()
    if limit is not None and len(cleaned) > limit:
        raise UserError(f"{what} is longer than {limit:,} characters")
    return cleaned


def clean_title(value: str, what: str = "title", limit: int = MAX_TITLE) -> str:
    """One line of text: whitespace runs become one space, and it must not be empty."""
    title = " ".join(clean_text(value, what, MAX_TEXT).split())
    if not title:
        raise UserError(f"{what} is empty")
    if len(title) > limit:
        raise UserError(f"{what} is longer than {limit:,} characters")
    return title


class DecisionInput(Model):
    """A decision as ``state decision --stdin`` reads it: a JSON object or YAML mapping."""

    title: str
    context: str
    decision: str
    consequences: str = ""
    status: DecisionStatus = "accepted"
    # A model writing JSON may well give a decision number as a number (but not `true`).
    supersedes: StrictInt | str | None = None


def parse_decision(text: str) -> DecisionInput:
    """Validate the decision ``state decision --stdin`` reads; errors name the field.

    A JSON object, or a YAML mapping. The command file asks Claude for YAML with block
    scalars because Claude Code refuses a Bash command in which a ``{`` is followed by a
    quote ("brace with quote character"), and every JSON object has one.

    Args:
        text: Standard input.

    Returns:
        The decision; `UserError` when the text does not hold one.
    """
    try:
        if text.lstrip().startswith("{"):
            return DecisionInput.model_validate_json(text)
        return DecisionInput.model_validate(_yaml(text), strict=True)
    except ValidationError as error:
        problems = [_problem(e["type"], e["loc"], e.get("ctx") or {}) for e in error.errors()]
        raise UserError("--stdin: " + "; ".join(dict.fromkeys(problems))) from None


def _yaml(text: str) -> object:
    import yaml  # noqa: PLC0415  (only this command pays for it)

    from backend_persona.commandlint import YAMLNestingError, load_yaml  # noqa: PLC0415

    try:
        return load_yaml(text)
    except yaml.YAMLError as error:
        # Only the parser's own words and the place: its context lines quote the text.
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or "unreadable characters"
        if isinstance(error, YAMLNestingError):
            raise UserError(f"--stdin: standard input is {problem}{where}; a decision is one "
                            f"mapping with {_DECISION_FIELDS}") from None
        raise UserError(f"--stdin: standard input is neither a JSON object nor valid YAML "
                        f"({problem}{where})") from None


def _problem(kind: str, loc: tuple[int | str, ...], ctx: dict[str, object]) -> str:
    # Messages name the field but never echo a value: the text may carry secrets.
    if kind == "json_invalid":
        return f"standard input is not valid JSON ({ctx.get('error')})"
    if not loc:
        return f"standard input must be one JSON object or YAML mapping with {_DECISION_FIELDS}"
    name = json.dumps(str(loc[0]))
    name = name if len(name) <= 42 else name[:40] + '…"'
    if loc[0] not in DecisionInput.model_fields:
        return f"unknown field {name}; the fields are {_DECISION_FIELDS}"
    if kind == "missing":
        return f"the field {name} is missing"
    if kind == "literal_error":
        return f"the field {name} must be one of proposed, accepted, superseded"
    expected = "a decision number or id" if loc[0] == "supersedes" else "a string"
    return f"the field {name} must be {expected}"
