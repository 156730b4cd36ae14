"""Direct dependencies that package manifests declare: each one listed, known or not.

The detectors of package manifests (npm, PyPI, Maven, Gradle, Go, Cargo, gems, Hex,
Composer, NuGet) hand every dependency a manifest declares to `Manifest.declare`, which
yields what the catalog says it stands for and the declaration itself, a `Dependency`.
What a file only mentions (an image, a URL scheme, a file marker, a project SDK, a BOM it
imports, a parent POM, a build plugin) goes to `catalog.technologies`, and is no dependency.
"""

from __future__ import annotations

from collections.abc import Iterator

from backend_persona.discover import catalog, keymatch
from backend_persona.discover.index import FileIndex
from backend_persona.discover.known import Known
from backend_persona.discover.sighting import Sighting
from backend_persona.discover.versions import safe_version
from backend_persona.evidence import Citation, cited
from backend_persona.records import SCOPE_STRENGTH, Dependency, Scope
from backend_persona.safefs import printable

# Dependencies the catalog does not know that one manifest may list. Real manifests declare
# a few hundred at most; a generated one with tens of thousands would cost a citation and a
# model each, and hundreds of megabytes in a monorepo of copies. Known ones always count.
LISTED_UNKNOWN = 1_000


# The npm scope of DefinitelyTyped's typings packages.
_TYPINGS = "@types/"
# Maven groups that republish npm packages as jars: mvnpm's `org.mvnpm:lit` is npm's `lit`,
# `org.mvnpm.at.vaadin:router` is `@vaadin/router`; WebJars' `org.webjars.npm:lit` is `lit`
# and `org.webjars.npm:vaadin__router` `@vaadin/router`.
_NPM_GROUP = ("org.mvnpm", "org.webjars.npm")
_NPM_SCOPED_GROUP = "org.mvnpm.at."


class Manifest:
    """The declarations of one package manifest, as its detector reads them."""

    def __init__(self, index: FileIndex, path: str, source_name: str) -> None:
        """Declare the dependencies of ``path``, ids of the catalog's ``source_name`` rules.

        Args:
            index: The file index, which collects the note of a manifest past the limit.
            path: The manifest, as the index lists it.
            source_name: The rule source its ids belong to (``npm``, ``maven``, ``go``...).
        """
        self._index = index
        self._path = path
        # The table once per manifest, not once per dependency: a manifest may list thousands.
        self._match = keymatch.matcher(catalog.source(source_name),
                                      caseless=source_name in catalog.CASELESS_SOURCES)
        self._typings = source_name == "npm"
        self._npm = keymatch.matcher(catalog.source("npm")) if source_name == "maven" else None
        # The strength of the scope each listed name was declared in, and how many of the
        # names are unknown.
        self._listed: dict[str, int] = {}
        self._unknown = 0

    def declare(
        self,
        dependency: str,
        evidence: Citation,
        version: str | None = None,
        scope: Scope = "runtime",
    ) -> Iterator[Sighting | Dependency]:
        """Yield the technologies ``dependency`` stands for, then its `Dependency`.

        A name declared again (in ``dependencies`` and ``devDependencies``, in two groups,
        on two lines) is listed once: the first declaration in the strongest scope is kept,
        as a technology's sightings fold. Each declaration still proves the technologies.

        Args:
            dependency: The dependency's id, as the catalog's rules name it.
            evidence: The declaring line's citation, or a function that makes it: called
                unless the dependency is unknown and past `LISTED_UNKNOWN`.
            version: The version the manifest asks for; printed only if `safe_version`.
            scope: Where the dependency is used.
        """
        known = self._match(dependency) or self._typed(dependency) or self._repackaged(dependency)
        listed = self._listed.get(dependency)
        if listed is None:
            if not known:
                self._unknown += 1
                if self._unknown > LISTED_UNKNOWN:
                    if self._unknown == LISTED_UNKNOWN + 1:
                        self._index.note(
                            f"{printable(self._path)} declares more than {LISTED_UNKNOWN:,} "
                            f"dependencies the catalog does not know; the first "
                            f"{LISTED_UNKNOWN:,} are listed")
                    return
        elif listed <= SCOPE_STRENGTH[scope]:
            yield from catalog.found(known, evidence, version, scope)
            return
        citation = cited(evidence)
        yield from catalog.found(known, citation, version, scope)
        self._listed[dependency] = SCOPE_STRENGTH[scope]
        yield Dependency(name=dependency, version=safe_version(version) or None, scope=scope,
                         evidence=citation, technologies=[k.name for k in known])

    def _repackaged(self, dependency: str) -> tuple[Known, ...]:
        """What the npm package that a Maven coordinate republishes stands for.

        The jar is the package itself, at the package's own version.
        """
        if self._npm is None:
            return ()
        group, _, artifact = dependency.partition(":")
        if group in _NPM_GROUP:
            scope, separator, name = artifact.partition("__")
            package = f"@{scope}/{name}" if separator else artifact
        elif group.startswith(_NPM_SCOPED_GROUP) and artifact:
            package = f"@{group.removeprefix(_NPM_SCOPED_GROUP)}/{artifact}"
        else:
            return ()
        return self._npm(package)

    def _typed(self, dependency: str) -> tuple[Known, ...]:
        """What a DefinitelyTyped package's library stands for, without its version.

        ``@types/express`` types express, ``@types/babel__core`` types ``@babel/core``; the
        typings' version is never the library's, and they are no sighting of it: a project
        keeps ``@types/jest`` for another runner's globals, or long after the library went.
        """
        if not self._typings or not dependency.startswith(_TYPINGS):
            return ()
        typed = dependency.removeprefix(_TYPINGS)
        scope, separator, name = typed.partition("__")
        library = f"@{scope}/{name}" if separator else typed
        return tuple(known.evolve(versioned=False, companion=True)
                     for known in self._match(library))
