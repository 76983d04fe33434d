"""The outcome of a lint: findings, per-file errors and notes (kept apart from the engine, so that
an answer read from the cache needs none of the engine's imports)."""

from __future__ import annotations

from dataclasses import dataclass, field

from apilint.core.errors import ApilintError
from apilint.core.findings import Finding, Severity

__all__ = ["FileOutcome", "LintResult", "collect"]


@dataclass
class LintResult:
    """The outcome of linting some files: findings, per-file errors, and notes for humans."""

    findings: list[Finding] = field(default_factory=list)
    errors: list[ApilintError] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def failed(self, fail_on: str = "error") -> bool:
        """True when a finding is at or above ``fail_on`` (error, warning, info, never)."""
        if fail_on == "never":
            return False
        threshold = Severity.parse(fail_on)
        return any(f.severity >= threshold for f in self.findings)

    def exit_code(self, fail_on: str = "error") -> int:
        if self.errors:
            return 2
        return 1 if self.failed(fail_on) else 0

    def raise_for_errors(self) -> None:
        """Raise the first per-file error, if any (for callers that want all-or-nothing)."""
        if self.errors:
            raise self.errors[0]

    def by_rule(self, rule: str) -> list[Finding]:
        return [f for f in self.findings if f.rule == rule]


FileOutcome = tuple[list[Finding], list[str], ApilintError | None]
"""One file's findings and notes, or the error that stopped it."""


def collect(outcomes: list[tuple[str, FileOutcome]]) -> LintResult:
    """Per-file outcomes, in order, as one LintResult with its findings sorted."""
    result = LintResult()
    for name, (findings, notes, error) in outcomes:
        if error is not None:
            result.errors.append(error)
            continue
        result.findings.extend(findings)
        result.notes.extend(notes)
        result.files.append(name)
    result.findings.sort(key=Finding.sort_key)
    return result
