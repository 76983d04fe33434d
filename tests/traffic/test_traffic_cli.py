"""``apilint traffic`` as a user runs it: report shapes, options, findings' precision, errors."""

from __future__ import annotations

import bz2
import gzip
import json
from pathlib import Path

import pytest
from conftest import run_cli
from traffic_support import DATA, SHOP, clf, traffic_json, write_log, write_spec

from apilint.traffic.report import Thresholds


def test_json_report_members() -> None:
    report = traffic_json(SHOP, [DATA / "combined.log"])
    assert set(report) == {
        "tool",
        "version",
        "command",
        "findings",
        "summary",
        "usage",
        "undocumented",
        "unparsed_lines",
        "unparsed_samples",
        "prefixes",
        "tags",
        "clients",
        "traffic",
    }
    assert report["command"] == "traffic"
    # warnings: the redirect, the undocumented avatar endpoint, the undocumented ?page
    assert report["summary"] == {"error": 1, "warning": 3, "info": 2}
    row = next(u for u in report["usage"] if u["operation"] == "GET /products/{id}")
    assert set(row) == {
        "operation",
        "calls",
        "requests",
        "head",
        "other_slash_form",
        "status",
        "other_slash_form_status",
        "top_clients",
        "top_agents",
        "per_hour",
        "bytes",
    } | {
        "p50_ms",
        "p95_ms",
        "p99_ms",
    }
    # Busiest first, then by name.
    assert [u["operation"] for u in report["usage"][:3]] == [
        "GET /orders/",
        "GET /products",
        "GET /products/{id}",
    ]


def test_findings_point_at_the_operation_or_at_paths() -> None:
    report = traffic_json(SHOP, [DATA / "combined.log"])
    where = {
        (f["rule"], f["operation"]): (f["line"], f["column"], f["pointer"])
        for f in report["findings"]
    }
    assert where[("traffic-server-errors", "GET /products/{id}")] == (
        22,
        5,
        "/paths/~1products~1{id}/get",
    )
    assert where[("traffic-redirect", "GET /orders/")] == (33, 5, "/paths/~1orders~1/get")
    assert where[("traffic-unused", "GET /health")] == (50, 5, "/paths/~1health/get")
    assert where[("traffic-undocumented", None)] == (11, 1, "/paths")
    undocumented = next(f for f in report["findings"] if f["rule"] == "traffic-undocumented")
    assert (undocumented["method"], undocumented["template"], undocumented["requests"]) == (
        "GET",
        "/users/{id}/avatar",
        2,
    )
    unused = next(f for f in report["findings"] if f["operation"] == "GET /health")
    assert "deprecated: a candidate for removal" in unused["message"]


def test_prefixes_by_group_depth() -> None:
    one = traffic_json(SHOP, [DATA / "combined.log"])
    assert [
        (p["prefix"], p["requests"], p["operations"], p["undocumented"]) for p in one["prefixes"]
    ] == [
        ("/products", 7, 5, 0),
        ("/orders", 2, 1, 0),
        ("/users", 2, 0, 2),
        ("/reports", 1, 1, 0),
        ("/wp-login.php", 1, 0, 1),
    ]
    assert one["prefixes"][0]["share"] == round(7 / 13, 4)
    assert one["prefixes"][0]["server_errors"] == 1
    two = traffic_json(SHOP, [DATA / "combined.log"], thresholds=Thresholds(group_depth=2))
    assert {p["prefix"] for p in two["prefixes"]} == {
        "/products",
        "/products/{id}",
        "/products/featured",
        "/orders",
        "/users/{id}",
        "/reports/{name}.{format}",
        "/wp-login.php",
    }


REDIRECTS = """
openapi: 3.0.3
info: {title: T, version: "1"}
paths:
  /login:
    get:
      responses: {"302": {description: To the identity provider}}
  /docs:
    get:
      responses: {"3XX": {description: Elsewhere}}
  /x:
    get:
      responses: {"200": {description: ok}}
  /cached:
    get:
      responses: {"200": {description: ok}}
"""


