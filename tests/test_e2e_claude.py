"""End to end: the command pack inside the real Claude Code CLI, against a loopback stub.

Each CLI in ``CLAUDE_VERSIONS`` (the pinned one and the newest measured) is installed from
npm into ``.cache/claude-code/<version>`` (git-ignored, reused), and every test runs on each.
Each run is hermetic (fresh HOME, no network but the stub) and asserts that the expanded
prompt reached the stub, carries the discovered stack, and holds no sign of a failed
`!` line; hostile arguments must never run.

The plugin is installed as a user installs it, with nothing of this project on PATH:
``claude plugin marketplace add`` of this checkout (which holds the built .venv and the
CLIs in .cache, as after ``make test``), or of its git URL served on the loopback, then
``claude plugin install``. The plugin's launcher then builds its own venv on first use,
with pip and the package registry pip is configured for (PIP_* variables pass through).
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

from backend_persona import __version__
from backend_persona.install import install
from backend_persona.pack import PLUGIN_REPAIR, repair_line
from tests.claude_stub import Step, Stub, ToolCall, ToolCommand, running_stub
from tests.conftest import PINNED_GIT_ENV, write_tree
from tests.git_http import serving

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
PLUGIN = "backend-persona@backend-persona"
PLUGIN_CACHE_LIMIT = 20 * 1024 * 1024
# Nothing of this project: the launcher must find /usr/bin's python3 itself.
PLAIN_PATH = "/usr/bin:/bin"

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
    plugin_install: list[str]


def _cli_env(home: Path) -> dict[str, str]:
    """The hermetic environment of every CLI run; pip's own settings pass through."""
    return {
        "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1",
        "DISABLE_TELEMETRY": "1",
        "DISABLE_AUTOUPDATER": "1",
        "CLAUDE_CODE_MAX_RETRIES": "0",
        "HOME": str(home),
        "PATH": PLAIN_PATH,
        **{k: v for k, v in os.environ.items() if k.startswith("PIP_")},
    }


def install_plugin(claude: Path, home: Path, source: str) -> list[str]:
    """`claude plugin marketplace add SOURCE`, then `claude plugin install`, as a user would.

    Returns:
        What the two commands printed, one entry each.
    """
    printed = []
    for args in (["marketplace", "add", source], ["install", PLUGIN]):
        done = subprocess.run([str(claude), "plugin", *args], env=_cli_env(home), cwd=home,
                              capture_output=True, text=True, timeout=180, check=False,
                              stdin=subprocess.DEVNULL)
        assert done.returncode == 0, done.stdout + done.stderr
        printed.append(done.stdout + done.stderr)
    return printed


def tree_size(root: Path) -> int:
    """Bytes under ``root``, like `du -sb`: files and links once each, none followed."""
    return sum(p.lstat().st_size for p in root.rglob("*"))


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
    printed = install_plugin(claude, homes["plugin"], str(REPO))
    return Setup(claude, projects, homes, config, base / "state", printed)


def _run(setup: Setup, mode: str, prompt: str, tool_command: ToolCommand | None = None,
         script: list[Step] | None = None) -> Run:
    return run_claude(setup.claude, setup.homes[mode], setup.projects[mode], mode, prompt,
                      setup.state / mode, tool_command,
                      {"CLAUDE_CONFIG_DIR": str(setup.config)} if mode == "user" else {},
                      script)


def run_claude(claude: Path, home: Path, project: Path, mode: str, prompt: str, state: Path,  # noqa: PLR0917
               tool_command: ToolCommand | None = None,
               extra_env: dict[str, str] | None = None,
               script: list[Step] | None = None) -> Run:
    """One `claude -p` run in ``project`` against a fresh stub; PATH holds only /usr/bin:/bin.

    Installed files call the venv by absolute path, and the plugin's launcher is on the
    PATH of its `!` lines, so no mode needs this project on PATH.
    """
    with running_stub(tool_command, script) as stub:
        env = {**_cli_env(home), "ANTHROPIC_BASE_URL": stub.url, "ANTHROPIC_API_KEY": "sk-test",
               "BACKEND_PERSONA_STATE_DIR": str(state), **(extra_env or {})}
        command = [str(claude), "-p", prompt, "--output-format", "stream-json", "--verbose"]
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
    # 2.1.332 reports a skill's `!` lines as tasks before the init message.
    init = next(event for event in map(json.loads, runs[(mode, MAIN)].stdout.splitlines())
                if event.get("subtype") == "init")
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


