"""Check an installed command pack against the package, and prove its `!` lines run.

The installed files and the manifest may come with a checkout, so nothing in them is
run as it stands: the expected files are rendered with the invocation of this
installation, and only a command file equal to that rendering has its `!` lines run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import Field

from backend_persona.commandlint import lint_text, split_fallback
from backend_persona.errors import UserError
from backend_persona.expand import expand_text
from backend_persona.install import checked_config_dir, config_dir
from backend_persona.invocation import hint_invocation, resolve_invocation
from backend_persona.manifest import Manifest, first_link, read_manifest
from backend_persona.modelbase import Model
from backend_persona.pack import install_stamp, render_pack, repair_line
from backend_persona.safefs import read_bytes, sha256
from backend_persona.vocabulary import InstallScope


class Check(Model):
    """One thing the doctor looked at."""

    name: str
    ok: bool
    detail: str


def _all_passed(report: dict[str, Any]) -> bool:
    """True when every check passed."""
    return all(c.ok for c in report["checks"])


class DoctorReport(Model):
    """Every check, in the order they ran."""

    scope: InstallScope
    base: str
    checks: list[Check] = Field(default_factory=list)
    # A field derived from the checks, so that the report reads its own JSON back.
    ok: bool = Field(default_factory=_all_passed)


def doctor(scope: InstallScope, *, project: Path | None = None) -> DoctorReport:
    """Compare the installed files with the package and run each command's `!` lines.

    Args:
        scope: The install to check.
        project: The project root: where ``project`` scope is installed, and where the
            `!` lines run, as Claude Code runs them. The current folder by default.

    Returns:
        The checks; ``ok`` is false when any failed. A manifest that cannot be trusted is
        one failed check, and nothing else is looked at.
    """
    project = (project or Path.cwd()).absolute()
    base = config_dir(scope, project)
    try:
        manifest = read_manifest(checked_config_dir(scope, project))
    except UserError as error:
        return _report(scope, base, [Check(name="manifest", ok=False, detail=str(error))])
    if manifest is None:
        return _report(scope, base, [Check(
            name="manifest", ok=False,
            detail=f"not installed; run `{hint_invocation()} install --scope {scope}`")])
    checks = [Check(name="manifest", ok=True,
                    detail=f"{len(manifest.files)} file(s) from backend-persona "
                           f"{manifest.tool_version}")]
    invocation = resolve_invocation()
    checks.append(_invocation(invocation, manifest.invocation, scope))
    try:
        expected = render_pack(invocation, install_stamp(), repair=repair_line(invocation, scope))
    except UserError as error:
        return _report(scope, base, [*checks, Check(name="render", ok=False,
                                                    detail=str(error))])
    return _report(scope, base, [*checks, *_files(base, expected, manifest, project), _cache()])


def _report(scope: InstallScope, base: Path, checks: list[Check]) -> DoctorReport:
    return DoctorReport(scope=scope, base=str(base), checks=checks)


def _cache() -> Check:
    """Where the warm path keeps its answers, and how much: informative, never a failure."""
    from backend_persona import cache  # noqa: PLC0415

    where, count, size = cache.usage()
    state = "on" if cache.enabled() else f"off ({cache.CACHE_ENV}=0)"
    return Check(name="cache", ok=True,
                 detail=f"{where}: {count} answer(s), {size:,} bytes; {state}; "
                        "`backend-persona cache clear` empties it")


def _invocation(ours: str, recorded: str, scope: InstallScope) -> Check:
    # The recorded invocation is only compared: running it would run whatever the
    # checkout's manifest names.
    if recorded != ours:
        return Check(name="invocation", ok=False,
                     detail=f"the files call {recorded!r}, not this installation ({ours}); "
                            f"run `{hint_invocation()} install --scope {scope}` from the venv "
                            "you use")
    return Check(name="invocation", ok=True, detail=f"the files call this installation ({ours})")


def _files(base: Path, expected: dict[str, str], manifest: Manifest,
           project: Path) -> list[Check]:
    checks: list[Check] = []
    for relative in sorted(set(expected) | set(manifest.files)):
        checks += _file(base, relative, expected.get(relative), manifest.files.get(relative),
                        project)
    return checks


def _file(base: Path, relative: str, expected: str | None, recorded: str | None,
          project: Path) -> list[Check]:
    # The manifest's own entries were link-checked as it was read; a file expected but
    # not listed could still be reached through a symlinked folder.
    try:
        link = first_link(base, relative)
        if link is not None:
            raise UserError(f"{link} is a symbolic link; not read through it")
        data = read_bytes(base / relative)
    except UserError as error:
        # One unreadable file (a link, a FIFO, too large) is one failed check.
        return [Check(name=relative, ok=False, detail=str(error))]
    if data is None:
        return [Check(name=relative, ok=False, detail="missing; run install again")]
    if recorded is not None and sha256(data) != recorded:
        return [Check(name=relative, ok=False, detail="changed since install; "
                      "`install --force` restores it (with a backup)")]
    text = data.decode("utf-8", "replace")
    if expected is None:
        return [Check(name=relative, ok=False,
                      detail="no longer shipped; run install again to remove it")]
    if text != expected:
        return [Check(name=relative, ok=False,
                      detail="differs from what this installation writes; run install "
                             "again")]
    checks = [Check(name=relative, ok=True, detail="matches the package")]
    findings = [f for f in lint_text(relative, text) if f.severity == "error"]
    if findings:
        checks.append(Check(name=f"{relative} lint", ok=False,
                            detail="; ".join(f"line {f.line}: {f.message}" for f in findings)))
    elif relative.startswith("commands/"):
        checks.append(_runs(relative, text, project))
    return checks


def _runs(relative: str, text: str, project: Path) -> Check:
    try:
        expansion = expand_text(text, "", cwd=project, session="doctor")
    except UserError as error:
        return Check(name=f"{relative} context line", ok=False, detail=str(error))
    empty = [c.command for c in expansion.commands if c.characters == 0]
    if empty:
        return Check(name=f"{relative} context line", ok=False,
                     detail=f"{empty[0]!r} printed nothing")
    ran = ", ".join(repr(split_fallback(c.command)[0]) for c in expansion.commands) \
        or "no `!` lines"
    return Check(name=f"{relative} context line", ok=True, detail=f"exit 0: {ran}")


def to_text(report: DoctorReport) -> str:
    """One line per check, marked ok or FAIL, then a verdict."""
    lines = [f"{'ok  ' if c.ok else 'FAIL'} {c.name}: {c.detail}" for c in report.checks]
    failed = sum(not c.ok for c in report.checks)
    lines.append(f"{report.base}: " + ("healthy" if report.ok else f"{failed} check(s) failed"))
    return "\n".join(lines) + "\n"
