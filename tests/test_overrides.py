"""Severity overrides (``rules:``) and per-path / per-file overrides (``overrides:``) in config."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from ci_support import TEST_RULES
from conftest import run_cli

from apilint.core.errors import ConfigError
from apilint.lint.engine import Linter
from apilint.settings.config import parse_config

PATHS = [
    "/legacy",
    "/legacy/users",
    "/legacy/users/{id}",
    "/legacyish",
    "/users",
    "/users/{id}",
    "/users/{id}/posts",
    "/v1/admin",
    "/v1/x/y/admin",
]


def _spec(paths: list[str]) -> str:
    lines = ["openapi: 3.0.3", "info: {title: T, version: '1'}", "paths:"]
    for path in paths:
        lines += [f"  {path}:", "    get:", "      responses:", "        '200': {content: {}}"]
    return "\n".join(lines) + "\n"


Lint = Callable[..., dict[tuple[str, str], str]]


@pytest.fixture
def lint(tmp_path: Path) -> Lint:
    """Lint a spec of PATHS with a config (YAML text); {(rule, api path or pointer): severity}."""
    (tmp_path / "rules.yaml").write_text(TEST_RULES, encoding="utf-8")

    def run(
        config: str, *, spec: str | None = None, name: str = "api.yaml"
    ) -> dict[tuple[str, str], str]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(spec or _spec(PATHS), encoding="utf-8")
        data = yaml.safe_load("extends: [./rules.yaml]\n" + config)
        linter = Linter(parse_config(data, tmp_path / "apilint.yaml"))
        findings, _ = linter.lint_file(tmp_path / name)
        out = {}
        for f in findings:
            where = f.operation.split(" ", 1)[1] if f.operation else f.pointer
            out[(f.rule, where)] = f.severity.label
        return out

    return run


def test_severity_overrides(lint: Lint) -> None:
    found = lint(
        "rules: {operation-summary: error, response-description: off, info-contact: warning}\n"
    )
    assert {sev for (rule, _), sev in found.items() if rule == "operation-summary"} == {"error"}
    assert not [k for k in found if k[0] == "response-description"]
    assert found[("info-contact", "/info/contact")] == "warning"
    as_mapping = lint("rules: {op-summary: {severity: info}}\n")  # by alias, long form
    assert {sev for (rule, _), sev in as_mapping.items() if rule == "operation-summary"} == {"info"}


@pytest.mark.parametrize(
    ("pattern", "matched"),
    [
        ("/legacy/**", ["/legacy", "/legacy/users", "/legacy/users/{id}"]),
        ("/legacy/*", ["/legacy/users"]),
        ("/legacy*", ["/legacy", "/legacyish"]),
        ("/users/*", ["/users/{id}"]),
        ("/users/{id}", ["/users/{id}"]),
        ("/users/*/posts", ["/users/{id}/posts"]),
        ("/v1/**/admin", ["/v1/admin", "/v1/x/y/admin"]),
        ("**/admin", ["/v1/admin", "/v1/x/y/admin"]),
        ("/**", PATHS),
    ],
)
def test_path_globs(lint: Lint, pattern: str, matched: list[str]) -> None:
    config = f"overrides:\n  - paths: ['{pattern}']\n    ignore: [operation-summary]\n"
    found = lint(config)
    reported = {where for (rule, where) in found if rule == "operation-summary"}
    assert sorted(set(PATHS) - reported) == sorted(matched)


def test_override_changes_severity_under_a_path_and_later_overrides_win(lint: Lint) -> None:
    config = """\
overrides:
  - paths: ["/legacy/**"]
    rules: {operation-summary: info, response-description: error}
  - paths: ["/legacy/users/*"]
    rules: {op-summary: error}
