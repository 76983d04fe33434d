"""JSONPath for rulesets' ``given``, evaluated the way Spectral evaluates it (JSONPath-Plus).

Supported: ``$``, ``.name``, ``['name']`` / ``["name"]``, ``[0]``, ``[-1]``, slices ``[0:2]``,
``[*]`` / ``.*``, unions ``[get,put]`` / ``['a','b']``, recursive descent ``..name`` / ``..*`` /
``..[?(...)]``, filters ``[?(expression)]`` (see :mod:`apilint.lint.jsfilter`: ``@``, ``@property``,
``@parent``, ``@path``, ...), and JSONPath-Plus's ``~`` (the member names instead of the values)
and ``^`` (the parent). As in Spectral (whose engine is nimma), a dot before a bracket
(``$.paths.[get]``) is a recursive descent (``$.paths..[get]``), and in a filter ``@parent`` is the
object holding the one the filter looks into.

With ``resolved=True`` (the default, as Spectral's rules), $refs are followed as the path walks, and
every result knows both where its value is written (document and pointer) and the path it was
reached by (what ``@property`` and ``@path`` see).
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from apilint.core.errors import ConfigError
from apilint.documents.openapi import MISSING, Node, OpenAPI
from apilint.lint import jsfilter


@dataclass(frozen=True, slots=True)
class Step:
    recursive: bool
    names: tuple[str, ...] | None = None  # None (and no other selector): every member / item
    index: int | None = None
    slice: tuple[int | None, int | None, int | None] | None = None
    filter: str | None = None
    special: str = ""  # "~": member names; "^": parent


_NAME = re.compile(r"[^.\[\]~^*()'\"\s]+")


@lru_cache(maxsize=512)
def compile_path(text: str, where: str = "given") -> tuple[Step, ...]:
    text = text.strip()
    if not text.startswith("$"):
        raise ConfigError(f"{where}: JSONPath must start with '$': {text!r}")
    steps: list[Step] = []
    pos = 1
    while pos < len(text):
        char = text[pos]
        if char in "~^":
            steps.append(Step(False, special=char))
            pos += 1
            continue
        recursive = False
        if text.startswith("..", pos):
            recursive = True
            pos += 2
            if pos < len(text) and text[pos] == ".":
                raise ConfigError(f"{where}: cannot read JSONPath {text!r} at {text[pos:]!r}")
        elif char == ".":
            pos += 1
            # ".[" reads as "..[" (recursive descent), as Spectral's JSONPath engine reads it
            recursive = pos < len(text) and text[pos] == "["
        elif char != "[":
            raise ConfigError(f"{where}: cannot read JSONPath {text!r} at {text[pos:]!r}")
        if pos >= len(text):
            raise ConfigError(f"{where}: JSONPath {text!r} ends with a dot")
        if text[pos] == "*":
            steps.append(Step(recursive))
            pos += 1
        elif text[pos] == "[":
            end = _closing_bracket(text, pos, where)
            inner = text[pos + 1 : end].strip()
            pos = end + 1
            steps.append(_bracket(inner, recursive, text, where))
        elif text[pos] in "'\"":
            end = text.find(text[pos], pos + 1)
            if end < 0:
                raise ConfigError(f"{where}: unclosed quote in JSONPath {text!r}")
            steps.append(Step(recursive, (text[pos + 1 : end],)))
            pos = end + 1
        else:
            match = _NAME.match(text, pos)
            if match is None:
                raise ConfigError(f"{where}: cannot read JSONPath {text!r} at {text[pos:]!r}")
            steps.append(Step(recursive, (match.group(),)))
            pos = match.end()
    return tuple(steps)


def _bracket(inner: str, recursive: bool, text: str, where: str) -> Step:
    if inner.startswith("?"):
        expression = inner[1:].strip()
        if not (expression.startswith("(") and expression.endswith(")")):
            raise ConfigError(f"{where}: a filter is written [?(expression)] in {text!r}")
        expression = expression[1:-1]
        jsfilter.compile_filter(expression, where)
        return Step(recursive, filter=expression)
    if inner == "*":
        return Step(recursive)
    if re.fullmatch(r"-?\d+", inner):
        return Step(recursive, index=int(inner))
    slice_match = re.fullmatch(r"(-?\d*)\s*:\s*(-?\d*)(?:\s*:\s*(-?\d*))?", inner)
    if slice_match:
        parts = [int(p) if p else None for p in slice_match.groups(default="")]
        return Step(recursive, slice=(parts[0], parts[1], parts[2]))
    if inner.startswith("("):
        raise ConfigError(f"{where}: script expressions [(...)] are not supported in {text!r}")
    names = tuple(_unquote(part.strip(), text, where) for part in _split_union(inner))
    return Step(recursive, names)


def _closing_bracket(text: str, start: int, where: str) -> int:
    quote = ""
    depth = 0
    index = start + 1
    while index < len(text):
        char = text[index]
        if quote:
            if char == "\\":
                index += 1
            elif char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char in "[(":
            depth += 1
        elif char in ")":
            depth -= 1
        elif char == "]":
            if depth == 0:
                return index
            depth -= 1
        elif char == "/" and text[start + 1 : index].lstrip().startswith("?"):
            # a regular expression literal inside a filter: skip to its end
            end = _regex_end(text, index)
            if end is not None:
                index = end
        index += 1
    raise ConfigError(f"{where}: unclosed '[' in JSONPath {text!r}")


def _regex_end(text: str, start: int) -> int | None:
    before = text[:start].rstrip()
    if before and before[-1] not in "(,!&|=:?[":
        return None
    return jsfilter.regex_literal_end(text, start + 1)


def _split_union(inner: str) -> list[str]:
    parts, current, quote = [], "", ""
    for char in inner:
        if quote:
            current += char
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
            current += char
        elif char == ",":
            parts.append(current)
            current = ""
        else:
            current += char
    parts.append(current)
    return parts


def _unquote(part: str, text: str, where: str) -> str:
    if len(part) >= 2 and part[0] == part[-1] and part[0] in "'\"":
        return part[1:-1]
    if not part:
        raise ConfigError(f"{where}: empty name in JSONPath {text!r}")
    return part


@dataclass(slots=True, eq=False)
class Hit:
    """One value a JSONPath selected: where it is written (``node``), the path it was reached by
    (``path``, keys as in the resolved document) and the hit it was reached from."""

    node: Node
    path: tuple[str | int, ...]
    parent: Hit | None = None
    is_key: bool = False

    @property
    def value(self) -> Any:
        return self.node.value


class _Walker:
    def __init__(self, api: OpenAPI, resolved: bool) -> None:
        self.api = api
        self.resolved = resolved

    def resolve(self, node: Node) -> Node:
        return self.api.resolve(node) if self.resolved else node

    def child(self, hit: Hit, key: str | int) -> Hit:
        node = _context(self.resolve(hit.node.child(key)), self.api)
        return Hit(node, (*hit.path, key), hit)

    def children(self, hit: Hit) -> Iterator[Hit]:
        value = hit.node.value
        if isinstance(value, dict):
            for key in value:
                yield self.child(hit, str(key))
        elif isinstance(value, list):
            for index in range(len(value)):
                yield self.child(hit, index)

    def select(self, step: Step, hit: Hit) -> Iterator[Hit]:
        if hit.is_key:
            return
        value = hit.node.value
        if step.index is not None:
            if isinstance(value, list):
                index = step.index if step.index >= 0 else len(value) + step.index
                if 0 <= index < len(value):
                    yield self.child(hit, index)
            elif isinstance(value, dict) and str(step.index) in value:
                yield self.child(hit, str(step.index))
            return
        if step.slice is not None:
            if isinstance(value, list):
                start, stop, stride = step.slice
                for index in range(len(value))[slice(start, stop, stride)]:
                    yield self.child(hit, index)
            return
        if step.filter is not None:
            evaluator = jsfilter.compile_filter(step.filter)
            for child in self.children(hit):
                if jsfilter.matches(evaluator, self.scope(child)):
                    yield child
            return
        if step.names is None:
            yield from self.children(hit)
            return
        if isinstance(value, dict):
            for name in step.names:
                if name in value:
                    yield self.child(hit, name)
        elif isinstance(value, list):
            for name in step.names:
                if name.isdigit() and int(name) < len(value):
                    yield self.child(hit, int(name))

    def descendants(self, hits: list[Hit]) -> list[Hit]:
        """Each hit and everything below it; a value reached twice through $refs is walked once.
        The whole document's list is made once per document and kind (resolved or not)."""
        if len(hits) == 1 and not hits[0].path:
            cache = _DESCENDANTS.setdefault(self.api, {})
            if self.resolved not in cache:
                cache[self.resolved] = list(self._descendants(hits))
            return cache[self.resolved]
        return list(self._descendants(hits))

    def _descendants(self, hits: list[Hit]) -> Iterator[Hit]:
        seen: set[tuple[int, tuple[str | int, ...]]] = set()
        stack = list(reversed(hits))
        while stack:
            hit = stack.pop()
            if hit.is_key:
                continue
            mark = (id(hit.node.doc), hit.node.ptr)
            if mark in seen:
                continue
            seen.add(mark)
            yield hit
            if isinstance(hit.node.value, (dict, list)):
                stack.extend(reversed(list(self.children(hit))))

    # -- what filter expressions see ------------------------------------------------------------

    def scope(self, hit: Hit) -> jsfilter.Scope:
        parent = hit.parent
        # As Spectral (nimma) evaluates it: @parentProperty is the key of the object the filter
        # looks into, @parent the object that holds that one.
        grandparent = parent.parent if parent is not None else None
        return jsfilter.Scope(
            current=self.js(hit.node),
            property=hit.path[-1] if hit.path else jsfilter.UNDEFINED,
            parent=self.js(grandparent.node) if grandparent is not None else jsfilter.UNDEFINED,
            parent_property=(
                parent.path[-1] if parent is not None and parent.path else jsfilter.UNDEFINED
            ),
            path=lambda: path_string(hit.path),
            root=lambda: self.js(Node(self.api.data, self.api.root, ())),
            member=self.member,
            kind=_kind,
        )

    def js(self, node: Node) -> Any:
        value = node.value
        if value is MISSING:
            return jsfilter.UNDEFINED
        return node if isinstance(value, (dict, list)) else value

    def member(self, container: Any, key: Any) -> Any:
        if not isinstance(container, Node):
            return jsfilter.UNDEFINED
        value = container.value
        if isinstance(value, list):
            if isinstance(key, str) and key.isdigit():
                key = int(key)
            if not isinstance(key, int) or isinstance(key, bool):
                return jsfilter.UNDEFINED
        else:
            key = jsfilter.to_string(key)
        return self.js(self.resolve(container.child(key)))


