"""Validating example values against OpenAPI schemas, in the document's own schema dialect.

OpenAPI 3.0 and Swagger 2.0 schemas are a dialect of JSON Schema draft 4 with additions
(``nullable``, ``x-nullable``, ``readOnly`` properties that are required only in responses,
``writeOnly`` ones only in requests, ``type: file``); OpenAPI 3.1 schemas are JSON Schema 2020-12.
This module translates the schemas an example needs into plain JSON Schema, once per schema and
per direction (request, response, or either), and evaluates them with jsonschema-rs:

- every translated schema stays at its own JSON pointer inside a per-document resource of one
  registry, so ``$ref`` between schemas (recursive ones included, and across files) resolves
  exactly as written;
- a ``$ref`` apilint cannot follow (a remote document, a plain-name anchor) becomes the schema
  that accepts anything: an example is never reported against a part of a schema that could not
  be read;
- a schema jsonschema-rs refuses to compile (an invalid ``pattern``, an unknown ``type``) is
  skipped, never guessed at;
- validators are compiled once per schema and direction, and schemas without references that
  translate to the same JSON Schema (``{"type": "string"}``) share one validator.
"""

from __future__ import annotations

import enum
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from apilint.core.errors import ApilintError
from apilint.core.pointer import Pointer, encode, lookup
from apilint.documents.loader import Document
from apilint.documents.openapi import _SCHEMA_LISTS, _SCHEMA_MAPS, _SCHEMA_SINGLES, Node, OpenAPI
from apilint.lint.schema_errors import a, closest_branch, json_type


class Direction(enum.Enum):
    """Which way an example travels: ``required`` means different things each way."""

    REQUEST = "req"
    RESPONSE = "res"
    EITHER = "any"


# Formats whose violations are unambiguous and worth a finding. Others ("uri" rejects the
# relative URLs real APIs put in examples, "regex" is dialect-dependent) are not asserted.
CHECKED_FORMATS = ("date", "date-time", "time", "email", "uuid", "ipv4", "ipv6")

# Where subschemas sit (the same keywords the OpenAPI view walks).
_SUBSCHEMA_MAPS = _SCHEMA_MAPS
_SUBSCHEMA_LISTS = _SCHEMA_LISTS
_SUBSCHEMA_SINGLES = _SCHEMA_SINGLES
# Annotations that never change validation: dropped so that equal schemas share validators.
_ANNOTATIONS = frozenset(
    {"description", "title", "example", "examples", "externalDocs", "xml", "deprecated",
     "discriminator", "readOnly", "writeOnly", "$comment", "default", "nullable", "x-nullable"}
)  # fmt: skip
_SKIP, _MAP, _LIST, _SINGLE, _OTHER = "skip", "map", "list", "single", "other"
_KEY_KINDS: dict[str, str] = {
    **dict.fromkeys(("format", "type"), _OTHER),
    **dict.fromkeys(_SUBSCHEMA_SINGLES, _SINGLE),
    **dict.fromkeys(_SUBSCHEMA_LISTS, _LIST),
    **dict.fromkeys(_SUBSCHEMA_MAPS, _MAP),
    **dict.fromkeys(_ANNOTATIONS, _SKIP),
}
"""How _convert treats a schema member, by key (None: copied unless an extension)."""
_COMPOSITES = ("$ref", "allOf", "anyOf", "oneOf", "not")
_BRANCHES = ("allOf", "anyOf", "oneOf")
_AUTOREST = re.compile("x-ms-")  # faster than "in" on text beyond the BMP (json_source says why)
_DIALECTS_31 = frozenset(
    {
        "https://spec.openapis.org/oas/3.1/dialect/base",
        "https://json-schema.org/draft/2020-12/schema",
    }
)


@dataclass(frozen=True, slots=True)
class Problem:
    """One way an example fails its schema: where inside the example, and what."""

    path: tuple[str | int, ...]
    message: str
    kind: str = ""


