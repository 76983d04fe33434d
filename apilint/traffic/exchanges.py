"""Whole exchanges (HAR entries, NDJSON request/response objects) against the description: the
response body against its schema, the request's required headers, the headers it sends that the
operation does not document, its security requirements.

Only what the capture surely shows is judged. A body is checked only when it is JSON (by the
response's ``Content-Type``), whole (HAR ``content.text`` as long as ``content.size`` says, not
base64, NDJSON without a truncation mark) and parses; 204, 304 and HEAD responses are skipped.
Headers are judged only when the request lists its headers. A security requirement whose
scheme apilint cannot see on the wire (OAuth 2, OpenID Connect, mutual TLS, other HTTP schemes
than bearer and basic) counts as met. Browsers export HAR files without cookies and credentials
by default: security findings are reported only when some request of the run does carry a
credential the description names.

A request header is undocumented when the operation (or its path item) has no header parameter
of that name, no security scheme of the description sends it (an apiKey ``in: header``), and it is
not a field any request may carry (:mod:`apilint.http.headers`: standard fields, what browsers,
proxies, CDNs and tracers add). Only names are kept, never values; at most ``MAX_HEADER_NAMES``
distinct names per operation.

What an operation documents is prepared on the first exchange that calls it, so a capture that
touches ten operations of a description with thousands pays for ten; its response schemas
compile once per run. Per operation and status, a count and the first problem are kept.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass, field
from typing import Any

from apilint.documents.openapi import Node, OpenAPI
from apilint.http.headers import is_general_request_header
from apilint.lint.example_validation import Direction, ExampleValidator
from apilint.traffic.matcher import OPERATION, Matcher, Route

MAX_HEADER_NAMES = 50
"""Distinct undocumented header names kept per operation (a client that sends random names
must not grow the tally without bound); later new names are not counted."""
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9a-z-]{1,100}")
"""A field name (RFC 9110 token, lower case) of a sensible length."""
_SKIPPED_STATUS = frozenset({"204", "304"})
_SEEN_SCHEMES = frozenset({"bearer", "basic"})


def _media(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def is_json(media: str) -> bool:
    return media == "application/json" or (
        media.startswith("application/") and media.endswith("+json")
    )


def _headers(value: Any) -> dict[str, str] | None:
    """Header names (lower case) and values from a HAR list of {name, value} or an object;
    None when the capture does not list them."""
    out: dict[str, str] = {}
    if isinstance(value, list):
        for item in value:
            if isinstance(item, dict) and isinstance(item.get("name"), str):
                text = item.get("value")
                out[item["name"].lower()] = text if isinstance(text, str) else ""
    elif isinstance(value, dict):
        for name, text in value.items():
            if isinstance(name, str):
                if isinstance(text, list):
                    text = ", ".join(str(t) for t in text)
                out[name.lower()] = text if isinstance(text, str) else str(text)
    else:
        return None
    return out or None


def _header_names(value: Any) -> list[str]:
    """Header names as the capture spells them (a HAR list of {name, value} or an object)."""
    if isinstance(value, list):
        return [
            item["name"]
            for item in value
            if isinstance(item, dict) and isinstance(item.get("name"), str)
        ]
    if isinstance(value, dict):
        return [name for name in value if isinstance(name, str)]
    return []


def _cookies(request: dict[str, Any], headers: dict[str, str]) -> set[str]:
    names = set()
    listed = request.get("cookies")
    if isinstance(listed, list):
        names |= {
            c["name"] for c in listed if isinstance(c, dict) and isinstance(c.get("name"), str)
        }
    for part in headers.get("cookie", "").split(";"):
        name = part.split("=", 1)[0].strip()
        if name:
            names.add(name)
    return names


_UNREAD = object()


def _body(response: dict[str, Any]) -> Any:
    """The response body as a parsed JSON value, or _UNREAD when it is not there whole."""
    if response.get("bodyTruncated") is True or response.get("truncated") is True:
        return _UNREAD
    content = response.get("content")
    text: Any
    if isinstance(content, dict):  # HAR
        text = content.get("text")
        if not isinstance(text, str):
            return _UNREAD
        if content.get("encoding") == "base64":
            try:
                raw = base64.b64decode(text, validate=True)
                text = raw.decode("utf-8")
            except (binascii.Error, UnicodeDecodeError):
                return _UNREAD
        size = content.get("size")
        if type(size) is int and size > len(text.encode("utf-8")):
            return _UNREAD  # cut by the capture
    else:
        text = response.get("body")
        if isinstance(text, (dict, list)):
            return text
    if not isinstance(text, str) or not text.strip():
        return _UNREAD
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        return _UNREAD


def captured(obj: dict[str, Any]) -> bool:
    """``obj`` holds a captured exchange: ``request`` and ``response`` objects with the
    request's headers or the response's body (not a log line with nested fields)."""
    request = obj.get("request")
    response = obj.get("response")
    if not isinstance(request, dict) or not isinstance(response, dict):
        return False
    return "headers" in request or "body" in response or "content" in response


@dataclass
class ProblemTally:
    """Responses of one operation and status whose body its schema refuses."""

    count: int = 0
    checked: int = 0
    message: str = ""
    pointer: str = ""
    schema: Node | None = None


@dataclass
class UndocumentedHeader:
    """Requests to one operation that send one header it does not document."""

    name: str
    """The name as the first such request spelt it."""
    count: int = 0


@dataclass
class MissingTally:
    count: int = 0
    served: int = 0
    """Of them, answered 2xx."""


@dataclass
class _Requirement:
    """One Security Requirement Object: every scheme in it must be met; None for a scheme
    apilint cannot see on the wire."""

    checks: list[tuple[str, str, str] | None]


def _secret_names(
    api: OpenAPI, schema: Node, depth: int = 0, seen: set[Any] | None = None
) -> set[str]:
    """Property names the schema (with its $refs) marks writeOnly or format password."""
    seen = set() if seen is None else seen
    out: set[str] = set()
    if depth > 20:
        return out
    try:
        node = api.resolve(schema)
    except Exception:
        return out
    key = (id(node.doc), node.ptr)
    if key in seen or not isinstance(node.value, dict):
        return out
    seen.add(key)
    value = node.value
    props = value.get("properties")
    if isinstance(props, dict):
        for name in props:
            child = node.child("properties", name)
            try:
                resolved = api.resolve(child).value
            except Exception:
                resolved = child.value
            if isinstance(resolved, dict) and (
                resolved.get("writeOnly") is True or resolved.get("format") == "password"
            ):
                out.add(str(name))
            out |= _secret_names(api, child, depth + 1, seen)
    for keyword in ("items", "additionalProperties", "not"):
        if isinstance(value.get(keyword), dict):
            out |= _secret_names(api, node.child(keyword), depth + 1, seen)
    for keyword in ("allOf", "anyOf", "oneOf"):
        branches = value.get(keyword)
        if isinstance(branches, list):
            for i in range(len(branches)):
                out |= _secret_names(api, node.child(keyword, i), depth + 1, seen)
    return out


def _pointer(path: tuple[str | int, ...]) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


def _at(value: Any, path: tuple[str | int, ...]) -> Any:
    for part in path:
        if isinstance(value, dict) and isinstance(part, str):
            value = value.get(part)
        elif isinstance(value, list) and isinstance(part, int) and 0 <= part < len(value):
            value = value[part]
        else:
            return None
    return value


def _hide(message: str, value: Any) -> str:
    """``message`` without ``value`` in it (as the schema explanation writes values)."""
    if value is None or isinstance(value, bool):
        return message
    text = json.dumps(value, ensure_ascii=False, default=str)
    shown = [text, text[:57] + "..." if len(text) > 60 else text]
    if isinstance(value, str):
        shown.append(value)
    for piece in sorted(set(shown), key=len, reverse=True):
        if piece:
            message = message.replace(piece, "the value")
    return message


@dataclass
class _Operation:
    codes: set[str] = field(default_factory=set)
    """Response codes as written (``200``, ``2XX``, ``default``)."""
    schemas: dict[tuple[str, str], tuple[Any, Node, set[str]]] = field(default_factory=dict)
    """(response code as written, media type) -> (validator key, schema, secret names)."""
    headers: dict[str, tuple[str, tuple[str | int, ...]]] = field(default_factory=dict)
    """Required request headers (lower case): the name as documented, the parameter's pointer."""
    documented: set[str] = field(default_factory=set)
    """Every header parameter of the operation and its path item (lower case)."""
    requirements: list[_Requirement] | None = None
    """None: no security, or some requirement apilint cannot judge."""
    undocumented_names: int = 0
    """Distinct undocumented header names counted for the operation (at most
    MAX_HEADER_NAMES)."""


