"""What a run's file reads owe to their order, for `discover.parallel` to compare two runs.

A detector's read can answer differently depending on what detectors before it read: a
head read of a file read whole before is the whole text's start (``size`` characters,
not bytes), a head read of one whose head was read before is that head (of its first
size), and a whole read is the first one's (with its size limit). The detectors' order
is fixed, so one process running them all answers the same every time. Two processes
each running some of them, in that order, answer the same as one would unless one of
them read a file in a way the other's earlier detectors would have changed: this log
says which reads could, and `conflicts` whether the other process made them differ.
"""

from __future__ import annotations

# A rank after every detector's: reads made once discovery's detectors are done.
AFTER_DETECTORS = 1 << 30


class ReadLog:
    """One process's reads that another process's reads could have changed.

    ``whole``: each path read whole, the rank of the detector that first did, and whether
    its text came back. ``heads``: each path whose head was read, the size first asked
    for and whether that head held the whole file. ``inexact``: each path whose head was
    handed to a detector where its whole text's start would have differed, and the
    latest such detector's rank.
    """

    __slots__ = ("heads", "inexact", "rank", "whole")

    def __init__(self) -> None:
        """An empty log; `rank` is the running detector's place in the detectors' order."""
        self.rank = AFTER_DETECTORS
        self.whole: dict[str, tuple[int, bool]] = {}
        self.heads: dict[str, tuple[int, bool]] = {}
        self.inexact: dict[str, int] = {}

    def read_whole(self, path: str, found: bool) -> None:
        """``path`` was read whole (``found``: its text came back)."""
        self.whole.setdefault(path, (self.rank, found))

    def read_head(self, path: str, size: int, text: str | None) -> None:
        """A head of ``path`` was handed out for ``size``: ``text``, as first read."""
        first, full = self.heads[path]
        # Exactly the whole text's start when the head held the whole file and no more was
        # asked for, or when it is ASCII (a character per byte) and as long as asked.
        if text is not None and not ((full and len(text) <= size)
                                     or (first == size and text.isascii())):
            self.inexact[path] = self.rank

    def first_head(self, path: str, size: int, full: bool) -> None:
        """``path``'s head was first read for ``size`` (``full``: it held the whole file)."""
        self.heads.setdefault(path, (size, full))


def conflicts(mine: ReadLog, theirs: ReadLog) -> bool:
    """Whether the two processes' reads could have answered otherwise in one process."""
    return _one_way(mine, theirs) or _one_way(theirs, mine)


def _one_way(mine: ReadLog, theirs: ReadLog) -> bool:
    for path, rank in mine.inexact.items():
        # A file read whole by an earlier detector over there: here it would have been
        # that text's start, not the head handed out.
        whole = theirs.whole.get(path)
        if whole is not None and whole[1] and whole[0] < rank:
            return True
    for path, (_, found) in mine.whole.items():
        # Read whole in both, under different size limits that answered differently.
        whole = theirs.whole.get(path)
        if whole is not None and whole[1] != found:
            return True
    for path, (size, full) in mine.heads.items():
        # The first head over there would have been the first head here too.
        head = theirs.heads.get(path)
        if head is not None and head[0] != size and not (full and head[1]):
            return True
    return False
