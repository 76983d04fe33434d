"""The comparison's checks, one change at a time: what is reported, at which severity and place,
and what is deliberately not (renamed path parameters, schemas moved into components, widened
requests, narrowed responses)."""

from __future__ import annotations

from pathlib import Path

import pytest
from diff_support import diff_paths, diff_specs, rules, write_pair

from apilint.core.findings import Severity
from apilint.diff.run import DiffSettings

USERS = """
paths:
  /users:
    get:
      operationId: listUsers
      responses:
        "200": {description: Users}
    post:
      responses:
        "201": {description: Created}
  /users/{id}:
    get:
      parameters: [{name: id, in: path, required: true, schema: {type: integer}}]
      responses:
        "200": {description: A user}
"""


def _schema_pair(old: str, new: str, where: str = "response") -> tuple[str, str]:
    """Two descriptions whose only difference is one schema, used in a request or response."""
    template = """
paths:
  /things:
    post:
      requestBody:
        content:
          application/json:
            schema: {request}
      responses:
        "200":
          description: A thing
          content:
            application/json:
              schema: {response}
"""
    neutral = "{type: object}"
    if where == "response":
        return (
            template.replace("{request}", neutral).replace("{response}", old),
            template.replace("{request}", neutral).replace("{response}", new),
        )
    return (
        template.replace("{response}", neutral).replace("{request}", old),
        template.replace("{response}", neutral).replace("{request}", new),
    )


def test_removed_and_added_operations(tmp_path: Path) -> None:
    new = USERS.replace(
        """    post:
      responses:
        "201": {description: Created}
""",
        "",
    ).replace("/users/{id}:", "/teams/{id}:")
    findings = diff_specs(tmp_path, USERS, new)
    by_rule = {f.rule: f for f in findings}
    assert rules(findings) == ["operation-removed", "path-added", "path-removed"]
    assert by_rule["operation-removed"].message == "POST /users was removed"
    assert by_rule["operation-removed"].file.endswith("old/openapi.yaml")
    assert by_rule["operation-removed"].pointer == "/paths/~1users/post"
    assert by_rule["path-removed"].severity is Severity.ERROR
    assert by_rule["path-added"].severity is Severity.INFO
    assert by_rule["path-added"].file.endswith("new/openapi.yaml")


def test_removing_a_deprecated_operation_is_a_warning(tmp_path: Path) -> None:
    old = USERS.replace("    post:\n", "    post:\n      deprecated: true\n")
    new = USERS.replace('    post:\n      responses:\n        "201": {description: Created}\n', "")
    [finding] = diff_specs(tmp_path, old, new)
    assert finding.rule == "operation-removed"
    assert finding.severity is Severity.WARNING
    assert "deprecated" in finding.message


def test_renamed_path_parameter_is_no_change(tmp_path: Path) -> None:
    new = USERS.replace("/users/{id}:", "/users/{userId}:").replace("name: id,", "name: userId,")
    assert diff_specs(tmp_path, USERS, new) == []


def test_identical_documents(tmp_path: Path) -> None:
    old_path, new_path = write_pair(tmp_path, USERS, USERS)
    findings, notes = diff_paths(old_path, new_path)
    assert findings == []
    assert any(note.startswith("no changes:") for note in notes)


def test_operation_id_changed_is_info(tmp_path: Path) -> None:
    [finding] = diff_specs(tmp_path, USERS, USERS.replace("listUsers", "getUsers"))
    assert finding.rule == "operation-id-changed"
    assert finding.severity is Severity.INFO
    assert finding.pointer == "/paths/~1users/get/operationId"


# -- trailing slashes ---------------------------------------------------------------------------


def _slashed(
    framework: str | None, old: str = "/users:", new: str = "/users/:"
) -> dict[str, object]:
    return {"settings": DiffSettings(framework=framework), "new": USERS.replace(old, new)}


