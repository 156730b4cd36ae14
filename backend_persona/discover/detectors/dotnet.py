"""C# and .NET: ``*.csproj`` package references and the ``Directory.*.props`` above them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import partial

from backend_persona.discover import catalog
from backend_persona.discover.declared import Manifest
from backend_persona.discover.evidence import source
from backend_persona.discover.index import FileIndex, parent_of
from backend_persona.discover.perfile import per_file
from backend_persona.discover.registry import Finding
from backend_persona.records import Component, Scope
from backend_persona.safefs import printable

# The version is looked for up to the next tag at most: `[^>]` alone would let an unclosed
# tag send every reference's search to the end of the file. Only `PackageReference Include`
# declares a dependency: `Update` changes one declared elsewhere, `PackageVersion` pins one.
_REFERENCE = re.compile(
    r"""<Package(?P<kind>Reference|Version)\s+(?P<verb>Include|Update)\s*=\s*"""
    r""""(?P<package>[\w.-]+)"(?:[^<>]*?Version\s*=\s*"(?P<version>[^"]*)")?""",
    re.IGNORECASE)
# The project SDK, without a `/version` suffix: the catalog names the SDKs that mean a
# framework (`Microsoft.NET.Sdk.Web`, `Aspire.AppHost.Sdk`) among the NuGet packages.
_SDK = re.compile(r"""<Project\s+Sdk\s*=\s*"([\w.]+)""", re.IGNORECASE)
_TEST_PROJECT = re.compile(r"<IsTestProject>\s*true|Microsoft\.NET\.Test\.Sdk", re.IGNORECASE)
# MSBuild imports these into every project below their folder: a `PackageReference` there
# is a reference of each of those projects.
_PROPS = ("Directory.Build.props", "Directory.Packages.props")
# An item group and its condition; the group ends at its closing tag or the next group.
_ITEM_GROUP = re.compile(
    r"<ItemGroup\b(?P<attributes>[^<>]*)>(?P<body>.*?)(?=</ItemGroup>|<ItemGroup\b|\Z)",
    re.IGNORECASE | re.DOTALL)
# A condition that names tests and negates nothing: `!...Contains('Tests')` is the others.
_TEST_CONDITION = re.compile(r"""Condition\s*=\s*"(?=[^"!]*")[^"]*test""", re.IGNORECASE)


def detect(index: FileIndex) -> Iterator[Finding]:
    """.NET projects, ASP.NET Core, EF Core and their drivers."""
    # Central package management: the props file pins versions, but only a project's own
    # references say which packages it uses, and in which scope.
    central = {parent_of(path): _pinned(index.read_text(path) or "")
               for path in index.named("Directory.Packages.props")}
    for path in index.with_suffix(".csproj", ".fsproj"):
        yield from per_file(index, path, _project, index, path, central)
    for path in index.named("packages.lock.json"):
        yield from per_file(index, path, _lock_file, index, path)
    for path in index.named(*_PROPS):
        yield from per_file(index, path, _props, index, path)


def _props(index: FileIndex, path: str) -> Iterator[Finding]:
    """The packages a ``Directory.*.props`` file references for every project below it.

    A group whose condition names tests (``$(MSBuildProjectFullPath.Contains('Tests'))``,
    ``'$(IsTestProject)' == 'true'``) is referenced by test projects only.
    """
    text = index.read_text(path)
    if text is None:
        return
    cited = source(index, path, text)
    manifest = Manifest(index, path, "nuget")
    for group in _ITEM_GROUP.finditer(text):
        scope: Scope = "test" if _TEST_CONDITION.search(group["attributes"]) else "runtime"
        for match in _REFERENCE.finditer(group["body"]):
            if (match["kind"].lower(), match["verb"].lower()) == ("reference", "include"):
                yield from manifest.declare(
                    match["package"], partial(cited.cite_at, group.start("body") + match.start()),
                    match["version"], scope)


def _lock_file(index: FileIndex, path: str) -> Iterator[Finding]:
    """A NuGet lock file's `Direct` packages.

    A reference that an imported SDK or props file adds reaches the project without a
    `PackageReference` line of its own: the lock file lists it all the same.
    """
    data = index.read_json_object(path)
    frameworks = data.get("dependencies") if data else None
    if not isinstance(frameworks, dict):
        return
    folder = parent_of(path)
    projects = [p for p in index.with_suffix(".csproj", ".fsproj") if parent_of(p) == folder]
    test = any(_TEST_PROJECT.search(index.read_text(p) or "") for p in projects)
    scope: Scope = "test" if test else "runtime"
    cited = source(index, path)
    direct = {package: entry.get("resolved") for packages in frameworks.values()
              if isinstance(packages, dict) for package, entry in packages.items()
              if isinstance(entry, dict) and entry.get("type") == "Direct"}
    for package, version in sorted(direct.items()):
        yield from catalog.technologies("nuget", package, partial(cited.cite, f'"{package}"'),
                                        version if isinstance(version, str) else None, scope)


def _project(
    index: FileIndex, path: str, central: dict[str, dict[str, str]]
) -> Iterator[Finding]:
    text = index.read_text(path)
    if text is None:
        return
    stem = path.rpartition("/")[2].rsplit(".", 1)[0]
    yield Component(path=printable(parent_of(path)), name=printable(stem),
                    ecosystems=["dotnet"], manifests=[printable(path)])
    cited = source(index, path, text)
    sdk = _SDK.search(text)
    if sdk:
        # The project SDK names a framework, but is no package the project references.
        yield from catalog.technologies("nuget", sdk.group(1), partial(cited.cite_at, sdk.start(1)))
    manifest = Manifest(index, path, "nuget")
    scope: Scope = "test" if _TEST_PROJECT.search(text) else "runtime"
    versions = _nearest(central, parent_of(path))
    for match in _REFERENCE.finditer(text):
        package = match["package"]
        declares = (match["kind"].lower(), match["verb"].lower()) == ("reference", "include")
        lookup = manifest.declare if declares else partial(catalog.technologies, "nuget")
        yield from lookup(package, partial(cited.cite_at, match.start()),
                          match["version"] or versions.get(package), scope)


def _pinned(text: str) -> dict[str, str]:
    return {match["package"]: match["version"] for match in _REFERENCE.finditer(text)
            if match["version"]}


def _nearest(central: dict[str, dict[str, str]], folder: str) -> dict[str, str]:
    while True:
        if folder in central:
            return central[folder]
        if folder == ".":
            return {}
        folder = parent_of(folder)
