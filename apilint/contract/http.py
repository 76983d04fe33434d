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

import contextlib
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

    def reset(self) -> None:
        """Drop kept-alive connections: the next request opens a fresh one."""

    def close(self) -> None: ...


RETRIED_KINDS = frozenset({"closed", "refused", "unreachable"})
"""Failures worth one more try on a fresh connection: a server may close a kept-alive connection
after an answer without saying so (uvicorn does after an unhandled exception), and a restarting
service refuses for a moment. A timeout is not retried: it has already waited."""

RETRY_PAUSE = 0.2


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
        where: str | None = None,
    ) -> None:
        self.backend = backend
        self.where = where
        """How failures name the target: its origin, or "the app" for an in-process one."""
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
        try:
            return self._send_once(request)
        except TransportError as exc:
            if exc.kind not in RETRIED_KINDS:
                raise
            first = exc
        self.backend.reset()
        if first.kind != "closed":
            time.sleep(RETRY_PAUSE)
        try:
            return self._send_once(request)
        except TransportError as exc:
            if exc.kind == first.kind:
                raise first from None
            raise

    def _send_once(self, request: Request) -> Answer:
        with self._lock:
            self.sent += 1
        try:
            return self.backend.send(request, self.timeout)
        except TransportError:
            raise
        except Exception as exc:  # any failure below is a transport failure, one line
            raise describe_failure(
                exc, request, self.timeout, self.redactor, where=self.where
            ) from None

    def close(self) -> None:
        self.backend.close()


# -- network --------------------------------------------------------------------------------


class RequestsBackend:
    """``requests`` without redirects; also serves ASGI apps through Schemathesis's adapter."""

    def __init__(
        self, session: Any, *, verify: bool = True, on_close: Any = None, network: bool = True
    ) -> None:
        self.session = session
        self.verify = verify
        self._on_close = on_close
        self.network = network

    def send(self, request: Request, timeout: float) -> Answer:
        started = time.monotonic()
        extra: dict[str, Any] = {"stream": True} if self.network else {}
        response = self.session.request(
            request.method,
            request.url,
            headers=request.headers,
            data=request.body,
            allow_redirects=False,
            timeout=timeout,
            verify=self.verify,
            **extra,
        )
        try:
            if self.network:
                read_within(response, timeout - (time.monotonic() - started), timeout)
            headers = {name.lower(): value for name, value in response.headers.items()}
            return Answer(response.status_code, headers)
        finally:
            response.close()

    def reset(self) -> None:
        for adapter in getattr(self.session, "adapters", {}).values():
            adapter.close()

    def close(self) -> None:
        self.session.close()
        if self._on_close is not None:
            self._on_close()


def read_within(response: Any, seconds: float, timeout: float) -> None:
    """Read a streamed ``requests`` response's whole body within ``seconds``, or raise
    ``requests.ReadTimeout``. The per-read socket timeout alone lets a server that trickles its
    body (a byte a second) hold a request forever; here a timer shuts the socket down when the
    deadline passes, which ends the read wherever it is blocked."""
    import requests

    fired = threading.Event()
    sock = _socket_of(response)

    def expire() -> None:
        fired.set()
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    timer = threading.Timer(max(seconds, 0.0), expire)
    timer.daemon = True
    with _READS_LOCK:
        _READS.add(expire)
    if _ABORTED.is_set():
        expire()
    timer.start()
    try:
        response.content  # noqa: B018 - reads and keeps the body
    except requests.RequestException:
        if not fired.is_set():
            raise
    finally:
        timer.cancel()
        with _READS_LOCK:
            _READS.discard(expire)
    if fired.is_set():  # also when the cut-off body had no length to check it against
        raise requests.ReadTimeout(
            f"the whole answer did not arrive within {timeout:g} s", response=response
        )


_READS: set[Callable[[], None]] = set()
_READS_LOCK = threading.Lock()
_ABORTED = threading.Event()


def abort_reads() -> None:
    """End every body being read now, and every one that starts from now on, as if its
    deadline had passed (Ctrl-C: the run stops without waiting for a slow answer)."""
    _ABORTED.set()
    with _READS_LOCK:
        pending = list(_READS)
    for expire in pending:
        expire()


def allow_reads() -> None:
    """A new run: bodies are read again (until the next abort_reads)."""
    _ABORTED.clear()


def _socket_of(response: Any) -> socket.socket | None:
    raw = getattr(response, "raw", None)
    connection = getattr(raw, "_connection", None) or getattr(raw, "connection", None)
    sock = getattr(connection, "sock", None)
    if isinstance(sock, socket.socket):
        return sock
    fp = getattr(getattr(raw, "_fp", None), "fp", None)
    sock = getattr(getattr(fp, "raw", None), "_sock", None)
    return sock if isinstance(sock, socket.socket) else None