@pytest.mark.parametrize(
    ("framework", "get_severity", "post_severity", "words"),
    [
        (None, Severity.ERROR, Severity.ERROR, "308 redirect from Flask"),
        ("flask", Severity.WARNING, Severity.WARNING, "308 redirect to /users/"),
        ("django", Severity.WARNING, Severity.ERROR, "301 redirect to /users/"),
        ("starlette", Severity.WARNING, Severity.WARNING, "307 redirect to /users/"),
        ("none", Severity.ERROR, Severity.ERROR, "404"),
    ],
)
def test_trailing_slash_gained(
    tmp_path: Path,
    framework: str | None,
    get_severity: Severity,
    post_severity: Severity,
    words: str,
) -> None:
    case = _slashed(framework)
    findings = diff_specs(tmp_path, USERS, str(case["new"]), settings=case["settings"])  # type: ignore[arg-type]
    slash = {f.operation: f for f in findings if f.rule == "trailing-slash-changed"}
    assert set(slash) == {"GET /users/", "POST /users/"}
    assert slash["GET /users/"].severity is get_severity
    assert slash["POST /users/"].severity is post_severity
    assert words in slash["POST /users/"].message
    if framework == "django":
        assert "resend the POST as a GET" in slash["POST /users/"].message
    # The operations are matched across the slash: nothing else is reported.
    assert {f.rule for f in findings} == {"trailing-slash-changed"}


def test_trailing_slash_lost_is_a_404_for_flask(tmp_path: Path) -> None:
    old = USERS.replace("/users:", "/users/:")
    findings = diff_specs(tmp_path, old, USERS, settings=DiffSettings(framework="flask"))
    assert {f.severity for f in findings} == {Severity.ERROR}
    assert all("404" in f.message for f in findings)
    starlette = diff_specs(tmp_path, old, USERS, settings=DiffSettings(framework="starlette"))
    assert {f.severity for f in starlette} == {Severity.WARNING}


# -- requests -----------------------------------------------------------------------------------

PARAMS = """
paths:
  /items:
    get:
      parameters:
        - {name: limit, in: query, schema: {type: integer, maximum: 100}}
        - {name: sort, in: query, schema: {type: string, enum: [asc, desc]}}
      responses:
        "200": {description: Items}
"""


@pytest.mark.parametrize(
    ("old_text", "new_text", "expected", "severity"),
    [
        (
            "- {name: limit, in: query, schema:",
            "- {name: limit, in: query, required: true, schema:",
            "request-parameter-became-required",
            Severity.ERROR,
        ),
        ("maximum: 100", "maximum: 50", "request-constraint-tightened", Severity.ERROR),
        ("enum: [asc, desc]", "enum: [asc]", "request-enum-value-removed", Severity.ERROR),
        (
            "name: sort, in: query",
            "name: sort, in: header",
            "request-parameter-location-changed",
            Severity.ERROR,
        ),
        ("name: sort,", "name: order,", "request-parameter-renamed", Severity.WARNING),
        (
            "name: sort, in: query,",
            "name: order, in: query, required: true,",
            "request-parameter-renamed",
            Severity.ERROR,
        ),
        ("type: integer, maximum: 100", "type: string", "request-type-changed", Severity.ERROR),
    ],
)
def test_request_parameter_changes(
    tmp_path: Path, old_text: str, new_text: str, expected: str, severity: Severity
) -> None:
    findings = diff_specs(tmp_path, PARAMS, PARAMS.replace(old_text, new_text))
    assert [f.rule for f in findings] == [expected], findings
    assert findings[0].severity is severity


def test_request_parameter_added(tmp_path: Path) -> None:
    extra = "        - {name: X-Tenant, in: header, required: true, schema: {type: string}}\n"
    optional = "        - {name: q, in: query, schema: {type: string}}\n"
    anchor = "      responses:"
    findings = diff_specs(tmp_path, PARAMS, PARAMS.replace(anchor, extra + optional + anchor, 1))
    assert rules(findings) == ["request-parameter-added", "request-required-parameter-added"]
    required = next(f for f in findings if f.rule == "request-required-parameter-added")
    assert "'X-Tenant'" in required.message and required.severity is Severity.ERROR


def test_widening_a_request_is_no_break(tmp_path: Path) -> None:
    new = PARAMS.replace("type: integer, maximum: 100", "type: number, maximum: 200").replace(
        "enum: [asc, desc]", "enum: [asc, desc, random]"
    )
    assert diff_specs(tmp_path, PARAMS, new) == []


