"""Bad input, second pass: each case is one clear line on stderr and exit 2 — never a hang, a
silent pass, a traceback or an "internal error" for the user's own mistake."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from conftest import ROOT, run_cli

GOOD = (ROOT / "examples" / "thoughts" / "openapi.fixed.yaml").read_text(encoding="utf-8")


def _error(result: object) -> str:
    stderr: str = result.stderr  # type: ignore[attr-defined]
    assert "Traceback" not in stderr
    assert "internal error" not in stderr
    errors = [line for line in stderr.splitlines() if line.startswith("apilint: error:")]
    assert len(errors) >= 1, stderr
    return "\n".join(errors)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_a_fifo_named_as_a_description_is_refused_not_waited_on(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "api.yaml")
    result = run_cli("lint", "--no-config", "api.yaml", cwd=tmp_path, timeout=30)
    assert result.returncode == 2
    assert "api.yaml: not a regular file" in _error(result)


def test_a_folder_with_a_file_that_cannot_be_read_fails_and_names_it(tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    specs.mkdir()
    (specs / "good.yaml").write_text(GOOD, encoding="utf-8")
    (specs / "gone.yaml").symlink_to(tmp_path / "deleted.yaml")
    result = run_cli("lint", "--no-config", "specs", cwd=tmp_path)
    assert result.returncode == 2
    assert "specs/gone.yaml: a symbolic link to a file that does not exist" in _error(result)
    assert "No problems found" not in result.stdout
    assert "1 file could not be checked. No problems in the 1 checked file." in result.stdout


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads folders without permission"
)
def test_a_folder_that_cannot_be_listed_fails_and_names_it(tmp_path: Path) -> None:
    specs = tmp_path / "specs"
    (specs / "private").mkdir(parents=True)
    (specs / "good.yaml").write_text(GOOD, encoding="utf-8")
    (specs / "private").chmod(0)
    try:
        result = run_cli("lint", "--no-config", "specs", cwd=tmp_path)
    finally:
        (specs / "private").chmod(0o755)
    assert result.returncode == 2
    assert "private: cannot read this folder" in _error(result)


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ("rules: {path-verb: }\n", "rules.path-verb: no value; write off, a severity"),
        ("ref-root: ./nowhere\n", "is not an existing folder"),
        ("extends: [./missing.yaml]\n", "apilint.yaml: extends: ruleset not found:"),
        (
            "rules: {path-casing: {options: {style: 5}}}\n",
            "rules.path-casing.options: option 'style' must be",
        ),
    ],
)
def test_config_mistakes_are_named(tmp_path: Path, config: str, message: str) -> None:
    (tmp_path / "api.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "apilint.yaml").write_text(config, encoding="utf-8")
    result = run_cli("lint", "api.yaml", cwd=tmp_path)
    assert result.returncode == 2
    error = _error(result)
    assert message in error
    assert "path_casing" not in error  # an internal function name means nothing to the user


def test_binary_config_and_baseline_are_described_in_words(tmp_path: Path) -> None:
    (tmp_path / "api.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "blob.yaml").write_bytes(b"a: \x8c\xff\xfe binary")
    for args in (["--config", "blob.yaml"], ["--no-config", "--baseline", "blob.yaml"]):
        result = run_cli("lint", *args, "api.yaml", cwd=tmp_path)
        assert result.returncode == 2
        error = _error(result)
        assert "not UTF-8 text (byte 0x8c at offset 3)" in error
        assert "codec" not in error


def test_a_functions_module_that_exits_does_not_end_the_run_silently(tmp_path: Path) -> None:
    (tmp_path / "api.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "checks.py").write_text("import sys\nsys.exit(3)\n", encoding="utf-8")
    (tmp_path / "ours.yaml").write_text("functions: [./checks.py]\nrules: {}\n", encoding="utf-8")
    (tmp_path / "apilint.yaml").write_text("extends: [./ours.yaml]\n", encoding="utf-8")
    result = run_cli("lint", "api.yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert "checks.py failed: it called sys.exit(3)" in _error(result)


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity"])
def test_json_nan_and_infinity_are_not_json(tmp_path: Path, constant: str) -> None:
    text = '{"openapi": "3.0.3", "info": {"title": "t", "version": "1"},\n'
    text += f'"paths": {{}}, "x-limit": {constant}}}'
    (tmp_path / "api.json").write_text(text, encoding="utf-8")
    result = run_cli("lint", "--no-config", "api.json", cwd=tmp_path)
    assert result.returncode == 2
    assert f"api.json:2:25: invalid JSON: {constant} is not a JSON value" in _error(result)


def test_a_ref_to_a_string_is_an_error_where_it_is_written(tmp_path: Path) -> None:
    (tmp_path / "api.yaml").write_text(
        "openapi: 3.0.3\n"
        "info: {title: t, version: '1'}\n"
        "paths:\n"
        "  /a:\n"
        "    get:\n"
        "      responses:\n"
        "        '200':\n"
        "          description: ok\n"
        "          content:\n"
        "            application/json:\n"
        "              schema: {$ref: '#/info/title'}\n",
        encoding="utf-8",
    )
    result = run_cli("lint", "--no-config", "api.yaml", cwd=tmp_path)
    assert result.returncode == 2
    assert "api.yaml:11:24: $ref '#/info/title' points to the value 't', not an object" in (
        _error(result)
    )


def test_the_python_api_raises_nothing_for_a_fifo(tmp_path: Path) -> None:
    # The same refusal through the Python API: a per-file error, not a blocked process.
    if sys.platform == "win32":
        pytest.skip("no FIFOs")
    import apilint

    os.mkfifo(tmp_path / "api.yaml")
    result = apilint.lint(tmp_path / "api.yaml")
    assert [e.message for e in result.errors] == [
        "not a regular file (a pipe, socket or device); name a file, or - for standard input"
    ]
