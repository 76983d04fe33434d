"""SARIF 2.1.0, the format GitHub code scanning (and most CI dashboards) read.

One run per report. ``tool.driver.rules`` describes every rule that ran (its help is the rule's
docs: what, why, the bad and good examples, how to fix), each result names its rule by id and by
index, and points at the exact line and column of a file given relative to the repository root
(``uriBaseId: %SRCROOT%``), so code scanning shows it on the right line whatever directory apilint
ran in. ``partialFingerprints`` hash rule + file + JSON pointer, not the line: an alert survives
edits that move it. The pointer and, for findings about an operation, the operation are also
given as logical locations and result properties.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Any
from urllib.parse import quote

from apilint.core.errors import ApilintError
from apilint.core.findings import Finding, Severity
from apilint.documents.git import find_repo_root
from apilint.reports import Report, RuleInfo, rule_docs_url

SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
SRCROOT = "%SRCROOT%"
FINGERPRINT = "apilint/v1"

GITHUB_MAX_RESULTS = 5000
"""Results per run that GitHub code scanning keeps."""
HELP_LIMIT = 1024
"""Characters of rule help GitHub code scanning accepts."""
PROBLEM_SEVERITY = {"error": "error", "warning": "warning", "info": "recommendation"}

LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_LEVEL_NAMES = {"error": "error", "warning": "warning", "info": "note"}


def render(report: Report) -> str:
    return json.dumps(sarif_log(report), indent=2, ensure_ascii=False) + "\n"


def sarif_log(report: Report, cwd: Path | None = None) -> dict[str, Any]:
    """The SARIF log as a dict (``cwd``: where relative file names start, default the working
    directory)."""
    here = Path(os.path.abspath(cwd or Path.cwd()))
    root = find_repo_root(here) or here
    rules = _rule_list(report)
    index = {rule["id"]: position for position, rule in enumerate(rules)}
    fingerprint_list = fingerprints(report.findings, here, root)
    results = [
        _result(finding, index[finding.rule], fingerprint, here, root)
        for finding, fingerprint in zip(report.findings, fingerprint_list, strict=True)
    ]
    if len(results) > GITHUB_MAX_RESULTS:
        # GitHub keeps the first 5,000 results of a run: let them be the most severe.
        order = {"error": 0, "warning": 1, "note": 2}
        results.sort(key=lambda result: order[result["level"]])
        sys.stderr.write(
            f"apilint: warning: the SARIF report has {len(results):,} results; GitHub code "
            f"scanning keeps only the first {GITHUB_MAX_RESULTS:,} of a run (the most severe "
            "come first); --baseline or a narrower --select keeps the rest visible\n"
        )
    invocation: dict[str, Any] = {
        "executionSuccessful": report.failed_files == 0 and not report.errors
    }
    notifications = [_notification(error, here, root) for error in report.file_errors]
    notifications += [{"level": "error", "message": {"text": r}} for r in report.errors]
    if notifications:
        invocation["toolExecutionNotifications"] = notifications
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "apilint",
                "version": report.version,
                "semanticVersion": report.version,
                "rules": rules,
            }
        },
        "originalUriBaseIds": {SRCROOT: {"uri": root.as_uri().rstrip("/") + "/"}},
        "invocations": [invocation],
        "columnKind": "unicodeCodePoints",
        "results": results,
    }
    if report.sarif_category:
        # Only when asked: GitHub's upload action ignores its own `category` input when the
        # file has one.
        run["automationDetails"] = {"id": report.sarif_category}
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def _rule_list(report: Report) -> list[dict[str, Any]]:
    infos = dict(report.rules)
    for finding in report.findings:  # a finding of a rule the report does not describe
        if finding.rule not in infos:
            infos[finding.rule] = RuleInfo(finding.rule, "", finding.severity.label)
    return [_descriptor(infos[rule_id]) for rule_id in sorted(infos)]


def _descriptor(info: RuleInfo) -> dict[str, Any]:
    short = info.description or info.id
    descriptor: dict[str, Any] = {
        "id": info.id,
        "name": "".join(part.capitalize() for part in info.id.split("-")),
        "shortDescription": {"text": short},
        "fullDescription": {"text": _plain(info.what) or short},
        "help": {"text": help_text(info), "markdown": help_markdown(info)},
        "defaultConfiguration": {"level": _LEVEL_NAMES.get(info.severity, "warning")},
    }
    url = rule_docs_url(info.id)
    if url is not None:
        descriptor["helpUri"] = url
    tags = ["openapi", *([info.family] if info.family else [])]
    descriptor["properties"] = {
        "tags": tags,
        "precision": "high",
        "problem.severity": PROBLEM_SEVERITY.get(info.severity, "warning"),
    }
    return descriptor


def _fit(parts: list[str], tail: str) -> str:
    """``parts`` joined by blank lines, as many as fit in HELP_LIMIT with ``tail`` after them
    (a part that does not fit whole is cut at a word and marked with an ellipsis)."""
    out: list[str] = []
    room = HELP_LIMIT - len(tail) - 2
    for part in parts:
        cost = len(part) + (2 if out else 0)
        if cost <= room:
            out.append(part)
            room -= cost
            continue
        if "```" not in part and room > 80:  # cut prose, never a code block
            cut = part[: room - (3 if out else 1)].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"
            out.append(cut)
        break
    return "\n\n".join([*out, tail])


def _plain(text: str) -> str:
    return " ".join(text.split())


def help_text(info: RuleInfo) -> str:
    """The rule's help as plain text (for viewers that don't render Markdown)."""
    parts = [info.description or info.id]
    for title, body in (("What it does", info.what), ("Why", info.help), ("Fix", info.fix)):
        if body:
            parts.append(f"{title}: {_plain(body)}")
    url = rule_docs_url(info.id)
    where = f"Documentation: {url}" if url else f"Documentation: apilint rules {info.id}"
    return _fit(parts, where)


def help_markdown(info: RuleInfo) -> str:
    """The rule's help as Markdown: its docs with the bad and good examples as YAML blocks."""
    parts = [f"**{info.id}**: {info.description}" if info.description else f"**{info.id}**"]
    if info.what:
        parts.append(_plain(info.what))
    if info.help:
        parts.append(f"**Why it matters.** {_plain(info.help)}")
    if info.bad:
        parts.append(f"**Example of the problem**\n\n```yaml\n{info.bad.rstrip()}\n```")
    if info.good:
        parts.append(f"**Fixed**\n\n```yaml\n{info.good.rstrip()}\n```")
    if info.fix:
        parts.append(f"**How to fix.** {_plain(info.fix)}")
    url = rule_docs_url(info.id)
    tail = f"Documentation: `apilint rules {info.id}`."
    if url:
        tail = f"[Documentation]({url}), or `apilint rules {info.id}`."
    return _fit(parts, tail)


