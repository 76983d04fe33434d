"""The traffic report as one self-contained HTML page (``apilint traffic -f html``).

No network fetch of any kind: the CSS and the sorting script are inline, the charts are plain
elements sized in percent, and a Content-Security-Policy (``default-src 'none'``) makes the browser
refuse anything else. Every value from the logs (paths are attacker-controlled) is escaped.

The page: a summary, bar charts of calls per operation and of each operation's 5xx and redirect
shares, then sortable tables (operations, undocumented endpoints, path prefixes; click a column
header, click again to reverse), the findings and samples of unparsed lines.
"""

from __future__ import annotations

from html import escape
from typing import Any

from apilint.reports import Report, merged_counts

CHART_ROWS = 30
_CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'"

_CSS = """
:root { color-scheme: light dark; --fg: #1d2330; --muted: #5b6474; --bg: #ffffff;
  --panel: #f4f6f9; --line: #d9dee6; --calls: #3867d6; --err: #d63838; --redir: #e0a100; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6e9ef; --muted: #9aa3b2; --bg: #15181e;
  --panel: #1e232b; --line: #323946; } }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 1200px; padding: 24px; font: 14px/1.45 system-ui, sans-serif;
  color: var(--fg); background: var(--bg); }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 8px; }
.muted { color: var(--muted); }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 16px 0; }
.card { background: var(--panel); border: 1px solid var(--line); border-radius: 8px;
  padding: 10px 14px; min-width: 150px; }
.card b { display: block; font-size: 20px; }
table { border-collapse: collapse; width: 100%; }
th, td { padding: 5px 8px; border-bottom: 1px solid var(--line); text-align: right;
  white-space: nowrap; }
th:first-child, td:first-child { text-align: left; white-space: normal; word-break: break-all; }
th button { font: inherit; font-weight: 600; color: inherit; background: none; border: 0;
  padding: 0; cursor: pointer; }
th[aria-sort="ascending"] button::after { content: " \\25B2"; }
th[aria-sort="descending"] button::after { content: " \\25BC"; }
td.num { font-variant-numeric: tabular-nums; }
.track { display: inline-block; width: 90px; height: 8px; background: var(--panel);
  border: 1px solid var(--line); vertical-align: middle; margin-left: 6px; }
.track span { display: block; height: 100%; }
.chart { display: grid; grid-template-columns: minmax(180px, 34%) 1fr; gap: 4px 12px;
  align-items: center; }
.chart .label { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.chart .bars { display: flex; flex-direction: column; gap: 2px; }
.bar { height: 12px; min-width: 1px; border-radius: 2px; }
.bar.calls { background: var(--calls); } .bar.err { background: var(--err); }
.bar.redir { background: var(--redir); }
.spark { display: flex; align-items: flex-end; gap: 1px; height: 28px; }
.spark .tick { flex: 1; min-width: 1px; background: var(--calls); }
.legend span { display: inline-block; width: 10px; height: 10px; margin: 0 4px 0 12px; }
.sev { font-weight: 600; text-transform: uppercase; font-size: 11px; padding: 1px 6px;
  border-radius: 4px; color: #fff; }
.sev.error { background: var(--err); } .sev.warning { background: #b37400; }
.sev.info { background: #5b6474; }
ul.findings { list-style: none; padding: 0; } ul.findings li { margin: 6px 0; }
code, pre { font-family: ui-monospace, monospace; font-size: 12px; }
pre { background: var(--panel); padding: 8px; overflow-x: auto; }
"""

