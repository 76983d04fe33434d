"""Structural validity: the document against the OpenAPI JSON Schema, and duplicate keys.

``spec-invalid`` evaluates the official OpenAPI JSON Schemas that openapi-spec-validator ships with
jsonschema-rs (a Rust validator openapi-spec-validator itself uses when present): on GitHub's 13 MB
description that takes well under a tenth of a second, where openapi-spec-validator's full
``validate()`` takes tens of seconds, most of it in Python-level semantic checks that apilint's
own rules cover (operation ids, path parameters). Every error is reported, not just the first;
for ``oneOf``/``anyOf`` failures the most specific branch is chosen and its errors are reported
where they are (``missing required property 'description'`` at the response, not "is not valid
under any of the given schemas" at the parent).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from apilint.core.errors import LoadError
from apilint.core.findings import Severity
from apilint.documents.openapi import Node, Result, supported_version
from apilint.http.methods import FIXED_KEYS
from apilint.lint.checks import Context, check, did_you_mean, per_megabyte
from apilint.lint.schema_errors import (
    a,
    branches,
    closest_branch,
    json_type,
    kind_name,
    only_ref_required,
)

_SCHEMA_DIRS = {"2.0": "v2.0", "3.0": "v3.0", "3.1": "v3.1", "3.2": "v3.2"}


schema_version = supported_version
"""Which bundled OpenAPI schema applies to a document's ``openapi``/``swagger`` value."""


def _schema_file(version: str) -> Path:
    # Locate openapi-spec-validator's bundled schemas without importing the package (its import
    # pulls in pydantic and costs more than linting a small file).
    import importlib.util

    spec = importlib.util.find_spec("openapi_spec_validator")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("openapi-spec-validator is not installed")
    base = Path(next(iter(spec.submodule_search_locations)))
    return base / "resources" / "schemas" / _SCHEMA_DIRS[version] / "schema.json"


@cache
def _validator(version: str) -> Any:
    """The JSON Schema validator for a version, or None when the installed
    openapi-spec-validator ships no schema for it (3.2 came later than 3.1)."""
    import jsonschema_rs

    schema_file = _schema_file(version)
    if not schema_file.is_file():
        return None
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    return jsonschema_rs.validator_for(schema, offline=True)


def _validator_version() -> str:
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as installed

    try:
        return installed("openapi-spec-validator")
    except PackageNotFoundError:
        return "?"


VALIDATOR_MAX_DEPTH = 255
"""jsonschema-rs hands a failing value back to Python only up to this nesting ("Recursion limit
reached" beyond); the loader's default --max-depth stays below it."""


def schema_errors(validator: Any, instance: Any) -> list[Any]:
    """Every jsonschema-rs error for ``instance``; a LoadError (not a crash) when the value nests
    deeper than the validator can report on."""
    try:
        return list(validator.iter_errors(instance))
    except ValueError as exc:
        if "ecursion" not in str(exc):
            raise
        raise LoadError(
            f"nested too deeply to validate against a JSON Schema (the validator handles "
            f"{VALIDATOR_MAX_DEPTH} levels; keep --max-depth below that)"
        ) from None


def _leaf_errors(error: Any, depth: int = 0) -> list[Any]:
    if kind_name(error) in ("OneOfNotValid", "AnyOf") and depth < 20:
        candidates = [b for b in branches(error) if not only_ref_required(b)]
        if candidates:
            merged = _alternatives(candidates)
            if merged is not None:
                return [merged]
            best = closest_branch(error, variants=True)
            if best is None:
                return [error]
            out: list[Any] = []
            for sub in best:
                out.extend(_leaf_errors(sub, depth + 1))
            return out
    return [error]


class _Alternatives:
    """Every branch failed the same way at the same place: one message names all the options."""

    def __init__(self, kind: str, path: tuple[Any, ...], options: list[Any], instance: Any) -> None:
        self.kind = kind
        self.instance_path = path
        self.options = options
        self.instance = instance


