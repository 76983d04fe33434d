"""Spectral-style core functions and JSONPath givens, as users write them in their own rulesets."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from apilint.core.errors import ConfigError
from apilint.lint.engine import Linter
from apilint.settings.config import load_config

SPEC = """\
openapi: 3.0.3
info:
  title: Pets
  version: "1"
tags:
  - name: zebra
  - name: alpha
paths:
  /pets:
    get:
      operationId: list_pets
      summary: ""
      tags: [alpha]
      responses:
        "200": {description: ok}
    post:
      operationId: createPet
      responses:
        "201": {description: created}
  /pets/{id}:
    parameters:
      - {name: id, in: path, required: true, schema: {type: string}}
    get:
      operationId: getPet
      responses:
        "200": {description: ok}
"""


def run(tmp_path: Path, rule: str) -> list[tuple[str, str]]:
    (tmp_path / "rules.yaml").write_text("rules:\n" + textwrap.indent(textwrap.dedent(rule), "  "))
    (tmp_path / "apilint.yaml").write_text("extends: [rules.yaml]\nselect: [r]\n")
    (tmp_path / "api.yaml").write_text(SPEC)
    findings, _ = Linter(load_config(tmp_path / "apilint.yaml")).lint_file(tmp_path / "api.yaml")
    return [(f.pointer, f.message) for f in findings]


CASES = [
    # (rule body, expected pointers)
    (
        "given: $.paths[*][*]\nthen: {field: summary, function: truthy}",
        # [*][*] also selects the path-level "parameters" list, as in Spectral.
        [
            "/paths/~1pets/get/summary",
            "/paths/~1pets/post/summary",
            "/paths/~1pets~1{id}/get/summary",
            "/paths/~1pets~1{id}/parameters/summary",
        ],
    ),
    (
        "given: $.paths[*][get,post]\nthen: {field: summary, function: defined}",
        ["/paths/~1pets/post/summary", "/paths/~1pets~1{id}/get/summary"],
    ),
    (
        "given: $.paths[*][*]\nthen: {field: summary, function: undefined}",
        ["/paths/~1pets/get/summary"],
    ),
    (
        "given: operations\nthen: {field: operationId, function: casing, functionOptions: {type: camel}}",
        ["/paths/~1pets/get/operationId"],
    ),
    (
        "given: operations\nthen: {field: operationId, function: pattern, functionOptions: {match: '^[a-z][a-zA-Z]+$'}}",
        ["/paths/~1pets/get/operationId"],
    ),
    (
        "given: operations\nthen: {field: operationId, function: pattern, functionOptions: {notMatch: '/_/'}}",
        ["/paths/~1pets/get/operationId"],
    ),
    ("given: $.tags\nthen: {function: alphabetical, functionOptions: {keyedBy: name}}", ["/tags"]),
    (
        "given: $.info\nthen: {field: title, function: length, functionOptions: {min: 5}}",
        ["/info/title"],
    ),
    (
        "given: $..parameters[*]\nthen: {field: in, function: enumeration, functionOptions: {values: [query]}}",
        ["/paths/~1pets~1{id}/parameters/0/in"],
    ),
    (
        "given: $.info\nthen:\n  function: schema\n  functionOptions:\n    schema: {type: object, required: [contact]}",
        ["/info"],
    ),
    ("given: $.paths[*]~\nthen: {function: truthy}", []),  # the path templates: all truthy
    ("given: $.paths[(@.length)]\nthen: {function: truthy}", None),  # unreadable: ConfigError
    (
        "given: $.paths[*].get.responses[*]\nthen: {field: '@key', function: pattern, functionOptions: {match: '^2'}}",
        [],
    ),
    (
        "given: $.paths['/pets'].post\nthen: {field: operationId, function: falsy}",
        ["/paths/~1pets/post/operationId"],
    ),
    (
        "given: $..operationId\nthen: {function: pattern, functionOptions: {match: '^[a-z]+$'}}",
        [
            "/paths/~1pets/get/operationId",
            "/paths/~1pets/post/operationId",
            "/paths/~1pets~1{id}/get/operationId",
        ],
    ),
]


@pytest.mark.parametrize(("rule", "expected"), CASES)
def test_core_function(tmp_path: Path, rule: str, expected: list[str] | None) -> None:
    body = "r:\n  description: A test rule.\n" + textwrap.indent(rule, "  ") + "\n"
    if expected is None:
        with pytest.raises(ConfigError):
            run(tmp_path, body)
        return
    assert sorted(p for p, _ in run(tmp_path, body)) == sorted(expected)


def test_message_template(tmp_path: Path) -> None:
    body = (
        "r:\n  description: Summaries.\n  message: 'Operation {{path}} needs {{property}}: {{error}}'\n"
        "  given: operations\n  then: {field: summary, function: truthy}\n"
    )
    messages = [m for _, m in run(tmp_path, body)]
    assert (
        "Operation /paths/~1pets/post/summary needs summary: 'summary' must be present and not empty"
        in messages
    )


def test_results_carry_the_operation(tmp_path: Path) -> None:
    body = "r:\n  description: d\n  given: $.paths[*][get,post]\n  then: {field: summary, function: truthy}\n"
    (tmp_path / "rules.yaml").write_text("rules:\n" + textwrap.indent(body, "  "))
    (tmp_path / "apilint.yaml").write_text("extends: [rules.yaml]\nselect: [r]\n")
    (tmp_path / "api.yaml").write_text(SPEC)
    findings, _ = Linter(load_config(tmp_path / "apilint.yaml")).lint_file(tmp_path / "api.yaml")
    assert {f.operation for f in findings} == {"GET /pets", "POST /pets", "GET /pets/{id}"}
