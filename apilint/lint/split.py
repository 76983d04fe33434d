"""Running part of one description's rules in a forked process while this one runs the rest.

A forked child shares the parsed description with its parent (copy on write): nothing is copied
or parsed twice. The child runs the costly rules and sends back only their results, as plain
data; the parent rebuilds them against its own documents, so the report is the same, byte for
byte, as when one process runs every rule. Whenever anything about the child goes wrong (it
cannot start, fails, is killed, or names a document the parent does not have), the parent runs
those rules itself: the child can cost time, never a result.

Used only on Linux, only while this process runs a single thread (a fork copies one thread;
locks held by another would stay locked in the child), and only for rules whose work on the
description is worth the fork and the pages both processes then copy (each check says when:
``@check(costly=...)``).
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


class _Failed:
    def __repr__(self) -> str:
        return "FAILED"


FAILED = _Failed()
"""What :func:`run_beside` gives for the child's result when the child delivered none."""


def can_fork() -> bool:
    return sys.platform.startswith("linux") and threading.active_count() == 1


def run_beside(child_work: Callable[[], object], parent_work: Callable[[], T]) -> tuple[T, object]:
    """``parent_work()`` here while a forked child computes ``child_work()``; returns both
    results, the child's being ``FAILED`` when it could not deliver one (the caller then
    computes it itself). An exception in ``parent_work`` (Ctrl-C included) stops the child."""
    for stream in (sys.stdout, sys.stderr):
        stream.flush()  # the child must not inherit unwritten output it could write again
    try:
        read_end, write_end = os.pipe()
        pid = os.fork()
    except OSError:
        return parent_work(), FAILED
    if pid == 0:
        _child(read_end, write_end, child_work)
    os.close(write_end)
    try:
        mine = parent_work()
        with os.fdopen(read_end, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(pid, 0)
    except BaseException:
        _stop(pid)
        raise
    if not data or os.waitstatus_to_exitcode(status) != 0:
        return mine, FAILED
    import pickle  # here: only a process that forks needs it

    try:
        return mine, pickle.loads(data)
    except Exception:
        return mine, FAILED


def _child(read_end: int, write_end: int, work: Callable[[], object]) -> None:
    """The forked process: compute, send, and leave without running anything of the parent's
    (exit handlers, buffered output, the interpreter's teardown)."""
    status = 1
    try:
        import pickle

        os.close(read_end)
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides what Ctrl-C means
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        data = pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL)
        view = memoryview(data)
        while view:
            view = view[os.write(write_end, view) :]
        status = 0
    except BaseException:
        status = 1
    finally:
        os._exit(status)


def _stop(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except OSError:
        pass
