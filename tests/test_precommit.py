"""The pre-commit hook (.pre-commit-hooks.yaml), run for real with ``pre-commit try-repo``.

try-repo clones this repository at HEAD and pip-installs it into a fresh virtualenv, as a user's
pre-commit would. To keep that offline and fast, the hook's virtualenv is handed the site-packages
of the Python running the tests on PYTHONPATH (that is where the test extra installed apilint's
dependencies and its build backend, hatchling; a venv's base interpreter need not have them) and
pip is told not to use an index: only the build and install of apilint itself, from the clone,
happens.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from ci_support import BROKEN, CLEAN, NO_CONFIG, git
from conftest import ROOT, run_cli

HOOKS = ROOT / ".pre-commit-hooks.yaml"


def test_manifest_is_valid_for_pre_commit() -> None:
    from pre_commit.clientlib import load_manifest

    (hook,) = load_manifest(str(HOOKS))
    assert hook["id"] == "apilint"
    assert hook["language"] == "python"
    assert hook["entry"] == "apilint lint --skip-non-openapi"
    assert hook["types_or"] == ["yaml", "json"]
    assert hook["args"] == ["--quiet"]
    assert hook["pass_filenames"] is True


def test_skip_non_openapi(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text(BROKEN, encoding="utf-8")
    (tmp_path / "compose.yaml").write_text("services: {web: {image: nginx}}\n", encoding="utf-8")
    (tmp_path / "package.json").write_text('{"name": "x"}', encoding="utf-8")
    plain = run_cli("lint", *NO_CONFIG, "compose.yaml", cwd=tmp_path)
    assert plain.returncode == 2  # named explicitly, a non-OpenAPI file is an error...
    assert "not an OpenAPI document" in plain.stderr
    hook = run_cli(
        "lint",
        *NO_CONFIG,
        "--skip-non-openapi",
        "-q",
        "compose.yaml",
        "package.json",
        "bad.yaml",
        cwd=tmp_path,
    )
    assert hook.returncode == 1  # ...but the hook skips it and lints the real spec
    assert hook.stderr == ""
    assert [line.split(":")[0] for line in hook.stdout.splitlines()] == ["bad.yaml"] * 3
    only_others = run_cli(
        "lint", *NO_CONFIG, "--skip-non-openapi", "-q", "compose.yaml", cwd=tmp_path
    )
    assert (only_others.returncode, only_others.stdout, only_others.stderr) == (0, "", "")


def _head_has_hooks() -> str | None:
    try:
        head = git(ROOT, "rev-parse", "HEAD").strip()
        git(ROOT, "cat-file", "-e", f"{head}:.pre-commit-hooks.yaml")
    except (subprocess.CalledProcessError, FileNotFoundError):
        return None
    return head


@pytest.mark.slow
def test_try_repo_fails_on_a_bad_spec_and_passes_on_good_ones(tmp_path: Path) -> None:
    head = _head_has_hooks()
    if head is None:
        pytest.skip("needs a git checkout of apilint whose HEAD has .pre-commit-hooks.yaml")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    (scratch / "api").mkdir()
    (scratch / "api" / "bad.yaml").write_text(BROKEN, encoding="utf-8")
    (scratch / "good.yaml").write_text(CLEAN, encoding="utf-8")
    (scratch / "docker-compose.yml").write_text("services: {}\n", encoding="utf-8")
    git(scratch, "init", "-q")
    git(scratch, "add", ".")
    site_packages = [sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]]
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "PYTHONPATH": os.pathsep.join(dict.fromkeys(site_packages)),
        "PIP_NO_INDEX": "1",
        "PIP_NO_BUILD_ISOLATION": "0",  # pip's spelling for "don't isolate the build"
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "NO_COLOR": "1",
    }
    command = [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "apilint"]
    command += ["--ref", head, "--color", "never", "--files"]

    def try_repo(*files: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*command, *files],
            cwd=scratch,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    failing = try_repo("api/bad.yaml", "good.yaml", "docker-compose.yml")
    output = failing.stdout + failing.stderr
    assert failing.returncode == 1, output
    assert "apilint (OpenAPI lint)" in output
    assert "Failed" in output
    assert "api/bad.yaml:10:9: error spec-invalid: response: missing required property" in output
    assert "api/bad.yaml:7:24: warning unused-suppression:" in output
    assert "good.yaml:" not in output.replace("api/bad.yaml", "")
    assert "docker-compose.yml" not in output.split("Failed", 1)[1]
    assert "Found 3 problems" not in output  # --quiet: findings only

    passing = try_repo("good.yaml", "docker-compose.yml")
    assert passing.returncode == 0, passing.stdout + passing.stderr
    assert "Passed" in passing.stdout
