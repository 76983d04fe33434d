"""Sending apilint's own probe requests: over the network or into an in-process WSGI/ASGI app.

Every request goes through :class:`Client`, which holds the guarantees in one place:

- redirects are never followed (the caller sees each hop and decides);
- a method the run does not allow (``--read-only``, or a write to a non-loopback host without
  ``--allow-writes``) is refused before anything is sent;
- every request has a timeout, in-process calls included;
- the rate limit is shared with Schemathesis's requests.

Network failures become :class:`TransportError` with a one-line, secret-free message.
"""

from __future__ import annotations

import errno
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urlsplit

from apilint.contract.redact import Redactor
from apilint.core.errors import ContractError


@dataclass(frozen=True)
class Request:
    method: str
    url: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None


@dataclass(frozen=True)
class Answer:
    status: int
    headers: dict[str, str]
    """Lower-case names."""

    @property
    def location(self) -> str | None:
        return self.headers.get("location")


class TransportError(ContractError):
    """The request got no HTTP answer. ``kind``: refused, unreachable, tls, timeout, closed."""

    def __init__(self, message: str, kind: str) -> None:
        super().__init__(message)
        self.kind = kind


class WriteRefused(ContractError):
    """A request the run's safety settings forbid; raised before anything is sent."""


class Backend(Protocol):
    def send(self, request: Request, timeout: float) -> Answer: ...

    def close(self) -> None: ...


class Client:
    """The one door probe requests go through."""

    def __init__(
        self,
        backend: Backend,
        *,
        timeout: float,
        allows: Callable[[str], bool],
        redactor: Redactor,
        limiter: Callable[[], None] | None = None,
    ) -> None:
        self.backend = backend
        self.timeout = timeout
        self.allows = allows
        self.redactor = redactor
        self.limiter = limiter
        self.sent = 0
        self._lock = threading.Lock()

    def send(self, request: Request) -> Answer:
        if not self.allows(request.method):
            raise WriteRefused(
                f"refused to send {request.method} {self.redactor.url(request.url)}: "
                "writes are not allowed in this run"
            )
        if self.limiter is not None:
            self.limiter()
        with self._lock:
            self.sent += 1
        try:
            return self.backend.send(request, self.timeout)
        except TransportError:
            raise
        except Exception as exc:  # any failure below is a transport failure, one line
            raise describe_failure(exc, request, self.timeout, self.redactor) from None

    def close(self) -> None:
        self.backend.close()


# -- network --------------------------------------------------------------------------------


class RequestsBackend:
    """``requests`` without redirects; also serves ASGI apps through Schemathesis's adapter."""

    def __init__(self, session: Any, *, verify: bool = True, on_close: Any = None) -> None:
        self.session = session
        self.verify = verify
        self._on_close = on_close

    def send(self, request: Request, timeout: float) -> Answer:
        response = self.session.request(
            request.method,
            request.url,
            headers=request.headers,
            data=request.body,
            allow_redirects=False,
            timeout=timeout,
            verify=self.verify,
        )
        try:
            headers = {name.lower(): value for name, value in response.headers.items()}
            return Answer(response.status_code, headers)
        finally:
            response.close()

    def close(self) -> None:
        self.session.close()
        if self._on_close is not None:
            self._on_close()


def network_backend(*, insecure: bool) -> RequestsBackend:
    import warnings

    import requests
    import urllib3

    session = requests.Session()
    session.trust_env = False  # no proxies or .netrc credentials picked up behind the user's back
    session.headers.clear()
    session.headers["User-Agent"] = "apilint-contract"
    if insecure:
        warnings.filterwarnings("ignore", category=urllib3.exceptions.InsecureRequestWarning)
    return RequestsBackend(session, verify=not insecure)


def asgi_backend(app: Any) -> RequestsBackend:
    from schemathesis.python import asgi

    client = asgi.get_client(app)
    client.__enter__()  # runs the app's lifespan startup once
    return RequestsBackend(client, on_close=lambda: client.__exit__(None, None, None))


# -- in-process WSGI -------------------------------------------------------------------------


class TimeoutWsgi:
    """WSGI middleware that gives every in-process call the run's timeout: the app runs (and its
    body is read) in a worker thread; one that does not finish in time raises TimeoutError in
    the caller, like a network timeout. Used for both the probes and Schemathesis's requests."""

    def __init__(self, app: Any, timeout: float) -> None:
        self.app = app
        self.timeout = timeout

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        result: dict[str, Any] = {}

        def call() -> None:
            chunks: list[bytes] = []
            started: list[Any] = []

            def capture(status: str, headers: list[Any], exc_info: Any = None) -> Any:
                started[:] = [status, headers, exc_info]
                return chunks.append

            try:
                body = self.app(environ, capture)
                try:
                    chunks.extend(body)
                finally:
                    close = getattr(body, "close", None)
                    if close is not None:
                        close()
                result["answer"] = (started, b"".join(chunks))
            except BaseException as exc:  # handed to the caller's thread
                result["error"] = exc

        worker = threading.Thread(target=call, name="apilint-wsgi", daemon=True)
        worker.start()
        worker.join(self.timeout)
        if worker.is_alive():
            raise TimeoutError(
                f"the app did not answer {environ.get('REQUEST_METHOD')} "
                f"{environ.get('PATH_INFO')} within {self.timeout:g} s (--timeout)"
            )
        if "error" in result:
            raise result["error"]
        (status, headers, exc_info), body = result["answer"]
        start_response(status, headers, exc_info)
        return [body]


