"""Reading every log against one description: open, recognise the format, stream, tally."""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace

from apilint.core.errors import ConfigError
from apilint.traffic.aggregate import Aggregator, LogSummary
from apilint.traffic.exchanges import ExchangeChecker, captured
from apilint.traffic.logformats import (
    EXCHANGE,
    FORMATS,
    HAR_FIELDS,
    SAMPLE_LINES,
    LogFormat,
    ParseOptions,
    Reader,
    Record,
    check_explicit,
    detect,
    har_lines,
    head_lines,
    looks_like_har,
)
from apilint.traffic.matcher import Matcher
from apilint.traffic.sources import (
    STDIN,
    LogError,
    LongLine,
    check_readable,
    display,
    open_log,
    read_document,
)

AUTO = "auto"
HAR = "har"
MAX_MIXED_TRIES = 1000
"""Unreadable lines tried in the other formats before deciding the file is not mixed."""


@dataclass(frozen=True)
class AnalysisOptions:
    log_format: str = AUTO
    """A name from :data:`~apilint.traffic.logformats.FORMATS`, or ``auto`` (per file)."""
    parse: ParseOptions = field(default_factory=ParseOptions)


def _checking(aggregator: Aggregator, read: Reader, key: str | None) -> Reader:
    """``read``, also handing every exchange that carries headers or a body to the run's
    :class:`~apilint.traffic.exchanges.ExchangeChecker`: a HAR line's ``key``, or an NDJSON
    object's own ``request`` and ``response`` (``key`` None)."""
    marker = f'"{key}"' if key is not None else '"response"'

    def read_and_check(line: str) -> Record | None:
        record = read(line)
        if record is not None and marker in line:
            try:
                obj = json.loads(line)
            except (ValueError, RecursionError):
                return record
            exchange = obj.get(key) if key is not None else obj
            if isinstance(exchange, dict) and captured(exchange):
                checker = aggregator.exchanges
                if checker is None:  # prepared on the first exchange: most logs have none
                    matcher = aggregator.matcher
                    checker = aggregator.exchanges = ExchangeChecker(matcher.api, matcher)
                checker.add(record[0], record[1], record[2], exchange)
        return record

    return read_and_check


def _feed_har(
    aggregator: Aggregator,
    name: str,
    head: list[str],
    lines: Iterator[str],
    parse_options: ParseOptions,
) -> None:
    shown = display(name)
    if name == STDIN:
        rest = list(lines)
        if any(isinstance(line, LongLine) for line in [*head, *rest]):
            raise LogError(
                "a HAR file with lines too long to read from standard input; name the file",
                file=shown,
            )
        text = "".join([*head, *rest])
    else:
        text = read_document(name)
    entries = har_lines(text, shown)
    jsonl = FORMATS["jsonl"]
    options = replace(parse_options, json_fields=HAR_FIELDS)
    read = _checking(aggregator, jsonl.reader(entries[:SAMPLE_LINES], options), EXCHANGE)

    def explain(line: str) -> str:
        return "a HAR entry without a response (status 0) or without method, URL or status"

    timestamp = jsonl.timestamps(entries[:SAMPLE_LINES], options)
    aggregator.feed(shown, HAR, entries, read, explain, timestamp=timestamp)


def _other_formats(
    fmt: LogFormat, options: ParseOptions
) -> Callable[[str], tuple[str, Reader] | None]:
    """For a line ``fmt`` cannot read: another format that reads it (a file that mixes
    formats), and its reader. Gives up after MAX_MIXED_TRIES lines no format reads."""
    readers: dict[str, Reader] = {}
    misses = 0

    def other(line: str) -> tuple[str, Reader] | None:
        nonlocal misses
        if misses >= MAX_MIXED_TRIES or not line.strip():
            return None
        for candidate in FORMATS.values():
            if candidate is fmt or not candidate.recognises(line, options):
                continue
            read = readers.get(candidate.name)
            if read is None:
                read = readers[candidate.name] = candidate.reader([line], options)
            return candidate.name, read
        misses += 1
        return None

    return other


def analyse(
    matcher: Matcher,
    logs: Sequence[str],
    options: AnalysisOptions = AnalysisOptions(),
    notes: list[str] | None = None,
) -> Aggregator:
    """Tally the requests of ``logs`` (paths, or ``-`` for standard input) against ``matcher``.

    Raises LogError for a log that is missing, not text, or in no format apilint can tell.
    Empty logs are skipped with a note.
    """
    notes = notes if notes is not None else []
    if options.log_format not in (AUTO, HAR) and options.log_format not in FORMATS:
        raise ConfigError(
            f"unknown log format {options.log_format!r} "
            f"(choose from auto, {', '.join(FORMATS)}, {HAR})"
        )
    if sum(1 for name in logs if name == STDIN) > 1:
        raise ConfigError("standard input ('-') can be read only once")
    for name in logs:
        check_readable(name)
    aggregator = Aggregator(matcher)
    empty: list[str] = []
    for name in logs:
        shown = display(name)
        with open_log(name, notes) as lines:
            head, sample = head_lines(lines)
            if not sample:
                empty.append(shown)
                continue
            if options.log_format in (AUTO, HAR) and looks_like_har(sample):
                _feed_har(aggregator, name, head, lines, options.parse)
                continue
            if options.log_format == HAR:
                raise LogError("not a HAR file (one JSON document with log.entries)", file=shown)
            fmt: LogFormat
            if options.log_format == AUTO:
                fmt = detect(sample, options.parse, shown)
            else:
                fmt = FORMATS[options.log_format]
                check_explicit(fmt, sample, options.parse, shown)
            read = fmt.reader(sample, options.parse)
            if fmt.name == "jsonl":
                read = _checking(aggregator, read, None)

            def explain(line: str, fmt: LogFormat = fmt) -> str:
                return fmt.explain(line, options.parse)

            other = _other_formats(fmt, options.parse) if options.log_format == AUTO else None
            aggregator.feed(
                shown,
                fmt.name,
                itertools.chain(head, lines),
                read,
                explain,
                other,
                fmt.timestamps(sample, options.parse),
            )
    require_requests(
        aggregator.logs,
        aggregator.requests,
        empty,
        notes,
        "to compare with the description",
        "to compare",
    )
    return aggregator


def require_requests(
    logs: Sequence[LogSummary],
    requests: int,
    empty: list[str],
    notes: list[str],
    purpose: str,
    short: str,
) -> None:
    """One line and exit 2 when the logs held nothing to work with (``purpose``: "to compare
    with the description", ``short``: "to compare"); a note for each empty log among others."""
    if not logs:
        if len(empty) == 1:
            raise LogError(f"the log is empty: no requests {purpose}", file=empty[0])
        raise LogError(f"every log is empty ({', '.join(empty)}): no requests {short}")
    notes.extend(f"{shown}: the log is empty" for shown in empty)
    if requests == 0:
        formats = ", ".join(sorted({log.format for log in logs}))
        raise LogError(
            f"none of the {sum(log.lines for log in logs)} lines could be read as a "
            f"request ({formats} format); see --log-format"
        )
