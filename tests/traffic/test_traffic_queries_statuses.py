"""Every request counted once with its status; query parameters and undocumented statuses.

The same requests go through a real NGINX and a real HAProxy in front of one Flask app; both
logs must give the same numbers (HAProxy cuts its long line at 1,024 bytes: recovered).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import run_cli
from real_servers import haproxy_log, nginx_log
from traffic_support import usage_of, write_spec

SPEC = """
openapi: 3.0.3
info: {title: Search, version: "1"}
servers: [{url: /api}]
paths:
  /search:
    get:
      parameters:
        - {name: q, in: query, required: true, schema: {type: string}}
        - {name: page, in: query, schema: {type: integer, minimum: 1}}
        - {name: sort, in: query, schema: {type: string, enum: [new, top]}}
        - {name: tags, in: query, explode: false, schema: {type: array, items: {type: integer}}}
      responses: {"200": {description: Hits}, "400": {description: Bad query}}
  /users/{id}:
    parameters: [{name: id, in: path, required: true, schema: {type: integer}}]
    get:
      responses: {"200": {description: A user}}
    delete:
      responses: {"204": {description: Gone}, "404": {description: No such user}}
  /health:
    get:
      responses: {"200": {description: Up}}
"""

PAD = "x" * 1200
REQUESTS = [
    *[("GET", "/api/search?q=tea&limit=20")] * 4,
    *[("GET", "/api/search?q=tea&page=abc")] * 2,
    ("GET", "/api/search?q=tea&page=0"),
    ("GET", "/api/search?q=tea&sort=old"),
    ("GET", "/api/search?q=tea&tags=1,2,x"),
    ("GET", "/api/search?q=tea&sort=top&tags=1,2"),
    *[("GET", "/api/search?page=2")] * 2,  # the app answers 400 without q
    ("GET", f"/api/search?q=tea&pad={PAD}"),  # HAProxy cuts this line inside the query
    *[("DELETE", "/api/users/5")] * 3,  # the app answers 401: not documented
    *[("GET", "/api/users/5")] * 2,
    ("HEAD", "/api/users/5"),
    *[("GET", "/api/health")] * 2,
    *[("GET", "/api/health/")] * 2,  # Flask: 404 (the other slash form)
    ("OPTIONS", "/api/health"),
]


def _app() -> Any:
    from flask import Flask, request

    app = Flask("search")

    @app.get("/api/search")
    def search() -> Any:
        if "q" not in request.args:
            return {"error": "q is required"}, 400
        return {"hits": []}

    @app.get("/api/users/<int:uid>")
    def user(uid: int) -> Any:
        return {"id": uid}

    @app.delete("/api/users/<int:uid>")
    def delete(uid: int) -> Any:
        return {"error": "unauthorised"}, 401

    @app.get("/api/health")
    def health() -> Any:
        return {"up": True}

    return app


@pytest.fixture(scope="module")
def logs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    nginx = nginx_log(tmp_path_factory.mktemp("nginx"), _app(), REQUESTS, upstream_path="")
    haproxy = haproxy_log(tmp_path_factory.mktemp("haproxy"), _app(), REQUESTS)
    return {"nginx": nginx, "haproxy": haproxy}


def _report(tmp_path: Path, log: Path, *options: str) -> dict[str, Any]:
    spec = write_spec(tmp_path, SPEC)
    result = run_cli("traffic", str(spec), str(log), "-f", "json", *options, cwd=tmp_path)
    assert result.returncode in (0, 1), result.stderr
    report: dict[str, Any] = json.loads(result.stdout)
    return report


@pytest.mark.parametrize("server", ["nginx", "haproxy"])
def test_every_request_is_counted_once_with_its_status(
    server: str, logs: dict[str, Path], tmp_path: Path
) -> None:
    report = _report(tmp_path, logs[server])
    traffic = report["traffic"]
    assert traffic["requests"] == len(REQUESTS)
    assert report["unparsed_lines"] == 0
    parts = ("documented", "other_slash_form", "undocumented", "options_preflight")
    assert sum(traffic[p] for p in parts) == traffic["requests"]
    assert sum(traffic["status"].values()) == traffic["requests"]
    for part in parts:
        status = traffic[
            "options_preflight_status" if part == "options_preflight" else part + "_status"
        ]
        assert sum(status.values()) == traffic[part], part
    assert traffic["other_slash_form_status"] == {"404": 2}
    assert traffic["options_preflight_status"] == {"200": 1}
    usage = usage_of(report)
    health = usage["GET /health"]
    assert (health["calls"], health["requests"], health["other_slash_form"]) == (4, 2, 2)
    assert health["other_slash_form_status"] == {"404": 2}
    user = usage["GET /users/{id}"]
    assert (user["calls"], user["requests"], user["head"], user["status"]) == (3, 3, 1, {"200": 3})
    assert (
        sum(u["calls"] for u in report["usage"])
        == traffic["documented"] + traffic["other_slash_form"]
    )
    assert (
        sum(r["requests"] for r in report["prefixes"])
        == traffic["requests"] - traffic["options_preflight"]
    )
    # 404s on the other slash form are not redirects: no traffic-redirect finding for them
    assert not [f for f in report["findings"] if f["rule"] == "traffic-redirect"]


@pytest.mark.parametrize("server", ["nginx", "haproxy"])
def test_query_parameters_and_undocumented_statuses(
    server: str, logs: dict[str, Path], tmp_path: Path
) -> None:
    report = _report(tmp_path, logs[server])
    found = {
        (f["rule"], f.get("parameter") or f.get("status")): f
        for f in report["findings"]
        if f["rule"].startswith(("traffic-query", "traffic-status"))
    }
    undocumented_names = {"limit"} | ({"pad"} if server == "nginx" else set())
    assert {name for rule, name in found if rule == "traffic-query-undocumented"} == (
        undocumented_names
    )
    limit = found[("traffic-query-undocumented", "limit")]
    assert (limit["count"], limit["requests"]) == (4, 13)
    assert limit["message"] == (
        "GET /search: query parameter 'limit' is not documented, yet 4 of 13 requests send it "
        "(e.g. limit=20)"
    )
    page = found[("traffic-query-invalid", "page")]
    assert (page["count"], page["requests"]) == (3, 5)
    assert (
        "is not an integer in 3 of the 5 requests that send it (e.g. page=abc)" in (page["message"])
    )
    assert page["pointer"] == "/paths/~1search/get/parameters/1"
    sort = found[("traffic-query-invalid", "sort")]
    assert sort["count"] == 1 and "not one of the enum values (new, top)" in sort["message"]
    tags = found[("traffic-query-invalid", "tags")]
    assert tags["count"] == 1 and "e.g. tags=1,2,x" in tags["message"]
    missing = found[("traffic-query-missing", "q")]
    assert (missing["count"], missing["requests"]) == (2, 13)
    status = found[("traffic-status-undocumented", "401")]
    assert status["operation"] == "DELETE /users/{id}"
    assert status["message"] == (
        "DELETE /users/{id} answered 401, which it does not document, to 3 of its 3 requests "
        "(100.0%)"
    )
    assert ("traffic-status-undocumented", "400") not in found  # documented


def test_haproxy_cuts_the_long_line_and_apilint_recovers_it(logs: dict[str, Path]) -> None:
    lines = logs["haproxy"].read_bytes().splitlines()
    long = [line for line in lines if b"pad=" in line]
    assert len(long) == 1 and len(long[0]) <= 1024 and not long[0].endswith(b'"')
    nginx = [line for line in logs["nginx"].read_bytes().splitlines() if b"pad=" in line]
    assert nginx[0].count(b"x") >= 1200


def test_the_text_report_shows_every_status(logs: dict[str, Path], tmp_path: Path) -> None:
    spec = write_spec(tmp_path, SPEC)
    out = run_cli("traffic", str(spec), str(logs["nginx"]), cwd=tmp_path).stdout
    assert "other slash form" in out
    row = next(line for line in out.splitlines() if line.strip().startswith("GET /health "))
    # CALLS SHARE OTHER-SLASH HEAD 2XX 3XX 4XX 5XX
    assert row.split()[2:10] == ["4", f"{4 / len(REQUESTS):.1%}", "2", "0", "2", "0", "2", "0"]
    total = next(line for line in out.splitlines() if line.strip().startswith("total "))
    assert total.split()[1] == str(len(REQUESTS))


def test_coverage_names_what_no_request_exercised(logs: dict[str, Path], tmp_path: Path) -> None:
    report = _report(tmp_path, logs["nginx"], "--coverage")
    rows = {r["operation"]: r for r in report["coverage"]["operations"]}
    search = rows["GET /search"]
    assert search["responses_seen"] == ["200", "400"]
    assert search["query_parameters_not_sent"] == []
    assert rows["DELETE /users/{id}"]["responses_not_seen"] == ["204", "404"]
    assert rows["GET /health"]["responses_seen"] == ["200"]
    assert report["coverage"]["totals"] == {
        "operations": 4,
        "called": 4,
        "responses": 6,
        "responses_seen": 4,
        "query_parameters": 4,
        "query_parameters_sent": 4,
    }
    assert "coverage" not in _report(tmp_path, logs["nginx"])
    spec = write_spec(tmp_path, SPEC)
    out = run_cli("traffic", str(spec), str(logs["nginx"]), "--coverage", cwd=tmp_path).stdout
    assert "documented responses seen 4 of 6" in out
    assert any(
        line.split()[:4] == ["DELETE", "/users/{id}", "204,", "404"] for line in out.splitlines()
    )


@pytest.mark.parametrize("server", ["nginx", "haproxy"])
def test_the_period_each_log_covers(server: str, logs: dict[str, Path], tmp_path: Path) -> None:
    log = _report(tmp_path, logs[server])["traffic"]["logs"][0]
    assert log["first_time"] is not None and log["last_time"] is not None
    assert log["first_time"][:4].isdigit() and log["first_time"][10] == "T"
    assert log["first_time"][:16] <= log["last_time"][:16]


@pytest.mark.parametrize("server", ["nginx", "haproxy"])
def test_who_calls_what(server: str, logs: dict[str, Path], tmp_path: Path) -> None:
    report = _report(tmp_path, logs[server])
    usage = usage_of(report)
    assert usage["GET /health"]["top_clients"] == [{"client": "127.0.0.1", "requests": 4}]
    matrix = report["clients"]
    assert matrix["groups"][0] == "/search"
    assert matrix["clients"] == [
        {
            "client": "127.0.0.1",
            "requests": len(REQUESTS) - 1,  # the OPTIONS preflight is in no group
            "by_group": {"/search": 13, "/users": 6, "/health": 4},
        }
    ]
    prefixes = {r["prefix"]: r for r in report["prefixes"]}
    assert prefixes["/users"]["top_clients"] == [{"client": "127.0.0.1", "requests": 6}]


@pytest.mark.parametrize("server", ["nginx", "haproxy"])
def test_bytes_per_operation(server: str, logs: dict[str, Path], tmp_path: Path) -> None:
    report = _report(tmp_path, logs[server])
    health = usage_of(report)["GET /health"]["bytes"]
    if server == "nginx":  # $body_bytes_sent, the field after the status
        lines = logs[server].read_text(encoding="utf-8").splitlines()
        sizes = [int(line.split('" ')[1].split()[1]) for line in lines if "/api/health" in line]
        options = [line for line in lines if line.split('"')[1].startswith("OPTIONS")]
        expected = sum(sizes) - sum(int(line.split('" ')[1].split()[1]) for line in options)
        assert health == expected
    assert health > 0
    assert report["traffic"]["bytes"] >= sum(u["bytes"] for u in report["usage"])
