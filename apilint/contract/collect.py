"""Where contract findings meet: one finding per problem, whoever saw it first.

The probes and Schemathesis often see the same problem (a 308 on ``GET /api/thoughts`` shows up in
the probe and in every generated request); a finding is identified by its rule and a key, kept
once, and upgraded when a later sighting is more severe (an undocumented status first seen for an
invalid request, then for a valid one); between equally severe sightings, the one with the
shortest reproduction (curl line) is kept.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Callable, Sequence

from apilint.contract.redact import Redactor
from apilint.contract.redirects import Hop, Issue, prefix_of, redirect_issues, status_text
from apilint.contract.rules import contract_rules
from apilint.contract.spec import Exchange, Spec
from apilint.core.findings import Finding, Severity

GROUP_MIN = 3
"""Operations that must show the same problem before their findings become one."""

MAX_LISTED = 8

Group = tuple[tuple[object, ...], str]
"""(what makes findings one problem, the message for all of them: ``{count}``,
``{operations}`` and ``{first}`` (the first finding's message) are filled in)."""

GROUP_MINIMUM = {"redirect-scheme-downgrade": 2}
"""Rules whose findings become one from fewer operations than GROUP_MIN."""


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
        self._groups: dict[tuple[object, ...], dict[tuple[object, ...], str]] = {}
        """Per finding key: every group it was seen in (what -> message)."""
        self._group_labels: dict[tuple[object, ...], set[str]] = {}
        """Per (rule, *what): the operations seen with it."""
        self._group_best: dict[tuple[object, ...], Finding] = {}
        """Per (rule, *what): the sighting that shows it best (its request is reproduced)."""
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
        group: Group | None = None,
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
            if group is not None:  # every sighting counts, kept or not
                what, group_message = group
                self._groups.setdefault(full_key, {})[what] = group_message
                self._group_labels.setdefault((rule, *what), set()).add(label)
                best = self._group_best.get((rule, *what))
                if best is None or _better(finding, best):
                    self._group_best[(rule, *what)] = finding
            known = self._findings.get(full_key)
            if known is not None and not _better(finding, known):
                return
            self._findings[full_key] = finding
        if self.on_change is not None:
            self.on_change()

    def no_answer(self, label: str, text: str, sent: tuple[str, str], exchange: Exchange) -> None:
        """A request the service took but did not answer properly. ``sent`` is the (method,
        path) the text names; the same failure on several operations is one finding."""
        method, path = sent
        how = text.replace(f" {method} {path}", "").replace(f"{method} {path} ", "")
        shown = how.replace("{", "{{").replace("}", "}}")
        group = ((how,), f"{{count}} operations got no proper answer: {shown} ({{operations}})")
        self.add("no-answer", text, label, exchange, (label,), group=group)

    @staticmethod
    def _severity(rule: str) -> Severity:
        return contract_rules()[rule].severity or Severity.WARNING

    def issue(self, issue: Issue, exchange: Exchange) -> None:
        group: Group | None = None
        kind = str(issue.key[2]) if len(issue.key) > 2 else ""
        prefix = prefix_of(kind)
        if issue.rule == "redirect-scheme-downgrade":
            # One cause for the whole service (a proxy's scheme the app does not trust).
            group = (
                (),
                "{count} operations over https were redirected to plain http ({operations}); "
                "the first: {first}",
            )
        elif issue.rule == "unexpected-redirect" and prefix:
            status = issue.key[1]
            shown = status_text(status) if isinstance(status, int) else str(status)
            group = (
                (kind, status),
                f"{{count}} operations answered {shown} to the same path under '{prefix}': "
                f"the base URL may lack '{prefix}' ({{operations}})",
            )
        self.add(issue.rule, issue.message, self._label(issue), exchange, issue.key, group=group)

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
            found = dict(self._findings)
            groups = {key: dict(seen) for key, seen in self._groups.items()}
            labels = {what: set(ops) for what, ops in self._group_labels.items()}
            shown = dict(self._group_best)
        members: dict[tuple[object, ...], list[tuple[object, ...]]] = {}
        messages: dict[tuple[object, ...], str] = {}
        for key, seen in groups.items():
            # A finding seen with several causes joins the one most operations share.
            what = max(seen, key=lambda w: (len(labels[(key[0], *w)]), str(w)))
            members.setdefault((key[0], *what), []).append(key)
            messages[(key[0], *what)] = seen[what]
        for group_key, keys in members.items():
            findings = sorted((found[key] for key in keys), key=Finding.sort_key)
            operations = sorted({f.operation or "" for f in findings})
            first = findings[0]
            if len(operations) < GROUP_MINIMUM.get(first.rule, GROUP_MIN):
                continue
            listed = ", ".join(operations[:MAX_LISTED])
            if len(operations) > MAX_LISTED:
                listed += f" and {len(operations) - MAX_LISTED} more"
            message = messages[group_key].format(
                count=len(operations), operations=listed, first=first.message
            )
            for key in keys:
                del found[key]
            example = shown.get(group_key, first)
            found[keys[0]] = dataclasses.replace(
                example,
                severity=max(f.severity for f in findings),
                message=self.redactor.text(message),
                extra={**example.extra, "operations": operations},
            )
        return sorted(found.values(), key=Finding.sort_key)


def _better(new: Finding, known: Finding) -> bool:
    if new.severity != known.severity:
        return new.severity > known.severity
    return len(str(new.extra.get("curl", ""))) < len(str(known.extra.get("curl", "")))
