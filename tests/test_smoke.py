from pathlib import Path

from click.testing import CliRunner

from backend_persona.cli import cli
from tests.conftest import RepoFactory


def test_context_names_go_framework(make_project: RepoFactory) -> None:
    root: Path = make_project({
        "go.mod": "module example.com/orders\n\ngo 1.22\n\nrequire github.com/gin-gonic/gin v1.9.1\n",
        "main.go": "package main\n",
    })
    result = CliRunner().invoke(cli, ["context", str(root)])
    assert result.exit_code == 0, result.output
    assert "| Gin | framework | v1.9.1 | runtime | `go.mod:5` |" in result.output
    assert "branch main" in result.output
