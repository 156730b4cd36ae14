"""Continuous integration: GitHub Actions, GitLab CI, Jenkins, CircleCI, Azure Pipelines..."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import Any

from backend_persona.discover import catalog
from backend_persona.discover.evidence import source
from backend_persona.discover.images import image_technologies
from backend_persona.discover.index import FileIndex
from backend_persona.discover.perfile import per_file
from backend_persona.discover.registry import Finding
from backend_persona.discover.yamlload import load_documents
from backend_persona.records import Artifact
from backend_persona.safefs import printable

_NAMED = {
    ".gitlab-ci.yml": "gitlab-ci",
    "Jenkinsfile": "jenkins",
    "azure-pipelines.yml": "azure-pipelines",
    "azure-pipelines.yaml": "azure-pipelines",
    "bitbucket-pipelines.yml": "bitbucket-pipelines",
}
# Read only at the repository's root: one deeper down is a generated client's template
# (openapi-generator writes a `.travis.yml` into every SDK it makes), not a pipeline.
_ROOT_ONLY = {".travis.yml": "travis-ci"}


def detect(index: FileIndex) -> Iterator[Finding]:
    """CI pipeline definitions."""
    for name, kind in _NAMED.items():
        for path in index.named(name):
            yield Artifact(section="ci", kind=kind, path=printable(path))
    for name, kind in _ROOT_ONLY.items():
        if index.has(name):
            yield Artifact(section="ci", kind=kind, path=printable(name))
    for path in index.with_suffix(".yml", ".yaml"):
        if path.startswith(".github/workflows/") and path.endswith((".yml", ".yaml")):
            yield Artifact(section="ci", kind="github-actions", path=printable(path))
            yield from per_file(index, path, _workflow_technologies, index, path)
        elif path in (".circleci/config.yml", ".circleci/config.yaml"):
            yield Artifact(section="ci", kind="circleci", path=printable(path))
        elif path.startswith(".buildkite/") and path.endswith((".yml", ".yaml")):
            yield Artifact(section="ci", kind="buildkite", path=printable(path))


def _workflow_technologies(index: FileIndex, path: str) -> Iterator[Finding]:
    """The images a workflow's jobs run in and beside, and the actions its steps use.

    A job's service containers (`container:`, `services:`) are the databases and brokers its
    tests talk to; a step's action (`uses: aws-actions/amazon-ecr-login@v2`) is a tool or
    service the pipeline works with.
    """
    cited = source(index, path)
    for document in load_documents(index, path) or []:
        jobs = document.get("jobs") if isinstance(document, dict) else None
        for job in jobs.values() if isinstance(jobs, dict) else ():
            if not isinstance(job, dict):
                continue
            services = job.get("services")
            containers: list[Any] = [job.get("container")]
            containers += list(services.values()) if isinstance(services, dict) else []
            for container in containers:
                image = container.get("image") if isinstance(container, dict) else container
                if isinstance(image, str) and "${{" not in image:
                    yield from image_technologies(image, partial(cited.cite, image))
            steps = job.get("steps")
            for step in steps if isinstance(steps, list) else ():
                uses = step.get("uses") if isinstance(step, dict) else None
                if isinstance(uses, str):
                    action = uses.partition("@")[0]
                    yield from catalog.technologies("action", action, partial(cited.cite, uses))
