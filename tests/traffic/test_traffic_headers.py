"""Request headers the operation does not document (traffic-header-undocumented), on exchanges
recorded by a real Flask service on a loopback port: the headers are those the server received
from a real HTTP client, as a capturing proxy would log them."""

from __future__ import annotations

import http.client
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, jsonify, request
from real_servers import serve
from traffic_support import traffic_json, write_log, write_spec

from apilint.http.headers import is_general_request_header

SPEC = """
    openapi: 3.0.3
    info: {title: accounts, version: "1"}
    paths:
      /api/users/{id}:
        parameters:
          - {name: X-Tenant, in: header, schema: {type: string}}
        get:
          parameters:
            - {name: id, in: path, required: true, schema: {type: integer}}
          responses:
            "200": {description: a user}
      /api/orders:
        post:
          security: [{key: []}]
          parameters:
            - {name: idempotency-key, in: header, schema: {type: string}}
          responses:
            "201": {description: created}
    components:
      securitySchemes:
        key: {type: apiKey, in: header, name: X-Api-Key}
"""

SECRET = "flag-value-never-shown"

BROWSER = {
    "Accept": "application/json",
    "Accept-Language": "en-GB,en;q=0.9",
    "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0",
    "Sec-Fetch-Mode": "cors",
    "Sec-Fetch-Site": "same-origin",
    "Sec-CH-UA-Platform": '"Linux"',
    "Origin": "https://app.example.com",
    "Referer": "https://app.example.com/",
    "Cookie": "session=abc",
    "traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
    "X-Forwarded-For": "198.51.100.7",
    "X-Request-Id": "r-1",
}


def _record(tmp_path: Path, calls: list[tuple[str, str, dict[str, str]]]) -> Path:
    """Each call sent to a real Flask service over loopback, written as an NDJSON exchange
    with the request headers the service received."""
    app = Flask("accounts")
    seen: list[dict[str, Any]] = []

    @app.get("/api/users/<int:user>")
    def user(user: int) -> Any:
        return jsonify(id=user)

    @app.post("/api/orders")
    def orders() -> Any:
        return jsonify(id=1), 201

    @app.after_request
    def keep(response: Any) -> Any:
        seen.append(
            {
                "request": {
                    "method": request.method,
                    "url": request.full_path.rstrip("?"),
                    "headers": [{"name": k, "value": v} for k, v in request.headers.items()],
                },
                "response": {"status": response.status_code, "body": ""},
            }
        )
        return response

    with serve(app) as port:
        for method, target, headers in calls:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.request(
                method, target, body=b"{}" if method == "POST" else None, headers=headers
            )
            connection.getresponse().read()
            connection.close()
    return write_log(tmp_path, [json.dumps(s) for s in seen], "exchanges.ndjson")


def _undocumented(report: dict[str, Any]) -> list[tuple[str, str, int, int]]:
    return sorted(
        (f["operation"], f["header"], f["count"], f["requests"])
        for f in report["findings"]
        if f["rule"] == "traffic-header-undocumented"
    )


def test_headers_the_operation_does_not_document(tmp_path: Path) -> None:
    spec = write_spec(tmp_path, SPEC)
    calls = [
        # X-Tenant is documented on the path item, in another case
        ("GET", "/api/users/1", {**BROWSER, "x-tenant": "acme"}),
        ("GET", "/api/users/2", {**BROWSER, "X-Feature-Flags": SECRET}),
        ("GET", "/api/users/3", {**BROWSER, "X-Feature-Flags": SECRET, "X-Api-Key": "k"}),
        ("GET", "/api/users/4", BROWSER),
        # the API key is the security scheme's; Idempotency-Key is a documented parameter
        (
            "POST",
            "/api/orders",
            {**BROWSER, "X-Api-Key": "k", "Idempotency-Key": "i1", "X-Client-Version": "2.1"},
        ),
    ]
    report = traffic_json(spec, [_record(tmp_path, calls)])
    assert _undocumented(report) == [
        ("GET /api/users/{id}", "X-Feature-Flags", 2, 4),
        ("POST /api/orders", "X-Client-Version", 1, 1),
    ]
    message = next(f["message"] for f in report["findings"] if f.get("header") == "X-Feature-Flags")
    assert message == (
        "GET /api/users/{id}: 2 of 4 captured requests (50.0%) send the header "
        "'X-Feature-Flags', which the operation does not document"
    )
    assert SECRET not in json.dumps(report)


