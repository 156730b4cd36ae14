"""Container builds and local stacks: Dockerfiles of any name and every Compose file name."""

from __future__ import annotations

import re
from collections.abc import Iterator

from backend_persona.discover.evidence import source
from backend_persona.discover.images import image_technologies
from backend_persona.discover.index import FileIndex
from backend_persona.discover.perfile import per_file
from backend_persona.discover.registry import Finding
from backend_persona.discover.sighting import Sighting
from backend_persona.models import Artifact
from backend_persona.safefs import printable

_DOCKERFILE = re.compile(r"^(Dockerfile|Containerfile)([.-].+)?$|\.(Dockerfile|dockerfile)$")
_COMPOSE = re.compile(r"^(docker-)?compose([.-][\w.-]+)?\.ya?ml$")
_FROM = re.compile(r"^[ \t]*FROM[ \t]+(?:--platform=\S+[ \t]+)?(\S+)(?:[ \t]+AS[ \t]+(\S+))?",
                   re.IGNORECASE | re.MULTILINE)


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
    text = source(index, path, index.read_text(path, limit=256 * 1024) or "")
    stages: set[str] = set()
    for match in _FROM.finditer(text.text):
        image, stage = match.groups()
        if image.lower() not in stages:
            yield from image_technologies(image, text.cite_at(match.start()))
        stages.add((stage or "").lower())
