"""Description hygiene (rules/hygiene.yaml): examples against their schemas (in each OpenAPI
dialect), unused components, undefined security schemes, operation tags and required properties
nobody defines. Regression tests name the real-world pattern they come from."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from apilint.core.findings import Finding, Severity

Lint = Callable[..., list[Finding]]


def of(findings: list[Finding], rule: str) -> list[Finding]:
    return [f for f in findings if f.rule == rule]


def pointers(findings: list[Finding], rule: str) -> list[str]:
    return [f.pointer for f in of(findings, rule)]


def response_example(schema: str, example: str, version: str = "3.0.3") -> str:
    """A GET /thing whose 200 response has ``schema`` and ``example`` (YAML flow style)."""
    return f"""
        openapi: {version}
        info: {{title: T, version: "1"}}
        paths:
          /thing:
            get:
              responses:
                "200":
                  description: A thing
                  content:
                    application/json:
                      schema: {schema}
                      example: {example}
    """


EXAMPLE_PTR = "/paths/~1thing/get/responses/200/content/application~1json/example"


def check_example(lint: Lint, schema: str, example: str, version: str = "3.0.3") -> list[Finding]:
    return of(
        lint(response_example(schema, example, version), select=["example-invalid"]),
        "example-invalid",
    )


# -- example-invalid ----------------------------------------------------------------------------


def test_an_example_of_the_wrong_type_is_reported_at_the_value(lint: Lint) -> None:
    findings = check_example(
        lint,
        "{type: object, properties: {id: {type: integer}, name: {type: string}}}",
        '{id: "42", name: Ada}',
    )
    [finding] = findings
    assert finding.pointer == f"{EXAMPLE_PTR}/id"
    assert finding.severity is Severity.WARNING
    assert "the example of the 200 response (application/json)" in finding.message
    assert 'at /id: "42" is a string, not integer' in finding.message


def test_a_valid_example_passes(lint: Lint) -> None:
    assert (
        check_example(lint, "{type: object, properties: {id: {type: integer}}}", "{id: 42}") == []
    )
    # "example: null" more often means "no example" than "null is an example"
    assert check_example(lint, "{type: object}", "null") == []


def test_named_examples_behind_refs(lint: Lint) -> None:
    findings = lint(
        """
        paths:
          /thing:
            get:
              responses:
                "200":
                  description: A thing
                  content:
                    application/json:
                      schema: {$ref: "#/components/schemas/Thing"}
                      examples:
                        good: {value: {id: 1}}
                        bad: {$ref: "#/components/examples/BadThing"}
        components:
          schemas:
            Thing:
              type: object
              required: [id, name]
              properties:
                id: {type: integer}
                name: {type: string}
          examples:
            BadThing:
              value: {}
        """,
        select=["example-invalid"],
    )
    assert [(f.pointer, f.message) for f in findings] == [
        (
            "/paths/~1thing/get/responses/200/content/application~1json/examples/good/value",
            "example 'good' of the 200 response (application/json) does not match its schema: "
            "missing required property 'name'",
        ),
        (
            "/components/examples/BadThing/value",
            "example 'bad' of the 200 response (application/json) does not match its schema: "
            "missing required properties 'id', 'name'",
        ),
    ]


@pytest.mark.parametrize(
    ("schema", "example", "problem"),
    [
        (
            "{properties: {a: {type: string}}}",
            "{a: null}",
            "null is not allowed here: the schema says string",
        ),
        ("{type: integer, minimum: 0, exclusiveMinimum: true}", "0", "less than or equal to"),
        ("{type: string, enum: [a, b]}", "c", '"c" is not one of "a", "b"'),
        ("{type: string, format: date-time}", '"2024-01-01"', "is not a valid date-time"),
        ("{type: string, format: uuid}", '"not-a-uuid"', "is not a valid uuid"),
        ("{type: string, pattern: '^[a-z]+$'}", "ABC", "does not match the pattern"),
    ],
)
def test_openapi_30_keywords(lint: Lint, schema: str, example: str, problem: str) -> None:
    [finding] = check_example(lint, schema, example)
    assert problem in finding.message


@pytest.mark.parametrize(
    ("schema", "example"),
    [
        ("{properties: {a: {type: string, nullable: true}}}", "{a: null}"),
        ("{properties: {a: {type: string, nullable: true, enum: [x]}}}", "{a: null}"),
        ("{properties: {a: {nullable: true, allOf: [{type: object}]}}}", "{a: null}"),
        ("{properties: {a: {$ref: '#/components/schemas/Name', nullable: true}}}", "{a: null}"),
        ("{type: integer, minimum: 0, exclusiveMinimum: true}", "1"),
        ("{type: string, format: uri}", '"/relative/path"'),  # uri is not checked by default
        ("{type: string, format: int64}", '"123"'),  # OpenAPI formats are not JSON Schema's
    ],
)
def test_openapi_30_dialect_passes(lint: Lint, schema: str, example: str) -> None:
    body = response_example(schema, example) + "\n        components:\n"
    body += "          schemas:\n            Name: {type: string}\n"
    assert of(lint(body, select=["example-invalid"]), "example-invalid") == []


def test_checked_formats_are_an_option(lint: Lint) -> None:
    body = response_example("{type: string, format: uri}", '"/relative"')
    findings = lint(
        body, select=["example-invalid"], options={"example-invalid": {"formats": ["uri"]}}
    )
    assert ["is not a valid uri" in f.message for f in findings] == [True]


def test_openapi_31_is_json_schema_2020_12(lint: Lint) -> None:
    assert (
        check_example(lint, "{properties: {a: {type: [string, 'null']}}}", "{a: null}", "3.1.0")
        == []
    )
    assert check_example(lint, "{type: integer, exclusiveMinimum: 0}", "1", "3.1.0") == []
    [finding] = check_example(lint, "{type: integer, exclusiveMinimum: 0}", "0", "3.1.0")
    assert "less than or equal to" in finding.message
    # 3.0's nullable means nothing in 3.1
    [finding] = check_example(
        lint, "{properties: {a: {type: string, nullable: true}}}", "{a: null}", "3.1.0"
    )
    assert "null is not allowed" in finding.message


def test_schema_level_examples(lint: Lint) -> None:
    findings = lint(
        """
        openapi: 3.1.0
        info: {title: T, version: "1"}
        paths: {}
        components:
          schemas:
            Age:
              type: integer
              minimum: 0
              example: -1
              examples: [3, "three"]
        """,
        select=["example-invalid"],
    )
    assert pointers(findings, "example-invalid") == [
        "/components/schemas/Age/example",
        "/components/schemas/Age/examples/1",
    ]
    assert findings[0].message.startswith("the schema's example does not match its schema")


def test_read_only_and_write_only_properties_travel_one_way(lint: Lint) -> None:
    findings = lint(
        """
        paths:
          /users:
            post:
              requestBody:
                content:
                  application/json:
                    schema: {$ref: "#/components/schemas/User"}
                    example: {name: Ada, password: secret}
              responses:
                "201":
                  description: Created
                  content:
                    application/json:
                      schema: {$ref: "#/components/schemas/User"}
                      example: {name: Ada}
        components:
          schemas:
            User:
              type: object
              required: [id, name, password]
              properties:
                id: {type: integer, readOnly: true}
                name: {type: string}
                password: {type: string, writeOnly: true}
        """,
        select=["example-invalid"],
    )
    # the request may omit the readOnly id, the response the writeOnly password; the response
    # must have the id
    [finding] = findings
    assert finding.pointer.endswith("/responses/201/content/application~1json/example")
    assert "missing required property 'id'" in finding.message


def test_unreadable_parts_of_a_schema_accept_anything(lint: Lint) -> None:
    # a remote $ref is not fetched, and a pattern jsonschema-rs cannot compile skips the schema
    assert (
        check_example(
            lint,
            "{type: object, properties: {pet: {$ref: 'https://schemas.example.com/pet.json'}}}",
            "{pet: 12}",
        )
        == []
    )
    assert check_example(lint, "{type: string, pattern: '(unclosed'}", "anything") == []


@pytest.mark.parametrize(
    ("schema", "example"),
    [
        ("{type: integer}", "true"),  # a boolean is not an integer
        ("{type: integer}", "1.5"),
        ("{type: number}", "false"),
        ("{type: string, enum: [a, b]}", "c"),
        ("{type: integer, enum: [1, 2]}", "true"),  # true == 1 in Python, not in JSON Schema
        ("{enum: ['1']}", "1"),
        ("{type: string, format: date}", "2024-13-45"),
        ("{type: string, maxLength: 2}", "abc"),
        ("{type: [integer, string]}", "true"),
    ],
)
def test_scalar_examples_that_look_simple_still_fail(lint: Lint, schema: str, example: str) -> None:
    # Scalars on plain schemas are accepted without compiling a validator: never a wrong one.
    assert len(check_example(lint, schema, example)) == 1


def test_one_uncompilable_schema_does_not_hide_the_others(lint: Lint) -> None:
    # Referenced schemas are compiled together; one that cannot compile (its pattern is not a
    # regular expression) is skipped alone, and the rest are still checked.
    body = """
        openapi: 3.0.3
        info: {title: T, version: "1"}
        paths:
          /broken:
            get:
              responses:
                "200":
                  description: A broken thing
                  content:
                    application/json:
                      schema: {$ref: '#/components/schemas/Broken'}
                      example: x
          /thing:
            get:
              responses:
                "200":
                  description: A thing
                  content:
                    application/json:
                      schema: {$ref: '#/components/schemas/Code'}
                      example: 42
                    application/problem+json:
                      schema: {$ref: '#/components/schemas/Id'}
                      example: abc
        components:
          schemas:
            Broken: {type: string, pattern: '(unclosed'}
            Code: {type: string}
            Id: {type: integer}
    """
    findings = of(lint(body, select=["example-invalid"]), "example-invalid")
    assert [f.message.split(": ", 1)[1] for f in findings] == [
        "42 is an integer, not string",
        '"abc" is a string, not integer',
    ]


def test_refs_across_files(lint: Lint, tmp_path: Path) -> None:
    (tmp_path / "models.yaml").write_text(
        "Pet:\n  type: object\n  properties:\n    owner: {$ref: '#/Owner'}\n"
        "Owner:\n  type: object\n  properties:\n    age: {type: integer}\n",
        encoding="utf-8",
    )
    findings = check_example(lint, "{$ref: 'models.yaml#/Pet'}", "{owner: {age: old}}")
    [finding] = findings
    assert finding.pointer == f"{EXAMPLE_PTR}/owner/age"
    assert '"old" is a string, not integer' in finding.message


def test_recursive_schemas(lint: Lint) -> None:
    body = response_example(
        "{$ref: '#/components/schemas/Node'}", "{children: [{children: [{children: 3}]}]}"
    )
    body += """
        components:
          schemas:
            Node:
              type: object
              properties:
                children: {type: array, items: {$ref: '#/components/schemas/Node'}}
    """
    [finding] = of(lint(body, select=["example-invalid"]), "example-invalid")
    assert finding.pointer == f"{EXAMPLE_PTR}/children/0/children/0/children"


def test_swagger2_response_examples(lint: Lint) -> None:
    findings = lint(
        """
        swagger: "2.0"
        info: {title: T, version: "1"}
        paths:
          /pets:
            get:
              produces: [application/json, application/xml]
              responses:
                "200":
                  description: Pets
                  schema:
                    type: array
                    items:
                      type: object
                      properties:
                        id: {type: integer}
                        tag: {type: string, x-nullable: true}
                  examples:
                    application/json: [{id: 1, tag: null}, {id: two}]
                    application/xml: "<pets><pet><id>two</id></pet></pets>"
        """,
        select=["example-invalid"],
    )
    assert pointers(findings, "example-invalid") == [
        "/paths/~1pets/get/responses/200/examples/application~1json/1/id"
    ]
    assert "the application/json example of the 200 response" in findings[0].message


def test_examples_written_as_text(lint: Lint) -> None:
    # pdfbroker.io: a JSON document in a string; truora.com: a form body in its wire format.
    findings = lint(
        """
        paths:
          /a:
            post:
              requestBody:
                content:
                  application/json:
                    schema: {type: object, properties: {id: {type: integer}}}
                    example: '{"id": "x"}'
                  application/x-www-form-urlencoded:
                    schema: {type: object, properties: {id: {type: integer}}}
                    example: "id=1&name=Ada"
              responses:
                "204": {description: Done}
        """,
        select=["example-invalid"],
    )
    [finding] = findings
    assert finding.pointer == "/paths/~1a/post/requestBody/content/application~1json/example"
    assert 'at /id: "x" is a string, not integer' in finding.message


def test_allof_inheritance_next_to_additional_properties(lint: Lint) -> None:
    # Azure: Factory = allOf [Resource] + additionalProperties {type: object}; Resource's
    # "name" is not an additional property to anyone but a literal JSON Schema validator.
    body = response_example(
        "{$ref: '#/components/schemas/Factory'}", "{name: factory, identity: {}}"
    )
    body += """
        components:
          schemas:
            Resource:
              type: object
              properties:
                name: {type: string}
            Factory:
              type: object
              allOf: [{$ref: '#/components/schemas/Resource'}]
              additionalProperties: {type: object}
              properties:
                identity: {type: object}
    """
    assert of(lint(body, select=["example-invalid"]), "example-invalid") == []


def test_autorest_free_form_objects(lint: Lint) -> None:
    # Azure (AutoRest) writes "type: object" alone for "any JSON value".
    body = response_example(
        "{type: object, properties: {schema: {type: object}}}", "{schema: [{name: col1}]}"
    )
    assert of(lint(body, select=["example-invalid"]), "example-invalid")  # plain OpenAPI
    body = body.replace("paths:", "x-ms-paths: {}\n        paths:", 1)
    assert of(lint(body, select=["example-invalid"]), "example-invalid") == []


def test_one_of_points_into_the_closest_alternative(lint: Lint) -> None:
    # GitHub: a single-select field example whose options have the wrong shape.
    schema = """{oneOf: [
        {type: object, required: [issue_field_id], additionalProperties: false,
         properties: {issue_field_id: {type: integer}}},
        {type: object, required: [name, options], additionalProperties: false,
         properties: {name: {type: string},
                      options: {type: array, items: {type: object,
                                properties: {name: {type: string}}}}}}]}"""
    example = "{name: Priority, options: [{name: {raw: Low}}]}"
    [finding] = check_example(lint, schema.replace("\n", " "), example)
    assert finding.pointer == f"{EXAMPLE_PTR}/options/0/name"
    assert "(in the closest of its oneOf alternatives)" in finding.message
    # overlapping alternatives are the schema's business, not the example's
    assert check_example(lint, "{oneOf: [{type: object}, {type: object}]}", "{a: 1}") == []


def test_a_wrong_type_hides_its_consequences(lint: Lint) -> None:
    [finding] = check_example(lint, "{type: string, enum: [a, b], minLength: 1}", "[a]")
    assert "is an array, not string" in finding.message


def test_ref_objects_inside_examples(lint: Lint) -> None:
    # GitHub writes {"$ref": "#/components/examples/..."} inside example values.
    findings = check_example(
        lint,
        "{type: object, properties: {repository: {type: object, required: [id]}}}",
        "{repository: {$ref: '#/components/examples/repo'}}",
    )
    [finding] = findings
    assert finding.pointer == f"{EXAMPLE_PTR}/repository"
    assert "holds a $ref object at /repository" in finding.message


def test_findings_per_example_are_capped(lint: Lint) -> None:
    props = ", ".join(f"p{i}: {{type: integer}}" for i in range(7))
    example = ", ".join(f"p{i}: x" for i in range(7))
    findings = check_example(lint, f"{{type: object, properties: {{{props}}}}}", f"{{{example}}}")
    assert len(findings) == 5
    noted = [f for f in findings if f.message.endswith("(and 2 more problems in this example)")]
    assert len(noted) == 1
    fewer = lint(
        response_example(f"{{type: object, properties: {{{props}}}}}", f"{{{example}}}"),
        select=["example-invalid"],
        options={"example-invalid": {"maxPerExample": 2}},
    )
    assert len(fewer) == 2


def test_parameter_and_header_examples(lint: Lint) -> None:
    findings = lint(
        """
        paths:
          /things:
            get:
              parameters:
                - name: limit
                  in: query
                  schema: {type: integer, maximum: 100}
                  example: 500
              responses:
                "200":
                  description: Things
                  headers:
                    X-Rate-Limit:
                      schema: {type: integer}
                      examples:
                        typical: {value: many}
        """,
        select=["example-invalid"],
    )
    assert pointers(findings, "example-invalid") == [
        "/paths/~1things/get/parameters/0/example",
        "/paths/~1things/get/responses/200/headers/X-Rate-Limit/examples/typical/value",
    ]
    assert "parameter 'limit'" in findings[0].message
    assert "header 'X-Rate-Limit'" in findings[1].message


# -- unused-component ---------------------------------------------------------------------------

USES_USER = """
        paths:
          /users:
            get:
              responses:
                "200":
                  description: Users
                  content:
                    application/json:
                      schema: {$ref: "#/components/schemas/User"}
