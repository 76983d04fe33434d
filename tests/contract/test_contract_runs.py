"""Runs on services that misbehave: dropped connections, a trickled body, crashes, answers that
are not HTTP. The run goes on where it can, says so where it cannot, and every report tells."""

from __future__ import annotations

import json
import shutil
import signal
import socketserver
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from conftest import run_cli
from contract_support import HOST, found, run_contract, serve_asgi, serve_wsgi, write_spec

from apilint.core.findings import Finding, Severity
from apilint.reports import Report, renderer

FOUR_SPEC = """\
openapi: 3.0.3
info: {title: Drops, version: "1"}
paths:
  /health:
    get:
      responses: {"200": {description: ok, content: {application/json: {schema: {type: object}}}}}
  /crash:
    get:
      responses: {"200": {description: ok, content: {application/json: {schema: {type: object}}}}}
  /drop:
    get:
      responses: {"200": {description: ok, content: {application/json: {schema: {type: object}}}}}
  /items:
    get:
      responses: {"200": {description: ok, content: {application/json: {schema: {type: array}}}}}
"""


async def dropping_app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """A raw ASGI app: /crash answers a complete 500 and then raises, so uvicorn closes the
    kept-alive connection without a ``Connection: close``; /drop raises halfway through its
    body, so the answer never completes."""
    if scope["type"] != "http":
        return
    path = scope["path"]
    body = b"[]" if path == "/items" else b"{}"
    status = 500 if path == "/crash" else 200
    headers = [(b"content-type", b"application/json")]
    if path == "/drop":
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b"{", "more_body": True})
        raise RuntimeError("dropped on purpose")
    headers.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
    if path == "/crash":
        raise RuntimeError("crashed on purpose, after answering")


def test_dropped_connections_are_findings_and_the_run_goes_on(tmp_path: Path) -> None:
    spec = write_spec(tmp_path, FOUR_SPEC)
    with serve_asgi(dropping_app) as url:
        outcome = run_contract(spec, base_url=url, max_examples=2)
    assert outcome.error is None
    assert outcome.incomplete == []
    assert outcome.coverage.tested == {"GET /health", "GET /crash", "GET /drop", "GET /items"}
    rules = found(outcome)
    assert ("server-error", "GET /crash") in rules
    assert ("no-answer", "GET /drop") in rules
    dropped = {op for rule, op in rules if rule == "no-answer"}
    assert dropped == {"GET /drop"}  # the connection uvicorn closed after /crash is not blamed
    finding = next(f for f in outcome.findings if f.rule == "no-answer")
    assert finding.extra["response"] is None
    assert "GET /drop" in finding.message


# -- a server that is not a good HTTP server ----------------------------------------------------


class RawServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, behaviour: str) -> None:
        self.behaviour = behaviour
        self.stopping = threading.Event()
        self.trickling = threading.Event()
        super().__init__((HOST, 0), RawHandler)


class RawHandler(socketserver.StreamRequestHandler):
    server: RawServer

    def handle(self) -> None:  # one request after another on the connection
        while not self.server.stopping.is_set():
            line = self.rfile.readline()
            if not line:
                return
            length = 0
            while True:
                header = self.rfile.readline()
                if header in (b"\r\n", b"\n", b""):
                    break
                name, _, value = header.decode("latin-1").partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value.strip() or 0)
            if length:
                self.rfile.read(length)
            path = line.split()[1].decode() if len(line.split()) > 1 else "/"
            if self.server.behaviour == "garbage":
                self.wfile.write(b"SSH-2.0-NotHTTP\r\n")
                return
            if path.startswith("/slow"):
                self.wfile.write(
                    b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                    b"Content-Length: 100000000\r\n\r\n"
                )
                self.server.trickling.set()
                while not self.server.stopping.is_set():  # a byte now and then, for ever
                    try:
                        self.wfile.write(b" ")
                        self.wfile.flush()
                    except OSError:
                        return
                    time.sleep(0.1)
                return
            self.wfile.write(
                b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}"
            )


@contextmanager
def raw_server(behaviour: str) -> Iterator[RawServer]:
    server = RawServer(behaviour)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.stopping.set()
        server.shutdown()
        server.server_close()
        thread.join(10)