"""
    found = lint(config)
    assert found[("operation-summary", "/legacy")] == "info"
    assert found[("operation-summary", "/legacy/users")] == "info"
    assert found[("operation-summary", "/legacy/users/{id}")] == "error"
    assert found[("operation-summary", "/users")] == "warning"
    assert found[("response-description", "/legacy/users")] == "error"
    assert found[("response-description", "/users")] == "warning"


def test_override_ignore_takes_families_aliases_and_all(lint: Lint) -> None:
    by_alias = lint("overrides: [{paths: ['/users/**'], ignore: [op-summary]}]\n")
    assert ("operation-summary", "/users") not in by_alias
    assert ("response-description", "/users") in by_alias
    everything = lint("overrides: [{paths: ['/users/**'], ignore: [all]}]\n")
    assert not [k for k in everything if k[1].startswith("/users")]
    assert ("info-contact", "/info/contact") in everything  # not under a path: untouched
    family = lint("overrides: [{paths: ['/users/**'], ignore: [rules]}]\n")  # rules.yaml's rules
    assert sorted({r for r, where in family if where.startswith("/users")}) == ["spec-invalid"]


def test_findings_outside_paths_ignore_path_overrides(lint: Lint) -> None:
    found = lint("overrides: [{paths: ['/**'], ignore: [info-contact]}]\n")
    assert ("info-contact", "/info/contact") in found


def test_path_override_applies_inside_a_referenced_file(lint: Lint, tmp_path: Path) -> None:
    (tmp_path / "legacy.yaml").write_text(
        "get:\n  responses:\n    '200': {content: {}}\n", encoding="utf-8"
    )
    spec = (
        "openapi: 3.0.3\ninfo: {title: T, version: '1'}\n"
        "paths:\n  /legacy/x:\n    $ref: ./legacy.yaml\n"
    )
    plain = lint("", spec=spec)
    assert ("response-description", "/legacy/x") in plain
    relaxed = lint(
        "overrides: [{paths: ['/legacy/**'], ignore: [response-description]}]\n", spec=spec
    )
    assert ("response-description", "/legacy/x") not in relaxed


@pytest.mark.parametrize(
    ("glob", "name", "applies"),
    [
        ("specs/legacy.yaml", "specs/legacy.yaml", True),
        ("specs/*.yaml", "specs/legacy.yaml", True),
        ("specs/*.yaml", "specs/old/legacy.yaml", False),
        ("specs/**", "specs/old/legacy.yaml", True),
        ("specs/**/*.yaml", "specs/legacy.yaml", True),
        ("legacy.yaml", "specs/old/legacy.yaml", True),  # no slash: the file name anywhere
        ("legacy.yaml", "specs/new.yaml", False),
        ("./specs/*.yaml", "specs/legacy.yaml", True),
    ],
)
def test_file_globs_are_relative_to_the_config(
    lint: Lint, glob: str, name: str, applies: bool
) -> None:
    config = f"overrides: [{{files: ['{glob}'], rules: {{operation-summary: error}}}}]\n"
    found = lint(config, name=name)
    severity = found[("operation-summary", "/users")]
    assert severity == ("error" if applies else "warning")


def test_paths_and_files_together_must_both_match(lint: Lint) -> None:
    config = "overrides: [{files: ['api.yaml'], paths: ['/users'], ignore: [operation-summary]}]\n"
    found = lint(config)
    assert ("operation-summary", "/users") not in found
    assert ("operation-summary", "/users/{id}") in found
    other = lint(config, name="other.yaml")
    assert ("operation-summary", "/users") in other


def test_file_override_from_another_working_directory(tmp_path: Path) -> None:
    (tmp_path / "rules.yaml").write_text(TEST_RULES, encoding="utf-8")
    (tmp_path / "apilint.yaml").write_text(
        "extends: [./rules.yaml]\nselect: [operation-summary]\n"
        "overrides: [{files: ['specs/legacy/*.yaml'], ignore: [operation-summary]}]\n",
        encoding="utf-8",
    )
    legacy = tmp_path / "specs" / "legacy"
    legacy.mkdir(parents=True)
    (legacy / "api.yaml").write_text(_spec(["/x"]), encoding="utf-8")
    (tmp_path / "specs" / "api.yaml").write_text(_spec(["/x"]), encoding="utf-8")
    from_root = run_cli("lint", "specs/legacy/api.yaml", "specs/api.yaml", cwd=tmp_path)
    assert [line.split(":")[0] for line in from_root.stdout.splitlines()[:-1]] == ["specs/api.yaml"]
    from_inside = run_cli("lint", "api.yaml", "../api.yaml", cwd=legacy)  # config found upwards
    reported = {line.split(":")[0] for line in from_inside.stdout.splitlines()[:-1]}
    assert reported == {str(tmp_path / "specs" / "api.yaml")}


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ("overrides: [{paths: ['/x'], rules: {nope: info}}]\n", "unknown rule 'nope' in overrides"),
        ("overrides: [{paths: ['/x'], ignore: [nope]}]\n", "unknown rule or ruleset 'nope'"),
        (
            "overrides: [{paths: ['/x'], rules: {info-contact: {options: {a: 1}}}}]\n",
            "overrides can change a rule's severity, not its options",
        ),
        ("overrides: [{paths: ['/x'], rules: {info-contact: loud}}]\n", "severity must be"),
        ("overrides: [{paths: '/x', colour: red}]\n", "unknown key 'colour'"),
    ],
)
def test_bad_overrides_are_errors(lint: Lint, config: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        lint(config)


AMBIGUOUS = """\
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /users/{id}:
    get: {responses: {'200': {description: ok}}}
  /users/me:
    get: {responses: {'200': {description: ok}}}
"""


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ({}, "info"),  # the rule's milder case, as the check reports it
        ({"rules": {"path-ambiguous": "error"}}, "error"),  # the user's choice stands
        ({"rules": {"path-ambiguous": "warning"}}, "warning"),
    ],
)
def test_a_configured_severity_wins_over_a_checks_milder_case(
    tmp_path: Path, config: dict[str, object], expected: str
) -> None:
    spec = tmp_path / "api.yaml"
    spec.write_text(AMBIGUOUS, encoding="utf-8")
    data = {"select": ["path-ambiguous"], **config}
    findings, _ = Linter(parse_config(data, tmp_path / "apilint.yaml")).lint_file(spec)
    assert [(f.rule, f.severity.label) for f in findings] == [("path-ambiguous", expected)]
