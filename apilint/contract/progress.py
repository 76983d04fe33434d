"""Progress on standard error: one line redrawn in place on a terminal, silence elsewhere.

``--progress`` forces it (one line per operation when standard error is not a terminal);
``--no-progress`` silences it. The line never carries request data, so it cannot leak a secret.
"""

from __future__ import annotations

import sys
import threading
import time
from typing import TextIO


class Progress:
    def __init__(self, total: int, *, stream: TextIO | None = None, enabled: bool | None = None):
        self.stream = stream or sys.stderr
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self.enabled = self.tty if enabled is None else enabled
        self.total = total
        self.operations = total
        self.phase = ""
        self.done: set[str] = set()
        self.findings = 0
        self._lock = threading.Lock()
        self._last_draw = 0.0
        self._width = 0

    def start_phase(self, phase: str, total: int | None = None) -> None:
        with self._lock:
            self.phase = phase
            self.done = set()
            self.total = self.operations if total is None else total
        self.draw(force=True)

    def operation_done(self, phase: str, label: str | None) -> None:
        with self._lock:
            if phase != self.phase:
                self.phase = phase
                self.done = set()
                self.total = self.operations
            if label is not None:
                self.done.add(label)
        self.draw(line=label)

    def set_findings(self, count: int) -> None:
        self.findings = count
        self.draw()

    def text(self) -> str:
        count = min(len(self.done), self.total)
        noun = "finding" if self.findings == 1 else "findings"
        return (
            f"apilint contract: {self.phase} {count}/{self.total} operations, "
            f"{self.findings} {noun}"
        )

    def draw(self, *, force: bool = False, line: str | None = None) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        with self._lock:
            if self.tty:
                if not force and now - self._last_draw < 0.1:
                    return
                text = self.text()
                pad = max(self._width - len(text), 0)
                self.stream.write("\r" + text + " " * pad)
                self._width = len(text)
            else:
                if line is None and not force:
                    return
                self.stream.write(self.text() + "\n")
            self._last_draw = now
            self.stream.flush()

    def finish(self) -> None:
        if self.enabled and self.tty and self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()
