"""$ref safety: what a description from an untrusted branch can make apilint read or fetch.

- A relative $ref cannot leave the ref root (the root document's directory unless --ref-root or
  config ``ref-root`` says otherwise): not with ``../``, absolute paths, ``file:`` URIs,
  percent-encoding, symlinks, nor from inside a file that was itself referenced.
- Remote refs are not fetched without --allow-remote-refs / ``allow-remote-refs``: no connection
  is even attempted. With the opt-in they are fetched, with a timeout and the file size limit.
- Nothing else in a lint makes a request: server URLs, externalDocs, OAuth URLs, ``$schema`` and
  ``$id`` values, remote refs inside a ruleset's JSON Schema.

Servers here are real (127.0.0.1, a free port) and record every request they get.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from conftest import run_cli

from apilint.core.errors import ApilintError, ConfigError, RefError
from apilint.documents import refs
from apilint.lint.engine import Linter
from apilint.settings.config import Config, load_config

SECRET = "TOP-SECRET-MARKER"

# -- a loopback HTTP server that records what it is asked -----------------------------------------


class Recorder(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, routes: dict[str, str]) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.routes = routes
        self.requests: list[str] = []

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    server: Recorder

    def do_GET(self) -> None:
        self.server.requests.append(self.path)
        body = self.server.routes.get(self.path.split("?")[0])
        if body is None:
            self.send_error(404)
            return
        data = body.encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "application/yaml")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def server() -> Iterator[Recorder]:
    recorder = Recorder({})
    thread = threading.Thread(target=recorder.serve_forever, daemon=True)
    thread.start()
    try:
        yield recorder
    finally:
        recorder.shutdown()
        recorder.server_close()
        thread.join(timeout=5)


# -- a tree with a secret outside the ref root --------------------------------------------------


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """``tmp/secret.yaml`` (outside) and ``tmp/repo`` (the ref root) with its own files."""
    (tmp_path / "secret.yaml").write_text(f"x: {{description: {SECRET}}}\n", encoding="utf-8")
    repo = tmp_path / "repo"
    (repo / "sub").mkdir(parents=True)
    (repo / "common.yaml").write_text("Pet: {type: object}\n", encoding="utf-8")
    (repo / "sub" / "nested.yaml").write_text(
        "Inner: {$ref: '../common.yaml#/Pet'}\n", encoding="utf-8"
    )
    (repo / "sub" / "escape.yaml").write_text(
        "Inner: {$ref: '../../secret.yaml#/x'}\n", encoding="utf-8"
    )
    (repo / "link.yaml").symlink_to(tmp_path / "secret.yaml")
    (repo / "linkdir").symlink_to(tmp_path)
    return repo


def spec_with_ref(directory: Path, ref: str, name: str = "api.yaml") -> Path:
    path = directory / name
    path.write_text(
        "openapi: 3.0.3\n"
        "info: {title: t, version: '1'}\n"
        "paths: {}\n"
        "components:\n"
        "  schemas:\n"
        f"    A: {{$ref: {json.dumps(ref)}}}\n",
        encoding="utf-8",
    )
    return path


class OpenedFiles:
    """Paths the interpreter opens (the ``open`` audit event), recorded while ``active``."""

    def __init__(self) -> None:
        self.active = False
        self.paths: list[str] = []

    def hook(self, event: str, args: tuple[Any, ...]) -> None:
        if self.active and event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
            self.paths.append(os.fsdecode(args[0]))


_OPENED = OpenedFiles()
sys.addaudithook(_OPENED.hook)  # audit hooks cannot be removed; this one only records when active


@pytest.fixture
def opened() -> Iterator[OpenedFiles]:
    _OPENED.paths = []
    _OPENED.active = True
    try:
        yield _OPENED
    finally:
        _OPENED.active = False


def lint(path: Path, **kwargs: Any) -> tuple[list[Any], list[str]]:
    return Linter(Config(), select=["all"], **kwargs).lint_file(path)


# -- local files ---------------------------------------------------------------------------------

ESCAPES = [
    "../secret.yaml#/x",
    "sub/../../secret.yaml#/x",
    "%2e%2e/secret.yaml#/x",
    "%2E%2E%2Fsecret.yaml#/x",
    "..%2fsecret.yaml#/x",
    "{root}/secret.yaml#/x",  # absolute path
    "file://{root}/secret.yaml#/x",
    "file://localhost{root}/secret.yaml#/x",
    "file:{root}/secret.yaml#/x",
    "link.yaml#/x",  # a symlink inside the root to a file outside it
    "linkdir/secret.yaml#/x",  # a symlinked directory
    "sub/escape.yaml#/Inner",  # a referenced file that itself escapes
    "/etc/passwd",
    "file:///etc/passwd",
    "/proc/self/environ",
]


@pytest.mark.parametrize("ref", ESCAPES)
def test_refs_cannot_leave_the_ref_root(tree: Path, ref: str, opened: OpenedFiles) -> None:
    spec = spec_with_ref(tree, ref.replace("{root}", str(tree.parent)))
    with pytest.raises(RefError) as caught:
        lint(spec)
    message = str(caught.value)
    assert "reaches outside" in message
    assert "allow it with --ref-root or 'ref-root' in the config" in message
    assert SECRET not in message
    # Refused before opening: the secret, /etc/passwd and /proc are never read.
    outside = [p for p in opened.paths if not os.path.realpath(p).startswith(str(tree))]
    assert not [p for p in outside if p.endswith(("secret.yaml", "passwd", "environ"))]


def test_refs_inside_the_root_are_followed_across_files(tree: Path) -> None:
    spec = spec_with_ref(tree, "sub/nested.yaml#/Inner")
    findings, _ = lint(spec)
    assert not [f for f in findings if f.rule == "spec-invalid"]


@pytest.mark.parametrize("ref", ["../secret.yaml#/x", "sub/escape.yaml#/Inner", "link.yaml#/x"])
def test_ref_root_option_allows_reading_above(tree: Path, ref: str) -> None:
    spec = spec_with_ref(tree, ref)
    lint(spec, ref_root=tree.parent)  # no error: the secret is inside the wider root


def test_ref_root_from_the_config_file(tree: Path) -> None:
    (tree / "apilint.yaml").write_text("ref-root: ..\n", encoding="utf-8")
    spec = spec_with_ref(tree, "../secret.yaml#/x")
    Linter(load_config(tree / "apilint.yaml"), select=["all"]).lint_file(spec)
    with pytest.raises(RefError, match="reaches outside"):
        lint(spec)


def test_cli_refuses_an_escaping_ref_in_one_line(tree: Path) -> None:
    spec = spec_with_ref(tree, "../secret.yaml#/x")
    result = run_cli("lint", "--no-config", str(spec), cwd=tree)
    assert result.returncode == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("apilint: error")]
    assert len(errors) == 1
    assert "reaches outside" in errors[0]
    assert SECRET not in result.stdout + result.stderr
    allowed = run_cli("lint", "--no-config", "--ref-root", "..", str(spec), cwd=tree)
    assert allowed.returncode in (0, 1), allowed.stderr


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_as_ref_target_is_refused_not_waited_on(tree: Path) -> None:
    os.mkfifo(tree / "pipe.yaml")
    spec = spec_with_ref(tree, "pipe.yaml#/x")
    started = time.monotonic()
    with pytest.raises(RefError, match="is not a regular file"):
        lint(spec)
    assert time.monotonic() - started < 5


def test_symlink_loop_is_an_error(tree: Path) -> None:
    (tree / "a.yaml").symlink_to(tree / "b.yaml")
    (tree / "b.yaml").symlink_to(tree / "a.yaml")
    with pytest.raises(RefError, match=r"\$ref 'a.yaml': no such file"):
        lint(spec_with_ref(tree, "a.yaml#/x"))


# -- remote refs -----------------------------------------------------------------------------------

REMOTE_DOC = "Pet:\n  type: object\n  properties:\n    owner: {$ref: 'owner.yaml#/Owner'}\n"
OWNER_DOC = "Owner: {type: string}\n"


def test_remote_refs_are_not_fetched_without_the_opt_in(tmp_path: Path, server: Recorder) -> None:
    server.routes.update({"/pet.yaml": REMOTE_DOC, "/owner.yaml": OWNER_DOC})
    spec = spec_with_ref(tmp_path, f"{server.base}/pet.yaml#/Pet")
    _, notes = lint(spec)
    assert server.requests == []
    assert any("1 remote $ref(s) not fetched" in note for note in notes)


def test_remote_refs_are_fetched_with_the_opt_in(tmp_path: Path, server: Recorder) -> None:
    server.routes.update({"/pet.yaml": REMOTE_DOC, "/owner.yaml": OWNER_DOC})
    spec = spec_with_ref(tmp_path, f"{server.base}/pet.yaml#/Pet")
    lint(spec, allow_remote_refs=True)
    # The remote document's own relative ref is resolved against its URL.
    assert sorted(server.requests) == ["/owner.yaml", "/pet.yaml"]


def test_cli_remote_refs_only_with_the_flag(tmp_path: Path, server: Recorder) -> None:
    server.routes.update({"/pet.yaml": REMOTE_DOC, "/owner.yaml": OWNER_DOC})
    spec = spec_with_ref(tmp_path, f"{server.base}/pet.yaml#/Pet")
    quiet = run_cli("lint", "--no-config", str(spec), cwd=tmp_path)
    assert quiet.returncode == 0, quiet.stderr
    assert server.requests == []
    assert "remote $ref(s) not fetched (use --allow-remote-refs" in quiet.stderr
    fetched = run_cli("lint", "--no-config", "--allow-remote-refs", str(spec), cwd=tmp_path)
    assert fetched.returncode == 0, fetched.stderr
    assert sorted(server.requests) == ["/owner.yaml", "/pet.yaml"]


def test_a_remote_document_cannot_reach_local_files(tmp_path: Path, server: Recorder) -> None:
    server.routes["/evil.yaml"] = "X: {$ref: 'file:///etc/passwd'}\n"
    spec = spec_with_ref(tmp_path, f"{server.base}/evil.yaml#/X")
    with pytest.raises(RefError, match="reaches outside"):
        lint(spec, allow_remote_refs=True)


def test_remote_fetch_errors_are_one_line(tmp_path: Path, server: Recorder) -> None:
    spec = spec_with_ref(tmp_path, f"{server.base}/missing.yaml#/X")
    with pytest.raises(RefError, match=r"could not be fetched: HTTP Error 404"):
        lint(spec, allow_remote_refs=True)


# -- no request while linting ----------------------------------------------------------------


def network_spec(base: str) -> str:
    """A 3.1 description whose every URL points at ``base``: refs, servers, docs, OAuth, $id."""
    return f"""\
