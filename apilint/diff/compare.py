"""Comparing two loaded descriptions operation by operation.

Operations are matched by method and path template, with parameter names ignored (``{id}`` and
``{userId}`` in the same place are the same path) and, when the server base path moved into the
paths or out of them, by the full path. An operation whose path only gained or lost a trailing
slash is matched to its old self and reported as ``trailing-slash-changed``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from apilint.core.findings import Severity
from apilint.diff.changes import Changes
from apilint.diff.schemas import REQUEST, RESPONSE, SchemaComparer
from apilint.diff.unchanged import Unchanged
from apilint.documents.openapi import MISSING, Node, OpenAPI, Operation, server_urls

FRAMEWORKS = ("flask", "django", "starlette", "none")
_PARAM = re.compile(r"\{[^{}]*\}")
_SAFE = frozenset({"get", "head", "options", "trace"})


@dataclass(frozen=True)
class Options:
    framework: str | None = None
    """What serves the API, for trailing-slash-changed: flask, django, starlette, none, or
    None (unknown: say what each does)."""


def template_key(path: str) -> str:
    """``/users/{userId}/`` -> ``/users/{}/``: parameter names do not matter to clients."""
    return _PARAM.sub("{}", path)


def base_path(api: OpenAPI) -> str:
    """The first server's path (Swagger: basePath), without a trailing slash."""
    data = api.data
    if api.is_v2:
        base = data.get("basePath")
        return base.rstrip("/") if isinstance(base, str) else ""
    servers = data.get("servers")
    if isinstance(servers, list) and servers:
        urls = server_urls(servers[0], limit=1)
        if urls:
            return urlsplit(urls[0]).path.rstrip("/")
    return ""


def _base_node(api: OpenAPI) -> Node:
    if api.is_v2:
        return api.node("basePath") if "basePath" in api.data else api.node()
    servers = api.node("servers")
    if isinstance(servers.value, list) and servers.value:
        return servers.child(0, "url")
    return api.node()


def _toggle_slash(path: str) -> str:
    return path[:-1] if path.endswith("/") and path != "/" else path + "/"


def _media(kind: str) -> str:
    return kind.split(";", maxsplit=1)[0].strip().lower()


