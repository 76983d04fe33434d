"""A progress line on stderr for long runs: only on a terminal, only once a run has taken more
than a moment (``APILINT_PROGRESS_DELAY`` seconds, 1.5 by default), and erased when it ends, so
that pre-commit, CI logs and pipes never see it."""

from __future__ import annotations

import os
import sys
import threading
import time
from typing import TextIO


class Progress:
    """``apilint: linting 3 of 40 files (api/users.yaml)...`` redrawn in place."""

    def __init__(self, total: int, stream: TextIO | None = None) -> None:
        self.total = total
        self.stream = stream if stream is not None else sys.stderr
        self.done = 0
        self.current = ""
        self._shown = False
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        try:
            self.delay = float(os.environ.get("APILINT_PROGRESS_DELAY", "1.5"))
        except ValueError:
            self.delay = 1.5
        self.enabled = total > 0 and _is_terminal(self.stream)

    def start(self) -> None:
        """Start drawing after the delay. Call it once a pool's worker processes exist: they
        are forked with no regard for this thread (apilint.lint.split's forks hold its lock)."""
        if self.enabled and self._thread is None:
            from apilint.core.threads import background_thread

            self._thread = threading.Thread(target=self._run, name="apilint-progress", daemon=True)
            # It writes to the stream only while holding its lock, a few frames deep: a big
            # description's rules may still be shared with a forked process, and its JSON
            # parsed with a bounded depth.
            background_thread(self._thread, self._lock)
            self._thread.start()

    def file_started(self, name: str) -> None:
        with self._lock:
            self.current = name

    def file_done(self) -> None:
        with self._lock:
            self.done += 1

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=1)
        with self._lock:
            if self._shown:
                self.stream.write("\r\x1b[2K")
                self.stream.flush()
                self._shown = False

    def _run(self) -> None:
        if self._stop.wait(self.delay):
            return
        started = time.monotonic()
        while True:
            with self._lock:
                if self._stop.is_set():
                    return
                elapsed = int(time.monotonic() - started + self.delay)
                line = f"apilint: linting {self.done + 1 if self.done < self.total else self.done}"
                line += f" of {self.total} file{'s' * (self.total != 1)}"
                if self.current:
                    line += f" ({_short(self.current)})"
                line += f"... {elapsed}s"
                self.stream.write("\r\x1b[2K" + line)
                self.stream.flush()
                self._shown = True
            if self._stop.wait(0.5):
                return


def _short(name: str, width: int = 50) -> str:
    return name if len(name) <= width else "..." + name[-(width - 3) :]


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty() and os.environ.get("TERM") != "dumb"
    except (AttributeError, ValueError):
        return False
