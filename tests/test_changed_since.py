"""``--changed-since REV``: lint only what git says changed, in a real scratch repository."""

from __future__ import annotations

from pathlib import Path

import pytest
from ci_support import BROKEN, CLEAN, NO_CONFIG, git, install_description_rule, text_findings
from conftest import run_cli

from apilint.core.errors import ConfigError
from apilint.documents.git import changed_files, find_repo_root, referenced_files, specs_to_lint

SPLIT_ROOT = """\
openapi: 3.0.3
info: {title: Split, version: "1"}
paths:
  /users:
    $ref: "./paths/users.yaml"
"""
SPLIT_PATH = """\
get:
  responses:
    "200": {description: Users}
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository whose first commit (tag ``base``) holds specs, a split spec and other files."""
    root = tmp_path / "repo"
    (root / "api").mkdir(parents=True)
    (root / "other").mkdir()
    (root / "split" / "paths").mkdir(parents=True)
    (root / "api" / "users.yaml").write_text(CLEAN, encoding="utf-8")
    (root / "api" / "orders.yaml").write_text(CLEAN, encoding="utf-8")
    (root / "api" / "gone.yaml").write_text(CLEAN, encoding="utf-8")
    (root / "other" / "spec.json").write_text(
        '{"openapi": "3.0.3", "info": {"title": "T", "version": "1"}, "paths": {}}',
        encoding="utf-8",
    )
    (root / "split" / "openapi.yaml").write_text(SPLIT_ROOT, encoding="utf-8")
    (root / "split" / "paths" / "users.yaml").write_text(SPLIT_PATH, encoding="utf-8")
    (root / "docker-compose.yml").write_text("services: {}\n", encoding="utf-8")
    (root / ".gitignore").write_text("ignored/\n", encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "base")
    git(root, "tag", "base")
    return root


def _lint(repo: Path, *args: str, cwd: Path | None = None) -> list[str]:
    result = run_cli("lint", *NO_CONFIG, "--changed-since", "base", *args, cwd=cwd or repo)
    assert result.returncode in (0, 1), result.stderr
    return result.stdout.splitlines()


def test_nothing_changed(repo: Path) -> None:
    result = run_cli("lint", *NO_CONFIG, "--changed-since", "base", cwd=repo)
    assert result.returncode == 0
    assert result.stdout == "No problems found in 0 files.\n"
    assert result.stderr == "apilint: note: no OpenAPI document changed since base\n"


def test_committed_staged_unstaged_and_untracked_changes(repo: Path) -> None:
    (repo / "api" / "users.yaml").write_text(BROKEN, encoding="utf-8")
    git(repo, "commit", "-qam", "committed change")
    (repo / "api" / "orders.yaml").write_text(BROKEN, encoding="utf-8")
    git(repo, "add", "api/orders.yaml")  # staged
    (repo / "other" / "spec.json").write_text(
        '{"openapi": "3.0.3", "info": {"title": "T"}, "paths": {}}', encoding="utf-8"
    )  # modified, not staged
    (repo / "api" / "new.yaml").write_text(BROKEN, encoding="utf-8")  # untracked
    (repo / "ignored").mkdir()
    (repo / "ignored" / "spec.yaml").write_text(BROKEN, encoding="utf-8")  # ignored
    git(repo, "rm", "-q", "api/gone.yaml")  # deleted
    (repo / "docker-compose.yml").write_text("services: {web: {}}\n", encoding="utf-8")

    result = run_cli("lint", *NO_CONFIG, "--changed-since", "base", cwd=repo)
    assert result.returncode == 1, result.stderr
    files = {f[0] for f in text_findings(result.stdout)}
    assert files == {"api/users.yaml", "api/orders.yaml", "api/new.yaml", "other/spec.json"}
    assert result.stdout.splitlines()[-1].endswith("in 4 files.")


def test_renamed_file_counts_under_its_new_name(repo: Path) -> None:
    git(repo, "mv", "api/orders.yaml", "api/purchases.yaml")
    git(repo, "commit", "-qm", "rename")
    result = run_cli("lint", *NO_CONFIG, "--changed-since", "base", cwd=repo)
    assert result.stdout == "No problems found in 1 file.\n"
    _, changed = changed_files("base", repo)
    assert [p.relative_to(repo).as_posix() for p in changed] == ["api/purchases.yaml"]


BROKEN_JSON = '{"openapi": "3.0.3", "info": {"title": "T"}, "paths": {}}'


def test_intersected_with_the_paths_given(repo: Path) -> None:
    (repo / "api" / "users.yaml").write_text(BROKEN, encoding="utf-8")
    (repo / "other" / "spec.json").write_text(BROKEN_JSON, encoding="utf-8")
    lines = _lint(repo, "other")
    assert {f[0] for f in text_findings("\n".join(lines))} == {"other/spec.json"}
    named = _lint(repo, "api/users.yaml", "api/orders.yaml")
    assert {f[0] for f in text_findings("\n".join(named))} == {"api/users.yaml"}
    assert named[-1].endswith("in 1 file.")