_DESCENDANTS: weakref.WeakKeyDictionary[OpenAPI, dict[bool, list[Hit]]] = (
    weakref.WeakKeyDictionary()
)
"""Every value of a document, for the JSONPaths that start with ``$..``."""


def _kind(value: Any) -> str:
    if isinstance(value, Node):
        value = value.value
    if value is jsfilter.UNDEFINED or value is MISSING:
        return "undefined"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def path_string(path: tuple[str | int, ...]) -> str:
    """JSONPath-Plus's ``@path``: ``$['paths']['/users']['get']``."""
    parts = []
    for key in path:
        if isinstance(key, int):
            parts.append(f"[{key}]")
        else:
            parts.append("['" + key.replace("'", "\\'") + "']")
    return "$" + "".join(parts)


def query(text: str, api: OpenAPI, *, resolved: bool = True, where: str = "given") -> list[Hit]:
    """Every value ``text`` selects in ``api``'s root document."""
    walker = _Walker(api, resolved)
    root = walker.resolve(Node(api.data, api.root, ()))
    hits = [Hit(root, ())]
    for step in compile_path(text, where):
        if step.special == "~":
            hits = [
                Hit(
                    Node(h.path[-1], h.node.doc, h.node.ptr, h.node.path, h.node.method),
                    h.path,
                    h.parent,
                    is_key=True,
                )
                for h in hits
                if h.path
            ]
        elif step.special == "^":
            hits = [h.parent for h in hits if h.parent is not None]
        elif step.recursive:
            hits = [found for hit in walker.descendants(hits) for found in walker.select(step, hit)]
        else:
            hits = [found for hit in hits for found in walker.select(step, hit)]
    return hits


def evaluate(text: str, api: OpenAPI, *, resolved: bool = True) -> list[Node]:
    """The nodes ``text`` selects in ``api``'s document (refs followed unless ``resolved`` is
    false), each once."""
    out: list[Node] = []
    seen: set[tuple[int, tuple[str | int, ...], bool]] = set()
    for hit in query(text, api, resolved=resolved):
        mark = (id(hit.node.doc), hit.node.ptr, hit.is_key)
        if mark not in seen:
            seen.add(mark)
            out.append(hit.node)
    return out


def _context(node: Node, api: OpenAPI) -> Node:
    """Attach the path template and method to nodes under /paths of the root document."""
    ptr = node.ptr
    if node.doc is not api.root or len(ptr) < 2 or ptr[0] != "paths":
        return node
    at = api.operation_at(ptr)
    if node.path is None:
        return Node(node.value, node.doc, ptr, str(ptr[1]), at[1] if at else None)
    if at is not None and len(ptr) == at[2]:
        return Node(node.value, node.doc, ptr, at[0], at[1])
    return node
