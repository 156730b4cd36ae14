"""Java and Kotlin builds: Maven ``pom.xml`` and Gradle build scripts."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING

from backend_persona.discover.catalog import technologies
from backend_persona.discover.evidence import Source, source
from backend_persona.discover.index import FileIndex, display, parent_of
from backend_persona.discover.perfile import guarded, per_file
from backend_persona.discover.registry import Finding
from backend_persona.models import Component, Scope, Technology

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

_TEST_SCOPES = frozenset({"test"})
_GRADLE_TEST_CONFIGS = re.compile(r"^test|^androidTest|^integrationTest", re.IGNORECASE)
# `implementation "g:a:${v}",` may go on with more coordinates, one per line, for the same
# configuration; an interpolated version is kept out by `safe_version`. Declarations start
# after a line's own indentation: `^\s*` would run on over every blank line below, once
# per line (quadratic), and cite the blank line above the declaration.
_GRADLE_DEPENDENCY = re.compile(
    r"""^[ \t]*(\w+)\s*\(?\s*(?:platform\s*\(\s*|enforcedPlatform\s*\(\s*)?["']"""
    r"""([\w.\-]+):([\w.\-]+)(?::([^"'\s]+))?["']((?:\s*,\s*["'][^"'\n]+["'])*)""",
    re.MULTILINE,
)
_GRADLE_COORDINATE = re.compile(r"""["']([\w.\-]+):([\w.\-]+)(?::([^"'\s]+))?["']""")
_GRADLE_PLUGIN = re.compile(
    r"""\bid\s*\(?\s*["']([\w.\-]+)["']\s*\)?(?:\s*version\s*\(?\s*["']([\w.\-+]+)["'])?"""
)
_GRADLE_CONFIGS = frozenset({
    "implementation", "api", "compileOnly", "runtimeOnly", "annotationProcessor", "kapt",
    "testImplementation", "testRuntimeOnly", "testCompileOnly", "compile", "runtime",
    "testCompile", "developmentOnly", "integrationTestImplementation",
})


# `implementation(libs.a.b)`, or Groovy's `implementation libs.a.b` without parentheses.
_CATALOG_LIBRARY = re.compile(
    r"""^[ \t]*(\w+)\s*\(?\s*(?:platform\s*\(\s*)?libs\.([\w.]*\w)(?![\w.(])""", re.MULTILINE)
_CATALOG_PLUGIN = re.compile(r"""alias\s*\(\s*libs\.plugins\.([\w.]+)\s*\)""")
# The text of every element, to find `>artifactId<` without a search per dependency.
_ELEMENT_TEXT = re.compile(r">([^<>]*)<")


def detect(index: FileIndex) -> Iterator[Finding]:
    """Maven and Gradle builds, Spring Boot, Quarkus and the drivers they pull in."""
    for path in index.named("pom.xml"):
        yield from per_file(index, path, _maven, index, path)
    catalogs = {
        parent_of(parent_of(path)): catalog
        for path in index.named("libs.versions.toml") if path.endswith("gradle/libs.versions.toml")
        if (catalog := guarded(index, path, _version_catalog, index, path)) is not None
    }
    # A settings file that includes subprojects makes its folder a multi-project root.
    settings = {parent_of(p) for p in index.named("settings.gradle", "settings.gradle.kts")
                if "include" in (index.read_text(p) or "")}
    for path in index.named("build.gradle", "build.gradle.kts"):
        yield from per_file(index, path, _gradle, index, path,
                            _nearest(catalogs, parent_of(path)), settings)


def _nearest(catalogs: dict[str, VersionCatalog], folder: str) -> VersionCatalog | None:
    while True:
        if folder in catalogs:
            return catalogs[folder]
        if folder == ".":
            return None
        folder = parent_of(folder)


class VersionCatalog:
    """A Gradle version catalog: accessor path to coordinate and version."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.libraries: dict[str, tuple[str, str | None]] = {}
        self.plugins: dict[str, tuple[str, str | None]] = {}


def _accessor(alias: str) -> str:
    return re.sub(r"[-_]", ".", alias)


def _version_catalog(index: FileIndex, path: str) -> VersionCatalog:
    import tomllib  # noqa: PLC0415

    catalog = VersionCatalog(path)
    try:
        data = tomllib.loads(index.read_text(path) or "")
    except tomllib.TOMLDecodeError as error:
        index.note(f"{display(path)} is not valid TOML ({error}); skipped")
        return catalog
    declared = data.get("versions")
    versions: dict[str, object] = declared if isinstance(declared, dict) else {}
    for section, target, key in (("libraries", catalog.libraries, "module"),
                                 ("plugins", catalog.plugins, "id")):
        entries = data.get(section)
        for alias, spec in (entries.items() if isinstance(entries, dict) else ()):
            entry = _catalog_entry(spec, key, versions)
            if entry:
                target[_accessor(alias)] = entry
    return catalog


def _catalog_entry(
    spec: object, key: str, versions: dict[str, object]
) -> tuple[str, str | None] | None:
    if isinstance(spec, str):
        parts = spec.split(":")
        if key == "id":
            # A plugin written as a string is `id:version` (`io.freefair.lombok:9.5.0`).
            return parts[0], parts[1] if len(parts) > 1 else None
        return (":".join(parts[:2]), parts[2] if len(parts) > 2 else None)
    if not isinstance(spec, dict):
        return None
    coordinate = spec.get(key)
    if coordinate is None and "group" in spec and "name" in spec:
        coordinate = f"{spec['group']}:{spec['name']}"
    version = spec.get("version")
    if isinstance(version, dict):
        reference = version.get("ref")
        version = versions.get(reference) if isinstance(reference, str) else None
    return (str(coordinate), version if isinstance(version, str) else None) if coordinate else None


def _local(tag: object) -> str:
    return str(tag).rpartition("}")[2]


def _child_text(element: Element, name: str) -> str | None:
    for child in element:
        if _local(child.tag) == name:
            return (child.text or "").strip() or None
    return None


def _children(element: Element, name: str) -> list[Element]:
    return [child for child in element if _local(child.tag) == name]


def _maven(index: FileIndex, path: str) -> Iterator[Finding]:
    text = index.read_text(path)
    if text is None:
        return
    from xml.etree import ElementTree  # noqa: PLC0415  (only Maven projects pay for it)

    try:
        project = ElementTree.fromstring(text)  # noqa: S314  (expat resolves no external entities)
    except ElementTree.ParseError as error:
        index.note(f"{display(path)} is not valid XML ({error}); skipped")
        return
    folder = parent_of(path)
    modules = [m for holder in _children(project, "modules") for m in _children(holder, "module")]
    yield Component(
        path=display(folder),
        name=display(_child_text(project, "artifactId") or folder),
        ecosystems=["java"],
        manifests=[display(path)],
        workspace=bool(modules) and _child_text(project, "packaging") == "pom",
    )
    pom = _Pom(source(index, path, text))
    for parent in _children(project, "parent"):
        yield from _coordinate(parent, "runtime", pom)
    # A profile (`<profiles><profile>`) holds dependencies and build plugins of its own.
    profiles = [profile for holder in _children(project, "profiles")
                for profile in _children(holder, "profile")]
    for scope_root in (project, *profiles):
        for container in (scope_root, *_children(scope_root, "dependencyManagement")):
            for holder in _children(container, "dependencies"):
                for dependency in _children(holder, "dependency"):
                    scope = _child_text(dependency, "scope")
                    yield from _coordinate(
                        dependency, "test" if scope in _TEST_SCOPES else "runtime", pom
                    )
        for build in _children(scope_root, "build"):
            for plugins in _children(build, "plugins"):
                for plugin in _children(plugins, "plugin"):
                    yield from _coordinate(plugin, "runtime", pom)


class _Pom:
    """A pom's citations: the line of the first ``>artifactId<`` of each artifact."""

    def __init__(self, text: Source) -> None:
        self.text = text
        self._first: dict[str, int] | None = None

    def cite(self, artifact: str) -> str:
        # One pass over the element texts the first time: a BOM lists thousands of
        # artifacts, and a search per artifact from the top would be quadratic.
        if self._first is None:
            self._first = {}
            for match in _ELEMENT_TEXT.finditer(self.text.text):
                self._first.setdefault(match.group(1), match.start())
        at = self._first.get(artifact)
        return self.text.shown if at is None else self.text.cite_at(at)


def _coordinate(element: Element, scope: Scope, pom: _Pom) -> Iterator[Technology]:
    group = _child_text(element, "groupId") or ""
    artifact = _child_text(element, "artifactId") or ""
    version = _child_text(element, "version")
    if version and version.startswith("${"):
        version = None
    yield from technologies("maven", f"{group}:{artifact}", partial(pom.cite, artifact),
                            version, scope)


def _gradle(
    index: FileIndex, path: str, catalog: VersionCatalog | None, settings: set[str]
) -> Iterator[Finding]:
    text = index.read_text(path)
    if text is None:
        return
    folder = parent_of(path)
    yield Component(path=display(folder), name=display(folder.rpartition("/")[2] or folder),
                    ecosystems=["java"], manifests=[display(path)], workspace=folder in settings)
    cited = source(index, path, text)
    for match in _GRADLE_PLUGIN.finditer(text):
        plugin, version = match.groups()
        yield from technologies("gradle_plugin", plugin, partial(cited.cite_at, match.start()),
                                version)
    for match in _GRADLE_DEPENDENCY.finditer(text):
        config, group, artifact, version, more = match.groups()
        if config not in _GRADLE_CONFIGS:
            continue
        scope: Scope = "test" if _GRADLE_TEST_CONFIGS.match(config) else "runtime"
        yield from technologies("maven", f"{group}:{artifact}",
                                partial(cited.cite_at, match.start()), version, scope)
        for extra in _GRADLE_COORDINATE.finditer(more):
            group, artifact, version = extra.groups()
            yield from technologies("maven", f"{group}:{artifact}",
                                    partial(cited.cite_at, match.start(5) + extra.start()),
                                    version, scope)
    if catalog is not None:
        yield from _catalog_references(cited, catalog)


def _catalog_references(text: Source, catalog: VersionCatalog) -> Iterator[Technology]:
    for match in _CATALOG_PLUGIN.finditer(text.text):
        plugin = catalog.plugins.get(match.group(1))
        if plugin:
            yield from technologies("gradle_plugin", plugin[0],
                                    partial(text.cite_at, match.start()), plugin[1])
    for match in _CATALOG_LIBRARY.finditer(text.text):
        config, accessor = match.groups()
        library = catalog.libraries.get(accessor)
        if library is None or config not in _GRADLE_CONFIGS:
            continue
        scope: Scope = "test" if _GRADLE_TEST_CONFIGS.match(config) else "runtime"
        evidence = [text.cite_at(match.start()), display(catalog.path)]
        for found in technologies("maven", library[0], evidence[0], library[1], scope):
            yield found.model_copy(update={"evidence": sorted(evidence)})