def test_redirects_the_operation_documents_are_not_findings(tmp_path: Path) -> None:
    spec = write_spec(tmp_path, REDIRECTS)
    log = write_log(
        tmp_path,
        [
            clf("GET", "/login", 302),
            clf("GET", "/docs", 301),
            clf("GET", "/cached", 304),  # not a redirect
            clf("GET", "/cached", 200),
            # the description says /x, the server's route is /x/: /x answers 308, /x/ 200
            clf("GET", "/x", 308),
            clf("GET", "/x/", 200),
            clf("GET", "/x", 308),
            clf("GET", "/x/", 200),
        ],
    )
    report = traffic_json(spec, [log])
    (finding,) = [f for f in report["findings"] if f["rule"] == "traffic-redirect"]
    assert finding["operation"] == "GET /x"
    assert (finding["count"], finding["calls"], finding["share"]) == (2, 4, 0.5)
    assert (
        "the path answers with a redirect the operation does not document (308 ×2)"
        in finding["message"]
    )
    assert "the server's route is probably '/x/'" in finding["message"]


def test_undocumented_endpoints_worth_a_finding(tmp_path: Path) -> None:
    spec = write_spec(tmp_path, REDIRECTS)
    log = write_log(
        tmp_path,
        [
            clf("GET", "/x", 200),
            clf("GET", "/wp-admin/setup.php", 404),  # never served: a scan
            clf("POST", "/x", 405),  # the path exists, the method is refused
            clf("GET", "/static/app.3f9a.js", 200),  # a web asset
            clf("DELETE", "/x", 204),  # the path is documented, the method is not
            clf("GET", "/internal/metrics", 200),
            clf("OPTIONS", "/x", 204),  # a CORS preflight
        ],
    )
    report = traffic_json(spec, [log])
    messages = [f["message"] for f in report["findings"] if f["rule"] == "traffic-undocumented"]
    assert messages == [
        "DELETE /x is called but not documented (the path is documented, the DELETE method is "
        "not): 1 request (204 ×1)",
        "GET /internal/metrics is called but not documented (the description has no such path): "
        "1 request (200 ×1)",
    ]
    assert len(report["undocumented"]) == 5
    assert report["traffic"]["options_preflight"] == 1


def test_requests_outside_the_base_path_hint_at_base_path(tmp_path: Path) -> None:
    log = write_log(tmp_path, [clf("GET", "/products", 200)] * 3)
    result = run_cli("traffic", str(SHOP), str(log), "-f", "json", cwd=tmp_path)
    assert "pass --base-path /" in result.stderr
    report = json.loads(result.stdout)
    assert report["traffic"]["outside_base_paths"] == 3
    assert not [f for f in report["findings"] if f["rule"] == "traffic-undocumented"]
    result = run_cli("traffic", str(SHOP), str(log), "--base-path", "/", "-f", "json", cwd=tmp_path)
    report = json.loads(result.stdout)
    assert report["usage"][0] == {
        "operation": "GET /products",
        "calls": 3,
        "requests": 3,
        "head": 0,
        "other_slash_form": 0,
        "status": {"200": 3},
        "other_slash_form_status": {},
        "top_clients": [{"client": "203.0.113.9", "requests": 3}],
        "top_agents": [{"agent": "test-agent/1.0", "requests": 3}],
        "per_hour": [["2026-11-28T10:00", 3]],
        "bytes": 30,
    }


def test_thresholds_ignore_and_exit_codes(tmp_path: Path) -> None:
    log = str(DATA / "combined.log")
    spec = str(SHOP)
    assert run_cli("traffic", spec, log, "-q", cwd=tmp_path).returncode == 1
    relaxed = run_cli("traffic", spec, log, "-q", "--max-error-share", "60%", cwd=tmp_path)
    assert relaxed.returncode == 0, relaxed.stdout
    assert "traffic-server-errors" not in relaxed.stdout
    few = run_cli("traffic", spec, log, "-q", "--min-requests", "3", cwd=tmp_path)
    assert "traffic-server-errors" not in few.stdout
    assert "traffic-redirect" not in few.stdout
    quiet = run_cli(
        "traffic", spec, log, "-q", "--ignore", "traffic-unused,traffic-server-errors", cwd=tmp_path
    )
    assert quiet.returncode == 0
    assert "traffic-unused" not in quiet.stdout
    strict = run_cli(
        "traffic",
        spec,
        log,
        "-q",
        "--ignore",
        "traffic-server-errors",
        "--fail-on",
        "warning",
        cwd=tmp_path,
    )
    assert strict.returncode == 1
    never = run_cli("traffic", spec, log, "-q", "--fail-on", "never", cwd=tmp_path)
    assert never.returncode == 0
    bad = run_cli("traffic", spec, log, "--max-error-share", "2", cwd=tmp_path)
    assert bad.returncode == 2
    assert "not between 0 and 1" in bad.stderr
    unknown = run_cli("traffic", spec, log, "--ignore", "path-casing", cwd=tmp_path)
    assert unknown.returncode == 2
    assert unknown.stderr.strip().startswith("apilint: error: --ignore: unknown rule 'path-casing'")