SLOW_SPEC = """\
openapi: 3.0.3
info: {title: Slow, version: "1"}
paths:
  /health:
    get:
      responses: {"200": {description: ok, content: {application/json: {schema: {type: object}}}}}
  /slow:
    get:
      responses: {"200": {description: ok, content: {application/json: {schema: {type: object}}}}}
"""


def test_a_trickled_body_is_cut_at_the_timeout(tmp_path: Path) -> None:
    spec = write_spec(tmp_path, SLOW_SPEC)
    with raw_server("trickle") as server:
        url = f"http://{HOST}:{server.server_address[1]}"
        result = run_cli(
            "contract", str(spec), "--base-url", url, "--timeout", "1", "--max-examples", "1",
            "--phases", "examples", "-f", "json", timeout=90,
        )  # fmt: skip
    assert result.returncode == 0, result.stderr
    coverage = json.loads(result.stdout)["run"]["coverage"]
    assert coverage["tested"] == 1
    assert "within 1 s" in coverage["errored"]["GET /slow"]
    assert "GET /slow: errored:" in result.stderr


def test_one_ctrl_c_ends_a_slow_answer_at_once_with_the_report(tmp_path: Path) -> None:
    spec = write_spec(tmp_path, SLOW_SPEC)
    report = tmp_path / "report.json"
    with raw_server("trickle") as server:
        url = f"http://{HOST}:{server.server_address[1]}"
        process = subprocess.Popen(
            [sys.executable, "-m", "apilint", "contract", str(spec), "--base-url", url,
             "--timeout", "600", "--phases", "examples", "-f", f"json:{report}"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        try:
            assert server.trickling.wait(60), "the probe never reached /slow"
            process.send_signal(signal.SIGINT)
            _, stderr = process.communicate(timeout=60)  # not the 600 s of --timeout
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
    assert process.returncode == 130, stderr
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["errors"][0].startswith("interrupted (SIGINT) after 1 of 2 operations")


def test_an_answer_that_is_not_http_is_named(tmp_path: Path) -> None:
    spec = write_spec(tmp_path, SLOW_SPEC)
    with raw_server("garbage") as server:
        url = f"http://{HOST}:{server.server_address[1]}"
        result = run_cli("contract", str(spec), "--base-url", url, "--phases", "examples")
    assert result.returncode == 2
    assert "answered GET /health with something that is not HTTP" in result.stderr
    assert "closed the connection" not in result.stderr
    assert "Traceback" not in result.stderr


# -- in-process apps that crash -----------------------------------------------------------------

CRASHING_APP = """\
import sys


def app(environ, start_response):
    path = environ["PATH_INFO"]
    if path == "/exit":
        sys.exit(0)
    if path == "/boom":
        raise RuntimeError("boom")
    start_response("200 OK", [("Content-Type", "application/json")])
    if path == "/int":
        return 5
    return [b"{}"]
"""

CRASHING_SPEC = """\
openapi: 3.0.3
info: {title: Crashes, version: "1"}
paths:
  /exit:
    get: {responses: {"200": {description: ok}}}
  /boom:
    get: {responses: {"200": {description: ok}}}
  /int:
    get: {responses: {"200": {description: ok}}}
"""


def test_an_app_that_crashes_or_exits_gets_500s_as_findings(tmp_path: Path) -> None:
    spec = write_spec(tmp_path, CRASHING_SPEC)
    (tmp_path / "crashing.py").write_text(CRASHING_APP, encoding="utf-8")
    result = run_cli(
        "contract", str(spec), "--app", f"{tmp_path / 'crashing.py'}:app", "--max-examples", "2",
        "--seed", "1", "-f", "json",
    )  # fmt: skip
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    crashed = {f["operation"] for f in report["findings"] if f["rule"] == "server-error"}
    assert {"GET /exit", "GET /boom", "GET /int"} <= crashed
    assert not [f for f in report["findings"] if f["rule"] == "method-not-allowed"]
    assert "GET /exit: the app called sys.exit(0)" in result.stderr
    assert "GET /boom: the app raised RuntimeError: boom" in result.stderr
    assert "not an iterable of bytes" in result.stderr
    assert "internal error" not in result.stderr


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("--app", "x:app", "--base-url", "http://127.0.0.1:1"), "--app and --base-url"),
        (("--base-url", "http://127.0.0.1:99999"), "the port must be a number from 1 to 65535"),
    ],
)
def test_contradictory_or_impossible_targets_are_one_line_errors(
    tmp_path: Path, arguments: tuple[str, ...], message: str
) -> None:
    spec = write_spec(tmp_path, SLOW_SPEC)
    result = run_cli("contract", str(spec), *arguments)
    assert result.returncode == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


