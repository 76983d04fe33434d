"""GitHub Actions workflow commands: each finding becomes an annotation on its line.

``::error file=api.yaml,line=12,endLine=12,col=3,endColumn=9,title=apilint path-verb::message``
(warnings as ``::warning``, info as ``::notice``; the end is the reported key's). A file that
could not be checked is an ``::error`` at its place too. Files are given relative to the
repository root, which is where GitHub resolves them. Values are escaped as the runner
expects: ``%``, CR and LF in the message; also ``:`` and ``,`` in the properties.

GitHub shows at most a few annotations of each kind per step (10 at the time of writing) and
keeps the rest only in the log: for everything in the pull request's diff view, upload SARIF.
"""

from __future__ import annotations

import os
from pathlib import Path

from apilint.core.findings import Severity
from apilint.documents.git import find_repo_root
from apilint.reports import Report

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """A workflow command's message."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A workflow command's property value (file, title...)."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def workspace_path(file: str, cwd: Path | None = None) -> str:
    """``file`` (relative to ``cwd``) relative to the repository root when inside it."""
    if "://" in file:
        return file
    here = Path(os.path.abspath(cwd or Path.cwd()))
    absolute = Path(os.path.normpath(here / file))
    root = find_repo_root(here) or here
    try:
        return absolute.relative_to(root).as_posix()
    except ValueError:
        return str(absolute)


def render(report: Report) -> str:
    lines = []
    for error in report.file_errors:  # a file apilint could not check: an error on its line
        where = {"file": workspace_path(error.file)} if error.file else {}
        if error.file and error.line:
            where["line"] = str(error.line)
            if error.column:
                where["col"] = str(error.column)
        lines.append(_command("error", {**where, "title": "apilint"}, error.message))
    for reason in report.errors:  # the run stopped before it checked everything
        lines.append(_command("error", {"title": "apilint: incomplete"}, reason))
    for finding in report.findings:
        line = max(finding.line, 1)
        properties = {"file": workspace_path(finding.file), "line": str(line)}
        if finding.end_line > 0:
            properties["endLine"] = str(finding.end_line)
        properties["col"] = str(max(finding.column, 1))
        if finding.end_line == line:  # GitHub reads endColumn on one line only
            properties["endColumn"] = str(finding.end_column)
        properties["title"] = f"apilint {finding.rule}"
        message = finding.message
        if finding.operation and finding.operation not in message:
            message = f"{message} ({finding.operation})"
        lines.append(_command(COMMANDS[finding.severity], properties, message))
    return "".join(line + "\n" for line in lines)


def _command(kind: str, properties: dict[str, str], message: str) -> str:
    joined = ",".join(f"{key}={escape_property(value)}" for key, value in properties.items())
    return f"::{kind} {joined}::{escape_data(message)}"
