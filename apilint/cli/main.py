"""The command line: a thin layer over the Python API.

Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it; 2 apilint could not do its
job (a file it can't read, a bad config, an unknown rule): one line on stderr, never a traceback.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from apilint import __version__
from apilint.cli.options import (
    baseline_options,
    file_size,
    read_config,
    reading_options,
    split_ids,
)
from apilint.cli.output import output_options, parse_outputs, write_reports
from apilint.core.errors import ApilintError, ConfigError

F = TypeVar("F", bound=Callable[..., Any])


def fail(message: str) -> None:
    click.echo(f"apilint: error: {message}", err=True)


LAZY_COMMANDS = {
    "contract": "apilint.cli.contract:contract",
    "infer": "apilint.cli.infer:infer",
    "traffic": "apilint.cli.traffic:traffic",
    "diff": "apilint.cli.diff:diff",
}
"""Commands whose modules import heavy dependencies (Schemathesis...) only when they run."""


OPTIONAL_MODULES = {"schemathesis": "contract", "hypothesis": "contract"}
"""Modules of an optional extra (pyproject.toml), by top-level name, and the extra's name: a
lint-only install has none of them."""


class ApilintGroup(click.Group):
    """Loads heavy commands lazily; turns ApilintError (and stray bugs) into one line and exit 2."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self._available_lazy()})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is not None or cmd_name not in self._available_lazy():
            return command
        import importlib

        module_name, _, attribute = LAZY_COMMANDS[cmd_name].partition(":")
        loaded: click.Command = getattr(importlib.import_module(module_name), attribute)
        return loaded

    @staticmethod
    def _available_lazy() -> list[str]:
        import importlib.util

        out = []
        for name, target in LAZY_COMMANDS.items():
            module_name = target.partition(":")[0]
            try:
                if importlib.util.find_spec(module_name) is not None:
                    out.append(name)
            except ModuleNotFoundError:
                continue
        return out

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ApilintError as exc:
            fail(str(exc))
            ctx.exit(2)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except KeyboardInterrupt:
            # Not click's "Aborted!" and exit 1, which CI cannot tell from findings: 130, as
            # shells report a process ended by Ctrl-C (commands that can write a partial report
            # catch it themselves and say what they covered).
            click.echo("apilint: interrupted", err=True)
            ctx.exit(130)
        except BrokenPipeError:
            _closed_pipe()
        except MemoryError:
            fail("out of memory")
            ctx.exit(2)
        except Exception as exc:  # a bug in apilint: still one line, and say so
            missing = exc.name or "" if isinstance(exc, ModuleNotFoundError) else ""
            extra = OPTIONAL_MODULES.get(missing.partition(".")[0])
            if extra is not None:
                fail(
                    f"'apilint {ctx.invoked_subcommand}' needs {missing}, which is not "
                    f"installed: pip install 'apilint[{extra}]'"
                )
            elif os.environ.get("APILINT_DEBUG"):
                raise
            else:
                fail(
                    f"internal error: {type(exc).__name__}: {exc} "
                    "(set APILINT_DEBUG=1 for a traceback)"
                )
            ctx.exit(2)


