"""The built-in rulesets live in the repository's top-level rules/ and must be found both from an
editable install (this checkout) and from a wheel built from the repository."""

from __future__ import annotations

import json
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest
from conftest import ROOT

from apilint.lint.rulesets import builtin_rules_dir, builtin_ruleset

RULE_FILES = sorted(p.name for p in (ROOT / "rules").glob("*.yaml"))


def test_editable_install_uses_the_repository_rules() -> None:
    assert builtin_rules_dir() == ROOT / "rules"
    assert len(builtin_ruleset().rules) >= 3


@pytest.mark.slow
def test_wheel_carries_the_rules_and_finds_them(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    build = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(wheels),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert build.returncode == 0, build.stderr
    [wheel] = wheels.glob("apilint-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
    packaged = sorted(Path(n).name for n in names if n.startswith("apilint/builtin_rules/"))
    assert packaged == RULE_FILES
    assert not any(n.startswith("rules/") for n in names), "rules/ must live inside the package"
    assert "apilint/py.typed" in names  # the package says Typed: type checkers read it

    env_dir = tmp_path / "venv"
    venv.EnvBuilder(system_site_packages=True, with_pip=False).create(env_dir)
    python = env_dir / "bin" / "python"
    install = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--no-deps",
            "--no-index",
            "-q",
            str(wheel),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert install.returncode == 0, install.stderr
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    probe = subprocess.run(
        [
            str(python),
            "-c",
            "import apilint, json; from apilint.lint.rulesets import builtin_rules_dir, builtin_ruleset;"
            "print(json.dumps([apilint.__file__, str(builtin_rules_dir()), sorted(builtin_ruleset().rules)]))",
        ],
        cwd=outside,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert probe.returncode == 0, probe.stderr
    module_file, rules_dir, rule_ids = json.loads(probe.stdout)
    assert str(env_dir) in module_file, "the wheel, not this checkout, must be imported"
    assert rules_dir.startswith(str(env_dir)) and rules_dir.endswith("apilint/builtin_rules")
    assert rule_ids == sorted(builtin_ruleset().rules)
    # The first run keeps the parsed rulesets beside them, as Python keeps bytecode.
    assert list((Path(rules_dir) / "__pycache__").glob("rules.*.marshal"))
    cli = subprocess.run(
        [str(python), "-m", "apilint", "rules"],
        cwd=outside,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert cli.returncode == 0 and "spec-invalid" in cli.stdout
