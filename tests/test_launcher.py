"""The plugin's launcher, plugin/bin/backend-persona, run by a real POSIX sh.

It builds a venv for the plugin version in the user's cache folder on first use, with pip
and the package registry pip is configured for (PIP_* variables and pip.conf apply), then
execs the venv's console script. PATH holds no venv of this project.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from backend_persona import __version__

REPO = Path(__file__).resolve().parent.parent
LAUNCHER = REPO / "plugin" / "bin" / "backend-persona"
FIRST_RUN = "backend-persona: first run of plugin"


def _env(cache: Path, path: str = "/usr/bin:/bin", **extra: str) -> dict[str, str]:
    return {"PATH": path, "HOME": str(cache.parent), "XDG_CACHE_HOME": str(cache),
            **{k: v for k, v in os.environ.items() if k.startswith("PIP_")}, **extra}


def _launch(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(LAUNCHER), *args], env=env, capture_output=True, text=True,
                          timeout=600, check=False)


def _venv(cache: Path) -> Path:
    return cache / "backend-persona" / f"plugin-{__version__}"


def test_a_ready_venv_is_execd_with_every_argument_verbatim(tmp_path: Path) -> None:
    venv = _venv(tmp_path / "cache")
    (venv / "bin").mkdir(parents=True)
    (venv.parent).chmod(0o700)
    script = venv / "bin" / "backend-persona"
    script.write_text('#!/bin/sh\necho "plugin=$BACKEND_PERSONA_PLUGIN"\n'
                      'for a in "$@"; do printf "[%s]\\n" "$a"; done\n')
    script.chmod(0o755)
    (venv / ".complete").touch()
    done = _launch(_env(tmp_path / "cache"), "context", "$(touch PWNED)", "a b", "")
    assert done.returncode == 0, done.stderr
    # The package learns it runs as the plugin, so its hints name the bare command.
    assert done.stdout == f"plugin={__version__}\n[context]\n[$(touch PWNED)]\n[a b]\n[]\n"
    assert done.stderr == ""
    assert not list(tmp_path.rglob("PWNED"))


def test_no_python_is_one_line_naming_what_to_install(tmp_path: Path) -> None:
    tools = tmp_path / "tools"
    tools.mkdir()
    for tool in ("dirname",):
        (tools / tool).symlink_to(shutil.which(tool, path="/usr/bin:/bin") or tool)
    done = _launch(_env(tmp_path / "cache", path=str(tools)), "context")
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr == ("backend-persona: the plugin needs Python 3.11 or newer on PATH; "
                           "install python3 (3.11+) and run again\n")
    assert not (tmp_path / "cache").exists()


def test_a_planted_symlink_for_the_cache_folder_is_refused(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (cache / "backend-persona").symlink_to(elsewhere)
    done = _launch(_env(cache), "--version")
    assert done.returncode == 1
    assert done.stderr == (f"backend-persona: {cache / 'backend-persona'} is a symbolic link "
                           "or not yours; remove it and run again\n")
    assert list(elsewhere.iterdir()) == []


def test_an_unreachable_registry_is_one_line_and_leaves_no_half_venv(tmp_path: Path) -> None:
    empty = tmp_path / "no-packages"
    empty.mkdir()
    cache = tmp_path / "cache"
    env = {**_env(cache), "PIP_CONFIG_FILE": os.devnull, "PIP_NO_INDEX": "1",
           "PIP_FIND_LINKS": str(empty)}
    done = _launch(env, "--version")
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    assert lines[0].startswith(FIRST_RUN)
    log = cache / "backend-persona" / f"plugin-{__version__}.log"
    assert lines[1:] == [f"backend-persona: could not install the plugin's Python packages "
                         f"(see {log}); pip needs the package registry (PyPI or your pip "
                         "index): check the network, then run again"]
    assert log.is_file()
    assert not _venv(cache).exists()


def test_concurrent_first_runs_build_one_venv_then_later_runs_exec_at_once(
        tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    # A lock left by a first run that died is taken over.
    lock = Path(f"{_venv(cache)}.lock")
    lock.mkdir(parents=True)
    (lock / "pid").write_text("999999999\n")  # above any pid_max: no such process
    env = _env(cache)
    with ThreadPoolExecutor(max_workers=3) as pool:
        runs = list(pool.map(lambda _: _launch(env, "--version"), range(3)))
    for done in runs:
        assert done.returncode == 0, done.stderr
        assert done.stdout == f"backend-persona, version {__version__}\n"
    first = [done.stderr for done in runs if FIRST_RUN in done.stderr]
    assert len(first) == 1, [done.stderr for done in runs]
    assert first[0].splitlines()[-1] == "backend-persona: installed; later runs start at once"
    assert (_venv(cache) / ".complete").is_file()
    assert not lock.exists()
    assert ((cache / "backend-persona").stat().st_mode & 0o777) == 0o700
    started = time.monotonic()
    later = _launch(env, "--version")
    elapsed = time.monotonic() - started
    assert later.returncode == 0
    assert later.stderr == ""
    # Generous for a loaded machine: the later run does no pip work, only Python's start.
    assert elapsed < 5, elapsed


@pytest.mark.parametrize("relative", ["", "relative/cache"])
def test_the_cache_folder_defaults_to_home_dot_cache(tmp_path: Path, relative: str) -> None:
    home = tmp_path / "home"
    venv = home / ".cache" / "backend-persona" / f"plugin-{__version__}"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "backend-persona").write_text("#!/bin/sh\necho from-home-cache\n")
    (venv / "bin" / "backend-persona").chmod(0o755)
    (venv / ".complete").touch()
    env = {"PATH": "/usr/bin:/bin", "HOME": str(home), "XDG_CACHE_HOME": relative}
    done = _launch(env, "context")
    assert (done.returncode, done.stdout) == (0, "from-home-cache\n"), done.stderr
