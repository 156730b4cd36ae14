"""Each docs write: never through a planted symlink, never keeping planted mode bits."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from backend_persona.docs.generate import generate_docs
from backend_persona.errors import UserError
from tests.conftest import RepoFactory
from tests.docs.projects import ARCH, BARE, DECISIONS, GO_SERVICE


@pytest.mark.parametrize("target", [f"{ARCH}/README.md", f"{DECISIONS}/README.md", ".adr-dir"])
def test_a_symlinked_target_file_is_refused(make_project: RepoFactory, tmp_path: Path,
                                            target: str) -> None:
    root = make_project(BARE)
    victim = tmp_path / "victim.md"
    victim.write_text("precious\n")
    (root / target).parent.mkdir(parents=True, exist_ok=True)
    (root / target).symlink_to(victim)

    with pytest.raises(UserError, match="symlink"):
        generate_docs(root)

    assert victim.read_text() == "precious\n"
    assert (root / target).is_symlink()


def test_a_planted_file_mode_keeps_no_write_or_setuid_bits(make_project: RepoFactory) -> None:
    root = make_project(GO_SERVICE)
    generate_docs(root)
    readme = root / ARCH / "README.md"
    readme.write_text(readme.read_text().replace("- **CI:**", "- **Stale:** x\n- **CI:**"))
    readme.chmod(0o6777)

    report = generate_docs(root)

    assert {f.path: f.outcome for f in report.files}[f"{ARCH}/README.md"] == "updated"
    assert stat.S_IMODE(readme.stat().st_mode) == 0o755
