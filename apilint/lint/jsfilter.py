"""The JavaScript expressions of JSONPath filters (``[?(@.in == 'query')]``), read and evaluated
the way Spectral's rulesets expect them, without running any JavaScript.

The subset public rulesets use: ``@`` (the value tested), ``@property``, ``@parent``,
``@parentProperty``, ``@path``, ``@root``, the type tests ``@object()``, ``@string()``, ...;
member access ``.name`` / ``['name']`` / ``.length``; string, number, regular expression and array
literals, ``true``, ``false``, ``null``, ``undefined``; ``!``, ``-``, ``typeof``; ``==``,
``!=``, ``===``, ``!==``, ``<``, ``<=``, ``>``, ``>=``, ``+``, ``&&``, ``||``, ``? :``; the
methods ``match``, ``test``, ``startsWith``, ``endsWith``, ``includes``, ``indexOf``,
``toLowerCase``, ``toUpperCase``, ``trim``, ``hasOwnProperty``, and ``Array.isArray`` /
``Object.keys``. Anything else is a configuration error that names it.

Values follow JavaScript's rules: loose equality converts numbers and strings, every object and
array is truthy, a member of ``undefined`` makes the whole filter false (as a thrown TypeError
does in Spectral).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from apilint.core.errors import ConfigError


class _Undefined:
    _instance: _Undefined | None = None

    def __new__(cls) -> _Undefined:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "undefined"

    def __bool__(self) -> bool:
        return False


UNDEFINED = _Undefined()


class FilterTypeError(Exception):
    """A member of undefined or null was read: JavaScript throws, the filter does not match."""


@dataclass(frozen=True, slots=True)
class Scope:
    """What the names of a filter expression mean for one tested value."""

    current: Any
    property: Any
    parent: Any
    parent_property: Any
    path: Callable[[], str]
    """``@path``, made when a filter asks for it."""
    root: Callable[[], Any]
    member: Callable[[Any, Any], Any]
    """Reads ``value[key]`` (following $refs where the rule asks for resolved values)."""
    kind: Callable[[Any], str]
    """The JSON type of a value: object, array, string, number, boolean, null, undefined."""


Evaluator = Callable[[Scope], Any]

_TOKEN = re.compile(
    r"""\s*(?:
      (?P<number>\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)
    | (?P<string>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")
    | (?P<at>@[A-Za-z]*)
    | (?P<name>[A-Za-z_$][A-Za-z0-9_$]*)
    | (?P<op>===|!==|==|!=|<=|>=|&&|\|\||[-+*<>!().,\[\]?:%])
    | (?P<slash>/)
    )""",
    re.VERBOSE,
)
_OPERAND_END = {"number", "string", "at", "name", "regex", ")", "]"}


def _tokens(text: str, where: str) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        match = _TOKEN.match(text, pos)
        if match is None:
            raise ConfigError(
                f"{where}: cannot read the filter expression {text!r} at {text[pos:]!r}"
            )
        kind = match.lastgroup or ""
        value = match.group(kind)
        previous = out[-1][0] if out else ""
        previous_value = out[-1][1] if out else ""
        if kind == "slash":
            operand_before = previous in _OPERAND_END or previous_value in (")", "]")
            if operand_before:
                out.append(("op", "/"))
                pos = match.end()
                continue
            regex, pos = _regex_literal(text, match.end(), where)
            out.append(("regex", regex))
            continue
        if kind == "op":
            out.append(("op", value))
        else:
            out.append((kind, value))
        pos = match.end()
    out.append(("end", None))
    return out


def regex_literal_end(text: str, start: int) -> int | None:
    """The index of the ``/`` that closes a JavaScript regular expression literal whose body
    starts at ``start`` (escapes and ``[...]`` classes skipped), or None when it is not closed."""
    pos, in_class = start, False
    while pos < len(text):
        char = text[pos]
        if char == "\\":
            pos += 2
            continue
        if char == "[":
            in_class = True
        elif char == "]":
            in_class = False
        elif char == "/" and not in_class:
            return pos
        pos += 1
    return None


def _regex_literal(text: str, start: int, where: str) -> tuple[re.Pattern[str], int]:
    pos = regex_literal_end(text, start)
    if pos is None:
        raise ConfigError(f"{where}: unterminated regular expression in {text!r}")
    body = text[start:pos]
    flags_match = re.match(r"[a-z]*", text[pos + 1 :])
    flags = flags_match.group() if flags_match else ""
    return js_regex(body, flags, where), pos + 1 + len(flags)


@lru_cache(maxsize=512)
def js_regex(body: str, flags: str = "", where: str = "ruleset") -> re.Pattern[str]:
    """A JavaScript regular expression as Python's ``re`` (named groups and flags translated)."""
    python_flags = 0
    if "i" in flags:
        python_flags |= re.IGNORECASE
    if "m" in flags:
        python_flags |= re.MULTILINE
    if "s" in flags:
        python_flags |= re.DOTALL
    source = re.sub(r"\(\?<(?=[A-Za-z])", "(?P<", body)
    source = source.replace("[^]", "[\\s\\S]").replace("\\/", "/")
    # JavaScript's $ matches only at the very end (without the m flag); Python's also before a
    # final newline.
    if "m" not in flags:
        source = _end_anchors(source)
    try:
        return re.compile(source, python_flags)
    except re.error as exc:
        raise ConfigError(f"{where}: invalid regular expression /{body}/{flags}: {exc}") from None


def _end_anchors(source: str) -> str:
    """``$`` outside character classes as ``\\Z`` (JavaScript's end of input)."""
    out, index, in_class = [], 0, False
    while index < len(source):
        char = source[index]
        if char == "\\":
            out.append(source[index : index + 2])
            index += 2
            continue
        if char == "[":
            in_class = True
        elif char == "]":
            in_class = False
        elif char == "$" and not in_class:
            char = r"\Z"
        out.append(char)
        index += 1
    return "".join(out)


class _Parser:
    def __init__(self, text: str, where: str) -> None:
        self.text = text
        self.where = where
        self.tokens = _tokens(text, where)
        self.pos = 0

    def error(self, what: str) -> ConfigError:
        return ConfigError(f"{self.where}: {what} in the filter expression {self.text!r}")

    def peek(self) -> tuple[str, Any]:
        return self.tokens[self.pos]

    def take(self) -> tuple[str, Any]:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def accept(self, op: str) -> bool:
        kind, value = self.peek()
        if kind == "op" and value == op:
            self.pos += 1
            return True
        return False

    def expect(self, op: str) -> None:
        if not self.accept(op):
            raise self.error(f"expected '{op}'")

    def parse(self) -> Evaluator:
        expr = self.conditional()
        if self.peek()[0] != "end":
            raise self.error(f"unexpected {self.peek()[1]!r}")
        return expr

    def conditional(self) -> Evaluator:
        test = self.logical_or()
        if self.accept("?"):
            yes = self.conditional()
            self.expect(":")
            no = self.conditional()
            return lambda s: yes(s) if truthy(test(s)) else no(s)
        return test

    def logical_or(self) -> Evaluator:
        left = self.logical_and()
        while self.accept("||"):
            right = self.logical_and()
            left = _or(left, right)
        return left

    def logical_and(self) -> Evaluator:
        left = self.equality()
        while self.accept("&&"):
            right = self.equality()
            left = _and(left, right)
        return left

    def equality(self) -> Evaluator:
        left = self.relational()
        while True:
            kind, value = self.peek()
            if kind == "op" and value in ("==", "!=", "===", "!=="):
                self.pos += 1
                right = self.relational()
                left = _binary(value, left, right)
            else:
                return left

    def relational(self) -> Evaluator:
        left = self.additive()
        while True:
            kind, value = self.peek()
            if kind == "op" and value in ("<", "<=", ">", ">="):
                self.pos += 1
                right = self.additive()
                left = _binary(value, left, right)
            elif kind == "name" and value == "in":
                self.pos += 1
                right = self.additive()
                left = _binary("in", left, right)
            else:
                return left

    def additive(self) -> Evaluator:
        left = self.unary()
        while True:
            kind, value = self.peek()
            if kind == "op" and value in ("+", "-"):
                self.pos += 1
                right = self.unary()
                left = _binary(value, left, right)
            else:
                return left

    def unary(self) -> Evaluator:
        if self.accept("!"):
            inner = self.unary()
            return lambda s: not truthy(inner(s))
        if self.accept("-"):
            inner = self.unary()
            return lambda s: -to_number(inner(s))
        kind, value = self.peek()
        if kind == "name" and value == "typeof":
            self.pos += 1
            inner = self.unary()
            return lambda s: _typeof(inner(s), s)
        return self.postfix()

    def postfix(self) -> Evaluator:
        expr = self.primary()
        while True:
            if self.accept("."):
                kind, name = self.take()
                if kind != "name":
                    raise self.error("expected a name after '.'")
                if self.accept("("):
                    args = self.arguments()
                    expr = _method(expr, name, args, self)
                else:
                    expr = _member(expr, _constant(name))
            elif self.accept("["):
                key = self.conditional()
                self.expect("]")
                expr = _member(expr, key)
            else:
                return expr

    def arguments(self) -> list[Evaluator]:
        args: list[Evaluator] = []
        if self.accept(")"):
            return args
        while True:
            args.append(self.conditional())
            if self.accept(")"):
                return args
            self.expect(",")

    def primary(self) -> Evaluator:
        kind, value = self.take()
        if kind == "number":
            number = float(value)
            constant: Any = int(number) if number.is_integer() and "." not in value else number
            return lambda s: constant
        if kind == "string":
            text = _unescape(value[1:-1])
            return lambda s: text
        if kind == "regex":
            regex = value
            return lambda s: regex
        if kind == "at":
            return self.at(value)
        if kind == "name":
            return self.name(value)
        if kind == "op" and value == "(":
            inner = self.conditional()
            self.expect(")")
            return inner
        if kind == "op" and value == "[":
            items: list[Evaluator] = []
            if not self.accept("]"):
                while True:
                    items.append(self.conditional())
                    if self.accept("]"):
                        break
                    self.expect(",")
            return lambda s: [item(s) for item in items]
        raise self.error(f"unexpected {value!r}" if value is not None else "unexpected end")

    def at(self, name: str) -> Evaluator:
        simple: dict[str, Evaluator] = {
            "@": lambda s: s.current,
            "@property": lambda s: s.property,
            "@parent": lambda s: s.parent,
            "@parentProperty": lambda s: s.parent_property,
            "@path": lambda s: s.path(),
            "@root": lambda s: s.root(),
        }
        if name in simple:
            return simple[name]
        types = {
            "@object": ("object",),
            "@array": ("array",),
            "@string": ("string",),
            "@number": ("number",),
            "@integer": ("integer",),
            "@boolean": ("boolean",),
            "@null": ("null",),
            "@scalar": ("string", "number", "boolean", "null"),
        }
        if name in types:
            self.expect("(")
            self.expect(")")
            wanted = types[name]

            def test(s: Scope) -> bool:
                kind = s.kind(s.current)
                if "integer" in wanted:
                    return kind == "number" and float(s.current).is_integer()
                return kind in wanted

            return test
        raise self.error(f"unknown name {name!r}")

    def name(self, name: str) -> Evaluator:
        constants = {"true": True, "false": False, "null": None, "undefined": UNDEFINED}
        if name in constants:
            constant = constants[name]
            return lambda s: constant
        if name in ("Array", "Object") and self.accept("."):
            _, method = self.take()
            self.expect("(")
            args = self.arguments()
            if name == "Array" and method == "isArray" and len(args) == 1:
                arg = args[0]
                return lambda s: s.kind(arg(s)) == "array"
            if name == "Object" and method == "keys" and len(args) == 1:
                arg = args[0]
                return lambda s: _keys(arg(s), s)
            raise self.error(f"unsupported function {name}.{method}")
        if name == "RegExp" and self.accept("("):
            args = self.arguments()

            def regexp(s: Scope) -> re.Pattern[str]:
                values = [a(s) for a in args]
                flags = values[1] if len(values) > 1 and isinstance(values[1], str) else ""
                return js_regex(str(values[0]), flags, self.where)

            return regexp
        raise self.error(f"unknown name {name!r}")


def _constant(value: Any) -> Evaluator:
    return lambda s: value


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), text)


