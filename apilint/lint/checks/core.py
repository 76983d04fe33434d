"""General-purpose check functions, named and behaving like Spectral's core functions, so that
rules written for Spectral translate directly: truthy, falsy, defined, undefined, pattern, casing,
enumeration, length, schema, alphabetical.

Each looks at every target node's value (the ``then.field`` of it when the rule names a field).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
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


# -- Spectral's core functions, with Spectral's option names and semantics --------------------
#
# Spectral rulesets (see apilint/spectral.py) call these on each lint target: the value there (as
# Spectral sees it: $refs followed, MISSING when absent), the rule's functionOptions, and a
# SpectralCall for what some functions need besides the value. Each returns (message, path)
# pairs, the path relative to the target. Messages use Spectral's placeholders
# (#{{print("property")}}, #{{print("value")}}), filled in by the caller.

SpectralResult = tuple[str, tuple[str | int, ...]]


@dataclass
class SpectralCall:
    """What a Spectral function may ask about its target besides its value."""

    resolved: Callable[[], Any]
    """The value with every $ref inside it followed (for ``schema``)."""
    formats: frozenset[str]
    referenced: Callable[[], frozenset[str]]
    """JSON pointers (``#/components/schemas/Pet``) that a $ref of the document names."""


SpectralRun = Callable[[Any, Mapping[str, Any], SpectralCall], list[SpectralResult]]


@dataclass(frozen=True)
class SpectralFunction:
    run: SpectralRun
    validate: Callable[[Any, str], dict[str, Any]]


def _js_truthy(value: Any) -> bool:
    if value is MISSING:
        return False
    if isinstance(value, (dict, list)):
        return True
    if isinstance(value, float) and math.isnan(value):
        return False
    return bool(value)


def _no_options(name: str) -> Callable[[Any, str], dict[str, Any]]:
    def validate(options: Any, where: str) -> dict[str, Any]:
        if options is not None and options != {}:
            raise ConfigError(f'{where}: "{name}" function does not accept any options')
        return {}

    return validate


def _options(
    name: str,
    spec: Mapping[str, tuple[type | tuple[type, ...], bool]],
    *,
    at_least_one: bool = False,
) -> Callable[[Any, str], dict[str, Any]]:
    """A validator: ``spec`` maps option name to (type, required)."""

    def validate(options: Any, where: str) -> dict[str, Any]:
        if options is None:
            options = {}
        if not isinstance(options, dict):
            raise ConfigError(f'{where}: "{name}" function options must be a mapping')
        for key, value in options.items():
            if key not in spec:
                raise ConfigError(f'{where}: "{name}" function does not support "{key}" option')
            kind = spec[key][0]
            if not isinstance(value, kind) or (
                isinstance(value, bool) and bool not in _kinds(kind)
            ):
                raise ConfigError(f'{where}: "{name}" function: option "{key}" has a wrong type')
        for key, (_, required) in spec.items():
            if required and key not in options:
                raise ConfigError(f'{where}: "{name}" function is missing "{key}" option')
        if at_least_one and not options:
            raise ConfigError(f'{where}: "{name}" function needs at least one option')
        return dict(options)

    return validate


def _kinds(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


def _s_truthy(value: Any, options: Mapping[str, Any], call: SpectralCall) -> list[SpectralResult]:
    return [] if _js_truthy(value) else [('#{{print("property")}}must be truthy', ())]


def _s_falsy(value: Any, options: Mapping[str, Any], call: SpectralCall) -> list[SpectralResult]:
    return [('#{{print("property")}}must be falsy', ())] if _js_truthy(value) else []


def _s_defined(value: Any, options: Mapping[str, Any], call: SpectralCall) -> list[SpectralResult]:
    return [('#{{print("property")}}must be defined', ())] if value is MISSING else []


def _s_undefined(
    value: Any, options: Mapping[str, Any], call: SpectralCall
) -> list[SpectralResult]:
    return [] if value is MISSING else [('#{{print("property")}}must be undefined', ())]


def js_pattern(source: str) -> re.Pattern[str]:
    """A pattern option as Spectral reads it: ``/body/flags`` or a bare regular expression."""
    from apilint.lint.jsfilter import js_regex

    match = re.fullmatch(r"/(.+)/([a-z]*)", source, re.DOTALL)
    if match:
        return js_regex(match.group(1), match.group(2), "pattern")
    return js_regex(source, "", "pattern")


def _validate_pattern(options: Any, where: str) -> dict[str, Any]:
    values = _options(
        "pattern", {"match": (str, False), "notMatch": (str, False)}, at_least_one=True
    )(options, where)
    for key in ("match", "notMatch"):
        if key in values:
            try:
                js_pattern(values[key])
            except ConfigError as exc:
                raise ConfigError(f"{where}: {exc}") from None
    return values


def _s_pattern(value: Any, options: Mapping[str, Any], call: SpectralCall) -> list[SpectralResult]:
    if not isinstance(value, str):
        return []
    out: list[SpectralResult] = []
    if "match" in options and not js_pattern(options["match"]).search(value):
        out.append((f'#{{{{print("value")}}}} must match the pattern "{options["match"]}"', ()))
    if "notMatch" in options and js_pattern(options["notMatch"]).search(value):
        out.append(
            (f'#{{{{print("value")}}}} must not match the pattern "{options["notMatch"]}"', ())
        )
    return out


def _validate_casing(options: Any, where: str) -> dict[str, Any]:
    values = _options(
        "casing",
        {"type": (str, True), "disallowDigits": (bool, False), "separator": (dict, False)},
    )(options, where)
    if values["type"] not in CASES:
        raise ConfigError(
            f'{where}: "casing" function and its "type" option accept the following values: '
            + ", ".join(CASES)
        )
    separator = values.get("separator")
    if separator is not None:
        char = separator.get("char")
        if not isinstance(char, str) or len(char) > 1 or set(separator) - {"char", "allowLeading"}:
            raise ConfigError(
                f'{where}: "casing" function and its "separator" option take "char" (one '
                'character) and "allowLeading"'
            )
    return values


@lru_cache(maxsize=128)
def _casing_regex(case: str, digits: bool, char: str, leading: bool) -> re.Pattern[str]:
    base = CASES[case].replace("{digits}", "0-9" if digits else "")
    if not char:
        return re.compile(f"(?:{base})\\Z")
    sep = f"[{re.escape(char)}]"
    lead = f"{sep}?" if leading else ""
    return re.compile(f"{lead}(?:{base})(?:{sep}(?:{base}))*\\Z")


def _s_casing(value: Any, options: Mapping[str, Any], call: SpectralCall) -> list[SpectralResult]:
    if not isinstance(value, str) or not value:
        return []
    separator = options.get("separator") or {}
    char = separator.get("char", "")
    leading = separator.get("allowLeading") is True
    if len(value) == 1 and leading and value == char:
        return []
    regex = _casing_regex(options["type"], options.get("disallowDigits") is not True, char, leading)
    if regex.match(value):
        return []
    return [(f"must be {options['type']} case", ())]


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _s_length(value: Any, options: Mapping[str, Any], call: SpectralCall) -> list[SpectralResult]:
    if isinstance(value, (dict, list, str)):
        size: float = len(value)
    elif _number(value):
        size = value
    else:
        return []
    out: list[SpectralResult] = []
    if "min" in options and size < options["min"]:
        out.append((f'#{{{{print("property")}}}}must be longer than {options["min"]}', ()))
    if "max" in options and size > options["max"]:
        out.append((f'#{{{{print("property")}}}}must be shorter than {options["max"]}', ()))
    return out


def _validate_length(options: Any, where: str) -> dict[str, Any]:
    return _options(
        "length", {"min": ((int, float), False), "max": ((int, float), False)}, at_least_one=True
    )(options, where)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if _number(a) and _number(b):
        return bool(a == b)
    return type(a) is type(b) and a == b


def _s_enumeration(
    value: Any, options: Mapping[str, Any], call: SpectralCall
) -> list[SpectralResult]:
    if value is MISSING or isinstance(value, (dict, list)):
        return []
    if any(_same(value, allowed) for allowed in options["values"]):
        return []
    shown = ", ".join(_show(v) for v in options["values"])
    return [(f'#{{{{print("value")}}}} must be equal to one of the allowed values: {shown}', ())]


def _validate_enumeration(options: Any, where: str) -> dict[str, Any]:
    values = _options("enumeration", {"values": (list, True)})(options, where)
    if any(isinstance(v, (dict, list)) for v in values["values"]):
        raise ConfigError(f'{where}: "enumeration" and its "values" option take primitive values')
    return values


def _js_compare(a: Any, b: Any) -> int:
    def num(x: Any) -> float | None:
        if _number(x):
            return float(x)
        try:
            return float(x) if isinstance(x, str) and x.strip() else None
        except ValueError:
            return None

    if (_number(a) or num(a) is None) and (_number(b) or num(b) is not None):
        x, y = num(a), num(b)
        if x is None or y is None:
            return 0  # NaN arithmetic in JavaScript: never "greater"
        return max(-1, min(1, int((x > y) - (x < y))))
    if not isinstance(a, str) or not isinstance(b, str):
        return 0
    left, right = a.casefold(), b.casefold()
    if left != right:
        return -1 if left < right else 1
    return -1 if a > b else (1 if a < b else 0)  # localeCompare: lower case first


def _s_alphabetical(
    value: Any, options: Mapping[str, Any], call: SpectralCall
) -> list[SpectralResult]:
    if isinstance(value, list):
        items: list[Any] = list(value)
    elif isinstance(value, dict):
        items = list(value)
    else:
        return []
    if len(items) < 2:
        return []
    keyed_by = options.get("keyedBy")
    if keyed_by is not None:
        keyed: list[Any] = []
        for item in items:
            if not isinstance(item, dict):
                return [('#{{print("property")}}must be an object', ())]
            keyed.append(item.get(keyed_by))
        items = keyed
    if not all(isinstance(i, str) or _number(i) for i in items):
        return [('#{{print("property")}}must be one of the allowed types: number, string', ())]
    for index in range(len(items) - 1):
        if _js_compare(items[index], items[index + 1]) >= 1:
            if keyed_by is not None:
                return [("properties must follow the alphabetical order", ())]
            where: str | int = index if isinstance(value, list) else items[index]
            return [
                (
                    f"{_show(items[index])} must be placed after {_show(items[index + 1])}",
                    (where,),
                )
            ]
    return []


DIALECTS = ("auto", "draft4", "draft6", "draft7", "draft2019-09", "draft2020-12")
_DIALECT_URIS = {
    "draft4": "http://json-schema.org/draft-04/schema#",
    "draft6": "http://json-schema.org/draft-06/schema#",
    "draft7": "http://json-schema.org/draft-07/schema#",
    "draft2019-09": "https://json-schema.org/draft/2019-09/schema",
    "draft2020-12": "https://json-schema.org/draft/2020-12/schema",
}


def _validate_schema_options(options: Any, where: str) -> dict[str, Any]:
    values = _options(
        "schema",
        {"schema": ((dict, bool), True), "allErrors": (bool, False), "dialect": (str, False)},
    )(options, where)
    if values.get("dialect", "auto") not in DIALECTS:
        raise ConfigError(
            f'{where}: "schema" function and its "dialect" option accept: {", ".join(DIALECTS)}'
        )
    _spectral_validator(_schema_key(values))
    return values


def _schema_key(options: Mapping[str, Any]) -> str:
    schema_value = options["schema"]
    dialect = options.get("dialect", "auto")
    if isinstance(schema_value, dict) and dialect != "auto":
        schema_value = {**schema_value, "$schema": _DIALECT_URIS[dialect]}
    elif isinstance(schema_value, dict) and "$schema" not in schema_value:
        schema_value = {**schema_value, "$schema": _DIALECT_URIS["draft7"]}
    return json.dumps(schema_value, sort_keys=True)


@lru_cache(maxsize=256)
def _spectral_validator(schema_text: str) -> Any:
    return _schema_validator(schema_text)


def _s_schema(value: Any, options: Mapping[str, Any], call: SpectralCall) -> list[SpectralResult]:
    from apilint.lint.checks.spec import schema_errors

    if value is MISSING:
        return [('#{{print("property")}}must exist', ())]
    validator = _spectral_validator(_schema_key(options))
    errors = schema_errors(validator, call.resolved())
    if not errors:
        return []
    if not options.get("allErrors"):
        errors = errors[:1]
    return [(str(error.message), tuple(error.instance_path)) for error in errors]


def _validate_properties(name: str) -> Callable[[Any, str], dict[str, Any]]:
    def validate(options: Any, where: str) -> dict[str, Any]:
        values = _options(name, {"properties": (list, True)})(options, where)
        props = values["properties"]
        if not all(isinstance(p, str) for p in props) or len(props) < 2:
            raise ConfigError(f'{where}: "{name}" function needs "properties": two or more names')
        return values

    return validate


def _listing(props: Sequence[str]) -> str:
    shown = [f'"{p}"' for p in props]
    return ", ".join(shown[:-1]) + f" and {shown[-1]}" if len(shown) > 1 else "".join(shown)


def _s_xor(value: Any, options: Mapping[str, Any], call: SpectralCall) -> list[SpectralResult]:
    if not isinstance(value, dict):
        return []
    present = [key for key in value if key in options["properties"]]
    if len(present) != 1:
        props = options["properties"]
        return [(f"{_listing(props)} must not be both defined or both undefined", ())]
    return []


def _s_or(value: Any, options: Mapping[str, Any], call: SpectralCall) -> list[SpectralResult]:
    if not isinstance(value, dict):
        return []
    if not any(key in value for key in options["properties"]):
        props = options["properties"]
        return [(f"at least one of {_listing(props)} must be defined", ())]
    return []


def _validate_reusable(options: Any, where: str) -> dict[str, Any]:
    values = _options("unreferencedReusableObject", {"reusableObjectsLocation": (str, True)})(
        options, where
    )
    if not values["reusableObjectsLocation"].startswith("#"):
        raise ConfigError(
            f'{where}: "reusableObjectsLocation" must be a local JSON pointer like '
            '"#/components/schemas"'
        )
    return values


def _s_unreferenced(
    value: Any, options: Mapping[str, Any], call: SpectralCall
) -> list[SpectralResult]:
    if not isinstance(value, dict):
        return []
    from apilint.core.pointer import decode

    location = options["reusableObjectsLocation"]
    referenced = call.referenced()
    out: list[SpectralResult] = []
    for name in value:
        pointer = f"{location}/{_escape(str(name))}"
        if pointer not in referenced:
            target = tuple(decode(pointer[1:]))
            out.append(("Potential orphaned reusable object has been detected", ("#", *target)))
    return out


def _escape(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")


def _json_type(value: Any, integers: bool) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if _number(value):
        return "integer" if integers and float(value).is_integer() else "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _s_typed_enum(
    value: Any, options: Mapping[str, Any], call: SpectralCall
) -> list[SpectralResult]:
    if not isinstance(value, dict) or not isinstance(value.get("enum"), list):
        return []
    declared = value.get("type")
    if isinstance(declared, str):
        types = [declared]
    elif isinstance(declared, list) and all(isinstance(t, str) for t in declared):
        types = list(declared)
    else:
        return []
    nullable = (value.get("nullable") is True and "oas3.0" in call.formats) or (
        value.get("x-nullable") is True and "oas2" in call.formats
    )
    if nullable:
        types.append("null")
    integers = "integer" in types
    out: list[SpectralResult] = []
    for index, item in enumerate(value["enum"]):
        kind = _json_type(item, integers)
        if kind not in types and not (kind == "integer" and "number" in types):
            shown = declared if isinstance(declared, str) else ",".join(types)
            out.append((f'Enum value {_show(item)} must be "{shown}".', ("enum", index)))
    return out


SPECTRAL_FUNCTIONS: dict[str, SpectralFunction] = {
    "truthy": SpectralFunction(_s_truthy, _no_options("truthy")),
    "falsy": SpectralFunction(_s_falsy, _no_options("falsy")),
    "defined": SpectralFunction(_s_defined, _no_options("defined")),
    "undefined": SpectralFunction(_s_undefined, _no_options("undefined")),
    "pattern": SpectralFunction(_s_pattern, _validate_pattern),
    "casing": SpectralFunction(_s_casing, _validate_casing),
    "length": SpectralFunction(_s_length, _validate_length),
    "enumeration": SpectralFunction(_s_enumeration, _validate_enumeration),
    "alphabetical": SpectralFunction(
        _s_alphabetical, _options("alphabetical", {"keyedBy": (str, False)})
    ),
    "schema": SpectralFunction(_s_schema, _validate_schema_options),
    "xor": SpectralFunction(_s_xor, _validate_properties("xor")),
    "or": SpectralFunction(_s_or, _validate_properties("or")),
    "unreferencedReusableObject": SpectralFunction(_s_unreferenced, _validate_reusable),
    "typedEnum": SpectralFunction(_s_typed_enum, _no_options("typedEnum")),
}
"""Spectral's core functions (and spectral:oas's typedEnum) by the name rulesets call them."""


# -- the same functions for apilint's own rulesets ------------------------------------------------


def _spectral_call(node: Node, ctx: Context) -> SpectralCall:
    from apilint.lint.spectral import referenced_pointers

    return SpectralCall(
        resolved=lambda: node.value,
        formats=ctx.api.formats,
        referenced=lambda: referenced_pointers(ctx.api),
    )


def _run_spectral(
    name: str, targets: Sequence[Node], options: Mapping[str, Any], ctx: Context
) -> Iterator[Result]:
    function = SPECTRAL_FUNCTIONS[name]
    for node in targets:
        for message, path in function.run(node.value, options, _spectral_call(node, ctx)):
            text = message.replace('#{{print("property")}}', f"'{_name(node, ctx)}' ").replace(
                '#{{print("value")}}', _show(node.value)
            )
            if path and path[0] == "#":
                root = Node(ctx.api.data, ctx.api.root, ())
                yield root.finding(text, *path[1:])
            else:
                yield node.finding(text, *path)


@check(
    "xor",
    properties=Option(list, [], "Exactly one of these members must be present.", items=str),
)
def xor(targets: Sequence[Node], options: Mapping[str, Any], ctx: Context) -> Iterator[Result]:
    """An object must have exactly one of ``properties``."""
    yield from _run_spectral("xor", targets, options, ctx)


@check(
    "or",
    properties=Option(list, [], "At least one of these members must be present.", items=str),
)
def or_(targets: Sequence[Node], options: Mapping[str, Any], ctx: Context) -> Iterator[Result]:
    """An object must have at least one of ``properties``."""
    yield from _run_spectral("or", targets, options, ctx)


@check("typedEnum")
def typed_enum(
    targets: Sequence[Node], options: Mapping[str, Any], ctx: Context
) -> Iterator[Result]:
    """Every ``enum`` value of a schema must be of the schema's ``type``."""
    yield from _run_spectral("typedEnum", targets, options, ctx)


@check(
    "unreferencedReusableObject",
    reusableObjectsLocation=Option(
        str, "#/components/schemas", "Where the reusable objects are (a local JSON pointer)."
    ),
)
def unreferenced_reusable_object(
    targets: Sequence[Node], options: Mapping[str, Any], ctx: Context
) -> Iterator[Result]:
    """Each member of the target object must be named by some ``$ref`` of the document."""
    yield from _run_spectral("unreferencedReusableObject", targets, options, ctx)
