"""Marked regions: only their bodies are rewritten; text around them, and broken files, are kept."""

from __future__ import annotations

import pytest

from backend_persona.docs.generate import generate_docs
from backend_persona.docs.regions import fill_regions
from tests.conftest import RepoFactory
from tests.docs.projects import ARCH, GO_SERVICE, record_decisions


@pytest.mark.parametrize(("text", "regions", "expected", "missing"), [
    ("a\n<!-- backend-persona:begin x -->\nold\n<!-- backend-persona:end x -->\nb\n",
     {"x": "new"},
     "a\n<!-- backend-persona:begin x -->\n\nnew\n\n<!-- backend-persona:end x -->\nb\n", []),
    ("<!-- backend-persona:begin x -->\n<!-- backend-persona:end x -->\n", {"x": "", "y": "z"},
     "<!-- backend-persona:begin x -->\n<!-- backend-persona:end x -->\n", ["y"]),
    ("<!-- backend-persona:begin other -->\nkeep\n<!-- backend-persona:end other -->\n",
     {"x": "new"},
     "<!-- backend-persona:begin other -->\nkeep\n<!-- backend-persona:end other -->\n", ["x"]),
    ("text <!-- backend-persona:begin x --> inline\n", {"x": "new"},
     "text <!-- backend-persona:begin x --> inline\n", ["x"]),
])
def test_fill_regions(text: str, regions: dict[str, str], expected: str,
                      missing: list[str]) -> None:
    assert fill_regions(text, regions) == (expected, missing)


def test_text_outside_the_markers_is_kept(make_project: RepoFactory) -> None:
    root = make_project(GO_SERVICE)
    generate_docs(root)
    readme = root / ARCH / "README.md"
    text = readme.read_text()
    mine = "\n## 6. Risks\n\nOur own words, kept forever.\n"
    edited = text.replace("## 2. Building blocks", "Intro written by a person.\n\n"
                          "## 2. Building blocks") + mine
    edited = edited.replace("- **CI:**", "- **Stale generated line:** x\n- **CI:**")
    readme.write_text(edited)

    record_decisions(root)
    report = generate_docs(root)

    final = readme.read_text()
    assert "Intro written by a person.\n\n## 2. Building blocks" in final
    assert final.endswith(mine)
    assert "Stale generated line" not in final
    assert "[ADR 3: Use sqlc](decisions/0003-use-sqlc.md)" in final
    assert {f.path: f.outcome for f in report.files}[f"{ARCH}/README.md"] == "updated"


def test_a_readme_without_markers_is_left_alone(make_project: RepoFactory) -> None:
    root = make_project({f"{ARCH}/README.md": "# Our architecture\n\nHand written.\n"})
    report = generate_docs(root)
    assert (root / ARCH / "README.md").read_text() == "# Our architecture\n\nHand written.\n"
    assert {f.path: f.outcome for f in report.files}[f"{ARCH}/README.md"] == "unchanged"
    assert any("has no summary, context, building-blocks" in n for n in report.notes)


def test_an_unclosed_region_keeps_the_file(make_project: RepoFactory) -> None:
    text = "# Arch\n<!-- backend-persona:begin context -->\nmine\n"
    root = make_project({f"{ARCH}/README.md": text})
    report = generate_docs(root)
    assert (root / ARCH / "README.md").read_text() == text
    kept = {f.path: (f.outcome, f.reason) for f in report.files}[f"{ARCH}/README.md"]
    assert kept == ("kept", "region context has no end marker; left the file as it was")
