"""The command line, run as a real process: reports, exit codes, one-line errors."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, run_cli

BROKEN = """\
openapi: 3.0.3
info:
  title: T
paths:
  /users:
    get:
      responses:
        "200":
          descripton: users
"""
CLEAN = """\
openapi: 3.0.3
info: {title: T, version: "1"}
paths: {}
"""
LINE = re.compile(
    r"^(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning|info) (?P<rule>[a-z0-9-]+): .+$"
)


@pytest.fixture
def specs(tmp_path: Path) -> Path:
    (tmp_path / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    (tmp_path / "clean.yaml").write_text(CLEAN, encoding="utf-8")
    return tmp_path


def test_text_report_lines_and_summary(specs: Path) -> None:
    result = run_cli("lint", "broken.yaml", "--no-config", cwd=specs)
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    parsed = [LINE.match(line) for line in lines[:-1]]
    assert all(parsed), lines
    assert [(m["file"], m["line"], m["col"], m["rule"]) for m in parsed if m] == [
        ("broken.yaml", "2", "1", "spec-invalid"),
        ("broken.yaml", "8", "9", "spec-invalid"),
        ("broken.yaml", "9", "11", "spec-invalid"),
    ]
    assert lines[-1] == "Found 3 problems (3 errors, 0 warnings, 0 info) in 1 file."
    assert "\x1b[" not in result.stdout  # no colour when not a terminal


def test_clean_file_exits_zero(specs: Path) -> None:
    result = run_cli("lint", "clean.yaml", "--no-config", cwd=specs)
    assert result.returncode == 0
    assert result.stdout == "No problems found in 1 file.\n"
    assert result.stderr == ""


def test_quiet_prints_only_findings(specs: Path) -> None:
    assert run_cli("lint", "-q", "clean.yaml", "--no-config", cwd=specs).stdout == ""
    out = run_cli("lint", "-q", "broken.yaml", "--no-config", cwd=specs).stdout
    assert len(out.splitlines()) == 3 and "Found" not in out


def test_json_report_shape(specs: Path) -> None:
    result = run_cli(
        "lint", "--format", "json", "broken.yaml", "clean.yaml", "--no-config", cwd=specs
    )
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert list(report) == ["tool", "version", "command", "findings", "summary"]
    assert report["tool"] == "apilint" and report["command"] == "lint"
    assert re.fullmatch(r"\d+\.\d+\.\d+", report["version"])
    assert report["summary"] == {"error": 3, "warning": 0, "info": 0}
    finding = report["findings"][1]
    assert finding == {
        "rule": "spec-invalid",
        "severity": "error",
        "message": "response: missing required property 'description'",
        "file": "broken.yaml",
        "line": 8,
        "column": 9,
        "end_line": 8,
        "end_column": 14,
        "pointer": "/paths/~1users/get/responses/200",
        "operation": "GET /users",
    }
    assert report["findings"][0]["operation"] is None


def test_fail_on_levels(specs: Path) -> None:
    (specs / "apilint.yaml").write_text("rules: {spec-invalid: warning}\n", encoding="utf-8")
    assert run_cli("lint", "broken.yaml", cwd=specs).returncode == 0
    assert run_cli("lint", "broken.yaml", "--fail-on", "warning", cwd=specs).returncode == 1
    assert run_cli("lint", "broken.yaml", "--fail-on", "info", cwd=specs).returncode == 1
    (specs / "apilint.yaml").write_text("fail-on: never\n", encoding="utf-8")
    assert run_cli("lint", "broken.yaml", cwd=specs).returncode == 0


def test_select_and_ignore(specs: Path) -> None:
    assert (
        run_cli(
            "lint", "broken.yaml", "--ignore", "spec-invalid", "--no-config", cwd=specs
        ).returncode
        == 0
    )
    assert (
        run_cli(
            "lint",
            "broken.yaml",
            "--select",
            "duplicate-key,unused-suppression",
            "--no-config",
            cwd=specs,
        ).returncode
        == 0
    )
    result = run_cli("lint", "broken.yaml", "--select", "nonsense", "--no-config", cwd=specs)
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "apilint: error: unknown rule or ruleset 'nonsense' in --select (see 'apilint rules' for the list)"
    )


def test_output_file(specs: Path) -> None:
    result = run_cli(
        "lint", "-f", "json", "-o", "out/report.json", "broken.yaml", "--no-config", cwd=specs
    )
    assert result.returncode == 1 and result.stdout == ""
    assert json.loads((specs / "out" / "report.json").read_text())["summary"]["error"] == 3


def test_several_formats_in_one_run(specs: Path) -> None:
    result = run_cli(
        "lint", "-f", "text", "-f", "json:r.json", "broken.yaml", "--no-config", cwd=specs
    )
    assert result.stdout.count("spec-invalid") == 3
    assert len(json.loads((specs / "r.json").read_text())["findings"]) == 3


def test_directory_is_searched_for_openapi_documents(specs: Path) -> None:
    (specs / "nested").mkdir()
    (specs / "nested" / "more.json").write_text(
        json.dumps({"openapi": "3.0.0", "info": {"title": "x", "version": "1"}, "paths": {}})
    )
    (specs / "nested" / "package.json").write_text('{"name": "not-openapi"}')
    (specs / "node_modules").mkdir()
    (specs / "node_modules" / "dep.yaml").write_text(CLEAN)
    result = run_cli("lint", "-f", "json", ".", "--no-config", cwd=specs)
    files = {f["file"] for f in json.loads(result.stdout)["findings"]}
    assert files == {"broken.yaml"}
    assert "in 3 files" in run_cli("lint", ".", "--no-config", cwd=specs).stdout


def test_directory_without_specs_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "notes.yaml").write_text("a: 1\n")
    result = run_cli("lint", str(tmp_path), "--no-config")
    assert result.returncode == 2
    assert "no OpenAPI documents found" in result.stderr


def test_stdin(specs: Path) -> None:
    result = run_cli(
        "lint", "-", "--stdin-filename", "piped.yaml", "--no-config", cwd=specs, stdin=BROKEN
    )
    assert result.returncode == 1
    assert result.stdout.startswith("piped.yaml:2:1: error spec-invalid")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.yaml", None, "missing.yaml: no such file"),
        ("garbage.yaml", bytes(range(256)), "garbage.yaml: not a text file"),
        ("bad.yaml", b"openapi: 3.0.0\npaths: [\n", "bad.yaml:3:1: invalid YAML"),
        ("bad.json", b'{"openapi": "3.0.0",\n "paths": }', "bad.json:2:11: invalid JSON"),
        ("other.yaml", b"name: just a config file\n", "other.yaml: not an OpenAPI document"),
        ("old.yaml", b"swagger: '1.2'\n", "unsupported OpenAPI version '1.2'"),
        (
            "ref.yaml",
            b"openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths:\n  /a: {$ref: '#/nope'}\n",
            "ref.yaml:4:8: $ref '#/nope' points to nothing",
        ),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    tmp_path: Path, name: str, content: bytes | None, message: str
) -> None:
    if content is not None:
        (tmp_path / name).write_bytes(content)
    result = run_cli("lint", name, "--no-config", cwd=tmp_path)
    assert result.returncode == 2
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 1, result.stderr
    assert errors[0].startswith("apilint: error: ")
    assert message in errors[0]
    assert "Traceback" not in result.stderr


def test_one_bad_file_does_not_hide_the_others(specs: Path) -> None:
    result = run_cli("lint", "broken.yaml", "missing.yaml", "--no-config", cwd=specs)
    assert result.returncode == 2
    assert result.stdout.count("spec-invalid") == 3
    assert "1 file could not be checked" in result.stdout


def test_bad_config_file(specs: Path) -> None:
    (specs / "apilint.yaml").write_text("fail_on: error\n")
    result = run_cli("lint", "clean.yaml", cwd=specs)
    assert result.returncode == 2
    assert "unknown key 'fail_on'" in result.stderr


def test_version_and_help() -> None:
    result = run_cli("--version")
    assert re.fullmatch(r"apilint \d+\.\d+\.\d+\n", result.stdout)
    assert "lint" in run_cli("--help").stdout


def test_rules_list_and_docs() -> None:
    listing = run_cli("rules")
    assert listing.returncode == 0
    assert re.search(r"^  spec-invalid\s+error\s+The document is valid", listing.stdout, re.M)
    docs = run_cli("rules", "spec-invalid")
    for heading in ("What it does", "Why it matters", "Example of the problem", "Fixed"):
        assert heading in docs.stdout
    data = json.loads(run_cli("rules", "-f", "json").stdout)
    assert {"id", "severity", "description", "docs", "options"} <= set(data[0])
    missing = run_cli("rules", "no-such-rule")
    assert missing.returncode == 2 and "unknown rule 'no-such-rule'" in missing.stderr


def test_bundled_example_lints(tmp_path: Path) -> None:
    fixed = run_cli(
        "lint", str(ROOT / "examples" / "thoughts" / "openapi.fixed.yaml"), "--no-config"
    )
    assert fixed.returncode == 0, fixed.stdout


@pytest.mark.parametrize("pattern", ["vendor/**", "vendor", "**/deep/*.yaml"])
def test_exclude_globs_mean_what_override_globs_mean(tmp_path: Path, pattern: str) -> None:
    (tmp_path / "api").mkdir()
    (tmp_path / "api" / "a.yaml").write_text(CLEAN)
    (tmp_path / "vendor" / "deep").mkdir(parents=True)
    (tmp_path / "vendor" / "deep" / "b.yaml").write_text(BROKEN)
    (tmp_path / "apilint.yaml").write_text(f'exclude: ["{pattern}"]\n')
    result = run_cli("lint", ".", cwd=tmp_path)
    assert result.returncode == 0, result.stdout
    assert result.stdout == "No problems found in 1 file.\n"


def test_a_long_report_through_a_pipe_arrives_whole(tmp_path: Path) -> None:
    # The command leaves without the interpreter's teardown: what it wrote must be flushed first.
    spec = ROOT / "examples" / "thoughts" / "openapi.yaml"
    command = [sys.executable, "-m", "apilint", "lint", "--no-config", "--no-cache", "-f"]
    piped = subprocess.run(
        [*command, "sarif", str(spec)], capture_output=True, text=True, check=False, cwd=ROOT
    )
    written = tmp_path / "report.sarif"
    to_file = subprocess.run(
        [*command, f"sarif:{written}", str(spec)], capture_output=True, check=False, cwd=ROOT
    )
    assert piped.returncode == to_file.returncode == 1, piped.stderr
    assert len(piped.stdout) > 20_000
    assert piped.stdout == written.read_text(encoding="utf-8")