def test_har_pseudo_headers_and_access_logs(tmp_path: Path) -> None:
    """HTTP/2 captures list pseudo-headers (:authority); plain access logs list no headers."""
    spec = write_spec(tmp_path, SPEC)
    entry = {
        "startedDateTime": "2026-12-04T10:00:00.000Z",
        "time": 2.0,
        "request": {
            "method": "GET",
            "url": "https://api.example.com/api/users/7",
            "httpVersion": "h2",
            "headers": [
                {"name": ":authority", "value": "api.example.com"},
                {"name": ":method", "value": "GET"},
                {"name": ":path", "value": "/api/users/7"},
                {"name": ":scheme", "value": "https"},
                {"name": "accept-encoding", "value": "gzip, br"},
                {"name": "priority", "value": "u=1, i"},
                {"name": "x-debug", "value": "1"},
                {"name": "bad name\u001b", "value": "not a field name: not reported"},
                {"name": "user-agent", "value": "Mozilla/5.0 Chrome/126.0"},
            ],
        },
        "response": {"status": 200, "headers": [], "content": {"size": 0, "mimeType": ""}},
    }
    har = tmp_path / "capture.har"
    har.write_text(json.dumps({"log": {"version": "1.2", "entries": [entry]}}), encoding="utf-8")
    report = traffic_json(spec, [har])
    assert _undocumented(report) == [("GET /api/users/{id}", "x-debug", 1, 1)]
    row = next(r for r in report["usage"] if r["operation"] == "GET /api/users/{id}")
    assert row["top_agents"] == [{"agent": "Mozilla/5.0 Chrome/126.0", "requests": 1}]
    assert row["per_hour"] == [["2026-12-04T10:00", 1]]
    log = write_log(
        tmp_path, [json.dumps({"method": "GET", "path": "/api/users/2", "status": 200})]
    )
    assert _undocumented(traffic_json(spec, [log])) == []


def test_the_general_fields() -> None:
    for name in (
        "Accept-Encoding",
        "SEC-FETCH-DEST",
        "sec-ch-ua-mobile",
        "X-Forwarded-Proto",
        "Forwarded",
        "X-B3-TraceId",
        "tracestate",
        "CF-Connecting-IP",
        ":path",
        "Authorization",
        "If-None-Match",
        "Via",
        "X-Real-IP",
    ):
        assert is_general_request_header(name), name
    for name in ("X-Tenant", "Idempotency-Key", "X-Api-Version", "X-Feature-Flags", "Api-Key"):
        assert not is_general_request_header(name), name


def test_only_the_operations_called_are_prepared(tmp_path: Path) -> None:
    """What an operation documents is read on its first exchange: a capture that calls one
    operation of a large description does not pay for the others."""
    from apilint.traffic.analysis import analyse
    from apilint.traffic.matcher import Matcher, load_spec

    spec = write_spec(tmp_path, SPEC)
    log = _record(tmp_path, [("GET", "/api/users/1", BROWSER), ("GET", "/api/users/2", BROWSER)])
    matcher = Matcher(load_spec(str(spec)))
    checker = analyse(matcher, [str(log)]).exchanges
    assert checker is not None and checker.exchanges == 2
    prepared = [matcher.routes[i].label for i, op in enumerate(checker.operations) if op]
    assert prepared == ["GET /api/users/{id}"]


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt install chromium)")
def test_what_a_real_browser_sends_is_not_reported(tmp_path: Path) -> None:
    """Headless Chromium opens a page that calls the API with fetch(): every header the browser
    adds (client hints, fetch metadata, Origin, Referer, Accept-*) is a general field; only the
    one the page's code adds is reported."""
    app = Flask("accounts")
    seen: list[dict[str, Any]] = []

    @app.get("/")
    def page() -> Any:
        script = (
            "fetch('/api/users/2', {headers: {'X-Feature-Flags': 'beta'}})"
            ".then(() => fetch('/api/users/3'))"
            ".then(() => { document.title = 'done'; });"
        )
        return f"<html><head><script>{script}</script></head><body>app</body></html>"

    @app.get("/api/users/<int:user>")
    def user(user: int) -> Any:
        seen.append(
            {
                "request": {
                    "method": request.method,
                    "url": request.full_path.rstrip("?"),
                    "headers": dict(request.headers),
                },
                "response": {"status": 200, "body": ""},
            }
        )
        return jsonify(id=user)

    with serve(app) as port:
        subprocess.run(
            [
                str(CHROMIUM),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                f"--user-data-dir={tmp_path / 'profile'}",
                "--virtual-time-budget=5000",
                "--dump-dom",
                f"http://127.0.0.1:{port}/",
            ],
            capture_output=True,
            timeout=60,
            check=False,
        )
    assert len(seen) == 2, "the browser did not call the API"
    browser_headers = {name.lower() for s in seen for name in s["request"]["headers"]}
    assert {"sec-fetch-mode", "referer", "user-agent"} <= browser_headers
    log = write_log(tmp_path, [json.dumps(s) for s in seen], "browser.ndjson")
    spec = write_spec(tmp_path, SPEC)
    assert _undocumented(traffic_json(spec, [log])) == [
        ("GET /api/users/{id}", "X-Feature-Flags", 1, 2)
    ]
