"""The gitlab (Code Quality), checkstyle and markdown reports, and the end positions every report
carries; validated against the schemas in tests/data (see its README for where they come from)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from functools import cache
from pathlib import Path

import xmlschema
from ci_support import BROKEN, DATA, NO_CONFIG, git
from conftest import run_cli
from jsonschema import Draft7Validator

from apilint.core.findings import Finding, Severity
from apilint.reports import Report
from apilint.reports.markdown import MAX_ROWS
from apilint.reports.markdown import render as markdown

UNREADABLE = "openapi: 3.0.3\npaths: {a: [}\n"


@cache
def code_quality_validator() -> Draft7Validator:
    schema = json.loads((DATA / "gitlab-code-quality.schema.json").read_text(encoding="utf-8"))
    Draft7Validator.check_schema(schema)
    return Draft7Validator(schema)


def _lint(cwd: Path, *args: str) -> str:
    result = run_cli("lint", *NO_CONFIG, *args, cwd=cwd)
    assert result.returncode in (1, 2), result.stderr
    return result.stdout


def test_gitlab_code_quality_is_valid_and_fingerprints_survive_moves(tmp_path: Path) -> None:
    (tmp_path / "specs").mkdir()
    (tmp_path / "specs" / "api.yaml").write_text(BROKEN, encoding="utf-8")
    (tmp_path / "bad.yaml").write_text(UNREADABLE, encoding="utf-8")
    git(tmp_path, "init", "-q")
    (tmp_path / "specs" / "deep").mkdir()
    issues = json.loads(_lint(tmp_path / "specs" / "deep", "-f", "gitlab", "../api.yaml"))
    errors = sorted(code_quality_validator().iter_errors(issues), key=str)
    assert not errors, [e.message for e in errors]
    assert [(i["check_name"], i["severity"], i["location"]) for i in issues] == [
        (
            "unused-suppression",
            "minor",
            {"path": "specs/api.yaml", "lines": {"begin": 7, "end": 7}},
        ),
        ("spec-invalid", "major", {"path": "specs/api.yaml", "lines": {"begin": 10, "end": 10}}),
        ("spec-invalid", "major", {"path": "specs/api.yaml", "lines": {"begin": 11, "end": 11}}),
    ]
    assert len({i["fingerprint"] for i in issues}) == 3
    # Lines above move: the same problems keep their fingerprints.
    (tmp_path / "specs" / "api.yaml").write_text("# a comment\n\n" + BROKEN, encoding="utf-8")
    moved = json.loads(_lint(tmp_path, "-f", "gitlab", "specs/api.yaml"))
    assert [i["location"]["lines"]["begin"] for i in moved] == [9, 12, 13]
    assert [i["fingerprint"] for i in moved] == [i["fingerprint"] for i in issues]
    # A file that could not be checked is an issue too.
    both = json.loads(_lint(tmp_path, "-f", "gitlab", "specs/api.yaml", "bad.yaml"))
    assert not list(code_quality_validator().iter_errors(both))
    (load,) = [i for i in both if i["check_name"] == "load-error"]
    assert load["severity"] == "blocker" and load["location"]["path"] == "bad.yaml"
    assert load["location"]["lines"]["begin"] == 2


def test_checkstyle_is_valid(tmp_path: Path) -> None:
    (tmp_path / "api.yaml").write_text(BROKEN, encoding="utf-8")
    (tmp_path / "bad.yaml").write_text(UNREADABLE, encoding="utf-8")
    text = _lint(tmp_path, "-f", "checkstyle", "api.yaml", "bad.yaml")
    xmlschema.XMLSchema(DATA / "checkstyle.xsd").validate(text)
    root = ET.fromstring(text)
    files = {f.attrib["name"]: f for f in root.findall("file")}
    assert list(files) == ["bad.yaml", "api.yaml"]
    assert [
        (e.attrib["line"], e.attrib["column"], e.attrib["severity"], e.attrib["source"])
        for e in files["api.yaml"]
    ] == [
        ("7", "24", "warning", "apilint.unused-suppression"),
        ("10", "9", "error", "apilint.spec-invalid"),
        ("11", "11", "error", "apilint.spec-invalid"),
    ]
    (load,) = files["bad.yaml"]
    assert load.attrib["source"] == "apilint.load-error"


def test_json_has_end_positions(tmp_path: Path) -> None:
    (tmp_path / "api.yaml").write_text(BROKEN, encoding="utf-8")
    report = json.loads(_lint(tmp_path, "-f", "json", "api.yaml"))
    lines = BROKEN.splitlines()
    spans = [
        lines[f["line"] - 1][f["column"] - 1 : f["end_column"] - 1]
        for f in report["findings"]
        if f["end_line"] == f["line"]
    ]
    assert spans == ["spec-invlid", '"200"', "descripton"]


def test_markdown_summary_escapes_cells_and_stops_at_max_rows() -> None:
    nasty = Finding("r", Severity.ERROR, "a | b\nc <img src=x> `d`", "x|y.yaml", 3, 4, "")
    text = markdown(Report(command="contract", findings=[nasty], files=["x|y.yaml"]))
    assert text.startswith("### apilint contract\n\nFound 1 problem (1 error, 0 warnings, 0 info)")
    row = text.splitlines()[-1]
    assert row == ("| x\\|y.yaml:3:4 | 🔴 error | `r` | a \\| b c &lt;img src=x&gt; \\`d\\` |")
    assert row.count(" | ") == 3  # four cells, whatever the message held
    many = [
        Finding("r", Severity.INFO if n else Severity.ERROR, f"m{n}", "a.yaml", n + 1, 1, "")
        for n in range(MAX_ROWS + 5)
    ]
    long = markdown(Report(command="lint", findings=many, files=["a.yaml"]))
    rows = [line for line in long.splitlines() if line.startswith("| a.yaml:")]
    assert len(rows) == MAX_ROWS and "🔴 error" in rows[0]
    assert long.rstrip().endswith("… and 5 more (the other reports list them all).")
    empty = markdown(Report(command="lint", findings=[], files=["a.yaml"]))
    assert empty == "### apilint lint\n\nNo problems found in 1 file.\n"
