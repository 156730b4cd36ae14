"""Container builds and local stacks: Dockerfiles of any name and every Compose file name."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import partial

from backend_persona.discover import catalog
from backend_persona.discover.evidence import source
from backend_persona.discover.images import image_technologies
from backend_persona.discover.index import FileIndex
from backend_persona.discover.pathscope import place_scope
from backend_persona.discover.perfile import per_file
from backend_persona.discover.registry import Finding
from backend_persona.discover.sighting import Sighting
from backend_persona.records import SCOPE_STRENGTH, Artifact, Scope
from backend_persona.safefs import printable

_DOCKERFILE = re.compile(r"^(Dockerfile|Containerfile)([.-].+)?$|\.(Dockerfile|dockerfile)$")
_COMPOSE = re.compile(r"^(docker-)?compose([.-][\w.-]+)?\.ya?ml$")
_FROM = re.compile(r"^[ \t]*FROM[ \t]+(?:--platform=\S+[ \t]+)?(\S+)(?:[ \t]+AS[ \t]+(\S+))?",
                   re.IGNORECASE | re.MULTILINE)
# `apt-get install -y --no-install-recommends ffmpeg \` and the like: the packages follow,
# across line continuations, up to the end of the command (`&&`, `;`, `|` or a bare newline).
# A manager's name starts a word of its own (not `-apt-get` inside an option), and takes a
# few options before its verb: a run of option-like words is no command to scan.
_INSTALL = re.compile(r"(?<![\w./-])(?:apt-get|apt|apk|dnf|yum|microdnf|zypper)[ \t]+"
                      r"(?:-[-\w=]*[ \t]+){0,16}(?:install|add)\b")
_BLANK = re.compile(r"(?:[ \t]+|\\[ \t]*\r?\n)+")
_WORD = re.compile(r"[^\s;&|)\\]+")
_PACKAGES_PER_COMMAND = 500
# Words read per Dockerfile, whatever its commands: a file of repeated install commands
# costs no more than a few real ones.
_WORDS_PER_FILE = 5000


def is_compose_file(name: str) -> bool:
    """True for ``compose.yaml``, ``compose.prod.yml``, ``docker-compose.override.yml``..."""
    return bool(_COMPOSE.match(name))


def detect(index: FileIndex) -> Iterator[Finding]:
    """Dockerfiles of any name, and the datastores or brokers they build on.

    Compose files are the compose detector's.
    """
    candidates = index.with_name_prefix("Dockerfile", "Containerfile") + index.with_suffix(
        ".dockerfile"
    )
    for path in sorted(set(candidates)):
        name = path.rpartition("/")[2]
        if _DOCKERFILE.search(name):
            yield Artifact(section="container", kind="dockerfile", path=printable(path))
            yield from per_file(index, path, _base_images, index, path)


def _base_images(index: FileIndex, path: str) -> Iterator[Sighting]:
    # `FROM apache/kafka:3.7.0` customises a broker the stack then runs: a person reading
    # the file names Kafka, so do we.
    # A dev container's or a test image's contents run with no component (`place_scope`).
    scope = place_scope(path)
    text = source(index, path, index.read_text(path, limit=256 * 1024) or "")
    stages: set[str] = set()
    for match in _FROM.finditer(text.text):
        image, stage = match.groups()
        if image.lower() not in stages:
            for technology in image_technologies(image, text.cite_at(match.start())):
                yield _at_least(technology, scope)
        stages.add((stage or "").lower())
    words = 0
    for match in _INSTALL.finditer(text.text):
        line_start = text.text.rfind("\n", 0, match.start()) + 1
        if text.text[line_start:match.start()].lstrip().startswith("#"):
            continue  # A commented-out install installs nothing.
        for offset, package in _installed(text.text, match.end()):
            words += 1
            if words > _WORDS_PER_FILE:
                return
            yield from catalog.technologies("system", package, partial(text.cite_at, offset),
                                            scope=scope)


def _at_least(technology: Sighting, scope: Scope) -> Sighting:
    """``technology`` in ``scope``, unless its own scope is already the weaker one."""
    if SCOPE_STRENGTH[scope] <= SCOPE_STRENGTH[technology.scope]:
        return technology
    return technology.evolve(scope=scope)


def _installed(text: str, at: int) -> Iterator[tuple[int, str]]:
    """The packages an install command names from ``at`` on, with their offsets.

    Options, variables and version pins (`ffmpeg=7:6.1`, `curl~8`) are left out or cut off.
    """
    for _ in range(_PACKAGES_PER_COMMAND):
        blank = _BLANK.match(text, at)
        at = blank.end() if blank else at
        word = _WORD.match(text, at)
        if word is None:
            return
        name = re.split(r"[=~:<>]", word.group())[0]
        if name and not name.startswith("-") and "$" not in name:
            yield word.start(), name.lower()
        at = word.end()