class ExampleValidator:
    """Validates examples against the schemas of one OpenAPI document (and the files it refers
    to). Collect with :meth:`add`, then :meth:`validate` everything at once."""

    def __init__(self, api: OpenAPI, *, formats: Iterable[str] = CHECKED_FORMATS) -> None:
        self.api = api
        self.formats = frozenset(formats)
        self.draft4 = not api.version.startswith("3.1") and not api.version.startswith("3.2")
        # AutoRest (Azure) descriptions write "type: object" alone for "any JSON value".
        self.loose_objects = _AUTOREST.search(api.root.text) is not None
        self.usable = self.draft4 or _dialect_ok(api)
        self._doc_index: dict[int, int] = {}
        self._docs: list[Document] = []
        self._skeletons: dict[tuple[Direction, int], dict[str, Any]] = {}
        self._done: set[tuple[Direction, int, Pointer]] = set()
        self._pending: list[tuple[Direction, Document, Pointer]] = []
        self._validators: dict[Any, Any] = {}
        self._inline: dict[Any, Any] = {}
        self._registry: Any = None
        # One validator for every referenced schema at once (see prepare): property names of
        # the wrapper schema by key.
        self._batch: Any = None
        self._batch_names: dict[Any, str] = {}

    # -- collecting the schemas ----------------------------------------------------------------

    def schema_key(self, schema: Node, direction: Direction) -> Any:
        """Prepare ``schema`` (a Schema Object node, possibly a $ref) for validation; returns
        the key to validate with, or None when the schema cannot be evaluated."""
        if not self.usable or not isinstance(schema.value, dict):
            return None
        value, doc, ptr = self._follow(schema.value, schema.doc, schema.ptr)
        if not isinstance(value, (dict, bool)):
            return None
        if isinstance(value, dict) and not _has_refs(value):
            converted = self._convert(value, doc, direction)
            try:
                key = ("inline", json.dumps(converted, sort_keys=True, default=str))
            except (TypeError, ValueError):  # keys that are not all strings (YAML allows it)
                return None
            self._inline.setdefault(key, converted)
            return key
        self._need(direction, doc, ptr)
        return ("ref", direction, self._index(doc), ptr)

    def surely_valid(self, schema: Node, value: Any) -> bool:
        """``value`` (a scalar) satisfies ``schema`` for certain, decided without translating or
        compiling it: the schema holds no $ref and only ``type``, ``enum``, a format that is not
        checked (or cannot apply) and annotations. False means "ask the validator"."""
        raw = schema.value
        if (
            not self.usable
            or type(raw) is not dict
            or type(value) not in _SCALARS
            or not _QUICK_KEYWORDS.issuperset(k for k in raw if not str(k).startswith("x-"))
        ):
            return False
        kind = raw.get("type")
        if kind is not None and not _has_plain_type(kind, value):
            return False
        form = raw.get("format")
        if type(value) is str and isinstance(form, str) and form in self.formats:
            return False
        if "enum" in raw:
            options = raw["enum"]
            return type(options) is list and any(
                type(option) is type(value) and option == value for option in options
            )
        return True

    def _follow(self, value: Any, doc: Document, ptr: Pointer) -> tuple[Any, Document, Pointer]:
        try:
            return self.api.resolver.follow(value, doc, ptr)
        except ApilintError:
            return None, doc, ptr

    def _index(self, doc: Document) -> int:
        index = self._doc_index.get(id(doc))
        if index is None:
            index = len(self._docs)
            self._doc_index[id(doc)] = index
            self._docs.append(doc)
        return index

    def _need(self, direction: Direction, doc: Document, ptr: Pointer) -> None:
        self._pending.append((direction, doc, ptr))
        self._registry = None
        while self._pending:
            direction, doc, ptr = self._pending.pop()
            index = self._index(doc)
            key = (direction, index, ptr)
            if key in self._done or any(
                (direction, index, ptr[:i]) in self._done for i in range(len(ptr))
            ):
                continue
            self._done.add(key)
            try:
                value = lookup(doc.data, ptr)
            except KeyError:
                continue
            converted = self._convert(value, doc, direction)
            skeleton = self._skeletons.setdefault((direction, index), {})
            _insert(skeleton, ptr, converted)

    # -- translating OpenAPI schemas to JSON Schema --------------------------------------------

    def _ref_uri(self, ref: str, doc: Document, direction: Direction) -> str | None:
        try:
            found = self.api.resolver.target(ref, doc)
        except ApilintError:
            return None
        if found is None:
            return None
        target_doc, target_ptr = found
        self._pending.append((direction, target_doc, target_ptr))
        index = self._index(target_doc)
        return f"urn:apilint:{direction.value}:{index}#{quote(encode(target_ptr), safe='/~')}"

    def _convert(self, schema: Any, doc: Document, direction: Direction) -> Any:
        if isinstance(schema, bool):
            return schema
        if not isinstance(schema, dict):
            return {}
        ref = schema.get("$ref")
        if isinstance(ref, str):
            uri = self._ref_uri(ref, doc, direction)
            target: dict[str, Any] = {"$ref": uri} if uri is not None else {}
            if self.draft4:
                # OpenAPI 3.0 ignores a $ref's siblings, but "nullable: true" next to one is
                # what authors mean by "this, or null".
                if _nullable(schema) and target:
                    return {"anyOf": [{"type": "null"}, target]}
                return target
            rest = {k: v for k, v in schema.items() if k != "$ref"}
            if not rest:
                return target
            merged = self._convert(rest, doc, direction)
            if target and isinstance(merged, dict):
                merged["$ref"] = target["$ref"]
            return merged
        if self.loose_objects and _free_form_object(schema):
            return {}
        out: dict[str, Any] = {}
        convert = self._convert
        for key, value in schema.items():
            kind = _KEY_KINDS.get(key)  # one lookup: this runs for every schema member
            if kind is None:
                if not (isinstance(key, str) and key.startswith("x-")):
                    out[key] = value
            elif kind is _SKIP:
                continue
            elif kind is _MAP and isinstance(value, dict):
                out[key] = {k: convert(v, doc, direction) for k, v in value.items()}
            elif kind is _LIST and isinstance(value, list):
                out[key] = [convert(v, doc, direction) for v in value]
            elif kind is _SINGLE and isinstance(value, (dict, bool)):
                out[key] = convert(value, doc, direction)
            elif key == "items" and isinstance(value, list):
                out[key] = [convert(v, doc, direction) for v in value]
            elif key == "format" and (not isinstance(value, str) or value not in self.formats):
                continue
            elif key == "type" and value == "file":
                continue  # Swagger 2.0 file uploads: any content
            else:
                out[key] = value
        if isinstance(out.get("required"), list):
            out["required"] = self._required(schema, doc, direction)
        extra = out.get("additionalProperties")
        if extra is not None and extra is not True and any(k in schema for k in _BRANCHES):
            # allOf: [Resource] next to "additionalProperties": JSON Schema checks the latter
            # against this schema's own properties only, so Resource's "name" would count as
            # additional. Every OpenAPI tool reads it as inheritance; so does this check.
            props = out.setdefault("properties", {})
            if isinstance(props, dict):
                for name in self._branch_properties(schema, doc, 0):
                    props.setdefault(name, {})
        if self.draft4 and _nullable(schema):
            out = _allow_null(out)
        return out

    def _branch_properties(self, schema: dict[str, Any], doc: Document, depth: int) -> set[str]:
        names: set[str] = set()
        if depth > 8:
            return names
        for keyword in _BRANCHES:
            branches = schema.get(keyword)
            if not isinstance(branches, list):
                continue
            for branch in branches:
                branch_doc = doc
                if isinstance(branch, dict) and isinstance(branch.get("$ref"), str):
                    branch, branch_doc, _ = self._follow(branch, doc, ())
                if not isinstance(branch, dict):
                    continue
                props = branch.get("properties")
                if isinstance(props, dict):
                    names.update(str(k) for k in props)
                names |= self._branch_properties(branch, branch_doc, depth + 1)
        return names

    def _required(self, schema: dict[str, Any], doc: Document, direction: Direction) -> list[Any]:
        """``required`` without the properties that don't travel this way: readOnly ones are
        required only in responses, writeOnly ones only in requests."""
        required = schema.get("required")
        if not isinstance(required, list):
            return []
        props = schema.get("properties")
        if not isinstance(props, dict):
            return list(required)
        skip = set()
        if direction in (Direction.REQUEST, Direction.EITHER):
            skip.add("readOnly")
        if direction in (Direction.RESPONSE, Direction.EITHER):
            skip.add("writeOnly")
        out = []
        for name in required:
            prop = props.get(name) if isinstance(name, str) else None
            if isinstance(prop, dict) and "$ref" in prop:
                prop, _, _ = self._follow(prop, doc, ())
            if isinstance(prop, dict) and (
                any(prop.get(flag) is True for flag in skip) or _autorest_one_way(prop, skip)
            ):
                continue
            out.append(name)
        return out

    # -- validating ------------------------------------------------------------------------------

    def prepare(self, keys: Iterable[Any]) -> None:
        """Compile the schemas that ``keys`` (from :meth:`schema_key`) name as one validator,
        ``{"properties": {"0": {"$ref": ...}, "1": {...}}}``: one compilation, and schemas they
        refer to in common are compiled once, not once per key. When that fails (one of them
        does not compile), each is compiled on its own as it is needed."""
        names: dict[Any, str] = {}
        for key in keys:
            if key is not None and key not in names:
                names[key] = str(len(names))
        if len(names) < 2:
            return
        wrapper = {
            "properties": {
                name: self._inline[key] if key[0] == "inline" else {"$ref": self._uri(key)}
                for key, name in names.items()
            }
        }
        try:
            refs = any(key[0] == "ref" for key in names)
            self._batch = self._compile(wrapper, registry=self._get_registry() if refs else None)
        except Exception:  # one schema jsonschema-rs refuses: keep to one validator per schema
            return
        self._batch_names = names

    def problems(self, key: Any, value: Any) -> list[Problem] | None:
        """What is wrong with ``value`` for the schema ``key`` names (from :meth:`schema_key`);
        None when that schema cannot be evaluated."""
        if key is None:
            return None
        if key[0] == "inline":
            schema = self._inline[key]
            # Most examples sit on schemas that only say {"type": ...}: a value of that type
            # needs no compiled validator (a mismatch still goes to jsonschema-rs, for its words).
            if len(schema) == 1 and _has_plain_type(schema.get("type"), value):
                return []
        name = self._batch_names.get(key)
        if name is not None:
            # Validated as the wrapper's property: paths lose their first element.
            validator, instance, skip = self._batch, {name: value}, 1
        else:
            validator, instance, skip = self._validator(key), value, 0
        if validator is None:
            return None
        try:
            errors = list(validator.iter_errors(instance))
        except Exception:  # a regex engine limit, a reference jsonschema-rs cannot resolve
            return None
        problems = [p for error in errors for p in _describe(error, skip=skip)]
        return _merge_missing(_type_first(problems))

    def _validator(self, key: Any) -> Any:
        if key in self._validators:
            return self._validators[key]
        try:
            if key[0] == "inline":
                validator = self._compile(self._inline[key])
            else:
                validator = self._compile({"$ref": self._uri(key)}, registry=self._get_registry())
        except Exception:  # the schema itself is invalid: spec-invalid's business, not ours
            validator = None
        self._validators[key] = validator
        return validator

    def _compile(self, schema: Any, registry: Any = None) -> Any:
        import jsonschema_rs

        cls = jsonschema_rs.Draft4Validator if self.draft4 else jsonschema_rs.Draft202012Validator
        # Draft 4 predates "uuid"; OpenAPI 3.0 descriptions use it everywhere.
        formats = {"uuid": _is_uuid} if self.draft4 and "uuid" in self.formats else None
        return cls(
            schema,
            registry=registry,
            validate_formats=bool(self.formats),
            formats=formats,
            offline=True,  # a remote $ref inside a schema is never fetched
        )

    @staticmethod
    def _uri(key: Any) -> str:
        _, direction, index, ptr = key
        return f"urn:apilint:{direction.value}:{index}#{quote(encode(ptr), safe='/~')}"

    def _get_registry(self) -> Any:
        if self._registry is None:
            import jsonschema_rs

            draft = jsonschema_rs.Draft4 if self.draft4 else jsonschema_rs.Draft202012
            resources = [
                (f"urn:apilint:{direction.value}:{index}", skeleton)
                for (direction, index), skeleton in self._skeletons.items()
            ]
            self._registry = jsonschema_rs.Registry(resources, draft=draft)
        return self._registry


