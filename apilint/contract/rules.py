"""The finding ids of ``apilint contract``, what they mean, and which Schemathesis check feeds each.

Contract findings are about a live service, not a document, so they are not lint rules (no
``given``, no check function over nodes); they still have an id, a default severity and the same
documentation fields, so every reporter (text, JSON, SARIF, JUnit...) describes them the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

from apilint.findings import Severity


@dataclass(frozen=True)
class ContractRule:
    id: str
    severity: Severity
    description: str
    why: str
    fix: str


RULES: dict[str, ContractRule] = {
    rule.id: rule
    for rule in (
        ContractRule(
            "server-error",
            Severity.ERROR,
            "The service answered 5xx.",
            "A 5xx means the service failed on input it should handle; clients cannot recover.",
            "Fix the crash, or reject the input with a documented 4xx.",
        ),
        ContractRule(
            "undocumented-status",
            Severity.ERROR,
            "The service answered a status code the operation does not document.",
            "Clients are generated from the description; an undocumented status is an error path "
            "nobody handles. 401/403 on operations that declare security are not reported.",
            "Document the response (with its body schema) or stop returning it.",
        ),
        ContractRule(
            "response-schema",
            Severity.ERROR,
            "A response body or header does not match its documented schema.",
            "Clients parse what the schema promises; a missing field or a wrong type breaks them.",
            "Fix the service or the schema so they agree.",
        ),
        ContractRule(
            "content-type",
            Severity.ERROR,
            "A response has no Content-Type or one the operation does not document.",
            "Clients pick a parser from the Content-Type; an undocumented one is unreadable.",
            "Send one of the documented media types (or document the one you send).",
        ),
        ContractRule(
            "missing-header",
            Severity.ERROR,
            "A response lacks a header the description marks as required.",
            "Clients that follow the description read that header (Location, ETag, rate limits).",
            "Send the header, or do not mark it required.",
        ),
        ContractRule(
            "negative-data-accepted",
            Severity.WARNING,
            "The service accepted a request the description says is invalid.",
            "Either validation is missing (bad data gets stored) or the description is stricter "
            "than the service, and generated clients reject what the service would accept.",
            "Validate input as documented and answer 4xx, or relax the schema.",
        ),
        ContractRule(
            "method-not-allowed",
            Severity.WARNING,
            "An undocumented method on a documented path did not get 405 with an Allow header.",
            "RFC 9110: a known resource answers 405 Method Not Allowed and lists its methods in "
            "Allow; 404, 500 or 200 hide the API's shape or run code nobody documented.",
            "Answer 405 with Allow for methods the path does not support (most frameworks do "
            "when routes are declared per method).",
        ),
        ContractRule(
            "unexpected-redirect",
            Severity.ERROR,
            "A documented operation answered a redirect the description does not document.",
            "Clients built from the description do not expect a 3xx: many do not follow it for "
            "non-GET requests, and those that do may drop the body or the credentials. The usual "
            "cause is a trailing slash on the server's route and not in the spec (Flask 308, "
            "FastAPI 307, Django APPEND_SLASH 301).",
            "Make the route and the documented path agree, including the trailing slash.",
        ),
        ContractRule(
            "redirect-method-change",
            Severity.ERROR,
            "A non-GET/HEAD request was answered 301, 302 or 303.",
            "Clients retry a 301/302/303 as GET and drop the body: a POST becomes a silent read.",
            "Answer 307 or 308 to keep the method and body, or fix the route so no redirect "
            "happens.",
        ),
        ContractRule(
            "redirect-scheme-downgrade",
            Severity.ERROR,
            "An https request was redirected to http.",
            "Following it sends the request, and any credentials, in clear text. The usual cause "
            "is a TLS-terminating proxy in front of an app that does not trust X-Forwarded-Proto.",
            "Make the app trust the proxy's X-Forwarded-Proto (Werkzeug ProxyFix, Django "
            "SECURE_PROXY_SSL_HEADER, uvicorn --proxy-headers) or emit relative Locations.",
        ),
        ContractRule(
            "redirect-host-change",
            Severity.WARNING,
            "A redirect points to another host.",
            "Credentials must not follow a redirect to another origin, so the client arrives "
            "unauthenticated; an open redirect is also a phishing vector.",
            "Redirect within the API's origin, or document the redirect and its target.",
        ),
    )
}

CHECK_RULES: dict[str, str] = {
    "not_a_server_error": "server-error",
    "status_code_conformance": "undocumented-status",
    "response_schema_conformance": "response-schema",
    "content_type_conformance": "content-type",
    "response_headers_conformance": "missing-header",
    "negative_data_rejection": "negative-data-accepted",
    "missing_required_header": "negative-data-accepted",
    "unsupported_method": "method-not-allowed",
    "allow_header_conformance": "method-not-allowed",
}
"""Schemathesis check name -> apilint finding id. Header *values* that break their schema are
reported as ``response-schema`` (the check also validates them); see ``runner.rule_for``."""

PROBE_RULES = (
    "unexpected-redirect",
    "redirect-method-change",
    "redirect-scheme-downgrade",
    "redirect-host-change",
)


def checks_for(rule_ids: set[str]) -> list[str]:
    """The Schemathesis checks to enable for the selected finding ids."""
    return [check for check, rule in CHECK_RULES.items() if rule in rule_ids]
