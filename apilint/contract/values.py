"""One plausible, deterministic value for a schema: what the redirect probes send.

The probes need a request that routes like a real one (path parameters filled, required query
parameters and headers present, a body the server can parse), not a random one: the schema's own
example, default or first enum value when there is one, else the smallest value its constraints
allow.
"""

from __future__ import annotations

import functools
import math
from typing import Any

from apilint.documents.openapi import MISSING, Node, OpenAPI

MAX_DEPTH = 8
NOTHING: Any = MISSING
"""No value could be made (a ``not`` schema, a cycle too deep): leave the field out."""

FORMATS: dict[str, Any] = {
    "date": "2024-01-01",
    "date-time": "2024-01-01T00:00:00Z",
    "time": "00:00:00Z",
    "uuid": "00000000-0000-4000-8000-000000000000",
    "email": "user@example.com",
    "idn-email": "user@example.com",
    "uri": "https://example.com/",
    "url": "https://example.com/",
    "iri": "https://example.com/",
    "uri-reference": "/",
    "hostname": "example.com",
    "idn-hostname": "example.com",
    "ipv4": "127.0.0.1",
    "ipv6": "::1",
    "byte": "YQ==",
    "binary": "a",
    "password": "password1",
    "duration": "P1D",
}


class Synthesizer:
    def __init__(self, api: OpenAPI) -> None:
        self.api = api

    def value(self, node: Node, depth: int = 0) -> Any:
        node = self.api.resolve(node)
        schema = node.value
        if depth > MAX_DEPTH or not isinstance(schema, dict):
            return NOTHING if depth > MAX_DEPTH else "a"
        for key in ("example", "default", "const"):
            if key in schema:
                return schema[key]
        examples = schema.get("examples")
        if isinstance(examples, list) and examples:
            return examples[0]
        enum = schema.get("enum")
        if isinstance(enum, list) and enum:
            return next((item for item in enum if item is not None), enum[0])
        all_of = schema.get("allOf")
        if isinstance(all_of, list) and all_of:
            return self._all_of(node.child("allOf"), len(all_of), depth)
        for key in ("oneOf", "anyOf"):
            options = schema.get(key)
            if isinstance(options, list) and options:
                return self.value(node.child(key, 0), depth + 1)
        kind = _type(schema)
        if kind == "object":
            return self._object(node, depth)
        if kind == "array":
            count = min(max(_int(schema.get("minItems"), 0), 0), 3)
            if "items" not in schema:
                return ["a"] * count
            items = [self.value(node.child("items"), depth + 1) for _ in range(count)]
            return [item for item in items if item is not NOTHING]
        if kind in ("integer", "number"):
            return _number(schema, integer=kind == "integer")
        if kind == "boolean":
            return True
        if kind == "null":
            return None
        return _string(schema)

    def _all_of(self, parts: Node, count: int, depth: int) -> Any:
        merged: dict[str, Any] = {}
        other: Any = NOTHING
        for index in range(count):
            value = self.value(parts.child(index), depth + 1)
            if isinstance(value, dict):
                merged.update(value)
            elif value is not NOTHING and other is NOTHING:
                other = value
        return merged if merged or other is NOTHING else other

    def _object(self, node: Node, depth: int) -> dict[str, Any]:
        schema = node.value
        required = schema.get("required")
        properties = schema.get("properties")
        out: dict[str, Any] = {}
        if not isinstance(required, list) or not isinstance(properties, dict):
            return out
        for name in required:
            if not isinstance(name, str):
                continue
            if name in properties:
                value = self.value(node.child("properties", name), depth + 1)
            else:
                value = "a"
            if value is not NOTHING:
                out[name] = value
        return out


def _type(schema: dict[str, Any]) -> str | None:
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), kind[0] if kind else None)
    if isinstance(kind, str):
        return kind
    if "properties" in schema or "required" in schema:
        return "object"
    if "items" in schema:
        return "array"
    return None


def _int(value: Any, default: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def _number(schema: dict[str, Any], *, integer: bool) -> int | float:
    low = _as_number(schema.get("minimum"))
    high = _as_number(schema.get("maximum"))
    exclusive_low = schema.get("exclusiveMinimum") is True
    exclusive_high = schema.get("exclusiveMaximum") is True
    # OpenAPI 3.1 / JSON Schema 2019+: exclusiveMinimum is a number; 3.0: a boolean flag.
    if _as_number(schema.get("exclusiveMinimum")) is not None:
        low, exclusive_low = _as_number(schema.get("exclusiveMinimum")), True
    if _as_number(schema.get("exclusiveMaximum")) is not None:
        high, exclusive_high = _as_number(schema.get("exclusiveMaximum")), True
    nudge = 1 if integer else 0.5
    value: float = 1
    if low is not None and (value < low or (exclusive_low and value <= low)):
        value = low + (nudge if exclusive_low else 0)
    if high is not None and (value > high or (exclusive_high and value >= high)):
        value = high - (nudge if exclusive_high else 0)
    step = _as_number(schema.get("multipleOf"))
    if step is not None and step > 0:
        value = math.ceil(value / step) * step
    if integer:
        return math.ceil(value)
    return int(value) if float(value).is_integer() else value


def _as_number(value: Any) -> float | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    return None


def _string(schema: dict[str, Any]) -> str:
    fmt = schema.get("format")
    if isinstance(fmt, str) and fmt in FORMATS:
        return str(FORMATS[fmt])
    low = max(_int(schema.get("minLength"), 1), 1)
    high = max(_int(schema.get("maxLength"), 10_000), low)
    pattern = schema.get("pattern")
    if isinstance(pattern, str):
        found = _matching(pattern, low, high)
        if found is not None:
            return found
    return "a" * low


@functools.lru_cache(maxsize=1024)
def _matching(pattern: str, low: int, high: int) -> str | None:
    """The simplest string ``pattern`` matches within the length bounds (Hypothesis shrinks to
    it, deterministically), or None when there is none to be found quickly. Remembered: a
    description repeats its patterns (Twilio's ``^AC[0-9a-fA-F]{32}$`` on every operation), and
    each search costs a quarter of a second."""
    import re

    from hypothesis import HealthCheck, Phase, find, settings
    from hypothesis import strategies as st
    from hypothesis.errors import HypothesisException

    try:
        re.compile(pattern)
        strategy = st.from_regex(pattern, fullmatch=False)
        return find(
            strategy,
            lambda s: low <= len(s) <= high and re.search(pattern, s) is not None,
            settings=settings(
                database=None,
                max_examples=200,
                phases=[Phase.generate, Phase.shrink],
                suppress_health_check=list(HealthCheck),
                deadline=None,
            ),
        )
    except (HypothesisException, re.error, ValueError, TypeError):
        return None