_SCALARS = (str, int, float, bool)
# Keywords :meth:`ExampleValidator.surely_valid` decides on its own; x- extensions are ignored.
_QUICK_KEYWORDS = frozenset({"type", "enum", "format"} | _ANNOTATIONS)

_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\Z")


def _is_uuid(value: str) -> bool:
    return bool(_UUID.match(value))


def _autorest_one_way(prop: dict[str, Any], skip: set[str]) -> bool:
    """AutoRest's way of saying readOnly or writeOnly: ``x-ms-mutability`` without "create"
    and "update" (read only), without "read" (never returned), or ``x-ms-secret``."""
    mutability = prop.get("x-ms-mutability")
    if isinstance(mutability, list):
        if "writeOnly" in skip and "read" not in mutability:
            return True
        if "readOnly" in skip and "create" not in mutability and "update" not in mutability:
            return True
    return "writeOnly" in skip and prop.get("x-ms-secret") is True


def _dialect_ok(api: OpenAPI) -> bool:
    dialect = api.data.get("jsonSchemaDialect")
    return dialect is None or (isinstance(dialect, str) and dialect.rstrip("#") in _DIALECTS_31)


_SHAPING = frozenset(
    {"properties", "additionalProperties", "patternProperties", "allOf", "anyOf", "oneOf",
     "not", "required", "enum", "minProperties", "maxProperties", "$ref"}
)  # fmt: skip


