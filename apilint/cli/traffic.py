"""``apilint traffic SPEC LOG...``: read access logs against an OpenAPI description.

Exit codes as for ``apilint lint``: 0 nothing at or above ``--fail-on`` (default: error, i.e.
``traffic-server-errors``), 1 something is, 2 apilint could not do its job (a missing file, a
spec that does not load, a log in no format it can tell, empty input).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from apilint.cli.log_options import log_reading_options, parse_options
from apilint.cli.options import (
    effective_fail_on,
    fail_on_and_config_options,
    known_ids,
    read_config,
    run_options,
    settings_text,
)
from apilint.cli.output import output_options, parse_outputs, write_reports

TRAFFIC_RULES: tuple[str, ...] = (
    "traffic-undocumented",
    "traffic-redirect",
    "traffic-server-errors",
    "traffic-unused",
    "traffic-status-undocumented",
    "traffic-query-undocumented",
    "traffic-query-invalid",
    "traffic-query-missing",
    "traffic-response-schema",
    "traffic-header-missing",
    "traffic-header-undocumented",
    "traffic-security-missing",
)


def _share(ctx: click.Context, param: click.Parameter, value: str) -> float:
    text = value.strip()
    try:
        share = float(text[:-1]) / 100 if text.endswith("%") else float(text)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a share (0.01 or 1%)") from None
    if not 0 <= share <= 1:
        raise click.BadParameter(f"{value!r} is not between 0 and 1 (or 0% and 100%)")
    return share


def _ignored(values: tuple[str, ...]) -> frozenset[str]:
    choices = ", ".join(TRAFFIC_RULES)
    return known_ids(
        values,
        TRAFFIC_RULES,
        lambda rule: f"--ignore: unknown rule '{rule}' (choose from {choices})",
    )


def _traffic_output_options(function: Any) -> Any:
    return output_options(function, command="traffic")


@click.command()
@click.argument("spec", type=str, required=False, metavar="SPEC")
@click.argument("logs", nargs=-1, metavar="LOGS...")
@_traffic_output_options
@log_reading_options
@click.option(
    "--base-path",
    "base_paths",
    multiple=True,
    metavar="PATH",
    help="Match requests under this base path instead of the description's servers/basePath "
    "(repeatable; '/' for logs written behind a proxy that strips the prefix).",
)
@click.option(
    "--group-depth",
    type=click.IntRange(min=1),
    default=None,
    help="Path segments (after the base path) that make a prefix in the usage-by-prefix table "
    "(default: the depth where the called operations first divide into several groups).",
)
@click.option(
    "--max-error-share",
    default="0.01",
    show_default=True,
    metavar="SHARE",
    callback=_share,
    help="traffic-server-errors: report operations whose share of 5xx responses is above this "
    "(0.01 or 1%).",
)
@click.option(
    "--coverage",
    is_flag=True,
    help="Also report which documented response codes and query parameters no request exercised.",
)
@click.option(
    "--min-status-share",
    default="0.01",
    show_default=True,
    metavar="SHARE",
    callback=_share,
    help="traffic-status-undocumented: report a status an operation does not document when it "
    "answers more than this share of the operation's requests (0.01 or 1%).",
)
@click.option(
    "--min-requests",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Judge redirect and error shares only for operations with at least this many calls.",
)
@click.option(
    "--ignore",
    multiple=True,
    metavar="RULES",
    help=f"Skip these rules ({', '.join(TRAFFIC_RULES)}; comma-separated; repeatable).",
)
@fail_on_and_config_options
@run_options
@click.option("-q", "--quiet", is_flag=True, help="Only findings: no tables, no notes.")
def traffic(
    spec: str,
    logs: tuple[str, ...],
    formats: tuple[str, ...],
    output: Path | None,
    color: str,
    log_format: str,
    json_fields: str | None,
    time_unit: str,
    base_paths: tuple[str, ...],
    group_depth: int | None,
    max_error_share: float,
    coverage: bool,
    min_status_share: float,
    min_requests: int,
    ignore: tuple[str, ...],
    fail_on: str | None,
    config_path: Path | None,
    no_config: bool,
    verbose: bool,
    exit_zero: bool,
    show_settings: bool,
    quiet: bool,
) -> None:
    """Read access logs or HAR files (plain or .gz files, or - for standard input) against the
    OpenAPI description SPEC: every request counted once with its status, usage per operation,
    prefix and tag, undocumented endpoints, statuses and query parameters, unused operations,
    trailing-slash redirects and server errors."""
    from apilint.core.findings import Severity
    from apilint.lint.command_settings import command_settings
    from apilint.traffic.analysis import AnalysisOptions, analyse
    from apilint.traffic.matcher import Matcher, load_spec
    from apilint.traffic.report import Thresholds, build_report, hints

    outputs = parse_outputs(formats, output, command="traffic")
    config = read_config(config_path, no_config, verbose)
    settings = command_settings(config, "traffic")
    if show_settings:
        flags = {"fail-on": fail_on, "exit-zero": exit_zero}
        click.echo(settings_text(config, "traffic", flags, [], _ignored(ignore)), nl=False)
        return
    thresholds = Thresholds(
        max_error_share=max_error_share,
        min_requests=min_requests,
        group_depth=group_depth,
        ignore=_ignored(ignore) | settings.ignore,
        min_status_share=min_status_share,
        coverage=coverage,
    )
    options = AnalysisOptions(
        log_format=log_format,
        parse=parse_options(time_unit, json_fields),
    )
    if spec is None or not logs:
        raise click.UsageError(f"Missing argument '{'LOGS...' if spec else 'SPEC'}'.")
    api = load_spec(spec)
    matcher = Matcher(api, base_paths or None)
    notes: list[str] = []
    aggregator = analyse(matcher, logs, options, notes)
    report = build_report(api, matcher, aggregator, thresholds, quiet=quiet)
    if not quiet:
        for note in [*notes, *hints(aggregator, matcher)]:
            click.echo(f"apilint: note: {note}", err=True)
    report.findings = settings.apply(report.findings)
    effective = effective_fail_on(fail_on, exit_zero, settings.fail_on)
    report.fail_on = None if effective == "never" else Severity.parse(effective)
    write_reports(report, outputs, color)
    if effective == "never":
        sys.exit(0)
    threshold = Severity.parse(effective)
    sys.exit(1 if any(f.severity >= threshold for f in report.findings) else 0)
