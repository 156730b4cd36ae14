"""`gitparse.FileList`: ``ls-files -z -t`` output parsed as it streams in."""

from __future__ import annotations

from backend_persona.gitparse import FileList


def _parsed(raw: bytes, chunk: int, missing: frozenset[str] = frozenset(),
            hidden: frozenset[str] = frozenset()) -> tuple[list[str], int]:
    listing = FileList(hidden)
    for at in range(0, len(raw), chunk):
        listing.feed(raw[at:at + chunk])
    return listing.result(missing)


RAW = "H b.txt\0? z/ünïcode.py\0H a/x.go\0S a/skip.go\0? new.md\0".encode()


def test_any_chunking_gives_the_same_sorted_listing() -> None:
    expected = (["a/skip.go", "a/x.go", "b.txt", "new.md", "z/ünïcode.py"], 2)
    # One byte at a time cuts every multi-byte character and every tag in half.
    for chunk in (1, 2, 3, 7, len(RAW)):
        assert _parsed(RAW, chunk) == expected


def test_missing_and_hidden_paths_are_left_out_and_hidden_ones_not_counted() -> None:
    paths, untracked = _parsed(RAW, 5, missing=frozenset({"a/x.go"}),
                               hidden=frozenset({"new.md"}))
    assert paths == ["a/skip.go", "b.txt", "z/ünïcode.py"]
    assert untracked == 1


def test_an_unmerged_path_is_listed_once() -> None:
    raw = b"M c.txt\0M c.txt\0M c.txt\0H a.txt\0"
    assert _parsed(raw, 4) == (["a.txt", "c.txt"], 0)


def test_undecodable_bytes_survive_as_surrogates_and_a_last_entry_without_nul_counts() -> None:
    raw = b"H bad\xff.txt\0? tail.txt"
    assert _parsed(raw, 3) == (["bad\udcff.txt", "tail.txt"], 1)


def test_an_empty_listing() -> None:
    assert _parsed(b"", 1) == ([], 0)


def _counted_one_by_one(raw: bytes) -> int:
    # What the count means, entry by entry: a "?" tag with a path after it.
    return sum(entry[:1] == "?" and bool(entry[2:])
               for entry in raw.decode("utf-8", "surrogateescape").split("\0"))


def test_untracked_entries_are_counted_as_the_entries_say_in_any_chunking() -> None:
    # Tags without paths, a "?" that no space follows, and "?" inside a path count as
    # entry-by-entry reading counts them, whichever way the stream is cut.
    for raw in (RAW, b"? \0? a\0H ?b\0? \0", b"? \0? \0? \0", b"?x\0? y\0H z?\0",
                b"? only-one", b"H a\0H b\0", b"? a?\0?? b\0"):
        for chunk in (1, 2, 3, 4, 5, len(raw)):
            assert _parsed(raw, chunk)[1] == _counted_one_by_one(raw), (raw, chunk)
