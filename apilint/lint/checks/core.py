"""General-purpose check functions, named and behaving like Spectral's core functions, so that
rules written for Spectral translate directly: truthy, falsy, defined, undefined, pattern, casing,
enumeration, length, schema, alphabetical.

Each looks at every target node's value (the ``then.field`` of it when the rule names a field).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from functools import lru_cache
from typing import Any

from apilint.core.errors import ConfigError
from apilint.documents.openapi import MISSING, Node, Result
from apilint.lint.checks import Context, Option, check


def _name(node: Node, ctx: Context) -> str:
    if ctx.field:
        return ctx.field
    key = node.key
    return str(key) if key is not None else "document"


def _show(value: Any) -> str:
    if value is MISSING:
        return "missing"
    text = json.dumps(value, default=str, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "..."


@check("truthy")
def truthy(targets: Sequence[Node], options: Mapping[str, Any], ctx: Context) -> Iterator[Result]:
    """The value must be present and not false, zero, empty or null."""
    for node in targets:
        if not node.value:
            yield node.finding(f"'{_name(node, ctx)}' must be present and not empty")


@check("falsy")
def falsy(targets: Sequence[Node], options: Mapping[str, Any], ctx: Context) -> Iterator[Result]:
    """The value must be absent, false, zero, empty or null."""
    for node in targets:
        if node.value:
            yield node.finding(f"'{_name(node, ctx)}' must be absent or empty")


@check("defined")
def defined(targets: Sequence[Node], options: Mapping[str, Any], ctx: Context) -> Iterator[Result]:
    """The value must be present (any value, null included)."""
    for node in targets:
        if node.value is MISSING:
            yield node.finding(f"'{_name(node, ctx)}' must be defined")


@check("undefined")
def undefined(
    targets: Sequence[Node], options: Mapping[str, Any], ctx: Context
) -> Iterator[Result]:
    """The value must not be present."""
    for node in targets:
        if node.value is not MISSING:
            yield node.finding(f"'{_name(node, ctx)}' must not be defined")


@lru_cache(maxsize=256)
def _regex(source: str) -> re.Pattern[str]:
    # Spectral accepts JavaScript-style "/pattern/flags".
    flags = 0
    if len(source) > 1 and source.startswith("/") and source.rfind("/") > 0:
        body, _, suffix = source[1:].rpartition("/")
        if set(suffix) <= set("imsu"):
            source = body
            flags |= re.IGNORECASE if "i" in suffix else 0
            flags |= re.MULTILINE if "m" in suffix else 0
            flags |= re.DOTALL if "s" in suffix else 0
    try:
        return re.compile(source, flags)
    except re.error as exc:
        raise ConfigError(f"invalid regular expression {source!r}: {exc}") from None


@check(
    "pattern",
    match=Option(str, "", "A regular expression the value must match (search, not full match)."),
    notMatch=Option(str, "", "A regular expression the value must not match."),
)
def pattern(targets: Sequence[Node], options: Mapping[str, Any], ctx: Context) -> Iterator[Result]:
    """A string value must match ``match`` and must not match ``notMatch``."""
    match = _regex(options["match"]) if options["match"] else None
    not_match = _regex(options["notMatch"]) if options["notMatch"] else None
    for node in targets:
        value = node.value
        if not isinstance(value, str):
            continue
        if match is not None and not match.search(value):
            yield node.finding(f"{_show(value)} must match the pattern {options['match']!r}")
        if not_match is not None and not_match.search(value):
            yield node.finding(f"{_show(value)} must not match the pattern {options['notMatch']!r}")


CASES = {
    "flat": r"[a-z][a-z{digits}]*",
    "camel": r"[a-z][a-z{digits}]*(?:[A-Z{digits}](?:[a-z{digits}]+|$))*",
    "pascal": r"[A-Z][a-z{digits}]*(?:[A-Z{digits}](?:[a-z{digits}]+|$))*",
    "kebab": r"[a-z][a-z{digits}]*(?:-[a-z{digits}]+)*",
    "cobol": r"[A-Z][A-Z{digits}]*(?:-[A-Z{digits}]+)*",
    "snake": r"[a-z][a-z{digits}]*(?:_[a-z{digits}]+)*",
    "macro": r"[A-Z][A-Z{digits}]*(?:_[A-Z{digits}]+)*",
}


@lru_cache(maxsize=64)
def case_regex(case: str, digits: bool = True) -> re.Pattern[str]:
    return re.compile(CASES[case].replace("{digits}", "0-9" if digits else "") + r"\Z")


@check(
    "casing",
    type=Option(str, "kebab", "The casing style.", choices=tuple(CASES)),
    disallowDigits=Option(bool, False, "Digits are not allowed."),
)
def casing(targets: Sequence[Node], options: Mapping[str, Any], ctx: Context) -> Iterator[Result]:
    """A string value must be written in one casing style."""
    regex = case_regex(options["type"], not options["disallowDigits"])
    for node in targets:
        value = node.value
        if isinstance(value, str) and value and not regex.match(value):
            yield node.finding(f"{_show(value)} is not {options['type']} case")


@check(
    "enumeration",
    values=Option(list, [], "The allowed values."),
)
def enumeration(
    targets: Sequence[Node], options: Mapping[str, Any], ctx: Context
) -> Iterator[Result]:
    """The value must be one of ``values``."""
    allowed = options["values"]
    for node in targets:
        if node.value is not MISSING and node.value not in allowed:
            shown = ", ".join(_show(v) for v in allowed)
            yield node.finding(f"{_show(node.value)} must be one of: {shown}")


@check(
    "length",
    min=Option(int, -1, "Minimum length (characters, items or keys); -1 for none."),
    max=Option(int, -1, "Maximum length; -1 for none."),
)
def length(targets: Sequence[Node], options: Mapping[str, Any], ctx: Context) -> Iterator[Result]:
    """Strings, arrays and objects (and numbers, by value) must be within ``min``..``max``."""
    low, high = options["min"], options["max"]
    for node in targets:
        value = node.value
        if isinstance(value, (str, list, dict)):
            size: float = len(value)
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            size = value
        else:
            continue
        if low >= 0 and size < low:
            yield node.finding(f"'{_name(node, ctx)}' must be at least {low} long (is {size:g})")
        if high >= 0 and size > high:
            yield node.finding(f"'{_name(node, ctx)}' must be at most {high} long (is {size:g})")


@lru_cache(maxsize=64)
def _schema_validator(schema_text: str) -> Any:
    import jsonschema_rs

    try:
        # offline: a remote $ref in a ruleset's schema is an error, never a request.
        return jsonschema_rs.validator_for(json.loads(schema_text), offline=True)
    except (ValueError, jsonschema_rs.ValidationError) as exc:
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ConfigError(f"invalid JSON Schema in functionOptions: {first_line}") from None


@check(
    "schema",
    schema=Option(dict, {}, "The JSON Schema the value must satisfy."),
    allowMissing=Option(bool, True, "A missing value passes."),
)
def schema(targets: Sequence[Node], options: Mapping[str, Any], ctx: Context) -> Iterator[Result]:
    """The value must be valid against a JSON Schema (draft detected from ``$schema``)."""
    from apilint.lint.checks.spec import schema_errors

    validator = _schema_validator(json.dumps(options["schema"], sort_keys=True))
    for node in targets:
        if node.value is MISSING:
            if not options["allowMissing"]:
                yield node.finding(f"'{_name(node, ctx)}' must be defined")
            continue
        for error in schema_errors(validator, node.value):
            yield node.finding(error.message, *error.instance_path)


@check(
    "alphabetical",
    keyedBy=Option(str, "", "For arrays of objects: the member to sort by."),
)
def alphabetical(
    targets: Sequence[Node], options: Mapping[str, Any], ctx: Context
) -> Iterator[Result]:
    """Object keys or array items must be in alphabetical order."""
    keyed_by = options["keyedBy"]
    for node in targets:
        value = node.value
        if isinstance(value, dict):
            items = [str(k) for k in value]
        elif isinstance(value, list):
            if keyed_by:
                items = [str(v.get(keyed_by, "")) if isinstance(v, dict) else "" for v in value]
            else:
                items = [str(v) for v in value]
        else:
            continue
        for index in range(1, len(items)):
            if items[index - 1] > items[index]:
                yield node.finding(
                    f"'{_name(node, ctx)}' is not in alphabetical order: "
                    f"{items[index - 1]!r} comes before {items[index]!r}"
                )
                break
