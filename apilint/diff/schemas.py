"""Comparing two schemas for what breaks clients, in the direction data flows.

A request schema breaks clients when it accepts less than before (a type narrowed, an enum value
removed, a property made required, a bound tightened); a response schema breaks them when it may
return what they did not expect (a type widened, a new enum value, a property removed, made
optional or nullable, a bound loosened). ``$ref``s are followed on both sides, so a schema moved
into ``components`` compares equal to its inline self. Where the two sides differ in ways this
module cannot judge (``oneOf``/``anyOf`` alternatives it cannot pair), it says nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from apilint.core.findings import Severity
from apilint.core.pointer import Pointer
from apilint.diff.changes import ChangeKey, Changes
from apilint.diff.unchanged import Unchanged
from apilint.documents.openapi import MISSING, Node, OpenAPI

REQUEST = "request"
RESPONSE = "response"
MAX_DEPTH = 48
"""Schema nesting followed at most (recursive schemas stop at the first repeated pair anyway)."""

_WIDER_FORMATS = frozenset({("int32", "int64"), ("float", "double")})
_SAME_FORMATS = frozenset({frozenset({"byte", "base64"})})
"""Names of one format: OpenAPI's ``byte`` is base64 text, which some descriptions spell so."""
_BOUNDS: tuple[tuple[str, str, str], ...] = (
    # (kind, lower keyword, upper keyword)
    ("length", "minLength", "maxLength"),
    ("items", "minItems", "maxItems"),
    ("properties", "minProperties", "maxProperties"),
)


@dataclass
class Bound:
    value: float
    exclusive: bool
    keyword: str


@dataclass
class View:
    """A schema as compared: after following $refs and merging ``allOf``."""

    node: Node
    types: frozenset[str] = frozenset()
    nullable: bool = False
    format: str | None = None
    enum: list[Any] | None = None
    enum_node: Node | None = None
    properties: dict[str, Node] = field(default_factory=dict)
    required: set[str] = field(default_factory=set)
    items: Node | None = None
    additional: Node | None = None
    alternatives: list[Node] = field(default_factory=list)
    """oneOf/anyOf members, resolved."""
    read_only: bool = False
    write_only: bool = False
    bounds: dict[str, tuple[Bound | None, Bound | None]] = field(default_factory=dict)
    """kind -> (lower, upper)."""


def _number(value: Any) -> float | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    return None


def _numeric_bounds(value: dict[str, Any]) -> tuple[Bound | None, Bound | None]:
    """minimum/maximum with exclusive forms of both 3.0 (a flag) and 3.1 (a number)."""
    lower = upper = None
    minimum, maximum = _number(value.get("minimum")), _number(value.get("maximum"))
    if minimum is not None:
        lower = Bound(minimum, value.get("exclusiveMinimum") is True, "minimum")
    if maximum is not None:
        upper = Bound(maximum, value.get("exclusiveMaximum") is True, "maximum")
    ex_min, ex_max = _number(value.get("exclusiveMinimum")), _number(value.get("exclusiveMaximum"))
    if ex_min is not None and (lower is None or ex_min >= lower.value):
        lower = Bound(ex_min, True, "exclusiveMinimum")
    if ex_max is not None and (upper is None or ex_max <= upper.value):
        upper = Bound(ex_max, True, "exclusiveMaximum")
    return lower, upper


def _tighter_upper(new: Bound, old: Bound) -> bool:
    return new.value < old.value or (new.value == old.value and new.exclusive and not old.exclusive)


def _tighter_lower(new: Bound, old: Bound) -> bool:
    return new.value > old.value or (new.value == old.value and new.exclusive and not old.exclusive)


def _text(bound: Bound | None) -> str:
    if bound is None:
        return "none"
    number = int(bound.value) if bound.value.is_integer() else bound.value
    return f"{bound.keyword} {number}"


def _key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def _values(values: list[Any]) -> str:
    shown = [json.dumps(v, default=str) for v in values[:5]]
    more = f" and {len(values) - 5} more" if len(values) > 5 else ""
    return ", ".join(shown) + more


def _accepts(types: frozenset[str], kind: str) -> bool:
    return kind in types or (kind == "integer" and "number" in types)


