"""operation-tags: operations outside the tag structure (no tags, or tags the top-level list
does not declare).

One of the hygiene rules (rules/hygiene.yaml) that Spectral's ``spectral:oas`` and Redocly's
``recommended`` rulesets have too; docs/rules-coverage.md says why these five."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from apilint.documents.openapi import Node, Result
from apilint.lint.checks import Context, Option, check, did_you_mean


@check(
    "operation_tags",
    requireTags=Option(
        bool, True, "Report operations without tags (when the other operations have some)."
    ),
    requireDeclared=Option(
        bool,
        True,
        "Report tags that operations use but the top-level tags list does not declare (only "
        "when the document has such a list).",
    ),
)
def operation_tags(
    targets: Sequence[Node], options: Mapping[str, Any], ctx: Context
) -> Iterator[Result]:
    """Operations have tags, and the tags they use are declared at the top level."""
    api = ctx.api
    ops = list(api.operations)
    tagged = [op for op in ops if isinstance(op.value.get("tags"), list) and op.value["tags"]]
    if options["requireTags"] and tagged:
        untagged = [
            op for op in ops if not (isinstance(op.value.get("tags"), list) and op.value["tags"])
        ]
        if len(untagged) > len(tagged):
            # Nearly the whole API is untagged: one decision to take, one finding.
            shown = ", ".join(op.label for op in untagged[:2])
            yield untagged[0].node.finding(
                f"{len(untagged)} of the {len(ops)} operations have no tags ({shown}, ...), "
                f"while {len(tagged)} have"
            )
        else:
            for op in untagged:
                yield op.node.finding(
                    f"{op.label} has no tags, while {len(tagged)} of the {len(ops)} operations have"
                )
    declared_node = api.node("tags")
    if not options["requireDeclared"] or not isinstance(declared_node.value, list):
        return
    if not declared_node.value:
        return  # "tags: []" declares nothing, like no list at all
    declared = [t.get("name") for t in declared_node.value if isinstance(t, dict)]
    names = [n for n in declared if isinstance(n, str)]
    uses: dict[str, list[Node]] = {}
    for op in tagged:
        for index, tag in enumerate(op.value["tags"]):
            if isinstance(tag, str) and tag not in names:
                uses.setdefault(tag, []).append(op.node.child("tags", index))
    for tag, sites in uses.items():
        count = f"used by {len(sites)} operations" if len(sites) > 1 else "used here"
        yield sites[0].finding(
            f"tag '{tag}' ({count}) is not in the top-level tags list"
            f"{did_you_mean(tag, names)}; declare it there"
        )
