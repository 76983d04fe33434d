"""A cache of lint results, so that a re-run on unchanged files costs reading them and nothing more.

One entry per linted file, keyed by what decides its findings: apilint itself (its version and,
for a development checkout, its code and built-in rulesets), the effective settings (active rules
with their severities and options, overrides, load limits, $ref options), the user's own ruleset
files and check modules, and the file's bytes. An entry also lists every other file the
description read through ``$ref``, with a hash of each: a changed or vanished referenced file is
a miss. Descriptions that read remote ``$ref``s are never cached.

Building the linter (parsing the rulesets, importing every check module) costs more than reading
a cached result, so a run first looks for a *settings entry*: keyed by what the linter is built
from (apilint's code, the settings as given, the working directory), it holds the key the built
linter would have, the user's files that building it read (with their hashes) and what reports
say about each rule. When every file of a run is unchanged, the run answers from the cache
without building the linter at all.

The cache is plain JSON (never pickle: a cache folder committed to a repository must not run
code), written atomically; an entry that cannot be read or parsed is a miss, and a folder that
cannot be written turns the cache off for the run with one note, never a wrong report.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import hashlib
import json
import os
import stat
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from apilint import __version__
from apilint.core.findings import Finding, Severity
from apilint.reports import RuleInfo

if TYPE_CHECKING:
    from apilint.lint.engine import Linter

FORMAT = 3
"""The entry layout; a change makes old entries misses."""

DEFAULT_DIR = ".apilint_cache"


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=20).hexdigest()


def file_digest(path: Path) -> str | None:
    """The SHA-256 of a file's bytes (hardware-accelerated on current CPUs: about three times
    faster than BLAKE2 on a large description, and a warm run is mostly this hash)."""
    try:
        # Non-blocking, then only a regular file: a FIFO or a device named as a description is
        # never waited on here (the loader refuses it with its own error).
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return None
            return hashlib.file_digest(handle, "sha256").hexdigest()
        except OSError:
            return None


@functools.cache
def _code_fingerprint() -> tuple[Any, ...]:
    """apilint's own code and built-in rules as installed: size and mtime of each file, so a
    development checkout's edits invalidate the cache as a version bump does."""
    package = Path(__file__).resolve().parent.parent
    out: list[Any] = [__version__]
    # Both places the built-in rulesets may be (rulesets.builtin_rules_dir picks one): looking
    # at both keeps this free of the ruleset parser's imports.
    places = ((package, "**/*.py"), (package / "builtin_rules", "*.yaml"))
    for folder, pattern in (*places, (package.parent / "rules", "*.yaml")):
        for path in sorted(folder.glob(pattern)):
            try:
                info = path.stat()
            except OSError:
                continue
            out.append((str(path.relative_to(folder)), info.st_size, info.st_mtime_ns))
    return tuple(out)


def _write_json(target: Path, data: Any) -> None:
    """Write ``data`` to ``target`` atomically (a reader sees the old file or the new one)."""

    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False, separators=(",", ":"))
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def settings_fingerprint(given: str) -> str:
    """What a linter is built from: ``given`` (the settings' repr), apilint's code, Python and
    the working directory (relative paths in the settings mean something else elsewhere)."""
    material = [FORMAT, _code_fingerprint(), sys.version, os.getcwd(), given]
    return _digest(json.dumps(material, default=repr).encode())


def _settings_entry(directory: Path, fingerprint: str) -> Path:
    return directory / f"settings-{fingerprint}.json"


def remembered_settings(
    directory: Path, fingerprint: str
) -> tuple[str, dict[str, RuleInfo]] | None:
    """The cache key and the report's rule descriptions of the linter that settings with
    ``fingerprint`` build, while none of the files it read changed; None otherwise."""
    try:
        data = json.loads(_settings_entry(directory, fingerprint).read_text(encoding="utf-8"))
        for source, expected in data["sources"]:
            if file_digest(Path(source)) != expected:
                return None
        rules = {str(rule_id): RuleInfo(**info) for rule_id, info in data["rules"].items()}
        return str(data["key"]), rules
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None  # no entry, or a damaged one: build the linter


def remember_settings(directory: Path, fingerprint: str, linter: Linter, key: str) -> None:
    """Record what :func:`remembered_settings` answers for ``linter`` (best effort: a folder
    that cannot be written only means the next run builds the linter again)."""
    if linter.notes or any(active.rule.spectral is not None for active in linter.rules):
        # A Spectral ruleset reads files (extends, overrides) the sources do not list, and
        # notes must be printed again: such settings are always built, never remembered.
        return
    sources = []
    for path in sorted(set(linter.ruleset.sources)):
        digest = file_digest(path)
        if digest is None:
            return
        sources.append([str(path), digest])
    data = {
        "key": key,
        "sources": sources,
        "rules": {
            rule_id: dataclasses.asdict(info) for rule_id, info in linter.rule_infos().items()
        },
    }
    target = _settings_entry(directory, fingerprint)
    try:
        if target.is_file() and json.loads(target.read_text(encoding="utf-8")) == data:
            return
    except (OSError, ValueError):
        pass
    with contextlib.suppress(OSError):  # Cache.put says so when results cannot be written
        _write_json(target, data)


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
            _write_json(entry, data)
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
