"""CONTRIBUTING.md's recipe for a rule works as written: its check function and its rule entry,
used as a user's own ruleset, report an operation without a summary and pass one with."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

from conftest import ROOT, run_cli

SPEC = """\
openapi: 3.1.0
info: {{title: t, version: '1'}}
paths:
  /users:
    get:
      {summary}responses:
        '200': {{description: ok}}
"""


def _blocks(language: str) -> list[str]:
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    return [textwrap.dedent(b) for b in re.findall(rf"```{language}\n(.*?)```", text, re.S)]


def test_the_add_a_rule_recipe_runs(tmp_path: Path) -> None:
    (tmp_path / "checks.py").write_text(_blocks("python")[0], encoding="utf-8")
    rule = next(b for b in _blocks("yaml") if "operation_summaries" in b)
    rule = re.sub(r"\n\s+docs:.*", "\n", rule, flags=re.S)  # the docs hold placeholders
    (tmp_path / "ours.yaml").write_text("functions: [./checks.py]\n" + rule, encoding="utf-8")
    (tmp_path / "apilint.yaml").write_text(
        "extends: [./ours.yaml]\nselect: [operation-summary]\n", encoding="utf-8"
    )
    (tmp_path / "bad.yaml").write_text(SPEC.format(summary=""), encoding="utf-8")
    (tmp_path / "good.yaml").write_text(
        SPEC.format(summary="summary: List users\n      "), encoding="utf-8"
    )
    bad = run_cli("lint", "--fail-on", "warning", "bad.yaml", cwd=tmp_path)
    assert bad.returncode == 1, bad.stderr
    assert "bad.yaml:5:5: warning operation-summary: GET /users has no summary" in bad.stdout
    good = run_cli("lint", "--fail-on", "warning", "good.yaml", cwd=tmp_path)
    assert good.returncode == 0, good.stdout + good.stderr


def _readme_blocks(language: str) -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return [textwrap.dedent(b) for b in re.findall(rf"```{language}\n(.*?)```", text, re.S)]


def test_the_readme_config_runs_as_written(tmp_path: Path) -> None:
    config = next(b for b in _readme_blocks("yaml") if b.startswith("extends: [./our-rules.yaml]"))
    project = tmp_path / "project"
    project.mkdir()
    (project / "apilint.yaml").write_text(config, encoding="utf-8")
    (project / "our-rules.yaml").write_text("rules: {}\n", encoding="utf-8")  # the user's own
    (project / "api.yaml").write_text(
        (ROOT / "examples" / "thoughts" / "openapi.yaml").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    result = run_cli("lint", "api.yaml", cwd=project)
    assert result.returncode == 1, result.stderr  # findings at or above fail-on: warning
    assert "path-casing" not in result.stdout or "error path-casing" in result.stdout
    assert "trailing-slash-consistency" not in result.stdout  # not selected


def test_the_readme_python_check_runs(tmp_path: Path) -> None:
    code = next(b for b in _readme_blocks("python") if "@check(" in b)
    (tmp_path / "checks.py").write_text(code, encoding="utf-8")
    (tmp_path / "ours.yaml").write_text(
        "functions: [./checks.py]\n"
        "rules:\n"
        "  no-internal-paths:\n"
        "    description: Internal paths are not published.\n"
        "    severity: error\n"
        "    given: path-items\n"
        "    then: {function: no_internal_paths}\n",
        encoding="utf-8",
    )
    (tmp_path / "apilint.yaml").write_text(
        "extends: [./ours.yaml]\nselect: [no-internal-paths]\n", encoding="utf-8"
    )
    (tmp_path / "api.yaml").write_text(
        "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n"
        "  /internal/metrics:\n    get: {responses: {'200': {description: ok}}}\n"
        "  /users:\n    get: {responses: {'200': {description: ok}}}\n",
        encoding="utf-8",
    )
    result = run_cli("lint", "api.yaml", cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "error no-internal-paths: '/internal/metrics' is internal" in result.stdout
    assert "/users" not in result.stdout
