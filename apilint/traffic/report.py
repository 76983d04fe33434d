"""From tallies to a report: the four traffic findings and the tables beside them.

The JSON report carries, beside ``findings`` and ``summary``:

``usage``             per documented operation, busiest first: ``operation``, ``requests`` (calls to
                      the documented path), ``redirected`` (calls to its trailing-slash variant),
                      ``status`` (code -> count, for ``requests``), and ``p50_ms``/``p95_ms``/
                      ``p99_ms`` when the logs have timings (None for an operation without timed
                      requests; within 1 %, see :mod:`~apilint.traffic.histogram`);
``undocumented``      per undocumented endpoint template: ``method``, ``template``, ``requests``,
                      ``status``;
``unparsed_lines``    how many non-blank lines could not be read as a request;
``unparsed_samples``  the first of them (file, line, masked text, reason);
``prefixes``          usage per path prefix of ``--group-depth`` segments (after the base path);
``traffic``           the totals, the base paths used, and per log its format and counts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from apilint.core.findings import Finding, Severity
from apilint.core.pointer import Pointer, encode
from apilint.documents.loader import Document
from apilint.documents.openapi import OpenAPI
from apilint.lint.rulesets import command_rules
from apilint.reports import Report, RuleInfo
from apilint.traffic.aggregate import Aggregator, EndpointTally, Tally
from apilint.traffic.histogram import merge, percentiles
from apilint.traffic.matcher import Matcher, Route

UNDOCUMENTED = "traffic-undocumented"
REDIRECT = "traffic-redirect"
SERVER_ERRORS = "traffic-server-errors"
UNUSED = "traffic-unused"

# Their documentation and default severities live with every other rule's, in rules/traffic.yaml.
RULES: dict[str, RuleInfo] = {
    rule_id: rule.info() for rule_id, rule in command_rules("traffic").items()
}

REDIRECT_STATUSES = frozenset({"301", "302", "303", "307", "308"})
NOT_SERVED = frozenset({"404", "405", "501"})
STATIC_SUFFIXES = (
    ".css",
    ".js",
    ".mjs",
    ".map",
    ".ico",
    ".png",
    ".jpg",
    ".jpeg",
    ".gif",
    ".svg",
    ".webp",
    ".avif",
    ".woff",
    ".woff2",
    ".ttf",
    ".eot",
    ".html",
    ".htm",
)
"""Web assets: served by the same server as the API often, never API endpoints."""

QUANTILES = (0.5, 0.95, 0.99)


@dataclass(frozen=True)
class Thresholds:
    max_error_share: float = 0.01
    """traffic-server-errors: reported when an operation's 5xx share is above this."""
    min_requests: int = 1
    """Shares (redirects, server errors) are judged for operations with at least this many
    calls."""
    group_depth: int = 1
    """Segments of the path (after the base path) that make a prefix in the prefix table."""
    ignore: frozenset[str] = frozenset()


def _round(value: float | None) -> float | None:
    return None if value is None else float(f"{value:.3g}")


def _latency(hist: dict[int, int], timed_logs: bool) -> dict[str, float | None]:
    if not timed_logs:
        return {}
    p50, p95, p99 = (_round(v) for v in percentiles(hist, QUANTILES))
    return {"p50_ms": p50, "p95_ms": p95, "p99_ms": p99}


def _status(tally: Tally) -> dict[str, int]:
    return {code: tally.status[code] for code in sorted(tally.status)}


def _codes(counts: Iterable[tuple[str, int]]) -> str:
    """``[("308", 12), ("301", 1)]`` -> ``"308 x12, 301 x1"`` (with a multiplication sign),
    most frequent first."""
    ranked = sorted(counts, key=lambda item: (-item[1], item[0]))
    return ", ".join(f"{code} ×{n}" for code, n in ranked if n)


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.1%}" if whole else "0%"


def prefix_of(template: str, depth: int) -> str:
    segments = [s for s in template.split("/")[1:] if s][: max(depth, 0)]
    return "/" + "/".join(segments)


def slash_variant(template: str) -> str:
    if template.endswith("/") and template != "/":
        return template[:-1]
    return template + "/" if template != "/" else ""


def _documents_redirect(route: Route, code: str) -> bool:
    responses = route.operation.value.get("responses")
    if not isinstance(responses, dict):
        return False
    return code in responses or "3XX" in {str(k).upper() for k in responses}


def _reportable(endpoint: EndpointTally) -> bool:
    """An undocumented endpoint worth a finding: served at least once, inside the API."""
    if not endpoint.inside_base:
        return False
    if endpoint.template.lower().endswith(STATIC_SUFFIXES):
        return False
    return any(code not in NOT_SERVED for code in endpoint.status)


