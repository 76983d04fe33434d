"""From two sides to findings: load both with apilint's loader, compare, and turn the changes into
Findings (severities from rules/diff.yaml and the config, ``x-apilint-ignore`` honoured)."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from apilint.core.errors import ApilintError, LoadError
from apilint.core.findings import Finding, Severity
from apilint.core.pointer import encode
from apilint.diff.changes import Change
from apilint.diff.compare import Comparison, Options
from apilint.diff.sides import Side
from apilint.documents.discovery import expand
from apilint.documents.loader import Document, LoadOptions, load_document
from apilint.documents.openapi import OpenAPI
from apilint.lint.ignores import entries_along


@dataclass(frozen=True)
class DiffSettings:
    load_options: LoadOptions = field(default_factory=LoadOptions)
    allow_remote_refs: bool = False
    ref_root: Path | None = None
    framework: str | None = None
    ignore: frozenset[str] = frozenset()
    severities: dict[str, Severity | None] = field(default_factory=dict)
    """Config overrides: rule id -> severity, or None for off."""


@dataclass
class DiffResult:
    findings: list[Finding] = field(default_factory=list)
    errors: list[ApilintError] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def exit_code(self, fail_on: str) -> int:
        if self.errors:
            return 2
        if fail_on == "never":
            return 0
        threshold = Severity.parse(fail_on)
        return 1 if any(f.severity >= threshold for f in self.findings) else 0


def default_severities() -> dict[str, Severity | None]:
    from apilint.lint.rulesets import command_rules

    return {rule_id: rule.severity for rule_id, rule in command_rules("diff").items()}


def load(side: Side, path: Path, settings: DiffSettings) -> OpenAPI:
    """One description of ``side`` (the file at ``path``), $refs checked, names as reported."""
    name = side.name_of(path)
    doc = load_document(path, name=name, options=settings.load_options)
    ref_root = settings.ref_root
    if side.root is not None and ref_root is not None:
        ref_root = side.root / ref_root
    try:
        api = OpenAPI.open(
            doc,
            options=settings.load_options,
            allow_remote=settings.allow_remote_refs,
            ref_root=ref_root,
        )
    finally:
        _rename(side, doc)
    for other in api.resolver.documents.values():
        _rename(side, other)
    return api


def _rename(side: Side, doc: Document) -> None:
    name = side.name_of(doc.path)
    if name is not None:
        doc.name = name


def pairs(
    old: Side, new: Side, exclude: Iterable[str] = ()
) -> tuple[list[tuple[Path, Path]], list[str]]:
    """The descriptions to compare, and notes on those only one side has. Two files are one pair;
    two directories pair their descriptions by relative path."""
    if old.path.is_dir() != new.path.is_dir():
        raise LoadError(
            f"one side is a directory and the other is not ({old.given}, {new.given}); "
            "compare a file with a file or a directory with a directory"
        )
    if not old.path.is_dir():
        return [(old.path, new.path)], []
    old_files = _found(old.path, exclude)
    new_files = _found(new.path, exclude)
    out = [(old.path / rel, new.path / rel) for rel in old_files if rel in new_files]
    notes = [
        f"{old.given}: {rel} has no counterpart in {new.given} (removed or renamed?): not compared"
        for rel in sorted(set(old_files) - set(new_files))
    ]
    notes += [
        f"{new.given}: {rel} is new (not in {old.given}): nothing to compare"
        for rel in sorted(set(new_files) - set(old_files))
    ]
    if not out:
        raise LoadError(f"no OpenAPI description is in both {old.given} and {new.given}")
    return out, notes


def _found(directory: Path, exclude: Iterable[str]) -> list[str]:
    try:
        files = expand([str(directory)], exclude)
    except ApilintError:
        return []
    return [Path(os.path.relpath(f, directory)).as_posix() for f in files]


def compare_pair(
    old_side: Side, old_path: Path, new_side: Side, new_path: Path, settings: DiffSettings
) -> tuple[list[Finding], list[str], str]:
    """Findings and notes for one pair, and the new side's report name."""
    old = load(old_side, old_path, settings)
    new = load(new_side, new_path, settings)
    comparison = Comparison(old, new, Options(framework=settings.framework))
    changes = comparison.run()
    notes = list(comparison.notes)
    findings = to_findings(changes.all(), new, settings)
    if not changes.all():
        if _same(old, new):
            notes.append(f"no changes: {old.root.name} and {new.root.name} are identical")
        else:
            notes.append(
                f"no changes to operations, parameters, bodies, responses or security between "
                f"{old.root.name} and {new.root.name} (they differ elsewhere: descriptions, "
                "examples, extensions...)"
            )
    for api in (old, new):
        if api.resolver.skipped_remote:
            notes.append(
                f"{api.root.name}: {len(api.resolver.skipped_remote)} remote $ref(s) not fetched "
                "(use --allow-remote-refs to follow them); what they hold was not compared"
            )
    return findings, notes, new.root.name


def _same(old: OpenAPI, new: OpenAPI) -> bool:
    old_docs = sorted(old.resolver.documents.values(), key=lambda d: d.name)
    new_docs = sorted(new.resolver.documents.values(), key=lambda d: d.name)
    return len(old_docs) == len(new_docs) and all(
        a.data == b.data for a, b in zip(old_docs, new_docs, strict=True)
    )


def to_findings(changes: list[Change], new: OpenAPI, settings: DiffSettings) -> list[Finding]:
    defaults = default_severities()
    kept: list[tuple[Change, Severity]] = []
    for change in changes:
        if change.rule in settings.ignore:
            continue
        severity = settings.severities.get(change.rule, defaults.get(change.rule))
        if change.rule not in settings.severities and severity and change.severity:
            severity = min(severity, change.severity)
        if severity is None or _suppressed(change):
            continue
        kept.append((change, severity))
    by_doc: dict[int, list[tuple[str | int, ...]]] = {}
    docs: dict[int, Document] = {}
    for change, _ in kept:
        by_doc.setdefault(id(change.doc), []).append(change.ptr)
        docs[id(change.doc)] = change.doc
    positions = {key: docs[key].locate_many(ptrs) for key, ptrs in by_doc.items()}
    new_docs = {id(d) for d in new.resolver.documents.values()}
    findings = []
    for change, severity in kept:
        line, column = positions[id(change.doc)][change.ptr]
        findings.append(
            Finding(
                rule=change.rule,
                severity=severity,
                message=change.message + _users(change),
                file=change.doc.name,
                line=line,
                column=column,
                pointer=encode(change.ptr),
                operation=change.operations[0] if change.operations else None,
                extra={"side": "new" if id(change.doc) in new_docs else "old"},
            )
        )
    findings.sort(key=Finding.sort_key)
    return findings


def _users(change: Change) -> str:
    """For a change written outside the paths (a shared component): the operations it reaches."""
    ops = change.operations
    if not ops or change.ptr[:1] == ("paths",):
        return ""
    if len(ops) == 1:
        return f" (in {ops[0]})"
    others = len(ops) - 1
    return f" (in {ops[0]} and {others} other operation{'s' * (others != 1)})"


def _suppressed(change: Change) -> bool:
    """``x-apilint-ignore: [rule]`` (or ``all``) on the object where the change is written, or
    on any object above it, silences the change."""
    return any(
        entry in (change.rule, "all") for _, entry in entries_along(change.doc.data, change.ptr)
    )