def _closed_pipe() -> None:
    """Whoever read standard output stopped (``apilint rules | head``): end quietly, with the
    status a Unix tool killed by SIGPIPE has (128 + 13), and point standard output at /dev/null
    so that the interpreter's final flush has nowhere to fail."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass
    sys.exit(141)


@click.group(cls=ApilintGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="apilint", message="%(prog)s %(version)s")
def main() -> None:
    """apilint keeps HTTP APIs honest: lint OpenAPI documents, fuzz live services from them, and
    read access logs against them."""
    import gc

    # A parsed description is hundreds of thousands of long-lived, acyclic objects; with the
    # default thresholds the cycle collector keeps rescanning them while rules allocate
    # (a third of the time on the largest descriptions). Collect young objects less often.
    gc.set_threshold(100_000, 50, 100)


def run() -> None:
    """The ``apilint`` command: :func:`main` in a process of its own (parsed documents are kept
    out of the cycle collector's sight), then a quick exit.

    An interpreter that ends normally runs a full cycle collection and frees every object one
    by one: a fifth of the whole run for a 13 MB description. Once the report is written,
    none of that has any effect outside the process, so when no other thread is running, the
    exit handlers run and the standard streams are flushed, and the process ends at once."""
    import atexit
    import contextlib
    import threading

    from apilint.documents.loader import freeze_parsed_data

    freeze_parsed_data()  # a process that ends after one command: see there
    try:
        main()
        status: Any = 0
    except SystemExit as exc:
        status = exc.code
    if threading.active_count() != 1:
        sys.exit(status)
    if status is None:
        status = 0
    elif not isinstance(status, int):
        print(status, file=sys.stderr)
        status = 1
    atexit._run_exitfuncs()
    try:
        sys.stdout.flush()
    except (BrokenPipeError, ValueError):
        status = 141 if status == 0 else status
    with contextlib.suppress(OSError, ValueError):
        sys.stderr.flush()
    os._exit(status & 0xFF if status >= 0 else 1)


def _common_selection(function: F) -> F:
    options = [
        click.option(
            "--config",
            "config_path",
            type=click.Path(dir_okay=False, path_type=Path),
            help="Config file (default: apilint.yaml, .apilint.yaml or [tool.apilint] in "
            "pyproject.toml, found from the working directory upwards).",
        ),
        click.option("--no-config", is_flag=True, help="Ignore config files."),
        click.option(
            "--select",
            multiple=True,
            metavar="RULES",
            help="Only these rules (ids, families or 'all'; comma-separated; repeatable).",
        ),
        click.option(
            "--extend-select",
            multiple=True,
            metavar="RULES",
            help="Add these rules to the selection.",
        ),
        click.option("--ignore", multiple=True, metavar="RULES", help="Skip these rules."),
    ]
    for option in reversed(options):
        function = option(function)
    return function


@main.command()
@click.argument("specs", nargs=-1)
@output_options
@click.option(
    "--fail-on",
    type=click.Choice(["error", "warning", "info", "never"]),
    help="Exit 1 when a finding is at or above this severity (default: error).",
)
@_common_selection
@click.option("-q", "--quiet", is_flag=True, help="Only findings: no summary line, no notes.")
@click.option(
    "--stdin-filename",
    default="stdin.yaml",
    show_default=True,
    help="Name (and so format) of the document read from '-'.",
)
@click.option(
    "-r",
    "--ruleset",
    "rulesets",
    multiple=True,
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="A Spectral ruleset (.spectral.yaml) to run as well (repeatable). Without it and "
    "without an apilint config, a .spectral.yaml|yml|json in the working directory is used.",
)
@reading_options
@click.option(
    "--max-depth",
    type=click.IntRange(min=1),
    metavar="N",
    help="Refuse objects and arrays nested deeper than this (default 250).",
)
@click.option(
    "--max-nodes",
    type=click.IntRange(min=1),
    metavar="N",
    help="Refuse YAML with more nodes than this once aliases are expanded (default 5000000).",
)
@click.option(
    "--max-ref-hops",
    type=click.IntRange(min=1),
    metavar="N",
    help="Refuse $ref chains (a ref to a ref to ...) longer than this (default 64).",
)
@click.option(
    "--statistics",
    is_flag=True,
    help="Print how many findings each rule reported instead of the findings.",
)
@baseline_options
@click.option(
    "--report-stale-baseline",
    is_flag=True,
    help="List baseline entries that no longer match any finding, and exit 1 if there are any.",
)
@click.option(
    "--changed-since",
    metavar="REV",
    help="Lint only the OpenAPI documents git reports as changed since REV (or that reference "
    "a changed file), among SPECS (default: the current directory).",
)
@click.option(
    "--skip-non-openapi",
    is_flag=True,
    help="Skip named files that are not OpenAPI documents instead of failing on them "
    "(for pre-commit hooks that pass every YAML and JSON file).",
)
@click.option(
    "--force-exclude/--no-force-exclude",
    default=None,
    help="Apply the config's exclude globs to files named on the command line too, as pre-commit "
    "passes them (the pre-commit hook's default).",
)
@click.option(
    "-v",
    "--verbose",
    is_flag=True,
    help="Say on stderr which config file was read and which files were skipped, and why.",
)
@click.option(
    "--exit-zero",
    is_flag=True,
    help="Exit 0 even when there are findings (--fail-on never); 2 still means apilint could "
    "not do its job.",
)
@click.option(
    "--sarif-category",
    metavar="NAME",
    help="The SARIF run's automationDetails.id, to tell apart uploads of several runs (without "
    "it, the upload action's category applies).",
)
@click.option(
    "--show-settings",
    is_flag=True,
    help="Print the effective settings, each with where it came from, and exit.",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    help="Lint files in this many processes (default: the number of CPUs); with two or more, "
    "the validation of a description's examples, when there are thousands, runs in a second "
    "process beside its other rules. The report is the same whatever the number.",
)
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where results of unchanged files are kept (default: .apilint_cache beside the config "
    "file, or in the working directory).",
)
@click.option("--no-cache", is_flag=True, help="Lint every file again; read and write no cache.")
def lint(
    specs: tuple[str, ...],
    formats: tuple[str, ...],
    output: Path | None,
    color: str,
    fail_on: str | None,
    config_path: Path | None,
    no_config: bool,
    select: tuple[str, ...],
    extend_select: tuple[str, ...],
    ignore: tuple[str, ...],
    quiet: bool,
    stdin_filename: str,
    allow_remote_refs: bool | None,
    rulesets: tuple[Path, ...],
    ref_root: Path | None,
    max_file_size: str | None,
    max_depth: int | None,
    max_nodes: int | None,
    max_ref_hops: int | None,
    statistics: bool,
    baseline_path: Path | None,
    write_baseline: Path | None,
    report_stale_baseline: bool,
    changed_since: str | None,
    skip_non_openapi: bool,
    force_exclude: bool | None,
    verbose: bool,
    exit_zero: bool,
    sarif_category: str | None,
    show_settings: bool,
    jobs: int | None,
    cache_dir: Path | None,
    no_cache: bool,
) -> None:
    """Lint OpenAPI documents (files, directories, or - for standard input)."""
    from apilint.lint.parallel import LinterSettings
    from apilint.settings.config import limits

    if not specs and changed_since is None and not show_settings:
        raise click.UsageError("Missing argument 'SPECS...'.")
    if report_stale_baseline and baseline_path is None:
        raise click.UsageError("--report-stale-baseline needs --baseline FILE.")
    if write_baseline is not None and changed_since is not None:
        raise click.UsageError(
            "--write-baseline records every finding; it can't be combined with --changed-since."
        )
    outputs = parse_outputs(formats, output)
    if statistics:
        outputs = _with_statistics(outputs)
    config = read_config(config_path, no_config, verbose)
    _spectral_rulesets(config, rulesets, no_config, quiet)
    if exit_zero:
        fail_on = "never"
    load_options = limits(
        config,
        max_file_size=file_size(max_file_size),
        max_depth=max_depth,
        max_nodes=max_nodes,
        max_ref_hops=max_ref_hops,
    )
    settings = LinterSettings(
        config,
        select=tuple(split_ids(select)) or None,
        extend_select=tuple(split_ids(extend_select)),
        ignore=tuple(split_ids(ignore)),
        load_options=load_options,
        allow_remote_refs=allow_remote_refs,
        ref_root=ref_root,
        cache_dir=None if no_cache else _cache_dir(cache_dir, config, quiet),
    )
    if show_settings:
        flags = {
            "fail-on": fail_on,
            "select": select or None,
            "extend-select": extend_select or None,
            "ignore": ignore or None,
            "allow-remote-refs": allow_remote_refs,
            "ref-root": ref_root,
            "max-file-size": max_file_size,
            "max-depth": max_depth,
            "max-nodes": max_nodes,
            "max-ref-hops": max_ref_hops,
            "force-exclude": force_exclude,
        }
        click.echo(_settings_text(config, settings.build(), flags), nl=False)
        return
    # Settings the cache has seen built (so they are valid): when every file is unchanged too,
    # the report comes from the cache, without building the linter.
    remembered = settings.remembered() if baseline_path is None and write_baseline is None else None
    linter: Any = None if remembered is not None else settings.build()
    if linter is not None and not quiet:
        for note in linter.notes:
            click.echo(f"apilint: note: {note}", err=True)
    files = _files_to_lint(
        specs, config, changed_since, skip_non_openapi, bool(force_exclude), quiet, verbose
    )
    answered = (
        settings.cached(files, remembered) if remembered is not None and "-" not in files else None
    )
    stopped: Stopped | None = None
    if answered is not None:
        result, rules = answered
    else:
        linter = linter or settings.build()
        result, stopped = _lint_all(linter, settings, files, jobs, stdin_filename)
        rules = linter.rule_infos()
    for error in result.errors:
        fail(str(error))
    if not quiet:
        for note in result.notes:
            click.echo(f"apilint: note: {note}", err=True)
    if write_baseline is not None and stopped is None:
        sys.exit(_write_baseline(write_baseline, result))
    extra: dict[str, Any] = {}
    stale = 0
    if baseline_path is not None:
        stale = _apply_baseline(baseline_path, linter, result, extra, report_stale_baseline, quiet)
    effective_fail_on = fail_on or config.fail_on
    _write_lint_report(
        rules, result, extra, stopped, outputs, color, quiet, effective_fail_on, sarif_category
    )
    if stopped is not None:
        click.echo(
            f"apilint: {stopped.reason}; the report covers the files linted before", err=True
        )
        sys.exit(stopped.exit_code)
    code = result.exit_code(effective_fail_on)
    if code == 0 and report_stale_baseline and stale:
        code = 1
    sys.exit(code)


def _cache_dir(given: Path | None, config: Any, quiet: bool) -> Path | None:
    """The cache folder to use, or None (with a note) when it cannot be written."""
    from apilint.lint.cache import DEFAULT_DIR

    if given is not None:
        folder = given
    elif config.source is not None:
        folder = Path(config.source).parent / DEFAULT_DIR
    else:
        folder = Path(DEFAULT_DIR)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / f".probe-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        if not quiet:
            click.echo(
                f"apilint: note: the cache folder {folder} cannot be written "
                f"({exc.strerror or exc}); linting without a cache",
                err=True,
            )
        return None
    return folder


def _lint_all(
    linter: Any, settings: Any, files: list[str], jobs: int | None, stdin_filename: str
) -> tuple[Any, Stopped | None]:
    """Every file's outcome (files on disk in parallel when worthwhile, then standard input),
    with a progress line on a terminal; Ctrl-C or SIGTERM stops the run with what is done."""
    from apilint.cli.progress import Progress
    from apilint.lint.engine import lint_one
    from apilint.lint.parallel import Interrupted, default_jobs, lint_files
    from apilint.lint.results import collect

    on_disk_names = [f for f in files if f != "-"]
    progress = Progress(len(on_disk_names))
    stopped: Stopped | None = None
    try:
        with _sigterm_as_interrupt() as terminated:
            try:
                on_disk = lint_files(
                    linter, settings, on_disk_names, jobs or default_jobs(), observer=progress
                )
            except Interrupted as stop:
                on_disk = stop.done
                stopped = Stopped(
                    f"{'terminated' if terminated else 'interrupted'} after {len(stop.done)} "
                    f"of {stop.total} file{'s' * (stop.total != 1)}",
                    143 if terminated else 130,
                )
    finally:
        progress.close()
    outcomes = []
    for name in files:
        if name != "-":
            if on_disk:
                outcomes.append(on_disk.pop(0))
            continue
        if stopped is not None:
            break
        try:
            text = _read_stdin(stdin_filename, linter.load_options)
        except ApilintError as exc:
            outcomes.append((stdin_filename, ([], [], exc)))
            continue
        outcomes.append((stdin_filename, lint_one(linter, stdin_filename, text, stdin_filename)))
    return collect(outcomes), stopped


class Stopped:
    """Why a run ended before it checked everything, and the exit code that says so."""

    def __init__(self, reason: str, exit_code: int) -> None:
        self.reason = reason
        self.exit_code = exit_code


class _sigterm_as_interrupt:
    """SIGTERM (what ``timeout`` and CI runners send) stops a run the way Ctrl-C does, so the
    report so far is still written; the context value tells which of the two it was."""

    def __init__(self) -> None:
        self.fired = False
        self._previous: Any = None

    def __enter__(self) -> _sigterm_as_interrupt:
        import signal

        def handler(signum: int, frame: Any) -> None:
            self.fired = True
            raise KeyboardInterrupt

        try:
            self._previous = signal.signal(signal.SIGTERM, handler)
        except ValueError:  # not the main thread (an embedding host): leave SIGTERM alone
            self._previous = None
        return self

    def __exit__(self, *exc: object) -> None:
        import signal

        if self._previous is not None:
            signal.signal(signal.SIGTERM, self._previous)

    def __bool__(self) -> bool:
        return self.fired


def _apply_baseline(
    baseline_path: Path,
    linter: Any,
    result: Any,
    extra: dict[str, Any],
    report_stale_baseline: bool,
    quiet: bool,
) -> int:
    """Hide the findings the baseline records; the number of stale entries."""
    from apilint.lint.baseline import Baseline

    outcome = Baseline.load(baseline_path, linter.ruleset.canonical).apply(
        result.findings, result.files
    )
    result.findings = outcome.new
    extra["baseline"] = outcome.to_dict(baseline_path)
    _baseline_notes(baseline_path, outcome, report_stale_baseline, quiet)
    return len(outcome.stale)


def _write_lint_report(
    rules: dict[str, Any],
    result: Any,
    extra: dict[str, Any],
    stopped: Stopped | None,
    outputs: list[Any],
    color: str,
    quiet: bool,
    fail_on: str,
    sarif_category: str | None,
) -> None:
    from apilint.core.findings import Severity
    from apilint.reports import Report

    report = Report(
        command="lint",
        findings=result.findings,
        files=result.files,
        rules=rules,
        extra=extra,
        failed_files=len(result.errors),
        errors=[stopped.reason] if stopped is not None else [],
        file_errors=list(result.errors),
        fail_on=None if fail_on == "never" else Severity.parse(fail_on),
        sarif_category=sarif_category,
        quiet=quiet,
    )
    write_reports(report, outputs, color)


def _settings_text(config: Any, linter: Any, flags: dict[str, Any]) -> str:
    """``--show-settings``: each effective value and where it came from (a command-line flag, the
    config file, or the default), then every rule that will run with its severity."""
    source = str(config.source) if config.source is not None else None
    options = linter.load_options

    def origin(key: str) -> str:
        if flags.get(key) is not None:
            return "command line"
        if source is not None and key in config.keys:
            return source
        return "default"

    values: list[tuple[str, Any]] = [
        ("fail-on", flags["fail-on"] or config.fail_on),
        (
            "select",
            split_ids(flags["select"]) if flags["select"] else config.select or ["(default)"],
        ),
        ("extend-select", split_ids(flags["extend-select"] or ()) + config.extend_select),
        ("ignore", split_ids(flags["ignore"] or ()) + config.ignore),
        (
            "allow-remote-refs",
            flags["allow-remote-refs"]
            if flags["allow-remote-refs"] is not None
            else config.allow_remote_refs,
        ),
        ("ref-root", flags["ref-root"] or config.ref_root or "(each spec's directory)"),
        ("max-file-size", options.max_file_size),
        ("max-depth", options.max_depth),
        ("max-nodes", options.max_nodes),
        ("max-ref-hops", options.max_ref_hops),
        ("exclude", config.exclude),
        ("force-exclude", bool(flags["force-exclude"])),
        ("extends", [str(path) for path in config.extends]),
        ("overrides", f"{len(config.overrides)} entries"),
    ]
    lines = [f"config file: {source or 'none'}"]
    width = max(len(key) for key, _ in values)
    for key, value in values:
        shown = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
        if key == "force-exclude":
            where = "command line" if flags["force-exclude"] is not None else "default"
        elif key in ("extend-select", "ignore") and flags[key] and key in config.keys:
            where = f"command line + {source}"
        else:
            where = origin(key)
        lines.append(f"{key:<{width}}  {shown or '[]'}  ({where})")
    lines.append(f"rules ({len(linter.rules)}):")
    rule_width = max((len(rule.id) for rule in linter.rules), default=0)
    for rule in sorted(linter.rules, key=lambda r: r.id):
        lines.append(f"  {rule.id:<{rule_width}}  {rule.severity.label}")
    return "\n".join(lines) + "\n"


def _with_statistics(outputs: list[Any]) -> list[Any]:
    """--statistics: the table takes the place of the text report on standard output."""
    from dataclasses import replace

    from apilint.cli.output import OutputSpec

    for index, spec in enumerate(outputs):
        if spec.path is None:
            if spec.format not in ("text", "statistics"):
                raise ConfigError(
                    f"--statistics prints a table to standard output, where --format "
                    f"{spec.format} goes too; write that one to a file "
                    f"(--format {spec.format}:FILE)"
                )
            return [*outputs[:index], replace(spec, format="statistics"), *outputs[index + 1 :]]
    return [*outputs, OutputSpec("statistics")]


def _files_to_lint(
    specs: Sequence[str],
    config: Any,
    changed_since: str | None,
    skip_non_openapi: bool,
    force_exclude: bool,
    quiet: bool,
    verbose: bool,
) -> list[str]:
    from apilint.documents.discovery import expand, openapi_sniff

    exclude = config.exclude
    base = config.source.parent if config.source is not None else None
    skipped: list[tuple[str, str]] = []
    if changed_since is not None:
        from apilint.documents.git import changed_files, specs_to_lint

        _, changed = changed_files(changed_since)
        files = specs_to_lint(changed, specs or ["."], exclude)
        if not files and not quiet:
            click.echo(
                f"apilint: note: no OpenAPI document changed since {changed_since}", err=True
            )
    else:
        files = expand(specs, exclude, force_exclude=force_exclude, base=base, skipped=skipped)
    if skip_non_openapi:
        kept = []
        for name in files:
            reason = None if name == "-" or not Path(name).is_file() else openapi_sniff(Path(name))
            if reason is None:
                kept.append(name)
            else:
                skipped.append((name, reason))
        files = kept
    if verbose:
        for name, reason in skipped:
            click.echo(f"apilint: skipped {name}: {reason}", err=True)
    return files


def _write_baseline(path: Path, result: Any) -> int:
    from apilint.lint.baseline import Baseline

    if result.errors:
        count = len(result.errors)
        fail(
            f"not writing the baseline {path}: {count} file{'s' * (count != 1)} could not be "
            "checked, and their findings would be missing from it"
        )
        return 2
    baseline = Baseline.record(path, result.findings)
    baseline.write()
    total = len(result.findings)
    click.echo(
        f"apilint: recorded {total} finding{'s' * (total != 1)} "
        f"({len(baseline.entries)} entr{'ies' if len(baseline.entries) != 1 else 'y'}) "
        f"in {path}",
        err=True,
    )
    return 0


def _spectral_rulesets(
    config: Any, rulesets: tuple[Path, ...], no_config: bool, quiet: bool
) -> None:
    """--ruleset files, or the working directory's .spectral.yaml when nothing else configures
    apilint (said once on stderr)."""
    if rulesets:
        config.spectral_rulesets.extend(rulesets)
        return
    if config.source is not None or no_config:
        return
    from apilint.settings.config import SPECTRAL_NAMES

    for name in SPECTRAL_NAMES:
        candidate = Path(name)
        if candidate.is_file():
            config.spectral_rulesets.append(candidate)
            if not quiet:
                click.echo(
                    f"apilint: note: no apilint config; using the Spectral ruleset {name}",
                    err=True,
                )
            return


def _baseline_notes(path: Path, outcome: Any, list_stale: bool, quiet: bool) -> None:
    if list_stale:
        for entry in outcome.stale:
            click.echo(f"apilint: stale baseline entry in {path}: {entry.describe()}", err=True)
    if quiet:
        return
    if outcome.hidden:
        hidden = outcome.hidden
        click.echo(
            f"apilint: note: {hidden} finding{'s' * (hidden != 1)} hidden by the baseline {path}",
            err=True,
        )
    if outcome.stale and not list_stale:
        count = len(outcome.stale)
        click.echo(
            f"apilint: note: {count} baseline entr{'ies' if count != 1 else 'y'} no longer "
            "match (fixed?); --report-stale-baseline lists them",
            err=True,
        )


def _read_stdin(name: str, options: Any) -> str:
    """Standard input as bytes, at most the size limit, decoded like a file."""
    from apilint.documents.loader import read_stream

    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is None:  # a text-only stream (some test runners)
        return sys.stdin.read(options.max_file_size + 1)
    return read_stream(buffer, name, options)


@main.command()
@click.argument("rule_id", required=False)
@click.option(
    "-f",
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
    help="markdown: the rule reference (docs/rules.md).",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also list the rules of this config's own rulesets.",
)
def rules(rule_id: str | None, output_format: str, config_path: Path | None) -> None:
    """List every rule, or show one rule's documentation."""
    import json

    from apilint.lint.engine import Linter
    from apilint.lint.rule_docs import describe_rule, rule_as_dict, rule_line, rules_markdown
    from apilint.lint.rulesets import COMMANDS, command_rules
    from apilint.settings.config import load_config

    linter = Linter(load_config(config_path))
    ruleset = linter.ruleset
    active = {r.id for r in linter.rules}
    others = {rid: r for command in COMMANDS[1:] for rid, r in command_rules(command).items()}
    active.update(others)
    if rule_id is None:
        order = {command: index for index, command in enumerate(COMMANDS)}
        ordered = sorted(
            [*ruleset.rules.values(), *others.values()],
            key=lambda r: (order[r.command], r.family, r.id),
        )
        if output_format == "json":
            click.echo(json.dumps([rule_as_dict(r) for r in ordered], indent=2))
            return
        if output_format == "markdown":
            click.echo(rules_markdown(ordered), nl=False)
            return
        width = max(len(r.id) for r in ordered)
        family = None
        for rule in ordered:
            if rule.family != family:
                family = rule.family
                where = "" if rule.command == "lint" else f" (reported by apilint {rule.command})"
                heading = f"# {family}{where}"
                click.echo(heading if family == ordered[0].family else f"\n{heading}")
            click.echo(rule_line(rule, width, rule.id in active))
        return
    canonical = ruleset.canonical(rule_id)
    if canonical is not None:
        rule = ruleset.rules[canonical]
    elif rule_id in others:
        rule = others[rule_id]
    else:
        raise ConfigError(f"unknown rule '{rule_id}' (see 'apilint rules' for the list)")
    if output_format == "json":
        click.echo(json.dumps(rule_as_dict(rule), indent=2))
    elif output_format == "markdown":
        click.echo(rules_markdown([rule]), nl=False)
    else:
        click.echo(describe_rule(rule))