class _Findings:
    """Findings collected with their (document, pointer); located in one pass per document."""

    def __init__(self, ignore: frozenset[str]) -> None:
        self.ignore = ignore
        self.pending: list[tuple[str, str, Document, Pointer, str | None, dict[str, Any]]] = []

    def add(
        self,
        rule: str,
        message: str,
        doc: Document,
        ptr: Pointer,
        operation: str | None,
        **extra: Any,
    ) -> None:
        if rule not in self.ignore:
            self.pending.append((rule, message, doc, ptr, operation, extra))

    def located(self) -> list[Finding]:
        by_doc: dict[int, tuple[Document, list[Pointer]]] = {}
        for _, _, doc, ptr, _, _ in self.pending:
            by_doc.setdefault(id(doc), (doc, []))[1].append(ptr)
        positions = {key: doc.locate_many(ptrs) for key, (doc, ptrs) in by_doc.items()}
        out = []
        for rule, message, doc, ptr, operation, extra in self.pending:
            line, column = positions[id(doc)][ptr]
            out.append(
                Finding(
                    rule=rule,
                    severity=Severity.parse(RULES[rule].severity),
                    message=message,
                    file=doc.name,
                    line=line,
                    column=column,
                    pointer=encode(ptr),
                    operation=operation,
                    extra=extra,
                )
            )
        out.sort(key=lambda f: f.sort_key())
        return out


def _operation_findings(
    findings: _Findings,
    route: Route,
    tally: Tally,
    variant: Tally,
    thresholds: Thresholds,
    total: int,
) -> None:
    node = route.operation.node
    calls = tally.requests + variant.requests
    label = route.label
    if calls == 0:
        deprecated = route.operation.value.get("deprecated") is True
        note = " (deprecated: a candidate for removal)" if deprecated else ""
        findings.add(
            UNUSED,
            f"{label} was not called in the {total} requests read{note}",
            node.doc,
            node.ptr,
            label,
        )
        return
    if calls < thresholds.min_requests:
        return
    exact = [
        (code, n)
        for code, n in tally.status.items()
        if code in REDIRECT_STATUSES and not _documents_redirect(route, code)
    ]
    slashed = [(code, n) for code, n in variant.status.items() if code in REDIRECT_STATUSES]
    bounced_exact = sum(n for _, n in exact)
    bounced_variant = sum(n for _, n in slashed)
    bounced = bounced_exact + bounced_variant
    if bounced:
        other = slash_variant(route.template)
        if bounced_variant >= bounced_exact:
            why = (
                f"clients call '{other}' but the description has '{route.template}' "
                f"({_codes(slashed)})"
            )
        else:
            why = (
                "the path answers with a redirect the operation does not document "
                f"({_codes(exact)})"
            )
            served = variant.count(lambda code: code.startswith("2"))
            if served:
                why += (
                    f"; '{other}' was then called {served} times with success: the server's "
                    f"route is probably '{other}'"
                )
        findings.add(
            REDIRECT,
            f"{bounced} of {calls} calls ({_share(bounced, calls)}) were redirected: {why}",
            node.doc,
            node.ptr,
            label,
            count=bounced,
            share=round(bounced / calls, 4),
            calls=calls,
        )
    requests = tally.requests
    errors = [(code, n) for code, n in tally.status.items() if code.startswith("5")]
    failed = sum(n for _, n in errors)
    if (
        failed
        and requests >= thresholds.min_requests
        and failed / requests > thresholds.max_error_share
    ):
        findings.add(
            SERVER_ERRORS,
            f"{failed} of {requests} requests ({_share(failed, requests)}) failed with a server "
            f"error ({_codes(errors)}), above the {thresholds.max_error_share:.1%} allowed "
            "(--max-error-share)",
            node.doc,
            node.ptr,
            label,
            count=failed,
            share=round(failed / requests, 4),
            requests=requests,
        )


def _undocumented_findings(findings: _Findings, api: OpenAPI, agg: Aggregator) -> None:
    for endpoint in agg.undocumented.values():
        if not _reportable(endpoint):
            continue
        n = endpoint.requests
        served = _codes((code, k) for code, k in endpoint.status.items())
        if endpoint.path_documented:
            what = f"the path is documented, the {endpoint.method} method is not"
        else:
            what = "the description has no such path"
        findings.add(
            UNDOCUMENTED,
            f"{endpoint.method} {endpoint.template} is called but not documented ({what}): "
            f"{n} request{'s' * (n != 1)} ({served})",
            api.root,
            ("paths",),
            None,
            method=endpoint.method,
            template=endpoint.template,
            requests=n,
        )


