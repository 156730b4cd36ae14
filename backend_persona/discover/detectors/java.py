"""Java and Kotlin builds: Maven ``pom.xml`` and Gradle build scripts."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING

from backend_persona.discover.catalog import technologies
from backend_persona.discover.declared import Manifest
from backend_persona.discover.evidence import Source, source
from backend_persona.discover.index import FileIndex, parent_of
from backend_persona.discover.perfile import guarded, per_file
from backend_persona.discover.registry import Finding
from backend_persona.discover.sighting import Sighting
from backend_persona.evidence import Citation
from backend_persona.records import Component, Dependency, Scope
from backend_persona.safefs import printable

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

# `Manifest.declare` for what a build declares it depends on; `technologies` (of the Maven
# rules) for what it only imports or builds with: a parent POM, a BOM, a plugin.
Lookup = Callable[[str, Citation, str | None, Scope], Iterator[Sighting | Dependency]]

_TEST_SCOPES = frozenset({"test"})
_GRADLE_TEST_CONFIGS = re.compile(r"^test|^androidTest|^integrationTest", re.IGNORECASE)
# `implementation "g:a:${v}",` may go on with more coordinates, one per line, for the same
# configuration; an interpolated version is kept out by `safe_version`. Declarations start
# after a line's own indentation: `^\s*` would run on over every blank line below, once
# per line (quadratic), and cite the blank line above the declaration. A `platform(...)`
# is a BOM the build imports, not a dependency.
_GRADLE_DEPENDENCY = re.compile(
    r"""^[ \t]*(\w+)\s*\(?\s*((?:platform|enforcedPlatform)\s*\(\s*)?["']"""
    r"""([\w.\-]+):([\w.\-]+)(?::([^"'\s]+))?["']((?:\s*,\s*["'][^"'\n]+["'])*)""",
    re.MULTILINE,
)
_GRADLE_COORDINATE = re.compile(r"""["']([\w.\-]+):([\w.\-]+)(?::([^"'\s]+))?["']""")
# No leading \b: a pattern that starts with its literal lets the engine skip ahead to each
# "id" (five times faster on spring-boot's scripts); `_word_before` does the \b's job.
_GRADLE_PLUGIN = re.compile(
    r"""id\s*\(?\s*["']([\w.\-]+)["']\s*\)?(?:\s*version\s*\(?\s*["']([\w.\-+]+)["'])?"""
)
_GRADLE_CONFIGS = frozenset({
    "implementation", "api", "compileOnly", "runtimeOnly", "annotationProcessor", "kapt",
    "testImplementation", "testRuntimeOnly", "testCompileOnly", "compile", "runtime",
    "testCompile", "developmentOnly", "integrationTestImplementation",
})


# `implementation(libs.a.b)`, or Groovy's `implementation libs.a.b` without parentheses;
# a `platform(...)` import is captured apart: it pins versions, it declares nothing.
_CATALOG_LIBRARY = re.compile(
    r"""^[ \t]*(\w+)\s*\(?\s*(platform\s*\(\s*)?libs\.([\w.]*\w)(?![\w.(])""", re.MULTILINE)
# `rootProject.name = 'halo'` (Groovy) or `rootProject.name = "halo"` (Kotlin): the name
# the build gives its root project, whatever the checkout's folder is called.
_ROOT_PROJECT_NAME = re.compile(r"""^[ \t]*rootProject\.name\s*=\s*["']([^"'\n]+)["']""",
                                re.MULTILINE)
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
    texts = {parent_of(p): index.read_text(p) or ""
             for p in index.named("settings.gradle", "settings.gradle.kts")}
    # A settings file that includes subprojects makes its folder a multi-project root.
    settings = {folder for folder, text in texts.items() if "include" in text}
    names = {folder: found.group(1) for folder, text in texts.items()
             if (found := _ROOT_PROJECT_NAME.search(text))}
    for path in index.named("build.gradle", "build.gradle.kts"):
        yield from per_file(index, path, _gradle, index, path,
                            _nearest(catalogs, parent_of(path)), settings, names)


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
        index.note(f"{printable(path)} is not valid TOML ({error}); skipped")
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
        index.note(f"{printable(path)} is not valid XML ({error}); skipped")
        return
    folder = parent_of(path)
    modules = [m for holder in _children(project, "modules") for m in _children(holder, "module")]
    yield Component(
        path=printable(folder),
        name=printable(_child_text(project, "artifactId") or folder),
        ecosystems=["java"],
        manifests=[printable(path)],
        workspace=bool(modules) and _child_text(project, "packaging") == "pom",
    )
    pom = _Pom(source(index, path, text))
    manifest = Manifest(index, path, "maven")
    for element, scope, lookup in _pom_coordinates(project, manifest.declare,
                                                   partial(technologies, "maven")):
        yield from _coordinate(element, scope, pom, lookup)


def _pom_coordinates(
    holder: Element, declare: Lookup, mentions: Lookup
) -> Iterator[tuple[Element, Scope, Lookup]]:
    """Each coordinate of a POM in document order, with its scope and what it is.

    `_Pom` cites each artifact at its next occurrence, so the coordinates must come in the
    file's order: a `dependencyManagement` above the `dependencies` would otherwise take
    the citations of the dependencies it only pins.
    """
    for child in holder:
        tag = _local(child.tag)
        if tag == "parent":
            yield child, "runtime", mentions
        elif tag == "dependencies":
            for dependency in _children(child, "dependency"):
                scope = _child_text(dependency, "scope")
                yield dependency, "test" if scope in _TEST_SCOPES else "runtime", declare
        elif tag == "dependencyManagement":
            # It pins versions and imports BOMs: it declares no dependency. An imported BOM
            # (`spring-cloud-dependencies`) is a platform the project chose and names it; a
            # pin names nothing, since no module may use it (a module that does declares it).
            for managed in _children(child, "dependencies"):
                for dependency in _children(managed, "dependency"):
                    imported = _child_text(dependency, "scope") == "import"
                    yield dependency, "runtime", mentions if imported else _pinned
        elif tag == "build":
            for plugins in _children(child, "plugins"):
                for plugin in _children(plugins, "plugin"):
                    yield plugin, "runtime", mentions
        elif tag == "profiles":
            # A profile holds dependencies and build plugins of its own.
            for profile in _children(child, "profile"):
                yield from _pom_coordinates(profile, declare, mentions)


def _pinned(dependency: str, evidence: Citation, version: str | None,
            scope: Scope) -> Iterator[Sighting | Dependency]:
    """A managed version: it names nothing.

    Its citation is still taken, so that the cursor of `_Pom` passes the pin and the
    dependency declared below it is cited at its own line.
    """
    if callable(evidence):
        evidence()
    return iter(())


class _Pom:
    """A pom's citations: the line of each artifact's ``>artifactId<``, in document order.

    Two artifacts may share an id (``org.postgresql:postgresql`` and
    ``org.testcontainers:postgresql``): each citation takes the id's first occurrence after
    the previous citation, as `evidence.InOrder` does, or its first when none follows.
    """

    def __init__(self, text: Source) -> None:
        self.text = text
        self._offsets: dict[str, list[int]] | None = None
        self._at = 0

    def cite(self, artifact: str) -> str:
        # One pass over the element texts the first time: a BOM lists thousands of
        # artifacts, and a search per artifact from the top would be quadratic.
        if self._offsets is None:
            self._offsets = {}
            for match in _ELEMENT_TEXT.finditer(self.text.text):
                self._offsets.setdefault(match.group(1), []).append(match.start())
        offsets = self._offsets.get(artifact)
        if not offsets:
            return self.text.shown
        after = bisect_left(offsets, self._at)
        at = offsets[after] if after < len(offsets) else offsets[0]
        self._at = at + 1
        return self.text.cite_at(at)


def _coordinate(
    element: Element, scope: Scope, pom: _Pom, lookup: Lookup
) -> Iterator[Sighting | Dependency]:
    group = _child_text(element, "groupId") or ""
    artifact = _child_text(element, "artifactId") or ""
    version = _child_text(element, "version")
    if version and version.startswith("${"):
        version = None
    yield from lookup(f"{group}:{artifact}", partial(pom.cite, artifact), version, scope)


def _gradle(
    index: FileIndex, path: str, catalog: VersionCatalog | None, settings: set[str],
    names: dict[str, str],
) -> Iterator[Finding]:
    text = index.read_text(path)
    if text is None:
        return
    folder = parent_of(path)
    name = names.get(folder) or printable(folder.rpartition("/")[2] or folder)
    yield Component(path=printable(folder), name=name, ecosystems=["java"],
                    manifests=[printable(path)], workspace=folder in settings)
    cited = source(index, path, text)
    manifest = Manifest(index, path, "maven")
    for match in _GRADLE_PLUGIN.finditer(text):
        if _word_before(text, match.start()):
            continue  # `android(...)`, `grid "a"`: not the id of a plugin
        plugin, version = match.groups()
        yield from technologies("gradle_plugin", plugin, partial(cited.cite_at, match.start()),
                                version)
    for match in _GRADLE_DEPENDENCY.finditer(text):
        config, platform, group, artifact, version, more = match.groups()
        if config not in _GRADLE_CONFIGS:
            continue
        scope: Scope = "test" if _GRADLE_TEST_CONFIGS.match(config) else "runtime"
        lookup: Lookup = partial(technologies, "maven") if platform else manifest.declare
        yield from lookup(f"{group}:{artifact}", partial(cited.cite_at, match.start()), version,
                          scope)
        for extra in _GRADLE_COORDINATE.finditer(more):
            group, artifact, version = extra.groups()
            yield from manifest.declare(f"{group}:{artifact}",
                                        partial(cited.cite_at, match.start(6) + extra.start()),
                                        version, scope)
    if catalog is not None:
        yield from _catalog_references(cited, catalog, manifest)


def _word_before(text: str, at: int) -> bool:
    """Whether a letter, digit or underscore comes just before ``at``."""
    return at > 0 and (text[at - 1].isalnum() or text[at - 1] == "_")


def _catalog_references(
    text: Source, catalog: VersionCatalog, manifest: Manifest
) -> Iterator[Sighting | Dependency]:
    for match in _CATALOG_PLUGIN.finditer(text.text):
        plugin = catalog.plugins.get(match.group(1))
        if plugin:
            yield from technologies("gradle_plugin", plugin[0],
                                    partial(text.cite_at, match.start()), plugin[1])
    for match in _CATALOG_LIBRARY.finditer(text.text):
        config, platform, accessor = match.groups()
        library = catalog.libraries.get(accessor)
        if library is None or config not in _GRADLE_CONFIGS:
            continue
        scope: Scope = "test" if _GRADLE_TEST_CONFIGS.match(config) else "runtime"
        lookup: Lookup = partial(technologies, "maven") if platform else manifest.declare
        # Cited at the script's line alone: the catalog lists what modules may use, and a
        # citation of it would make its folder's project a user of every entry.
        yield from lookup(library[0], partial(text.cite_at, match.start()), library[1], scope)
