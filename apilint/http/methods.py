"""HTTP methods, defined once: the operation keys of a Path Item, and what each method promises
(RFC 9110 section 9.2; PATCH from RFC 5789; QUERY from the IETF "safe method with body" draft)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


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
"""Operation keys of an OpenAPI (3.0 and 3.1) Path Item, in the order the specification lists
them."""

OPERATION_KEYS: dict[str, tuple[str, ...]] = {
    "2.0": HTTP_METHODS[:-1],  # Swagger 2.0 has no trace
    "3.0": HTTP_METHODS,
    "3.1": HTTP_METHODS,
    "3.2": (*HTTP_METHODS, "query"),
}
"""The fixed operation fields of a Path Item, by OpenAPI version (major.minor)."""

FIXED_KEYS = frozenset(key for keys in OPERATION_KEYS.values() for key in keys)
"""Every fixed operation field of any version: what a lower-case ``Node.method`` can be."""

ADDITIONAL_OPERATIONS = "additionalOperations"
"""OpenAPI 3.2's Path Item field for methods without a fixed field, keyed as sent on the wire."""

_TOKEN_CHARS = frozenset(
    "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
)


def is_method_token(name: str) -> bool:
    """``name`` is a syntactically valid HTTP method (RFC 9110: a ``token``)."""
    return bool(name) and all(c in _TOKEN_CHARS for c in name)


def path_item_methods(item: Mapping[str, Any], version: str) -> list[tuple[tuple[str, ...], str]]:
    """The operations of a Path Item in an OpenAPI ``version`` ("2.0" ... "3.2"): for each one
    whose value is an object, its keys below the Path Item (``("get",)``, or
    ``("additionalOperations", "PURGE")``) and its method as ``Node.method`` holds it: the
    fixed field's lower-case name, or the ``additionalOperations`` key exactly as written (HTTP
    methods are case-sensitive: ``Purge`` is not ``PURGE``). A version that does not define a
    field (``query`` or ``additionalOperations`` before 3.2) has no operations there; the schema
    check reports the field."""
    out: list[tuple[tuple[str, ...], str]] = []
    for key in OPERATION_KEYS.get(version, HTTP_METHODS):
        if isinstance(item.get(key), dict):
            out.append(((key,), key))
    if version == "3.2":
        extra = item.get(ADDITIONAL_OPERATIONS)
        if isinstance(extra, dict):
            for name, value in extra.items():
                # A lower-case fixed name ("get") would read as that field's operation;
                # it is reported where it is written, not judged as a second GET.
                if (
                    isinstance(name, str)
                    and isinstance(value, dict)
                    and is_method_token(name)
                    and name not in FIXED_KEYS
                ):
                    out.append(((ADDITIONAL_OPERATIONS, name), name))
    return out


def wire_name(method: str) -> str:
    """How a ``Node.method`` is sent: a fixed field upper-cased (``query`` -> ``QUERY``), an
    ``additionalOperations`` key as written."""
    return method.upper() if method in FIXED_KEYS else method


def standard_spelling(name: str) -> str | None:
    """The fixed Path Item field an ``additionalOperations`` key spells in another case or as
    written (``GET``, ``get``, ``Query``), if any: such an operation belongs in that field."""
    lower = name.lower()
    return lower if lower in OPERATION_KEYS["3.2"] else None


def method_of(method: str) -> Method | None:
    """What apilint knows of a ``Node.method`` (a fixed field, or an ``additionalOperations``
    key compared as written, so ``Purge`` is unknown and ``PURGE`` too)."""
    return METHODS.get(wire_name(method))


def is_safe(method: str) -> bool:
    """``method`` (any case) is safe; an unknown method is not."""
    known = METHODS.get(method.upper())
    return known is not None and known.safe