def artifact_location(file: str, cwd: Path, root: Path) -> dict[str, str]:
    """A file as SARIF sees it: a relative URI under %SRCROOT% when it is inside the repository
    (or the working directory), else an absolute ``file:`` URI; URLs stay as they are."""
    if "://" in file:
        return {"uri": file}
    absolute = Path(os.path.normpath(cwd / file))
    try:
        relative = absolute.relative_to(root)
    except ValueError:
        return {"uri": absolute.as_uri()}
    return {"uri": quote(relative.as_posix(), safe="/"), "uriBaseId": SRCROOT}


def _key_uri(file: str, cwd: Path, root: Path) -> str:
    return artifact_location(file, cwd, root)["uri"]


def repository_path(file: str, cwd: Path, root: Path) -> str:
    """``file`` relative to the repository root, ``/``-separated (absolute when outside it)."""
    if "://" in file or not file:
        return file
    absolute = Path(os.path.normpath(cwd / file))
    try:
        return absolute.relative_to(root).as_posix()
    except ValueError:
        return absolute.as_posix()


def fingerprints(findings: list[Finding], cwd: Path, root: Path) -> list[str]:
    """rule + file + pointer, hashed; the n-th repeat of a key in a run gets ``:n``."""
    seen: dict[str, int] = {}
    out = []
    for finding in findings:
        key = "\0".join((finding.rule, _key_uri(finding.file, cwd, root), finding.pointer))
        digest = hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]
        count = seen.get(digest, 0)
        seen[digest] = count + 1
        out.append(digest if count == 0 else f"{digest}:{count}")
    return out


def _result(
    finding: Finding, rule_index: int, fingerprint: str, cwd: Path, root: Path
) -> dict[str, Any]:
    logical: list[dict[str, str]] = [
        {
            "name": finding.pointer.rsplit("/", 1)[-1] or "(document)",
            "fullyQualifiedName": finding.pointer or "/",
            "kind": "object",
        }
    ]
    if finding.operation:
        logical.append({"name": finding.operation, "kind": "function"})
    properties: dict[str, Any] = {"pointer": finding.pointer}
    if finding.operation:
        properties["operation"] = finding.operation
    properties.update({k: v for k, v in finding.extra.items() if k not in properties})
    return {
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": LEVELS[finding.severity],
        "message": {"text": finding.message},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": artifact_location(finding.file, cwd, root),
                    "region": {
                        "startLine": max(finding.line, 1),
                        "startColumn": max(finding.column, 1),
                        "endLine": finding.end[0],
                        "endColumn": finding.end[1],
                    },
                },
                "logicalLocations": logical,
            }
        ],
        "partialFingerprints": {FINGERPRINT: fingerprint},
        "properties": properties,
    }


def _notification(error: ApilintError, cwd: Path, root: Path) -> dict[str, Any]:
    """A file apilint could not check, as a tool execution notification at its place."""
    notification: dict[str, Any] = {
        "level": "error",
        "message": {"text": error.message},
        "descriptor": {"id": "load-error"},
    }
    if error.file:
        region = {"startLine": max(error.line or 1, 1), "startColumn": max(error.column or 1, 1)}
        notification["locations"] = [
            {
                "physicalLocation": {
                    "artifactLocation": artifact_location(error.file, cwd, root),
                    "region": region,
                }
            }
        ]
    return notification
