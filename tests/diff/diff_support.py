"""Helpers for the diff tests: two descriptions written inline, compared in-process."""

from __future__ import annotations

from pathlib import Path

from conftest import spec_text

from apilint.core.findings import Finding
from apilint.diff.run import DiffSettings, compare_pair
from apilint.diff.sides import Side


def write_pair(tmp_path: Path, old: str, new: str, version: str = "3.0.3") -> tuple[Path, Path]:
    (tmp_path / "old").mkdir(exist_ok=True)
    (tmp_path / "new").mkdir(exist_ok=True)
    old_path = tmp_path / "old" / "openapi.yaml"
    new_path = tmp_path / "new" / "openapi.yaml"
    old_path.write_text(spec_text(old, version), encoding="utf-8")
    new_path.write_text(spec_text(new, version), encoding="utf-8")
    return old_path, new_path


def diff_paths(
    old_path: Path, new_path: Path, settings: DiffSettings | None = None
) -> tuple[list[Finding], list[str]]:
    findings, notes, _ = compare_pair(
        Side(str(old_path), old_path),
        old_path,
        Side(str(new_path), new_path),
        new_path,
        settings or DiffSettings(),
    )
    return findings, notes


def diff_specs(
    tmp_path: Path,
    old: str,
    new: str,
    *,
    version: str = "3.0.3",
    settings: DiffSettings | None = None,
) -> list[Finding]:
    old_path, new_path = write_pair(tmp_path, old, new, version)
    return diff_paths(old_path, new_path, settings)[0]


def rules(findings: list[Finding]) -> list[str]:
    return sorted(f.rule for f in findings)
