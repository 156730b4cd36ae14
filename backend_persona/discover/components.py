"""The services map: one component per manifest folder, with what it is built from and uses."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Iterable, Mapping

from backend_persona.discover.index import FileIndex
from backend_persona.discover.kinds import component_kinds
from backend_persona.discover.languages import LANGUAGES
from backend_persona.discover.registry import Link
from backend_persona.records import SCOPE_STRENGTH, Artifact, Component, Dependency, Technology
from backend_persona.safefs import printable

# What a component is built with (its "Frameworks" column), and what it stores data in.
# A file's mere presence (`buf.yaml`, an OpenAPI document) builds nothing: see `presence`.
# Drivers and pools (pgx, HikariCP) are no frameworks, nor are job queues and realtime
# libraries (Bull, Socket.IO): the Stack table names those; API styles have their column.
FRAMEWORK_CATEGORIES = frozenset({"framework", "data-access"})
DATASTORE_CATEGORIES = frozenset({"datastore", "search"})
# What only a server uses: one of them and a component's API styles are its own to serve.
_SERVER_SIDE_CATEGORIES = frozenset({"framework", "data-access", "driver", "migrations",
                                     "datastore", "search", "broker", "jobs", "server"})
# The languages each ecosystem's manifests build; the first is its default.
ECOSYSTEM_LANGUAGES: dict[str, tuple[str, ...]] = {
    "go": ("Go",), "rust": ("Rust",), "python": ("Python",), "php": ("PHP",),
    "ruby": ("Ruby",), "elixir": ("Elixir", "Erlang"), "cpp": ("C++", "C"),
    "java": ("Java", "Kotlin", "Scala", "Groovy", "Clojure"),
    "node": ("TypeScript", "JavaScript"), "dotnet": ("C#", "F#", "Visual Basic"),
}
# Where the default alone would claim too much: a package.json with no sources may be either.
_ECOSYSTEM_NAMES = {"node": "JavaScript/TypeScript", "cpp": "C/C++"}
# Generated sources by their generators' naming (protoc, gRPC, Dart's build_runner, EF Core's
# designer files) or folder: they say what a generator emits, not what the team writes.
_GENERATED_ENDINGS = (".pb.go", "_pb2.py", "_pb2.pyi", "_pb2_grpc.py", "_pb2_grpc.pyi", ".pb.cc",
                      ".pb.h", ".g.dart", ".g.cs", ".Designer.cs", "_generated.go")


def _endings_by_suffix(endings: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """Each ending under its last suffix, lower-cased as the file index files paths."""
    grouped: dict[str, tuple[str, ...]] = {}
    for ending in endings:
        suffix = ending[ending.rfind("."):].lower()
        grouped[suffix] = (*grouped.get(suffix, ()), ending)
    return grouped


_ENDINGS_BY_SUFFIX = _endings_by_suffix(_GENERATED_ENDINGS)
# The rest (`x.generated.ts`, a `generated/` folder) all spell "generated": the regex runs
# only on the few paths that do, not on every source file of a large repository.
_GENERATED = re.compile(r"\.generated\.\w+$|(?:^|/)(?:__generated__|generated)/")


def build_components(
    found: Iterable[Component],
    technologies: list[Technology],
    links: Iterable[Link],
    apis: list[Artifact],
    index: FileIndex,
    *,
    presence: Collection[tuple[str, str]],
    dependencies: Iterable[Dependency],
) -> list[Component]:
    """Merge components by folder and give each its language, stack, datastores and APIs.

    A technology that only a file's presence in a component's folder proves is one of its
    technologies, but not one of its frameworks: ``buf.yaml`` is tooling, and an OpenAPI
    document or a ``.proto`` file is an API the component defines, not a library it is
    built with.

    Args:
        found: Components as detectors reported them, possibly several per folder.
        technologies: The merged technologies, whose evidence decides which component uses them.
        links: Deployment files' statements that a component uses a technology.
        apis: API definitions; each belongs to the component whose folder holds it.
        index: The file index, for each component's main language.
        presence: (technology, evidence) pairs that a file's presence makes (file markers
            and artifacts), which do not make a technology a framework.
        dependencies: What package manifests declare; each belongs to the component whose
            folder holds its manifest.

    Returns:
        Components sorted by path, each with its kind (see `component_kinds`).
    """
    found = list(found)
    by_path = _merge(found)
    uses: dict[str, set[str]] = {path: set() for path in by_path}
    built: dict[str, set[str]] = {path: set() for path in by_path}
    # API styles and tooling (REST, gRPC, buf) say how a component is spoken to; one that
    # only its definitions prove (OpenAPI from openapi.yaml) is said by the definitions.
    styles: dict[str, set[str]] = {path: set() for path in by_path}
    defined = {api.path for api in apis}
    for technology in technologies:
        if technology.scope != "runtime":
            continue
        for evidence in technology.evidence:
            owner = owner_of(evidence.path, by_path)
            if owner is not None:
                uses[owner].add(technology.name)
                if (technology.name, evidence) not in presence:
                    built[owner].add(technology.name)
                if technology.category == "api" and evidence.path not in defined:
                    styles[owner].add(technology.name)
    for link in links:
        owner = owner_of(f"{link.component}/.", by_path)
        if owner is not None:
            uses[owner].add(link.technology)
            built[owner].add(link.technology)
    exposed: dict[str, list[str]] = {path: [] for path in by_path}
    for api in apis:
        owner = owner_of(api.path, by_path)
        if owner is not None:
            exposed[owner].append(f"{api.kind}: {api.detail or api.path.rpartition('/')[2]}")
    declared = _declared(dependencies, by_path)
    categories = {t.name: t.category for t in technologies}
    languages = _main_languages(index, by_path)
    names = _names_in_language(found, languages)
    kinds = component_kinds(by_path, index)
    return [
        component.evolve(
            # A virtual workspace's manifest has no name of its own: its folder's is the one
            # people use.
            name=(printable(index.root.name or str(index.root)) if component.name == "."
                  else names.get(path, component.name)),
            kind=kinds[path],
            language=languages.get(path),
            technologies=_names(uses[path]),
            frameworks=_names(
                b for b in built[path] if categories.get(b) in FRAMEWORK_CATEGORIES
            ),
            datastores=_names(
                u for u in uses[path] if categories.get(u) in DATASTORE_CATEGORIES
            ),
            brokers=_names(u for u in uses[path] if categories.get(u) == "broker"),
            apis=_names(_served(component, styles[path], uses[path], categories))
            + sorted(set(exposed[path])),
            dependencies=sorted(declared[path].values(),
                                key=lambda d: (d.name.lower(), d.name, d.evidence)),
        )
        for path, component in sorted(by_path.items())
    ]


def _declared(
    dependencies: Iterable[Dependency], by_path: dict[str, Component]
) -> dict[str, dict[tuple[str, str], Dependency]]:
    """Each component's dependencies, one per manifest and name."""
    declared: dict[str, dict[tuple[str, str], Dependency]] = {path: {} for path in by_path}
    for dependency in dependencies:
        manifest = dependency.evidence.path
        owner = owner_of(manifest, by_path)
        if owner is None:
            continue
        kept = declared[owner].setdefault((manifest, dependency.name), dependency)
        # `Manifest` lists a name once per reading of a manifest (twice if declared again in
        # a stronger scope), and a requirements file that two others include is read once
        # in each scope: the strongest declaration is kept, the first of equals.
        if SCOPE_STRENGTH[dependency.scope] < SCOPE_STRENGTH[kept.scope]:
            declared[owner][(manifest, dependency.name)] = dependency
    return declared


