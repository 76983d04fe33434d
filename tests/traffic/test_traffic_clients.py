"""Who calls, and when: client addresses, user agents, requests per hour and bytes, from logs
written by a real NGINX (combined, and JSON lines with ``escape=json``) and a real HAProxy (with
the User-Agent header captured) in front of a real Flask service."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import run_cli
from flask import Flask, jsonify
from real_servers import Request, haproxy_log, nginx_log
from traffic_support import traffic_json, usage_of, write_log, write_spec

SPEC = """
    openapi: 3.0.3
    info: {title: people, version: "1"}
    servers: [{url: /api}]
    paths:
      /users/{id}:
        get:
          parameters: [{name: id, in: path, required: true, schema: {type: integer}}]
          responses: {"200": {description: a user}}
      /orders:
        post:
          responses: {"201": {description: created}}
"""

CURL = "curl/8.5.0"
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
QUOTED = 'odd "quoted" agent/1.0'

REQUESTS: list[Request] = [
    *[("GET", f"/api/users/{i}", CURL) for i in range(5)],
    *[("GET", f"/api/users/{i}", FIREFOX) for i in range(3)],
    ("GET", "/api/users/9", QUOTED),
    *[("POST", "/api/orders", FIREFOX)] * 2,
    ("GET", "/api/users/7"),  # no User-Agent header: "-" in the log, no agent counted
]

JSON_FORMAT = (
    'escape=json \'{"time_iso8601":"$time_iso8601","remote_addr":"$remote_addr",'
    '"request_method":"$request_method","request_uri":"$request_uri","status":$status,'
    '"body_bytes_sent":$body_bytes_sent,"request_time":$request_time,'
    '"http_user_agent":"$http_user_agent"}\''
)
OWN_NAMES = (
    'escape=json \'{"when":"$msec","who":"$remote_addr","method":"$request_method",'
    '"path":"$request_uri","status":$status,"browser":"$http_user_agent"}\''
)


def _app() -> Flask:
    app = Flask("people")

    @app.get("/api/users/<int:user>")
    def user(user: int) -> Any:
        return jsonify(id=user, name="x" * 40)

    @app.post("/api/orders")
    def orders() -> Any:
        return jsonify(id=1), 201

    return app


@pytest.fixture(scope="module")
def logs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    def folder(name: str) -> Path:
        return tmp_path_factory.mktemp(name)

    return {
        "combined": nginx_log(folder("combined"), _app(), REQUESTS, upstream_path=""),
        "jsonl": nginx_log(folder("jsonl"), _app(), REQUESTS, JSON_FORMAT, upstream_path=""),
        "own": nginx_log(folder("own"), _app(), REQUESTS, OWN_NAMES, upstream_path=""),
        "haproxy": haproxy_log(folder("haproxy"), _app(), REQUESTS, ["Host", "User-Agent"]),
    }


def _agents(rows: list[dict[str, Any]]) -> dict[str, int]:
    return {row["agent"]: row["requests"] for row in rows}


EXPECTED_USERS = {CURL: 5, FIREFOX: 3, QUOTED: 1}


@pytest.mark.parametrize("kind", ["combined", "jsonl", "haproxy"])
def test_user_agents_per_operation_prefix_and_group(
    logs: dict[str, Path], tmp_path: Path, kind: str
) -> None:
    spec = write_spec(tmp_path, SPEC)
    report = traffic_json(spec, [logs[kind]])
    usage = usage_of(report)
    assert _agents(usage["GET /users/{id}"]["top_agents"]) == EXPECTED_USERS
    assert _agents(usage["POST /orders"]["top_agents"]) == {FIREFOX: 2}
    prefixes = {row["prefix"]: row for row in report["prefixes"]}
    assert _agents(prefixes["/users"]["top_agents"]) == EXPECTED_USERS
    agents = {row["agent"]: row for row in report["clients"]["agents"]}
    assert agents[FIREFOX]["requests"] == 5
    assert agents[FIREFOX]["by_group"] == {"/users": 3, "/orders": 2}
    # every request came from the loopback address, each counted once
    assert usage["GET /users/{id}"]["top_clients"] == [{"client": "127.0.0.1", "requests": 10}]


@pytest.mark.parametrize("kind", ["jsonl", "own"])
def test_json_lines_feed_the_same_counters_as_combined(
    logs: dict[str, Path], tmp_path: Path, kind: str
) -> None:
    """NGINX's JSON log_format: hours, clients, agents and bytes as in its combined log (named
    by the usual field names, or with --json-fields where the names are the log's own)."""
    spec = write_spec(tmp_path, SPEC)
    combined = traffic_json(spec, [logs["combined"]])
    fields = {"time": "when", "client": "who", "user_agent": "browser"} if kind == "own" else {}
    report = traffic_json(spec, [logs[kind]], json_fields=fields)
    assert report["traffic"]["logs"][0]["format"] == "jsonl"
    keys = ["per_hour", "top_clients", "top_agents"] + (["bytes"] if kind == "jsonl" else [])
    for name, row in usage_of(combined).items():
        for key in keys:
            assert usage_of(report)[name][key] == row[key], (name, key)
    assert report["traffic"]["per_hour"] == combined["traffic"]["per_hour"]
    assert sum(n for _, n in report["traffic"]["per_hour"]) == len(REQUESTS)
    assert report["clients"] == combined["clients"]
    # the period the log covers, from the same field ($msec: seconds since 1970)
    period = report["traffic"]["logs"][0]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", period["first_time"])
    assert period["first_time"] <= period["last_time"]
    if kind == "own":
        # without --json-fields, the log's own names say nothing of who and when
        plain = traffic_json(spec, [logs[kind]])
        assert plain["traffic"]["per_hour"] == []
        assert plain["clients"]["clients"] == [] and plain["clients"]["agents"] == []
        assert plain["traffic"]["requests"] == len(REQUESTS)