def test_the_plugin_installed_from_this_checkout_stays_small(setup: Setup) -> None:
    # The checkout holds .venv and the CLIs under .cache; only plugin/ may be copied.
    cache = setup.homes["plugin"] / ".claude" / "plugins" / "cache"
    installed = sorted(p.relative_to(cache).as_posix() for p in cache.glob("*/*/*"))
    assert installed == [f"backend-persona/backend-persona/{__version__}"]
    assert tree_size(cache) < PLUGIN_CACHE_LIMIT, tree_size(cache)
    root = cache / installed[0]
    assert (root / "bin" / "backend-persona").stat().st_mode & 0o111
    assert (root / "skills" / MAIN / "SKILL.md").is_file()
    assert not (root / ".venv").exists()
    assert not (root / "commands").exists()


def test_the_plugin_builds_its_venv_once_in_the_cache_folder(
        runs: dict[tuple[str, str], Run], setup: Setup) -> None:
    venv = setup.homes["plugin"] / ".cache" / "backend-persona" / f"plugin-{__version__}"
    assert (venv / ".complete").is_file()
    assert (venv.parent.stat().st_mode & 0o777) == 0o700
    plugin_runs = [run for (mode, _), run in runs.items() if mode == "plugin"]
    # Several runs started at once; one built the venv, the others waited for it.
    assert sum("backend-persona: first run of plugin" in run.sent for run in plugin_runs) == 1


def _tracked_snapshot(work: Path) -> Path:
    """This checkout's files as git would commit them now (tracked or not ignored)."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others",
                             "--exclude-standard"], cwd=REPO, capture_output=True, check=True)
    for name in sorted(set(listed.stdout.decode().split("\0")) - {""}):
        source, target = REPO / name, work / name
        if not os.path.lexists(source):
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink():
            target.symlink_to(os.readlink(source))
        else:
            shutil.copy2(source, target)
    _git(work, "init", "-q", "-b", "main")
    _git(work, "add", "--all")
    _git(work, "commit", "-q", "-m", "snapshot")
    return work


def test_the_plugin_installs_from_a_git_url(setup: Setup, tmp_path: Path) -> None:
    served = tmp_path / "served"
    served.mkdir()
    _git(tmp_path, "clone", "-q", "--bare", str(_tracked_snapshot(tmp_path / "work")),
         str(served / "backend-persona.git"))
    home = tmp_path / "home"
    home.mkdir()
    with serving(served) as url:
        install_plugin(setup.claude, home, f"{url}/backend-persona.git")
    cache = home / ".claude" / "plugins" / "cache"
    assert 0 < tree_size(cache) < PLUGIN_CACHE_LIMIT, tree_size(cache)
    run = run_claude(setup.claude, home, setup.projects["plugin"], "plugin",
                     f"/backend-persona:{MAIN} design REST API for orders", tmp_path / "state")
    _assert_clean(run)
    for fact in ("ConnectRPC", "PostgreSQL", "OrderService", "branch main"):
        assert fact in run.sent, fact
    assert "backend-persona: first run of plugin" in run.sent


def test_an_installed_command_whose_interpreter_is_gone_says_how_to_repair(
        setup: Setup, tmp_path: Path) -> None:
    # What install writes for a checkout that later moved or ran `make clean`.
    gone = "/gone/checkout/.venv/bin/backend-persona"
    project = _fixture_repo(tmp_path / "repo")
    install("project", project=project, invocation=gone)
    home = tmp_path / "home"
    home.mkdir()
    run = run_claude(setup.claude, home, project, "project", f"/{MAIN} design REST API",
                     tmp_path / "state")
    assert run.returncode == 0, run.stdout[-2000:]
    assert run.stub.bodies, f"no request reached the stub: {run.stdout[-2000:]}"
    assert repair_line(gone, "project") in run.sent
    assert "design REST API" in run.sent


def test_a_plugin_that_cannot_install_its_packages_says_why(setup: Setup,
                                                            tmp_path: Path) -> None:
    # The checkout's plugin again, in a HOME without a venv, and pip with no registry.
    home = tmp_path / "home"
    home.mkdir()
    install_plugin(setup.claude, home, str(REPO))
    empty = tmp_path / "no-packages"
    empty.mkdir()
    offline = {"PIP_CONFIG_FILE": os.devnull, "PIP_NO_INDEX": "1", "PIP_FIND_LINKS": str(empty)}
    run = run_claude(setup.claude, home, setup.projects["plugin"], "plugin",
                     f"/backend-persona:{MAIN} design REST API", tmp_path / "state",
                     extra_env=offline)
    assert run.returncode == 0, run.stdout[-2000:]
    assert run.stub.bodies, f"no request reached the stub: {run.stdout[-2000:]}"
    assert "backend-persona: could not install the plugin's Python packages" in run.sent
    assert PLUGIN_REPAIR in run.sent
