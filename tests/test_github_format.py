"""GitHub Actions workflow commands (``--format github``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from ci_support import BROKEN, NO_CONFIG
from conftest import run_cli

from apilint.core.findings import Finding, Severity
from apilint.reports import Report
from apilint.reports.github import escape_data, escape_property, render, workspace_path


def test_lint_annotations(tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    result = run_cli("lint", "broken.yaml", *NO_CONFIG, "-f", "github", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.splitlines() == [
        "::warning file=broken.yaml,line=7,endLine=7,col=24,endColumn=35,"
        "title=apilint unused-suppression::"
        "x-apilint-ignore names an unknown rule 'spec-invlid'",
        "::error file=broken.yaml,line=10,endLine=10,col=9,endColumn=14,"
        "title=apilint spec-invalid::"
        "response: missing required property 'description' (GET /users)",
        "::error file=broken.yaml,line=11,endLine=11,col=11,endColumn=21,"
        "title=apilint spec-invalid::"
        "response: unknown property 'descripton' (extensions must start with 'x-') (GET /users)",
    ]


def test_files_are_relative_to_the_repository_root(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    service = tmp_path / "svc"
    service.mkdir()
    (service / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    result = run_cli("lint", "broken.yaml", *NO_CONFIG, "-f", "github", cwd=service)
    assert all(
        line.startswith(("::warning file=svc/broken.yaml,", "::error file=svc/broken.yaml,"))
        for line in result.stdout.splitlines()
    )
    assert workspace_path("../elsewhere.yaml", cwd=service / "deep") == "svc/elsewhere.yaml"
    assert workspace_path("x.yaml", cwd=Path("/")) == "x.yaml"


def test_escaping() -> None:
    assert escape_data("100% sure\r\nnext: a, b") == "100%25 sure%0D%0Anext: a, b"
    assert escape_property("a:b,c%d\ne") == "a%3Ab%2Cc%25d%0Ae"


def test_severities_and_escaped_values(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    findings = [
        Finding("r-one", Severity.INFO, "50% done\nsecond line", "dir, with: odd.yaml", 2, 3, ""),
        Finding("r-two", Severity.WARNING, "plain", "ok.yaml", 0, 0, ""),
        Finding("r-three", Severity.ERROR, "already says GET /x", "ok.yaml", 4, 1, "", "GET /x"),
    ]
    lines = render(Report(command="contract", findings=findings)).splitlines()
    assert lines[0].startswith("::notice file=")
    assert lines[0].endswith(",line=2,col=3,title=apilint r-one::50%25 done%0Asecond line")
    assert "dir%2C with%3A odd.yaml" in lines[0]
    assert lines[1] == "::warning file=ok.yaml,line=1,col=1,title=apilint r-two::plain"
    assert lines[2].endswith("::already says GET /x")  # no "(GET /x)" repeated


def test_a_file_that_cannot_be_checked_is_an_annotation(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("openapi: 3.0.3\npaths: {a: [}\n", encoding="utf-8")
    result = run_cli("lint", "--no-config", "-f", "github", "bad.yaml", cwd=tmp_path)
    assert result.returncode == 2
    (line,) = result.stdout.splitlines()
    assert line.startswith("::error file=bad.yaml,line=2,col=")
    assert ",title=apilint::invalid YAML" in line
