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
