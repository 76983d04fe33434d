"""Access log formats: one line in, ``(method, target, status, duration_ms)`` out (a
:data:`Parsed` request), followed by who and when where the format logs them (client address,
hour, response bytes, user agent: a :data:`Record`, from :meth:`LogFormat.reader`).

Supported formats (the names ``--log-format`` takes):

``combined``  NGINX's and Apache's combined format, ``%h %l %u %t "%r" %>s %b "%{Referer}i"
              "%{User-agent}i"``, optionally followed by more fields (a timing field is used when
              there is one, see below). Apache's ``vhost_combined`` (a leading ``%v:%p``) too.
``common``    The Common Log Format (the same without referer and user agent).
``haproxy``   HAProxy's default HTTP format (``option httplog``; the user agent when ``capture
              request header User-Agent`` logs it), with or without the syslog
              header: the five timers ``TR/Tw/Tc/Tr/Ta`` (``Tq/Tw/Tc/Tr/Tt`` before 1.9) give the
              duration: ``Ta``/``Tt``, the time from the first byte of the request to the last of
              the response (what a client waits), or ``Tr`` when that is unknown.
``alb``       AWS Application Load Balancer access logs; the duration is the sum of the request,
              target and response processing times (none when the target did not answer).
``jsonl``     One JSON object per line. Fields are found under common names (``method``,
              ``path``/``uri``/``url``, ``status``, ``request_time``, ``time_iso8601``,
              ``remote_addr``, ``http_user_agent``, ``body_bytes_sent``...; ECS, Caddy, Traefik,
              pino and Google Cloud names too) or named with ``--json-fields`` (dotted names
              reach into nested objects).

Timing in combined and common logs: the first extra field after the standard ones that holds a
number, or a ``rt=``/``request_time=`` field. A number with a decimal point is read as seconds
(NGINX's ``$request_time``), a whole number as microseconds (Apache's ``%D``); ``--time-unit``
says otherwise.

Each format has a strict recogniser (used to tell formats apart on a file's first lines) and a
lenient fast parser (used on every line once the format is known): a million lines have to go
through in a few seconds.
"""

from __future__ import annotations

import functools
import json
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from apilint.core.errors import ConfigError
from apilint.traffic.sources import LogError

Parsed = tuple[str, str, str, float | None]
"""(method, request target, status code as three digits, duration in milliseconds or None)."""

Parser = Callable[[str], Parsed | None]

Usage = tuple[str | None, str | None, int | None, str | None]
"""(client address, hour as the log writes it, response bytes, user agent); None where the line
does not say."""

Record = tuple[str, str, str, float | None, str | None, str | None, int | None, str | None]
"""A :data:`Parsed` request followed by its :data:`Usage`, read from the line in one go."""

Reader = Callable[[str], Record | None]

NO_USAGE: Usage = (None, None, None, None)

MAX_AGENT_CHARS = 200
"""A user agent longer than this is cut (a client sending megabytes in it must not grow tallies)."""
MAX_CLIENT_CHARS = 100
"""A client address of a JSON-lines log longer than this is cut (addresses are at most 45)."""


_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_LOG_ESCAPE = re.compile(r'\\(?:x22|")')


def agent_text(value: str | None, escaped: bool = False) -> str | None:
    r"""A user agent as tallied: None for ``-`` or empty, at most MAX_AGENT_CHARS long, control
    characters written as ``\xHH``. ``escaped``: as a text log writes a quoted field (NGINX's
    ``\x22``, Apache's ``\"``), the quote turned back into the one the client sent."""
    if not value or value == "-":
        return None
    if escaped and "\\" in value:
        value = _LOG_ESCAPE.sub('"', value)
    if not value.isprintable():
        value = _UNPRINTABLE.sub(lambda m: f"\\x{ord(m.group()):02x}", value)
    return value if len(value) <= MAX_AGENT_CHARS else value[: MAX_AGENT_CHARS - 3] + "..."


SAMPLE_LINES = 50
"""Non-blank lines read from the start of a file to recognise its format."""

_UNITS = {"s": 1000.0, "ms": 1.0, "us": 0.001}
TIME_UNITS = ("auto", *_UNITS)


@dataclass(frozen=True)
class ParseOptions:
    time_unit: str = "auto"
    """Unit of the timing field of combined and common logs: auto, s, ms or us."""
    json_fields: Mapping[str, str] = field(default_factory=dict)
    """``--json-fields``: role (method, path, status, duration_ms...) -> field name."""


class LogFormat(ABC):
    """One log format: recognise a line strictly, parse lines fast, explain a failure."""

    name = ""
    title = ""

    @abstractmethod
    def recognises(self, line: str, options: ParseOptions) -> bool:
        """The line is surely of this format (detection reads a file's first lines with it)."""

    @abstractmethod
    def parser(self, sample: Sequence[str], options: ParseOptions) -> Parser:
        """A parse function, tuned to the file from its first lines (where its timing is)."""

    def explain(self, line: str, options: ParseOptions) -> str:
        """Why ``line`` was not read (for the samples of unparsed lines)."""
        return f"not a line of the {self.title} format"

    def timestamp(self, line: str) -> str | None:
        """When the request of ``line`` was logged, in ISO 8601; None when it does not say.
        Called for a log's first and last requests only (the period it covers)."""
        return _bracketed_time(line)

    def timestamps(
        self, sample: Sequence[str], options: ParseOptions
    ) -> Callable[[str], str | None]:
        """:meth:`timestamp` for one file (a format whose fields are named per file reads the
        field its first lines have)."""
        return self.timestamp

    def client(self, line: str) -> str | None:
        """The client address of a line already parsed; None when the format has none."""
        return None

    def hour(self, line: str) -> str | None:
        """The hour of a line already parsed, as the log writes it (a cheap slice, turned into
        ISO 8601 by :func:`hour_iso` only for the report); None when the format has none."""
        start = line.find("[")
        if start < 0:
            return None
        return line[start + 1 : start + 15]

    def sent_bytes(self, line: str) -> int | None:
        """Bytes of the response the line logs; None when the format does not say."""
        return None

    def agent(self, line: str) -> str | None:
        """The user agent of a line already parsed; None when the format does not log it."""
        return None

    def who_when(self, line: str) -> Usage:
        """(client address, hour, response bytes, user agent) of a line already parsed."""
        return self.client(line), self.hour(line), self.sent_bytes(line), self.agent(line)

    def reader(self, sample: Sequence[str], options: ParseOptions) -> Reader:
        """A read function: each line's request and usage (:data:`Record`). This one parses,
        then reads the usage of the lines that are requests; formats override it to read both
        in one go."""
        parse = self.parser(sample, options)
        who_when = self.who_when

        def read(line: str) -> Record | None:
            record = parse(line)
            if record is None:
                return None
            return (*record, *who_when(line))

        return read


