"""Inputs: HAR files and NDJSON exchanges, mixed and overlapping logs, and bad input refused
cleanly (a FIFO, a list of paths, a line too long, JSON nested too deep)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import run_cli
from traffic_support import DATA, SHOP, clf, traffic_json, usage_of, write_log, write_spec

from apilint.traffic.sources import MAX_LINE_CHARS


def _entry(method: str, url: str, status: int, time: float = 12.5) -> dict[str, object]:
    return {
        "startedDateTime": "2026-11-28T10:00:00.000Z",
        "time": time,
        "request": {
            "method": method,
            "url": url,
            "httpVersion": "HTTP/1.1",
            "headers": [{"name": "Accept", "value": "application/json"}],
            "queryString": [],
        },
        "response": {"status": status, "statusText": "", "headers": [], "content": {}},
    }


def test_a_har_file_is_read_without_json_fields(tmp_path: Path) -> None:
    har = {
        "log": {
            "version": "1.2",
            "creator": {"name": "test", "version": "1"},
            "entries": [
                _entry("GET", "https://shop.example.com/api/v1/products?page=2", 200),
                _entry("GET", "https://shop.example.com/api/v1/products/7", 500, 80.0),
                _entry("GET", "https://shop.example.com/api/v1/orders", 308),
                _entry("GET", "https://shop.example.com/api/v1/users/1/avatar", 200),
                _entry("GET", "https://shop.example.com/api/v1/products", 0),  # blocked
            ],
        }
    }
    pretty = tmp_path / "capture.har"
    pretty.write_text(json.dumps(har, indent=2), encoding="utf-8")
    report = traffic_json(SHOP, [pretty])
    usage = usage_of(report)
    assert usage["GET /products"]["requests"] == 1
    assert usage["GET /products/{id}"]["status"] == {"500": 1}
    assert usage["GET /products/{id}"]["p50_ms"] == pytest.approx(80, rel=0.02)
    assert usage["GET /orders/"]["other_slash_form_status"] == {"308": 1}
    assert report["traffic"]["logs"][0]["format"] == "har"
    assert report["unparsed_lines"] == 1
    assert "status 0" in report["unparsed_samples"][0]["reason"]
    one_line = tmp_path / "compact.har"
    one_line.write_text(json.dumps(har), encoding="utf-8")
    same = traffic_json(SHOP, [one_line])
    assert same["usage"] == report["usage"]
    piped = run_cli("traffic", str(SHOP), "-", "-f", "json", stdin=json.dumps(har), cwd=tmp_path)
    assert json.loads(piped.stdout)["usage"] == report["usage"]


def test_a_json_document_that_is_not_har_is_refused(tmp_path: Path) -> None:
    doc = tmp_path / "doc.json"
    doc.write_text('{\n  "items": []\n}\n', encoding="utf-8")
    result = run_cli("traffic", str(SHOP), str(doc), cwd=tmp_path)
    assert result.returncode == 2
    assert "without log.entries: not a HAR file" in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_ndjson_exchanges_are_read_without_json_fields(tmp_path: Path) -> None:
    lines = [
        json.dumps(
            {
                "request": {"method": method, "url": url, "headers": {"accept": "*/*"}},
                "response": {"statusCode": status, "headers": {}, "body": "{}"},
            }
        )
        for method, url, status in [
            ("GET", "http://127.0.0.1/api/v1/products", 200),
            ("GET", "http://127.0.0.1/api/v1/products/3", 200),
            ("DELETE", "http://127.0.0.1/api/v1/products/3", 204),
        ]
    ]
    report = traffic_json(SHOP, [write_log(tmp_path, lines, "exchanges.ndjson")])
    assert report["traffic"]["documented"] == 3
    assert report["unparsed_lines"] == 0


def test_a_file_that_mixes_formats_is_read_and_named(tmp_path: Path) -> None:
    combined = (DATA / "combined.log").read_text(encoding="utf-8").splitlines()
    jsonl = (DATA / "nginx.jsonl").read_text(encoding="utf-8").splitlines()
    log = write_log(tmp_path, [*combined, *jsonl[:4]], "mixed.log")
    notes: list[str] = []
    report = traffic_json(SHOP, [log], notes=notes)
    entry = report["traffic"]["logs"][0]
    assert entry["format"] == "combined"
    assert entry["other_formats"] == {"jsonl": 4}
    assert entry["requests"] == 13 + 4
    assert any("looks mixed" in note and "4 jsonl" in note for note in notes)


def test_two_logs_with_the_same_lines_are_named(tmp_path: Path) -> None:
    lines = [clf("GET", f"/api/v1/products/{i}", 200) + f" 0.{i:03d}" for i in range(400)]
    first = write_log(tmp_path, lines, "access.log")
    copy = write_log(tmp_path, lines, "access.log.1")
    other = write_log(tmp_path, [line.replace("203.0.113.9", "10.1.1.1") for line in lines], "b")
    notes: list[str] = []
    report = traffic_json(SHOP, [first, copy, other], notes=notes)
    overlaps = report["traffic"]["overlapping_logs"]
    assert [(o["first"], o["second"]) for o in overlaps] == [(str(first), str(copy))]
    assert overlaps[0]["shared"] == 1.0
    assert any("the same traffic named twice is counted twice" in note for note in notes)


def test_a_very_long_line_is_unparsed_with_its_reason(tmp_path: Path) -> None:
    long_target = "/api/v1/products?q=" + "a" * (MAX_LINE_CHARS + 10)
    log = write_log(
        tmp_path, [clf("GET", "/api/v1/products", 200), clf("GET", long_target, 200)] * 2
    )
    report = traffic_json(SHOP, [log])
    assert report["traffic"]["requests"] == 2
    assert report["unparsed_lines"] == 2
    assert report["traffic"]["logs"][0]["too_long"] == 2
    sample = report["unparsed_samples"][0]
    assert sample["line"] == 2
    assert f"over the {MAX_LINE_CHARS:,} apilint reads" in sample["reason"]
    assert len(sample["text"]) <= 200


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.log"
    os.mkfifo(fifo)
    result = run_cli("traffic", str(SHOP), str(fifo), cwd=tmp_path, timeout=20)
    assert result.returncode == 2
    assert "not a regular file" in result.stderr and "standard input" in result.stderr


def test_paths_as_a_list_is_refused(tmp_path: Path) -> None:
    spec = write_spec(
        tmp_path,
        """
        openapi: 3.0.3
        info: {title: x, version: "1"}
        paths:
          - /a
        """,
    )
    log = write_log(tmp_path, [clf("GET", "/a", 200)])
    result = run_cli("traffic", str(spec), str(log), cwd=tmp_path)
    assert result.returncode == 2
    assert "'paths' is a list, not a mapping" in result.stderr
    assert "internal error" not in result.stderr


def test_json_nested_thousands_deep_is_an_unparsed_line(tmp_path: Path) -> None:
    good = json.dumps({"method": "GET", "path": "/api/v1/products", "status": 200})
    deep = '{"a":' * 5000 + "1" + "}" * 5000
    log = write_log(tmp_path, [good, good, deep, good], "deep.jsonl")
    result = run_cli("traffic", str(SHOP), str(log), "-f", "json", cwd=tmp_path)
    assert result.returncode in (0, 1), result.stderr
    report = json.loads(result.stdout)
    assert report["traffic"]["requests"] == 3
    assert report["unparsed_samples"][0]["reason"] == (
        "a JSON value nested deeper than apilint reads"
    )