def test_text_report(tmp_path: Path) -> None:
    result = run_cli("traffic", str(SHOP), str(DATA / "combined.log"), cwd=tmp_path)
    out = result.stdout
    assert "13 requests in 1 log against" in out
    assert "Operations (7 of 9 called, busiest first)" in out
    assert "GET /products/{id}" in out
    assert "P95 MS" in out
    assert "Undocumented endpoints (2)" in out
    assert "Usage by path prefix (1 segment, --group-depth)" in out
    assert "Unparsed lines (1), the first:" in out
    assert out.rstrip().endswith("Found 6 problems (1 error, 3 warnings, 2 info) in 1 file.")
    quiet = run_cli("traffic", str(SHOP), str(DATA / "combined.log"), "-q", cwd=tmp_path).stdout
    assert quiet.splitlines()[0].endswith(
        "traffic-undocumented: GET /users/{id}/avatar is called but not documented (the "
        "description has no such path): 2 requests (200 ×2)"
    )
    assert len(quiet.splitlines()) == 6


def test_shared_formats_and_html_only_for_traffic(tmp_path: Path) -> None:
    sarif = tmp_path / "traffic.sarif"
    result = run_cli(
        "traffic",
        str(SHOP),
        str(DATA / "combined.log"),
        "-f",
        f"sarif:{sarif}",
        "-f",
        "github",
        cwd=tmp_path,
    )
    assert result.returncode == 1, result.stderr
    runs = json.loads(sarif.read_text(encoding="utf-8"))["runs"]
    assert {r["ruleId"] for r in runs[0]["results"]} == {
        "traffic-undocumented",
        "traffic-redirect",
        "traffic-server-errors",
        "traffic-unused",
        "traffic-query-undocumented",
    }
    assert "::error " in result.stdout
    lint = run_cli("lint", str(SHOP), "-f", "html", cwd=tmp_path)
    assert lint.returncode == 2
    assert "the html report format is offered by 'apilint traffic' only" in lint.stderr
    helped = run_cli("traffic", "--help", cwd=tmp_path).stdout
    assert "html" in helped


def test_stdin_and_gzip_on_stdin(tmp_path: Path) -> None:
    text = (DATA / "haproxy.log").read_text(encoding="utf-8")
    result = run_cli("traffic", str(SHOP), "-", "-f", "json", stdin=text, cwd=tmp_path)
    report = json.loads(result.stdout)
    assert report["traffic"]["logs"][0]["file"] == "<stdin>"
    assert report["traffic"]["logs"][0]["format"] == "haproxy"
    assert report["traffic"]["requests"] == 13


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("missing", "missing.log: no such file"),
        ("empty", "empty.log: the log is empty: no requests to compare with the description"),
        ("binary", "binary.log: not a text log (binary content)"),
        (
            "bzip2",
            "access.log.bz2: compressed with bzip2, which apilint does not read; "
            "decompress it into standard input: bzcat",
        ),
        ("broken-gzip", "broken.gz: not a valid gzip file"),
        ("unknown", "notes.txt: cannot tell the log format (first line: 'Dear diary,'"),
        ("directory", "logs: is a directory, not a log file"),
    ],
)
def test_unusable_input_is_one_line_and_exit_2(tmp_path: Path, setup: str, message: str) -> None:
    names = {
        "missing": "missing.log",
        "empty": "empty.log",
        "binary": "binary.log",
        "bzip2": "access.log.bz2",
        "broken-gzip": "broken.gz",
        "unknown": "notes.txt",
        "directory": "logs",
    }
    name = names[setup]
    path = tmp_path / name
    if setup == "empty":
        path.write_text("\n\n", encoding="utf-8")
    elif setup == "binary":
        path.write_bytes(b"\x00\x01\x02 binary\n" * 10)
    elif setup == "bzip2":
        path.write_bytes(bz2.compress(b"x"))
    elif setup == "broken-gzip":
        path.write_bytes(b"\x1f\x8b\x08\x00garbage-not-deflate" * 4)
    elif setup == "unknown":
        path.write_text("Dear diary,\ntoday I wrote no logs.\n", encoding="utf-8")
    elif setup == "directory":
        path.mkdir()
    result = run_cli("traffic", str(SHOP), name, cwd=tmp_path)
    assert result.returncode == 2, result.stdout
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"apilint: error: {message}"), lines[0]


