"""``apilint contract``: the command line. Imports nothing heavy until the command runs."""

from __future__ import annotations

import os
import signal
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

import click

from apilint.cli.options import (
    config_origin,
    effective_fail_on,
    fail_on_and_config_options,
    read_config,
    run_options,
    settings_text,
)
from apilint.cli.output import output_options, parse_outputs, write_reports
from apilint.contract.options import MODES
from apilint.core.errors import ConfigError

EXIT_INTERRUPTED = 130
"""Ctrl-C: the shell's 128 + SIGINT, as Schemathesis uses. The report of what was found so far is
still written."""

EXIT_TERMINATED = 143
"""SIGTERM (what ``timeout`` and CI runners send): 128 + 15, the report so far written too."""


@click.command(context_settings={"help_option_names": ["-h", "--help"]})
@click.argument(
    "spec", type=click.Path(dir_okay=False, path_type=Path), required=False, metavar="SPEC"
)
@click.option(
    "--base-url",
    metavar="URL",
    help="Where the service runs; the spec's paths are appended (include any base path, "
    "e.g. https://staging.example.com/v1).",
)
@click.option(
    "--app",
    metavar="MODULE:ATTR",
    help="Test a WSGI or ASGI app in-process instead (thoughts.app:app, path/to/app.py:app, "
    "pkg.app:create_app()).",
)
@click.option(
    "-H",
    "--header",
    "headers",
    multiple=True,
    metavar="'NAME: VALUE'",
    help="Send this header with every request (repeatable). ${VAR} is read from the "
    "environment. Values are secrets: shown as *** everywhere.",
)
@click.option("--read-only", is_flag=True, help="Send only GET, HEAD and OPTIONS requests.")
@click.option(
    "--allow-writes",
    is_flag=True,
    help="Allow POST, PUT, PATCH and DELETE to a host that is not this machine.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1, max=600),
    default=10.0,
    show_default=True,
    metavar="SECONDS",
    help="Give up on a request after this long.",
)
@click.option(
    "--max-examples",
    type=click.IntRange(min=1),
    default=100,
    show_default=True,
    help="Generated requests per operation and phase (Schemathesis).",
)
@click.option("--seed", type=click.IntRange(min=0), help="Same seed, same requests.")
@click.option(
    "--rate-limit",
    metavar="RATE",
    help="At most this many requests: 10 (per second), 10/s, 600/m, 1000/h.",
)
@click.option(
    "--include-path",
    "include_paths",
    multiple=True,
    metavar="REGEX",
    help="Only operations whose path template matches (re.search; repeatable).",
)
@click.option("--insecure", is_flag=True, help="Do not verify TLS certificates.")
@click.option(
    "--workers",
    type=click.IntRange(min=1, max=64),
    default=1,
    show_default=True,
    help="Concurrent Schemathesis workers.",
)
@click.option(
    "--phases",
    metavar="LIST",
    help="Schemathesis phases: examples,coverage,fuzzing,stateful (default: all).",
)
@click.option(
    "--mode",
    type=click.Choice(MODES),
    default="all",
    show_default=True,
    help="Generate valid data, invalid data, or both.",
)
@click.option("--select", multiple=True, metavar="IDS", help="Only these finding ids.")
@click.option("--ignore", multiple=True, metavar="IDS", help="Skip these finding ids.")
@output_options
@fail_on_and_config_options
@run_options
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Show progress on standard error (default: only on a terminal).",
)
@click.option("-q", "--quiet", is_flag=True, help="Only findings: no summary, no notes.")
def contract(
    spec: Path | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    formats: tuple[str, ...],
    output: Path | None,
    color: str,
    fail_on: str | None,
    config_path: Path | None,
    no_config: bool,
    verbose: bool,
    exit_zero: bool,
    show_settings: bool,
    progress: bool | None,
    quiet: bool,
    **run: Any,
) -> None:
    """Test a running service (or an in-process app) against its OpenAPI description.

    \b
    apilint contract api.yaml --base-url http://127.0.0.1:5000
    apilint contract api.yaml --app thoughts.app:app
    apilint contract api.yaml --base-url https://staging.example.com \\
        --header 'Authorization: Bearer ${TOKEN}' --read-only --seed 7 -f json

    Redirect and trailing-slash probes on every operation, then property-based fuzzing with
    Schemathesis. Writes (POST, PUT, PATCH, DELETE) go only to this machine unless
    --allow-writes; redirects are never followed to another host. Exit codes: 0 nothing at or
    above --fail-on, 1 findings, 2 could not run, 130 interrupted (the report is still written).
    """
    from apilint.lint.command_settings import command_settings

    outputs = parse_outputs(formats, output)
    config = read_config(config_path, no_config, verbose)
    settings = command_settings(config, "contract")
    if show_settings:
        _show_settings(config, fail_on, exit_zero, select, ignore, settings.ignore)
        return
    if spec is None:
        raise click.UsageError("Missing argument 'SPEC'.")
    # ``run``: the options of the run itself (--base-url, --timeout, ...), as _contract_options
    # names them.
    options = _contract_options(spec, select=select, ignore=(*ignore, *settings.ignore), **run)
    outcome = _run(options, progress, quiet)
    outcome.findings = settings.apply(outcome.findings)
    effective = effective_fail_on(fail_on, exit_zero, settings.fail_on)
    write_reports(_report(outcome, options, effective, quiet), outputs, color)
    if not quiet:
        _say_outcome(outcome)
    sys.exit(_exit_code(outcome, effective))


