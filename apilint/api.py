"""The documented Python API: lint paths or text, get typed findings back."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

from apilint.documents.discovery import expand
from apilint.lint.engine import Linter, lint_one
from apilint.lint.results import LintResult, collect
from apilint.settings.config import Config, load_config

__all__ = ["LintResult", "config_defaults", "lint", "lint_text"]


def config_defaults() -> Config:
    """The built-in defaults, ignoring any config file (for tests that must not depend on the
    working directory)."""
    return Config()


def _linter(
    config: Config | Path | str | None,
    select: Sequence[str] | None,
    ignore: Sequence[str],
) -> Linter:
    if isinstance(config, (str, Path)):
        config = load_config(Path(config))
    elif config is None:
        config = load_config()
    return Linter(config, select=select, ignore=ignore)


def lint(
    paths: str | Path | Iterable[str | Path],
    *,
    config: Config | Path | str | None = None,
    select: Sequence[str] | None = None,
    ignore: Sequence[str] = (),
) -> LintResult:
    """Lint files and directories.

    ``config`` is a Config, a path to a config file, or None to discover one from the working
    directory as the CLI does. ``select``/``ignore`` take rule ids, families or "all".
    """
    if isinstance(paths, (str, Path)):
        paths = [paths]
    linter = _linter(config, select, ignore)
    files = expand([str(p) for p in paths], linter.config.exclude)
    return linter.lint(files)


def lint_text(
    text: str,
    *,
    filename: str = "openapi.yaml",
    config: Config | Path | str | None = None,
    select: Sequence[str] | None = None,
    ignore: Sequence[str] = (),
) -> LintResult:
    """Lint a description held in memory. ``filename`` decides JSON or YAML by its suffix and
    is what findings show as their file; relative $refs resolve from the working directory."""
    linter = _linter(config, select, ignore)
    return collect([(filename, lint_one(linter, filename, text, filename))])
