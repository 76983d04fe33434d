"""``apilint diff`` as a user runs it: sides from files, directories and git, reports, bad input."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from ci_support import git
from conftest import ROOT, run_cli
from diff_support import write_pair


def diff_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``apilint diff ARGS`` from this checkout, wherever it runs."""
    return run_cli("diff", *args, cwd=cwd, env={"PYTHONPATH": str(ROOT)})


OLD = """
paths:
  /users:
    post:
      responses:
        "201":
          description: Created
          content: {application/json: {schema: {$ref: 'schemas/user.yaml'}}}
  /legacy:
    get:
      responses:
        "200": {description: Old}
"""
USER = "type: object\nproperties:\n  id: {type: integer}\n"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository whose HEAD holds api/openapi.yaml (with a $ref to api/schemas/user.yaml);
    the working tree then drops /legacy, moves /users to /users/ and changes the user's id."""
    root = tmp_path / "repo"
    (root / "api" / "schemas").mkdir(parents=True)
    git(root, "init", "-q")
    old_path, _ = write_pair(tmp_path, OLD, OLD)
    (root / "api" / "openapi.yaml").write_text(old_path.read_text())
    (root / "api" / "schemas" / "user.yaml").write_text(USER)
    (root / "README.md").write_text("not a description\n")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "base")
    spec = root / "api" / "openapi.yaml"
    text = spec.read_text()
    spec.write_text(
        text.replace(
            '  /legacy:\n    get:\n      responses:\n        "200": {description: Old}\n', ""
        ).replace("/users:", "/users/:")
    )
    (root / "api" / "schemas" / "user.yaml").write_text(USER.replace("integer", "string"))
    return root


def test_git_side_with_refs(repo: Path) -> None:
    result = diff_cli(
        "HEAD:api/openapi.yaml", "api/openapi.yaml", "--no-config", "-f", "json", cwd=repo
    )
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    found = {(f["rule"], f["file"], f["severity"]) for f in report["findings"]}
    assert found == {
        ("path-removed", "HEAD:api/openapi.yaml", "error"),
        ("trailing-slash-changed", "api/openapi.yaml", "error"),
        ("response-type-changed", "api/schemas/user.yaml", "error"),
    }
    assert report["command"] == "diff"


def test_base_and_framework_from_config(repo: Path) -> None:
    (repo / "apilint.yaml").write_text(
        "rules:\n  trailing-slash-changed: {options: {framework: starlette}}\n"
        "ignore: [path-removed]\n"
    )
    (repo / "api" / "extra.yaml").write_text(
        "openapi: 3.0.3\ninfo: {title: x, version: '1'}\npaths: {}\n"
    )
    result = diff_cli("--base", "HEAD", cwd=repo)
    assert "apilint: note: api/extra.yaml is new since HEAD: nothing to compare" in result.stderr
    lines = result.stdout.splitlines()
    assert any("warning trailing-slash-changed" in line and "307" in line for line in lines), result
    assert not any("path-removed" in line for line in lines)
    assert result.returncode == 1  # the response type change is still an error


def test_markdown_report(repo: Path) -> None:
    result = diff_cli(
        "HEAD:api", "api", "--no-config", "--framework", "flask", "-f", "markdown", cwd=repo
    )
    text = result.stdout
    assert text.startswith("## apilint diff: 2 breaking changes, 1 possibly breaking (1 file)")
    assert "### Breaking changes (2)" in text and "### Possibly breaking (1)" in text
    assert "- path /legacy was removed (`path-removed`, `HEAD:api/openapi.yaml:" in text


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nope:api/openapi.yaml", "api/openapi.yaml"], "unknown git revision 'nope'"),
        (
            ["HEAD:api/absent.yaml", "api/openapi.yaml"],
            "HEAD:api/absent.yaml: no such file at HEAD",
        ),
        (["api/absent.yaml", "api/openapi.yaml"], "api/absent.yaml: no such file or directory"),
        (["api/openapi.yaml"], "give two sides"),
        (["README.md", "api/openapi.yaml"], "not an OpenAPI document"),
    ],
)
def test_bad_input(repo: Path, args: list[str], message: str) -> None:
    result = diff_cli(*args, "--no-config", cwd=repo)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr


def test_identical_documents_exit_zero(repo: Path) -> None:
    result = diff_cli("api/openapi.yaml", "api/openapi.yaml", "--no-config", cwd=repo)
    assert result.returncode == 0
    assert "no changes: api/openapi.yaml and api/openapi.yaml are identical" in result.stderr


def test_lint_offers_markdown_too(tmp_path: Path) -> None:
    spec = tmp_path / "api.yaml"
    spec.write_text(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /getUsers:\n    get:\n"
        "      responses:\n        '200': {description: ok}\n"
    )
    result = run_cli(
        "lint",
        str(spec),
        "--no-config",
        "-f",
        "markdown",
        "--select",
        "path-verb",
        env={"PYTHONPATH": str(ROOT)},
    )
    # lint has the shared markdown report (a table per rule, then the findings); diff its own
    assert result.stdout.startswith("### apilint lint\n\nFound 1 problem (0 errors, 1 warning")
    assert "| `path-verb` | 🟡 warning | 1 |" in result.stdout


def test_exit_zero_reports_breaking_changes_and_exits_0(repo: Path) -> None:
    sides = ("HEAD:api/openapi.yaml", "api/openapi.yaml", "--no-config")
    result = diff_cli(*sides, "--exit-zero", "-f", "json", cwd=repo)
    assert result.returncode == 0, result.stderr
    assert "path-removed" in {f["rule"] for f in json.loads(result.stdout)["findings"]}
    missing = diff_cli("api/openapi.yaml", "api/missing.yaml", "--exit-zero", cwd=repo)
    assert missing.returncode == 2  # apilint could not do its job: still 2


def test_verbose_names_the_config_file_read(repo: Path) -> None:
    (repo / "apilint.yaml").write_text("ignore: [path-removed]\n")
    sides = ("HEAD:api/openapi.yaml", "api/openapi.yaml", "-q")
    result = diff_cli(*sides, "-v", cwd=repo)
    assert f"apilint: config: {repo / 'apilint.yaml'}" in result.stderr.splitlines()
    assert "path-removed" not in result.stdout
    none = diff_cli(*sides, "--verbose", "--no-config", cwd=repo)
    assert "apilint: config: none (the defaults)" in none.stderr.splitlines()
    assert "path-removed" in none.stdout
    assert "apilint: config:" not in diff_cli(*sides, cwd=repo).stderr


def test_show_settings_says_where_each_came_from(repo: Path) -> None:
    config = repo / "apilint.yaml"
    config.write_text(
        "fail-on: warning\nexclude: ['vendor/**']\nignore: [path-removed]\n"
        "rules:\n  trailing-slash-changed: {severity: info, options: {framework: django}}\n"
    )
    result = diff_cli("--show-settings", "--max-file-size", "1MB", cwd=repo)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"config file: {config}"
    settings = {line.split()[0]: line for line in lines[1:] if not line.startswith((" ", "rules"))}
    assert settings["fail-on"].endswith(f"warning  ({config})")
    assert settings["ignore"].endswith(f"path-removed  ({config})")
    assert settings["framework"].endswith(f"django  ({config})")
    assert settings["max-file-size"].endswith("1048576  (command line)")
    assert settings["exclude"].endswith(f"vendor/**  ({config})")
    assert settings["allow-remote-refs"].endswith("False  (default)")
    rules = dict(line.split() for line in lines if line.startswith("  "))
    assert rules["trailing-slash-changed"] == "info"
    assert rules["path-removed"] == "off"
    flask = diff_cli("--show-settings", "--framework", "flask", "--exit-zero", cwd=repo)
    assert "fail-on            never  (--exit-zero)" in flask.stdout
    assert "framework          flask  (command line)" in flask.stdout
