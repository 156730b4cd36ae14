"""Is a ``path:LINE`` citation exact? The cited line must name what the claim is about.

A `Dependency` is exact when its line spells the dependency's own name, in the form its
manifest writes it; a `Technology` when its line spells a dependency, image, key or
toolchain token that the catalog (or the discovery itself) ties to that technology. The
expected tokens come from the discovered context and the shipped catalog, not from a table
of names, so that every fixture and every real checkout can be checked the same way.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator, Mapping
from functools import cache
from pathlib import Path, PurePosixPath

from backend_persona.discover import catalog
from backend_persona.discover.compatible import COMPATIBLE
from backend_persona.models import Dependency, ProjectContext, Technology

# Characters that continue a package name or path: a match next to one of them is part of
# a longer name (`google.golang.org/grpc` inside `.../google.golang.org/grpc/otelgrpc`).
_NAME_CHAR = r"[\w.\-/@]"
_CRATE_CHAR = r"[\w\-]"
_PYPI_SEPARATORS = re.compile(r"[-_.]+")
_CITATION = re.compile(r"^(?P<path>.+):(?P<line>[1-9][0-9]*)$")
# A Gradle version-catalog accessor, `libs.spring.boot.web`, and the catalog it reads.
_ACCESSOR = re.compile(r"\blibs\.([\w.]*\w)")
_VERSION_CATALOG = "gradle/libs.versions.toml"


def split_citation(evidence: str) -> tuple[str, int] | None:
    """``(path, line)`` of a ``path:LINE`` citation; None for a bare path."""
    match = _CITATION.match(evidence)
    return None if match is None else (match["path"], int(match["line"]))


def whole(token: str, *, pypi: bool = False, fold_case: bool = False,
          name_char: str = _NAME_CHAR) -> re.Pattern[str]:
    """``token`` as a whole name: not part of a longer one on either side.

    Args:
        token: The name as the manifest writes it.
        pypi: Match as PyPI normalises names: runs of ``-``, ``_``, ``.`` are one separator,
            and case does not count.
        fold_case: Case does not count (NuGet ids).
        name_char: The characters a longer name would go on with.
    """
    if pypi:
        body = "[-_.]+".join(re.escape(part) for part in _PYPI_SEPARATORS.split(token))
    else:
        body = re.escape(token)
    flags = re.IGNORECASE if pypi or fold_case else 0
    return re.compile(rf"(?<!{name_char}){body}(?!{name_char})", flags)


def _manifest_kind(path: str) -> str:
    """The name form a manifest writes, from its file name."""
    name = PurePosixPath(path).name.lower()
    if name == "pom.xml":
        return "maven"
    if name.endswith((".gradle", ".gradle.kts", ".versions.toml")):
        return "gradle"
    if name == "cargo.toml":
        return "crate"
    if name.endswith((".csproj", ".fsproj", ".vbproj", ".props", ".config")):
        return "nuget"
    if name in {"pyproject.toml", "setup.cfg", "setup.py", "pipfile"} or name.endswith(
            (".txt", ".in")):
        return "pypi"
    return "exact"


def _maven_names(name: str, line: str) -> bool:
    """A coordinate's artifact, and its group wherever the line writes ``group:artifact``."""
    group, _, artifact = name.rpartition(":")
    found = False
    for match in whole(artifact).finditer(line):
        before = line[:match.start()]
        if before.endswith(":"):
            # `other.group:artifact` names another dependency than `group:artifact`.
            written = re.search(rf"({_NAME_CHAR}+):$", before.replace("/", " "))
            if written is None or written.group(1) != group:
                continue
        found = True
    return found


def _catalog_aliases(root: Path, build: str) -> Mapping[str, str]:
    """The libraries of the version catalog nearest above ``build``: accessor to module."""
    for folder in PurePosixPath(build).parents:
        aliases = _aliases(root / folder / _VERSION_CATALOG)
        if aliases:
            return aliases
    return {}


@cache
def _aliases(path: Path) -> Mapping[str, str]:
    """A Gradle version catalog's libraries: accessor (``spring.boot.web``) to module."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return {}
    aliases: dict[str, str] = {}
    for alias, spec in data.get("libraries", {}).items():
        if isinstance(spec, str):
            module = spec.rpartition(":")[0] if spec.count(":") > 1 else spec
        elif isinstance(spec, dict) and "module" in spec:
            module = str(spec["module"])
        elif isinstance(spec, dict):
            module = f"{spec.get('group')}:{spec.get('name')}"
        else:
            continue
        aliases[_PYPI_SEPARATORS.sub(".", alias)] = module
    for alias, spec in data.get("plugins", {}).items():
        plugin = spec.get("id") if isinstance(spec, dict) else str(spec).partition(":")[0]
        aliases["plugins." + _PYPI_SEPARATORS.sub(".", alias)] = str(plugin)
    return aliases


def names_dependency(dependency: Dependency, line: str, path: str, root: Path) -> bool:
    """Whether ``line`` of ``path`` spells ``dependency``'s own name as its manifest does."""
    kind = _manifest_kind(path)
    name = dependency.name
    if kind == "pypi":
        return bool(whole(name, pypi=True).search(line))
    if kind == "crate":
        # A crate name is letters, digits, `-` and `_`: `serde.workspace` is serde's key.
        return bool(whole(name, name_char=_CRATE_CHAR).search(line))
    if kind == "nuget":
        return bool(whole(name, fold_case=True).search(line))
    if kind in {"maven", "gradle"} and ":" in name:
        if _maven_names(name, line):
            return True
        aliases = _catalog_aliases(root, path)
        return any(aliases.get(accessor) == name for accessor in _ACCESSOR.findall(line))
    return bool(whole(name).search(line))


