"""Python projects: ``pyproject.toml`` (PEP 621, Poetry, uv), Pipfiles and requirements files."""

from __future__ import annotations

import itertools
import posixpath
import re
from collections.abc import Iterator
from functools import partial
from typing import Any, cast

from backend_persona.discover.declared import Manifest
from backend_persona.discover.evidence import InOrder, Joined, source
from backend_persona.discover.index import FileIndex, parent_of
from backend_persona.discover.perfile import per_file
from backend_persona.discover.registry import Finding
from backend_persona.records import Component, Scope
from backend_persona.safefs import printable

_REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*([^;@#]*)")
_TEST_GROUPS = re.compile(r"test", re.IGNORECASE)
_DEV_GROUPS = re.compile(r"dev|lint|doc|type|check|ci", re.IGNORECASE)
_REQUIREMENTS_FILE = re.compile(r"^requirements.*\.(txt|in)$|\.requirements\.txt$")


def normalize(name: str) -> str:
    """PEP 503 name normalisation: lower case, runs of ``-_.`` become one ``-``."""
    return re.sub(r"[-_.]+", "-", name).lower()


def parse_requirement(line: str) -> tuple[str, str | None] | None:
    """Split a PEP 508 requirement into its normalised name and version specifier."""
    match = _REQUIREMENT.match(line)
    if not match:
        return None
    name, _extras, spec = match.groups()
    spec = spec.strip().replace(" ", "")
    if spec.startswith("=="):
        spec = spec[2:]
    return normalize(name), spec or None


def _raw_name(requirement: str) -> str:
    match = _REQUIREMENT.match(requirement)
    return match.group(1) if match else requirement


def _scope_of_group(group: str) -> Scope:
    """The scope of a named group of requirements (an extra, a dependency group, a file)."""
    if _TEST_GROUPS.search(group):
        return "test"
    return "dev" if _DEV_GROUPS.search(group) else "runtime"


def detect(index: FileIndex) -> Iterator[Finding]:
    """Python packages from pyproject.toml, Pipfiles and requirements files."""
    folders: dict[str, list[str]] = {}
    for path in index.named("pyproject.toml"):
        folders.setdefault(parent_of(path), []).append(path)
        yield from per_file(index, path, _pyproject, index, path)
    for path in index.named("Pipfile"):
        folders.setdefault(parent_of(path), []).append(path)
        yield from per_file(index, path, _pipfile, index, path)
    candidates = index.with_name_prefix("requirements") + [
        p for p in index.with_suffix(".txt", ".in", ordered=False)
        if p.endswith(".requirements.txt") or _in_requirements_folder(p)
    ]
    # Read in one scope, a file says the same whoever includes it: once per run is enough,
    # however long a chain of `-r` includes the files form.
    read: set[tuple[str, Scope]] = set()
    for path in sorted(set(candidates)):
        name = path.rpartition("/")[2]
        if _REQUIREMENTS_FILE.search(name) or _in_requirements_folder(path):
            # `requirements/base.txt` is the project's, one folder up, as `requirements.txt` is.
            owner = parent_of(path)
            owner = parent_of(owner) if _in_requirements_folder(path) else owner
            folders.setdefault(owner, []).append(path)
            scope = _scope_of_group(name)
            yield from per_file(index, path, _requirements, index, path, scope, read)
    for folder, manifests in folders.items():
        # Where a pyproject.toml was parsed this adds only the requirements files to the
        # folder's manifests: merging keeps the pyproject component's name, which sorts first.
        yield Component(path=printable(folder), name=printable(folder.rpartition("/")[2] or folder),
                        ecosystems=["python"], manifests=[printable(m) for m in manifests])


def _in_requirements_folder(path: str) -> bool:
    """Whether ``path`` is a ``.txt`` or ``.in`` file of a ``requirements/`` folder.

    The layout of cookiecutter-django and many others: ``requirements/base.txt``,
    ``requirements/production.txt``, ``requirements/test.in``.
    """
    folder, _, name = path.rpartition("/")
    return folder.rpartition("/")[2] == "requirements" and name.endswith((".txt", ".in"))


def _toml(index: FileIndex, path: str) -> tuple[str, dict[str, Any]] | None:
    """The text of a TOML manifest and its tables, or None (with a note when it is no TOML)."""
    text = index.read_text(path)
    if text is None:
        return None
    import tomllib  # noqa: PLC0415  (a repository without TOML never pays its import)

    try:
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        index.note(f"{printable(path)} is not valid TOML ({error}); skipped")
        return None


def _pyproject(index: FileIndex, path: str) -> Iterator[Finding]:
    read = _toml(index, path)
    if read is None:
        return
    text, data = read
    project = _table(data, "project")
    tool = _table(data, "tool")
    poetry = _table(tool, "poetry")
    name = project.get("name") or poetry.get("name")
    folder = parent_of(path)
    yield Component(path=printable(folder),
                    name=printable(name if isinstance(name, str) and name else folder),
                    ecosystems=["python"], manifests=[printable(path)])
    manifest = Manifest(index, path, "pypi")
    cited = InOrder(source(index, path, text))
    for requirement, needle, scope in _pyproject_requirements(project, poetry, tool, data):
        parsed = parse_requirement(requirement)
        if parsed:
            yield from manifest.declare(parsed[0], partial(cited.cite, needle), parsed[1], scope)


def _pipfile(index: FileIndex, path: str) -> Iterator[Finding]:
    """Pipenv's ``[packages]`` (runtime) and ``[dev-packages]`` (dev) tables."""
    read = _toml(index, path)
    if read is None:
        return
    text, data = read
    manifest = Manifest(index, path, "pypi")
    cited = InOrder(source(index, path, text))
    for section, scope in (("packages", "runtime"), ("dev-packages", "dev")):
        table = _table(data, section)
        if table:
            cited.seek(f"[{section}]")
        for name, spec in table.items():
            version = spec.get("version") if isinstance(spec, dict) else spec
            # `"*"` asks for any version; `"==5.2"` or `">=4"` for some.
            pinned = isinstance(version, str) and version != "*"
            requirement = f"{name}{version}" if pinned else name
            parsed = parse_requirement(requirement)
            if parsed:
                yield from manifest.declare(parsed[0], partial(cited.cite, f"{name} ="),
                                            parsed[1], cast("Scope", scope))


def _pyproject_requirements(
    project: dict[str, Any], poetry: dict[str, Any], tool: dict[str, Any], data: dict[str, Any]
) -> Iterator[tuple[str, str, Scope]]:
    """Each requirement, the text that declares it in the file, and its scope."""
    lists: list[tuple[object, Scope]] = [(project.get("dependencies"), "runtime")]
    for groups in (project.get("optional-dependencies"), data.get("dependency-groups")):
        for group, requirements in (groups.items() if isinstance(groups, dict) else ()):
            lists.append((requirements, _scope_of_group(group)))
    lists.append((_table(tool, "uv").get("dev-dependencies"), "dev"))
    # What builds the package (`hatchling`, `poetry-core`, `setuptools`): a build tool.
    lists.append((_table(data, "build-system").get("requires"), "dev"))
    for requirements, scope in lists:
        for requirement in _strings(requirements):
            yield requirement, requirement, scope
    for requirement, scope in _poetry_requirements(poetry):
        # Poetry tables have no requirement string in the file; cite the key instead.
        yield requirement, f"{_raw_name(requirement)} =", scope


def _poetry_requirements(poetry: dict[str, Any]) -> Iterator[tuple[str, Scope]]:
    tables: list[tuple[object, Scope]] = [
        (poetry.get("dependencies"), "runtime"),
        (poetry.get("dev-dependencies"), "dev"),
    ]
    groups = poetry.get("group")
    for group, body in (groups.items() if isinstance(groups, dict) else ()):
        if isinstance(body, dict):
            tables.append((body.get("dependencies"), _scope_of_group(group)))
    for table, scope in tables:
        if not isinstance(table, dict):
            continue
        for name, spec in table.items():
            if name.lower() == "python":
                continue
            version = spec.get("version") if isinstance(spec, dict) else spec
            version = version if isinstance(version, str) else None
            yield (f"{name}=={version}" if version and version[0].isdigit()
                   else f"{name}{version or ''}"), scope


def _table(data: dict[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key)
    return value if isinstance(value, dict) else {}


def _strings(value: object) -> list[str]:
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def _requirements(
    index: FileIndex, path: str, scope: Scope, read: set[tuple[str, Scope]]
) -> Iterator[Finding]:
    """``path`` and the files it includes with ``-r``, each read once per scope."""
    pending = [path]
    while pending:
        current = pending.pop()
        if (current, scope) not in read:
            read.add((current, scope))
            yield from _requirements_file(index, current, scope, pending)


def _requirements_file(
    index: FileIndex, path: str, scope: Scope, includes: list[str]
) -> Iterator[Finding]:
    text = index.read_text(path)
    if text is None:
        return
    manifest = Manifest(index, path, "pypi")
    cited = source(index, path, text)
    joined = Joined(text)
    lines = list(joined.lines())
    for number, (offset, raw) in enumerate(lines):
        line = raw.split(" #", 1)[0].strip()
        if line.startswith(("-r ", "--requirement ", "-c ", "--constraint ")):
            included = posixpath.normpath(posixpath.join(parent_of(path), line.split(None, 1)[1]))
            # Only files the project lists are followed: an include may never lead the
            # reader out of it, by `..` or through a symlinked folder.
            listed = index.has(included)
            if listed and line.startswith(("-r", "--requirement")):
                includes.append(included)
            continue
        # Only a pin looks at the comments below it: each comment run is read once.
        if not line or line.startswith(("#", "-")) or _pulled_in(raw, lines, number + 1):
            continue
        if "://" in line:
            # Only `name @ URL` names a package; a bare URL does not, and the URL (which may
            # carry a token) is never kept.
            line, at, _ = line.partition("@")
            if not at or "://" in line:
                continue
        parsed = parse_requirement(line.split(" --hash", 1)[0])
        if parsed:
            # The line that declares it, where its name starts.
            start = joined.original(offset + len(raw) - len(raw.lstrip()))
            yield from manifest.declare(parsed[0], partial(cited.cite_at, start), parsed[1],
                                        scope)


# pip-compile and `uv pip compile` annotate each pin with what asked for it: `-r
# requirements.in` (or `project (pyproject.toml)`) for a direct one; other packages, or a
# constraints file (`-c requirements.txt`), which asks for nothing, for the rest.
_VIA = "# via"
# `-r requirements/pip.txt` is no input: it is another compiled file, whose own annotations
# say which of its pins are direct (readthedocs.org compiles `deploy.in`, which includes it).
_DIRECT_VIA = re.compile(
    r"(^|\s)-r\s+(?!\S+\.txt\s*$)|\((pyproject\.toml|setup\.py|setup\.cfg)\)")


def _pulled_in(raw: str, lines: list[tuple[int, str]], after: int) -> bool:
    """Whether the pin on ``raw`` is a compiled file's transitive one.

    Its annotation is on its own line (`  # via celery`) or spread over the comment lines that
    follow it from ``lines[after]`` on (`  # via`, `  #   celery`); a pin without one is a
    requirement as written.
    """
    _, _, comment = raw.partition(" #")
    notes = [f"#{comment}"] if comment else []
    for _, following in itertools.islice(lines, after, None):
        stripped = following.strip()
        if not stripped.startswith("#") or not following[:1].isspace():
            break
        notes.append(stripped)
    if not notes or not notes[0].startswith(_VIA):
        return False
    return not any(_DIRECT_VIA.search(note) for note in notes)
