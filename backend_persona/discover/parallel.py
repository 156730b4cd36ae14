"""The detectors on both cores: a forked helper runs some of them while this process runs the rest.

A cold ``context`` on a large repository spends most of its time in detectors, one after
another, each a function of the file index and the files it reads. Forked once the index
is made, a helper inherits the index and runs `HELPER_DETECTORS`; it sends back their
findings, the notes they made and the paths they opened, pickled through a pipe, and this
process takes them as if it had run those detectors itself. Threads would gain nothing:
the detectors are Python code, bound by the GIL.

Only a caller that knows it is the process's only thread asks for a helper (the console
script's cold run); a helper that fails, or cannot be forked, costs nothing but time: its
detectors then run here.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable, Sequence

from backend_persona.discover.index import FileIndex
from backend_persona.discover.registry import Detector, Finding

# The helper's share, chosen from the bench repositories' costs: the detectors that read the
# most files for the fewest findings (the code markers, SQL migrations, Dockerfiles, CI
# workflows, Compose files, datasource settings), so that little comes back through the
# pipe. The detectors that share the YAML/JSON sniffing cache (apis, infra, deployments)
# stay together, here.
HELPER_DETECTORS = frozenset({"markers", "migrations", "containers", "ci", "compose",
                              "datasources"})

# Run one detector: its findings, a failure becoming a note on the index.
RunOne = Callable[[FileIndex, str, Detector], list[Finding]]
# What the helper sends: findings by detector, its new notes, the paths its detectors opened.
_Reply = tuple[dict[str, list[Finding]], list[str], list[str]]
_FAILED = 1


def run_detectors(index: FileIndex, detectors: Sequence[tuple[str, Detector]], run_one: RunOne,
                  *, helper: bool) -> dict[str, list[Finding]]:
    """Every detector's findings, by name, some of them from a forked helper.

    Args:
        index: The file index, complete.
        detectors: The detectors, by name.
        run_one: Runs one detector; the same function runs in both processes.
        helper: Whether a helper may be forked: only when this process has one thread.

    Returns:
        Each detector's findings, exactly as running them all here would make them.
    """
    helped = [(name, detect) for name, detect in detectors if name in HELPER_DETECTORS]
    started = _start(index, helped, run_one) if helper and helped and hasattr(os, "fork") else None
    found = {name: run_one(index, name, detect) for name, detect in detectors
             if started is None or name not in HELPER_DETECTORS}
    reply = _finish(*started) if started is not None else None
    if started is not None and reply is None:
        found.update((name, run_one(index, name, detect)) for name, detect in helped)
    elif reply is not None:
        helped_found, notes, opened = reply
        found.update(helped_found)
        for message in notes:
            index.note(message)
        index.opened_elsewhere(opened)
    return found


def _start(index: FileIndex, helped: list[tuple[str, Detector]],
           run_one: RunOne) -> tuple[int, int] | None:
    """Fork the helper; its process id and the pipe it answers through, or None."""
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
    code = _FAILED
    try:
        os.close(reading)
        noted = len(index.notes)
        found = {name: run_one(index, name, detect) for name, detect in helped}
        reply: _Reply = (found, index.notes[noted:], sorted(index.read_paths()))
        data = memoryview(pickle.dumps(reply, protocol=pickle.HIGHEST_PROTOCOL))
        while data:
            data = data[os.write(writing, data):]
        code = 0
    finally:
        # Nothing of the parent's (buffers, exit handlers, git sessions) runs twice.
        os._exit(code)


def _finish(child: int, reading: int) -> _Reply | None:
    """The helper's reply once it has ended well, or None."""
    chunks: list[bytes] = []
    try:
        while chunk := os.read(reading, 1 << 20):
            chunks.append(chunk)
    except OSError:
        chunks = []
    finally:
        os.close(reading)
    _, status = os.waitpid(child, 0)
    if os.waitstatus_to_exitcode(status) != 0 or not chunks:
        return None
    try:
        # Our own child's bytes, made from our own records a moment ago.
        reply: _Reply = pickle.loads(b"".join(chunks))  # noqa: S301
    except Exception:  # a truncated reply, whatever unpickling it raises
        return None
    return reply
