"""Markdown made safe: one line, a table cell, a code span, and the "+N more" of a cut list.

Two escapers, because the prompt and the files differ (and snapshots pin both): `text`
is for what reaches the prompt, cut to a length, with credentials redacted before the
cut; `cell` is for the architecture docs, kept whole, control characters read as spaces.
Nothing beyond `redact` and `safefs` is imported: ``context`` renders through this module.
"""

from __future__ import annotations

import functools
import re

from backend_persona import safefs
from backend_persona.redact import prompt_safe, redact

_UNSAFE = re.compile(r"[\x00-\x1f\x7f`|]")
_CELL_UNSAFE = re.compile(r"[\x00-\x1f\x7f|]")
_MAX_FIELD = 90


# The markdown is rendered up to six times, shorter each time, from the same strings.
@functools.lru_cache(maxsize=4096)
def scrub(value: str) -> str:
    """Redact credentials and escape invisible line breaks: the last step for any output."""
    return prompt_safe(redact(value))


def text(value: str, limit: int = _MAX_FIELD) -> str:
    """Make repository-derived text safe for one markdown line or table cell.

    Credentials are redacted before anything is cut, so that no cut can leave half a
    token that no pattern recognises any more.
    """
    cleaned = _UNSAFE.sub(lambda m: "'" if m.group() == "`" else "/" if m.group() == "|" else "?",
                          scrub(value))
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "…"


def code(value: str) -> str:
    """Wrap a path or name in backticks, made safe first."""
    return f"`{text(value)}`"


def more(shown: int, total: int) -> str:
    """The "+N more" note for a cut list, or nothing."""
    return f" (+{total - shown} more)" if total > shown else ""


def cell(value: str) -> str:
    """Repository-derived text made safe, and kept whole, for a table cell or one markdown line."""
    return safefs.shown(_CELL_UNSAFE.sub(lambda m: "/" if m.group() == "|" else " ", value)
                        .replace("`", "'"))
