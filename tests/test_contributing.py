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
