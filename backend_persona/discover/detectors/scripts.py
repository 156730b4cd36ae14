"""Datastores and brokers that Makefiles and shell scripts start with ``docker run``."""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from functools import partial

from backend_persona.discover.evidence import Joined, source
from backend_persona.discover.images import image_technologies
from backend_persona.discover.index import FileIndex
from backend_persona.discover.perfile import per_file
from backend_persona.discover.registry import Finding
from backend_persona.discover.sighting import Sighting

_SCRIPT = re.compile(r"(^|/)(Makefile|GNUmakefile|[\w.-]+\.mk|[\w.-]+\.sh|justfile|Justfile"
                     r"|Taskfile\.ya?ml)$")
_RUN = re.compile(r"\b(?:docker|podman)\s+(?:container\s+)?run\s+(.*)")
# Flags that take no value; every other option without `=` consumes the next word.
_SWITCHES = frozenset({"--detach", "--rm", "--init", "--privileged", "--publish-all",
                       "--interactive", "--tty", "--read-only", "--quiet"})
_SHORT_SWITCHES = frozenset("ditPq")
# What ends the run's line instead of a command for the image.
_NOT_A_COMMAND = frozenset({"&&", "||", ";", "|", ">", ">>", "&", "\\"})


def script_files(index: FileIndex) -> list[str]:
    """Makefiles, shell scripts, justfiles and Taskfiles of the project."""
    candidates = index.named("Makefile", "GNUmakefile", "justfile", "Justfile", "Taskfile.yml",
                             "Taskfile.yaml") + index.with_suffix(".mk", ".sh")
    return sorted(p for p in set(candidates) if _SCRIPT.search(p))


def detect(index: FileIndex) -> Iterator[Finding]:
    """Images that build and setup scripts run as containers."""
    for path in script_files(index):
        yield from per_file(index, path, _script, index, path)


def _script(index: FileIndex, path: str) -> Iterator[Sighting]:
    text = index.read_text(path, limit=256 * 1024) or ""
    if " run" not in text:
        return
    cited = source(index, path, text)
    joined = Joined(text)
    for offset, line in joined.lines():
        match = _RUN.search(line)
        run = _image_of(match.group(1)) if match else None
        if run and match and not _one_off(*run):
            image = run[0][run[1]]
            # Where the line names the image (after any quotes), else where the run starts.
            at = line.find(image, match.start(1))
            at = match.start() if at < 0 else at
            yield from image_technologies(
                image, partial(cited.cite_at, joined.original(offset + at)))


def _one_off(words: list[str], at: int) -> bool:
    """Whether the run borrows the image's program in the foreground and is done.

    `docker run --rm httpd:2 htpasswd -Bbn ...` hashes a password with Apache's tool; it runs
    no web server. A detached run (`-d`) is a service, whatever command it is given.
    """
    detached = any(w == "--detach" or (w[:1] == "-" and w[1:2] != "-" and "d" in w[1:])
                   for w in words[:at])
    command = words[at + 1:at + 2]
    return bool(command) and not detached and command[0] not in _NOT_A_COMMAND


def _image_of(arguments: str) -> tuple[list[str], int] | None:
    """The run's words and where its image stands among them, or None without an image."""
    try:
        words = shlex.split(arguments, comments=True)
    except ValueError:
        words = arguments.split()
    skip = False
    for at, word in enumerate(words):
        if skip:
            skip = False
        elif word.startswith("--"):
            skip = "=" not in word and word not in _SWITCHES
        elif word.startswith("-") and len(word) > 1:
            skip = _short_option_takes_next(word[1:])
        else:
            return words, at
    return None


def _short_option_takes_next(letters: str) -> bool:
    # `-it` are switches, `-p 80:80` and `-dp 80:80` take the next word, `-p80:80` does not.
    for position, letter in enumerate(letters):
        if letter not in _SHORT_SWITCHES:
            return position == len(letters) - 1
    return False
