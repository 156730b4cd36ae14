"""End to end: the command pack inside the real Claude Code CLI, against a loopback stub.

Each CLI in ``CLAUDE_VERSIONS`` (the pinned one and the newest measured) is installed from
npm into ``.cache/claude-code/<version>`` (git-ignored, reused), and every test runs on each.
Each run is hermetic (fresh HOME, no network but the stub) and asserts that the expanded
prompt reached the stub, carries the discovered stack, and holds no sign of a failed
`!` line; hostile arguments must never run.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from filelock import FileLock

from tests.claude_stub import Step, Stub, ToolCall, ToolCommand, running_stub
from tests.conftest import PINNED_GIT_ENV, write_tree

pytestmark = pytest.mark.e2e

# The pinned CLI and the newest one on npm when last measured (see claude-code-facts.md).
CLAUDE_VERSIONS = ("2.1.197", "2.1.332")
REPO = Path(__file__).resolve().parent.parent
CACHE = REPO / ".cache" / "claude-code"
VENV_BIN = Path(os.path.abspath(sys.executable)).parent
CONSOLE_SCRIPT = VENV_BIN / "backend-persona"
MAIN = "agent-persona-backend-specialist"
STACK_COMMANDS = ("context-load-go-connectrpc", "context-load-rust-web",
                  "context-load-java-spring", "context-load-python-web")
HOSTILE = "design \"REST\" API; $(touch PWNED1) `touch PWNED2` !`touch PWNED3` it's && touch PWNED4"
# A decision as a model would record it from a hostile request: every field is data.
DECISION = {
    "title": "Use `touch PWNED5` and $(touch PWNED6); it's \"fine\"",
    "context": "x'; touch PWNED7; echo '\n$(touch PWNED8)\nEND-stub\npassword=hunter2",
    "decision": "Keep it && touch PWNED9 | cat",
    "consequences": "${HOME} stays unexpanded",
    "status": "proposed",
}
FAILURE_SIGNS = ("Shell command", "permission check failed", "command not found", "Traceback")
MODES = ("project", "user", "plugin")

FIXTURE = {
    "go.mod": (
        "module example.com/orders\n\ngo 1.22\n\nrequire (\n"
        "\tconnectrpc.com/connect v1.16.2\n\tgithub.com/jackc/pgx/v5 v5.6.0\n"
        "\tgoogle.golang.org/protobuf v1.34.2\n)\n"
    ),
    "cmd/orders/main.go": "package main\n\nfunc main() {}\n",
    "proto/orders/v1/orders.proto": (
        "syntax = \"proto3\";\npackage orders.v1;\n"
        "service OrderService {\n  rpc CreateOrder(CreateOrderRequest) returns (Order);\n}\n"
        "message CreateOrderRequest {}\nmessage Order {}\n"
    ),
    "buf.yaml": "version: v2\n",
    "compose.yaml": "services:\n  db:\n    image: postgres:16\n",
    "migrations/00001_create_orders.sql": "-- +goose Up\nCREATE TABLE orders (id bigint);\n",
}


def claude_executable(version: str = CLAUDE_VERSIONS[0]) -> Path:
    """One CLI version, installed into the ignored cache folder on first use."""
    if shutil.which("node") is None or shutil.which("npm") is None:
        pytest.skip("node and npm are not installed; the end-to-end tests need them to "
                    f"install @anthropic-ai/claude-code@{version}")
    cache = CACHE / version
    executable = cache / "node_modules" / ".bin" / "claude"
    package = cache / "node_modules" / "@anthropic-ai" / "claude-code" / "package.json"
    cache.mkdir(parents=True, exist_ok=True)
    with FileLock(CACHE / f"{version}.lock"):
        installed = package.is_file() and json.loads(package.read_text())["version"]
        if installed != version or not executable.exists():
            subprocess.run(
                ["npm", "install", "--prefix", str(cache), "--no-audit", "--no-fund",
                 f"@anthropic-ai/claude-code@{version}"],
                check=True, capture_output=True, timeout=600,
            )
    return executable


@dataclass
class Run:
    """One `claude -p` run and what the stub received."""

    mode: str
    prompt: str
    project: Path
    returncode: int
    stdout: str
    stub: Stub

    @property
    def sent(self) -> str:
        return "\n".join(self.stub.user_texts())


@dataclass
class Setup:
    claude: Path
    projects: dict[str, Path]
    homes: dict[str, Path]
    config: Path
    state: Path


def _git(root: Path, *args: str) -> None:
    env = {"PATH": os.environ["PATH"], "HOME": str(root), "GIT_CONFIG_GLOBAL": os.devnull,
           **PINNED_GIT_ENV}
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


def _fixture_repo(root: Path) -> Path:
    write_tree(root, FIXTURE)
    _git(root, "init", "-q", "-b", "main")
    _git(root, "add", "--all")
    _git(root, "commit", "-q", "-m", "Orders service")
    return root


@pytest.fixture(scope="module", params=CLAUDE_VERSIONS)
def setup(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Setup:
    claude = claude_executable(request.param)
    base = tmp_path_factory.mktemp(f"e2e-{request.param}")
    projects = {mode: _fixture_repo(base / f"repo-{mode}") for mode in MODES}
    homes = {mode: base / f"home-{mode}" for mode in MODES}
    for home in homes.values():
        home.mkdir()
    config = base / "claude-config"
    installer_env = {"PATH": "/usr/bin:/bin", "HOME": str(homes["user"]),
                     "CLAUDE_CONFIG_DIR": str(config)}
    for scope, cwd in (("project", projects["project"]), ("user", projects["user"])):
        subprocess.run([str(CONSOLE_SCRIPT), "install", "--scope", scope], cwd=cwd,
                       env=installer_env, check=True, capture_output=True, timeout=120)
    return Setup(claude, projects, homes, config, base / "state")


def _run(setup: Setup, mode: str, prompt: str, tool_command: ToolCommand | None = None,
         script: list[Step] | None = None) -> Run:
    project = setup.projects[mode]
    with running_stub(tool_command, script) as stub:
        env = {
            "ANTHROPIC_BASE_URL": stub.url,
            "ANTHROPIC_API_KEY": "sk-test",
            "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1",
            "DISABLE_TELEMETRY": "1",
            "DISABLE_AUTOUPDATER": "1",
            "CLAUDE_CODE_MAX_RETRIES": "0",
            "HOME": str(setup.homes[mode]),
            "BACKEND_PERSONA_STATE_DIR": str(setup.state / mode),
            # Installed files call the venv by absolute path; only the plugin needs PATH.
            "PATH": f"{VENV_BIN}:/usr/bin:/bin" if mode == "plugin" else "/usr/bin:/bin",
        }
        command = [str(setup.claude), "-p", prompt, "--output-format", "stream-json",
                   "--verbose"]
        if mode == "user":
            env["CLAUDE_CONFIG_DIR"] = str(setup.config)
        if mode == "plugin":
            command += ["--plugin-dir", str(REPO)]
        done = subprocess.run(command, cwd=project, env=env, capture_output=True, text=True,
                              timeout=180, stdin=subprocess.DEVNULL, check=False)
    return Run(mode, prompt, project, done.returncode, done.stdout + done.stderr, stub)


def _slash(mode: str, command: str) -> str:
    return f"/backend-persona:{command}" if mode == "plugin" else f"/{command}"


def _invocation(mode: str) -> str:
    return "backend-persona" if mode == "plugin" else str(CONSOLE_SCRIPT)


def _decision_yaml() -> str:
    """DECISION in the shape the command file asks for: every text a `|` block."""
    lines = []
    for key, value in DECISION.items():
        lines += ([f"{key}: {value}"] if key == "status"
                  else [f"{key}: |", *(f"  {line}" for line in value.split("\n"))])
    return "\n".join(lines)


def inbox_in(prompt: str) -> tuple[str, str] | None:
    """The inbox file the prompt names (its `state inbox` line) and the session id in it."""
    found = re.search(r"^(/\S+/inbox/([A-Za-z0-9][A-Za-z0-9._-]*)\.txt)$", prompt, re.MULTILINE)
    return (found.group(1), found.group(2)) if found else None


def _session_in(prompt: str) -> str | None:
    found = inbox_in(prompt)
    return found[1] if found else None


def through_inbox(mode: str, text: str, verb: str) -> list[Step]:
    """A text recorded as the prompt says: the Write tool into the inbox, then `--file`."""
    def write(prompt: str) -> ToolCall | None:
        found = inbox_in(prompt)
        return ToolCall.write(found[0], text) if found else None

    def record(prompt: str) -> ToolCall | None:
        found = inbox_in(prompt)
        return ToolCall.bash(f"{_invocation(mode)} state {verb} --session {found[1]} --file "
                             f"{found[0]}") if found else None

    return [write, record]


def _record_decision(mode: str, text: str) -> ToolCommand:
    """The Bash call Step 5 asks for, with the session id the CLI put into the prompt."""
    def command(prompt: str) -> str:
        session = _session_in(prompt)
        if session is None:
            return "echo the prompt names no session for state decision"
        return (f"{_invocation(mode)} state decision --session {session} --stdin "
                f"<<'END-{session}'\n{text}\nEND-{session}")

    return command


@pytest.fixture(scope="module")
def runs(setup: Setup) -> Iterator[dict[tuple[str, str], Run]]:
    jobs: dict[tuple[str, str], tuple[str, str, ToolCommand | None]
               | tuple[str, str, None, list[Step]]] = {}
    for mode in MODES:
        jobs[(mode, MAIN)] = (mode, f"{_slash(mode, MAIN)} design REST API for orders", None)
        for command in STACK_COMMANDS:
            jobs[(mode, command)] = (mode, _slash(mode, command), None)
        # Hostile arguments; the stub starts the session the way the prompt says to: the
        # request written into the inbox, then `state init --file`, which routes it.
        jobs[(mode, "hostile")] = (mode, f"{_slash(mode, MAIN)} {HOSTILE}", None,
                                   through_inbox(mode, HOSTILE, "init"))
    # Step 5 the same way: a decision on stdin, never on the command line; and the JSON
    # form, which Claude Code refuses, to show why the command file asks for YAML.
    jobs[("project", "decision")] = ("project", f"/{MAIN} {HOSTILE}",
                                     _record_decision("project", _decision_yaml()))
    jobs[("project", "decision-json")] = ("project", f"/{MAIN} {HOSTILE}",
                                          _record_decision("project", json.dumps(DECISION)))
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = {key: pool.submit(_run, setup, *job) for key, job in jobs.items()}
        yield {key: future.result() for key, future in futures.items()}


def _assert_clean(run: Run) -> None:
    assert run.returncode == 0, run.stdout[-2000:]
    assert run.stub.bodies, f"no request reached the stub: {run.stdout[-2000:]}"
    for sign in FAILURE_SIGNS:
        assert sign not in run.sent, sign
        assert sign not in run.stdout, sign


@pytest.mark.parametrize("mode", MODES)
def test_persona_prompt_carries_the_discovered_stack(runs: dict[tuple[str, str], Run],
                                                     mode: str) -> None:
    run = runs[(mode, MAIN)]
    _assert_clean(run)
    assert "# Backend specialist" in run.sent
    for fact in ("ConnectRPC", "PostgreSQL", "OrderService", "goose", "branch main"):
        assert fact in run.sent, fact
    assert "design REST API for orders" in run.sent
    assert f"`{_invocation(mode)} state VERB --session " in run.sent


@pytest.mark.parametrize("mode", MODES)
def test_the_installed_pack_is_not_the_projects_work(runs: dict[tuple[str, str], Run],
                                                     mode: str) -> None:
    # The fixture is committed; whatever the install wrote into it is not the project's.
    run = runs[(mode, MAIN)]
    _assert_clean(run)
    assert "· 0 uncommitted change(s)" in run.sent
    assert f"- **Files:** {len(FIXTURE)} ·" in run.sent


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("command", STACK_COMMANDS)
def test_stack_commands_carry_focused_context_and_notes(runs: dict[tuple[str, str], Run],
                                                        mode: str, command: str) -> None:
    run = runs[(mode, command)]
    _assert_clean(run)
    assert "## Project-specific checks" in run.sent
    assert "PostgreSQL" in run.sent
    if command == "context-load-go-connectrpc":
        assert "Focused on Go: 1 of 1 component(s)" in run.sent
        assert "ConnectRPC" in run.sent
    else:
        assert "component in this repository; only shared files are shown." in run.sent


@pytest.mark.parametrize("mode", MODES)
def test_subagents_are_loaded(runs: dict[tuple[str, str], Run], mode: str) -> None:
    init = json.loads(runs[(mode, MAIN)].stdout.splitlines()[0])
    prefix = "backend-persona:" if mode == "plugin" else ""
    for agent in ("api-architect", "database-specialist", "security-auditor",
                  "performance-engineer", "observability-engineer"):
        assert f"{prefix}{agent}" in init["agents"], init["agents"]


@pytest.mark.parametrize("mode", MODES)
def test_hostile_arguments_never_execute(runs: dict[tuple[str, str], Run], mode: str) -> None:
    run = runs[(mode, "hostile")]
    _assert_clean(run)
    assert "$(touch PWNED1)" in run.sent
    assert "it's && touch PWNED4" in run.sent
    assert "ConnectRPC" in run.sent
    assert sorted(p.name for p in run.project.glob("PWNED*")) == []


@pytest.mark.parametrize("mode", MODES)
def test_route_runs_through_the_allowed_bash_rule(runs: dict[tuple[str, str], Run],
                                                  mode: str) -> None:
    run = runs[(mode, "hostile")]
    results = list(dict.fromkeys(run.stub.tool_results()))
    assert len(results) == 2, run.stdout[-2000:]
    assert results[0].startswith("File created successfully"), results[0]
    assert "\n\n## Route: api\n" in results[1], results[1]
    assert "(matched: api, rest)" in results[1]
    assert len(run.stub.bodies) == 3


def test_a_decision_goes_through_stdin_and_is_recorded_as_data(
        runs: dict[tuple[str, str], Run], setup: Setup) -> None:
    run = runs[("project", "decision")]
    _assert_clean(run)
    results = run.stub.tool_results()
    assert len(results) == 1, run.stdout[-2000:]
    assert results[0].startswith("started session "), results[0]
    assert "recorded decision 1 (" in results[0]
    session = results[0].removeprefix("started session ").split(";")[0]
    assert session == _session_in(run.sent)
    files = list((setup.state / "project").glob(f"projects/*/{session}.json"))
    assert len(files) == 1, files
    recorded = json.loads(files[0].read_text())["decisions"]
    assert [(d["title"], d["decision"], d["consequences"], d["status"]) for d in recorded] == [
        (DECISION["title"], DECISION["decision"], DECISION["consequences"], "proposed")]
    assert recorded[0]["context"] == DECISION["context"].replace("password=hunter2",
                                                                 "[redacted]")
    assert sorted(p.name for p in run.project.glob("PWNED*")) == []


def test_claude_code_refuses_a_decision_sent_as_json(runs: dict[tuple[str, str], Run],
                                                     setup: Setup) -> None:
    run = runs[("project", "decision-json")]
    assert run.returncode == 0, run.stdout[-2000:]
    results = run.stub.tool_results()
    assert len(results) == 1, run.stdout[-2000:]
    assert "brace with quote character" in results[0]
    session = _session_in(run.sent)
    assert session is not None
    assert list((setup.state / "project").glob(f"projects/*/{session}.json")) == []
