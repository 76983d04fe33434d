"""Checkstyle XML, the report format many CI tools and review bots read (Jenkins' Warnings
Next Generation, reviewdog, SonarQube's external issues, Danger, ...)::

    <checkstyle version="4.3">
      <file name="api.yaml">
        <error line="12" column="3" severity="warning" message="..." source="apilint.path-verb"/>
      </file>
    </checkstyle>

One ``<file>`` per file, in report order; severities ``error``, ``warning`` and ``info``; the
source names the rule. A file that could not be checked carries one ``error`` whose source is
``apilint.load-error``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from apilint.reports import Report
from apilint.reports.junit import _clean

FORMAT_VERSION = "4.3"
"""The checkstyle report version most consumers expect."""


def render(report: Report) -> str:
    root = ET.Element("checkstyle", version=FORMAT_VERSION)
    files: dict[str, ET.Element] = {}

    def file_element(name: str) -> ET.Element:
        if name not in files:
            files[name] = ET.SubElement(root, "file", name=_clean(name))
        return files[name]

    for reason in report.errors:  # the run stopped before it checked everything
        ET.SubElement(
            file_element("apilint"),
            "error",
            {"line": "1", "severity": "error", "message": _clean(f"incomplete: {reason}")},
        )
    for error in report.file_errors:
        attributes = {"line": str(max(error.line or 1, 1))}
        if error.column:
            attributes["column"] = str(error.column)
        ET.SubElement(
            file_element(error.file or "apilint"),
            "error",
            {
                **attributes,
                "severity": "error",
                "message": _clean(error.message),
                "source": "apilint.load-error",
            },
        )
    for finding in report.findings:
        message = finding.message
        if finding.operation and finding.operation not in message:
            message = f"{message} ({finding.operation})"
        ET.SubElement(
            file_element(finding.file),
            "error",
            line=str(max(finding.line, 1)),
            column=str(max(finding.column, 1)),
            severity=finding.severity.label,
            message=_clean(message),
            source=f"apilint.{finding.rule}",
        )
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"
