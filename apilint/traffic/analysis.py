"""Reading every log against one description: open, recognise the format, stream, tally."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from apilint.core.errors import ConfigError
from apilint.traffic.aggregate import Aggregator
from apilint.traffic.logformats import (
    FORMATS,
    SAMPLE_LINES,
    LogFormat,
    ParseOptions,
    check_explicit,
    detect,
)
from apilint.traffic.matcher import Matcher
from apilint.traffic.sources import STDIN, LogError, check_readable, display, open_log

AUTO = "auto"


@dataclass(frozen=True)
class AnalysisOptions:
    log_format: str = AUTO
    """A name from :data:`~apilint.traffic.logformats.FORMATS`, or ``auto`` (per file)."""
    parse: ParseOptions = field(default_factory=ParseOptions)


def _head(lines: Iterator[str]) -> tuple[list[str], list[str]]:
    """The first lines of a log (all of them, to be replayed) and the non-blank ones among
    them (at most SAMPLE_LINES, to recognise the format)."""
    read: list[str] = []
    sample: list[str] = []
    for line in lines:
        read.append(line)
        if line.strip():
            sample.append(line)
            if len(sample) >= SAMPLE_LINES:
                break
    return read, sample


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
    if options.log_format != AUTO and options.log_format not in FORMATS:
        raise ConfigError(
            f"unknown log format {options.log_format!r} (choose from auto, {', '.join(FORMATS)})"
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
            read, sample = _head(lines)
            if not sample:
                empty.append(shown)
                continue
            fmt: LogFormat
            if options.log_format == AUTO:
                fmt = detect(sample, options.parse, shown)
            else:
                fmt = FORMATS[options.log_format]
                check_explicit(fmt, sample, options.parse, shown)
            parse = fmt.parser(sample, options.parse)

            def explain(line: str, fmt: LogFormat = fmt) -> str:
                return fmt.explain(line, options.parse)

            aggregator.feed(shown, fmt.name, itertools.chain(read, lines), parse, explain)
    if not aggregator.logs:
        if len(empty) == 1:
            raise LogError(
                "the log is empty: no requests to compare with the description", file=empty[0]
            )
        raise LogError(f"every log is empty ({', '.join(empty)}): no requests to compare")
    notes.extend(f"{shown}: the log is empty" for shown in empty)
    if aggregator.requests == 0:
        formats = ", ".join(sorted({log.format for log in aggregator.logs}))
        raise LogError(
            f"none of the {sum(log.lines for log in aggregator.logs)} lines could be read as a "
            f"request ({formats} format); see --log-format"
        )
    return aggregator
