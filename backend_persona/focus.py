"""A view of the project context focused on one ecosystem, for the stack-specific commands.

A focused view keeps the components of that ecosystem, the technologies and files they
own, and the shared files (at the root or outside any component) that every service
depends on, such as Compose files, API schemas and CI. Everything else is left out.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from backend_persona.guidance import recommend
from backend_persona.records import Artifact, Component, ProjectContext, Technology
from backend_persona.vocabulary import Focus

LABELS: dict[Focus, str] = {
    "go": "Go", "rust": "Rust", "java": "Java/JVM", "node": "Node.js", "python": "Python",
}

_A = TypeVar("_A", bound=Artifact)


def focus_context(context: ProjectContext, focus: Focus) -> ProjectContext:
    """Keep what matters to ``focus`` and say so in a note.

    Args:
        context: The whole project's context.
        focus: The ecosystem to keep.

    Returns:
        A context with only that ecosystem's components, their technologies and files,
        the shared files, and guidance for that ecosystem.
    """
    chosen = [c for c in context.components if focus in c.ecosystems]
    judge = _Judge(context.components, {c.path for c in chosen})
    used = {name for c in chosen for name in (*c.technologies, *c.frameworks,
                                              *c.datastores, *c.brokers)}
    technologies = [t for t in context.technologies if t.name in used or judge.any_kept(t)]
    runtime = [t.name for t in technologies if t.scope == "runtime"]
    return context.evolve(
        components=chosen,
        technologies=technologies,
        api_definitions=judge.artifacts(context.api_definitions),
        migrations=judge.artifacts(context.migrations),
        config_files=[p for p in context.config_files if judge.keeps(p)],
        containers=judge.artifacts(context.containers),
        infra=judge.artifacts(context.infra),
        ci=judge.artifacts(context.ci),
        guidance=recommend([focus], runtime),
        notes=[_headline(focus, len(chosen), len(context.components)), *context.notes],
    )


def _headline(focus: Focus, shown: int, total: int) -> str:
    label = LABELS[focus]
    if shown == 0:
        return (f"Focused on {label}: no {label} component in this repository; "
                "only shared files are shown.")
    return (f"Focused on {label}: {shown} of {total} component(s); other ecosystems are "
            "left out, shared files are kept.")


class _Judge:
    """Decides, path by path, whether a file belongs in the focused view."""

    def __init__(self, components: Iterable[Component], focused: set[str]) -> None:
        self._components = {c.path: c for c in components}
        self._focused = focused
        self._foreign_manifests = {
            m for c in self._components.values() if c.path not in focused for m in c.manifests
        }

    def keeps(self, path: str) -> bool:
        """A file is kept when a focused component owns it, or nobody but the root does."""
        owner = self._owner(path)
        if owner in self._focused:
            return True
        if path in self._foreign_manifests:
            return False
        return owner in (None, ".")

    def any_kept(self, technology: Technology) -> bool:
        return any(self.keeps(e.path) for e in technology.evidence)

    def artifacts(self, artifacts: Iterable[_A]) -> list[_A]:
        return [a for a in artifacts if self.keeps(a.path)]

    def _owner(self, path: str) -> str | None:
        folder = path.rpartition("/")[0] or "."
        while folder not in self._components:
            if folder == ".":
                return None
            folder = folder.rpartition("/")[0] or "."
        return folder