def _prefix_rows(
    matcher: Matcher, agg: Aggregator, depth: int, timed_logs: bool
) -> list[dict[str, Any]]:
    groups: dict[str, dict[str, Any]] = {}

    def group(prefix: str) -> dict[str, Any]:
        return groups.setdefault(
            prefix,
            {
                "requests": 0,
                "operations": 0,
                "redirected": 0,
                "undocumented": 0,
                "server_errors": 0,
                "hist": {},
            },
        )

    def is_5xx(code: str) -> bool:
        return code.startswith("5")

    for route in matcher.routes:
        tally, variant = agg.operations[route.index], agg.variants[route.index]
        calls = tally.requests + variant.requests
        if not calls:
            continue
        row = group(prefix_of(route.template, depth))
        row["requests"] += calls
        row["operations"] += 1
        row["redirected"] += variant.requests
        row["server_errors"] += tally.count(is_5xx)
        merge(row["hist"], tally.hist)
        merge(row["hist"], variant.hist)
    for endpoint in agg.undocumented.values():
        row = group(prefix_of(endpoint.template, depth))
        row["requests"] += endpoint.requests
        row["undocumented"] += endpoint.requests
        row["server_errors"] += endpoint.count(is_5xx)
        merge(row["hist"], endpoint.hist)
    total = agg.requests
    out = []
    for prefix, row in groups.items():
        hist = row.pop("hist")
        out.append(
            {
                "prefix": prefix,
                **row,
                "share": round(row["requests"] / total, 4) if total else 0.0,
                **_latency(hist, timed_logs),
            }
        )
    out.sort(key=lambda r: (-r["requests"], r["prefix"]))
    return out


def build_report(
    api: OpenAPI, matcher: Matcher, agg: Aggregator, thresholds: Thresholds, *, quiet: bool = False
) -> Report:
    timed_logs = agg.timed > 0
    total = agg.requests
    findings = _Findings(thresholds.ignore)
    usage: list[dict[str, Any]] = []
    for route in matcher.routes:
        tally, variant = agg.operations[route.index], agg.variants[route.index]
        usage.append(
            {
                "operation": route.label,
                "requests": tally.requests,
                "redirected": variant.requests,
                "status": _status(tally),
                **_latency(tally.hist, timed_logs),
            }
        )
        _operation_findings(findings, route, tally, variant, thresholds, total)
    usage.sort(key=lambda row: (-(row["requests"] + row["redirected"]), row["operation"]))
    _undocumented_findings(findings, api, agg)
    endpoints = sorted(agg.undocumented.values(), key=lambda e: (-e.requests, e.template, e.method))
    undocumented = [
        {"method": e.method, "template": e.template, "requests": e.requests, "status": _status(e)}
        for e in endpoints
    ]
    documented = sum(t.requests for t in agg.operations)
    redirected = sum(t.requests for t in agg.variants)
    extra: dict[str, Any] = {
        "usage": usage,
        "undocumented": undocumented,
        "unparsed_lines": agg.unparsed,
        "unparsed_samples": [s.to_dict() for s in agg.samples],
        "prefixes": _prefix_rows(matcher, agg, thresholds.group_depth, timed_logs),
        "traffic": {
            "requests": total,
            "documented": documented,
            "redirected": redirected,
            "undocumented": total - documented - redirected - agg.implicit.requests,
            "options_preflight": agg.implicit.requests,
            "outside_base_paths": sum(
                e.requests for e in agg.undocumented.values() if not e.inside_base
            ),
            "undocumented_not_listed": agg.dropped.requests,
            "undocumented_not_listed_max_count": agg.dropped_below,
            "timed": agg.timed,
            "base_paths": [b or "/" for b in matcher.base_paths],
            "group_depth": thresholds.group_depth,
            "spec": api.root.name,
            "logs": [log.to_dict() for log in agg.logs],
        },
    }
    return Report(
        command="traffic",
        findings=findings.located(),
        files=[api.root.name],
        rules={rule: info for rule, info in RULES.items() if rule not in thresholds.ignore},
        extra=extra,
        quiet=quiet,
    )


def hints(agg: Aggregator, matcher: Matcher) -> list[str]:
    """Notes for a human when the numbers suggest a setting is wrong."""
    notes = []
    total = agg.requests
    outside = sum(e.requests for e in agg.undocumented.values() if not e.inside_base)
    if total and outside * 2 > total:
        bases = ", ".join(b for b in matcher.base_paths if b)
        notes.append(
            f"{outside} of {total} requests ({_share(outside, total)}) are outside the "
            f"description's base path ({bases}); if the log was written behind a proxy that "
            "strips it, pass --base-path /"
        )
    if agg.dropped.requests:
        notes.append(
            f"{agg.dropped.requests} requests to rarely called undocumented paths are counted "
            f"but not listed (each such path had at most {agg.dropped_below} requests)"
        )
    return notes
