"""Speed regression guard that counts work instead of seconds, so it never flakes on a busy CI box.

Every rule is run on a generated description and on one four times its size; the number of
Python lines each rule executes (counted with sys.settrace, loop iterations included, and
deterministic for the same input) must grow about four times, not sixteen: a rule that compares
every path with every other path, or re-walks the document per operation, fails here long before
users feel it on GitHub's 1,223 operations. The loader and the engine around the rules are
counted too. Work done inside one C call (json.loads, set(list)) counts as one line: a quadratic
cost hidden there needs the real descriptions of bench/bench.py to show.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from apilint.documents.loader import load_document
from apilint.lint import engine
from apilint.lint.engine import Linter
from apilint.settings.config import Config

GROWTH = 4
# Linear work grows 4x; allow for n log n sorting and fixed costs that make small inputs look
# cheaper, while a quadratic rule (16x) fails clearly.
LIMIT = 7.0
# Rules this cheap are dominated by constant costs; their ratio says nothing.
MIN_CALLS = 2_000


def generated_spec(resources: int) -> dict[str, Any]:
    """A description with ``resources`` collections, each with item, sub-collection and action
    paths, shared components, examples and a few planted problems, so every rule has work."""
    paths: dict[str, Any] = {}
    schemas: dict[str, Any] = {}
    for n in range(resources):
        name = f"widget{n}s"
        schema = f"Widget{n}"
        schemas[schema] = {
            "type": "object",
            "required": ["id", "name"],
            "properties": {
                "id": {"type": "integer", "example": n},
                "name": {"type": "string", "example": f"w{n}"},
                "parts": {"type": "array", "items": {"$ref": f"#/components/schemas/Part{n}"}},
            },
        }
        schemas[f"Part{n}"] = {"type": "object", "properties": {"size": {"type": "number"}}}
        # Unused components that refer to each other: unused-component groups them.
        schemas[f"Legacy{n}"] = {
            "type": "object",
            "properties": {"part": {"$ref": f"#/components/schemas/LegacyPart{n}"}},
        }
        schemas[f"LegacyNote{n}"] = {"type": "string"}
        schemas[f"LegacyPart{n}"] = {
            "type": "object",
            "properties": {"w": {"$ref": f"#/components/schemas/LegacyNote{n}"}},
        }
        ok = {
            "description": "ok",
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
        }
        # Templates that all cross each other (a literal where the others have a parameter):
        # path-ambiguous compared every pair of them once, n² work and memory.
        paths[f"/v1/lookup{n}/{{key}}"] = {"get": {"responses": {"200": {"description": "ok"}}}}
        paths[f"/v1/{{scope}}/summary{n}"] = {"get": {"responses": {"200": {"description": "ok"}}}}
        paths[f"/v1/{name}"] = {
            "get": {
                "operationId": f"list{schema}",
                "tags": ["w"],
                "parameters": [{"$ref": "#/components/parameters/Limit"}],
                "responses": {"200": ok},
            },
            "post": {
                "operationId": f"create{schema}",
                "tags": ["w"],
                "requestBody": {
                    "content": {
                        "application/json": {
                            "schema": {"$ref": f"#/components/schemas/{schema}"},
                            "example": {"id": "x"},
                        }
                    }
                },
                "responses": {"200": ok},
            },
        }
        item = {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}
        paths[f"/v1/{name}/{{id}}"] = {
            "parameters": [item],
            "get": {
                "operationId": f"get{schema}",
                "tags": ["w"],
                "responses": {"200": ok, "404": {"$ref": "#/components/responses/NotFound"}},
            },
            "delete": {
                "operationId": f"delete{schema}",
                "tags": ["w"],
                "responses": {"204": {"description": "gone"}},
            },
        }
        paths[f"/v1/{name}/{{id}}/parts/"] = {
            "parameters": [item],
            "get": {"tags": ["w"], "responses": {"200": ok}},
        }
        paths[f"/v1/{name}/{{id}}/cancel"] = {
            "parameters": [item],
            "get": {"operationId": f"cancel{schema}", "responses": {"200": ok}},
        }
        paths[f"/v1/get{schema}Info/{{wid}}"] = {
            "get": {"operationId": f"info{schema}", "responses": {"200": ok}}
        }
    return {
        "openapi": "3.0.3",
        "info": {"title": "Widgets", "version": "1"},
        "servers": [{"url": "https://api.example.com/"}],
        "tags": [{"name": "w"}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "parameters": {
                "Limit": {"name": "limit", "in": "query", "schema": {"type": "integer"}}
            },
            "responses": {
                "NotFound": {"description": "missing"},
                "Unused": {"description": "never used"},
            },
        },
    }


def clear_caches() -> None:
    """Empty apilint's memo caches, so that both documents start cold (a cache warmed by the
    small one would make the large one look cheaper than it is)."""
    for name, module in list(sys.modules.items()):
        if not name.startswith("apilint"):
            continue
        for value in vars(module).values():
            clear = getattr(value, "cache_clear", None)
            if callable(clear):
                clear()


def count_calls(path: Path, monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Python lines executed per rule (and for loading and the engine's own work)."""
    counts: Counter[str] = Counter()
    current = ["engine"]

    def tracer(frame: Any, event: str, arg: Any) -> Any:
        if event == "line":
            counts[current[0]] += 1
        return tracer

    original = engine.Linter._run_rule

    def run_rule(self: Linter, active: Any, *args: Any) -> Any:
        results = []
        previous = current[0]
        current[0] = active.id
        try:
            results = list(original(self, active, *args))
        finally:
            current[0] = previous
        return iter(results)

    monkeypatch.setattr(engine.Linter, "_run_rule", run_rule)
    linter = Linter(Config(), select=["all"])
    linter.lint_file(path)  # imports everything lazily imported (module code is not rule work)
    clear_caches()
    linter = Linter(Config(), select=["all"])
    sys.settrace(tracer)
    try:
        current[0] = "loading"
        doc = load_document(path)
        current[0] = "engine"
        linter.lint_document(doc)
    finally:
        sys.settrace(None)
    return counts


