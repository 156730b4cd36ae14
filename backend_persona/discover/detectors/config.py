"""Configuration files, by name only: their values are never read, let alone printed."""

from __future__ import annotations

import re
from collections.abc import Iterator

from backend_persona.discover.index import FileIndex
from backend_persona.discover.registry import Finding
from backend_persona.records import Artifact
from backend_persona.safefs import printable

_CONFIG_NAME = re.compile(
    r"""^(\.env(\..+)?|.+\.env
       |application(-[\w.-]+)?\.(ya?ml|properties)
       |bootstrap(-[\w.-]+)?\.(ya?ml|properties)
       |appsettings(\.[\w-]+)?\.json
       |(config|settings|configuration)([._-][\w.-]+)?\.(ya?ml|json|toml|ini|properties|conf)
       |\.?env\.(example|sample|template|local|dev|prod|test)
       |[\w.-]+\.(conf|cfg|ini|properties))$""",
    re.VERBOSE,
)
_CONFIG_FOLDERS = frozenset({"config", "configs", "conf", "configuration", "settings"})
_CONFIG_SUFFIXES = (".yaml", ".yml", ".json", ".toml", ".ini", ".properties", ".conf", ".env")
_NOT_CONFIG = frozenset({"setup.cfg", "tox.ini", "pytest.ini", "mypy.ini", ".editorconfig",
                         "gradle.properties", "gradle-wrapper.properties", "local.properties"})


def detect(index: FileIndex) -> Iterator[Finding]:
    """Application configuration and environment files, listed by path."""
    candidates = set(index.with_suffix(*_CONFIG_SUFFIXES, ".cfg")) | set(
        index.with_name_prefix(".env")
    )
    for path in sorted(candidates):
        name = path.rpartition("/")[2]
        if name in _NOT_CONFIG:
            continue
        folders = path.split("/")[:-1]
        in_config_folder = bool(_CONFIG_FOLDERS.intersection(folders))
        if _CONFIG_NAME.match(name) or (in_config_folder and name.endswith(_CONFIG_SUFFIXES)):
            yield Artifact(section="config", kind="config", path=printable(path))
