"""The compiled catalog's cache: named by the files' stat signatures, thawed table by table."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from backend_persona.discover import catalog, catalog_cache
from backend_persona.discover.catalog import shipped


def test_an_edited_catalog_file_names_another_cache(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text("[[technology]]\n", encoding="utf-8")
    (tmp_path / "README.md").write_text("not a catalog file\n", encoding="utf-8")
    before = catalog_cache.folder_signature(str(tmp_path))
    assert before is not None
    assert "README" not in before

    os.utime(tmp_path / "a.toml", ns=(1, 1))
    touched = catalog_cache.folder_signature(str(tmp_path))
    (tmp_path / "a.toml").write_text("[[technology]]\n# more\n", encoding="utf-8")
    os.utime(tmp_path / "a.toml", ns=(1, 1))
    grown = catalog_cache.folder_signature(str(tmp_path))

    signatures = {before, touched, grown}
    assert len(signatures) == 3
    assert len({catalog_cache.cache_stat_path(s) for s in signatures if s}) == 3
    assert catalog_cache.folder_signature(str(tmp_path / "missing")) is None


@pytest.fixture
def compiled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[catalog.Catalog]:
    """The catalog compiled from its files, with `shipped` caching into ``tmp_path``."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    loaded = catalog.load(catalog.catalog_files())
    shipped.cache_clear()
    yield loaded
    shipped.cache_clear()


def test_the_shipped_catalog_is_cached_by_signature_and_matches_its_files(
    tmp_path: Path, compiled: catalog.Catalog
) -> None:
    assert shipped().tables == compiled.tables  # compiled, then written
    (written,) = (tmp_path / "backend-persona").glob("catalog-*-s-*.json")
    shipped.cache_clear()
    assert dict(shipped().tables) == dict(compiled.tables)  # read back, thawed
    assert dict(shipped().technologies) == dict(compiled.technologies)
    assert written.exists()


def test_a_table_that_does_not_thaw_is_taken_from_the_files(
    tmp_path: Path, compiled: catalog.Catalog
) -> None:
    shipped()
    (written,) = (tmp_path / "backend-persona").glob("catalog-*-s-*.json")
    data = json.loads(written.read_text(encoding="utf-8"))
    key = next(iter(data["tables"]["go"]))
    data["tables"]["go"][key] = ["?No Such Technology"]
    written.write_text(json.dumps(data), encoding="utf-8")
    shipped.cache_clear()
    assert shipped().source("go") == compiled.source("go")
    assert shipped().source("npm") == compiled.source("npm")
