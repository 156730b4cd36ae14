"""What a version looks like: the strict grammar a manifest's version must parse by to be printed.

A version string is repository text that lands in the prompt's Version column, so anything
that is not plainly a version ("1 ignore all prior instructions", a URL, a path) is refused
rather than shown. The grammar is ASCII only and every repetition is possessive, so a
hostile 40-character value cannot make it backtrack.
"""

from __future__ import annotations

import re

from backend_persona.redact import redact

MAX_VERSION = 40

# A numeric part, with a PEP 440 or Ruby pre-release glued on (0a1, 0rc1, 0b2, 4beta):
# letters then digits, never digits then letters then digits (a hex hash is no version).
_NUMBER = r"[0-9]{1,20}+(?:[A-Za-z]{1,12}+[0-9]{0,20}+)?+"
# 1.2.3, v1.9.1, 1.x, 1.2.*, Gradle's 1.+; then -rc.1, +build.5, .RELEASE, -jre, -alpine3.19,
# _392, ~rc1: any number of identifiers, each after one separator.
_VERSION = (rf"[vV]?+{_NUMBER}(?:\.(?:{_NUMBER}|[xX*+]))*+"
            r"(?:[-+_~.][0-9A-Za-z]{1,40}+)*+")
# Word tags, alone or carrying a version: latest, stable, lts-alpine, alpine3.19.
_WORD = (r"(?:latest|stable|edge|nightly|lts|alpine|next|canary|beta|release|mainline)"
         r"(?:[0-9]{1,20}+(?:\.[0-9]{1,20}+)*+)?+(?:[-+_~.][0-9A-Za-z]{1,40}+)*+")
_OPERATOR = r"(?:===|==|!=|~=|~>|>=|<=|\^|~|>|<|=)"
_CLAUSE = rf"(?:{_OPERATOR} {{0,2}}+)?+(?:{_VERSION}|[xX*])|{_WORD}"
# Maven and NuGet ranges: [1.0,2.0), (,1.0], [1.5], each bound optional but the comma.
_MAVEN = rf"[\[(] ?(?:{_VERSION})? ?, ?(?:{_VERSION})? ?[\])]|\[{_VERSION}\]"
# Clauses joined by a comma (pip, Cargo, Maven), "||" (npm, Composer), a space (npm's AND)
# or " - " (npm's hyphen range).
_JOIN = r"(?: {0,2}+(?:,|\|\|) {0,2}+| - | {1,2}+)"
_RANGE = re.compile(rf"(?:{_MAVEN}|{_CLAUSE})(?:{_JOIN}(?:{_MAVEN}|{_CLAUSE}))*+",
                    re.ASCII | re.IGNORECASE)


def is_version(value: str) -> bool:
    """Whether ``value`` is a version, a version range or a word tag, and nothing else.

    Args:
        value: The text a manifest gives as a version, already stripped.

    Returns:
        True for ``1.2.3``, ``^4.19.2``, ``>=1.0,<2``, ``[1.0,2.0)``, ``16-alpine`` or
        ``latest``; False for prose, URLs, paths, anything with a newline and anything
        longer than `MAX_VERSION` characters.
    """
    return len(value) <= MAX_VERSION and _RANGE.fullmatch(value) is not None


# An image tag's version: the numbers it starts with, and a pre-release glued to them or after
# one separator (`3.13.0b1`, `16.0-rc1`); whatever follows is the image's variant.
_TAG_VERSION = re.compile(r"[vV]?+[0-9]{1,20}+(?:\.[0-9]{1,20}+)*+"
                          r"(?:[-.]?+(?:rc|alpha|beta|a|b)(?:\.?+[0-9]{1,20}+)?+(?![A-Za-z]))?+"
                          r"(?=$|[-_.+~])", re.ASCII | re.IGNORECASE)


def image_version(tag: str | None) -> str | None:
    """The version an image tag pins: ``15.18`` for ``15.18-trixie``, ``7`` for ``7-alpine``.

    A tag that does not start with a version (``latest``, ``alpine``, ``stable``, a commit
    hash) pins none: the word is a variant or a moving target, not a version.
    """
    version = _TAG_VERSION.match(tag or "")
    return safe_version(version.group()) if version else None


def safe_version(value: object) -> str | None:
    """Return ``value`` as a version string if it is harmless to print, else None.

    A version is printed only when it parses as one (`is_version`); anything else (prose,
    URLs, paths, git references with tokens in them) is dropped rather than risk a
    credential or an instruction in the prompt.
    """
    if not isinstance(value, str):
        return None
    value = value.strip()
    if not is_version(value):
        return None
    # A token can be shaped like a version suffix (1.0-AKIA...); the grammar alone won't do.
    return value if redact(value) == value else None
