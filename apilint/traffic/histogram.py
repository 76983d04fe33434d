"""Latency percentiles in bounded memory: a sparse histogram with logarithmic buckets.

Why this and not the exact method: exact percentiles need every duration (or a selection pass over
them), so memory would grow with the log; a reservoir sample keeps memory flat but its p99 is only
as good as the few samples above the 99th rank. A log-scale histogram (the idea behind DDSketch
and HdrHistogram) keeps memory flat *and* gives a guaranteed error:

- bucket ``i`` holds the durations in ``(gamma^(i-1), gamma^i]`` milliseconds, with
  ``gamma = (1 + alpha) / (1 - alpha)`` and ``alpha = RELATIVE_ACCURACY = 1 %``;
- a percentile is the nearest-rank one (the smallest duration with at least ``q`` of the requests
  at or below it), reported as the bucket's centre ``2 gamma^i / (gamma + 1)``, which is within
  ``alpha`` (1 %)
  of that duration, whatever the distribution;
- durations are clamped to ``[MIN_MS, MAX_MS]`` (1 µs to about 11.6 days) and zero has a bucket of
  its own, so an operation's histogram never has more than ``MAX_BUCKETS`` (≈ 1,700) entries;
  in practice a few hundred. Histograms merge by adding counts (per-prefix percentiles).

A histogram is a plain ``dict[int, int]`` (bucket -> count) so that the aggregation loop can update
it without a method call per request.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

RELATIVE_ACCURACY = 0.01
GAMMA = (1 + RELATIVE_ACCURACY) / (1 - RELATIVE_ACCURACY)
INV_LOG_GAMMA = 1.0 / math.log(GAMMA)
MIN_MS = 0.001
MAX_MS = 1e9
ZERO = -(10**9)
"""The bucket of zero durations (a log with millisecond resolution records many 0.000s)."""
MAX_BUCKETS = math.ceil(math.log(MAX_MS / MIN_MS) * INV_LOG_GAMMA) + 2

Histogram = dict[int, int]


def bucket(ms: float) -> int:
    """The bucket of a duration in milliseconds."""
    if ms <= 0.0:
        return ZERO
    if ms < MIN_MS:
        ms = MIN_MS
    elif ms > MAX_MS:
        ms = MAX_MS
    return math.ceil(math.log(ms) * INV_LOG_GAMMA)


def value(index: int) -> float:
    """The duration a bucket stands for: within RELATIVE_ACCURACY of any duration in it."""
    if index == ZERO:
        return 0.0
    return 2.0 * GAMMA**index / (GAMMA + 1.0)


def percentiles(histogram: Mapping[int, int], quantiles: Iterable[float]) -> list[float | None]:
    """Nearest-rank percentiles (``q`` in 0..1) of the durations counted in ``histogram``."""
    wanted = list(quantiles)
    total = sum(histogram.values())
    if total == 0:
        return [None for _ in wanted]
    ranks = [max(1, math.ceil(q * total - 1e-9)) for q in wanted]
    out: list[float | None] = [None] * len(wanted)
    order = sorted(range(len(wanted)), key=lambda k: ranks[k])
    seen = 0
    pending = 0
    for index in sorted(histogram):
        seen += histogram[index]
        while pending < len(order) and ranks[order[pending]] <= seen:
            out[order[pending]] = value(index)
            pending += 1
        if pending == len(order):
            break
    return out


def merge(target: Histogram, other: Mapping[int, int]) -> None:
    for index, count in other.items():
        target[index] = target.get(index, 0) + count
