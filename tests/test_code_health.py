"""The code-health gates CI keeps: ruff (lint and format) and mypy --strict, run as tests so that
the README's one test command covers them. They skip when the tools are not installed (the
test extra installs both)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest
from conftest import ROOT

TREES = ["apilint", "tests", "bench", "examples"]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    module = args[0]
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{module} is not installed")
    return subprocess.run(
        [sys.executable, "-m", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_ruff_check() -> None:
    result = _run("ruff", "check", "--no-cache", *TREES)
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format() -> None:
    result = _run("ruff", "format", "--check", "--no-cache", *TREES)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
def test_mypy_strict() -> None:
    result = _run("mypy", "--no-incremental")  # packages and strictness: pyproject.toml
    assert result.returncode == 0, result.stdout + result.stderr
