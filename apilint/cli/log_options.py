"""The options that say how to read access logs, shared by ``apilint traffic`` and
``apilint infer`` (both read every log format the traffic stage knows)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

import click

from apilint.traffic.logformats import TIME_UNITS

if TYPE_CHECKING:
    from apilint.traffic.logformats import ParseOptions

F = TypeVar("F", bound=Callable[..., object])

LOG_FORMAT_CHOICES = ("auto", "combined", "common", "haproxy", "alb", "jsonl", "har")


def log_reading_options(function: F) -> F:
    """--log-format, --json-fields and --time-unit."""
    options = [
        click.option(
            "--log-format",
            type=click.Choice(LOG_FORMAT_CHOICES),
            default="auto",
            show_default=True,
            help="Format of the logs; auto recognises each file's from its first lines (HAR "
            "files included).",
        ),
        click.option(
            "--json-fields",
            metavar="ROLE=FIELD,...",
            help="JSON lines: which fields hold what, e.g. 'method=req_method, path=uri, "
            "status=code, duration_ms=rt' (roles: method, path, request, status, duration_s, "
            "duration_ms, duration_us, duration_ns, time, client, user_agent, bytes; dotted "
            "names reach into nested objects). Unnamed roles are looked for under their common "
            "names.",
        ),
        click.option(
            "--time-unit",
            type=click.Choice(TIME_UNITS),
            default="auto",
            show_default=True,
            help="Unit of the timing field of combined/common logs (auto: 0.012 is seconds, as "
            "NGINX's $request_time; 12345 is microseconds, as Apache's %D).",
        ),
    ]
    for option in reversed(options):
        function = option(function)
    return function


def parse_options(time_unit: str, json_fields: str | None) -> ParseOptions:
    """What --time-unit and --json-fields ask of the log readers."""
    from apilint.traffic.logformats import ParseOptions, parse_json_fields

    return ParseOptions(time_unit=time_unit, json_fields=parse_json_fields(json_fields))
