"""Safe against staging: what is sent, what is never sent, what is never shown.

Every test runs against a real server that records what reached it.
"""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import run_cli
from contract_apps import ITEMS_SPEC, items_app
from contract_support import run_contract, serve_wsgi, write_spec
from flask import Flask, Response, jsonify, redirect, request
from werkzeug.wrappers import Response as WerkzeugResponse

from apilint.contract import runner
from apilint.contract.collect import Collector
from apilint.contract.options import ContractOptions
from apilint.contract.redact import Redactor
from apilint.contract.session import Session
from apilint.contract.spec import Spec
from apilint.core.errors import ContractError
from apilint.reports import FORMATS

WRITES = {"POST", "PUT", "PATCH", "DELETE"}


class Recorder:
    """WSGI middleware keeping (method, path, query, body) of every request that arrives."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.seen: list[tuple[str, str, str, bytes]] = []
        self.lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        import io

        environ["wsgi.input"] = io.BytesIO(body)
        with self.lock:
            self.seen.append(
                (environ["REQUEST_METHOD"], environ["PATH_INFO"], environ["QUERY_STRING"], body)
            )
        return self.app(environ, start_response)

    @property
    def methods(self) -> set[str]:
        return {method for method, *_ in self.seen}


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    return write_spec(tmp_path, ITEMS_SPEC)


def test_read_only_sends_only_get_head_options(spec: Path) -> None:
    recorder = Recorder(items_app())
    with serve_wsgi(recorder) as url:
        outcome = run_contract(spec, base_url=url, read_only=True)
    assert recorder.seen
    assert recorder.methods <= {"GET", "HEAD", "OPTIONS"}
    assert "POST /items" not in {f.operation for f in outcome.findings}
    assert any("not tested: --read-only" in note for note in outcome.notes)


class RemoteOptions(ContractOptions):
    """The same run, as if the base URL were another machine (staging)."""

    @property
    def loopback(self) -> bool:
        return False


def test_writes_to_a_remote_host_need_allow_writes(spec: Path) -> None:
    recorder = Recorder(items_app())
    with serve_wsgi(recorder) as url:
        options = RemoteOptions(spec=spec, base_url=url, max_examples=5, seed=1)
        outcome = Session(options, progress=False).run()
        assert recorder.seen
        assert not recorder.methods & WRITES
        assert any("pass --allow-writes" in note for note in outcome.notes)
        recorder.seen.clear()
        options = RemoteOptions(spec=spec, base_url=url, max_examples=5, seed=1, allow_writes=True)
        Session(options, progress=False).run()
    assert "POST" in recorder.methods


def test_the_guard_refuses_a_write_that_slips_through(spec: Path) -> None:
    """Even if a write reached Schemathesis's send path, the before_call guard refuses it."""
    recorder = Recorder(items_app())
    with serve_wsgi(recorder) as url:
        permissive = ContractOptions(spec=spec, base_url=url, max_examples=3, seed=1)
        strict = ContractOptions(spec=spec, base_url=url, max_examples=3, seed=1, read_only=True)
        loaded = Spec.load(spec)
        redactor = Redactor()
        fuzz = runner.FuzzRun(strict, loaded, Collector(loaded, strict.rules, redactor), redactor,
                              base_url=url)  # fmt: skip
        fuzz.schema = runner.load_schema(permissive, loaded, url, None)  # POST not filtered out
        fuzz.run()
    assert recorder.seen
    assert not recorder.methods & WRITES
    assert any("refused by apilint's safety guard" in note for note in fuzz.notes)


class Hangs:
    """WSGI middleware: requests whose query string contains ``trigger`` never get an answer
    (until the test ends)."""

    def __init__(self, app: Any, trigger: str) -> None:
        self.app = app
        self.trigger = trigger
        self.release = threading.Event()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        if self.trigger in environ.get("PATH_INFO", "") + "?" + environ.get("QUERY_STRING", ""):
            self.release.wait(30)
        return self.app(environ, start_response)


def test_every_request_has_a_timeout_in_process_too(spec: Path) -> None:
    import contract_apps

    # The very first probe hangs: the run cannot start, one error.
    first = Hangs(items_app(), "/health")
    contract_apps.HUNG = first  # type: ignore[attr-defined]
    started = time.monotonic()
    try:
        with pytest.raises(ContractError, match=r"did not answer GET /health within 0\.3 s"):
            run_contract(spec, app="contract_apps:HUNG", timeout=0.3)
    finally:
        first.release.set()
    assert time.monotonic() - started < 5
    # Only Schemathesis's requests with a limit hang: the run goes on and says which timed out.
    later = Hangs(items_app(), "limit=")
    contract_apps.HUNG = later  # type: ignore[attr-defined]
    try:
        outcome = run_contract(
            spec,
            app="contract_apps:HUNG",
            timeout=0.1,
            phases=["coverage"],
            include_paths=["^/items$"],
            max_examples=1,
        )
    finally:
        later.release.set()
    said = [*outcome.notes, *outcome.coverage.errored.values()]
    assert any("did not answer GET /items within 0.1 s" in text for text in said)


