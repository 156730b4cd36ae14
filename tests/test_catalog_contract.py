"""The catalog contract (resources/catalog/README.md), over every file, entry and detector."""

from __future__ import annotations

import ast
import inspect
import json
import tomllib
from collections import defaultdict
from itertools import combinations
from pathlib import Path
from typing import Any

import pytest

from backend_persona.discover import catalog, discover_context, keymatch
from backend_persona.discover.catalog import (
    CATEGORIES,
    SOURCES,
    CatalogError,
    catalog_files,
    load,
    merge,
    shipped,
)
from backend_persona.discover.detectors import DETECTORS
from backend_persona.discover.index import FileIndex
from backend_persona.discover.keymatch import lookup
from backend_persona.discover.known import Known
from backend_persona.discover.sighting import Sighting
from tests.conftest import RepoFactory

FILES = catalog_files()
ENTRIES = merge(FILES)
TABLES: list[tuple[str, dict[str, Any]]] = [
    (name, table) for name, text in FILES for table in tomllib.loads(text).get("technology", [])
]
DEFINITIONS = [(name, table) for name, table in TABLES if "category" in table]
EXTENSIONS = [(name, table) for name, table in TABLES if "category" not in table]


def _id(row: tuple[str, dict[str, Any]]) -> str:
    return f"{row[0]}:{row[1].get('name')}"


@pytest.mark.parametrize(("filename", "text"), FILES, ids=[name for name, _ in FILES])
def test_every_file_parses_as_a_list_of_technologies(filename: str, text: str) -> None:
    data = tomllib.loads(text)
    assert set(data) <= {"technology"}, filename
    assert isinstance(data.get("technology", []), list)


@pytest.mark.parametrize(("filename", "table"), DEFINITIONS, ids=[_id(r) for r in DEFINITIONS])
def test_every_definition_has_a_category_from_the_vocabulary(
    filename: str, table: dict[str, Any]
) -> None:
    assert table["category"] in CATEGORIES, (filename, table["name"])
    assert set(table) <= {"name", "category", "implies", "shares", "versioned", *SOURCES}


@pytest.mark.parametrize(("filename", "table"), EXTENSIONS, ids=[_id(r) for r in EXTENSIONS])
def test_every_extension_extends_a_definition(filename: str, table: dict[str, Any]) -> None:
    assert table["name"] in ENTRIES, (filename, table["name"])


def test_no_name_has_two_categories() -> None:
    categories: dict[str, set[str]] = defaultdict(set)
    for _, table in DEFINITIONS:
        # Case aside, too: `Redis` and `redis` would be two rows for one thing.
        categories[table["name"].lower()].add(table["category"])
    assert {name: cats for name, cats in categories.items() if len(cats) > 1} == {}
    assert len({t["name"] for _, t in DEFINITIONS}) == len(DEFINITIONS)


def _related(first: str, second: str) -> bool:

    def reaches(start: str, goal: str) -> bool:
        seen, pending = set(), [start]
        while pending:
            name = pending.pop()
            if name == goal:
                return True
            if name not in seen:
                seen.add(name)
                pending.extend(ENTRIES[name].implies)
        return False

    return (reaches(first, second) or reaches(second, first)
            or second in ENTRIES[first].shares or first in ENTRIES[second].shares)


def test_no_rule_is_claimed_by_two_unrelated_technologies() -> None:
    claims: dict[tuple[str, str], set[str]] = defaultdict(set)
    for name, entry in ENTRIES.items():
        for source, keys in entry.rules.items():
            for key, _ in keys:
                claims[(source, key)].add(name)
    clashes = [(rule, pair) for rule, names in claims.items()
               for pair in combinations(sorted(names), 2) if not _related(*pair)]
    assert clashes == []


@pytest.mark.parametrize("key", sorted(catalog.shipped().source("code")))
def test_every_code_rule_names_a_file_pattern_and_a_marker(key: str) -> None:
    # An empty marker would be found at the start of every file the pattern names.
    pattern, _, marker = key.partition(" ")
    assert pattern and marker.strip() == marker and marker, key
    assert "*" in pattern or "/" in pattern or "." in pattern, key


@pytest.mark.parametrize("key", sorted(k for k in catalog.shipped().source("file")
                                       if k.startswith("./")))
