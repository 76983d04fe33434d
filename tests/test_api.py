"""The documented Python API, as a team would use it in its own pytest suite."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

import apilint


def test_lint_a_path_and_assert_on_findings() -> None:
    result = apilint.lint(
        ROOT / "examples" / "thoughts" / "openapi.fixed.yaml", config=apilint.config_defaults()
    )
    assert result.errors == []
    assert [f for f in result.findings if f.severity is apilint.Severity.ERROR] == []


def test_findings_are_typed(tmp_path: Path) -> None:
    spec = tmp_path / "api.yaml"
    spec.write_text("openapi: 3.0.3\ninfo: {title: T}\npaths: {}\n")
    result = apilint.lint(spec, config=apilint.config_defaults())
    [finding] = result.findings
    assert isinstance(finding, apilint.Finding)
    assert finding.rule == "spec-invalid"
    assert finding.severity is apilint.Severity.ERROR
    assert (finding.line, finding.column, finding.pointer) == (2, 1, "/info")
    assert finding.to_dict()["severity"] == "error"
    assert result.failed("error") and result.exit_code() == 1


def test_broken_file_is_an_error_not_an_exception(tmp_path: Path) -> None:
    spec = tmp_path / "api.yaml"
    spec.write_text("openapi: [\n")
    result = apilint.lint(spec, config=apilint.config_defaults())
    assert result.findings == [] and len(result.errors) == 1
    assert isinstance(result.errors[0], apilint.LoadError)
    with pytest.raises(apilint.LoadError):
        result.raise_for_errors()


def test_lint_text() -> None:
    result = apilint.lint_text(
        '{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {"/a": {}}}',
        filename="inline.json",
        config=apilint.config_defaults(),
    )
    assert result.errors == [] and result.files == ["inline.json"]


def test_unknown_rule_raises_config_error() -> None:
    with pytest.raises(apilint.ConfigError, match="unknown rule"):
        apilint.lint_text("openapi: 3.0.0\n", select=["nope"], config=apilint.config_defaults())


def test_readme_api_example_catches_a_misspelled_file(tmp_path: Path) -> None:
    # The README's recipe: result.raise_for_errors() before looking at findings, so a gate
    # written from it cannot pass on a file that does not exist.
    result = apilint.lint(tmp_path / "typo.yaml")
    assert not result.findings
    with pytest.raises(apilint.ApilintError, match=r"typo\.yaml"):
        result.raise_for_errors()


def test_submodules_of_the_lint_package_import_with_an_alias() -> None:
    # apilint.lint is both the documented function and the engine's package.
    code = (
        "import apilint.lint.engine as engine, apilint\n"
        "assert engine.Linter and callable(apilint.lint)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