def _or(left: Evaluator, right: Evaluator) -> Evaluator:
    def run(s: Scope) -> Any:
        value = left(s)
        return value if truthy(value) else right(s)

    return run


def _and(left: Evaluator, right: Evaluator) -> Evaluator:
    def run(s: Scope) -> Any:
        value = left(s)
        return right(s) if truthy(value) else value

    return run


def _binary(op: str, left: Evaluator, right: Evaluator) -> Evaluator:
    def run(s: Scope) -> Any:
        a, b = left(s), right(s)
        if op == "===":
            return strict_equal(a, b)
        if op == "!==":
            return not strict_equal(a, b)
        if op == "==":
            return loose_equal(a, b)
        if op == "!=":
            return not loose_equal(a, b)
        if op == "in":
            return (isinstance(b, Mapping) and str(a) in b) or _has_member(b, a, s)
        if op == "+":
            if isinstance(a, str) or isinstance(b, str):
                return to_string(a) + to_string(b)
            return to_number(a) + to_number(b)
        if op == "-":
            return to_number(a) - to_number(b)
        if isinstance(a, str) and isinstance(b, str):
            x: Any = a
            y: Any = b
        else:
            x, y = to_number(a), to_number(b)
            if math.isnan(x) or math.isnan(y):
                return False
        return {"<": x < y, "<=": x <= y, ">": x > y, ">=": x >= y}[op]

    return run


