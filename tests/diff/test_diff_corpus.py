"""Real descriptions: two published versions of Adyen's Checkout API, and GitHub's description
against itself with operations removed (every removal found, nothing else)."""

from __future__ import annotations

import json
import random
from pathlib import Path

from diff_support import diff_paths

from apilint.openapi import HTTP_METHODS


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