def _alternatives(branches: list[list[Any]]) -> _Alternatives | None:
    """When every branch rejects the same member's value (an enum per variant, as OpenAPI's
    parameter locations are written), or every branch misses a different required member,
    one message naming all the options says more than any single branch."""
    enum_errors: list[Any] = []
    for branch in branches:
        found = [e for e in branch if kind_name(e) in ("Enum", "Constant")]
        if len(found) != 1:
            break
        enum_errors.append(found[0])
    else:
        paths = {tuple(e.instance_path) for e in enum_errors}
        if len(paths) == 1:
            options: list[Any] = []
            for e in enum_errors:
                if kind_name(e) == "Enum":
                    options.extend(getattr(e.kind, "options", []) or [])
                else:
                    options.append(getattr(e.kind, "expected_value", None))
            texts = list(dict.fromkeys(json.dumps(o) for o in options))
            return _Alternatives("Enum", paths.pop(), texts, enum_errors[0].instance)
    if all(len(b) == 1 and kind_name(b[0]) == "Required" for b in branches):
        paths = {tuple(b[0].instance_path) for b in branches}
        if len(paths) == 1:
            names = [json.dumps(getattr(b[0].kind, "property", "?")) for b in branches]
            return _Alternatives("Required", paths.pop(), names, None)
    return None


_BY_PARENT = {
    "paths": "path item",
    "webhooks": "path item",
    "parameters": "parameter",
    "responses": "response",
    "content": "media type",
    "headers": "header",
    "servers": "server",
    "variables": "server variable",
    "tags": "tag",
    "securitySchemes": "security scheme",
    "securityDefinitions": "security scheme",
    "examples": "example",
    "links": "link",
    "callbacks": "callback",
    "requestBodies": "request body",
    "encoding": "encoding",
    "security": "security requirement",
    "additionalOperations": "operation",
}
_BY_KEY = {
    "info": "info",
    "contact": "contact",
    "license": "license",
    "requestBody": "request body",
    "components": "components",
    "externalDocs": "external docs",
    "flows": "OAuth flows",
}
_SCHEMA_KEYS = {"schema", "items", "additionalProperties", "not"}
_SCHEMA_PARENTS = {"properties", "schemas", "definitions", "allOf", "anyOf", "oneOf", "$defs"}
_METHODS = FIXED_KEYS
_V32_FIELDS = {
    "document": frozenset({"$self"}),
    "path item": frozenset({"query", "additionalOperations"}),
    "tag": frozenset({"parent", "kind", "summary"}),
    "media type": frozenset({"itemSchema", "itemEncoding", "prefixEncoding"}),
}
"""Fields OpenAPI 3.2 added, by object: unknown to an earlier version's schema."""


def object_kind(path: tuple[Any, ...]) -> str:
    """What kind of OpenAPI object sits at ``path`` ("response", "parameter", "schema"...)."""
    kind = "document"
    parent: Any = None
    for key in path:
        if kind == "schema":
            break
        if key in _SCHEMA_KEYS or parent in _SCHEMA_PARENTS:
            kind = "schema"
        elif kind == "path item" and key in _METHODS:
            kind = "operation"
        elif parent in _BY_PARENT and not (parent == "parameters" and isinstance(key, str)):
            kind = _BY_PARENT[str(parent)]
        elif isinstance(key, str) and key in _BY_KEY:
            kind = _BY_KEY[key]
        parent = key
    return kind


def _member(path: tuple[Any, ...]) -> str:
    if not path:
        return "the document"
    last = path[-1]
    return f"item {last}" if isinstance(last, int) else f"'{last}'"


