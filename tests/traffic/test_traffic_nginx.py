"""A real access log: NGINX on 127.0.0.1 in front of a Flask app whose routes end in a slash.

Flask answers ``/items`` with a 308 to ``/items/``; NGINX strips the ``/api`` prefix the
description's server URL has. The test sends known requests, stops NGINX, and reads the log NGINX
wrote (combined format plus ``$request_time``) with ``apilint traffic``.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import run_cli
from real_servers import NGINX
from real_servers import nginx_log as write_nginx_log
from traffic_support import usage_of, write_spec

pytestmark = pytest.mark.skipif(NGINX is None, reason="nginx is not installed (apt install nginx)")

SPEC = """
openapi: 3.0.3
info: {title: Items, version: "1"}
servers:
  - url: http://localhost:8080/api
paths:
  /items/:
    get:
      responses: {"200": {description: The items}}
    post:
      responses: {"201": {description: Created}}
  /items/{id}/:
    parameters:
      - {name: id, in: path, required: true, schema: {type: integer}}
    get:
      responses: {"200": {description: An item}, "404": {description: No such item}}
  /slow/:
    get:
      responses: {"200": {description: Slow}}
  /boom/:
    get:
      responses: {"200": {description: Never}}
  /never/:
    get:
      responses: {"200": {description: Nobody calls this}}
"""

REQUESTS = [
    *[("GET", "/api/items/")] * 3,
    *[("GET", "/api/items")] * 2,  # Flask: 308 to /items/
    ("GET", "/api/items/?page=2"),
    ("POST", "/api/items/"),
    ("GET", "/api/items/1/"),
    ("GET", "/api/items/1/"),
    ("GET", "/api/items/2/"),
    ("GET", "/api/items/abc/"),  # Flask's int converter: 404
    ("GET", "/api/items/5"),  # 308 to /items/5/
    *[("GET", "/api/slow/")] * 2,
    *[("GET", "/api/boom/")] * 2,
    ("GET", "/api/users/8412/avatar"),
    ("GET", "/api/users/77/avatar"),
    ("GET", "/api/admin/stats"),
    ("GET", "/api/nope"),  # Flask: 404
    ("HEAD", "/api/items/"),
    ("OPTIONS", "/api/items/"),
    ("GET", "/elsewhere"),  # outside the base path: NGINX's own 404
]


def _app() -> Any:
    from flask import Flask, abort

    app = Flask("items")

    @app.get("/items/")
    def items() -> Any:
        return {"items": [1, 2]}

    @app.post("/items/")
    def create() -> Any:
        return {"id": 3}, 201

    @app.get("/items/<int:item_id>/")
    def item(item_id: int) -> Any:
        return {"id": item_id}

    @app.get("/slow/")
    def slow() -> Any:
        time.sleep(0.06)
        return {"slow": True}

    @app.get("/boom/")
    def boom() -> Any:
        abort(500)

    @app.get("/users/<int:uid>/avatar")
    def avatar(uid: int) -> Any:
        return {"user": uid}

    @app.get("/admin/stats")
    def stats() -> Any:
        return {"up": True}

    return app


@pytest.fixture(scope="module")
def nginx_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_nginx_log(tmp_path_factory.mktemp("nginx"), _app(), REQUESTS)


def test_the_log_is_what_nginx_wrote(nginx_log: Path) -> None:
    lines = nginx_log.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(REQUESTS)
    assert '"GET /api/items HTTP/1.1" 308 ' in lines[3]


def test_usage_from_a_real_nginx_log(nginx_log: Path, tmp_path: Path) -> None:
    spec = write_spec(tmp_path, SPEC)
    result = run_cli("traffic", str(spec), str(nginx_log), "-f", "json", cwd=tmp_path)
    assert result.returncode == 1, result.stderr  # traffic-server-errors is an error
    report = json.loads(result.stdout)
    usage = usage_of(report)
    assert {op: (u["requests"], u["other_slash_form"], u["status"]) for op, u in usage.items()} == {
        # 3 + ?page=2 + HEAD (served by the GET route); /api/items twice, bounced with 308
        "GET /items/": (5, 2, {"200": 5}),
        "POST /items/": (1, 0, {"201": 1}),
        "GET /items/{id}/": (4, 1, {"200": 3, "404": 1}),
        "GET /slow/": (2, 0, {"200": 2}),
        "GET /boom/": (2, 0, {"500": 2}),
        "GET /never/": (0, 0, {}),
    }
    # NGINX's $request_time has millisecond resolution; the slow route sleeps 60 ms.
    assert usage["GET /slow/"]["p50_ms"] >= 59
    assert usage["GET /items/"]["p50_ms"] < 50
    assert report["undocumented"] == [
        {"method": "GET", "template": "/users/{id}/avatar", "requests": 2, "status": {"200": 2}},
        {"method": "GET", "template": "/admin/stats", "requests": 1, "status": {"200": 1}},
        {"method": "GET", "template": "/elsewhere", "requests": 1, "status": {"404": 1}},
        {"method": "GET", "template": "/nope", "requests": 1, "status": {"404": 1}},
    ]
    assert report["unparsed_lines"] == 0
    traffic = report["traffic"]
    period = [(log.pop("first_time"), log.pop("last_time")) for log in traffic["logs"]]
    assert period[0][0] is not None and period[0][0] <= period[0][1]
    assert traffic["logs"] == [
        {
            "file": str(nginx_log),
            "format": "combined",
            "lines": len(REQUESTS),
            "requests": len(REQUESTS),
            "unparsed": 0,
            "timed": len(REQUESTS),
            "other_formats": {},
            "too_long": 0,
        }
    ]
    assert traffic["options_preflight"] == 1
    assert traffic["base_paths"] == ["/api"]
    findings = sorted((f["rule"], f["operation"], f.get("count")) for f in report["findings"])
    assert findings == [
        ("traffic-query-undocumented", "GET /items/", 1),  # ?page=2
        ("traffic-redirect", "GET /items/", 2),
        ("traffic-redirect", "GET /items/{id}/", 1),
        ("traffic-server-errors", "GET /boom/", 2),
        ("traffic-undocumented", None, None),
        ("traffic-undocumented", None, None),
        ("traffic-unused", "GET /never/", None),
    ]
    redirect = next(
        f
        for f in report["findings"]
        if f["operation"] == "GET /items/" and f["rule"] == "traffic-redirect"
    )
    assert redirect["share"] == round(2 / 7, 4)
    assert "clients call '/items' but the description has '/items/' (308 ×2)" in redirect["message"]
    assert (redirect["line"], redirect["pointer"]) == (7, "/paths/~1items~1/get")
