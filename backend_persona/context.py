"""The ``context`` command's library face: discover, focus, render, in one call."""

from __future__ import annotations

import os

from backend_persona.discover import discover_context
from backend_persona.render import to_json, to_markdown
from backend_persona.vocabulary import Focus, PromptFormat


def context_text(
    path: str | os.PathLike[str] = ".",
    *,
    output_format: PromptFormat = "markdown",
    focus: Focus | None = None,
    debug: bool = False,
) -> str:
    """Describe the project at ``path`` as the slash command injects it, or as JSON.

    Args:
        path: The project directory.
        output_format: ``markdown`` (capped, with the previous session) or ``json`` (complete).
        focus: Keep only this ecosystem's components, technologies and files.
        debug: Let a failing detector raise instead of becoming a note.

    Returns:
        The text to print, ending with a newline.

    Raises:
        UserError: ``path`` is not a directory.
    """
    found = discover_context(path, debug=debug)
    if focus:
        from backend_persona.focus import focus_context  # noqa: PLC0415

        found = focus_context(found, focus)
    if output_format == "json":
        return to_json(found) + "\n"
    from backend_persona.state.render import previous_session_sections  # noqa: PLC0415

    return to_markdown(found, extra=previous_session_sections(found.previous_session))
