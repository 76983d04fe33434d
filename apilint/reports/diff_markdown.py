"""``apilint diff``'s own Markdown: a changelog a reviewer can paste into a pull-request comment
(the other commands use :mod:`apilint.reports.markdown`).

Findings are grouped by severity, most severe first; for ``apilint diff`` the groups read
"Breaking changes", "Possibly breaking" and "Other changes". Everything quoted from a
description is escaped, so a message cannot open a link, an HTML tag or a table.
"""

from __future__ import annotations

import re

from apilint.core.findings import Finding, Severity
from apilint.reports import Report

_TITLES = {
    "diff": {
        Severity.ERROR: "Breaking changes",
        Severity.WARNING: "Possibly breaking",
        Severity.INFO: "Other changes",
    },
}
_DEFAULT_TITLES = {Severity.ERROR: "Errors", Severity.WARNING: "Warnings", Severity.INFO: "Info"}
_SPECIAL = re.compile(r"([\\`*_\[\]<|~])")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def escape(text: str) -> str:
    """``text`` as literal Markdown text on one line."""
    return _SPECIAL.sub(r"\\\1", _CONTROL.sub(" ", text))


def _code(text: str) -> str:
    """``text`` as a code span, whatever backticks it holds."""
    text = _CONTROL.sub(" ", text)
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _line(finding: Finding) -> str:
    where = _code(f"{finding.file}:{finding.line}")
    return f"- {escape(finding.message)} ({_code(finding.rule)}, {where})"


def _heading(report: Report) -> str:
    counts = report.summary
    titles = _TITLES.get(report.command, _DEFAULT_TITLES)
    parts = [_count(counts[s.label], titles[s]) for s in _ORDER if counts[s.label]]
    files = len(report.files)
    noun = "file" if files == 1 else "files"
    if not report.findings:
        text = "no changes found" if report.command == "diff" else "no problems found"
        return f"## apilint {report.command}: {text} ({files} {noun})"
    return f"## apilint {report.command}: {', '.join(parts)} ({files} {noun})"


_ORDER = (Severity.ERROR, Severity.WARNING, Severity.INFO)


def _count(count: int, title: str) -> str:
    """``1 error``, ``2 errors``, ``1 breaking change``, ``3 possibly breaking``, ``2 info``."""
    words = title.lower()
    if count == 1 and words.endswith("s") and words not in ("info",):
        words = words[:-1]
    return f"{count} {words}"


def render(report: Report) -> str:
    titles = _TITLES.get(report.command, _DEFAULT_TITLES)
    out: list[str] = []
    if not report.quiet:
        out += [_heading(report), ""]
        if report.failed_files:
            count = report.failed_files
            out += [f"{count} file{'s' * (count != 1)} could not be checked.", ""]
    for severity in _ORDER:
        group = sorted((f for f in report.findings if f.severity is severity), key=Finding.sort_key)
        if not group:
            continue
        if not report.quiet:
            out += [f"### {titles[severity]} ({len(group)})", ""]
        out += [_line(f) for f in group]
        out.append("")
    while out and not out[-1]:
        out.pop()
    return "\n".join(out) + "\n" if out else ""
