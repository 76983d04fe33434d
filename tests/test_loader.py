"""Loading: JSON and YAML to data, with exact source positions, and clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from apilint.core.errors import LoadError
from apilint.documents.loader import LoadOptions, load_document
from apilint.documents.yaml_source import parse_yaml

YAML = """\
openapi: 3.0.3
info:
  title: T
  version: "1"
paths:
  /users/:
    get:
      parameters:
        - name: id
          in: query
      responses:
        "200": {description: ok}
        404:
          description: missing
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("pointer", "position"),
    [
        ((), (1, 1)),
        (("info",), (2, 1)),
        (("info", "version"), (4, 3)),
        (("paths", "/users/"), (6, 3)),
        (("paths", "/users/", "get", "parameters", 0), (9, 11)),
        (("paths", "/users/", "get", "parameters", 0, "in"), (10, 11)),
        (("paths", "/users/", "get", "responses", "200"), (12, 9)),
        (("paths", "/users/", "get", "responses", "200", "description"), (12, 17)),
        (("paths", "/users/", "get", "responses", "404"), (13, 9)),
        # A pointer that does not exist maps to its deepest existing ancestor.
        (("paths", "/users/", "get", "requestBody"), (7, 5)),
        (("nothing", "here"), (1, 1)),
    ],
)
def test_yaml_positions(
    tmp_path: Path, pointer: tuple[str | int, ...], position: tuple[int, int]
) -> None:
    doc = load_document(write(tmp_path, "api.yaml", YAML))
    assert doc.locate(pointer) == position


def test_json_positions_match_yaml_ones_for_the_same_data(tmp_path: Path) -> None:
    data = load_document(write(tmp_path, "api.yaml", YAML)).data
    text = json.dumps(data, indent=2)
    doc = load_document(write(tmp_path, "api.json", text))
    lines = text.splitlines()
    for pointer in [("info", "version"), ("paths", "/users/", "get", "responses", "404")]:
        line, column = doc.locate(pointer)
        assert lines[line - 1][column - 1 :].startswith(f'"{pointer[-1]}"')
    line, column = doc.locate(("paths", "/users/", "get", "parameters", 0))
    assert lines[line - 1][column - 1] == "{"


def test_json_positions_many_pointers_at_once(tmp_path: Path) -> None:
    data = {
        "paths": {
            f"/p{i}": {"get": {"responses": {"200": {"description": "x"}}}} for i in range(50)
        }
    }
    text = json.dumps(data, indent=1)
    doc = load_document(write(tmp_path, "many.json", text))
    pointers = [("paths", f"/p{i}", "get", "responses", "200") for i in range(50)]
    found = doc.locate_many(pointers)
    lines = text.splitlines()
    for pointer in pointers:
        line, column = found[pointer]
        assert lines[line - 1][column - 1 :].startswith('"200"')
    assert len({found[p] for p in pointers}) == 50


def test_json_and_yaml_give_equal_data(tmp_path: Path) -> None:
    yaml_doc = load_document(write(tmp_path, "a.yaml", YAML))
    json_doc = load_document(write(tmp_path, "a.json", json.dumps(yaml_doc.data)))
    assert yaml_doc.data == json_doc.data
    # YAML integer keys become strings, as in JSON.
    assert "404" in yaml_doc.data["paths"]["/users/"]["get"]["responses"]


@pytest.mark.parametrize(
    ("scalar", "value"),
    [
        ("true", True),
        ("False", False),
        ("null", None),
        ("~", None),
        ("", None),
        ("12", 12),
        ("-3", -3),
        ("1.5", 1.5),
        ("0x1F", 31),
        (".inf", float("inf")),
        # Where YAML 1.1 and 1.2 disagree, the value stays a string.
        ("yes", "yes"),
        ("no", "no"),
        ("on", "on"),
        ("2020-01-01", "2020-01-01"),
        ("0123", "0123"),
        ("012345678912345678", "012345678912345678"),
        ("1e5", "1e5"),
        ("0.16001e0", "0.16001e0"),
        ("1.0e+3", 1000.0),
        ("0o17", "0o17"),
        ("'12'", "12"),
        ('"true"', "true"),
    ],
)
def test_yaml_scalars(scalar: str, value: object) -> None:
    assert parse_yaml(f"v: {scalar}\n", "t.yaml").data["v"] == value


def test_yaml_explicit_tags_and_local_tags() -> None:
    data = parse_yaml("a: !!str 12\nb: !!int '7'\nc: !Ref Thing\nd: !!float 1\n", "t.yaml").data
    assert data == {"a": "12", "b": 7, "c": "Thing", "d": 1.0}


def test_yaml_merge_keys() -> None:
    text = "base: &b {x: 1, y: 2}\nthing:\n  <<: *b\n  y: 3\n"
    data = parse_yaml(text, "t.yaml").data
    assert data["thing"] == {"y": 3, "x": 1}


def test_yaml_anchors_are_shared_not_copied() -> None:
    data = parse_yaml("a: &x {k: [1, 2]}\nb: *x\n", "t.yaml").data
    assert data["a"] is data["b"]


