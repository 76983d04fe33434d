"""The whole of ``apilint infer`` without the command line: logs in, a description out."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

from apilint.infer.document import Source, build
from apilint.infer.observe import AUTO, collect
from apilint.infer.shapes import LeftOut, clean
from apilint.infer.templates import templated
from apilint.traffic.logformats import ParseOptions

DEFAULT_TITLE = "Inferred API"


@dataclass(frozen=True)
class InferOptions:
    log_format: str = AUTO
    parse: ParseOptions = field(default_factory=ParseOptions)
    title: str = DEFAULT_TITLE
    spec: str | None = None
    """``--spec``: merge into this description instead of writing a new one."""


@dataclass
class Inference:
    document: dict[str, Any]
    requests: int
    operations: list[str]
    """``METHOD /path`` of every operation inferred (added, with ``--spec``)."""
    left_out: list[LeftOut]
    notes: list[str]
    documented: int = 0
    """With ``--spec``: requests of operations the description already has."""
    interrupted: bool = False


def infer(logs: Sequence[str], options: InferOptions = InferOptions()) -> Inference:
    """Infer a description from ``logs`` (paths, or ``-``). Raises LogError (logs), LoadError
    (``--spec``) or ConfigError, each with a one-line message."""
    api = None
    if options.spec is not None:
        from apilint.traffic.matcher import load_spec

        api = load_spec(options.spec)  # before reading gigabytes of logs
        paths = api.data.get("paths", {})
        if not isinstance(paths, dict):
            from apilint.core.errors import LoadError

            raise LoadError("'paths' is not a mapping: nothing to merge into", file=options.spec)
    notes: list[str] = []
    collector = collect(logs, options.log_format, options.parse, notes)
    if collector.unparsed:
        first = collector.samples[0] if collector.samples else None
        detail = f" (first: {first.file}:{first.line}: {first.reason})" if first else ""
        notes.append(f"{collector.unparsed} lines were not requests and were skipped{detail}")
    cleaned = clean(collector.tallies)
    if cleaned.options:
        notes.append(f"{cleaned.options} OPTIONS requests left out (preflights, not operations)")
    if cleaned.head:
        notes.append(f"{cleaned.head} HEAD requests counted with GET on the same path")
    for method, redirected, answered, n in cleaned.redirects:
        notes.append(
            f"{method} {redirected}: every request ({n}) was redirected; described as "
            f"{answered}, the form that answered"
        )
    left_out = list(cleaned.left_out)
    moments = [t.first for t in cleaned.tallies.values() if t.first is not None]
    lasts = [t.last for t in cleaned.tallies.values() if t.last is not None]
    source = Source(
        logs=[log.file for log in collector.logs],
        requests=collector.requests,
        first=min(moments) if moments else None,
        last=max(lasts) if lasts else None,
    )
    if api is not None:
        from apilint.infer.merge import merge

        merged = merge(api, cleaned.tallies)
        left_out += merged.left_out
        return Inference(
            merged.document,
            collector.requests,
            merged.added,
            left_out,
            notes,
            documented=merged.documented,
            interrupted=collector.interrupted,
        )
    ops = templated(cleaned.tallies)
    document = build(ops, options.title, source)
    return Inference(
        document,
        collector.requests,
        [f"{op.method} {op.path}" for op in ops],
        left_out,
        notes,
        interrupted=collector.interrupted,
    )


def dump(document: dict[str, Any], as_json: bool = False) -> str:
    if as_json:
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    text: str = yaml.safe_dump(
        document, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False
    )
    return text
