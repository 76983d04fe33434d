"""JUnit XML as Jenkins and GitLab read it, parsed back with xml.etree."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path

import xmlschema
from ci_support import BROKEN, CLEAN, DATA, NO_CONFIG
from conftest import run_cli

from apilint.core.findings import Finding, Severity
from apilint.reports import Report, RuleInfo
from apilint.reports.junit import render

SUITES_ATTRIBUTES = {"name", "tests", "failures", "errors", "time"}
SUITE_ATTRIBUTES = {*SUITES_ATTRIBUTES, "skipped"}


@cache
def junit_schema() -> xmlschema.XMLSchema:
    """The JUnit schema of Jenkins' xunit plugin (see tests/data/README.md)."""
    return xmlschema.XMLSchema(DATA / "junit-10.xsd")


def _parse(text: str) -> ET.Element:
    junit_schema().validate(text)
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == "testsuites"
    assert set(root.attrib) == SUITES_ATTRIBUTES
    return root


def _cases(root: ET.Element) -> dict[tuple[str, str], ET.Element]:
    (suite,) = root.findall("testsuite")
    assert set(suite.attrib) >= SUITE_ATTRIBUTES
    cases = {}
    for case in suite.findall("testcase"):
        assert {"name", "classname", "time"} <= set(case.attrib)
        key = (case.attrib["classname"], case.attrib["name"])
        assert key not in cases, f"duplicate testcase {key}"
        cases[key] = case
    failures = [c for c in cases.values() if c.find("failure") is not None]
    for element in (root, suite):
        assert int(element.attrib["tests"]) == len(cases)
        assert int(element.attrib["failures"]) == len(failures)
    return cases