# -- timestamps ----------------------------------------------------------------------------------

_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTHS = {name: number for number, name in enumerate(_MONTH_NAMES, 1)}
_BRACKETED = re.compile(
    r"\[(\d{2})/(\w{3})/(\d{4}):(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?: ([+-])(\d{2})(\d{2}))?\]"
)
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?")
TIME_FIELDS = (
    "time_iso8601",
    "@timestamp",
    "timestamp",
    "time",
    "time_local",
    "ts",
    "startedDateTime",
)


def _bracketed_time(line: str) -> str | None:
    """``[28/Nov/2026:10:00:00 +0000]`` (NGINX, Apache, HAProxy) -> ISO 8601."""
    found = _BRACKETED.search(line)
    if found is None:
        return None
    day, month, year, hh, mm, ss, sign, zh, zm = found.groups()
    number = _MONTHS.get(month)
    if number is None:
        return None
    zone = f"{sign}{zh}:{zm}" if sign else ""
    return f"{year}-{number:02d}-{day}T{hh}:{mm}:{ss}{zone}"


def hour_iso(hour: str) -> str | None:
    """``28/Nov/2026:10`` -> ``2026-11-28T10:00``; an ISO prefix (``2026-11-28T10``) as is."""
    if len(hour) == 13 and hour[4] == "-":
        return hour + ":00"
    found = _BRACKETED.match(f"[{hour}:00:00]")
    if found is None:
        return None
    day, month, year, hh = found.group(1, 2, 3, 4)
    number = _MONTHS.get(month)
    return f"{year}-{number:02d}-{day}T{hh}:00" if number else None


def _iso_time(text: str) -> str | None:
    found = _ISO.search(text)
    return found.group().replace(" ", "T") if found else None


# -- request lines -------------------------------------------------------------------------------

_REQUEST_LINE = re.compile(r"([A-Z][A-Z_-]*) (\S+)(?: HTTP/\d(?:\.\d)?)?\Z")


def split_request(request: str) -> tuple[str, str] | None:
    """``"GET /x?y HTTP/1.1"`` -> ``("GET", "/x?y")``; None for anything that is not a request."""
    found = _REQUEST_LINE.match(request)
    return (found.group(1), found.group(2)) if found else None


def _explain_request(request: str) -> str:
    if request in ("", "-"):
        return "no request line (the client sent nothing usable)"
    return "the request field is not an HTTP request line"


# -- combined and common ---------------------------------------------------------------------------

_QUOTED = r'"[^"\\]*(?:\\.[^"\\]*)*"'
_CLF_HEAD = (
    r'\S+(?: \S+){2,3} \[[^\]]+\] "(?P<request>[^"\\]*(?:\\.[^"\\]*)*)" (?P<status>\d{3}) (?:\d+|-)'
)
_COMBINED_STRICT = re.compile(_CLF_HEAD + rf" {_QUOTED} {_QUOTED}(?P<extra>[^\n]*)")
_COMMON_STRICT = re.compile(_CLF_HEAD + r'(?P<extra>(?: +[^" \n]+)*) *\n?\Z')
# The fast parsers: everything up to the status code, nothing after it.
_CLF_FAST = re.compile(r'[^"]*"([A-Z][A-Z_-]*) ([^ "]+)[^"]*" (\d{3}) ')
_CLF_ESCAPED = re.compile(
    r'[^"]*"([A-Z][A-Z_-]*) ((?:[^ "\\]|\\.)+)(?:[^"\\]|\\.)*" (\d{3})(?: |$)'
)
# The usual line whole: address, hour, request, status, bytes and (combined) the user agent;
# for lines without a backslash, so no quote inside a field is escaped.
_CLF_READ = re.compile(
    r'([^ ]+) [^[]*\[(.{14})[^\]]*\] "([A-Z][A-Z_-]*) ([^ "]+)[^"]*" (\d{3}) (\d+|-)'
    r'(?: "[^"]*" "([^"]*)")?'
)
_CLF_READ_TIMED = re.compile(
    r'([^ ]+) [^[]*\[(.{14})[^\]]*\] "([A-Z][A-Z_-]*) ([^ "]+)[^"]*" (\d{3}) (\d+|-)'
    r' "[^"]*" "([^"]*)" ([^ \n]+)\n?\Z'
)
"""The same, for a combined line with one field more: its duration."""
_CLF_AGENT = re.compile(
    r'[^"]*"(?:[^"\\]|\\.)*" \d{3} (?:\d+|-) "(?:[^"\\]|\\.)*" "((?:[^"\\]|\\.)*)"'
)
_TIMING_KEYS = ("rt", "request_time", "req_time", "reqtime")
_KEYED = re.compile(r"(?:^|\s)(" + "|".join(_TIMING_KEYS) + r')="?(\d+(?:\.\d+)?)"?(?=\s|$)')
_NUMBER = re.compile(r'"?(\d+(?:\.\d+)?)"?\Z')


@dataclass(frozen=True)
class Timing:
    """Where a combined/common log keeps its duration, learnt from the first lines."""

    from_end: int = 0
    """Position of the field counted from the end of the line (1 = last); 0 when keyed."""
    keyed: bool = False
    factor: float = 1.0
    """Milliseconds per unit of the field."""

    def read(self, line: str) -> float | None:
        if self.from_end == 1:  # the usual case, and the fast one: the last field
            token = line[line.rfind(" ") + 1 :]
            try:
                return float(token) * self.factor
            except ValueError:
                try:
                    return float(token.strip().strip('"')) * self.factor
                except ValueError:
                    return None
        if self.keyed:
            found = _KEYED.search(line)
            return float(found.group(2)) * self.factor if found else None
        parts = line.rsplit(None, self.from_end)
        if len(parts) <= self.from_end:
            return None
        token = parts[-self.from_end]
        try:
            return float(token.strip('"')) * self.factor
        except ValueError:
            return None


