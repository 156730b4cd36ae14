"""Environment files: image variables and connection-URL schemes, never secret values.

Only two kinds of value are ever looked at: the value of a ``*_IMAGE`` key (an image
reference), and, in example env files and the development or test env files a team commits
for everyone, the scheme of a ``*_URL``/``*_DSN`` value. Everything else is read as a key name
at most: in those same files, the words of a key's name (``OIDC`` in ``SSO_OIDC_ISSUER``) are
the catalog's ``env`` ids, the settings of an integration the application documents.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from backend_persona.discover import catalog
from backend_persona.discover.images import image_technologies
from backend_persona.discover.index import FileIndex
from backend_persona.discover.registry import Finding
from backend_persona.safefs import printable

_ENV_FILE = re.compile(r"^(\.env(\.[\w.-]+)?|[\w.-]+\.env)$")
_EXAMPLE = re.compile(r"example|sample|template|dist|defaults?"
                      r"|(^|[.-])(dev|development|test|testing|ci|docker)([.-]|$)", re.IGNORECASE)
_ASSIGNMENT = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$")
_URL_KEY = re.compile(r"(_URL|_URI|_DSN|_URLS)$")
_SCHEME = re.compile(r"""^["']?([a-z][a-z0-9+]*)://""", re.IGNORECASE)


def detect(index: FileIndex) -> Iterator[Finding]:
    """Images named by ``*_IMAGE`` keys; URL schemes and key words in example env files."""
    words = catalog.matcher(catalog.source("env"))
    for path in sorted(set(index.with_name_prefix(".env") + index.with_suffix(".env"))):
        name = path.rpartition("/")[2]
        if not _ENV_FILE.match(name):
            continue
        example = bool(_EXAMPLE.search(name))
        text = index.read_text(path, limit=256 * 1024) or ""
        for number, line in enumerate(text.splitlines(), start=1):
            match = _ASSIGNMENT.match(line)
            if not match:
                continue
            key, value = match.groups()
            evidence = f"{printable(path)}:{number}"
            if key.endswith("_IMAGE"):
                yield from image_technologies(value.split("#", 1)[0], evidence)
            if not example:
                continue
            if _URL_KEY.search(key):
                scheme = _SCHEME.match(value)
                if scheme:
                    yield from catalog.technologies("scheme", scheme.group(1).lower(), evidence)
            for word in dict.fromkeys(key.upper().split("_")):
                if word:
                    yield from catalog.found(words(word), evidence)