def test_every_root_only_file_rule_finds_its_file(key: str, tmp_path: Path) -> None:
    path = key.removeprefix("./")
    (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / path).write_text("x\n")
    names = {known.name for known in catalog.source("file")[key]}
    assert names <= {t.name for t in discover_context(tmp_path).technologies}, key


def test_implies_expands_at_load() -> None:
    pgx = lookup(catalog.source("go"), "github.com/jackc/pgx/v5")
    assert {k.name for k in pgx} == {"pgx", "PostgreSQL"}


@pytest.mark.parametrize(("name", "detect"), DETECTORS, ids=[name for name, _ in DETECTORS])
def test_detectors_name_no_technology_themselves(name: str, detect: object) -> None:
    module = inspect.getmodule(detect)
    assert module is not None
    tree = ast.parse(Path(inspect.getfile(module)).read_text("utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            called = getattr(node.func, "id", getattr(node.func, "attr", ""))
            assert called not in {"Known", "k"}, f"{name}: line {node.lineno}"
            for keyword in node.keywords:
                literal = isinstance(keyword.value, ast.Constant)
                assert not (keyword.arg in {"name", "category"} and literal
                            and called in {"Technology", "Sighting"}), f"{name}: line {node.lineno}"


@pytest.mark.parametrize(("name", "detect"), DETECTORS, ids=[name for name, _ in DETECTORS])
def test_detectors_find_nothing_in_an_empty_tree(name: str, detect: Any, tmp_path: Path) -> None:
    assert list(detect(FileIndex(tmp_path, []))) == [], name


def test_detector_names_are_unique_and_sorted() -> None:
    names = [name for name, _ in DETECTORS]
    assert names == sorted(set(names))


BASE = '[[technology]]\nname = "A"\ncategory = "library"\nnpm = ["a"]\n'


@pytest.mark.parametrize(("text", "message"), [
    ("[[technology]\n", "not valid TOML"),
    ('title = "x"\n', "unknown top-level keys"),
    ('technology = "x"\n', "array of tables"),
    ('[[technology]]\ncategory = "library"\n', "has no name"),
    (BASE + 'pip = ["a"]\n', "unknown keys"),
    ('[[technology]]\nname = "B"\ncategory = "rpc"\n', "unknown category"),
    (BASE + BASE.replace('npm = ["a"]', ""), "defined twice"),
    ('[[technology]]\nname = "Nobody"\nnpm = ["x"]\n', "no table defines"),
    (BASE + 'implies = ["Nobody"]\n', "refers to 'Nobody'"),
    (BASE.replace('["a"]', '"a"'), "list of non-empty strings"),
    (BASE + 'versioned = ["a"]\n', "not a package rule of its"),
    (BASE + 'versioned = ["pip:a"]\n', "not a package rule of its"),
    (BASE + 'versioned = ["npm:b"]\n', "not a package rule of its"),
    (BASE + 'image = ["a"]\nversioned = ["image:a"]\n', "not a package rule of its"),
    (BASE + 'versioned = "npm:a"\n', "list of non-empty strings"),
])
def test_a_broken_catalog_is_refused_at_load(text: str, message: str) -> None:
    with pytest.raises(CatalogError, match=message):
        load([("broken.toml", text)])


def test_extensions_merge_into_their_definition_and_implies_chain() -> None:
    merged = load([
        ("a.toml", BASE + 'implies = ["B"]\n'),
        ("b.toml", '[[technology]]\nname = "B"\ncategory = "datastore"\nimplies = ["C"]\n'
                   '[[technology]]\nname = "C"\ncategory = "library"\n'
                   '[[technology]]\nname = "A"\npypi = ["a-py"]\n'),
    ])
    expected = (Known("A", "library"), Known("B", "datastore"), Known("C", "library"))
    assert merged.source("npm")["a"] == merged.source("pypi")["a-py"] == expected
    assert merged.source("go") == {}
    assert merged.named("B") == Known("B", "datastore")


def test_only_a_rules_own_technology_takes_its_version() -> None:
    # A implies B; C lists its own packages, and its share of "a" is not one of them.
    merged = load([
        ("a.toml", BASE + 'implies = ["B"]\nshares = ["C"]\n'),
        ("b.toml", '[[technology]]\nname = "B"\ncategory = "library"\n'
                   '[[technology]]\nname = "C"\ncategory = "library"\nshares = ["A"]\n'
                   'npm = ["a", "c"]\nversioned = ["npm:c"]\n'),
    ])
    assert [(k.name, k.versioned) for k in merged.source("npm")["a"]] == [
        ("A", True), ("B", False), ("C", False)]
    assert merged.named("B").versioned
    found = list(catalog.found(merged.source("npm")["a"], "package.json:3", "1.2.0"))
    assert [(t.name, t.version) for t in found] == [("A", "1.2.0"), ("B", None), ("C", None)]


def test_unknown_sources_and_names_are_bugs() -> None:
    with pytest.raises(CatalogError, match="no rule source"):
        catalog.source("pip")
    with pytest.raises(CatalogError, match="no technology called"):
        catalog.named("Nothing At All")


def test_the_compiled_cache_is_written_once_and_read_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    shipped.cache_clear()
    try:
        first = shipped()
        cached = list((tmp_path / "backend-persona").glob("catalog-*.json"))
        assert len(cached) == 1
        shipped.cache_clear()
        assert shipped().tables == first.tables
        # `Known` equality ignores `versioned`: the flag itself must survive the cache.
        assert not any(k.versioned for k in shipped().source("nuget")["Grpc.AspNetCore"]
                       if k.name == "ASP.NET Core")
        assert [k.versioned for k in shipped().source("nuget")["Grpc.AspNetCore"]
                if k.name == "gRPC"] == [True]
        # So must a companion's mark (plugins.toml).
        assert [(k.name, k.companion) for k in shipped().source("crate")["deno_ast"]] == [
            ("Deno", True)]
        # A cache that is not what this version writes is compiled again, and replaced.
        cached[0].write_text('{"technologies": {"A": "rpc"}, "tables": {}}')
        shipped.cache_clear()
        assert shipped().tables == first.tables
        assert "A" not in json.loads(cached[0].read_text())["technologies"]
    finally:
        shipped.cache_clear()


def test_an_unwritable_cache_folder_costs_only_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "backend-persona").write_text("a file where the folder should be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    shipped.cache_clear()
    try:
        assert shipped().source("go")
    finally:
        shipped.cache_clear()


def test_file_rules_match_names_paths_and_prefixes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rules = load([("t.toml", '[[technology]]\nname = "CI"\ncategory = "ci"\n'
                             'file = [".ci/", "ci/config.yml", "ci.json"]\n')])
    monkeypatch.setattr(catalog, "shipped", lambda: rules)
    files = dict(DETECTORS)["files"]
    paths = [".ci/a.yml", ".ci/b/c.yml", "ci/config.yml", "x/ci/config.yml", "x/ci.json", "ci.txt"]
    found = [t for t in files(FileIndex(tmp_path, paths)) if isinstance(t, Sighting)]
    assert sorted(e for t in found for e in t.evidence) == [
        ".ci/a.yml", ".ci/b/c.yml", "ci/config.yml", "x/ci.json"]
    assert {t.category for t in found} == {"ci"}


def test_file_rules_match_at_any_depth_and_by_ending(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rules = load([("t.toml", '[[technology]]\nname = "V"\ncategory = "frontend"\n'
                             'file = ["**/config/v.yml", "**/app/v/", "*.v.php", '
                             '"**/f/*F.rb", "g/*G.rb"]\n')])
    monkeypatch.setattr(catalog, "shipped", lambda: rules)
    files = dict(DETECTORS)["files"]
    paths = ["config/v.yml", "web/config/v.yml", "v.yml", "web/myconfig/v.yml",
             "app/v/a.rb", "web/app/v/b/c.rb", "web/app/vv/d.rb", "myapp/v/e.rb",
             "views/a.v.php", "views/a.php", "views/v.php.txt",
             "db/f/x/OneF.rb", "f/TwoF.rb", "db/myf/ThreeF.rb", "db/f/Four.rb",
             "g/FiveG.rb", "x/g/SixG.rb"]
    found = [t for t in files(FileIndex(tmp_path, paths)) if isinstance(t, Sighting)]
    assert sorted(e for t in found for e in t.evidence) == [
        "app/v/a.rb", "config/v.yml", "db/f/x/OneF.rb", "f/TwoF.rb", "g/FiveG.rb",
        "views/a.v.php", "web/app/v/b/c.rb", "web/config/v.yml"]


def test_artifact_kinds_name_technologies(make_project: RepoFactory) -> None:
    context = discover_context(make_project({"db/migration/V1__init.sql": "create table t();\n"}))
    flyway = next(t for t in context.technologies if t.name == "Flyway")
    assert (flyway.category, flyway.evidence) == ("migrations", ["db/migration/V1__init.sql"])
    assert [a.kind for a in context.migrations] == ["flyway"]


# Which rules version their technology: the definition's, type stubs and extensions aside,
# unless `versioned` names them; `versioned = []` for a standard or a service.
OWN_RULES = (
    '[[technology]]\nname = "A"\ncategory = "library"\nnpm = ["a", "@types/a", "a-plugin-"]\n'
    'pypi = ["a", "types-a", "a-stubs"]\n'
    '[[technology]]\nname = "A"\nnpm = ["django-a"]\n'
    '[[technology]]\nname = "S"\ncategory = "cloud"\nnpm = ["s-sdk"]\nimage = ["s/s"]\n'
    'versioned = []\n'
    '[[technology]]\nname = "W"\ncategory = "frontend"\nnpm = ["w", "w-rails"]\n'
    '[[technology]]\nname = "W"\ngem = ["w-rails"]\nversioned = ["npm:w"]\n'
)


@pytest.mark.parametrize(("source_name", "key", "versioned"), [
    ("npm", "a", True),
    ("npm", "a-plugin-x", True),       # a prefix rule of the definition is its own
    ("npm", "@types/a", False),        # type stubs follow their own numbering
    ("pypi", "types-a", False),
    ("pypi", "a-stubs", False),
    ("npm", "django-a", False),        # an extension's rule: a wrapper, not the thing
    ("npm", "s-sdk", False),           # a service's SDK
    ("image", "s/s", True),            # but the service's image tag is its own
    ("npm", "w", True),                # `versioned`, from any table, names the own rules
    ("npm", "w-rails", False),
    ("gem", "w-rails", False),
])
def test_a_technology_takes_versions_only_from_its_own_rules(
    source_name: str, key: str, versioned: bool
) -> None:
    merged = load([("own.toml", OWN_RULES)])
    assert [k.versioned for k in keymatch.lookup(merged.source(source_name), key)] == [versioned]


# A plugin's rule (an extension marked `companion = true`) names its technology on the
# dependency, but makes no sighting of it: no version, no evidence, no row of the stack.
PLUGIN_RULES = (
    '[[technology]]\nname = "T"\ncategory = "build"\nnpm = ["t"]\n'
    '[[technology]]\nname = "T"\ncompanion = true\nnpm = ["t-plugin-"]\n'
    '[[technology]]\nname = "T"\nnpm = ["t-wrapper"]\n'
)


@pytest.mark.parametrize(("key", "versioned", "companion", "sightings"), [
    ("t", True, False, 1),
    ("t-plugin-x", False, True, 0),
    ("t-wrapper", False, False, 1),
])
def test_a_companion_names_its_technology_without_a_sighting(
    key: str, versioned: bool, companion: bool, sightings: int
) -> None:
    merged = load([("own.toml", PLUGIN_RULES)])
    known = keymatch.lookup(merged.source("npm"), key)
    assert [(k.name, k.versioned, k.companion) for k in known] == [("T", versioned, companion)]
    assert len(list(catalog.found(known, "package.json:3", "1.0.0"))) == sightings


# A companion of a technology with `implies` makes no sighting of anything:
# `react-error-overlay` is no Create React App, so none of the Jest it implies.
STUB_RULES = (
    '[[technology]]\nname = "J"\ncategory = "testing"\nnpm = ["j"]\n'
    '[[technology]]\nname = "C"\ncategory = "build"\nimplies = ["J"]\nnpm = ["c"]\n'
    '[[technology]]\nname = "C"\ncompanion = true\nnpm = ["c-overlay"]\n'
)


@pytest.mark.parametrize(("source_name", "key", "names", "sightings"), [
    ("npm", "j", ["J"], ["J"]),
    ("npm", "c", ["C", "J"], ["C", "J"]),
    ("npm", "c-overlay", ["C", "J"], []),
])
def test_companions_sight_nothing_they_imply(
    source_name: str, key: str, names: list[str], sightings: list[str]
) -> None:
    merged = load([("own.toml", STUB_RULES)])
    known = keymatch.lookup(merged.source(source_name), key)
    assert sorted(k.name for k in known) == names
    assert sorted(s.name for s in catalog.found(known, "package.json:3", "1.0.0")) == sightings


@pytest.mark.parametrize("table", [
    'name = "V"\ncategory = "build"\ncompanion = true\nnpm = ["v"]\n',
    'name = "T"\ncompanion = "yes"\nnpm = ["t-x"]\n',
])
def test_companion_is_a_flag_of_extensions_only(table: str) -> None:
    with pytest.raises(CatalogError, match="companion"):
        load([("own.toml", '[[technology]]\nname = "T"\ncategory = "build"\nnpm = ["u"]\n'
                           f"[[technology]]\n{table}")])


@pytest.mark.parametrize(("source_name", "key", "name"), [
    ("pypi", "types-boto3", "AWS SDK"), ("npm", "@nestjs/bull", "Bull"),
    ("npm", "@codemirror/commands", "CodeMirror"), ("pypi", "django-rq", "RQ"),
    ("pypi", "django-prometheus", "Prometheus"), ("npm", "@eslint/compat", "ESLint"),
    ("npm", "eslint-plugin-storybook", "ESLint"), ("pypi", "hatchling", "Hatch"),
    ("crate", "aws-sdk-s3", "Amazon S3"), ("gem", "aws-sdk-s3", "Amazon S3"),
    ("crate", "jwt-simple", "JWT"), ("crate", "deno_core", "Deno"), ("npm", "graphql", "GraphQL"),
    ("pypi", "gitpython", "Git"), ("nuget", "Grpc.AspNetCore", "ASP.NET Core"),
    ("gradle_plugin", "io.freefair.lombok", "Lombok"),
    ("npm", "@tailwindcss/forms", "Tailwind CSS"),
    ("npm", "@openapitools/openapi-generator-cli", "OpenAPI Generator"),
    ("pypi", "django-htmx", "htmx"), ("gem", "rotp", "TOTP"), ("npm", "newrelic", "New Relic"),
    ("maven", "io.quarkus:quarkus-junit5", "JUnit"), ("gem", "rspec-rails", "RSpec"),
    ("npm", "@nestjs/passport", "Passport"), ("npm", "nestjs-pino", "Pino"),
    ("npm", "@nestjs/axios", "axios"), ("npm", "prettier-plugin-tailwindcss", "Prettier"),
    ("npm", "@radix-ui/react-dialog", "Radix UI"), ("nuget", "WireMock.Net", "WireMock"),
])
def test_a_sibling_package_never_versions_the_technology(
    source_name: str, key: str, name: str
) -> None:
    known = {k.name: k for k in catalog.match(source_name, key)}
    assert not known[name].versioned


@pytest.mark.parametrize(("source_name", "key", "name"), [
    ("npm", "bull", "Bull"), ("npm", "codemirror", "CodeMirror"), ("pypi", "rq", "RQ"),
    ("npm", "eslint", "ESLint"), ("pypi", "hatch", "Hatch"), ("nuget", "Grpc.AspNetCore", "gRPC"),
    ("nuget", "Microsoft.AspNetCore.OpenApi", "ASP.NET Core"),
    ("npm", "tailwindcss", "Tailwind CSS"),
    ("maven", "org.projectlombok:lombok", "Lombok"),
    ("maven", "org.junit.jupiter:junit-jupiter", "JUnit"),
    ("gem", "rspec-core", "RSpec"),
    ("maven", "com.google.protobuf:protobuf-java", "Protocol Buffers"),
])
def test_the_technologys_own_package_still_versions_it(
    source_name: str, key: str, name: str
) -> None:
    known = {k.name: k for k in catalog.match(source_name, key)}
    assert known[name].versioned
