"""Streaming the requests of access logs into tallies, one per (method, path shape).

A path's *shape* is its percent-decoded segments with the values already folded into typed markers
(:func:`segment_key`): ``/users/8412/avatar`` and ``/users/77/avatar`` share the shape
``("users", <integer>, "avatar")``. Words stay as they are; whether ``json``, ``xml`` and ``csv``
in one position are values too is decided later, over all the shapes (:mod:`.templates`).

Per shape the tally keeps the calls, the status codes, a latency histogram
(:mod:`apilint.traffic.histogram`), the first and last time seen, and per query parameter how
many requests carried it (all, and those answered below 400), the kinds of its values and its
first few distinct values (for enums). Memory is bounded: at most ``MAX_SHAPES`` shapes (the
requests of further shapes are counted, not kept; a note says so), ``MAX_QUERY_NAMES`` query
names per shape, ``MAX_DISTINCT`` distinct values per query parameter.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from urllib.parse import unquote, unquote_plus

from apilint.core.errors import ConfigError
from apilint.infer.stamps import Stamp, stamp_reader
from apilint.traffic.aggregate import LogSummary, Sample, mask
from apilint.traffic.analysis import require_requests
from apilint.traffic.histogram import INV_LOG_GAMMA, MAX_MS, MIN_MS, Histogram, bucket
from apilint.traffic.logformats import (
    FORMATS,
    LogFormat,
    ParseOptions,
    Parser,
    check_explicit,
    detect,
    head_lines,
)
from apilint.traffic.matcher import request_path
from apilint.traffic.sources import STDIN, check_readable, display, open_log
from apilint.traffic.templating import is_value

MAX_SHAPES = 100_000
MAX_QUERY_NAMES = 64
MAX_DISTINCT = 16
MAX_VALUE_CHARS = 64
MAX_SEGMENTS = 64
MAX_WORDS = 1000
"""Distinct words kept per position (after the same segments before it); more are values."""
MAX_SAMPLES = 10
_CACHE_LIMIT = 50_000

WORD = "word"
"""The kind of a word in a position that has held more than MAX_WORDS distinct ones."""
MARK = "\x00"
"""Starts a segment key that stands for a value (``"\\x00integer"``), never a literal."""

_INTEGER = re.compile(r"-?\d{1,18}\Z")
_NUMBER = re.compile(r"-?\d+\.\d+\Z")
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\Z")
_DATE = re.compile(r"\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])\Z")
_DATE_TIME = re.compile(
    r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[Zz]|[+-]\d{2}:?\d{2})?\Z"
)
_EXTENSION = re.compile(r"([^.]+)(\.[A-Za-z0-9]{1,8})\Z")


def marker(kind: str, suffix: str = "") -> str:
    return MARK + kind + (MARK + suffix if suffix else "")


_INTEGER_MARK = marker("integer")
_NUMERIC_SEGMENT = re.compile(r"/\d{1,18}(?=/|\Z)")
_FOLDED = "/" + MARK + MARK


def is_marker(segment: str) -> bool:
    return segment.startswith(MARK)


def unmark(segment: str) -> tuple[str, str]:
    """A marker -> (kind, suffix)."""
    kind, _, suffix = segment[1:].partition(MARK)
    return kind, suffix


def value_kind(text: str) -> str:
    """What a query value is: integer, number, boolean, uuid, date, date-time or string."""
    kind = _KINDS.get(text)
    if kind is None:
        kind = _value_kind_of(text)
        if len(text) <= 40:
            if len(_KINDS) >= _CACHE_LIMIT:
                _KINDS.clear()
            _KINDS[text] = kind
    return kind


_KINDS: dict[str, str] = {}


def _value_kind_of(text: str) -> str:
    first = text[:1]
    if first.isdigit() or first == "-":
        if _INTEGER.match(text):
            return "integer"
        if _NUMBER.match(text):
            return "number"
        if _DATE.match(text):
            return "date"
        if _DATE_TIME.match(text):
            return "date-time"
    if len(text) == 36 and _UUID.match(text):
        return "uuid"
    if text.lower() in ("true", "false"):
        return "boolean"
    return "string"


def segment_key(segment: str) -> str:
    """A decoded path segment as it enters a shape: a marker for a value (an id, a UUID, a date,
    a hash, an opaque token; ``8412.json`` and ``3f9a0c1e77b2.js`` keep their extension), the
    segment itself otherwise."""
    if segment.isdigit() and len(segment) <= 18:
        return marker("integer")
    kind = _value_kind(segment)
    if kind is not None:
        return marker(kind)
    found = _EXTENSION.match(segment)
    if found is not None:
        stem = found.group(1)
        if stem.isdigit() and len(stem) <= 18:
            return marker("integer", found.group(2))
        kind = _value_kind(stem)
        if kind is not None:
            return marker(kind, found.group(2))
    return segment


def _value_kind(segment: str) -> str | None:
    if _UUID.match(segment):
        return "uuid"
    if _DATE.match(segment):
        return "date"
    if _DATE_TIME.match(segment):
        return "date-time"
    if is_value(segment):
        return "string"
    return None


_SEGMENTS: dict[str, str] = {}


def _cached_key(segment: str) -> str:
    """segment_key(), remembered for the words (which repeat); ids are recognised at once."""
    if (segment.isdigit() and len(segment) <= 18) or segment == _FOLDED[1:]:
        return _INTEGER_MARK
    key = _SEGMENTS.get(segment)
    if key is None:
        key = segment_key(segment)
        if len(_SEGMENTS) >= _CACHE_LIMIT:
            _SEGMENTS.clear()
        _SEGMENTS[segment] = key
    return key


def shape_of(path: str) -> tuple[str, ...] | None:
    """``/users/8412/`` -> ``("users", <integer>, "")``; None when too deep to be an API path."""
    parts = path.split("/")[1:]
    if len(parts) > MAX_SEGMENTS:
        return None
    return tuple(_cached_key(unquote(p) if "%" in p else p) for p in parts)


class ParamTally:
    """One query parameter of one shape."""

    __slots__ = ("kinds", "ok", "repeated", "requests", "values")

    def __init__(self) -> None:
        self.requests = 0
        self.ok = 0
        """Requests answered below 400 that carried it."""
        self.kinds: dict[str, int] = {}
        self.values: dict[str, int] | None = {}
        """Distinct values and their counts; None once there are more than MAX_DISTINCT."""
        self.repeated = False
        """Some request carried it more than once (an array)."""

    def add(self, other: ParamTally) -> None:
        self.requests += other.requests
        self.ok += other.ok
        for kind, n in other.kinds.items():
            self.kinds[kind] = self.kinds.get(kind, 0) + n
        if self.values is None or other.values is None:
            self.values = None
        else:
            for text, n in other.values.items():
                self.values[text] = self.values.get(text, 0) + n
            if len(self.values) > MAX_DISTINCT:
                self.values = None
        self.repeated = self.repeated or other.repeated


class Tally:
    """The requests of one (method, shape), or of several merged."""

    __slots__ = (
        "calls",
        "first",
        "head",
        "hist",
        "last",
        "ok",
        "query",
        "query_overflow",
        "redirected",
        "status",
    )

    def __init__(self) -> None:
        self.calls = 0
        self.ok = 0
        self.status: dict[str, int] = {}
        self.hist: Histogram = {}
        self.first: float | None = None
        self.last: float | None = None
        self.query: dict[str, ParamTally] = {}
        self.query_overflow = False
        self.head = 0
        """HEAD requests folded in."""
        self.redirected: dict[str, int] = {}
        """Requests of the other trailing-slash form, answered with a redirect here (status ->
        count)."""

    def add(self, other: Tally) -> None:
        self.calls += other.calls
        self.ok += other.ok
        for code, n in other.status.items():
            self.status[code] = self.status.get(code, 0) + n
        for index, n in other.hist.items():
            self.hist[index] = self.hist.get(index, 0) + n
        if other.first is not None and (self.first is None or other.first < self.first):
            self.first = other.first
        if other.last is not None and (self.last is None or other.last > self.last):
            self.last = other.last
        for name, param in other.query.items():
            mine = self.query.get(name)
            if mine is None:
                if len(self.query) >= MAX_QUERY_NAMES:
                    self.query_overflow = True
                    continue
                mine = self.query[name] = ParamTally()
            mine.add(param)
        self.query_overflow = self.query_overflow or other.query_overflow
        self.head += other.head
        for code, n in other.redirected.items():
            self.redirected[code] = self.redirected.get(code, 0) + n


Key = tuple[str, tuple[str, ...]]
"""(method, shape)."""


@dataclass
class Collector:
    """Every request of the logs, tallied per (method, shape)."""

    tallies: dict[Key, Tally] = field(default_factory=dict)
    logs: list[LogSummary] = field(default_factory=list)
    samples: list[Sample] = field(default_factory=list)
    unparsed: int = 0
    overflow: int = 0
    """Requests of shapes past MAX_SHAPES, counted only."""
    interrupted: bool = False
    """Ctrl-C stopped the reading; what was read is described."""
    no_path: int = 0
    """Requests whose target is no path (``*``, ``host:443``)."""
    _shapes: dict[str, tuple[str, ...] | None] = field(default_factory=dict)
    _words: dict[tuple[str, ...], set[str]] = field(default_factory=dict)

    @property
    def requests(self) -> int:
        return sum(log.requests for log in self.logs)

    def feed(
        self,
        name: str,
        format_name: str,
        lines: Iterable[str],
        parse: Parser,
        explain: Callable[[str], str],
        stamp: Stamp,
    ) -> LogSummary:
        summary = LogSummary(name, format_name)
        tallies = self.tallies
        shapes = self._shapes
        log = math.log
        ceil = math.ceil
        inv = INV_LOG_GAMMA
        number = parsed = timed = unparsed = 0
        fold = _NUMERIC_SEGMENT.sub
        try:
            for number, line in enumerate(lines, 1):
                record = parse(line)
                if record is None:
                    if line.strip():
                        unparsed += 1
                        self._sample(name, number, line, explain(line))
                    continue
                method, target, status, ms = record
                path = request_path(target)
                if path is None:
                    self.no_path += 1
                    unparsed += 1
                    self._sample(name, number, line, "the request target is not a path")
                    continue
                if "/" in path[1:]:
                    path = fold(_FOLDED, path)  # one cache entry for /users/1, /users/2...
                if path in shapes:
                    shape = shapes[path]
                else:
                    shape = self._shape(path)
                    if len(shapes) >= _CACHE_LIMIT:
                        shapes.clear()
                    shapes[path] = shape
                parsed += 1
                if shape is None:
                    self.overflow += 1
                    continue
                key = (method, shape)
                tally = tallies.get(key)
                if tally is None:
                    if len(tallies) >= MAX_SHAPES:
                        self.overflow += 1
                        continue
                    tally = tallies[key] = Tally()
                tally.calls += 1
                ok = status[0] in "123"
                if ok:
                    tally.ok += 1
                counts = tally.status
                counts[status] = counts.get(status, 0) + 1
                if ms is not None:
                    timed += 1
                    index = ceil(log(ms) * inv) if MIN_MS <= ms <= MAX_MS else bucket(ms)
                    hist = tally.hist
                    hist[index] = hist.get(index, 0) + 1
                moment = stamp(line)
                if moment is not None:
                    if tally.first is None or moment < tally.first:
                        tally.first = moment
                    if tally.last is None or moment > tally.last:
                        tally.last = moment
                cut = target.find("?")
                if cut >= 0:
                    _count_query(tally, target[cut + 1 :], ok)
        finally:  # also when interrupted: what was read counts
            summary.lines = number
            summary.requests = parsed
            summary.unparsed = unparsed
            summary.timed = timed
            self.unparsed += unparsed
            self.logs.append(summary)
        return summary

    def _shape(self, path: str) -> tuple[str, ...] | None:
        """shape_of(), with the words of a position that has held more than MAX_WORDS distinct
        ones folded into a value marker (file names, slugs: unbounded, and values anyway)."""
        shape = shape_of(path)
        if shape is None:
            return None
        words = self._words
        out: list[str] | None = None
        for index, segment in enumerate(shape):
            if is_marker(segment) or not segment:
                continue
            prefix = shape[:index] if out is None else tuple(out[:index])
            seen = words.get(prefix)
            if seen is None:
                if len(words) >= _CACHE_LIMIT:
                    continue
                seen = words[prefix] = set()
            if segment in seen:
                continue
            if len(seen) < MAX_WORDS:
                seen.add(segment)
                continue
            if out is None:
                out = list(shape)
            extension = _EXTENSION.match(segment)
            out[index] = marker(WORD, extension.group(2) if extension else "")
        return tuple(out) if out is not None else shape

    def _sample(self, name: str, number: int, line: str, reason: str) -> None:
        if len(self.samples) < MAX_SAMPLES:
            self.samples.append(Sample(name, number, mask(line), reason))


def _count_query(tally: Tally, query: str, ok: bool) -> None:
    hash_at = query.find("#")
    if hash_at >= 0:
        query = query[:hash_at]
    if not query:
        return
    seen: dict[str, int] = {}
    for part in query.split("&"):
        name, _, text = part.partition("=")
        if "%" in name or "+" in name:
            name = unquote_plus(name)
        if "%" in text or "+" in text:
            text = unquote_plus(text)
        if not name:
            continue
        param = tally.query.get(name)
        if param is None:
            if len(tally.query) >= MAX_QUERY_NAMES:
                tally.query_overflow = True
                continue
            param = tally.query[name] = ParamTally()
        if name in seen:
            param.repeated = True
        else:
            param.requests += 1
            if ok:
                param.ok += 1
        seen[name] = seen.get(name, 0) + 1
        kind = value_kind(text) if text else "empty"
        param.kinds[kind] = param.kinds.get(kind, 0) + 1
        values = param.values
        if values is not None:
            if len(text) > MAX_VALUE_CHARS:
                param.values = None
            else:
                values[text] = values.get(text, 0) + 1
                if len(values) > MAX_DISTINCT:
                    param.values = None


# -- reading the logs ----------------------------------------------------------------------------

AUTO = "auto"


def collect(
    logs: Sequence[str],
    log_format: str = AUTO,
    parse_options: ParseOptions | None = None,
    notes: list[str] | None = None,
    collector: Collector | None = None,
) -> Collector:
    """Tally every request of ``logs`` (paths, or ``-`` for standard input).

    Raises LogError for a log that is missing, not text, or in no format apilint can tell, and
    when no line of any log is a request.
    """
    notes = notes if notes is not None else []
    options = parse_options or ParseOptions()
    if log_format != AUTO and log_format not in FORMATS:
        raise ConfigError(
            f"unknown log format {log_format!r} (choose from auto, {', '.join(FORMATS)})"
        )
    if sum(1 for name in logs if name == STDIN) > 1:
        raise ConfigError("standard input ('-') can be read only once")
    for name in logs:
        check_readable(name)
    collector = collector or Collector()
    empty: list[str] = []
    try:
        for name in logs:
            shown = display(name)
            with open_log(name, notes) as lines:
                read, sample = head_lines(lines)
                if not sample:
                    empty.append(shown)
                    continue
                fmt: LogFormat
                if log_format == AUTO:
                    fmt = detect(sample, options, shown)
                else:
                    fmt = FORMATS[log_format]
                    check_explicit(fmt, sample, options, shown)
                parse = fmt.parser(sample, options)

                def explain(line: str, fmt: LogFormat = fmt) -> str:
                    return fmt.explain(line, options)

                collector.feed(
                    shown,
                    fmt.name,
                    itertools.chain(read, lines),
                    parse,
                    explain,
                    stamp_reader(fmt.name),
                )
    except KeyboardInterrupt:
        if collector.requests == 0:
            raise
        collector.interrupted = True
        notes.append("interrupted: the description covers the requests read until then")
    require_requests(
        collector.logs,
        collector.requests,
        empty,
        notes,
        "to infer a description from",
        "to infer from",
    )
    if collector.overflow:
        notes.append(
            f"{collector.overflow} requests of more than {MAX_SHAPES} distinct path shapes "
            "were counted but not described"
        )
    return collector
