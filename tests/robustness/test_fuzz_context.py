"""Property-based fuzzing of ``context`` on random hostile trees, in and outside git.

Examples are derandomized and no example database is kept, so CI runs the same cases
every time; cases hypothesis once found are pinned below as explicit ``@example``s.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings

from backend_persona.cli import cli
from backend_persona.models import ProjectContext
from backend_persona.render import MAX_MARKDOWN_CHARS
from tests.robustness.strategies import IGNORED_MARKER, Entry, TreePlan, build_tree, tree_plans

EXAMPLES = int(os.environ.get("BACKEND_PERSONA_FUZZ_EXAMPLES", "40"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    # Each example builds its own folder under tmp_path, so the shared fixture is safe.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                           HealthCheck.data_too_large],
)


def fresh_tree(plan: TreePlan, tmp_path: Path) -> Path:
    base = Path(tempfile.mkdtemp(dir=tmp_path))
    return build_tree(plan, base / "project", base / "outside")


def invoke(root: Path, output_format: str) -> str:
    result = CliRunner().invoke(cli, ["context", str(root), "--format", output_format])
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        result.exception
    assert result.exit_code == 0, result.output
    return result.stdout


def assert_sound(plan: TreePlan, markdown: str, raw_json: str) -> None:
    context = ProjectContext.model_validate_json(raw_json)
    assert context.file_count >= 0
    assert len(markdown) <= MAX_MARKDOWN_CHARS
    assert markdown.startswith("## Project context: ")
    for output in (markdown, raw_json):
        assert IGNORED_MARKER not in output
        assert plan.token not in output


# Hand-written worst cases, run on every invocation.
_DANGLING_AND_LOOPS = TreePlan(entries=(
    Entry((b"self",), "symlink", target=b"self"),
    Entry((b"loop-a",), "symlink", target=b"loop-b"),
    Entry((b"loop-b",), "symlink", target=b"loop-a"),
    Entry((b"up",), "symlink", target=b".."),
    Entry((b".env",), "symlink", target=b"OUTSIDE/application.properties"),
    Entry((b"package.json",), "fifo"),
), git=False)


@FUZZ
@given(plan=tree_plans())
@example(plan=_DANGLING_AND_LOOPS)
@example(plan=TreePlan(entries=(Entry((b"\xff\xfe", b"a\nb"), "file", b"x"),), git=True))
# Found by hypothesis: a .gitignore line pathspec cannot parse crashed the walk outside git.
@example(plan=TreePlan(entries=(Entry((b"go.mod",), "manifest", b"module a\n"),),
                       gitignores=(((), "\\"),), git=False))
def test_context_holds_its_properties_on_random_trees(plan: TreePlan, tmp_path: Path) -> None:
    root = fresh_tree(plan, tmp_path)

    markdown, raw_json = invoke(root, "markdown"), invoke(root, "json")

    assert_sound(plan, markdown, raw_json)
    assert invoke(root, "markdown") == markdown
    assert invoke(root, "json") == raw_json


@settings(FUZZ, max_examples=max(1, EXAMPLES // 10))
@given(plan=tree_plans())
def test_context_holds_its_properties_as_a_real_process(plan: TreePlan, tmp_path: Path) -> None:
    root = fresh_tree(plan, tmp_path)
    outputs = []
    for output_format in ("markdown", "json"):
        done = subprocess.run(
            [sys.executable, "-m", "backend_persona", "context", str(root),
             "--format", output_format],
            capture_output=True, text=True, timeout=120, check=False,
        )
        assert done.returncode == 0, done.stderr
        assert done.stderr == ""
        outputs.append(done.stdout)

    assert_sound(plan, *outputs)
