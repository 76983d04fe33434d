"""apilint diff's markdown report (a changelog for a pull request): headings per severity, escaping of
quoted text."""

from __future__ import annotations

from apilint.core.findings import Finding, Severity
from apilint.reports import Report
from apilint.reports.diff_markdown import render


def _finding(message: str, severity: Severity = Severity.ERROR, file: str = "api.yaml") -> Finding:
    return Finding("path-removed", severity, message, file, 3, 5, "/paths/~1x")


def test_diff_headings_and_order() -> None:
    report = Report(
        command="diff",
        findings=[
            _finding("path /a was added", Severity.INFO),
            _finding("path /x was removed"),
            _finding("path /y was removed"),
        ],
        files=["api.yaml"],
    )
    assert render(report) == (
        "## apilint diff: 2 breaking changes, 1 other change (1 file)\n"
        "\n"
        "### Breaking changes (2)\n"
        "\n"
        "- path /x was removed (`path-removed`, `api.yaml:3`)\n"
        "- path /y was removed (`path-removed`, `api.yaml:3`)\n"
        "\n"
        "### Other changes (1)\n"
        "\n"
        "- path /a was added (`path-removed`, `api.yaml:3`)\n"
    )


def test_quoted_text_cannot_open_links_tags_or_tables() -> None:
    hostile = "x [click](http://evil) <img src=x> | *bold* `code`\nsecond line"
    line = render(Report(command="lint", findings=[_finding(hostile, file="a`b.yaml")], quiet=True))
    assert line == (
        "- x \\[click\\](http://evil) \\<img src=x> \\| \\*bold\\* \\`code\\` second line "
        "(`path-removed`, ``a`b.yaml:3``)\n"
    )


def test_no_findings() -> None:
    assert render(Report(command="diff", findings=[], files=["a.yaml"])) == (
        "## apilint diff: no changes found (1 file)\n"
    )
    assert render(Report(command="lint", findings=[], files=["a", "b"])).startswith(
        "## apilint lint: no problems found (2 files)"
    )