def test_duplicate_keys_are_recorded(tmp_path: Path) -> None:
    doc = load_document(write(tmp_path, "d.yaml", "a: 1\nb: 2\na: 3\n"))
    assert doc.data == {"a": 3, "b": 2}
    assert [p for p, _ in doc.duplicate_keys] == [("a",)]
    doc = load_document(write(tmp_path, "d.json", '{"x": {"a": 1, "a": 2}}'))
    assert [p for p, _ in doc.duplicate_keys] == [("x", "a")]


def test_byte_order_mark_is_ignored(tmp_path: Path) -> None:
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + b'{"openapi": "3.0.0"}')
    assert load_document(path).data == {"openapi": "3.0.0"}


def test_utf16_text_is_read(tmp_path: Path) -> None:
    path = tmp_path / "u16.yaml"
    path.write_bytes("openapi: 3.0.0\ntitle: caf\u00e9\n".encode("utf-16"))
    assert load_document(path).data["title"] == "caf\u00e9"


@pytest.mark.parametrize(
    ("name", "content", "message", "line"),
    [
        ("bad.yaml", b"a: [1, 2\nb: 3\n", "invalid YAML", 2),
        ("bad.json", b'{\n  "a": 1,\n}', "invalid JSON", 3),
        ("garbage.yaml", bytes(range(256)) * 4, "not a text file", None),
        ("latin1.yaml", "a: caf\u00e9\n".encode("latin-1"), "not valid UTF-8", 1),
        ("empty.yaml", b"   \n\n", "empty", None),
        ("two.yaml", b"a: 1\n---\nb: 2\n", "more than one YAML document", 2),
        ("recursive.yaml", b"a: &a [*a]\n", "recursive", 1),
        ("undefined.yaml", b"a: *nope\n", None, 1),
        ("complex.yaml", b"? [a, b]\n: 1\n", "mapping key", 1),
    ],
)
def test_load_errors_say_what_and_where(
    tmp_path: Path, name: str, content: bytes, message: str | None, line: int | None
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(LoadError) as caught:
        load_document(path)
    error = caught.value
    assert error.file == name or error.file.endswith(name)
    if message:
        assert message in error.message
    assert error.line == line
    assert "\n" not in str(error)


def test_alias_bomb_is_refused_fast(tmp_path: Path) -> None:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 12):
        lines.append(f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]")
    path = write(tmp_path, "bomb.yaml", "\n".join(lines) + "\n")
    with pytest.raises(LoadError, match="alias bomb"):
        load_document(path)


def test_deep_nesting_is_refused_not_crashed(tmp_path: Path) -> None:
    path = write(tmp_path, "deep.yaml", "a: " + "[" * 50_000 + "]" * 50_000 + "\n")
    with pytest.raises(LoadError, match="nesting deeper than"):
        load_document(path)
    path = write(tmp_path, "deep.json", '{"a": ' + "[" * 50_000 + "]" * 50_000 + "}")
    with pytest.raises(LoadError, match="nesting deeper than 250 levels"):
        load_document(path)


def test_yaml_depth_limit_is_the_same_on_every_pyyaml(tmp_path: Path) -> None:
    # libyaml (PyYAML >= 6.0.2) stops at 1000 levels on its own; below and above that the
    # message is apilint's, and a --max-depth past what the parser reads says so.
    for depth in (300, 2_000):
        path = write(tmp_path, "deep.yaml", "a: " + "[" * depth + "]" * depth + "\n")
        with pytest.raises(LoadError, match="nesting deeper than 250 levels"):
            load_document(path)
    path = write(tmp_path, "deep.yaml", "a: " + "[" * 5_000 + "]" * 5_000 + "\n")
    with pytest.raises(LoadError, match=r"deeper than 1000 levels.*--max-depth 4000 cannot"):
        load_document(path, options=LoadOptions(max_depth=4_000))


def test_file_size_limit(tmp_path: Path) -> None:
    path = write(tmp_path, "big.yaml", "openapi: 3.0.0\n" + "# padding\n" * 2000)
    with pytest.raises(LoadError, match="limit"):
        load_document(path, options=LoadOptions(max_file_size=1000))
    assert load_document(path).data == {"openapi": "3.0.0"}


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match="no such file"):
        load_document(tmp_path / "nope.yaml")
    with pytest.raises(LoadError, match="directory"):
        load_document(tmp_path)


def test_json_is_never_parsed_as_yaml(tmp_path: Path) -> None:
    # Valid YAML, invalid JSON: a .json file must be judged as JSON.
    with pytest.raises(LoadError, match="invalid JSON"):
        load_document(write(tmp_path, "x.json", "{a: 1}"))
    # A YAML file that happens to be JSON is parsed (fast) as JSON.
    assert load_document(write(tmp_path, "x.yaml", '{"a": 1}')).format == "json"


def test_parsing_pauses_the_cycle_collector_and_leaves_it_as_found(tmp_path: Path) -> None:
    import gc

    from apilint.documents.loader import load_document

    path = tmp_path / "a.json"
    path.write_text('{"openapi": "3.0.3", "paths": {"/a": {}}}', encoding="utf-8")
    frozen = gc.get_freeze_count()
    assert gc.isenabled()
    load_document(path)
    assert gc.isenabled()
    assert gc.get_freeze_count() == frozen  # freezing is for the CLI's own process only
    gc.disable()
    try:
        load_document(path)
        assert not gc.isenabled()
    finally:
        gc.enable()
