"""Deployment: Kubernetes, Istio, Envoy, Kustomize, Helm, Terraform and Skaffold."""

from __future__ import annotations

import re
from collections.abc import Iterator

from backend_persona.discover.detectors.containers import is_compose_file
from backend_persona.discover.index import FileIndex
from backend_persona.discover.registry import Finding
from backend_persona.discover.sniff import yaml_or_json_kind
from backend_persona.records import Artifact
from backend_persona.safefs import printable

_NAMED = {
    "Chart.yaml": "helm",
    "kustomization.yaml": "kustomize",
    "kustomization.yml": "kustomize",
    "skaffold.yaml": "skaffold",
    "skaffold.yml": "skaffold",
}
# `apiVersion: v1`, `apps/v1`, `batch/v1`, `networking.k8s.io/v1`...: Kubernetes' own groups.
_API_VERSION = re.compile(r"""^apiVersion\s*:\s*["']?([^\s"'#]+)""", re.MULTILINE)
_BUILT_IN_GROUPS = frozenset({"apps", "batch", "autoscaling", "policy", "extensions"})
# Custom resources of projects that run only on a cluster (Istio, Knative, Argo, Flux...).
_CLUSTER_GROUPS = (".k8s.io", "istio.io", "knative.dev", "argoproj.io", "fluxcd.io",
                   "cert-manager.io", "coreos.com", "openshift.io", "tekton.dev", "strimzi.io",
                   "keda.sh", "cilium.io", "kyverno.io", "crossplane.io", "cnpg.io")
# Manifests that tests read (a ConfigMap a watcher's integration test applies) deploy nothing.
_FIXTURE = re.compile(r"(^|/)(testdata|fixtures|__fixtures__|integrationtest|test-fixtures)/")
# Manifests of the platforms that run on a cluster, by the API group they use.
_PLATFORMS = (("istio.io/", "istio"), ("knative.dev/", "knative"), ("openshift.io/", "openshift"))
# The core group (`apiVersion: v1`) is borrowed too (`kind: Plugin`): its own kinds only.
_KIND = re.compile(r"""^kind\s*:\s*["']?(\w+)""", re.MULTILINE)
_CORE_KINDS = frozenset({
    "Pod", "Service", "ConfigMap", "Secret", "Namespace", "ServiceAccount", "Endpoints",
    "PersistentVolume", "PersistentVolumeClaim", "LimitRange", "ResourceQuota",
    "ReplicationController", "List",
})


def detect(index: FileIndex) -> Iterator[Finding]:
    """Infrastructure definitions, by name and, for Kubernetes manifests, by content."""
    for name, kind in _NAMED.items():
        for path in index.named(name):
            yield Artifact(section="infra", kind=kind, path=printable(path))
    for path in index.with_suffix(".tf"):
        yield Artifact(section="infra", kind="terraform", path=printable(path))
    # A custom resource alone is not Kubernetes: Backstage's `catalog-info.yaml` and Halo's
    # extensions borrow `apiVersion`/`kind` for files no cluster reads. One manifest of a
    # built-in group (a Deployment, a ConfigMap) or of a cluster-only project (an Istio
    # VirtualService) says the others are for a cluster too.
    manifests: list[tuple[str, str]] = []
    built_in = False
    for path in index.with_suffix(".yaml", ".yml"):
        name = path.rpartition("/")[2]
        if (name in _NAMED or is_compose_file(name) or "/templates/" in f"/{path}"
                or _FIXTURE.search(path)):
            continue
        if yaml_or_json_kind(index, path) == "kubernetes":
            head = index.read_head(path) or ""
            kind = next((k for marker, k in _PLATFORMS if marker in head), "kubernetes")
            manifests.append((kind, path))
            built_in = built_in or _built_in(head)
        elif name.startswith("envoy") or "static_resources:" in (index.read_head(path) or ""):
            yield Artifact(section="infra", kind="envoy", path=printable(path))
    if built_in:
        for kind, path in manifests:
            yield Artifact(section="infra", kind=kind, path=printable(path))


def _built_in(head: str) -> bool:
    """Whether a manifest declares a resource of one of Kubernetes' own API groups."""
    for version in _API_VERSION.findall(head):
        group = version.rpartition("/")[0]
        if group in _BUILT_IN_GROUPS or group.endswith(_CLUSTER_GROUPS):
            return True
    return "v1" in _API_VERSION.findall(head) and bool(_CORE_KINDS & set(_KIND.findall(head)))
