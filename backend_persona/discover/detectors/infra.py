"""Deployment: Kubernetes, Istio, Envoy, Kustomize, Helm, Terraform and Skaffold."""

from __future__ import annotations

from collections.abc import Iterator

from backend_persona.discover.detectors.containers import is_compose_file
from backend_persona.discover.index import FileIndex, display
from backend_persona.discover.registry import Finding
from backend_persona.discover.sniff import yaml_or_json_kind
from backend_persona.models import Artifact

_NAMED = {
    "Chart.yaml": "helm",
    "kustomization.yaml": "kustomize",
    "kustomization.yml": "kustomize",
    "skaffold.yaml": "skaffold",
    "skaffold.yml": "skaffold",
}


def detect(index: FileIndex) -> Iterator[Finding]:
    """Infrastructure definitions, by name and, for Kubernetes manifests, by content."""
    for name, kind in _NAMED.items():
        for path in index.named(name):
            yield Artifact(section="infra", kind=kind, path=display(path))
    for path in index.with_suffix(".tf"):
        yield Artifact(section="infra", kind="terraform", path=display(path))
    for path in index.with_suffix(".yaml", ".yml"):
        name = path.rpartition("/")[2]
        if name in _NAMED or is_compose_file(name) or "/templates/" in f"/{path}":
            continue
        if yaml_or_json_kind(index, path) == "kubernetes":
            head = index.read_head(path) or ""
            kind = "istio" if "istio.io/" in head else "kubernetes"
            yield Artifact(section="infra", kind=kind, path=display(path))
        elif name.startswith("envoy") or "static_resources:" in (index.read_head(path) or ""):
            yield Artifact(section="infra", kind="envoy", path=display(path))
