"""Whole exchanges against the description: response bodies against their schema, required
request headers, security requirements. The responses are a real Flask app's, captured by
the test into a HAR file and NDJSON exchanges as a browser or a proxy would."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, Response, jsonify, request
from traffic_support import rules_of, traffic_json, write_log, write_spec

SPEC = """
    openapi: 3.0.3
    info: {title: accounts, version: "1"}
    paths:
      /api/users/{id}:
        get:
          security: [{bearer: []}]
          parameters:
            - {name: id, in: path, required: true, schema: {type: integer}}
            - {name: X-Request-Id, in: header, required: true, schema: {type: string}}
          responses:
            "200":
              description: a user
              content:
                application/json:
                  schema: {$ref: "#/components/schemas/User"}
            "404":
              description: no such user
      /api/accounts/{id}:
        get:
          security: [{apiKey: []}, {}]
          parameters:
            - {name: id, in: path, required: true, schema: {type: integer}}
          responses:
            "200":
              description: an account
              content:
                application/json:
                  schema:
                    type: object
                    properties:
                      name: {type: string}
                      password: {type: string, format: password, writeOnly: true}
            "204":
              description: nothing
    components:
      securitySchemes:
        bearer: {type: http, scheme: bearer}
        apiKey: {type: apiKey, in: header, name: X-Api-Key}
      schemas:
        User:
          type: object
          required: [id, name]
          properties:
            id: {type: integer}
            name: {type: string}
"""

TOKEN = "s3cr3t-t0ken-value"


def _app() -> Flask:
    app = Flask("accounts")

    @app.get("/api/users/<int:user>")
    def user(user: int) -> Any:
        if user == 404:
            return jsonify(error="no such user"), 404
        if user % 2:
            return jsonify(id=user, name=f"user {user}")
        return jsonify(id=str(user))  # a string id, no name: what the schema refuses

    @app.get("/api/accounts/<int:account>")
    def account(account: int) -> Any:
        if account == 0:
            return Response(status=204)
        return jsonify(name="acct", password=987654321)

    @app.after_request
    def echo(response: Response) -> Response:
        response.headers["X-Seen-Auth"] = str("authorization" in request.headers)
        return response

    return app


CALLS: list[tuple[str, dict[str, str]]] = [
    ("/api/users/1", {"Authorization": f"Bearer {TOKEN}", "X-Request-Id": "a1"}),
    ("/api/users/2", {"Authorization": f"Bearer {TOKEN}", "X-Request-Id": "a2"}),
    ("/api/users/4", {"X-Request-Id": "a3"}),
    ("/api/users/3", {"Authorization": f"Bearer {TOKEN}"}),
    ("/api/users/404", {"Authorization": f"Bearer {TOKEN}", "X-Request-Id": "a4"}),
    ("/api/accounts/7", {}),
    ("/api/accounts/0", {}),
]


def _exchanges(calls: list[tuple[str, dict[str, str]]]) -> list[dict[str, Any]]:
    """Each call made to the Flask app, as a HAR entry."""
    client = _app().test_client()
    entries = []
    for path, headers in calls:
        response = client.get(path, headers=headers)
        text = response.get_data(as_text=True)
        entries.append(
            {
                "startedDateTime": "2026-12-04T10:00:00.000Z",
                "time": 3.5,
                "request": {
                    "method": "GET",
                    "url": f"http://localhost{path}",
                    "httpVersion": "HTTP/1.1",
                    "headers": [{"name": k, "value": v} for k, v in headers.items()],
                    "cookies": [],
                    "queryString": [],
                },
                "response": {
                    "status": response.status_code,
                    "statusText": response.status,
                    "headers": [{"name": k, "value": v} for k, v in response.headers.items()],
                    "content": {
                        "size": len(response.get_data()),
                        "mimeType": response.mimetype or "",
                        **({"text": text} if text else {}),
                    },
                },
            }
        )
    return entries


def _har(tmp_path: Path, entries: list[dict[str, Any]]) -> Path:
    path = tmp_path / "capture.har"
    path.write_text(json.dumps({"log": {"version": "1.2", "entries": entries}}), encoding="utf-8")
    return path


def _ndjson(tmp_path: Path, entries: list[dict[str, Any]]) -> Path:
    lines = []
    for entry in entries:
        req, res = entry["request"], entry["response"]
        lines.append(
            json.dumps(
                {
                    "request": {
                        "method": req["method"],
                        "url": req["url"],
                        "headers": {h["name"]: h["value"] for h in req["headers"]},
                    },
                    "response": {
                        "status": res["status"],
                        "headers": {h["name"]: h["value"] for h in res["headers"]},
                        "body": res["content"].get("text", ""),
                    },
                }
            )
        )
    return write_log(tmp_path, lines, "exchanges.ndjson")


def _by_rule(report: dict[str, Any], rule: str) -> list[dict[str, Any]]:
    return [f for f in report["findings"] if f["rule"] == rule]


@pytest.mark.parametrize("capture", [_har, _ndjson])
def test_exchanges_against_the_description(tmp_path: Path, capture: Any) -> None:
    spec = write_spec(tmp_path, SPEC)
    report = traffic_json(spec, [capture(tmp_path, _exchanges(CALLS))])
    text = json.dumps(report)
    assert TOKEN not in text
    assert "987654321" not in text  # a password property's value is never shown

    schema = {f["operation"]: f for f in _by_rule(report, "traffic-response-schema")}
    assert set(schema) == {"GET /api/users/{id}", "GET /api/accounts/{id}"}
    users = schema["GET /api/users/{id}"]
    # users/1 and users/3 match; users/2 and users/4 send a string id and no name; the 404
    # documents no content and the 204 has no body: neither is checked
    assert users["message"].startswith("GET /api/users/{id}: 2 of 4 200 responses do not match")
    assert users["message"].endswith("(e.g. at the root: missing required property 'name')")
    assert users["pointer"] == (
        "/paths/~1api~1users~1{id}/get/responses/200/content/application~1json/schema"
    )
    assert users["body_pointer"] == "" and users["count"] == 2 and users["responses"] == 4
    assert "1 of 1 200 responses" in schema["GET /api/accounts/{id}"]["message"]
    assert schema["GET /api/accounts/{id}"]["message"].endswith(
        "(e.g. at /password: the value is an integer, not string)"
    )

    headers = _by_rule(report, "traffic-header-missing")
    assert [(f["operation"], f["message"]) for f in headers] == [
        (
            "GET /api/users/{id}",
            "GET /api/users/{id}: required header 'X-Request-Id' is missing from 1 of 5 "
            "captured requests (1 of them answered 2xx)",
        )
    ]
    security = _by_rule(report, "traffic-security-missing")
    # /api/accounts accepts anonymous calls ({}): only users/4 lacks its bearer token
    assert [(f["operation"], f["message"]) for f in security] == [
        (
            "GET /api/users/{id}",
            "GET /api/users/{id}: 1 of 5 captured requests carry none of the credentials its "
            "security requirements name (1 of them answered 2xx)",
        )
    ]


def test_cut_and_unlabelled_bodies_are_not_judged(tmp_path: Path) -> None:
    spec = write_spec(tmp_path, SPEC)
    entries = _exchanges([("/api/users/2", {"Authorization": f"Bearer {TOKEN}"})] * 3)
    entries[0]["response"]["content"]["size"] += 100  # the capture kept only the start
    for entry in entries[1:]:
        entry["response"]["headers"] = []
        entry["response"]["content"]["mimeType"] = "text/plain"
    report = traffic_json(spec, [_har(tmp_path, entries)])
    assert _by_rule(report, "traffic-response-schema") == []


def test_no_security_finding_when_the_capture_keeps_no_credentials(tmp_path: Path) -> None:
    """Browsers export HAR files without Authorization headers and cookies by default."""
    spec = write_spec(tmp_path, SPEC)
    entries = _exchanges([("/api/users/1", {"X-Request-Id": "a"})] * 2)
    report = traffic_json(spec, [_har(tmp_path, entries)])
    assert _by_rule(report, "traffic-security-missing") == []
    assert ("traffic-response-schema", "GET /api/users/{id}") not in rules_of(report)


def test_access_logs_without_exchanges_report_none_of_this(tmp_path: Path) -> None:
    spec = write_spec(tmp_path, SPEC)
    log = write_log(
        tmp_path,
        [json.dumps({"method": "GET", "path": "/api/users/2", "status": 200})],
        "access.jsonl",
    )
    report = traffic_json(spec, [log])
    rules = {rule for rule, _ in rules_of(report)}
    assert not rules & {
        "traffic-response-schema",
        "traffic-header-missing",
        "traffic-security-missing",
    }


SWAGGER = """
    swagger: "2.0"
    info: {title: items, version: "1"}
    produces: [application/json]
    securityDefinitions:
      key: {type: apiKey, in: query, name: api_key}
    security: [{key: []}]
    paths:
      /api/items/{id}:
        get:
          parameters:
            - {name: id, in: path, required: true, type: integer}
          responses:
            "200":
              description: an item
              schema: {type: object, required: [id], properties: {id: {type: integer}}}
            default:
              description: an error
              schema: {type: object, required: [code], properties: {code: {type: integer}}}
      /api/things:
        post:
          security: []
          responses:
            "201":
              description: created, no body documented