_SCRIPT = """
(function () {
  function value(row, index, numeric) {
    var text = row.cells[index].getAttribute('data-value');
    if (!numeric) { return text === null ? row.cells[index].textContent : text; }
    var number = parseFloat(text);
    return isNaN(number) ? null : number;
  }
  function sortBy(table, th, index) {
    var numeric = th.getAttribute('data-type') === 'number';
    var current = th.getAttribute('aria-sort');
    var dir = current === 'none' ? (numeric ? 'descending' : 'ascending')
      : (current === 'descending' ? 'ascending' : 'descending');
    var heads = table.tHead.rows[0].cells;
    for (var i = 0; i < heads.length; i++) { heads[i].setAttribute('aria-sort', 'none'); }
    th.setAttribute('aria-sort', dir);
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = value(a, index, numeric), y = value(b, index, numeric);
      if (x === null || y === null) { return (x === null) - (y === null); }
      var order = numeric ? x - y : String(x).localeCompare(String(y));
      return dir === 'ascending' ? order : -order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  }
  var tables = document.querySelectorAll('table.sortable');
  Array.prototype.forEach.call(tables, function (table) {
    var heads = table.tHead.rows[0].cells;
    Array.prototype.forEach.call(heads, function (th, index) {
      var button = th.querySelector('button');
      if (button) { button.addEventListener('click', function () { sortBy(table, th, index); }); }
    });
  });
})();
"""


def _e(value: Any) -> str:
    return escape(str(value), quote=True)


def _n(value: int) -> str:
    return f"{value:,}"


def _pct(share: float) -> str:
    return f"{share:.1%}"


def _num(value: float | int | None, shown: str | None = None) -> str:
    if value is None:
        return '<td class="num" data-value="">-</td>'
    text = shown if shown is not None else (f"{value:g}" if isinstance(value, float) else _n(value))
    return f'<td class="num" data-value="{value}">{_e(text)}</td>'


def _share_cell(share: float, kind: str) -> str:
    width = f"{min(share, 1.0) * 100:.1f}%"
    return (
        f'<td class="num" data-value="{share:.6f}">{_pct(share)}'
        f'<span class="track"><span class="bar {kind}" style="width:{width}"></span></span></td>'
    )


def _head(columns: list[tuple[str, str, str]], table_id: str) -> str:
    cells = "".join(
        f'<th data-key="{key}" data-type="{kind}" aria-sort="none" scope="col">'
        f'<button type="button">{_e(title)}</button></th>'
        for key, title, kind in columns
    )
    return f'<table id="{table_id}" class="sortable"><thead><tr>{cells}</tr></thead><tbody>'


def _count(status: dict[str, int], first: str) -> int:
    return sum(n for code, n in status.items() if code.startswith(first))


def _operation_rows(usage: list[dict[str, Any]], total: int, timed: bool) -> str:
    columns = [
        ("operation", "Operation", "text"),
        ("calls", "Calls", "number"),
        ("share", "Share of traffic", "number"),
        ("requests", "Documented path", "number"),
        ("head", "HEAD", "number"),
        ("other-slash-form", "Other slash form", "number"),
        ("other-slash-share", "Other slash form share", "number"),
        ("redirected", "Redirected (3xx)", "number"),
        ("client-errors", "4xx", "number"),
        ("errors", "5xx", "number"),
        ("error-share", "5xx share", "number"),
    ]
    if timed:
        columns += [("p50", "p50 ms", "number"), ("p95", "p95 ms", "number")]
        columns += [("p99", "p99 ms", "number")]
    out = [_head(columns, "operations")]
    for row in usage:
        calls = row["calls"]
        status = merged_counts(row["status"], row["other_slash_form_status"])
        errors = _count(status, "5")
        cells = [
            f'<td data-value="{_e(row["operation"])}"><code>{_e(row["operation"])}</code></td>',
            _num(calls),
            _share_cell(calls / total if total else 0.0, "calls"),
            _num(row["requests"]),
            _num(row["head"]),
            _num(row["other_slash_form"]),
            _share_cell(row["other_slash_form"] / calls if calls else 0.0, "redir"),
            _num(_count(status, "3")),
            _num(_count(status, "4")),
            _num(errors),
            _share_cell(errors / calls if calls else 0.0, "err"),
        ]
        if timed:
            cells += [_num(row.get("p50_ms")), _num(row.get("p95_ms")), _num(row.get("p99_ms"))]
        out.append(f'<tr data-operation="{_e(row["operation"])}">{"".join(cells)}</tr>')
    out.append("</tbody></table>")
    return "\n".join(out)


