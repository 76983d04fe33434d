"""Where reports go: one or more formats in one run, each to standard output or a file.

``-f text -f sarif:results.sarif`` prints text and writes SARIF without linting twice;
``-f json -o report.json`` writes JSON to a file. At most one format goes to standard output.
Shared by every command (lint, contract, traffic).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

import click

from apilint.core.errors import ConfigError
from apilint.reports import COMMAND_FORMATS, Report, formats_for, renderer

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class OutputSpec:
    format: str
    path: Path | None = None  # None: standard output


def parse_outputs(
    formats: Sequence[str], output: Path | None, command: str | None = None
) -> list[OutputSpec]:
    """``--format`` values (``name`` or ``name:path``) and ``--output`` to output specs.
    ``command`` adds the formats only that command offers (see COMMAND_FORMATS)."""
    available = formats_for(command)
    specs: list[OutputSpec] = []
    for value in formats or ["text"]:
        name, sep, path = value.partition(":")
        name = name.strip().lower()
        if name not in available:
            owners = [c for c, own in COMMAND_FORMATS.items() if name in own]
            if owners:
                raise ConfigError(
                    f"the {name} report format is offered by 'apilint {owners[0]}' only "
                    f"(choose from {', '.join(sorted(available))})"
                )
            raise ConfigError(
                f"unknown report format '{name}' (choose from {', '.join(sorted(available))})"
            )
        if sep and not path:
            raise ConfigError(f"--format {value}: a file name must follow ':'")
        specs.append(OutputSpec(name, Path(path) if path else None))
    if output is not None:
        for index, spec in enumerate(specs):
            if spec.path is None:
                specs[index] = replace(spec, path=output)
                break
        else:
            raise ConfigError("--output has no format to write: every --format names its own file")
    to_stdout = [s.format for s in specs if s.path is None]
    if len(to_stdout) > 1:
        raise ConfigError(
            f"only one report can go to standard output ({', '.join(to_stdout)} asked to); "
            "give the others a file, e.g. --format sarif:results.sarif"
        )
    return specs


def output_options(function: F, command: str | None = None) -> F:
    """The ``--format``/``--output``/``--color`` options every command shares (``command``: list
    that command's own formats too)."""
    names = ", ".join(sorted(formats_for(command)))
    function = click.option(
        "--color",
        type=click.Choice(["auto", "always", "never"]),
        default="auto",
        show_default=True,
        help="Colour the text report.",
    )(function)
    function = click.option(
        "-o",
        "--output",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Write the report to this file instead of standard output.",
    )(function)
    function = click.option(
        "-f",
        "--format",
        "formats",
        multiple=True,
        metavar="FORMAT[:FILE]",
        help=f"Report format ({names}); repeat for several, FILE to write one to a file. "
        "Default: text.",
    )(function)
    return function


def use_color(option: str, stream: Any) -> bool:
    if option == "always":
        return True
    if option == "never" or os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return bool(getattr(stream, "isatty", lambda: False)())


def write_reports(report: Report, outputs: list[OutputSpec], color: str = "auto") -> None:
    for spec in outputs:
        to_terminal = spec.path is None
        painted = replace(
            report, color=to_terminal and spec.format == "text" and use_color(color, sys.stdout)
        )
        text = renderer(spec.format, report.command)(painted)
        if spec.path is None:
            sys.stdout.write(text)
            sys.stdout.flush()
        else:
            try:
                spec.path.parent.mkdir(parents=True, exist_ok=True)
                spec.path.write_text(text, encoding="utf-8")
            except OSError as exc:
                raise ConfigError(f"cannot write {spec.path}: {exc.strerror or exc}") from None
