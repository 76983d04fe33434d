"""The finding ids of ``apilint contract`` and which Schemathesis check feeds each.

Their documentation and default severities are data, with every other rule's: rules/contract.yaml
(``apilint rules unexpected-redirect`` shows one). This module only knows where findings come
from.
"""

from __future__ import annotations

from functools import cache

from apilint.core.errors import ConfigError
from apilint.lint.rulesets import Rule, command_rules

CHECK_RULES: dict[str, str] = {
    "not_a_server_error": "server-error",
    "status_code_conformance": "undocumented-status",
    "response_schema_conformance": "response-schema",
    "content_type_conformance": "content-type",
    "response_headers_conformance": "missing-header",
    "negative_data_rejection": "negative-data-accepted",
    "missing_required_header": "negative-data-accepted",
    "unsupported_method": "method-not-allowed",
}
"""Schemathesis check name -> apilint finding id. Header *values* that break their schema are
reported as ``response-schema`` (the headers check validates them too); see ``runner.rule_for``.
Schemathesis's other checks (positive_data_acceptance, use_after_free,
ensure_resource_availability, ignored_auth, object_level_authorization, and
allow_header_conformance, which flags every Starlette/FastAPI path with more than one method:
their OPTIONS 405 lists only the first route's methods) are not run."""

PROBE_RULES = (
    "unexpected-redirect",
    "redirect-method-change",
    "redirect-scheme-downgrade",
    "redirect-host-change",
)
"""Reported by apilint's own redirect analysis (probes, and every 3xx Schemathesis gets)."""

TRANSPORT_RULES = ("no-answer",)
"""Reported for a request the service took but did not answer (probes and fuzzing alike)."""

RULE_IDS = frozenset({*CHECK_RULES.values(), *PROBE_RULES, *TRANSPORT_RULES})


@cache
def contract_rules() -> dict[str, Rule]:
    """The documented contract rules, by id; every id this command reports must be there."""
    rules = command_rules("contract")
    missing = sorted(RULE_IDS - set(rules))
    if missing:
        raise ConfigError(f"rules/contract.yaml does not document {', '.join(missing)}")
    return {rule_id: rules[rule_id] for rule_id in sorted(RULE_IDS)}


def checks_for(rule_ids: set[str] | frozenset[str]) -> list[str]:
    """The Schemathesis checks to enable for the selected finding ids."""
    return [check for check, rule in CHECK_RULES.items() if rule in rule_ids]
