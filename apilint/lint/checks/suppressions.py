"""Inline suppressions that no longer suppress anything, so they don't rot."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from apilint.documents.openapi import Node, Result
from apilint.lint.checks import Context, check
from apilint.lint.ignores import SUPPRESS_KEY


@check("unused_suppressions", reads_suppressions=True)
def unused_suppressions(
    targets: Sequence[Node], options: Mapping[str, Any], ctx: Context
) -> Iterator[Result]:
    """An ``x-apilint-ignore`` entry must name a known rule and silence at least one finding.

    Entries for rules that are not running (ignored, or not selected) are not judged: whether
    they would suppress something is unknown.
    """
    record = ctx.suppressions
    if record is None:
        return
    for doc, ptr, index, entry in record.entries:
        where = (*ptr, SUPPRESS_KEY, index)
        if entry != "all" and entry not in record.known_rules:
            yield Result(f"{SUPPRESS_KEY} names an unknown rule '{entry}'", doc, where)
        elif (id(doc), ptr, entry) in record.used:
            continue
        elif entry == "all" or entry in record.active_rules:
            yield Result(
                f"x-apilint-ignore entry '{entry}' suppresses nothing here; remove it",
                doc,
                where,
            )
