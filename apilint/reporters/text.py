"""Compiler-style lines: ``api.yaml:12:3: warning trailing-slash-consistency: message``."""

from __future__ import annotations

from apilint.errors import escape_controls
from apilint.findings import Severity
from apilint.reporters import Report

_COLORS = {Severity.ERROR: "31", Severity.WARNING: "33", Severity.INFO: "36"}


def _paint(text: str, code: str, on: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if on else text


def render(report: Report) -> str:
    color = report.color
    lines = []
    for f in report.findings:
        where = _paint(f"{escape_controls(f.file)}:{f.line}:{f.column}:", "1", color)
        severity = _paint(f.severity.label, _COLORS[f.severity], color)
        rule = _paint(f.rule, "2", color)
        # A message quotes the spec: a newline or an escape sequence in it must not forge lines
        # or drive the terminal.
        lines.append(f"{where} {severity} {rule}: {escape_controls(f.message)}")
        curl = f.extra.get("curl")  # contract findings: how to send the request again
        if isinstance(curl, str):
            lines.append("    " + escape_controls(curl))
    lines.extend(f"incomplete: {escape_controls(error)}" for error in report.errors)
    if report.quiet:
        return "\n".join(lines) + ("\n" if lines else "")
    counts = report.summary
    files = len(report.files)
    noun = "file" if files == 1 else "files"
    total = len(report.findings)
    failed = ""
    if report.failed_files:
        count = report.failed_files
        failed = f" {count} {'file' if count == 1 else 'files'} could not be checked."
    if total == 0 and files == 0 and report.failed_files:
        lines.append(failed.strip())
    elif total == 0 and report.errors:
        lines.append(f"No problems found so far; the check is incomplete (see above).{failed}")
    elif total == 0:
        lines.append(f"No problems found in {files} {noun}.{failed}")
    else:
        parts = [
            f"{counts['error']} error{'s' * (counts['error'] != 1)}",
            f"{counts['warning']} warning{'s' * (counts['warning'] != 1)}",
            f"{counts['info']} info",
        ]
        problems = "problem" if total == 1 else "problems"
        lines.append(f"Found {total} {problems} ({', '.join(parts)}) in {files} {noun}.{failed}")
    return "\n".join(lines) + "\n"