def _charts(usage: list[dict[str, Any]]) -> str:
    called = [u for u in usage if u["calls"]][:CHART_ROWS]
    if not called:
        return '<p class="muted">No operation was called.</p>'
    peak = max(u["calls"] for u in called)
    traffic = []
    shares = []
    for u in called:
        calls = u["calls"]
        label = _e(u["operation"])
        width = calls / peak * 100
        traffic.append(
            f'<div class="label" title="{label}"><code>{label}</code></div>'
            f'<div class="bars" data-label="{label}" data-calls="{calls}">'
            f'<div class="bar calls" style="width:{width:.2f}%" title="{_n(calls)} calls"></div>'
            "</div>"
        )
        status = merged_counts(u["status"], u["other_slash_form_status"])
        err_share = _count(status, "5") / calls
        redir_share = _count(status, "3") / calls
        shares.append(
            f'<div class="label" title="{label}"><code>{label}</code></div>'
            f'<div class="bars" data-label="{label}" data-error-share="{err_share:.6f}" '
            f'data-redirect-share="{redir_share:.6f}">'
            f'<div class="bar err" style="width:{err_share * 100:.2f}%" '
            f'title="5xx {_pct(err_share)}"></div>'
            f'<div class="bar redir" style="width:{redir_share * 100:.2f}%" '
            f'title="redirected (3xx) {_pct(redir_share)}"></div></div>'
        )
    more = len([u for u in usage if u["calls"]]) - len(called)
    note = f'<p class="muted">and {more} more operations in the table below.</p>' if more else ""
    return (
        f'<h2>Calls per operation</h2><div id="traffic-chart" class="chart">{"".join(traffic)}'
        f"</div>{note}"
        '<h2>Error and redirect shares per operation</h2><p class="legend muted">'
        '<span class="bar err"></span>5xx responses'
        '<span class="bar redir"></span>redirected (3xx) responses</p>'
        f'<div id="share-chart" class="chart">{"".join(shares)}</div>'
    )


