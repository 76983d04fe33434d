"""The README's pre-commit snippet, run as written by real pre-commit on a scratch repository.

Only the ``repo:`` URL changes: it points at a local clone of this checkout, tagged the way the
release process (CONTRIBUTING.md) tags a release, so the snippet's ``rev:`` is what a user gets.
Offline like tests/test_precommit.py: the hook's virtualenv sees the test interpreter's
site-packages and pip uses no index.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
from ci_support import BROKEN, CLEAN, git
from conftest import ROOT
from test_precommit import HELM_VALUES, SORTED_YAML

import apilint

SNIPPET = re.compile(r"```yaml\n(repos:\n  - repo: (\S+).*?- id: apilint\n)```", re.DOTALL)


def readme_snippet(path: Path) -> tuple[str, str]:
    """The pre-commit config block of ``path`` and the repository URL in it."""
    match = SNIPPET.search(path.read_text(encoding="utf-8"))
    assert match, f"{path.name} has no pre-commit snippet"
    return match[1], match[2]


def test_the_snippets_pin_the_tag_a_release_makes() -> None:
    readme, _ = readme_snippet(ROOT / "README.md")
    ci, _ = readme_snippet(ROOT / "docs" / "ci.md")
    for snippet in (readme, ci):
        (rev,) = re.findall(r"^    rev: (\S+)", snippet, re.MULTILINE)
        assert rev == f"v{apilint.__version__}"
    contributing = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    assert "tag\n`vX.Y.Z`" in contributing or "tag `vX.Y.Z`" in contributing


@pytest.mark.slow
def test_readme_snippet_runs_with_pre_commit(tmp_path: Path) -> None:
    try:
        head = git(ROOT, "rev-parse", "HEAD").strip()
        git(ROOT, "cat-file", "-e", f"{head}:.pre-commit-hooks.yaml")
    except (subprocess.CalledProcessError, FileNotFoundError):
        pytest.skip("needs a git checkout of apilint whose HEAD has .pre-commit-hooks.yaml")
    snippet, url = readme_snippet(ROOT / "README.md")
    clone = tmp_path / "apilint.git"
    git(tmp_path, "clone", "-q", "--bare", str(ROOT), str(clone))
    git(clone, "tag", f"v{apilint.__version__}", head)  # what the release does

    scratch = tmp_path / "scratch"
    (scratch / "api").mkdir(parents=True)
    (scratch / "vendor").mkdir()
    (scratch / "chart").mkdir()
    (scratch / "api" / "sorted.yaml").write_text(SORTED_YAML, encoding="utf-8")
    (scratch / "api" / "good.yaml").write_text(CLEAN, encoding="utf-8")
    (scratch / "vendor" / "theirs.yaml").write_text(BROKEN, encoding="utf-8")
    (scratch / "chart" / "values.yaml").write_text(HELM_VALUES, encoding="utf-8")
    (scratch / "apilint.yaml").write_text(
        "select: [spec-invalid, duplicate-key]\nexclude: ['vendor/**']\n", encoding="utf-8"
    )
    (scratch / ".pre-commit-config.yaml").write_text(
        snippet.replace(url, clone.as_uri()), encoding="utf-8"
    )
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

    def pre_commit() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "pre_commit", "run", "--all-files", "--color", "never"],
            cwd=scratch,
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )

    failing = pre_commit()
    output = failing.stdout + failing.stderr
    assert failing.returncode == 1, output
    # The key-sorted description is linted; the vendored one is excluded by the config even
    # though pre-commit names it; the Helm values file is not a description.
    assert "api/sorted.yaml:" in output and "error spec-invalid" in output
    assert "vendor/theirs.yaml" not in output
    assert "values.yaml" not in output
    assert "api/good.yaml" not in output

    (scratch / "api" / "sorted.yaml").unlink()
    git(scratch, "add", "-A")
    passing = pre_commit()
    assert passing.returncode == 0, passing.stdout + passing.stderr
    assert "Passed" in passing.stdout
