"""YAML to plain data plus source positions, in one pass over libyaml's events.

PyYAML's own composer and constructor are slow on big descriptions (Python code per node, 5-8 s on
GitHub's REST description) and recurse in C without a depth limit (a deeply nested flow sequence
crashes the interpreter). This builder drives libyaml's C event parser directly and keeps its own
explicit stack, so it is faster, bounded in depth, and counts nodes as aliases expand: an alias
bomb ("billion laughs") is refused after a few events instead of eating the machine.

A plain scalar becomes a number, boolean or null only where YAML 1.1 (PyYAML and the tools built
on it) and YAML 1.2 (what OpenAPI recommends, and JavaScript tools) agree; where they disagree it
stays a string: ``yes``/``no``/``on``/``off``, dates, ``0123``, ``1e5``, ``0o17``. Files written by
either family of tools therefore read back as their authors meant. Mapping keys become strings
as in JSON, so a response code written ``200:`` is the key ``"200"``. YAML 1.1 merge keys
(``<<: *base``) are honoured.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from apilint.core.errors import LoadError, limit_hint
from apilint.documents.loader import DEFAULT_MAX_DEPTH, DEFAULT_MAX_NODES

try:  # pragma: no cover - which branch runs depends on how PyYAML was built
    from yaml import CSafeLoader as _EventParser

    HAVE_LIBYAML = True
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _EventParser  # type: ignore[assignment]

    HAVE_LIBYAML = False

Position = tuple[int, int]  # 0-based line and column, as libyaml marks them

_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\Z")  # no leading zeros: "0123" stays a string
_HEX = re.compile(r"0x[0-9a-fA-F]+\Z")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|(?:0|[1-9][0-9]*)\.[0-9]*)(?:[eE][-+][0-9]+)?\Z")
_INF = {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"}
_NEG_INF = {"-.inf", "-.Inf", "-.INF"}
_NAN = {".nan", ".NaN", ".NAN"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}
_NULL = {"null", "Null", "NULL", "~", ""}

_TAG_PREFIX = "tag:yaml.org,2002:"
_MERGE = "<<"


@dataclass(frozen=True, slots=True)
class Limits:
    """Resource limits for one document."""

    max_nodes: int = DEFAULT_MAX_NODES
    max_depth: int = DEFAULT_MAX_DEPTH


class YamlData:
    """Parsed data plus where each mapping member and sequence item starts in the text."""

    __slots__ = ("aliased", "data", "duplicates", "positions")

    def __init__(
        self,
        data: Any,
        positions: dict[int, Any],
        duplicates: list[tuple[tuple[str | int, ...], Position]],
        aliased: bool = False,
    ) -> None:
        self.data = data
        # id(container) -> {key: position} for mappings, [position, ...] for sequences.
        self.positions = positions
        self.duplicates = duplicates
        self.aliased = aliased
        """An alias (``*name``, merge keys too) repeats a value: one object at several places."""

    def locate(self, pointer: tuple[str | int, ...]) -> tuple[Position, int]:
        """Position of the deepest existing step of ``pointer`` and how many steps matched."""
        current = self.data
        best: Position = (0, 0)
        matched = 0
        for part in pointer:
            table = self.positions.get(id(current))
            if table is None:
                break
            if isinstance(current, dict):
                key = str(part)
                if key not in current:
                    break
                best = table.get(key, best)
                current = current[key]
            elif isinstance(current, list):
                index = part if isinstance(part, int) else int(part) if str(part).isdigit() else -1
                if not 0 <= index < len(current):
                    break
                best = table[index]
                current = current[index]
            else:
                break
            matched += 1
        return best, matched


PARSER_MAX_DEPTH = 1000
"""The deepest nesting libyaml reads (its YAML_MAX_NESTING_LEVEL); --max-depth cannot go past it."""


def _parser_depth_message(max_depth: int) -> str:
    if max_depth < PARSER_MAX_DEPTH:
        return f"nesting deeper than {max_depth} levels {limit_hint('max-depth')}"
    return (
        f"nesting deeper than {PARSER_MAX_DEPTH} levels, the most the YAML parser reads "
        f"(--max-depth {max_depth} cannot raise it)"
    )


def _error(message: str, mark: Any, filename: str) -> LoadError:
    return LoadError(message, file=filename, line=mark.line + 1, column=mark.column + 1)


def _reader_error(exc: yaml.reader.ReaderError, text: str, filename: str) -> LoadError:
    """One line, with the line and column, for a character YAML does not allow in a stream
    (libyaml reports a byte offset into the UTF-8 text)."""
    char = exc.character
    code = char if isinstance(char, int) else ord(char) if char else None
    what = f" (U+{code:04X})" if code is not None else ""
    position = max(exc.position, 0)
    if HAVE_LIBYAML:
        before = text.encode("utf-8", "replace")[:position].decode("utf-8", "replace")
    else:  # pragma: no cover - the pure-Python reader counts characters
        before = text[:position]
    line = before.count("\n") + 1
    column = len(before) - (before.rfind("\n") + 1) + 1
    return LoadError(f"invalid YAML: {exc.reason}{what}", file=filename, line=line, column=column)


def _plain_scalar(value: str) -> Any:
    """Resolve an untagged plain scalar by the YAML 1.2 core schema."""
    if not value:
        return None
    first = value[0]
    if first in "tTfFnN~":
        if value in _TRUE:
            return True
        if value in _FALSE:
            return False
        if value in _NULL:
            return None
        return value
    if first in "0123456789-+.":
        if _INT.match(value):
            return int(value)
        if _FLOAT.match(value):
            return float(value)
        if value in _INF:
            return float("inf")
        if value in _NEG_INF:
            return float("-inf")
        if value in _NAN:
            return float("nan")
        if _HEX.match(value):
            return int(value[2:], 16)
    return value


def _tagged_scalar(value: str, tag: str, event: Any, filename: str) -> Any:
    if not tag.startswith(_TAG_PREFIX):
        # Local tags (!Ref, !Sub ... in API Gateway templates) carry no meaning for OpenAPI.
        return _plain_scalar(value) if event.implicit[0] else value
    kind = tag[len(_TAG_PREFIX) :]
    if kind in ("str", "binary", "timestamp"):
        return value
    if kind == "null":
        return None
    if kind == "bool":
        lowered = value.lower()
        if lowered in ("true", "yes", "on"):
            return True
        if lowered in ("false", "no", "off"):
            return False
    resolved = _plain_scalar(value)
    if kind == "int" and isinstance(resolved, int) and not isinstance(resolved, bool):
        return resolved
    if kind == "float" and isinstance(resolved, (int, float)) and not isinstance(resolved, bool):
        return float(resolved)
    if kind in ("int", "float", "bool"):
        raise _error(f"value {value!r} does not fit its tag !!{kind}", event.start_mark, filename)
    return value


def _key_text(key: Any) -> str:
    if isinstance(key, str):
        return key
    if key is None:
        return "null"
    if isinstance(key, bool):
        return "true" if key else "false"
    return str(key)


class _Frame:
    __slots__ = (
        "anchor",
        "container",
        "depth",
        "key",
        "key_pos",
        "merges",
        "positions",
        "start",
        "start_count",
    )

    def __init__(self, container: Any, positions: Any, anchor: str | None, start: int) -> None:
        self.container = container
        self.positions = positions
        self.anchor = anchor
        self.start_count = start
        self.key: Any = _NO_KEY
        self.key_pos: Position = (0, 0)
        self.start: Position = (0, 0)
        self.merges: list[tuple[Any, Position]] | None = None
        self.depth = 0  # the deepest nesting among the members so far (scalars are 0)


_NO_KEY = object()
_MERGE_KEY = object()


def parse_yaml(text: str, filename: str, limits: Limits = Limits()) -> YamlData:
    """Parse one YAML document; raise LoadError with the line of the problem."""
    parser = _EventParser(text)
    builder = _Builder(filename, limits)
    try:
        builder.run(parser)
    except yaml.MarkedYAMLError as exc:
        raise _marked_error(exc, filename, limits) from None
    except yaml.reader.ReaderError as exc:
        raise _reader_error(exc, text, filename) from None
    except yaml.YAMLError as exc:
        raise LoadError(f"invalid YAML: {exc}", file=filename) from None
    except _Unreadable as exc:  # e.g. an integer with more digits than Python converts
        message = str(exc)
        if "integer string conversion" in message:
            message = "a number with more digits than can be read (the limit is about 4,300)"
        mark = getattr(exc.event, "start_mark", None)
        if mark is not None:
            raise _error(f"unreadable value: {message}", mark, filename) from None
        raise LoadError(f"unreadable value: {message}", file=filename) from None
    finally:
        dispose = getattr(parser, "dispose", None)
        if dispose is not None:
            dispose()
    if not builder.have_root:
        raise LoadError("the file is empty", file=filename)
    return YamlData(builder.root, builder.positions, builder.duplicates, builder.aliased)


class _Unreadable(ValueError):
    """A value Python cannot build (a ValueError), with the event it came from."""

    def __init__(self, message: str, event: Any) -> None:
        super().__init__(message)
        self.event = event


def _marked_error(exc: yaml.MarkedYAMLError, filename: str, limits: Limits) -> LoadError:
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or exc.context or "invalid YAML"
    if "maximum nesting depth" in problem and mark is not None:
        # libyaml (bundled with PyYAML >= 6.0.2) scans ahead and stops at its own depth limit
        # before the builder sees the start events: the same limit, in our words.
        return _error(_parser_depth_message(limits.max_depth), mark, filename)
    if mark is not None:
        return LoadError(
            f"invalid YAML: {problem}", file=filename, line=mark.line + 1, column=mark.column + 1
        )
    return LoadError(f"invalid YAML: {problem}", file=filename)


class _Builder:
    """Builds the data and the positions table from parser events, one open container per
    frame of ``stack``, checking the depth, node and alias limits as it goes."""

    def __init__(self, filename: str, limits: Limits) -> None:
        self.filename = filename
        self.limits = limits
        self.max_depth = min(limits.max_depth, PARSER_MAX_DEPTH)
        self.positions: dict[int, Any] = {}
        self.duplicates: list[tuple[tuple[str | int, ...], Position]] = []
        self.anchors: dict[str, tuple[Any, int, int]] = {}  # name -> (value, size, depth)
        self.open_anchors: set[str] = set()
        self.stack: list[_Frame] = []
        self.expanded = 0
        self.aliased = False
        self.documents = 0
        self.root: Any = None
        self.have_root = False

    def run(self, parser: Any) -> None:
        """Consume every event of ``parser``."""
        stack = self.stack
        anchors = self.anchors
        filename = self.filename
        max_nodes = self.limits.max_nodes
        event: Any = None
        try:
            while True:
                event = parser.get_event()
                if event is None:
                    return
                kind = type(event)
                if kind is yaml.ScalarEvent:
                    # The common cases inline (a scalar key, a scalar value, a list item):
                    # this branch runs once per scalar of the document.
                    self.expanded += 1
                    tag = event.tag
                    if event.style == "" and tag is None:
                        value: Any = _plain_scalar(event.value)
                    elif tag is None or tag == "!":
                        value = event.value
                    else:
                        value = _tagged_scalar(event.value, tag, event, filename)
                    mark = event.start_mark
                    if event.anchor is not None:
                        anchors[event.anchor] = (value, 1, 0)
                    if not stack:
                        self.attach(value, (mark.line, mark.column), event)
                        continue
                    frame = stack[-1]
                    owner: Any = frame.container
                    if type(owner) is list:
                        frame.positions.append((mark.line, mark.column))
                        owner.append(value)
                    elif frame.key is _NO_KEY:
                        if value == _MERGE and type(value) is str and event.style == "":
                            if frame.merges is None:
                                frame.merges = []
                            frame.key = _MERGE_KEY
                        else:
                            frame.key = value
                        frame.key_pos = (mark.line, mark.column)
                    else:
                        self.attach(value, (mark.line, mark.column), event)
                elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                    self.start(event, kind is yaml.MappingStartEvent)
                elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                    self.end(event)
                elif kind is yaml.AliasEvent:
                    self.alias(event)
                elif kind is yaml.DocumentStartEvent:
                    self.documents += 1
                    if self.documents > 1:
                        raise _error(
                            "more than one YAML document in the file ('---' separates documents)",
                            event.start_mark,
                            filename,
                        )
                if self.expanded > max_nodes:
                    raise _error(
                        f"more than {max_nodes:,} nodes; refusing to load "
                        f"{limit_hint('max-nodes')}",
                        event.start_mark,
                        filename,
                    )
        except ValueError as exc:
            if isinstance(exc, LoadError):
                raise
            raise _Unreadable(str(exc), event) from None

    def start(self, event: Any, mapping: bool) -> None:
        """A mapping or sequence opens: a new frame (attached to its parent when it ends)."""
        self.expanded += 1
        if len(self.stack) >= self.max_depth:
            raise _error(
                _parser_depth_message(self.limits.max_depth), event.start_mark, self.filename
            )
        mark = event.start_mark
        container: Any = {} if mapping else []
        table: Any = {} if mapping else []
        self.positions[id(container)] = table
        frame = _Frame(container, table, event.anchor, self.expanded)
        frame.start = (mark.line, mark.column)
        if event.anchor is not None:
            self.open_anchors.add(event.anchor)
        self.stack.append(frame)

    def end(self, event: Any) -> None:
        """The innermost container closes: merge keys applied, anchored, attached."""
        frame = self.stack.pop()
        container = frame.container
        if frame.merges:
            for source, pos in frame.merges:
                for key, item in source.items():
                    if key not in container:
                        container[key] = item
                        frame.positions[key] = pos
        depth = frame.depth + 1
        if frame.anchor is not None:
            self.open_anchors.discard(frame.anchor)
            self.anchors[frame.anchor] = (container, self.expanded - frame.start_count + 1, depth)
        self.attach(container, frame.start, event, depth)

    def alias(self, event: Any) -> None:
        """``*name``: the anchored value again, counted as the nodes it expands to."""
        name = event.anchor
        filename = self.filename
        limits = self.limits
        if name in self.open_anchors:
            raise _error(
                f"alias *{name} refers to a node that contains it (a recursive structure)",
                event.start_mark,
                filename,
            )
        if name not in self.anchors:
            raise _error(f"alias *{name} has no anchor", event.start_mark, filename)
        value, size, depth = self.anchors[name]
        self.aliased = True
        self.expanded += size
        if len(self.stack) + depth > limits.max_depth:
            # An alias of an alias of ... nests without a deep stack of open nodes.
            raise _error(
                f"nesting deeper than {limits.max_depth} levels through aliases "
                f"{limit_hint('max-depth')}",
                event.start_mark,
                filename,
            )
        if self.expanded > limits.max_nodes:
            raise _error(
                f"YAML aliases expand to more than {limits.max_nodes:,} nodes "
                f"(an alias bomb?); refusing to load {limit_hint('max-nodes')}",
                event.start_mark,
                filename,
            )
        stack = self.stack
        if stack and type(stack[-1].container) is dict and stack[-1].key is _MERGE_KEY:
            self.attach(value, stack[-1].key_pos, event, depth)
        else:
            mark = event.start_mark
            self.attach(value, (mark.line, mark.column), event, depth)

    def container_pointer(self) -> tuple[str | int, ...]:
        """Pointer of the innermost open container (the one receiving a member now)."""
        out: list[str | int] = []
        for frame in self.stack[:-1]:
            if isinstance(frame.container, dict):
                key = frame.key
                out.append("" if key is _NO_KEY or key is _MERGE_KEY else _key_text(key))
            else:
                out.append(len(frame.container))
        return tuple(out)

    def attach(self, value: Any, pos: Position, event: Any, depth: int = 0) -> None:
        """``value`` becomes the root, the next item of a list, a key, or a key's value."""
        stack = self.stack
        if not stack:
            self.root = value
            self.have_root = True
            return
        frame = stack[-1]
        frame.depth = max(frame.depth, depth)
        container = frame.container
        if isinstance(container, list):
            frame.positions.append(pos)
            container.append(value)
            return
        if frame.key is _NO_KEY:
            if isinstance(value, (dict, list)):
                raise _error(
                    "a mapping or sequence used as a mapping key is not supported",
                    event.start_mark,
                    self.filename,
                )
            frame.key = value
            frame.key_pos = pos
            return
        key = frame.key
        frame.key = _NO_KEY
        if key is _MERGE_KEY:
            sources = value if isinstance(value, list) else [value]
            merges = frame.merges if frame.merges is not None else []
            for source in sources:
                if not isinstance(source, dict):
                    raise _error(
                        "a merge key '<<' needs a mapping", event.start_mark, self.filename
                    )
                merges.append((source, frame.key_pos))
            frame.merges = merges
            return
        text_key = _key_text(key)
        if text_key in container:
            self.duplicates.append(((*self.container_pointer(), text_key), frame.key_pos))
        container[text_key] = value
        frame.positions[text_key] = frame.key_pos
