"""File keys: the patterns ``file`` rules and ``code`` rules name files by.

The catalog README's ``file`` row is the syntax; this module is its one reading.
"""

from __future__ import annotations

from backend_persona.discover.index import FileIndex

# `**/config/cable.yml` is a path at any depth; `*.blade.php` and `*_test.go` are the ends of
# file names (with a dot in them, so that the index's suffix table finds the candidates);
# `**/database/factories/*Factory.php` is such an ending in (or under) a folder;
# `jquery-3*.js` a file name's start and end (a vendored copy with its version in its name).
ANY_DEPTH = "**/"
_ENDING = "*"
# `./Procfile` is a file name at the root only: the same name in a subfolder is something
# else's (a Procfile beside an image's nginx config is its process supervisor's).
_ROOT = "./"


def paths_for(index: FileIndex, key: str) -> list[str]:
    """The paths a file key that is not a prefix names, in path order.

    Args:
        index: The file index of the run.
        key: A ``file`` rule's key, or a ``code`` rule's file pattern.

    Returns:
        The listed paths the key names.
    """
    if key.startswith(_ROOT):
        path = key.removeprefix(_ROOT)
        return [p for p in index.named(path.rpartition("/")[2]) if p == path]
    anywhere = key.startswith(ANY_DEPTH)
    rest = key.removeprefix(ANY_DEPTH)
    folder, slash, pattern = rest.rpartition("/")
    folder += slash
    start, star, ending = pattern.partition(_ENDING)
    if star:
        last = ending[ending.rfind("."):]
        # The ending and the start are a file name's, so each name is asked once, and only
        # those with the ending's suffix (the index's table) are asked at all.
        candidates = index.named(*(name for name in index.names_with_suffix(last.lower())
                                   if _fits(name, start, ending)))
        if not folder:
            return candidates
        # The ending in the folder or below it: at any depth after `**/`, else from the root.
        return [p for p in candidates
                if (f"/{folder}" in f"/{p}" if anywhere else p.startswith(folder))]
    name = rest.rpartition("/")[2]
    if anywhere:
        return [p for p in index.named(name) if p == rest or p.endswith("/" + rest)]
    # A bare name matches in any folder; a key with a folder is one path from the root.
    return index.named(name) if name == key else [p for p in index.named(name) if p == key]


def _fits(name: str, start: str, ending: str) -> bool:
    return len(name) >= len(start) + len(ending) and name.startswith(start) and name.endswith(
        ending)
