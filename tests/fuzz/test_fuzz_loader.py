"""Level 1: bytes and text to a Document. Whatever the input, loading ends in a Document or a
one-line LoadError: never another exception, never a hang (see fuzzkit.check_loader)."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import fuzzkit
from hypothesis import given
from hypothesis import strategies as st

from apilint.documents.loader import load_document

SUFFIXES = st.sampled_from([".yaml", ".yml", ".json", ""])
SEED_TEXTS = fuzzkit.seed_texts()

# JSON-compatible values, odd ones included: huge and non-finite numbers, any unicode text.
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20)
    | st.sampled_from(fuzzkit.ODD_STRINGS[:-20])
)
VALUES = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.text(max_size=8) | st.sampled_from(fuzzkit.OPENAPI_KEYS), children, max_size=4
        )
    ),
    max_leaves=30,
)


def assert_clean(verdict: fuzzkit.Verdict) -> None:
    assert not verdict.is_bug, verdict.detail


@fuzzkit.fuzz_settings(examples=300, deadline_ms=2000)
@given(raw=st.binary(max_size=400), suffix=SUFFIXES)
def test_any_bytes(raw: bytes, suffix: str) -> None:
    assert_clean(fuzzkit.check_loader(raw, suffix))


@fuzzkit.fuzz_settings(examples=300, deadline_ms=2000)
@given(
    text=st.text(
        alphabet=st.sampled_from(list("{}[]:,-?&*!|>'\"#%@` \t\n\r\\.0123456789aeux~")),
        max_size=200,
    ),
    suffix=SUFFIXES,
)
def test_syntax_soup(text: str, suffix: str) -> None:
    assert_clean(fuzzkit.check_loader(text, suffix))


@fuzzkit.fuzz_settings(examples=500, deadline_ms=3000)
@given(rng=st.randoms(use_true_random=False))
def test_generated_and_mutated_yaml_and_json(rng: Any) -> None:
    # YAML fragments (anchors, tags, merge keys, directives), mutated seed documents as text
    # and as bytes (bad UTF-8, BOMs, NULs), alias bombs, nesting around the depth limit.
    raw, suffix = fuzzkit.text_input(rng, SEED_TEXTS)
    assert_clean(fuzzkit.check_loader(raw, suffix))


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


@fuzzkit.fuzz_settings(examples=300, deadline_ms=2000)
@given(value=VALUES, pretty=st.booleans())
def test_json_loads_as_written(value: Any, pretty: bool) -> None:
    # Any JSON document is either refused cleanly (lone surrogates, nesting) or read back exactly.
    text = json.dumps(value, indent=2 if pretty else None)
    verdict = fuzzkit.check_loader(text, ".json")
    assert_clean(verdict)
    if verdict.kind == "report":
        assert _same(load_document(Path("api.json"), text=text).data, value)


@fuzzkit.fuzz_settings(examples=300, deadline_ms=2000)
@given(value=VALUES, flow=st.booleans())
def test_yaml_dumps_load_cleanly(value: Any, flow: bool) -> None:
    import yaml

    text = yaml.safe_dump(value, default_flow_style=flow, allow_unicode=True)
    assert_clean(fuzzkit.check_loader(text, ".yaml"))