def test_text_and_html_show_the_busiest_user_agents(logs: dict[str, Path], tmp_path: Path) -> None:
    spec = write_spec(tmp_path, SPEC)
    text = run_cli("traffic", str(spec), str(logs["combined"]), cwd=tmp_path)
    assert text.returncode == 0, text.stderr
    lines = text.stdout.splitlines()
    start = lines.index("Busiest user agents, by path prefix (1 segment)")
    assert lines[start + 1].split() == ["USER", "AGENT", "REQUESTS", "/users", "/orders"]
    rows = [line.split() for line in lines[start + 2 : start + 6]]
    assert [CURL, "5", "5", "0"] in rows
    assert any(line.strip().startswith(QUOTED) for line in lines[start:])
    page = tmp_path / "usage.html"
    html = run_cli("traffic", str(spec), str(logs["combined"]), "-f", f"html:{page}", cwd=tmp_path)
    assert html.returncode == 0, html.stderr
    content = page.read_text(encoding="utf-8")
    assert "<h2>Busiest user agents, by path prefix</h2>" in content
    assert "odd &quot;quoted&quot; agent/1.0" in content


def test_json_time_values_and_bad_field_names(tmp_path: Path) -> None:
    """Epoch seconds and milliseconds, $time_local, ISO with a space; X-Forwarded-For's first
    address; a user agent in a list; a --json-fields role apilint does not know is refused in
    one line."""
    spec = write_spec(tmp_path, SPEC)
    base = {"method": "GET", "path": "/api/users/1", "status": 200}
    lines = [
        json.dumps({**base, "ts": 1795860000.5, "x_forwarded_for": "198.51.100.7, 10.0.0.1"}),
        json.dumps({**base, "ts": 1795863600123, "x_forwarded_for": "198.51.100.7"}),
        json.dumps({**base, "ts": "28/Nov/2026:10:59:00 +0000", "x_forwarded_for": "-"}),
        json.dumps({**base, "ts": "2026-11-28 12:00:00", "ua": ["listed/1.0"]}),
    ]
    report = traffic_json(spec, [write_log(tmp_path, lines, "x.jsonl")])
    row = usage_of(report)["GET /users/{id}"]
    assert row["per_hour"] == [
        ["2026-11-28T10:00", 2],
        ["2026-11-28T11:00", 1],
        ["2026-11-28T12:00", 1],
    ]
    assert row["top_clients"] == [{"client": "198.51.100.7", "requests": 2}]
    assert row["top_agents"] == [{"agent": "listed/1.0", "requests": 1}]  # Caddy's header lists
    # "time" holds the duration here: the hour comes from the field that holds a time
    timed = json.dumps({**base, "time": 0.012, "timestamp": "2026-11-28T09:59:59Z"})
    report = traffic_json(spec, [write_log(tmp_path, [timed], "t.jsonl")])
    assert report["traffic"]["per_hour"] == [["2026-11-28T09:00", 1]]
    # a time no float holds, control characters in the address and the agent: read, escaped
    odd = json.dumps({**base, "ts": 10**400, "remote_addr": "\x1b[31m", "ua": "a\x1bb/1"})
    report = traffic_json(spec, [write_log(tmp_path, [odd], "odd.jsonl")])
    row = usage_of(report)["GET /users/{id}"]
    assert row["per_hour"] == [] and report["traffic"]["logs"][0]["first_time"] is None
    assert row["top_clients"] == [{"client": "\\x1b[31m", "requests": 1}]
    assert row["top_agents"] == [{"agent": "a\\x1bb/1", "requests": 1}]
    log = write_log(tmp_path, [json.dumps(base)], "y.jsonl")
    result = run_cli("traffic", str(spec), str(log), "--json-fields", "agent=ua", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1].startswith("apilint: error: --json-fields:")
    assert "unknown role 'agent'" in result.stderr