def find_timing(extras: Sequence[str], unit: str) -> Timing | None:
    """The timing layout of the extra fields (after the standard ones) of some sample lines."""
    for extra in extras:
        tokens = extra.split()
        if not tokens:
            continue
        keyed = _KEYED.search(extra)
        if keyed:
            return Timing(keyed=True, factor=_UNITS.get(unit, 1000.0))
        numbers = [(i, m.group(1)) for i, t in enumerate(tokens) if (m := _NUMBER.match(t))]
        if not numbers:
            continue
        decimal = [(i, text) for i, text in numbers if "." in text]
        index, text = (decimal or numbers)[0]
        automatic = 1000.0 if "." in text else 0.001
        factor = automatic if unit == "auto" else _UNITS[unit]
        return Timing(from_end=len(tokens) - index, factor=factor)
    return None


def _clf_bytes(line: str, quote: int) -> int | None:
    """The byte count after the status: ``"GET / HTTP/1.1" 200 512`` -> 512 (``-``: None)."""
    if quote < 0:
        return None
    end = line.find('" ', quote + 1)
    if end < 0:
        return None
    start = end + 6  # '" ' and the three digits of the status and a space
    stop = line.find(" ", start)
    token = line[start:stop] if stop >= 0 else line[start:].rstrip()
    return int(token) if token.isdigit() else None


class ClfFormat(LogFormat):
    """Combined and common share the fast parser; they differ in what follows the byte count."""

    strict: re.Pattern[str] = _COMBINED_STRICT

    def client(self, line: str) -> str | None:
        return line[: line.find(" ")] or None

    def sent_bytes(self, line: str) -> int | None:
        return _clf_bytes(line, line.find('"'))

    def agent(self, line: str) -> str | None:
        found = _CLF_AGENT.match(line)
        return agent_text(found.group(1), escaped=True) if found else None

    def who_when(self, line: str) -> Usage:
        space = line.find(" ")
        start = line.find("[", space)
        hour = line[start + 1 : start + 15] if start > 0 else None
        size = _clf_bytes(line, line.find('"', start))
        return (line[:space] or None), hour, size, self.agent(line)

    def reader(self, sample: Sequence[str], options: ParseOptions) -> Reader:
        """Request, client, hour, bytes and user agent from one regular expression; a line it
        does not fit (quotes escaped in the request) goes through the lenient parser."""
        parse = self.parser(sample, options)
        extras = [m.group("extra") for line in sample if (m := self.strict.match(line))]
        timing = find_timing(extras, options.time_unit)
        full = _CLF_READ.match
        who_when = self.who_when
        last = timing is not None and timing.from_end == 1
        factor = timing.factor if timing is not None else 1.0
        read_timing = timing.read if timing is not None else None
        timed_layout = last and all(len(extra.split()) == 1 for extra in extras)
        if timed_layout:
            # the usual timed layout (NGINX's combined + $request_time): the duration is the
            # one field after the user agent, read by the same expression
            timed = _CLF_READ_TIMED.match

            def read_timed(line: str) -> Record | None:
                found = timed(line) if "\\" not in line else None
                if found is None:
                    return read(line)
                address, hour, method, target, status, size, agent, duration = found.groups()
                try:
                    ms: float | None = float(duration) * factor
                except ValueError:
                    ms = read_timing(line) if read_timing is not None else None
                size_sent = int(size) if size != "-" else None
                return method, target, status, ms, address, hour, size_sent, agent_text(agent)

        def read(line: str) -> Record | None:
            found = full(line) if "\\" not in line else None
            if found is None:
                record = parse(line)
                return None if record is None else (*record, *who_when(line))
            address, hour, method, target, status, size, agent = found.groups()
            ms: float | None = None
            if last:
                try:
                    ms = float(line[line.rfind(" ") + 1 :]) * factor
                except ValueError:
                    ms = read_timing(line) if read_timing is not None else None
            elif read_timing is not None:
                ms = read_timing(line)
            size_sent = int(size) if size != "-" else None
            return method, target, status, ms, address, hour, size_sent, agent_text(agent)

        return read_timed if timed_layout else read

    def recognises(self, line: str, options: ParseOptions) -> bool:
        return self.strict.match(line) is not None

    def parser(self, sample: Sequence[str], options: ParseOptions) -> Parser:
        extras = [m.group("extra") for line in sample if (m := self.strict.match(line))]
        timing = find_timing(extras, options.time_unit)
        fast = _CLF_FAST.match
        escaped = _CLF_ESCAPED.match

        if timing is None:

            def parse(line: str) -> Parsed | None:
                found = fast(line) or escaped(line)
                if found is None:
                    return None
                method, target, status = found.groups()
                return method, target, status, None

            return parse

        read = timing.read
        if timing.from_end == 1:
            factor = timing.factor

            def parse_last(line: str) -> Parsed | None:
                """The usual layout (the duration is the last field), read inline."""
                found = fast(line) or escaped(line)
                if found is None:
                    return None
                method, target, status = found.groups()
                try:
                    ms: float | None = float(line[line.rfind(" ") + 1 :]) * factor
                except ValueError:
                    ms = read(line)
                return method, target, status, ms

            return parse_last

        def parse_timed(line: str) -> Parsed | None:
            found = fast(line) or escaped(line)
            if found is None:
                return None
            method, target, status = found.groups()
            return method, target, status, read(line)

        return parse_timed

    def explain(self, line: str, options: ParseOptions) -> str:
        found = _COMBINED_STRICT.match(line) or _COMMON_STRICT.match(line)
        if found is not None:
            return _explain_request(found.group("request"))
        return super().explain(line, options)


class CombinedFormat(ClfFormat):
    name = "combined"
    title = "combined (NGINX/Apache)"
    strict = _COMBINED_STRICT


class CommonFormat(ClfFormat):
    name = "common"
    title = "common (CLF)"
    strict = _COMMON_STRICT


