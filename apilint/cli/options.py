"""Command-line options that several commands share: --fail-on with the config's default and
--config / --no-config (contract, traffic, diff), -v / --exit-zero / --show-settings and what
they do (contract, traffic, diff, as lint has them), --baseline / --write-baseline (lint, diff),
how comma-separated rule ids are read (lint, traffic, diff), and how descriptions are read:
--allow-remote-refs, --ref-root, --max-file-size (lint, diff)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., object])


def split_ids(values: Sequence[str]) -> list[str]:
    """``--select a,b --select c`` -> ``[a, b, c]``."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def known_ids(
    values: Sequence[str], known: Collection[str], unknown: Callable[[str], str]
) -> frozenset[str]:
    """The rule ids in ``values`` (comma-separated, repeatable); ConfigError with the message
    ``unknown(id)`` for the first one not in ``known``."""
    from apilint.core.errors import ConfigError

    ids = split_ids(values)
    for rule in ids:
        if rule not in known:
            raise ConfigError(unknown(rule))
    return frozenset(ids)


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


def reading_options(function: F) -> F:
    """--allow-remote-refs, --ref-root DIR and --max-file-size SIZE (see :func:`file_size`)."""
    options = [
        click.option(
            "--allow-remote-refs",
            is_flag=True,
            default=None,
            help="Fetch http(s) $refs (never done otherwise).",
        ),
        click.option(
            "--ref-root",
            type=click.Path(file_okay=False, path_type=Path),
            help="Directory relative $refs may read from (default: each description's directory).",
        ),
        click.option(
            "--max-file-size", metavar="SIZE", help="Refuse files larger than this (default 64MB)."
        ),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def file_size(value: str | None) -> int | None:
    """--max-file-size in bytes (None: not given)."""
    from apilint.settings.config import parse_size

    return None if value is None else parse_size(value, "--max-file-size")


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


def run_options(function: F) -> F:
    """-v/--verbose, --exit-zero and --show-settings, as lint has them."""
    options = [
        click.option(
            "-v",
            "--verbose",
            is_flag=True,
            help="Say on stderr which config file was read.",
        ),
        click.option(
            "--exit-zero",
            is_flag=True,
            help="Exit 0 even when there are findings (--fail-on never); 2 still means apilint "
            "could not do its job.",
        ),
        click.option(
            "--show-settings",
            is_flag=True,
            help="Print the effective settings, each with where it came from, and exit.",
        ),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def read_config(config_path: Path | None, no_config: bool, verbose: bool) -> Any:
    """The configuration (``--config``, else the one found upwards, unless ``--no-config``);
    ``-v`` says on stderr which file that was."""
    from apilint.settings.config import load_config

    config = load_config(config_path, discover=not no_config)
    if verbose:
        where = config.source if config.source is not None else "none (the defaults)"
        click.echo(f"apilint: config: {where}", err=True)
    return config


def effective_fail_on(fail_on: str | None, exit_zero: bool, config_fail_on: str) -> str:
    """``--exit-zero`` (never), else ``--fail-on``, else the config's."""
    if exit_zero:
        return "never"
    return fail_on or config_fail_on


def settings_text(
    config: Any,
    command: str,
    flags: dict[str, Any],
    values: list[tuple[str, Any, str]],
    cli_ignore: frozenset[str] = frozenset(),
    selected: frozenset[str] | None = None,
) -> str:
    """``--show-settings`` of a command other than lint: the config file, fail-on and ignore,
    the command's own ``values`` (key, value, where it came from), each with where it came from
    (a command-line flag, the config file, or the default), then every rule the command reports
    with its severity (``off`` when ignored, left unselected or turned off)."""
    from apilint.lint.command_settings import command_settings
    from apilint.lint.rulesets import command_rules

    settings = command_settings(config, command)
    source = str(config.source) if config.source is not None else None
    rules = command_rules(command)

    fail_on = effective_fail_on(flags.get("fail-on"), bool(flags.get("exit-zero")), config.fail_on)
    fail_on_origin = (
        "--exit-zero"
        if flags.get("exit-zero")
        else config_origin(config, flags.get("fail-on"), "fail-on")
    )
    ignored = sorted(cli_ignore | settings.ignore)
    if cli_ignore and settings.ignore:
        ignore_origin = f"command line + {source}"
    else:
        ignore_origin = "command line" if cli_ignore else config_origin(config, None, "ignore")
    shown: list[tuple[str, Any, str]] = [
        ("fail-on", fail_on, fail_on_origin),
        ("ignore", ignored, ignore_origin),
        *values,
    ]
    lines = [f"config file: {source or 'none'}"]
    width = max(len(key) for key, _, _ in shown)
    for key, value, where in shown:
        text = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
        lines.append(f"{key:<{width}}  {text or '[]'}  ({where})")
    lines.append(f"rules ({len(rules)}):")
    rule_width = max((len(rule_id) for rule_id in rules), default=0)
    for rule_id in sorted(rules):
        severity = settings.severities.get(rule_id, rules[rule_id].severity)
        off = rule_id in ignored or (selected is not None and rule_id not in selected)
        label = "off" if off or severity is None else severity.label
        lines.append(f"  {rule_id:<{rule_width}}  {label}")
    return "\n".join(lines) + "\n"


def config_origin(config: Any, given: object, key: str) -> str:
    """Where a setting came from: the command line (``given``), the config file, or the
    default."""
    if given is not None and given is not False:
        return "command line"
    if config.source is not None and key in config.keys:
        return str(config.source)
    return "default"