def _has_member(container: Any, key: Any, s: Scope) -> bool:
    try:
        return s.member(container, key) is not UNDEFINED
    except FilterTypeError:
        return False


def _member(expr: Evaluator, key: Evaluator) -> Evaluator:
    def run(s: Scope) -> Any:
        value = expr(s)
        name = key(s)
        if value is UNDEFINED or value is None:
            raise FilterTypeError(f"cannot read {name!r} of {value!r}")
        if name == "length":
            if isinstance(value, str):
                return len(value)
            if s.kind(value) == "array":
                return len(_keys(value, s))
        if isinstance(value, str) and name in _STRING_METHODS:
            return _METHOD  # a function: truthy, as `@.name.match && ...` expects
        if isinstance(value, (str, int, float, bool)):
            return UNDEFINED
        return s.member(value, name)

    return run


class _Method:
    """What reading a method of a string gives (a function, truthy)."""


_METHOD = _Method()
_STRING_METHODS = frozenset(
    {"match", "startsWith", "endsWith", "includes", "indexOf", "toLowerCase", "toUpperCase", "trim"}
)


def _keys(value: Any, s: Scope) -> list[str]:
    kind = s.kind(value)
    if kind not in ("object", "array"):
        return []
    out: list[str] = []
    index = 0
    while True:
        if kind == "array":
            if s.member(value, index) is UNDEFINED:
                return out
            out.append(str(index))
            index += 1
        else:
            return [str(k) for k in getattr(value, "value", value)]


