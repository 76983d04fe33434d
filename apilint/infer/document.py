"""Writing the inferred operations as an OpenAPI 3.1 description.

Per operation: its tag (the first path segment after the prefix every path shares: ``/api``
in ``/api/users/{userId}`` gives ``users``), its path parameters (typed from the values seen,
``enum`` when they are a handful of words), its query parameters (typed from their values,
``required`` when every answered request (status below 400) carried it and there were at least
``MIN_EVIDENCE`` of them), one response per status seen, and its usage as
``x-apilint-usage``: calls, status mix, HEAD requests folded in, requests of the other
trailing-slash form answered with a redirect, latency p50/p95 (when the log is timed) and the first
and last time it was called.

Query values are never copied into the description, except as an ``enum`` of a few short words
that each came back several times, and never for a parameter whose name says it is a secret.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any
from urllib.parse import unquote

from apilint.http.methods import HTTP_METHODS
from apilint.http.words import is_version, split_words
from apilint.infer.observe import ParamTally, Tally
from apilint.infer.stamps import iso
from apilint.infer.templates import Operation, PathParam
from apilint.traffic.histogram import percentiles

OPENAPI_VERSION = "3.1.0"
METHOD_ORDER = tuple(m for m in HTTP_METHODS if m != "options")
"""The operations infer writes, in the specification's order (OPTIONS is the server's, not
the API's)."""
MIN_EVIDENCE = 3
ENUM_MAX = 8
_ENUM_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_.:-]{0,31}\Z")
_SECRET_NAME = re.compile(
    r"(?i)(?:token|secret|password|passwd|pwd|key|signature|sig|auth|session|credential|code)"
)
_RESPONSE_CODE = re.compile(r"[1-5]\d\d\Z")
_FORMATS = {"uuid": "uuid", "date": "date", "date-time": "date-time"}


@dataclass(frozen=True)
class Source:
    """What the description was inferred from, for ``info``."""

    logs: Sequence[str]
    requests: int
    first: float | None
    last: float | None


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _phrase(code: str) -> str:
    try:
        return HTTPStatus(int(code)).phrase
    except ValueError:
        return f"Status {code}"


def kind_schema(kinds: set[str]) -> dict[str, Any]:
    """The schema of values of these kinds."""
    kinds = kinds - {"empty"}
    if not kinds:
        return {"type": "string"}
    if kinds <= {"integer"}:
        return {"type": "integer"}
    if kinds <= {"integer", "number"}:
        return {"type": "number"}
    if kinds == {"boolean"}:
        return {"type": "boolean"}
    if len(kinds) == 1:
        (kind,) = kinds
        if kind in _FORMATS:
            return {"type": "string", "format": _FORMATS[kind]}
    return {"type": "string"}


def path_parameter(param: PathParam) -> dict[str, Any]:
    schema = kind_schema(param.kinds)
    if param.role in ("format", "locale", "code") and param.values:
        schema = {"type": "string", "enum": sorted(param.values)}
    return {"name": param.name, "in": "path", "required": True, "schema": schema}


def _enum(name: str, param: ParamTally) -> list[str] | None:
    values = param.values
    if values is None or not 2 <= len(values) <= ENUM_MAX or _SECRET_NAME.search(name):
        return None
    if set(param.kinds) != {"string"}:
        return None
    if param.requests < max(5, 2 * len(values)):
        return None
    if not all(_ENUM_WORD.match(v) and n >= 2 for v, n in values.items()):
        return None
    return sorted(values)


def query_parameter(name: str, param: ParamTally, tally: Tally) -> dict[str, Any]:
    schema = kind_schema(set(param.kinds))
    enum = _enum(name, param)
    if enum is not None:
        schema["enum"] = enum
    if param.repeated:
        schema = {"type": "array", "items": schema}
    required = tally.ok >= MIN_EVIDENCE and param.ok == tally.ok
    out: dict[str, Any] = {"name": name, "in": "query"}
    if required:
        out["required"] = True
    out["schema"] = schema
    out["x-apilint-usage"] = {"requests": param.requests}
    return out


def usage(tally: Tally, other_form: str | None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "calls": tally.calls,
        "status": dict(sorted(tally.status.items())),
    }
    if tally.head:
        out["head"] = tally.head
    if tally.redirected and other_form is not None:
        out["redirected"] = {
            "from": other_form,
            "requests": sum(tally.redirected.values()),
            "status": dict(sorted(tally.redirected.items())),
        }
    if tally.hist:
        p50, p95 = percentiles(tally.hist, (0.5, 0.95))
        if p50 is not None and p95 is not None:
            out["p50_ms"] = round(p50, 1)
            out["p95_ms"] = round(p95, 1)
    if tally.first is not None and tally.last is not None:
        out["first_seen"] = iso(tally.first)
        out["last_seen"] = iso(tally.last)
    return out


