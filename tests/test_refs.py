"""$ref resolution: local and relative-file refs, findings inside referenced files, recursion
and cycles, and the errors for refs that cannot be followed."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from apilint.core.errors import LoadError, RefError
from apilint.lint.engine import Linter
from apilint.settings.config import Config


def write(base: Path, name: str, text: str) -> Path:
    path = base / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


ROOT = """\
openapi: 3.0.3
info: {title: T, version: "1"}
paths:
  /users:
    $ref: "paths/users.yaml"
components:
  schemas:
    Node:
      type: object
      properties:
        children:
          type: array
          items: {$ref: "#/components/schemas/Node"}
"""

USERS = """\
get:
  parameters:
    - $ref: "../common.yaml#/parameters/Limit"
  responses:
    "200":
      descripton: users
"""

COMMON = """\
parameters:
  Limit:
    name: limit
    in: query
    schema: {type: integer}
"""


def test_finding_in_a_referenced_file_points_into_that_file(tmp_path: Path) -> None:
    root = write(tmp_path, "api.yaml", ROOT)
    write(tmp_path, "paths/users.yaml", USERS)
    write(tmp_path, "common.yaml", COMMON)
    findings, _ = Linter(Config(), select=["spec-invalid"]).lint_file(root)
    # The root document's structure is valid: the Path Item is a $ref. apilint validates the
    # root against the OpenAPI schema; the referenced file's content is checked by the rules
    # that look at operations.
    assert findings == []


def test_operations_behind_refs_are_linted_where_they_are_written(tmp_path: Path) -> None:
    root = write(tmp_path, "api.yaml", ROOT)
    write(tmp_path, "paths/users.yaml", USERS.replace("descripton", "description"))
    write(tmp_path, "common.yaml", COMMON)
    linter = Linter(Config(), select=["spec"])  # the structural rules this test is about
    from apilint.documents.loader import load_document
    from apilint.documents.openapi import OpenAPI
    from apilint.documents.refs import Resolver

    doc = load_document(root)
    resolver = Resolver(doc)
    resolver.check_all()
    api = OpenAPI(doc, resolver)
    [op] = api.operations
    assert op.label == "GET /users"
    assert op.node.doc.name.endswith("users.yaml")
    assert op.node.ptr == ("get",)
    [param] = op.parameters
    assert param.doc.name.endswith("common.yaml")
    assert param.ptr == ("parameters", "Limit")
    assert param.doc.locate(param.ptr) == (2, 3)
    assert linter.lint_file(root)[0] == []


def test_recursive_schemas_are_fine(tmp_path: Path) -> None:
    # The recursive schema is used by an operation, so every rule walks it.
    content = "{'*/*': {schema: {$ref: '#/components/schemas/Node'}}}"
    get = f"get: {{responses: {{'200': {{description: ok, content: {content}}}}}}}"
    root = write(tmp_path, "api.yaml", ROOT.replace('$ref: "paths/users.yaml"', get))
    findings, _ = Linter(Config()).lint_file(root)
    assert findings == []


def test_missing_local_ref_is_an_error_with_its_position(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        "api.yaml",
        """\
        openapi: 3.0.3
        info: {title: T, version: "1"}
        paths:
          /a:
            get:
              responses:
                "200":
                  $ref: "#/components/responses/Nope"
        """,
    )
    with pytest.raises(RefError) as caught:
        Linter(Config()).lint_file(root)
    error = caught.value
    assert (error.line, error.column) == (8, 11)
    assert "points to nothing" in error.message and "/components/responses/Nope" in error.message


def test_missing_file_ref_is_an_error(tmp_path: Path) -> None:
    root = write(tmp_path, "api.yaml", ROOT)
    with pytest.raises(RefError, match="no such file"):
        Linter(Config()).lint_file(root)


def test_self_referencing_chain_is_reported_not_followed(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        "api.yaml",
        """\
        openapi: 3.0.3
        info: {title: T, version: "1"}
        paths: {}
        components:
          schemas:
            A: {$ref: "#/components/schemas/B"}
            B: {$ref: "#/components/schemas/A"}
        """,
    )
    with pytest.raises(RefError, match="leads back to itself") as caught:
        Linter(Config()).lint_file(root)
    assert "#/components/schemas/A" in caught.value.message


def test_a_ref_to_itself(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        "api.yaml",
        """\
        openapi: 3.0.3
        info: {title: T, version: "1"}
        paths: {}
        components:
          schemas:
            A: {$ref: "#/components/schemas/A"}
        """,
    )
    with pytest.raises(LoadError, match="leads back to itself"):
        Linter(Config()).lint_file(root)


def test_cycle_across_files(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        "api.yaml",
        """\
        openapi: 3.0.3
        info: {title: T, version: "1"}
        paths: {}
        components:
          schemas:
            A: {$ref: "other.yaml#/B"}
        """,
    )
    write(tmp_path, "other.yaml", 'B: {$ref: "api.yaml#/components/schemas/A"}\n')
    with pytest.raises(RefError, match="leads back to itself"):
        Linter(Config()).lint_file(root)


def test_refs_inside_examples_and_extensions_are_literal(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        "api.yaml",
        """\
        openapi: 3.0.3
        info: {title: T, version: "1"}
        x-vendor: {$ref: "#/nowhere"}
        paths:
          /a:
            get:
              responses:
                "200":
                  description: ok
                  content:
                    application/json:
                      examples:
                        one:
                          value: {$ref: "#/literal"}
                    text/plain:
                      example: {$ref: "#/also/nowhere"}
        """,
    )
    assert Linter(Config()).lint_file(root)[0] == []


def test_remote_refs_are_not_fetched_by_default(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        "api.yaml",
        """\
        openapi: 3.0.3
        info: {title: T, version: "1"}
        paths:
          /a:
            get:
              responses:
                "200": {$ref: "https://example.invalid/responses.yaml#/Ok"}
        """,
    )
    findings, notes = Linter(Config()).lint_file(root)
    assert findings == []
    assert any("remote $ref" in note for note in notes)


def test_refs_may_not_leave_the_spec_directory(tmp_path: Path) -> None:
    write(tmp_path, "secret.yaml", "Ok: {description: secret}\n")
    root = write(
        tmp_path,
        "specs/api.yaml",
        """\
        openapi: 3.0.3
        info: {title: T, version: "1"}
        paths:
          /a:
            get:
              responses:
                "200": {$ref: "../secret.yaml#/Ok"}
        """,
    )
    with pytest.raises(RefError, match="outside"):
        Linter(Config()).lint_file(root)
    # Allowed with an explicit ref root.
    assert Linter(Config(), ref_root=tmp_path).lint_file(root)[0] == []
