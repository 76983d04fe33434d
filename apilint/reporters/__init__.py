"""Reporters turn a Report into text. They all share one signature: ``render(report) -> str``.

Adding a format means adding a module here and an entry in FORMATS; the CLI and the contract and
traffic commands pick it up.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from apilint import __version__
from apilint.findings import Finding, summarize

if TYPE_CHECKING:
    from apilint.rulesets import Rule


@dataclass(frozen=True)
class RuleInfo:
    """What a report says about a rule (SARIF and JUnit carry rule help)."""

    id: str
    description: str
    severity: str
    help: str = ""
    """Why the rule matters (plain text)."""
    what: str = ""
    """What the rule reports (plain text); SARIF's fullDescription."""
    fix: str = ""
    bad: str = ""
    """An example that the rule reports (YAML), shown in SARIF's help."""
    good: str = ""
    family: str = ""
    """The ruleset the rule belongs to (a SARIF tag)."""

    @classmethod
    def from_rule(cls, rule: Rule, severity: str | None = None) -> RuleInfo:
        """A rule's report-facing summary; ``severity`` overrides the rule's default."""
        default = rule.severity.label if rule.severity is not None else "off"
        return cls(
            rule.id,
            rule.description,
            severity or default,
            rule.docs.why,
            what=rule.docs.what,
            fix=rule.docs.fix,
            bad=rule.docs.bad,
            good=rule.docs.good,
            family=rule.family,
        )


@dataclass
class Report:
    command: str  # "lint", "contract", "traffic"
    findings: list[Finding]
    files: list[str] = field(default_factory=list)
    rules: dict[str, RuleInfo] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)
    """Command-specific top-level members of the JSON report (traffic's usage table...)."""
    failed_files: int = 0
    """Files that could not be checked at all (their errors went to stderr)."""
    errors: list[str] = field(default_factory=list)
    """Why the command did not check everything it was asked to (a contract run that stopped),
    one line each. Every format shows them, and a report with one never says "No problems
    found"."""
    color: bool = False
    quiet: bool = False
    version: str = __version__

    @property
    def summary(self) -> dict[str, int]:
        return summarize(self.findings)


Render = Callable[[Report], str]

FORMATS: dict[str, str] = {
    "text": "apilint.reporters.text",
    "json": "apilint.reporters.json_report",
    "sarif": "apilint.reporters.sarif",
    "junit": "apilint.reporters.junit",
    "github": "apilint.reporters.github",
    "statistics": "apilint.reporters.statistics",
}


COMMAND_FORMATS: dict[str, dict[str, str]] = {
    "traffic": {
        "text": "apilint.traffic.text_report",
        "html": "apilint.traffic.html_report",
    },
}
"""Formats of one command only (traffic's HTML page), and a command's own rendering of a shared
format (traffic's text report adds a usage table). Looked up before FORMATS."""


def formats_for(command: str | None) -> dict[str, str]:
    """Every format ``command`` offers: the shared ones and its own."""
    return {**FORMATS, **COMMAND_FORMATS.get(command or "", {})}


def renderer(name: str, command: str | None = None) -> Render:
    module = importlib.import_module(formats_for(command)[name])
    render: Render = module.render
    return render
