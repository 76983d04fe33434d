"""The JSON parse that indexes where the members of a description's big maps start
(json_source._indexed_parse) against the plain parse it stands in for: the same data, the same
repeated keys, the same error at the same place, and every pointer located at the same line and
column with the index as without it. Texts are written by hand here, so that they can repeat
keys, vary whitespace and be broken anywhere."""

from __future__ import annotations

import json
from typing import Any

import pytest
from alone import only_thread
from hypothesis import given, settings
from hypothesis import strategies as st

from apilint.core.errors import LoadError
from apilint.documents import json_source
from apilint.documents.json_source import JsonPositions, parse_json

KEYS = st.sampled_from(
    ["paths", "components", "schemas", "examples", "/a", "/a/{id}", "get", "x", "é", "$ref"]
)
SPACE = st.sampled_from(["", " ", "\n  ", "\t", "\r\n"])
SCALARS = st.sampled_from(["1", "-2.5e3", "true", "null", '"s"', '"\\u00e9\\n"', '"ü"', "NaN"])


@st.composite
def json_texts(draw: Any, depth: int = 0) -> str:
    """An object or array as text, keys possibly repeated, whitespace anywhere."""
    if depth > 3 or draw(st.integers(0, 4)) == 0:
        return str(draw(SCALARS))
    space = draw(SPACE)
    if draw(st.booleans()):
        items = [draw(json_texts(depth + 1)) for _ in range(draw(st.integers(0, 3)))]
        return "[" + space + ("," + space).join(items) + space + "]"
    members = [
        json.dumps(draw(KEYS)) + draw(SPACE) + ":" + draw(SPACE) + draw(json_texts(depth + 1))
        for _ in range(draw(st.integers(0, 4)))
    ]
    return "{" + space + ("," + draw(SPACE)).join(members) + space + "}"


@st.composite
def descriptions(draw: Any) -> str:
    """A root object whose paths and components hold more objects, sometimes broken."""
    text = draw(json_texts())
    root = {
        "paths": draw(json_texts()),
        "components": '{"schemas": ' + draw(json_texts()) + ', "examples": {}}',
        "info": draw(json_texts()),
    }
    order = draw(st.permutations(list(root)))
    if draw(st.booleans()):
        order.append(order[0])  # a repeated root key
    body = "{" + ", ".join(json.dumps(k) + ": " + root[k] for k in order) + "}"
    if draw(st.booleans()):
        body = text if body.startswith("[") else body
    if draw(st.integers(0, 3)) == 0:
        at = draw(st.integers(0, len(body)))
        body = body[:at] + draw(st.sampled_from(["", ",", "}", ":", '"', "x"])) + body[at + 1 :]
    return body


def _outcome(text: str, max_depth: int | None) -> Any:
    try:
        data, repeated, index, refs = parse_json(text, "t.json", max_depth)
    except LoadError as exc:
        return ("error", str(exc), exc.line, exc.column), None
    return (
        ("ok", json.dumps(data, sort_keys=True), sorted(map(repr, repeated)), sorted(refs)),
        (data, index),
    )


def _pointers(data: Any, prefix: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    out = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            out.extend(_pointers(value, (*prefix, key)))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            out.extend(_pointers(value, (*prefix, i)))
    return out


@settings(max_examples=400, deadline=None)
@given(text=descriptions(), max_depth=st.sampled_from([None, 3, 64]))
def test_indexed_parse_agrees_with_the_plain_one(text: str, max_depth: int | None) -> None:
    indexed, parsed = _outcome(text, max_depth)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(json_source, "_indexed_parse", lambda *a: json_source._UNBOUNDED)
        plain, _ = _outcome(text, max_depth)
    assert indexed == plain
    if parsed is None:
        return
    data, index = parsed
    pointers = _pointers(data)[:200]
    pointers += [(*p, "missing") for p in pointers[:20]]
    assert JsonPositions(text, index).locate_many(pointers) == JsonPositions(text).locate_many(
        pointers
    )


def test_the_index_holds_the_big_maps_members() -> None:
    text = json.dumps(
        {
            "openapi": "3.1.0",
            "paths": {"/a": {"get": {}}, "/b": {}},
            "components": {"schemas": {"A": {"type": "object"}}},
            "info": {"title": "t"},
        },
        indent=2,
    )
    index = parse_json(text, "t.json").members  # no depth bound: whatever threads run
    assert set(index) == {
        ("openapi",),
        ("paths",),
        ("paths", "/a"),
        ("paths", "/b"),
        ("components",),
        ("components", "schemas"),
        ("components", "schemas", "A"),
        ("info",),
    }
    key_start, value_start = index[("paths", "/a")]
    assert text[key_start : key_start + 5] == '"/a":'
    assert text[value_start] == "{"


def test_a_background_thread_does_not_stop_the_bounded_parse(
    request: pytest.FixtureRequest,
) -> None:
    """The terminal's progress line runs beside the parse: registered as a background thread,
    it leaves the depth-bounded, indexed parse in use; any other thread turns it off (the
    recursion limit is the same for every thread)."""
    import threading

    from apilint.core import threads

    if not only_thread(request):
        return
    text = json.dumps({"paths": {"/a": {"get": {}}}})
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait, daemon=True)
    thread.start()
    try:
        assert parse_json(text, "t.json", 64).members == {}  # an unknown thread: the plain parse
        threads.background_thread(thread, threading.Lock())
        assert ("paths", "/a") in parse_json(text, "t.json", 64).members
    finally:
        stop.set()
        thread.join()


@settings(max_examples=200, deadline=None)
@given(text=descriptions())
def test_the_parse_finds_the_refs_the_text_holds(text: str) -> None:
    """The "$ref" values the parse collects are those a scan of the text finds (refs.py relied
    on the scan before); a key written twice keeps only its last value, as the data does."""
    from apilint.documents.refs import _json_refs

    try:
        parsed = parse_json(text, "t.json")
    except LoadError:
        return
    found = set(_json_refs(text))
    assert parsed.refs <= found
    assert all(ref in parsed.refs for ref in _refs_in(parsed.data))


def _refs_in(data: Any) -> list[str]:
    out = []
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get("$ref"), str):
                out.append(node["$ref"])
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return out
