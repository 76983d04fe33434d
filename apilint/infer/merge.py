"""``--spec EXISTING``: what the logs add to a partial description, the rest kept as written.

Each cleaned (method, shape) is matched against the description with the traffic matcher
(servers' base paths, templates, trailing-slash variants, HEAD served by GET, OPTIONS apart):

- a request of a documented operation (or of its trailing-slash variant) changes nothing;
- a method the description does not have on a path it has is added to that path item, with the
  path parameters its siblings declare (copied as written, ``$ref`` and all);
- a path the description does not have, under one of its base paths, is templated as
  ``apilint infer`` templates (relative to that base path) and added;
- a request outside every base path is left out and listed.

Every operation added carries ``x-apilint-inferred: true``; nothing the author wrote is changed.
Swagger 2.0 parameters are written in its own form (``type``/``format``/``enum`` on the
parameter, ``items`` for arrays).
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any

from apilint.documents.openapi import OpenAPI
from apilint.infer.document import METHOD_ORDER, operation_object, tags_of, unique_ids
from apilint.infer.observe import Key, Tally, is_marker, unmark
from apilint.infer.shapes import LeftOut, show_shape, status_mix
from apilint.infer.templates import Operation, templated
from apilint.traffic.matcher import IMPLICIT, OPERATION, UNDOCUMENTED, VARIANT, Matcher

_SAMPLES = {
    "integer": "1",
    "uuid": "00000000-0000-4000-8000-000000000000",
    "date": "2024-01-01",
    "date-time": "2024-01-01T00:00:00Z",
    "string": "a1b2c3d4e5f6a7b8",
}
_VARIABLE = re.compile(r"\{([^{}]+)\}")


def sample_path(shape: tuple[str, ...]) -> str:
    """A concrete path of a shape (markers replaced by a value of their kind)."""
    parts = []
    for segment in shape:
        if is_marker(segment):
            kind, suffix = unmark(segment)
            parts.append(_SAMPLES.get(kind, _SAMPLES["string"]) + suffix)
        else:
            parts.append(segment.replace("%", "%25").replace("/", "%2F").replace("?", "%3F"))
    return "/" + "/".join(parts)


@dataclass
class Merged:
    document: dict[str, Any]
    documented: int = 0
    """Requests of documented operations."""
    added: list[str] = field(default_factory=list)
    """``METHOD /path`` of every operation added."""
    left_out: list[LeftOut] = field(default_factory=list)


def _base_segments(base: str) -> int:
    return len(base.split("/")) - 1 if base else 0


def merge(api: OpenAPI, tallies: dict[Key, Tally]) -> Merged:
    matcher = Matcher(api)
    document = copy.deepcopy(api.data)
    out = Merged(document)
    on_known_paths: dict[tuple[str, str], Tally] = {}
    new: dict[Key, Tally] = {}
    for (method, shape), tally in tallies.items():
        path = sample_path(shape)
        found = matcher.match(method, path)
        if found.kind in (OPERATION, VARIANT, IMPLICIT):
            out.documented += tally.calls
        elif found.kind == UNDOCUMENTED and found.path_documented:
            key = (method, found.template)
            known = on_known_paths.get(key)
            if known is None:
                on_known_paths[key] = tally
            else:
                known.add(tally)
        elif found.kind == UNDOCUMENTED and found.inside_base:
            base = next(
                b for b in matcher.base_paths if not b or path == b or path.startswith(b + "/")
            )
            rebased = shape[_base_segments(base) :] or ("",)
            known_new = new.get((method, rebased))
            if known_new is None:
                new[(method, rebased)] = tally
            else:
                known_new.add(tally)
        else:
            out.left_out.append(
                LeftOut(
                    method,
                    show_shape(shape),
                    tally.calls,
                    status_mix(tally.status),
                    "outside the description's base paths "
                    f"({', '.join(b or '/' for b in matcher.base_paths)})",
                )
            )
    paths = document.setdefault("paths", {})
    if not isinstance(paths, dict):
        paths = document["paths"] = {}
    ops = templated(new)
    tags = tags_of(ops)
    known_ops = [
        Operation(method, template, [], tally, [])
        for (method, template), tally in sorted(on_known_paths.items())
    ]
    ids = unique_ids([*ops, *known_ops], _operation_ids(paths))
    for index, op in enumerate(ops):
        item = paths.setdefault(op.path, {})
        added = _added(api, operation_object(op, tags[index], ids[index]))
        item[op.method.lower()] = added
        out.added.append(f"{op.method} {op.path}")
    for index, op in enumerate(known_ops, len(ops)):
        method, template = op.method, op.path
        item = paths.get(template)
        if not isinstance(item, dict):
            continue
        added = _added(api, operation_object(op, None, ids[index]))
        declared = _declared_path_params(document, item)
        missing = [n for n in _VARIABLE.findall(template) if n not in declared]
        copied = [_sibling_param(document, item, name, api.is_v2) for name in missing]
        if copied:
            added["parameters"] = [*copied, *added.get("parameters", [])]
        sibling_tags = _sibling_tags(item)
        if sibling_tags:
            added = {"tags": sibling_tags, **added}
        item[method.lower()] = added
        out.added.append(f"{method} {template}")
    _declare_tags(document)
    return out


def _operation_ids(paths: dict[str, Any]) -> set[str]:
    return {
        operation["operationId"]
        for item in paths.values()
        if isinstance(item, dict)
        for operation in item.values()
        if isinstance(operation, dict) and isinstance(operation.get("operationId"), str)
    }


def _added(api: OpenAPI, operation: dict[str, Any]) -> dict[str, Any]:
    operation["x-apilint-inferred"] = True
    if api.is_v2:
        operation["parameters"] = [_v2_parameter(p) for p in operation.get("parameters", [])]
        if not operation["parameters"]:
            del operation["parameters"]
    return operation


def _v2_parameter(param: dict[str, Any]) -> dict[str, Any]:
    out = {k: v for k, v in param.items() if k != "schema"}
    schema = param.get("schema", {})
    for key in ("type", "format", "enum", "items"):
        if key in schema:
            out[key] = schema[key]
    if out.get("type") == "array":
        out["collectionFormat"] = "multi"
    return out


def _local(document: dict[str, Any], node: Any) -> Any:
    """``node``, or what its local ``$ref`` (``#/...``) points to (a few hops at most)."""
    for _ in range(8):
        if not isinstance(node, dict) or not isinstance(node.get("$ref"), str):
            return node
        ref: str = node["$ref"]
        if not ref.startswith("#/"):
            return node
        target: Any = document
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            if not isinstance(target, dict) or part not in target:
                return node
            target = target[part]
        node = target
    return node


def _declared_path_params(document: dict[str, Any], item: dict[str, Any]) -> set[str]:
    params = item.get("parameters")
    if not isinstance(params, list):
        return set()
    resolved = [_local(document, p) for p in params]
    return {
        p["name"]
        for p in resolved
        if isinstance(p, dict) and p.get("in") == "path" and isinstance(p.get("name"), str)
    }


def _sibling_param(
    document: dict[str, Any], item: dict[str, Any], name: str, v2: bool
) -> dict[str, Any]:
    for method in METHOD_ORDER:
        operation = item.get(method)
        if not isinstance(operation, dict) or operation.get("x-apilint-inferred"):
            continue
        for param in operation.get("parameters") or []:
            resolved = _local(document, param)
            if (
                isinstance(resolved, dict)
                and resolved.get("name") == name
                and resolved.get("in") == "path"
            ):
                return copy.deepcopy(param)  # as written, $ref and all
    if v2:
        return {"name": name, "in": "path", "required": True, "type": "string"}
    return {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}


def _sibling_tags(item: dict[str, Any]) -> list[Any]:
    """The tags the author gave the path item's other operations, when they agree."""
    found: list[list[Any]] = [
        operation["tags"]
        for method in METHOD_ORDER
        if isinstance(operation := item.get(method), dict)
        and not operation.get("x-apilint-inferred")
        and isinstance(operation.get("tags"), list)
    ]
    if found and all(tags == found[0] for tags in found):
        return copy.deepcopy(found[0])
    return []


def _declare_tags(document: dict[str, Any]) -> None:
    """When the description lists its tags, list the tags the added operations use too."""
    declared = document.get("tags")
    if not isinstance(declared, list):
        return
    names = {t.get("name") for t in declared if isinstance(t, dict)}
    for item in (document.get("paths") or {}).values():
        if not isinstance(item, dict):
            continue
        for method in METHOD_ORDER:
            operation = item.get(method)
            if not isinstance(operation, dict) or not operation.get("x-apilint-inferred"):
                continue
            for tag in operation.get("tags") or []:
                if tag not in names:
                    declared.append({"name": tag, "description": "Inferred from access logs."})
                    names.add(tag)
