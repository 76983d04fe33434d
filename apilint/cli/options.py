"""Command-line options that several commands share: --fail-on with the config's default and
--config / --no-config (contract, traffic), --baseline / --write-baseline (lint, diff)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click

F = TypeVar("F", bound=Callable[..., object])


def fail_on_and_config_options(function: F) -> F:
    """--fail-on (default: the config's fail-on, or error), --config and --no-config."""
    options = [
        click.option(
            "--fail-on",
            type=click.Choice(["error", "warning", "info", "never"]),
            help="Exit 1 when a finding is at or above this severity "
            "(default: the config's, or error).",
        ),
        click.option(
            "--config",
            "config_path",
            type=click.Path(dir_okay=False, path_type=Path),
            help="Config file (default: apilint.yaml, .apilint.yaml or [tool.apilint] in "
            "pyproject.toml, found from the working directory upwards): its fail-on, and the "
            "ignore and rules entries that name this command's finding ids.",
        ),
        click.option("--no-config", is_flag=True, help="Ignore config files."),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def baseline_options(function: F) -> F:
    """--baseline FILE and --write-baseline FILE."""
    options = [
        click.option(
            "--baseline",
            "baseline_path",
            type=click.Path(dir_okay=False, path_type=Path),
            metavar="FILE",
            help="Hide the findings recorded in this baseline file; report only new ones.",
        ),
        click.option(
            "--write-baseline",
            type=click.Path(dir_okay=False, path_type=Path),
            metavar="FILE",
            help="Record every finding of this run in FILE (for --baseline) instead of "
            "reporting them.",
        ),
    ]
    for option in reversed(options):
        function = option(function)
    return function
