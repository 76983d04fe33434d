"""GitLab Code Quality (the Code Climate issue format GitLab reads from a ``codequality``
report artifact): a JSON array of issues, each with a description, a check name, a severity
(``major`` for errors, ``minor`` for warnings, ``info``), the file relative to the repository
root with its lines, and a fingerprint.

The fingerprint is SARIF's: rule + file + JSON pointer hashed (the n-th repeat of a key gets
``:n``), never the line, so a merge request does not show a problem as fixed and new again when
lines above it move. Files that could not be checked are ``blocker`` issues named ``load-error``.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from apilint.core.findings import Severity
from apilint.documents.git import find_repo_root
from apilint.reports import Report
from apilint.reports.sarif import fingerprints, repository_path

SEVERITIES = {Severity.ERROR: "major", Severity.WARNING: "minor", Severity.INFO: "info"}


def render(report: Report) -> str:
    return json.dumps(code_quality(report), indent=2, ensure_ascii=False) + "\n"


def code_quality(report: Report, cwd: Path | None = None) -> list[dict[str, Any]]:
    here = Path(os.path.abspath(cwd or Path.cwd()))
    root = find_repo_root(here) or here
    issues: list[dict[str, Any]] = []
    for reason in report.errors:  # the run stopped before it checked everything
        issues.append(
            {
                "type": "issue",
                "check_name": "incomplete",
                "description": f"incomplete: {reason}",
                "categories": ["Bug Risk"],
                "severity": "blocker",
                "fingerprint": hashlib.sha256(f"incomplete\0{reason}".encode()).hexdigest()[:32],
                "location": {"path": ".", "lines": {"begin": 1}},
            }
        )
    for error in report.file_errors:
        path = repository_path(error.file or "", here, root)
        key = f"load-error\0{path}\0{error.message}"
        issues.append(
            {
                "type": "issue",
                "check_name": "load-error",
                "description": error.message,
                "categories": ["Bug Risk"],
                "severity": "blocker",
                "fingerprint": hashlib.sha256(key.encode("utf-8")).hexdigest()[:32],
                "location": {"path": path, "lines": {"begin": max(error.line or 1, 1)}},
            }
        )
    for finding, fingerprint in zip(
        report.findings, fingerprints(report.findings, here, root), strict=True
    ):
        end_line = finding.end[0]
        description = finding.message
        if finding.operation and finding.operation not in description:
            description = f"{description} ({finding.operation})"
        issues.append(
            {
                "type": "issue",
                "check_name": finding.rule,
                "description": description,
                "categories": ["Bug Risk" if finding.severity is Severity.ERROR else "Style"],
                "severity": SEVERITIES[finding.severity],
                "fingerprint": fingerprint,
                "location": {
                    "path": repository_path(finding.file, here, root),
                    "lines": {"begin": max(finding.line, 1), "end": max(end_line, 1)},
                },
            }
        )
    return issues