def test_bound_set_where_there_was_none_is_a_warning(tmp_path: Path) -> None:
    new = PARAMS.replace("enum: [asc, desc]", "enum: [asc, desc], maxLength: 4")
    [finding] = diff_specs(tmp_path, PARAMS, new)
    assert finding.rule == "request-constraint-tightened"
    assert finding.severity is Severity.WARNING
    assert "none -> maxLength 4" in finding.message


def test_request_body_required_and_required_property(tmp_path: Path) -> None:
    old, new = _schema_pair(
        "{type: object, properties: {name: {type: string}, id: {type: integer}}}",
        "{type: object, required: [name, id, email], properties: {name: {type: string}, "
        "id: {type: integer, readOnly: true}, email: {type: string}}}",
        where="request",
    )
    new = new.replace("      requestBody:\n", "      requestBody:\n        required: true\n")
    findings = diff_specs(tmp_path, old, new)
    messages = sorted(f.message for f in findings if f.rule == "request-required-property-added")
    # id is readOnly: clients never send it, so requiring it breaks nobody.
    assert messages == [
        "POST /things request body (application/json) property 'email' is new and required",
        "POST /things request body (application/json) property 'name' became required",
    ]
    assert "request-body-required" in rules(findings)


def test_request_media_type_removed(tmp_path: Path) -> None:
    old, new = _schema_pair("{type: object}", "{type: object}", where="request")
    old = old.replace(
        "          application/json:\n            schema: {type: object}\n",
        "          application/json:\n            schema: {type: object}\n"
        "          application/xml:\n            schema: {type: object}\n",
        1,
    )
    [finding] = diff_specs(tmp_path, old, new)
    assert finding.rule == "request-media-type-removed"
    assert "'application/xml'" in finding.message


# -- responses ----------------------------------------------------------------------------------

USER_SCHEMA = (
    "{type: object, required: [id, name], properties: {id: {type: integer}, "
    "name: {type: string}, nick: {type: string}, status: {type: string, enum: [on, off]}}}"
)


@pytest.mark.parametrize(
    ("old_text", "new_text", "expected", "severity"),
    [
        (", nick: {type: string}", "", "response-property-removed", Severity.ERROR),
        ("required: [id, name]", "required: [id]", "response-property-optional", Severity.WARNING),
        (
            "name: {type: string}",
            "name: {type: string, nullable: true}",
            "response-property-nullable",
            Severity.WARNING,
        ),
        ("enum: [on, off]", "enum: [on, off, gone]", "response-enum-value-added", Severity.WARNING),
        ("id: {type: integer}", "id: {type: number}", "response-type-changed", Severity.ERROR),
        ("nick: {type: string}", "nick: {type: string, maxLength: 10}", None, None),
        ("id: {type: integer}", "id: {type: integer, format: int32}", None, None),
        ("nick: {type: string}", "nick: {type: string, format: date}", None, None),
        (
            "nick: {type: string}",
            "nick: {type: string, format: byte}",
            None,
            None,
        ),
    ],
)
def test_response_schema_changes(
    tmp_path: Path,
    old_text: str,
    new_text: str,
    expected: str | None,
    severity: Severity | None,
) -> None:
    old, new = _schema_pair(USER_SCHEMA, USER_SCHEMA.replace(old_text, new_text))
    findings = diff_specs(tmp_path, old, new)
    assert [f.rule for f in findings] == ([expected] if expected else []), findings
    if expected:
        assert findings[0].severity is severity


def test_nullable_in_openapi_31_type_list(tmp_path: Path) -> None:
    old, new = _schema_pair(
        "{type: object, properties: {name: {type: string}}}",
        "{type: object, properties: {name: {type: [string, 'null']}}}",
    )
    findings = diff_specs(tmp_path, old, new, version="3.1.0")
    assert rules(findings) == ["response-property-nullable"]


