"""A cache of lint results, so that a re-run on unchanged files costs reading them and nothing more.

One entry per linted file, keyed by what decides its findings: apilint itself (its version and,
for a development checkout, its code and built-in rulesets), the effective settings (active rules
with their severities and options, overrides, load limits, $ref options), the user's own ruleset
files and check modules, and the file's bytes. An entry also lists every other file the
description read through ``$ref``, with a hash of each: a changed or vanished referenced file is
a miss. Descriptions that read remote ``$ref``s are never cached.

The cache is plain JSON (never pickle: a cache folder committed to a repository must not run
code), written atomically; an entry that cannot be read or parsed is a miss, and a folder that
cannot be written turns the cache off for the run with one note, never a wrong report.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import stat
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from apilint import __version__
from apilint.core.findings import Finding, Severity

if TYPE_CHECKING:
    from apilint.lint.engine import Linter

FORMAT = 2
"""The entry layout; a change makes old entries misses."""

DEFAULT_DIR = ".apilint_cache"


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=20).hexdigest()


def file_digest(path: Path) -> str | None:
    """A hash of a regular file's bytes; None for anything else (opening a FIFO would block)."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None
        with open(path, "rb") as handle:
            return hashlib.file_digest(handle, lambda: hashlib.blake2b(digest_size=20)).hexdigest()
    except OSError:
        return None


def _code_fingerprint() -> list[Any]:
    """apilint's own code and built-in rules as installed: size and mtime of each file, so a
    development checkout's edits invalidate the cache as a version bump does."""
    from apilint.lint.rulesets import builtin_rules_dir

    package = Path(__file__).resolve().parent.parent
    out: list[Any] = [__version__]
    for folder, pattern in ((package, "**/*.py"), (builtin_rules_dir(), "*.yaml")):
        for path in sorted(folder.glob(pattern)):
            try:
                info = path.stat()
            except OSError:
                continue
            out.append((str(path.relative_to(folder)), info.st_size, info.st_mtime_ns))
    return out


def settings_key(linter: Linter) -> str:
    """What, besides the file itself, decides the findings of a lint with ``linter``."""
    config = linter.config
    user_files: set[str] = set()
    rules: list[Any] = []
    for active in linter.rules:
        rule = active.rule
        if not rule.builtin and rule.source:
            user_files.add(rule.source)
        steps = []
        for step in active.steps:
            module = getattr(step.function.run, "__module__", "")
            if not module.startswith("apilint."):
                path = getattr(__import__("sys").modules.get(module), "__file__", None)
                if path:
                    user_files.add(path)
            steps.append([step.function.name, step.field, step.options])
        rules.append([rule.id, active.severity.label, active.configured, rule.message, steps])
    material = {
        "format": FORMAT,
        "code": _code_fingerprint(),
        "rules": rules,
        "overrides": repr(config.overrides),
        "load": repr(linter.load_options),
        "remote": linter.allow_remote_refs,
        "ref_root": str(linter.ref_root or ""),
        "user_files": sorted((p, file_digest(Path(p))) for p in user_files),
    }
    return _digest(json.dumps(material, sort_keys=True, default=repr).encode())


class Cache:
    """Lint results by file, under ``directory``."""

    def __init__(self, directory: Path, key: str) -> None:
        self.directory = directory
        self.key = key
        self.notes: list[str] = []
        self.enabled = True

    def _entry(self, path: Path, digest: str) -> Path:
        name = _digest(f"{self.key}\0{path}\0{digest}".encode())
        return self.directory / name[:2] / f"{name}.json"

    def get(self, path: Path, shown: str) -> tuple[list[Finding], list[str]] | None:
        """The cached findings and notes of ``path`` (shown as ``shown``), or None."""
        if not self.enabled:
            return None
        digest = file_digest(path)
        if digest is None:
            return None
        entry = self._entry(path.resolve(), digest)
        try:
            data = json.loads(entry.read_text(encoding="utf-8"))
            if data["shown"] != shown:
                return None
            for source, expected in data["sources"]:
                if file_digest(Path(source)) != expected:
                    return None
            findings = [_finding(item) for item in data["findings"]]
            notes = [str(note) for note in data["notes"]]
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError):
            # A damaged entry is a miss; the next write replaces it.
            return None
        return findings, notes

    def put(
        self,
        path: Path,
        shown: str,
        findings: list[Finding],
        notes: list[str],
        sources: list[Path],
    ) -> None:
        """Record the outcome of linting ``path``, which read ``sources`` besides itself."""
        if not self.enabled:
            return
        digest = file_digest(path)
        if digest is None:
            return
        read: list[list[str]] = []
        for source in sources:
            source_digest = file_digest(source)
            if source_digest is None:
                return  # it vanished while we linted: nothing trustworthy to record
            read.append([str(source), source_digest])
        entry = self._entry(path.resolve(), digest)
        data = {
            "shown": shown,
            "sources": read,
            "findings": [_finding_dict(f) for f in findings],
            "notes": notes,
        }
        try:
            entry.parent.mkdir(parents=True, exist_ok=True)
            ignore = self.directory / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# written by apilint: never commit the cache\n*\n")
            fd, temporary = tempfile.mkstemp(dir=entry.parent, suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(data, handle, ensure_ascii=False, separators=(",", ":"))
            os.replace(temporary, entry)
        except OSError as exc:
            self.enabled = False
            self.notes.append(
                f"the cache folder {self.directory} cannot be written ({exc.strerror or exc}); "
                "linting without a cache"
            )


def _finding_dict(finding: Finding) -> dict[str, Any]:
    """Every field of a Finding (the severity by its label), so that a cached finding is the
    finding, whatever fields it gains."""
    out = {f.name: getattr(finding, f.name) for f in dataclasses.fields(Finding)}
    out["severity"] = finding.severity.label
    return out


def _finding(item: dict[str, Any]) -> Finding:
    values = {f.name: item[f.name] for f in dataclasses.fields(Finding) if f.name in item}
    values["severity"] = Severity.parse(item["severity"])
    return Finding(**values)
