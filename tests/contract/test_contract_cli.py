"""``apilint contract`` as a real process: the bundled example, reports, one-line errors, Ctrl-C."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT, run_cli
from contract_apps import ITEMS_SPEC, items_app
from contract_support import HOST, serve_wsgi, tls_proxy, write_spec

THOUGHTS = "examples/thoughts/openapi.fixed.yaml"
THOUGHTS_APP = "examples/thoughts/app.py:app"


def _imports(*arguments: str) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "apilint", *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_COLOR": "1"},
    )
    return result, [line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines()]


def test_help_works_and_lint_never_imports_schemathesis() -> None:
    helped, imported = _imports("contract", "--help")
    assert helped.returncode == 0
    for option in ("--base-url", "--app", "--read-only", "--allow-writes", "--seed", "--insecure"):
        assert option in helped.stdout
    assert "apilint contract [OPTIONS] SPEC" in helped.stdout  # the command module loaded
    assert "click" in imported  # and the trace is real
    assert not [name for name in imported if name.startswith(("schemathesis", "hypothesis"))]
    linted, imported = _imports("lint", "--no-cache", THOUGHTS)  # linted, not read back
    assert linted.returncode in (0, 1), linted.stderr
    assert "apilint.lint.engine" in imported
    assert not [name for name in imported if name.startswith(("schemathesis", "hypothesis"))]


def test_the_bundled_example_reports_its_planted_308() -> None:
    result = run_cli(
        "contract", THOUGHTS, "--app", THOUGHTS_APP, "--max-examples", "5", "--seed", "1",
        "--phases", "examples,coverage,fuzzing", "-f", "json", cwd=ROOT,
    )  # fmt: skip
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert report["tool"] == "apilint"
    assert report["command"] == "contract"
    errors = [f for f in report["findings"] if f["severity"] == "error"]
    assert {(f["rule"], f["operation"]) for f in errors} == {
        ("unexpected-redirect", "GET /api/thoughts"),
        ("unexpected-redirect", "POST /api/thoughts"),
    }
    get = next(f for f in errors if f["operation"] == "GET /api/thoughts")
    assert get["message"] == (
        "GET /api/thoughts answered 308 Permanent Redirect to /api/thoughts/ — the server's "
        "route has a trailing slash and the spec's path does not"
    )
    assert get["request"] == {"method": "GET", "url": "http://localhost/api/thoughts"}
    assert get["response"] == {"status": 308, "location": "http://localhost/api/thoughts/"}
    assert get["curl"] == "curl -X GET 'http://localhost/api/thoughts'"
    assert set(get) == {
        "rule", "severity", "message", "file", "line", "column", "end_line", "end_column",
        "pointer", "operation", "request", "response", "curl",
    }  # fmt: skip
    assert (get["file"], get["pointer"]) == (THOUGHTS, "/paths/~1api~1thoughts/get")
    assert report["summary"]["error"] == 2
    assert report["run"]["seed"] == 1
    assert report["run"]["operations"] == 21
    assert report["run"]["coverage"]["tested"] == len(report["operations"]) == 21
    assert "errors" not in report
    assert "21 operations (21 tested)" in result.stderr


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def silent_server() -> Iterator[str]:
    """Accepts connections and never answers."""
    sock = socket.socket()
    sock.bind((HOST, 0))
    sock.listen(8)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        sock.settimeout(0.1)
        while not stop.is_set():
            try:
                held.append(sock.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://{HOST}:{sock.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(5)
        for conn in held:
            conn.close()
        sock.close()


def _assert_one_line_error(result: subprocess.CompletedProcess[str], *expected: str) -> None:
    assert result.returncode == 2, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("apilint: error: ")
    assert "Traceback" not in result.stderr
    for text in expected:
        assert text in lines[0]


def test_refused_connection(tmp_path: Path) -> None:
    spec = write_spec(tmp_path, ITEMS_SPEC)
    port = _closed_port()
    result = run_cli("contract", str(spec), "--base-url", f"http://{HOST}:{port}")
    _assert_one_line_error(result, f"connection refused by http://{HOST}:{port}")


def test_unresponsive_service_times_out(tmp_path: Path, silent_server: str) -> None:
    spec = write_spec(tmp_path, ITEMS_SPEC)
    started = time.monotonic()
    result = run_cli("contract", str(spec), "--base-url", silent_server, "--timeout", "0.5")
    _assert_one_line_error(result, "did not answer GET /health within 0.5 s")
    assert time.monotonic() - started < 15


def test_tls_failure_and_insecure(tmp_path: Path) -> None:
    spec = write_spec(tmp_path, ITEMS_SPEC)
    with serve_wsgi(items_app()) as backend, tls_proxy(backend, tmp_path) as url:
        refused = run_cli("contract", str(spec), "--base-url", url)
        _assert_one_line_error(refused, f"TLS failure talking to {url}", "--insecure")
        accepted = run_cli(
            "contract", str(spec), "--base-url", url, "--insecure", "--phases", "examples",
            "--max-examples", "2",
        )  # fmt: skip
    assert accepted.returncode == 0, accepted.stderr
    assert "No problems found" in accepted.stdout
    assert "Warning" not in accepted.stderr  # no InsecureRequestWarning noise either


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("openapi: 3.0.3\npaths: {/x: [\n", "openapi.yaml:"),
        ("just: a yaml file\n", "not an OpenAPI document"),
        (
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /x:\n    get:\n"
            "      responses:\n        '200': {$ref: '#/components/responses/Nope'}\n",
            "Nope",
        ),
        ("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n", "no operations"),
    ],
    ids=["yaml-syntax", "not-openapi", "broken-ref", "no-operations"],
)
def test_invalid_spec_is_a_one_line_error(tmp_path: Path, text: str, expected: str) -> None:
    spec = write_spec(tmp_path, text)
    result = run_cli("contract", str(spec), "--base-url", f"http://{HOST}:{_closed_port()}")
    _assert_one_line_error(result, expected)


@pytest.mark.parametrize(
    ("arguments", "expected"),
    [
        ((), "--base-url URL"),
        (("--base-url", "ftp://x"), "--base-url must be an http"),
        (("--app", "no_such_module_here:app"), "no module named 'no_such_module_here'"),
        (("--app", "examples/thoughts/app.py:nope"), "has no attribute 'nope'"),
        (("--base-url", "http://127.0.0.1:1", "-H", "Authorization"), "Name: value"),
        (("--base-url", "http://127.0.0.1:1", "--read-only", "--allow-writes"), "contradict"),
        (("--base-url", "http://127.0.0.1:1", "--include-path", "(["), "not a valid regex"),
        (("--base-url", "http://127.0.0.1:1", "--select", "nope"), "unknown contract finding"),
    ],
    ids=["no-target", "bad-url", "no-module", "no-attribute", "bad-header", "contradiction",
         "bad-regex", "bad-id"],
)  # fmt: skip
def test_usage_errors_are_one_line(arguments: tuple[str, ...], expected: str) -> None:
    result = run_cli("contract", THOUGHTS, *arguments, cwd=ROOT)
    _assert_one_line_error(result, expected)


class Slow:
    """WSGI middleware: every request takes a little while and is counted."""

    def __init__(self, app: Any, delay: float) -> None:
        self.app = app
        self.delay = delay
        self.count = 0

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        self.count += 1
        time.sleep(self.delay)
        return self.app(environ, start_response)


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_ctrl_c_stops_cleanly_and_writes_the_report(
    tmp_path: Path, signum: signal.Signals, code: int
) -> None:
    spec = write_spec(tmp_path, ITEMS_SPEC)
    report = tmp_path / "report.json"
    app = Slow(items_app(slash=True), 0.02)
    with serve_wsgi(app) as url:
        process = subprocess.Popen(
            [sys.executable, "-m", "apilint", "contract", str(spec), "--base-url", url,
             "--max-examples", "1000", "--seed", "3", "-f", f"json:{report}"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "NO_COLOR": "1"},
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 60
            while app.count < 40 and time.monotonic() < deadline and process.poll() is None:
                time.sleep(0.05)
            assert process.poll() is None, "the run ended before it could be interrupted"
            process.send_signal(signum)
            _, stderr = process.communicate(timeout=30)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
    assert process.returncode == code, stderr
    assert "Traceback" not in stderr
    assert "interrupted" in stderr
    data = json.loads(report.read_text(encoding="utf-8"))
    assert data["run"]["interrupted"] is True
    assert data["errors"][0].startswith(f"interrupted ({signum.name}) after ")
    found = {(f["rule"], f["operation"]) for f in data["findings"]}
    assert ("unexpected-redirect", "GET /items") in found  # what the probes saw before Ctrl-C


def test_progress_only_when_asked_or_on_a_terminal(tmp_path: Path) -> None:
    spec = write_spec(tmp_path, ITEMS_SPEC)
    with serve_wsgi(items_app()) as url:
        common = ("contract", str(spec), "--base-url", url, "--phases", "examples")
        quiet = run_cli(*common)
        shown = run_cli(*common, "--progress")
    assert "operations, 0 findings" not in quiet.stderr
    assert "apilint contract: probes 3/3 operations, 0 findings" in shown.stderr
    assert "apilint contract: examples 4/4 operations, 0 findings" in shown.stderr
    assert "apilint contract: write probes 1/1 operations, 0 findings" in shown.stderr


def test_progress_is_drawn_in_place_on_a_terminal(tmp_path: Path) -> None:
    import pty

    spec = write_spec(tmp_path, ITEMS_SPEC)
    primary, secondary = pty.openpty()
    chunks: list[bytes] = []

    def read() -> None:
        while True:
            try:
                data = os.read(primary, 4096)
            except OSError:
                return
            if not data:
                return
            chunks.append(data)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    with serve_wsgi(items_app()) as url:
        result = subprocess.run(
            [sys.executable, "-m", "apilint", "contract", str(spec), "--base-url", url,
             "--phases", "examples", "-f", "json"],
            stdout=subprocess.PIPE,
            stderr=secondary,
            env={**os.environ, "NO_COLOR": "1"},
            check=False,
            timeout=60,
        )  # fmt: skip
    os.close(secondary)
    reader.join(5)
    os.close(primary)
    terminal = b"".join(chunks).decode("utf-8", "replace")
    assert result.returncode == 0
    assert "\rapilint contract: probes" in terminal  # redrawn in place with a carriage return
    assert "operations, 0 findings" in terminal
    assert json.loads(result.stdout)["findings"] == []  # the report itself is untouched


def test_exit_zero_and_verbose_on_a_redirecting_service(tmp_path: Path) -> None:
    """One real run (the collection answers 308) covers both: --exit-zero reports the finding
    and exits 0; -v names the config file read."""
    spec = write_spec(tmp_path, ITEMS_SPEC)
    config = tmp_path / "apilint.yaml"
    config.write_text("rules:\n  server-error: warning\n")
    quick = ("--phases", "examples", "--max-examples", "1", "--seed", "1", "-f", "json")
    with serve_wsgi(items_app(slash=True)) as url:
        failing = run_cli("contract", str(spec), "--base-url", url, *quick, cwd=tmp_path)
        passing = run_cli(
            "contract", str(spec), "--base-url", url, *quick, "--exit-zero", "-v", cwd=tmp_path
        )
    assert failing.returncode == 1, failing.stderr
    assert "apilint: config:" not in failing.stderr
    assert passing.returncode == 0, passing.stderr
    rules = {f["rule"] for f in json.loads(passing.stdout)["findings"]}
    assert "unexpected-redirect" in rules
    assert f"apilint: config: {config}" in passing.stderr.splitlines()
    refused = run_cli(
        "contract", str(spec), "--base-url", f"http://{HOST}:{_closed_port()}", "--exit-zero"
    )
    assert refused.returncode == 2  # apilint could not do its job: still 2


def test_show_settings_says_where_each_came_from(tmp_path: Path) -> None:
    config = tmp_path / "apilint.yaml"
    config.write_text("fail-on: warning\nignore: [no-answer]\nrules:\n  server-error: info\n")
    result = run_cli(
        "contract", "--show-settings", "--select", "server-error,no-answer,content-type",
        "--ignore", "content-type", cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[:4] == [
        f"config file: {config}",
        f"fail-on  warning  ({config})",
        f"ignore   content-type, no-answer  (command line + {config})",
        "select   content-type, no-answer, server-error  (command line)",
    ]
    rules = dict(line.split() for line in lines if line.startswith("  "))
    assert rules["server-error"] == "info"
    assert rules["no-answer"] == rules["content-type"] == rules["unexpected-redirect"] == "off"
    plain = run_cli("contract", "--show-settings", "--exit-zero", "--no-config", cwd=tmp_path)
    assert plain.stdout.splitlines()[:2] == ["config file: none", "fail-on  never  (--exit-zero)"]
    assert "unexpected-redirect        error" in plain.stdout
    missing = run_cli("contract", "--no-config", cwd=tmp_path)
    assert missing.returncode == 2
    assert "Missing argument 'SPEC'" in missing.stderr
