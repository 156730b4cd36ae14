"""Delivery, CI and API-definition files name technologies, and never a component's frameworks.

Each row is a small tree, built as a real git repository, and the technology it must
report: its name, its category and the file it cites (once, whatever rule saw the file).
The file lists of the context (API definitions, containers, infra, CI) keep the file too.
"""

from __future__ import annotations

import pytest

from backend_persona.discover import discover_context
from backend_persona.evidence import Evidence
from backend_persona.models import Category, ProjectContext
from backend_persona.render import to_markdown
from tests.conftest import RepoFactory, Tree

K8S_DEPLOYMENT = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\n"
ISTIO_ROUTE = ("apiVersion: networking.istio.io/v1\nkind: VirtualService\n"
               "metadata:\n  name: api\n")
OPENAPI = "openapi: 3.1.0\ninfo:\n  title: Orders\n  version: 1.0.0\npaths: {}\n"
SWAGGER = '{\n  "swagger": "2.0",\n  "info": {"title": "Orders", "version": "1"}\n}\n'
ASYNCAPI = "asyncapi: 3.0.0\ninfo:\n  title: Order events\n  version: 1.0.0\n"
PROTO = 'syntax = "proto3";\npackage orders.v1;\nservice OrderService {\n}\n'
ENVOY = "static_resources:\n  listeners: []\n"
GO_MOD = "module example.com/orders\n\ngo 1.23\n\nrequire github.com/labstack/echo/v4 v4.12.0\n"

ROWS: list[tuple[str, Tree, str, Category, str]] = [
    ("kubernetes-manifest", {"deploy/k8s/api.yaml": K8S_DEPLOYMENT},
     "Kubernetes", "delivery", "deploy/k8s/api.yaml"),
    ("istio-manifest", {"mesh/route.yaml": ISTIO_ROUTE},
     "Kubernetes", "delivery", "mesh/route.yaml"),
    ("helm-chart", {"charts/api/Chart.yaml": "apiVersion: v2\nname: api\nversion: 0.1.0\n"},
     "Helm", "delivery", "charts/api/Chart.yaml"),
    ("helm-implies-kubernetes",
     {"charts/api/Chart.yaml": "apiVersion: v2\nname: api\nversion: 0.1.0\n"},
     "Kubernetes", "delivery", "charts/api/Chart.yaml"),
    ("kustomize", {"k8s/kustomization.yaml": "resources: []\n"},
     "Kustomize", "delivery", "k8s/kustomization.yaml"),
    ("terraform", {"infra/main.tf": 'terraform {\n  required_version = ">= 1.6"\n}\n'},
     "Terraform", "delivery", "infra/main.tf"),
    ("dockerfile", {"Dockerfile": "FROM alpine:3.20\n"}, "Docker", "delivery", "Dockerfile"),
    ("dockerfile-dot-suffix", {"Dockerfile.prod": "FROM alpine:3.20\n"},
     "Docker", "delivery", "Dockerfile.prod"),
    ("dockerfile-dot-prefix", {"docker/api.Dockerfile": "FROM alpine:3.20\n"},
     "Docker", "delivery", "docker/api.Dockerfile"),
    ("containerfile", {"Containerfile": "FROM alpine:3.20\n"},
     "Docker", "delivery", "Containerfile"),
    ("compose", {"compose.yaml": "services:\n  app:\n    build: .\n"},
     "Docker Compose", "delivery", "compose.yaml"),
    ("compose-variant", {"compose.prod.yml": "services:\n  app:\n    build: .\n"},
     "Docker Compose", "delivery", "compose.prod.yml"),
    ("envoy", {"edge/envoy.yaml": ENVOY}, "Envoy", "server", "edge/envoy.yaml"),
    ("openapi", {"api/orders.yaml": OPENAPI}, "OpenAPI", "api", "api/orders.yaml"),
    ("swagger", {"docs/swagger.json": SWAGGER}, "OpenAPI", "api", "docs/swagger.json"),
    ("protobuf", {"proto/orders/v1/orders.proto": PROTO},
     "Protocol Buffers", "api", "proto/orders/v1/orders.proto"),
    ("graphql", {"schema/schema.graphql": "type Query {\n  ping: String\n}\n"},
     "GraphQL", "api", "schema/schema.graphql"),
    ("asyncapi", {"events/orders.yaml": ASYNCAPI}, "AsyncAPI", "api", "events/orders.yaml"),
    ("avro", {"schemas/order.avsc": '{"type": "record", "name": "Order", "fields": []}\n'},
     "Avro", "api", "schemas/order.avsc"),
    ("buf", {"buf.yaml": "version: v2\n"}, "buf", "build", "buf.yaml"),
    ("github-actions", {".github/workflows/ci.yml": "on: push\njobs: {}\n"},
     "GitHub Actions", "ci", ".github/workflows/ci.yml"),
    ("jenkins", {"Jenkinsfile": "pipeline {}\n"}, "Jenkins", "ci", "Jenkinsfile"),
    ("travis", {".travis.yml": "language: go\n"}, "Travis CI", "ci", ".travis.yml"),
]


