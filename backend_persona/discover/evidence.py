"""Evidence strings, ``path:LINE``, from one pass over each file.

A file's line starts are found once; any offset then maps to its line by bisection.
Parsers that know where they read a declaration cite that offset. Parsers that only
have the parsed value (JSON, TOML, YAML) cite the first occurrence of a needle: each
needle is searched once per file, and the searching one file may cost is bounded, so that
thousands of distinct needles cannot make a file quadratic.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator

from backend_persona.discover.index import FileIndex
from backend_persona.discover.perfile import SkipFile
from backend_persona.safefs import printable

# Characters a file's needle searches may scan, in multiples of its size, plus a floor for
# small files. Normal manifests stay far below it: a few dozen known dependencies each.
SEARCH_BUDGET_FACTOR = 64
SEARCH_BUDGET_FLOOR = 4 * 1024 * 1024

_NEWLINE = re.compile("\n")
_CONTINUATION = re.compile(r"\\\n")
_TERMINATORS = "\r\n\v\f\x1c\x1d\x1e\x85\u2028\u2029"
# The index memo's key of the sources that `source` shares among detectors.
_SOURCES = "sources"


class Source:
    """One file's text, with cheap line numbers for offsets and needles."""

    def __init__(self, path: str, text: str) -> None:
        """Describe ``text``, the content of ``path``; nothing is scanned until asked."""
        self.path = path
        self.text = text
        self.shown = printable(path)
        self._starts: list[int] | None = None
        self._first: dict[str, int | None] = {}
        self._budget = SEARCH_BUDGET_FACTOR * len(text) + SEARCH_BUDGET_FLOOR

    def line_at(self, offset: int) -> int:
        """The 1-based line that holds ``offset``: one more than the newlines before it."""
        if self._starts is None:
            self._starts = [0, *(m.end() for m in _NEWLINE.finditer(self.text))]
        return bisect_right(self._starts, offset)

    def find(self, needle: str, start: int = 0, end: int | None = None) -> int | None:
        """The offset of ``needle``'s first occurrence within ``[start, end)``, or None.

        Raises:
            SkipFile: The file's searches have scanned more than its budget.
        """
        stop = len(self.text) if end is None else min(end, len(self.text))
        at = self.text.find(needle, start, stop)
        self._budget -= (stop if at < 0 else at + len(needle)) - start
        if self._budget < 0:
            raise SkipFile("holds too many entries to cite")
        return None if at < 0 else at

    def first_line(self, needle: str) -> int | None:
        """The line where ``needle`` first occurs, or None when it does not.

        Raises:
            SkipFile: The file's searches have scanned more than its budget.
        """
        if needle not in self._first:
            at = self.find(needle)
            self._first[needle] = None if at is None else self.line_at(at)
        return self._first[needle]

    def cite(self, needle: str) -> str:
        """``path:LINE`` of ``needle``'s first occurrence, or the bare path without one."""
        line = self.first_line(needle)
        return self.shown if line is None else f"{self.shown}:{line}"

    def cite_at(self, offset: int) -> str:
        """``path:LINE`` of the line that holds ``offset``."""
        return f"{self.shown}:{self.line_at(offset)}"


class InOrder:
    """Cites the declarations of one file as a parser reads them, in the file's order.

    Each search goes on from the last one found: citing every dependency of a long
    manifest scans it about once, where a search from the top for each would be
    quadratic, and a name that also occurs above its declaration (in a script, a
    description, another section) is cited where it is declared. A needle that does not
    occur further on is looked for from the top, since a parser may read a file's
    sections in another order than the file holds them.
    """

    def __init__(self, text: Source) -> None:
        """Cite needles of ``text``, starting at its top."""
        self.text = text
        self._at = 0

    def seek(self, needle: str) -> None:
        """Go on from the first occurrence of ``needle`` (a section's key), or from the top.

        Raises:
            SkipFile: The file's searches have scanned more than its budget.
        """
        at = self.text.find(needle)
        self._at = 0 if at is None else at + len(needle)

    def cite(self, needle: str) -> str:
        """``path:LINE`` of ``needle``'s next occurrence, or the bare path without one.

        Raises:
            SkipFile: The file's searches have scanned more than its budget.
        """
        at = self.text.find(needle, self._at)
        if at is None and self._at:
            # Only the part above is left to search: a needle the file lacks costs one scan.
            at = self.text.find(needle, 0, self._at + len(needle) - 1)
        if at is None:
            return self.text.shown
        self._at = at + len(needle)
        return self.text.cite_at(at)


def source(index: FileIndex, path: str, text: str | None = None) -> Source:
    """The `Source` of ``path``, shared by every detector that cites it during a run.

    Args:
        index: The file index whose run the source belongs to.
        path: The file, as the index lists it.
        text: The text already read (with a detector's own size limit); read when None.
    """
    if text is None:
        text = index.read_text(path) or ""
    stored = index.memo.setdefault(_SOURCES, {})
    sources: dict[str, Source] = stored if isinstance(stored, dict) else {}
    known = sources.get(path)
    if known is None or known.text is not text:
        known = sources[path] = Source(path, text)
    return known


def release_sources(index: FileIndex) -> None:
    """Drop the sources that `source` shared, once every detector has run.

    Their line tables are the detectors' alone; on 300,000 files they hold some 4 MB
    that the rest of discovery would carry to its peak.
    """
    index.memo.pop(_SOURCES, None)


def split_lines(text: str) -> Iterator[tuple[int, str]]:
    """Each line of ``text``, as ``str.splitlines`` cuts them, with the offset it starts at."""
    offset = 0
    for line in text.splitlines(keepends=True):
        # keepends leaves exactly one terminator on each line, whichever splitlines saw.
        yield offset, line.rstrip(_TERMINATORS)
        offset += len(line)


class Joined:
    """Text with backslash-newline continuations joined, as shells and pip read it.

    Offsets into the joined text map back to the file's own, for citing.
    """

    def __init__(self, text: str) -> None:
        """Join ``text``'s continued lines: a backslash and its newline become one space."""
        self.text = text.replace("\\\n", " ")
        # The joined offset of each replacement's space: the k-th sits k characters
        # before its backslash in the file.
        self._spaces = [m.start() - k for k, m in enumerate(_CONTINUATION.finditer(text))]

    def lines(self) -> Iterator[tuple[int, str]]:
        """Each joined line, as ``str.splitlines`` cuts them, with its joined offset."""
        return split_lines(self.text)

    def original(self, offset: int) -> int:
        """The file offset of joined ``offset``: one more for every join before it."""
        return offset + bisect_left(self._spaces, offset)
