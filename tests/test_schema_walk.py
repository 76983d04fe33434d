"""OpenAPI.schemas: every schema reachable from the description, each once, at the place it is
written; a YAML alias repeats a schema at a second place, and both places are walked."""

from __future__ import annotations

import json
from pathlib import Path

from apilint.documents.loader import load_document
from apilint.documents.openapi import OpenAPI

YAML_WITH_ALIAS = """\
openapi: 3.0.3
info: {title: T, version: "1"}
paths:
  /things:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Thing"}
components:
  schemas:
    Thing:
      type: object
      properties:
        first: &name {type: string, maxLength: 5}
        second: *name
        again: {$ref: "#/components/schemas/Thing"}
"""


def _pointers(path: Path) -> list[tuple[str | int, ...]]:
    return [node.ptr for node in OpenAPI.open(load_document(path)).schemas]


def test_an_aliased_schema_is_walked_at_each_place(tmp_path: Path) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text(YAML_WITH_ALIAS, encoding="utf-8")
    pointers = _pointers(path)
    thing = ("components", "schemas", "Thing")
    assert pointers == [thing, (*thing, "properties", "first"), (*thing, "properties", "second")]


def test_json_and_yaml_give_the_same_walk(tmp_path: Path) -> None:
    import yaml

    data = json.loads(json.dumps(yaml.safe_load(YAML_WITH_ALIAS)))  # no value shared
    as_json = tmp_path / "spec.json"
    as_json.write_text(json.dumps(data), encoding="utf-8")
    plain = tmp_path / "plain.yaml"
    plain.write_text(yaml.safe_dump(data), encoding="utf-8")  # the alias written out
    assert "*" not in plain.read_text(encoding="utf-8")
    assert _pointers(as_json) == _pointers(plain)
    assert len(_pointers(as_json)) == 3  # a schema referred to twice is walked once
