"""Streaming the requests of the logs into tallies: memory stays flat however long the logs are.

Per request the loop does one regex match, one or two dictionary look-ups (the match of a
recent (method, path) pair is cached, paths with ids under their folded form) and a counter
increment per thing counted (status, latency bucket, hour, client, user agent); no record of the
request survives it. What is kept:

- per documented operation: a status-code counter and a latency histogram
  (:mod:`~apilint.traffic.histogram`, at most ~1,700 buckets), for its own path and for its
  trailing-slash variant;
- per undocumented endpoint template: the same, for at most ``MAX_UNDOCUMENTED`` templates.
  Past that (a scan of random URLs), the least-called half is dropped, their requests still
  counted in the totals: lossy counting, so a template's count is short by at most
  ``dropped_below`` (reported) and every template called more often than that is listed. Once
  that has happened, a new template enters the table at its second request (its first counted
  with the dropped ones), so a million one-off URLs do not churn the table;
- the match cache: at most ``MAX_CACHE`` entries, emptied when full. It is keyed by the path with
  numeric and UUID segments folded (when the description makes that safe), so ``/users/1`` and
  ``/users/2`` share an entry;
- per tally, where the log has them: the busiest ``MAX_CLIENTS`` client addresses and
  ``MAX_AGENTS`` user agents (the less busy half dropped when full: lossy, for finding the big
  callers), requests per hour (``MAX_HOURS``) and response bytes;
- the first ``MAX_SAMPLES`` unparsed lines, shortened and with secrets masked.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from apilint.traffic.exchanges import ExchangeChecker
from apilint.traffic.histogram import INV_LOG_GAMMA, MAX_MS, MIN_MS, Histogram, bucket
from apilint.traffic.logformats import Reader, Record, shorten
from apilint.traffic.matcher import IMPLICIT, INVALID, OPERATION, UNDOCUMENTED, VARIANT, Matcher
from apilint.traffic.queries import QueryTally
from apilint.traffic.sources import MAX_LINE_CHARS, LongLine

MAX_UNDOCUMENTED = 5000
MAX_CACHE = 50_000
MAX_SEEN_ONCE = 50_000
"""Undocumented templates seen once since the table overflowed, remembered by hash."""
MAX_SAMPLES = 10
MAX_BUCKET_CACHE = 10_000
"""Durations remembered with their histogram bucket while reading one log."""
SAMPLE_CHARS = 200
MAX_HOURS = 24 * 92
"""Hours kept per tally (three months of a log); requests in later new hours are not bucketed."""
MAX_CLIENTS = 1000
"""Client addresses kept per tally."""
MAX_AGENTS = 200
"""User agents kept per tally (each up to 200 characters)."""
FINGERPRINT_EVERY = 64
"""One line in this many (by hash) is remembered per log, to tell when two logs overlap; every
one of the first FINGERPRINT_ALL lines is (short logs are compared line by line)."""
FINGERPRINT_ALL = 1000
MAX_FINGERPRINTS = 20_000


class Tally:
    """Requests counted by status code, and their durations in a histogram. ``query`` is the
    query-string tally of the operation the requests call (None for anything else)."""

    __slots__ = ("agents", "bytes", "clients", "hist", "hours", "query", "status")

    def __init__(self, query: QueryTally | None = None) -> None:
        self.status: dict[str, int] = {}
        self.hist: Histogram = {}
        self.query = query
        self.clients: dict[str, int] = {}
        """Requests per client address (the busiest MAX_CLIENTS, lossy past that)."""
        self.agents: dict[str, int] = {}
        """Requests per user agent (the busiest MAX_AGENTS, lossy past that)."""
        self.bytes = 0
        """Response bytes, where the log has them."""
        self.hours: dict[str, int] = {}
        """Requests per hour, keyed as the log writes it (at most MAX_HOURS hours)."""

    @property
    def requests(self) -> int:
        return sum(self.status.values())

    def count(self, predicate: Callable[[str], bool]) -> int:
        return sum(n for code, n in self.status.items() if predicate(code))

    def add(self, other: Tally) -> None:
        for code, n in other.status.items():
            self.status[code] = self.status.get(code, 0) + n
        self.bytes += other.bytes
        for hour, n in other.hours.items():
            self.hours[hour] = self.hours.get(hour, 0) + n
        for client, n in other.clients.items():
            self.clients[client] = self.clients.get(client, 0) + n
        if len(self.clients) > MAX_CLIENTS:
            prune_clients(self.clients)
        for agent, n in other.agents.items():
            self.agents[agent] = self.agents.get(agent, 0) + n
        if len(self.agents) > MAX_AGENTS:
            prune_clients(self.agents, MAX_AGENTS)
        for index, n in other.hist.items():
            self.hist[index] = self.hist.get(index, 0) + n


def prune_clients(clients: dict[str, int], limit: int = MAX_CLIENTS) -> None:
    """Keep the busiest half of ``limit`` client addresses or user agents (a count can then be
    short by the largest count dropped: the table is for finding the big callers, not for
    billing)."""
    ranked = sorted(clients.items(), key=lambda item: -item[1])
    clients.clear()
    clients.update(ranked[: limit // 2])


class EndpointTally(Tally):
    """An undocumented endpoint: its method and template, and what the matcher knew of it."""

    __slots__ = ("inside_base", "method", "path_documented", "template")

    def __init__(self, method: str, template: str, inside_base: bool, path_documented: bool):
        super().__init__()
        self.method = method
        self.template = template
        self.inside_base = inside_base
        self.path_documented = path_documented


@dataclass(frozen=True)
class Sample:
    file: str
    line: int
    text: str
    reason: str

    def to_dict(self) -> dict[str, object]:
        return {"file": self.file, "line": self.line, "text": self.text, "reason": self.reason}


@dataclass
class LogSummary:
    file: str
    format: str
    lines: int = 0
    requests: int = 0
    unparsed: int = 0
    timed: int = 0
    fingerprints: set[int] = field(default_factory=set, repr=False)
    """Hashes of a sample of the log's lines (see ``overlaps``)."""
    mixed: dict[str, int] = field(default_factory=dict)
    """Lines read in another format than the file's (a file that mixes formats)."""
    too_long: int = 0
    first_time: str | None = None
    """When the log's first request was logged (ISO 8601), where the log says."""
    last_time: str | None = None

    def to_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "format": self.format,
            "lines": self.lines,
            "requests": self.requests,
            "unparsed": self.unparsed,
            "timed": self.timed,
            "other_formats": dict(self.mixed),
            "too_long": self.too_long,
            "first_time": self.first_time,
            "last_time": self.last_time,
        }


