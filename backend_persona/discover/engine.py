"""Join the walker, the detectors and the playbook into one `ProjectContext`.

Discovery builds plain records (`backend_persona.records`); the validated pydantic model
is made from them only for the library API and ``--format json`` (`discover_context`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Iterable, Iterator
from functools import partial
from typing import TYPE_CHECKING, Any, get_args

from backend_persona import __version__
from backend_persona.discover import catalog, detectors, keymatch
from backend_persona.discover.catalog import found
from backend_persona.discover.compatible import fold_compatible
from backend_persona.discover.components import build_components, owner_of
from backend_persona.discover.consensus import pinned_versions
from backend_persona.discover.evidence import release_sources
from backend_persona.discover.index import FileIndex
from backend_persona.discover.kinds import excluded_folders
from backend_persona.discover.languages import count_languages, summarize_tests
from backend_persona.discover.parallel import run_detectors
from backend_persona.discover.registry import Detector, Finding, Link
from backend_persona.discover.sighting import Sighting
from backend_persona.discover.walker import index_directory
from backend_persona.guidance import recommend
from backend_persona.records import (
    SCOPE_STRENGTH,
    Artifact,
    Category,
    Component,
    Dependency,
    ProjectContext,
    Technology,
    TestSummary,
)
from backend_persona.root import resolve_root
from backend_persona.safefs import printable

if TYPE_CHECKING:
    from backend_persona import models
    from backend_persona.cachefill import Observed

# The vocabulary's own order: what the code is built on first, how it ships last.
CATEGORY_ORDER: tuple[Category, ...] = get_args(Category)
# The detector of `file` rules: what it names, a file's name proves, not a declaration in it.
_MARKERS = "files"


def discover_context(path: str | os.PathLike[str] = ".", *,
                     debug: bool = False) -> models.ProjectContext:
    """Describe the project at ``path``: git state, languages, stack, components and files.

    Discovery reads the project and nothing else: the previous session is
    `backend_persona.context`'s to add.

    Args:
        path: A directory; it need not be a git repository.
        debug: Let a failing detector raise instead of turning it into a note.

    Returns:
        The validated project context. Problems with individual files become notes.

    Raises:
        UserError: ``path`` does not exist or is not a directory.
    """
    from backend_persona.models import validated  # noqa: PLC0415  (off the markdown path)

    return validated(discover(path, debug=debug))


def discover(path: str | os.PathLike[str] = ".", *, debug: bool = False,
             observed: Observed | None = None, helper: bool = False) -> ProjectContext:
    """`discover_context`'s answer as plain records, for the markdown and the cache.

    Args:
        path: A directory; it need not be a git repository.
        debug: Let a failing detector raise instead of turning it into a note.
        observed: Filled with what the answer depends on, for the warm path's cache.
        helper: Run some detectors in a forked helper process, on the other core: only
            for a caller that is its process's one thread (`discover.parallel`).

    Raises:
        UserError: ``path`` does not exist or is not a directory.
    """
    root = resolve_root(path)
    index, git_state = index_directory(root, observed)
    languages = count_languages(index)
    findings, presence, tests = _run_detectors(index, debug=debug, helper=helper)
    if observed is not None:
        observed.paths = index.paths
        observed.reads = index.read_paths()
    # One pass sorts the findings by kind: a large monorepo makes hundreds of thousands.
    found_components: list[Component] = []
    sightings: list[Sighting] = []
    found_artifacts: list[Artifact] = []
    links: list[Link] = []
    dependencies: list[Dependency] = []
    into: dict[type, list[Any]] = {Component: found_components, Sighting: sightings,
                                   Artifact: found_artifacts, Link: links,
                                   Dependency: dependencies}
    for finding in findings:
        into[type(finding)].append(finding)
    del findings
    owners = {f.path: f for f in found_components}
    # Folders where any manifest declares a workspace (a package.json's `workspaces`).
    workspaces = {f.path for f in found_components if f.workspace}
    # A component's stack is what it runs: a driver in its test extras is no datastore of
    # it, though another component's runtime use makes the merged technology runtime.
    runtime = fold_compatible(
        merge_technologies((s for s in sightings if s.scope == "runtime"), owners, workspaces)
    )
    artifacts = sorted(
        {(a.section, a.path, a.kind): a for a in found_artifacts}.values(),
        key=lambda a: (a.path, a.kind),
    )
    api_definitions = [a for a in artifacts if a.section == "api"]
    components = build_components(found_components, runtime, links, api_definitions, index,
                                  presence=presence, dependencies=dependencies)
    counted = _counted_paths(components)
    if not all(counted(f"{c.path}/.") for c in components):
        # Without what examples, generated code and tools prove: an example's version
        # never names the stack's.
        sightings = list(_counted_evidence(sightings, counted))
    technologies = fold_compatible(merge_technologies(sightings, owners, workspaces))
    ecosystems = {e for c in components if counted(f"{c.path}/.") for e in c.ecosystems}
    root_component = next((c for c in components if c.path == "."), None)
    return ProjectContext(
        tool_version=__version__,
        root=printable(str(root)),
        # An unnamed root manifest (a virtual Cargo workspace) is named after the directory.
        name=root_component.name if root_component else printable(root.name or str(root)),
        git=git_state,
        file_count=len(index.paths),
        languages=languages,
        technologies=technologies,
        components=components,
        api_definitions=api_definitions,
        migrations=[a for a in artifacts if a.section == "migration"],
        schema_files=[a for a in artifacts if a.section == "schema"],
        config_files=[a.path for a in artifacts if a.section == "config"],
        containers=[a for a in artifacts if a.section == "container"],
        infra=[a for a in artifacts if a.section == "infra"],
        # A generated client's own .travis.yml is not how this repository is built.
        ci=[a for a in artifacts if a.section == "ci" and counted(a.path)],
        tests=tests,
        guidance=recommend(ecosystems, (t.name for t in technologies if t.scope == "runtime")),
        notes=sorted(index.notes),
    )


def _counted_paths(components: list[Component]) -> Callable[[str], bool]:
    """Whether a path counts: it is not inside an example, generated or tooling component."""
    owners = {c.path: c for c in components}
    excluded = excluded_folders(components)
    return lambda path: owner_of(path, owners) not in excluded


def _counted_evidence(
    found: Iterable[Sighting], counted: Callable[[str], bool]
) -> Iterator[Sighting]:
    """Each sighting with only the evidence that ``counted`` keeps; none without any left."""
    for technology in found:
        kept = [e for e in technology.evidence if counted(e.path)]
        if len(kept) == len(technology.evidence):
            yield technology
        elif kept:
            yield technology.evolve(evidence=kept)


def _run_detectors(
    index: FileIndex, *, debug: bool, helper: bool = False,
) -> tuple[list[Finding], set[tuple[str, str]], TestSummary]:
    """Every detector's findings, the pairs a file's presence makes, and the test summary.

    The (technology, evidence) pairs come from file markers and artifact kinds;
    `build_components` keeps them out of the components' frameworks. With ``helper``, some
    detectors run in a forked helper process (`parallel.run_detectors`), and the test
    summary with them; the findings keep the detectors' order. Without, the summary comes
    first: from the paths alone, its per-folder tally of a large monorepo then never sits
    on top of the findings.
    """
    by_detector, tests = run_detectors(index, detectors.DETECTORS,
                                       partial(_run_one, debug=debug),
                                       partial(summarize_tests, index),
                                       helper=helper and not debug)
    findings: list[Finding] = []
    presence: set[tuple[str, str]] = set()
    for name, _ in detectors.DETECTORS:
        found = by_detector[name]
        if name == _MARKERS:
            presence.update(_citations(found))
        findings.extend(found)
    release_sources(index)
    by_kind = list(_artifact_technologies(findings))
    presence.update(_citations(by_kind))
    findings.extend(by_kind)
    return findings, presence, tests


def _run_one(index: FileIndex, name: str, detect: Detector, *, debug: bool) -> list[Finding]:
    """One detector's findings; a failing one keeps those it made, and a note says so."""
    found: list[Finding] = []
    try:
        found.extend(detect(index))
    except Exception as error:
        # One broken detector must not cost the user the whole context (and with
        # it the slash command); --debug shows the traceback.
        if debug:
            raise
        index.note(f"detector {name} failed ({type(error).__name__}); its findings are missing")
    return found