def test_an_empty_log_among_others_is_a_note(tmp_path: Path) -> None:
    (tmp_path / "empty.log").write_text("", encoding="utf-8")
    result = run_cli(
        "traffic", str(SHOP), "empty.log", str(DATA / "common.log"), "-q", cwd=tmp_path
    )
    assert result.returncode == 1
    assert result.stderr == ""  # -q: no notes
    result = run_cli("traffic", str(SHOP), "empty.log", str(DATA / "common.log"), cwd=tmp_path)
    assert "apilint: note: empty.log: the log is empty" in result.stderr


def test_a_truncated_gzip_log_is_read_up_to_the_cut(tmp_path: Path) -> None:
    packed = gzip.compress((DATA / "combined.log").read_bytes() * 50)
    (tmp_path / "cut.log.gz").write_bytes(packed[: len(packed) * 2 // 3])
    result = run_cli("traffic", str(SHOP), "cut.log.gz", "-f", "json", cwd=tmp_path)
    assert "the gzip stream ends early" in result.stderr
    assert json.loads(result.stdout)["traffic"]["requests"] > 13


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("openapi: 3.0.3\ninfo: [\n", "api.yaml:"),
        ("just: yaml\n", "api.yaml: not an OpenAPI document"),
        (
            "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    $ref: '#/nope'\n",
            "api.yaml:5:5: $ref '#/nope' points to nothing",
        ),
    ],
)
def test_a_spec_with_errors_fails_as_lint_does(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "api.yaml").write_text(text, encoding="utf-8")
    traffic = run_cli("traffic", "api.yaml", str(DATA / "common.log"), cwd=tmp_path)
    lint = run_cli("lint", "api.yaml", cwd=tmp_path)
    assert traffic.returncode == 2
    assert traffic.stderr.startswith(f"apilint: error: {message}"), traffic.stderr
    assert traffic.stderr.splitlines()[0] in lint.stderr.splitlines()