# -- HAProxy -------------------------------------------------------------------------------------

_HAPROXY_HEAD = (
    r"(?:^|\s)\S+:\d+ \[\d{2}/\w{3}/\d{4}:\d{2}:\d{2}:\d{2}(?:\.\d+)?\] \S+ \S+ "
    r"(-?\d+)/(-?\d+)/(-?\d+)/(-?\d+)/\+?(-?\d+) (-?\d+) \+?\d+ "
)
_HAPROXY = re.compile(_HAPROXY_HEAD + r'.*"([^"]*)"\s*\Z')
_HAPROXY_CUT = re.compile(_HAPROXY_HEAD + r'.*"([A-Z][A-Z_-]* /[^"]*)\Z')
"""A line HAProxy cut at its log line length (1,024 bytes by default: ``log ... len``), inside
the request line, so the closing quote is missing."""


CUT_QUERY = "\x00"
"""Ends the target of a request line cut inside its query string: the parameters before it are
whole, the rest was lost."""


def recover_cut_request(request: str) -> tuple[str, str] | None:
    """Method and target of a request line cut short; None when the cut may be inside the path
    (then the path read would be another path). A target cut in its query keeps the whole
    parameters and ends with CUT_QUERY."""
    parts = request.rstrip("\r\n").split(" ")
    if len(parts) < 2 or not parts[0]:
        return None
    method, target = parts[0], parts[1]
    if len(parts) >= 3:
        return method, target  # cut in or after the protocol: the target is whole
    cut = target.find("?")
    if cut < 0:
        return None
    last = target.rfind("&")
    return method, (target[: last + 1] if last > cut else target[: cut + 1]) + CUT_QUERY


_HAPROXY_CLIENT = re.compile(r"(?:^|\s)(\S+):\d+ \[\d")
_HAPROXY_HOUR = re.compile(r":\d+ \[(\d{2}/\w{3}/\d{4}:\d{2})")
_HAPROXY_WHO_WHEN = re.compile(
    r"(?:^|\s)(\S+):\d+ \[(\d{2}/\w{3}/\d{4}:\d{2})[^\]]*\] \S+ \S+ \S+ -?\d+ \+?(\d+)"
)


_HAPROXY_READ = re.compile(
    r"(?:^|\s)(\S+):\d+ \[(\d{2}/\w{3}/\d{4}:\d{2}):\d{2}:\d{2}(?:\.\d+)?\] \S+ \S+ "
    r"-?\d+/-?\d+/-?\d+/(-?\d+)/\+?(-?\d+) (-?\d+) \+?(\d+) "
    r'.*"([^"]*)"\s*\Z'
)
"""A whole line: client, hour, Tr, Ta, status, bytes and the request."""
_PRODUCT = re.compile(r"(?:^|[ (])[A-Za-z][A-Za-z0-9._+-]*/[A-Za-z0-9]")
_HAPROXY_ESCAPE = re.compile(r"#([0-9A-Fa-f]{2})")


@functools.lru_cache(maxsize=4096)
def _captured_agent(block: str) -> str | None:
    """The user agent among HAProxy's captured headers ``a|b|c`` (the same few blocks recur:
    remembered)."""
    for value in block.split("|"):
        if _PRODUCT.search(value) and "://" not in value:
            if "#" in value:
                value = _HAPROXY_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), value)
            return agent_text(value)
    return None


class HaproxyFormat(LogFormat):
    name = "haproxy"
    title = "HAProxy HTTP"

    def client(self, line: str) -> str | None:
        found = _HAPROXY_CLIENT.search(line)
        return found.group(1) if found else None

    def hour(self, line: str) -> str | None:
        found = _HAPROXY_HOUR.search(line)  # the syslog header has brackets of its own
        return found.group(1) if found else None

    def agent(self, line: str) -> str | None:
        """The user agent among the captured request headers (``capture request header
        User-Agent``): the first ``{...}`` block when there are two (request, response), the
        only one otherwise; its field that holds a product/version and is not a URL. HAProxy
        writes ``"``, ``#``, ``|`` and braces as ``#XX``: decoded."""
        quote = line.find(' "')  # the request line: the captures come before it
        start = line.find(" {", 0, quote)
        if start < 0:
            return None
        end = line.find("}", start, quote)
        if end < 0:
            return None
        return _captured_agent(line[start + 2 : end])

    def who_when(self, line: str) -> Usage:
        found = _HAPROXY_WHO_WHEN.search(line)
        agent = self.agent(line) if " {" in line else None
        if found is None:
            return self.client(line), self.hour(line), None, agent
        return found.group(1), found.group(2), int(found.group(3)), agent

    def recognises(self, line: str, options: ParseOptions) -> bool:
        return _HAPROXY.search(line) is not None or _HAPROXY_CUT.search(line) is not None

    def reader(self, sample: Sequence[str], options: ParseOptions) -> Reader:
        """Request, client, hour and bytes from one regular expression (and the user agent
        where the line has captures); a line cut short goes through the parser."""
        parse = self.parser(sample, options)
        who_when = self.who_when
        agent_of = self.agent
        search = _HAPROXY_READ.search

        def read(line: str) -> Record | None:
            found = search(line)
            parts = split_request(found.group(7)) if found is not None else None
            if found is None or parts is None:
                record = parse(line)
                return None if record is None else (*record, *who_when(line))
            address, hour, server, total, status, size, _request = found.groups()
            if len(status) != 3:
                return None
            duration: float | None = None
            if not total.startswith("-"):
                duration = float(total)
            elif not server.startswith("-"):
                duration = float(server)
            agent = agent_of(line) if " {" in line else None
            return parts[0], parts[1], status, duration, address, hour, int(size), agent

        return read

    def parser(self, sample: Sequence[str], options: ParseOptions) -> Parser:
        search = _HAPROXY.search
        cut = _HAPROXY_CUT.search

        def parse(line: str) -> Parsed | None:
            found = search(line)
            parts: tuple[str, str] | None
            if found is None:
                found = cut(line)
                if found is None:
                    return None
                parts = recover_cut_request(found.group(7))
            else:
                parts = split_request(found.group(7))
            _tr, _tw, _tc, server, total, status, _request = found.groups()
            if parts is None or len(status) != 3:
                return None
            duration: float | None = None
            if not total.startswith("-"):
                duration = float(total)
            elif not server.startswith("-"):
                duration = float(server)
            return parts[0], parts[1], status, duration

        return parse

    def explain(self, line: str, options: ParseOptions) -> str:
        found = _HAPROXY.search(line)
        if found is None:
            if _HAPROXY_CUT.search(line) is not None:
                return (
                    f"HAProxy cut the line at {len(line.rstrip(chr(10)).encode()):,} bytes, "
                    "inside the path "
                    "(raise the length with 'len' on the 'log' line)"
                )
            return super().explain(line, options)
        if len(found.group(6)) != 3:
            return "no HTTP status (the connection ended before a response)"
        request = found.group(7)
        if request.startswith("<BADREQ>"):
            return "HAProxy could not read the request (<BADREQ>)"
        return _explain_request(request)


