"""Programming languages by file suffix, and which files are tests."""

from __future__ import annotations

import re
from collections import Counter

from backend_persona.discover.index import FileIndex
from backend_persona.records import LanguageCount, TestSummary
from backend_persona.safefs import printable

# Programming languages only: markup, data and configuration formats are not counted.
LANGUAGES = {
    ".go": "Go", ".rs": "Rust", ".java": "Java", ".kt": "Kotlin", ".kts": "Kotlin",
    ".scala": "Scala", ".groovy": "Groovy", ".clj": "Clojure", ".py": "Python",
    ".js": "JavaScript", ".mjs": "JavaScript", ".cjs": "JavaScript", ".jsx": "JavaScript",
    ".ts": "TypeScript", ".tsx": "TypeScript", ".mts": "TypeScript", ".cts": "TypeScript",
    ".rb": "Ruby", ".php": "PHP", ".cs": "C#", ".fs": "F#", ".vb": "Visual Basic",
    ".ex": "Elixir", ".exs": "Elixir", ".erl": "Erlang", ".c": "C", ".h": "C",
    ".cc": "C++", ".cpp": "C++", ".cxx": "C++", ".hpp": "C++", ".hh": "C++",
    ".swift": "Swift", ".m": "Objective-C", ".dart": "Dart", ".lua": "Lua", ".pl": "Perl",
    ".sh": "Shell", ".bash": "Shell", ".zsh": "Shell", ".ps1": "PowerShell", ".zig": "Zig",
    ".hs": "Haskell", ".ml": "OCaml", ".jl": "Julia", ".r": "R", ".nim": "Nim",
    ".vue": "Vue", ".svelte": "Svelte", ".sol": "Solidity",
}

_TEST_FOLDERS = frozenset({"test", "tests", "__tests__", "spec", "specs", "integration-tests",
                           "e2e"})
# The words of a file's path that say it serves the tests: `testing-docker-compose.yml`,
# `client-integration-tests/`, `docker-compose.e2e.yml`.
_TEST_WORDS = frozenset({"test", "tests", "testing", "e2e"})
_WORD = re.compile(r"[-_./]")
_TEST_NAME = re.compile(
    r"(?:_test\.go|_test\.py|^test_.+\.py|\.(?:test|spec)\.[cm]?[jt]sx?"
    r"|(?:Test|Tests|IT)\.(?:java|kt)|_spec\.rb|_test\.exs|Tests?\.cs|_test\.rs)$"
)


def count_languages(index: FileIndex) -> list[LanguageCount]:
    """Files per programming language, most first, ties by name."""
    totals: Counter[str] = Counter()
    for suffix, count in index.suffix_counts().items():
        language = LANGUAGES.get(suffix)
        if language:
            totals[language] += count
    ranked = sorted(totals.items(), key=lambda item: (-item[1], item[0]))
    return [LanguageCount(name=name, files=files) for name, files in ranked]


def summarize_tests(index: FileIndex) -> TestSummary:
    """How many source files are tests, and the folders that hold most of them."""
    folders: Counter[str] = Counter()
    # Decided once per folder, not once per file: is it below a test folder, and which?
    test_roots: dict[str, str | None] = {}
    # And once per file name: a monorepo repeats `handler_test.go` thousands of times.
    test_names: dict[str, bool] = {}
    is_test_name = _TEST_NAME.search
    for suffix in LANGUAGES:
        # A suffix's paths come in path order, a folder's files together: its verdict is
        # looked up once per run of them.
        last: str | None = None
        root: str | None = None
        for path in index.with_suffix(suffix, ordered=False):
            folder, _, name = path.rpartition("/")
            if folder != last:
                last = folder
                if folder not in test_roots:
                    test_roots[folder] = _test_folder(folder)
                root = test_roots[folder]
            if root is not None:
                folders[root] += 1
                continue
            verdict = test_names.get(name)
            if verdict is None:
                verdict = test_names[name] = is_test_name(name) is not None
            if verdict:
                folders[folder or "."] += 1
    ranked = sorted(folders.items(), key=lambda item: (-item[1], item[0]))
    return TestSummary(files=sum(folders.values()), directories=[printable(f) for f, _ in ranked])


def _test_folder(folder: str) -> str | None:
    segments = folder.split("/") if folder else []
    for depth, segment in enumerate(segments):
        if segment in _TEST_FOLDERS:
            return "/".join(segments[: depth + 1])
    return None


def serves_tests(path: str) -> bool:
    """Whether a path's folders or file name say it is there for the tests."""
    return (_test_folder(path.rpartition("/")[0]) is not None
            or not _TEST_WORDS.isdisjoint(_WORD.split(path)))
