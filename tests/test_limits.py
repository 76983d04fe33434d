"""Resource limits: each refuses its input with one line naming the limit and how to raise it,
each can be raised, and inputs within the defaults lint through every rule."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from apilint.config import Config
from apilint.documents import LoadOptions, load_document
from apilint.engine import Linter
from apilint.errors import ApilintError, LoadError
from apilint.yaml_source import DEFAULT_MAX_DEPTH

HEADER = {"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}}


def nested(depth: int, leaf: object = 1) -> object:
    """``depth`` containers (alternating objects and arrays) around ``leaf``."""
    value = leaf
    for level in range(depth):
        value = {"a": value} if level % 2 else [value]
    return value


def document_with(depth: int, key: str = "x-deep") -> dict[str, object]:
    """A document whose nesting is exactly ``depth`` (the root object is level 1)."""
    return {**HEADER, key: nested(depth - 1)}


def lint_all(path: Path, options: LoadOptions | None = None) -> list[str]:
    findings, _ = Linter(Config(), select=["all"], load_options=options).lint_file(path)
    return [f.rule for f in findings]


# -- nesting depth ---------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_nesting_at_the_default_limit_lints_through_every_rule(tmp_path: Path, fmt: str) -> None:
    # "bad" (not an x- extension) makes spec-invalid report the deepest value back from Rust.
    data = document_with(DEFAULT_MAX_DEPTH, key="bad")
    path = tmp_path / f"api.{fmt}"
    path.write_text(json.dumps(data), encoding="utf-8")
    if fmt == "yaml":
        path.write_text(_block_yaml(data), encoding="utf-8")
    assert "spec-invalid" in lint_all(path)


def _block_yaml(data: object) -> str:
    import yaml

    return yaml.safe_dump(data, default_flow_style=False)


@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_json_one_level_too_deep_is_refused_where_it_gets_too_deep(
    tmp_path: Path, suffix: str
) -> None:
    # JSON used to go on to ~1,000 levels (Python's recursion limit) and crash spec-invalid
    # above 255; YAML stopped at 500. Both formats now share one limit.
    path = tmp_path / f"api{suffix}"
    path.write_text(json.dumps(document_with(DEFAULT_MAX_DEPTH + 1), indent=1), encoding="utf-8")
    with pytest.raises(LoadError) as caught:
        load_document(path)
    message = str(caught.value)
    assert message.endswith(
        f"nesting deeper than {DEFAULT_MAX_DEPTH} levels "
        "(raise it with --max-depth or 'max-depth' in the config)"
    )
    assert caught.value.line is not None
    assert caught.value.line > DEFAULT_MAX_DEPTH


def test_yaml_one_level_too_deep_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "api.yaml"
    path.write_text(_block_yaml(document_with(DEFAULT_MAX_DEPTH + 1)), encoding="utf-8")
    with pytest.raises(LoadError, match=f"nesting deeper than {DEFAULT_MAX_DEPTH} levels"):
        load_document(path)


def test_yaml_aliases_cannot_build_nesting_past_the_limit(tmp_path: Path) -> None:
    # Each line nests the previous anchor one level deeper: a 3-level parser stack, but data
    # 1,000 levels deep (it crashed spec-invalid with "Recursion limit reached").
    lines = ["openapi: 3.0.3", "info: {title: t, version: '1'}", "paths: {}", "x-a0: &a0 [1]"]
    lines += [f"x-a{i}: &a{i} [*a{i - 1}]" for i in range(1, 1000)]
    path = tmp_path / "api.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(LoadError, match="nesting deeper than 250 levels through aliases"):
        load_document(path)


def test_depth_limit_can_be_raised_and_lowered(tmp_path: Path) -> None:
    path = tmp_path / "api.json"
    path.write_text(json.dumps(document_with(40)), encoding="utf-8")
    with pytest.raises(LoadError, match="nesting deeper than 30 levels"):
        load_document(path, options=LoadOptions(max_depth=30))
    path.write_text(json.dumps(document_with(300)), encoding="utf-8")
    assert load_document(path, options=LoadOptions(max_depth=300)).data["openapi"] == "3.0.3"


def test_raised_depth_beyond_the_schema_validator_is_a_clean_error(tmp_path: Path) -> None:
    path = tmp_path / "api.yaml"
    path.write_text(_block_yaml(document_with(300, key="bad")), encoding="utf-8")
    with pytest.raises(ApilintError) as caught:
        lint_all(path, LoadOptions(max_depth=300))
    assert "internal error" not in str(caught.value)
    assert "nested too deeply to validate against a JSON Schema" in str(caught.value)