# -- every report says when a run is incomplete --------------------------------------------------


def _report(findings: list[Finding]) -> Report:
    return Report(
        command="contract",
        findings=findings,
        files=["api.yaml"],
        errors=["stopped after 3 of 9 operations: connection refused by http://127.0.0.1:1"],
    )


def test_every_format_says_the_run_is_incomplete() -> None:
    report = _report([])
    text = renderer("text")(report)
    assert "No problems found in" not in text
    assert "incomplete: stopped after 3 of 9 operations" in text
    assert json.loads(renderer("json")(report))["errors"] == report.errors
    sarif = json.loads(renderer("sarif")(report))
    invocation = sarif["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    assert invocation["toolExecutionNotifications"][0]["message"]["text"] == report.errors[0]
    junit = renderer("junit")(report)
    assert 'errors="1"' in junit
    assert '<error message="stopped after 3 of 9 operations' in junit
    assert "::error title=apilint%3A incomplete::stopped after" in renderer("github")(report)
    finding = Finding("server-error", Severity.ERROR, "GET /x answered 500", "api.yaml", 1, 1, "")
    assert "incomplete: stopped after" in renderer("text")(_report([finding]))
    clean = Report(command="contract", findings=[], files=["api.yaml"])
    assert "No problems found in 1 file." in renderer("text")(clean)
    assert "errors" not in json.loads(renderer("json")(clean))


# -- curl lines send what the probe sent --------------------------------------------------------


@pytest.mark.skipif(shutil.which("curl") is None, reason="curl is not installed")
def test_every_kind_of_curl_line_sends_the_same_request() -> None:
    from flask import Flask, request

    from apilint.contract.curl import curl_command
    from apilint.contract.redact import Redactor

    seen: list[dict[str, Any]] = []
    app = Flask("recorder")

    @app.route("/<path:anything>", methods=["GET", "POST", "PUT", "DELETE", "PATCH"])
    def record(anything: str) -> str:
        seen.append(
            {
                "method": request.method,
                "path": request.path,
                "query": sorted(request.args.items(multi=True)),
                "headers": {k.lower(): v for k, v in request.headers.items()},
                "body": request.get_data(),
            }
        )
        return "ok"

    redactor = Redactor([])
    cases: list[tuple[str, str, dict[str, str], bytes | None]] = [
        ("GET", "/a%20b/it's", {"X-Empty": "", "X-Name": "va'lue; x"}, None),
        ("GET", "/q?x=1&y=%26two&z=", {}, None),
        ("POST", "/json", {"Content-Type": "application/json"}, b'{"name": "O\'Brien"}'),
        ("PUT", "/form", {"Content-Type": "application/x-www-form-urlencoded"}, b"a=1&b=%202"),
        ("DELETE", "/items/1", {"X-Trace": "1"}, None),
    ]
    with serve_wsgi(app) as url:
        for method, target, headers, body in cases:
            line = curl_command(method, url + target, headers, body, redactor)
            subprocess.run(["sh", "-c", line + " -s -o /dev/null"], check=True, timeout=30)
    assert len(seen) == len(cases)
    for (method, target, headers, body), got in zip(cases, seen, strict=True):
        assert got["method"] == method
        assert got["path"] == target.split("?")[0].replace("%20", " ")
        for name, value in headers.items():
            assert got["headers"].get(name.lower()) == value, (name, got["headers"])
        assert got["body"] == (body or b"")
    assert seen[1]["query"] == [("x", "1"), ("y", "&two"), ("z", "")]


# -- what is not wrong is not reported ----------------------------------------------------------

CORRECT_REFUSALS_SPEC = """\
openapi: 3.0.3
info: {title: Refusals, version: "1"}
paths:
  /odd:
    get:
      responses: {"200": {description: ok, content: {application/json: {schema: {type: object}}}}}
  /things/{id}:
    delete:
      parameters: [{name: id, in: path, required: true, schema: {type: integer}}]
      responses:
        "204": {description: gone, content: {application/json: {schema: {type: object}}}}
  /moved:
    get:
      parameters: [{name: q, in: query, required: true, schema: {type: integer}}]
      responses: {"301": {description: moved}}
"""


def refusing_app() -> Any:
    from flask import Flask, Response, request

    app = Flask("refusals")

    @app.before_request
    def unknown_methods() -> Response | None:
        if request.method not in ("GET", "HEAD", "DELETE"):
            return Response("", status=501)
        return None

    @app.get("/odd")
    def odd() -> Response:
        return Response("{}", status=852, content_type="application/json")

    @app.delete("/things/<int:thing>")
    def gone(thing: int) -> Response:
        return Response(status=204)

    @app.get("/moved")
    def moved() -> Response:
        return Response(status=301, headers={"Location": "/odd"})

    return app


def test_correct_refusals_and_empty_answers_are_not_findings(tmp_path: Path) -> None:
    spec = write_spec(tmp_path, CORRECT_REFUSALS_SPEC)
    with serve_wsgi(refusing_app()) as url:
        outcome = run_contract(spec, base_url=url, max_examples=10)
    rules = found(outcome)
    assert ("undocumented-status", "GET /odd") in rules  # 852 is not a status RFC 9110 knows
    assert not [r for r in rules if r[0] == "server-error"]  # nor a server error
    assert not [r for r in rules if r[0] in ("method-not-allowed", "content-type")]
    assert not [r for r in rules if r[0] == "negative-data-accepted"]


# -- one cause, one finding ---------------------------------------------------------------------

PREFIX_SPEC = """\
openapi: 3.0.3
info: {title: Prefixed, version: "1"}
paths:
  /a: {get: {responses: {"200": {description: ok}}}}
  /b: {get: {responses: {"200": {description: ok}}}}
  /c: {get: {responses: {"200": {description: ok}}}}
  /d: {get: {responses: {"200": {description: ok}}}}
"""


def prefixed_app() -> Any:
    from flask import Flask, Response, request

    app = Flask("prefixed")

    @app.route("/v1/<name>")
    def under_v1(name: str) -> Response:
        if request.headers.get("X-Version") != "1":
            return Response('{"error": "X-Version required"}', 400, mimetype="application/json")
        return Response("{}", mimetype="application/json")

    @app.route("/<name>")
    def bounce(name: str) -> Response:
        return Response(status=308, headers={"Location": f"/v1/{name}"})

    return app


def test_one_cause_on_many_operations_is_one_finding(tmp_path: Path) -> None:
    spec = write_spec(tmp_path, PREFIX_SPEC)
    with serve_wsgi(prefixed_app()) as url:
        bounced = run_contract(spec, base_url=url, max_examples=2)
        versioned = run_contract(spec, base_url=url + "/v1", max_examples=2)
    redirects = [f for f in bounced.findings if f.rule == "unexpected-redirect"]
    assert len(redirects) == 1
    assert "4 operations answered 308 Permanent Redirect to the same path under '/v1'" in (
        redirects[0].message
    )
    assert "the base URL may lack '/v1'" in redirects[0].message
    assert redirects[0].extra["operations"] == ["GET /a", "GET /b", "GET /c", "GET /d"]
    statuses = [f for f in versioned.findings if f.rule == "undocumented-status"]
    assert len(statuses) == 1
    assert statuses[0].message.startswith(
        '4 operations answered 400 Bad Request with the same response body ({"error": '
        '"X-Version required"}), which their responses do not document: GET /a, GET /b'
    )


def test_operations_that_are_not_objects_are_counted_as_skipped(tmp_path: Path) -> None:
    spec = write_spec(
        tmp_path,
        """\
openapi: 3.0.3
info: {title: Half, version: "1"}
paths:
  /odd:
    get: {responses: {"852": {description: odd}}}
    post: "not an operation"
""",
    )
    with serve_wsgi(refusing_app()) as url:
        outcome = run_contract(spec, base_url=url, max_examples=1, phases=["examples"])
    assert outcome.coverage.operations == 2
    assert outcome.coverage.skipped == {
        "POST /odd": "not an Operation Object (a str); apilint lint reports it as spec-invalid"
    }
    assert outcome.coverage.summary().startswith("2 operations (1 tested, 1 skipped)")
