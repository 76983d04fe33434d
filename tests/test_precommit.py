"""The pre-commit hook (.pre-commit-hooks.yaml), run for real with ``pre-commit try-repo``.

try-repo clones this repository at HEAD and pip-installs it into a fresh virtualenv, as a user's
pre-commit would. To keep that offline and fast, the hook's virtualenv is handed the site-packages
of the Python running the tests on PYTHONPATH (that is where the test extra installed apilint's
dependencies and its build backend, hatchling; a venv's base interpreter need not have them) and
pip is told not to use an index: only the build and install of apilint itself, from the clone,
happens.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest
import yaml
from ci_support import BROKEN, CLEAN, CORE_RULES, NO_CONFIG, git
from conftest import ROOT, run_cli

from apilint import lint as lint_paths
from apilint.documents.discovery import looks_like_openapi

HOOKS = ROOT / ".pre-commit-hooks.yaml"


def test_manifest_is_valid_for_pre_commit() -> None:
    from pre_commit.clientlib import load_manifest

    (hook,) = load_manifest(str(HOOKS))
    assert hook["id"] == "apilint"
    assert hook["language"] == "python"
    assert hook["entry"] == "apilint lint --skip-non-openapi --force-exclude"
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


# A description written with its keys sorted, as Stripe publishes its own: `openapi` comes after
# `components` (and so, in a large description, megabytes into the file; here past 256 KB).
PADDING = "x" * 80
SORTED_YAML = (
    "components:\n  schemas:\n    Pet: {type: object}\n"
    + "".join(
        f"    S{n}: {{type: string, description: 'openapi: 3.0.0 {PADDING}'}}\n"
        for n in range(3000)
    )
    + 'info: {title: T, version: "1"}\nopenapi: 3.0.3\npaths:\n  /pets:\n    get:\n'
    "      responses:\n        '200':\n          descripton: pets\n"
)
# A Helm chart's values with an OpenAPI block (and a description embedded as JSON) under other keys.
HELM_VALUES = """\
image: {repository: nginx, tag: "1.27"}
gateway:
  openapi:
    enabled: true
    openapi: 3.0.3
    paths: /docs
  routes: {"openapi": "3.0.3", "paths": {}}
"""


def _sorted_json(indent: int | None) -> str:
    document = yaml.safe_load(SORTED_YAML)
    document["components"]["schemas"]["Nested"] = {"openapi": "3.0.0", "example": '"openapi": "3'}
    return json.dumps(document, sort_keys=True, indent=indent)


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("sorted.yaml", SORTED_YAML, True),
        ("sorted.json", _sorted_json(2), True),
        ("minified.json", _sorted_json(None), True),
        ("flow.yaml", "{components: {}, openapi: 3.1.0, paths: {}}", True),
        ("swagger.json", '{"info": {"title": "T"}, "paths": {}, "swagger": "2.0"}', True),
        ("quoted.yaml", "'openapi': '3.1.0'\npaths: {}\n", True),
        ("values.yaml", HELM_VALUES, False),
        ("root-block.yaml", "openapi:\n  enabled: true\npaths: [/docs]\n", False),
        ("root-flow-map.yaml", "openapi: {enabled: true}\n", False),
        ("broken.yaml", "openapi: [\n", True),  # the loader reports what is wrong with it
        ("nested.json", '{"gateway": {"openapi": "3.0.0", "paths": {}}}', False),
        ("in-a-string.json", '{"description": "\\"openapi\\": \\"3.0\\"", "x": {}}', False),
        ("in-a-block-scalar.yaml", "notes: |\n  openapi: 3.0.0\nx: 1\n", False),
        ("package.json", '{"name": "x", "version": "1.0.0"}', False),
    ],
)
def test_openapi_sniff_looks_for_a_root_version_key_anywhere(
    tmp_path: Path, name: str, text: str, expected: bool
) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    assert looks_like_openapi(path) is expected
    if expected and name != "broken.yaml":  # what the sniff accepts, the loader accepts too
        assert lint_paths([str(path)]).errors == []


def test_hook_lints_a_key_sorted_description_and_skips_helm_values(tmp_path: Path) -> None:
    (tmp_path / "sorted.yaml").write_text(SORTED_YAML, encoding="utf-8")
    (tmp_path / "sorted.json").write_text(_sorted_json(None), encoding="utf-8")
    (tmp_path / "values.yaml").write_text(HELM_VALUES, encoding="utf-8")
    hook = run_cli(
        "lint",
        *NO_CONFIG,
        "--skip-non-openapi",
        "-q",
        "values.yaml",
        "sorted.yaml",
        "sorted.json",
        cwd=tmp_path,
    )
    assert hook.returncode == 1, hook.stderr
    assert hook.stderr == ""
    assert sorted({line.split(":")[0] for line in hook.stdout.splitlines()}) == [
        "sorted.json",
        "sorted.yaml",
    ]
    verbose = run_cli(
        "lint", *NO_CONFIG, "--skip-non-openapi", "-v", "values.yaml", "sorted.yaml", cwd=tmp_path
    )
    assert verbose.returncode == 1
    assert "apilint: config: none (the defaults)\n" in verbose.stderr
    assert (
        "apilint: skipped values.yaml: not an OpenAPI document "
        "(no root 'openapi' or 'swagger' key)\n" in verbose.stderr
    )
    assert "sorted.yaml" not in verbose.stderr


def test_force_exclude_applies_config_exclude_to_named_files(tmp_path: Path) -> None:
    (tmp_path / "vendor" / "acme").mkdir(parents=True)
    (tmp_path / "vendor" / "acme" / "api.yaml").write_text(BROKEN, encoding="utf-8")
    (tmp_path / "api.yaml").write_text(CLEAN, encoding="utf-8")
    (tmp_path / "apilint.yaml").write_text(
        f"exclude: ['vendor/**']\nselect: [{CORE_RULES}]\n", encoding="utf-8"
    )
    named = ("vendor/acme/api.yaml", "api.yaml")
    plain = run_cli("lint", "-q", *named, cwd=tmp_path)
    assert plain.returncode == 1  # named explicitly, linted unless --force-exclude
    forced = run_cli("lint", "--force-exclude", "-v", *named, cwd=tmp_path)
    assert forced.returncode == 0, forced.stdout
    assert (
        "apilint: skipped vendor/acme/api.yaml: excluded by 'vendor/**' (config exclude)"
        in forced.stderr
    )
    assert "No problems found in 1 file." in forced.stdout
    # The globs are relative to the config file's directory wherever apilint runs.
    (tmp_path / "sub").mkdir()
    below = run_cli(
        "lint",
        "--force-exclude",
        "--config",
        "../apilint.yaml",
        "../vendor/acme/api.yaml",
        "../api.yaml",
        cwd=tmp_path / "sub",
    )
    assert below.returncode == 0, below.stdout


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