# -- AWS ALB -------------------------------------------------------------------------------------

_ALB = re.compile(
    r"(?:https?|h2|grpcs|wss?) \S+ \S+ \S+ \S+ (-?[\d.]+) (-?[\d.]+) (-?[\d.]+) "
    r'(\d{3}|-) \S+ (?:\d+|-) (?:\d+|-) "([^"]*)" '
)


_ALB_REQUEST_AGENT = re.compile(r'"[^"]*" "((?:[^"\\]|\\.)*)"')
_ALB_AGENT = re.compile(r' (?:\d{3}|-) (?:\d{3}|-) (?:\d+|-) (?:\d+|-) "[^"]*" "((?:[^"\\]|\\.)*)"')


class AlbFormat(LogFormat):
    name = "alb"
    title = "AWS ALB"

    def timestamp(self, line: str) -> str | None:
        parts = line.split(" ", 2)
        return _iso_time(parts[1]) if len(parts) > 2 else None

    def client(self, line: str) -> str | None:
        parts = line.split(" ", 4)
        return parts[3].rpartition(":")[0] or None if len(parts) > 4 else None

    def hour(self, line: str) -> str | None:
        parts = line.split(" ", 2)
        return parts[1][:13] if len(parts) > 2 and len(parts[1]) >= 13 else None

    def sent_bytes(self, line: str) -> int | None:
        # type time elb client:port target:port 3 times 2 statuses received_bytes sent_bytes
        parts = line.split(" ", 12)
        return int(parts[11]) if len(parts) > 12 and parts[11].isdigit() else None

    def agent(self, line: str) -> str | None:
        found = _ALB_AGENT.search(line)
        return agent_text(found.group(1), escaped=True) if found else None

    def who_when(self, line: str) -> Usage:
        """All four from one split of the line."""
        parts = line.split(" ", 12)
        if len(parts) <= 12:
            return super().who_when(line)
        found = _ALB_REQUEST_AGENT.match(parts[12])
        return (
            parts[3].rpartition(":")[0] or None,
            parts[1][:13] if len(parts[1]) >= 13 else None,
            int(parts[11]) if parts[11].isdigit() else None,
            agent_text(found.group(1), escaped=True) if found else None,
        )

    def recognises(self, line: str, options: ParseOptions) -> bool:
        return _ALB.match(line) is not None

    def parser(self, sample: Sequence[str], options: ParseOptions) -> Parser:
        match = _ALB.match

        def parse(line: str) -> Parsed | None:
            found = match(line)
            if found is None:
                return None
            request_time, target_time, response_time, status, request = found.groups()
            if status == "-":
                return None
            parts = split_request(request)
            if parts is None:
                return None
            duration: float | None = None
            times = (float(request_time), float(target_time), float(response_time))
            if min(times) >= 0:
                duration = sum(times) * 1000.0
            return parts[0], parts[1], status, duration

        return parse

    def explain(self, line: str, options: ParseOptions) -> str:
        found = _ALB.match(line)
        if found is None:
            return super().explain(line, options)
        if found.group(4) == "-":
            return "no HTTP status (the load balancer did not answer)"
        return _explain_request(found.group(5))


# -- JSON lines ----------------------------------------------------------------------------------

JSON_ROLES: dict[str, tuple[str, ...]] = {
    "method": (
        "method",
        "request_method",
        "http_method",
        "verb",
        "http.request.method",
        "request.method",
        "req.method",
        "httpRequest.requestMethod",
        "RequestMethod",
    ),
    "path": (
        "path",
        "uri",
        "request_uri",
        "url",
        "request_path",
        "url.path",
        "url.original",
        "request.uri",
        "req.url",
        "httpRequest.requestUrl",
        "RequestPath",
        "request.url",
        "request.path",
    ),
    "request": ("request",),
    "status": (
        "status",
        "status_code",
        "statusCode",
        "code",
        "response_code",
        "http.response.status_code",
        "res.statusCode",
        "response.status",
        "httpRequest.status",
        "DownstreamStatus",
        "response.statusCode",
        "response.status_code",
    ),
    "duration_ms": (
        "duration_ms",
        "latency_ms",
        "response_time_ms",
        "request_time_ms",
        "elapsed_ms",
        "responseTime",
    ),
    "duration_s": ("request_time", "duration_s", "duration_seconds", "latency_s"),
    "duration_us": ("duration_us", "latency_us"),
    "duration_ns": ("duration_ns", "event.duration", "Duration"),
    "latency": ("httpRequest.latency",),
    "time": (
        "time_iso8601",
        "@timestamp",
        "timestamp",
        "time",
        "time_local",
        "ts",
        "msec",
        "date",
        "datetime",
        "startedDateTime",
        "StartUTC",
        "receiveTimestamp",
    ),
    "client": (
        "remote_addr",
        "client_ip",
        "clientip",
        "client_addr",
        "client",
        "remote_ip",
        "ip",
        "remote",
        "client.ip",
        "client.address",
        "source.ip",
        "source.address",
        "request.remote_ip",
        "request.client_ip",
        "httpRequest.remoteIp",
        "ClientHost",
        "req.remoteAddress",
        "x_forwarded_for",
        "http_x_forwarded_for",
    ),
    "user_agent": (
        "http_user_agent",
        "user_agent",
        "userAgent",
        "useragent",
        "agent",
        "ua",
        "user_agent.original",
        "http.user_agent",
        "request.headers.User-Agent",
        "request.headers.user-agent",
        "httpRequest.userAgent",
        "request_User-Agent",
        "req.headers.user-agent",
    ),
    "bytes": (
        "body_bytes_sent",
        "bytes_sent",
        "bytes",
        "response_size",
        "resp_bytes",
        "size",
        "http.response.body.bytes",
        "httpRequest.responseSize",
        "DownstreamContentSize",
        "response.size",
    ),
}
"""Field names tried for each role when ``--json-fields`` does not name one, in order."""

