"""The command that runs this installation of backend-persona, for command files and hints.

Standard library only: ``context`` names it in the hints it prints before every answer.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

# The plugin's launcher (plugin/bin/backend-persona) sets this to the plugin version before
# it execs the package: the bare name is then on PATH for the plugin's `!` lines and Bash.
PLUGIN_ENV = "BACKEND_PERSONA_PLUGIN"
PLUGIN_INVOCATION = "backend-persona"


def resolve_invocation() -> str:
    """The command that runs this installation of backend-persona, as an absolute path.

    The console script next to the running interpreter is preferred: it is what the venv
    installed, and the current folder cannot shadow it. Without one, the interpreter runs
    the module with ``-P`` so that a ``backend_persona/`` folder in the user's repository
    cannot shadow ours.
    """
    interpreter = Path(os.path.abspath(sys.executable))  # not resolved: venv bin/ matters
    script = interpreter.parent / "backend-persona"
    if script.is_file() and os.access(script, os.X_OK):
        return str(script)
    return f"{interpreter} -P -m backend_persona"


def hint_invocation() -> str:
    """The command a printed hint should name so that it works where we were started.

    Under the plugin's launcher that is the bare ``backend-persona`` (the plugin's bin/ is
    on PATH there); installed into a project or for the user, or run from a venv, it is
    this installation's absolute path, which works without the venv on PATH.
    """
    if os.environ.get(PLUGIN_ENV):
        return PLUGIN_INVOCATION
    return resolve_invocation()
