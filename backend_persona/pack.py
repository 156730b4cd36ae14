"""The command pack: shipped command and agent templates, rendered for one invocation.

The templates in ``resources/commands`` and ``resources/agents`` are the single source:
installed, they are ``commands/NAME.md`` and ``agents/NAME.md``; in the plugin each command
is a skill, ``skills/NAME/SKILL.md``. ``{{bp}}`` stands for the command that runs this
package, ``{{version}}`` for its version, ``{{stamp}}`` for the line that says where a
rendered file came from and ``{{ns}}`` for the prefix Claude Code gives the pack's
subagents and commands: ``backend-persona:`` in the plugin, nothing when installed into a
project or user folder.
"""

from __future__ import annotations

import json
import os
import re
from importlib import resources
from pathlib import Path
from typing import Literal, get_args

from pydantic import Field

from backend_persona import __version__
from backend_persona.errors import UserError
from backend_persona.invocation import PLUGIN_INVOCATION
from backend_persona.modelbase import Model
from backend_persona.safefs import write_atomic
from backend_persona.vocabulary import InstallScope, NoteTopic

PLUGIN_NAME = "backend-persona"
PLUGIN_NAMESPACE = f"{PLUGIN_NAME}:"
PLUGIN_DESCRIPTION = (
    "The /agent-persona-backend-specialist command pack: a backend specialist persona grounded "
    "in the repository's real stack, with Go, Rust and Java context loaders and five subagents."
)
KINDS = ("commands", "agents")
# The plugin lives in its own folder, so that a marketplace added from a local checkout
# copies the plugin's files and not the checkout's .venv or caches.
PLUGIN_DIR = "plugin"
LAUNCHER = f"{PLUGIN_DIR}/bin/backend-persona"
# The launcher pip-installs the package from the plugin folder; these links make the
# checkout's package that folder's. Claude Code copies a plugin with its links resolved.
PLUGIN_LINKS = {f"{PLUGIN_DIR}/{name}": f"../{name}"
                for name in ("backend_persona", "pyproject.toml", "README.md")}
NOTES: tuple[NoteTopic, ...] = get_args(NoteTopic)
# An invocation goes into a `!` line and into a permission rule that must match it
# character for character, so it may hold no quoting, spaces in paths or shell syntax.
_PLAIN_INVOCATION = re.compile(r"[A-Za-z0-9_./+@%:=,-]+( -P -m backend_persona)?")
_PLACEHOLDER = re.compile(r"\{\{\s*\w+\s*\}\}")
# A template's `!` line that runs this package.
_BANG_LINE = re.compile(r"!`(\{\{bp\}\} [^`\n]*)`")


def template_paths() -> list[str]:
    """Relative paths of every shipped template, such as ``commands/NAME.md``."""
    base = resources.files("backend_persona").joinpath("resources")
    return sorted(
        f"{kind}/{entry.name}"
        for kind in KINDS
        for entry in base.joinpath(kind).iterdir()
        if entry.name.endswith(".md")
    )


def template(path: str) -> str:
    """The raw text of one shipped template, by its relative path."""
    return resources.files("backend_persona").joinpath("resources", path).read_text("utf-8")


# The launcher has printed why on stderr, which Claude Code shows when the line exits 0.
PLUGIN_REPAIR = "backend-persona: the plugin could not start, the line above says what to install"


def repair_line(invocation: str, scope: InstallScope) -> str:
    """What an installed `!` line echoes when ``invocation`` did not run: plain words only."""
    return (f"backend-persona: {invocation} did not run. If its checkout moved or make clean "
            f"ran there, run make run in the checkout, then .venv/bin/backend-persona install "
            f"--scope {scope} again")


def render(text: str, invocation: str, stamp: str, namespace: str = "",
           repair: str | None = None) -> str:
    """Fill a template's placeholders.

    Args:
        text: Template text.
        invocation: The command that runs this package, such as ``backend-persona``.
        stamp: The provenance line for the frontmatter.
        namespace: What comes before a subagent's or command's name: `PLUGIN_NAMESPACE`
            for the plugin, nothing for an install.
        repair: When given, each `!` line that runs the package echoes it if the package
            did not run (`commandlint.split_fallback`), so the user sees why.

    Returns:
        The rendered text.

    Raises:
        UserError: ``invocation`` could not appear verbatim in a `!` line.
    """
    if not _PLAIN_INVOCATION.fullmatch(invocation):
        raise UserError(f"cannot use {invocation!r} in a command file: the path must not hold "
                        "spaces or shell characters",
                        hint="install from a venv at a plain path, or use the plugin")
    if repair is not None:
        text = _BANG_LINE.sub(lambda m: f"!`{m.group(1)} || echo {repair}`", text)
    filled = (text.replace("{{bp}}", invocation).replace("{{version}}", __version__)
              .replace("{{stamp}}", stamp).replace("{{ns}}", namespace))
    leftover = _PLACEHOLDER.search(filled)
    if leftover:
        raise ValueError(f"unknown template placeholder {leftover.group()}")
    return filled


