"""Reports: what a command found (:class:`Report`) and the reporters that turn it into text. They
all share one signature: ``render(report) -> str``.

Adding a format means adding a module here and an entry in FORMATS; every command picks it up.

May import: :mod:`apilint.core`, :mod:`apilint.http`, :mod:`apilint.documents.loader`."""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from apilint import __version__
from apilint.core.errors import ApilintError
from apilint.core.findings import Finding, Severity, summarize

DOCS_URL_LABELS = ("rules", "documentation")
"""Where the rule reference (docs/rules.md) is published comes from the installed package's
``[project.urls]`` (the first of these labels, case-insensitive): the publisher knows it, the
code does not. A rule's section there is ``#<rule-id>``."""


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
    file_errors: list[ApilintError] = field(default_factory=list)
    """Why those files could not be checked (file, line, column when known): SARIF notifications,
    JUnit errors, GitHub annotations."""
    fail_on: Severity | None = Severity.ERROR
    """The least severity that fails the run (None: --fail-on never); JUnit reports only
    findings at or above it as failures."""
    sarif_category: str | None = None
    """--sarif-category: the run's automationDetails.id (absent otherwise, so that the upload
    action's own category applies)."""
    color: bool = False
    quiet: bool = False
    version: str = __version__

    @property
    def summary(self) -> dict[str, int]:
        return summarize(self.findings)

    def fails(self, finding: Finding) -> bool:
        """Whether ``finding`` is at or above --fail-on."""
        return self.fail_on is not None and finding.severity >= self.fail_on


def rule_docs_url(rule_id: str) -> str | None:
    """The web address of a rule's documentation, or None when the installed package does not
    say where its documentation is published (then reports point to ``apilint rules ID``)."""
    base = _docs_base()
    return f"{base}#{rule_id}" if base else None


@functools.cache
def _docs_base() -> str | None:
    from importlib import metadata

    try:
        entries = metadata.metadata("apilint").get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        return None
    urls: dict[str, str] = {}
    for entry in entries:
        label, _, url = entry.partition(",")
        urls.setdefault(label.strip().lower(), url.strip())
    return next((urls[label] for label in DOCS_URL_LABELS if urls.get(label)), None)


Render = Callable[[Report], str]

FORMATS: dict[str, str] = {
    "text": "apilint.reports.text",
    "json": "apilint.reports.json_report",
    "sarif": "apilint.reports.sarif",
    "junit": "apilint.reports.junit",
    "github": "apilint.reports.github",
    "statistics": "apilint.reports.statistics",
    "gitlab": "apilint.reports.gitlab",
    "checkstyle": "apilint.reports.checkstyle",
    "markdown": "apilint.reports.markdown",
}


COMMAND_FORMATS: dict[str, dict[str, str]] = {
    "diff": {"markdown": "apilint.reports.diff_markdown"},
    "traffic": {
        "text": "apilint.reports.traffic_text",
        "html": "apilint.reports.traffic_html",
    },
}
"""Formats of one command only (traffic's HTML page), and a command's own rendering of a shared
format (traffic's text report adds a usage table). Looked up before FORMATS."""


def merged_counts(*counts: dict[str, int]) -> dict[str, int]:
    """Tallies by key added up (a traffic row's statuses and those of its other slash form)."""
    out: dict[str, int] = {}
    for tally in counts:
        for key, n in tally.items():
            out[key] = out.get(key, 0) + n
    return out


def formats_for(command: str | None) -> dict[str, str]:
    """Every format ``command`` offers: the shared ones and its own."""
    return {**FORMATS, **COMMAND_FORMATS.get(command or "", {})}


def renderer(name: str, command: str | None = None) -> Render:
    module = importlib.import_module(formats_for(command)[name])
    render: Render = module.render
    return render
