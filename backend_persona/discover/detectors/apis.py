"""API definitions: Protocol Buffers and buf, OpenAPI and AsyncAPI by content, GraphQL, Avro."""

from __future__ import annotations

import re
from collections.abc import Iterator

from backend_persona.discover.index import FileIndex
from backend_persona.discover.registry import Finding
from backend_persona.discover.sniff import yaml_or_json_kind
from backend_persona.records import Artifact
from backend_persona.safefs import printable

# `[ \t]*`, not `\s*`: a line start must not run on over the blank lines after it.
_PROTO_SERVICE = re.compile(r"^[ \t]*service\s+(\w+)\s*\{", re.MULTILINE)
_BUF_FILES = ("buf.yaml", "buf.gen.yaml", "buf.work.yaml")
_SIMPLE_KINDS = {".graphql": "graphql", ".graphqls": "graphql", ".gql": "graphql",
                 ".avsc": "avro"}


def detect(index: FileIndex) -> Iterator[Finding]:
    """Schema files that define an API, named by kind, with proto services listed."""
    for path in index.with_suffix(".proto"):
        text = index.read_text(path) or ""
        services = _PROTO_SERVICE.findall(text)
        yield Artifact(section="api", kind="protobuf", path=printable(path),
                       detail=("services: " + ", ".join(services)) if services else None)
    for path in index.named(*_BUF_FILES):
        yield Artifact(section="api", kind="buf", path=printable(path))
    for suffix, kind in _SIMPLE_KINDS.items():
        for path in index.with_suffix(suffix):
            yield Artifact(section="api", kind=kind, path=printable(path))
    for path in index.with_suffix(".yaml", ".yml", ".json"):
        sniffed = yaml_or_json_kind(index, path)
        if sniffed in ("openapi", "asyncapi"):
            yield Artifact(section="api", kind=sniffed, path=printable(path))