class Comparison:
    """Everything that changed between ``old`` and ``new``, as Changes."""

    def __init__(self, old: OpenAPI, new: OpenAPI, options: Options | None = None) -> None:
        self.old = old
        self.new = new
        self.options = options or Options()
        self.changes = Changes()
        self.unchanged = Unchanged(old.root, new.root)
        self.schemas = SchemaComparer(old, new, self.changes, self.unchanged)
        self.notes: list[str] = []

    def run(self) -> Changes:
        if self.old.is_v2 != self.new.is_v2:
            self.notes.append(
                f"{self.old.root.name} is {_version(self.old)} and {self.new.root.name} is "
                f"{_version(self.new)}: compared operations, parameters, request bodies, "
                "responses, schemas and security; media types are compared only where both "
                "sides name them"
            )
        old_base, new_base = base_path(self.old), base_path(self.new)
        old_ops, new_ops = self._keyed(self.old, ""), self._keyed(self.new, "")
        if old_base != new_base:
            full_old = self._keyed(self.old, old_base)
            full_new = self._keyed(self.new, new_base)
            if len(full_old.keys() & full_new.keys()) > len(old_ops.keys() & new_ops.keys()):
                old_ops, new_ops = full_old, full_new  # the paths moved, the URLs did not
            else:
                where = _base_node(self.new)
                self.changes.add(
                    "server-base-path-changed",
                    f"the server base path changed from '{old_base or '/'}' to "
                    f"'{new_base or '/'}': every operation's URL changed",
                    where.doc,
                    where.ptr,
                )
        self._operations(old_ops, new_ops)
        return self.changes

    @staticmethod
    def _keyed(api: OpenAPI, prefix: str) -> dict[tuple[str, str], Operation]:
        return {(op.method, template_key(prefix + op.path)): op for op in api.operations}

    # -- operations -------------------------------------------------------------------------

    def _operations(
        self,
        old_ops: dict[tuple[str, str], Operation],
        new_ops: dict[tuple[str, str], Operation],
    ) -> None:
        old_paths = {path for _, path in old_ops}
        new_paths = {path for _, path in new_ops}
        matched: set[tuple[str, str]] = set()
        removed_paths: set[str] = set()
        for key, old_op in old_ops.items():
            method, path = key
            new_op = new_ops.get(key)
            self.changes.operation = old_op.label
            if new_op is None:
                toggled = (method, _toggle_slash(path))
                new_op = new_ops.get(toggled)
                if new_op is not None and toggled not in old_ops:
                    matched.add(toggled)
                    self.changes.operation = new_op.label
                    self._slash(old_op, new_op)
                    self._operation(old_op, new_op)
                    continue
                if path not in new_paths and _toggle_slash(path) not in new_paths:
                    if path not in removed_paths:
                        removed_paths.add(path)
                        where = old_op.path_item
                        item = where.doc is old_op.api.root and where.ptr[:1] == ("paths",)
                        ptr = where.ptr if item else ("paths", old_op.path)
                        doc = where.doc if item else old_op.api.root
                        self.changes.add(
                            "path-removed", f"path {old_op.path} was removed", doc, ptr
                        )
                    continue
                deprecated = old_op.value.get("deprecated") is True
                self.changes.add(
                    "operation-removed",
                    f"{old_op.label} was removed" + (" (it was deprecated)" if deprecated else ""),
                    old_op.node.doc,
                    old_op.node.ptr,
                    severity=Severity.WARNING if deprecated else None,
                )
                continue
            matched.add(key)
            self.changes.operation = new_op.label
            self._operation(old_op, new_op)
        added_paths: set[str] = set()
        for key, new_op in new_ops.items():
            if key in matched:
                continue
            self.changes.operation = new_op.label
            method, path = key
            if path not in old_paths and _toggle_slash(path) not in old_paths:
                if path not in added_paths:
                    added_paths.add(path)
                    self.changes.add(
                        "path-added", f"path {new_op.path} was added", *_at(new_op.path_item)
                    )
                continue
            self.changes.add("operation-added", f"{new_op.label} was added", *_at(new_op.node))
        self.changes.operation = None

    def _slash(self, old_op: Operation, new_op: Operation) -> None:
        old_path, new_path = old_op.path, new_op.path
        method = new_op.method.upper()
        gained = new_path.endswith("/")
        framework = self.options.framework
        head = f"{method} {old_path} is now {new_path}: clients calling {old_path} get "
        severity: Severity | None = None
        if framework is None:
            if gained:
                text = (
                    "a 308 redirect from Flask, a 301 from Django's APPEND_SLASH (a POST is "
                    "resent as a GET without its body), a 307 from Starlette, or 404 without "
                    "a redirect"
                )
            else:
                text = "404 from Flask and Django, a 307 redirect from Starlette, or 404"
        elif framework == "flask":
            text = f"a 308 redirect to {new_path}" if gained else "404 (Flask adds slashes only)"
            severity = Severity.WARNING if gained else None
        elif framework == "django":
            if gained:
                text = f"a 301 redirect to {new_path} (APPEND_SLASH)"
                if new_op.method not in _SAFE:
                    text += f", after which clients resend the {method} as a GET without its body"
                else:
                    severity = Severity.WARNING
            else:
                text = "404 (APPEND_SLASH only adds slashes)"
        elif framework == "starlette":
            text = f"a 307 redirect to {new_path}"
            severity = Severity.WARNING
        else:
            text = "404: nothing redirects them"
        where = new_op.path_item
        self.changes.add("trailing-slash-changed", head + text, *_at(where), severity=severity)

    def _same(self, old_op: Operation, new_op: Operation) -> bool:
        """Nothing of the operation changed (its object, the path item's parameters, the
        document's security when the operation has none of its own)."""
        same = self.unchanged.same
        old_item, new_item = old_op.path_item, new_op.path_item
        return (
            same(old_op.node.doc, old_op.value, new_op.node.doc, new_op.value)
            and same(
                old_item.doc, old_item.get("parameters"), new_item.doc, new_item.get("parameters")
            )
            and (
                "security" in new_op.value
                or self.old.data.get("security") == self.new.data.get("security")
            )
        )

    def _operation(self, old_op: Operation, new_op: Operation) -> None:
        if self._same(old_op, new_op):
            return
        old_id, new_id = old_op.operation_id, new_op.operation_id
        if old_id and new_id and old_id != new_id:
            self.changes.add(
                "operation-id-changed",
                f"{new_op.label}: operationId changed from '{old_id}' to '{new_id}'",
                *_at(new_op.node.child("operationId")),
            )
        self._parameters(old_op, new_op)
        self._request_body(old_op, new_op)
        self._responses(old_op, new_op)
        self._security(old_op, new_op)

    # -- parameters -------------------------------------------------------------------------

    @staticmethod
    def _parameter_keys(op: Operation) -> dict[tuple[str, str], Node]:
        """Parameters by (location, name); path parameters by their place in the template."""
        places = {m.group(0)[1:-1]: str(i) for i, m in enumerate(_PARAM.finditer(op.path))}
        out: dict[tuple[str, str], Node] = {}
        for param in op.parameters:
            name, where = param.get("name"), param.get("in")
            if not isinstance(name, str) or not isinstance(where, str) or where == "body":
                continue
            if where == "path":
                out[("path", places.get(name, name))] = param
            elif where == "header":
                out[("header", name.lower())] = param
            else:
                out[(where, name)] = param
        return out

    def _parameters(self, old_op: Operation, new_op: Operation) -> None:
        old = self._parameter_keys(old_op)
        new = self._parameter_keys(new_op)
        label = new_op.label
        removed = {k: v for k, v in old.items() if k not in new}
        added = {k: v for k, v in new.items() if k not in old}
        for (where, name), param in list(removed.items()):
            moved = [k for k in added if k[1] == name and k[0] != where and where != "path"]
            if len(moved) == 1:
                target = added.pop(moved[0])
                del removed[(where, name)]
                self.changes.add(
                    "request-parameter-location-changed",
                    f"{label}: parameter '{param.get('name')}' moved from {where} to "
                    f"{target.get('in')}",
                    *_at(target.child("in")),
                )
        for where in {k[0] for k in removed} & {k[0] for k in added}:
            gone = [k for k in removed if k[0] == where]
            new_here = [k for k in added if k[0] == where]
            if len(gone) == 1 and len(new_here) == 1 and where != "path":
                old_param, new_param = removed.pop(gone[0]), added.pop(new_here[0])
                if _schema_text(self.old, old_param) == _schema_text(self.new, new_param):
                    self.changes.add(
                        "request-parameter-renamed",
                        f"{label}: {where} parameter '{old_param.get('name')}' was renamed to "
                        f"'{new_param.get('name')}'",
                        *_at(new_param.child("name")),
                        # Optional on both sides: old clients are not refused, their value is
                        # ignored: probably a break.
                        severity=None if new_param.get("required") is True else Severity.WARNING,
                    )
                    continue
                removed[gone[0]], added[new_here[0]] = old_param, new_param
        for (where, _), param in added.items():
            name = param.get("name")
            if param.get("required") is True:
                self.changes.add(
                    "request-required-parameter-added",
                    f"{label}: new required {where} parameter '{name}'",
                    *_at(param),
                )
            else:
                self.changes.add(
                    "request-parameter-added",
                    f"{label}: new optional {where} parameter '{name}'",
                    *_at(param),
                )
        for (where, _), param in removed.items():
            self.changes.add(
                "request-parameter-removed",
                f"{label}: {where} parameter '{param.get('name')}' was removed",
                *_at(param),
            )
        for key, new_param in new.items():
            before = old.get(key)
            if before is None:
                continue
            name = new_param.get("name")
            if before.get("required") is not True and new_param.get("required") is True:
                self.changes.add(
                    "request-parameter-became-required",
                    f"{_scope(label, new_param, self.new)}{key[0]} parameter '{name}' "
                    "became required",
                    *_at(new_param.child("required")),
                )
            self.schemas.compare(
                _parameter_schema(self.old, before),
                _parameter_schema(self.new, new_param),
                REQUEST,
                f"{_scope(label, new_param, self.new)}{key[0]} parameter '{name}'",
                path_parameter=key[0] == "path",
            )

    # -- bodies -----------------------------------------------------------------------------

    def _request_body(self, old_op: Operation, new_op: Operation) -> None:
        old_body, new_body = old_op.request_body, new_op.request_body
        label = new_op.label
        if new_body is None:
            return
        if new_body.get("required") is True and (
            old_body is None or old_body.get("required") is not True
        ):
            state = "is new and required" if old_body is None else "became required"
            self.changes.add(
                "request-body-required",
                f"{_scope(label, new_body, self.new)}request body {state}",
                *_at(new_body.child("required")),
            )
        if old_body is None:
            return
        old_media = _content(self.old, old_body)
        new_media = _content(self.new, new_body)
        for kind, node in old_media.items():
            gone = kind and kind not in new_media and not _covered(kind, new_media)
            if gone and not self.old.is_v2 and not self.new.is_v2:
                self.changes.add(
                    "request-media-type-removed",
                    f"{_scope(label, node, self.old)}request body media type '{kind}' was removed",
                    *_at(node),
                )
        for old_schema, new_schema, kind in _pairs(old_media, new_media):
            what = f"{_scope(label, new_body, self.new)}request body" + (
                f" ({kind})" if kind else ""
            )
            self.schemas.compare(old_schema, new_schema, REQUEST, what)

    def _responses(self, old_op: Operation, new_op: Operation) -> None:
        old_responses, new_responses = old_op.responses, new_op.responses
        label = new_op.label
        new_codes = {code.upper() for code in new_responses}
        for code in old_responses:
            upper = code.upper()
            if upper in new_codes:
                continue
            if upper.startswith("2") and not (len(upper) == 3 and upper[0] + "XX" in new_codes):
                self.changes.add(
                    "response-success-status-removed",
                    f"{old_op.label}: success response {code} was removed",
                    *_at(old_op.node.child("responses", code)),
                )
        for code, new_response in new_responses.items():
            old_response = old_responses.get(code)
            if old_response is None:
                continue
            old_media = _content(self.old, old_response)
            new_media = _content(self.new, new_response)
            both_v3 = not self.old.is_v2 and not self.new.is_v2
            for kind, node in old_media.items():
                if both_v3 and kind and new_media and kind not in new_media:
                    self.changes.add(
                        "response-media-type-removed",
                        f"{_scope(label, node, self.old)}response {code} media type "
                        f"'{kind}' was removed",
                        *_at(node),
                    )
            for old_schema, new_schema, kind in _pairs(old_media, new_media):
                what = f"{_scope(label, new_response, self.new)}response {code}" + (
                    f" ({kind})" if kind else ""
                )
                self.schemas.compare(old_schema, new_schema, RESPONSE, what)

    # -- security ---------------------------------------------------------------------------

    def _security(self, old_op: Operation, new_op: Operation) -> None:
        old_alts = _requirements(old_op)
        new_alts, where = _requirements(new_op), _security_node(new_op)
        if old_alts is None or new_alts is None:
            return
        old_alts = old_alts or [{}]
        label = new_op.label
        if any(not alt for alt in new_alts) or not new_alts:
            return  # anonymous access still allowed
        for old_alt in old_alts:
            fits = [alt for alt in new_alts if set(alt) <= set(old_alt)]
            if not fits:
                needed = " or ".join(" and ".join(sorted(alt)) for alt in new_alts)
                before = " and ".join(sorted(old_alt)) or "no authentication"
                self.changes.add(
                    "security-requirement-added",
                    f"{label}: now requires {needed} (clients using {before} are refused)",
                    *_at(where),
                )
                return
            if not any(all(set(alt[s]) <= set(old_alt[s]) for s in alt) for alt in fits):
                extra = sorted(
                    {scope for alt in fits for s in alt for scope in set(alt[s]) - set(old_alt[s])}
                )
                self.changes.add(
                    "security-scope-added",
                    f"{label}: now requires the scope{'s' * (len(extra) != 1)} "
                    f"{', '.join(repr(s) for s in extra)}",
                    *_at(where),
                )
                return


