"""Real descriptions: two published versions of Adyen's Checkout API, and GitHub's description
against itself with operations removed (every removal found, nothing else)."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest
from diff_support import diff_paths

from apilint.documents.openapi import HTTP_METHODS


def test_adyen_checkout_v70_to_v71(corpus: Path) -> None:
    old = corpus / "v31" / "adyen.com__CheckoutService.json"  # v70, per its servers and x-origin
    new = corpus / "v31" / "adyen.com__CheckoutService-v71.json"
    findings, _ = diff_paths(old, new)
    # The only change that breaks clients is the version in the server URL; request properties
    # removed from /donations and a response property added are not breaks.
    assert [(f.rule, f.pointer) for f in findings] == [
        ("server-base-path-changed", "/servers/0/url")
    ]


def test_github_with_operations_removed(corpus: Path, tmp_path: Path) -> None:
    data = json.loads((corpus / "github" / "api.github.com.json").read_text(encoding="utf-8"))
    operations = [
        (path, method)
        for path, item in data["paths"].items()
        for method in item
        if method in HTTP_METHODS
    ]
    removed = random.Random(15).sample(operations, 12)
    for path, method in removed:
        del data["paths"][path][method]
    emptied = {p for p, item in data["paths"].items() if not set(item) & set(HTTP_METHODS)}
    for path in emptied:
        del data["paths"][path]
    new = tmp_path / "github.json"
    new.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    findings, _ = diff_paths(corpus / "github" / "api.github.com.json", new)
    expected = {("path-removed", path) for path in emptied} | {
        ("operation-removed", f"{method.upper()} {path}")
        for path, method in removed
        if path not in emptied
    }
    got = {(f.rule, f.message.removeprefix("path ").removesuffix(" was removed")) for f in findings}
    assert got == expected


def _rename_schemas(data: dict[str, object]) -> None:
    """Every component schema under a new name, and every $ref to it rewritten."""
    components = data["components"]
    assert isinstance(components, dict)
    prefix = "#/components/schemas/"
    components["schemas"] = {f"Renamed{k}": v for k, v in components["schemas"].items()}
    stack: list[object] = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith(prefix):
                node["$ref"] = prefix + "Renamed" + ref[len(prefix) :]
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)


@pytest.mark.parametrize(
    "name",
    [
        "v31/adyen.com__CheckoutService-v71.json",
        "bulk/spotify.com.json",
        "bulk/squareup.com.json",
    ],
)
def test_renamed_components_are_no_change(corpus: Path, tmp_path: Path, name: str) -> None:
    """$refs are compared by what they resolve to: new names for the same schemas change
    nothing (the same held for all 214 descriptions of bulk/ and v31/ when this was written)."""
    source = corpus / name
    data = json.loads(source.read_text(encoding="utf-8"))
    _rename_schemas(data)
    renamed = tmp_path / source.name
    renamed.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    findings, notes = diff_paths(source, renamed)
    assert findings == []
    assert not any(note.startswith("no changes:") for note in notes)  # they do differ