"""


def test_an_unused_schema(lint: Lint) -> None:
    findings = lint(
        USES_USER
        + """
        components:
          schemas:
            User:
              type: object
              properties:
                address: {$ref: "#/components/schemas/Address"}
            Address: {type: object}
            LegacyUser: {type: object}
        """,
        select=["unused-component"],
    )
    [finding] = findings
    assert finding.pointer == "/components/schemas/LegacyUser"
    assert finding.severity is Severity.WARNING
    assert "schema 'LegacyUser' is defined but nothing refers to it" in finding.message


def test_an_unused_group_is_reported_at_its_root(lint: Lint) -> None:
    findings = lint(
        USES_USER
        + """
        components:
          schemas:
            User: {type: object}
            OldReport:
              type: object
              properties:
                rows: {type: array, items: {$ref: "#/components/schemas/OldRow"}}
            OldRow:
              type: object
              properties:
                cells: {type: array, items: {$ref: "#/components/schemas/OldCell"}}
            OldCell: {type: object}
            Ping:
              properties: {pong: {$ref: "#/components/schemas/Pong"}}
            Pong:
              properties: {ping: {$ref: "#/components/schemas/Ping"}}
        """,
        select=["unused-component"],
    )
    assert pointers(findings, "unused-component") == [
        "/components/schemas/OldReport",
        "/components/schemas/Ping",
    ]
    assert "refers to 2 other unused components: 'OldRow', 'OldCell'" in findings[0].message
    assert "refers to 1 other unused components: 'Pong'" in findings[1].message


def test_security_schemes_are_used_by_requirements(lint: Lint) -> None:
    findings = lint(
        """
        security:
          - apiKey: []
        paths:
          /users:
            get:
              security:
                - oauth: [read]
              responses:
                "200": {description: Users}
        components:
          securitySchemes:
            apiKey: {type: apiKey, in: header, name: X-Key}
            oauth:
              type: oauth2
              flows:
                clientCredentials:
                  tokenUrl: https://auth.example.com/token
                  scopes: {read: Read}
            basic: {type: http, scheme: basic}
        """,
        select=["unused-component"],
    )
    assert pointers(findings, "unused-component") == ["/components/securitySchemes/basic"]
    assert "no security requirement" in findings[0].message


def test_discriminators_use_their_schemas(lint: Lint) -> None:
    findings = lint(
        """
        paths:
          /pets:
            get:
              responses:
                "200":
                  description: Pets
                  content:
                    application/json:
                      schema: {$ref: "#/components/schemas/Pet"}
        components:
          schemas:
            Pet:
              type: object
              required: [kind]
              properties: {kind: {type: string}}
              discriminator:
                propertyName: kind
                mapping:
                  dog: Dog
                  cat: "#/components/schemas/Cat"
            Dog: {type: object}
            Cat: {type: object}
            Parrot:
              allOf: [{$ref: "#/components/schemas/Pet"}]
        """,
        select=["unused-component"],
    )
    assert findings == []


def test_subtypes_two_allof_levels_below_a_discriminator_are_used(lint: Lint) -> None:
    # Pet (discriminator) <- Dog <- Puppy <- Newborn: the discriminator picks each of them.
    findings = lint(
        """
        paths:
          /pets:
            get:
              responses:
                "200":
                  description: Pets
                  content:
                    application/json:
                      schema: {$ref: "#/components/schemas/Pet"}
        components:
          schemas:
            Pet:
              type: object
              required: [kind]
              properties: {kind: {type: string}}
              discriminator: {propertyName: kind}
            Dog:
              allOf: [{$ref: "#/components/schemas/Pet"}]
            Puppy:
              allOf: [{$ref: "#/components/schemas/Dog"}, {type: object}]
            Newborn:
              allOf: [{$ref: "#/components/schemas/Puppy"}]
            Plain: {type: object}
            PlainChild:
              allOf: [{$ref: "#/components/schemas/Plain"}]
        """,
        select=["unused-component"],
    )
    assert pointers(findings, "unused-component") == ["/components/schemas/PlainChild"]


def test_refs_written_in_examples_and_extensions_count(lint: Lint) -> None:
    # GitHub writes $refs inside example values; Azure names filter schemas in x-ms-odata.
    findings = lint(
        """
        paths:
          /repos:
            get:
              x-ms-odata: "#/components/schemas/RepoFilter"
              responses:
                "200":
                  description: Repos
                  content:
                    application/json:
                      schema: {type: array, items: {type: object}}
                      examples:
                        default:
                          value: [{repository: {$ref: "#/components/examples/repo"}}]
        components:
          schemas:
            RepoFilter: {type: object}
          examples:
            repo: {value: {id: 1}}
        """,
        select=["unused-component"],
    )
    assert findings == []


def test_refs_from_other_files(lint: Lint, tmp_path: Path) -> None:
    (tmp_path / "users.yaml").write_text(
        "get:\n  responses:\n    '200':\n      description: Users\n      content:\n"
        "        application/json:\n"
        "          schema: {$ref: 'api.yaml#/components/schemas/User'}\n",
        encoding="utf-8",
    )
    findings = lint(
        """
        paths:
          /users: {$ref: "users.yaml"}
        components:
          schemas:
            User: {type: object}
            Unused: {type: object}
        """,
        select=["unused-component"],
    )
    assert pointers(findings, "unused-component") == ["/components/schemas/Unused"]


def test_a_library_of_components_is_not_checked(lint: Lint) -> None:
    body = "components:\n  schemas:\n    Money: {type: object}\n"
    assert lint(body, select=["unused-component"]) == []


def test_unused_components_in_swagger2_and_the_ignore_option(lint: Lint) -> None:
    body = """
        swagger: "2.0"
        info: {title: T, version: "1"}
        paths:
          /users:
            get:
              parameters: [{$ref: "#/parameters/limit"}]
              responses:
                "200": {$ref: "#/responses/Users"}
        parameters:
          limit: {name: limit, in: query, type: integer}
          offset: {name: offset, in: query, type: integer}
        responses:
          Users: {description: Users, schema: {$ref: "#/definitions/User"}}
        definitions:
          User: {type: object}
          LegacyUser: {type: object}
        securityDefinitions:
          key: {type: apiKey, in: header, name: X-Key}
    """
    findings = lint(body, select=["unused-component"])
    assert pointers(findings, "unused-component") == [
        "/parameters/offset",
        "/definitions/LegacyUser",
        "/securityDefinitions/key",
    ]
    ignored = lint(
        body,
        select=["unused-component"],
        options={"unused-component": {"ignore": ["definitions/Legacy*", "offset", "key"]}},
    )
    assert ignored == []


# -- security-scheme-undefined ------------------------------------------------------------------


def test_undefined_security_schemes(lint: Lint) -> None:
    findings = lint(
        """
        security:
          - apikey: []
        paths:
          /users:
            get:
              security:
                - {}
                - BearerAuth: []
              responses:
                "200": {description: Users}
        components:
          securitySchemes:
            bearerAuth: {type: http, scheme: bearer}
        """,
        select=["security-scheme-undefined"],
    )
    assert pointers(findings, "security-scheme-undefined") == [
        "/security/0/apikey",
        "/paths/~1users/get/security/1/BearerAuth",
    ]
    assert all(f.severity is Severity.ERROR for f in findings)
    assert "did you mean 'bearerAuth'?" in findings[1].message
    assert "(defined: bearerAuth)" in findings[1].message


def test_undeclared_oauth2_scopes(lint: Lint) -> None:
    findings = lint(
        """
        paths:
          /users:
            get:
              security:
                - oauth: [users:read, users:wrte]
                - oidc: [anything]
              responses:
                "200": {description: Users}
        components:
          securitySchemes:
            oauth:
              type: oauth2
              flows:
                authorizationCode:
                  authorizationUrl: https://auth.example.com/authorize
                  tokenUrl: https://auth.example.com/token
                  scopes: {users:read: Read users, users:write: Change users}
            oidc:
              type: openIdConnect
              openIdConnectUrl: https://auth.example.com/.well-known/openid-configuration
        """,
        select=["security-scheme-undefined"],
    )
    [finding] = findings
    assert finding.pointer == "/paths/~1users/get/security/0/oauth/1"
    assert "scope 'users:wrte' is not declared by the OAuth2 scheme 'oauth'" in finding.message
    assert "did you mean 'users:write'?" in finding.message


def test_security_in_swagger2(lint: Lint) -> None:
    findings = lint(
        """
        swagger: "2.0"
        info: {title: T, version: "1"}
        paths:
          /users:
            get:
              security:
                - oauth: [admin]
                - key: []
              responses:
                "200": {description: Users}
        securityDefinitions:
          oauth:
            type: oauth2
            flow: implicit
            authorizationUrl: https://auth.example.com/authorize
            scopes: {read: Read}
        """,
        select=["security-scheme-undefined"],
    )
    assert pointers(findings, "security-scheme-undefined") == [
        "/paths/~1users/get/security/0/oauth/0",
        "/paths/~1users/get/security/1/key",
    ]
    assert "securityDefinitions" in findings[1].message


# -- operation-tags -----------------------------------------------------------------------------

TAGGED = """
        tags:
          - {name: users, description: People}
        paths:
          /users:
            get:
              tags: [users]
              responses: {"200": {description: Users}}
            post:
              tags: [Users]
              responses: {"201": {description: Created}}
          /users/{id}:
            get:
              tags: [Users]
              parameters: [{name: id, in: path, required: true, schema: {type: integer}}]
              responses: {"200": {description: A user}}
          /health:
            get:
              responses: {"200": {description: Up}}
