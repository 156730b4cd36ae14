"""A child process with a deadline: a late one is killed with everything it started.

`backend_persona.git` runs every git process through `Process`; nothing here names git.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Mapping
from contextlib import suppress
from dataclasses import dataclass

# A process that finished while another was waited for still gets this long to hand over.
_GRACE_SECONDS = 0.5


@dataclass(frozen=True)
class Outcome:
    """What a process wrote to its pipes and how it ended."""

    out: bytes
    err: bytes
    # None: the process ran past its deadline and was killed.
    code: int | None

    @property
    def message(self) -> str:
        """The first line of what it wrote to stderr, or empty."""
        text = self.err.decode("utf-8", "replace").strip()
        return text.splitlines()[0] if text else ""


class Process:
    """One process with its own deadline; a late one is killed with its children."""

    def __init__(self, argv: list[str], env: Mapping[str, str], timeout: float) -> None:
        # Its own process group, so that a kill also reaches anything git started.
        self._popen = subprocess.Popen(
            argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL,
            env=dict(env), start_new_session=True,
        )
        self._deadline = time.monotonic() + timeout
        self._outcome: Outcome | None = None

    def outcome(self) -> Outcome:
        """Wait, at most until the deadline, for the process to finish."""
        if self._outcome is None:
            # A process that finished while another one was being waited for still
            # needs a moment to hand over what is in its pipes.
            remaining = max(_GRACE_SECONDS, self._deadline - time.monotonic())
            try:
                out, err = self._popen.communicate(timeout=remaining)
                self._outcome = Outcome(out, err, self._popen.returncode)
            except subprocess.TimeoutExpired:
                self.stop()
                self._outcome = Outcome(b"", b"", None)
        return self._outcome

    def stop(self) -> None:
        """Kill the process group unless the process has been waited for."""
        if self._popen.returncode is None:
            # Not reaped yet, so its id still names this group and no other.
            with suppress(ProcessLookupError):
                os.killpg(self._popen.pid, signal.SIGKILL)
            self._popen.wait()
        # A survivor outside the group may hold the pipes open: never read them again.
        for pipe in (self._popen.stdout, self._popen.stderr):
            if pipe is not None:
                pipe.close()