def test_paths_are_relative_to_the_working_directory(repo: Path) -> None:
    (repo / "api" / "users.yaml").write_text(BROKEN, encoding="utf-8")
    (repo / "other" / "spec.json").write_text(BROKEN_JSON, encoding="utf-8")
    lines = _lint(repo, cwd=repo / "api")  # the default "." is the api directory
    assert {f[0] for f in text_findings("\n".join(lines))} == {"users.yaml"}


def test_a_changed_referenced_file_lints_its_root(repo: Path) -> None:
    (repo / "split" / "paths" / "users.yaml").write_text(
        SPLIT_PATH.replace("{description: Users}", "{summary: Users}"), encoding="utf-8"
    )
    install_description_rule(repo, "select: [response-description]\n")
    result = run_cli("lint", "--changed-since", "base", cwd=repo)
    assert text_findings(result.stdout) == [
        (
            "split/paths/users.yaml",
            3,
            5,
            "warning",
            "response-description",
            "'description' must be present and not empty",
        )
    ]
    assert result.stdout.splitlines()[-1].endswith("in 1 file.")  # the root, split/openapi.yaml
    assert specs_to_lint([repo / "split" / "paths" / "users.yaml"], [str(repo)]) == [
        str(repo / "split" / "openapi.yaml")  # absolute: the working directory is elsewhere
    ]
    assert referenced_files(repo / "split" / "openapi.yaml") == {
        repo / "split" / "paths" / "users.yaml"
    }


def test_config_exclude_applies(repo: Path) -> None:
    (repo / "api" / "users.yaml").write_text(BROKEN, encoding="utf-8")
    (repo / "other" / "spec.json").write_text(BROKEN_JSON, encoding="utf-8")
    (repo / "apilint.yaml").write_text(
        "select: [spec-invalid]\nexclude: ['other/**']\n", encoding="utf-8"
    )
    result = run_cli("lint", "--changed-since", "base", cwd=repo)
    assert {f[0] for f in text_findings(result.stdout)} == {"api/users.yaml"}


def test_branch_changes_are_measured_from_the_merge_base(repo: Path) -> None:
    git(repo, "checkout", "-qb", "feature")
    (repo / "api" / "users.yaml").write_text(BROKEN, encoding="utf-8")
    git(repo, "commit", "-qam", "feature work")
    git(repo, "checkout", "-q", "main")
    (repo / "api" / "orders.yaml").write_text(BROKEN, encoding="utf-8")
    git(repo, "commit", "-qam", "meanwhile on main")
    git(repo, "checkout", "-q", "feature")
    result = run_cli("lint", *NO_CONFIG, "--changed-since", "main", cwd=repo)
    # orders.yaml changed on main, not on this branch: not linted
    assert {f[0] for f in text_findings(result.stdout)} == {"api/users.yaml"}


def test_errors_are_one_line(repo: Path, tmp_path: Path) -> None:
    unknown = run_cli("lint", "--changed-since", "no-such-rev", cwd=repo)
    assert unknown.returncode == 2
    assert unknown.stderr == "apilint: error: --changed-since: unknown revision 'no-such-rev'\n"
    outside = tmp_path / "not-a-repo"
    outside.mkdir()
    result = run_cli("lint", "--changed-since", "HEAD", cwd=outside)
    assert result.returncode == 2
    assert result.stderr.startswith("apilint: error: --changed-since: ")
    assert result.stderr.endswith("is not inside a git repository\n")
    option = run_cli("lint", "--changed-since", "--all", cwd=repo)
    assert option.returncode == 2
    assert option.stderr == "apilint: error: --changed-since: '--all' is not a git revision\n"
    stdin = run_cli("lint", "-", "--changed-since", "HEAD", cwd=repo, stdin=CLEAN)
    assert stdin.returncode == 2
    assert "can't be used with '-'" in stdin.stderr
    write = run_cli("lint", "--changed-since", "HEAD", "--write-baseline", "b.json", cwd=repo)
    assert write.returncode == 2
    assert "--write-baseline records every finding" in write.stderr


def test_no_specs_without_changed_since_is_a_usage_error(tmp_path: Path) -> None:
    result = run_cli("lint", cwd=tmp_path)
    assert result.returncode == 2
    assert "Missing argument 'SPECS...'" in result.stderr


def test_find_repo_root(repo: Path, tmp_path: Path) -> None:
    assert find_repo_root(repo / "api") == repo
    assert find_repo_root(tmp_path) is None or find_repo_root(tmp_path) != repo


def test_changed_files_outside_a_repository(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not inside a git repository"):
        changed_files("HEAD", tmp_path)


def test_a_named_root_is_linted_when_its_reference_changed(repo: Path) -> None:
    changed = [repo / "split" / "paths" / "users.yaml"]
    root = str(repo / "split" / "openapi.yaml")
    assert specs_to_lint(changed, [root]) == [root]
    assert specs_to_lint(changed, [str(repo / "api" / "users.yaml")]) == []


def test_without_git(repo: Path) -> None:
    result = run_cli("lint", "--changed-since", "HEAD", cwd=repo, env={"PATH": "/nonexistent"})
    assert result.returncode == 2
    assert result.stderr == "apilint: error: --changed-since needs git, and git is not installed\n"