def _method(target: Evaluator, name: str, args: list[Evaluator], parser: _Parser) -> Evaluator:
    def run(s: Scope) -> Any:
        value = target(s)
        values = [a(s) for a in args]
        if value is UNDEFINED or value is None:
            raise FilterTypeError(f"cannot call {name} on {value!r}")
        if isinstance(value, re.Pattern):
            if name == "test":
                return value.search(to_string(values[0] if values else UNDEFINED)) is not None
            raise FilterTypeError(f"no method {name} on a RegExp")
        if isinstance(value, (int, float)) and not isinstance(value, bool) and name == "toString":
            return to_string(value)
        if isinstance(value, str):
            return _string_method(value, name, values, parser)
        if s.kind(value) == "array":
            items = [s.member(value, int(i)) for i in _keys(value, s)]
            if name == "includes":
                return any(strict_equal(item, values[0]) for item in items) if values else False
            if name == "indexOf":
                return next(
                    (i for i, item in enumerate(items) if values and strict_equal(item, values[0])),
                    -1,
                )
            raise FilterTypeError(f"no method {name} on an array")
        if s.kind(value) == "object" and name == "hasOwnProperty" and values:
            return s.member(value, to_string(values[0])) is not UNDEFINED
        raise FilterTypeError(f"no method {name}")

    known = {
        "match",
        "test",
        "startsWith",
        "endsWith",
        "includes",
        "indexOf",
        "toLowerCase",
        "toUpperCase",
        "trim",
        "hasOwnProperty",
        "toString",
    }
    if name not in known:
        raise parser.error(f"unsupported method {name}()")
    return run