def _at(node: Node) -> tuple[Any, Any]:
    return node.doc, node.ptr


def _scope(label: str, node: Node, api: OpenAPI) -> str:
    """``"GET /x "`` for what is written in the operation itself; nothing for what a shared
    component holds (its finding lists the operations that use it)."""
    return f"{label} " if node.doc is api.root and node.ptr[:1] == ("paths",) else ""


def _version(api: OpenAPI) -> str:
    return f"Swagger {api.version}" if api.is_v2 else f"OpenAPI {api.version}"


def _parameter_schema(api: OpenAPI, param: Node) -> Node:
    if isinstance(param.get("schema"), dict):
        return param.child("schema")
    content = param.get("content")
    if isinstance(content, dict) and len(content) == 1:
        kind = next(iter(content))
        return param.child("content", kind, "schema")
    if api.is_v2:
        return param  # Swagger 2.0: the type is on the parameter itself
    return Node(MISSING, param.doc, param.ptr)


def _schema_text(api: OpenAPI, param: Node) -> str:
    import json

    schema = api.resolve(_parameter_schema(api, param))
    value = schema.value
    if isinstance(value, dict):
        value = {k: v for k, v in value.items() if k not in ("name", "in", "description")}
    return json.dumps(value, sort_keys=True, default=str)


