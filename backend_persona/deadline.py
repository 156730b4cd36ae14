"""A child process with a deadline: a late one is killed with everything it started.

`backend_persona.git` runs every git process through `Process`; nothing here names git.
"""

from __future__ import annotations

import os
import selectors
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Mapping
from contextlib import suppress
from typing import NamedTuple

# A process that finished while another was waited for still gets this long to hand over.
_GRACE_SECONDS = 0.5
# What one read of a streamed pipe asks for: more than a pipe holds.
_CHUNK_BYTES = 1 << 20


# Records here are NamedTuples, not dataclasses: dataclasses imports inspect, ~7 ms of
# every cold `context` run.
class Outcome(NamedTuple):
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

    def stream(self, consume: Callable[[bytes], object]) -> Outcome:
        """Like `outcome`, handing standard output to ``consume`` as it arrives.

        A listing of 300,000 files is 20 MB: read whole, then decoded, it is held two
        or three times over before it is parsed; streamed, never. The outcome's ``out``
        is empty. On a timeout the process is killed, as by `outcome`, and what
        ``consume`` was given by then is all there is.
        """
        if self._outcome is not None:
            return self._outcome
        deadline = max(time.monotonic() + _GRACE_SECONDS, self._deadline)
        err: list[bytes] = []
        with selectors.DefaultSelector() as selector:
            for pipe in (self._popen.stdout, self._popen.stderr):
                if pipe is not None:
                    selector.register(pipe, selectors.EVENT_READ)
            while selector.get_map():
                remaining = deadline - time.monotonic()
                ready = selector.select(remaining) if remaining > 0 else []
                if not ready:
                    self.stop()
                    self._outcome = Outcome(b"", b"", None)
                    return self._outcome
                for key, _ in ready:
                    data = os.read(key.fd, _CHUNK_BYTES)
                    if not data:
                        selector.unregister(key.fileobj)
                    elif key.fileobj is self._popen.stdout:
                        consume(data)
                    else:
                        err.append(data)
        try:
            code = self._popen.wait(timeout=max(_GRACE_SECONDS, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            self.stop()
            self._outcome = Outcome(b"", b"", None)
            return self._outcome
        self._outcome = Outcome(b"", b"".join(err), code)
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


class After:
    """A process a thread starts as soon as another has answered, without waiting for it here.

    The console script's first git questions run while Python loads: status must wait
    for config's answer, and the loading must not.
    """

    def __init__(self, first: Process, start: Callable[[Outcome], Process | None]) -> None:
        """Wait for ``first`` in a thread, then make the process: ``start(first's outcome)``."""
        self._started: Process | None = None
        self._error: BaseException | None = None
        # A daemon: an interrupted run never waits on it (and `start` never blocks).
        self._thread = threading.Thread(target=self._run, args=(first, start), daemon=True)
        self._thread.start()

    def _run(self, first: Process, start: Callable[[Outcome], Process | None]) -> None:
        try:
            self._started = start(first.outcome())
        except BaseException as error:  # raised again by `process`, in the caller's thread
            self._error = error

    def process(self) -> Process | None:
        """The process ``start`` made (None: it made none), once the thread is done.

        Raises:
            BaseException: Whatever ``start`` raised, in the caller's thread.
        """
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._started