def test_success_status_and_media_type_removed(tmp_path: Path) -> None:
    old = """
paths:
  /report:
    get:
      responses:
        "200":
          description: Report
          content:
            application/json: {schema: {type: object}}
            text/csv: {schema: {type: string}}
        "202": {description: Accepted}
"""
    new = old.replace("            text/csv: {schema: {type: string}}\n", "").replace(
        '        "202": {description: Accepted}\n', '        "2XX": {description: Accepted}\n'
    )
    assert rules(diff_specs(tmp_path, old, new)) == ["response-media-type-removed"]
    gone = old.replace('        "202": {description: Accepted}\n', "")
    [finding] = diff_specs(tmp_path, old, gone)
    assert finding.rule == "response-success-status-removed"
    assert finding.pointer == "/paths/~1report/get/responses/202"


# -- $refs, shared components, other files ------------------------------------------------------


def test_schema_moved_into_components_is_no_change(tmp_path: Path) -> None:
    old, _ = _schema_pair(USER_SCHEMA, USER_SCHEMA)
    new = (
        old.replace(
            "              schema: " + USER_SCHEMA,
            "              schema: {$ref: '#/components/schemas/User'}",
        )
        + f"components:\n  schemas:\n    User: {USER_SCHEMA}\n"
    )
    assert diff_specs(tmp_path, old, new) == []


def test_shared_component_reported_once_with_its_operations(tmp_path: Path) -> None:
    body = """
paths:
  /a:
    get:
      responses:
        "200":
          description: A
          content: {application/json: {schema: {$ref: '#/components/schemas/User'}}}
  /b:
    get:
      responses:
        "200":
          description: B
          content: {application/json: {schema: {$ref: '#/components/schemas/User'}}}
components:
  schemas:
    User: USER
"""
    old = body.replace("USER", USER_SCHEMA)
    new = body.replace("USER", USER_SCHEMA.replace(", nick: {type: string}", ""))
    [finding] = diff_specs(tmp_path, old, new)
    assert finding.rule == "response-property-removed"
    assert finding.pointer == "/components/schemas/User/properties/nick"
    assert finding.message == (
        "response schema 'User' property 'nick' was removed (in GET /a and 1 other operation)"
    )


def test_ref_to_another_file_compared_by_target(tmp_path: Path) -> None:
    body = """
paths:
  /pets:
    get:
      responses:
        "200":
          description: Pets
          content: {application/json: {schema: {$ref: 'pet.yaml'}}}
"""
    old_path, new_path = write_pair(tmp_path, body, body)
    (old_path.parent / "pet.yaml").write_text("type: object\nproperties: {id: {type: integer}}\n")
    (new_path.parent / "pet.yaml").write_text("type: object\nproperties: {id: {type: string}}\n")
    [finding] = diff_paths(old_path, new_path)[0]
    assert finding.rule == "response-type-changed"
    assert finding.file.endswith("new/pet.yaml")
    assert (finding.line, finding.pointer) == (2, "/properties/id/type")


def test_recursive_schema_with_a_change_deep_inside(tmp_path: Path) -> None:
    body = """
paths:
  /tree:
    get:
      responses:
        "200":
          description: Tree
          content: {application/json: {schema: {$ref: '#/components/schemas/Node'}}}
components:
  schemas:
    Node:
      type: object
      properties:
        children: {type: array, items: {$ref: '#/components/schemas/Node'}}
        leaf: {$ref: '#/components/schemas/Leaf'}
    Leaf: {type: object, properties: {value: {type: integer}}}
"""
    new = body.replace("value: {type: integer}", "value: {type: string}")
    [finding] = diff_specs(tmp_path, body, new)
    assert finding.rule == "response-type-changed"
    assert diff_specs(tmp_path, body, body) == []


# -- security, servers --------------------------------------------------------------------------

