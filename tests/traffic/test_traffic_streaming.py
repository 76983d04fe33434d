"""Bounded memory: percentiles from a histogram, capped tables, templating, masked samples."""

from __future__ import annotations

import math
import random
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import pytest
from traffic_support import SHOP, clf

from apilint.traffic import aggregate
from apilint.traffic.aggregate import Aggregator, mask
from apilint.traffic.histogram import (
    MAX_BUCKETS,
    RELATIVE_ACCURACY,
    bucket,
    merge,
    percentiles,
)
from apilint.traffic.logformats import FORMATS, ParseOptions
from apilint.traffic.matcher import Matcher, load_spec
from apilint.traffic.templating import template_of


def exact(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(1, math.ceil(q * len(ordered))) - 1]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_percentiles_are_within_the_documented_bound(seed: int) -> None:
    rng = random.Random(seed)
    values = [rng.lognormvariate(3, 1.5) for _ in range(5000)] + [0.0] * 50 + [250_000.0]
    hist: dict[int, int] = {}
    for v in values:
        index = bucket(v)
        hist[index] = hist.get(index, 0) + 1
    quantiles = (0.01, 0.5, 0.9, 0.95, 0.99, 0.999, 1.0)
    for q, got in zip(quantiles, percentiles(hist, quantiles), strict=True):
        want = exact(values, q)
        assert got is not None
        assert abs(got - want) <= RELATIVE_ACCURACY * want + 1e-12, (q, got, want)


def test_zero_durations_and_empty_histograms() -> None:
    assert percentiles({}, (0.5,)) == [None]
    assert percentiles({bucket(0.0): 3, bucket(10.0): 1}, (0.5, 1.0)) == [
        0.0,
        pytest.approx(10, rel=RELATIVE_ACCURACY),
    ]


def test_a_histogram_never_has_more_than_max_buckets() -> None:
    values = [10.0**e for e in range(-12, 15)] + [1.0 + i / 10 for i in range(100_000)]
    assert len({bucket(v) for v in values}) <= MAX_BUCKETS
    assert MAX_BUCKETS < 2000


def test_histograms_merge() -> None:
    a = {bucket(1.0): 2}
    merge(a, {bucket(1.0): 1, bucket(100.0): 1})
    assert a == {bucket(1.0): 3, bucket(100.0): 1}


@pytest.mark.parametrize(
    ("path", "template"),
    [
        ("/users/8412", "/users/{id}"),
        ("/users/8412/avatar", "/users/{id}/avatar"),
        ("/orders/3f0c9a4e-0c55-4d5e-9d8e-3A4CB1B0E0A7", "/orders/{id}"),
        ("/commits/9fceb02d0ae598e95dc970b74767f19372d61af8", "/commits/{id}"),
        ("/objects/507f1f77bcf86cd799439011", "/objects/{id}"),
        ("/customers/cus_NffrFeUfNV2Hib/cards", "/customers/{id}/cards"),
        ("/days/2024-01-15", "/days/{id}"),
        ("/exports/8412.json", "/exports/{id}.json"),
        ("/v2/oauth2/me", "/v2/oauth2/me"),
        ("/posts/release-notes-2024-edition", "/posts/release-notes-2024-edition"),
        ("/feeds/deadbeef", "/feeds/deadbeef"),
        ("/", "/"),
        ("/users/", "/users/"),
    ],
)
def test_undocumented_paths_are_templated(path: str, template: str) -> None:
    assert template_of(path.split("/")[1:]) == template


def _lines(count: int, seed: int) -> Iterator[str]:
    rng = random.Random(seed)
    for i in range(count):
        user = rng.randrange(10**9)
        yield clf("GET", f"/api/v1/products/{user}?page={i}", 200, f" 0.{rng.randrange(1000):03d}")
        yield clf("GET", f"/api/v1/scan/{rng.randrange(10**9):x}zz{i}", 404)


def _feed(agg: Aggregator, count: int, seed: int) -> None:
    fmt = FORMATS["combined"]
    sample = [next(_lines(1, 0)) + "\n"]
    read = fmt.reader(sample, ParseOptions())
    agg.feed("gen.log", "combined", _lines(count, seed), read, lambda _: "?")


def test_memory_stays_flat_however_long_the_log(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every request has a new product id and a new scanned path: nothing may grow with them."""
    monkeypatch.setattr(aggregate, "MAX_CACHE", 500)
    # The other bounded structures, bounded lower for a short test.
    monkeypatch.setattr(aggregate, "MAX_SEEN_ONCE", 500)
    monkeypatch.setattr(aggregate, "FINGERPRINT_ALL", 0)
    monkeypatch.setattr(aggregate, "MAX_FINGERPRINTS", 100)
    agg = Aggregator(Matcher(load_spec(str(SHOP))), max_undocumented=200)
    tracemalloc.start()
    try:
        _feed(agg, 500, seed=1)
        after_short, _ = tracemalloc.get_traced_memory()
        _feed(agg, 3_000, seed=2)
        after_long, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert agg.requests == 7_000
    assert len(agg.undocumented) <= 200
    assert len(agg._cache) <= 500
    route = next(r for r in agg.matcher.routes if r.label == "GET /products/{id}")
    products = agg.operations[route.index]
    assert sum(products.status.values()) == 3_500
    assert len(products.hist) <= MAX_BUCKETS
    # Six times the lines, the same memory (a record per request would be megabytes).
    assert after_long - after_short < 100_000, (after_short, after_long)


def test_a_flood_of_distinct_undocumented_paths_keeps_the_busy_ones(tmp_path: Path) -> None:
    agg = Aggregator(Matcher(load_spec(str(SHOP))), max_undocumented=50)
    lines = []
    for i in range(2000):
        lines.append(clf("GET", f"/api/v1/probe-{i}x", 404))
        if i % 10 == 0:
            lines.append(clf("POST", "/api/v1/legacy/sync", 200))
    fmt = FORMATS["combined"]
    agg.feed("x.log", "combined", lines, fmt.reader(lines[:1], ParseOptions()), lambda _: "?")
    kept = agg.undocumented[("POST", "/legacy/sync")]
    assert kept.requests >= 200 - agg.dropped_below
    assert len(agg.undocumented) <= 50
    total = sum(e.requests for e in agg.undocumented.values()) + agg.dropped.requests
    assert total == 2200  # dropped templates still count in the totals


@pytest.mark.parametrize(
    ("line", "shown"),
    [
        ("GET /cb?code=abc123&state=x HTTP/1.1", "GET /cb?code=***&state=x HTTP/1.1"),
        ("/login?user=bob&password=hunter2", "/login?user=bob&password=***"),
        ("Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.e30.x", "Authorization: Bearer ***"),
        ("?X-Amz-Signature=0123abcd&X-Amz-Date=2026", "?X-Amz-Signature=***&X-Amz-Date=2026"),
        ("bell\x07here\n", "bell\\x07here"),
    ],
)
def test_samples_mask_secrets_and_control_characters(line: str, shown: str) -> None:
    assert mask(line) == shown


def test_samples_are_shortened() -> None:
    assert len(mask("x" * 5000)) == aggregate.SAMPLE_CHARS
