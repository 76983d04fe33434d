"""Log formats: the same hand-written traffic in every format gives the same numbers.

Each sample in data/ holds the same 13 requests (plus one line that is not a request) against
data/shop.yaml, written the way NGINX, Apache, HAProxy, an AWS ALB and an NGINX JSON log_format
write them.
"""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest
from traffic_support import DATA, SHOP, clf, rules_of, traffic_json, usage_of, write_log

from apilint.core.errors import ApilintError
from apilint.traffic.logformats import (
    FORMATS,
    ParseOptions,
    detect,
    find_timing,
    parse_json_fields,
)

CUSTOM_FIELDS = {"method": "req_method", "path": "uri", "status": "code", "duration_ms": "rt"}

SAMPLES = [
    # file, detected format, --json-fields, has timings
    ("combined.log", "combined", None, True),
    ("common.log", "common", None, False),
    ("haproxy.log", "haproxy", None, True),
    ("alb.log", "alb", None, True),
    ("nginx.jsonl", "jsonl", None, True),
    ("custom.jsonl", "jsonl", CUSTOM_FIELDS, True),
]

EXPECTED_USAGE = {
    "GET /products": (2, 0, {"200": 2}),
    "POST /products": (1, 0, {"201": 1}),
    "GET /products/{id}": (2, 0, {"200": 1, "500": 1}),
    "DELETE /products/{id}": (1, 0, {"204": 1}),
    "GET /products/featured": (1, 0, {"200": 1}),
    "GET /orders/": (1, 1, {"200": 1}),
    "GET /reports/{name}.{format}": (1, 0, {"200": 1}),
    "GET /orders/{orderId}/lines": (0, 0, {}),
    "GET /health": (0, 0, {}),
}


@pytest.mark.parametrize(("name", "fmt", "fields", "timed"), SAMPLES)
def test_every_format_gives_the_same_usage(
    name: str, fmt: str, fields: dict[str, str] | None, timed: bool
) -> None:
    report = traffic_json(SHOP, [DATA / name], json_fields=fields)
    usage = usage_of(report)
    assert {
        op: (row["requests"], row["other_slash_form"], row["status"]) for op, row in usage.items()
    } == EXPECTED_USAGE
    assert report["undocumented"] == [
        {"method": "GET", "template": "/users/{id}/avatar", "requests": 2, "status": {"200": 2}},
        {"method": "GET", "template": "/wp-login.php", "requests": 1, "status": {"404": 1}},
    ]
    assert report["unparsed_lines"] == 1
    log = report["traffic"]["logs"][0]
    lines = 15 if name == "combined.log" else 14  # the combined sample has a blank line
    assert (log["format"], log["lines"], log["requests"], log["unparsed"]) == (fmt, lines, 13, 1)
    assert rules_of(report) == [
        ("traffic-query-undocumented", "GET /products"),
        ("traffic-redirect", "GET /orders/"),
        ("traffic-server-errors", "GET /products/{id}"),
        ("traffic-undocumented", None),
        ("traffic-unused", "GET /health"),
        ("traffic-unused", "GET /orders/{orderId}/lines"),
    ]
    products = usage["GET /products"]
    # who and when, in every format that logs them (JSON lines under their usual names)
    if name != "custom.jsonl":  # its objects have a time (epoch seconds) and no client
        assert products["top_clients"] == [{"client": "192.0.2.10", "requests": 2}]
    assert products["per_hour"] == [["2026-11-28T10:00", 2]]
    # the response bytes (an ALB line also has the request's, before them)
    assert products["bytes"] == (0 if name == "custom.jsonl" else 512 + 498)
    agents = {row["agent"] for row in products["top_agents"]}
    if fmt in ("combined", "alb") or name == "nginx.jsonl":
        assert "curl/8.5.0" in agents and len(agents) == 2
    else:  # common and HAProxy logs without a captured User-Agent have none
        assert agents == set()
    if timed:
        # 8 ms and 12 ms: nearest-rank p50 is 8, p95 and p99 are 12 (within the 1 % bound).
        assert products["p50_ms"] == pytest.approx(8, rel=0.011)
        assert products["p95_ms"] == pytest.approx(12, rel=0.011)
        assert products["p99_ms"] == pytest.approx(12, rel=0.011)
        assert usage["GET /products/{id}"]["p99_ms"] == pytest.approx(100, rel=0.011)
        assert usage["GET /health"]["p50_ms"] is None
    else:
        assert "p50_ms" not in products


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("combined.log", "the request field is not an HTTP request line"),
        ("common.log", "no request line (the client sent nothing usable)"),
        ("haproxy.log", "HAProxy could not read the request (<BADREQ>)"),
        ("alb.log", "the request field is not an HTTP request line"),
        ("nginx.jsonl", "no method, path or status field"),
    ],
)
def test_unparsed_lines_are_sampled_with_a_reason(name: str, reason: str) -> None:
    report = traffic_json(SHOP, [DATA / name])
    (sample,) = report["unparsed_samples"]
    assert sample["file"] == str(DATA / name)
    assert sample["line"] == (15 if name == "combined.log" else 14)  # combined has a blank line
    assert sample["reason"] == reason


