"""Run commands as Claude Code would (output captured, cwd = the repository) and time them.

Every measured command is started, timed and reaped by bench/spawner.py, a small process
of its own, never by the harness: a child's ``ru_maxrss`` starts at the high-water mark of
the process it was forked from and survives ``exec``, so a child of the harness (which
holds fixtures and outputs) reported the harness's size. A child of the spawner reports
its own peak, or up to the spawner's ~12 MB when it stays below that
(``Spawner.floor_mb``).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import selectors
import socket
import statistics
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

Argv = Sequence[str]


@dataclass(frozen=True)
class Command:
    """One row of the table: argv steps run one after another, or all at once."""

    label: str
    steps: tuple[Argv, ...]
    env: Mapping[str, str] | None = None
    concurrent: bool = False


@dataclass(frozen=True)
class Sample:
    """One timed run of a command."""

    seconds: float
    peak_rss_mb: float
    exit_codes: tuple[int, ...]
    output: bytes


@dataclass
class Series:
    """Every measured sample of one command on one repository."""

    command: Command
    samples: list[Sample] = field(default_factory=list)

    @property
    def median(self) -> float:
        """Median wall time in seconds."""
        return statistics.median(s.seconds for s in self.samples)

    @property
    def fastest(self) -> float:
        """Fastest wall time in seconds."""
        return min(s.seconds for s in self.samples)

    @property
    def slowest(self) -> float:
        """Slowest wall time in seconds."""
        return max(s.seconds for s in self.samples)

    @property
    def peak_rss_mb(self) -> float:
        """Largest peak RSS over all samples, in MB."""
        return max(s.peak_rss_mb for s in self.samples)

    @property
    def failures(self) -> int:
        """Samples in which any step exited non-zero."""
        return sum(1 for s in self.samples if any(s.exit_codes))


SPAWNER = Path(__file__).resolve().with_name("spawner.py")
# An interpreter start on a busy machine, with a wide margin.
START_SECONDS = 30.0
STOP_SECONDS = 10.0
REPLY_BYTES = 1 << 16
CHUNK = 1 << 16


class SpawnerError(RuntimeError):
    """The spawner did not start, or stopped answering."""


@dataclass(frozen=True)
class Reaped:
    """What the spawner reports of one run: one entry per step that ran."""

    seconds: float
    peak_rss_mb: tuple[float, ...]
    exit_codes: tuple[int, ...]
    # One per step when captured (stdout and stderr together), else none.
    outputs: tuple[bytes, ...]
    killed: bool


class Spawner:
    """The harness's end of bench/spawner.py; one run at a time, closed by ``close``.

    Raises:
        SpawnerError: The spawner could not start.
    """

    def __init__(self) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            # -I -S: no site-packages, no PYTHON* variables; only what spawner.py imports.
            self._process = subprocess.Popen(
                [sys.executable, "-I", "-S", str(SPAWNER), str(theirs.fileno())],
                pass_fds=(theirs.fileno(),), stdin=subprocess.DEVNULL,
            )
        except OSError as error:
            ours.close()
            raise SpawnerError(f"the process spawner could not start: {error}") from error
        finally:
            theirs.close()
        self._channel = ours
        ours.settimeout(START_SECONDS)
        try:
            # Its first message, its floor, says that it is up and serving.
            self._receive()
        except BaseException:
            self.close()
            raise
        ours.settimeout(None)

    def __enter__(self) -> Spawner:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the spawner; it kills whatever it still runs when its socket closes."""
        self._channel.close()
        try:
            self._process.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait()

    def floor_mb(self) -> float:
        """The spawner's own high-water mark in MB, which a child may inherit as its own.

        A figure at or below it says only that the child stayed under it.
        """
        self._send({"op": "floor"}, [])
        return int(self._receive()["floor_kib"]) / 1024

    def run(self, steps: Sequence[Argv], cwd: Path, env: Mapping[str, str] | None = None, *,
            concurrent: bool = False, stdin: bytes | None = None, capture: bool = False,
            kill_after: float | None = None, address_space: int | None = None) -> Reaped:
        """Run ``steps`` in ``cwd`` through the spawner and return what it measured.

        Args:
            steps: The argv of each step.
            cwd: The working directory of every step.
            env: The environment of every step; the harness's own when None.
            concurrent: Start all steps at once instead of one after another.
            stdin: Bytes fed to the only step's stdin; ``/dev/null`` when None.
            capture: Return each step's stdout and stderr; ``/dev/null`` otherwise.
            kill_after: Seconds after which every running step's process group is killed
                and no further step starts; no limit when None.
            address_space: ``RLIMIT_AS`` of every step, in bytes; no cap when None.

        Returns:
            The wall time from the first spawn to the last reap, each step's peak RSS
            and exit code, the outputs and whether the kill timer fired.

        Raises:
            ValueError: ``stdin`` was given to a command of more than one step.
            OSError: A step could not start.
            SpawnerError: The spawner is gone.
        """
        if stdin is not None and len(steps) != 1:
            raise ValueError("stdin is fed to a command of one step only")
        request = {"op": "run", "steps": [list(argv) for argv in steps], "cwd": str(cwd),
                   "env": dict(os.environ if env is None else env), "concurrent": concurrent,
                   "stdin": stdin is not None, "capture": capture, "kill_after": kill_after,
                   "address_space": address_space}
        with contextlib.ExitStack() as pipes:
            def pipe() -> tuple[io.FileIO, io.FileIO]:
                read_end, write_end = os.pipe()
                return (pipes.enter_context(open(read_end, "rb", buffering=0)),
                        pipes.enter_context(open(write_end, "wb", buffering=0)))

            feed, theirs, reads = None, [], []
            if stdin is not None:
                child_stdin, feed = pipe()
                theirs.append(child_stdin)
            if capture:
                for _ in steps:
                    read_end, write_end = pipe()
                    reads.append(read_end)
                    theirs.append(write_end)
            self._send(request, [end.fileno() for end in theirs])
            # The spawner holds these now; our copies would hide the children's EOF.
            for end in theirs:
                end.close()
            reply, outputs = self._exchange(feed, stdin or b"", reads)
        if "error" in reply:
            raise OSError(reply["error"])
        return Reaped(seconds=reply["seconds"],
                      peak_rss_mb=tuple(kib / 1024 for kib in reply["peak_rss_kib"]),
                      exit_codes=tuple(reply["exit_codes"]), outputs=outputs,
                      killed=reply["killed"])

    def _exchange(self, feed: io.FileIO | None, data: bytes,
                  reads: list[io.FileIO]) -> tuple[dict[str, Any], tuple[bytes, ...]]:
        """Feed stdin and drain the outputs until the reply is in and every output ends."""
        chunks: list[list[bytes]] = [[] for _ in reads]
        pending = memoryview(data)
        reply = None
        feeding = feed
        with selectors.DefaultSelector() as selector:
            selector.register(self._channel, selectors.EVENT_READ, "reply")
            for index, end in enumerate(reads):
                selector.register(end, selectors.EVENT_READ, index)
            if feeding is not None:
                os.set_blocking(feeding.fileno(), False)
                selector.register(feeding, selectors.EVENT_WRITE, "feed")

            def stop_feeding() -> None:
                nonlocal feeding
                if feeding is not None:
                    selector.unregister(feeding)
                    feeding.close()
                    feeding = None

            while reply is None or selector.get_map():
                for key, _ in selector.select():
                    if key.data == "reply":
                        reply = self._receive()
                        selector.unregister(self._channel)
                        # Every step is reaped: nobody is left to read the rest.
                        stop_feeding()
                    elif key.data == "feed":
                        # The reply, earlier in this batch, may have stopped the feeding.
                        if feeding is None:
                            continue
                        try:
                            pending = pending[os.write(feeding.fileno(), pending[:CHUNK]):]
                        except BrokenPipeError:
                            # A command that exits before reading all of its input is not
                            # our failure here.
                            pending = pending[:0]
                        if not pending:
                            stop_feeding()
                    else:
                        chunk = os.read(key.fd, CHUNK)
                        if chunk:
                            chunks[key.data].append(chunk)
                        else:
                            selector.unregister(key.fileobj)
        return reply, tuple(b"".join(parts) for parts in chunks)

    def _send(self, request: dict[str, Any], fds: list[int]) -> None:
        try:
            socket.send_fds(self._channel, [json.dumps(request).encode()], fds)
        except OSError as error:
            raise SpawnerError(f"the process spawner is gone: {error}") from error

    def _receive(self) -> dict[str, Any]:
        try:
            message = self._channel.recv(REPLY_BYTES)
        except TimeoutError as error:
            raise SpawnerError(f"the process spawner did not answer within "
                               f"{START_SECONDS:.0f} s") from error
        except OSError as error:
            raise SpawnerError(f"the process spawner is gone: {error}") from error
        if not message:
            try:
                code = self._process.wait(timeout=STOP_SECONDS)
            except subprocess.TimeoutExpired:
                code = None
            raise SpawnerError(f"the process spawner stopped (exit code {code})")
        reply: dict[str, Any] = json.loads(message)
        return reply


