"""HTTP methods, defined once: the operation keys of a Path Item, and what each method promises
(RFC 9110 section 9.2; PATCH from RFC 5789; QUERY from the IETF "safe method with body" draft)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Method:
    name: str
    """Upper case, as sent on the wire."""
    safe: bool
    """A client, crawler or cache may call it without asking anyone: it changes nothing."""
    idempotent: bool
    """Repeating it has the effect of calling it once: a client may retry it after a failure."""
    body: bool
    """A request body has defined meaning (GET's, HEAD's, DELETE's has none)."""


METHODS: dict[str, Method] = {
    m.name: m
    for m in (
        Method("GET", safe=True, idempotent=True, body=False),
        Method("HEAD", safe=True, idempotent=True, body=False),
        Method("OPTIONS", safe=True, idempotent=True, body=True),
        Method("TRACE", safe=True, idempotent=True, body=False),
        Method("QUERY", safe=True, idempotent=True, body=True),
        Method("PUT", safe=False, idempotent=True, body=True),
        Method("DELETE", safe=False, idempotent=True, body=False),
        Method("POST", safe=False, idempotent=False, body=True),
        Method("PATCH", safe=False, idempotent=False, body=True),
        Method("CONNECT", safe=False, idempotent=False, body=False),
    )
}
"""Every method apilint knows the meaning of, by upper-case name."""

STANDARD_METHODS = frozenset(METHODS) - {"QUERY"}
"""The methods of RFC 9110 and PATCH: what a server is expected to recognise."""

SAFE_METHODS = frozenset(name for name, m in METHODS.items() if m.safe)

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
"""Operation keys of an OpenAPI (2.0 to 3.1) Path Item, in the order the specification lists
them."""


def is_safe(method: str) -> bool:
    """``method`` (any case) is safe; an unknown method is not."""
    known = METHODS.get(method.upper())
    return known is not None and known.safe
