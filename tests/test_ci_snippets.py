"""The CI snippets of the README and docs/ci.md, run as written: every `apilint lint` command of
their GitHub Actions, GitLab CI and Jenkins examples, in a scratch repository with a description
that has problems; the reports they write are checked against their schemas."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
import xmlschema
from ci_support import BROKEN, DATA, assert_valid_sarif, git
from conftest import ROOT
from test_report_formats import code_quality_validator

# `run: apilint ...` (GitHub Actions), `- apilint ...` (GitLab CI), `sh 'apilint ...'` (Jenkins)
COMMAND = re.compile(r"^\s*(?:(?:- )?run: |- |sh ')(apilint lint [^'\n]*)'?$", re.MULTILINE)


def ci_commands() -> list[tuple[str, str]]:
    found = []
    for name in ("README.md", "docs/ci.md"):
        for block in re.findall(
            r"```(?:yaml|groovy)\n(.*?)```", (ROOT / name).read_text(), re.DOTALL
        ):
            found += [(name, command) for command in COMMAND.findall(block)]
    return found


def test_the_snippets_are_found() -> None:
    assert len(ci_commands()) >= 4


@pytest.mark.parametrize(("source", "command"), ci_commands())
def test_ci_command_runs_as_written(tmp_path: Path, source: str, command: str) -> None:
    (tmp_path / "api").mkdir()
    (tmp_path / "api" / "openapi.yaml").write_text(BROKEN, encoding="utf-8")
    git(tmp_path, "init", "-q")
    shell, _, fallback = command.partition(" || ")
    argv = shlex.split(shell)
    assert argv[0] == "apilint"
    run = subprocess.run(
        [sys.executable, "-m", "apilint", *argv[1:]],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "NO_COLOR": "1"},
        timeout=120,
        check=False,
    )
    assert run.returncode == 1, (source, run.stderr)  # errors found, reports written
    if fallback:  # Jenkins: `|| test $? -eq 1` lets the junit step judge
        assert fallback == "test $? -eq 1"
    for spec in argv[1:]:
        name, _, path = spec.partition(":")
        if not path:
            continue
        text = (tmp_path / path).read_text(encoding="utf-8")
        if name == "sarif":
            assert_valid_sarif(json.loads(text))
        elif name == "junit":
            xmlschema.XMLSchema(DATA / "junit-10.xsd").validate(text)
        elif name == "gitlab":
            assert not list(code_quality_validator().iter_errors(json.loads(text)))
    assert "api/openapi.yaml" in run.stdout
