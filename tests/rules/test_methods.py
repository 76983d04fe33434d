"""HTTP method semantics (rules/methods.yaml): each rule fires on its mistake, stays quiet on the
correct form, and stays quiet on the real-world patterns that looked like mistakes when reading
its findings on the corpus (each such regression test says which API it comes from)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from apilint.core.findings import Finding, Severity

Lint = Callable[..., list[Finding]]


def found(findings: list[Finding], rule: str) -> list[tuple[str, str]]:
    """(pointer, message) of the findings of ``rule``."""
    return [(f.pointer, f.message) for f in findings if f.rule == rule]


def pointers(findings: list[Finding], rule: str) -> list[str]:
    return [p for p, _ in found(findings, rule)]


USER_ITEM = """
          /users/{id}:
            get:
              parameters:
                - {name: id, in: path, required: true, schema: {type: integer}}
              responses:
                "200":
                  description: A user
                  content:
                    application/json:
                      schema: {type: object}
"""

JSON_BODY = """
              requestBody:
                content:
                  application/json:
                    schema:
                      type: object
                      properties:
                        name: {type: string}
"""


# -- get-request-body ---------------------------------------------------------------------------


def test_get_with_a_body_is_an_error(lint: Lint) -> None:
    findings = lint(
        """
        paths:
          /thoughts:
            get:
              requestBody:
                content:
                  application/json:
                    schema: {type: object, properties: {q: {type: string}}}
              responses:
                "200": {description: Thoughts}
        """,
        select=["get-request-body"],
    )
    [finding] = findings
    assert finding.rule == "get-request-body"
    assert finding.pointer == "/paths/~1thoughts/get/requestBody"
    assert finding.severity is Severity.ERROR
    assert "GET /thoughts declares a request body" in finding.message
    assert "query parameters" in finding.message


def test_head_with_a_body_is_an_error_and_delete_a_warning(lint: Lint) -> None:
    body = """
              requestBody:
                content:
                  application/json:
                    schema: {type: object, properties: {reason: {type: string}}}
              responses:
                "204": {description: Done}
    """
    findings = lint(
        f"""
        paths:
          /thoughts/{{id}}:
            parameters:
              - {{name: id, in: path, required: true, schema: {{type: integer}}}}
            head:
{body}
            delete:
{body}
        """,
        select=["get-request-body"],
    )
    by_pointer = {f.pointer: f for f in findings}
    head = by_pointer["/paths/~1thoughts~1{id}/head/requestBody"]
    delete = by_pointer["/paths/~1thoughts~1{id}/delete/requestBody"]
    assert head.severity is Severity.ERROR
    assert delete.severity is Severity.WARNING
    assert "DELETE /thoughts/{id} declares a request body" in delete.message


def test_delete_bodies_can_be_allowed(lint: Lint) -> None:
    findings = lint(
        """
        paths:
          /thoughts:
            delete:
              requestBody:
                content:
                  application/json:
                    schema: {type: array, items: {type: integer}}
              responses:
                "204": {description: Deleted}
        """,
        select=["get-request-body"],
        options={"get-request-body": {"checkDelete": False}},
    )
    assert findings == []


def test_the_delete_warning_follows_a_lowered_rule_severity(tmp_path: Path) -> None:
    from conftest import lint_spec

    from apilint.settings.config import Config, RuleSetting

    config = Config()
    config.rules = {"get-request-body": RuleSetting(severity="info")}
    findings = lint_spec(
        tmp_path,
        """
        paths:
          /a:
            get:
              requestBody: {content: {application/json: {schema: {type: object}}}}
              responses: {"200": {description: OK}}
            delete:
              requestBody: {content: {application/json: {schema: {type: object}}}}
              responses: {"204": {description: OK}}
        """,
        select=["get-request-body"],
        config=config,
    )
    assert {f.severity for f in findings} == {Severity.INFO}
    assert len(findings) == 2


def test_a_body_that_admits_only_an_empty_object_is_no_body(lint: Lint) -> None:
    # Stripe declares this optional, property-less form body on every GET (236 of them).
    findings = lint(
        """
        paths:
          /v1/customers:
            get:
              requestBody:
                required: false
                content:
                  application/x-www-form-urlencoded:
                    encoding: {}
                    schema: {type: object, properties: {}, additionalProperties: false}
              responses:
                "200": {description: Customers}
        """,
        select=["get-request-body"],
    )
    assert findings == []


def test_swagger2_body_and_form_parameters(lint: Lint) -> None:
    findings = lint(
        """
        swagger: "2.0"
        info: {title: T, version: "1"}
        paths:
          /search:
            parameters:
              - {name: filter, in: body, schema: {type: object}}
            get:
              responses:
                "200": {description: Results}
          /forms:
            get:
              consumes: [application/x-www-form-urlencoded]
              parameters:
                - {name: q, in: query, type: string}
                - {name: field, in: formData, type: string}
              responses:
                "200": {description: Results}
            post:
              parameters:
                - {name: body, in: body, schema: {type: object}}
              responses:
                "200": {description: Saved}
        """,
        select=["get-request-body"],
    )
    assert pointers(findings, "get-request-body") == [
        "/paths/~1search/parameters/0",
        "/paths/~1forms/get/parameters/1",
    ]
    assert "an 'in: body' parameter" in findings[0].message
    assert "an 'in: formData' parameter" in findings[1].message


# -- get-success-response and operation-success-response ----------------------------------------


def test_get_without_2xx(lint: Lint) -> None:
    findings = lint(
        """
        paths:
          /a:
            get:
              responses:
                "404": {description: Missing}
          /b:
            get:
              responses:
                default: {description: Unexpected error}
          /download:
            get:
              responses:
                "302": {description: Redirect to the file}
          /c:
            get:
              responses:
                "200": {description: OK}
        """,
        select=["get-success-response", "operation-success-response"],
    )
    assert pointers(findings, "get-success-response") == [
        "/paths/~1a/get/responses",
        "/paths/~1b/get/responses",
    ]
    assert "(only 404)" in findings[0].message
    assert "(only default)" in findings[1].message
    assert found(findings, "operation-success-response") == []  # GETs are judged once


def test_operation_without_success(lint: Lint) -> None:
    findings = lint(
        """
        paths:
          /a:
            post:
              responses:
                "400": {description: Bad}
                "409": {description: Conflict}
            delete:
              responses:
                default: {description: Done}
            put:
              responses:
                "2XX": {description: Stored}
          /form:
            post:
              responses:
                "303": {description: See the result}
        """,
        select=["operation-success-response"],
    )
    assert pointers(findings, "operation-success-response") == [
        "/paths/~1a/post/responses",
        "/paths/~1a/delete/responses",
    ]
    assert "only 400, 409" in findings[0].message
    assert "(only 'default')" in findings[1].message


# -- post-create-status -------------------------------------------------------------------------


def test_post_on_a_collection_answering_200(lint: Lint) -> None:
    findings = lint(
        f"""
        paths:
          /users:
            post:
              operationId: createUser
{JSON_BODY}
              responses:
                "200": {{description: The new user}}
                "400": {{description: Invalid}}
{USER_ITEM}
        """,
        select=["post-create-status"],
    )
    [(pointer, message)] = found(findings, "post-create-status")
    assert pointer == "/paths/~1users/post/responses/200"
    assert "POST /users creates an item in the collection" in message
    assert "only 200" in message
    assert "201 Created" in message


@pytest.mark.parametrize("code", ["201", "202", "303", "2XX"])
def test_post_answering_created_accepted_or_see_other(lint: Lint, code: str) -> None:
    findings = lint(
        f"""
        paths:
          /users:
            post:
              operationId: createUser
{JSON_BODY}
              responses:
                "{code}": {{description: Created}}
{USER_ITEM}
        """,
        select=["post-create-status"],
    )
    assert findings == []


@pytest.mark.parametrize(
    "path",
    ["/search", "/login", "/orders/{id}/cancel", "/batch", "/graphql", "/v1/users:batchGet"],
)
def test_post_actions_are_not_creates(lint: Lint, path: str) -> None:
    findings = lint(
        f"""
        paths:
          {path}:
            post:
{JSON_BODY}
              responses:
                "200": {{description: Result}}
          /other:
            post:
{JSON_BODY}
              responses:
                "201": {{description: Created}}
        """,
        select=["post-create-status"],
    )
    assert findings == []


def test_post_on_an_item_or_singleton_is_not_a_create(lint: Lint) -> None:
    findings = lint(
        f"""
        paths:
          /users/{{id}}:
            post:
              operationId: updateUser
              parameters:
                - {{name: id, in: path, required: true, schema: {{type: integer}}}}
{JSON_BODY}
              responses:
                "200": {{description: Updated}}
          /markdown:
            post:
              operationId: renderMarkdown
{JSON_BODY}
              responses:
                "200": {{description: HTML}}
        """,
        select=["post-create-status"],
    )
    assert findings == []


def test_a_collection_post_that_queries_is_not_a_create(lint: Lint) -> None:
    findings = lint(
        f"""
        paths:
          /users:
            post:
{JSON_BODY}
              responses:
                "200":
                  description: Matching users
                  content:
                    application/json:
                      schema: {{type: array, items: {{type: object}}}}
          /orders:
            post:
              operationId: searchOrders
{JSON_BODY}
              responses:
                "200": {{description: Matching orders}}
          /orders/{{id}}:
            get:
              parameters:
                - {{name: id, in: path, required: true, schema: {{type: integer}}}}
              responses:
                "200": {{description: An order}}
{USER_ITEM}
        """,
        select=["post-create-status"],
    )
    assert findings == []


def test_adding_a_list_to_a_set_is_not_a_create(lint: Lint) -> None:
    # GitHub: "Add labels to an issue" (POST .../labels with {"labels": [...]}, answers 200).
    findings = lint(
        """
        paths:
          /issues/{n}/labels:
            post:
              operationId: issues/add-labels
              summary: Add labels to an issue
              parameters:
                - {name: n, in: path, required: true, schema: {type: integer}}
              requestBody:
                content:
                  application/json:
                    schema:
                      type: object
                      properties:
                        labels: {type: array, items: {type: string}}
              responses:
                "200": {description: The labels of the issue}
          /issues/{n}/labels/{name}:
            delete:
              parameters:
                - {name: n, in: path, required: true, schema: {type: integer}}
                - {name: name, in: path, required: true, schema: {type: string}}
              responses:
                "200": {description: Removed}
        """,
        select=["post-create-status"],
    )
    assert findings == []


def test_creates_without_a_body_or_without_an_address_are_left_alone(lint: Lint) -> None:
    # GitHub: "Create commit signature protection" (no body, a setting switched on) and
    # "Create a repository dispatch event" (answers 204; nothing to address afterwards).
    findings = lint(
        f"""
        paths:
          /branches/{{b}}/protection/required_signatures:
            post:
              summary: Create commit signature protection
              parameters:
                - {{name: b, in: path, required: true, schema: {{type: string}}}}
              responses:
                "200": {{description: Protection}}
          /repos/{{r}}/dispatches:
            post:
              summary: Create a repository dispatch event
              parameters:
                - {{name: r, in: path, required: true, schema: {{type: string}}}}
{JSON_BODY}
              responses:
                "204": {{description: Dispatched}}
        """,
        select=["post-create-status"],
    )
    assert findings == []


def test_a_create_named_in_the_path_only_where_the_api_uses_201(lint: Lint) -> None:
    rpc = f"""
          /api/createThought:
            post:
              operationId: newThought
{JSON_BODY}
              responses:
                "200": {{description: The new thought}}
    """
    rest = f"""
          /api/thoughts:
            post:
{JSON_BODY}
              responses:
                "201": {{description: Created}}
    """
    both = lint(f"paths:\n{rpc}\n{rest}", select=["post-create-status"])
    [(pointer, message)] = found(both, "post-create-status")
    assert pointer == "/paths/~1api~1createThought/post/responses/200"
    assert "unlike POST /api/thoughts, which answers 201" in message
    # Slack-style RPC APIs answer 200 everywhere: their convention, not a slip.
    assert lint(f"paths:\n{rpc}", select=["post-create-status"]) == []


def test_a_plural_collection_with_a_singular_item_path(lint: Lint) -> None:
    # The bundled example: POST /api/users/ next to /api/user/{userId}.
    findings = lint(
        f"""
        paths:
          /api/users/:
            post:
              operationId: createUser
{JSON_BODY}
              responses:
                "200": {{description: The new user}}
          /api/user/{{userId}}:
            get:
              parameters:
                - {{name: userId, in: path, required: true, schema: {{type: integer}}}}
              responses:
                "200": {{description: A user}}
        """,
        select=["post-create-status"],
    )
    assert pointers(findings, "post-create-status") == ["/paths/~1api~1users~1/post/responses/200"]


def test_intent_from_an_html_description(lint: Lint) -> None:
    # Stripe: operationId PostCustomers, no summary, the description is HTML.
    findings = lint(
        f"""
        paths:
          /v1/customers:
            post:
              operationId: PostCustomers
              description: "<p>Creates a new customer object.</p>"
{JSON_BODY}
              responses:
                "200": {{description: Successful response.}}
          /v1/customers/{{customer}}:
            get:
              parameters:
                - {{name: customer, in: path, required: true, schema: {{type: string}}}}
              responses:
                "200": {{description: A customer}}
        """,
        select=["post-create-status"],
    )
    assert pointers(findings, "post-create-status") == ["/paths/~1v1~1customers/post/responses/200"]


def test_post_create_status_in_swagger2(lint: Lint) -> None:
    findings = lint(
        """
        swagger: "2.0"
        info: {title: T, version: "1"}
        paths:
          /pets:
            post:
              operationId: addPet
              parameters:
                - {name: pet, in: body, schema: {type: object}}
              responses:
                "200": {description: The pet}
          /pets/{id}:
            get:
              parameters:
                - {name: id, in: path, required: true, type: integer}
              responses:
                "200": {description: A pet}
        """,
        select=["post-create-status"],
    )
    assert pointers(findings, "post-create-status") == ["/paths/~1pets/post/responses/200"]


# -- created-location-header --------------------------------------------------------------------


def test_201_without_location(lint: Lint) -> None:
    findings = lint(
        """
        paths:
          /users:
            post:
              responses:
                "201": {description: Created}
          /teams:
            post:
              responses:
                "201":
                  description: Created
                  headers:
                    location: {schema: {type: string}}
          /users/{id}:
            put:
              parameters:
                - {name: id, in: path, required: true, schema: {type: integer}}
              responses:
                "201": {description: Created at this URL}
        """,
        select=["created-location-header"],
    )
    [finding] = findings
    assert finding.pointer == "/paths/~1users/post/responses/201"
    assert finding.severity is Severity.INFO
    assert "201 Created without a Location header" in finding.message
    assert "(/users)" in finding.message


def test_a_shared_201_is_reported_once_where_it_is_written(lint: Lint) -> None:
    findings = lint(
        """
        paths:
          /users/{id}:
            delete:
              parameters: [{name: id, in: path, required: true, schema: {type: integer}}]
              responses: {"204": {description: Deleted}}
          /teams/{id}:
            delete:
              parameters: [{name: id, in: path, required: true, schema: {type: integer}}]
              responses: {"204": {description: Deleted}}
          /users:
            post:
              responses:
                "201": {$ref: "#/components/responses/Created"}
          /teams:
            post:
              responses:
                "201": {$ref: "#/components/responses/Created"}
        components:
          responses:
            Created: {description: Created}
        """,
        select=["created-location-header"],
    )
    assert pointers(findings, "created-location-header") == ["/components/responses/Created"]


def test_a_201_borrowed_from_another_operation_is_reported_at_the_post(lint: Lint) -> None:
    # DigitalOcean-style: a POST answers 201 with a $ref to another operation's 200.
    findings = lint(
        """
        paths:
          /v2/registries/{id}:
            delete:
              parameters: [{name: id, in: path, required: true, schema: {type: integer}}]
              responses: {"204": {description: Deleted}}
          /v2/registry:
            get:
              responses:
                "200": {description: The registry}
          /v2/registries:
            post:
              responses:
                "201": {$ref: "#/paths/~1v2~1registry/get/responses/200"}
        """,
        select=["created-location-header"],
    )
    assert pointers(findings, "created-location-header") == [
        "/paths/~1v2~1registries/post/responses/201"
    ]


def test_created_location_header_in_swagger2(lint: Lint) -> None:
    findings = lint(
        """
        swagger: "2.0"
        info: {title: T, version: "1"}
        paths:
          /a/{id}:
            delete:
              parameters: [{name: id, in: path, required: true, type: integer}]
              responses: {"204": {description: Deleted}}
          /a:
            post:
              responses:
                "201": {description: Created}
          /b:
            post:
              responses:
                "201":
                  description: Created
                  headers:
                    Location: {type: string}
        """,
        select=["created-location-header"],
    )
    assert pointers(findings, "created-location-header") == ["/paths/~1a/post/responses/201"]


# -- put-on-collection --------------------------------------------------------------------------


def test_put_on_a_collection(lint: Lint) -> None:
    findings = lint(
        f"""
        paths:
          /users:
            put:
              operationId: updateUser
{JSON_BODY}
              responses:
                "204": {{description: Saved}}
{USER_ITEM}
        """,
        select=["put-on-collection"],
    )
    [(pointer, message)] = found(findings, "put-on-collection")
    assert pointer == "/paths/~1users/put"
    assert "replaces the whole collection" in message
    assert "POST /users" in message
    assert "PUT /users/{id}" in message


def test_replacing_a_set_with_a_list_is_deliberate(lint: Lint) -> None:
    # GitHub: "Set labels for an issue" (PUT .../labels with {"labels": [...]}) and
    # "Set selected repositories" (PUT .../repositories with {"selected_repository_ids": [...]}).
    findings = lint(
        """
        paths:
          /issues/{n}/labels:
            put:
              parameters:
                - {name: n, in: path, required: true, schema: {type: integer}}
              requestBody:
                content:
                  application/json:
                    schema:
                      oneOf:
                        - type: object
                          properties:
                            labels: {type: array, items: {type: string}}
                        - {type: array, items: {type: string}}
              responses:
                "200": {description: Labels}
          /issues/{n}/labels/{name}:
            delete:
              parameters:
                - {name: n, in: path, required: true, schema: {type: integer}}
                - {name: name, in: path, required: true, schema: {type: string}}
              responses:
                "204": {description: Removed}
          /runners:
            put:
              requestBody:
                content:
                  application/json:
                    schema:
                      type: object
                      required: [runners]
                      properties:
                        runners: {type: array, items: {type: integer}}
              responses:
                "204": {description: Set}
          /runners/{id}:
            delete:
              parameters:
                - {name: id, in: path, required: true, schema: {type: integer}}
              responses:
                "204": {description: Removed}
        """,
        select=["put-on-collection"],
    )
    assert findings == []


def test_put_on_items_and_singletons(lint: Lint) -> None:
    findings = lint(
        f"""
        paths:
          /settings:
            put:
{JSON_BODY}
              responses:
                "200": {{description: Settings}}
          /repos/{{r}}/topics:
            put:
              parameters:
                - {{name: r, in: path, required: true, schema: {{type: string}}}}
{JSON_BODY}
              responses:
                "200": {{description: Topics}}
          /users/{{id}}/profile:
            put:
              parameters:
                - {{name: id, in: path, required: true, schema: {{type: integer}}}}
{JSON_BODY}
              responses:
                "200": {{description: Profile}}
{USER_ITEM}
        """,
        select=["put-on-collection"],
    )
    assert findings == []


# -- put-patch-request-body ---------------------------------------------------------------------


def test_patch_without_a_body(lint: Lint) -> None:
    findings = lint(
        """
        paths:
          /users/{id}:
            patch:
              parameters:
                - {name: id, in: path, required: true, schema: {type: integer}}
              responses:
                "200": {description: Updated}
        """,
        select=["put-patch-request-body"],
    )
    [(pointer, message)] = found(findings, "put-patch-request-body")
    assert pointer == "/paths/~1users~1{id}/patch"
    assert "PATCH /users/{id} has no request body" in message


def test_put_update_without_a_body(lint: Lint) -> None:
    findings = lint(
        """
        paths:
          /users/{id}:
            parameters:
              - {name: id, in: path, required: true, schema: {type: integer}}
            get:
              responses:
                "200":
                  description: A user
                  content:
                    application/json:
                      schema: {type: object}
            put:
              operationId: updateUser
              responses:
                "200": {description: Updated}
        """,
        select=["put-patch-request-body"],
    )
    [(pointer, message)] = found(findings, "put-patch-request-body")
    assert pointer == "/paths/~1users~1{id}/put"
    assert "GET /users/{id} returns a representation" in message


def test_put_that_records_a_fact_needs_no_body(lint: Lint) -> None:
    # The bundled example (PUT .../followers/{followerId}), GitHub's "Enable Dependabot
    # security updates" (a toggle next to a GET of its state), Spotify's "Save Shows"
    # (ids in the query), GitHub's "Add team member".
    findings = lint(
        """
        paths:
          /users/{userId}/followers/{followerId}:
            parameters:
              - {name: userId, in: path, required: true, schema: {type: integer}}
              - {name: followerId, in: path, required: true, schema: {type: integer}}
            put:
              operationId: addFollower
              responses:
                "204": {description: Following}
          /repos/{r}/automated-security-fixes:
            parameters:
              - {name: r, in: path, required: true, schema: {type: string}}
            get:
              responses:
                "200":
                  description: Status
                  content: {application/json: {schema: {type: object}}}
            put:
              operationId: repos/enable-automated-security-fixes
              responses:
                "204": {description: Enabled}
          /me/shows:
            get:
              responses:
                "200":
                  description: Saved shows
                  content: {application/json: {schema: {type: object}}}
            put:
              operationId: save-shows-user
              parameters:
                - {name: ids, in: query, required: true, schema: {type: string}}
              responses:
                "200": {description: Saved}
        """,
        select=["put-patch-request-body"],
    )
    assert findings == []


def test_proxies_forward_bodies_they_cannot_describe(lint: Lint) -> None:
    # Kubernetes: PUT and PATCH .../pods/{name}/proxy pass any request through.
    findings = lint(
        """
        paths:
          /api/v1/namespaces/{ns}/pods/{name}/proxy:
            parameters:
              - {name: ns, in: path, required: true, schema: {type: string}}
              - {name: name, in: path, required: true, schema: {type: string}}
            patch:
              responses:
                "200": {description: Proxied}
        """,
        select=["put-patch-request-body"],
    )
    assert findings == []


def test_swagger2_form_data_is_a_body(lint: Lint) -> None:
    findings = lint(
        """
        swagger: "2.0"
        info: {title: T, version: "1"}
        paths:
          /pets/{id}:
            patch:
              consumes: [application/x-www-form-urlencoded]
              parameters:
                - {name: id, in: path, required: true, type: integer}
                - {name: name, in: formData, type: string}
              responses:
                "200": {description: Updated}
        """,
        select=["put-patch-request-body"],
    )
    assert findings == []


# -- no-content-body ----------------------------------------------------------------------------


def test_no_content_responses_with_content(lint: Lint) -> None:
    findings = lint(
        """
        paths:
          /thoughts/{id}:
            parameters:
              - {name: id, in: path, required: true, schema: {type: integer}}
            delete:
              responses:
                "204":
                  description: Deleted
                  content:
                    application/json:
                      schema: {type: object}
            get:
              responses:
                "200":
                  description: The thought
                  content:
                    application/json:
                      schema: {type: object}
                "304":
                  description: Not modified
                  content:
                    application/json:
                      schema: {type: object}
            head:
              responses:
                "200":
                  description: Exists
                  content:
                    application/json:
                      schema: {type: object}
        """,
        select=["no-content-body"],
    )
    by_pointer = {f.pointer: f for f in findings}
    assert set(by_pointer) == {
        "/paths/~1thoughts~1{id}/delete/responses/204/content",
        "/paths/~1thoughts~1{id}/get/responses/304/content",
        "/paths/~1thoughts~1{id}/head/responses/200/content",
    }
    delete = by_pointer["/paths/~1thoughts~1{id}/delete/responses/204/content"]
    assert delete.severity is Severity.ERROR
    assert "content (application/json)" in delete.message
    assert "204 No Content" in delete.message
    head = by_pointer["/paths/~1thoughts~1{id}/head/responses/200/content"]
    assert head.severity is Severity.WARNING
    assert "HEAD never has a body" in head.message


def test_a_shared_no_content_response_is_reported_once(lint: Lint) -> None:
    findings = lint(
        """
        paths:
          /a:
            delete:
              responses:
                "204": {$ref: "#/components/responses/Empty"}
          /b:
            delete:
              responses:
                "204": {$ref: "#/components/responses/Empty"}
        components:
          responses:
            Empty:
              description: Nothing
              content:
                text/plain:
                  schema: {type: string}
        """,
        select=["no-content-body"],
    )
    [finding] = findings
    assert finding.pointer == "/components/responses/Empty/content"
    assert "used as a 204 response" in finding.message


def test_no_content_body_in_swagger2(lint: Lint) -> None:
    findings = lint(
        """
        swagger: "2.0"
        info: {title: T, version: "1"}
        paths:
          /a:
            delete:
              responses:
                "204":
                  description: Deleted
                  schema: {type: object}
                "200":
                  description: Deleted, with the object
                  schema: {type: object}
        """,
        select=["no-content-body"],
    )
    assert pointers(findings, "no-content-body") == ["/paths/~1a/delete/responses/204/schema"]
    assert "drop `schema`" in findings[0].message


# -- operation-id-method-mismatch ---------------------------------------------------------------


def _one_op(method: str, path: str, op_id: str, extra: str = "") -> str:
    return f"""
        paths:
          {path}:
            {method}:
              operationId: "{op_id}"
{extra}
              responses:
                "200": {{description: OK}}
    """


@pytest.mark.parametrize(
    ("method", "path", "op_id", "word"),
    [
        ("get", "/users/{id}", "deleteUser", "delete"),
        ("get", "/users", "createUser", "create"),
        ("get", "/repos/{r}/contents/{p}", "repos/delete-file", "delete"),
        ("get", "/vms/{vm}", "VirtualMachines_Delete", "delete"),
        ("get", "/#Action=Roles", "GET_DeleteRole", "delete"),
        ("head", "/users/{id}", "updateUser", "update"),
        ("delete", "/orders/{id}", "createOrder", "create"),
        ("delete", "/orders/{id}", "getOrder", "get"),
        ("put", "/users/{id}", "get_user", "get"),
        ("patch", "/users/{id}", "listUsers", "list"),
        ("post", "/users", "getUsers", "get"),
    ],
)
def test_operation_id_contradicting_the_method(
    lint: Lint, method: str, path: str, op_id: str, word: str
) -> None:
    findings = lint(_one_op(method, path, op_id), select=["operation-id-method-mismatch"])
    [(pointer, message)] = found(findings, "operation-id-method-mismatch")
    escaped = path.replace("/", "~1")
    assert pointer == f"/paths/{escaped}/{method}/operationId"
    assert f"operationId '{op_id}' says '{word}'" in message
    assert f"{method.upper()} {path}" in message


@pytest.mark.parametrize(
    ("method", "path", "op_id"),
    [
        ("get", "/users", "listUsers"),
        ("get", "/repos/{r}/contents/{p}", "repos/get-content"),
        ("get", "/runs", "UpdateRuns_Get"),  # Azure: the resource is "UpdateRuns"
        ("get", "/droplets/{id}/destroy/status", "droplets_get_DestroyAssociatedResourcesStatus"),
        ("get", "/sends/data_series", "sendAnalytics"),  # email marketing: a "send" is a noun
        ("get", "/add-ons", "addOnsList"),
        ("put", "/notifications", "activity/mark-notifications-as-read"),
        ("put", "/users/{id}", "VirtualMachines_CreateOrUpdate"),
        ("patch", "/users/{id}", "updateUser"),
        ("delete", "/users/{id}", "Users_Delete"),
        ("post", "/vaults/{v}", "Vaults_ListKeys"),  # POST keeps secrets out of URLs
        ("post", "/sites/{s}/config/list", "Sites_ListSiteAppSettings"),  # an action path
        ("post", "/users", "login"),
    ],
)
def test_operation_ids_that_agree(lint: Lint, method: str, path: str, op_id: str) -> None:
    assert lint(_one_op(method, path, op_id), select=["operation-id-method-mismatch"]) == []


def test_a_read_by_post_with_a_body_or_with_a_get_twin(lint: Lint) -> None:
    findings = lint(
        """
        paths:
          /users/lookup:
            post:
              operationId: getUsersByIds
              requestBody:
                content:
                  application/json:
                    schema: {type: array, items: {type: integer}}
              responses:
                "200": {description: Users}
          /#Action=GetAccountSummary:
            get:
              operationId: GET_GetAccountSummary
              responses:
                "200": {description: Summary}
            post:
              operationId: POST_GetAccountSummary
              responses:
                "200": {description: Summary}
        """,
        select=["operation-id-method-mismatch"],
    )
    assert findings == []


# -- safe-method-action -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["/orders/{id}/cancel", "/thoughts/{id}/delete", "/v1/{name}:cancel", "/apps.uninstall"],
)
def test_get_on_an_action(lint: Lint, path: str) -> None:
    findings = lint(
        f"""
        paths:
          "{path}":
            get:
              responses:
                "204": {{description: Done}}
        """,
        select=["safe-method-action"],
    )
    [finding] = findings
    assert finding.pointer == f"/paths/{path.replace('/', '~1')}/get"
    assert finding.severity is Severity.ERROR
    assert "GET is a safe method" in finding.message


def test_ambiguous_action_words(lint: Lint) -> None:
    findings = lint(
        """
        paths:
          /instances/{id}/stop:
            get:
              responses:
                "204": {description: Stopped}
          /sync/{key}/start:
            get:
              summary: Retrieve sync flow url
              responses:
                "200":
                  description: The URL that starts the flow
                  content: {application/json: {schema: {type: object}}}
          /gists/{id}/star:
            get:
              summary: Check if a gist is starred
              responses:
                "204": {description: Starred}
            put:
              responses:
                "204": {description: Starred}
            delete:
              responses:
                "204": {description: Not starred}
        """,
        select=["safe-method-action"],
    )
    assert pointers(findings, "safe-method-action") == ["/paths/~1instances~1{id}~1stop/get"]


def test_gets_that_only_look_like_actions(lint: Lint) -> None:
    # Reverb's Rails-style GET .../edit, generated names, a bus stop's schedule (Transport for
    # London), Azure's rerunTriggers collection, a GET that says it reads what POST cancels.
    findings = lint(
        """
        paths:
          /listings/{slug}/edit:
            get: {responses: {"200": {description: The form}}}
          /name/generate:
            get: {responses: {"200": {description: Generated names}}}
          /StopSchedule:
            get: {responses: {"200": {description: Schedule at a stop}}}
          /triggers/{t}/rerunTriggers:
            get: {responses: {"200": {description: Rerun triggers}}}
          /orders/{id}/cancel:
            get:
              operationId: getCancellationStatus
              responses: {"200": {description: Whether it can be cancelled}}
            post:
              responses: {"204": {description: Cancelled}}
        """,
        select=["safe-method-action"],
    )
    assert findings == []


def test_a_get_that_answers_201_creates(lint: Lint) -> None:
    # GitHub: GET .../dependency-graph/sbom/generate-report answers 201.
    findings = lint(
        """
        paths:
          /repos/{r}/sbom/generate-report:
            get:
              parameters:
                - {name: r, in: path, required: true, schema: {type: string}}
              responses:
                "201": {description: Report requested}
        """,
        select=["safe-method-action"],
    )
    assert pointers(findings, "safe-method-action") == [
        "/paths/~1repos~1{r}~1sbom~1generate-report/get"
    ]


# -- operation-id-unique ------------------------------------------------------------------------


def test_duplicate_operation_ids_are_reported_at_each(lint: Lint) -> None:
    findings = lint(
        """
        paths:
          /a:
            get:
              operationId: getThing
              responses: {"200": {description: OK}}
          /b:
            get:
              operationId: getThing
              responses: {"200": {description: OK}}
          /c:
            get:
              operationId: getOther
              responses: {"200": {description: OK}}
        """,
        select=["operation-id-unique"],
    )
    assert pointers(findings, "operation-id-unique") == [
        "/paths/~1a/get/operationId",
        "/paths/~1b/get/operationId",
    ]
    assert "'getThing' is also used by GET /b" in findings[0].message
    assert "'getThing' is also used by GET /a" in findings[1].message
    assert all(f.severity is Severity.ERROR for f in findings)


def test_operation_ids_in_callbacks_and_webhooks_count(lint: Lint) -> None:
    findings = lint(
        """
        openapi: 3.1.0
        info: {title: T, version: "1"}
        paths:
          /subscriptions:
            post:
              operationId: notify
              responses: {"201": {description: Created}}
              callbacks:
                onEvent:
                  "{$request.body#/url}":
                    post:
                      operationId: notify
                      responses: {"200": {description: OK}}
        webhooks:
          newThing:
            post:
              operationId: notify
              responses: {"200": {description: OK}}
        """,
        select=["operation-id-unique"],
    )
    assert sorted(pointers(findings, "operation-id-unique")) == [
        "/paths/~1subscriptions/post/callbacks/onEvent/{$request.body#~1url}/post/operationId",
        "/paths/~1subscriptions/post/operationId",
        "/webhooks/newThing/post/operationId",
    ]
    top = next(f for f in findings if f.pointer == "/paths/~1subscriptions/post/operationId")
    assert "POST callback onEvent" in top.message
    assert "POST webhook newThing" in top.message


def test_ids_differing_only_in_case_or_separators(lint: Lint) -> None:
    body = """
        paths:
          /a:
            get:
              operationId: getUser
              responses: {"200": {description: OK}}
          /b:
            get:
              operationId: get_user
              responses: {"200": {description: OK}}
    """
    findings = lint(body, select=["operation-id-unique"])
    assert pointers(findings, "operation-id-unique") == [
        "/paths/~1a/get/operationId",
        "/paths/~1b/get/operationId",
    ]
    assert "'getUser' differs from 'get_user' (GET /b) only in case" in findings[0].message
    assert (
        lint(
            body,
            select=["operation-id-unique"],
            options={"operation-id-unique": {"normalize": False}},
        )
        == []
    )


# -- the bundled example -------------------------------------------------------------------------

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "thoughts"


def test_the_example_shows_its_planted_mistakes(tmp_path: Path) -> None:
    from apilint.lint.engine import Linter
    from apilint.settings.config import Config

    linter = Linter(Config(), select=["methods"])
    findings, _ = linter.lint_file(EXAMPLES / "openapi.yaml")
    got = {(f.rule, f.operation) for f in findings}
    assert ("post-create-status", "POST /api/users/") in got
    assert ("post-create-status", "POST /api/createThought") in got
    assert ("get-request-body", "DELETE /api/thoughts/{thoughtId}") in got
    assert ("no-content-body", "DELETE /api/thoughts/{thoughtId}") in got
    assert ("safe-method-action", "GET /api/thoughts/{thoughtId}/delete") in got
    # the same problem, said once: the operationId's 'delete' is safe-method-action's finding
    assert ("operation-id-method-mismatch", "GET /api/thoughts/{thoughtId}/delete") not in got
    assert ("operation-id-unique", "DELETE /api/thoughts/{thoughtId}") in got
    fixed, _ = linter.lint_file(EXAMPLES / "openapi.fixed.yaml")
    assert fixed == []


def test_a_verb_phrase_is_not_a_collection_to_create_in(lint: Lint) -> None:
    # GitHub: POST /repos/{owner}/{repo}/releases/generate-notes ("Generate release notes
    # content") answers 200; Stripe's login_links and report_runs are collections all the same.
    findings = lint(
        f"""
        paths:
          /releases/generate-notes:
            post:
              operationId: repos/generate-release-notes
              summary: Generate release notes content for a release
{JSON_BODY}
              responses:
                "200": {{description: The notes}}
          /accounts/{{account}}/login_links:
            post:
              description: <p>Creates a single-use login link for an Express account.</p>
              parameters:
                - {{name: account, in: path, required: true, schema: {{type: string}}}}
{JSON_BODY}
              responses:
                "200": {{description: The link}}
        """,
        select=["post-create-status"],
    )
    assert pointers(findings, "post-create-status") == [
        "/paths/~1accounts~1{account}~1login_links/post/responses/200"
    ]


def test_malformed_parameters_do_not_crash(tmp_path: Path) -> None:
    # Found by the fuzzer: a Swagger 2.0 parameter whose name is a list.
    import json

    from apilint.lint.engine import Linter
    from apilint.settings.config import Config

    document = {
        "swagger": "2.0",
        "info": {"title": "t", "version": "1"},
        "paths": {
            "/pets": {
                "parameters": [{"name": "q", "in": "body", "schema": {}}],
                "get": {"parameters": [{"name": [], "in": "query"}], "responses": {}},
            }
        },
    }
    spec = tmp_path / "api.json"
    spec.write_text(json.dumps(document), encoding="utf-8")
    findings, _ = Linter(Config(), select=["methods"]).lint_file(spec)
    assert [f.pointer for f in findings if f.rule == "get-request-body"] == [
        "/paths/~1pets/parameters/0"
    ]


def test_one_finding_per_problem_on_a_fragment_key(lint: Lint) -> None:
    # Converted AWS-style descriptions: 'GET /#Action=DeleteUser' is one problem (a GET that
    # deletes), reported by safe-method-action; the operationId saying 'delete' is the same one.
    findings = lint(
        """
        paths:
          /#Action=DeleteUser:
            get:
              operationId: DeleteUser
              responses: {"200": {description: OK}}
        """,
        select=["safe-method-action", "operation-id-method-mismatch", "path-verb"],
    )
    assert [f.rule for f in findings] == ["safe-method-action"]


def test_created_at_the_request_url_needs_no_location(lint: Lint) -> None:
    # A POST to an item, or to a singleton a GET on the same path reads, creates it there.
    findings = lint(
        """
        paths:
          /v2/registry:
            get:
              responses:
                "200":
                  description: The registry
                  content: {application/json: {schema: {type: object}}}
            post:
              responses: {"201": {description: Created}}
          /users/{id}:
            parameters: [{name: id, in: path, required: true, schema: {type: integer}}]
            post:
              responses: {"201": {description: Created}}
          /users:
            get:
              responses:
                "200":
                  description: Users
                  content: {application/json: {schema: {type: array, items: {type: object}}}}
            post:
              responses: {"201": {description: Created}}
        """,
        select=["created-location-header"],
    )
    assert pointers(findings, "created-location-header") == ["/paths/~1users/post/responses/201"]


def test_adding_to_a_set_without_item_paths_is_not_a_create(lint: Lint) -> None:
    findings = lint(
        """
        paths:
          /allowed-ips:
            post:
              summary: Add an IP address to the allow-list
              requestBody:
                content: {application/json: {schema: {type: object, properties: {ip: {type: string}}}}}
              responses: {"200": {description: The allow-list}}
        """,
        select=["post-create-status"],
    )
    assert findings == []


def test_the_verb_an_operation_id_leads_with(lint: Lint) -> None:
    findings = lint(
        """
        paths:
          /users:
            get:
              operationId: listUsers#deleted
              responses: {"200": {description: OK}}
          /keys:
            post:
              operationId: getAccess
              responses:
                "200":
                  description: The credentials
                  content:
                    application/json:
                      schema:
                        type: object
                        properties: {data: {type: object, properties: {secretKey: {type: string}}}}
          /things/$count:
            get:
              operationId: Get.Count.thingUpdateStatuses-c734
              responses: {"200": {description: OK}}
          /search:
            patch:
              operationId: search.searchEntity.UpdateSearchEntity
              requestBody:
                content: {application/json: {schema: {type: object}}}
              responses: {"200": {description: OK}}
          /reports:
            post:
              operationId: getReport
              responses: {"200": {description: OK}}
        """,
        select=["operation-id-method-mismatch"],
    )
    # '#deleted' qualifies listUsers; a POST returning a secret keeps it out of URLs and caches.
    assert pointers(findings, "operation-id-method-mismatch") == [
        "/paths/~1reports/post/operationId"
    ]
    assert findings[0].message == (
        "operationId 'getReport' says 'get', but the operation is a POST without a request body "
        "(POST /reports)"
    )
