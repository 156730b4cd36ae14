"""Container builds and local stacks: Dockerfiles of any name and every Compose file name."""

from __future__ import annotations

import re
from collections.abc import Iterator

from backend_persona.discover.index import FileIndex, display
from backend_persona.discover.registry import Finding, detector
from backend_persona.models import Artifact

_DOCKERFILE = re.compile(r"^(Dockerfile|Containerfile)([.-].+)?$|\.(Dockerfile|dockerfile)$")
_COMPOSE = re.compile(r"^(docker-)?compose([.-][\w.-]+)?\.ya?ml$")


def is_compose_file(name: str) -> bool:
    """True for ``compose.yaml``, ``compose.prod.yml``, ``docker-compose.override.yml``..."""
    return bool(_COMPOSE.match(name))


@detector("containers")
def detect(index: FileIndex) -> Iterator[Finding]:
    """Dockerfiles of any name; Compose files are the compose detector's."""
    for path in index.own_paths:
        name = path.rpartition("/")[2]
        if _DOCKERFILE.search(name):
            yield Artifact(section="container", kind="dockerfile", path=display(path))
