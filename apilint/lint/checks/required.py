"""required-property-undefined: ``required`` names that no property of the schema (or of what it
composes with allOf/anyOf/oneOf) defines.

One of the hygiene rules (rules/hygiene.yaml) that Spectral's ``spectral:oas`` and Redocly's
``recommended`` rulesets have too; docs/rules-coverage.md says why these five."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from apilint.core.errors import ApilintError
from apilint.core.pointer import Pointer
from apilint.documents.openapi import Node, OpenAPI, Result
from apilint.lint.checks import Context, check, did_you_mean, per_megabyte

_COMPOSITION_LISTS = ("allOf", "anyOf", "oneOf")
_COMPOSITION_SINGLES = ("not", "if", "then", "else")
_COMPOSING = frozenset((*_COMPOSITION_LISTS, *_COMPOSITION_SINGLES, "dependentSchemas"))


def _parents(api: OpenAPI) -> dict[tuple[int, Pointer], list[Node]]:
    """For each schema used inside a composition, the schemas that compose it."""
    out: dict[tuple[int, Pointer], list[Node]] = {}
    for schema in api.schemas:
        value = schema.value
        if value.keys().isdisjoint(_COMPOSING):
            continue  # most schemas compose nothing
        children: list[Node] = []
        for keyword in _COMPOSITION_LISTS:
            branches = value.get(keyword)
            if isinstance(branches, list):
                children.extend(schema.child(keyword, i) for i in range(len(branches)))
        for keyword in _COMPOSITION_SINGLES:
            if isinstance(value.get(keyword), dict):
                children.append(schema.child(keyword))
        dependent = value.get("dependentSchemas")
        if isinstance(dependent, dict):
            children.extend(schema.child("dependentSchemas", k) for k in dependent)
        for child in children:
            try:
                resolved = api.resolve(child)
            except ApilintError:
                continue
            out.setdefault((id(resolved.doc), resolved.ptr), []).append(schema)
    return out


@dataclass(frozen=True, slots=True)
class _Defined:
    """The properties a schema defines itself or through its allOf/anyOf/oneOf branches."""

    names: frozenset[str]
    patterns: tuple[str, ...]

    @property
    def anything(self) -> bool:
        return bool(self.names or self.patterns)

    def defines(self, name: str) -> bool:
        if name in self.names:
            return True
        for pattern in self.patterns:
            try:
                if re.search(pattern, name):
                    return True
            except re.error:
                return True  # an ECMA-only pattern: don't guess
        return False


_NOTHING = _Defined(frozenset(), ())


class _Properties:
    """Which properties the schemas of one document define, memoized: the check asks the
    schema itself and its branches first, and climbs to the schemas that compose it only for
    the names still missing (an abstract PagingObject requires the ``items`` its subtypes
    define)."""

    def __init__(self, api: OpenAPI) -> None:
        self.api = api
        self._parents: dict[tuple[int, Pointer], list[Node]] | None = None
        self._down: dict[tuple[int, Pointer], _Defined] = {}

    @property
    def parents(self) -> dict[tuple[int, Pointer], list[Node]]:
        """Built on the first name a schema's own branches don't define."""
        if self._parents is None:
            self._parents = _parents(self.api)
        return self._parents

    def down(self, node: Node, depth: int = 0) -> _Defined:
        try:
            node = self.api.resolve(node)
        except ApilintError:
            return _NOTHING
        mark = (id(node.doc), node.ptr)
        cached = self._down.get(mark)
        if cached is not None:
            return cached
        self._down[mark] = _NOTHING  # a cycle ends here
        value = node.value
        if not isinstance(value, dict) or depth > 32:
            return _NOTHING
        names: set[str] = set()
        patterns: list[str] = []
        props = value.get("properties")
        if isinstance(props, dict):
            names.update(str(k) for k in props)
        pattern_props = value.get("patternProperties")
        if isinstance(pattern_props, dict):
            patterns.extend(str(p) for p in pattern_props)
        for keyword in _COMPOSITION_LISTS:
            branches = value.get(keyword)
            if isinstance(branches, list):
                for index in range(len(branches)):
                    below = self.down(node.child(keyword, index), depth + 1)
                    names |= below.names
                    patterns.extend(below.patterns)
        result = _Defined(frozenset(names), tuple(patterns))
        self._down[mark] = result
        return result

    def missing(self, schema: Node, required: list[str]) -> tuple[list[str], bool, set[str]]:
        """The required names no schema of the family defines; whether the family defines any
        property at all; the names it was seen to define (for suggestions)."""
        own = self.down(schema)
        seen_names = set(own.names)
        anything = own.anything
        left = [n for n in required if not own.defines(n)]
        if not left:
            return [], anything, seen_names
        try:
            start = self.api.resolve(schema)
        except ApilintError:
            return [], anything, seen_names
        queue = [(start, 0)]
        visited = {(id(start.doc), start.ptr)}
        while queue and left and len(visited) < _MAX_VISITS:
            node, level = queue.pop(0)
            if level >= _MAX_LEVELS:
                continue
            for parent in self.parents.get((id(node.doc), node.ptr), []):
                mark = (id(parent.doc), parent.ptr)
                if mark in visited:
                    continue
                visited.add(mark)
                defined = self.down(parent)
                anything = anything or defined.anything
                seen_names |= defined.names
                left = [n for n in left if not defined.defines(n)]
                queue.append((parent, level + 1))
        return left, anything, seen_names


_MAX_LEVELS = 4
_MAX_VISITS = 5000


@check("required_property_undefined", cost=per_megabyte(0.0025), uses=("schemas",))
def required_property_undefined(
    targets: Sequence[Node], options: Mapping[str, Any], ctx: Context
) -> Iterator[Result]:
    """Every name in a schema's ``required`` is a property the schema (or its composition)
    defines."""
    properties: _Properties | None = None
    for schema in targets:
        value = schema.value
        required = value.get("required") if isinstance(value, dict) else None
        if not isinstance(required, list) or not required:
            continue
        if properties is None:
            properties = _Properties(ctx.api)
        names = [n for n in required if isinstance(n, str)]
        missing, anything, known_names = properties.missing(schema, names)
        if not missing or not anything:
            continue  # a free-form object that requires some keys: legal and deliberate
        closed = value.get("additionalProperties") is False
        known = sorted(known_names)
        shown = ", ".join(known[:8]) + (", ..." if len(known) > 8 else "")
        consequence = (
            "; with additionalProperties: false no valid object can exist" if closed else ""
        )
        for index, name in enumerate(required):
            if name in missing:
                yield schema.finding(
                    f"'{name}' is required but no property '{name}' is defined (properties: "
                    f"{shown}){did_you_mean(name, known)}{consequence}",
                    "required",
                    index,
                )
