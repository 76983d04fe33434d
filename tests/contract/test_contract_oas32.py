"""The contract runner on an OpenAPI 3.2 description: Schemathesis fuzzes ``query`` operations,
the probes treat QUERY as safe (both trailing-slash forms, allowed by --read-only), and an
``additionalOperations`` method is probed as written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask, Response, jsonify, request

from tests.contract.contract_support import found, run_contract, serve_wsgi, write_spec

SPEC = """\
openapi: 3.2.0
info: {title: Search, version: "1"}
paths:
  /search:
    query:
      operationId: searchItems
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              properties:
                term: {type: string, maxLength: 20}
      responses:
        "200":
          description: Matches
          content:
            application/json:
              schema: {type: object, properties: {count: {type: integer}}}
  /cache:
    additionalOperations:
      PURGE:
        responses:
          "204": {description: Purged}
"""


def search_app(seen: list[tuple[str, str, bytes]]) -> Flask:
    """QUERY /search/ (Werkzeug's strict slashes answer /search with a 308) and PURGE /cache."""
    app = Flask("search")

    @app.before_request
    def record() -> None:
        seen.append((request.method, request.path, request.get_data()))

    @app.route("/search/", methods=["QUERY"])
    def search() -> Response:
        return jsonify(count=0)

    @app.route("/cache", methods=["PURGE"])
    def purge() -> Any:
        return "", 204

    return app


def test_query_operations_are_fuzzed_and_probed_as_safe(tmp_path: Path) -> None:
    spec = write_spec(tmp_path, SPEC)
    seen: list[tuple[str, str, bytes]] = []
    with serve_wsgi(search_app(seen)) as base_url:
        outcome = run_contract(spec, base_url=base_url, read_only=True)
    assert outcome.error is None
    # --read-only still tests QUERY (safe), not PURGE.
    assert outcome.operations == 1
    assert not any(method == "PURGE" for method, _, _ in seen)
    queries = [(path, body) for method, path, body in seen if method == "QUERY"]
    # The probe sent both trailing-slash forms, as for a GET; Schemathesis sent bodies.
    assert {"/search", "/search/"} <= {path for path, _ in queries}
    assert sum(1 for _, body in queries if body.startswith(b"{")) > 2
    assert ("unexpected-redirect", "QUERY /search") in found(outcome)


def test_additional_operations_are_sent_as_written(tmp_path: Path) -> None:
    spec = write_spec(tmp_path, SPEC)
    seen: list[tuple[str, str, bytes]] = []
    with serve_wsgi(search_app(seen)) as base_url:
        outcome = run_contract(spec, base_url=base_url, phases=[])
    assert outcome.error is None
    assert outcome.operations == 2
    assert ("PURGE", "/cache", b"") in seen


QUERYSTRING_SPEC = """\
openapi: 3.2.0
info: {title: Find, version: "1"}
paths:
  /find:
    get:
      parameters:
        - name: filter
          in: querystring
          required: true
          content:
            application/x-www-form-urlencoded:
              schema:
                type: object
                required: [term]
                properties:
                  term: {type: string, enum: [owls]}
                  page: {type: integer, minimum: 1}
      responses:
        "200": {description: Matches}
        "400": {description: No term}
"""


def test_a_required_querystring_parameter_is_sent_whole(tmp_path: Path) -> None:
    # OpenAPI 3.2 describes the whole query string as one parameter: the probes send it, so a
    # service that needs it answers the probe (not a 400 that says nothing about slashes).
    spec = write_spec(tmp_path, QUERYSTRING_SPEC)
    seen: list[str] = []
    app = Flask("find")

    @app.route("/find")
    def find() -> Any:
        seen.append(request.query_string.decode())
        return ("", 400) if request.args.get("term") != "owls" else jsonify(count=1)

    with serve_wsgi(app) as base_url:
        outcome = run_contract(spec, base_url=base_url, phases=[])
    assert outcome.error is None
    assert "term=owls" in seen
    assert not found(outcome)


# The two querystring parameters of the OpenAPI 3.2.0 specification's own examples (its
# Parameter Object section), as written there: examples given as dataValue and serializedValue.
SPEC_EXAMPLES = """\
openapi: 3.2.0
info: {title: Specification examples, version: "1"}
paths:
  /form:
    get:
      parameters:
        - name: form
          in: querystring
          required: true
          content:
            application/x-www-form-urlencoded:
              schema:
                type: object
                properties:
                  foo: {type: string}
                  bar: {type: boolean}
              examples:
                spacesAndPluses:
                  dataValue: {foo: a + b, bar: true}
                  serializedValue: foo=a+%2B+b&bar=true
      responses:
        "200": {description: OK}
  /json:
    get:
      parameters:
        - in: querystring
          name: json
          required: true
          content:
            application/json:
              schema:
                type: object
                properties:
                  numbers: {type: array, items: {type: integer}}
                  flag: {type: [boolean, "null"]}
          examples:
            TwoNoFlag:
              dataValue: {numbers: [1, 2], flag: null}
              serializedValue: "%7B%22numbers%22%3A%5B1%2C2%5D%2C%22flag%22%3Anull%7D"
      responses:
        "200": {description: OK}
"""


def test_the_specifications_querystring_examples_are_sent_as_their_data(tmp_path: Path) -> None:
    import json
    from urllib.parse import unquote

    spec = write_spec(tmp_path, SPEC_EXAMPLES)
    seen: dict[str, str] = {}
    app = Flask("examples")

    @app.route("/form")
    def form() -> Any:
        seen["form"] = request.query_string.decode()
        return jsonify(foo=request.args.get("foo"), bar=request.args.get("bar"))

    @app.route("/json")
    def json_query() -> Any:
        seen["json"] = request.query_string.decode()
        return jsonify(ok=True)

    with serve_wsgi(app) as base_url:
        outcome = run_contract(spec, base_url=base_url, phases=[])
    assert outcome.error is None
    assert seen["form"] == "foo=a+%2B+b&bar=true"  # the specification's serializedValue
    assert json.loads(unquote(seen["json"])) == {"numbers": [1, 2], "flag": None}