openapi: 3.1.0
info:
  title: t
  version: '1'
  termsOfService: {base}/terms
  contact: {{url: {base}/contact}}
  license: {{name: MIT, url: {base}/license}}
jsonSchemaDialect: {base}/dialect
externalDocs: {{url: {base}/docs}}
servers:
  - url: {base}/v1
  - url: https://localhost:1/v2
paths:
  /pets:
    get:
      externalDocs: {{url: {base}/op-docs}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {{$ref: '{base}/remote.yaml#/Pet'}}
            application/xml:
              schema: {{$ref: '#/components/schemas/Pet'}}
              example: {{a: 1, b: 2, c: 3, d: 4}}
          links:
            self: {{operationRef: '{base}/links#/paths/~1pets/get'}}
components:
  schemas:
    Pet:
      $schema: {base}/schema
      $id: {base}/pet
      type: object
      properties:
        a: {{$ref: '{base}/a.json'}}
        b: {{$ref: 'https://127.0.0.1:1/b.json'}}
        c: {{$dynamicRef: '{base}/c.json'}}
        d: {{$id: '{base}/d/', $schema: '{base}/meta', type: integer}}
      example: {{a: 1, b: 2, c: 3, d: 4}}
  securitySchemes:
    oauth:
      type: oauth2
      flows:
        authorizationCode:
          authorizationUrl: {base}/auth
          tokenUrl: {base}/token
          refreshUrl: {base}/refresh
          scopes: {{}}
    oidc: {{type: openIdConnect, openIdConnectUrl: {base}/.well-known/openid-configuration}}
"""


@pytest.fixture
def no_connections(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Fail any Python-level connection attempt (and record it)."""
    attempts: list[Any] = []

    def refuse(*args: Any, **kwargs: Any) -> Any:
        attempts.append(args[1:] if args else kwargs)
        raise AssertionError(f"network access while linting: {args[1:]}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


def test_no_request_while_linting(
    tmp_path: Path, server: Recorder, no_connections: list[Any]
) -> None:
    # The recorder catches requests from native code (the Rust schema validator) that the
    # Python-level guard cannot see: every URL in the document points at it.
    spec = tmp_path / "api.yaml"
    spec.write_text(network_spec(server.base), encoding="utf-8")
    _, notes = lint(spec)
    assert no_connections == []
    assert server.requests == []
    assert any("remote $ref(s) not fetched" in note for note in notes)


def test_no_request_from_a_ruleset_schema_with_a_remote_ref(
    tmp_path: Path, server: Recorder
) -> None:
    # jsonschema-rs fetches remote $refs by default; apilint builds its validators offline.
    server.routes["/title.json"] = '{"type": "string"}'
    (tmp_path / "rules.yaml").write_text(
        "rules:\n"
        "  title-schema:\n"
        "    description: Titles follow the house schema.\n"
        "    given: info\n"
        "    then:\n"
        "      field: title\n"
        "      function: schema\n"
        f"      functionOptions: {{schema: {{$ref: '{server.base}/title.json'}}}}\n",
        encoding="utf-8",
    )
    config = load_config(_write(tmp_path / "apilint.yaml", "extends: [rules.yaml]\n"))
    spec = _write(
        tmp_path / "api.yaml", "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n"
    )
    with pytest.raises(ConfigError, match="invalid JSON Schema in functionOptions"):
        Linter(config).lint_file(spec)
    assert server.requests == []


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.skipif(shutil.which("strace") is None, reason="needs strace")
def test_no_network_system_call_in_a_real_lint(tmp_path: Path, server: Recorder) -> None:
    # The operating system's view: no connect() to an IP address (TCP, or UDP for DNS) in the
    # whole lint process, native code included.
    spec = tmp_path / "api.yaml"
    spec.write_text(network_spec(server.base), encoding="utf-8")
    trace = tmp_path / "trace.txt"
    completed = subprocess.run(
        [
            "strace", "-f", "-qq", "-e", "trace=connect,sendto", "-o", str(trace),
            sys.executable, "-m", "apilint", "lint", "--no-config", "--select", "all", str(spec),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "NO_COLOR": "1"},
    )  # fmt: skip
    if completed.returncode not in (0, 1) and "ptrace" in completed.stderr:
        pytest.skip("strace is not permitted here")
    assert completed.returncode in (0, 1), completed.stderr
    calls = trace.read_text(encoding="utf-8").splitlines()
    inet = [c for c in calls if "AF_INET" in c]
    assert inet == []
    assert server.requests == []


def test_remote_fetch_has_a_deadline(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A server that accepts and then sends one byte now and then must not hold the lint.
    monkeypatch.setattr(refs, "REMOTE_TIMEOUT", 1.0)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    stop = threading.Event()

    def drip() -> None:
        conn, _ = listener.accept()
        with conn:
            conn.sendall(b"HTTP/1.0 200 OK\r\nContent-Length: 100000\r\n\r\n")
            while not stop.wait(0.3):
                try:
                    conn.sendall(b"a")
                except OSError:
                    return

    thread = threading.Thread(target=drip, daemon=True)
    thread.start()
    port = listener.getsockname()[1]
    spec = spec_with_ref(tmp_path, f"http://127.0.0.1:{port}/slow.yaml#/X")
    started = time.monotonic()
    try:
        with pytest.raises(RefError, match="could not be fetched"):
            lint(spec, allow_remote_refs=True)
    finally:
        stop.set()
        listener.close()
        thread.join(timeout=5)
    assert time.monotonic() - started < 10


@pytest.mark.parametrize(
    "response",
    [b"garbage\r\n\r\n", b"HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\nshort", b""],
)
def test_broken_http_responses_are_one_line_errors(tmp_path: Path, response: bytes) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()

    def answer() -> None:
        conn, _ = listener.accept()
        with conn:
            conn.recv(65536)
            conn.sendall(response)

    thread = threading.Thread(target=answer, daemon=True)
    thread.start()
    spec = spec_with_ref(tmp_path, f"http://127.0.0.1:{listener.getsockname()[1]}/x.yaml#/X")
    try:
        with pytest.raises(ApilintError) as caught:
            lint(spec, allow_remote_refs=True)
    finally:
        listener.close()
        thread.join(timeout=5)
    assert "\n" not in str(caught.value)
    assert "could not be fetched" in str(caught.value)