def rss_note(floor_mb: float) -> str:
    """The line saying what a peak RSS figure is, and below what it cannot go."""
    return (f"peak RSS: each child's own high-water mark; floor ~{floor_mb:.0f} MB (the "
            "spawner's size, which a child inherits at fork)")


def run_once(command: Command, cwd: Path, spawner: Spawner) -> Sample:
    """Run ``command`` once in ``cwd`` and return its wall time, peak RSS and output."""
    reaped = spawner.run(command.steps, cwd, command.env, concurrent=command.concurrent,
                         capture=True)
    return Sample(seconds=reaped.seconds, peak_rss_mb=max(reaped.peak_rss_mb),
                  exit_codes=reaped.exit_codes, output=b"".join(reaped.outputs))


def measure(commands: Sequence[Command], cwd: Path, spawner: Spawner, *, warmups: int,
            runs: int) -> list[Series]:
    """Time every command ``runs`` times after ``warmups`` unmeasured rounds.

    Rounds interleave the commands and rotate their order, so page cache, CPU frequency
    and background noise fall on all of them alike.
    """
    series = [Series(command) for command in commands]
    for round_number in range(warmups + runs):
        shift = round_number % len(commands)
        for position in [*range(shift, len(commands)), *range(shift)]:
            sample = run_once(commands[position], cwd, spawner)
            if round_number >= warmups:
                series[position].samples.append(sample)
    return series