def test_lint_one_testcase_per_rule_and_file(tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    (tmp_path / "clean.yaml").write_text(CLEAN, encoding="utf-8")
    result = run_cli(
        "lint",
        "broken.yaml",
        "clean.yaml",
        *NO_CONFIG,
        "--fail-on",
        "warning",
        "-f",
        "junit:junit.xml",
        cwd=tmp_path,
    )
    assert result.returncode == 1, result.stderr
    root = _parse((tmp_path / "junit.xml").read_text(encoding="utf-8"))
    cases = _cases(root)
    rules = {"spec-invalid", "duplicate-key", "unused-suppression"}
    assert set(cases) == {(f, r) for f in ("broken.yaml", "clean.yaml") for r in rules}
    failed = {key for key, case in cases.items() if case.find("failure") is not None}
    assert failed == {("broken.yaml", "spec-invalid"), ("broken.yaml", "unused-suppression")}

    failure = cases[("broken.yaml", "spec-invalid")].find("failure")
    assert failure is not None
    assert failure.attrib["type"] == "error"
    assert failure.attrib["message"] == "broken.yaml:10:9: 2 problems"
    assert (failure.text or "").splitlines() == [
        "broken.yaml:10:9: error spec-invalid: response: missing required property "
        "'description' [GET /users]",
        "broken.yaml:11:11: error spec-invalid: response: unknown property 'descripton' "
        "(extensions must start with 'x-') [GET /users]",
    ]
    single = cases[("broken.yaml", "unused-suppression")].find("failure")
    assert single is not None
    assert single.attrib["message"] == (
        "broken.yaml:7:24: x-apilint-ignore names an unknown rule 'spec-invlid'"
    )
    assert single.attrib["type"] == "warning"
    (suite,) = root.findall("testsuite")
    assert suite.attrib["name"] == "apilint lint"


def _contract_finding(operation: str, rule: str, message: str, line: int) -> Finding:
    method, path = operation.split(" ", 1)
    return Finding(
        rule=rule,
        severity=Severity.ERROR,
        message=message,
        file="api.yaml",
        line=line,
        column=5,
        pointer=f"/paths/{path.replace('/', '~1')}/{method.lower()}",
        operation=operation,
        extra={  # the shape apilint contract gives its findings
            "request": {"method": method, "url": "http://127.0.0.1:8000/x"},
            "response": {"status": 500},
            "curl": f"curl -X {method} http://127.0.0.1:8000/x",
        },
    )


def test_contract_groups_by_operation() -> None:
    findings = [
        _contract_finding("GET /users", "status-code", "returned 500", 10),
        _contract_finding("GET /users", "status-code", "returned 502", 10),
        _contract_finding("GET /users", "content-type", "text/html is not documented", 10),
        _contract_finding("POST /users", "status-code", "returned 500", 20),
    ]
    rules = {
        rule: RuleInfo(rule, rule, "error") for rule in ("status-code", "content-type", "redirects")
    }
    report = Report(
        command="contract",
        findings=findings,
        rules=rules,
        extra={"operations": ["GET /users", "POST /users", "DELETE /users/{id}"]},
    )
    cases = _cases(_parse(render(report)))
    operations = ("GET /users", "POST /users", "DELETE /users/{id}")
    assert set(cases) == {(op, rule) for op in operations for rule in rules}
    failed = {key for key, case in cases.items() if case.find("failure") is not None}
    assert failed == {
        ("GET /users", "status-code"),
        ("GET /users", "content-type"),
        ("POST /users", "status-code"),
    }
    failure = cases[("GET /users", "status-code")].find("failure")
    assert failure is not None
    lines = (failure.text or "").splitlines()
    assert lines == [
        "api.yaml:10:5: error status-code: returned 500 [GET /users]",
        "    request: curl -X GET http://127.0.0.1:8000/x",
        "api.yaml:10:5: error status-code: returned 502 [GET /users]",
        "    request: curl -X GET http://127.0.0.1:8000/x",
    ]


def test_contract_without_an_operation_list_reports_failures_only() -> None:
    report = Report(
        command="contract",
        findings=[_contract_finding("GET /users", "status-code", "returned 500", 10)],
        rules={"status-code": RuleInfo("status-code", "", "error")},
    )
    cases = _cases(_parse(render(report)))
    assert list(cases) == [("GET /users", "status-code")]
    without_curl = Finding(
        "status-code",
        Severity.ERROR,
        "returned 500",
        "api.yaml",
        3,
        1,
        "",
        "GET /x",
        extra={"request": {"method": "GET", "url": "http://127.0.0.1:1/x"}},
    )
    text = render(Report(command="contract", findings=[without_curl]))
    assert "    request: GET http://127.0.0.1:1/x" in text


def test_text_that_xml_cannot_carry_is_replaced() -> None:
    finding = Finding(
        "r", Severity.WARNING, 'bad \x00 byte & <tag> "quoted" \x1b[31m', "a&b.yaml", 1, 1, ""
    )
    report = Report(command="lint", findings=[finding], files=["a&b.yaml"], fail_on=None)
    root = _parse(render(report))
    case = _cases(root)[("a&b.yaml", "r")]
    assert case.find("failure") is None  # --fail-on never: nothing fails
    assert case.findtext("system-out") == (
        'a&b.yaml:1:1: warning r: bad \ufffd byte & <tag> "quoted" \ufffd[31m'
    )
    report.fail_on = Severity.WARNING
    root = _parse(render(report))
    case = _cases(root)[("a&b.yaml", "r")]
    failure = case.find("failure")
    assert failure is not None
    assert failure.text == ('a&b.yaml:1:1: warning r: bad \ufffd byte & <tag> "quoted" \ufffd[31m')


def test_no_findings_and_no_files() -> None:
    root = _parse(render(Report(command="traffic", findings=[])))
    assert _cases(root) == {}
    assert root.attrib["tests"] == "0"


def test_findings_below_fail_on_pass_and_unreadable_files_are_errors(tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    (tmp_path / "bad.yaml").write_text("openapi: 3.0.3\npaths: {a: [}\n", encoding="utf-8")
    result = run_cli(
        "lint", "broken.yaml", "bad.yaml", *NO_CONFIG, "-f", "junit:junit.xml", cwd=tmp_path
    )
    assert result.returncode == 2
    root = _parse((tmp_path / "junit.xml").read_text(encoding="utf-8"))
    (suite,) = root.findall("testsuite")
    errors = [case for case in suite.findall("testcase") if case.find("error") is not None]
    assert [(case.attrib["classname"], case.attrib["name"]) for case in errors] == [
        ("bad.yaml", "load")
    ]
    error = errors[0].find("error")
    assert error is not None and error.attrib["message"].startswith("bad.yaml:2:")
    assert root.attrib["errors"] == suite.attrib["errors"] == "1"
    # The warning (unused-suppression) is below the default --fail-on error: not a failure,
    # its finding is the testcase's output.
    warning = next(
        case
        for case in suite.findall("testcase")
        if case.attrib["name"] == "unused-suppression" and case.attrib["classname"] == "broken.yaml"
    )
    assert warning.find("failure") is None
    assert "unknown rule 'spec-invlid'" in (warning.findtext("system-out") or "")
    assert root.attrib["failures"] == "1"  # spec-invalid only
    strict = run_cli(
        "lint", "broken.yaml", *NO_CONFIG, "--fail-on", "warning", "-f", "junit", cwd=tmp_path
    )
    assert _parse(strict.stdout).attrib["failures"] == "2"