def _content(api: OpenAPI, owner: Node) -> dict[str, Node]:
    """Media type -> its schema node; Swagger 2.0 bodies and responses under the key ''."""
    if api.is_v2:
        schema = owner.child("schema")
        return {"": schema} if isinstance(schema.value, dict) else {}
    content = owner.get("content")
    out: dict[str, Node] = {}
    if isinstance(content, dict):
        for kind, media in content.items():
            if isinstance(media, dict):
                out[_media(str(kind))] = owner.child("content", str(kind), "schema")
    return out


def _covered(kind: str, media: dict[str, Node]) -> bool:
    major = kind.split("/", maxsplit=1)[0]
    return "*/*" in media or f"{major}/*" in media


def _pairs(old: dict[str, Node], new: dict[str, Node]) -> list[tuple[Node, Node, str]]:
    """Schemas to compare: same media type; across Swagger 2.0 and OpenAPI 3 (key ''), the JSON
    one or the only one."""
    pairs = [(old[k], new[k], k) for k in old if k in new and isinstance(old[k].value, dict)]
    if pairs or not old or not new:
        return pairs
    if "" in old or "" in new:
        other = new if "" in old else old
        kind = "application/json" if "application/json" in other else next(iter(other))
        if "" in old:
            return [(old[""], new[kind], kind)]
        return [(old[kind], new[""], kind)]
    return []


def _requirements(op: Operation) -> list[dict[str, list[str]]] | None:
    value = op.value.get("security", MISSING)
    if value is MISSING:
        value = op.api.data.get("security", [])
    if not isinstance(value, list):
        return None
    out = []
    for alt in value:
        if not isinstance(alt, dict):
            return None
        out.append(
            {str(k): [str(s) for s in v] if isinstance(v, list) else [] for k, v in alt.items()}
        )
    return out


def _security_node(op: Operation) -> Node:
    if "security" in op.value:
        return op.node.child("security")
    if "security" in op.api.data:
        return op.api.node("security")
    return op.node
