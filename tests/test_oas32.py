"""OpenAPI 3.2 in every stage: the fixture set in tests/data/oas32 (one bad and one good file per
feature), the one definition of a Path Item's methods, and how findings, JSONPath rules,
traffic and $refs see QUERY, additionalOperations, querystring, itemSchema, $self and tag
parents."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

import apilint
from apilint.http.methods import path_item_methods, wire_name
from apilint.lint.checks import spec as spec_checks
from apilint.lint.engine import Linter
from apilint.settings.config import Config, load_config
from apilint.traffic.matcher import OPERATION, UNDOCUMENTED, Matcher, load_spec

FIXTURES = Path(__file__).parent / "data" / "oas32"

EXPECTED = {
    "query-method": {
        "query-request-body",
        "safe-method-action",
        "operation-id-method-mismatch",
        "path-verb",
    },
    "get-body": {"get-request-body"},
    "additional-operations": {
        "spec-invalid",
        "no-content-body",
        "additional-operation-fixed-method",
    },
    "version": {"spec-invalid"},
    "querystring": {"querystring-parameter", "spec-invalid"},
    "item-schema": {"item-schema-media-type", "required-property-undefined"},
    "self": {"spec-invalid"},
    "tag-parent": {"tag-parent"},
}


def _lint(path: Path) -> list[apilint.Finding]:
    result = apilint.lint(path, config=Config())
    result.raise_for_errors()
    return result.findings


def test_every_feature_has_a_bad_and_a_good_fixture() -> None:
    bad = {p.name.removesuffix(".bad.yaml") for p in FIXTURES.glob("*.bad.yaml")}
    good = {p.name.removesuffix(".good.yaml") for p in FIXTURES.glob("*.good.yaml")}
    assert bad == good == set(EXPECTED)


@pytest.mark.parametrize("feature", sorted(EXPECTED))
def test_bad_fixture_gives_exactly_its_findings(feature: str) -> None:
    findings = _lint(FIXTURES / f"{feature}.bad.yaml")
    assert {f.rule for f in findings} == EXPECTED[feature]


@pytest.mark.parametrize("feature", sorted(EXPECTED))
def test_good_fixture_is_clean(feature: str) -> None:
    assert [f"{f.rule}: {f.message}" for f in _lint(FIXTURES / f"{feature}.good.yaml")] == []


def test_findings_name_query_and_additional_operations_as_sent() -> None:
    findings = _lint(FIXTURES / "additional-operations.bad.yaml")
    by_rule = {f.rule: f for f in findings}
    assert by_rule["no-content-body"].operation == "PURGE /cache"
    assert by_rule["no-content-body"].message.startswith("PURGE /cache 204:")
    assert "'Get'" in by_rule["additional-operation-fixed-method"].message
    query = _lint(FIXTURES / "query-method.bad.yaml")
    assert {f.operation for f in query if f.rule != "path-verb"} == {"QUERY /orders/{id}/cancel"}


def test_get_body_suggests_query_only_on_32(tmp_path: Path) -> None:
    text = (FIXTURES / "get-body.bad.yaml").read_text(encoding="utf-8")
    (on_32,) = _lint(FIXTURES / "get-body.bad.yaml")
    older = tmp_path / "get-body-31.yaml"
    older.write_text(text.replace("openapi: 3.2.0", "openapi: 3.1.0"), encoding="utf-8")
    (on_31,) = _lint(older)
    assert "QUERY" in on_32.message
    assert "QUERY" not in on_31.message and "or use POST" in on_31.message


def test_older_versions_have_no_query_or_additional_operations() -> None:
    findings = _lint(FIXTURES / "version.bad.yaml")
    assert all(f.operation is None for f in findings)
    assert all("an OpenAPI 3.2 field" in f.message for f in findings)


def test_path_item_methods_is_the_one_definition() -> None:
    item = {
        "get": {},
        "query": {},
        "trace": {},
        "summary": "not an operation",
        "additionalOperations": {"PURGE": {}, "Purge": {}, "get": {}, "bad method": {}, "X": 1},
    }
    assert path_item_methods(item, "3.2") == [
        (("get",), "get"),
        (("trace",), "trace"),
        (("query",), "query"),
        (("additionalOperations", "PURGE"), "PURGE"),
        (("additionalOperations", "Purge"), "Purge"),
    ]
    assert [m for _, m in path_item_methods(item, "3.1")] == ["get", "trace"]
    assert [m for _, m in path_item_methods(item, "2.0")] == ["get"]  # no trace in Swagger 2.0
    assert [wire_name(m) for _, m in path_item_methods(item, "3.2")] == [
        "GET",
        "TRACE",
        "QUERY",
        "PURGE",
        "Purge",
    ]


def test_jsonpath_rules_see_additional_operations(tmp_path: Path) -> None:
    (tmp_path / "house.yaml").write_text(
        textwrap.dedent(
            """\
            rules:
              operation-summary:
                description: Operations have a summary.
                given: $.paths[*].additionalOperations[*]
                then: {field: summary, function: truthy}
            """
        ),
        encoding="utf-8",
    )
    (tmp_path / "apilint.yaml").write_text(
        "extends: [house.yaml]\nselect: [operation-summary]\n", encoding="utf-8"
    )
    findings, _ = Linter(load_config(tmp_path / "apilint.yaml")).lint_file(
        FIXTURES / "additional-operations.good.yaml"
    )
    assert [(f.pointer, f.operation) for f in findings] == [
        ("/paths/~1cache/additionalOperations/PURGE/summary", "PURGE /cache")
    ]


def test_spec_invalid_says_when_it_has_no_schema_for_the_version(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    spec_checks._validator.cache_clear()
    monkeypatch.setattr(spec_checks, "_schema_file", lambda version: tmp_path / "absent.json")
    try:
        findings = _lint(FIXTURES / "self.bad.yaml")
    finally:
        spec_checks._validator.cache_clear()
    (finding,) = [f for f in findings if f.rule == "spec-invalid"]
    assert finding.severity is apilint.Severity.INFO
    assert finding.message.startswith("OpenAPI 3.2 structure not checked")
    assert finding.pointer == "/openapi"


def test_refs_against_self_are_read_locally(tmp_path: Path) -> None:
    (tmp_path / "common.yaml").write_text(
        "Error: {type: object, required: [code], properties: {text: {type: string}}}\n",
        encoding="utf-8",
    )
    spec = tmp_path / "openapi.yaml"
    spec.write_text(
        textwrap.dedent(
            """\
            openapi: 3.2.0
            $self: https://api.example.invalid/specs/openapi.yaml
            info: {title: T, version: "1"}
            paths:
              /pets:
                get:
                  responses:
                    "204": {description: Pets}
                    "404":
                      description: Not found
                      content:
                        application/json:
                          schema: {$ref: "https://api.example.invalid/specs/common.yaml#/Error"}
            """
        ),
        encoding="utf-8",
    )
    result = apilint.lint(spec, config=Config())
    result.raise_for_errors()
    # The schema beside the description was read: its own problem is found there.
    assert [(f.rule, Path(f.file).name) for f in result.findings] == [
        ("required-property-undefined", "common.yaml")
    ]


def test_traffic_matches_query_and_additional_operations() -> None:
    matcher = Matcher(load_spec(str(FIXTURES / "version.good.yaml")))
    found = matcher.match("QUERY", "/orders?x=1")
    assert found.kind == OPERATION and found.route is not None
    assert found.route.label == "QUERY /orders"
    purge = matcher.match("PURGE", "/orders")
    assert purge.kind == OPERATION and purge.route is not None
    assert purge.route.label == "PURGE /orders"
    # Methods are case-sensitive: 'purge' is another method, and GET is not documented here.
    assert matcher.match("purge", "/orders").kind == UNDOCUMENTED
    assert matcher.match("GET", "/orders").kind == UNDOCUMENTED