def test_same_seed_same_requests(spec: Path) -> None:
    def requests(seed: int) -> list[tuple[str, str, str, bytes]]:
        recorder = Recorder(items_app())
        with serve_wsgi(recorder) as url:
            run_contract(spec, base_url=url, seed=seed, max_examples=4)
        return recorder.seen

    first = requests(7)
    assert len(first) > 30
    assert requests(7) == first
    assert requests(8) != first


def test_include_path_and_rate_limit(spec: Path) -> None:
    recorder = Recorder(items_app())
    with serve_wsgi(recorder) as url:
        started = time.monotonic()
        run_contract(
            spec,
            base_url=url,
            include_paths=[r"^/items/\{"],
            rate_limit="10/s",
            phases=["examples", "coverage"],
        )
        elapsed = time.monotonic() - started
    paths = {path for _, path, *_ in recorder.seen}
    assert any(path.startswith("/items/") for path in paths)
    assert not paths & {"/health", "/items", "/health/"}
    assert elapsed >= (len(recorder.seen) - 10) / 10  # at most 10 requests in any second


def echo_app() -> Flask:
    """Echoes credentials back in a redirect's Location (as a broken SSO bounce would)."""
    app = Flask("echo")

    @app.get("/health")
    def health() -> Response:
        return jsonify(status="ok")

    @app.get("/bounce")
    def bounce() -> WerkzeugResponse:
        token = request.headers.get("Authorization", "")
        key = request.headers.get("X-Api-Key", "")
        return redirect(f"/landing?next={token}&key={key}", code=302)

    return app


ECHO_SPEC = """\
openapi: 3.0.3
info: {title: Echo, version: "1"}
paths:
  /health:
    get:
      responses:
        "200": {description: Up}
  /bounce:
    get:
      responses:
        "200": {description: OK}
"""


def test_secrets_never_appear_in_any_report_or_log(tmp_path: Path) -> None:
    spec = write_spec(tmp_path, ECHO_SPEC)
    token = "tok-3f9a7c1e2b"
    key = "key-91b2c3d4e5"
    formats = [f"{name}:{tmp_path / ('report.' + name)}" for name in FORMATS if name != "text"]
    with serve_wsgi(echo_app()) as url:
        result = run_cli(
            "contract", str(spec), "--base-url", url, "--max-examples", "3", "--seed", "1",
            "--progress", "-H", "Authorization: Bearer ${API_TOKEN}", "-H", f"X-Api-Key: {key}",
            "-f", "text", *(item for fmt in formats for item in ("-f", fmt)),
            env={"API_TOKEN": token},
        )  # fmt: skip
    assert result.returncode == 1, result.stderr
    assert "unexpected-redirect" in result.stdout
    outputs = [result.stdout, result.stderr]
    outputs += [path.read_text(encoding="utf-8") for path in tmp_path.glob("report.*")]
    assert len(outputs) == 2 + len(formats)
    for text in outputs:
        assert token not in text
        assert key not in text
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    bounce = next(f for f in report["findings"] if f["operation"] == "GET /bounce")
    assert "Authorization: ***" in bounce["curl"]
    assert "X-Api-Key: ***" in bounce["curl"]
    assert "***" in bounce["response"]["location"]


def test_a_service_that_goes_away_mid_run_ends_it_with_the_findings_so_far(spec: Path) -> None:
    from werkzeug.serving import make_server

    app = items_app(slash=True)
    seen = {"requests": 0}

    def dies_after_40(environ: dict[str, Any], start_response: Any) -> Any:
        seen["requests"] += 1
        if seen["requests"] == 40:
            threading.Thread(target=server.shutdown).start()
        return app(environ, start_response)

    server = make_server("127.0.0.1", 0, dies_after_40, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        outcome = run_contract(spec, base_url=f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(10)
    assert outcome.error is not None
    assert outcome.incomplete[0].startswith("stopped after ")
    assert "stopped answering" in outcome.incomplete[0]
    assert ("unexpected-redirect", "GET /items") in {
        (f.rule, f.operation) for f in outcome.findings
    }