def test_several_logs_plain_and_gzip_add_up(tmp_path: Path) -> None:
    packed = tmp_path / "access.log.1.gz"
    with open(DATA / "combined.log", "rb") as source, gzip.open(packed, "wb") as target:
        shutil.copyfileobj(source, target)
    report = traffic_json(SHOP, [DATA / "combined.log", packed, DATA / "haproxy.log"])
    assert [(log["format"], log["requests"]) for log in report["traffic"]["logs"]] == [
        ("combined", 13),
        ("combined", 13),
        ("haproxy", 13),
    ]
    assert usage_of(report)["GET /products/{id}"]["status"] == {"200": 3, "500": 3}
    assert report["traffic"]["requests"] == 39
    assert report["unparsed_lines"] == 3


def test_a_log_format_can_be_named(tmp_path: Path) -> None:
    report = traffic_json(SHOP, [DATA / "combined.log"], log_format="combined")
    assert report["traffic"]["logs"][0]["format"] == "combined"
    with pytest.raises(ApilintError, match=r"none of the first 14 lines is in the HAProxy HTTP"):
        traffic_json(SHOP, [DATA / "combined.log"], log_format="haproxy")


def test_json_lines_without_known_fields_say_which_fields_they_have() -> None:
    with pytest.raises(ApilintError) as caught:
        traffic_json(SHOP, [DATA / "custom.jsonl"])
    message = str(caught.value)
    assert "the objects have: code, req_method, rt, ts, uri" in message
    assert "--json-fields method=FIELD" in message


def test_json_fields_reach_into_nested_objects_and_read_unit_suffixes(tmp_path: Path) -> None:
    ecs = '{"http": {"request": {"method": "GET"}, "response": {"status_code": 200}}, '
    lines = [
        ecs + '"url": {"path": "/api/v1/products"}, "event": {"duration": 8000000}}',
        ecs + '"url": {"path": "/api/v1/products"}, "event": {"duration": 12000000}}',
    ]
    report = traffic_json(SHOP, [write_log(tmp_path, lines)])
    products = usage_of(report)["GET /products"]
    assert products["requests"] == 2
    assert products["p50_ms"] == pytest.approx(8, rel=0.011)  # event.duration is in nanoseconds
    gcp = '{{"httpRequest": {{"requestMethod": "GET", "requestUrl": "{url}", "status": 200, '
    gcp += '"latency": "{latency}"}}}}'
    lines = [
        gcp.format(url="https://shop.example.com/api/v1/products?page=1", latency="0.008s"),
        gcp.format(url="https://shop.example.com/api/v1/products", latency="0.012s"),
    ]
    report = traffic_json(SHOP, [write_log(tmp_path, lines, "gcp.jsonl")])
    assert usage_of(report)["GET /products"]["p95_ms"] == pytest.approx(12, rel=0.011)


