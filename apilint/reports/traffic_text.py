"""The traffic text report: what the logs hold, tables of usage, then the findings.

The findings are rendered by the shared text reporter (compiler-style lines and the summary
line), so they read and grep exactly like ``apilint lint``'s. ``--quiet`` keeps only them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from apilint.reports import Report, merged_counts
from apilint.reports import text as shared_text

MAX_OPERATIONS = 50
MAX_UNDOCUMENTED = 20
MAX_PREFIXES = 20
MAX_SAMPLES = 5


def _n(value: int) -> str:
    return f"{value:,}"


def _pct(part: int, whole: int) -> str:
    return f"{part / whole:.1%}" if whole else "-"


def _ms(value: Any) -> str:
    return "-" if value is None else f"{value:g}"


def _classes(status: dict[str, int]) -> list[str]:
    return [_n(sum(n for code, n in status.items() if code[0] == c)) for c in "2345"]


def table(header: Sequence[str], rows: Sequence[Sequence[str]], indent: str = "  ") -> list[str]:
    """Columns padded to their widest cell; the first column left-aligned, the rest right."""
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        parts = [
            cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i])
            for i, cell in enumerate(cells)
        ]
        return (indent + "  ".join(parts)).rstrip()

    return [line(header), *(line(r) for r in rows)]


def _bold(text: str, on: bool) -> str:
    return f"\x1b[1m{text}\x1b[0m" if on else text


def _overview(traffic: dict[str, Any], unparsed: int) -> list[str]:
    total = traffic["requests"]
    logs = traffic["logs"]
    bases = ", ".join(traffic["base_paths"])
    out = [
        f"{_n(total)} requests in {len(logs)} log{'s' * (len(logs) != 1)} against "
        f"{traffic['spec']} (base path{'s' * (len(traffic['base_paths']) != 1)} {bases})"
    ]
    rows = [
        [
            log["file"],
            log["format"],
            _n(log["lines"]),
            _n(log["requests"]),
            _n(log["unparsed"]),
            f"{log['first_time'] or '?'} .. {log['last_time'] or '?'}",
        ]
        for log in logs
    ]
    out += table(["LOG", "FORMAT", "LINES", "REQUESTS", "UNPARSED", "FIRST .. LAST REQUEST"], rows)
    out.append("  Every request, once:")
    parts = [
        ("documented", traffic["documented"], traffic["documented_status"]),
        ("other slash form", traffic["other_slash_form"], traffic["other_slash_form_status"]),
        ("undocumented", traffic["undocumented"], traffic["undocumented_status"]),
    ]
    if traffic["options_preflight"]:
        parts.append(
            (
                "OPTIONS on documented paths",
                traffic["options_preflight"],
                traffic["options_preflight_status"],
            )
        )
    parts.append(("total", total, traffic["status"]))
    rows = [[name, _n(n), _pct(n, total), *_classes(status)] for name, n, status in parts]
    out += table(["", "REQUESTS", "SHARE", "2XX", "3XX", "4XX", "5XX"], rows, indent="    ")
    if unparsed:
        out.append(f"  and {_n(unparsed)} unparsed lines (not requests, see below)")
    return out


def _operations(usage: list[dict[str, Any]], total: int, timed: bool) -> list[str]:
    called = [u for u in usage if u["calls"]]
    header = ["OPERATION", "CALLS", "SHARE", "OTHER SLASH", "HEAD", "2XX", "3XX", "4XX", "5XX"]
    if timed:
        header += ["P50 MS", "P95 MS", "P99 MS"]
    rows = []
    for u in called[:MAX_OPERATIONS]:
        calls = u["calls"]
        row = [u["operation"], _n(calls), _pct(calls, total), _n(u["other_slash_form"])]
        row.append(_n(u["head"]))
        row += _classes(merged_counts(u["status"], u["other_slash_form_status"]))
        if timed:
            row += [_ms(u.get("p50_ms")), _ms(u.get("p95_ms")), _ms(u.get("p99_ms"))]
        rows.append(row)
    out = [f"Operations ({len(called)} of {len(usage)} called, busiest first)"]
    if rows:
        out += table(header, rows)
        out.append(
            "  CALLS: to the documented path and to its other trailing-slash form (OTHER SLASH), "
            "HEAD included; SHARE: of all requests; statuses: of the calls"
            + ("; latency: of the documented path" if timed else "")
        )
    else:
        out.append("  none")
    if len(called) > MAX_OPERATIONS:
        out.append(f"  ... and {len(called) - MAX_OPERATIONS} more (see --format json or html)")
    return out


def _undocumented(rows_in: list[dict[str, Any]]) -> list[str]:
    if not rows_in:
        return []
    rows = [
        [
            f"{r['method']} {r['template']}",
            _n(r["requests"]),
            ", ".join(f"{code} ×{n}" for code, n in sorted(r["status"].items())),
        ]
        for r in rows_in[:MAX_UNDOCUMENTED]
    ]
    out = [
        f"Undocumented endpoints ({len(rows_in)})",
        *table(["ENDPOINT", "REQUESTS", "STATUS"], rows),
    ]
    if len(rows_in) > MAX_UNDOCUMENTED:
        out.append(f"  ... and {len(rows_in) - MAX_UNDOCUMENTED} more")
    return out


def _prefixes(rows_in: list[dict[str, Any]], depth: int, timed: bool) -> list[str]:
    header = ["PREFIX", "REQUESTS", "SHARE", "OPERATIONS", "OTHER SLASH", "UNDOCUMENTED"]
    header += ["4XX", "5XX"]
    if timed:
        header.append("P95 MS")
    rows = []
    for r in rows_in[:MAX_PREFIXES]:
        row = [
            r["prefix"],
            _n(r["requests"]),
            f"{r['share']:.1%}",
            _n(r["operations"]),
            _n(r["other_slash_form"]),
            _n(r["undocumented"]),
            _n(r["client_errors"]),
            _n(r["server_errors"]),
        ]
        if timed:
            row.append(_ms(r.get("p95_ms")))
        rows.append(row)
    noun = "segment" if depth == 1 else "segments"
    out = [f"Usage by path prefix ({depth} {noun}, --group-depth)", *table(header, rows)]
    if rows_in and rows_in[0]["share"] >= 0.999 and len(rows_in) == 1:
        out.append("  every request is under this prefix; a larger --group-depth divides it")
    if len(rows_in) > MAX_PREFIXES:
        out.append(f"  ... and {len(rows_in) - MAX_PREFIXES} more")
    return out


def _tags(rows_in: list[dict[str, Any]], timed: bool) -> list[str]:
    if not rows_in or all(r["tag"] is None for r in rows_in):
        return []
    header = ["TAG", "REQUESTS", "OPERATIONS CALLED", "4XX", "5XX"]
    if timed:
        header.append("P95 MS")
    rows = []
    for r in rows_in[:MAX_PREFIXES]:
        row = [
            r["tag"] or "(untagged)",
            _n(r["requests"]),
            f"{r['called']} of {r['operations']}",
            _n(r["client_errors"]),
            _n(r["server_errors"]),
        ]
        if timed:
            row.append(_ms(r.get("p95_ms")))
        rows.append(row)
    out = ["Usage by tag (an operation with several tags counts in each)", *table(header, rows)]
    if len(rows_in) > MAX_PREFIXES:
        out.append(f"  ... and {len(rows_in) - MAX_PREFIXES} more")
    return out


MAX_GROUP_COLUMNS = 6


AGENT_CHARS = 60
"""A user agent is cut to this in the text table (the JSON and HTML reports have it whole)."""


def _clients(matrix: dict[str, Any] | None, depth: int, kind: str = "clients") -> list[str]:
    """The busiest clients (``kind`` clients: addresses; agents: user agents) by prefix."""
    if not matrix or not matrix.get(kind):
        return []
    key, title = ("client", "CLIENT") if kind == "clients" else ("agent", "USER AGENT")
    groups = matrix["groups"][:MAX_GROUP_COLUMNS]
    header = [title, "REQUESTS", *groups]

    def name(text: str) -> str:
        return text if len(text) <= AGENT_CHARS else text[: AGENT_CHARS - 3] + "..."

    rows = [
        [name(c[key]), _n(c["requests"]), *(_n(c["by_group"].get(g, 0)) for g in groups)]
        for c in matrix[kind]
    ]
    noun = "segment" if depth == 1 else "segments"
    what = "clients" if kind == "clients" else "user agents"
    out = [f"Busiest {what}, by path prefix ({depth} {noun})", *table(header, rows)]
    if len(matrix["groups"]) > MAX_GROUP_COLUMNS:
        out.append(f"  ... and {len(matrix['groups']) - MAX_GROUP_COLUMNS} more groups (JSON)")
    return out


def _coverage(coverage: dict[str, Any] | None) -> list[str]:
    if coverage is None:
        return []
    t = coverage["totals"]
    out = [
        "Coverage (--coverage)",
        f"  operations called {t['called']} of {t['operations']}, documented responses seen "
        f"{t['responses_seen']} of {t['responses']}, query parameters sent "
        f"{t['query_parameters_sent']} of {t['query_parameters']}",
    ]
    rows = [
        [
            r["operation"],
            ", ".join(r["responses_not_seen"]) or "-",
            ", ".join(r["query_parameters_not_sent"]) or "-",
        ]
        for r in coverage["operations"]
        if r["called"] and (r["responses_not_seen"] or r["query_parameters_not_sent"])
    ]
    if rows:
        out += table(
            ["CALLED OPERATION", "RESPONSES NOT SEEN", "QUERY PARAMETERS NOT SENT"],
            rows[:MAX_OPERATIONS],
        )
        if len(rows) > MAX_OPERATIONS:
            out.append(f"  ... and {len(rows) - MAX_OPERATIONS} more (see --format json)")
    return out


def _samples(count: int, samples: list[dict[str, Any]]) -> list[str]:
    if not count:
        return []
    out = [f"Unparsed lines ({_n(count)}), the first:"]
    for s in samples[:MAX_SAMPLES]:
        out.append(f"  {s['file']}:{s['line']}: {s['reason']}: {s['text']}")
    return out


def render(report: Report) -> str:
    findings = shared_text.render(report)
    if report.quiet:
        return findings
    extra = report.extra
    traffic = extra["traffic"]
    timed = traffic["timed"] > 0
    color = report.color
    sections = [
        _overview(traffic, extra["unparsed_lines"]),
        _operations(extra["usage"], traffic["requests"], timed),
        _undocumented(extra["undocumented"]),
        _prefixes(extra["prefixes"], traffic["group_depth"], timed),
        _tags(extra.get("tags", []), timed),
        _clients(extra.get("clients"), traffic["group_depth"]),
        _clients(extra.get("clients"), traffic["group_depth"], "agents"),
        _coverage(extra.get("coverage")),
        _samples(extra["unparsed_lines"], extra["unparsed_samples"]),
    ]
    lines: list[str] = []
    for section in sections:
        if section:
            lines.append(_bold(section[0], color))
            lines.extend(section[1:])
            lines.append("")
    return "\n".join(lines) + "\n" + findings