class WsgiBackend:
    """Werkzeug's test client (it never follows redirects unless asked) on a TimeoutWsgi app."""

    def __init__(self, app: Any) -> None:
        from werkzeug.test import Client as WerkzeugClient

        self.client = WerkzeugClient(app)

    def send(self, request: Request, timeout: float) -> Answer:
        parts = urlsplit(request.url)
        try:
            response = self.client.open(
                path=parts.path or "/",
                base_url=f"{parts.scheme}://{parts.netloc}",
                query_string=parts.query,
                method=request.method,
                headers=list(request.headers.items()),
                data=request.body,
                follow_redirects=False,
            )
        except TimeoutError as exc:
            raise TransportError(str(exc), "timeout") from None
        except Exception as exc:
            raise TransportError(
                f"the app raised {type(exc).__name__} on {request.method} {parts.path}: "
                f"{_first_line(exc)}",
                "app",
            ) from None
        headers = {name.lower(): value for name, value in response.headers.items()}
        answer = Answer(response.status_code, headers)
        response.close()
        return answer

    def close(self) -> None:
        pass


# -- failures in one line ---------------------------------------------------------------------


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname or ''}" + (f":{parts.port}" if parts.port else "")


def describe_failure(
    exc: BaseException, request: Request, timeout: float, redactor: Redactor
) -> TransportError:
    origin = redactor.url(origin_of(request.url))
    chain = list(_chain(exc))
    names = {type(e).__name__ for e in chain}
    for error in chain:
        if isinstance(error, ssl.SSLCertVerificationError):
            reason = error.verify_message or error.reason or "certificate verification failed"
            return TransportError(
                f"TLS failure talking to {origin}: {reason} "
                "(pass --insecure to skip certificate verification)",
                "tls",
            )
    for error in chain:
        if isinstance(error, ssl.SSLError):
            reason = error.reason or _first_line(error)
            return TransportError(f"TLS failure talking to {origin}: {reason}", "tls")
    if "ConnectTimeout" in names or "ConnectTimeoutError" in names:
        return TransportError(
            f"could not connect to {origin} within {timeout:g} s (--timeout)", "timeout"
        )
    if "ReadTimeout" in names or "ReadTimeoutError" in names or "Timeout" in names:
        path = urlsplit(request.url).path
        return TransportError(
            f"{origin} did not answer {request.method} {redactor.text(path)} within "
            f"{timeout:g} s (--timeout)",
            "timeout",
        )
    for error in chain:
        if isinstance(error, ConnectionRefusedError):
            return TransportError(
                f"connection refused by {origin} (is the service running?)", "refused"
            )
        if isinstance(error, socket.gaierror):
            host = urlsplit(request.url).hostname or ""
            return TransportError(f"cannot resolve host '{host}' ({origin})", "unreachable")
        if isinstance(error, OSError) and error.errno in (
            errno.ENETUNREACH,
            errno.EHOSTUNREACH,
            errno.EADDRNOTAVAIL,
        ):
            return TransportError(f"{origin} is unreachable ({error.strerror})", "unreachable")
    if any(isinstance(error, ConnectionResetError) for error in chain):
        return TransportError(f"{origin} reset the connection", "closed")
    if "RemoteDisconnected" in names or "ProtocolError" in names:
        return TransportError(f"{origin} closed the connection without answering", "closed")
    if "InvalidURL" in names or "InvalidSchema" in names or "MissingSchema" in names:
        return TransportError(f"cannot send to {redactor.url(request.url)}: invalid URL", "url")
    return TransportError(
        f"cannot reach {origin}: {redactor.text(_first_line(exc))}", "unreachable"
    )


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """The exception, its causes and contexts, urllib3's ``reason``s and exception args."""
    seen: set[int] = set()
    stack = [exc]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        nested = [
            current.__cause__,
            current.__context__,
            getattr(current, "reason", None),
            *(a for a in getattr(current, "args", ()) if isinstance(a, BaseException)),
        ]
        stack.extend(e for e in nested if isinstance(e, BaseException))


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:300]


def rate_limiter(limiter: Any, base_url: str) -> Callable[[], None]:
    """Schemathesis's limiter object (pyrate-limiter), shared so probes and fuzzing draw from one
    bucket."""
    label = urlsplit(base_url).netloc

    def acquire() -> None:
        while not limiter.try_acquire(label):  # pragma: no cover - only non-blocking limiters
            time.sleep(0.01)

    return acquire