_DURATION_FACTORS = {"duration_ms": 1.0, "duration_s": 1000.0, "duration_us": 0.001}
_DURATION_FACTORS["duration_ns"] = 0.000001
_DURATION_FACTORS["latency"] = 1000.0  # "0.123s": the suffix decides, seconds without one
_SUFFIXES = (("ms", 1.0), ("us", 0.001), ("µs", 0.001), ("ns", 0.000001), ("s", 1000.0))
USER_ROLES: tuple[str, ...] = (
    "method",
    "path",
    "request",
    "status",
    "duration_s",
    "duration_ms",
    "duration_us",
    "duration_ns",
    "time",
    "client",
    "user_agent",
    "bytes",
)


def parse_json_fields(text: str | None) -> dict[str, str]:
    """``method=req_method,path=uri`` -> ``{"method": "req_method", "path": "uri"}``."""
    out: dict[str, str] = {}
    if not text:
        return out
    for part in text.split(","):
        if not part.strip():
            continue
        role, sep, name = part.partition("=")
        role, name = role.strip(), name.strip()
        if not sep or not name:
            raise ConfigError(f"--json-fields: expected ROLE=FIELD, got {part.strip()!r}")
        if role not in USER_ROLES:
            raise ConfigError(
                f"--json-fields: unknown role {role!r} (choose from {', '.join(USER_ROLES)})"
            )
        out[role] = name
    return out


def _lookup(obj: dict[str, Any], name: str) -> Any:
    """``obj[name]``, or the nested value a dotted name leads to (``http.request.method``)."""
    if name in obj:
        return obj[name]
    if "." not in name:
        return None
    value: Any = obj
    for part in name.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def _duration(value: Any, factor: float) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value) * factor
    if isinstance(value, str):
        text = value.strip()
        for suffix, unit in _SUFFIXES:
            if text.endswith(suffix):
                text, factor = text[: -len(suffix)], unit
                break
        try:
            return float(text) * factor
        except ValueError:
            return None
    return None


def _status(value: Any) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (int, str)):
        text = str(value).strip()
        if len(text) == 3 and text.isdigit() and text[0] in "12345":
            return text
    return None


@dataclass(frozen=True)
class JsonFields:
    """Which field holds what, in one file (resolved from its first lines)."""

    method: str | None
    path: str | None
    request: str | None
    status: str | None
    duration: str | None
    factor: float
    time: str | None = None
    client: str | None = None
    agent: str | None = None
    bytes: str | None = None

    @property
    def usable(self) -> bool:
        return self.status is not None and (
            (self.method is not None and self.path is not None) or self.request is not None
        )


def _candidates(role: str, options: ParseOptions) -> tuple[str, ...]:
    chosen = options.json_fields.get(role)
    return (chosen,) if chosen is not None else JSON_ROLES[role]


def resolve_json_fields(objects: Sequence[dict[str, Any]], options: ParseOptions) -> JsonFields:
    def first(role: str) -> str | None:
        for name in _candidates(role, options):
            if any(_is_scalar(_lookup(obj, name)) for obj in objects):
                return name
        return None

    def when() -> str | None:  # "time" is a duration in some logs: a name whose value is a time
        for name in _candidates("time", options):
            if any(json_hour(_lookup(obj, name)) is not None for obj in objects):
                return name
        return None

    def agent() -> str | None:  # Caddy logs headers as lists: {"User-Agent": ["curl/8.5.0"]}
        for name in _candidates("user_agent", options):
            for obj in objects:
                value = _lookup(obj, name)
                if isinstance(value, str) or (
                    isinstance(value, list) and value and isinstance(value[0], str)
                ):
                    return name
        return None

    duration_role = next((r for r in _DURATION_FACTORS if r in options.json_fields), None)
    duration = options.json_fields.get(duration_role or "")
    if duration_role is None:
        for role in _DURATION_FACTORS:
            duration = first(role)
            if duration is not None:
                duration_role = role
                break
    return JsonFields(
        method=first("method"),
        path=first("path"),
        request=first("request"),
        status=first("status"),
        duration=duration,
        factor=_DURATION_FACTORS.get(duration_role or "", 1.0),
        time=when(),
        client=first("client"),
        agent=agent(),
        bytes=first("bytes"),
    )


_EPOCH_HOURS: dict[int, str] = {}