def _show_settings(
    config: Any,
    fail_on: str | None,
    exit_zero: bool,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    config_ignore: frozenset[str],
) -> None:
    """--show-settings: the config's ignore counts too; --select and --ignore on the command line
    turn rules off. What a run would refuse (an unknown id, nothing left to check) is refused."""
    from apilint.contract.options import select_rules

    select_rules(select, (*ignore, *config_ignore))
    flags = {"fail-on": fail_on, "exit-zero": exit_zero}
    selected = select_rules(select, ()) if select else None
    text = settings_text(
        config,
        "contract",
        flags,
        [("select", sorted(selected) if selected else "all", config_origin(config, selected, ""))],
        select_rules(ignore, ()) if ignore else frozenset(),
        selected,
    )
    click.echo(text, nl=False)


def _contract_options(
    spec: Path,
    *,
    base_url: str | None,
    app: str | None,
    headers: tuple[str, ...],
    read_only: bool,
    allow_writes: bool,
    timeout: float,
    max_examples: int,
    seed: int | None,
    rate_limit: str | None,
    include_paths: tuple[str, ...],
    insecure: bool,
    workers: int,
    phases: str | None,
    mode: str,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
) -> Any:
    """The command line checked and turned into the runner's ContractOptions."""
    from apilint.contract.options import (
        ContractOptions,
        check_base_url,
        check_regexes,
        parse_headers,
        parse_phases,
        parse_rate_limit,
        select_rules,
    )

    if app is not None and base_url is not None:
        raise ConfigError(
            "--app and --base-url contradict each other: --app tests an app in-process, "
            "--base-url a running service"
        )
    if read_only and allow_writes:
        raise ConfigError("--read-only and --allow-writes contradict each other")
    parsed_headers, secrets = parse_headers(headers)
    return ContractOptions(
        spec=spec,
        base_url=check_base_url(base_url) if base_url is not None else None,
        app=app,
        headers=parsed_headers,
        secrets=secrets,
        read_only=read_only,
        allow_writes=allow_writes,
        timeout=timeout,
        max_examples=max_examples,
        seed=seed,
        rate_limit=parse_rate_limit(rate_limit),
        include_paths=check_regexes(include_paths),
        insecure=insecure,
        workers=workers,
        phases=parse_phases(phases),
        mode=mode,
        rules=select_rules(select, ignore),
    )


def _run(options: Any, progress: bool | None, quiet: bool) -> Any:
    """The probes and Schemathesis, stopped cleanly by Ctrl-C or SIGTERM."""
    from apilint.contract.session import Session

    _keep_hypothesis_out_of_the_project()
    session = Session(
        options, progress=progress, announce=None if quiet else lambda t: click.echo(t, err=True)
    )
    with _interruptible(session):
        return session.run()


