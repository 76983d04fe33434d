"""Inputs that crashed apilint once, found by fuzzing. Each must now end in a report or in a
one-line ApilintError."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest

from apilint.core.errors import LoadError
from apilint.documents.loader import load_document


def test_yaml_control_character_is_a_one_line_error_with_its_position() -> None:
    # libyaml's reader error spans two lines ("... in "<unicode string>", position 14").
    with pytest.raises(LoadError) as caught:
        load_document(Path("api.yaml"), text="a: ééé\nb: x\x04y\n")
    message = str(caught.value)
    assert "\n" not in message
    assert message == "api.yaml:2:5: invalid YAML: control characters are not allowed (U+0004)"


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_lone_surrogate_in_text_is_refused(suffix: str) -> None:
    # Text handed over as str (Python API, standard input) crashed libyaml's encoder.
    with pytest.raises(LoadError, match=r"^api\S*:2:4: not valid Unicode text \(lone surrogate"):
        load_document(Path(f"api{suffix}"), text='{"a": 1,\n "b\ud800": 2}')


def test_json_escaped_lone_surrogate_is_refused_where_it_is_written() -> None:
    # Valid JSON syntax, but the string is not Unicode: spec-invalid crashed converting it.
    text = '{\n  "openapi": "3.0.3",\n  "info": {"title": "\\ud800"}\n}'
    with pytest.raises(LoadError, match=r"^api\.json:3:12: invalid JSON: .*unpaired UTF-16"):
        load_document(Path("api.json"), text=text)


def test_json_escaped_surrogate_pairs_and_escaped_backslashes_still_load() -> None:
    doc = load_document(Path("api.json"), text='{"a": "\\ud83d\\ude00", "b": "\\\\ud800"}')
    assert doc.data == {"a": "\U0001f600", "b": "\\ud800"}


def test_suppression_list_holding_a_mapping_does_not_crash(tmp_path: Path) -> None:
    # engine._suppressed looked each entry up in a set: TypeError, unhashable type: 'dict'.
    from apilint.lint.engine import Linter
    from apilint.settings.config import Config

    spec = tmp_path / "api.yaml"
    spec.write_text(
        "openapi: 3.0.3\n"
        "info: {title: t, version: '1'}\n"
        "paths:\n"
        "  /a:\n"
        "    x-apilint-ignore: [{spec-invalid: 1}, spec-invalid]\n"
        "    get: {responses: {'200': {description: ok}}, bogus: 1}\n",
        encoding="utf-8",
    )
    findings, _ = Linter(Config(), select=["all"]).lint_file(spec)
    assert not [f for f in findings if f.rule == "spec-invalid"]


def _lint_ref(tmp_path: Path, ref: str) -> str:
    """The error for a document whose only schema is ``$ref: ref``."""
    from apilint.core.errors import ApilintError
    from apilint.lint.engine import Linter
    from apilint.settings.config import Config

    spec = tmp_path / "api.json"
    document = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {"schemas": {"A": {"$ref": ref}}},
    }
    spec.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(ApilintError) as caught:
        Linter(Config(), select=["all"]).lint_file(spec)
    message = str(caught.value)
    assert "\n" not in message
    assert "internal error" not in message
    return message


@pytest.mark.parametrize(
    ("ref", "expected"),
    [
        # os.path.realpath: ValueError, embedded null byte
        ("a%00b.yaml#/x", "not a usable file name (embedded null byte)"),
        # Path.exists: OSError, File name too long
        ("a" * 300 + ".yaml", "not a usable file name (File name too long)"),
        # the missing file's name went into the message raw: a two-line error
        ("sub/%0a.yaml", "/sub/\\n.yaml"),
    ],
)
def test_unusable_file_names_in_refs_are_one_line_errors(
    tmp_path: Path, ref: str, expected: str
) -> None:
    (tmp_path / "sub").mkdir()
    assert _lint_ref(tmp_path, ref).endswith(expected)


def test_error_messages_escape_terminal_control_characters() -> None:
    error = LoadError("bad \x1b[2J value\r\nnext", file="a\nb.yaml", line=1)
    assert str(error) == "a\\nb.yaml:1: bad \\x1b[2J value\\r\\nnext"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_in_a_linted_directory_is_skipped_not_waited_on(tmp_path: Path) -> None:
    # Directory discovery opened every *.yaml to sniff for "openapi:"; a FIFO blocked forever.
    from apilint.documents.discovery import expand

    (tmp_path / "api.yaml").write_text("openapi: 3.0.3\n", encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.yaml")
    outcome: list[list[str]] = []
    worker = threading.Thread(target=lambda: outcome.append(expand([str(tmp_path)])), daemon=True)
    worker.start()
    worker.join(timeout=10)
    assert outcome == [[str(tmp_path / "api.yaml")]]


# -- crashes in check functions of rule families owned by others --------------------------------
# Found by the engine fuzzer and recorded here as strict xfails until their owners fixed them
# (the fix shows up as an XPASS); now plain regression tests. A new one also goes into
# fuzzkit.KNOWN_BUGS, so that the fuzz tests stay green while it is routed.

ROUTED = [
    pytest.param(
        "path-param-undeclared",
        {"/pets/{petId}": {"get": {"parameters": [{"in": "path"}]}}},
        id="path-param-undeclared-nameless-path-parameter",
    ),
    pytest.param(
        "path-param-undeclared",
        {"/pets/{petId}": {"get": {"parameters": [{"in": "path", "name": {"a": 1}}]}}},
        id="path-param-undeclared-name-is-an-object",
    ),
    pytest.param(
        "path-param-undeclared",
        {
            "/pets/{petId}": {
                "get": {"parameters": [{"in": "path", "name": 7}, {"in": "path", "name": True}]}
            }
        },
        id="path-param-undeclared-names-that-are-a-number-and-a-boolean",
    ),
]


@pytest.mark.parametrize(("rule", "paths"), ROUTED)
def test_routed_check_function_crash(tmp_path: Path, rule: str, paths: dict[str, object]) -> None:
    from apilint.lint.engine import Linter
    from apilint.settings.config import Config

    document: dict[str, object] = {"info": {"title": "t", "version": "1"}, "paths": paths}
    document = {"openapi": "3.0.3", **document}
    spec = tmp_path / "api.json"
    spec.write_text(json.dumps(document), encoding="utf-8")
    Linter(Config(), select=[rule]).lint_file(spec)


def test_text_report_keeps_each_finding_on_one_line_without_terminal_controls(
    tmp_path: Path,
) -> None:
    # A finding quoting a value with "\n" forged report lines, and ESC sequences reached the
    # terminal (the text report printed messages raw).
    from apilint.lint.engine import Linter
    from apilint.reports import Report, renderer
    from apilint.settings.config import Config

    entry = "x\n::error::forged\r\nNo problems found\x1b[2J"
    document = {
        "openapi": "3.0.3",
        "info": {"title": "t", "version": "1", "x-apilint-ignore": [entry]},
        "paths": {},
    }
    spec = tmp_path / "api.json"
    spec.write_text(json.dumps(document), encoding="utf-8")
    findings, _ = Linter(Config(), select=["unused-suppression"]).lint_file(spec)
    text = renderer("text")(Report(command="lint", findings=findings, files=["api.json"]))
    lines = text.splitlines()
    assert len(lines) == 2
    assert lines[0].endswith("'x\\n::error::forged\\r\\nNo problems found\\x1b[2J'")
    assert "\x1b" not in text


@pytest.mark.parametrize(
    ("suffix", "text", "where"),
    [
        (
            ".json",
            '{"openapi": "3.0.3",\n "x-n": ' + "9" * 5000 + "}",
            "api.json:2:9: invalid JSON",
        ),
        (".yaml", "openapi: 3.0.3\nx-n: " + "9" * 5000 + "\n", "api.yaml:2:6: unreadable value"),
    ],
)
def test_an_integer_too_long_to_convert_is_refused_at_its_place(
    suffix: str, text: str, where: str
) -> None:
    # The error told users to call sys.set_int_max_str_digits(), and had no position.
    with pytest.raises(LoadError) as caught:
        load_document(Path(f"api{suffix}"), text=text)
    assert str(caught.value) == (
        f"{where}: a number with more digits than can be read (the limit is about 4,300)"
    )


def test_linting_keeps_no_document_alive(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import gc
    import weakref

    from apilint.documents import openapi
    from apilint.lint.engine import Linter
    from apilint.settings.config import Config

    created: list[weakref.ref[openapi.OpenAPI]] = []
    original = openapi.OpenAPI.__init__

    def record(self: openapi.OpenAPI, *args: object, **kwargs: object) -> None:
        original(self, *args, **kwargs)  # type: ignore[arg-type]
        created.append(weakref.ref(self))

    monkeypatch.setattr(openapi.OpenAPI, "__init__", record)
    spec = tmp_path / "api.yaml"
    spec.write_text(
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n"
        "  /pets:\n    get:\n      responses: {'200': {description: ok}}\n"
        "    post:\n      responses: {'201': {description: created}}\n",
        encoding="utf-8",
    )
    linter = Linter(Config(), select=["all"])
    for _ in range(3):
        linter.lint_file(spec)
    gc.collect()
    assert len(created) == 3
    assert [ref for ref in created if ref() is not None] == []