def _string_method(value: str, name: str, values: list[Any], parser: _Parser) -> Any:
    arg = values[0] if values else UNDEFINED
    if name == "match":
        regex = arg if isinstance(arg, re.Pattern) else js_regex(to_string(arg), "", parser.where)
        found = regex.search(value)
        return [found.group()] if found else None
    if name == "startsWith":
        return value.startswith(to_string(arg))
    if name == "endsWith":
        return value.endswith(to_string(arg))
    if name == "includes":
        return to_string(arg) in value
    if name == "indexOf":
        return value.find(to_string(arg))
    if name == "toLowerCase":
        return value.lower()
    if name == "toUpperCase":
        return value.upper()
    if name == "trim":
        return value.strip()
    if name == "toString":
        return value
    raise FilterTypeError(f"no method {name} on a string")


def _typeof(value: Any, s: Scope) -> str:
    if value is UNDEFINED:
        return "undefined"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    return "object"


def truthy(value: Any) -> bool:
    """JavaScript truthiness: objects and arrays are true even when empty."""
    if value is UNDEFINED or value is None or value is False:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return value != 0 and not (isinstance(value, float) and math.isnan(value))
    if isinstance(value, str):
        return value != ""
    return True


def to_number(value: Any) -> float:
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, (int, float)):
        return float(value)
    if value is None:
        return 0.0
    if isinstance(value, str):
        text = value.strip()
        if text == "":
            return 0.0
        try:
            return float(text)
        except ValueError:
            return math.nan
    return math.nan


def to_string(value: Any) -> str:
    if value is UNDEFINED:
        return "undefined"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, float, str)):
        return str(value)
    return "[object Object]"


def _primitive(value: Any) -> bool:
    return value is UNDEFINED or value is None or isinstance(value, (str, int, float, bool))


def strict_equal(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return float(a) == float(b)
    if _primitive(a) and _primitive(b):
        return type(a) is type(b) and a == b
    return a is b


def loose_equal(a: Any, b: Any) -> bool:
    if (a is None or a is UNDEFINED) and (b is None or b is UNDEFINED):
        return True
    if a is None or a is UNDEFINED or b is None or b is UNDEFINED:
        return False
    if _primitive(a) and _primitive(b):
        if isinstance(a, str) and isinstance(b, str):
            return a == b
        return to_number(a) == to_number(b)
    if _primitive(a) or _primitive(b):
        return False
    return a is b


@lru_cache(maxsize=512)
def compile_filter(text: str, where: str = "given") -> Evaluator:
    """The evaluator of one filter expression (the text between ``?(`` and ``)``)."""
    return _Parser(text, where).parse()


def matches(evaluator: Evaluator, scope: Scope) -> bool:
    """Whether the filter keeps the value ``scope`` describes (a thrown TypeError: no)."""
    try:
        return truthy(evaluator(scope))
    except (FilterTypeError, RecursionError):
        return False