class ExchangeChecker:
    """Tallies what whole exchanges show, per documented operation."""

    def __init__(self, api: OpenAPI, matcher: Matcher) -> None:
        self.api = api
        self.matcher = matcher
        self.validator = ExampleValidator(api)
        self.operations: list[_Operation | None] = [None] * len(matcher.routes)
        """What each operation documents, prepared on its first exchange (see prepared())."""
        self.scheme_headers = self._scheme_headers()
        """Request headers the description's security schemes send (lower case)."""
        self.undocumented: dict[tuple[int, str], UndocumentedHeader] = {}
        """(operation, header name in lower case) -> the requests that send it."""
        self.bodies: dict[tuple[int, str], ProblemTally] = {}
        self.headers: dict[tuple[int, str], MissingTally] = {}
        self.security: dict[int, MissingTally] = {}
        self.exchanges = 0
        self.listed: dict[int, int] = {}
        """Per operation: requests whose headers the capture lists."""
        self.credentials = 0
        """Requests that met a security requirement apilint can see: the capture keeps them."""

    # -- what each operation documents ---------------------------------------------------------

    def prepared(self, index: int) -> _Operation:
        """What operation ``index`` documents (prepared on the first call)."""
        out = self.operations[index]
        if out is None:
            out = self.operations[index] = self._prepare(self.matcher.routes[index])
        return out

    def _prepare(self, route: Route) -> _Operation:
        op = route.operation
        api = self.api
        out = _Operation()
        for code, response in op.responses.items():
            out.codes.add(code)
            if api.is_v2:
                schema = response.child("schema")
                if isinstance(schema.value, dict):
                    self._add_schema(out, code, "application/json", schema)
                continue
            content = response.child("content")
            if not isinstance(content.value, dict):
                continue
            for media in content.value:
                if isinstance(media, str) and (
                    is_json(_media(media)) or media in ("*/*", "application/*")
                ):
                    schema = content.child(media, "schema")
                    if isinstance(schema.value, dict):
                        self._add_schema(out, code, _media(media), schema)
        for param in op.parameters:
            value = param.value
            if not isinstance(value, dict) or value.get("in") != "header":
                continue
            name = value.get("name")
            if isinstance(name, str):
                out.documented.add(name.strip().lower())
            if (
                value.get("required") is True
                and isinstance(name, str)
                and name.lower() not in ("accept", "content-type", "authorization")
            ):
                out.headers[name.lower()] = (name, param.ptr)
        out.requirements = self._requirements(op.value)
        return out

    def _add_schema(self, out: _Operation, code: str, media: str, schema: Node) -> None:
        key = self.validator.schema_key(schema, Direction.RESPONSE)
        if key is not None:
            out.schemas[(code, media)] = (key, schema, _secret_names(self.api, schema))

    def _scheme_headers(self) -> frozenset[str]:
        """Header names of the description's apiKey schemes: a client sends its key on every
        call, also to operations that do not require it."""
        names = set()
        for scheme in self._schemes().values():
            name = scheme.get("name")
            if (
                scheme.get("type") == "apiKey"
                and scheme.get("in") == "header"
                and isinstance(name, str)
                and name.strip()
            ):
                names.add(name.strip().lower())
        return frozenset(names)

    def _schemes(self) -> dict[str, Any]:
        container = (
            self.api.node("securityDefinitions")
            if self.api.is_v2
            else self.api.node("components", "securitySchemes")
        )
        out: dict[str, Any] = {}
        if isinstance(container.value, dict):
            for name in container.value:
                try:
                    scheme = self.api.resolve(container.child(name)).value
                except Exception:
                    continue
                if isinstance(scheme, dict):
                    out[str(name)] = scheme
        return out

    def _requirements(self, operation: dict[str, Any]) -> list[_Requirement] | None:
        security = operation.get("security", self.api.data.get("security"))
        if not isinstance(security, list) or not security:
            return None
        schemes = self._schemes()
        out = []
        for requirement in security:
            if not isinstance(requirement, dict):
                return None
            if not requirement:
                return None  # {}: anonymous calls are allowed
            checks: list[tuple[str, str, str] | None] = []
            for name in requirement:
                scheme = schemes.get(str(name))
                if scheme is None:
                    return None
                kind = scheme.get("type")
                if kind == "apiKey" and scheme.get("in") in ("header", "query", "cookie"):
                    key_name = scheme.get("name")
                    if not isinstance(key_name, str) or not key_name:
                        return None
                    checks.append(("apiKey", scheme["in"], key_name))
                elif kind == "http" and str(scheme.get("scheme", "")).lower() in _SEEN_SCHEMES:
                    checks.append(("http", "header", str(scheme["scheme"]).lower()))
                elif kind == "basic":  # Swagger 2.0
                    checks.append(("http", "header", "basic"))
                else:
                    checks.append(None)
            out.append(_Requirement(checks))
        return out

    # -- one exchange -----------------------------------------------------------------------------

    def add(self, method: str, target: str, status: str, obj: dict[str, Any]) -> None:
        """One exchange: ``obj`` holds ``request`` and ``response`` objects (HAR or NDJSON)."""
        request = obj.get("request")
        response = obj.get("response")
        if not isinstance(request, dict) or not isinstance(response, dict):
            return
        if not captured(obj) or method.upper() == "HEAD":
            return
        found = self.matcher.match(method, target)
        if found.kind != OPERATION or found.route is None:
            return
        index = found.route.index
        prepared = self.prepared(index)
        self.exchanges += 1
        headers = _headers(request.get("headers"))
        if headers is not None:
            self.listed[index] = self.listed.get(index, 0) + 1
            self._undocumented_headers(index, prepared, request.get("headers"))
            served = status.startswith("2")
            for name in prepared.headers:
                if name not in headers:
                    tally = self.headers.setdefault((index, name), MissingTally())
                    tally.count += 1
                    tally.served += served
            if prepared.requirements is not None:
                met = self._met(prepared.requirements, headers, _cookies(request, headers), target)
                if met is None:
                    pass
                elif met:
                    self.credentials += 1
                else:
                    tally = self.security.setdefault(index, MissingTally())
                    tally.count += 1
                    tally.served += served
        if status not in _SKIPPED_STATUS and prepared.schemas:
            self._check_body(index, prepared, status, response)

    def _undocumented_headers(self, index: int, prepared: _Operation, listed: Any) -> None:
        """Count the request's headers that the operation does not document (by name)."""
        seen: set[str] = set()
        for name in _header_names(listed):
            key = name.strip().lower()
            if (
                key in seen
                or key in prepared.documented
                or key in self.scheme_headers
                or is_general_request_header(key)
                or not _TOKEN.fullmatch(key)  # not a field name: nothing to say about it
            ):
                continue
            seen.add(key)
            tally = self.undocumented.get((index, key))
            if tally is None:
                if prepared.undocumented_names >= MAX_HEADER_NAMES:
                    continue
                prepared.undocumented_names += 1
                tally = self.undocumented[(index, key)] = UndocumentedHeader(name.strip())
            tally.count += 1

    def _met(
        self,
        requirements: list[_Requirement],
        headers: dict[str, str],
        cookies: set[str],
        target: str,
    ) -> bool | None:
        """Whether some requirement is met; None when one apilint cannot see might be."""
        query = target.partition("?")[2]
        names = {part.split("=", 1)[0] for part in query.split("&") if part}
        unsure = False
        for requirement in requirements:
            ok = True
            for check in requirement.checks:
                if check is None:
                    unsure = True
                    continue
                kind, where, name = check
                if kind == "http":
                    given = headers.get("authorization", "").split(" ", 1)[0].lower()
                    ok = ok and given == name
                elif where == "header":
                    ok = ok and bool(headers.get(name.lower()))
                elif where == "query":
                    ok = ok and name in names
                else:
                    ok = ok and name in cookies
            if ok and not any(c is None for c in requirement.checks):
                return True
        return None if unsure else False

    def _check_body(
        self, index: int, prepared: _Operation, status: str, response: dict[str, Any]
    ) -> None:
        headers = _headers(response.get("headers")) or {}
        content_type = headers.get("content-type")
        if content_type is None:
            content = response.get("content")
            if isinstance(content, dict) and isinstance(content.get("mimeType"), str):
                content_type = content["mimeType"]
        if not content_type or not is_json(_media(content_type)):
            return
        media = _media(content_type)
        codes = [status, status[0] + "XX", status[0] + "xx", "default"]
        if not prepared.codes & set(codes):
            return
        if self.api.is_v2:
            medias = ["application/json"]
        else:
            medias = [media, "application/json", "application/*", "*/*"]
            if media != "application/json":
                medias.remove("application/json")
        entry = None
        for code in codes:
            if code not in prepared.codes:
                continue
            for other in medias:
                entry = prepared.schemas.get((code, other))
                if entry is not None:
                    break
            break  # the status is documented: its own content or nothing (never ``default``)
        if entry is None:
            return
        body = _body(response)
        if body is _UNREAD:
            return
        key, schema, secrets = entry
        problems = self.validator.problems(key, body)
        if problems is None:
            return
        tally = self.bodies.setdefault((index, status), ProblemTally(schema=schema))
        tally.checked += 1
        if not problems:
            return
        tally.count += 1
        if not tally.message:
            first = problems[0]
            message = first.message
            if secrets:  # never echo what may be a password or other write-only value
                message = _hide(message, _at(body, first.path))
            tally.message = message
            tally.pointer = _pointer(first.path)