def install_stamp() -> str:
    """The provenance line of files that ``backend-persona install`` writes."""
    return (f"Generated by backend-persona {__version__}; `backend-persona install` manages this "
            "file and keeps a backup if you change it.")


def plugin_stamp() -> str:
    """The provenance line of the plugin layout in the repository."""
    return (f"Generated by backend-persona {__version__} from backend_persona/resources; run "
            "`backend-persona sync-plugin` instead of editing.")


def render_pack(invocation: str, stamp: str, namespace: str = "",
                repair: str | None = None) -> dict[str, str]:
    """Every command and agent file, rendered, by relative path (see `render`).

    ``repair`` is `repair_line` for the files ``install`` writes and `PLUGIN_REPAIR` for
    the plugin.
    """
    return {path: render(template(path), invocation, stamp, namespace, repair)
            for path in template_paths()}


def notes(topic: str) -> str:
    """The shipped offline reference notes for ``topic`` (one of `NOTES`)."""
    if topic not in NOTES:
        raise UserError(f"no notes for {topic!r}", hint=f"choose one of {', '.join(NOTES)}")
    return resources.files("backend_persona").joinpath("resources", "notes", f"{topic}.md") \
        .read_text("utf-8")


def plugin_path(path: str) -> str:
    """Where a template's rendered file goes in the plugin folder.

    A command becomes a skill: Claude Code merged commands into skills, and a plugin with
    both under one name shows only the command, so the plugin ships the skills alone.
    """
    kind, name = path.split("/", 1)
    if kind == "commands":
        return f"{PLUGIN_DIR}/skills/{name.removesuffix('.md')}/SKILL.md"
    return f"{PLUGIN_DIR}/{path}"


def plugin_layout() -> dict[str, str]:
    """The repository's generated pack files.

    The plugin (skills, agents, the launcher and the two manifests) and, at the top level,
    ``commands/``: the command files as a project install has them, calling
    ``backend-persona`` from ``PATH``, for reading and for copying by hand.
    """
    stamp = plugin_stamp()
    files = {plugin_path(path): text for path, text in
             render_pack(PLUGIN_INVOCATION, stamp, PLUGIN_NAMESPACE, PLUGIN_REPAIR).items()}
    files |= {path: render(template(path), PLUGIN_INVOCATION, stamp)
              for path in template_paths() if path.startswith("commands/")}
    files[LAUNCHER] = render(template("plugin/launcher.sh"), PLUGIN_INVOCATION, stamp)
    author = {"name": "backend-persona maintainers"}
    files[f"{PLUGIN_DIR}/.claude-plugin/plugin.json"] = _json({
        "name": PLUGIN_NAME, "version": __version__, "description": PLUGIN_DESCRIPTION,
        "author": author, "license": "MIT",
    })
    files[".claude-plugin/marketplace.json"] = _json({
        "name": PLUGIN_NAME, "owner": author,
        "plugins": [{"name": PLUGIN_NAME, "source": f"./{PLUGIN_DIR}",
                     "description": PLUGIN_DESCRIPTION, "version": __version__}],
    })
    return files


def _json(value: object) -> str:
    return json.dumps(value, indent=2) + "\n"


class SyncReport(Model):
    """What differs between the repository's plugin files and the package templates."""

    root: str
    check: bool
    changed: list[str] = Field(default_factory=list)
    extra: list[str] = Field(default_factory=list)
    action: Literal["checked", "written"]


def sync_plugin(root: Path, *, check: bool = False) -> SyncReport:
    """Regenerate (or, with ``check``, compare) the plugin layout under ``root``.

    Args:
        root: The repository root: it holds ``.claude-plugin/marketplace.json`` and the
            plugin folder, ``plugin/``.
        check: Only report differences; write nothing.

    Returns:
        The files and links that differed (and were rewritten unless ``check``), and the
        agent and skill files in the plugin folder that no template produces.
    """
    expected = plugin_layout()
    changed = []
    for relative, text in expected.items():
        target = root / relative
        mode = 0o755 if relative == LAUNCHER else 0o644
        if (not target.is_file() or target.is_symlink() or target.read_text("utf-8") != text
                or (target.stat().st_mode & 0o111 != 0) != (mode == 0o755)):
            changed.append(relative)
            if not check:
                target.parent.mkdir(parents=True, exist_ok=True)
                write_atomic(target, text, mode=mode)
    for relative, link in PLUGIN_LINKS.items():
        target = root / relative
        if not target.is_symlink() or os.readlink(target) != link:
            changed.append(relative)
            if not check:
                if target.is_symlink():
                    target.unlink()
                target.parent.mkdir(parents=True, exist_ok=True)
                target.symlink_to(link)
    plugin = root / PLUGIN_DIR
    found = [*plugin.glob("agents/*.md"), *plugin.glob("skills/*/SKILL.md"),
             *plugin.glob("commands/*.md"), *root.glob("commands/*.md")]
    extra = sorted(rel for rel in (p.relative_to(root).as_posix() for p in found)
                   if rel not in expected)
    return SyncReport(root=str(root), check=check, changed=changed, extra=extra,
                      action="checked" if check else "written")