def _epoch_seconds(value: Any) -> float | None:
    """Seconds since 1970 from a number of seconds or milliseconds (1973 to 2286); None for
    anything else."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if not 1e8 < value < 1e13:
        return None  # also NaN, infinities and integers too large for a float
    seconds = value / 1000 if value > 1e11 else float(value)
    return seconds if 1e8 < seconds < 1e10 else None


def json_hour(value: Any) -> str | None:
    """The hour of a JSON time value as :func:`hour_iso` reads it: ISO 8601
    (``2026-11-28T10:00:00Z`` -> ``2026-11-28T10``), NGINX's ``$time_local``
    (``28/Nov/2026:10:00:00 +0000`` -> ``28/Nov/2026:10``), or seconds or milliseconds since
    1970 (``$msec``, Caddy's ``ts``; in UTC)."""
    if isinstance(value, str):
        if len(value) >= 13 and value[4] == "-" and value[10] in "T " and value[11:13].isdigit():
            return value[:10] + "T" + value[11:13]
        if len(value) >= 14 and value[2] == "/" and value[11] == ":":
            return value[:14]
        try:
            value = float(value)
        except ValueError:
            return None
    seconds = _epoch_seconds(value)
    if seconds is None:
        return None
    hour = int(seconds) // 3600
    text = _EPOCH_HOURS.get(hour)
    if text is None:
        if len(_EPOCH_HOURS) > 10_000:
            _EPOCH_HOURS.clear()
        stamp = datetime.fromtimestamp(hour * 3600, tz=UTC)
        text = _EPOCH_HOURS[hour] = stamp.strftime("%Y-%m-%dT%H")
    return text


def _json_usage(fields: JsonFields) -> Callable[[dict[str, Any]], Usage]:
    """A function giving the :data:`Usage` of one JSON object with ``fields``."""

    def getter(name: str | None) -> Callable[[dict[str, Any]], Any]:
        if name is None:
            return lambda obj: None
        if "." in name:
            return lambda obj: _lookup(obj, name)
        return lambda obj: obj.get(name)

    client_of, time_of, bytes_of, agent_of = (
        getter(fields.client),
        getter(fields.time),
        getter(fields.bytes),
        getter(fields.agent),
    )
    hours: dict[str, str | None] = {}
    """Hour by the first 14 characters of an ISO or $time_local time (the same hour on most
    lines of a log)."""

    def usage(obj: dict[str, Any]) -> Usage:
        client = agent = hour = None
        size: int | None = None
        value = client_of(obj)
        if type(value) is str and value and value != "-":
            client = value if "," not in value else (value.split(",", 1)[0].strip() or None)
            if client is not None and (len(client) > MAX_CLIENT_CHARS or not client.isprintable()):
                client = agent_text(client[:MAX_CLIENT_CHARS])
        value = time_of(obj)
        if type(value) is str:
            key = value[:14]
            hour = hours.get(key)
            if hour is None:
                hour = json_hour(value)
                if hour is not None and (key[4:5] == "-" or key[2:3] == "/"):
                    if len(hours) > 10_000:
                        hours.clear()
                    hours[key] = hour
        elif value is not None:
            hour = json_hour(value)
        value = bytes_of(obj)
        if type(value) is int:
            size = value if value >= 0 else None
        elif type(value) is str and value.isdigit():
            size = int(value)
        value = agent_of(obj)
        if type(value) is list:
            value = value[0] if value else None
        if type(value) is str:
            agent = agent_text(value)
        return client, hour, size, agent

    return usage


def _is_scalar(value: Any) -> bool:
    return isinstance(value, (str, int, float)) and not isinstance(value, bool)


def _json_object(line: str) -> dict[str, Any] | None:
    text = line.strip()
    if not text.startswith("{"):
        return None
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):  # RecursionError: nested deeper than Python can read
        return None
    return value if isinstance(value, dict) else None


def _too_deep(line: str) -> bool:
    try:
        json.loads(line)
    except RecursionError:
        return True
    except ValueError:
        return False
    return False


def _read_json(obj: dict[str, Any], fields: JsonFields) -> Parsed | None:
    method = _lookup(obj, fields.method) if fields.method else None
    target = _lookup(obj, fields.path) if fields.path else None
    if not (isinstance(method, str) and isinstance(target, str)) and fields.request:
        request = _lookup(obj, fields.request)
        parts = split_request(request) if isinstance(request, str) else None
        if parts is not None:
            method, target = parts
    if not isinstance(method, str) or not isinstance(target, str) or not method or not target:
        return None
    status = _status(_lookup(obj, fields.status)) if fields.status else None
    if status is None:
        return None
    duration = None
    if fields.duration is not None:
        duration = _duration(_lookup(obj, fields.duration), fields.factor)
    return method.upper(), target, status, duration


class JsonLinesFormat(LogFormat):
    name = "jsonl"
    title = "JSON lines"

    def hour(self, line: str) -> str | None:
        return None  # read with the request by reader(): reading the object twice costs double

    def timestamp(self, line: str, names: Sequence[str] = TIME_FIELDS) -> str | None:
        obj = _json_object(line)
        if obj is None:
            return None
        for name in names:
            value = _lookup(obj, name)
            if isinstance(value, str):
                found = _iso_time(value) or _bracketed_time(f"[{value}]")
                if found:
                    return found
                try:
                    value = float(value)  # NGINX's $msec, quoted
                except ValueError:
                    continue
            seconds = _epoch_seconds(value)
            if seconds is not None:
                stamp = datetime.fromtimestamp(seconds, tz=UTC)
                return stamp.strftime("%Y-%m-%dT%H:%M:%S+00:00")
        return None

    def timestamps(
        self, sample: Sequence[str], options: ParseOptions
    ) -> Callable[[str], str | None]:
        objects = [obj for line in sample if (obj := _json_object(line)) is not None]
        chosen = resolve_json_fields(objects, options).time
        names = TIME_FIELDS if chosen is None else (chosen, *TIME_FIELDS)

        def timestamp(line: str) -> str | None:
            return self.timestamp(line, names)

        return timestamp

    def recognises(self, line: str, options: ParseOptions) -> bool:
        obj = _json_object(line)
        if obj is None:
            return False
        return _read_json(obj, resolve_json_fields([obj], options)) is not None

    def parser(self, sample: Sequence[str], options: ParseOptions) -> Parser:
        objects = [obj for line in sample if (obj := _json_object(line)) is not None]
        fields = resolve_json_fields(objects, options)
        loads = json.loads

        def parse(line: str) -> Parsed | None:
            try:
                obj = loads(line)
            except (ValueError, RecursionError):
                return None
            if type(obj) is not dict:
                return None
            return _read_json(obj, fields)

        return parse

    def reader(self, sample: Sequence[str], options: ParseOptions) -> Reader:
        objects = [obj for line in sample if (obj := _json_object(line)) is not None]
        fields = resolve_json_fields(objects, options)
        loads = json.loads
        usage = (
            _json_usage(fields)
            if fields.time or fields.client or fields.agent or fields.bytes
            else None
        )

        def read(line: str) -> Record | None:
            try:
                obj = loads(line)
            except (ValueError, RecursionError):
                return None
            if type(obj) is not dict:
                return None
            record = _read_json(obj, fields)
            if record is None:
                return None
            return (*record, *(usage(obj) if usage is not None else NO_USAGE))

        return read

    def explain(self, line: str, options: ParseOptions) -> str:
        obj = _json_object(line)
        if obj is None:
            if _too_deep(line):
                return "a JSON value nested deeper than apilint reads"
            return "not a JSON object"
        fields = resolve_json_fields([obj], options)
        missing = [
            role
            for role, name in (("method", fields.method), ("path", fields.path))
            if name is None
        ]
        if fields.request is not None and missing:
            missing = []
        if fields.status is None:
            missing.append("status")
        if missing:
            listed = (
                ", ".join(missing[:-1]) + " or " + missing[-1] if len(missing) > 1 else missing[0]
            )
            return f"no {listed} field"
        return "the method, path or status field has an unusable value"

    def missing_fields(self, sample: Sequence[str], options: ParseOptions) -> str | None:
        """When the lines are JSON objects without the fields apilint needs: say which keys
        they do have, so the user can write --json-fields."""
        objects = [obj for line in sample if (obj := _json_object(line)) is not None]
        if len(objects) * 2 < len(sample):
            return None
        fields = resolve_json_fields(objects, options)
        if fields.usable:
            return None
        keys = sorted({key for obj in objects[:5] for key in obj})
        shown = ", ".join(keys[:12]) + (", ..." if len(keys) > 12 else "")
        return (
            f"JSON lines, but apilint cannot tell which fields hold the method, path and status "
            f"(the objects have: {shown}); name them with "
            "--json-fields method=FIELD,path=FIELD,status=FIELD[,duration_ms=FIELD]"
        )


