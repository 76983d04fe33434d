"""Resource limits: each refuses its input with one line naming the limit and how to raise it,
each can be raised, and inputs within the defaults lint through every rule."""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import run_cli

from apilint.core.errors import ApilintError, ConfigError, LoadError
from apilint.documents.loader import DEFAULT_MAX_DEPTH, LoadOptions, load_document
from apilint.lint.engine import Linter
from apilint.settings.config import Config, limits, load_config

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


# -- every limit from the command line and the config file ----------------------------------------


def ref_chain(hops: int) -> str:
    """A document whose schema S0 reaches a value through ``hops`` $refs in a row."""
    lines = ["openapi: 3.0.3", "info: {title: t, version: '1'}", "paths: {}", "components:"]
    lines.append("  schemas:")
    lines += [f"    S{i}: {{$ref: '#/components/schemas/S{i + 1}'}}" for i in range(hops)]
    lines.append(f"    S{hops}: {{type: string}}")
    return "\n".join(lines) + "\n"


def alias_bomb(levels: int = 12, width: int = 10) -> str:
    lines = ["openapi: 3.0.3", "info: {title: t, version: '1'}", "paths: {}"]
    lines.append(f"x-a0: &a0 [{', '.join(['lol'] * width)}]")
    lines += [f"x-a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * width)}]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


LIMIT_CASES = [
    # (name, document, the error, the flag that raises it past the document)
    (
        "max-file-size",
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n" + "# pad\n" * 400,
        "file is 2.4 KB, over the 1000 bytes limit "
        "(raise it with --max-file-size or 'max-file-size' in the config)",
        ("--max-file-size", "1MB"),
    ),
    (
        "max-depth",
        json.dumps(document_with(40)),
        "nesting deeper than 30 levels (raise it with --max-depth or 'max-depth' in the config)",
        ("--max-depth", "40"),
    ),
    (
        "max-nodes",
        alias_bomb(levels=3, width=10),
        "YAML aliases expand to more than 50 nodes (an alias bomb?); refusing to load "
        "(raise it with --max-nodes or 'max-nodes' in the config)",
        ("--max-nodes", "2000"),
    ),
    (
        "max-ref-hops",
        ref_chain(12),
        "$ref chain longer than 10 hops "
        "(raise it with --max-ref-hops or 'max-ref-hops' in the config)",
        ("--max-ref-hops", "12"),
    ),
]
LOW = {"max-file-size": "1000", "max-depth": "30", "max-nodes": "50", "max-ref-hops": "10"}


@pytest.mark.parametrize(("name", "document", "error", "raised"), LIMIT_CASES, ids=LOW)
def test_each_limit_is_one_line_on_the_command_line_and_can_be_raised(
    tmp_path: Path, name: str, document: str, error: str, raised: tuple[str, str]
) -> None:
    suffix = ".json" if document.startswith("{") else ".yaml"
    spec = tmp_path / f"api{suffix}"
    spec.write_text(document, encoding="utf-8")
    refused = run_cli("lint", "--no-config", f"--{name}", LOW[name], spec.name, cwd=tmp_path)
    assert refused.returncode == 2
    errors = [line for line in refused.stderr.splitlines() if "error" in line]
    assert len(errors) == 1, refused.stderr
    assert errors[0].startswith(f"apilint: error: {spec.name}")
    assert errors[0].endswith(error)
    allowed = run_cli("lint", "--no-config", *raised, spec.name, cwd=tmp_path)
    assert allowed.returncode in (0, 1), allowed.stderr


@pytest.mark.parametrize(("name", "document", "error", "raised"), LIMIT_CASES, ids=LOW)
def test_each_limit_from_the_config_file(
    tmp_path: Path, name: str, document: str, error: str, raised: tuple[str, str]
) -> None:
    suffix = ".json" if document.startswith("{") else ".yaml"
    spec = tmp_path / f"api{suffix}"
    spec.write_text(document, encoding="utf-8")
    config = tmp_path / "apilint.yaml"
    config.write_text(f"{name}: {LOW[name]}\n", encoding="utf-8")
    with pytest.raises(LoadError) as caught:
        Linter(load_config(config), select=["all"]).lint_file(spec)
    assert str(caught.value).endswith(error)
    config.write_text(f"{name}: {raised[1]}\n", encoding="utf-8")
    Linter(load_config(config), select=["all"]).lint_file(spec)


@pytest.mark.parametrize("value", ["0", "-1", "ten", "true", "1.5"])
@pytest.mark.parametrize("name", ["max-depth", "max-nodes", "max-ref-hops"])
def test_bad_limit_values_in_the_config_are_errors(tmp_path: Path, name: str, value: str) -> None:
    config = tmp_path / "apilint.yaml"
    config.write_text(f"{name}: {value}\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=f"{name} must be a positive whole number"):
        load_config(config)


def test_command_line_limit_wins_over_the_config(tmp_path: Path) -> None:
    config = Config(max_depth=10, max_nodes=20, max_ref_hops=30, max_file_size=40)
    assert limits(config) == LoadOptions(
        max_depth=10, max_nodes=20, max_ref_hops=30, max_file_size=40
    )
    assert limits(config, max_depth=11, max_file_size=41) == LoadOptions(
        max_depth=11, max_nodes=20, max_ref_hops=30, max_file_size=41
    )
    assert limits(Config()) == LoadOptions()


# -- memory: refused inputs stay small -----------------------------------------------------------


def run_capped(args: list[str], cwd: Path, megabytes: int) -> subprocess.CompletedProcess[str]:
    """``apilint ARGS`` with its address space capped: a limit that did not hold would end in
    MemoryError or a kill, not in the expected one-line error."""

    def cap() -> None:
        size = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (size, size))

    return subprocess.run(
        [sys.executable, "-m", "apilint", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        preexec_fn=cap,
        env={**os.environ, "NO_COLOR": "1"},
    )


@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_AS semantics")
def test_alias_bomb_is_refused_fast_within_a_small_memory_cap(tmp_path: Path) -> None:
    # 10**12 nodes once expanded ("billion laughs" at scale); refused after a few events.
    spec = tmp_path / "bomb.yaml"
    spec.write_text(alias_bomb(levels=12, width=10), encoding="utf-8")
    started = time.monotonic()
    result = run_capped(["lint", "--no-config", spec.name], tmp_path, megabytes=1024)
    assert time.monotonic() - started < 30
    assert result.returncode == 2, result.stderr
    assert "an alias bomb?" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_AS semantics")
def test_oversized_standard_input_is_refused_without_reading_it_all(tmp_path: Path) -> None:
    # 1.2 GB on stdin against a 1 MB limit, in a process capped at 512 MB: reading it all (as
    # apilint once did) ends in "out of memory", not in the size-limit error.
    script = (
        "import sys\n"
        "sys.stdout.write('openapi: 3.0.3\\n' + '# ' + 'x' * (1 << 20) + '\\n')\n"
        "chunk = '#' * (1 << 20) + '\\n'\n"
        "try:\n"
        "    for _ in range(1200):\n"
        "        sys.stdout.write(chunk)\n"
        "except BrokenPipeError:\n"
        "    pass\n"
    )
    producer = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE)

    def cap() -> None:
        size = 512 * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (size, size))

    try:
        result = subprocess.run(
            [sys.executable, "-m", "apilint", "lint", "--no-config", "--max-file-size", "1MB", "-"],
            cwd=tmp_path,
            stdin=producer.stdout,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
            preexec_fn=cap,
        )
    finally:
        assert producer.stdout is not None
        producer.stdout.close()
        producer.wait(timeout=30)
    assert result.returncode == 2, result.stderr
    assert "over the 1 MB limit (raise it with --max-file-size" in result.stderr


@pytest.mark.parametrize("kind", ["arrays", "objects", "mixed"])
def test_json_depth_limit_is_exact_on_both_sides(kind: str) -> None:
    """The decoder enforces the depth bound itself where it can (no tree walk); the boundary must
    be exact whichever path decides, also when called from deep inside other code."""
    import functools

    from apilint.documents.json_source import parse_json

    def nested(n: int) -> str:
        if kind == "arrays":
            return "[" * n + "]" * n
        if kind == "objects":
            return '{"a":' * n + "1" + "}" * n
        opening = "".join("[" if i % 2 else '{"a":' for i in range(n))
        closing = "".join("]" if i % 2 else "}" for i in reversed(range(n)))
        return opening + "1" + closing

    @functools.lru_cache
    def from_depth(frames: int, text: str, limit: int) -> bool:
        if frames:
            return from_depth(frames - 1, text, limit)
        try:
            parse_json(text, "x.json", limit)
        except LoadError:
            return False
        return True

    for frames in (0, 40):
        for limit in (30, 250):
            assert from_depth(frames, nested(limit), limit)
            assert not from_depth(frames, nested(limit + 1), limit)
