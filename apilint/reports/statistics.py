"""``--statistics``: how many findings each rule reported, most first (like ``ruff --statistics``).

One line per rule: count, rule id, the most severe severity among its findings, and the rule's
description::

      12  path-verb           error    Paths name resources, not actions.
       3  operation-summary   warning  Operations have a summary.
"""

from __future__ import annotations

from dataclasses import dataclass

from apilint.core.findings import Finding, Severity
from apilint.reports import Report


@dataclass(frozen=True)
class RuleCount:
    rule: str
    count: int
    severity: Severity
    description: str


def count_rules(report: Report) -> list[RuleCount]:
    """Counts per rule, highest first, ties by rule id."""
    by_rule: dict[str, list[Finding]] = {}
    for finding in report.findings:
        by_rule.setdefault(finding.rule, []).append(finding)
    counts = [
        RuleCount(
            rule,
            len(found),
            max(f.severity for f in found),
            report.rules[rule].description if rule in report.rules else "",
        )
        for rule, found in by_rule.items()
    ]
    return sorted(counts, key=lambda c: (-c.count, c.rule))


def render(report: Report) -> str:
    counts = count_rules(report)
    if not counts:
        if report.quiet:
            return ""
        files = len(report.files)
        return f"No problems found in {files} file{'s' * (files != 1)}.\n"
    number = max(len(str(c.count)) for c in counts)
    width = max(len(c.rule) for c in counts)
    lines = [
        f"{c.count:>{number}}  {c.rule:<{width}}  {c.severity.label:<7}  {c.description}".rstrip()
        for c in counts
    ]
    return "\n".join(lines) + "\n"
