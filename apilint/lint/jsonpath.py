"""The subset of JSONPath that rulesets use in ``given``, evaluated with $refs followed.

Supported: ``$``, ``.name``, ``['name']`` / ``["name"]``, ``[0]``, ``[*]`` / ``.*``, unions
``[get,put]`` / ``['a','b']``, and recursive descent ``..name`` / ``..*``. Filter expressions
(``[?(...)]``) are refused with a clear error: name what you need with a named target or a
check function instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from apilint.core.errors import ConfigError
from apilint.documents.openapi import Node, OpenAPI


@dataclass(frozen=True, slots=True)
class Step:
    recursive: bool
    names: tuple[str, ...] | None  # None: every member / item
    index: int | None = None


_NAME = re.compile(r"[A-Za-z0-9_\-$@:/{}~]+")


@lru_cache(maxsize=256)
def compile_path(text: str, where: str = "given") -> tuple[Step, ...]:
    if not text.startswith("$"):
        raise ConfigError(f"{where}: JSONPath must start with '$': {text!r}")
    steps: list[Step] = []
    pos = 1
    while pos < len(text):
        recursive = False
        if text.startswith("..", pos):
            recursive = True
            pos += 2
        elif text[pos] == ".":
            pos += 1
        elif text[pos] != "[":
            raise ConfigError(f"{where}: cannot read JSONPath {text!r} at {text[pos:]!r}")
        if pos >= len(text):
            raise ConfigError(f"{where}: JSONPath {text!r} ends with a dot")
        if text[pos] == "*":
            steps.append(Step(recursive, None))
            pos += 1
        elif text[pos] == "[":
            end = _closing_bracket(text, pos, where)
            inner = text[pos + 1 : end].strip()
            pos = end + 1
            if inner.startswith("?"):
                raise ConfigError(
                    f"{where}: JSONPath filter expressions are not supported ({text!r}); "
                    "use a named target or a check function"
                )
            if inner == "*":
                steps.append(Step(recursive, None))
            elif re.fullmatch(r"-?\d+", inner):
                steps.append(Step(recursive, None, int(inner)))
            else:
                names = tuple(_unquote(part.strip(), text, where) for part in _split_union(inner))
                steps.append(Step(recursive, names))
        else:
            match = _NAME.match(text, pos)
            if match is None:
                raise ConfigError(f"{where}: cannot read JSONPath {text!r} at {text[pos:]!r}")
            steps.append(Step(recursive, (match.group(),)))
            pos = match.end()
    return tuple(steps)


def _closing_bracket(text: str, start: int, where: str) -> int:
    quote = ""
    for index in range(start + 1, len(text)):
        char = text[index]
        if quote:
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char == "]":
            return index
    raise ConfigError(f"{where}: unclosed '[' in JSONPath {text!r}")


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


def evaluate(text: str, api: OpenAPI) -> list[Node]:
    """The nodes ``text`` selects in ``api``'s document, refs followed, each once."""
    nodes = [Node(api.data, api.root, ())]
    for step in compile_path(text):
        nodes = _apply(step, nodes, api)
    out: list[Node] = []
    seen: set[tuple[int, tuple[str | int, ...]]] = set()
    for node in nodes:
        mark = (id(node.doc), node.ptr)
        if mark not in seen:
            seen.add(mark)
            out.append(node)
    return out


def _children(node: Node, api: OpenAPI) -> Iterator[Node]:
    value = node.value
    if isinstance(value, dict):
        for key in value:
            yield _context(api.resolve(node.child(key)), api)
    elif isinstance(value, list):
        for index in range(len(value)):
            yield api.resolve(node.child(index))


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


def _select(step: Step, node: Node, api: OpenAPI) -> Iterator[Node]:
    value = api.resolve(node).value
    node = (
        Node(value, node.doc, node.ptr, node.path, node.method) if value is not node.value else node
    )
    if step.index is not None:
        if isinstance(value, list):
            index = step.index if step.index >= 0 else len(value) + step.index
            if 0 <= index < len(value):
                yield api.resolve(node.child(index))
        return
    if step.names is None:
        yield from _children(node, api)
        return
    if isinstance(value, dict):
        for name in step.names:
            if name in value:
                yield _context(api.resolve(node.child(name)), api)
    elif isinstance(value, list):
        for name in step.names:
            if name.isdigit() and int(name) < len(value):
                yield api.resolve(node.child(int(name)))


def _apply(step: Step, nodes: list[Node], api: OpenAPI) -> list[Node]:
    if not step.recursive:
        return [found for node in nodes for found in _select(step, node, api)]
    out: list[Node] = []
    seen: set[tuple[int, tuple[str | int, ...]]] = set()
    stack = list(reversed(nodes))
    while stack:
        node = stack.pop()
        mark = (id(node.doc), node.ptr)
        if mark in seen:
            continue
        seen.add(mark)
        out.extend(_select(step, node, api))
        stack.extend(reversed(list(_children(node, api))))
    return out
