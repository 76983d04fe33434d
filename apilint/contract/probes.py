"""apilint's own redirect and trailing-slash probes, for every operation.

For each operation apilint sends one plausible request to the path exactly as documented (path
parameters filled from examples or constraints, required query parameters, headers and body
present). A redirect is recorded and, for GET and HEAD, followed hop by hop while it stays on the
same origin (never to another host: the request carries the user's credentials). Then the other
trailing-slash form of the path is tried, which tells a route mismatch from a missing resource and
catches https->http and cross-host redirects the documented form does not show.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from apilint.contract.http import Answer, Client, Request
from apilint.contract.redact import Redactor
from apilint.contract.redirects import (
    Hop,
    Issue,
    diagnose,
    is_redirect,
    redirect_issues,
    same_origin,
    shown_target,
    status_text,
)
from apilint.contract.spec import Exchange, Spec
from apilint.contract.values import NOTHING, Synthesizer
from apilint.documents.openapi import Node, Operation

MAX_HOPS = 5
_SAFE_READS = ("GET", "HEAD", "QUERY")
"""Sent on both trailing-slash forms: safe, so a second request changes nothing."""

Report = Callable[[Issue, Exchange], None]
"""Where probe findings go: (issue, the request and answer that showed it)."""


@dataclass(frozen=True)
class Sent:
    request: Request
    answer: Answer


class RequestBuilder:
    """One plausible request per operation, the same every run."""

    def __init__(self, spec: Spec, base_url: str, headers: list[tuple[str, str]]) -> None:
        self.spec = spec
        self.base_url = base_url.rstrip("/")
        self.user_headers = headers
        self.values = Synthesizer(spec.api)

    def path(self, op: Operation) -> str:
        path = op.path
        for param in self._parameters(op, "path"):
            name = param.value.get("name")
            value = self._parameter_value(param)
            text = _text(value) if value is not NOTHING else "1"
            path = path.replace("{" + str(name) + "}", quote(text, safe=""))
        return path

    def request(self, op: Operation, *, other_slash_form: bool = False) -> Request:
        path = self.path(op)
        if other_slash_form:
            path = toggle_slash(path)
        query: list[tuple[str, str]] = []
        headers: dict[str, str] = {}
        cookies: list[str] = []
        for param in self._parameters(op, "query", "header", "cookie"):
            if not param.value.get("required"):
                continue
            value = self._parameter_value(param)
            if value is NOTHING or isinstance(value, dict):
                continue
            name = str(param.value.get("name"))
            where = param.value.get("in")
            values = value if isinstance(value, list) else [value]
            if where == "query":
                query.extend((name, _text(v)) for v in values)
            elif where == "header":
                headers[name] = ",".join(_text(v) for v in values)
            else:
                cookies.append(f"{name}={_text(values[0]) if values else ''}")
        whole = self._query_string(op)
        if cookies:
            headers["Cookie"] = "; ".join(cookies)
        body = None
        if op.method.upper() not in ("GET", "HEAD", "DELETE", "OPTIONS"):
            media_type, body = self._body(op)
            if media_type is not None and body is not None:
                headers["Content-Type"] = media_type
        for name, value in self.user_headers:
            headers[name] = value
        parts = [part for part in (urlencode(query), whole) if part]
        url = self.base_url + path + (f"?{'&'.join(parts)}" if parts else "")
        return Request(op.wire_method, url, headers, body)

    def _query_string(self, op: Operation) -> str:
        """The query string a required ``in: querystring`` parameter (OpenAPI 3.2) describes
        as a whole, serialized by its one media type; "" when there is none or it cannot be
        written (a media type this builder does not serialize)."""
        for param in self._parameters(op, "querystring"):
            content = param.child("content")
            if not param.value.get("required") or not isinstance(content.value, dict):
                continue
            for media_type in content.value:
                media = self.spec.api.resolve(content.child(media_type))
                if not isinstance(media.value, dict):
                    continue
                value = self._example(media)
                if value is NOTHING:
                    value = self._example(param)
                if value is NOTHING and "schema" in media.value:
                    value = self.values.value(media.child("schema"))
                _, encoded = _encode(str(media_type), value)
                if encoded is None:
                    continue
                text = encoded.decode()
                base = str(media_type).split(";", maxsplit=1)[0].strip().lower()
                return text if base == "application/x-www-form-urlencoded" else quote(text, safe="")
        return ""

    def _parameters(self, op: Operation, *where: str) -> list[Node]:
        return [
            p
            for p in op.parameters
            if isinstance(p.value, dict) and p.value.get("in") in where and "name" in p.value
        ]

    def _parameter_value(self, param: Node) -> Any:
        """The parameter's own example, else a value for its schema (Swagger 2.0: the keywords
        sit on the parameter itself)."""
        value = param.value
        if "schema" in value:
            example = self._example(param)
            if example is not NOTHING:
                return example
        return self.values.value(param.child("schema") if "schema" in value else param)

    def _example(self, owner: Node) -> Any:
        """The data of ``owner``'s example (a parameter or a media type): its ``example``, else
        the first of its ``examples`` with a ``dataValue`` (OpenAPI 3.2) or a ``value``; NOTHING
        when it has none."""
        value = owner.value
        if value.get("example") is not None:
            return value["example"]
        examples = value.get("examples")
        if isinstance(examples, dict):
            for example in examples.values():
                resolved = self.spec.api.resolve(Node(example, owner.doc, owner.ptr))
                for field in ("dataValue", "value"):
                    if isinstance(resolved.value, dict) and field in resolved.value:
                        return resolved.value[field]
        return NOTHING

    def _body(self, op: Operation) -> tuple[str | None, bytes | None]:
        body = op.request_body
        if body is None:
            if self.spec.api.is_v2:
                form = self._parameters(op, "formData")
                if form:
                    fields = {
                        str(p.value["name"]): _text(self.values.value(p))
                        for p in form
                        if p.value.get("required")
                    }
                    return "application/x-www-form-urlencoded", urlencode(fields).encode()
            return None, None
        if self.spec.api.is_v2:
            consumes = op.value.get("consumes", self.spec.api.data.get("consumes"))
            media = consumes[0] if isinstance(consumes, list) and consumes else "application/json"
            return _encode(str(media), self.values.value(body.child("schema")))
        content = body.child("content")
        if not isinstance(content.value, dict) or not content.value:
            return None, None
        media_types = [str(m) for m in content.value]
        media = next((m for m in media_types if _is_json(m)), None)
        media = media or next((m for m in media_types if "form-urlencoded" in m), media_types[0])
        media_node = self.spec.api.resolve(content.child(media))
        if not isinstance(media_node.value, dict):
            return None, None
        value = self._example(media_node)
        if value is NOTHING:
            has_schema = "schema" in media_node.value
            value = self.values.value(media_node.child("schema")) if has_schema else {}
        return _encode(media, value)


def toggle_slash(path: str) -> str:
    if path == "/":
        return path
    return path[:-1] if path.endswith("/") else path + "/"


def _text(value: Any) -> str:
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return ""
    if isinstance(value, list):
        return ",".join(_text(v) for v in value)
    return str(value)


def _is_json(media_type: str) -> bool:
    base = media_type.split(";", maxsplit=1)[0].strip().lower()
    return base == "application/json" or base.endswith("+json")


def _encode(media_type: str, value: Any) -> tuple[str | None, bytes | None]:
    if value is NOTHING:
        return None, None
    base = media_type.split(";", maxsplit=1)[0].strip().lower()
    if _is_json(base):
        return media_type, json.dumps(value).encode()
    if base == "application/x-www-form-urlencoded" and isinstance(value, dict):
        return media_type, urlencode({k: _text(v) for k, v in value.items()}).encode()
    if base.startswith("text/") and not isinstance(value, (dict, list)):
        return media_type, _text(value).encode()
    return None, None


class Prober:
    """Runs the probes of one operation and reports what they show."""

    def __init__(
        self,
        spec: Spec,
        client: Client,
        builder: RequestBuilder,
        redactor: Redactor,
        report: Report,
        *,
        insecure: bool = False,
    ) -> None:
        self.spec = spec
        self.client = client
        self.builder = builder
        self.redactor = redactor
        self.report = report
        self.insecure = insecure
        self.statuses: list[int] = []
        """What each operation's documented path first answered (for a wrong --base-url hint)."""

    def exchange(self, sent: Sent) -> Exchange:
        request, answer = sent.request, sent.answer
        return Exchange.of(
            request.method,
            request.url,
            request.headers,
            request.body,
            answer.status,
            answer.location,
            self.redactor,
            insecure=self.insecure,
        )

    def send(self, request: Request) -> Sent:
        return Sent(request, self.client.send(request))

    def probe(self, op: Operation) -> None:
        label = op.label
        first = self.send(self.builder.request(op))
        self.statuses.append(first.answer.status)
        chain = self._follow(first)
        followed = _ending(chain)
        documented = self.spec.documents_status(op, first.answer.status)
        for issue in redirect_issues(
            _hop(first),
            subject=label,
            documented=documented,
            documented_path=True,
            label=label,
            followed=followed,
        ):
            self.report(issue, self.exchange(first))
        for sent in chain[1:]:
            subject = f"{sent.request.method} {urlsplit(sent.request.url).path}"
            for issue in redirect_issues(
                _hop(sent), subject=subject, documented=True, documented_path=False, label=label
            ):
                if issue.rule != "unexpected-redirect":
                    self.report(issue, self.exchange(sent))
        if op.wire_method not in _SAFE_READS or len(chain) > 1:
            return  # writes are sent once; a redirect chain already visited the other form
        other_request = self.builder.request(op, other_slash_form=True)
        if other_request.url == first.request.url:
            return
        other = self.send(other_request)
        other_path = urlsplit(other.request.url).path
        documented_path = urlsplit(first.request.url).path
        for issue in redirect_issues(
            _hop(other),
            subject=(
                f"{other.request.method} {other_path} (undocumented; the spec has "
                f"{documented_path})"
            ),
            documented=True,
            documented_path=False,
            label=label,
        ):
            self.report(issue, self.exchange(other))
        status = first.answer.status
        if (
            status in (404, 405)
            and 200 <= other.answer.status < 300
            and not self.spec.documents_status(op, status)
        ):
            _, words = diagnose(first.request.url, other.request.url)
            message = (
                f"{label} answered {status_text(status)}, but {other_path} answers "
                f"{status_text(other.answer.status)} — {words}"
            )
            self.report(
                Issue("undocumented-status", message, (label, status)), self.exchange(first)
            )

    def _follow(self, first: Sent) -> list[Sent]:
        """The redirect chain from ``first``: GET/HEAD only, same origin only, at most
        MAX_HOPS, no loops."""
        chain = [first]
        if first.request.method not in ("GET", "HEAD"):
            return chain
        seen = {first.request.url}
        current = first
        while len(chain) <= MAX_HOPS and is_redirect(current.answer.status):
            target = _hop(current).target
            if target is None or not same_origin(current.request.url, target) or target in seen:
                break
            seen.add(target)
            current = self.send(
                Request(current.request.method, target, dict(current.request.headers), None)
            )
            chain.append(current)
        return chain


def _hop(sent: Sent) -> Hop:
    return Hop(sent.request.method, sent.request.url, sent.answer.status, sent.answer.location)


def _ending(chain: list[Sent]) -> str | None:
    """Plain words for where a followed chain ended, when that adds something."""
    if len(chain) < 2:
        return None
    last = chain[-1]
    status = last.answer.status
    shown = shown_target(chain[0].request.url, last.request.url)
    if is_redirect(status):
        return f"{shown} redirects again ({status_text(status)})"
    if 200 <= status < 300:
        return None
    return f"{shown} then answers {status_text(status)}"