class SchemaComparer:
    """Compares schemas of two descriptions, recording changes in ``changes``."""

    def __init__(
        self, old: OpenAPI, new: OpenAPI, changes: Changes, unchanged: Unchanged | None = None
    ) -> None:
        self.unchanged = unchanged or Unchanged(old.root, new.root)
        self.old = old
        self.new = new
        self.changes = changes
        self._views: dict[tuple[int, Pointer], View] = {}
        self._done: dict[tuple[int, Pointer, int, Pointer, str, bool], set[ChangeKey]] = {}

    # -- views ------------------------------------------------------------------------------

    def view(self, api: OpenAPI, node: Node, depth: int = 0) -> View:
        node = api.resolve(node)
        key = (id(node.doc), node.ptr)
        cached = self._views.get(key)
        if cached is not None:
            return cached
        view = View(node)
        self._views[key] = view
        value = node.value
        if not isinstance(value, dict) or "$ref" in value:
            return view  # not a schema, or a remote $ref not followed: nothing to judge
        self._fill(api, view, node, depth)
        return view

    def _fill(self, api: OpenAPI, view: View, node: Node, depth: int) -> None:
        value: dict[str, Any] = node.value
        kind = value.get("type")
        if isinstance(kind, str):
            view.types = frozenset({kind} - {"null"})
            view.nullable = kind == "null"
        elif isinstance(kind, list):
            view.types = frozenset(t for t in kind if isinstance(t, str) and t != "null")
            view.nullable = "null" in kind
        if value.get("nullable") is True or value.get("x-nullable") is True:
            view.nullable = True
        if isinstance(value.get("format"), str):
            view.format = value["format"]
        if isinstance(value.get("enum"), list):
            view.enum = value["enum"]
            view.enum_node = node.child("enum")
        properties = value.get("properties")
        if isinstance(properties, dict):
            for name in properties:
                view.properties[str(name)] = node.child("properties", str(name))
        required = value.get("required")
        if isinstance(required, list):
            view.required = {r for r in required if isinstance(r, str)}
        if isinstance(value.get("items"), dict):
            view.items = node.child("items")
        if isinstance(value.get("additionalProperties"), dict):
            view.additional = node.child("additionalProperties")
        view.read_only = value.get("readOnly") is True
        view.write_only = value.get("writeOnly") is True
        view.bounds["number"] = _numeric_bounds(value)
        for kind_name, low, high in _BOUNDS:
            lo, hi = _number(value.get(low)), _number(value.get(high))
            view.bounds[kind_name] = (
                Bound(lo, False, low) if lo is not None else None,
                Bound(hi, False, high) if hi is not None else None,
            )
        for keyword in ("oneOf", "anyOf"):
            members = value.get(keyword)
            if isinstance(members, list):
                view.alternatives.extend(
                    api.resolve(node.child(keyword, index)) for index in range(len(members))
                )
        members = value.get("allOf")
        if isinstance(members, list) and depth < MAX_DEPTH:
            for index in range(len(members)):
                self._merge(view, self.view(api, node.child("allOf", index), depth + 1))

    @staticmethod
    def _merge(view: View, member: View) -> None:
        """Fold an ``allOf`` member into ``view``: what any member requires, the whole does."""
        view.types = view.types or member.types
        view.format = view.format or member.format
        if view.enum is None and member.enum is not None:
            view.enum, view.enum_node = member.enum, member.enum_node
        for name, prop in member.properties.items():
            view.properties.setdefault(name, prop)
        view.required |= member.required
        view.items = view.items or member.items
        view.additional = view.additional or member.additional
        view.alternatives.extend(member.alternatives)
        for kind, (lower, upper) in member.bounds.items():
            own_lower, own_upper = view.bounds.get(kind, (None, None))
            view.bounds[kind] = (own_lower or lower, own_upper or upper)

    # -- comparison -------------------------------------------------------------------------

    def compare(
        self,
        old: Node,
        new: Node,
        direction: str,
        what: str,
        depth: int = 0,
        *,
        path_parameter: bool = False,
    ) -> None:
        """Compare the schemas at ``old`` and ``new``; ``what`` names the place for messages
        ("request body", "response 200 property 'id'")."""
        if old.value is MISSING or new.value is MISSING or depth > MAX_DEPTH:
            return
        if self.unchanged.same(old.doc, old.value, new.doc, new.value):
            return
        o = self.view(self.old, old)
        n = self.view(self.new, new)
        if n.node.ptr != new.ptr or n.node.doc is not new.doc:
            what = _component_name(n.node, self.new, direction) or what
        key = (id(o.node.doc), o.node.ptr, id(n.node.doc), n.node.ptr, direction, path_parameter)
        done = self._done.get(key)
        if done is not None:
            self.changes.replay(done)
            return
        collector = self.changes.start()
        self._done[key] = collector
        try:
            self._compare(o, n, direction, what, depth, path_parameter)
        finally:
            self.changes.stop(collector)

    def _compare(
        self, o: View, n: View, direction: str, what: str, depth: int, path_parameter: bool
    ) -> None:
        if not isinstance(o.node.value, dict) or not isinstance(n.node.value, dict):
            return
        if "$ref" in o.node.value or "$ref" in n.node.value:
            return
        if not self._types(o, n, direction, what):
            return  # a different kind of value: its members are not worth comparing
        self._enum(o, n, direction, what)
        self._bounds(o, n, direction, what, path_parameter)
        self._properties(o, n, direction, what, depth)
        if o.items is not None and n.items is not None:
            self.compare(o.items, n.items, direction, f"{what} items", depth + 1)
        if o.additional is not None and n.additional is not None:
            self.compare(o.additional, n.additional, direction, f"{what} values", depth + 1)
        self._alternatives(o, n, direction, what, depth)

    def _types(self, o: View, n: View, direction: str, what: str) -> bool:
        """Report an incompatible type or format; False when the types have nothing in common."""
        rule = f"{direction}-type-changed"
        where = n.node.child("type") if "type" in n.node.value else n.node
        if o.types and n.types:
            if direction == REQUEST:
                lost = sorted(t for t in o.types if not _accepts(n.types, t))
                if lost:
                    self.changes.add(
                        rule,
                        f"{what}: type changed from {_types(o.types)} to {_types(n.types)}; "
                        f"{_types(frozenset(lost))} is no longer accepted",
                        where.doc,
                        where.ptr,
                        context=what,
                    )
            else:
                gained = sorted(t for t in n.types if not _accepts(o.types, t))
                if gained:
                    self.changes.add(
                        rule,
                        f"{what}: type changed from {_types(o.types)} to {_types(n.types)}; "
                        f"{_types(frozenset(gained))} may now be returned",
                        where.doc,
                        where.ptr,
                        context=what,
                    )
            if not (o.types & n.types) and not (
                "integer" in o.types | n.types and "number" in o.types | n.types
            ):
                return False
        if direction == REQUEST and o.nullable and not n.nullable and (o.types or n.types):
            self.changes.add(
                rule, f"{what}: null is no longer accepted", where.doc, where.ptr, context=what
            )
        if (
            o.format
            and n.format
            and o.format != n.format
            and frozenset({o.format, n.format}) not in _SAME_FORMATS
        ):
            pair = (o.format, n.format) if direction == REQUEST else (n.format, o.format)
            if pair not in _WIDER_FORMATS:
                fmt = n.node.child("format") if "format" in n.node.value else n.node
                self.changes.add(
                    rule,
                    f"{what}: format changed from '{o.format}' to '{n.format}'",
                    fmt.doc,
                    fmt.ptr,
                    context=what,
                )
        return True

    def _enum(self, o: View, n: View, direction: str, what: str) -> None:
        if o.enum is None or n.enum is None:
            return
        where = n.enum_node or n.node
        if direction == REQUEST:
            kept = {_key(v) for v in n.enum}
            lost = [v for v in o.enum if _key(v) not in kept]
            if lost:
                noun = "value" if len(lost) == 1 else "values"
                self.changes.add(
                    "request-enum-value-removed",
                    f"{what}: enum {noun} {_values(lost)} no longer accepted",
                    where.doc,
                    where.ptr,
                    context=what,
                )
        else:
            known = {_key(v) for v in o.enum}
            added = [v for v in n.enum if _key(v) not in known]
            if added:
                noun = "value" if len(added) == 1 else "values"
                self.changes.add(
                    "response-enum-value-added",
                    f"{what}: new enum {noun} {_values(added)} may be returned",
                    where.doc,
                    where.ptr,
                    context=what,
                )

    def _bounds(
        self, o: View, n: View, direction: str, what: str, path_parameter: bool = False
    ) -> None:
        for kind, (new_lower, new_upper) in n.bounds.items():
            old_lower, old_upper = o.bounds.get(kind, (None, None))
            if direction == REQUEST:
                tighter = (
                    new_upper is not None
                    and (old_upper is None or _tighter_upper(new_upper, old_upper)),
                    new_lower is not None
                    and (old_lower is None or _tighter_lower(new_lower, old_lower)),
                )
                rule, verb = "request-constraint-tightened", "tightened"
            else:
                tighter = (
                    old_upper is not None
                    and (new_upper is None or _tighter_upper(old_upper, new_upper)),
                    old_lower is not None
                    and (new_lower is None or _tighter_lower(old_lower, new_lower)),
                )
                rule, verb = "response-constraint-loosened", "loosened"
            for changed, old_bound, new_bound in (
                (tighter[0], old_upper, new_upper),
                (tighter[1], old_lower, new_lower),
            ):
                if not changed:
                    continue
                trivial = new_bound is not None and new_bound.value <= 1
                if path_parameter and kind == "length" and new_bound is new_lower and trivial:
                    continue  # a path segment is never empty: minLength 1 changes nothing
                keyword = (new_bound or old_bound).keyword  # type: ignore[union-attr]
                where = n.node.child(keyword) if keyword in n.node.value else n.node
                # A bound set where there was none often writes down a limit the server always
                # had: probably, not certainly, a break.
                newly_set = direction == REQUEST and old_bound is None
                self.changes.add(
                    rule,
                    f"{what}: {kind} limit {verb} ({_text(old_bound)} -> {_text(new_bound)})",
                    where.doc,
                    where.ptr,
                    severity=Severity.WARNING if newly_set else None,
                    context=what,
                )

    def _properties(self, o: View, n: View, direction: str, what: str, depth: int) -> None:
        for name, new_prop in n.properties.items():
            old_prop = o.properties.get(name)
            label = f"{what} property '{name}'"
            newly_required = direction == REQUEST and name in n.required and name not in o.required
            if newly_required and not self.view(self.new, new_prop).read_only:
                state = "became required" if old_prop is not None else "is new and required"
                self.changes.add(
                    "request-required-property-added",
                    f"{label} {state}",
                    new_prop.doc,
                    new_prop.ptr,
                    context=what,
                )
            if old_prop is None:
                continue
            if direction == RESPONSE:
                old_view = self.view(self.old, old_prop)
                if not old_view.write_only:
                    new_view = self.view(self.new, new_prop)
                    if name in o.required and name not in n.required:
                        self.changes.add(
                            "response-property-optional",
                            f"{label} is no longer required",
                            new_prop.doc,
                            new_prop.ptr,
                            context=what,
                        )
                    if new_view.nullable and not old_view.nullable:
                        self.changes.add(
                            "response-property-nullable",
                            f"{label} may now be null",
                            new_prop.doc,
                            new_prop.ptr,
                            context=what,
                        )
            self.compare(old_prop, new_prop, direction, label, depth + 1)
        for name in n.required - set(n.properties):
            if direction == REQUEST and name not in o.required:
                where = n.node.child("required")
                self.changes.add(
                    "request-required-property-added",
                    f"{what} property '{name}' is new and required",
                    where.doc,
                    where.ptr,
                    context=what,
                )
        if direction == RESPONSE and not n.alternatives and n.properties:
            for name, old_prop in o.properties.items():
                if name in n.properties or self.view(self.old, old_prop).write_only:
                    continue
                self.changes.add(
                    "response-property-removed",
                    f"{what} property '{name}' was removed",
                    old_prop.doc,
                    old_prop.ptr,
                    context=what,
                )

    def _alternatives(self, o: View, n: View, direction: str, what: str, depth: int) -> None:
        """oneOf/anyOf members are paired only when both sides name the same place."""
        if not o.alternatives or not n.alternatives:
            return
        shared = ("components", "definitions")
        by_place = {alt.ptr: alt for alt in n.alternatives if alt.ptr[:1] and alt.ptr[0] in shared}
        for alt in o.alternatives:
            partner = by_place.get(alt.ptr)
            if partner is not None:
                self.compare(alt, partner, direction, what, depth + 1)


def _types(types: frozenset[str]) -> str:
    return "/".join(sorted(types))


def _component_name(node: Node, api: OpenAPI, direction: str) -> str | None:
    """``response schema 'User'`` for a schema reached through a $ref to a component (or to
    another file), so that its findings read the same from every operation that uses it."""
    ptr = node.ptr
    if node.doc is not api.root:
        where = node.doc.name.replace("\\", "/").rsplit("/", 1)[-1]
        return (
            f"{direction} schema '{ptr[-1]}' in {where}" if ptr else f"{direction} schema {where}"
        )
    if len(ptr) == 3 and ptr[:2] == ("components", "schemas"):
        return f"{direction} schema '{ptr[2]}'"
    if len(ptr) == 2 and ptr[0] == "definitions":
        return f"{direction} schema '{ptr[1]}'"
    return None
