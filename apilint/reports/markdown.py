"""Markdown: a summary for a pull-request comment or ``$GITHUB_STEP_SUMMARY``, for any command's
:class:`Report` (lint, contract, traffic, ...).

A heading with the counts, a table of findings per rule (most first), then the findings
themselves (where, severity, rule, message), most severe first. A comment has a size limit
(65,536 characters on GitHub), so the findings table stops after MAX_ROWS rows and says how many
it left out; the text, JSON and SARIF reports keep them all. Table cells are escaped (``|``,
newlines, HTML) so a message quoting the spec cannot break the table or inject markup.
"""

from __future__ import annotations

from apilint.reports import Report
from apilint.reports.statistics import count_rules

MAX_ROWS = 200
ICONS = {"error": "🔴", "warning": "🟡", "info": "🔵"}


def cell(text: str) -> str:
    """``text`` as one Markdown table cell."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    escaped = escaped.replace("\\", "\\\\").replace("|", "\\|").replace("`", "\\`")
    return " ".join(escaped.split())


def render(report: Report) -> str:
    counts = report.summary
    total = len(report.findings)
    files = len(report.files)
    lines = [f"### apilint {report.command}", ""]
    if total == 0 and (report.errors or report.file_errors):
        lines.append(f"No problems in what was checked ({files} file{'s' * (files != 1)}).")
    elif total == 0:
        lines.append(f"No problems found in {files} file{'s' * (files != 1)}.")
    else:
        parts = ", ".join(
            f"{counts[level]} {level}{'s' * (counts[level] != 1 and level != 'info')}"
            for level in ("error", "warning", "info")
        )
        lines.append(
            f"Found {total} problem{'s' * (total != 1)} ({parts}) "
            f"in {files} file{'s' * (files != 1)}."
        )
    if report.errors:
        lines += ["", "**Incomplete:**", ""]
        lines += [f"- {cell(reason)}" for reason in report.errors]
    if report.file_errors:
        lines += ["", f"**{len(report.file_errors)} could not be checked:**", ""]
        lines += [f"- {cell(str(error))}" for error in report.file_errors]
    if total:
        lines += ["", "| rule | severity | findings |", "| --- | --- | ---: |"]
        for count in count_rules(report):
            label = count.severity.label
            lines.append(f"| `{count.rule}` | {ICONS[label]} {label} | {count.count} |")
        lines += ["", "| where | severity | rule | message |", "| --- | --- | --- | --- |"]
        ordered = sorted(report.findings, key=lambda f: (-f.severity, f.sort_key()))
        for finding in ordered[:MAX_ROWS]:
            where = cell(f"{finding.file}:{finding.line}:{finding.column}")
            label = finding.severity.label
            message = finding.message
            if finding.operation and finding.operation not in message:
                message = f"{message} ({finding.operation})"
            lines.append(
                f"| {where} | {ICONS[label]} {label} | `{finding.rule}` | {cell(message)} |"
            )
        if total > MAX_ROWS:
            lines += ["", f"… and {total - MAX_ROWS} more (the other reports list them all)."]
    return "\n".join(lines) + "\n"
