"""Inline suppressions: ``x-apilint-ignore: [rule-id, ...]`` on any object silences those rules
for that object and everything under it; entries that silence nothing are reported."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from ci_support import NO_CONFIG, TEST_RULES
from conftest import run_cli

from apilint.lint.engine import Linter
from apilint.settings.config import Config

SELECTED = [
    "operation-summary",
    "response-description",
    "parameter-description",
    "unused-suppression",
]


def _spec(paths: str, extra: str = "") -> str:
    return (
        "openapi: 3.0.3\ninfo: {title: T, version: '1'}\n"
        + extra
        + "paths:\n"
        + textwrap.indent(textwrap.dedent(paths).strip("\n") + "\n", "  ")
    )


TWO_OPERATIONS = """\
/a:
  get:
    parameters:
      - {name: q, in: query, schema: {type: string}}
    responses:
      "200": {content: {}}
/b:
  get:
    responses:
      "200": {content: {}}
"""


Lint = Callable[..., list[tuple[str, str]]]


@pytest.fixture
def lint(tmp_path: Path) -> Lint:
    (tmp_path / "rules.yaml").write_text(TEST_RULES, encoding="utf-8")

    def run(
        text: str, *, name: str = "api.yaml", select: list[str] | None = None, **config: object
    ) -> list[tuple[str, str]]:
        (tmp_path / name).write_text(text, encoding="utf-8")
        linter = Linter(
            Config(extends=[tmp_path / "rules.yaml"], **config),  # type: ignore[arg-type]
            select=select or SELECTED,
        )
        findings, _ = linter.lint_file(tmp_path / name)
        return [(f.rule, f.pointer) for f in findings]

    return run


def _op_c(*lines: str) -> str:
    """Paths with one operation, GET /c, carrying ``lines`` and a documented response."""
    body = "".join(f"    {line}\n" for line in lines)
    return _spec("/c:\n  get:\n" + body + "    responses:\n      '200': {description: ok}\n")


def _rules_at(found: list[tuple[str, str]], prefix: str) -> list[str]:
    return sorted(rule for rule, pointer in found if pointer.startswith(prefix))


def test_without_suppressions(lint: Lint) -> None:
    found = lint(_spec(TWO_OPERATIONS))
    assert sorted(found) == [
        ("operation-summary", "/paths/~1a/get/summary"),
        ("operation-summary", "/paths/~1b/get/summary"),
        ("parameter-description", "/paths/~1a/get/parameters/0/description"),
        ("response-description", "/paths/~1a/get/responses/200/description"),
        ("response-description", "/paths/~1b/get/responses/200/description"),
    ]


def test_on_an_operation_silences_that_rule_there_and_below(lint: Lint) -> None:
    spec = _spec(
        TWO_OPERATIONS.replace(
            "  get:\n    parameters:",
            "  get:\n    x-apilint-ignore: [operation-summary, response-description]\n"
            "    parameters:",
            1,
        )
    )
    found = lint(spec)
    assert _rules_at(found, "/paths/~1a") == ["parameter-description"]
    assert _rules_at(found, "/paths/~1b") == ["operation-summary", "response-description"]


def test_on_a_path_item_and_at_the_root(lint: Lint) -> None:
    on_path = lint(_spec(TWO_OPERATIONS.replace("/b:\n", "/b:\n  x-apilint-ignore: [all]\n")))
    assert _rules_at(on_path, "/paths/~1b") == []
    assert len(_rules_at(on_path, "/paths/~1a")) == 3
    at_root = lint(_spec(TWO_OPERATIONS, extra="x-apilint-ignore: [response-description]\n"))
    assert [r for r, _ in at_root if r == "response-description"] == []
    assert len(at_root) == 3


def test_single_string_and_list_items(lint: Lint) -> None:
    spec = _spec(
        TWO_OPERATIONS.replace(
            "- {name: q, in: query, schema: {type: string}}",
            "- {name: q, in: query, schema: {type: string},"
            " x-apilint-ignore: parameter-description}",
        )
    )
    found = lint(spec)
    assert "parameter-description" not in {r for r, _ in found}
    assert "unused-suppression" not in {r for r, _ in found}


def test_finding_at_a_missing_member_is_covered_by_its_parent(lint: Lint) -> None:
    spec = _spec(
        TWO_OPERATIONS.replace(
            '"200": {content: {}}',
            '"200": {content: {}, x-apilint-ignore: [response-description]}',
            1,
        )
    )
    found = lint(spec)
    assert _rules_at(found, "/paths/~1a/get/responses") == []


def test_unused_and_unknown_entries_are_reported_where_they_are(lint: Lint, tmp_path: Path) -> None:
    spec = _spec(
        TWO_OPERATIONS.replace(
            "/b:\n  get:\n",
            "/b:\n  get:\n    summary: B\n"
            "    x-apilint-ignore: [operation-summary, no-such-rule]\n",
        )
    )
    found = lint(spec)
    unused = [(r, p) for r, p in found if r == "unused-suppression"]
    assert unused == [
        ("unused-suppression", "/paths/~1b/get/x-apilint-ignore/0"),
        ("unused-suppression", "/paths/~1b/get/x-apilint-ignore/1"),
    ]
    linter = Linter(Config(extends=[tmp_path / "rules.yaml"]), select=SELECTED)
    findings, _ = linter.lint_file(tmp_path / "api.yaml")
    messages = {f.message: (f.line, f.column) for f in findings if f.rule == "unused-suppression"}
    assert messages == {
        "x-apilint-ignore entry 'operation-summary' suppresses nothing here; remove it": (13, 26),
        "x-apilint-ignore names an unknown rule 'no-such-rule'": (13, 45),
    }


def test_aliases_suppress_and_unused_aliases_are_reported(lint: Lint) -> None:
    used = lint(
        _spec(
            TWO_OPERATIONS.replace(
                "/a:\n  get:\n", "/a:\n  get:\n    x-apilint-ignore: [op-summary]\n"
            )
        )
    )
    assert ("operation-summary", "/paths/~1a/get/summary") not in used
    assert "unused-suppression" not in {r for r, _ in used}
    unused = lint(
        _spec(
            TWO_OPERATIONS.replace(
                "/a:\n  get:\n", "/a:\n  get:\n    summary: A\n    x-apilint-ignore: [op-summary]\n"
            )
        )
    )
    assert ("unused-suppression", "/paths/~1a/get/x-apilint-ignore/0") in unused


def test_all_that_silences_nothing_is_reported(lint: Lint) -> None:
    spec = _op_c("summary: C", "x-apilint-ignore: [all]")
    assert lint(spec) == [("unused-suppression", "/paths/~1c/get/x-apilint-ignore/0")]


def test_entries_for_rules_that_did_not_run_are_not_judged(lint: Lint) -> None:
    spec = _op_c("summary: C", "x-apilint-ignore: [parameter-description]")
    assert lint(spec, select=["operation-summary", "unused-suppression"]) == []
    assert lint(spec) == [("unused-suppression", "/paths/~1c/get/x-apilint-ignore/0")]


def test_unused_suppression_can_itself_be_silenced(lint: Lint) -> None:
    spec = _op_c("summary: C", "x-apilint-ignore: [unused-suppression, response-description]")
    assert lint(spec) == []


def test_in_a_referenced_file(lint: Lint, tmp_path: Path) -> None:
    (tmp_path / "users.yaml").write_text(
        "get:\n  x-apilint-ignore: [operation-summary, parameter-description]\n"
        "  responses:\n    '200': {content: {}}\n",
        encoding="utf-8",
    )
    spec = _spec("/users:\n  $ref: './users.yaml'\n")
    (tmp_path / "api.yaml").write_text(spec, encoding="utf-8")
    linter = Linter(Config(extends=[tmp_path / "rules.yaml"]), select=SELECTED)
    findings, _ = linter.lint_file(tmp_path / "api.yaml")
    got = sorted((Path(f.file).name, f.rule, f.pointer, f.line) for f in findings)
    assert got == [
        ("users.yaml", "response-description", "/get/responses/200/description", 4),
        ("users.yaml", "unused-suppression", "/get/x-apilint-ignore/1", 2),
    ]


def test_swagger_2_and_json(lint: Lint) -> None:
    swagger = (
        '{"swagger": "2.0", "info": {"title": "T", "version": "1"}, "paths": {"/a": {"get": '
        '{"x-apilint-ignore": ["operation-summary"], '
        '"responses": {"200": {"description": "ok"}}}}}}'
    )
    assert lint(swagger, name="api.json") == []


def test_cli_reports_an_unused_suppression_with_its_location(tmp_path: Path) -> None:
    (tmp_path / "api.yaml").write_text(
        _op_c("x-apilint-ignore: [spec-invalid]"),
        encoding="utf-8",
    )
    result = run_cli("lint", "api.yaml", *NO_CONFIG, cwd=tmp_path)
    assert result.returncode == 0  # a warning
    assert result.stdout.splitlines()[0] == (
        "api.yaml:6:26: warning unused-suppression: x-apilint-ignore entry 'spec-invalid' "
        "suppresses nothing here; remove it"
    )


def test_all_does_not_silence_the_suppression_housekeeping(lint: Lint) -> None:
    spec = _spec(
        TWO_OPERATIONS.replace(
            "/b:\n  get:\n", "/b:\n  get:\n    x-apilint-ignore: [no-such-rule]\n"
        ),
        extra="x-apilint-ignore: [all]\n",
    )
    assert lint(spec) == [("unused-suppression", "/paths/~1b/get/x-apilint-ignore/0")]
