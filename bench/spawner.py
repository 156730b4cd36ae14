"""The small process that starts, times and reaps every measured command of the bench.

A child's ``ru_maxrss`` starts at the high-water mark of the process it was forked from
(fork copies it, vfork and posix_spawn share it) and survives ``exec``: a command started
by the harness, which holds fixtures and outputs, reported the harness's size as its own.
This file runs as a fresh interpreter (``python -I -S bench/spawner.py FD``) that imports
only the standard library it needs, so whatever the harness holds, its children start from
at most its own ~12 MB, and each reaped child's ``ru_maxrss`` is that child's own peak.

It speaks JSON over the ``SOCK_SEQPACKET`` socket ``FD``, one request and one reply at a
time. It first sends ``{"floor_kib": N}``, its own high-water mark. Requests:

- ``{"op": "floor"}``: answered with ``{"floor_kib": N}`` again.
- ``{"op": "run", "steps": [argv, ...], "cwd", "env", "concurrent", "stdin", "capture",
  "kill_after", "address_space"}``, carrying as file descriptors the read end of a stdin
  pipe when ``stdin`` is true, then a pipe's write end per step (stdout and stderr) when
  ``capture`` is true; otherwise the children get ``/dev/null``. Steps run one after
  another, or all at once when ``concurrent``. Each runs in a process group of its own,
  with ``RLIMIT_AS`` at ``address_space`` (if not null) set in the child before ``exec``.
  When ``kill_after`` seconds pass, every running group gets SIGKILL (grandchildren too)
  and no further step starts. Answered with ``{"seconds", "peak_rss_kib": [...],
  "exit_codes": [...], "killed"}`` (one entry per step that ran; the seconds are from the
  first spawn to the last reap, timed here), or ``{"error"}`` when a step cannot start.

When the harness closes its end, or on SIGINT or SIGTERM, it kills the process groups it
still runs, reaps them and exits.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import resource
import select
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

# A request carries argv and an environment: far below this.
REQUEST_BYTES = 1 << 20
# The stdin pipe plus one output pipe per step.
MAX_FDS = 64


class HarnessGoneError(Exception):
    """The harness closed its end of the socket: nobody waits for the results."""


def _floor() -> dict[str, Any]:
    # VmHWM is this process's own high-water mark, which a child forked from it inherits;
    # ru_maxrss is not: it still carries the harness's, from before this process's exec.
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return {"floor_kib": int(line.split()[1])}
    raise RuntimeError("no VmHWM in /proc/self/status")


def _limit(address_space: int | None) -> Callable[[], None] | None:
    if address_space is None:
        return None
    return functools.partial(resource.setrlimit, resource.RLIMIT_AS,
                             (address_space, address_space))


class Server:
    """Serves run requests on ``channel`` until the harness closes it."""

    def __init__(self, channel: socket.socket) -> None:
        self.channel = channel
        # Started and not yet reaped: pidfd -> (step index, process).
        self.live: dict[int, tuple[int, subprocess.Popen[bytes]]] = {}

    def serve(self) -> None:
        """Answer requests until the harness closes its end; kill what is left either way."""
        try:
            self.channel.send(json.dumps(_floor()).encode())
            while True:
                message, fds, flags, _ = socket.recv_fds(self.channel, REQUEST_BYTES, MAX_FDS)
                if not message:
                    return
                owned = set(fds)
                try:
                    if flags & (socket.MSG_TRUNC | socket.MSG_CTRUNC):
                        reply = {"error": "request too large for the spawner"}
                    else:
                        reply = self.handle(json.loads(message), fds, owned)
                finally:
                    for fd in owned:
                        os.close(fd)
                self.channel.send(json.dumps(reply).encode())
        except (HarnessGoneError, ConnectionError):
            return
        finally:
            self.kill_all()

    def handle(self, request: dict[str, Any], fds: list[int], owned: set[int]) -> dict[str, Any]:
        """Answer one request; ``owned`` holds the received descriptors not yet closed."""
        if request["op"] == "floor":
            return _floor()
        steps: list[list[str]] = request["steps"]
        stdin: int = fds.pop(0) if request["stdin"] else subprocess.DEVNULL
        outputs = fds if request["capture"] else [subprocess.DEVNULL] * len(steps)
        started = time.perf_counter()
        deadline = None if request["kill_after"] is None else started + request["kill_after"]
        reaped: dict[int, tuple[int, int]] = {}
        killed = False

        def release(fd: int) -> None:
            if fd in owned:
                owned.remove(fd)
                os.close(fd)

        for index, argv in enumerate(steps):
            try:
                process = subprocess.Popen(
                    argv, cwd=request["cwd"], env=request["env"], stdin=stdin,
                    stdout=outputs[index], stderr=outputs[index], process_group=0,
                    # In the child before exec, so the cap binds from its first allocation;
                    # safe because this process runs no threads.
                    preexec_fn=_limit(request["address_space"]),  # noqa: PLW1509
                )
            except OSError as error:
                self.kill_all()
                return {"error": f"cannot start {argv}: {error}"}
            finally:
                # The child holds its own copies now; an output pipe's would keep the
                # harness from EOF, the stdin pipe's from a broken pipe.
                release(outputs[index])
                if index == len(steps) - 1:
                    release(stdin)
            self.live[os.pidfd_open(process.pid)] = (index, process)
            if not request["concurrent"] or index == len(steps) - 1:
                killed = self.reap_all(reaped, deadline)
            if killed:
                break
        seconds = time.perf_counter() - started
        order = sorted(reaped)
        return {"seconds": seconds, "peak_rss_kib": [reaped[i][1] for i in order],
                "exit_codes": [reaped[i][0] for i in order], "killed": killed}

    def reap_all(self, reaped: dict[int, tuple[int, int]], deadline: float | None = None) -> bool:
        """Reap every live child into ``reaped`` as it exits; True if the deadline fired.

        Raises:
            HarnessGoneError: The harness closed its end while we waited.
        """
        poller = select.poll()
        poller.register(self.channel, select.POLLIN)
        for pidfd in self.live:
            poller.register(pidfd, select.POLLIN)
        fired = False
        while self.live:
            wait = None if deadline is None or fired else max(
                0.0, (deadline - time.perf_counter()) * 1000)
            events = poller.poll(wait)
            if not events:
                fired = True
                self.kill_live()
            for fd, _ in events:
                if fd == self.channel.fileno():
                    # The harness sends nothing while it waits: this is its end closing.
                    raise HarnessGoneError
                poller.unregister(fd)
                index, process = self.live.pop(fd)
                os.close(fd)
                _, status, usage = os.wait4(process.pid, 0)
                # Tell Popen the child is gone, so it never waits on a reused pid.
                process.returncode = os.waitstatus_to_exitcode(status)
                reaped[index] = (process.returncode, usage.ru_maxrss)
        return fired

    def kill_live(self) -> None:
        """SIGKILL the process group of every live child: the child and its descendants."""
        for _, process in self.live.values():
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)

    def kill_all(self) -> None:
        """Kill and reap every live child, without waiting on the harness."""
        self.kill_live()
        for pidfd, (_, process) in self.live.items():
            os.close(pidfd)
            _, status, _ = os.wait4(process.pid, 0)
            process.returncode = os.waitstatus_to_exitcode(status)
        self.live.clear()


def main(argv: list[str]) -> int:
    """Serve on the socket whose descriptor is ``argv[1]``."""
    # SIGTERM too ends in the clean-up below, not in orphaned process groups.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        with socket.socket(fileno=int(argv[1])) as channel:
            Server(channel).serve()
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