@cache
def _catalog_keys() -> Mapping[str, frozenset[str]]:
    """Every rule key of the shipped catalog, by the technologies it names."""
    shipped = catalog.shipped()
    keys: dict[str, set[str]] = {}
    for source_name in catalog.SOURCES:
        for key, known in shipped.source(source_name).items():
            for each in known:
                keys.setdefault(each.name, set()).add(key)
    return {name: frozenset(found) for name, found in keys.items()}


def _key_tokens(key: str) -> Iterator[str]:
    """What a line may spell of a catalog key: the key, its artifact, its group's last word.

    A POM writes a parent's or a plugin's group and artifact on lines of their own, so a
    group prefix (``org.springframework.boot:``) is spelt on the artifact's line only by
    the word the artifact shares with it (``spring-boot-starter-parent``). A ``code``
    rule's line spells its marker.
    """
    if " " in key:
        # A `code` rule: a file pattern, then the marker the cited line holds.
        yield key.partition(" ")[2]
        return
    stripped = key.removeprefix("**/").removeprefix("*").removeprefix("engine:").rstrip("/:-.")
    yield stripped
    for separator in (":", "/"):
        if separator in stripped:
            yield stripped.rpartition(separator)[2]
    if key.endswith(":"):
        yield stripped.rpartition(".")[2]


def _spoken(technology: str) -> set[str]:
    """``technology``, and the protocols whose client sightings fold into it."""
    return {technology} | {protocol for protocol, servers in COMPATIBLE.items()
                           if technology in servers}


def names_technology(
    technology: Technology, line: str, path: str, root: Path, declared: set[str] | None
) -> bool:
    """Whether ``line`` of ``path`` spells something that stands for ``technology``.

    Args:
        technology: The claim.
        line: The cited line.
        path: The cited file.
        root: The repository.
        declared: What the `Dependency` citing the same line stands for, or None when no
            dependency cites it; that dependency's name is checked as its own.
    """
    spoken = _spoken(technology.name)
    if declared is not None and (spoken & declared or _manifest_kind(path) == "crate"):
        # A crate's features, on its declaration or the workspace's, choose its databases.
        return True
    lowered = line.lower()
    tokens = [technology.version or "", *technology.versions.values()]
    keys = _catalog_keys()
    for name in spoken:
        tokens.append(name)
        for key in keys.get(name, frozenset()):
            tokens.extend(_key_tokens(key))
    if any(token and token.lower() in lowered for token in tokens):
        return True
    aliases = _catalog_aliases(root, path)
    return any(known.name in spoken
               for accessor in _ACCESSOR.findall(line) if accessor in aliases
               for source_name in ("maven", "gradle_plugin")
               for known in catalog.match(source_name, aliases[accessor]))


def wrong_citations(context: ProjectContext) -> list[str]:
    """Every ``path:LINE`` of ``context`` whose line does not name its claim, explained."""
    root = Path(context.root)
    lines = _Lines(root)
    wrong: list[str] = []
    declared: dict[str, set[str]] = {}
    for component in context.components:
        for dependency in component.dependencies:
            cited = split_citation(dependency.evidence)
            if cited is None:
                continue
            declared.setdefault(dependency.evidence, set()).update(dependency.technologies)
            line = lines.get(*cited)
            if line is None or not names_dependency(dependency, line, cited[0], root):
                wrong.append(f"dependency {dependency.name} cites {dependency.evidence}: {line!r}")
    for technology in context.technologies:
        for evidence in technology.evidence:
            cited = split_citation(evidence)
            if cited is None:
                continue
            line = lines.get(*cited)
            if line is None or not names_technology(
                    technology, line, cited[0], root, declared.get(evidence)):
                wrong.append(f"technology {technology.name} cites {evidence}: {line!r}")
    return wrong


class _Lines:
    """Lines of the files a context cites, read once, numbered as `evidence.Source` does."""

    def __init__(self, root: Path) -> None:
        self._root = root
        self._files: dict[str, list[str] | None] = {}

    def get(self, path: str, number: int) -> str | None:
        """Line ``number`` (1-based) of ``path``, or None when the file has no such line."""
        if path not in self._files:
            try:
                text = (self._root / path).read_bytes().decode("utf-8", "replace")
            except OSError:
                self._files[path] = None
            else:
                self._files[path] = text.split("\n")
        lines = self._files[path]
        if lines is None or number > len(lines):
            return None
        return lines[number - 1]
