"""Container images (and chart and service names) that stand for a technology: ``image`` rules."""

from __future__ import annotations

import re
from collections.abc import Iterator

from backend_persona.discover import catalog, keymatch
from backend_persona.discover.catalog import own_version
from backend_persona.discover.known import Known
from backend_persona.discover.sighting import Sighting
from backend_persona.discover.versions import image_version
from backend_persona.evidence import Citation, cited

_IMAGE = re.compile(r"^[a-z0-9][a-z0-9._/:@-]*$", re.IGNORECASE)
# A registry takes names up to 255 characters, tags up to 128 and digests of ~70; longer is
# not an image, and would make the variable patterns below rescan it from every `:$`.
_MAX_REFERENCE = 1024
# `${REGISTRY}/postgres:${POSTGRES_VERSION}`: the repository is literal, only the registry and
# the tag are variables.
_VARIABLE_TAG = re.compile(r":\$(\{[^}]*\}|[A-Za-z_]\w*)$")
_VARIABLE_REGISTRY = re.compile(r"^\$(\{[^}]*\}|[A-Za-z_]\w*)/")
# `${CLICKHOUSE_IMAGE:-clickhouse/clickhouse-server:24.8}`: the default is what runs.
_DEFAULTED = re.compile(r"^\$\{[A-Za-z_]\w*:?-([^${}]+)\}$")
# The words of a tag (`8.3-apache-bookworm`: `apache`, `bookworm`), for variant rules.
_TAG_WORD = re.compile(r"[a-z]+")


def named_image(name: str) -> tuple[Known, ...]:
    """What an image repository (``bitnami/postgresql``), or its last segment, stands for."""
    table = catalog.source("image")
    return keymatch.lookup(table, name) or keymatch.lookup(table, name.rpartition("/")[2])


def parse_image(reference: str) -> tuple[tuple[Known, ...], str | None] | None:
    """Map an image reference such as ``docker.io/library/postgres:16-alpine`` to technologies.

    Returns:
        The technologies and the version the tag pins (`image_version`), or None.
    """
    reference = reference.strip().strip("\"'")
    if len(reference) > _MAX_REFERENCE:
        return None
    defaulted = _DEFAULTED.match(reference)
    reference = _VARIABLE_TAG.sub("", defaulted.group(1) if defaulted else reference)
    reference = _VARIABLE_REGISTRY.sub("", reference)
    if not reference or "${" in reference or not _IMAGE.match(reference):
        return None
    reference = reference.split("@", 1)[0]
    parts = reference.split("/")
    if len(parts) > 1 and ("." in parts[0] or ":" in parts[0] or parts[0] == "localhost"):
        parts = parts[1:]
    path = "/".join(parts)
    tag: str | None = None
    if ":" in parts[-1]:
        path, _, tag = path.rpartition(":")
    path = path.lower().removeprefix("library/")
    known = named_image(path)
    variants = _variants(path, tag)
    if variants:
        # `php:8.3-apache` runs Apache too; the tag's version is PHP's, not Apache's.
        return known + tuple(k for k in variants if k not in known), None
    if not known:
        return None
    return known, image_version(tag)


def _variants(path: str, tag: str | None) -> tuple[Known, ...]:
    """What a tag's variant words add (`image:word` rules): `php:apache` for `php:8.3-apache`."""
    if not tag:
        return ()
    table = catalog.source("image")
    found: list[Known] = []
    for word in _TAG_WORD.findall(tag.lower()):
        found.extend(table.get(f"{path}:{word}", ()))
    return tuple(dict.fromkeys(found))


def image_technologies(reference: str, evidence: Citation) -> Iterator[Sighting]:
    """The technologies an image reference runs, with the tag as their version."""
    parsed = parse_image(reference)
    if parsed:
        known, version = parsed
        citation = cited(evidence)
        for each in known:
            yield Sighting(name=each.name, category=each.category,
                             version=own_version(each, version), evidence=[citation],
                             implied=each.implied)
