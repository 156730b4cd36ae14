"""The README's context sample is real output of `context` on a real repository."""

from __future__ import annotations

from pathlib import Path

from scripts.readme_sample import BEGIN, END, FILES, README, main, render_sample, section


def test_readme_sample_is_what_context_prints_today() -> None:
    current = section(README.read_text(encoding="utf-8"))

    assert current is not None, f"README.md lacks the {BEGIN} / {END} markers"
    assert current == render_sample(), (
        "README.md's context sample has drifted from real output; review the change, then "
        "run `.venv/bin/python scripts/readme_sample.py --write`")


def test_the_sample_shows_categories_and_never_its_secrets() -> None:
    sample = render_sample()

    for row in ("| Axum | framework |", "| ConnectRPC | api |", "| pgx | driver |",
                "| goose | migrations |", "| Redpanda | broker |", "| GitHub Actions | ci |",
                "| Kubernetes | delivery |", "| Testcontainers | testing |"):
        assert row in sample
    assert "sample-not-a-real-password" in FILES[".env"]
    assert "sample-not-a-real-password" not in sample


def test_check_and_write_keep_the_rest_of_the_readme(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(f"# Title\n\n{BEGIN}\nstale\n{END}\n\n## After\n")

    assert main(["--check", "--readme", str(readme)]) == 1
    assert main(["--write", "--readme", str(readme)]) == 0
    assert main(["--check", "--readme", str(readme)]) == 0
    text = readme.read_text()
    assert text.startswith(f"# Title\n\n{BEGIN}\n```markdown\n## Project context: shop\n")
    assert text.endswith(f"```\n{END}\n\n## After\n")