def _merge(found: Iterable[Component]) -> dict[str, Component]:
    by_path: dict[str, Component] = {}
    for component in sorted(found, key=lambda c: (c.path, c.manifests)):
        known = by_path.get(component.path)
        if known is None:
            by_path[component.path] = component
            continue
        by_path[component.path] = known.evolve(
            ecosystems=sorted({*known.ecosystems, *component.ecosystems}),
            manifests=sorted({*known.manifests, *component.manifests}),
            workspace=known.workspace or component.workspace,
        )
    return by_path


def _served(component: Component, styles: set[str], uses: set[str],
            categories: Mapping[str, str]) -> set[str]:
    """The API styles a component serves, of those its dependencies name.

    A JavaScript user interface with nothing server-side among what it uses (a GraphiQL
    page, a React app) is a client of the styles its packages name, not a server of them.
    Any other ecosystem, or one server-side technology, and the styles stand.
    """
    used = {categories.get(u) for u in uses}
    if (set(component.ecosystems) == {"node"} and "frontend" in used
            and not used & _SERVER_SIDE_CATEGORIES):
        return set()
    return styles


def _names_in_language(found: Iterable[Component], languages: dict[str, str]) -> dict[str, str]:
    """The name of each folder's component from the manifest of the language it speaks.

    A folder with two ecosystems' manifests (a Go module beside a Composer package that
    publishes another folder's PHP) goes by the name its own language's manifest gives.
    """
    names: dict[str, str] = {}
    for component in sorted(found, key=lambda c: (c.path, c.manifests)):
        language = languages.get(component.path)
        if component.path not in names and any(
                language in ECOSYSTEM_LANGUAGES.get(e, ()) for e in component.ecosystems):
            names[component.path] = component.name
    return names