def describe(error: Any) -> list[tuple[tuple[Any, ...], str]]:
    """(instance path, message) pairs for one jsonschema-rs error, most specific first."""
    out = []
    for leaf in _leaf_errors(error):
        path = tuple(leaf.instance_path)
        if isinstance(leaf, _Alternatives):
            what = object_kind(path)
            if leaf.kind == "Required":
                names = " or ".join(o.strip('"') for o in leaf.options)
                out.append((path, f"{what}: needs one of {names}"))
            else:
                owner = object_kind(path[:-1]) if path else what
                found = json.dumps(leaf.instance)[:60]
                out.append(
                    (
                        path,
                        f"{owner}: {_member(path)} must be one of "
                        f"{', '.join(leaf.options)}; found {found}",
                    )
                )
            continue
        kind = kind_name(leaf)
        if kind == "Required":
            prop = getattr(leaf.kind, "property", "?")
            out.append((path, f"{object_kind(path)}: missing required property '{prop}'"))
        elif kind in ("AdditionalProperties", "UnevaluatedProperties"):
            what = object_kind(path)
            unexpected = list(getattr(leaf.kind, "unexpected", []) or [])
            if not unexpected:
                out.append((path, f"{what}: {leaf.message}"))
            for prop in unexpected:
                hint = "" if str(prop).startswith("x-") else " (extensions must start with 'x-')"
                if prop in _V32_FIELDS.get(what, ()):
                    hint = " (an OpenAPI 3.2 field; this document's version does not define it)"
                out.append(((*path, prop), f"{what}: unknown property '{prop}'{hint}"))
        elif kind == "Type":
            owner = object_kind(path[:-1]) if path else "document"
            types = " or ".join(getattr(leaf.kind, "types", []) or ["?"])
            out.append(
                (
                    path,
                    f"{owner}: {_member(path)} must be {a(types)}, "
                    f"found {json_type(leaf.instance)}",
                )
            )
        elif kind == "Enum":
            owner = object_kind(path[:-1]) if path else "document"
            options = ", ".join(json.dumps(o) for o in getattr(leaf.kind, "options", []) or [])
            found = json.dumps(leaf.instance)[:60]
            out.append((path, f"{owner}: {_member(path)} must be one of {options}; found {found}"))
        elif kind == "Pattern":
            owner = object_kind(path[:-1]) if path else "document"
            pattern = getattr(leaf.kind, "pattern", "")
            found = json.dumps(leaf.instance)[:60]
            out.append((path, f"{owner}: {_member(path)} {found} does not match {pattern!r}"))
        elif (
            kind == "Not"
            and isinstance(getattr(leaf.kind, "schema", None), dict)
            and set(leaf.kind.schema) == {"required"}
        ):
            names = " and ".join(f"'{n}'" for n in leaf.kind.schema["required"])
            out.append((path, f"{object_kind(path)}: {names} must not be used together"))
        elif kind == "PropertyNames":
            inner = getattr(leaf.kind, "error", None)
            name = json.dumps(getattr(inner, "instance", None))[:60]
            banned = getattr(getattr(inner, "kind", None), "schema", None)
            if inner is not None and kind_name(inner) == "Not" and isinstance(banned, dict):
                banned_names = banned.get("enum") or []
                reason = "must not be one of " + ", ".join(json.dumps(n) for n in banned_names)
            else:
                reason = f"is not allowed: {getattr(inner, 'message', leaf.message)}"
            out.append((path, f"{object_kind(path)}: key {name} in {_member(path)} {reason}"))
        elif tuple(leaf.schema_path)[-2:] == ("parameters", "maxContains"):
            out.append((path, f"{object_kind(path)}: more than one 'in: querystring' parameter"))
        elif tuple(leaf.schema_path)[-2:] == ("parameters", "not"):
            out.append(
                (
                    path,
                    f"{object_kind(path)}: 'in: query' parameters beside an 'in: querystring' "
                    "one, which describes the whole query string",
                )
            )
        elif kind == "Format" and getattr(leaf.kind, "format", "") == "regex":
            owner = object_kind(path[:-1]) if path else "document"
            out.append(
                (
                    path,
                    f"{owner}: {_member(path)} is not a valid ECMA-262 regular expression: "
                    f"{json.dumps(leaf.instance)[:80]}",
                )
            )
        else:
            out.append((path, f"{object_kind(path)}: {leaf.message}"))
    return out


@check("openapi_schema", cost=per_megabyte(0.002))
def openapi_schema(
    targets: Sequence[Node], options: Mapping[str, Any], ctx: Context
) -> Iterator[Result]:
    """The document must be valid against the OpenAPI JSON Schema for its version."""
    for node in targets:
        version = schema_version(ctx.api.version)
        if version is None:
            yield node.finding(
                f"unsupported OpenAPI version {ctx.api.version!r}: "
                "apilint validates 2.0, 3.0.x, 3.1.x and 3.2.x",
                "openapi" if "openapi" in node.value else "swagger",
            )
            continue
        validator = _validator(version)
        if validator is None:
            yield node.finding(
                f"OpenAPI {version} structure not checked: the installed openapi-spec-validator "
                f"({_validator_version()}) ships no OpenAPI {version} JSON Schema",
                "openapi",
                severity=Severity.INFO,
            )
            continue
        if validator.is_valid(node.value):
            continue
        seen: set[tuple[tuple[Any, ...], str]] = set()
        for error in schema_errors(validator, node.value):
            for path, message in describe(error):
                if (path, message) not in seen:
                    seen.add((path, message))
                    yield node.finding(message, *path)


@check("duplicate_keys")
def duplicate_keys(
    targets: Sequence[Node], options: Mapping[str, Any], ctx: Context
) -> Iterator[Result]:
    """A key must not occur twice in one object: parsers keep only the last one, silently."""
    for doc in ctx.api.resolver.documents.values():
        for pointer, _ in doc.duplicate_keys:
            key = pointer[-1] if pointer else ""
            yield Result(
                f"key '{key}' occurs more than once in this object; "
                "only the last value is used, the others are silently lost",
                doc,
                pointer,
            )


