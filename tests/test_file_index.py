"""The file index's tables: own paths, names and suffixes, made in one pass."""

from __future__ import annotations

from pathlib import Path

from backend_persona.discover.index import FileIndex

PATHS = sorted([
    "go.mod", "main.go", "web/package.json", "web/node_modules/left-pad/package.json",
    "web/node_modules/left-pad/index.JS", "vendor/github.com/x/y.go", "myvendor/z.go",
    "third_party/a/b/c.go", "src/vendors/v.go", "a/.venv/lib/site.py", "README",
    "docs/.hidden",
])


def test_vendored_folders_at_any_depth_are_left_out_of_every_table(tmp_path: Path) -> None:
    index = FileIndex(tmp_path, list(PATHS))

    assert index.own_paths == ["README", "docs/.hidden", "go.mod", "main.go", "myvendor/z.go",
                               "src/vendors/v.go", "web/package.json"]
    assert index.named("package.json") == ["web/package.json"]
    assert index.with_suffix(".go") == ["main.go", "myvendor/z.go", "src/vendors/v.go"]
    assert index.with_suffix(".js", ".py") == []
    # A name that starts with its only dot has no suffix.
    assert ".hidden" not in index.suffix_counts()
    assert index.suffix_counts() == {".mod": 1, ".go": 3, ".json": 1}
    # Each own name once, by its suffix: what file keys ask about instead of every path.
    assert sorted(index.names_with_suffix(".go")) == ["main.go", "v.go", "z.go"]
    assert index.names_with_suffix(".js") == []


def test_without_vendored_folders_the_own_paths_are_the_paths(tmp_path: Path) -> None:
    paths = ["a/b.py", "a/c.py", "b/a.py", "z.txt"]
    index = FileIndex(tmp_path, paths)

    assert index.own_paths is paths
    assert index.with_suffix(".py") == ["a/b.py", "a/c.py", "b/a.py"]
    assert index.named("a.py") == ["b/a.py"]


def test_has_answers_what_named_lists(tmp_path: Path) -> None:
    index = FileIndex(tmp_path, list(PATHS))

    for path in [*PATHS, "web", "package.json", "other/go.mod", "/go.mod", "go.mod/"]:
        assert index.has(path) == (path in index.named(path.rpartition("/")[2])), path
    assert index.has("web/package.json")
    assert not index.has("web/node_modules/left-pad/package.json")  # vendored


def test_generated_sources_are_left_out_of_a_components_languages(tmp_path: Path) -> None:
    from backend_persona.discover.components import _language_counts  # noqa: PLC0415
    from backend_persona.records import Component  # noqa: PLC0415

    paths = sorted([
        "svc/main.go", "svc/api.pb.go", "svc/db_generated.go", "svc/Odd.PB.GO",
        "svc/generated/z.go", "svc/m_pb2.py", "svc/m_pb2_grpc.py", "svc/tool.py",
        "svc/Form.Designer.cs", "svc/Form.cs", "svc/ui.g.dart", "svc/x.generated.ts",
        "svc/y.ts", "top.go",
    ])
    components = {"svc": Component(path="svc", name="svc", ecosystems=["go"],
                                   manifests=["svc/go.mod"])}

    counts = _language_counts(FileIndex(tmp_path, paths), components)

    # Endings are matched as they are spelt: `Odd.PB.GO` is no protoc output.
    assert dict(counts["svc"]) == {"Go": 2, "Python": 1, "C#": 1, "TypeScript": 1}
