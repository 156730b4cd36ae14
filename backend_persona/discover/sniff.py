"""Tell YAML and JSON files apart by their first lines, without a YAML parser."""

from __future__ import annotations

import re

from backend_persona.discover.index import FileIndex

# Sniffing reads 4 KB per file; past this many candidates a note says the rest were skipped.
MAX_SNIFFED = 5000

_OPENAPI = re.compile(r"""^\s*["']?(openapi|swagger)["']?\s*:""", re.MULTILINE)
_ASYNCAPI = re.compile(r"""^\s*["']?asyncapi["']?\s*:""", re.MULTILINE)
_K8S_API = re.compile(r"""^apiVersion\s*:\s*\S""", re.MULTILINE)
_K8S_KIND = re.compile(r"""^kind\s*:\s*\S""", re.MULTILINE)
_API_HINT = re.compile(r"api|swagger|spec|schema|contract")
_UNSNIFFED = frozenset({"package.json", "package-lock.json", "tsconfig.json", "composer.json",
                        "composer.lock", "pnpm-lock.yaml", "yarn.lock"})


def yaml_or_json_kind(index: FileIndex, path: str) -> str | None:
    """Return ``openapi``, ``asyncapi``, ``kubernetes`` or None for a YAML or JSON file.

    YAML files are always sniffed. JSON is mostly data (fixtures, locks, translations),
    so only JSON whose path mentions an API or a spec is opened.
    """
    name = path.rpartition("/")[2]
    if name in _UNSNIFFED or (name.endswith(".json") and not _API_HINT.search(path.lower())):
        return None
    kinds = index.sniffed
    if path in kinds:
        return kinds[path]
    if len(kinds) >= MAX_SNIFFED:
        index.note(f"only the first {MAX_SNIFFED:,} YAML/JSON files were inspected")
        return None
    head = index.read_head(path) or ""
    kind: str | None = None
    if _OPENAPI.search(head):
        kind = "openapi"
    elif _ASYNCAPI.search(head):
        kind = "asyncapi"
    elif _K8S_API.search(head) and _K8S_KIND.search(head) and "{{" not in head:
        kind = "kubernetes"
    kinds[path] = kind
    return kind

