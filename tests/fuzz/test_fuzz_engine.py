"""Level 2: the whole lint (every rule selected, every report format) on structurally mutated
OpenAPI documents. The invariant: findings or a one-line ApilintError; an ``internal error``
(a check function that crashed) is a bug (see fuzzkit.check_engine)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import fuzzkit
import pytest
from hypothesis import given
from hypothesis import strategies as st

SEEDS = fuzzkit.seed_documents()

# Values a spec author (or a generator bug) can put anywhere.
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=12)
    | st.sampled_from(fuzzkit.ODD_STRINGS)
    | st.sampled_from(fuzzkit.REF_TARGETS).map(lambda ref: {"$ref": ref})
)
VALUES = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.sampled_from(fuzzkit.OPENAPI_KEYS), children, max_size=3)
    ),
    max_leaves=12,
)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the documents go, next to the file their relative refs name."""
    return fuzzkit.prepare_workdir(tmp_path_factory.mktemp("engine-fuzz"))


def assert_clean(verdict: fuzzkit.Verdict) -> None:
    assert not verdict.is_bug, verdict.detail


@fuzzkit.fuzz_settings(examples=250, deadline_ms=10_000)
@given(rng=st.randoms(use_true_random=False))
def test_mutated_documents(workdir: Path, rng: Any) -> None:
    # Deleted keys, wrong types (a string where an object is expected, a list where a map is),
    # nulls, odd unicode, huge numbers, deep nesting, $refs anywhere, shared nodes (YAML
    # anchors), suppression entries of every type; written as JSON or YAML.
    text, suffix = fuzzkit.engine_input(rng, SEEDS)
    assert_clean(fuzzkit.check_engine(text, workdir.with_suffix(suffix)))


@fuzzkit.fuzz_settings(examples=200, deadline_ms=10_000)
@given(
    seed=st.sampled_from(range(len(SEEDS))),
    where=st.integers(min_value=0, max_value=10_000),
    value=VALUES,
    as_yaml=st.booleans(),
)
def test_any_value_at_any_place(
    workdir: Path, seed: int, where: int, value: Any, as_yaml: bool
) -> None:
    import yaml

    data = json.loads(json.dumps(SEEDS[seed]))
    slots = fuzzkit._slots(data)
    container, key = slots[where % len(slots)]
    container[key] = value
    if as_yaml:
        text, suffix = yaml.safe_dump(data, allow_unicode=True), ".yaml"
    else:
        text, suffix = json.dumps(data), ".json"
    assert_clean(fuzzkit.check_engine(text, workdir.with_suffix(suffix)))


@cache
def corpus_documents(corpus: Path) -> list[Any]:
    """Small real descriptions of varied styles (Swagger 2.0, 3.0, 3.1)."""
    names = [
        "small/petstore.json",
        "bulk/amadeus.com__amadeus-flight-busiest-traveling-period.json",
        "bulk/bigdatacloud.net.json",
        "bulk/regcheck.org.uk.json",
        "v31/adyen.com__BinLookupService.json",
    ]
    out = []
    for name in names:
        path = corpus / name
        if path.is_file() and path.stat().st_size < 300_000:
            out.append(json.loads(path.read_text(encoding="utf-8")))
    return out


@pytest.mark.corpus
@fuzzkit.fuzz_settings(examples=60, deadline_ms=15_000)
@given(rng=st.randoms(use_true_random=False))
def test_mutated_corpus_documents(workdir: Path, corpus: Path, rng: Any) -> None:
    documents = corpus_documents(corpus)
    if not documents:
        pytest.skip("none of the chosen corpus files is present")
    data = fuzzkit.mutate_data(rng, rng.choice(documents))
    text, suffix = fuzzkit.serialize(rng, data)
    assert_clean(fuzzkit.check_engine(text, workdir.with_suffix(suffix)))