def deadline_hook(timeout: float) -> Callable[..., Any]:
    """A ``requests`` response hook that holds a streamed response to a whole-request deadline
    (``timeout`` from the start of the request; Schemathesis streams every response)."""

    def hook(response: Any, *args: Any, **kwargs: Any) -> Any:
        if not getattr(response, "_content_consumed", False):
            spent = response.elapsed.total_seconds() if response.elapsed else 0.0
            read_within(response, timeout - spent, timeout)
        return response

    return hook


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
    return RequestsBackend(
        client, on_close=lambda: client.__exit__(None, None, None), network=False
    )


# -- in-process WSGI -------------------------------------------------------------------------


class TimeoutWsgi:
    """WSGI middleware that gives every in-process call the run's timeout: the app runs (and its
    body is read) in a worker thread; one that does not finish in time raises TimeoutError in
    the caller, like a network timeout. Used for both the probes and Schemathesis's requests.

    An app that raises (anything, ``sys.exit()`` included) or returns something that is not an
    iterable of bytes is answered 500 Internal Server Error, as a WSGI server answers it: the
    crash is a finding about that request, not the end of the run. What it raised is kept in
    :attr:`crashes` (one line each) for the run's notes."""

    def __init__(self, app: Any, timeout: float) -> None:
        self.app = app
        self.timeout = timeout
        self.crashes: dict[str, str] = {}
        """First line of what the app raised, by "METHOD /path"."""
        self._lock = threading.Lock()

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
                    chunks.extend(bytes(chunk) for chunk in body)
                finally:
                    close = getattr(body, "close", None)
                    if close is not None:
                        close()
                if not started:
                    raise RuntimeError("the app returned without calling start_response")
                result["answer"] = (started, b"".join(chunks))
            except BaseException as exc:  # the app's failure is a 500, whatever it is
                result["error"] = exc

        worker = threading.Thread(target=call, name="apilint-wsgi", daemon=True)
        worker.start()
        worker.join(self.timeout)
        method, path = environ.get("REQUEST_METHOD"), environ.get("PATH_INFO")
        if worker.is_alive():
            raise TimeoutError(f"the app did not answer {method} {path} within {self.timeout:g} s")
        if "error" in result:
            error = result["error"]
            with self._lock:
                self.crashes.setdefault(f"{method} {path}", _describe_crash(error))
            body = b"Internal Server Error"
            start_response(
                "500 Internal Server Error",
                [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))],
            )
            return [body]
        (status, headers, exc_info), body = result["answer"]
        start_response(status, headers, exc_info)
        return [body]


def _describe_crash(error: BaseException) -> str:
    if isinstance(error, SystemExit):
        return f"called sys.exit({error.code!r})"
    if isinstance(error, TypeError) and "iterable" in str(error):
        return "returned something that is not an iterable of bytes"
    return f"raised {type(error).__name__}: {_first_line(error)}"


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
            raise TransportError(f"{exc} (--timeout)", "timeout") from None
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

    def reset(self) -> None:
        pass

    def close(self) -> None:
        pass


# -- failures in one line ---------------------------------------------------------------------


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.hostname or ''}" + (f":{parts.port}" if parts.port else "")


NOT_HTTP = frozenset({"BadStatusLine", "LineTooLong", "InvalidHeader", "HeaderParsingError"})
"""What http.client and urllib3 raise for an answer that is not HTTP/1.x."""


def describe_failure(
    exc: BaseException,
    request: Request,
    timeout: float,
    redactor: Redactor,
    *,
    where: str | None = None,
) -> TransportError:
    """``where`` names the target in the message ("the app" for an in-process one); the request
    URL's origin by default."""
    origin = where or redactor.url(origin_of(request.url))
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
    if names & {"ReadTimeout", "ReadTimeoutError", "Timeout", "TimeoutError"}:
        path = urlsplit(request.url).path
        return TransportError(
            f"{origin} did not answer {request.method} {redactor.text(path)} within "
            f"{timeout:g} s (--timeout)",
            "timeout",
        )
    if names & NOT_HTTP:
        detail = next(
            (_first_line(e) for e in chain if type(e).__name__ in NOT_HTTP), "not HTTP/1.x"
        )
        return TransportError(
            f"{origin} answered {request.method} {redactor.text(urlsplit(request.url).path)} "
            f"with something that is not HTTP ({redactor.text(detail)[:120]})",
            "garbage",
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
    path = redactor.text(urlsplit(request.url).path)
    if "RemoteDisconnected" in names:  # a subclass of ConnectionResetError: first
        return TransportError(
            f"{origin} closed the connection without answering {request.method} {path}", "closed"
        )
    if any(isinstance(error, ConnectionResetError) for error in chain):
        return TransportError(
            f"{origin} reset the connection instead of answering {request.method} {path}",
            "closed",
        )
    if names & {"ProtocolError", "ChunkedEncodingError", "IncompleteRead"}:
        return TransportError(
            f"{origin} closed the connection before its answer to {request.method} {path} "
            "was complete",
            "closed",
        )
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