def other_form(path: str) -> str | None:
    if path == "/":
        return None
    return path[:-1] if path.endswith("/") else path + "/"


def operation_id(method: str, path: str) -> str:
    """``GET /api/users/{userId}/followers`` -> ``getApiUsersUserIdFollowers``."""
    words = [w.lower() for w in split_words(path) if w.isalnum()]
    return method.lower() + "".join(w[:1].upper() + w[1:] for w in words)


def operation_object(op: Operation, tag: str | None, op_id: str | None = None) -> dict[str, Any]:
    tally = op.tally
    out: dict[str, Any] = {}
    if op_id:
        out["operationId"] = op_id
    if tag:
        out["tags"] = [tag]
    redirect_from = other_form(op.path) if tally.redirected else None
    if redirect_from is not None:
        mix = ", ".join(f"{code} ×{n}" for code, n in sorted(tally.redirected.items()))
        out["description"] = (
            f"Also requested as '{redirect_from}', which the server answered with a redirect "
            f"({mix}); this is the form that answered."
        )
    parameters = [path_parameter(p) for p in op.params]
    ranked = sorted(tally.query.items(), key=lambda item: (-item[1].requests, item[0]))
    parameters += [query_parameter(name, param, tally) for name, param in ranked]
    if parameters:
        out["parameters"] = parameters
    out["responses"] = {
        code: {"description": _phrase(code)}
        for code in sorted(tally.status, key=int)
        if _RESPONSE_CODE.match(code)
    } or {"default": {"description": "No answer with an HTTP status"}}
    out["x-apilint-usage"] = usage(tally, redirect_from)
    return out


def tags_of(ops: Sequence[Operation]) -> dict[int, str]:
    """Operation index -> tag: the first literal segment after the prefix all paths share."""
    split = [op.path.split("/")[1:] for op in ops]
    prefix = 0
    if split:
        shortest = min(len(s) for s in split)
        while prefix < shortest - 1:
            first = split[0][prefix]
            if "{" in first or not first or any(s[prefix] != first for s in split):
                break
            prefix += 1
    out: dict[int, str] = {}
    for index, segments in enumerate(split):
        tag = next((s for s in segments[prefix:] if s and "{" not in s and not is_version(s)), None)
        if tag is None:
            tag = next((s for s in reversed(segments[:prefix]) if s and "{" not in s), "root")
        out[index] = unquote(tag)
    return out


def unique_ids(ops: Sequence[Operation], taken: set[str] | None = None) -> list[str]:
    """An operationId per operation, unique (``2``, ``3``... appended to a repeat)."""
    seen = set(taken or ())
    out = []
    for op in ops:
        base = operation_id(op.method, op.path)
        unique, n = base, 2
        while unique in seen:
            unique, n = f"{base}{n}", n + 1
        seen.add(unique)
        out.append(unique)
    return out


def build(ops: Sequence[Operation], title: str, source: Source) -> dict[str, Any]:
    """The OpenAPI 3.1 description of ``ops``."""
    tags = tags_of(ops)
    ids = unique_ids(ops)
    paths: dict[str, dict[str, Any]] = {}
    tag_use: dict[str, list[int]] = {}
    for index, op in enumerate(ops):
        tag = tags[index]
        tag_use.setdefault(tag, [0, 0])
        tag_use[tag][0] += 1
        tag_use[tag][1] += op.tally.calls
        paths.setdefault(op.path, {})[op.method.lower()] = operation_object(op, tag, ids[index])
    for path, item in paths.items():
        paths[path] = {m: item[m] for m in METHOD_ORDER if m in item}
    described = f"{source.requests} requests"
    if source.first is not None and source.last is not None:
        described += f" from {iso(source.first)} to {iso(source.last)}"
    info: dict[str, Any] = {
        "title": title,
        "version": "0.0.0",
        "description": (
            f"Inferred by apilint infer from {described} in {', '.join(source.logs)}. "
            "Paths, parameters and statuses are what the logs show; request and response "
            "bodies are not in access logs and are left to be written."
        ),
    }
    return {
        "openapi": OPENAPI_VERSION,
        "info": info,
        "servers": [{"url": "/"}],
        "tags": [
            {"name": name, "description": f"{_count(n_ops, 'operation')}, {_count(calls, 'call')}"}
            for name, (n_ops, calls) in sorted(tag_use.items())
        ],
        "paths": paths,
    }
