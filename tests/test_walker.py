"""File discovery: git's own list inside a work tree, gitignore rules outside, and hostile trees."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from backend_persona import git
from backend_persona.discover.index import FileIndex
from backend_persona.discover.walker import MAX_GITIGNORE_BYTES, index_directory
from backend_persona.models import ProjectContext
from backend_persona.records import GitState
from tests.conftest import RepoFactory, init_repo

PYTHON = sys.executable


def paths_of(root: Path) -> list[str]:
    index, _ = index_directory(root)
    return index.paths


def run_context(root: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    """The real CLI in a subprocess: a hang fails the test instead of stalling the suite."""
    return subprocess.run(
        [PYTHON, "-m", "backend_persona", "context", str(root), *extra],
        capture_output=True, text=True, timeout=120, check=False,
    )


def context_json(root: Path) -> ProjectContext:
    done = run_context(root, "--format", "json")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    return ProjectContext.model_validate(json.loads(done.stdout))


# --- inside git ---------------------------------------------------------------------------


def test_git_lists_tracked_and_untracked_files_that_are_not_ignored(
    make_project: RepoFactory,
) -> None:
    root = make_project({
        ".gitignore": "*.log\nbuild/\n",
        "main.go": "package main\n",
        "forced.log": "tracked although ignored\n",
    })
    (root / "new.go").write_text("package main\n")
    (root / "debug.log").write_text("noise\n")
    (root / "build").mkdir()
    (root / "build" / "out.go").write_text("package out\n")
    subprocess.run(["git", "-C", str(root), "add", "-f", "forced.log"], check=True)

    assert paths_of(root) == [".gitignore", "forced.log", "main.go", "new.go"]


def ignore_nested(root: Path) -> None:
    (root / "svc" / ".gitignore").write_text("local.yaml\n")


def ignore_info_exclude(root: Path) -> None:
    (root / ".git" / "info" / "exclude").write_text("svc/local.yaml\n")


def ignore_global_excludes(root: Path) -> None:
    excludes = root.parent / "global-excludes"
    excludes.write_text("local.yaml\n")
    config = Path(os.environ["GIT_CONFIG_GLOBAL"])
    config.write_text(config.read_text() + f"[core]\n\texcludesFile = {excludes}\n")


IGNORE_SOURCES: dict[str, Callable[[Path], None]] = {
    "nested-gitignore": ignore_nested,
    "info-exclude": ignore_info_exclude,
    "global-excludes-file": ignore_global_excludes,
}


@pytest.mark.parametrize("configure", IGNORE_SOURCES.values(), ids=IGNORE_SOURCES.keys())
def test_git_honours_every_ignore_source(
    make_project: RepoFactory, configure: Callable[[Path], None]
) -> None:
    root = make_project({"svc/main.go": "package main\n"})
    configure(root)
    (root / "svc" / "local.yaml").write_text("ignored: true\n")
    (root / "svc" / "shared.yaml").write_text("ignored: false\n")

    listed = paths_of(root)

    assert "svc/local.yaml" not in listed
    assert "svc/shared.yaml" in listed


def test_without_the_ignore_source_the_file_would_be_listed(make_project: RepoFactory) -> None:
    # The control for the table above: the ignore source, not something else, hides the file.
    root = make_project({"svc/main.go": "package main\n"})
    (root / "svc" / "local.yaml").write_text("ignored: true\n")

    assert "svc/local.yaml" in paths_of(root)


def test_subdirectory_path_lists_only_that_subtree_relative_to_it(
    make_project: RepoFactory,
) -> None:
    root = make_project({
        "README.md": "# monorepo\n",
        "services/api/go.mod": "module example.com/api\n\ngo 1.22\n",
        "services/api/main.go": "package main\n",
        "services/web/package.json": "{}\n",
    })
    (root / "services" / "api" / "new.go").write_text("package main\n")

    index, state = index_directory(root / "services" / "api")

    assert index.paths == ["go.mod", "main.go", "new.go"]
    assert state.branch == "main"
    assert state.status == "ok"


# --- outside git --------------------------------------------------------------------------

GITIGNORE_TREE = {
    ".gitignore": "*.log\n!keep.log\nbuild/\n/only-root.txt\n",
    "sub/.gitignore": "local.txt\n!important.log\n/gen/\n",
}

# (path, listed?) under the two .gitignore files above.
GITIGNORE_CASES = [
    ("app.py", True),
    ("debug.log", False),
    ("keep.log", True),
    ("build/x.py", False),
    ("deep/build/x.py", False),
    ("only-root.txt", False),
    ("sub/only-root.txt", True),
    ("local.txt", True),
    ("sub/local.txt", False),
    ("sub/deeper/local.txt", False),
    ("sub/important.log", True),
    ("sub/other.log", False),
    ("sub/gen/a.py", False),
    ("sub/deeper/gen/a.py", True),
    ("sub/.gitignore", True),
]


@pytest.mark.parametrize(("path", "listed"), GITIGNORE_CASES)
def test_outside_git_gitignore_semantics(
    make_project: RepoFactory, path: str, listed: bool
) -> None:
    root = make_project({**GITIGNORE_TREE, path: "x\n"}, git=False)

    index, state = index_directory(root)

    assert state.status == "not-a-repository"
    assert (path in index.paths) is listed


def test_outside_git_agrees_with_git_on_the_same_tree(make_project: RepoFactory) -> None:
    files = {**GITIGNORE_TREE, **{path: "x\n" for path, _ in GITIGNORE_CASES}}
    walked = paths_of(make_project(files, git=False))
    in_git = paths_of(make_project(files, commit=False))

    assert walked == in_git


@pytest.fixture
def listed_folders(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Record every folder the walker lists; the real os.scandir still does the listing."""
    seen: list[str] = []
    real_scandir = os.scandir

    def recording_scandir(path: str) -> object:
        seen.append(str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", recording_scandir)
    yield seen


@pytest.fixture
def locked_folders() -> Iterator[list[Path]]:
    """Folders chmod 000 for one test, restored so that tmp_path can be cleaned up."""
    locked: list[Path] = []
    yield locked
    for folder in locked:
        folder.chmod(0o755)


@pytest.mark.parametrize("ignored", ["node_modules", "target"])
def test_ignored_heavy_folders_are_never_descended_into(
    make_project: RepoFactory,
    listed_folders: list[str],
    locked_folders: list[Path],
    ignored: str,
) -> None:
    root = make_project({".gitignore": f"{ignored}/\n", "src/main.rs": "fn main() {}\n"},
                        git=False)
    heavy = root / ignored / "pkg"
    heavy.mkdir(parents=True)
    for number in range(2000):
        (heavy / f"file{number}.js").write_text("")
    unreadable = root / ignored / "locked"
    unreadable.mkdir()
    unreadable.chmod(0o000)  # listing it raises for any user but root
    locked_folders.append(unreadable)

    index, _ = index_directory(root)

    assert index.paths == [".gitignore", "src/main.rs"]
    assert not [folder for folder in listed_folders if ignored in folder]
    assert [folder for folder in listed_folders if folder.endswith("src")]  # the spy works
    assert not [note for note in index.notes if "could not list" in note]


@pytest.mark.skipif(os.geteuid() == 0, reason="root lists a chmod 000 folder anyway")
def test_unreadable_folder_that_is_not_ignored_becomes_a_note(
    make_project: RepoFactory, locked_folders: list[Path]
) -> None:
    root = make_project({"src/main.rs": "fn main() {}\n"}, git=False)
    unreadable = root / "locked"
    unreadable.mkdir()
    unreadable.chmod(0o000)
    locked_folders.append(unreadable)

    index, _ = index_directory(root)

    assert index.paths == ["src/main.rs"]
    assert "could not list locked; skipped" in index.notes


def test_git_missing_from_path_falls_back_to_gitignore_rules(
    make_project: RepoFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = make_project({".gitignore": "node_modules/\n", "main.go": "package main\n",
                         "node_modules/x/index.js": ""})
    no_git = tmp_path / "bin-without-git"
    no_git.mkdir()
    monkeypatch.setenv("PATH", str(no_git))

    index, state = index_directory(root)

    assert state.status == "git-unavailable"
    assert index.paths == [".gitignore", "main.go"]  # .git/ itself is never listed
    assert "git is not installed; files were listed with .gitignore rules" in index.notes


# --- hostile trees ------------------------------------------------------------------------


def symlink_loops(root: Path) -> None:
    (root / "loop").symlink_to(".")
    (root / "a").mkdir()
    (root / "a" / "b").symlink_to("../a")


def dangling_links(root: Path) -> None:
    (root / "gone").symlink_to("does-not-exist")
    (root / "svc").mkdir()
    (root / "svc" / "go.mod").symlink_to("../nowhere/go.mod")


def non_utf8_names(root: Path) -> None:
    raw = os.fsencode(root)
    os.mkdir(os.path.join(raw, b"caf\xe9"))
    with open(os.path.join(raw, b"caf\xe9", b"handler\xff.go"), "wb") as handle:
        handle.write(b"package main\n")
    with open(os.path.join(raw, b"caf\xe9", b"package.json"), "wb") as handle:
        handle.write(b'{"name": "caf\xc3\xa9", "dependencies": {"express": "^4.19.0"}}\n')


def huge_manifest(root: Path) -> None:
    padding = " " * (1024 * 1024 + 10)
    (root / "package.json").write_text('{"dependencies": {"express": "^4"}}' + padding)


def binary_manifest(root: Path) -> None:
    (root / "go.mod").write_bytes(b"module example.com/x\n\x00\x01\x02require gin v1\n")


HOSTILE_TREES: dict[str, Callable[[Path], None]] = {
    "symlink-loops": symlink_loops,
    "dangling-links": dangling_links,
    "non-utf8-names": non_utf8_names,
    "huge-manifest": huge_manifest,
    "binary-manifest": binary_manifest,
}


@pytest.mark.parametrize("in_git", [True, False], ids=["git", "no-git"])
@pytest.mark.parametrize("build", HOSTILE_TREES.values(), ids=HOSTILE_TREES.keys())
def test_hostile_trees_give_a_context_and_exit_0(
    make_project: RepoFactory, build: Callable[[Path], None], in_git: bool
) -> None:
    root = make_project({"main.py": "print('hi')\n"}, git=False)
    build(root)
    if in_git:
        init_repo(root)

    found = context_json(root)
    markdown = run_context(root)

    assert markdown.returncode == 0, markdown.stderr
    assert markdown.stdout.startswith("## Project context: ")
    assert found.file_count >= 1


@pytest.mark.parametrize("in_git", [True, False], ids=["git", "no-git"])
def test_symlinked_manifest_is_never_read(
    make_project: RepoFactory, tmp_path: Path, in_git: bool
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "package.json").write_text('{"dependencies": {"express": "^4"}}\n')
    root = make_project({"main.py": ""}, git=False)
    (root / "package.json").symlink_to(outside / "package.json")
    if in_git:
        init_repo(root)

    found = context_json(root)

    assert "Express" not in [t.name for t in found.technologies]
    assert found.components == []


def test_non_utf8_names_are_shown_with_replacement_characters(make_project: RepoFactory) -> None:
    root = make_project({}, git=False)
    non_utf8_names(root)
    init_repo(root)

    found = context_json(root)

    assert [(c.path, c.name) for c in found.components] == [("caf\ufffd", "café")]
    express = next(t for t in found.technologies if t.name == "Express")
    assert express.evidence == ["caf\ufffd/package.json:1"]
    assert [(lang.name, lang.files) for lang in found.languages] == [("Go", 1)]


def test_huge_manifest_is_noted_and_not_read(make_project: RepoFactory) -> None:
    root = make_project({}, git=False)
    huge_manifest(root)
    init_repo(root)

    found = context_json(root)

    assert "package.json is 1.0 MB; not read" in found.notes
    assert "Express" not in [t.name for t in found.technologies]


def test_binary_manifest_is_noted_and_not_parsed(make_project: RepoFactory) -> None:
    root = make_project({}, git=False)
    binary_manifest(root)
    init_repo(root)

    found = context_json(root)

    assert "go.mod is binary; not read" in found.notes
    assert found.components == []


def test_tracked_files_deleted_from_disk_are_noted_and_skipped(
    make_project: RepoFactory,
) -> None:
    root = make_project({"go.mod": "module example.com/gone\n\ngo 1.22\n",
                         "main.go": "package main\n", "util.go": "package main\n"})
    (root / "go.mod").unlink()
    (root / "util.go").unlink()

    found = context_json(root)

    assert "2 tracked file(s) are missing from disk" in found.notes
    assert found.file_count == 1
    assert found.components == []
    assert found.git.uncommitted == 2


@pytest.mark.parametrize("in_git", [True, False], ids=["git", "no-git"])
@pytest.mark.parametrize("name", ["package.json", "openapi.yaml", "requirements.txt"])
def test_fifo_named_like_a_manifest_does_not_hang(
    make_project: RepoFactory, name: str, in_git: bool
) -> None:
    root = make_project({"main.py": ""}, git=in_git)
    os.mkfifo(root / name)

    found = context_json(root)  # nobody ever writes to the FIFO: a blocking read would hang

    assert found.technologies == []
    assert not [note for note in found.notes if "binary" in note or "MB" in note]


def test_empty_repository_without_commits(make_project: RepoFactory) -> None:
    root = make_project({"Cargo.toml": '[package]\nname = "svc"\n\n[dependencies]\naxum = "0.7"\n'},
                        commit=False)

    found = context_json(root)

    assert found.git.status == "no-commits"
    assert found.file_count == 1
    assert [t.name for t in found.technologies if t.name == "Axum"] == ["Axum"]


def test_entirely_empty_repository(make_project: RepoFactory) -> None:
    root = make_project({}, commit=False)

    found = context_json(root)

    assert found.git.summary == "branch main, no commits yet"
    assert found.file_count == 0
    assert found.technologies == []


# --- hostile .gitignore files outside git -------------------------------------------------

# Lines git drops and pathspec refuses, each with another exception type; "[[a]" compiles
# with a FutureWarning that must not reach stderr.
BAD_PATTERNS = ["[z-a]", "[a-[]", "trailing\\", "[[a]"]


@pytest.mark.parametrize("bad", BAD_PATTERNS)
def test_a_pattern_pathspec_cannot_compile_is_dropped_and_the_rest_kept(
    make_project: RepoFactory, bad: str
) -> None:
    root = make_project({".gitignore": f"{bad}\n*.log\n", "main.py": "", "debug.log": ""},
                        git=False)

    with warnings.catch_warnings(record=True) as warned:
        warnings.simplefilter("always")
        index, _ = index_directory(root)

    assert index.paths == [".gitignore", "main.py"]  # *.log still applies
    assert warned == []


def test_a_pattern_that_cannot_compile_never_fails_the_cli(make_project: RepoFactory) -> None:
    root = make_project({".gitignore": "[z-a]\n[[a]\n*.log\n", "main.py": "", "debug.log": ""},
                        git=False)

    found = context_json(root)  # exit 0 (not 3), and nothing on stderr

    assert found.file_count == 2


def test_an_oversized_gitignore_is_noted_and_not_applied(make_project: RepoFactory) -> None:
    padding = "# padding\n" * (MAX_GITIGNORE_BYTES // 10 + 1)
    root = make_project({".gitignore": f"*.log\n{padding}", "main.py": "", "debug.log": ""},
                        git=False)

    index, _ = index_directory(root)

    assert "debug.log" in index.paths
    assert f".gitignore is over {MAX_GITIGNORE_BYTES // 1024} KB; its rules were not applied" \
        in index.notes


def test_a_gitignore_of_exactly_the_cap_is_applied(make_project: RepoFactory) -> None:
    padding = "#" * (MAX_GITIGNORE_BYTES - len("*.log\n") - 1)
    root = make_project({".gitignore": f"*.log\n{padding}\n", "main.py": "", "debug.log": ""},
                        git=False)

    index, _ = index_directory(root)

    assert index.paths == [".gitignore", "main.py"]
    assert index.notes == []


def test_a_directory_named_gitignore_is_a_folder_not_a_rule_file(
    make_project: RepoFactory,
) -> None:
    root = make_project({".gitignore/inside.py": "", "main.py": ""}, git=False)

    index, _ = index_directory(root)

    assert index.paths == [".gitignore/inside.py", "main.py"]
    assert index.notes == []


# --- reads stay inside the project --------------------------------------------------------


READERS: dict[str, Callable[[FileIndex, str], object]] = {
    "read_text": FileIndex.read_text,
    "read_head": FileIndex.read_head,
    "read_json_object": FileIndex.read_json_object,
}


@pytest.fixture
def linked_tree(tmp_path: Path) -> Path:
    """A project whose ``a/b`` leads outside, and whose ``c/d`` is a real folder."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "package.json").write_text('{"name": "outside"}\n')
    root = tmp_path / "project"
    (root / "a").mkdir(parents=True)
    (root / "a" / "b").symlink_to(outside)
    (root / "c" / "d").mkdir(parents=True)
    (root / "c" / "d" / "package.json").write_text('{"name": "inside"}\n')
    return root


@pytest.mark.parametrize("read", READERS.values(), ids=READERS.keys())
@pytest.mark.parametrize("path", ["a/b/package.json", "a/b/deeper/package.json"])
def test_a_read_through_a_symlinked_folder_is_refused(
    linked_tree: Path, read: Callable[[FileIndex, str], object], path: str
) -> None:
    index = FileIndex(linked_tree, [path, "c/d/package.json"])

    assert read(index, path) is None
    assert index.notes == [f"{path} crosses a symlink (a/b); skipped"]
    assert read(index, "c/d/package.json")  # the control: a real folder is read


@pytest.mark.parametrize("path", ["../outside/package.json", "/etc/passwd", "c/./d/package.json",
                                  "c//d/package.json", "c/d/../d/package.json"])
def test_a_path_that_is_not_plain_is_refused(linked_tree: Path, path: str) -> None:
    index = FileIndex(linked_tree, [path])

    assert index.read_text(path) is None
    assert index.notes == [f"{path} is not a plain path inside the project; skipped"]


def test_each_folder_is_checked_once(
    linked_tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for number in range(50):
        (linked_tree / "c" / "d" / f"f{number}.txt").write_text("x\n")
    index = FileIndex(linked_tree, [])
    checked: list[str] = []
    real_lstat = os.lstat

    def recording_lstat(path: str) -> os.stat_result:
        checked.append(str(path))
        return real_lstat(path)

    monkeypatch.setattr(os, "lstat", recording_lstat)
    texts = [index.read_text(f"c/d/f{number}.txt") for number in range(50)]

    assert texts == ["x\n"] * 50
    assert sorted(checked) == [str(linked_tree / "c"), str(linked_tree / "c" / "d")]


def test_a_deeply_nested_json_manifest_is_a_note_for_that_file_only(
    make_project: RepoFactory,
) -> None:
    depth = 100_000
    root = make_project({"deep/package.json": '{"a":' * depth + "1" + "}" * depth,
                         "ok/package.json": '{"dependencies": {"express": "^4.19.0"}}'},
                        git=False)
    index = FileIndex(root, ["deep/package.json", "ok/package.json"])

    assert index.read_json_object("deep/package.json") is None
    assert index.read_json_object("ok/package.json") == {"dependencies": {"express": "^4.19.0"}}
    assert index.notes == ["deep/package.json is nested too deeply to read; skipped"]


def test_a_git_error_is_redacted_before_it_is_cut(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The password straddles the 160-character cut: cut first, it would lose its "@" and leak.
    secret = "p" * 150
    message = f"fatal: unable to access 'https://deploy:{secret}@git.example.test/x.git/'"
    failed = git.RepositorySnapshot(state=GitState(status="git-error"), error=message)
    monkeypatch.setattr(git, "snapshot", lambda root, hidden: failed)

    index, _ = index_directory(tmp_path)

    note = next(n for n in index.notes if n.startswith("git failed"))
    assert secret[:20] not in note
    assert "[redacted]" in note


def test_deletions_under_a_subfolder_root_and_a_staged_rename(make_project: RepoFactory) -> None:
    # Status names paths from the top of the work tree; the root here is a subfolder.
    root = make_project({"svc/go.mod": "module example.com/svc\n\ngo 1.22\n",
                         "svc/main.go": "package main\n", "svc/old.go": "package main\n",
                         "svc/gone.go": "package main\n", "other/gone.go": "package main\n"})
    subprocess.run(["git", "-C", str(root), "mv", "svc/old.go", "svc/new.go"], check=True)
    (root / "svc" / "new.go").unlink()  # renamed in the index, then deleted on disk
    (root / "svc" / "gone.go").unlink()
    (root / "other" / "gone.go").unlink()

    found = context_json(root / "svc")

    assert "2 tracked file(s) are missing from disk" in found.notes
    assert found.file_count == 2  # go.mod, main.go


def test_the_walkers_pack_folder_is_the_manifests() -> None:
    # The walker checks for the folder itself, so that pydantic loads only when it is there.
    from backend_persona.discover import walker  # noqa: PLC0415
    from backend_persona.manifest import PROJECT_CONFIG  # noqa: PLC0415

    assert walker.PACK_FOLDER == PROJECT_CONFIG
