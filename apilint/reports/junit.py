"""JUnit XML, for Jenkins, GitLab and every CI dashboard that shows test results.

The common schema (testsuites / testsuite / testcase / failure) with name, classname, time and the
tests/failures/errors/skipped counts. One testsuite per command; one testcase per rule and
*unit*: a file for ``lint`` and ``traffic``, an operation for ``contract`` (findings without an
operation fall back to their file). A testcase fails when its rule reported something at or
above --fail-on there (below it, the findings are its system-out and it passes); the failure
carries every message with its ``file:line:col``, and for contract findings the request
that reproduces it (its ``curl`` command when the finding has one).

Units that were checked without findings become passing testcases for every rule that ran, so a
dashboard counts what was checked, not only what failed: the report's files (lint), or the
operations a contract run lists in ``report.extra["operations"]``. A file that could not be
checked is a testcase with an ``<error>``. Valid against the xunit plugin's junit-10.xsd.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import Any

from apilint.core.findings import Finding
from apilint.reports import Report

# Characters XML 1.0 cannot carry at all (a spec's text may contain them).
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    return _INVALID_XML.sub("\ufffd", text)


def unit_of(finding: Finding, command: str) -> str:
    """What a finding's testcase is about: its operation in a contract run, else its file."""
    if command == "contract" and finding.operation:
        return finding.operation
    return finding.file


def _checked_units(report: Report) -> list[str]:
    if report.command == "contract":
        operations = report.extra.get("operations")
        if isinstance(operations, list):
            return [str(op) for op in operations]
        return []
    return list(report.files)


def _failure_line(finding: Finding) -> str:
    where = f"{finding.file}:{finding.line}:{finding.column}"
    line = f"{where}: {finding.severity.label} {finding.rule}: {finding.message}"
    if finding.operation:
        line += f" [{finding.operation}]"
    curl = finding.extra.get("curl")
    request = curl if isinstance(curl, str) else finding.extra.get("request")
    if request:
        line += "\n    request: " + _describe(request).replace("\n", "\n    ")
    return line


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        curl = value.get("curl")
        if isinstance(curl, str):
            return curl
        method, url = value.get("method"), value.get("url")
        if method and url:
            return f"{method} {url}"
    return str(value)


def render(report: Report) -> str:
    command = report.command
    groups: dict[tuple[str, str], list[Finding]] = {}
    for finding in report.findings:
        groups.setdefault((unit_of(finding, command), finding.rule), []).append(finding)
    rules = sorted(set(report.rules) | {finding.rule for finding in report.findings})
    units = list(dict.fromkeys([*_checked_units(report), *(unit for unit, _ in groups)]))
    checked = set(_checked_units(report))
    cases: list[tuple[str, str, list[Finding]]] = []
    for unit in units:
        for rule in rules:
            findings = groups.get((unit, rule))
            if findings or (unit in checked and rule in report.rules):
                cases.append((unit, rule, findings or []))
    failures = sum(1 for _, _, found in cases if any(report.fails(f) for f in found))
    errors = len(report.file_errors) + len(report.errors)
    tests = len(cases) + errors

    root = ET.Element("testsuites", _counts("apilint", tests, failures, errors))
    suite = ET.SubElement(
        root,
        "testsuite",
        {**_counts(f"apilint {command}", tests, failures, errors), "skipped": "0"},
    )
    properties = ET.SubElement(suite, "properties")
    ET.SubElement(properties, "property", name="apilint.version", value=report.version)
    if report.failed_files:
        ET.SubElement(
            properties, "property", name="apilint.failed_files", value=str(report.failed_files)
        )
    for reason in report.errors:  # the run stopped: a dashboard must not show green
        case = ET.SubElement(suite, "testcase", name="incomplete", classname="apilint", time="0")
        ET.SubElement(case, "error", message=_clean(reason), type="incomplete").text = _clean(
            reason
        )
    for error in report.file_errors:
        # A file that could not be checked: an error (the test could not run), not a failure.
        case = ET.SubElement(
            suite, "testcase", name="load", classname=_clean(error.file or "apilint"), time="0"
        )
        ET.SubElement(case, "error", message=_clean(str(error)), type="load-error").text = _clean(
            str(error)
        )
    for unit, rule, findings in cases:
        case = ET.SubElement(suite, "testcase", name=_clean(rule), classname=_clean(unit), time="0")
        if not findings:
            continue
        failing = [f for f in findings if report.fails(f)]
        if not failing:
            # Below --fail-on: reported, not a failure (the run passes, so does the test).
            ET.SubElement(case, "system-out").text = _clean(
                "\n".join(_failure_line(f) for f in findings)
            )
            continue
        worst = max(f.severity for f in findings)
        first = failing[0]
        message = first.message if len(findings) == 1 else f"{len(findings)} problems"
        failure = ET.SubElement(
            case,
            "failure",
            message=_clean(f"{first.file}:{first.line}:{first.column}: {message}"),
            type=worst.label,
        )
        failure.text = _clean("\n".join(_failure_line(f) for f in findings))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"


def _counts(name: str, tests: int, failures: int, errors: int) -> dict[str, str]:
    """The counts Jenkins, GitLab and the xunit schemas read (``skipped`` only on a testsuite:
    the schemas have no such attribute on ``testsuites``)."""
    return {
        "name": name,
        "tests": str(tests),
        "failures": str(failures),
        "errors": str(errors),
        "time": "0",
    }
