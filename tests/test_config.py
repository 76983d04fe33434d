"""Configuration: discovery, every key checked, rule severities and options, user rulesets."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from apilint.core.errors import ConfigError
from apilint.core.findings import Severity
from apilint.lint.engine import Linter
from apilint.settings.config import Config, find_config, load_config, parse_size

BAD_SPEC = """\
openapi: 3.0.3
info: {title: T}
paths: {}
"""


def write(base: Path, name: str, text: str) -> Path:
    path = base / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


@pytest.mark.parametrize("name", ["apilint.yaml", ".apilint.yaml", "apilint.yml"])
def test_config_is_found_walking_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    write(tmp_path, name, "ignore: [duplicate-key]\n")
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)
    assert find_config() == (tmp_path / name).resolve()
    assert load_config().ignore == ["duplicate-key"]


def test_pyproject_section(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(
        tmp_path, "pyproject.toml", '[project]\nname = "x"\n\n[tool.apilint]\nfail-on = "warning"\n'
    )
    monkeypatch.chdir(tmp_path)
    config = load_config()
    assert config.fail_on == "warning"
    assert config.source == (tmp_path / "pyproject.toml").resolve()


def test_pyproject_without_section_is_skipped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, "pyproject.toml", '[project]\nname = "x"\n')
    sub = tmp_path / "sub"
    sub.mkdir()
    write(sub, "pyproject.toml", "[tool.black]\nline-length = 1\n")
    monkeypatch.chdir(sub)
    found = find_config()
    assert found is None or not str(found).startswith(str(tmp_path))


def test_nearest_config_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, "apilint.yaml", "fail-on: info\n")
    write(tmp_path / "inner", ".apilint.yaml", "fail-on: never\n")
    monkeypatch.chdir(tmp_path / "inner")
    assert load_config().fail_on == "never"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("selct: [all]\n", "unknown key 'selct'"),
        ("fail-on: sometimes\n", "fail-on must be one of"),
        ("rules: {spec-invalid: loud}\n", "severity must be"),
        ("rules: {no-such-rule: warning}\n", "unknown rule 'no-such-rule'"),
        ("ignore: [no-such-rule]\n", "unknown rule or ruleset 'no-such-rule'"),
        ("select: [spec-invalid, typo-rule]\n", "'typo-rule'"),
        ("rules: {spec-invalid: {severty: error}}\n", "unknown key 'severty'"),
        ("rules: {spec-invalid: {options: {nope: 1}}}\n", "no option 'nope'"),
        ("max-file-size: huge\n", "max-file-size"),
        ("overrides: [{ignore: [spec-invalid]}]\n", "needs 'paths'"),
        ("overrides: [{paths: ['/x/**'], rules: {nope: info}}]\n", "unknown rule 'nope'"),
        ("extends: [missing-ruleset.yaml]\n", "not found"),
        ("[1, 2]\n", "must be a mapping"),
        ("a: [\n", "invalid YAML"),
    ],
)
def test_bad_config_names_the_problem(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, "apilint.yaml", text)
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("(", r"\(")):
        Linter(load_config(path))


def test_severity_override_and_off(tmp_path: Path) -> None:
    spec = write(tmp_path, "api.yaml", BAD_SPEC)
    config = load_config(write(tmp_path, "apilint.yaml", "rules: {spec-invalid: warning}\n"))
    findings, _ = Linter(config).lint_file(spec)
    assert [(f.rule, f.severity) for f in findings] == [("spec-invalid", Severity.WARNING)]
    config = load_config(write(tmp_path, "apilint.yaml", "rules: {spec-invalid: off}\n"))
    assert Linter(config).lint_file(spec)[0] == []


def test_select_ignore_and_families(tmp_path: Path) -> None:
    spec = write(tmp_path, "api.yaml", BAD_SPEC)
    assert Linter(Config(), select=["duplicate-key"]).lint_file(spec)[0] == []
    assert Linter(Config(), ignore=["spec"]).lint_file(spec)[0] == []
    assert len(Linter(Config(), select=["spec"]).lint_file(spec)[0]) == 1
    assert len(Linter(Config(), select=["all"]).lint_file(spec)[0]) == 1


def test_user_ruleset_with_core_functions(tmp_path: Path) -> None:
    write(
        tmp_path,
        "house-rules.yaml",
        """\
        rules:
          info-contact:
            description: The API names a contact.
            severity: error
            given: info
            then:
              field: contact
              function: truthy
          operation-ids-camel:
            description: operationIds are camelCase.
            given: $.paths[*][get,post,put,patch,delete]
            then:
              field: operationId
              function: casing
              functionOptions: {type: camel}
          duplicate-key: info
        """,
    )
    config = load_config(write(tmp_path, "apilint.yaml", "extends: [house-rules.yaml]\n"))
    spec = write(
        tmp_path,
        "api.yaml",
        """\
        openapi: 3.0.3
        info: {title: T, version: "1"}
        paths:
          /a:
            get:
              operationId: get_things
              responses: {"200": {description: ok}}
        """,
    )
    linter = Linter(config)
    findings, _ = linter.lint_file(spec)
    got = {(f.rule, f.pointer, f.severity.label) for f in findings}
    assert got == {
        ("info-contact", "/info/contact", "error"),
        ("operation-ids-camel", "/paths/~1a/get/operationId", "warning"),
    }
    assert next(r for r in linter.rules if r.id == "duplicate-key").severity is Severity.INFO


def test_user_check_functions_module(tmp_path: Path) -> None:
    write(
        tmp_path,
        "checks.py",
        """\
        from apilint.lint.checks import Option, check

        @check("title_prefix", prefix=Option(str, "ACME", "Required prefix."))
        def title_prefix(targets, options, ctx):
            for node in targets:
                title = node.get("title", "")
                if not title.startswith(options["prefix"]):
                    yield node.finding(f"title must start with {options['prefix']}", "title")
        """,
    )
    write(
        tmp_path,
        "rules.yaml",
        """\
        functions: [checks.py]
        rules:
          title-prefix:
            description: Titles carry the company prefix.
            given: info
            then: {function: title_prefix, functionOptions: {prefix: "Acme "}}
        """,
    )
    config = load_config(write(tmp_path, "apilint.yaml", "extends: [rules.yaml]\n"))
    spec = write(
        tmp_path, "api.yaml", 'openapi: 3.0.3\ninfo: {title: T, version: "1"}\npaths: {}\n'
    )
    findings, _ = Linter(config).lint_file(spec)
    assert [(f.rule, f.message, f.line) for f in findings] == [
        ("title-prefix", "title must start with Acme ", 2)
    ]


def test_bad_user_rule_definitions(tmp_path: Path) -> None:
    cases = {
        "rules: {Bad_Id: {given: info, then: {function: truthy}}}\n": "kebab-case",
        "rules: {r: {given: info}}\n": "'then' is required",
        "rules: {r: {given: info, then: {function: nope}}}\n": "unknown check function 'nope'",
        "rules: {r: {given: nowhere, then: {function: truthy}}}\n": "neither a named target",
        "rules: {r: {given: '$..[?(@.x ==)]', then: {function: truthy}}}\n": "filter expression",
        "rules: {r: {given: info, then: {function: pattern, functionOptions: {match: 3}}}}\n": "must be str",
        "rules: {spec-invalid: {given: info, then: {function: truthy}}}\n": "already defined",
        "rules: {r: {given: info, then: {function: truthy}, formats: [oas9]}}\n": "unknown format",
    }
    for text, message in cases.items():
        write(tmp_path, "r.yaml", text)
        config = load_config(write(tmp_path, "apilint.yaml", "extends: [r.yaml]\n"))
        with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("?", r"\?")):
            Linter(config)


def test_rule_options_from_config_reach_the_function(tmp_path: Path) -> None:
    write(
        tmp_path,
        "r.yaml",
        """\
        rules:
          short-title:
            description: Titles are short.
            given: info
            then: {field: title, function: length, functionOptions: {max: 100}}
        """,
    )
    config = load_config(
        write(
            tmp_path,
            "apilint.yaml",
            "extends: [r.yaml]\nrules: {short-title: {options: {max: 3}}}\n",
        )
    )
    spec = write(
        tmp_path, "api.yaml", 'openapi: 3.0.3\ninfo: {title: Long, version: "1"}\npaths: {}\n'
    )
    [finding] = Linter(config).lint_file(spec)[0]
    assert finding.rule == "short-title" and "at most 3" in finding.message


@pytest.mark.parametrize(
    ("text", "size"),
    [("64MB", 64 * 1024**2), ("512k", 512 * 1024), (1000, 1000), ("1.5G", int(1.5 * 1024**3))],
)
def test_sizes(text: object, size: int) -> None:
    assert parse_size(text, "x") == size


def test_ids_of_other_commands_are_valid_in_a_lint_config(tmp_path: Path) -> None:
    config = load_config(
        write(
            tmp_path,
            "apilint.yaml",
            "ignore: [traffic-unused]\nrules: {unexpected-redirect: warning}\n",
        )
    )
    spec = write(tmp_path, "api.yaml", BAD_SPEC)
    assert [f.rule for f in Linter(config).lint_file(spec)[0]] == ["spec-invalid"]
