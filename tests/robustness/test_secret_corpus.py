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


# Text near a secret's word that is no secret: each was "[redacted]" once, and took the
# context a reader needed with it.
MUST_STAY_READABLE = [
    # Evidence: a file, a line and a column.
    "token.go:12:5", "internal/auth/token.go:12:5: undefined: Claims", "secrets.yaml:7:1",
    # Keys that name a secret, or say how many tokens, or whether there is one.
    "secrets: inherit", "secretName: tls-cert", "DB_PASSWORD_FILE=/run/secrets/db",
    "passwordSecretRef: orders-db", "token_endpoint: https://auth.acme.example/token",
    "tokens: 12", "max_tokens: 4096", "token = None", "secret: false", "password: true",
    '"password": null', "api_key: ''", "token_ttl: 3600",
    # References to where the secret is kept.
    "password: ${DB_PASSWORD}", "apiKey: process.env.API_KEY", 'ENV["SECRET_KEY_BASE"]',
    'secret_key_base: ENV["SECRET_KEY_BASE"]', "password: <%= ENV['DB_PASSWORD'] %>",
    "$DB_PASSWORD", "PGPASSWORD=$DB_PASSWORD psql -h db", 'password = os.environ["X"]',
    'password = os.getenv("DB_PASSWORD")', "password: {{ .Values.password }}",
    "token: ${{ secrets.GITHUB_TOKEN }}", "password = var.db_password",
    "'password' => env('DB_PASSWORD'),",
    # Prose, and names in it.
    "keycloak token: introspection", "authorization: required", "refresh token: expired",
    "set DB_PASSWORD in .env", "Fix access_token refresh", "password reset flow",
    "PASS src/app.test.js", "compass: north", "passenger: bob", "bypass: true",
    "sk-learn-preprocessing-pipeline-2", "io.jsonwebtoken:jjwt-api", "io.jsonwebtoken:jjwt",
    # URL users that are people or fixed names, and -u flags that are no credential.
    "git@github.com:acme/orders.git", "https://deploy@git.acme.example/acme/orders.git",
    "https://x-access-token@github.com/acme/orders", "https://first.last2024@gitlab.com/a",
    "docker run -u 1000:1000 orders", "git push -u origin main", "curl -u admin https://x",
]


@pytest.mark.parametrize("text", MUST_STAY_READABLE)
def test_redact_keeps_what_only_refers_to_a_secret(text: str) -> None:
    assert redact(text) == text


HUNTER = "hunter" + "2"
GH_TOKEN = "gh" + "p_" + "Rk7" * 12


@pytest.mark.parametrize(("text", "shown"), [
    # The same words as above, with a real value after them.
    (f"password: {HUNTER}", "[redacted]"), (f"token: {GH_TOKEN}", "[redacted]"),
    ('secret: "correct horse battery"', "[redacted]"), ("password: 123456", "[redacted]"),
    (f"secrets: {HUNTER}", "[redacted]"), (f"secretName: {GH_TOKEN}", "secretName: [redacted]"),
    (f"token.go:12:5 {GH_TOKEN}", "token.go:12:5 [redacted]"),
    # A password can be a word; a token after a name, quoted, or with a digit is a value.
    ("password: introspection", "[redacted]"), ("token: introspection", "[redacted]"),
    ("keycloak token: abc123", "keycloak [redacted]"),
    ('keycloak token: "introspection"', "keycloak [redacted]"),
    ("authorization: s3cr3tvalue", "authorization: [redacted]"),
    # A reference whose default is the secret, or a template with one.
    (f"password: ${{DB_PASSWORD:-{HUNTER}}}", "[redacted]"),
    (f'password: {{{{ .Values.password | default "{HUNTER}" }}}} # db', "[redacted] # db"),
    # Names, then a space and a value.
    (f"DB_PASS={HUNTER}", "DB_[redacted]"), (f"SMTP_PASS: {HUNTER}", "SMTP_[redacted]"),
    (f"PASSWORD {HUNTER}", "PASSWORD [redacted]"),
    (f"export PGPASSWORD {HUNTER}", "export PGPASSWORD [redacted]"),
    (f"aws_secret_access_key {HUNTER}", "aws_secret_access_key [redacted]"),
    (f"'password' => '{HUNTER}',", "'[redacted],"), (f'password := "{HUNTER}"', "[redacted]"),
    (f"password: |\n  {HUNTER}\nport: 5432", "[redacted]\nport: 5432"),
    # Commands and URLs.
    (f"curl -u admin:{HUNTER} https://x", "curl -u [redacted] https://x"),
    (f"curl --user=admin:{HUNTER} https://x", "curl --user=[redacted] https://x"),
    ("git clone https://Ab3dEf6hIj9kLm2nOp5qRs8t@github.com/acme/x.git",
     "git clone https://[redacted]@github.com/acme/x.git"),
    ("Cookie: sessionid=abc123; csrftoken=zzz", "Cookie: [redacted]"),
])
def test_redact_catches_the_secret_beside_the_same_words(text: str, shown: str) -> None:
    assert redact(text) == shown


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
    "password=", "a_", "https://", "PASSWORD ", "DB_PASS ", "TOKEN", "_PASS", "secretName",
    "a token: ", "123456789:AA", "Cookie: ", "curl -u ", "--user ", "://a1a1a1a1a1a1a1a1a1a1",
    "password: |\n", "password: {{", "token.go:1:", "sk-a1",
])
def test_redact_takes_a_megabyte_of_hostile_repetition_and_still_redacts(unit: str) -> None:
    token = CORPUS.planted[0].needles[0]
    text = unit * (MEGABYTE // len(unit)) + " " + token

    assert token not in redact(text)