# -- OpenAPI 3.2's own constraints the JSON Schema cannot express ---------------------------------


def _inline_count(owner: Node, where: str) -> int:
    """Parameters of one ``parameters`` list written in place (no $ref) with ``in: where``:
    what the JSON Schema's ``contains`` sees."""
    params = owner.get("parameters")
    if not isinstance(params, list):
        return 0
    return sum(1 for p in params if isinstance(p, dict) and p.get("in") == where)


@check("querystring_parameters")
def querystring_parameters(
    targets: Sequence[Node], options: Mapping[str, Any], ctx: Context
) -> Iterator[Result]:
    """An operation has at most one ``in: querystring`` parameter (OpenAPI 3.2), and none
    beside ``in: query`` ones: it stands for the whole query string. Judged on the operation's
    parameters and its Path Item's together (and through $refs); what one list written in
    place shows, spec-invalid reports already."""
    api = ctx.api
    if api.minor != "3.2":
        return
    for op in api.operations:
        params = op.parameters
        whole = [p for p in params if p.get("in") == "querystring"]
        if not whole:
            continue
        owners = (op.node, op.path_item)
        first = whole[0].get("name")
        if not any(_inline_count(o, "querystring") > 1 for o in owners):
            for extra in whole[1:]:
                yield extra.finding(
                    f"{op.label}: a second 'in: querystring' parameter ('{extra.get('name')}' "
                    f"after '{first}'); an operation has at most one"
                )
        single = [str(p.get("name")) for p in params if p.get("in") == "query"]
        seen = any(_inline_count(o, "querystring") and _inline_count(o, "query") for o in owners)
        if single and not seen:
            names = ", ".join(f"'{n}'" for n in single[:3]) + (" ..." if len(single) > 3 else "")
            yield whole[0].finding(
                f"{op.label}: 'in: querystring' parameter '{first}' is used together with "
                f"'in: query' parameter{'s' if len(single) > 1 else ''} {names}; the "
                "querystring parameter already describes the whole query string"
            )


@check("tag_parents")
def tag_parents(
    targets: Sequence[Node], options: Mapping[str, Any], ctx: Context
) -> Iterator[Result]:
    """A tag's ``parent`` (OpenAPI 3.2) names a tag of the document, and parents never form
    a cycle."""
    if ctx.api.minor != "3.2":
        return
    tags = [node for node in targets if isinstance(node.get("name"), str)]
    parent_of = {
        node.value["name"]: node.value["parent"]
        for node in tags
        if isinstance(node.get("parent"), str)
    }
    defined = {node.value["name"] for node in tags}
    for node in tags:
        parent = node.get("parent")
        if not isinstance(parent, str):
            continue
        name = node.value["name"]
        if parent not in defined:
            yield node.finding(
                f"tag '{name}': parent '{parent}' is not a tag of this document"
                + did_you_mean(parent, sorted(defined)),
                "parent",
            )
            continue
        chain = [name]
        current: str | None = parent
        while current is not None and current not in chain:
            chain.append(current)
            current = parent_of.get(current)
        if current == name:
            loop = " -> ".join([*chain, name])
            yield node.finding(f"tag '{name}': its parents lead back to it ({loop})", "parent")


SEQUENTIAL_HINT = "application/jsonl, application/x-ndjson, application/json-seq, text/event-stream"
_NOT_SEQUENTIAL = re.compile(
    r"^application/(?:json|xml|x-www-form-urlencoded|[^;\s]*\+(?:json|xml))\s*(?:;|$)", re.I
)


@check("item_schema_media_type")
def item_schema_media_type(
    targets: Sequence[Node], options: Mapping[str, Any], ctx: Context
) -> Iterator[Result]:
    """``itemSchema`` (OpenAPI 3.2) is declared only on media types that are a sequence of
    items; on a single JSON or XML document nothing reads it."""
    if ctx.api.minor != "3.2":
        return
    for node in targets:
        media_type = node.key
        if "itemSchema" not in (node.value if isinstance(node.value, dict) else {}):
            continue
        if isinstance(media_type, str) and _NOT_SEQUENTIAL.match(media_type):
            yield node.finding(
                f"'{media_type}' declares itemSchema, but it is not a sequential media type: "
                f"itemSchema describes each item of a stream ({SEQUENTIAL_HINT}, "
                "multipart/mixed), a single document has no items to apply it to",
                "itemSchema",
            )
