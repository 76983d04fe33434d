"""Level 3: nasty inputs through the real command line (a subprocess each): a file apilint
cannot check ends in exactly one ``apilint: error:`` line and exit 2, never a traceback or an
internal error; a file it can check ends in a report (exit 0 or 1) in every format."""

from __future__ import annotations

import json
import random
from pathlib import Path
from xml.etree import ElementTree

import fuzzkit
import pytest
from conftest import run_cli

HEADER = '{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}'


def _garbage(size: int, seed: int) -> bytes:
    rng = random.Random(seed)
    return bytes(rng.randrange(256) for _ in range(size))


REFUSED: list[tuple[str, str, bytes, str]] = [
    # (id, file name, content, a phrase of the one error line)
    ("binary", "api.yaml", b"\x89PNG\r\n\x1a\n" + _garbage(2000, 1), "not a text file"),
    ("bad-utf8", "api.json", HEADER.encode() + b', "x": "\xff\xfe"}', "not valid UTF-8"),
    ("bad-utf16", "api.yaml", b"\xff\xfe" + b"\x00\xd8a\x00", "bad UTF-16"),
    ("alias-bomb", "api.yaml", fuzzkit.alias_bomb(random.Random(3)).encode(), "alias bomb"),
    ("deep-json", "api.json", b"[" * 100_000 + b"]" * 100_000, "nesting deeper than"),
    ("deep-yaml", "api.yaml", b"a: " + b"[" * 100_000 + b"]" * 100_000, "nesting deeper than"),
    ("lone-surrogate", "api.json", (HEADER + ', "x": "\\udc00"}').encode(), "surrogate"),
    ("control-char", "api.yaml", b"openapi: 3.0.3\nx: a\x07b\n", "control characters"),
    ("nul-ref", "api.json", (HEADER + ', "x": {"$ref": "a%00.yaml#/b"}}').encode(), "$ref"),
    (
        "ref-loop",
        "api.json",
        (
            HEADER + ', "components": {"schemas": {"A": {"$ref": "#/components/schemas/B"}, '
            '"B": {"$ref": "#/components/schemas/A"}}}}'
        ).encode(),
        "leads back to itself",
    ),
    ("long-int", "api.json", (HEADER + ', "x": ' + "7" * 5000 + "}").encode(), "digits"),
    ("empty", "api.yaml", b"", "empty"),
    ("blank", "api.json", b" \n\t\n", "empty"),
    ("two-documents", "api.yaml", b"openapi: 3.0.3\n---\nopenapi: 3.1.0\n", "more than one"),
    ("a-list", "api.yaml", b"- openapi: 3.0.3\n", "not an OpenAPI document"),
    ("newline-in-ref", "api.json", (HEADER + ', "x": {"$ref": "a\\nb.yaml"}}').encode(), "$ref"),
    ("python-tag", "api.yaml", b"openapi: !!python/object:os.system ls\n", "OpenAPI version"),
    ("version-object", "api.json", b'{"openapi": {"a": 1}, "paths": {}}', "OpenAPI version"),
]


def one_error_line(stderr: str) -> str:
    assert "Traceback" not in stderr
    assert "internal error" not in stderr
    errors = [line for line in stderr.splitlines() if line.startswith("apilint: error:")]
    assert len(errors) == 1, stderr
    return errors[0]


@pytest.mark.parametrize(
    ("name", "content", "phrase"), [c[1:] for c in REFUSED], ids=[c[0] for c in REFUSED]
)
def test_refused_in_one_line(tmp_path: Path, name: str, content: bytes, phrase: str) -> None:
    (tmp_path / name).write_bytes(content)
    result = run_cli("lint", "--no-config", "--select", "all", name, cwd=tmp_path, timeout=60)
    assert result.returncode == 2, result.stderr
    assert phrase in one_error_line(result.stderr)


def test_refused_from_standard_input(tmp_path: Path) -> None:
    result = run_cli(
        "lint", "--no-config", "-", cwd=tmp_path, stdin="openapi: 3.0.3\nx: *nowhere\n"
    )
    assert result.returncode == 2
    assert "alias *nowhere has no anchor" in one_error_line(result.stderr)


def test_odd_but_valid_documents_report_in_every_format(tmp_path: Path) -> None:
    # Right-to-left overrides, zero-width and combining characters, emoji, ESC and NUL
    # characters (escaped in JSON), extreme numbers, a 1 MB string, keys that need pointer
    # escaping: a report, in every format, each well-formed.
    odd = "\u202eevil\u200b e\u0301 \U0001f600 \x1b[2J \x00 ~1/ %2F"
    document = {
        "openapi": "3.0.3",
        "info": {"title": odd, "version": "1", "description": "x" * 1_000_000},
        "paths": {
            f"/a~b/{{id}}/{odd}": {
                "get": {
                    "operationId": odd,
                    "parameters": [{"name": "id", "in": "path", "required": True}],
                    "responses": {"200": {"description": odd}},
                    "x-apilint-ignore": [odd],
                }
            }
        },
        "components": {
            "schemas": {
                odd: {"type": "number", "minimum": -1e308, "maximum": 1e308, "default": -0.0},
                "Tiny": {"type": "number", "multipleOf": 5e-324, "example": 10**300},
            }
        },
    }
    (tmp_path / "api.json").write_text(json.dumps(document), encoding="utf-8")
    outputs = {name: tmp_path / f"report.{name}" for name in ("json", "sarif", "junit", "github")}
    args = [arg for name, path in outputs.items() for arg in ("-f", f"{name}:{path}")]
    result = run_cli(
        "lint", "--no-config", "--select", "all", *args, "-f", "text", "api.json", cwd=tmp_path
    )
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr
    assert "apilint: error" not in result.stderr
    assert "\x1b" not in result.stdout
    json.loads(outputs["json"].read_text(encoding="utf-8"))
    json.loads(outputs["sarif"].read_text(encoding="utf-8"))
    ElementTree.parse(outputs["junit"])
    for line in outputs["github"].read_text(encoding="utf-8").splitlines():
        assert line.startswith("::"), line