def test_work_grows_linearly_with_the_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    small, large = tmp_path / "small.json", tmp_path / "large.json"
    small.write_text(json.dumps(generated_spec(15), indent=1))
    large.write_text(json.dumps(generated_spec(15 * GROWTH), indent=1))
    before = count_calls(small, monkeypatch)
    after = count_calls(large, monkeypatch)
    judged = {
        name: after[name] / before[name]
        for name in after
        if after[name] >= MIN_CALLS and before[name]
    }
    assert "loading" in judged and "example-invalid" in judged, judged
    too_steep = {name: round(ratio, 1) for name, ratio in judged.items() if ratio > LIMIT}
    assert not too_steep, f"work grew faster than linearly ({GROWTH}x input): {too_steep}"


def test_the_guard_catches_quadratic_work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The guard itself: a rule that compares every path with every other one is caught."""
    from apilint.lint.checks import _REGISTRY, CheckFunction

    def overlaps(a: str, b: str) -> bool:
        return a.count("/") == b.count("/")

    def pairwise(targets: Any, options: Any, ctx: Any) -> Any:
        paths = [item.path for item in ctx.api.path_items]
        for a in paths:
            for b in paths:
                overlaps(a, b)
        return iter(())

    monkeypatch.setitem(_REGISTRY, "ambiguous_paths", CheckFunction("ambiguous_paths", pairwise))
    small, large = tmp_path / "small.json", tmp_path / "large.json"
    small.write_text(json.dumps(generated_spec(15)))
    large.write_text(json.dumps(generated_spec(15 * GROWTH)))
    ratio = (
        count_calls(large, monkeypatch)["path-ambiguous"]
        / count_calls(small, monkeypatch)["path-ambiguous"]
    )
    assert ratio > LIMIT
