"""``apilint infer LOG... [-o api.yaml] [--spec EXISTING]``: a first OpenAPI description from
access logs.

Exit codes: 0 a description was written; 2 apilint could not do its job (a missing log, a format
it cannot tell, no request in the logs, a ``--spec`` that does not load): one line on stderr;
130 interrupted.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from apilint.cli.log_options import log_reading_options, parse_options
from apilint.infer.run import Inference

MAX_LISTED = 40
"""Left-out paths listed one per line on stderr; the rest are counted."""


@click.command()
@click.argument("logs", nargs=-1, required=True)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the description here (default: standard output). A .json name writes JSON.",
)
@click.option(
    "--spec",
    metavar="EXISTING",
    help="Merge into this description: its operations kept as written, what the logs add "
    "marked x-apilint-inferred.",
)
@click.option("--title", default="Inferred API", show_default=True, help="info.title.")
@log_reading_options
@click.option("-q", "--quiet", is_flag=True, help="No notes and no summary on stderr.")
def infer(
    logs: tuple[str, ...],
    output: Path | None,
    spec: str | None,
    title: str,
    log_format: str,
    json_fields: str | None,
    time_unit: str,
    quiet: bool,
) -> None:
    """Infer an OpenAPI 3.1 description from access logs (plain or .gz files, or - for
    standard input): path templates with typed parameters, query parameters, the statuses seen
    and each operation's usage. Paths the server only refused and scanner probes are left out
    and listed on stderr."""
    from apilint.infer.run import InferOptions, dump, infer

    options = InferOptions(
        log_format=log_format,
        parse=parse_options(time_unit, json_fields),
        title=title,
        spec=spec,
    )
    try:
        result = infer(logs, options)
    except KeyboardInterrupt:
        click.echo("apilint: interrupted: no description written", err=True)
        sys.exit(130)
    as_json = output is not None and output.suffix.lower() == ".json"
    text = dump(result.document, as_json=as_json)
    if output is None:
        click.echo(text, nl=False)
    else:
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as exc:
            from apilint.core.errors import ApilintError

            raise ApilintError(f"cannot write: {exc.strerror or exc}", file=str(output)) from None
    if not quiet:
        _summary(result, spec, output)
    if result.interrupted:
        sys.exit(130)


def _summary(result: Inference, spec: str | None, output: Path | None) -> None:
    for note in result.notes:
        click.echo(f"apilint: note: {note}", err=True)
    if result.left_out:
        requests = sum(item.requests for item in result.left_out)
        click.echo(
            f"apilint: left out {len(result.left_out)} paths ({requests} requests):", err=True
        )
        for item in result.left_out[:MAX_LISTED]:
            click.echo(f"  {item.line()}", err=True)
        if len(result.left_out) > MAX_LISTED:
            click.echo(f"  ... and {len(result.left_out) - MAX_LISTED} more", err=True)
    what = "added" if spec is not None else "inferred"
    count = len(result.operations)
    summary = (
        f"apilint: infer: {count} operation{'' if count == 1 else 's'} {what} "
        f"from {result.requests} requests"
    )
    if spec is not None:
        summary += f" ({result.documented} of them to operations {spec} already has)"
    where = f", written to {output}" if output is not None else ""
    click.echo(summary + where, err=True)
