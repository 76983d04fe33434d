"""SARIF 2.1.0: valid against the official schema, and what GitHub code scanning needs."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from ci_support import (
    BROKEN,
    BROKEN_FINDINGS,
    CLEAN,
    NO_CONFIG,
    assert_valid_sarif,
    install_counting_rule,
    install_description_rule,
    text_findings,
)
from conftest import run_cli

from apilint.core.findings import Finding, Severity
from apilint.reports import Report, RuleInfo, renderer
from apilint.reports.sarif import help_markdown, sarif_log


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    (tmp_path / "clean.yaml").write_text(CLEAN, encoding="utf-8")
    return tmp_path


def _run(log: dict) -> dict:  # type: ignore[type-arg]
    runs = log["runs"]
    assert len(runs) == 1
    run: dict = runs[0]  # type: ignore[type-arg]
    return run


def test_sarif_is_valid_and_points_at_the_right_lines(project: Path) -> None:
    result = run_cli(
        "lint", "broken.yaml", "clean.yaml", *NO_CONFIG, "-f", "sarif:out.sarif", cwd=project
    )
    assert result.returncode == 1, result.stderr
    log = json.loads((project / "out.sarif").read_text(encoding="utf-8"))
    assert_valid_sarif(log)
    assert log["version"] == "2.1.0"
    run = _run(log)
    driver = run["tool"]["driver"]
    assert driver["name"] == "apilint"
    rule_ids = [rule["id"] for rule in driver["rules"]]
    assert rule_ids == sorted(rule_ids)
    assert {"spec-invalid", "duplicate-key", "unused-suppression"} <= set(rule_ids)

    got = []
    for res in run["results"]:
        assert driver["rules"][res["ruleIndex"]]["id"] == res["ruleId"]
        (location,) = res["locations"]
        physical = location["physicalLocation"]
        assert physical["artifactLocation"] == {"uri": "broken.yaml", "uriBaseId": "%SRCROOT%"}
        region = physical["region"]
        got.append(
            (
                physical["artifactLocation"]["uri"],
                region["startLine"],
                region["startColumn"],
                res["level"],
                res["ruleId"],
            )
        )
    levels = {"warning": "warning", "error": "error"}
    assert got == [(f, line, col, levels[sev], rule) for f, line, col, sev, rule in BROKEN_FINDINGS]
    base = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    assert base == project.resolve().as_uri() + "/"
    assert "automationDetails" not in run  # the upload action's category applies
    assert run["invocations"] == [{"executionSuccessful": True}]


def test_results_carry_pointer_operation_and_fingerprint(project: Path) -> None:
    run_cli("lint", "broken.yaml", *NO_CONFIG, "-f", "sarif:out.sarif", cwd=project)
    results = _run(json.loads((project / "out.sarif").read_text()))["results"]
    by_line = {r["locations"][0]["physicalLocation"]["region"]["startLine"]: r for r in results}
    missing = by_line[10]
    assert missing["message"]["text"] == "response: missing required property 'description'"
    assert missing["properties"] == {
        "pointer": "/paths/~1users/get/responses/200",
        "operation": "GET /users",
    }
    logical = missing["locations"][0]["logicalLocations"]
    assert logical[0]["fullyQualifiedName"] == "/paths/~1users/get/responses/200"
    assert logical[1] == {"name": "GET /users", "kind": "function"}
    suppression = by_line[7]
    assert suppression["properties"] == {"pointer": "/paths/~1users/x-apilint-ignore/0"}
    fingerprints = [r["partialFingerprints"]["apilint/v1"] for r in results]
    assert len(set(fingerprints)) == len(fingerprints)


def test_fingerprints_survive_lines_moving(project: Path) -> None:
    run_cli("lint", "broken.yaml", *NO_CONFIG, "-f", "sarif:before.sarif", cwd=project)
    moved = BROKEN.replace("paths:\n", "# a comment\n# and another\npaths:\n", 1)
    (project / "broken.yaml").write_text(moved, encoding="utf-8")
    run_cli("lint", "broken.yaml", *NO_CONFIG, "-f", "sarif:after.sarif", cwd=project)

    def prints(name: str) -> dict[str, int]:
        results = _run(json.loads((project / name).read_text()))["results"]
        return {
            r["partialFingerprints"]["apilint/v1"]: r["locations"][0]["physicalLocation"]["region"][
                "startLine"
            ]
            for r in results
        }

    before, after = prints("before.sarif"), prints("after.sarif")
    assert set(before) == set(after)
    assert all(after[key] == before[key] + 2 for key in before)


def test_uri_is_relative_to_the_repository_root(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()  # find_repo_root only looks for it
    service = tmp_path / "services" / "users"
    service.mkdir(parents=True)
    (service / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    run_cli("lint", "broken.yaml", *NO_CONFIG, "-f", "sarif:out.sarif", cwd=service)
    run = _run(json.loads((service / "out.sarif").read_text()))
    locations = {
        json.dumps(r["locations"][0]["physicalLocation"]["artifactLocation"])
        for r in run["results"]
    }
    assert locations == {
        json.dumps({"uri": "services/users/broken.yaml", "uriBaseId": "%SRCROOT%"})
    }
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.resolve().as_uri() + "/"


def test_finding_in_a_referenced_file_points_into_that_file(tmp_path: Path) -> None:
    (tmp_path / "root.yaml").write_text(
        "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n"
        "  /users:\n    $ref: 'paths/users.yaml'\n",
        encoding="utf-8",
    )
    (tmp_path / "paths").mkdir()
    (tmp_path / "paths" / "users.yaml").write_text(
        "get:\n  responses:\n    '200':\n      descripton: Users\n", encoding="utf-8"
    )
    install_description_rule(tmp_path, "select: [response-description]\n")
    text = run_cli("lint", "root.yaml", "-f", "sarif:out.sarif", cwd=tmp_path)
    log = json.loads((tmp_path / "out.sarif").read_text())
    assert_valid_sarif(log)
    places = {
        (
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
        )
        for r in _run(log)["results"]
    }
    assert places == {("paths/users.yaml", 3)}, text.stdout


def test_rules_carry_their_docs_as_help(project: Path) -> None:
    run_cli("lint", "broken.yaml", *NO_CONFIG, "-f", "sarif:out.sarif", cwd=project)
    rules = {
        r["id"]: r
        for r in _run(json.loads((project / "out.sarif").read_text()))["tool"]["driver"]["rules"]
    }
    spec = rules["spec-invalid"]
    assert spec["shortDescription"]["text"].startswith("The document is valid")
    assert spec["defaultConfiguration"] == {"level": "error"}
    assert spec["properties"]["tags"] == ["openapi", "spec"]
    markdown = spec["help"]["markdown"]
    assert "**Example of the problem**\n\n```yaml\npaths:" in markdown
    assert "descripton: A list of users" in markdown  # the bad example
    assert "**Fixed**" in markdown
    assert "Why" in spec["help"]["text"]
    assert rules["unused-suppression"]["defaultConfiguration"] == {"level": "warning"}


def test_severity_levels_and_config_severity(project: Path) -> None:
    (project / "apilint.yaml").write_text(
        "select: [spec-invalid, unused-suppression]\nrules: {unused-suppression: info}\n"
    )
    run_cli("lint", "broken.yaml", "-f", "sarif:out.sarif", cwd=project)
    run = _run(json.loads((project / "out.sarif").read_text()))
    levels = {(r["ruleId"], r["level"]) for r in run["results"]}
    assert levels == {("unused-suppression", "note"), ("spec-invalid", "error")}
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert rules["unused-suppression"]["defaultConfiguration"] == {"level": "note"}


def test_no_findings_is_still_a_valid_log(project: Path) -> None:
    result = run_cli("lint", "clean.yaml", *NO_CONFIG, "-f", "sarif", cwd=project)
    assert result.returncode == 0
    log = json.loads(result.stdout)
    assert_valid_sarif(log)
    assert _run(log)["results"] == []


def test_contract_report_keeps_operation_and_request() -> None:
    finding = Finding(
        rule="status-code-conformance",
        severity=Severity.ERROR,
        message="GET /users/1 returned 500, which the spec does not document",
        file="api.yaml",
        line=12,
        column=5,
        pointer="/paths/~1users~1{id}/get",
        operation="GET /users/{id}",
        extra={"request": {"method": "GET", "url": "http://127.0.0.1:8000/users/1"}},
    )
    report = Report(
        command="contract",
        findings=[finding],
        rules={
            "status-code-conformance": RuleInfo("status-code-conformance", "Doc'd codes", "error")
        },
    )
    log = sarif_log(report, cwd=Path("/srv/app"))
    assert_valid_sarif(log)
    run = _run(log)
    assert "automationDetails" not in run
    (res,) = run["results"]
    assert res["properties"]["operation"] == "GET /users/{id}"
    assert res["properties"]["request"]["url"] == "http://127.0.0.1:8000/users/1"
    assert res["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "api.yaml"


def test_unusual_file_names_and_unknown_rules_stay_valid() -> None:
    findings = [
        Finding("made-up", Severity.INFO, "odd", "my specs/ä pi.yaml", 1, 1, ""),
        Finding("made-up", Severity.INFO, "odd again", "my specs/ä pi.yaml", 1, 1, ""),
        Finding("other", Severity.WARNING, "outside", "/elsewhere/x.json", 3, 4, "/info"),
    ]
    log = sarif_log(Report(command="lint", findings=findings), cwd=Path("/srv/app"))
    assert_valid_sarif(log)
    results = _run(log)["results"]
    assert results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == (
        "my%20specs/%C3%A4%20pi.yaml"
    )
    assert results[2]["locations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": "file:///elsewhere/x.json"
    }
    first, second = (r["partialFingerprints"]["apilint/v1"] for r in results[:2])
    assert second == f"{first}:1"
    rules = [r["id"] for r in _run(log)["tool"]["driver"]["rules"]]
    assert rules == ["made-up", "other"]


def test_help_markdown_without_docs() -> None:
    assert help_markdown(RuleInfo("x", "", "warning")).startswith("**x**")


def test_several_formats_in_one_run_lint_once(project: Path) -> None:
    counter = install_counting_rule(project)
    result = run_cli(
        "lint",
        "broken.yaml",
        "clean.yaml",
        "-f",
        "text",
        "-f",
        "sarif:reports/out.sarif",
        "-f",
        "junit:reports/junit.xml",
        "-f",
        "json:reports/out.json",
        "-f",
        "github:reports/annotations.txt",
        cwd=project,
        env={"APILINT_COUNT_FILE": str(project / "runs.log")},
    )
    assert result.returncode == 1, result.stderr
    # Each document was linted exactly once, whatever the number of reports.
    assert sorted(counter.read_text().splitlines()) == ["broken.yaml", "clean.yaml"]

    text = [
        (f, line, col, rule, msg) for f, line, col, _, rule, msg in text_findings(result.stdout)
    ]
    assert [t[:4] for t in text] == [(f, ln, c, r) for f, ln, c, _, r in BROKEN_FINDINGS]

    log = json.loads((project / "reports/out.sarif").read_text())
    assert_valid_sarif(log)
    sarif = [
        (
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
            r["locations"][0]["physicalLocation"]["region"]["startLine"],
            r["locations"][0]["physicalLocation"]["region"]["startColumn"],
            r["ruleId"],
            r["message"]["text"],
        )
        for r in _run(log)["results"]
    ]
    assert sarif == text

    data = json.loads((project / "reports/out.json").read_text())
    assert [
        (f["file"], f["line"], f["column"], f["rule"], f["message"]) for f in data["findings"]
    ] == text

    annotations = (project / "reports/annotations.txt").read_text().splitlines()
    assert len(annotations) == len(text)
    assert annotations[1].startswith(
        "::error file=broken.yaml,line=10,endLine=10,col=9,endColumn=14,"
        "title=apilint spec-invalid::"
    )

    suite = ET.parse(project / "reports/junit.xml").getroot().find("testsuite")
    assert suite is not None
    failures = {
        # below --fail-on (the warning), a finding is the testcase's output, not a failure
        (case.get("classname"), case.get("name")): (
            case.findtext("failure") or case.findtext("system-out") or ""
        )
        for case in suite.iter("testcase")
    }
    for f, line, col, rule, message in text:
        assert f"{f}:{line}:{col}: " in failures[(f, rule)]
        assert message in failures[(f, rule)]
    # the extra rule ran (and passed) on both files
    assert failures[("clean.yaml", "count-runs")] == ""
    assert failures[("broken.yaml", "count-runs")] == ""


def test_every_registered_format_renders_an_empty_report() -> None:
    for name in ("sarif", "junit", "github", "statistics"):
        text = renderer(name)(Report(command="traffic", findings=[]))
        assert isinstance(text, str)


def test_the_schema_check_is_live() -> None:
    """The validator rejects what GitHub would: a line 0, a missing message, a bad level."""
    finding = Finding("r", Severity.ERROR, "m", "api.yaml", 3, 1, "/info")
    log = sarif_log(Report(command="lint", findings=[finding]), cwd=Path("/srv"))
    result = _run(log)["results"][0]
    result["locations"][0]["physicalLocation"]["region"]["startLine"] = 0
    result["level"] = "fatal"
    del result["message"]
    with pytest.raises(AssertionError) as caught:
        assert_valid_sarif(log)
    text = str(caught.value)
    assert "startLine" in text or "0 is less than the minimum" in text
    assert "'fatal' is not one of" in text
    assert "'message' is a required property" in text


def test_regions_end_where_the_reported_key_ends(project: Path) -> None:
    result = run_cli("lint", "broken.yaml", *NO_CONFIG, "-f", "sarif", cwd=project)
    log = json.loads(result.stdout)
    assert_valid_sarif(log)
    lines = BROKEN.splitlines()
    spans = []
    for res in _run(log)["results"]:
        region = res["locations"][0]["physicalLocation"]["region"]
        assert region["endLine"] == region["startLine"]
        line = lines[region["startLine"] - 1]
        spans.append(line[region["startColumn"] - 1 : region["endColumn"] - 1])
    assert spans == ["spec-invlid", '"200"', "descripton"]


def test_rule_help_fits_github_and_links_the_docs() -> None:
    from apilint.lint.engine import Linter
    from apilint.settings.config import Config

    linter = Linter(Config(select=["all"]))
    rules = {r.id: r.rule.info(r.severity.label) for r in linter.rules}
    log = sarif_log(Report(command="lint", findings=[], rules=rules), cwd=Path("/"))
    assert_valid_sarif(log)
    descriptors = _run(log)["tool"]["driver"]["rules"]
    assert len(descriptors) == len(rules) >= 30
    docs = (Path(__file__).resolve().parent.parent / "docs" / "rules.md").read_text()
    for descriptor in descriptors:
        assert len(descriptor["help"]["text"]) <= 1024, descriptor["id"]
        assert len(descriptor["help"]["markdown"]) <= 1024, descriptor["id"]
        # This checkout's metadata names no published documentation: no link to guess at.
        assert "helpUri" not in descriptor
        assert f"\n## {descriptor['id']}\n" in docs  # the anchor rule_docs_url would name
        assert descriptor["properties"]["precision"] == "high"
        level = descriptor["defaultConfiguration"]["level"]
        expected = {"error": "error", "warning": "warning", "note": "recommendation"}[level]
        assert descriptor["properties"]["problem.severity"] == expected
    long = next(d for d in descriptors if d["id"] == "path-verb")
    assert long["help"]["markdown"].endswith("`apilint rules path-verb`.")


def test_category_only_when_asked_and_unreadable_files_are_notifications(project: Path) -> None:
    (project / "bad.yaml").write_text("openapi: 3.0.3\npaths: {a: [}\n", encoding="utf-8")
    result = run_cli(
        "lint",
        "broken.yaml",
        "bad.yaml",
        *NO_CONFIG,
        "-f",
        "sarif",
        "--sarif-category",
        "apilint-specs",
        cwd=project,
    )
    assert result.returncode == 2
    log = json.loads(result.stdout)
    assert_valid_sarif(log)
    run = _run(log)
    assert run["automationDetails"] == {"id": "apilint-specs"}
    (invocation,) = run["invocations"]
    assert invocation["executionSuccessful"] is False
    (note,) = invocation["toolExecutionNotifications"]
    assert note["level"] == "error"
    location = note["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "bad.yaml", "uriBaseId": "%SRCROOT%"}
    assert location["region"]["startLine"] == 2
    assert note["message"]["text"].startswith("invalid YAML")


def test_past_github_result_limit_most_severe_first(capsys: pytest.CaptureFixture[str]) -> None:
    findings = [
        Finding("r", Severity.INFO if n % 3 else Severity.ERROR, f"m{n}", "a.yaml", n + 1, 1, "")
        for n in range(5003)
    ]
    log = sarif_log(Report(command="lint", findings=findings), cwd=Path("/"))
    levels = [result["level"] for result in _run(log)["results"]]
    errors = sum(1 for f in findings if f.severity is Severity.ERROR)
    assert levels[:errors] == ["error"] * errors and set(levels[errors:]) == {"note"}
    assert "GitHub code scanning keeps only the first 5,000" in capsys.readouterr().err
    few = sarif_log(Report(command="lint", findings=findings[:10]), cwd=Path("/"))
    assert [r["message"]["text"] for r in _run(few)["results"]] == [f"m{n}" for n in range(10)]
    assert capsys.readouterr().err == ""


def test_help_links_to_the_documentation_the_package_metadata_names(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from apilint import reports

    monkeypatch.setattr(reports, "_docs_base", lambda: "https://docs.example.org/rules")
    info = RuleInfo("path-verb", "Paths name resources", "warning")
    log = sarif_log(Report(command="lint", findings=[], rules={"path-verb": info}), cwd=Path("/"))
    [descriptor] = _run(log)["tool"]["driver"]["rules"]
    assert descriptor["helpUri"] == "https://docs.example.org/rules#path-verb"
    assert "(https://docs.example.org/rules#path-verb)" in descriptor["help"]["markdown"]
