"""Hostile manifests (issue 9, items 5, 6 and 10): nothing explodes, every parser is linear.

A YAML alias bomb, nesting deeper than a parser can follow, and manifests large enough to
make a quadratic parse take minutes. Each must cost only its own file: the file becomes a
note, or is parsed in time with its evidence on the right line, and every other file of
the repository still says what it says. Speed itself is measured by ``make bench``; these
tests pin what must still be found.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from backend_persona.context import stack_summary
from backend_persona.discover import catalog, discover_context
from backend_persona.discover.catalog import SOURCES, source
from backend_persona.discover.declared import LISTED_UNKNOWN
from backend_persona.discover.evidence import InOrder, Joined, Source
from backend_persona.discover.index import FileIndex
from backend_persona.discover.keymatch import lookup
from backend_persona.discover.known import Known
from backend_persona.discover.perfile import SkipFile, per_file
from backend_persona.discover.yamlload import MAX_DEPTH
from backend_persona.models import ProjectContext, Technology
from backend_persona.state.session import init_session
from tests.conftest import RepoFactory
from tests.robustness.slow_inputs import GO_MOD, SLOW_CASES, alias_bomb, proto_blank_lines

REDIS_COMPOSE = "services:\n  cache:\n    image: redis:7.2\n"
EXPRESS_PACKAGE = '{\n  "name": "api",\n  "dependencies": {\n    "express": "^4.19.2"\n  }\n}\n'


def found(context: ProjectContext) -> dict[str, Technology]:
    return {t.name: t for t in context.technologies}


def notes_about(context: ProjectContext, path: str) -> list[str]:
    return [note for note in context.notes if note.startswith(f"{path} ")]


# -- the alias bomb --------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["depends_on", "environment"])
def test_an_alias_bomb_costs_only_its_file(make_project: RepoFactory, key: str) -> None:
    bomb = alias_bomb(key)
    assert 520 <= len(bomb.encode()) <= 580  # the attack's size: 529 bytes expand to 9**9
    root = make_project({"docker-compose.yml": bomb, "deploy/compose.yaml": REDIS_COMPOSE,
                         "go.mod": GO_MOD})
    context = discover_context(root, debug=True)
    [note] = notes_about(context, "docker-compose.yml")
    assert re.fullmatch(r"docker-compose\.yml uses YAML aliases that expand past 100,\d{3} "
                        r"nodes; skipped", note), note
    technologies = found(context)
    assert technologies["Redis"].evidence == ["deploy/compose.yaml:3"]
    assert technologies["PostgreSQL"].evidence == ["go.mod:5"]  # pgx; the bomb's Postgres is lost
    # Still listed as a Compose file: it is one, only its content could not be read.
    assert "docker-compose.yml" in [c.path for c in context.containers]


def test_state_init_on_an_alias_bomb_records_the_rest_of_the_stack(
    make_project: RepoFactory,
) -> None:
    root = make_project({"docker-compose.yml": alias_bomb("depends_on"),
                         "deploy/compose.yaml": REDIS_COMPOSE, "go.mod": GO_MOD})
    stored = init_session(str(root), "s1", stack=stack_summary(root))
    assert {"Redis", "PostgreSQL", "pgx"} <= set(stored.stack)


# (file content, the note it must give): aliases that cannot be built, whatever their size.
ALIAS_REFUSALS = {
    "loop": ("x-loop: &loop [1, *loop]\nservices:\n  app:\n    build: .\n    depends_on: *loop\n",
             "uses YAML aliases that refer to themselves"),
    "deeper than written": (
        "x-deep: &deep " + "[" * (MAX_DEPTH - 2) + "]" * (MAX_DEPTH - 2)
        + "\nservices:\n  app:\n    build: .\n    depends_on: [[*deep]]\n",
        "uses YAML aliases that nest past 1,000 levels"),
}


@pytest.mark.parametrize("name", list(ALIAS_REFUSALS))
def test_aliases_that_cannot_be_built_are_refused(make_project: RepoFactory, name: str) -> None:
    content, problem = ALIAS_REFUSALS[name]
    root = make_project({"docker-compose.yml": content, "deploy/compose.yaml": REDIS_COMPOSE},
                        git=False)
    context = discover_context(root, debug=True)
    assert notes_about(context, "docker-compose.yml") == [
        f"docker-compose.yml {problem}; skipped"]
    assert "Redis" in found(context)


def test_aliases_within_the_budget_are_read(make_project: RepoFactory) -> None:
    # The everyday use of aliases: shared settings merged into each service.
    compose = ("x-app: &app\n  build: .\n  environment:\n    DATABASE_URL: postgres://db/app\n"
               "services:\n  api:\n    <<: *app\n  worker:\n    <<: *app\n"
               "  db:\n    image: postgres:16\n")
    context = discover_context(make_project({"docker-compose.yml": compose}), debug=True)
    assert context.notes == []
    assert found(context)["PostgreSQL"].evidence == ["docker-compose.yml:11"]


# -- nesting deeper than a parser follows -----------------------------------------------------

DEEP = "[" * 100_000
# (deep file, its content, a normal file of the same detector, its content, what it yields)
DEEP_MANIFESTS = {
    "package.json": ("web/package.json", DEEP, "api/package.json", EXPRESS_PACKAGE,
                     "Express", "api/package.json:4"),
    "composer.json": ("legacy/composer.json", DEEP, "app/composer.json",
                      '{"require": {"laravel/framework": "^11.0"}}\n', "Laravel",
                      "app/composer.json:1"),
    "Cargo.toml": ("crates/deep/Cargo.toml", "[package]\nname = \"deep\"\nx = " + DEEP,
                   "crates/api/Cargo.toml", '[package]\nname = "api"\n\n[dependencies]\n'
                   'axum = "0.7"\n', "Axum", "crates/api/Cargo.toml:5"),
    "pyproject.toml": ("tools/pyproject.toml", "[project]\nname = \"t\"\nx = " + DEEP,
                       "pyproject.toml", '[project]\nname = "svc"\ndependencies = ["fastapi"]\n',
                       "FastAPI", "pyproject.toml:3"),
    "libs.versions.toml": ("gradle/libs.versions.toml", "[versions]\nx = " + DEEP,
                           "build.gradle", "dependencies {\n    implementation "
                           "'org.postgresql:postgresql:42.7.3'\n}\n", "PostgreSQL",
                           "build.gradle:2"),
    "compose, flow": ("docker-compose.yml", DEEP, "deploy/compose.yaml", REDIS_COMPOSE,
                      "Redis", "deploy/compose.yaml:3"),
    "compose, indentation": ("docker-compose.yml",
                             "".join(" " * n + "a:\n" for n in range(1_100)),
                             "deploy/compose.yaml", REDIS_COMPOSE, "Redis",
                             "deploy/compose.yaml:3"),
}


@pytest.mark.parametrize("name", list(DEEP_MANIFESTS))
def test_a_deeply_nested_manifest_costs_only_its_file(
    make_project: RepoFactory, name: str
) -> None:
    deep_path, deep, normal_path, normal, technology, evidence = DEEP_MANIFESTS[name]
    root = make_project({deep_path: deep, normal_path: normal}, git=False)
    context = discover_context(root, debug=True)
    assert [note for note in notes_about(context, deep_path) if "nest" in note], context.notes
    assert not any("failed" in note for note in context.notes), context.notes
    assert evidence in found(context)[technology].evidence


@pytest.fixture
def pure_python_yaml(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """PyYAML without libyaml, whose parser recurses where libyaml counts."""
    monkeypatch.delattr(yaml, "CSafeLoader")
    yield


@pytest.mark.usefixtures("pure_python_yaml")
@pytest.mark.parametrize("deep", ["[" * 5_000 + "]" * 5_000,
                                  "x: &a 1\nservices: " + "[" * 5_000 + "*a" + "]" * 5_000])
def test_without_libyaml_deep_yaml_is_a_note(make_project: RepoFactory, deep: str) -> None:
    root = make_project({"docker-compose.yml": deep, "deploy/compose.yaml": REDIS_COMPOSE},
                        git=False)
    context = discover_context(root, debug=True)
    assert notes_about(context, "docker-compose.yml") == [
        "docker-compose.yml is nested too deeply to read; skipped"]
    assert "Redis" in found(context)


# -- large inputs: linear, and cited on the right line ----------------------------------------


@pytest.mark.parametrize("name", list(SLOW_CASES))
def test_large_manifests_are_parsed_and_cited_exactly(
    make_project: RepoFactory, name: str
) -> None:
    case = SLOW_CASES[name]
    context = discover_context(make_project(case.files, git=False), debug=True)
    # The only note a large manifest may earn: it declares more unknown dependencies than
    # are listed.
    listed = f"the first {LISTED_UNKNOWN:,} are listed"
    assert [note for note in context.notes if not note.endswith(listed)] == []
    assert case.evidence in found(context)[case.technology].evidence


@pytest.mark.parametrize(("name", "manifest"), [
    ("package.json, 920 KB", "package.json"),
    ("requirements.txt, 1 MB", "requirements.txt"),
    ("csproj, 500 KB of unclosed tags", "src/Shop/Shop.csproj"),
])
def test_a_manifest_of_thousands_lists_the_first_unknown_ones_and_every_known_one(
    make_project: RepoFactory, name: str, manifest: str
) -> None:
    case = SLOW_CASES[name]
    context = discover_context(make_project(case.files, git=False), debug=True)
    [component] = context.components
    known = [d for d in component.dependencies if d.technologies]
    unknown = [d for d in component.dependencies if not d.technologies]
    assert len(unknown) == LISTED_UNKNOWN
    # The known one is listed, on its own line, wherever it is declared: after the unknown
    # ones (package.json, requirements.txt) or before them (the csproj).
    assert [case.evidence] == [d.evidence for d in known]
    assert context.notes == [f"{manifest} declares more than {LISTED_UNKNOWN:,} dependencies "
                             f"the catalog does not know; the first {LISTED_UNKNOWN:,} are listed"]


def test_a_proto_file_with_a_blank_tail_lists_its_service(make_project: RepoFactory) -> None:
    context = discover_context(make_project({"api/orders.proto": proto_blank_lines()},
                                            git=False), debug=True)
    assert [(a.kind, a.detail) for a in context.api_definitions] == [
        ("protobuf", "services: Orders")]


def test_a_file_that_needs_too_many_searches_is_skipped(make_project: RepoFactory) -> None:
    # Twenty thousand services, each running a different Postgres build: every image is
    # cited by its first occurrence, which for each is its own service, further down.
    services = "".join(f"  s{n}:\n    image: postgres:16.{n}-alpine\n" for n in range(20_000))
    root = make_project({"docker-compose.yml": f"services:\n{services}",
                         "deploy/compose.yaml": REDIS_COMPOSE}, git=False)
    context = discover_context(root, debug=True)
    assert notes_about(context, "docker-compose.yml") == [
        "docker-compose.yml holds too many entries to cite; skipped"]
    # Docker Compose is named by the file's presence (a file marker), not by its content.
    assert sorted(found(context)) == ["Docker Compose", "Redis"]


# -- the parts ----------------------------------------------------------------------------------


def _index(tmp_path: Path) -> FileIndex:
    return FileIndex(tmp_path, [])


@pytest.mark.parametrize(("error", "note"), [
    (RecursionError(), "a/b.json is nested too deeply to read; skipped"),
    (SkipFile("holds too many entries to cite"),
     "a/b.json holds too many entries to cite; skipped"),
])
def test_per_file_turns_input_failures_into_one_note(
    tmp_path: Path, error: Exception, note: str
) -> None:
    index = _index(tmp_path)

    def parse() -> Iterator[str]:
        yield "found before the failure"
        raise error

    assert per_file(index, "a/b.json", parse) == []  # nothing half-parsed is kept
    assert index.notes == [note]


def test_per_file_lets_bugs_through(tmp_path: Path) -> None:
    # A bug is the engine's to report as a failed detector, or to raise under --debug.
    def parse() -> Iterator[str]:
        raise KeyError("bug")
        yield "never"

    with pytest.raises(KeyError):
        per_file(_index(tmp_path), "a/b.json", parse)


@pytest.mark.parametrize("text", ["", "a", "a\nb", "a\r\nb\r\n\nc", "\n\n", "x\u2028y\nz\x0cw"])
def test_line_numbers_count_newlines_as_before(text: str) -> None:
    source = Source("f", text)
    for offset in range(len(text) + 1):
        assert source.line_at(offset) == text.count("\n", 0, offset) + 1


def test_first_line_is_the_first_occurrence() -> None:
    source = Source("f.txt", "alpha\nbeta alpha\ngamma\n")
    assert (source.cite("alpha"), source.cite("gamma"), source.cite("delta")) == (
        "f.txt:1", "f.txt:3", "f.txt")


def test_in_order_cites_each_declaration_where_the_reading_has_got_to() -> None:
    text = Source("Cargo.toml", '[package]\ndescription = "axum, tokio"\n[dev-dependencies]\n'
                                'tokio-test = "0.4"\n[dependencies]\naxum = "0.7"\ntokio = "1"\n')
    cited = InOrder(text)
    cited.seek("[dependencies]")
    # Past the description that names them; then a section above, found from the top.
    assert [cited.cite("axum"), cited.cite("tokio"), cited.cite("tokio-test"),
            cited.cite("serde")] == ["Cargo.toml:6", "Cargo.toml:7", "Cargo.toml:4", "Cargo.toml"]


def test_in_order_a_missing_needle_costs_one_scan_of_the_file() -> None:
    text = Source("package.json", "x" * 1_000)
    cited = InOrder(text)
    cited.seek("x" * 500)
    before = text._budget
    assert cited.cite('"absent"') == "package.json"
    # The half below the cursor, then the half above it (up to where the needle would start).
    assert before - text._budget == 1_000 + len('"absent"') - 1


def test_joined_lines_map_back_to_the_file() -> None:
    text = "a \\\n  b\nc\\\n\\\nd\ne\n"
    joined = Joined(text)
    assert [line for _, line in joined.lines()] == text.replace("\\\n", " ").splitlines()
    for offset, line in joined.lines():
        for at, char in enumerate(line):
            original = joined.original(offset + at)
            # Each character is itself in the file, or the space a continuation became.
            assert text[original] == char or (char == " " and text[original:original + 2] == "\\\n")


def _lookup_by_scan(catalog: dict[str, tuple[Known, ...]], dependency: str) -> tuple[Known, ...]:
    """The lookup as it was: every key, every time."""
    exact = catalog.get(dependency)
    if exact is not None:
        return exact
    best: tuple[Known, ...] = ()
    best_length = 0
    for key, known in catalog.items():
        if key[-1] in "/:-." and dependency.startswith(key) and len(key) > best_length:
            best, best_length = known, len(key)
    return best


def _candidates(catalog: dict[str, tuple[Known, ...]]) -> Iterator[str]:
    for key in catalog:
        yield from (key, key[:-1], key + "x", key + "extra/v2", key + ":", key.upper(), "")


@pytest.mark.parametrize("rules", SOURCES)
def test_the_indexed_lookup_answers_as_the_scan_did(rules: str) -> None:
    catalog = dict(source(rules))
    for dependency in _candidates(catalog):
        assert lookup(catalog, dependency) == _lookup_by_scan(catalog, dependency), dependency


def test_a_dockerfiles_install_commands_are_read_to_a_bound(
    make_project: RepoFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    looked_up: list[str] = []
    real = catalog.technologies

    def counting(source_name: str, package: str, *args: Any, **kwargs: Any) -> Any:
        if source_name == "system":
            looked_up.append(package)
        return real(source_name, package, *args, **kwargs)

    monkeypatch.setattr(catalog, "technologies", counting)
    packages = " ".join(f"pkg{n}" for n in range(400))
    text = "FROM debian:12\n" + f"RUN apt-get install -y {packages}\n" * 30
    discover_context(make_project({"Dockerfile": text}, git=False), debug=True)
    assert len(looked_up) == 5000  # 12,000 packages named; the first 5,000 looked up


def test_option_words_that_hold_a_managers_name_start_no_command(
    make_project: RepoFactory,
) -> None:
    # `-apt-get` is an option, not a command: 25,000 of them must cost one linear scan.
    text = "FROM debian:12\nRUN apt-get" + " -apt-get" * 25_000 + "\n"
    context = discover_context(make_project({"Dockerfile": text}, git=False), debug=True)
    assert "Docker" in {t.name for t in context.technologies}