# -- HAR ---------------------------------------------------------------------------------------

HAR_FIELDS = {
    "method": "method",
    "path": "url",
    "status": "status",
    "duration_ms": "time",
    "time": "startedDateTime",
    "user_agent": "user_agent",
}
"""The fields of the JSON lines :func:`har_lines` writes, as ``--json-fields`` would name them."""


EXCHANGE = "exchange"
"""The field of a :func:`har_lines` line holding the entry's headers and response content."""


def looks_like_har(sample: Sequence[str]) -> bool:
    """The file is one JSON document (a HAR file, pretty-printed or not), not JSON lines."""
    if not sample:
        return False
    first = sample[0].strip()
    if first == "{":
        return True
    compact = first.replace(" ", "")
    return compact.startswith('{"log":')


def _har_agent(headers: Any) -> str | None:
    if isinstance(headers, list):
        for item in headers:
            if isinstance(item, dict) and str(item.get("name", "")).lower() == "user-agent":
                value = item.get("value")
                return value if isinstance(value, str) else None
    return None


def har_lines(text: str, name: str) -> list[str]:
    """The entries of a HAR document, one JSON line each (``HAR_FIELDS``), in their order."""
    try:
        document = json.loads(text)
    except RecursionError:
        raise LogError("a HAR file nested deeper than apilint reads", file=name) from None
    except ValueError as exc:
        raise LogError(f"looks like a HAR file but is not valid JSON ({exc})", file=name) from None
    log = document.get("log") if isinstance(document, dict) else None
    entries = log.get("entries") if isinstance(log, dict) else None
    if not isinstance(entries, list):
        raise LogError(
            "a JSON document without log.entries: not a HAR file (for JSON lines, write one "
            "object per line)",
            file=name,
        )
    out = []
    for entry in entries:
        request = entry.get("request") if isinstance(entry, dict) else None
        response = entry.get("response") if isinstance(entry, dict) else None
        if not isinstance(request, dict) or not isinstance(response, dict):
            out.append(json.dumps({"entry": "without request or response"}))
            continue
        status = response.get("status")
        line: dict[str, Any] = {
            "method": request.get("method"),
            "url": request.get("url"),
            # 0: the browser got no response (blocked, cancelled): not a request served
            "status": status if status != 0 else None,
            "time": entry.get("time"),
            "startedDateTime": entry.get("startedDateTime"),
            "user_agent": _har_agent(request.get("headers")),
        }
        if "headers" in request or "content" in response:
            # what the exchange checks read (apilint.traffic.exchanges)
            line[EXCHANGE] = {
                "request": {k: request[k] for k in ("headers", "cookies") if k in request},
                "response": {k: response[k] for k in ("headers", "content") if k in response},
            }
        out.append(json.dumps(line))
    return out


# -- recognising a file's format -----------------------------------------------------------------

FORMATS: dict[str, LogFormat] = {
    f.name: f
    for f in (JsonLinesFormat(), AlbFormat(), HaproxyFormat(), CombinedFormat(), CommonFormat())
}
"""Every format, in the order ties are broken when recognising one."""


def detect(sample: Sequence[str], options: ParseOptions, name: str) -> LogFormat:
    """The format most of ``sample`` (a file's first non-blank lines) is written in."""
    best: LogFormat | None = None
    best_score = 0
    for fmt in FORMATS.values():
        score = sum(1 for line in sample if fmt.recognises(line, options))
        if score > best_score:
            best, best_score = fmt, score
    if best is not None and best_score * 2 >= len(sample):
        return best
    jsonl = FORMATS["jsonl"]
    assert isinstance(jsonl, JsonLinesFormat)
    message = jsonl.missing_fields(sample, options)
    if message is not None:
        raise LogError(message, file=name)
    first = shorten(sample[0].rstrip("\r\n"), 80) if sample else ""
    closest = ""
    if best is not None:
        closest = f"; the closest, {best.name}, reads {best_score} of the first {len(sample)}"
    raise LogError(
        f"cannot tell the log format (first line: {first!r}{closest}); "
        f"name it with --log-format ({', '.join(FORMATS)})",
        file=name,
    )


def check_explicit(fmt: LogFormat, sample: Sequence[str], options: ParseOptions, name: str) -> None:
    """With ``--log-format``: refuse a file none of whose first lines is in that format."""
    if not sample or any(fmt.recognises(line, options) for line in sample):
        return
    if isinstance(fmt, JsonLinesFormat):
        message = fmt.missing_fields(sample, options)
        if message is not None:
            raise LogError(message, file=name)
    first = shorten(sample[0].rstrip("\r\n"), 80)
    raise LogError(
        f"none of the first {len(sample)} lines is in the {fmt.title} format "
        f"(first line: {first!r}); leave out --log-format to recognise it",
        file=name,
    )


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def head_lines(lines: Iterator[str]) -> tuple[list[str], list[str]]:
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
