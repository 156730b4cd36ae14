"""Render a project context as compact markdown (for the prompt) or JSON (for tools).

The markdown is rendered from discovery's records (`backend_persona.records`), the JSON
from the validated model (`backend_persona.models`).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING

from backend_persona.discover.components import ecosystem_language
from backend_persona.discover.consensus import RANGE, below
from backend_persona.guidance import basis
from backend_persona.markdown import code, more, scrub, text
from backend_persona.records import COUNTED_KINDS, Artifact, Component, ProjectContext, Technology

if TYPE_CHECKING:
    from backend_persona import models

    # The markdown reads only fields that the records and the models share: discovery's
    # records on the command's path, a library caller's validated model as well.
    AnyContext = ProjectContext | models.ProjectContext
    AnyTechnology = Technology | models.Technology
    AnyComponent = Component | models.Component
    AnyArtifact = Artifact | models.Artifact

MAX_MARKDOWN_CHARS = 6000
_LIST_LIMITS = (12, 8, 5, 3, 2, 1)


def to_json(context: models.ProjectContext) -> str:
    """The full context as indented JSON, every list complete, every string scrubbed."""
    return json.dumps(_scrubbed(context.model_dump(mode="json")), indent=2, ensure_ascii=False)


def _scrubbed(data: object) -> object:
    # Each string is scrubbed as data, keys too: a pattern run over the serialised text
    # could swallow a quote or a comma and break the JSON.
    if isinstance(data, str):
        return scrub(data)
    if isinstance(data, dict):
        return {scrub(key): _scrubbed(value) for key, value in data.items()}
    if isinstance(data, list):
        return [_scrubbed(item) for item in data]
    return data


def to_markdown(context: AnyContext, *, extra: Sequence[str] = ()) -> str:
    """The context as markdown of at most `MAX_MARKDOWN_CHARS`, cutting lists before sections.

    Args:
        context: What discovery found.
        extra: Further markdown sections to append (each already rendered), such as the
            previous session; they share the same size budget.

    Returns:
        Markdown text, identical for identical input.
    """
    for limit in _LIST_LIMITS:
        rendered = _render(context, limit, extra)
        if len(rendered) <= MAX_MARKDOWN_CHARS:
            return rendered
    cut = rendered[: MAX_MARKDOWN_CHARS - 40].rpartition("\n")[0]
    return cut + "\n\n_(context cut to fit the size cap)_\n"


def _render(context: AnyContext, limit: int, extra: Sequence[str]) -> str:
    sections = [
        _header(context, limit),
        _stack(context, limit),
        _components(context, limit),
        _files(context, limit),
        _guidance(context),
        _notes(context, limit),
        *extra,
    ]
    return "\n\n".join(s for s in sections if s) + "\n"


def _header(context: AnyContext, limit: int) -> str:
    git = context.git
    git_line = text(git.summary)
    if git.last_commit:
        commit = git.last_commit
        git_line += (f" · last commit {code(commit.short)} {text(commit.date[:10])} "
                     f"\"{text(commit.subject, 72)}\"")
    if git.uncommitted is not None:
        git_line += f" · {git.uncommitted} uncommitted change(s)"
    languages = ", ".join(f"{text(lang.name)} {lang.files:,}" for lang in context.languages[:limit])
    lines = [
        f"## Project context: {text(context.name)}",
        f"_backend-persona {context.tool_version}: file names, manifests and git metadata only; "
        "no file contents or secret values._",
        "",
        f"- **Root:** {code(context.root)}",
        f"- **Git:** {git_line}",
        f"- **Files:** {context.file_count:,} · **Languages:** "
        f"{languages or 'none detected'}{more(limit, len(context.languages))}",
    ]
    return "\n".join(lines)


def _stack(context: AnyContext, limit: int) -> str:
    rows = context.technologies
    if not rows:
        return "### Stack\nNo frameworks, datastores or tools detected from manifests."
    workspaces = {c.path for c in context.components if c.workspace}
    by_category: dict[str, list[AnyTechnology]] = defaultdict(list)
    for tech in rows:
        by_category[tech.category].append(tech)
    lines = ["### Stack", "| Technology | Category | Version | Scope | Evidence |",
             "|---|---|---|---|---|"]
    # Technologies arrive sorted by category: each category keeps its first `limit`, so
    # that a long list of one kind never pushes every other kind out of the prompt.
    for category, techs in by_category.items():
        for tech in techs[:limit]:
            evidence = ", ".join(code(e) for e in tech.evidence[:2]) + more(2, len(tech.evidence))
            lines.append(f"| {text(tech.name)} | {category} | {_version(tech, workspaces)} "
                         f"| {tech.scope} | {evidence} |")
        if len(techs) > limit:
            lines.append(f"| _+{len(techs) - limit} more_ | {category} | | | |")
    hidden = sum(max(len(t) - limit, 0) for t in by_category.values())
    if hidden:
        lines.append(f"\n_+{hidden} more technologies in `--format json`._")
    return "\n".join(lines)


def _version(tech: AnyTechnology, workspaces: set[str]) -> str:
    """The stack's version of ``tech``, said to be a range or the most common if components differ.

    A runtime's version that a workspace root pins for every component that pins one
    (`consensus.pinned_versions`) is said to be the workspace root's. Which component pins
    which is in `--format json` (``versions``); the prompt gets one short cell.
    """
    if tech.version is None:
        return ""
    # A constraint's pipes (`^7.0 || ^8.0`) are escaped for the table, not replaced: the
    # version grammar holds no backslash, so no escape can be undone.
    shown = "\\|".join(text(part) for part in tech.version.split("|"))
    if RANGE in tech.version:
        return f"{shown} (range)"
    if len(set(tech.versions.values())) <= 1:
        return shown
    root = next((path for path, version in tech.versions.items()
                 if path in workspaces and version == tech.version
                 and all(below(other, path) for other in tech.versions)), None)
    return shown + (" (workspace root)" if tech.category == "runtime" and root else
                    " (most common)")



def _components(context: AnyContext, limit: int) -> str:
    counted = [c for c in context.components if c.kind in COUNTED_KINDS]
    aside = _aside(context.components)
    if not counted:
        return f"### Services and components\n{aside}" if aside else ""
    rows = counted[:limit]
    lines = [f"### Services and components ({len(counted)})",
             "| Path | Name | Language | Frameworks | Datastores and brokers | APIs | Other deps |",
             "|---|---|---|---|---|---|---|"]
    others = 0
    for component in rows:
        name = text(component.name) + (" (workspace)" if component.workspace else "")
        language = text(component.language
                        or ", ".join(ecosystem_language(e) for e in component.ecosystems))
        other = _other_dependencies(component)
        others += other
        lines.append(
            f"| {code(component.path)} | {name} | {language} "
            f"| {_few(component.frameworks)} | {_few(component.datastores + component.brokers)} "
            f"| {_few(component.apis, 3)} | {other} |"
        )
    if others:
        lines.append("\n_Other deps: direct dependencies that name no known technology; "
                     "`--format json` lists every dependency._")
    if len(counted) > len(rows):
        lines.append(f"\n_+{len(counted) - len(rows)} more components in `--format json`._")
    if aside:
        lines.append(f"\n{aside}")
    return "\n".join(lines)


def _aside(components: Sequence[AnyComponent]) -> str:
    """One line counting the examples, generated code, fixtures, docs and tooling left out."""
    kinds = Counter(c.kind for c in components if c.kind not in COUNTED_KINDS)
    if not kinds:
        return ""
    counts = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items()))
    return f"_Also {counts} component(s), not counted in the stack._"


def _other_dependencies(component: AnyComponent) -> int:
    """How many dependencies of ``component`` the catalog does not know, each name once."""
    return len({d.name for d in component.dependencies if not d.technologies})


def _few(items: Sequence[str], limit: int = 5) -> str:
    return (", ".join(text(i, 60) for i in items[:limit]) + more(limit, len(items))) or "-"


def _files(context: AnyContext, limit: int) -> str:
    lines = ["### APIs, data and delivery"]
    groups: list[tuple[str, Sequence[AnyArtifact]]] = [
        ("API definitions", context.api_definitions),
        ("Migrations", context.migrations),
        ("Containers", context.containers),
        ("Infra", context.infra),
        ("CI", context.ci),
    ]
    # What the project has none of shares one line: a line each would cost the prompt.
    missing: list[str] = []
    for title, artifacts in groups:
        summary = _artifact_summary(artifacts, limit)
        if summary:
            lines.append(f"- **{title}:** {summary}")
        else:
            missing.append(title)
        if title == "Migrations" and context.schema_files:
            # Most projects have none, and need no word about it.
            lines.append("- **Schema files (no migration tool runs them):** "
                         + _artifact_summary(context.schema_files, limit))
    configs = context.config_files
    config_list = ", ".join(code(c) for c in configs[:limit]) + more(limit, len(configs))
    if config_list:
        lines.append(f"- **Config files (names only):** {config_list}")
    else:
        missing.append("Config files")
    if missing:
        lines.append(f"- **None found:** {', '.join(missing)}")
    tests = context.tests
    test_dirs = ", ".join(code(d) for d in tests.directories[:limit])
    test_dirs += more(limit, len(tests.directories))
    where = f" in {test_dirs}" if test_dirs else ""
    lines.append(f"- **Tests:** {tests.files:,} file(s){where}")
    return "\n".join(lines)


def _artifact_summary(artifacts: Sequence[AnyArtifact], limit: int) -> str:
    grouped: dict[tuple[str, str], list[AnyArtifact]] = defaultdict(list)
    for artifact in artifacts:
        folder = artifact.path.rpartition("/")[0] or "."
        grouped[(folder, artifact.kind)].append(artifact)
    entries = []
    # Only the shown groups are rendered: scrubbing every path of a big repository would
    # cost more than the rest of the markdown.
    for (folder, kind), members in list(grouped.items())[:limit]:
        if len(members) == 1:
            only = members[0]
            detail = f"; {text(only.detail, 60)}" if only.detail else ""
            entries.append(f"{code(only.path)} ({text(kind)}{detail})")
        else:
            entries.append(f"{code(folder + '/')} ({len(members)} {text(kind)} files)")
    return ", ".join(entries) + more(limit, len(grouped))


def _guidance(context: AnyContext) -> str:
    if not context.guidance:
        return ""
    lines = ["### Stack guidance"]
    lines += [f"- **{text(g.topic)}** ({text(basis(g))}): {g.advice}" for g in context.guidance]
    return "\n".join(lines)


def _notes(context: AnyContext, limit: int) -> str:
    if not context.notes:
        return ""
    lines = ["### Notes"] + [f"- {text(n, 200)}" for n in context.notes[:limit]]
    if len(context.notes) > limit:
        lines.append(f"- +{len(context.notes) - limit} more notes in `--format json`")
    return "\n".join(lines)