def _report(outcome: Any, options: Any, fail_on: str, quiet: bool) -> Any:
    from apilint.contract.rules import contract_rules
    from apilint.core.findings import Severity
    from apilint.reports import Report

    report = Report(
        command="contract",
        findings=outcome.findings,
        files=[outcome.spec],
        rules={
            rule_id: rule.info()
            for rule_id, rule in contract_rules().items()
            if rule_id in options.rules
        },
        # JUnit makes a passing case of every tested operation without findings.
        extra={"run": outcome.run_info(), "operations": sorted(outcome.coverage.tested)},
        quiet=quiet,
        errors=outcome.incomplete,
    )
    report.fail_on = None if fail_on == "never" else Severity.parse(fail_on)
    return report


def _say_outcome(outcome: Any) -> None:
    """Notes, what was not tested, and the one-line summary, on stderr."""
    for note in outcome.notes:
        click.echo(f"apilint: note: {note}", err=True)
    untested = outcome.coverage.untested()
    for line in untested[:MAX_UNTESTED_SHOWN]:
        click.echo(f"apilint: not tested: {line}", err=True)
    if len(untested) > MAX_UNTESTED_SHOWN:
        click.echo(
            f"apilint: not tested: ... and {len(untested) - MAX_UNTESTED_SHOWN} more "
            "(every one is in the JSON report's run.coverage)",
            err=True,
        )
    rate = outcome.requests / outcome.seconds if outcome.seconds > 0 else 0.0
    click.echo(
        f"apilint: contract: {outcome.coverage.summary()}, {outcome.requests} requests "
        f"in {outcome.seconds:.1f} s ({rate:.0f}/s), seed {outcome.seed}",
        err=True,
    )


def _exit_code(outcome: Any, fail_on: str) -> int:
    """130/143 interrupted, 2 could not run or test anything, 1 findings at or above
    ``fail_on``, else 0 (each but the last said on stderr)."""
    from apilint.core.findings import Severity

    if outcome.interrupted:
        click.echo("apilint: interrupted: the report covers what was tested so far", err=True)
        return EXIT_TERMINATED if outcome.signal == "SIGTERM" else EXIT_INTERRUPTED
    if outcome.error is not None:
        click.echo(f"apilint: error: {outcome.incomplete[0]}", err=True)
        return 2
    if not outcome.coverage.tested:
        click.echo("apilint: error: no operation could be tested (see above)", err=True)
        return 2
    threshold = None if fail_on == "never" else Severity.parse(fail_on)
    failed = threshold is not None and any(f.severity >= threshold for f in outcome.findings)
    return 1 if failed else 0


def _keep_hypothesis_out_of_the_project() -> None:
    """Hypothesis keeps a ``.hypothesis/`` directory (a cache of constants it mines from local
    modules) in the working directory; a contract run should not leave one in the user's
    project. It goes to the user's cache directory instead, unless they chose a place."""
    if os.environ.get("HYPOTHESIS_STORAGE_DIRECTORY"):
        return
    from hypothesis.configuration import set_hypothesis_home_dir

    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    home = Path(base) / "apilint" / "hypothesis"
    try:
        home.mkdir(parents=True, exist_ok=True)
    except OSError:
        home = Path(tempfile.mkdtemp(prefix="apilint-hypothesis-"))
    set_hypothesis_home_dir(home)


MAX_UNTESTED_SHOWN = 20


class _interruptible:
    """First Ctrl-C (or SIGTERM): stop cleanly (finish requests in flight, keep the findings).
    Second: stop now, still with the report so far."""

    def __init__(self, session: Any) -> None:
        self.session = session
        self.previous: Any = None
        self.installed = False

    def __enter__(self) -> None:
        if threading.current_thread() is not threading.main_thread():
            return
        self.previous = {
            signum: signal.getsignal(signum) for signum in (signal.SIGINT, signal.SIGTERM)
        }

        def handler(signum: int, frame: Any) -> None:
            if self.session.stopped.is_set():
                raise KeyboardInterrupt
            self.session.stop(signal.Signals(signum).name)

        for signum in self.previous:
            signal.signal(signum, handler)
        self.installed = True

    def __exit__(self, *exc: object) -> None:
        if self.installed:
            for signum, previous in self.previous.items():
                signal.signal(signum, previous)
