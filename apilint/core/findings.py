"""What apilint reports: findings with a severity and an exact location."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any


class Severity(enum.IntEnum):
    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> Severity:
        """'error', 'warning' or 'info'; Spectral's 'warn' and 'hint' and 0-3 are accepted."""
        aliases = {
            "error": cls.ERROR,
            "0": cls.ERROR,
            "warning": cls.WARNING,
            "warn": cls.WARNING,
            "1": cls.WARNING,
            "info": cls.INFO,
            "information": cls.INFO,
            "hint": cls.INFO,
            "2": cls.INFO,
            "3": cls.INFO,
        }
        try:
            return aliases[text.strip().lower()]
        except KeyError:
            raise ValueError(text) from None


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem: which rule, how bad, what, and exactly where.

    ``pointer`` is an RFC 6901 JSON pointer into ``file``; ``operation`` is ``"GET /users/{id}"``
    when the finding belongs to an operation. ``line`` and ``column`` are 1-based. ``extra``
    carries command-specific detail (the request and response of a contract finding).
    """

    rule: str
    severity: Severity
    message: str
    file: str
    line: int
    column: int
    pointer: str
    operation: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    end_line: int = 0
    """Where the reported token (the key, or the item's first token) ends: the line and the
    1-based column just past it; 0 when unknown (then the start stands for both)."""
    end_column: int = 0

    @property
    def end(self) -> tuple[int, int]:
        """``(end_line, end_column)``, the start when the end is unknown."""
        if self.end_line <= 0:
            return max(self.line, 1), max(self.column, 1)
        return self.end_line, self.end_column

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.file, self.line, self.column, self.rule, self.message)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "rule": self.rule,
            "severity": self.severity.label,
            "message": self.message,
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "end_line": self.end[0],
            "end_column": self.end[1],
            "pointer": self.pointer,
            "operation": self.operation,
        }
        out.update(self.extra)
        return out


def summarize(findings: list[Finding]) -> dict[str, int]:
    counts = {"error": 0, "warning": 0, "info": 0}
    for finding in findings:
        counts[finding.severity.label] += 1
    return counts
