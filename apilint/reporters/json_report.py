"""The JSON report: a stable shape for CI scripts and other tools.

{"tool": "apilint", "version": "X.Y.Z", "command": "lint",
 "findings": [{"rule", "severity", "message", "file", "line", "column", "pointer",
               "operation", ...command-specific members}],
 "summary": {"error": 0, "warning": 1, "info": 0},
 "errors": ["why the check is incomplete", ...]}   (only when it is)
"""

from __future__ import annotations

import json
from typing import Any

from apilint.reporters import Report


def render(report: Report) -> str:
    out: dict[str, Any] = {
        "tool": "apilint",
        "version": report.version,
        "command": report.command,
        "findings": [f.to_dict() for f in report.findings],
        "summary": report.summary,
    }
    if report.errors:
        out["errors"] = list(report.errors)
    out.update(report.extra)
    return json.dumps(out, indent=2, ensure_ascii=False) + "\n"
