"""No planted credential reaches anything we print or write: context, route, render, state, docs."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from backend_persona import guidance
from backend_persona.cli import cli
from backend_persona.redact import redact
from tests.conftest import RepoFactory, init_repo, write_tree
from tests.robustness.secret_corpus import SecretProject, build, lines_with_secrets

CORPUS = build()


def leaked(outputs: Iterable[str]) -> list[str]:
    """The kinds of credential found in ``outputs`` (empty when nothing leaked)."""
    text = "\n".join(outputs)
    return [p.kind for p in CORPUS.planted if any(n in text for n in p.needles)]


def run(*args: str, input_text: str | None = None) -> Result:
    result = CliRunner().invoke(cli, list(args), input=input_text)
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture
def secret_project(make_project: RepoFactory, tmp_path: Path) -> Path:
    root = tmp_path / "acme"
    root.mkdir()
    write_tree(root, CORPUS.files)
    init_repo(root, message=CORPUS.commit_subject)
    return root


def test_the_corpus_is_large_varied_and_really_planted(secret_project: Path) -> None:
    kinds = {p.kind for p in CORPUS.planted}
    files = {p.path for p in CORPUS.planted}
    assert len(CORPUS.planted) >= 30
    assert len(kinds) == len(CORPUS.planted)
    assert len(files) >= 20
    for item in CORPUS.planted:
        if item.path == "<commit subject>":
            assert all(n in CORPUS.commit_subject for n in item.needles)
            continue
        on_disk = (secret_project / item.path).read_text(encoding="utf-8")
        assert all(n in on_disk for n in item.needles), item.kind


@pytest.mark.parametrize("extra", [
    (), ("--format", "json"), ("--focus", "java"), ("--focus", "go", "--format", "json"),
    ("--focus", "node"), ("--focus", "python", "--format", "json"),
])
def test_context_prints_no_credential(secret_project: Path, extra: tuple[str, ...]) -> None:
    output = run("context", str(secret_project), *extra).stdout

    assert "orders" in output  # the project was really read
    assert leaked([output]) == []


def test_the_project_was_understood_despite_the_secrets(secret_project: Path) -> None:
    output = run("context", str(secret_project), "--format", "json").stdout

    for expected in ("PostgreSQL", "Gin", "Express", "FastAPI", "Spring Boot", "rotate keys"):
        assert expected in output


@pytest.mark.parametrize("how", ["argument", "stdin", "json"])
def test_route_never_echoes_a_credential(how: str) -> None:
    request = "design the API and database for: " + "\n".join(lines_with_secrets(CORPUS))
    if how == "stdin":
        result = run("route", "--stdin", input_text=request)
    else:
        extra = ["--format", "json"] if how == "json" else []
        result = run("route", *extra, request)

    assert "api" in result.stdout
    assert leaked([result.stdout]) == []


def _record_everything(project: SecretProject, root: Path) -> None:
    lines = lines_with_secrets(project)
    pasted = "\n".join(lines)
    where = ("--project", str(root), "--session", "secrets-1")
    run("state", "init", *where, "--request", pasted, "--route", "api")
    for line in lines:
        # Titles are one line of at most 200 characters; the long fields take it all.
        title = " ".join(line.split())[:180]
        # "--" ends the options: a pasted line may itself start with "--".
        run("state", "action", *where, "--", title)
        run("state", "followup", *where, "--", title)
        run("state", "checkpoint", *where, "--", title)
        run("state", "decision", *where, "--context", line, "--decision", line,
            "--consequences", line, "--", title)


@pytest.fixture
def recorded(secret_project: Path) -> Path:
    _record_everything(CORPUS, secret_project)
    return secret_project


def test_state_keeps_no_credential_the_user_pastes(recorded: Path) -> None:
    where = ("--project", str(recorded))
    outputs = [
        run("state", "show", *where, "--session", "secrets-1").stdout,
        run("state", "show", *where, "--session", "secrets-1", "--format", "json").stdout,
        run("state", "list", *where).stdout,
        run("state", "list", *where, "--format", "json").stdout,
        run("context", str(recorded)).stdout,
        run("context", str(recorded), "--format", "json").stdout,
    ]
    state_dir = Path(run("state", "show", *where, "--format", "json").stdout.split(
        '"path": "')[1].split('"')[0]).parent
    stored = [p.read_text(encoding="utf-8") for p in state_dir.iterdir() if p.is_file()]

    assert outputs[1].count("\"superseded_by\"") == len(lines_with_secrets(CORPUS))
    assert leaked(outputs) == []
    assert leaked(stored) == []


def test_docs_generate_writes_no_credential(recorded: Path) -> None:
    run("docs", "generate", str(recorded))
    run("docs", "adr", "new", "--project", str(recorded), "--", lines_with_secrets(CORPUS)[0])
    written = [p for p in (recorded / "docs").rglob("*") if p.is_file()]

    assert len(written) >= 3
    assert leaked(p.read_text(encoding="utf-8") for p in written) == []


def test_render_of_the_installed_command_prints_no_credential(
    secret_project: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(secret_project)
    run("install", "--scope", "project")
    command = secret_project / ".claude" / "commands" / "agent-persona-backend-specialist.md"

    output = run("render", str(command), "--arguments", "review the billing API").stdout

    assert "## Project context" in output
    assert leaked([output]) == []


@pytest.mark.parametrize("line", lines_with_secrets(CORPUS), ids=lambda line: line[:40])
def test_redact_removes_every_credential_a_user_could_paste(line: str) -> None:
    assert leaked([redact(line)]) == []


@pytest.mark.parametrize("text", [
    "task-abcdefghijklmnopqrstuvwxyz done",
    "see https://example.test/docs:intro@v2",
    "tokenizer rewrite, no secrets here",
    # Names that merely mention a secret: no "=" or ":" and a value after them.
    "src/auth/password_reset.py", "src/main/java/acme/TokenService.java", "secret-manager",
    # Evidence cites a file and a line; "secrets.yaml:12" is no key and value.
    "src/main/java/acme/TokenService.java:42", "deploy/k8s/secrets.yaml:12, compose.yaml:3",
    "sk-learn-preprocessing-pipeline", "docker login --password-stdin",
    "mysql -u root -p orders", "Bearer authentication is used", "mkdir -p build-output",
    "compose.yaml is not valid YAML (found character that cannot start any token); skipped",
])
def test_redact_leaves_ordinary_text_alone(text: str) -> None:
    assert redact(text) == text


PLAYBOOK = [value for key, value in vars(guidance).items()
            if key.isupper() and isinstance(value, str)]


@pytest.mark.parametrize("advice", PLAYBOOK, ids=lambda advice: advice[:30])
def test_redact_leaves_the_stack_guidance_alone(advice: str) -> None:
    # The JSON output scrubs every string, the playbook's own advice included.
    assert redact(advice) == advice


@pytest.mark.parametrize(("text", "shown"), [
    ("postgres://app:p@ss@db:5432/app", "postgres://[redacted]@db:5432/app"),
    ("https://hooks.slack.com/services/T0/B0/abcdefgh", "https://hooks.slack.com/services/[redacted]"),
    ("mysql -u root -pS3cret orders", "mysql -u root -p[redacted] orders"),
    ("redis-server --requirepass S3cret", "redis-server --requirepass [redacted]"),
    ("Authorization: Bearer abc.def-123", "Authorization: [redacted]"),
    ("AWS_SECRET_ACCESS_KEY=abc", "AWS_[redacted]"),
])
def test_redact_keeps_what_says_where_the_credential_was(text: str, shown: str) -> None:
    assert redact(text) == shown


MEGABYTE = 1024 * 1024


@pytest.mark.parametrize("unit", [
    # Each repeats a start that a careless pattern would rescan to the end of the text.
    "x-eyJ", "eyJaaaaaaaa.", "-sk-", "://a:", "password ", "a.password", "mysql ",
    "--password ", "authorization: ", "&sig=", "Bearer ", "redis-cli ", "x_ghp_",
])
def test_redact_takes_a_megabyte_of_hostile_repetition_and_still_redacts(unit: str) -> None:
    token = CORPUS.planted[0].needles[0]
    text = unit * (MEGABYTE // len(unit)) + " " + token

    assert token not in redact(text)