"""


def _items_app() -> Flask:
    app = Flask("items")

    @app.get("/api/items/<int:item>")
    def item(item: int) -> Any:
        if "api_key" not in request.args:
            return jsonify(message="no key"), 401  # not the documented error shape
        return jsonify(id=item)

    @app.post("/api/things")
    def things() -> Any:
        return jsonify(anything=True), 201

    return app


def test_swagger_query_keys_and_the_default_response(tmp_path: Path) -> None:
    spec = write_spec(tmp_path, SWAGGER)
    client = _items_app().test_client()
    lines = []
    for method, target in [
        ("GET", "/api/items/1?api_key=k-123"),
        ("GET", "/api/items/2?api_key=k-123"),
        ("GET", "/api/items/3"),
        ("POST", "/api/things"),
    ]:
        response = client.open(target, method=method, headers={"Accept": "application/json"})
        lines.append(
            json.dumps(
                {
                    "request": {"method": method, "url": target, "headers": {"accept": "*/*"}},
                    "response": {
                        "status": response.status_code,
                        "headers": dict(response.headers),
                        "body": response.get_data(as_text=True),
                    },
                }
            )
        )
    report = traffic_json(spec, [write_log(tmp_path, lines, "x.ndjson")])
    assert "k-123" not in json.dumps(report)
    found = [(f["rule"], f["message"]) for f in report["findings"] if "GET" in f["message"]]
    assert sorted(found) == [
        (
            "traffic-response-schema",
            "GET /api/items/{id}: 1 of 1 401 responses do not match the documented schema "
            "(e.g. at the root: missing required property 'code')",
        ),
        (
            "traffic-security-missing",
            "GET /api/items/{id}: 1 of 3 captured requests carry none of the credentials its "
            "security requirements name (0 of them answered 2xx)",
        ),
    ]
    # POST /api/things documents 201 without a body and takes anonymous calls: nothing to say
    assert not [f for f in report["findings"] if f["operation"] == "POST /api/things"]
