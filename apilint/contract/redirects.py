"""What a redirect means, in plain words. Pure functions: no I/O.

Used for apilint's own probes and for every 3xx Schemathesis's requests receive, so a redirect is
reported the same way whoever saw it first.
"""

from __future__ import annotations

import http
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

METHOD_CHANGING = (301, 302, 303)
BODILESS_METHODS = frozenset({"GET", "HEAD", "TRACE", "OPTIONS", "CONNECT"})
"""Methods whose request has no body to lose when a client repeats it elsewhere."""
NOWHERE = frozenset({"none", "null", "nil", "undefined", "false"})
"""Location values that are a program's empty value printed into the header."""
DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True)
class Hop:
    """One request and the redirect it got."""

    method: str
    url: str
    status: int
    location: str | None

    @property
    def target(self) -> str | None:
        """The absolute URL the Location header points to."""
        return urljoin(self.url, self.location) if self.location else None


@dataclass(frozen=True)
class Issue:
    rule: str
    message: str
    key: tuple[object, ...]
    """Findings with the same rule and key are one problem (reported once)."""


def phrase(status: int) -> str:
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return ""


def status_text(status: int) -> str:
    text = phrase(status)
    return f"{status} {text}" if text else str(status)


def is_redirect(status: int) -> bool:
    """3xx that sends the client elsewhere (not 304 Not Modified, not 300's menu)."""
    return status in (301, 302, 303, 307, 308)


def same_origin(a: str, b: str) -> bool:
    return _origin(a) == _origin(b)


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port or DEFAULT_PORTS.get(scheme)
    except ValueError:
        port = None
    return scheme, (parts.hostname or "").rstrip(".").lower(), port


def changes_host(request_url: str, target: str) -> bool:
    """Another host, or another port on the same host (other than the default-port pair that an
    http->https upgrade or a downgrade implies)."""
    scheme_a, host_a, port_a = _origin(request_url)
    scheme_b, host_b, port_b = _origin(target)
    if host_a != host_b:
        return True
    if scheme_a == scheme_b:
        return port_a != port_b
    if port_a == port_b:
        return False
    return not (port_a == DEFAULT_PORTS.get(scheme_a) and port_b == DEFAULT_PORTS.get(scheme_b))


def shown_target(request_url: str, target: str) -> str:
    """The path (and query) when the redirect stays on the origin, the whole URL otherwise."""
    if not same_origin(request_url, target):
        return target
    parts = urlsplit(target)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def diagnose(request_url: str, target: str) -> tuple[str, str]:
    """(kind, plain words) for why a documented path redirects to ``target``."""
    sent = urlsplit(request_url)
    went = urlsplit(target)
    same_place = (went.hostname or "").lower() == (sent.hostname or "").lower()
    if same_place and went.path == sent.path + "/":
        return "slash-added", "the server's route has a trailing slash and the spec's path does not"
    if same_place and sent.path.endswith("/") and went.path == sent.path[:-1]:
        return (
            "slash-removed",
            "the server's route has no trailing slash and the spec's path has one",
        )
    if same_place and sent.scheme == "http" and went.scheme == "https" and went.path == sent.path:
        return (
            "https",
            "the server only answers over https: test (and list in servers) the https URL",
        )
    if same_place and went.path.lower() == sent.path.lower() and went.path != sent.path:
        return "case", "the server's route is spelled with different letter case"
    if (
        same_place
        and went.path != sent.path
        and went.path.endswith(sent.path)
        and len(went.path) > len(sent.path)
        and went.path[: len(went.path) - len(sent.path)].startswith("/")
    ):
        prefix = went.path[: len(went.path) - len(sent.path)].rstrip("/")
        return f"prefix:{prefix}", f"the service's route is under '{prefix}'"
    return f"other:{went.path}", "the spec documents no redirect for this operation"


def prefix_of(kind: str) -> str | None:
    """The path prefix a "prefix:..." diagnosis found."""
    return kind.partition(":")[2] if kind.startswith("prefix:") else None


def redirect_issues(
    hop: Hop,
    *,
    subject: str,
    documented: bool,
    documented_path: bool,
    label: str,
    followed: str | None = None,
) -> list[Issue]:
    """The findings one redirect hop raises.

    ``subject`` names the request in messages ("GET /api/thoughts"); ``documented`` says the
    operation documents this status; ``documented_path`` that the request went to the path as
    the spec writes it (only then is an undocumented redirect ``unexpected-redirect``);
    ``followed`` describes where following the redirect (on the same origin) ended.
    """
    target = hop.target
    if not is_redirect(hop.status) or target is None:
        return []
    issues: list[Issue] = []
    if (hop.location or "").strip().lower() in NOWHERE:
        # Not a place: the client requests a path named after the program's empty value.
        issues.append(
            Issue(
                "unexpected-redirect",
                f"{subject} answered {status_text(hop.status)} with 'Location: "
                f"{(hop.location or '').strip()}', which is not a URL the client can follow "
                f"(it resolves to {shown_target(hop.url, target)})",
                (label, hop.status, "nowhere"),
            )
        )
        return issues
    answered = f"{subject} answered {status_text(hop.status)} to {shown_target(hop.url, target)}"
    if documented_path and not documented:
        kind, words = diagnose(hop.url, target)
        message = f"{answered} — {words}"
        if followed:
            message += f"; {followed}"
        issues.append(Issue("unexpected-redirect", message, (label, hop.status, kind)))
    method = hop.method.upper()
    if method == "POST" and hop.status in (301, 302):
        issues.append(
            Issue(
                "redirect-method-change",
                f"{answered} — RFC 9110 lets a client repeat a POST redirected with "
                f"{hop.status} as a GET, without its body",
                (label, hop.status),
            )
        )
    elif method not in BODILESS_METHODS and hop.status == 303 and not documented:
        issues.append(
            Issue(
                "redirect-method-change",
                f"{answered} — a 303 tells the client to GET the new location: the {method} "
                "and its body are not repeated there",
                (label, hop.status),
            )
        )
    if urlsplit(hop.url).scheme == "https" and urlsplit(target).scheme == "http":
        issues.append(
            Issue(
                "redirect-scheme-downgrade",
                f"{subject} over https answered {status_text(hop.status)} to {target} — plain "
                "http: a client that follows it sends the request and its credentials "
                "unencrypted (an app behind a TLS-terminating proxy that ignores "
                "X-Forwarded-Proto?)",
                (label,),
            )
        )
    if changes_host(hop.url, target):
        host = urlsplit(target).netloc
        same_name = _origin(hop.url)[1] == _origin(target)[1]
        where = "another port on the same host" if same_name else "another host"
        issues.append(
            Issue(
                "redirect-host-change",
                f"{subject} answered {status_text(hop.status)} to {target} — {where} "
                f"({host}); apilint did not follow it, and credentials must not be sent there",
                (label, host),
            )
        )
    return issues
