"""Tell YAML and JSON files apart by their first lines, without a YAML parser."""

from __future__ import annotations

import re

from backend_persona.discover.index import FileIndex

# Sniffing reads 4 KB per file. Past this many candidates, those whose path suggests an
# API or a deployment go first, and a note says the rest were skipped.
MAX_SNIFFED = 1500

# The root key holds the specification's version; a CI job or a feature flag named
# `openapi:` holds no number. A line start takes only its own indentation: `^\s*` would run
# on over every blank line below it, once per line.
_OPENAPI = re.compile(r"""^[ \t]*["']?(openapi|swagger)["']?\s*:\s*["']?\d""", re.MULTILINE)
_ASYNCAPI = re.compile(r"""^[ \t]*["']?asyncapi["']?\s*:\s*["']?\d""", re.MULTILINE)
_K8S_API = re.compile(r"""^apiVersion\s*:\s*\S""", re.MULTILINE)
_K8S_KIND = re.compile(r"""^kind\s*:\s*\S""", re.MULTILINE)
_API_HINT = re.compile(r"api|swagger|spec|schema|contract")
_PRIORITY = re.compile(r"api|swagger|spec|k8s|kube|deploy|manifest|helm|chart|infra|ops|event")
_UNSNIFFED = frozenset({"package.json", "package-lock.json", "tsconfig.json", "composer.json",
                        "composer.lock", "pnpm-lock.yaml", "yarn.lock"})


def yaml_or_json_kind(index: FileIndex, path: str) -> str | None:
    """Return ``openapi``, ``asyncapi``, ``kubernetes`` or None for a YAML or JSON file.

    YAML files are always sniffed. JSON is mostly data (fixtures, locks, translations),
    so only JSON whose path mentions an API or a spec is opened.
    """
    kinds = index.sniffed
    if path in kinds:
        return kinds[path]
    if not may_sniff(index, path):
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



def _sniffable(path: str) -> bool:
    name = path.rpartition("/")[2]
    return name not in _UNSNIFFED and (
        not name.endswith(".json") or bool(_API_HINT.search(path.lower()))
    )


def may_sniff(index: FileIndex, path: str) -> bool:
    """Whether ``path`` is among the YAML/JSON files this run may open to sniff."""
    return path in _budget(index)


def _budget(index: FileIndex) -> frozenset[str]:
    budget = index.memo.get("sniff-budget")
    if isinstance(budget, frozenset):
        return budget
    candidates = [p for p in index.with_suffix(".yaml", ".yml", ".json") if _sniffable(p)]
    if len(candidates) > MAX_SNIFFED:
        candidates.sort(key=lambda p: (not _PRIORITY.search(p.lower()), p.count("/"), p))
        index.note(f"{len(candidates) - MAX_SNIFFED:,} YAML/JSON files were not inspected for "
                   "OpenAPI, AsyncAPI or Kubernetes content")
    chosen = frozenset(candidates[:MAX_SNIFFED])
    index.memo["sniff-budget"] = chosen
    return chosen
