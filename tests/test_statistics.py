"""``--statistics``: findings counted per rule, most first."""

from __future__ import annotations

import json
from pathlib import Path

from ci_support import BROKEN, CLEAN, NO_CONFIG
from conftest import run_cli

from apilint.core.findings import Finding, Severity
from apilint.reports import Report, RuleInfo
from apilint.reports.statistics import count_rules, render


def test_statistics_replace_the_text_report(tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    (tmp_path / "again.yaml").write_text(BROKEN, encoding="utf-8")
    result = run_cli("lint", "broken.yaml", "again.yaml", *NO_CONFIG, "--statistics", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "4  spec-invalid        error    The document is valid against the OpenAPI JSON Schema "
        "for its version.",
        "2  unused-suppression  warning  Every x-apilint-ignore entry names a known rule and "
        "suppresses a finding.",
    ]


def test_statistics_with_other_reports_to_files(tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    result = run_cli(
        "lint", "broken.yaml", *NO_CONFIG, "--statistics", "-f", "json:out.json", cwd=tmp_path
    )
    assert result.stdout.splitlines()[0].startswith("2  spec-invalid")
    assert len(json.loads((tmp_path / "out.json").read_text())["findings"]) == 3
    clash = run_cli("lint", "broken.yaml", *NO_CONFIG, "--statistics", "-f", "json", cwd=tmp_path)
    assert clash.returncode == 2
    assert "write that one to a file (--format json:FILE)" in clash.stderr


def test_no_findings(tmp_path: Path) -> None:
    (tmp_path / "clean.yaml").write_text(CLEAN, encoding="utf-8")
    result = run_cli("lint", "clean.yaml", *NO_CONFIG, "--statistics", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, "No problems found in 1 file.\n")
    quiet = run_cli("lint", "clean.yaml", *NO_CONFIG, "--statistics", "-q", cwd=tmp_path)
    assert quiet.stdout == ""


def test_order_severity_and_alignment() -> None:
    def finding(rule: str, severity: Severity) -> Finding:
        return Finding(rule, severity, "m", "a.yaml", 1, 1, "")

    findings = [
        finding("b-rule", Severity.INFO),
        *[finding("a-rule", Severity.WARNING)] * 10,
        finding("c-rule", Severity.INFO),
        finding("c-rule", Severity.ERROR),  # a severity override made one of them an error
    ]
    report = Report(
        command="contract", findings=findings, rules={"a-rule": RuleInfo("a-rule", "A.", "warning")}
    )
    assert [(c.rule, c.count, c.severity) for c in count_rules(report)] == [
        ("a-rule", 10, Severity.WARNING),
        ("c-rule", 2, Severity.ERROR),
        ("b-rule", 1, Severity.INFO),
    ]
    assert render(report).splitlines() == [
        "10  a-rule  warning  A.",
        " 2  c-rule  error",
        " 1  b-rule  info",
    ]
