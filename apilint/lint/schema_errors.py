"""Explaining JSON Schema validation errors (jsonschema-rs) in plain words, once, for every rule
that validates something against a schema: spec-invalid (a description against the OpenAPI
schema) and example-invalid (an example against its own schema).

The hard part is ``oneOf``/``anyOf``: the validator reports every alternative's errors, and the
useful message is about the alternative the author meant. :func:`closest_branch` picks it.
"""

from __future__ import annotations

from typing import Any

VARIANT_MISMATCH = frozenset({"Enum", "Constant", "Type", "FalseSchema"})
"""Error kinds that say a value is of another variant altogether, not a flawed one of this."""


def kind_name(error: Any) -> str:
    """The jsonschema-rs error kind: "Required", "Type", "OneOfNotValid"..."""
    return type(error.kind).__name__


def json_type(value: Any) -> str:
    """The JSON type of a parsed value: null, boolean, integer, number, string, array, object."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def a(types: str) -> str:
    """``an object``, ``a string``; ``string or null`` as it is."""
    article = "an" if types[:1] in "aeiou" else "a"
    return f"{article} {types}" if " or " not in types else types


def branches(error: Any) -> list[list[Any]]:
    """The non-empty alternatives' errors of a oneOf/anyOf error."""
    return [b for b in (getattr(error.kind, "context", None) or []) if b]


def only_ref_required(branch: list[Any]) -> bool:
    """An alternative that failed only because the value is not a Reference Object."""
    return all(
        kind_name(e) == "Required" and getattr(e.kind, "property", None) == "$ref" for e in branch
    )


def rejects_kind(branch: list[Any], here: list[Any]) -> bool:
    """The alternative rejects the value itself for its type, enum or const: it was written
    for another kind of value."""
    return any(
        kind_name(e) in ("Type", "Enum", "Constant") and list(e.instance_path) == here
        for e in branch
    )


def closest_branch(error: Any, *, variants: bool = False) -> list[Any] | None:
    """The alternative of ``error`` (a oneOf/anyOf failure) the value comes closest to, or None
    when every alternative rejects the value's very kind.

    Alternatives that fail only for lacking ``$ref`` are passed over (a Reference Object is
    always an alternative in the OpenAPI schema). Then, in order: one that accepts the value's
    kind; one with fewer variant mismatches anywhere below (``variants=True``: the OpenAPI
    schema writes its variants, such as a parameter's locations, as alternatives that differ in
    an enum); one whose errors lie deeper (the meant variant fails inside the value, the others
    at its top); the fewest errors."""
    candidates = [b for b in branches(error) if not only_ref_required(b)]
    if not candidates:
        return None
    here = list(error.instance_path)

    def score(branch: list[Any]) -> tuple[bool, int, int, int, int]:
        mismatches = sum(1 for e in branch if kind_name(e) in VARIANT_MISMATCH) if variants else 0
        shallow = sum(1 for e in branch if len(e.instance_path) <= len(here) + 1)
        deepest = max(len(e.instance_path) for e in branch)
        return (rejects_kind(branch, here), mismatches, shallow, -deepest, len(branch))

    best = min(candidates, key=score)
    return None if rejects_kind(best, here) else best
