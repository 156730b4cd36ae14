"""`deadline.Process.stream`: standard output handed over as it arrives, under the deadline."""

from __future__ import annotations

import os
import sys

import pytest

from backend_persona.deadline import After, Outcome, Process


def _python(code: str, timeout: float = 10.0) -> Process:
    return Process([sys.executable, "-c", code], dict(os.environ), timeout)


def test_stream_hands_over_all_of_stdout_and_keeps_stderr() -> None:
    # More than a pipe holds on both streams at once: neither may block the other.
    code = ("import sys\n"
            "for n in range(20000):\n"
            "    sys.stdout.write(f'{n:06}\\0'); sys.stderr.write('e' * 8)\n")
    chunks: list[bytes] = []
    outcome = _python(code).stream(chunks.append)
    assert outcome.code == 0
    assert outcome.out == b""
    assert b"".join(chunks) == b"".join(f"{n:06}\0".encode() for n in range(20000))
    assert outcome.err == b"e" * 8 * 20000


def test_stream_reports_the_exit_code() -> None:
    outcome = _python("import sys; sys.stderr.write('nope\\n'); sys.exit(3)").stream(print)
    assert (outcome.code, outcome.message) == (3, "nope")


def test_a_late_process_is_killed_at_its_deadline() -> None:
    chunks: list[bytes] = []
    process = _python("import sys, time; print('early', flush=True); time.sleep(30)", 0.6)
    outcome = process.stream(chunks.append)
    assert outcome.code is None
    assert b"".join(chunks) == b"early\n"
    assert process.outcome() is outcome


def test_after_starts_a_process_once_the_first_has_answered() -> None:
    first = _python("print('config')")
    seen: list[bytes] = []

    def start(outcome: Outcome) -> Process:
        seen.append(outcome.out)
        return _python("print('status')")

    later = After(first, start)
    started = later.process()
    assert seen == [b"config\n"]
    assert started is not None and started.outcome().out == b"status\n"
    assert After(_python("pass"), lambda outcome: None).process() is None


def test_after_raises_what_starting_raised_in_the_callers_thread() -> None:
    def start(outcome: Outcome) -> Process:
        raise FileNotFoundError("git")

    later = After(_python("pass"), start)
    with pytest.raises(FileNotFoundError):
        later.process()