def test_json_fields_option_is_validated() -> None:
    assert parse_json_fields("method=m, path=p,status=s") == {
        "method": "m",
        "path": "p",
        "status": "s",
    }
    with pytest.raises(ApilintError, match="unknown role 'verb'"):
        parse_json_fields("verb=m")
    with pytest.raises(ApilintError, match="expected ROLE=FIELD"):
        parse_json_fields("method")


@pytest.mark.parametrize(
    ("extra", "unit", "expected_ms"),
    [
        (" 0.012", "auto", 12.0),  # NGINX $request_time, seconds
        (" 12000", "auto", 12.0),  # Apache %D, microseconds
        (' rt=0.012 uct="0.001" urt="0.010"', "auto", 12.0),  # NGINX keyed extension
        (" 512 0.012", "auto", 12.0),  # $request_length then $request_time
        (" 12", "ms", 12.0),
        (" 1", "s", 1000.0),
    ],
)
def test_timing_field_of_combined_logs(extra: str, unit: str, expected_ms: float) -> None:
    line = clf("GET", "/x", 200, extra) + "\n"
    fmt = FORMATS["combined"]
    options = ParseOptions(time_unit=unit)
    parsed = fmt.parser([line], options)(line)
    assert parsed is not None
    assert parsed[:3] == ("GET", "/x", "200")
    assert parsed[3] == pytest.approx(expected_ms)


def test_timing_layout_is_none_without_a_number() -> None:
    assert find_timing([' "10.0.0.1" "-"'], "auto") is None


@pytest.mark.parametrize(
    ("line", "fmt"),
    [
        (
            'shop.example.com:443 192.0.2.1 - - [28/Nov/2026:10:00:00 +0100] "GET / HTTP/1.1" '
            '200 5 "-" "curl/8"',
            "combined",
        ),  # Apache vhost_combined
        ('192.0.2.1 - - [28/Nov/2026:10:00:00 +0100] "GET / HTTP/1.1" 200 5 12345', "common"),
        (
            "192.0.2.1:5000 [28/Nov/2026:10:00:00.123] fe be/s1 0/0/0/1/1 200 5 - - ---- "
            '1/1/0/0/0 0/0 "GET / HTTP/1.1"',
            "haproxy",
        ),  # logging to stdout: no syslog header
        ('{"method": "GET", "path": "/", "status": 200}', "jsonl"),
    ],
)
def test_detection_of_variants(line: str, fmt: str) -> None:
    assert detect([line + "\n"], ParseOptions(), "x.log").name == fmt


def test_detection_refuses_what_no_format_reads() -> None:
    with pytest.raises(ApilintError, match=r"cannot tell the log format \(first line: 'hello"):
        detect(["hello world\n", "second line\n"], ParseOptions(), "x.log")


def test_windows_line_ends_and_blank_lines(tmp_path: Path) -> None:
    path = tmp_path / "crlf.log"
    lines = [clf("GET", "/api/v1/products", 200, " 0.010"), "", clf("GET", "/api/v1/metrics", 200)]
    path.write_bytes("\r\n".join(lines).encode() + b"\r\n")
    report = traffic_json(SHOP, [path])
    assert report["unparsed_lines"] == 0
    assert usage_of(report)["GET /products"]["p50_ms"] == pytest.approx(10, rel=0.011)
    assert report["undocumented"][0]["template"] == "/metrics"
    assert report["traffic"]["requests"] == 2


def test_undecodable_bytes_do_not_stop_the_reading(tmp_path: Path) -> None:
    path = tmp_path / "latin1.log"
    line = clf("GET", "/api/v1/products", 200).replace("test-agent", "agent-\xe9")
    path.write_bytes((line + "\n").encode("latin-1") * 3)
    assert traffic_json(SHOP, [path])["traffic"]["requests"] == 3


@pytest.mark.parametrize(
    ("value", "status"),
    [(200, "200"), ("404", "404"), (503.0, "503"), (True, None), (99, None), ("2xx", None)],
)
def test_json_status_values(value: object, status: str | None) -> None:
    line = json.dumps({"method": "GET", "path": "/x", "status": value})
    parsed = FORMATS["jsonl"].parser([line], ParseOptions())(line)
    assert (parsed[2] if parsed else None) == status
