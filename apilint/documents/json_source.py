"""JSON to plain data, and JSON pointers back to line and column, lazily.

Loading uses the standard library's C decoder (JSON never goes through the YAML parser). Source
positions are not recorded while loading: most of a big description never has a finding. When
findings exist, all their pointers are located in one scan of the text that descends only into the
members on the way to a wanted pointer and hops over every other value with the C scanner, so the
cost is bounded by one more parse of the text, and is far less when findings are few.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from json.decoder import scanstring  # type: ignore[attr-defined]
from typing import Any, NamedTuple

from apilint.core.errors import LoadError, limit_hint
from apilint.core.threads import only_background_threads

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_scan_value = json.JSONDecoder().scan_once  # type: ignore[attr-defined]

Pointer = tuple[str | int, ...]


MemberIndex = dict[tuple[str, ...], tuple[int, int]]
"""Where members start, by pointer: (offset of the key's opening quote, offset of the value)."""


class ParsedJson(NamedTuple):
    data: Any
    repeated: list[Pointer]
    """Pointers of keys written twice in one object."""
    members: MemberIndex
    """Where the members of the description's big maps start (:func:`_indexed_parse`; empty
    when that parse could not be used)."""
    refs: frozenset[str]
    """Every string value of a "$ref" member, literal example data included."""


def parse_json(text: str, filename: str, max_depth: int | None = None) -> ParsedJson:
    """Parse ``text``. Objects and arrays may nest ``max_depth`` levels (the YAML loader's
    limit, so that every later stage, the Rust schema validator included, sees the same bounded
    data)."""
    repeated: dict[int, list[str]] = {}  # id(object) -> its repeated keys
    keep_alive: list[dict[str, Any]] = []
    refs: set[str] = set()
    add_ref = refs.add

    def pairs_hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result = dict(pairs)
        if "$ref" in result and type(result["$ref"]) is str:
            add_ref(result["$ref"])
        if len(result) != len(pairs):
            seen: set[str] = set()
            keys: list[str] = []
            for key, _ in pairs:
                if key in seen and key not in keys:
                    keys.append(key)
                seen.add(key)
            repeated[id(result)] = keys
            keep_alive.append(result)
        return result

    index: MemberIndex = {}
    bounded: Any = _indexed_parse(text, pairs_hook, max_depth, index)
    if bounded is _UNBOUNDED:
        index.clear()
        if max_depth is not None:
            bounded = _depth_bounded_by_parser(text, pairs_hook, max_depth)
    try:
        data = (
            json.loads(text, object_pairs_hook=pairs_hook, parse_constant=_no_constant)
            if bounded is _UNBOUNDED
            else bounded
        )
    except _NotJSON as exc:
        line, column = _where(text, exc.token)
        raise LoadError(
            f"invalid JSON: {exc.token} is not a JSON value (JSON has no NaN or Infinity)",
            file=filename,
            line=line,
            column=column,
        ) from None
    except json.JSONDecodeError as exc:
        raise LoadError(
            f"invalid JSON: {exc.msg}", file=filename, line=exc.lineno, column=exc.colno
        ) from None
    except RecursionError:
        # The C decoder stops near Python's recursion limit (about 1,000 levels on 3.11).
        limit = max_depth if max_depth is not None and max_depth < 900 else None
        what = f"{limit} levels {limit_hint('max-depth')}" if limit else "the JSON parser allows"
        raise LoadError(f"nesting deeper than {what}", file=filename) from None
    except ValueError as exc:  # an integer longer than Python converts
        raise _value_error(exc, text, filename) from None
    if max_depth is not None and bounded is _UNBOUNDED:
        _check_depth(data, text, filename, max_depth)
    # (A regular expression finds the two characters three times faster than "in" does in
    # text that holds characters beyond the BMP: 4 ms against 13 ms in GitHub's description.)
    if _UNICODE_ESCAPE.search(text) and _LONE_SURROGATE_ESCAPE.search(text):
        _refuse_lone_surrogates(data, text, filename)
    found = _pointers_of(data, repeated) if repeated else []
    return ParsedJson(data, found, index, frozenset(refs))


_INDEXED = frozenset(
    {"paths", "webhooks", "x-webhooks", "components", "definitions", "parameters", "responses"}
)
"""Root members whose members the parse indexes (and, under ``components``, theirs too): the
maps that hold nearly all of a big description, and so its findings."""


def _members_indexed(path: tuple[str, ...]) -> bool:
    """Whether the members of the object at ``path`` are in the parse's index (the root's are;
    see _INDEXED)."""
    return (
        not path
        or (len(path) == 1 and path[0] in _INDEXED)
        or (len(path) == 2 and path[0] == "components")
    )


def _indexed_parse(text: str, hook: Any, max_depth: int | None, index: MemberIndex) -> Any:
    """The data, parsed as ``json.loads`` with ``hook`` parses it, or _UNBOUNDED when this way
    cannot be used (the text is not an object, another thread runs while depth is bounded, or
    anything is wrong with the text: the caller then parses as before, and reports it).

    The root object and the maps named in _INDEXED are read here, member by member, each value
    below them by the C scanner; ``index`` gets where each of their members starts. Locating a
    finding can then start at its path item or component instead of scanning everything
    written before it. Nesting is bounded as in :func:`_depth_bounded_by_parser`, per value."""
    start = _WHITESPACE.match(text).end()  # type: ignore[union-attr]
    if text[start : start + 1] != "{":
        return _UNBOUNDED
    decoder = json.JSONDecoder(object_pairs_hook=hook, parse_constant=_no_constant)
    scan = decoder.scan_once  # type: ignore[attr-defined]
    overhead: int | None = None
    if max_depth is not None:
        if not only_background_threads():
            return _UNBOUNDED  # the recursion limit is global: never lower it under other threads
        overhead = _scan_overhead(scan)
        if overhead is None:
            return _UNBOUNDED
    old = sys.getrecursionlimit()
    try:
        reader = _MemberReader(text, scan, hook, index, max_depth, overhead)
        data, end = reader.object(start, ())
    except (ValueError, RecursionError, IndexError, StopIteration):
        return _UNBOUNDED  # JSONDecodeError, _NotJSON and too-long integers are ValueErrors
    finally:
        sys.setrecursionlimit(old)
    if _WHITESPACE.match(text, end).end() != len(text):  # type: ignore[union-attr]
        return _UNBOUNDED  # extra data after the root
    return data


class _MemberReader:
    __slots__ = ("_hook", "_index", "_max_depth", "_overhead", "_scan", "_text")

    def __init__(
        self,
        text: str,
        scan: Any,
        hook: Any,
        index: MemberIndex,
        max_depth: int | None,
        overhead: int | None,
    ) -> None:
        self._text = text
        self._scan = scan
        self._hook = hook
        self._index = index
        self._max_depth = max_depth
        self._overhead = overhead

    def object(self, i: int, path: tuple[str, ...]) -> tuple[Any, int]:
        """The object at ``i`` (its ``{``), nested ``len(path) + 1`` levels deep. With a depth
        bound, the recursion limit is set while its members are read so that each value the C
        scanner reads may nest only as deep as the bound leaves it."""
        text, ws, index, scan = self._text, _WHITESPACE.match, self._index, self._scan
        level = len(path) + 1
        limit = 0
        if self._max_depth is not None:
            if level > self._max_depth:
                raise RecursionError  # the caller's parse says where
            assert self._overhead is not None
            # A member's value may nest (max_depth - level) levels, itself included; the scanner
            # is called from this frame, as from _scan_within's in the probe.
            limit = _frames() + (self._max_depth - level) + self._overhead
            sys.setrecursionlimit(limit)
        pairs: list[tuple[str, Any]] = []
        i += 1
        if text[i] in _SPACE:
            i = ws(text, i).end()  # type: ignore[union-attr]
        if text[i] == "}":
            return self._hook(pairs), i + 1
        while True:
            if text[i] != '"':
                raise ValueError("expected a key")
            key_start = i
            key, i = scanstring(text, i + 1, True)
            if text[i] in _SPACE:
                i = ws(text, i).end()  # type: ignore[union-attr]
            if text[i] != ":":
                raise ValueError("expected ':'")
            i += 1
            if text[i] in _SPACE:
                i = ws(text, i).end()  # type: ignore[union-attr]
            here = (*path, key)
            # A key written twice: the plain scan decides where its members are (both places).
            index[here] = _REPEATED if here in index else (key_start, i)
            if text[i] == "{" and level < 3 and _members_indexed(here):
                value, i = self.object(i, here)
                if limit:
                    sys.setrecursionlimit(limit)
            else:
                value, i = scan(text, i)
            pairs.append((key, value))
            if text[i] in _SPACE:
                i = ws(text, i).end()  # type: ignore[union-attr]
            if text[i] == ",":
                i += 1
                if text[i] in _SPACE:
                    i = ws(text, i).end()  # type: ignore[union-attr]
                continue
            if text[i] == "}":
                return self._hook(pairs), i + 1
            raise ValueError("expected ',' or '}'")


_SPACE = frozenset(" \t\n\r")
_REPEATED = (-1, -1)  # in a MemberIndex: the key is written twice in its object


def _scan_within(scan: Any, text: str, index: int, frames: int, extra: int) -> Any:
    """``scan(text, index)`` with the recursion limit ``extra`` levels above this call (whose
    caller is ``frames`` deep)."""
    sys.setrecursionlimit(frames + 1 + extra)
    return scan(text, index)


def _scan_overhead(scan: Any) -> int | None:
    """The recursion levels the C scanner uses besides one per nesting level, through
    :func:`_scan_within` (see :func:`_overhead`)."""
    return _overhead(lambda text, extra: _scan_within(scan, text, 0, _frames(), extra))


_UNBOUNDED = object()


def _frames() -> int:
    frame: Any = sys._getframe(1)
    depth = 0
    while frame is not None:
        depth += 1
        frame = frame.f_back
    return depth


class _NotJSON(ValueError):
    def __init__(self, token: str) -> None:
        super().__init__(token)
        self.token = token


def _no_constant(token: str) -> Any:
    """Python's decoder accepts NaN, Infinity and -Infinity; JSON (RFC 8259) does not."""
    raise _NotJSON(token)


def _where(text: str, token: str) -> tuple[int | None, int | None]:
    """Line and column of the first ``token`` outside a string (best effort)."""
    match = re.search(r"(?:^|[\s:,\[])(" + re.escape(token) + r")(?=[\s,\]}]|$)", text)
    if match is None:
        return None, None
    start = match.start(1)
    line = text.count("\n", 0, start) + 1
    return line, start - (text.rfind("\n", 0, start) + 1) + 1


def _loads_within(text: str, hook: Any, extra: int) -> Any:
    """json.loads with the recursion limit set ``extra`` levels above this call."""
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(_frames() + extra)
    try:
        return json.loads(text, object_pairs_hook=hook, parse_constant=_no_constant)
    finally:
        sys.setrecursionlimit(old)


def _parser_overhead(hook: Any) -> int | None:
    """The recursion levels json.loads uses besides one per nesting level, through
    :func:`_loads_within` (see :func:`_overhead`)."""
    return _overhead(lambda text, extra: _loads_within(text, hook, extra))


def _overhead(attempt: Callable[[str, int], object]) -> int | None:
    """How many recursion levels a parse uses besides one per nesting level, measured right
    here: ``attempt(text, extra)`` parses ``text`` with the recursion limit ``extra`` levels
    above it (C-level calls further up the stack count against the limit too, so measure from
    where the real parse happens). None when the C decoder does not count nesting against the
    recursion limit (CPython 3.12+)."""
    probe = 30
    deep = "[" * probe + "]" * probe
    deeper = "[" + deep + "]"
    old = sys.getrecursionlimit()
    try:
        for overhead in range(24):
            try:
                attempt(deep, probe + overhead)
            except RecursionError:
                continue
            finally:
                sys.setrecursionlimit(old)
            try:
                attempt(deeper, probe + overhead)
            except RecursionError:
                return overhead
            return None
        return None
    finally:
        sys.setrecursionlimit(old)


def _depth_bounded_by_parser(text: str, hook: Any, max_depth: int) -> Any:
    """Parse with the decoder itself refusing to nest deeper than ``max_depth`` (it counts each
    level against the recursion limit), which saves a walk over the whole tree. Returns the
    data, or _UNBOUNDED when that cannot be used here or the parse hit the bound: then the caller
    parses normally and measures the depth exactly (an object-heavy file at exactly the limit
    can hit the bound, because the duplicate-key hook takes a frame of its own)."""
    if not only_background_threads():
        return _UNBOUNDED  # the recursion limit is global: never lower it under other threads
    overhead = _parser_overhead(hook)
    if overhead is None:
        return _UNBOUNDED
    try:
        return _loads_within(text, hook, max_depth + overhead)
    except (RecursionError, ValueError):
        return _UNBOUNDED  # the normal parse reports the problem, with its position


_CONTAINERS = (dict, list)
_LONG_INTEGER = re.compile(r"-?[0-9]{4000,}")


def _value_error(exc: ValueError, text: str, filename: str) -> LoadError:
    """Python refuses to convert integers of more than ~4,300 digits (a guard against slow
    conversion); say so in the file's terms, at the number."""
    if "integer string conversion" not in str(exc):
        return LoadError(f"invalid JSON: {exc}", file=filename)
    match = _LONG_INTEGER.search(text)
    line = column = None
    if match is not None:
        line = text.count("\n", 0, match.start()) + 1
        column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
    return LoadError(
        "invalid JSON: a number with more digits than can be read (the limit is about 4,300)",
        file=filename,
        line=line,
        column=column,
    )


def _check_depth(data: Any, text: str, filename: str, limit: int) -> None:
    """Refuse data nested deeper than ``limit``, at the first too-deep place (one level-by-level
    pass over the containers; the rare refusal pays for finding where)."""
    level = [data] if type(data) in _CONTAINERS else []
    depth = 0
    while level:
        depth += 1
        if depth > limit:
            break
        below: list[Any] = []
        extend = below.extend
        for node in level:
            extend(
                [
                    v
                    for v in (node.values() if type(node) is dict else node)
                    if type(v) in _CONTAINERS
                ]
            )
        level = below
    else:
        return
    stack: list[tuple[Any, Pointer]] = [(data, ())]
    where: Pointer = ()
    while stack:
        node, ptr = stack.pop()
        if len(ptr) >= limit:
            where = ptr
            break
        items = node.items() if type(node) is dict else enumerate(node)
        stack.extend((v, (*ptr, k)) for k, v in items if type(v) in _CONTAINERS)
    line, column = JsonPositions(text).locate_many([where])[where]
    raise LoadError(
        f"nesting deeper than {limit} levels {limit_hint('max-depth')}",
        file=filename,
        line=line,
        column=column,
    )


_UNICODE_ESCAPE = re.compile(r"\\u")
_LONE_SURROGATE_ESCAPE = re.compile(
    r"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})"
    r"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}"
)
_SURROGATE = re.compile("[\ud800-\udfff]")


def _refuse_lone_surrogates(data: Any, text: str, filename: str) -> None:
    """JSON may escape half of a UTF-16 pair (``"\\ud800"``); such a string is not Unicode text
    and cannot be written to any report, so the file is refused with the place of the string."""
    stack: list[tuple[Any, Pointer]] = [(data, ())]
    while stack:
        node, ptr = stack.pop()
        found: Pointer | None = None
        if isinstance(node, str):
            found = ptr if _SURROGATE.search(node) else None
        elif isinstance(node, dict):
            for key, value in node.items():
                if _SURROGATE.search(key):
                    found = (*ptr, key)
                    break
                stack.append((value, (*ptr, key)))
        elif isinstance(node, list):
            stack.extend((value, (*ptr, index)) for index, value in enumerate(node))
        if found is not None:
            line, column = JsonPositions(text).locate_many([found])[found]
            raise LoadError(
                "invalid JSON: a string holds an unpaired UTF-16 surrogate (not Unicode text)",
                file=filename,
                line=line,
                column=column,
            )


def _pointers_of(data: Any, repeated: dict[int, list[str]]) -> list[Pointer]:
    """Pointers to the repeated keys of the objects in ``repeated`` (rare, so a plain walk)."""
    out: list[Pointer] = []
    stack: list[tuple[Any, Pointer]] = [(data, ())]
    while stack:
        node, ptr = stack.pop()
        if isinstance(node, dict):
            out.extend((*ptr, key) for key in repeated.get(id(node), ()))
            stack.extend((value, (*ptr, key)) for key, value in node.items())
        elif isinstance(node, list):
            stack.extend((value, (*ptr, index)) for index, value in enumerate(node))
    return out


class _Done(Exception):
    pass


class JsonPositions:
    """Finds the text offset of JSON pointers in a JSON document."""

    __slots__ = ("_index", "_text", "offsets")

    def __init__(self, text: str, index: MemberIndex | None = None) -> None:
        self._text = text
        self._index = index or {}
        """Where members start, as the parse found them (:func:`_indexed_parse`)."""
        self.offsets: dict[tuple[int, int], int] = {}
        """The text offset of every (line, column) located so far."""

    def locate_many(self, pointers: list[Pointer]) -> dict[Pointer, tuple[int, int]]:
        """Map each pointer to the (line, column), 1-based, of its key, or of its deepest
        existing ancestor when the pointer itself does not exist. Member pointers point at the
        key's opening quote, array items at the first character of the item."""
        trie: dict[str, Any] = {}
        for pointer in pointers:
            node = trie
            for part in pointer:
                node = node.setdefault(str(part), {})
        offsets: dict[tuple[str, ...], int] = {(): self._first_value()}
        scans: list[tuple[int, dict[str, Any], tuple[str, ...]]] = []
        self._plan(trie, (), offsets[()], offsets, scans)
        for start, wanted, prefix in scans:
            remaining = [sum(1 for _ in _walk_trie(wanted))]
            try:
                self._descend(start, wanted, prefix, offsets, remaining)
            except _Done:
                pass
            except (
                IndexError,
                ValueError,
                StopIteration,
            ):  # text does not match the data; keep what we have
                pass
        positions = _line_columns(self._text, sorted(set(offsets.values())))
        self.offsets.update((where, offset) for offset, where in positions.items())
        result: dict[Pointer, tuple[int, int]] = {}
        for pointer in pointers:
            key = tuple(str(part) for part in pointer)
            while key not in offsets:
                key = key[:-1]
            result[pointer] = positions[offsets[key]]
        return result

    def _plan(
        self,
        trie: dict[str, Any],
        prefix: tuple[str, ...],
        start: int,
        offsets: dict[tuple[str, ...], int],
        scans: list[tuple[int, dict[str, Any], tuple[str, ...]]],
    ) -> None:
        """Record the wanted members of the container at ``start`` that the index knows, and
        list what is left to scan for: (where to start, the wanted pointers below, prefix)."""
        rest: dict[str, Any] = {}
        for key, below in trie.items():
            here = (*prefix, key)
            found = self._index.get(here)
            if found is None or found is _REPEATED:
                rest[key] = below
                continue
            key_start, value_start = found
            offsets[here] = key_start
            if not below or self._text[value_start] not in "{[":
                continue
            if _members_indexed(here):
                self._plan(below, here, value_start, offsets, scans)
            else:
                scans.append((value_start, below, here))
        if rest:
            scans.append((start, rest, prefix))

    def _first_value(self) -> int:
        match = _WHITESPACE.match(self._text, 1 if self._text.startswith("\ufeff") else 0)
        return match.end() if match else 0

    def _descend(
        self,
        index: int,
        trie: dict[str, Any],
        prefix: tuple[str, ...],
        offsets: dict[tuple[str, ...], int],
        remaining: list[int],
    ) -> int:
        """Scan the value starting at ``index``; record offsets of wanted members; return the
        index just past the value."""
        text = self._text
        ws = _WHITESPACE.match
        opener = text[index]
        if opener == "{":
            index = ws(text, index + 1).end()  # type: ignore[union-attr]
            if text[index] == "}":
                return index + 1
            while True:
                key_start = index
                key, index = scanstring(text, index + 1)
                index = ws(text, index).end()  # type: ignore[union-attr]
                index = ws(text, index + 1).end()  # type: ignore[union-attr]  # past ':'
                index = self._member(key, key_start, index, trie, prefix, offsets, remaining)
                index = ws(text, index).end()  # type: ignore[union-attr]
                if text[index] == ",":
                    index = ws(text, index + 1).end()  # type: ignore[union-attr]
                    continue
                return index + 1
        if opener == "[":
            index = ws(text, index + 1).end()  # type: ignore[union-attr]
            if text[index] == "]":
                return index + 1
            position = 0
            while True:
                index = self._member(str(position), index, index, trie, prefix, offsets, remaining)
                position += 1
                index = ws(text, index).end()  # type: ignore[union-attr]
                if text[index] == ",":
                    index = ws(text, index + 1).end()  # type: ignore[union-attr]
                    continue
                return index + 1
        _, end = _scan_value(text, index)
        return int(end)

    def _member(
        self,
        key: str,
        key_start: int,
        value_start: int,
        trie: dict[str, Any],
        prefix: tuple[str, ...],
        offsets: dict[tuple[str, ...], int],
        remaining: list[int],
    ) -> int:
        sub = trie.get(key)
        if sub is None:
            _, end = _scan_value(self._text, value_start)
            return int(end)
        here = (*prefix, key)
        if here not in offsets:
            offsets[here] = key_start
            remaining[0] -= 1
            if remaining[0] == 0:
                raise _Done
        if sub and self._text[value_start] in "{[":
            return self._descend(value_start, sub, here, offsets, remaining)
        _, end = _scan_value(self._text, value_start)
        return int(end)


def _walk_trie(trie: dict[str, Any]) -> Any:
    for sub in trie.values():
        yield sub
        yield from _walk_trie(sub)


def _line_columns(text: str, offsets: list[int]) -> dict[int, tuple[int, int]]:
    """1-based (line, column) for sorted offsets, counting newlines once across the text."""
    out: dict[int, tuple[int, int]] = {}
    line = 1
    last = 0
    for offset in offsets:
        line += text.count("\n", last, offset)
        last = offset
        line_start = text.rfind("\n", 0, offset) + 1
        out[offset] = (line, offset - line_start + 1)
    return out
