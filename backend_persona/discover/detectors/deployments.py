"""Datastores and brokers that Kubernetes manifests, Helm charts and values files deploy."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import partial
from typing import Any

from backend_persona.discover.catalog import found
from backend_persona.discover.evidence import source
from backend_persona.discover.images import image_technologies, named_image
from backend_persona.discover.index import FileIndex, parent_of
from backend_persona.discover.perfile import per_file
from backend_persona.discover.registry import Finding
from backend_persona.discover.sighting import Sighting
from backend_persona.discover.sniff import yaml_or_json_kind
from backend_persona.discover.yamlload import load_documents

# Indentation, a list dash and the key stay on the line: with `^\s*-?\s*`, both runs of
# whitespace would compete for every blank line below, from every line start.
_IMAGE_LINE = re.compile(r"""^[ \t]*-?[ \t]*image[ \t]*:\s*["']?([^\s"'#{}]+)""", re.MULTILINE)
_VALUES = re.compile(r"^values([.-][\w.-]+)?\.ya?ml$")
_MAX_NODES = 20_000


def detect(index: FileIndex) -> Iterator[Finding]:
    """Images in Kubernetes manifests and Helm values, and Helm chart dependencies."""
    for path in index.with_suffix(".yaml", ".yml"):
        name = path.rpartition("/")[2]
        if "/templates/" in f"/{path}":
            continue  # Helm templates are Go templates, not YAML.
        if name == "Chart.yaml":
            yield from per_file(index, path, _chart_dependencies, index, path)
        elif _VALUES.match(name) and _in_chart(index, path):
            yield from per_file(index, path, _values_images, index, path)
        elif yaml_or_json_kind(index, path) == "kubernetes":
            yield from per_file(index, path, _manifest_images, index, path)


def _in_chart(index: FileIndex, path: str) -> bool:
    folder = parent_of(path)
    chart = "Chart.yaml" if folder == "." else f"{folder}/Chart.yaml"
    return index.has(chart)


def _manifest_images(index: FileIndex, path: str) -> Iterator[Sighting]:
    text = source(index, path)
    for match in _IMAGE_LINE.finditer(text.text):
        yield from image_technologies(match.group(1), partial(text.cite_at, match.start(1)))


def _chart_dependencies(index: FileIndex, path: str) -> Iterator[Sighting]:
    text = source(index, path)
    for document in load_documents(index, path) or []:
        dependencies = document.get("dependencies") if isinstance(document, dict) else None
        for dependency in dependencies if isinstance(dependencies, list) else []:
            if not isinstance(dependency, dict) or not isinstance(dependency.get("name"), str):
                continue
            # `version` pins the chart, not the server it deploys: report none.
            yield from found(named_image(dependency["name"].lower()),
                             partial(text.cite, f"name: {dependency['name']}"))


def _values_images(index: FileIndex, path: str) -> Iterator[Sighting]:
    text = source(index, path)
    for document in load_documents(index, path) or []:
        for reference in _images_in(document):
            yield from image_technologies(reference, partial(text.cite, reference.split(":")[0]))


def _images_in(node: Any) -> Iterator[str]:
    # Values files nest images as `image: ref` or `image: {repository, tag}`; walk them
    # iteratively and boundedly, since YAML aliases can make a small file a huge tree.
    pending, visited = [node], 0
    while pending and visited < _MAX_NODES:
        current = pending.pop()
        visited += 1
        if isinstance(current, dict):
            repository = current.get("repository")
            if isinstance(repository, str):
                tag = current.get("tag")
                yield f"{repository}:{tag}" if isinstance(tag, (str, int, float)) else repository
            for key, value in current.items():
                if key == "image" and isinstance(value, str):
                    yield value
                else:
                    pending.append(value)
        elif isinstance(current, list):
            pending.extend(current)