"""


def test_operation_tags(lint: Lint) -> None:
    findings = lint(TAGGED, select=["operation-tags"])
    assert pointers(findings, "operation-tags") == [
        "/paths/~1users/post/tags/0",
        "/paths/~1health/get",
    ]
    assert "tag 'Users' (used by 2 operations) is not in the top-level tags list" in (
        findings[0].message
    )
    assert "did you mean 'users'?" in findings[0].message
    assert "GET /health has no tags, while 3 of the 4 operations have" in findings[1].message


def test_operation_tags_options(lint: Lint) -> None:
    findings = lint(
        TAGGED,
        select=["operation-tags"],
        options={"operation-tags": {"requireTags": False, "requireDeclared": False}},
    )
    assert findings == []


def test_documents_without_tags_or_a_tag_list_are_a_choice(lint: Lint) -> None:
    untagged = """
        paths:
          /a: {get: {responses: {"200": {description: A}}}}
          /b: {get: {responses: {"200": {description: B}}}}
    """
    assert lint(untagged, select=["operation-tags"]) == []
    undeclared = """
        tags: []
        paths:
          /a: {get: {tags: [a], responses: {"200": {description: A}}}}
    """
    # Slack declares "tags: []" and tags every operation
    assert lint(undeclared, select=["operation-tags"]) == []


def test_a_mostly_untagged_api_is_one_finding(lint: Lint) -> None:
    spec = "paths:\n" + "".join(
        f"  /p{i}: {{get: {{responses: {{'200': {{description: OK}}}}}}}}\n" for i in range(5)
    )
    spec += "  /tagged: {get: {tags: [x], responses: {'200': {description: OK}}}}\n"
    findings = lint(spec, select=["operation-tags"])
    assert pointers(findings, "operation-tags") == ["/paths/~1p0/get"]
    assert findings[0].message.startswith(
        "5 of the 6 operations have no tags (GET /p0, GET /p1, ...)"
    )


def test_no_unrelated_tag_is_suggested(lint: Lint) -> None:
    spec = """
        tags: [{name: Users}, {name: Use cases}, {name: Billing}]
        paths:
          /a: {get: {tags: [User], responses: {"200": {description: A}}}}
          /b: {get: {tags: [Usage], responses: {"200": {description: B}}}}
          /c: {get: {tags: [billing], responses: {"200": {description: C}}}}
    """
    messages = [f.message for f in lint(spec, select=["operation-tags"])]
    assert len(messages) == 3
    assert "did you mean 'Users'?" in messages[0]  # one letter away
    assert "did you mean" not in messages[1]  # 'Usage' is neither 'Users' nor 'Use cases'
    assert "did you mean 'Billing'?" in messages[2]  # case only


# -- required-property-undefined ----------------------------------------------------------------


def test_a_required_property_nobody_defines(lint: Lint) -> None:
    findings = lint(
        """
        components:
          schemas:
            User:
              type: object
              additionalProperties: false
              required: [id, userName]
              properties:
                id: {type: integer}
                username: {type: string}
        """,
        select=["required-property-undefined"],
    )
    [finding] = findings
    assert finding.pointer == "/components/schemas/User/required/1"
    assert "'userName' is required but no property 'userName' is defined" in finding.message
    assert "did you mean 'username'?" in finding.message
    assert "no valid object can exist" in finding.message


def test_required_properties_from_compositions(lint: Lint) -> None:
    findings = lint(
        """
        components:
          schemas:
            Base:
              type: object
              properties:
                id: {type: integer}
            Named:
              allOf:
                - $ref: "#/components/schemas/Base"
                - type: object
                  required: [id, name]
                  properties:
                    name: {type: string}
            Mixin:
              type: object
              required: [id]
              properties:
                extra: {type: string}
            Composed:
              allOf:
                - $ref: "#/components/schemas/Base"
                - $ref: "#/components/schemas/Mixin"
            Campaign:
              type: object
              properties:
                code_alerts: {type: integer}
                secret_alerts: {type: integer}
              oneOf:
                - required: [code_alerts]
                - required: [secret_alerts]
            Labels:
              type: object
              patternProperties:
                "^x-": {type: string}
              required: [x-trace]
            FreeForm:
              type: object
              required: [anything]
        """,
        select=["required-property-undefined"],
    )
    assert findings == []


def test_a_branch_requiring_what_its_parent_lacks(lint: Lint) -> None:
    # GitHub: POST /orgs/{org}/campaigns requires secret_scanning_alerts in a oneOf branch,
    # but no property of that name exists.
    findings = lint(
        """
        components:
          schemas:
            Campaign:
              type: object
              properties:
                code_scanning_alerts: {type: integer}
              oneOf:
                - required: [code_scanning_alerts]
                - required: [secret_scanning_alerts]
        """,
        select=["required-property-undefined"],
    )
    assert pointers(findings, "required-property-undefined") == [
        "/components/schemas/Campaign/oneOf/1/required/0"
    ]


def test_required_property_undefined_in_swagger2(lint: Lint) -> None:
    findings = lint(
        """
        swagger: "2.0"
        info: {title: T, version: "1"}
        paths: {}
        definitions:
          Docker:
            type: object
            required: [tags]
            properties:
              tag: {type: array, items: {type: string}}
        """,
        select=["required-property-undefined"],
    )
    assert pointers(findings, "required-property-undefined") == ["/definitions/Docker/required/0"]
    assert "did you mean 'tag'?" in findings[0].message


def test_an_abstract_base_requiring_what_its_subtypes_define(lint: Lint) -> None:
    # Spotify: PagingObject requires "items", which each of its many subtypes defines.
    subtypes = "".join(
        f"""
            Paging{i}:
              allOf:
                - $ref: "#/components/schemas/PagingObject"
                - type: object
                  properties:
                    items: {{type: array, items: {{type: string}}}}"""
        for i in range(20)
    )
    findings = lint(
        f"""
        components:
          schemas:
            PagingObject:
              type: object
              required: [href, items]
              properties:
                href: {{type: string}}{subtypes}
        """,
        select=["required-property-undefined"],
    )
    assert findings == []


def test_autorest_mutability_is_read_and_write_only(lint: Lint) -> None:
    # Azure DevSpaces: a controller's credentials are required on create ("x-ms-mutability:
    # [create]") and never returned, so a response example leaves them out.
    findings = lint(
        """
        x-ms-paths: {}
        paths:
          /controllers:
            put:
              requestBody:
                content:
                  application/json:
                    schema: {$ref: "#/components/schemas/Controller"}
                    example: {name: c1}
              responses:
                "200":
                  description: The controller
                  content:
                    application/json:
                      schema: {$ref: "#/components/schemas/Controller"}
                      example: {name: c1}
        components:
          schemas:
            Controller:
              type: object
              required: [name, credentials]
              properties:
                name: {type: string}
                credentials: {type: string, x-ms-mutability: [create]}
        """,
        select=["example-invalid"],
    )
    [finding] = findings
    assert "/requestBody/" in finding.pointer
    assert "missing required property 'credentials'" in finding.message


def test_malformed_schemas_do_not_crash(lint: Lint) -> None:
    # Found by the fuzzer: a 'format' that is an object; also YAML keys that are numbers.
    findings = lint(
        """
        openapi: 3.1.0
        info: {title: T, version: "1"}
        paths: {}
        components:
          schemas:
            Pet:
              type: object
              properties:
                id: {format: {}}
                1: {type: string, x-1: "#/components/schemas/Pet"}
              example: {id: 1}
        """,
        select=["hygiene"],
    )
    assert [f.rule for f in findings] == []


def test_a_long_enum_is_truncated_in_the_message(lint: Lint) -> None:
    values = ", ".join(f"value_{i}" for i in range(12))
    findings = lint(
        f"""
        paths:
          /a:
            get:
              responses:
                "200":
                  description: A
                  content:
                    application/json:
                      schema: {{type: string, enum: [{values}]}}
                      example: other
        """,
        select=["example-invalid"],
    )
    [finding] = findings
    assert '"other" is not one of "value_0"' in finding.message
    assert "and 7 more" in finding.message
    assert "value_11" not in finding.message


def test_data_values_of_examples_are_checked_in_any_media_type(lint: Lint) -> None:
    # OpenAPI 3.2: dataValue is the data the schema validates, serializedValue the wire form.
    body = """
        openapi: 3.2.0
        info: {title: T, version: "1"}
        paths:
          /thing:
            get:
              responses:
                "200":
                  description: A thing
                  content:
                    application/xml:
                      schema: {type: object, properties: {id: {type: integer}}}
                      examples:
                        wrong: {dataValue: {id: seven}, serializedValue: "<thing/>"}
                        right: {dataValue: {id: 7}, serializedValue: "<thing><id>7</id></thing>"}
                        wire: {value: "<thing><id>seven</id></thing>"}
                    application/json:
                      schema: {type: object, properties: {id: {type: integer}}}
                      examples:
                        wrong: {dataValue: {id: "7"}}
    """
    findings = of(lint(body, select=["example-invalid"]), "example-invalid")
    assert [
        (f.pointer.rsplit("/examples/", 1)[1], f.message.split(" does not")[0]) for f in findings
    ] == [
        (
            "wrong/dataValue/id",
            "the dataValue of example 'wrong' of the 200 response (application/xml)",
        ),
        (
            "wrong/dataValue/id",
            "the dataValue of example 'wrong' of the 200 response (application/json)",
        ),
    ]


def test_the_registered_data_value_extension_before_3_2(lint: Lint) -> None:
    body = response_example("{type: integer}", "1", "3.1.0").replace(
        "example: 1", "examples: {bad: {x-oai-dataValue: one, x-oai-serializedValue: '1'}}"
    )
    [finding] = of(lint(body, select=["example-invalid"]), "example-invalid")
    assert finding.message.startswith("the x-oai-dataValue of example 'bad' of the 200 response")


def test_a_property_required_twice_is_named_once(lint: Lint) -> None:
    # Both allOf branches require "kind": jsonschema reports it twice at the same place.
    schema = "{allOf: [{required: [kind]}, {required: [kind, id]}]}"
    [finding] = check_example(lint, schema, "{name: x}")
    assert finding.message.endswith("missing required properties 'kind', 'id'")


def test_data_values_of_a_content_parameter_own_examples(lint: Lint) -> None:
    # The OpenAPI 3.2.0 specification's querystring example puts examples on the parameter
    # itself; they are data for its one media type's schema.
    body = """
        openapi: 3.2.0
        info: {title: T, version: "1"}
        paths:
          /json:
            get:
              parameters:
                - in: querystring
                  name: json
                  content:
                    application/json:
                      schema:
                        type: object
                        properties:
                          numbers: {type: array, items: {type: integer}}
                  examples:
                    TwoNoFlag:
                      dataValue: {numbers: [1, 2]}
                    Wrong:
                      dataValue: {numbers: [1, two]}
                      serializedValue: "%7B%7D"
              responses:
                "200": {description: OK}
    """
    [finding] = of(lint(body, select=["example-invalid"]), "example-invalid")
    assert finding.pointer.endswith("/parameters/0/examples/Wrong/dataValue/numbers/1")
    assert finding.message.startswith("the dataValue of example 'Wrong' of parameter 'json'")
