"""Query strings against an operation's query parameters: names it does not document, values its
schema refuses, required parameters left out.

Only what a log can show is judged: names and raw values (percent-decoded, ``+`` as a space).
A value is checked against the simple keywords of the parameter's schema (``type``, ``enum``,
``pattern``, ``minimum``/``maximum``, ``minLength``/``maxLength``; ``items`` for an array, split as
its ``style``/``explode`` say); a schema with anything apilint cannot judge from a string
(``oneOf``, ``$ref`` chains to composed schemas, ``content``) is not checked. An empty value is
never judged (``?page=`` is often a form left blank). When an operation takes free-form names
(an object parameter, ``style: deepObject``), no name is called undocumented.

Memory per operation is bounded: at most ``MAX_NAMES`` distinct undocumented names (the rest
are counted together) and one example per name and per kind of violation.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote_plus

from apilint.core.errors import ApilintError
from apilint.documents.openapi import Node, OpenAPI, Operation
from apilint.traffic.logformats import CUT_QUERY

MAX_NAMES = 100
MAX_EXAMPLE = 80
MAX_REMEMBERED = 512
"""Query strings remembered per operation with what they counted: the same string again (a
client paging with ``?page=2&sort=name``) counts the same without being taken apart. Emptied
when full."""

Check = Callable[[str], str | None]
"""A value check: None when the value is valid, else what is wrong (``not an integer``)."""

_INTEGER = re.compile(r"[+-]?\d+\Z")
_BOOLEANS = frozenset({"true", "false", "1", "0"})
_SPLIT = {"form": ",", "spaceDelimited": " ", "pipeDelimited": "|"}
_JUDGED = frozenset(
    {
        "type",
        "enum",
        "pattern",
        "minimum",
        "maximum",
        "minLength",
        "maxLength",
        "format",
        "description",
        "title",
        "default",
        "example",
        "examples",
        "nullable",
        "deprecated",
        "readOnly",
        "writeOnly",
        "items",
        "const",
        "minItems",
        "maxItems",
        "uniqueItems",
        "collectionFormat",
        "in",
        "name",
        "required",
        "allowEmptyValue",
        "style",
        "explode",
        "allowReserved",
        "schema",
        "exclusiveMinimum",
        "exclusiveMaximum",
    }
)
_SECRET_NAME = re.compile(
    r"(?i)token|key|secret|passw|pwd|auth|session|sig|signature|credential|code\Z"
)


def _types(schema: dict[str, Any]) -> list[str] | None:
    kind = schema.get("type")
    if isinstance(kind, str):
        return [kind]
    if isinstance(kind, list) and all(isinstance(k, str) for k in kind):
        return list(kind)
    return None


def _as_number(value: str) -> float | None:
    try:
        number = float(value)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _scalar_check(schema: dict[str, Any]) -> Check | None:
    """A check for one value against a scalar schema; None when there is nothing apilint can
    judge (or something it cannot)."""
    if any(key not in _JUDGED and not key.startswith("x-") for key in schema):
        return None
    types = _types(schema)
    if types is not None:
        types = [t for t in types if t != "null"]
    checks: list[Check] = []
    if types and all(t in ("integer", "number", "boolean", "string") for t in types):
        allowed = set(types)
        if "string" not in allowed:

            def kind(value: str, allowed: set[str] = allowed) -> str | None:
                if "integer" in allowed and _INTEGER.match(value):
                    return None
                if "number" in allowed and _as_number(value) is not None:
                    return None
                if "boolean" in allowed and value.lower() in _BOOLEANS:
                    return None
                names = {"integer": "an integer", "number": "a number", "boolean": "a boolean"}
                return "not " + " or ".join(names[t] for t in sorted(allowed))

            checks.append(kind)
    enum = schema.get("enum")
    if isinstance(enum, list) and enum and all(_is_scalar(e) for e in enum):
        texts = {_text(e) for e in enum}
        numbers = {
            float(e) for e in enum if isinstance(e, (int, float)) and not isinstance(e, bool)
        }
        shown = ", ".join(sorted(texts))

        def one_of(value: str) -> str | None:
            if value in texts:
                return None
            number = _as_number(value)
            if number is not None and number in numbers:
                return None
            return f"not one of the enum values ({shorten(shown, 60)})"

        checks.append(one_of)
    pattern = schema.get("pattern")
    if isinstance(pattern, str):
        try:
            regex = re.compile(pattern)
        except (re.error, RecursionError, OverflowError):
            regex = None
        if regex is not None:

            def matches(value: str, regex: re.Pattern[str] = regex) -> str | None:
                return None if regex.search(value) else f"not matching the pattern {pattern}"

            checks.append(matches)
    numeric = types is not None and set(types) <= {"integer", "number"}
    low = schema.get("minimum") if _is_number(schema.get("minimum")) else None
    high = schema.get("maximum") if _is_number(schema.get("maximum")) else None
    if numeric and (low is not None or high is not None):

        def bounded(value: str) -> str | None:
            number = _as_number(value)
            if number is None:
                return None  # the type check says so
            if low is not None and number < low:
                return f"below the minimum {low}"
            if high is not None and number > high:
                return f"above the maximum {high}"
            return None

        checks.append(bounded)
    if not checks:
        return None

    def check(value: str) -> str | None:
        for one in checks:
            problem = one(value)
            if problem is not None:
                return problem
        return None

    return check


def _is_scalar(value: Any) -> bool:
    return isinstance(value, (str, int, float, bool))


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _value_check(api: OpenAPI, param: Node) -> tuple[Check | None, str | None, bool]:
    """(value check, separator of an array's items or None, free-form names) for a parameter."""
    value = param.value
    if "content" in value:
        return None, None, False
    schema = _resolved(api, param if api.is_v2 else param.child("schema"))
    if schema is None:
        return None, None, False
    types = _types(schema.value) or []
    if "object" in types or value.get("style") == "deepObject":
        return None, None, True
    if "array" not in types:
        return _scalar_check(schema.value), None, False
    items = _resolved(api, schema.child("items"))
    if items is None:
        return None, None, False
    separator: str | None
    if api.is_v2:
        fmt = value.get("collectionFormat", "csv")
        separator = {"csv": ",", "ssv": " ", "tsv": "\t", "pipes": "|"}.get(fmt)
    else:
        style = value.get("style", "form")
        explode = value.get("explode", style == "form")
        separator = None if explode is True else _SPLIT.get(style)
    return _scalar_check(items.value), separator, False


def _resolved(api: OpenAPI, node: Node) -> Node | None:
    """A schema (or security scheme) with its $refs followed; None for anything else."""
    try:
        for _ in range(8):
            if not isinstance(node.value, dict):
                return None
            if not isinstance(node.value.get("$ref"), str):
                return node
            node = api.resolve(node)
    except ApilintError:
        return None
    return None


@dataclass(frozen=True)
class QueryParameter:
    name: str
    required: bool
    check: Check | None
    separator: str | None
    pointer: tuple[str | int, ...]


def query_checks(
    api: OpenAPI, operation: Operation
) -> tuple[dict[str, QueryParameter], frozenset[str], bool]:
    """The operation's query parameters by name, other names it accepts (API keys in the query
    from its security schemes), and whether it takes free-form names."""
    params: dict[str, QueryParameter] = {}
    free = False
    for node in operation.parameters:
        value = node.value
        if not isinstance(value, dict) or value.get("in") != "query":
            continue
        name = value.get("name")
        if not isinstance(name, str):
            continue
        check, separator, free_form = _value_check(api, node)
        free = free or free_form
        params[name] = QueryParameter(
            name, value.get("required") is True, check, separator, node.ptr
        )
    return params, _query_api_keys(api, operation), free


def _query_api_keys(api: OpenAPI, operation: Operation) -> frozenset[str]:
    """Names of apiKey security schemes sent in the query (any the description defines: which
    one a request used is not in the log)."""
    names = set()
    for node in api.security_schemes:
        scheme = _resolved(api, node)
        if scheme is None:
            continue
        value = scheme.value
        if value.get("type") == "apiKey" and value.get("in") == "query":
            name = value.get("name")
            if isinstance(name, str):
                names.add(name)
    return frozenset(names)


@dataclass
class NameTally:
    """One name as sent to one operation: in how many requests, with one example value; for a
    documented name, the requests whose value the schema refuses, with one example."""

    requests: int = 0
    example: str = ""
    invalid: int = 0
    problem: str = ""
    invalid_example: str = ""


@dataclass
class QueryTally:
    """What the query strings of one operation's requests held. What the operation documents
    (``parameters``, ``accepted``, ``free_form``) is read from ``api`` on first use: a log that
    calls ten operations of a description with thousands reads ten."""

    api: OpenAPI = field(repr=False)
    operation: Operation = field(repr=False)
    _checks: tuple[dict[str, QueryParameter], frozenset[str], bool] | None = field(
        default=None, repr=False
    )
    names: dict[str, NameTally] = field(default_factory=dict)
    other_names: int = 0
    """Requests that sent an undocumented name past the MAX_NAMES kept."""
    unknown: dict[str, int] = field(default_factory=dict)
    """Per required name: requests whose query string the log cut before it could show it."""
    _remembered: dict[str, tuple[list[tuple[NameTally, bool]], int]] = field(
        default_factory=dict, repr=False
    )
    """Query string -> (each count it added: a name's tally and whether it was a request or an
    invalid value; the undocumented names past MAX_NAMES it sent)."""

    @property
    def parameters(self) -> dict[str, QueryParameter]:
        """The operation's query parameters by name."""
        return self._read()[0]

    @property
    def accepted(self) -> frozenset[str]:
        """Other names it accepts (API keys in the query from its security schemes)."""
        return self._read()[1]

    @property
    def free_form(self) -> bool:
        """It takes free-form names (an object or deepObject parameter)."""
        return self._read()[2]

    def _read(self) -> tuple[dict[str, QueryParameter], frozenset[str], bool]:
        if self._checks is None:
            self._checks = query_checks(self.api, self.operation)
        return self._checks

    def add(self, query: str) -> None:
        known = self._remembered.get(query)
        if known is not None:  # counted before: count the same again
            counted, others = known
            for tally, invalid in counted:
                if invalid:
                    tally.invalid += 1
                else:
                    tally.requests += 1
            self.other_names += others
            return
        whole = query
        cut_short = query.endswith(CUT_QUERY)
        if cut_short:
            query = query[: -len(CUT_QUERY)]
        cut = query.find("#")
        if cut >= 0:
            query = query[:cut]
        counted = []
        others = self.other_names
        seen = self._add(query, counted) if query else set()
        if cut_short:
            for name, param in self.parameters.items():
                if param.required and name not in seen:
                    self.unknown[name] = self.unknown.get(name, 0) + 1
            return  # rarely the same twice: not remembered
        if len(self._remembered) >= MAX_REMEMBERED:
            self._remembered.clear()
        self._remembered[whole] = (counted, self.other_names - others)

    def _add(self, query: str, counted: list[tuple[NameTally, bool]]) -> set[str]:
        """Count one query string; ``counted`` receives each count it adds: the name's tally,
        False for a request, True for an invalid value."""
        seen: set[str] = set()
        parameters = self.parameters
        for part in query.split("&"):
            if not part:
                continue
            raw_name, _, raw_value = part.partition("=")
            name = _decode(raw_name)
            if name.endswith("[]") and name not in parameters and name[:-2] in parameters:
                name = name[:-2]  # ids[]=1&ids[]=2: how PHP and Rails clients send an array
            if not name:
                continue
            value = _decode(raw_value)
            param = parameters.get(name)
            first = name not in seen
            seen.add(name)
            tally = self.names.get(name)
            if tally is None:
                if param is None and len(self.names) >= MAX_NAMES + len(parameters):
                    if first:
                        self.other_names += 1
                    continue
                tally = self.names[name] = NameTally(example=_example(name, value))
            if first:
                tally.requests += 1
                counted.append((tally, False))
            if param is None or param.check is None or not value:
                continue
            values = value.split(param.separator) if param.separator else [value]
            for item in values:
                if not item:
                    continue
                problem = param.check(item)
                if problem is not None:
                    tally.invalid += 1
                    counted.append((tally, True))
                    if not tally.problem:
                        tally.problem = problem
                        tally.invalid_example = _example(name, value)
                    break
        return seen

    def undocumented(self) -> list[tuple[str, NameTally]]:
        if self.free_form:
            return []
        return [
            (name, tally)
            for name, tally in self.names.items()
            if name not in self.parameters and name not in self.accepted
        ]

    def sent(self, name: str) -> int:
        tally = self.names.get(name)
        return tally.requests if tally is not None else 0

    def missing(self, name: str, requests: int) -> int:
        """Requests (of ``requests``) surely without ``name``."""
        return requests - self.sent(name) - self.unknown.get(name, 0)


def _decode(text: str) -> str:
    if "%" in text or "+" in text:
        return unquote_plus(text, errors="replace")
    return text


def _example(name: str, value: str) -> str:
    shown = "***" if value and _SECRET_NAME.search(name) else value
    return shorten(f"{name}={shown}" if shown or value else name, MAX_EXAMPLE)
