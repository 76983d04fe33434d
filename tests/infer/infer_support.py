"""Helpers for the infer tests: a real NGINX in front of a real WSGI service, writing its logs."""

from __future__ import annotations

import http.client
import os
import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from real_servers import nginx_in_front

ROOT = Path(__file__).resolve().parents[2]

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


def _logging(folder: Path) -> str:
    """NGINX's two logs of the same requests: combined plus $request_time, and JSON lines."""
    return f"""log_format {COMBINED} '$remote_addr - $remote_user [$time_local] "$request" $status '
                     '$body_bytes_sent "$http_referer" "$http_user_agent" $request_time';
    log_format {JSON} escape=json '{{"time_iso8601":"$time_iso8601",'
        '"remote_addr":"$remote_addr","request_method":"$request_method",'
        '"request_uri":"$request_uri","status":$status,"request_time":$request_time,'
        '"host":"$host","scheme":"$scheme"}}';
    access_log {folder}/access.log {COMBINED};
    access_log {folder}/access.jsonl {JSON};"""


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
    proxy = "proxy_set_header Host $host;"
    with nginx_in_front(folder, app, _logging(folder), "/", "", proxy) as port:
        yield Client(port), Logs(folder / "access.log", folder / "access.jsonl")


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