def _listed(context: ProjectContext) -> set[str]:
    lists = (context.api_definitions, context.containers, context.infra, context.ci)
    return {artifact.path for artifacts in lists for artifact in artifacts}


@pytest.mark.parametrize(("files", "name", "category", "path"),
                         [row[1:] for row in ROWS], ids=[row[0] for row in ROWS])
def test_a_delivery_ci_or_api_file_names_its_technology(
    make_project: RepoFactory, files: Tree, name: str, category: Category, path: str
) -> None:
    context = discover_context(make_project(files), debug=True)
    found = {t.name: t for t in context.technologies}
    assert name in found, sorted(found)
    assert found[name].category == category
    # A file marker and an artifact rule may both see the file: it is cited once.
    assert found[name].evidence.count(Evidence(path)) == 1, found[name].evidence
    assert path in _listed(context)


def test_every_listed_file_is_evidence_of_a_technology(make_project: RepoFactory) -> None:
    files = {path: text for _, tree, _, _, _ in ROWS for path, text in tree.items()}
    context = discover_context(make_project(files), debug=True)
    cited = {e for t in context.technologies for e in t.evidence}
    assert _listed(context) - cited == set()


def test_definitions_and_markers_are_no_component_framework(make_project: RepoFactory) -> None:
    root = make_project({
        "services/orders/go.mod": GO_MOD,
        "services/orders/main.go": "package main\n",
        "services/orders/Dockerfile": "FROM golang:1.23\n",
        "services/orders/buf.yaml": "version: v2\n",
        "services/orders/api/openapi.yaml": OPENAPI,
        "services/orders/proto/orders.proto": PROTO,
    })
    context = discover_context(root, debug=True)
    orders = next(c for c in context.components if c.path == "services/orders")
    assert orders.frameworks == ["Echo"]
    # They are still the component's technologies, and the project's; buf, a build tool,
    # is the project's at dev scope.
    assert {"Docker", "OpenAPI", "Protocol Buffers"} <= set(orders.technologies)
    assert {t.name: t.scope for t in context.technologies}["buf"] == "dev"
    row = next(line for line in to_markdown(context).splitlines()
               if line.startswith("| `services/orders` |"))
    frameworks = row.split(" | ")[3]
    assert frameworks == "Echo", row


def test_a_declared_api_library_is_an_api_of_the_component(make_project: RepoFactory) -> None:
    # API styles say how a component is spoken to: the APIs column, not the Frameworks one.
    root = make_project({
        "go.mod": GO_MOD.replace("require github.com/labstack/echo/v4 v4.12.0",
                                 "require google.golang.org/grpc v1.64.0"),
        "proto/orders.proto": PROTO,
        "buf.yaml": "version: v2\n",
    })
    component = discover_context(root, debug=True).components[0]
    assert component.frameworks == []
    # The declared style first, then the definitions (which alone name no style).
    assert component.apis == ["gRPC", "buf: buf.yaml", "protobuf: services: OrderService"]
