"""Helpers for the traffic tests: the hand-written samples, and a report computed in-process."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from apilint.reports import renderer
from apilint.traffic.analysis import AnalysisOptions, analyse
from apilint.traffic.logformats import ParseOptions
from apilint.traffic.matcher import Matcher, load_spec
from apilint.traffic.report import Thresholds, build_report, hints

DATA = Path(__file__).resolve().parent / "data"
SHOP = DATA / "shop.yaml"


def traffic_json(
    spec: Path | str,
    logs: Sequence[Path | str],
    *,
    log_format: str = "auto",
    json_fields: dict[str, str] | None = None,
    time_unit: str = "auto",
    base_paths: Sequence[str] = (),
    thresholds: Thresholds | None = None,
    notes: list[str] | None = None,
) -> dict[str, Any]:
    """The JSON report ``apilint traffic -f json`` would print, computed in this process."""
    api = load_spec(str(spec))
    matcher = Matcher(api, list(base_paths) or None)
    options = AnalysisOptions(
        log_format=log_format,
        parse=ParseOptions(time_unit=time_unit, json_fields=json_fields or {}),
    )
    aggregator = analyse(matcher, [str(p) for p in logs], options, notes)
    report = build_report(api, matcher, aggregator, thresholds or Thresholds())
    if notes is not None:
        notes.extend(hints(aggregator, matcher))
    result: dict[str, Any] = json.loads(renderer("json", "traffic")(report))
    return result


def usage_of(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {row["operation"]: row for row in report["usage"]}


def rules_of(report: dict[str, Any]) -> list[tuple[str, str | None]]:
    return sorted((f["rule"], f["operation"]) for f in report["findings"])


def write_spec(tmp_path: Path, body: str, name: str = "api.yaml") -> Path:
    import textwrap

    path = tmp_path / name
    path.write_text(textwrap.dedent(body).lstrip(), encoding="utf-8")
    return path


def write_log(tmp_path: Path, lines: Sequence[str], name: str = "access.log") -> Path:
    path = tmp_path / name
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def clf(method: str, target: str, status: int, extra: str = "") -> str:
    """A combined-format line (NGINX's default plus ``extra``)."""
    return (
        f'203.0.113.9 - - [28/Nov/2026:10:00:00 +0000] "{method} {target} HTTP/1.1" {status} 10 '
        f'"-" "test-agent/1.0"{extra}'
    )
