"""Real servers for the traffic and infer tests: a WSGI app on a free loopback port behind a real NGINX or
HAProxy that writes the access log the tests read. Everything is shut down before the log is
returned (NGINX gracefully, so the log is flushed)."""

from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from ci_support import wait_for

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
HAPROXY = shutil.which("haproxy") or (
    "/usr/sbin/haproxy" if Path("/usr/sbin/haproxy").exists() else None
)

Request = tuple[str, str] | tuple[str, str, str]
"""(method, target) or (method, target, user agent)."""

NGINX_TIMED = (
    '\'$remote_addr - $remote_user [$time_local] "$request" $status '
    '$body_bytes_sent "$http_referer" "$http_user_agent" $request_time\''
)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def serve(app: Any) -> Iterator[int]:
    """A WSGI app on a free loopback port, for as long as the block runs."""
    from werkzeug.serving import make_server

    port = free_port()
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield port
    finally:
        server.shutdown()
        thread.join(timeout=5)


def send(port: int, requests: Sequence[Request]) -> None:
    for method, target, *agent in requests:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        headers = {"User-Agent": agent[0]} if agent else {}
        try:
            body = b"{}" if method in ("POST", "PUT") else None
            connection.request(method, target, body=body, headers=headers)
            connection.getresponse().read()
        finally:
            connection.close()


def _stop(process: subprocess.Popen[bytes], sig: int) -> None:
    process.send_signal(sig)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextmanager
def nginx_in_front(
    folder: Path,
    app: Any,
    logging: str,
    location: str = "/api/",
    upstream_path: str = "/",
    proxy_conf: str = "",
) -> Iterator[int]:
    """A real NGINX on a free loopback port in front of ``app`` (served as :func:`serve` does)
    for as long as the block runs; yields NGINX's port. ``logging``: the ``log_format`` and
    ``access_log`` lines of its http block. On leaving, NGINX stops gracefully, so that its
    logs are complete."""
    if NGINX is None:
        pytest.skip("nginx is not installed (apt install nginx)")
    (folder / "html").mkdir(exist_ok=True)
    user = "user root root;\n" if os.geteuid() == 0 else ""
    with serve(app) as upstream:
        port = free_port()
        conf = folder / "nginx.conf"
        conf.write_text(
            f"""{user}worker_processes 1;
daemon off;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 64; }}
http {{
    {logging}
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    server {{
        listen 127.0.0.1:{port};
        root {folder}/html;
        location {location} {{
            proxy_pass http://127.0.0.1:{upstream}{upstream_path};
            proxy_redirect off;
            {proxy_conf}
        }}
    }}
}}
""",
            encoding="utf-8",
        )
        process = subprocess.Popen(
            [NGINX, "-p", str(folder), "-c", str(conf), "-e", str(folder / "error.log")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_for(port, process, lambda: (folder / "error.log").read_text(errors="replace"))
            yield port
        finally:
            _stop(process, signal.SIGQUIT)  # graceful: finishes and flushes the log


def nginx_log(
    folder: Path,
    app: Any,
    requests: Sequence[Request],
    log_format: str = NGINX_TIMED,
    location: str = "/api/",
    upstream_path: str = "/",
) -> Path:
    """Send ``requests`` through a real NGINX in front of ``app``; the access log it wrote."""
    logging = f"log_format timed {log_format};\n    access_log {folder}/access.log timed;"
    with nginx_in_front(folder, app, logging, location, upstream_path) as port:
        send(port, requests)
    return folder / "access.log"


def haproxy_log(
    folder: Path, app: Any, requests: Sequence[Request], captures: Sequence[str] = ()
) -> Path:
    """Send ``requests`` through a real HAProxy (``option httplog``, its default log line length
    of 1,024 bytes) in front of ``app``; the log it wrote to its standard output. ``captures``:
    request headers HAProxy captures into the log (``capture request header NAME len 128``)."""
    capture = "".join(f"    capture request header {name} len 128\n" for name in captures)
    if HAPROXY is None:
        pytest.skip("haproxy is not installed (apt install haproxy)")
    with serve(app) as upstream:
        port = free_port()
        conf = folder / "haproxy.cfg"
        conf.write_text(
            f"""global
    log stdout format raw local0
defaults
    mode http
    log global
    option httplog
    option dontlognull
    timeout connect 5s
    timeout client 10s
    timeout server 10s
frontend web
    bind 127.0.0.1:{port}
{capture}    default_backend app
backend app
    server app1 127.0.0.1:{upstream}
""",
            encoding="utf-8",
        )
        log = folder / "haproxy.log"
        with open(log, "wb") as out, open(folder / "haproxy.err", "wb") as err:
            process = subprocess.Popen([HAPROXY, "-db", "-f", str(conf)], stdout=out, stderr=err)
            try:
                wait_for(
                    port, process, lambda: (folder / "haproxy.err").read_text(errors="replace")
                )
                send(port, requests)
                deadline = time.monotonic() + 10
                while time.monotonic() < deadline:  # HAProxy logs each request as it ends
                    if log.read_bytes().count(b"\n") >= len(requests):
                        break
                    time.sleep(0.05)
            finally:
                # The log is complete; a soft stop would add HAProxy's own notices to it.
                process.kill()
                process.wait()
    return log
