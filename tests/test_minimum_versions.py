"""The declared minimum versions of lint's dependencies are enough: install exactly those into a
brand-new virtual environment (nothing of this one leaks in) and run the lint tests there.

That needs the package index; without it (an offline machine) the test skips, saying so. It also
checks what a lint-only install is: the contract extra is not there, and `apilint contract` says
which extra to install in one line.
"""

from __future__ import annotations

import os
import re
import subprocess
import tomllib
import venv
from pathlib import Path

import pytest
from conftest import ROOT
from packaging.utils import canonicalize_name
from packaging.version import Version

LINT_TESTS = [
    "tests/rules",
    "tests/test_loader.py",
    "tests/test_refs.py",
    "tests/test_config.py",
    "tests/test_suppressions.py",
]


SPEC = "examples/thoughts/openapi.fixed.yaml"


def declared_minimums() -> list[str]:
    """``name==X`` for every default dependency, from its ``>=X`` in pyproject.toml."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pins = []
    for requirement in project["dependencies"]:
        match = re.fullmatch(r"([A-Za-z0-9._-]+)>=([0-9][0-9.]*)(?:,<[0-9.]+)?", requirement)
        assert match, f"{requirement!r}: every dependency declares its minimum as NAME>=X"
        pins.append(f"{match[1]}=={match[2]}")
    return pins


def test_every_dependency_declares_a_minimum() -> None:
    assert len(declared_minimums()) >= 5


@pytest.mark.slow
def test_lint_tests_pass_on_the_declared_minimum_versions(tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = str(env_dir / "bin" / "python")
    environment = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    environment.pop("PYTHONPATH", None)
    install = subprocess.run(
        [python, "-m", "pip", "install", "-q", *declared_minimums(), "pytest>=8"],
        capture_output=True,
        text=True,
        timeout=600,
        env=environment,
        check=False,
    )
    if install.returncode != 0:
        pytest.skip(f"could not install the declared minimum versions: {install.stderr[-300:]}")
    freeze = subprocess.run(
        [python, "-m", "pip", "freeze"], capture_output=True, text=True, timeout=120, check=True
    )
    installed = {
        canonicalize_name(name): Version(version)
        for name, _, version in (line.partition("==") for line in freeze.stdout.splitlines())
    }
    for pin in declared_minimums():  # exactly the minimums, nothing newer leaked in
        name, _, version = pin.partition("==")
        assert installed.get(canonicalize_name(name)) == Version(version), pin
    assert "schemathesis" not in installed and "hypothesis" not in installed
    run = subprocess.run(
        [python, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *LINT_TESTS],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        env={**environment, "PYTHONPATH": str(ROOT)},
        check=False,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    contract = subprocess.run(
        [python, "-m", "apilint", "contract", SPEC, "--base-url", "http://127.0.0.1:9"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**environment, "PYTHONPATH": str(ROOT)},
        check=False,
    )
    assert contract.returncode == 2
    assert contract.stderr.startswith("apilint: error: 'apilint contract' needs ")
    assert contract.stderr.endswith("pip install 'apilint[contract]'\n")
