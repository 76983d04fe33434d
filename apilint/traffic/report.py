"""From tallies to a report: the four traffic findings and the tables beside them.

The JSON report carries, beside ``findings`` and ``summary``:

``usage``             per documented operation, busiest first: ``operation``, ``calls`` (every
                      request for it: ``requests`` + ``other_slash_form``), ``requests`` (calls to
                      the documented path, HEAD served by a GET route included), ``head`` (those
                      HEAD requests), ``other_slash_form`` (calls to its other trailing-slash
                      form, whatever they got), ``status`` and ``other_slash_form_status`` (code
                      -> count), ``top_clients`` (address, requests), ``top_agents`` (user
                      agent, requests; where the log has them), ``per_hour`` (requests
                      per hour, ``[["2026-11-28T10:00", 12], ...]``), ``bytes`` (response bytes,
                      where the log has them; 0 otherwise), and ``p50_ms``/
                      ``p95_ms``/``p99_ms`` of ``requests`` when the logs have timings (None
                      for an operation without timed requests; within 1 %, see
                      :mod:`~apilint.traffic.histogram`);
``undocumented``      per undocumented endpoint template: ``method``, ``template``, ``requests``,
                      ``status``;
``unparsed_lines``    how many non-blank lines could not be read as a request;
``unparsed_samples``  the first of them (file, line, masked text, reason);
``prefixes``          usage per path prefix of ``--group-depth`` segments (after the base path;
                      by default the depth where the called operations first divide in two);
``clients``           the busiest client addresses (where the log has them) and their requests
                      per prefix group (``groups``): who calls which part of the API; the
                      same for the busiest user agents (``agents``);
``tags``              usage per tag of the description (``tag`` None: untagged operations; an
                      operation with several tags counts in each);
``coverage``          with ``--coverage``: per operation, the documented response codes (or
                      ranges, ``default``) the calls to its path exercised and those they did
                      not, the query parameters sent and not sent; and the totals;
``traffic``           the totals (each request in exactly one of ``documented``,
                      ``other_slash_form``, ``undocumented``, ``options_preflight``), the status
                      counts of all requests (``status``) and of each part, the base paths used,
                      per log its format and counts, and logs that hold the same lines.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from apilint.core.findings import Finding, Severity
from apilint.core.pointer import Pointer, encode
from apilint.documents.loader import Document
from apilint.documents.openapi import OpenAPI
from apilint.lint.rulesets import command_rules
from apilint.reports import Report, RuleInfo
from apilint.traffic.aggregate import Aggregator, EndpointTally, Tally
from apilint.traffic.exchanges import ExchangeChecker
from apilint.traffic.histogram import merge, percentiles
from apilint.traffic.logformats import hour_iso
from apilint.traffic.matcher import Matcher, Route
from apilint.traffic.queries import QueryTally

UNDOCUMENTED = "traffic-undocumented"
REDIRECT = "traffic-redirect"
SERVER_ERRORS = "traffic-server-errors"
UNUSED = "traffic-unused"
STATUS_UNDOCUMENTED = "traffic-status-undocumented"
QUERY_UNDOCUMENTED = "traffic-query-undocumented"
QUERY_INVALID = "traffic-query-invalid"
QUERY_MISSING = "traffic-query-missing"
RESPONSE_SCHEMA = "traffic-response-schema"
HEADER_MISSING = "traffic-header-missing"
HEADER_UNDOCUMENTED = "traffic-header-undocumented"
SECURITY_MISSING = "traffic-security-missing"

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
    group_depth: int | None = 1
    """Segments of the path (after the base path) that make a prefix in the prefix table;
    None: the depth where the called operations first divide into several groups."""
    ignore: frozenset[str] = frozenset()
    coverage: bool = False
    """Add the ``coverage`` table (documented responses and query parameters exercised)."""
    min_status_share: float = 0.01
    """traffic-status-undocumented: reported when a status the operation does not document
    answers more than this share of its requests."""


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


def _combined(*tallies: Tally) -> Tally:
    out = Tally()
    for tally in tallies:
        out.add(tally)
    return out


def _documents_status(route: Route, code: str) -> bool:
    responses = route.operation.value.get("responses")
    if not isinstance(responses, dict):
        return True  # nothing to compare with: stay silent
    keys = {str(k).upper() for k in responses}
    return code in keys or f"{code[0]}XX" in keys or "DEFAULT" in keys


def _status_findings(
    findings: _Findings, route: Route, tally: Tally, thresholds: Thresholds
) -> None:
    """Statuses the operation does not document (redirects and 5xx have their own rules)."""
    requests = tally.requests
    if requests < thresholds.min_requests:
        return
    node = route.operation.node
    for code, n in sorted(tally.status.items()):
        if code[0] in "35" or _documents_status(route, code):
            continue
        if n / requests <= thresholds.min_status_share:
            continue
        findings.add(
            STATUS_UNDOCUMENTED,
            f"{route.label} answered {code}, which it does not document, to {n:,} of its "
            f"{requests:,} requests ({_share(n, requests)})",
            node.doc,
            (*node.ptr, "responses") if "responses" in route.operation.value else node.ptr,
            route.label,
            status=code,
            count=n,
            share=round(n / requests, 4),
            requests=requests,
        )


def _exchange_findings(
    findings: _Findings, routes: Sequence[Route], checker: ExchangeChecker
) -> None:
    for (index, status), body in sorted(checker.bodies.items()):
        if not body.count or body.schema is None:
            continue
        route = routes[index]
        at = f" at {body.pointer}" if body.pointer else " at the root"
        findings.add(
            RESPONSE_SCHEMA,
            f"{route.label}: {body.count:,} of {body.checked:,} {status} responses do not match "
            f"the documented schema (e.g.{at}: {body.message})",
            body.schema.doc,
            body.schema.ptr,
            route.label,
            status=status,
            count=body.count,
            responses=body.checked,
            body_pointer=body.pointer,
            example=body.message,
        )
    for (index, key), missing in sorted(checker.headers.items()):
        route = routes[index]
        name, pointer = checker.prepared(index).headers[key]
        listed = checker.listed.get(index, 0)
        findings.add(
            HEADER_MISSING,
            f"{route.label}: required header '{name}' is missing from {missing.count:,} of "
            f"{listed:,} captured requests ({missing.served:,} of them answered 2xx)",
            route.operation.node.doc,
            pointer,
            route.label,
            header=name,
            count=missing.count,
            requests=listed,
            served=missing.served,
        )
    for (index, _key), sent in sorted(checker.undocumented.items()):
        route = routes[index]
        op = route.operation
        listed = checker.listed.get(index, 0)
        where: Pointer = (*op.node.ptr, "parameters") if "parameters" in op.value else op.node.ptr
        findings.add(
            HEADER_UNDOCUMENTED,
            f"{route.label}: {sent.count:,} of {listed:,} captured requests "
            f"({_share(sent.count, listed)}) send the header '{sent.name}', which the operation "
            "does not document",
            op.node.doc,
            where,
            route.label,
            header=sent.name,
            count=sent.count,
            requests=listed,
            share=round(sent.count / listed, 4) if listed else 0.0,
        )
    if not checker.credentials:
        return  # the capture keeps no credentials at all: likely stripped on export
    for index, missing in sorted(checker.security.items()):
        route = routes[index]
        op = route.operation
        place: Pointer = (*op.node.ptr, "security") if "security" in op.value else ("security",)
        doc = op.node.doc if "security" in op.value else op.api.root
        findings.add(
            SECURITY_MISSING,
            f"{route.label}: {missing.count:,} of {checker.listed.get(index, 0):,} captured "
            "requests carry none of the credentials its security requirements name "
            f"({missing.served:,} of them answered 2xx)",
            doc,
            place,
            route.label,
            count=missing.count,
            requests=checker.listed.get(index, 0),
            served=missing.served,
        )


def _query_findings(
    findings: _Findings, route: Route, query: QueryTally, requests: int, thresholds: Thresholds
) -> None:
    if requests < thresholds.min_requests:
        return
    op = route.operation
    node = op.node
    where = (*node.ptr, "parameters") if "parameters" in op.value else node.ptr
    for name, tally in sorted(query.undocumented()):
        findings.add(
            QUERY_UNDOCUMENTED,
            f"{route.label}: query parameter '{name}' is not documented, yet {tally.requests:,} "
            f"of {requests:,} requests send it (e.g. {tally.example})",
            node.doc,
            where,
            route.label,
            parameter=name,
            count=tally.requests,
            requests=requests,
            example=tally.example,
        )
    for name, param in sorted(query.parameters.items()):
        sent = query.sent(name)
        named = query.names.get(name)
        if named is not None and named.invalid:
            findings.add(
                QUERY_INVALID,
                f"{route.label}: query parameter '{name}' is {named.problem} in {named.invalid:,} "
                f"of the {sent:,} requests that send it (e.g. {named.invalid_example})",
                node.doc,
                param.pointer,
                route.label,
                parameter=name,
                count=named.invalid,
                requests=sent,
                example=named.invalid_example,
            )
        missing = query.missing(name, requests)
        if param.required and missing > 0:
            findings.add(
                QUERY_MISSING,
                f"{route.label}: required query parameter '{name}' is missing from {missing:,} "
                f"of {requests:,} requests",
                node.doc,
                param.pointer,
                route.label,
                parameter=name,
                count=missing,
                requests=requests,
            )


def _operation_findings(
    findings: _Findings,
    route: Route,
    tally: Tally,
    variant: Tally,
    thresholds: Thresholds,
    total: int,
) -> None:
    """``tally``: the calls to the documented path (HEAD included); ``variant``: to the other
    slash form."""
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
            f"{bounced} of {calls} calls ({_share(bounced, calls)}) were answered with a "
            f"redirect (3xx): {why}",
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


TOP_CLIENTS = 5
MATRIX_CLIENTS = 10


def _top_clients(tally: Tally, count: int = TOP_CLIENTS) -> list[dict[str, Any]]:
    ranked = sorted(tally.clients.items(), key=lambda item: (-item[1], item[0]))[:count]
    return [{"client": client, "requests": n} for client, n in ranked]


def _top_agents(tally: Tally, count: int = TOP_CLIENTS) -> list[dict[str, Any]]:
    ranked = sorted(tally.agents.items(), key=lambda item: (-item[1], item[0]))[:count]
    return [{"agent": agent, "requests": n} for agent, n in ranked]


def _client_matrix(matcher: Matcher, agg: Aggregator, depth: int) -> dict[str, Any]:
    """The busiest clients, and their requests per path prefix group: who calls what."""
    groups: dict[str, Tally] = {}
    for route in matcher.routes:
        index = route.index
        group = groups.setdefault(prefix_of(route.template, depth), Tally())
        for tally in (agg.operations[index], agg.heads[index], agg.variants[index]):
            group.add(tally)
    for endpoint in agg.undocumented.values():
        groups.setdefault(prefix_of(endpoint.template, depth), Tally()).add(endpoint)
    everyone = _combined(*groups.values())
    clients = [row["client"] for row in _top_clients(everyone, MATRIX_CLIENTS)]
    agents = [row["agent"] for row in _top_agents(everyone, MATRIX_CLIENTS)]
    names = sorted(
        (g for g in groups if groups[g].requests), key=lambda g: (-groups[g].requests, g)
    )
    return {
        "groups": names,
        "clients": [
            {
                "client": client,
                "requests": everyone.clients[client],
                "by_group": {g: groups[g].clients.get(client, 0) for g in names},
            }
            for client in clients
        ],
        "agents": [
            {
                "agent": agent,
                "requests": everyone.agents[agent],
                "by_group": {g: groups[g].agents.get(agent, 0) for g in names},
            }
            for agent in agents
        ],
    }


def _timeline(tally: Tally) -> list[list[Any]]:
    """Requests per hour, oldest first: ``[["2026-11-28T10:00", 12], ...]``."""
    out: dict[str, int] = {}
    for hour, n in tally.hours.items():
        iso = hour_iso(hour)
        if iso is not None:
            out[iso] = out.get(iso, 0) + n
    return [[hour, out[hour]] for hour in sorted(out)]


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
                "other_slash_form": 0,
                "undocumented": 0,
                "client_errors": 0,
                "server_errors": 0,
                "hist": {},
                "clients": Tally(),
            },
        )

    def is_4xx(code: str) -> bool:
        return code.startswith("4")

    def is_5xx(code: str) -> bool:
        return code.startswith("5")

    def add(row: dict[str, Any], tally: Tally) -> None:
        row["requests"] += tally.requests
        row["client_errors"] += tally.count(is_4xx)
        row["server_errors"] += tally.count(is_5xx)
        merge(row["hist"], tally.hist)
        row["clients"].clients.update(
            {c: row["clients"].clients.get(c, 0) + n for c, n in tally.clients.items()}
        )
        row["clients"].agents.update(
            {a: row["clients"].agents.get(a, 0) + n for a, n in tally.agents.items()}
        )

    for route in matcher.routes:
        index = route.index
        if not agg.operation_calls(index):
            continue
        row = group(prefix_of(route.template, depth))
        row["operations"] += 1
        row["other_slash_form"] += agg.variants[index].requests
        for tally in (agg.operations[index], agg.heads[index], agg.variants[index]):
            add(row, tally)
    for endpoint in agg.undocumented.values():
        row = group(prefix_of(endpoint.template, depth))
        row["undocumented"] += endpoint.requests
        add(row, endpoint)
    total = agg.requests
    out = []
    for prefix, row in groups.items():
        hist = row.pop("hist")
        clients = row.pop("clients")
        out.append(
            {
                "prefix": prefix,
                **row,
                "top_clients": _top_clients(clients),
                "top_agents": _top_agents(clients),
                "share": round(row["requests"] / total, 4) if total else 0.0,
                **_latency(hist, timed_logs),
            }
        )
    out.sort(key=lambda r: (-r["requests"], r["prefix"]))
    return out


def _response_coverage(route: Route, status: dict[str, int]) -> tuple[list[str], list[str]]:
    """(documented response keys the requests exercised, those they did not)."""
    responses = route.operation.value.get("responses")
    keys = (
        [str(k) for k in responses if not str(k).startswith("x-")]
        if isinstance(responses, dict)
        else []
    )
    exact = {k for k in keys if len(k) == 3 and k.isdigit()}
    ranges = {k.upper()[0] for k in keys if len(k) == 3 and k.upper().endswith("XX")}
    covered: list[str] = []
    missing: list[str] = []
    for key in keys:
        upper = key.upper()
        if upper == "DEFAULT":
            hit = any(c not in exact and c[0] not in ranges for c in status)
        elif upper.endswith("XX"):
            hit = any(c[0] == upper[0] and c not in exact for c in status)
        else:
            hit = key in status
        (covered if hit else missing).append(key)
    return covered, missing


def _coverage(matcher: Matcher, agg: Aggregator) -> dict[str, Any]:
    rows = []
    totals = {"operations": 0, "called": 0, "responses": 0, "responses_seen": 0}
    totals |= {"query_parameters": 0, "query_parameters_sent": 0}
    for route in matcher.routes:
        index = route.index
        exact = _combined(agg.operations[index], agg.heads[index])
        covered, missing = _response_coverage(route, exact.status)
        query = agg.queries[index]
        params = sorted(query.parameters)
        sent = [name for name in params if query.sent(name)]
        totals["operations"] += 1
        totals["called"] += 1 if agg.operation_calls(index) else 0
        totals["responses"] += len(covered) + len(missing)
        totals["responses_seen"] += len(covered)
        totals["query_parameters"] += len(params)
        totals["query_parameters_sent"] += len(sent)
        rows.append(
            {
                "operation": route.label,
                "called": exact.requests > 0,
                "responses_seen": covered,
                "responses_not_seen": missing,
                "query_parameters_sent": sent,
                "query_parameters_not_sent": [name for name in params if name not in sent],
            }
        )
    return {"totals": totals, "operations": rows}


MAX_AUTO_DEPTH = 8


def auto_depth(matcher: Matcher, agg: Aggregator) -> int:
    """The smallest prefix depth at which the called operations fall into two groups or more
    (a description under one ``/api`` segment divides at 2); 1 when none does."""
    called = [r.template for r in matcher.routes if agg.operation_calls(r.index)]
    for depth in range(1, MAX_AUTO_DEPTH + 1):
        if len({prefix_of(t, depth) for t in called}) >= 2:
            return depth
    return 1


def _tag_rows(matcher: Matcher, agg: Aggregator, timed_logs: bool) -> list[dict[str, Any]]:
    """Usage per tag of the description (an operation with several tags counts in each)."""
    groups: dict[str, dict[str, Any]] = {}
    for route in matcher.routes:
        index = route.index
        calls = agg.operation_calls(index)
        tags = route.operation.value.get("tags")
        names = [t for t in tags if isinstance(t, str)] if isinstance(tags, list) else []
        for name in dict.fromkeys(names) or [""]:
            row = groups.setdefault(
                name,
                {
                    "requests": 0,
                    "operations": 0,
                    "called": 0,
                    "client_errors": 0,
                    "server_errors": 0,
                    "hist": {},
                },
            )
            row["operations"] += 1
            if not calls:
                continue
            row["called"] += 1
            for tally in (agg.operations[index], agg.heads[index], agg.variants[index]):
                row["requests"] += tally.requests
                row["client_errors"] += tally.count(lambda c: c.startswith("4"))
                row["server_errors"] += tally.count(lambda c: c.startswith("5"))
                merge(row["hist"], tally.hist)
    out = []
    for name, row in groups.items():
        hist = row.pop("hist")
        out.append({"tag": name or None, **row, **_latency(hist, timed_logs)})
    out.sort(key=lambda r: (-r["requests"], r["tag"] or ""))
    return out


def build_report(
    api: OpenAPI, matcher: Matcher, agg: Aggregator, thresholds: Thresholds, *, quiet: bool = False
) -> Report:
    timed_logs = agg.timed > 0
    total = agg.requests
    depth = thresholds.group_depth or auto_depth(matcher, agg)
    findings = _Findings(thresholds.ignore)
    usage: list[dict[str, Any]] = []
    for route in matcher.routes:
        index = route.index
        head = agg.heads[index]
        exact = _combined(agg.operations[index], head)
        variant = agg.variants[index]
        everyone = _combined(exact, variant)
        usage.append(
            {
                "operation": route.label,
                "calls": exact.requests + variant.requests,
                "requests": exact.requests,
                "head": head.requests,
                "other_slash_form": variant.requests,
                "status": _status(exact),
                "other_slash_form_status": _status(variant),
                "top_clients": _top_clients(everyone),
                "top_agents": _top_agents(everyone),
                "per_hour": _timeline(everyone),
                "bytes": exact.bytes + variant.bytes,
                **_latency(exact.hist, timed_logs),
            }
        )
        _operation_findings(findings, route, exact, variant, thresholds, total)
        _status_findings(findings, route, exact, thresholds)
        _query_findings(findings, route, agg.queries[index], exact.requests, thresholds)
    usage.sort(key=lambda row: (-row["calls"], row["operation"]))
    _undocumented_findings(findings, api, agg)
    if agg.exchanges is not None:
        _exchange_findings(findings, agg.matcher.routes, agg.exchanges)
    endpoints = sorted(agg.undocumented.values(), key=lambda e: (-e.requests, e.template, e.method))
    undocumented = [
        {"method": e.method, "template": e.template, "requests": e.requests, "status": _status(e)}
        for e in endpoints
    ]
    documented = sum(t.requests for t in agg.operations) + sum(t.requests for t in agg.heads)
    other_form = sum(t.requests for t in agg.variants)
    everything = _combined(*agg.all_tallies())
    extra: dict[str, Any] = {
        "usage": usage,
        "undocumented": undocumented,
        "unparsed_lines": agg.unparsed,
        "unparsed_samples": [s.to_dict() for s in agg.samples],
        "prefixes": _prefix_rows(matcher, agg, depth, timed_logs),
        "tags": _tag_rows(matcher, agg, timed_logs),
        "clients": _client_matrix(matcher, agg, depth),
        "traffic": {
            "requests": total,
            "per_hour": _timeline(everything),
            "bytes": everything.bytes,
            "status": _status(everything),
            "documented": documented,
            "documented_status": _status(_combined(*agg.operations, *agg.heads)),
            "head": sum(t.requests for t in agg.heads),
            "other_slash_form": other_form,
            "other_slash_form_status": _status(_combined(*agg.variants)),
            "undocumented": total - documented - other_form - agg.implicit.requests,
            "undocumented_status": _status(_combined(*agg.undocumented.values(), agg.dropped)),
            "options_preflight": agg.implicit.requests,
            "options_preflight_status": _status(agg.implicit),
            "outside_base_paths": sum(
                e.requests for e in agg.undocumented.values() if not e.inside_base
            ),
            "undocumented_not_listed": agg.dropped.requests,
            "undocumented_not_listed_max_count": agg.dropped_below,
            "timed": agg.timed,
            "base_paths": [b or "/" for b in matcher.base_paths],
            "group_depth": depth,
            "group_depth_auto": thresholds.group_depth is None,
            "spec": api.root.name,
            "logs": [log.to_dict() for log in agg.logs],
            "overlapping_logs": [
                {"first": a, "second": b, "shared": round(share, 3)}
                for a, b, share in agg.overlaps()
            ],
        },
    }
    if thresholds.coverage:
        extra["coverage"] = _coverage(matcher, agg)
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
    for first, second, share in agg.overlaps():
        notes.append(
            f"{first} and {second} hold the same lines ({share:.0%} of the lines sampled from "
            "the smaller one are in both): the same traffic named twice is counted twice"
        )
    for log in agg.logs:
        if log.mixed:
            others = ", ".join(f"{n:,} {name}" for name, n in sorted(log.mixed.items()))
            notes.append(
                f"{log.file} looks mixed: most lines are {log.format}, but {others} lines are in "
                "another format (read as such)"
            )
    if agg.dropped.requests:
        notes.append(
            f"{agg.dropped.requests} requests to rarely called undocumented paths are counted "
            f"but not listed (each such path had at most {agg.dropped_below} requests)"
        )
    return notes