def _names(names: Iterable[str]) -> list[str]:
    return sorted(set(names), key=str.lower)


def owner_of(path: str, components: dict[str, Component]) -> str | None:
    """The deepest component folder that holds ``path``, or None."""
    folder = path.rpartition("/")[0] or "."
    while True:
        if folder in components:
            return folder
        if folder == ".":
            return None
        folder = folder.rpartition("/")[0] or "."


def _main_languages(index: FileIndex, components: dict[str, Component]) -> dict[str, str]:
    """Each component's language: its manifests' ecosystem first, then that ecosystem's files.

    Only the languages a component's ecosystems build count, so that a Spring service's
    static JavaScript or a crate's shell scripts never name it; generated code never counts.
    A workspace root without sources of its own speaks its members' language; a component
    with no sources at all is named by its ecosystem (a Maven module is Java).
    """
    counts = _language_counts(index, components)
    languages: dict[str, str] = {}
    # Deepest first: a workspace's members are decided before the workspace itself.
    for path in sorted(components, key=lambda p: (-_depth(p), p)):
        component = components[path]
        allowed = {lang for e in component.ecosystems for lang in ECOSYSTEM_LANGUAGES.get(e, ())}
        own = Counter({lang: n for lang, n in counts[path].items() if lang in allowed})
        if not own and component.workspace:
            own = Counter(lang for member, lang in languages.items() if lang in allowed
                          and member != path and owner_of(f"{member}/.", {path: component}))
        if own:
            languages[path] = _majority(own)
        elif component.ecosystems[0] in ECOSYSTEM_LANGUAGES:
            languages[path] = ecosystem_language(component.ecosystems[0])
    return languages


def ecosystem_language(ecosystem: str) -> str:
    """The language an ecosystem's manifest stands for, before any source file is counted."""
    return _ECOSYSTEM_NAMES.get(ecosystem) or ECOSYSTEM_LANGUAGES.get(ecosystem, (ecosystem,))[0]


def _depth(path: str) -> int:
    return 0 if path == "." else path.count("/") + 1


def _majority(counts: Counter[str]) -> str:
    return min(counts.items(), key=lambda i: (-i[1], i[0]))[0]


def _language_counts(index: FileIndex, components: dict[str, Component]) -> dict[str, Counter[str]]:
    """Source files per language in each component's own folders, generated code left out."""
    counts: dict[str, Counter[str]] = {path: Counter() for path in components}
    owners: dict[str, str | None] = {}
    generated = _GENERATED.search
    for suffix, language in LANGUAGES.items():
        # One language at a time, counted per folder: no key or call per file beyond these.
        per_folder: dict[str, int] = {}
        # Only the endings of this suffix can end its files (`.pb.go` a `.go` file's).
        endings = _ENDINGS_BY_SUFFIX.get(suffix, ())
        for path in index.with_suffix(suffix, ordered=False):
            if (endings and path.endswith(endings)) or ("generated" in path
                                                        and generated(path)):
                continue
            folder = path.rpartition("/")[0] or "."
            per_folder[folder] = per_folder.get(folder, 0) + 1
        for folder, files in per_folder.items():
            if folder not in owners:
                owners[folder] = owner_of(printable(folder) + "/.", components)
            owner = owners[folder]
            if owner is not None:
                counts[owner][language] += files
    return counts
