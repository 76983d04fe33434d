"""Where contract findings meet: one finding per problem, whoever saw it first.

The probes and Schemathesis often see the same problem (a 308 on ``GET /api/thoughts`` shows up in
the probe and in every generated request); a finding is identified by its rule and a key, kept
once, and upgraded when a later sighting is more severe (an undocumented status first seen for an
invalid request, then for a valid one); between equally severe sightings, the one with the
shortest reproduction (curl line) is kept.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence

from apilint.contract.redact import Redactor
from apilint.contract.redirects import Hop, Issue, redirect_issues
from apilint.contract.rules import contract_rules
from apilint.contract.spec import Exchange, Spec
from apilint.core.findings import Finding, Severity


class Collector:
    def __init__(
        self,
        spec: Spec,
        rules: frozenset[str],
        redactor: Redactor,
        on_change: Callable[[], None] | None = None,
    ) -> None:
        self.spec = spec
        self.rules = rules
        self.redactor = redactor
        self.on_change = on_change
        self._findings: dict[tuple[object, ...], Finding] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._findings)

    def add(
        self,
        rule: str,
        message: str,
        label: str,
        exchange: Exchange,
        key: tuple[object, ...],
        *,
        severity: Severity | None = None,
        below: Sequence[str] = (),
    ) -> None:
        if rule not in self.rules:
            return
        finding = self.spec.finding(
            rule,
            severity or self._severity(rule),
            self.redactor.text(message),
            label,
            exchange,
            *below,
        )
        full_key = (rule, *key)
        with self._lock:
            known = self._findings.get(full_key)
            if known is not None and not _better(finding, known):
                return
            self._findings[full_key] = finding
        if self.on_change is not None:
            self.on_change()

    @staticmethod
    def _severity(rule: str) -> Severity:
        return contract_rules()[rule].severity or Severity.WARNING

    def issue(self, issue: Issue, exchange: Exchange) -> None:
        self.add(issue.rule, issue.message, self._label(issue), exchange, issue.key)

    def redirect(self, hop: Hop, label: str, exchange: Exchange) -> None:
        """A redirect a generated request got on a documented operation."""
        op = self.spec.operation(label)
        documented = op is not None and self.spec.documents_status(op, hop.status)
        for issue in redirect_issues(
            hop, subject=label, documented=documented, documented_path=True, label=label
        ):
            self.issue(issue, exchange)

    @staticmethod
    def _label(issue: Issue) -> str:
        label = issue.key[0] if issue.key else ""
        return label if isinstance(label, str) else ""

    def findings(self) -> list[Finding]:
        with self._lock:
            found = list(self._findings.values())
        return sorted(found, key=Finding.sort_key)


def _better(new: Finding, known: Finding) -> bool:
    if new.severity != known.severity:
        return new.severity > known.severity
    return len(str(new.extra.get("curl", ""))) < len(str(known.extra.get("curl", "")))
