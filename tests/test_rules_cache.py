"""The built-in rulesets' parsed form, kept beside them (rulesets._builtin_rule_files): used only
while every file is as it was, ignored when corrupt, never needed."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from apilint.lint import rulesets

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def rules_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", folder, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(rulesets, "builtin_rules_dir", lambda: folder)
    return folder


def _parsed(folder: Path) -> dict[str, Any]:
    return {path.name: data for path, data in rulesets._builtin_rule_files()}


def _no_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(path: Path, what: str) -> Any:
        raise AssertionError(f"{path} was parsed")

    monkeypatch.setattr(rulesets, "_read_yaml", refuse)


def test_second_read_comes_from_the_cache(
    rules_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _parsed(rules_copy)
    assert sorted(first) == sorted(p.name for p in rules_copy.glob("*.yaml"))
    [cache] = (rules_copy / "__pycache__").glob("rules.*.marshal")
    _no_parsing(monkeypatch)
    assert _parsed(rules_copy) == first
    assert cache.exists()


def test_an_edited_file_is_parsed_again(rules_copy: Path) -> None:
    _parsed(rules_copy)
    target = rules_copy / "spec.yaml"
    text = target.read_text(encoding="utf-8")
    target.write_text(text.replace("rules:", "description: edited\nrules:", 1), encoding="utf-8")
    assert _parsed(rules_copy)["spec.yaml"]["description"] == "edited"


def test_a_new_file_is_seen(rules_copy: Path) -> None:
    _parsed(rules_copy)
    (rules_copy / "zz-extra.yaml").write_text("rules: {}\n", encoding="utf-8")
    assert _parsed(rules_copy)["zz-extra.yaml"] == {"rules": {}}


@pytest.mark.parametrize("garbage", [b"", b"\x00\x01not marshal", b"\xe9"])
def test_a_corrupt_cache_is_ignored_and_rewritten(
    rules_copy: Path, monkeypatch: pytest.MonkeyPatch, garbage: bytes
) -> None:
    first = _parsed(rules_copy)
    [cache] = (rules_copy / "__pycache__").glob("rules.*.marshal")
    cache.write_bytes(garbage)
    assert _parsed(rules_copy) == first
    _no_parsing(monkeypatch)
    assert _parsed(rules_copy) == first  # rewritten by the read before


def test_a_cache_of_another_shape_is_ignored(rules_copy: Path) -> None:
    import marshal

    first = _parsed(rules_copy)
    [cache] = (rules_copy / "__pycache__").glob("rules.*.marshal")
    cache.write_bytes(marshal.dumps({"not": "the shape"}))
    assert _parsed(rules_copy) == first


def test_an_unwritable_place_still_works(rules_copy: Path) -> None:
    (rules_copy / "__pycache__").write_text("a file where the folder would be", encoding="utf-8")
    first = _parsed(rules_copy)
    assert _parsed(rules_copy) == first
    assert "spec.yaml" in first


def test_the_built_in_ruleset_is_the_same_either_way(rules_copy: Path) -> None:
    rulesets._builtin_rules.cache_clear()
    try:
        parsed = rulesets._builtin_rules()
        rulesets._builtin_rules.cache_clear()
        cached = rulesets._builtin_rules()
    finally:
        rulesets._builtin_rules.cache_clear()
    assert parsed == cached and len(parsed) > 50
