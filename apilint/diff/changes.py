"""What the comparison records: one change, where it is written, and the operations it touches.

A change inside a shared component (``#/components/schemas/User``) is recorded once, at the
component, however many operations reach it; each of those operations is remembered so the
message can say how many use it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from apilint.core.findings import Severity
from apilint.core.pointer import Pointer
from apilint.documents.loader import Document

ChangeKey = tuple[str, int, Pointer, str]


@dataclass
class Change:
    rule: str
    message: str
    doc: Document
    ptr: Pointer
    operations: list[str] = field(default_factory=list)
    severity: Severity | None = None
    """At most this severity (a check may judge one case milder than its rule's default)."""


class Changes:
    """Every change found, deduplicated by rule, place and message."""

    def __init__(self) -> None:
        self.by_key: dict[ChangeKey, Change] = {}
        self.operation: str | None = None
        self._collectors: list[set[ChangeKey]] = []

    def add(
        self,
        rule: str,
        message: str,
        doc: Document,
        ptr: Pointer,
        severity: Severity | None = None,
        *,
        context: str = "",
    ) -> None:
        """Record a change. ``context``: the start of the message that only says how the place
        was reached; one place reached from two schemas is one change, with the first message."""
        key: ChangeKey = (rule, id(doc), ptr, message.removeprefix(context))
        change = self.by_key.get(key)
        if change is None:
            change = self.by_key[key] = Change(rule, message, doc, ptr, severity=severity)
        self._touch(change)
        for collector in self._collectors:
            collector.add(key)

    def _touch(self, change: Change) -> None:
        if self.operation is not None and self.operation not in change.operations:
            change.operations.append(self.operation)

    # A comparison of two shared schemas is done once; later operations that reach the same pair
    # are added to the changes that comparison found (collected while it ran).

    def start(self) -> set[ChangeKey]:
        collector: set[ChangeKey] = set()
        self._collectors.append(collector)
        return collector

    def stop(self, collector: set[ChangeKey]) -> None:
        # Comparisons nest, so the collector to stop is the innermost one (by identity: two
        # collectors may hold the same keys).
        for index in range(len(self._collectors) - 1, -1, -1):
            if self._collectors[index] is collector:
                del self._collectors[index]
                return

    def replay(self, keys: set[ChangeKey]) -> None:
        if self.operation is not None:
            for key in keys:
                change = self.by_key.get(key)
                if change is not None:
                    self._touch(change)
        for collector in self._collectors:
            collector.update(keys)

    def __len__(self) -> int:
        return len(self.by_key)

    def all(self) -> list[Change]:
        return list(self.by_key.values())
