"""The detectors on both cores: a forked helper runs some of them while this process runs the rest.

A cold ``context`` on a large repository spends most of its time in detectors, one after
another, each a function of the file index and the files it reads. Forked once the index
is made, a helper inherits the index and runs `HELPER_DETECTORS`, this process the rest,
each in the detectors' order. The helper sends back its detectors' findings, the notes
they made and its reads (`readlog.ReadLog`), pickled through a pipe, and this process takes
them as if it had run those detectors itself. Threads would gain nothing: the detectors
are Python code, bound by the GIL.

What a read answers can depend on the reads before it (a head read of a file read whole
is that text's start). When the two logs show that a read in one process would have
answered otherwise after the other's earlier detectors (`readlog.conflicts`), or the helper
fails or cannot be forked, every detector runs here again, in order, on a clean index:
the answer is always the one a single process gives.

Only a caller that knows it is the process's only thread asks for a helper (the console
script's cold run).
"""

from __future__ import annotations

import os
import pickle
import sys
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from backend_persona.discover.index import FileIndex
from backend_persona.discover.readlog import AFTER_DETECTORS, ReadLog, conflicts
from backend_persona.discover.registry import Detector, Finding

# The helper's share, balanced on the bench repositories' CPU times, and chosen so that
# files two detectors read stay in one process: CI workflows (ci, the code markers,
# infra's Envoy check), YAML/JSON sniffing (apis, deployments, infra) and Compose files,
# the settings files markers and datasources read. This process keeps the file markers,
# whose tens of thousands of sightings would cost more to pickle than to make.
HELPER_DETECTORS = frozenset({"apis", "ci", "compose", "config", "containers", "datasources",
                              "deployments", "dotnet", "elixir", "envfiles", "infra",
                              "markers"})

# Run one detector: its findings, a failure becoming a note on the index.
RunOne = Callable[[FileIndex, str, Detector], list[Finding]]
Ranked = list[tuple[int, str, Detector]]
Side = TypeVar("Side")
# What the helper sends: findings by detector, its new notes, the paths its detectors
# opened, its read log, and the side job's answer.
_Reply = tuple[dict[str, list[Finding]], list[str], list[str], ReadLog, Side]
_FAILED = 1


def run_detectors(index: FileIndex, detectors: Sequence[tuple[str, Detector]], run_one: RunOne,
                  side: Callable[[], Side], *, helper: bool,
                  ) -> tuple[dict[str, list[Finding]], Side]:
    """Every detector's findings, by name, some of them from a forked helper; and ``side()``.

    Args:
        index: The file index, complete, its detectors not yet run.
        detectors: The detectors, by name, in their order.
        run_one: Runs one detector; the same function runs in both processes.
        side: A job of the paths alone (no reads), run before the detectors, or by the
            helper after its own: the test summary, which balances the two processes.
        helper: Whether a helper may be forked: only when this process has one thread.

    Returns:
        Each detector's findings, exactly as running them all here would make them, and
        what ``side`` answered.
    """
    ranked = [(rank, name, detect) for rank, (name, detect) in enumerate(detectors)]
    notes, memo = list(index.notes), dict(index.memo)
    started = _start(index, [d for d in ranked if d[1] in HELPER_DETECTORS], run_one, side) \
        if helper and hasattr(os, "fork") else None
    if started is None:
        answer = side()
        return _run(index, ranked, run_one), answer
    try:
        found = _run(index, [d for d in ranked if d[1] not in HELPER_DETECTORS], run_one)
    except BaseException:
        # ^C or a bug here: the helper's work is lost anyway, and it must not outlive us.
        _abandon(*started)
        raise
    reply: _Reply[Side] | None = _finish(*started)
    if reply is None or conflicts(index.log, reply[3]):
        index.restart(notes, memo)
        answer = reply[4] if reply is not None else side()
        return _run(index, ranked, run_one), answer
    helped, new_notes, opened, log, answer = reply
    found.update(helped)
    for message in new_notes:
        index.note(message)
    index.adopt(opened, log)
    return found, answer


def _run(index: FileIndex, ranked: Ranked, run_one: RunOne) -> dict[str, list[Finding]]:
    """The detectors' findings, in their order, each read logged with its detector's rank."""
    found: dict[str, list[Finding]] = {}
    for rank, name, detect in ranked:
        index.log.rank = rank
        found[name] = run_one(index, name, detect)
    index.log.rank = AFTER_DETECTORS
    return found


def _start(index: FileIndex, helped: Ranked, run_one: RunOne,
           side: Callable[[], object]) -> tuple[int, int] | None:
    """Fork the helper: its process id and the pipe it answers through, or None."""
    threading = sys.modules.get("threading")
    if threading is not None and threading.active_count() > 1:
        # A fork copies one thread: another's locks (a Popen's, a pipe's) would stay taken.
        return None
    reading, writing = os.pipe()
    try:
        child = os.fork()
    except OSError:
        os.close(reading)
        os.close(writing)
        return None
    if child:
        os.close(writing)
        return child, reading
    # `try` first: a ^C in the child must end it here, never in the parent's frames.
    try:
        os.close(reading)
        noted = len(index.notes)
        found = _run(index, helped, run_one)
        reply: _Reply[object] = (found, index.notes[noted:], sorted(index.read_paths()),
                                 index.log, side())
        data = memoryview(pickle.dumps(reply, protocol=pickle.HIGHEST_PROTOCOL))
        while data:
            data = data[os.write(writing, data):]
        os._exit(0)
    finally:
        # Nothing of the parent's (buffers, exit handlers, git sessions) runs twice.
        os._exit(_FAILED)


def _abandon(child: int, reading: int) -> None:
    """End the helper and reap it, its answer unread."""
    import contextlib  # noqa: PLC0415  (only a run that fails pays for them)
    import signal  # noqa: PLC0415

    os.close(reading)
    with contextlib.suppress(OSError):  # it has already ended
        os.kill(child, signal.SIGKILL)
    os.waitpid(child, 0)


def _finish(child: int, reading: int) -> _Reply[Any] | None:
    """The helper's reply once it has ended well, or None."""
    chunks: list[bytes] = []
    try:
        while chunk := os.read(reading, 1 << 20):
            chunks.append(chunk)
    except OSError:
        chunks = []
    except BaseException:
        _abandon(child, reading)
        raise
    os.close(reading)
    _, status = os.waitpid(child, 0)
    if os.waitstatus_to_exitcode(status) != 0 or not chunks:
        return None
    try:
        # Our own child's bytes, made from our own records a moment ago.
        reply: _Reply[Any] = pickle.loads(b"".join(chunks))  # noqa: S301
    except Exception:  # a truncated reply, whatever unpickling it raises
        return None
    return reply