def test_missing_spec(tmp_path: Path) -> None:
    result = run_cli("traffic", "nope.yaml", str(DATA / "common.log"), cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == "apilint: error: nope.yaml: no such file\n"


def test_the_shared_config_applies_to_traffic(tmp_path: Path) -> None:
    """apilint.yaml serves every command: its fail-on, and the ignore and rules entries that
    name traffic ids; lint ids in it are fine, and a typo is an error here as in lint."""
    log, spec = str(DATA / "combined.log"), str(SHOP)
    (tmp_path / "apilint.yaml").write_text(
        "fail-on: never\nrules:\n  traffic-server-errors: info\n  path-verb: off\n"
        "ignore: [traffic-unused]\n"
    )
    result = run_cli("traffic", spec, log, "-q", "-f", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    findings = json.loads(result.stdout)["findings"]
    assert {f["severity"] for f in findings if f["rule"] == "traffic-server-errors"} == {"info"}
    assert not [f for f in findings if f["rule"] == "traffic-unused"]
    # --fail-on on the command line wins over the config's.
    assert run_cli("traffic", spec, log, "-q", "--fail-on", "info", cwd=tmp_path).returncode == 1
    assert run_cli("traffic", spec, log, "-q", "--no-config", cwd=tmp_path).returncode == 1
    (tmp_path / "apilint.yaml").write_text("rules:\n  traffic-unusd: off\n")
    typo = run_cli("traffic", spec, log, "-q", cwd=tmp_path)
    assert typo.returncode == 2
    assert "unknown rule 'traffic-unusd'" in typo.stderr


def test_prefix_depth_divides_the_api_and_tags_group_it(tmp_path: Path) -> None:
    spec = write_spec(
        tmp_path,
        """
        openapi: 3.0.3
        info: {title: x, version: "1"}
        paths:
          /api/users:
            get: {tags: [people], responses: {"200": {description: ok}}}
          /api/users/{id}:
            get: {tags: [people, admin], responses: {"200": {description: ok}}}
          /api/orders:
            get: {responses: {"200": {description: ok}}}
        """,
    )
    log = write_log(
        tmp_path,
        [clf("GET", "/api/users", 200)] * 3
        + [clf("GET", "/api/users/7", 404)]
        + [clf("GET", "/api/orders", 200)] * 2,
    )
    report = traffic_json(spec, [log], thresholds=Thresholds(group_depth=None))
    assert report["traffic"]["group_depth"] == 2
    assert [(r["prefix"], r["requests"]) for r in report["prefixes"]] == [
        ("/api/users", 4),
        ("/api/orders", 2),
    ]
    assert [(r["tag"], r["requests"], r["called"], r["client_errors"]) for r in report["tags"]] == [
        ("people", 4, 2, 1),
        (None, 2, 1, 0),
        ("admin", 1, 1, 1),
    ]
    fixed = traffic_json(spec, [log], thresholds=Thresholds(group_depth=1))
    assert [(r["prefix"], r["requests"]) for r in fixed["prefixes"]] == [("/api", 6)]
    out = run_cli("traffic", str(spec), str(log), cwd=tmp_path).stdout
    assert "Usage by path prefix (2 segments, --group-depth)" in out
    assert "Usage by tag" in out


def test_exit_zero_reports_the_findings_and_exits_0(tmp_path: Path) -> None:
    log, spec = str(DATA / "combined.log"), str(SHOP)
    result = run_cli("traffic", spec, log, "-q", "-f", "json", "--exit-zero", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "traffic-server-errors" in {f["rule"] for f in json.loads(result.stdout)["findings"]}
    missing = run_cli("traffic", spec, str(tmp_path / "missing.log"), "--exit-zero", cwd=tmp_path)
    assert missing.returncode == 2  # apilint could not do its job: still 2


def test_verbose_names_the_config_file_read(tmp_path: Path) -> None:
    log, spec = str(DATA / "combined.log"), str(SHOP)
    (tmp_path / "apilint.yaml").write_text("fail-on: never\n")
    result = run_cli("traffic", spec, log, "-q", "-v", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert f"apilint: config: {tmp_path / 'apilint.yaml'}" in result.stderr.splitlines()
    none = run_cli("traffic", spec, log, "-q", "--verbose", "--no-config", cwd=tmp_path)
    assert "apilint: config: none (the defaults)" in none.stderr.splitlines()
    assert "apilint: config:" not in run_cli("traffic", spec, log, "-q", cwd=tmp_path).stderr


def test_show_settings_says_where_each_came_from(tmp_path: Path) -> None:
    config = tmp_path / "apilint.yaml"
    config.write_text(
        "fail-on: warning\nignore: [traffic-unused]\nrules:\n  traffic-redirect: info\n"
    )
    result = run_cli(
        "traffic", "--show-settings", "--ignore", "traffic-query-missing", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"config file: {config}"
    assert lines[1] == f"fail-on  warning  ({config})"
    assert lines[2] == (
        f"ignore   traffic-query-missing, traffic-unused  (command line + {config})"
    )
    severities = dict(line.split() for line in lines[lines.index("rules (12):") + 1 :])
    assert severities["traffic-redirect"] == "info"
    assert severities["traffic-unused"] == severities["traffic-query-missing"] == "off"
    assert severities["traffic-server-errors"] == "error"
    flags = run_cli("traffic", "--show-settings", "--exit-zero", "--no-config", cwd=tmp_path)
    assert flags.stdout.splitlines()[:2] == ["config file: none", "fail-on  never  (--exit-zero)"]
