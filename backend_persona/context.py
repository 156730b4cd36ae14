"""The ``context`` command's library face: discovery, the previous session, focus, rendering.

Discovery reads the project and nothing else; this module is where the project's own
picture meets its session state, so that neither package has to import the other.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from backend_persona.discover.engine import discover
from backend_persona.records import Category, ProjectContext
from backend_persona.render import to_markdown
from backend_persona.root import resolve_root
from backend_persona.state.previous import previous_session
from backend_persona.vocabulary import Focus, PromptFormat

if TYPE_CHECKING:
    from backend_persona.cachefill import Observed

# What `state init` records of the stack, after the languages: what the code is built on.
_STACK_CATEGORIES: frozenset[Category] = frozenset({"framework", "data-access", "driver",
                                                    "datastore", "broker"})
_STACK_LANGUAGES = 3
_STACK_NAMES = 15


def context_text(
    path: str | os.PathLike[str] = ".",
    *,
    output_format: PromptFormat = "markdown",
    focus: Focus | None = None,
    debug: bool = False,
    observed: Observed | None = None,
    helper: bool = False,
) -> str:
    """Describe the project at ``path`` as the slash command injects it, or as JSON.

    Args:
        path: The project directory.
        output_format: ``markdown`` (capped, with the previous session) or ``json`` (complete).
        focus: Keep only this ecosystem's components, technologies and files.
        debug: Let a failing detector raise instead of becoming a note.
        observed: Filled with what the text depends on, for the warm path's cache.
        helper: Let discovery fork a helper process for some detectors: only for a caller
            that is its process's one thread (`backend_persona.discover.parallel`).

    Returns:
        The text to print, ending with a newline.

    Raises:
        UserError: ``path`` is not a directory.
    """
    root = resolve_root(path)
    if observed is not None:
        observed.root = str(root)
    found = _with_previous_session(
        discover(root, debug=debug, observed=observed, helper=helper), root)
    if focus:
        from backend_persona.focus import focus_context  # noqa: PLC0415

        found = focus_context(found, focus)
    if output_format == "json":
        # Only JSON pays for pydantic: the markdown is rendered from the records themselves.
        from backend_persona.models import validated  # noqa: PLC0415
        from backend_persona.render import to_json  # noqa: PLC0415

        return to_json(validated(found)) + "\n"
    from backend_persona.invocation import hint_invocation  # noqa: PLC0415
    from backend_persona.state.render import previous_session_sections  # noqa: PLC0415

    return to_markdown(found, extra=previous_session_sections(found.previous_session,
                                                              hint_invocation()))


def _with_previous_session(found: ProjectContext, root: Path) -> ProjectContext:
    """``found`` with the latest session of the project at ``root``, as a new context.

    ``root`` is passed rather than read back from ``found.root``, which is made printable
    and so may no longer name the directory. Broken state never costs the user the
    context: it comes back as notes, among discovery's own.
    """
    previous, notes = previous_session(root)
    return found.evolve(notes=sorted([*found.notes, *notes]), previous_session=previous)


def stack_summary(path: str | os.PathLike[str]) -> list[str]:
    """What ``state init`` records as the project's stack: languages, then what it runs on.

    Args:
        path: The project directory.

    Returns:
        Up to three languages, then the runtime frameworks, data access, datastores and
        brokers, at most fifteen names in all.

    Raises:
        UserError: ``path`` is not a directory.
    """
    found = discover(path)
    stack = [lang.name for lang in found.languages[:_STACK_LANGUAGES]]
    stack += [t.name for t in found.technologies
              if t.scope == "runtime" and t.category in _STACK_CATEGORIES]
    return stack[:_STACK_NAMES]
