"""Baselines: record today's findings, report only new ones, and let the baseline shrink."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ci_support import BROKEN, CLEAN, NO_CONFIG, install_description_rule, text_findings
from conftest import run_cli

from apilint.core.errors import ConfigError
from apilint.core.findings import Finding, Severity
from apilint.lint.baseline import Baseline


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    (tmp_path / "clean.yaml").write_text(CLEAN, encoding="utf-8")
    return tmp_path


def _write(project: Path, *files: str, cwd: Path | None = None) -> None:
    result = run_cli(
        "lint", *files, *NO_CONFIG, "--write-baseline", "baseline.json", cwd=cwd or project
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""


def test_write_records_rule_file_pointer_and_count(project: Path) -> None:
    result = run_cli(
        "lint",
        "broken.yaml",
        "clean.yaml",
        *NO_CONFIG,
        "--write-baseline",
        "b/base.json",
        cwd=project,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr == "apilint: recorded 3 findings (3 entries) in b/base.json\n"
    data = json.loads((project / "b" / "base.json").read_text(encoding="utf-8"))
    assert data["tool"] == "apilint"
    assert data["version"] == 1
    assert data["findings"] == [
        {
            "file": "../broken.yaml",  # relative to the baseline's own directory
            "pointer": "/paths/~1users/get/responses/200",
            "rule": "spec-invalid",
            "count": 1,
            "messages": ["response: missing required property 'description'"],
        },
        {
            "file": "../broken.yaml",
            "pointer": "/paths/~1users/get/responses/200/descripton",
            "rule": "spec-invalid",
            "count": 1,
            "messages": [
                "response: unknown property 'descripton' (extensions must start with 'x-')"
            ],
        },
        {
            "file": "../broken.yaml",
            "pointer": "/paths/~1users/x-apilint-ignore/0",
            "rule": "unused-suppression",
            "count": 1,
            "messages": ["x-apilint-ignore names an unknown rule 'spec-invlid'"],
        },
    ]


def test_baseline_hides_recorded_findings(project: Path) -> None:
    _write(project, "broken.yaml")
    result = run_cli("lint", "broken.yaml", *NO_CONFIG, "--baseline", "baseline.json", cwd=project)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "No problems found in 1 file.\n"
    assert result.stderr == "apilint: note: 3 findings hidden by the baseline baseline.json\n"


def test_only_new_findings_are_reported_even_when_lines_move(project: Path) -> None:
    _write(project, "broken.yaml")
    edited = BROKEN.replace("paths:\n", "# moved down by a comment\npaths:\n", 1).replace(
        "    get:\n", "    get:\n      operationId: 42\n", 1
    )
    (project / "broken.yaml").write_text(edited, encoding="utf-8")
    result = run_cli("lint", "broken.yaml", *NO_CONFIG, "--baseline", "baseline.json", cwd=project)
    assert result.returncode == 1
    found = text_findings(result.stdout)
    assert [(f[1], f[4]) for f in found] == [(10, "spec-invalid")]
    assert "operationId" in found[0][5]
    assert "3 findings hidden" in result.stderr


def test_json_report_says_what_the_baseline_did(project: Path) -> None:
    _write(project, "broken.yaml")
    result = run_cli(
        "lint",
        "broken.yaml",
        *NO_CONFIG,
        "--baseline",
        "baseline.json",
        "-f",
        "json",
        cwd=project,
    )
    data = json.loads(result.stdout)
    assert data["findings"] == []
    assert data["baseline"] == {"file": "baseline.json", "hidden": 3, "stale": []}


def test_paths_do_not_depend_on_the_working_directory(project: Path) -> None:
    (project / "api").mkdir()
    (project / "broken.yaml").rename(project / "api" / "broken.yaml")
    _write(project, "api/broken.yaml")
    data = json.loads((project / "baseline.json").read_text())
    assert {entry["file"] for entry in data["findings"]} == {"api/broken.yaml"}
    # From the spec's own directory, the same baseline still matches.
    result = run_cli(
        "lint", "broken.yaml", *NO_CONFIG, "--baseline", "../baseline.json", cwd=project / "api"
    )
    assert result.returncode == 0, result.stdout
    assert "3 findings hidden" in result.stderr
    # And with an absolute path to the spec.
    result = run_cli(
        "lint",
        str(project / "api" / "broken.yaml"),
        *NO_CONFIG,
        "--baseline",
        str(project / "baseline.json"),
    )
    assert result.returncode == 0, result.stdout


def test_stale_entries_on_request(project: Path) -> None:
    _write(project, "broken.yaml")
    fixed = BROKEN.replace("    x-apilint-ignore: [spec-invlid]\n", "")
    (project / "broken.yaml").write_text(fixed, encoding="utf-8")
    quiet_about_it = run_cli(
        "lint", "broken.yaml", *NO_CONFIG, "--baseline", "baseline.json", cwd=project
    )
    assert quiet_about_it.returncode == 0
    assert "1 baseline entry no longer match" in quiet_about_it.stderr
    assert "--report-stale-baseline lists them" in quiet_about_it.stderr

    strict = run_cli(
        "lint",
        "broken.yaml",
        *NO_CONFIG,
        "--baseline",
        "baseline.json",
        "--report-stale-baseline",
        cwd=project,
    )
    assert strict.returncode == 1
    assert strict.stdout == "No problems found in 1 file.\n"
    stale_lines = [line for line in strict.stderr.splitlines() if "stale" in line]
    assert stale_lines == [
        "apilint: stale baseline entry in baseline.json: broken.yaml "
        "/paths/~1users/x-apilint-ignore/0 unused-suppression: recorded 1, found 0 "
        "(fixed? remove it or rewrite the baseline)"
    ]
    # Rewriting the baseline with the same run shrinks it.
    rewrite = run_cli(
        "lint",
        "broken.yaml",
        *NO_CONFIG,
        "--baseline",
        "baseline.json",
        "--write-baseline",
        "baseline.json",
        cwd=project,
    )
    assert rewrite.returncode == 0
    data = json.loads((project / "baseline.json").read_text())
    assert [e["rule"] for e in data["findings"]] == ["spec-invalid", "spec-invalid"]


def test_files_not_linted_are_not_stale(project: Path) -> None:
    (project / "other.yaml").write_text(BROKEN, encoding="utf-8")
    _write(project, "broken.yaml", "other.yaml")
    result = run_cli(
        "lint",
        "broken.yaml",
        *NO_CONFIG,
        "--baseline",
        "baseline.json",
        "--report-stale-baseline",
        cwd=project,
    )
    assert result.returncode == 0, result.stderr
    assert "stale" not in result.stderr


def test_write_refuses_when_a_file_could_not_be_checked(project: Path) -> None:
    (project / "bad.yaml").write_text("openapi: 3.0.3\npaths: [\n", encoding="utf-8")
    result = run_cli(
        "lint",
        "broken.yaml",
        "bad.yaml",
        *NO_CONFIG,
        "--write-baseline",
        "baseline.json",
        cwd=project,
    )
    assert result.returncode == 2
    assert not (project / "baseline.json").exists()
    assert "not writing the baseline baseline.json: 1 file could not be checked" in result.stderr


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            None,
            "apilint: error: baseline file not found: missing.json "
            "(create it with --write-baseline)",
        ),
        ("{not json", "apilint: error: missing.json:1:2: the baseline is not valid JSON: "),
        ("[]", "apilint: error: baseline missing.json: expected an object with a 'findings' list"),
        (
            '{"findings": [{"rule": "r", "file": "f", "pointer": "", "count": 0}]}',
            "apilint: error: baseline missing.json: findings[0]: "
            "'count' must be a positive integer",
        ),
        (
            '{"findings": [{"rule": 1, "file": "f", "pointer": ""}]}',
            "apilint: error: baseline missing.json: findings[0]: 'rule' must be a string",
        ),
        (
            '{"version": 7, "findings": []}',
            "apilint: error: baseline missing.json: format version 7 is not supported",
        ),
    ],
)
def test_bad_baseline_file_is_one_line_and_exit_2(
    project: Path, content: str | None, expected: str
) -> None:
    if content is not None:
        (project / "missing.json").write_text(content, encoding="utf-8")
    result = run_cli("lint", "broken.yaml", *NO_CONFIG, "--baseline", "missing.json", cwd=project)
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith(expected), result.stderr


def test_usage_errors(project: Path) -> None:
    result = run_cli("lint", "broken.yaml", *NO_CONFIG, "--report-stale-baseline", cwd=project)
    assert result.returncode == 2
    assert "--report-stale-baseline needs --baseline FILE" in result.stderr


def test_renamed_rule_keeps_its_baseline(project: Path) -> None:
    install_description_rule(project, "select: [response-description]\n")
    ruleset = (project / "description-ruleset.yaml").read_text()
    (project / "description-ruleset.yaml").write_text(
        ruleset.replace(
            "    severity: warning\n", "    severity: warning\n    aliases: [resp-desc]\n"
        )
    )
    (project / "api.yaml").write_text(
        BROKEN.replace("descripton: Users", "summary: Users"), encoding="utf-8"
    )
    before = run_cli("lint", "api.yaml", cwd=project)
    assert [f[4] for f in text_findings(before.stdout)] == ["response-description"]
    entry = {
        "rule": "resp-desc",  # written before the rule was renamed
        "file": "api.yaml",
        "pointer": "/paths/~1users/get/responses/200/description",
        "count": 1,
    }
    (project / "old.json").write_text(json.dumps({"findings": [entry]}), encoding="utf-8")
    result = run_cli(
        "lint", "api.yaml", "--baseline", "old.json", "--report-stale-baseline", cwd=project
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 finding hidden" in result.stderr


def _finding(message: str, pointer: str = "/paths/~1a", rule: str = "r") -> Finding:
    return Finding(rule, Severity.WARNING, message, "api.yaml", 3, 5, pointer)


def test_counts_per_key_and_new_messages_show(tmp_path: Path) -> None:
    recorded = [_finding("first"), _finding("second")]
    baseline = Baseline.record(tmp_path / "b.json", recorded, cwd=tmp_path)
    assert baseline.total == 2
    assert len(baseline.entries) == 1
    now = [_finding("second"), _finding("brand new"), _finding("first")]
    outcome = baseline.apply(now, ["api.yaml"], cwd=tmp_path)
    assert [f.message for f in outcome.new] == ["brand new"]
    assert outcome.hidden == 2
    assert outcome.stale == []


def test_reworded_message_still_matches(tmp_path: Path) -> None:
    baseline = Baseline.record(tmp_path / "b.json", [_finding("old wording")], cwd=tmp_path)
    outcome = baseline.apply([_finding("new wording")], ["api.yaml"], cwd=tmp_path)
    assert outcome.new == []
    assert outcome.hidden == 1


def test_fewer_findings_than_recorded_is_stale(tmp_path: Path) -> None:
    recorded = [_finding("a"), _finding("b"), _finding("c", pointer="/info")]
    baseline = Baseline.record(tmp_path / "b.json", recorded, cwd=tmp_path)
    outcome = baseline.apply([_finding("b")], ["api.yaml"], cwd=tmp_path)
    assert outcome.new == []
    assert [(s.pointer, s.recorded, s.found) for s in outcome.stale] == [
        ("/info", 1, 0),
        ("/paths/~1a", 2, 1),
    ]


def test_round_trip_through_the_file(tmp_path: Path) -> None:
    recorded = [_finding("a"), _finding("b", rule="s")]
    written = Baseline.record(tmp_path / "b.json", recorded, cwd=tmp_path)
    written.write()
    loaded = Baseline.load(tmp_path / "b.json", canonical={"s": "t"}.get)
    assert set(loaded.entries) == {("r", "api.yaml", "/paths/~1a"), ("t", "api.yaml", "/paths/~1a")}
    # "r" is unknown to this canonical map: kept as written (it will go stale, not crash)
    (tmp_path / "c.json").write_text("{", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid JSON"):
        Baseline.load(tmp_path / "c.json")