def _free_form_object(schema: dict[str, Any]) -> bool:
    return schema.get("type") == "object" and not any(key in schema for key in _SHAPING)


def _nullable(schema: dict[str, Any]) -> bool:
    return schema.get("nullable") is True or schema.get("x-nullable") is True


def _allow_null(schema: dict[str, Any]) -> dict[str, Any]:
    if not any(key in schema for key in _COMPOSITES):
        kind = schema.get("type")
        if isinstance(kind, str):
            schema["type"] = [kind, "null"]
        elif isinstance(kind, list) and "null" not in kind:
            schema["type"] = [*kind, "null"]
        enum_values = schema.get("enum")
        if isinstance(enum_values, list) and None not in enum_values:
            schema["enum"] = [*enum_values, None]
        return schema
    return {"anyOf": [{"type": "null"}, schema]}


def _has_refs(value: Any) -> bool:
    """A "$ref" member anywhere in ``value`` (parsed data: exactly dicts and lists nest)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if type(item) is dict:
            if "$ref" in item:
                return True
            stack.extend([v for v in item.values() if type(v) is dict or type(v) is list])
        elif type(item) is list:
            stack.extend([v for v in item if type(v) is dict or type(v) is list])
    return False


def _insert(skeleton: dict[str, Any], ptr: Pointer, value: Any) -> None:
    node = skeleton
    for part in ptr[:-1]:
        child = node.get(str(part))
        if not isinstance(child, dict):
            child = {}
            node[str(part)] = child
        node = child
    if ptr:
        node[str(ptr[-1])] = value
    elif isinstance(value, dict):
        skeleton.update(value)


# -- messages ------------------------------------------------------------------------------------


def _short(value: Any, limit: int = 60) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _json_type(value: Any) -> str:
    kind = json_type(value)
    return kind if value is None else a(kind)


_MISSING_ONE = "missing required property "


def _type_first(problems: list[Problem]) -> list[Problem]:
    """Where a value has the wrong type, that is the problem: its enum, pattern or length
    failures there are consequences."""
    wrong = {p.path for p in problems if p.kind == "Type"}
    if not wrong:
        return problems
    return [p for p in problems if p.kind == "Type" or p.path not in wrong]


def _merge_missing(problems: list[Problem]) -> list[Problem]:
    """One problem per object for its missing required properties, in the first one's place."""
    missing: dict[tuple[Any, ...], list[str]] = {}

    def split(problem: Problem) -> tuple[tuple[Any, ...], str] | None:
        if not problem.message.startswith(_MISSING_ONE):
            return None
        name, _, note = problem.message[len(_MISSING_ONE) :].partition(" (")
        return (problem.path, note), name

    for problem in problems:
        parts = split(problem)
        if parts is not None:
            missing.setdefault(parts[0], []).append(parts[1])
    out: list[Problem] = []
    for problem in problems:
        parts = split(problem)
        if parts is None:
            out.append(problem)
            continue
        found = missing.pop(parts[0], None)
        if found is None:
            continue  # merged into an earlier one
        names = list(dict.fromkeys(found))  # allOf branches may each require the same name
        note = f" ({parts[0][1]}" if parts[0][1] else ""
        if len(names) == 1:
            out.append(problem)
        else:
            out.append(
                Problem(problem.path, f"missing required properties {', '.join(names)}{note}")
            )
    return out


