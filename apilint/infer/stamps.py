"""When a request was made, read from its log line (for an operation's first and last call).

The log formats of :mod:`apilint.traffic.logformats` do not keep the time; this module reads it
apart, only for the lines that were requests:

- combined and common: ``[28/Nov/2026:10:00:00 +0000]``, the first bracketed field;
- HAProxy: ``[28/Nov/2026:10:00:00.123]`` (local time, no zone: read as UTC);
- AWS ALB: the second field, ISO 8601;
- JSON lines: the first of the usual time fields (``time_iso8601``, ``@timestamp``,
  ``timestamp``, ``time``, ``ts``, ``time_local``, ``msec``): ISO 8601, the CLF form or seconds
  since the epoch.

A time that cannot be read is no time (None), never an error: the request still counts.
Consecutive lines usually share their timestamp text, so the last conversion is remembered.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime

Stamp = Callable[[str], float | None]
"""A log line -> seconds since the epoch (UTC), or None."""

_CLF_TIME = "%d/%b/%Y:%H:%M:%S %z"
_HAPROXY_TIME = re.compile(r"\[(\d{2}/\w{3}/\d{4}:\d{2}:\d{2}:\d{2})(?:\.(\d+))?\]")
_JSON_TIME = re.compile(
    r'"(time_iso8601|@timestamp|timestamp|time|ts|time_local|msec)"\s*:\s*'
    r'(?:"([^"\\]{4,40})"|(\d{9,11}(?:\.\d+)?))'
)


def _clf(text: str) -> float | None:
    try:
        return datetime.strptime(text, _CLF_TIME).timestamp()
    except ValueError:
        return None


def _iso(text: str) -> float | None:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def _any_text(text: str) -> float | None:
    if "/" in text and ":" in text:
        return _clf(text)
    return _iso(text)


def _remembering(convert: Callable[[str], float | None]) -> Callable[[str], float | None]:
    last_text = ""
    last_value: float | None = None

    def read(text: str) -> float | None:
        nonlocal last_text, last_value
        if text != last_text:
            last_text, last_value = text, convert(text)
        return last_value

    return read


def _clf_stamp() -> Stamp:
    convert = _remembering(_clf)

    def stamp(line: str) -> float | None:
        start = line.find("[")
        end = line.find("]", start + 1)
        if start < 0 or end < 0:
            return None
        return convert(line[start + 1 : end])

    return stamp


def _haproxy_stamp() -> Stamp:
    def to_seconds(text: str) -> float | None:
        try:
            moment = datetime.strptime(text, "%d/%b/%Y:%H:%M:%S")
        except ValueError:
            return None
        return moment.replace(tzinfo=UTC).timestamp()

    convert = _remembering(to_seconds)

    def stamp(line: str) -> float | None:
        found = _HAPROXY_TIME.search(line)
        if found is None:
            return None
        seconds = convert(found.group(1))
        if seconds is None:
            return None
        fraction = found.group(2)
        return seconds + float("0." + fraction) if fraction else seconds

    return stamp


def _alb_stamp() -> Stamp:
    def stamp(line: str) -> float | None:
        parts = line.split(" ", 2)
        return _iso(parts[1]) if len(parts) > 2 else None

    return stamp


def _json_stamp() -> Stamp:
    convert = _remembering(_any_text)

    def stamp(line: str) -> float | None:
        found = _JSON_TIME.search(line)
        if found is None:
            return None
        if found.group(3) is not None:
            return float(found.group(3))
        return convert(found.group(2))

    return stamp


_READERS: dict[str, Callable[[], Stamp]] = {
    "combined": _clf_stamp,
    "common": _clf_stamp,
    "haproxy": _haproxy_stamp,
    "alb": _alb_stamp,
    "jsonl": _json_stamp,
}


def stamp_reader(format_name: str) -> Stamp:
    """The timestamp reader of a log format (one that reads nothing for a format it does not
    know)."""
    factory = _READERS.get(format_name)
    if factory is None:
        return lambda line: None
    return factory()


def iso(seconds: float) -> str:
    """``1764324000.0`` -> ``2025-11-28T10:00:00Z`` (whole seconds)."""
    moment = datetime.fromtimestamp(int(seconds), tz=UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