SECURED = """
components:
  securitySchemes:
    oauth: {type: oauth2, flows: {clientCredentials: {tokenUrl: /token, scopes: {read: r, admin: a}}}}
    key: {type: apiKey, in: header, name: X-Key}
paths:
  /data:
    get:
      security: SECURITY
      responses:
        "200": {description: Data}
"""


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("[]", "[{key: []}]", ["security-requirement-added"]),
        ("[{oauth: [read]}]", "[{oauth: [read, admin]}]", ["security-scope-added"]),
        ("[{key: []}]", "[{key: []}, {oauth: [read]}]", []),
        ("[{key: []}]", "[{}, {key: []}]", []),
    ],
)
def test_security(tmp_path: Path, old: str, new: str, expected: list[str]) -> None:
    findings = diff_specs(
        tmp_path, SECURED.replace("SECURITY", old), SECURED.replace("SECURITY", new)
    )
    assert rules(findings) == expected


def test_server_base_path(tmp_path: Path) -> None:
    old = "servers: [{url: 'https://api.example.com/v1'}]\n" + USERS
    changed = diff_specs(tmp_path, old, old.replace("/v1", "/v2"))
    assert rules(changed) == ["server-base-path-changed"]
    moved = "servers: [{url: 'https://api.example.com'}]\n" + USERS.replace(
        "  /users", "  /v1/users"
    )
    assert diff_specs(tmp_path, old, moved) == []


# -- suppressions, config, versions -------------------------------------------------------------


def test_x_apilint_ignore_and_config(tmp_path: Path) -> None:
    old, new = _schema_pair(USER_SCHEMA, USER_SCHEMA.replace(", nick: {type: string}", ""))
    ignored = new.replace(
        "    post:\n", "    post:\n      x-apilint-ignore: [response-property-removed]\n"
    )
    # The removal is written in the old description: its suppression is read there.
    old_ignored = old.replace("    post:\n", "    post:\n      x-apilint-ignore: [all]\n")
    assert diff_specs(tmp_path, old_ignored, ignored) == []
    settings = DiffSettings(severities={"response-property-removed": Severity.INFO})
    [finding] = diff_specs(tmp_path, old, new, settings=settings)
    assert finding.severity is Severity.INFO
    off = DiffSettings(ignore=frozenset({"response-property-removed"}))
    assert diff_specs(tmp_path, old, new, settings=off) == []


def test_swagger_2_against_openapi_3(tmp_path: Path) -> None:
    old_path, new_path = write_pair(tmp_path, "", "")
    old_path.write_text(
        "swagger: '2.0'\ninfo: {title: t, version: '1'}\npaths:\n  /u:\n    get:\n"
        "      responses:\n        '200':\n          description: ok\n"
        "          schema: {type: object, properties: {id: {type: integer}, name: {type: string}}}\n"
    )
    new_path.write_text(
        "openapi: 3.0.3\ninfo: {title: t, version: '2'}\npaths:\n  /u:\n    get:\n"
        "      responses:\n        '200':\n          description: ok\n          content:\n"
        "            application/json:\n"
        "              schema: {type: object, properties: {id: {type: integer}}}\n"
    )
    findings, notes = diff_paths(old_path, new_path)
    assert rules(findings) == ["response-property-removed"]
    assert any("Swagger 2.0" in note and "OpenAPI 3.0.3" in note for note in notes)


def test_min_length_one_on_a_path_parameter_changes_nothing(tmp_path: Path) -> None:
    new = USERS.replace("schema: {type: integer}", "schema: {type: string, minLength: 1}")
    old = USERS.replace("schema: {type: integer}", "schema: {type: string}")
    assert diff_specs(tmp_path, old, new) == []
    longer = USERS.replace("schema: {type: integer}", "schema: {type: string, minLength: 3}")
    assert rules(diff_specs(tmp_path, old, longer)) == ["request-constraint-tightened"]


@pytest.mark.parametrize(
    ("old_format", "new_format", "expected"),
    [
        ("byte", "base64", []),
        ("int32", "int64", []),
        ("date", "date-time", ["request-type-changed"]),
        ("int64", "int32", ["request-type-changed"]),
    ],
)
def test_request_format_changes(
    tmp_path: Path, old_format: str, new_format: str, expected: list[str]
) -> None:
    kind = "integer" if old_format.startswith("int") else "string"
    old, new = _schema_pair(
        f"{{type: {kind}, format: {old_format}}}",
        f"{{type: {kind}, format: {new_format}}}",
        "request",
    )
    assert rules(diff_specs(tmp_path, old, new)) == expected
