"""Baselines: adopt apilint on an existing API and fail only on new problems.

``--write-baseline FILE`` records today's findings; ``--baseline FILE`` hides them and reports the
rest. A finding is matched by rule, file and JSON pointer, never by line or column (which move as
soon as anything above is edited) nor by message (whose wording may improve between releases).
Several findings of one rule at one pointer are counted: with 2 recorded and 3 found, one is new
(one whose message was not recorded, if any). Entries that no longer match are *stale*: the
problem was fixed, so the entry can go (``--report-stale-baseline`` lists them and fails).

Files are recorded relative to the baseline file's own directory, with ``/`` separators, so the
baseline means the same whatever directory apilint runs from (the repository root for CI, a
sub-directory for a developer, pre-commit's root for hooks) and on every platform. Rule ids are
matched through the ruleset's aliases: a renamed rule keeps its baseline.

The file is JSON, sorted, one entry per (rule, file, pointer), meant to be committed and reviewed::

    {
      "tool": "apilint",
      "version": 1,
      "findings": [
        {"file": "api/openapi.yaml", "pointer": "/paths/~1users/get", "rule": "operation-id",
         "count": 1, "messages": ["Operation has no operationId"]}
      ]
    }
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from apilint.core.errors import ConfigError, read_problem
from apilint.core.findings import Finding

FORMAT_VERSION = 1

Key = tuple[str, str, str]
"""(rule, file relative to the baseline's directory, JSON pointer)."""


@dataclass
class Entry:
    count: int
    messages: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class StaleEntry:
    rule: str
    file: str
    pointer: str
    recorded: int
    found: int

    def describe(self) -> str:
        where = self.pointer or "(document root)"
        return (
            f"{self.file} {where} {self.rule}: recorded {self.recorded}, found {self.found}"
            " (fixed? remove it or rewrite the baseline)"
        )


@dataclass
class Outcome:
    """What a baseline did to a run's findings."""

    new: list[Finding]
    hidden: int
    stale: list[StaleEntry]

    def to_dict(self, path: Path) -> dict[str, Any]:
        return {
            "file": str(path),
            "hidden": self.hidden,
            "stale": [
                {
                    "rule": s.rule,
                    "file": s.file,
                    "pointer": s.pointer,
                    "recorded": s.recorded,
                    "found": s.found,
                }
                for s in self.stale
            ],
        }


@dataclass
class Baseline:
    path: Path
    entries: dict[Key, Entry] = field(default_factory=dict)

    @property
    def directory(self) -> Path:
        return Path(os.path.abspath(self.path)).parent

    def key_file(self, file: str, cwd: Path | None = None) -> str:
        """A finding's file (as reported: relative to ``cwd``, or absolute) relative to the
        baseline's directory, with ``/`` separators."""
        if "://" in file:
            return file
        absolute = os.path.normpath(os.path.join(cwd or Path.cwd(), file))
        try:
            relative = os.path.relpath(absolute, self.directory)
        except ValueError:  # another drive on Windows
            return Path(absolute).as_posix()
        return Path(relative).as_posix()

    def key(self, finding: Finding, cwd: Path | None = None) -> Key:
        return (finding.rule, self.key_file(finding.file, cwd), finding.pointer)

    @property
    def total(self) -> int:
        return sum(entry.count for entry in self.entries.values())

    # -- recording ------------------------------------------------------------------------------

    @classmethod
    def record(cls, path: Path, findings: Iterable[Finding], cwd: Path | None = None) -> Baseline:
        baseline = cls(path)
        for finding in findings:
            entry = baseline.entries.setdefault(baseline.key(finding, cwd), Entry(0))
            entry.count += 1
            entry.messages.append(finding.message)
        return baseline

    def to_json(self) -> str:
        items = []
        for (rule, file, pointer), entry in sorted(
            self.entries.items(), key=lambda item: (item[0][1], item[0][2], item[0][0])
        ):
            items.append(
                {
                    "file": file,
                    "pointer": pointer,
                    "rule": rule,
                    "count": entry.count,
                    "messages": sorted(entry.messages),
                }
            )
        data = {"tool": "apilint", "version": FORMAT_VERSION, "findings": items}
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"

    def write(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_text(self.to_json(), encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"cannot write baseline {self.path}: {exc.strerror or exc}") from None

    # -- reading --------------------------------------------------------------------------------

    @classmethod
    def load(cls, path: Path, canonical: Callable[[str], str | None] | None = None) -> Baseline:
        """Read a baseline; rule ids go through ``canonical`` (aliases -> current ids).

        A missing or malformed file is a ConfigError with a one-line message.
        """
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise ConfigError(
                f"baseline file not found: {path} (create it with --write-baseline)"
            ) from None
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"cannot read baseline {path}: {read_problem(exc)}") from None
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ConfigError(
                f"{path}:{exc.lineno}:{exc.colno}: the baseline is not valid JSON: {exc.msg}"
            ) from None
        return cls.parse(path, data, canonical)

    @classmethod
    def parse(
        cls, path: Path, data: Any, canonical: Callable[[str], str | None] | None = None
    ) -> Baseline:
        where = f"baseline {path}"
        if not isinstance(data, dict) or not isinstance(data.get("findings"), list):
            raise ConfigError(f"{where}: expected an object with a 'findings' list")
        version = data.get("version", FORMAT_VERSION)
        if version != FORMAT_VERSION:
            raise ConfigError(
                f"{where}: format version {version!r} is not supported (this apilint writes "
                f"version {FORMAT_VERSION}; rewrite it with --write-baseline)"
            )
        baseline = cls(path)
        for index, item in enumerate(data["findings"]):
            at = f"{where}: findings[{index}]"
            if not isinstance(item, dict):
                raise ConfigError(f"{at} must be an object")
            for name in ("rule", "file", "pointer"):
                if not isinstance(item.get(name), str):
                    raise ConfigError(f"{at}: '{name}' must be a string")
            count = item.get("count", 1)
            if not isinstance(count, int) or isinstance(count, bool) or count < 1:
                raise ConfigError(f"{at}: 'count' must be a positive integer")
            messages = item.get("messages", [])
            if not isinstance(messages, list) or not all(isinstance(m, str) for m in messages):
                raise ConfigError(f"{at}: 'messages' must be a list of strings")
            rule = item["rule"]
            if canonical is not None:
                rule = canonical(rule) or rule  # a removed rule: its entries simply go stale
            entry = baseline.entries.setdefault((rule, item["file"], item["pointer"]), Entry(0))
            entry.count += count
            entry.messages.extend(messages)
        return baseline

    # -- applying -------------------------------------------------------------------------------

    def apply(
        self,
        findings: Sequence[Finding],
        checked_files: Iterable[str] = (),
        cwd: Path | None = None,
    ) -> Outcome:
        """Hide the recorded findings; return the new ones and the stale entries.

        An entry is judged stale only when its file was among ``checked_files`` or had a finding
        in this run: linting a few files (pre-commit, --changed-since) never makes the rest of
        the baseline look stale.
        """
        groups: dict[Key, list[Finding]] = {}
        for finding in findings:
            groups.setdefault(self.key(finding, cwd), []).append(finding)
        hidden_ids: set[int] = set()
        for key, group in groups.items():
            entry = self.entries.get(key)
            if entry is None:
                continue
            known = Counter(entry.messages)
            # Hide findings whose message was recorded first, so a new message is what shows.
            recorded: list[Finding] = []
            others: list[Finding] = []
            for finding in group:
                (recorded if _take(known, finding.message) else others).append(finding)
            hidden_ids.update(id(finding) for finding in [*recorded, *others][: entry.count])
        new = [f for f in findings if id(f) not in hidden_ids]
        judged = {self.key_file(file, cwd) for file in checked_files}
        judged.update(key[1] for key in groups)
        stale = []
        for key, entry in sorted(self.entries.items(), key=lambda item: (item[0][1], item[0][2])):
            rule, file, pointer = key
            if file not in judged:
                continue
            found = len(groups.get(key, ()))
            if found < entry.count:
                stale.append(StaleEntry(rule, file, pointer, entry.count, found))
        return Outcome(new=new, hidden=len(hidden_ids), stale=stale)


def _take(counter: Counter[str], message: str) -> bool:
    if counter[message] > 0:
        counter[message] -= 1
        return True
    return False