def _undocumented(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return '<p class="muted">None: every request matched the description.</p>'
    columns = [("endpoint", "Endpoint", "text"), ("requests", "Requests", "number")]
    columns.append(("status", "Status codes", "text"))
    out = [_head(columns, "undocumented")]
    for r in rows:
        endpoint = f"{r['method']} {r['template']}"
        status = ", ".join(f"{code} ×{n}" for code, n in sorted(r["status"].items()))
        out.append(
            f'<tr><td data-value="{_e(endpoint)}"><code>{_e(endpoint)}</code></td>'
            f'{_num(r["requests"])}<td data-value="{_e(status)}">{_e(status)}</td></tr>'
        )
    out.append("</tbody></table>")
    return "\n".join(out)


def _prefixes(rows: list[dict[str, Any]], timed: bool) -> str:
    columns = [
        ("prefix", "Prefix", "text"),
        ("requests", "Calls", "number"),
        ("share", "Share", "number"),
        ("operations", "Operations called", "number"),
        ("other-slash-form", "Other slash form", "number"),
        ("undocumented", "Undocumented calls", "number"),
        ("client-errors", "4xx", "number"),
        ("errors", "5xx", "number"),
    ]
    if timed:
        columns.append(("p95", "p95 ms", "number"))
    out = [_head(columns, "prefixes")]
    for r in rows:
        cells = [
            f'<td data-value="{_e(r["prefix"])}"><code>{_e(r["prefix"])}</code></td>',
            _num(r["requests"]),
            _share_cell(r["share"], "calls"),
            _num(r["operations"]),
            _num(r["other_slash_form"]),
            _num(r["undocumented"]),
            _num(r["client_errors"]),
            _num(r["server_errors"]),
        ]
        if timed:
            cells.append(_num(r.get("p95_ms")))
        out.append(f"<tr>{''.join(cells)}</tr>")
    out.append("</tbody></table>")
    return "\n".join(out)


def _coverage(coverage: dict[str, Any] | None) -> str:
    if coverage is None:
        return ""
    t = coverage["totals"]
    columns = [
        ("operation", "Operation", "text"),
        ("called", "Called", "text"),
        ("responses-not-seen", "Responses not seen", "text"),
        ("parameters-not-sent", "Query parameters not sent", "text"),
    ]
    out = [
        "<h2>Coverage</h2>",
        f'<p class="muted">Operations called {t["called"]} of {t["operations"]}; documented '
        f"responses seen {t['responses_seen']} of {t['responses']}; query parameters sent "
        f"{t['query_parameters_sent']} of {t['query_parameters']}.</p>",
        _head(columns, "coverage"),
    ]
    for r in coverage["operations"]:
        missing = ", ".join(r["responses_not_seen"]) or "-"
        params = ", ".join(r["query_parameters_not_sent"]) or "-"
        called = "yes" if r["called"] else "no"
        out.append(
            f'<tr><td data-value="{_e(r["operation"])}"><code>{_e(r["operation"])}</code></td>'
            f"<td>{called}</td><td>{_e(missing)}</td><td>{_e(params)}</td></tr>"
        )
    out.append("</tbody></table>")
    return "\n".join(out)


TIMELINE_OPERATIONS = 10


def _spark(series: list[list[Any]], hours: list[str], peak: int, label: str) -> str:
    counts: dict[str, int] = {str(hour): int(n) for hour, n in series}
    bars = "".join(
        f'<span class="tick" style="height:{counts.get(hour, 0) / peak * 100:.1f}%" '
        f'title="{_e(hour)}: {_n(counts.get(hour, 0))}"></span>'
        for hour in hours
    )
    return f'<div class="spark" data-label="{_e(label)}">{bars}</div>'


def _timeline(traffic: dict[str, Any], usage: list[dict[str, Any]]) -> str:
    """Requests per hour: all of them, then the busiest operations, on one time axis."""
    total = traffic.get("per_hour") or []
    if len(total) < 2:
        return ""
    hours = [hour for hour, _ in total]
    peak = max(n for _, n in total) or 1
    rows = [f'<div class="label">All requests</div>{_spark(total, hours, peak, "all")}']
    for u in [u for u in usage if u.get("per_hour")][:TIMELINE_OPERATIONS]:
        own = max(n for _, n in u["per_hour"]) or 1
        rows.append(
            f'<div class="label"><code>{_e(u["operation"])}</code></div>'
            f"{_spark(u['per_hour'], hours, own, u['operation'])}"
        )
    return (
        f'<h2>Requests per hour</h2><p class="muted">{_e(hours[0])} to {_e(hours[-1])}; each '
        "row is scaled to its own busiest hour; hours without requests are left out.</p>"
        f'<div id="timeline" class="chart">{"".join(rows)}</div>'
    )


def _tags(rows: list[dict[str, Any]]) -> str:
    if not rows or all(r["tag"] is None for r in rows):
        return ""
    columns = [
        ("tag", "Tag", "text"),
        ("requests", "Calls", "number"),
        ("called", "Operations called", "number"),
        ("operations", "Operations", "number"),
        ("client-errors", "4xx", "number"),
        ("errors", "5xx", "number"),
    ]
    out = ["<h2>Usage by tag</h2>", _head(columns, "tags")]
    for r in rows:
        tag = r["tag"] or "(untagged)"
        out.append(
            f'<tr><td data-value="{_e(tag)}">{_e(tag)}</td>{_num(r["requests"])}'
            f"{_num(r['called'])}{_num(r['operations'])}{_num(r['client_errors'])}"
            f"{_num(r['server_errors'])}</tr>"
        )
    out.append("</tbody></table>")
    return "\n".join(out)


def _clients(matrix: dict[str, Any] | None, kind: str = "clients") -> str:
    """The busiest clients (``kind`` clients: addresses; agents: user agents) by prefix."""
    if not matrix or not matrix.get(kind):
        return ""
    groups = matrix["groups"]
    key, title = ("client", "Client") if kind == "clients" else ("agent", "User agent")
    columns = [(key, title, "text"), ("requests", "Requests", "number")]
    columns += [(f"group-{i}", group, "number") for i, group in enumerate(groups)]
    what = "clients" if kind == "clients" else "user agents"
    out = [
        f"<h2>Busiest {what}, by path prefix</h2>",
        '<p class="muted">Who calls which part of the API.</p>',
        _head(columns, kind),
    ]
    for c in matrix[kind]:
        cells = "".join(_num(c["by_group"].get(g, 0)) for g in groups)
        out.append(
            f'<tr><td data-value="{_e(c[key])}"><code>{_e(c[key])}</code></td>'
            f"{_num(c['requests'])}{cells}</tr>"
        )
    out.append("</tbody></table>")
    return "\n".join(out)


def _findings(report: Report) -> str:
    if not report.findings:
        return '<p class="muted">No findings.</p>'
    items = []
    for f in report.findings:
        items.append(
            f'<li data-rule="{_e(f.rule)}"><span class="sev {_e(f.severity.label)}">'
            f"{_e(f.severity.label)}</span> <code>{_e(f.rule)}</code> {_e(f.message)} "
            f'<span class="muted">{_e(f.file)}:{f.line}:{f.column}</span></li>'
        )
    return f'<ul class="findings">{"".join(items)}</ul>'


def _samples(count: int, samples: list[dict[str, Any]]) -> str:
    if not count:
        return ""
    lines = "\n".join(
        f"{_e(s['file'])}:{s['line']}: {_e(s['reason'])}\n    {_e(s['text'])}" for s in samples
    )
    return f"<h2>Unparsed lines ({_n(count)})</h2><pre>{lines}</pre>"


def _cards(report: Report) -> str:
    traffic = report.extra["traffic"]
    total = traffic["requests"]

    def share(n: int) -> str:
        return f" ({_pct(n / total)})" if total else ""

    summary = report.summary
    cards = [
        ("Requests", _n(total), f"in {len(traffic['logs'])} log(s)"),
        ("Documented", _n(traffic["documented"]), share(traffic["documented"])),
        ("Other slash form", _n(traffic["other_slash_form"]), share(traffic["other_slash_form"])),
        ("Undocumented", _n(traffic["undocumented"]), share(traffic["undocumented"])),
        ("Unparsed lines", _n(report.extra["unparsed_lines"]), ""),
        (
            "Findings",
            _n(len(report.findings)),
            f"{summary['error']} errors, {summary['warning']} warnings, {summary['info']} info",
        ),
    ]
    return (
        '<div class="cards">'
        + "".join(
            f'<div class="card"><span class="muted">{_e(title)}</span><b>{_e(value)}</b>'
            f'<span class="muted">{_e(sub)}</span></div>'
            for title, value, sub in cards
        )
        + "</div>"
    )


def render(report: Report) -> str:
    extra = report.extra
    traffic = extra["traffic"]
    timed = traffic["timed"] > 0
    usage = extra["usage"]
    logs = ", ".join(f"{log['file']} ({log['format']})" for log in traffic["logs"])
    bases = ", ".join(traffic["base_paths"])
    title = f"apilint traffic: {traffic['spec']}"
    depth = traffic["group_depth"]
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{_CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{_e(title)}</title>
<style>{_CSS}</style>
</head>
<body>
<h1>Traffic against <code>{_e(traffic["spec"])}</code></h1>
<p class="muted">Logs: {_e(logs)}. Base path(s): {_e(bases)}. apilint {_e(report.version)}.</p>
{_cards(report)}
{_charts(usage)}
{_timeline(traffic, usage)}
<h2>Operations</h2>
<p class="muted">Calls: requests to the documented path (HEAD included) plus those to its
other trailing-slash form, whatever they got; status counts and shares are of the calls.
Click a column to sort.</p>
{_operation_rows(usage, traffic["requests"], timed)}
<h2>Undocumented endpoints</h2>
{_undocumented(extra["undocumented"])}
<h2>Usage by path prefix ({depth} segment{"s" * (depth != 1)})</h2>
{_prefixes(extra["prefixes"], timed)}
{_tags(extra.get("tags", []))}
{_clients(extra.get("clients"))}
{_clients(extra.get("clients"), "agents")}
{_coverage(extra.get("coverage"))}
<h2>Findings</h2>
{_findings(report)}
{_samples(extra["unparsed_lines"], extra["unparsed_samples"])}
<script>{_SCRIPT}</script>
</body>
</html>
"""