def _citations(findings: Iterable[Finding]) -> Iterator[tuple[str, str]]:
    for technology in findings:
        if isinstance(technology, Sighting):
            for evidence in technology.evidence:
                yield technology.name, evidence


def _artifact_technologies(findings: list[Finding]) -> Iterator[Sighting]:
    """What each artifact's kind stands for (``artifact`` rules), citing the artifact."""
    rules = catalog.source("artifact")
    for artifact in findings:
        if isinstance(artifact, Artifact):
            yield from found(keymatch.lookup(rules, artifact.kind), artifact.path)


def merge_technologies(
    found: Iterable[Sighting],
    components: dict[str, Component],
    workspaces: Collection[str] = (),
) -> list[Technology]:
    """Fold repeated sightings of a technology into one, with all of its evidence.

    The strongest scope wins (runtime over dev over test). Each component keeps the first
    version its files pin, in path order, and the technology's version is the most
    common of those (`pinned_versions`).

    Args:
        found: Every sighting, as detectors reported them.
        components: Components by folder, which own the sightings below them.
        workspaces: The folders of workspace roots, whose runtime pins their members follow.
    """
    by_name: dict[str, list[Sighting]] = {}
    for technology in found:
        by_name.setdefault(technology.name, []).append(technology)
    merged = []
    for name, sightings in by_name.items():
        sightings.sort(key=lambda t: (t.evidence[0], t.version or ""))
        versions, version = pinned_versions(sightings, components, workspaces)
        merged.append(Technology(
            name=name,
            category=sightings[0].category,
            version=version,
            versions=versions,
            scope=min((t.scope for t in sightings), key=SCOPE_STRENGTH.__getitem__),
            evidence=[e for t in _citing(sightings) for e in t.evidence],
        ))
    return sorted(merged, key=lambda t: (CATEGORY_ORDER.index(t.category), t.name.lower()))


def _citing(sightings: list[Sighting]) -> list[Sighting]:
    """The sightings a merged technology cites: the lines that name it, when there are any.

    Redis is cited at the redis gem's line, not at Sidekiq's, which only implies it; an
    implied sighting is kept when nothing names the technology, or when its scope is
    stronger than every direct one's (a runtime job queue beside a test-only client).
    """
    direct = [t for t in sightings if not t.implied]
    if not direct:
        return sightings
    strongest = min(SCOPE_STRENGTH[t.scope] for t in direct)
    return [t for t in sightings if not t.implied or SCOPE_STRENGTH[t.scope] < strongest]
