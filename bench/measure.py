"""Run commands as Claude Code would (output captured, cwd = the repository) and time them.

Each child is reaped with ``os.wait4`` so its peak RSS is the child's own (the kernel's
``ru_maxrss`` for a reaped child is the larger of its own peak and that of its reaped
descendants), never the harness's.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

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


def _spawn(argv: Argv, cwd: Path, env: Mapping[str, str] | None) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        list(argv), cwd=cwd, env=None if env is None else dict(env),
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )


def _reap(process: subprocess.Popen[bytes]) -> tuple[bytes, int, float]:
    """Read all output, then reap the child ourselves to get its own rusage."""
    assert process.stdout is not None
    output = process.stdout.read()
    process.stdout.close()
    _, status, usage = os.wait4(process.pid, 0)
    # Tell Popen the child is gone, so it never waits on a reused pid.
    process.returncode = os.waitstatus_to_exitcode(status)
    # Linux reports ru_maxrss in KiB.
    return output, process.returncode, usage.ru_maxrss / 1024


def run_once(command: Command, cwd: Path) -> Sample:
    """Run ``command`` once in ``cwd`` and return its wall time, peak RSS and output."""
    started = time.perf_counter()
    if command.concurrent:
        processes = [_spawn(argv, cwd, command.env) for argv in command.steps]
        results = [_reap(p) for p in processes]
    else:
        results = [_reap(_spawn(argv, cwd, command.env)) for argv in command.steps]
    seconds = time.perf_counter() - started
    return Sample(
        seconds=seconds,
        peak_rss_mb=max(rss for _, _, rss in results),
        exit_codes=tuple(code for _, code, _ in results),
        output=b"".join(out for out, _, _ in results),
    )


def measure(commands: Sequence[Command], cwd: Path, *, warmups: int, runs: int) -> list[Series]:
    """Time every command ``runs`` times after ``warmups`` unmeasured rounds.

    Rounds interleave the commands and rotate their order, so page cache, CPU frequency
    and background noise fall on all of them alike.
    """
    series = [Series(command) for command in commands]
    for round_number in range(warmups + runs):
        shift = round_number % len(commands)
        for position in [*range(shift, len(commands)), *range(shift)]:
            sample = run_once(commands[position], cwd)
            if round_number >= warmups:
                series[position].samples.append(sample)
    return series