_SECRET = re.compile(
    r"(?i)(\b(?:access_?token|api_?key|apikey|auth|authorization|client_secret|code|key|"
    r"password|passwd|pwd|secret|session(?:_?id)?|sig|signature|token|x-amz-signature|"
    r"x-amz-credential|x-amz-security-token)=)[^&\s\"']+"
)
_BEARER = re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _too_long(line: str) -> str:
    length = line.length if isinstance(line, LongLine) else len(line)
    return (
        f"the line is {length:,} characters long, over the {MAX_LINE_CHARS:,} apilint reads "
        "of one line (the rest was skipped unread)"
    )


def mask(line: str) -> str:
    """A log line fit to print: secret-looking query parameters and credentials masked,
    control characters escaped, at most SAMPLE_CHARS long."""
    text = line.rstrip("\r\n")
    text = _SECRET.sub(r"\1***", text)
    text = _BEARER.sub(r"\1 ***", text)
    text = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)
    return shorten(text, SAMPLE_CHARS)


@dataclass
class Aggregator:
    """Everything the report needs, accumulated one log after another."""

    matcher: Matcher
    max_undocumented: int = MAX_UNDOCUMENTED
    operations: list[Tally] = field(init=False)
    """Calls to each operation's documented path (HEAD on a GET route apart, in ``heads``)."""
    heads: list[Tally] = field(init=False)
    """HEAD requests served by each operation's GET route (no ``head`` operation)."""
    variants: list[Tally] = field(init=False)
    """Calls to each operation's other trailing-slash form."""
    queries: list[QueryTally] = field(init=False)
    implicit: Tally = field(default_factory=Tally)
    exchanges: ExchangeChecker | None = None
    """What whole exchanges (HAR, NDJSON with headers and bodies) show, when a log has them."""
    undocumented: dict[tuple[str, str], EndpointTally] = field(default_factory=dict)
    dropped: Tally = field(default_factory=Tally)
    """Requests of undocumented templates dropped to keep memory bounded."""
    dropped_below: int = 0
    """Every dropped template had at most this many requests when it was dropped."""
    logs: list[LogSummary] = field(default_factory=list)
    samples: list[Sample] = field(default_factory=list)
    unparsed: int = 0
    _cache: dict[tuple[str, str], Tally] = field(default_factory=dict)
    _invalid: Tally = field(default_factory=Tally)
    _other: Callable[[str], tuple[str, Reader] | None] | None = None
    _seen_once: set[int] = field(default_factory=set)

    def __post_init__(self) -> None:
        api = self.matcher.api
        self.queries = [QueryTally(api, r.operation) for r in self.matcher.routes]
        self.operations = [Tally(q) for q in self.queries]
        self.heads = [Tally(q) for q in self.queries]
        self.variants = [Tally() for _ in self.matcher.routes]

    def operation_calls(self, index: int) -> int:
        """Every call to operation ``index``: its path, HEAD on it, its other slash form."""
        return (
            self.operations[index].requests
            + self.heads[index].requests
            + self.variants[index].requests
        )

    def all_tallies(self) -> list[Tally]:
        """Every tally, each request in exactly one of them."""
        return [
            *self.operations,
            *self.heads,
            *self.variants,
            self.implicit,
            *self.undocumented.values(),
            self.dropped,
        ]

    def overlaps(self) -> list[tuple[str, str, float]]:
        """Pairs of logs whose sampled lines are mostly the same lines: (first, second, share
        of the smaller sample found in the other)."""
        out = []
        for i, first in enumerate(self.logs):
            for second in self.logs[i + 1 :]:
                a, b = first.fingerprints, second.fingerprints
                smaller = min(len(a), len(b))
                if smaller < 5:
                    continue
                shared = len(a & b) / smaller
                if shared >= 0.5:
                    out.append((first.file, second.file, shared))
        return out

    @property
    def timed(self) -> int:
        return sum(log.timed for log in self.logs)

    @property
    def requests(self) -> int:
        return sum(log.requests for log in self.logs)

    def feed(
        self,
        name: str,
        format_name: str,
        lines: Iterable[str],
        read: Reader,
        explain: Callable[[str], str],
        other: Callable[[str], tuple[str, Reader] | None] | None = None,
        timestamp: Callable[[str], str | None] | None = None,
    ) -> LogSummary:
        """Count every request of one log. ``lines`` are the log's lines from the first;
        ``read`` gives each line's request and its client address, hour, response bytes and
        user agent (:meth:`~apilint.traffic.logformats.LogFormat.reader`). ``other``, when
        given, reads a line ``read`` cannot in another format (a file that mixes formats): it
        returns that format's name and reader, or None. ``timestamp`` gives the time of the
        first and last requests."""
        self._other = other
        summary = LogSummary(name, format_name)
        fingerprints = summary.fingerprints
        every = FINGERPRINT_EVERY - 1
        cache = self._cache
        resolve = self._resolve
        fold = self.matcher.fold
        invalid = self._invalid
        bucket_of = bucket
        log = math.log
        ceil = math.ceil
        inv = INV_LOG_GAMMA
        number = 0
        parsed = 0
        timed = 0
        unparsed = 0
        long_line = MAX_LINE_CHARS
        first_line = last_line = ""
        buckets: dict[float, int] = {}
        for number, line in enumerate(lines, 1):
            if len(line) >= long_line and type(line) is LongLine:
                unparsed += 1
                summary.too_long += 1
                self._sample(name, number, line, _too_long)
                continue
            record = read(line)
            if record is None:
                record = self._other_format(line, summary) if other is not None else None
                if record is None:
                    if line.strip():
                        unparsed += 1
                        self._sample(name, number, line, explain)
                    continue
            last_line = line
            if not first_line:
                first_line = line
            fingerprint = hash(line)
            if (not fingerprint & every or number <= FINGERPRINT_ALL) and len(
                fingerprints
            ) < MAX_FINGERPRINTS:
                fingerprints.add(fingerprint)
            method, target, status, ms, address, stamp, size, agent = record
            cut = target.find("?")
            if cut >= 0:
                query = target[cut + 1 :]
                target = target[:cut]
            tally = cache.get((method, target))
            if tally is None:
                # a path with ids is cached under its folded form (/users/1, /users/2, ...)
                folded = fold(target)
                if folded is target or (tally := cache.get((method, folded))) is None:
                    tally = resolve(method, target)
            if tally is invalid:
                unparsed += 1
                self._sample(name, number, line, lambda _: "the request target is not a path")
                continue
            parsed += 1
            counts = tally.status
            counts[status] = counts.get(status, 0) + 1
            if size is not None:
                tally.bytes += size
            if stamp is not None:
                hours = tally.hours
                known = hours.get(stamp)
                if known is not None:
                    hours[stamp] = known + 1
                elif len(hours) < MAX_HOURS:
                    hours[stamp] = 1
            if address is not None:
                clients = tally.clients
                known = clients.get(address)
                if known is not None:
                    clients[address] = known + 1
                else:
                    clients[address] = 1
                    if len(clients) > MAX_CLIENTS:
                        prune_clients(clients)
            if agent is not None:
                agents = tally.agents
                known = agents.get(agent)
                if known is not None:
                    agents[agent] = known + 1
                else:
                    agents[agent] = 1
                    if len(agents) > MAX_AGENTS:
                        prune_clients(agents, MAX_AGENTS)
            if cut >= 0 and tally.query is not None:
                tally.query.add(query)
            if ms is not None:
                timed += 1
                index = buckets.get(ms)  # the same durations recur (ms resolution)
                if index is None:
                    # histogram.bucket(), inlined for the common case
                    index = ceil(log(ms) * inv) if MIN_MS <= ms <= MAX_MS else bucket_of(ms)
                    if len(buckets) >= MAX_BUCKET_CACHE:
                        buckets.clear()
                    buckets[ms] = index
                hist = tally.hist
                hist[index] = hist.get(index, 0) + 1
        if timestamp is not None and first_line:
            summary.first_time = timestamp(first_line)
            summary.last_time = timestamp(last_line)
        summary.lines = number
        summary.requests = parsed
        summary.unparsed = unparsed
        summary.timed = timed
        self.unparsed += unparsed
        self.logs.append(summary)
        return summary

    def _other_format(self, line: str, summary: LogSummary) -> Record | None:
        found = self._other(line) if self._other is not None else None
        if found is None:
            return None
        format_name, read = found
        record = read(line)
        if record is not None:
            summary.mixed[format_name] = summary.mixed.get(format_name, 0) + 1
        return record

    def _sample(self, name: str, number: int, line: str, explain: Callable[[str], str]) -> None:
        if len(self.samples) < MAX_SAMPLES:
            self.samples.append(Sample(name, number, mask(line), explain(line)))

    def _resolve(self, method: str, target: str) -> Tally:
        # A path with ids is cached under its folded form only (one entry for /users/1,
        # /users/2, ...), which feed() looks up before calling this.
        folded = self.matcher.fold(target)
        if folded != target:
            known = self._cache.get((method, folded))
            if known is not None:
                return known
        found = self.matcher.match(method, target)
        tally: Tally
        if found.kind == OPERATION and found.route is not None:
            route = found.route
            head = method.upper() == "HEAD" and route.method != "head"
            tally = (self.heads if head else self.operations)[route.index]
        elif found.kind == VARIANT and found.route is not None:
            tally = self.variants[found.route.index]
        elif found.kind == IMPLICIT:
            tally = self.implicit
        elif found.kind == INVALID:
            tally = self._invalid
        else:
            assert found.kind == UNDOCUMENTED
            key = (method.upper(), found.template)
            endpoint = self.undocumented.get(key)
            if endpoint is None and self.dropped_below:
                # The table has overflowed (a scan of random URLs): a new template is listed
                # from its second request on; its first is counted with the dropped ones (a
                # count short by at most dropped_below, as for any dropped template).
                seen = self._seen_once
                fingerprint = hash(key)
                if fingerprint not in seen:
                    if len(seen) >= MAX_SEEN_ONCE:
                        seen.clear()
                    seen.add(fingerprint)
                    return self.dropped  # not cached: its next request is looked at again
                seen.discard(fingerprint)
            if endpoint is None:
                if len(self.undocumented) >= self.max_undocumented:
                    self._drop_least_called()
                endpoint = EndpointTally(
                    key[0], found.template, found.inside_base, found.path_documented
                )
                self.undocumented[key] = endpoint
            tally = endpoint
        if len(self._cache) >= MAX_CACHE:
            self._cache.clear()
        self._cache[(method, folded)] = tally
        return tally

    def _drop_least_called(self) -> None:
        ranked = sorted(self.undocumented.items(), key=lambda item: item[1].requests)
        for key, endpoint in ranked[: len(ranked) // 2 or 1]:
            self.dropped.add(endpoint)
            self.dropped_below = max(self.dropped_below, endpoint.requests)
            del self.undocumented[key]
        self._cache.clear()