def _describe(error: Any, depth: int = 0, skip: int = 0) -> list[Problem]:
    path = tuple(error.instance_path)[skip:]
    kind = type(error.kind).__name__
    instance = error.instance
    if kind == "OneOfMultipleValid":
        return []  # the alternatives overlap: a property of the schema, not of the example
    if kind == "Required":
        return [Problem(path, f"missing required property '{error.kind.property}'")]
    if kind == "Type":
        types = " or ".join(getattr(error.kind, "types", None) or ["?"])
        if instance is None:
            return [Problem(path, f"null is not allowed here: the schema says {types}", "Type")]
        return [Problem(path, f"{_short(instance)} is {_json_type(instance)}, not {types}", "Type")]
    if kind == "Enum":
        values = list(getattr(error.kind, "options", None) or [])
        options = ", ".join(_short(o, 30) for o in values[:5])
        if len(values) > 5:
            options += f" and {len(values) - 5} more"
        return [Problem(path, f"{_short(instance)} is not one of {options}")]
    if kind == "Constant":
        expected = _short(getattr(error.kind, "expected_value", None), 30)
        return [Problem(path, f"{_short(instance)} is not {expected}")]
    if kind == "Format":
        return [Problem(path, f"{_short(instance)} is not a valid {error.kind.format}")]
    if kind == "Pattern":
        pattern = getattr(error.kind, "pattern", "")
        return [Problem(path, f"{_short(instance)} does not match the pattern {pattern!r}")]
    if kind in ("AdditionalProperties", "UnevaluatedProperties"):
        unexpected = list(getattr(error.kind, "unexpected", None) or [])
        return [
            Problem((*path, name), f"property '{name}' is not in the schema") for name in unexpected
        ] or [Problem(path, "has properties the schema does not allow")]
    if kind in ("OneOfNotValid", "AnyOf"):
        which = "oneOf" if kind == "OneOfNotValid" else "anyOf"
        branch = closest_branch(error) if depth < 4 else None
        if branch is not None:
            note = f" (in the closest of its {which} alternatives)"
            return [
                p if p.message.endswith("alternatives)") else Problem(p.path, p.message + note)
                for sub in branch
                for p in _describe(sub, depth + 1, skip)
            ] or [Problem(path, f"{_short(instance)} matches none of the {which} alternatives")]
        return [Problem(path, f"{_short(instance)} matches none of the {which} alternatives")]
    message = str(error.message)
    if len(message) > 160:
        message = message[:157] + "..."
    return [Problem(path, message)]


_PLAIN_TYPES: dict[str, Any] = {
    "string": lambda v: type(v) is str,
    "boolean": lambda v: type(v) is bool,
    "null": lambda v: v is None,
    "array": lambda v: type(v) is list,
    "object": lambda v: type(v) is dict,
    "number": lambda v: type(v) is int or type(v) is float,
    # 1.0 is left to the validator: the drafts disagree on whether it is an integer.
    "integer": lambda v: type(v) is int,
}


def _has_plain_type(declared: Any, value: Any) -> bool:
    """``value`` surely satisfies ``{"type": declared}`` (False also when unsure)."""
    names = [declared] if isinstance(declared, str) else declared
    if not isinstance(names, list):
        return False
    return any(isinstance(name, str) and _PLAIN_TYPES.get(name, _never)(value) for name in names)


def _never(value: Any) -> bool:
    return False
