"""Helpers for the infer tests: a real NGINX in front of a real WSGI service, writing its logs."""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from ci_support import wait_for

ROOT = Path(__file__).resolve().parents[2]
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)

COMBINED = "combined_timed"
JSON = "json"


def run_apilint(
    *args: str, cwd: Path, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """``python -m apilint ARGS`` with this checkout's apilint first on the path."""
    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "apilint", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _nginx_conf(folder: Path, port: int, upstream: int) -> str:
    user = "user root root;\n" if os.geteuid() == 0 else ""
    return f"""{user}worker_processes 1;
daemon off;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 64; }}
http {{
    log_format {COMBINED} '$remote_addr - $remote_user [$time_local] "$request" $status '
                     '$body_bytes_sent "$http_referer" "$http_user_agent" $request_time';
    log_format {JSON} escape=json '{{"time_iso8601":"$time_iso8601",'
        '"remote_addr":"$remote_addr","request_method":"$request_method",'
        '"request_uri":"$request_uri","status":$status,"request_time":$request_time,'
        '"host":"$host","scheme":"$scheme"}}';
    access_log {folder}/access.log {COMBINED};
    access_log {folder}/access.jsonl {JSON};
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://127.0.0.1:{upstream};
            proxy_set_header Host $host;
            proxy_redirect off;
        }}
    }}
}}
"""


@dataclass(frozen=True)
class Logs:
    combined: Path
    jsonl: Path


class Client:
    """Plain HTTP/1.1 requests to NGINX (redirects are not followed: the log shows them)."""

    def __init__(self, port: int) -> None:
        self.port = port

    def send(
        self,
        method: str,
        target: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            all_headers = dict(headers or {})
            if body is not None:
                all_headers.setdefault("Content-Type", "application/json")
            connection.request(method, target, body=body, headers=all_headers)
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()


@contextmanager
def nginx_in_front_of(app: Any, folder: Path) -> Iterator[tuple[Client, Logs]]:
    """A threaded WSGI server for ``app`` and NGINX before it on loopback; both stopped (NGINX
    gracefully, so its logs are flushed) when the block ends."""
    from werkzeug.serving import make_server

    if NGINX is None:
        pytest.skip("nginx is not installed (apt install nginx)")
    upstream = free_port()
    server = make_server("127.0.0.1", upstream, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    port = free_port()
    (folder / "nginx.conf").write_text(_nginx_conf(folder, port, upstream), encoding="utf-8")
    process = subprocess.Popen(
        [
            NGINX,
            "-p",
            str(folder),
            "-c",
            str(folder / "nginx.conf"),
            "-e",
            str(folder / "error.log"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for(port, process, lambda: (folder / "error.log").read_text(errors="replace"))
        yield Client(port), Logs(folder / "access.log", folder / "access.jsonl")
    finally:
        process.send_signal(signal.SIGQUIT)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        server.shutdown()
        thread.join(timeout=5)


def operations_of(document: dict[str, Any]) -> set[tuple[str, str]]:
    """(METHOD, path with every parameter written ``{}``) of a description's operations."""
    import re

    out = set()
    for path, item in (document.get("paths") or {}).items():
        for method in ("get", "put", "post", "delete", "patch", "head", "options", "trace"):
            if isinstance(item, dict) and method in item:
                out.add((method.upper(), re.sub(r"\{[^{}]+\}", "{}", path)))
    return out


def replay(client: Client, requests: Sequence[tuple[str, str]]) -> None:
    for method, target in requests:
        client.send(method, target)
