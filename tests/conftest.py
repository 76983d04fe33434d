"""Shared test helpers: lint a spec written inline, run the CLI for real, find the corpus."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from apilint.core.findings import Finding
from apilint.lint.engine import Linter
from apilint.settings.config import Config

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("APILINT_CORPUS", ROOT.parent / "shared" / "corpus"))


def spec_text(body: str, version: str = "3.0.3") -> str:
    """A complete document: the usual header plus ``body`` (dedented YAML), unless ``body``
    already starts with ``openapi:`` or ``swagger:``."""
    body = textwrap.dedent(body).strip("\n") + "\n"
    if body.startswith(("openapi:", "swagger:")):
        return body
    header = "swagger: '2.0'\n" if version.startswith("2") else f"openapi: {version}\n"
    if "\ninfo:" not in "\n" + body:
        header += "info:\n  title: Test API\n  version: 1.0.0\n"
    if "\npaths:" not in "\n" + body:
        header += "paths: {}\n"
    return header + body


def lint_spec(
    tmp_path: Path,
    body: str,
    *,
    select: Sequence[str] | None = None,
    version: str = "3.0.3",
    name: str = "api.yaml",
    config: Config | None = None,
    options: dict[str, dict[str, object]] | None = None,
) -> list[Finding]:
    """Write ``body`` (completed by :func:`spec_text`) to ``tmp_path/name`` and lint it.

    ``options`` sets rule options the way a config file would: ``{rule_id: {option: value}}``.
    """
    from apilint.settings.config import RuleSetting

    config = config or Config()
    if options:
        config.rules = {
            **config.rules,
            **{rule: RuleSetting(options=dict(opts)) for rule, opts in options.items()},
        }
    path = tmp_path / name
    path.write_text(spec_text(body, version), encoding="utf-8")
    linter = Linter(config, select=select)
    findings, _ = linter.lint_file(path)
    return findings


@pytest.fixture
def lint(tmp_path: Path) -> Callable[..., list[Finding]]:
    """``lint(body, select=[...], options={...})`` -> findings for an inline spec."""

    def run(body: str, **kwargs: object) -> list[Finding]:
        return lint_spec(tmp_path, body, **kwargs)  # type: ignore[arg-type]

    return run


def run_cli(
    *args: str,
    cwd: Path | None = None,
    stdin: str | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 120,
    python_args: bool = False,
) -> subprocess.CompletedProcess[str]:
    """Run ``apilint ARGS`` as a real process (python -m apilint) of this checkout, wherever
    ``cwd`` is (an installed apilint elsewhere on the machine must not answer instead);
    ``python_args``: ARGS are the Python interpreter's (``-c CODE ...``), not apilint's."""
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    full_env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": path, **(env or {})}
    return subprocess.run(
        [sys.executable, *args] if python_args else [sys.executable, "-m", "apilint", *args],
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        env=full_env,
        timeout=timeout,
        check=False,
    )


@pytest.fixture
def corpus() -> Path:
    """The real-world descriptions in ../shared/corpus; skips when they are not there."""
    if not CORPUS.is_dir():
        pytest.skip(f"corpus not available at {CORPUS}")
    return CORPUS
