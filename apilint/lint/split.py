"""Sharing one description's rules between this process and a forked one.

A forked child shares the parsed description with its parent (copy on write): nothing is copied
or parsed twice. The costly rules are split between the two by their estimates
(:func:`partition`); then both take the cheap ones from one :class:`WorkQueue`, so that whichever
is free takes the next and neither waits for the other. The child sends back only the results
of the rules it ran, as plain data, and the parent rebuilds them against its own documents, so
the report is the same, byte for byte, as when one process runs every rule.
Whenever anything about the child goes wrong (it cannot start, fails, is killed, or names a
document the parent does not have), the parent runs the rules it did not run itself: the child
can cost time, never a result.

Used only on Linux, only while no other thread runs that could hold a lock the child needs (a
fork copies one thread; locks held by another would stay locked in the child), except the
background threads of :mod:`apilint.core.threads`, whose locks the fork holds. And only for
descriptions whose rules are estimated to cost more than the fork and the pages both processes
then copy (checks estimate their cost: ``@check(cost=...)``).
"""

from __future__ import annotations

import fcntl
import os
import signal
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import TypeVar

from apilint.core.threads import held_locks, only_background_threads

T = TypeVar("T")


class _Failed:
    def __repr__(self) -> str:
        return "FAILED"


FAILED = _Failed()
"""What :func:`run_beside` gives for the child's result when the child delivered none."""


class WorkQueue:
    """The numbers 0 to count - 1, which two processes (this one and its forked children) take
    in order, each number going to exactly one of them: a pipe filled before the fork, read two
    bytes at a time by both (a read from a pipe is atomic, so no number is taken twice or cut
    in half)."""

    def __init__(self, count: int) -> None:
        """OSError when the numbers do not fit in the pipe at once (then share nothing)."""
        self._read, write = os.pipe()
        try:
            # Never block: a pipe holds 64 KiB, only 4 KiB under a tight per-user limit.
            fcntl.fcntl(write, fcntl.F_SETFL, os.O_NONBLOCK)
            data = b"".join(number.to_bytes(2, "big") for number in range(count))
            if count > 0xFFFF or os.write(write, data) != len(data):
                raise OSError("the work does not fit in the pipe")
        except OSError:
            os.close(self._read)
            raise
        finally:
            os.close(write)

    def __iter__(self) -> Iterator[int]:
        while True:
            taken = os.read(self._read, 2)
            if len(taken) != 2:
                return  # all taken (the pipe is empty and no one can write to it)
            yield int.from_bytes(taken, "big")

    def close(self) -> None:
        os.close(self._read)


def partition(
    costs: Sequence[float],
    uses: Sequence[frozenset[str]],
    shared: Mapping[str, float],
    rest: float,
) -> tuple[list[int], list[int], float]:
    """Split items (rules) between this process and a forked one: (the numbers of the items
    this one runs, those the other runs, the estimated seconds until both are done).

    ``costs`` are the items' own estimates; each item also needs the derived data named in its
    ``uses`` (a walk over every schema), which ``shared`` prices and each process computes once
    if any of its items needs it. ``rest`` is the estimate for the cheap items left out here,
    which both processes take from a :class:`WorkQueue` once done, so they fill the gap. Every
    split is tried (a dozen items at most: the others count as cheap)."""
    count = min(len(costs), 12)

    def load(items: list[int]) -> float:
        needed = frozenset().union(*(uses[i] for i in items))
        return sum(costs[i] for i in items) + sum(shared.get(k, 0.0) for k in needed)

    best: tuple[list[int], list[int], float] = ([], [], float("inf"))
    for mask in range(1 << max(count - 1, 0)):  # the last item always goes to the other
        here = [i for i in range(count) if i < count - 1 and mask >> i & 1]
        there = [i for i in range(count) if i not in here]
        a, b = load(here), load(there)
        seconds = max(a, b, (a + b + rest) / 2)
        if seconds < best[2]:
            best = (here, there, seconds)
    return best


def can_fork() -> bool:
    return sys.platform.startswith("linux") and only_background_threads()


def run_beside(child_work: Callable[[], object], parent_work: Callable[[], T]) -> tuple[T, object]:
    """``parent_work()`` here while a forked child computes ``child_work()``; returns both
    results, the child's being ``FAILED`` when it could not deliver one (the caller then
    computes it itself). An exception in ``parent_work`` (Ctrl-C included) stops the child."""
    held = held_locks()
    for lock in held:
        lock.acquire()  # such a thread is now between two uses of what the child may use
    try:
        pid, read_end, write_end = _fork()
    finally:
        for lock in held:
            lock.release()  # in both processes
    if pid is None:
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


def _fork() -> tuple[int | None, int, int]:
    """(pid as os.fork gives it, or None when there is no child; the pipe's two ends)."""
    for stream in (sys.stdout, sys.stderr):
        stream.flush()  # the child must not inherit unwritten output it could write again
    try:
        read_end, write_end = os.pipe()
    except OSError:
        return None, -1, -1
    try:
        return os.fork(), read_end, write_end
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return None, -1, -1


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
