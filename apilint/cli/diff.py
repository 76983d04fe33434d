"""``apilint diff OLD NEW``: breaking changes between two versions of a description.

Each side is a file, a directory (descriptions paired by relative path), or ``REV:PATH`` read
from git; ``--base REV`` compares every description changed since REV with its version there.
Exit codes as for ``apilint lint``: 0 nothing at or above ``--fail-on`` (default: error), 1
something is, 2 apilint could not do its job (a missing file or revision, a side that does not
load), 130 interrupted (with the report so far).
"""

from __future__ import annotations

import sys
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import click

from apilint.cli.options import (
    baseline_options,
    config_origin,
    effective_fail_on,
    fail_on_and_config_options,
    file_size,
    known_ids,
    read_config,
    reading_options,
    run_options,
    settings_text,
)
from apilint.cli.output import output_options, parse_outputs, write_reports
from apilint.diff.compare import FRAMEWORKS


def _ignored(values: tuple[str, ...]) -> frozenset[str]:
    from apilint.lint.rulesets import command_rules

    return known_ids(
        values,
        command_rules("diff"),
        lambda rule: f"--ignore: unknown diff rule '{rule}' (see 'apilint rules' for the list)",
    )


def _framework(option: str | None, config: Any) -> str | None:
    from apilint.core.errors import ConfigError

    if option is not None:
        return option
    setting = config.rules.get("trailing-slash-changed")
    value = setting.options.get("framework") if setting is not None else None
    if value is None:
        return None
    if value not in FRAMEWORKS:
        source = config.source or "the configuration"
        raise ConfigError(
            f"{source}: rules.trailing-slash-changed.options.framework must be one of "
            f"{', '.join(FRAMEWORKS)}, not {value!r}"
        )
    return str(value)


@click.command()
@click.argument("sides", nargs=-1)
@click.option(
    "--base",
    "base_rev",
    metavar="REV",
    help="Compare every OpenAPI document changed since REV (among SIDES, default: the current "
    "directory) with its version at REV (the merge base of REV and HEAD).",
)
@click.option(
    "--framework",
    type=click.Choice(FRAMEWORKS),
    help="What serves the API, for trailing-slash-changed: what old clients get when a path "
    "gains or loses its trailing slash (default: the config's rule option, else all are listed).",
)
@output_options
@fail_on_and_config_options
@click.option(
    "--ignore",
    multiple=True,
    metavar="RULES",
    help="Skip these diff rules (comma-separated; repeatable).",
)
@run_options
@click.option("-q", "--quiet", is_flag=True, help="Only findings: no summary line, no notes.")
@baseline_options
@reading_options
def diff(
    sides: tuple[str, ...],
    base_rev: str | None,
    framework: str | None,
    formats: tuple[str, ...],
    output: Path | None,
    color: str,
    fail_on: str | None,
    config_path: Path | None,
    no_config: bool,
    ignore: tuple[str, ...],
    verbose: bool,
    exit_zero: bool,
    show_settings: bool,
    quiet: bool,
    baseline_path: Path | None,
    write_baseline: Path | None,
    allow_remote_refs: bool | None,
    ref_root: Path | None,
    max_file_size: str | None,
) -> None:
    """Report the changes between two versions of an OpenAPI description that break clients
    (errors), probably break them (warnings) or are worth a changelog line (info). OLD and NEW
    are files, directories or REV:PATH from git (origin/main:api.yaml)."""
    from apilint.lint.command_settings import command_settings

    if base_rev is None and len(sides) != 2 and not show_settings:
        raise click.UsageError(
            "give two sides, OLD and NEW (files, directories or REV:PATH), or --base REV"
        )
    outputs = parse_outputs(formats, output, command="diff")
    config = read_config(config_path, no_config, verbose)
    settings_of_config = command_settings(config, "diff")
    settings = _diff_settings(
        config, settings_of_config, framework, ignore, allow_remote_refs, ref_root, max_file_size
    )
    if show_settings:
        flags = {"fail-on": fail_on, "exit-zero": exit_zero, "framework": framework}
        _show_settings(config, flags, settings, ignore, allow_remote_refs, ref_root, max_file_size)
        return
    result, interrupted = _compare(base_rev, sides, config.exclude, settings)
    for error in result.errors:
        click.echo(f"apilint: error: {error}", err=True)
    if not quiet:
        for note in result.notes:
            click.echo(f"apilint: note: {note}", err=True)
    if write_baseline is not None and not interrupted:
        sys.exit(_write_baseline(write_baseline, result))
    extra: dict[str, Any] = {}
    if baseline_path is not None:
        _apply_baseline(baseline_path, result, extra, quiet)
    write_reports(_report(result, settings, extra, quiet), outputs, color)
    if interrupted:
        click.echo("apilint: interrupted", err=True)
        sys.exit(130)
    sys.exit(result.exit_code(effective_fail_on(fail_on, exit_zero, settings_of_config.fail_on)))


def _diff_settings(
    config: Any,
    settings_of_config: Any,
    framework: str | None,
    ignore: tuple[str, ...],
    allow_remote_refs: bool | None,
    ref_root: Path | None,
    max_file_size: str | None,
) -> Any:
    """The command line and the config as the comparison's DiffSettings."""
    from apilint.diff.run import DiffSettings
    from apilint.settings.config import limits

    load_options = limits(
        config,
        max_file_size=file_size(max_file_size),
    )
    return DiffSettings(
        load_options=load_options,
        allow_remote_refs=allow_remote_refs or bool(config.allow_remote_refs),
        ref_root=ref_root,
        framework=_framework(framework, config),
        ignore=_ignored(ignore) | settings_of_config.ignore,
        severities=settings_of_config.severities,
    )


def _show_settings(
    config: Any,
    flags: dict[str, Any],
    settings: Any,
    ignore: tuple[str, ...],
    allow_remote_refs: bool | None,
    ref_root: Path | None,
    max_file_size: str | None,
) -> None:

    framework = settings.framework or "(all are listed)"
    framework_origin = "command line" if flags.get("framework") else "default"
    if settings.framework is not None and framework_origin == "default" and config.source:
        framework_origin = str(config.source)
    values = [
        ("framework", framework, framework_origin),
        (
            "allow-remote-refs",
            settings.allow_remote_refs,
            config_origin(config, allow_remote_refs, "allow-remote-refs"),
        ),
        (
            "ref-root",
            ref_root or "(each description's directory)",
            config_origin(config, ref_root, ""),
        ),
        (
            "max-file-size",
            settings.load_options.max_file_size,
            config_origin(config, max_file_size, "max-file-size"),
        ),
        ("exclude", config.exclude, config_origin(config, None, "exclude")),
    ]
    cli_ignore = _ignored(ignore)
    click.echo(settings_text(config, "diff", flags, values, cli_ignore), nl=False)


def _compare(
    base_rev: str | None, sides: tuple[str, ...], exclude: list[str], settings: Any
) -> tuple[Any, bool]:
    """The findings of every pair (``--base``: every changed description against REV), and
    whether Ctrl-C stopped the comparison."""
    from apilint.diff.run import DiffResult

    result = DiffResult()
    interrupted = False
    try:
        if base_rev is not None:
            _against_base(base_rev, sides, exclude, settings, result)
        else:
            _two_sides(sides[0], sides[1], exclude, settings, result)
    except KeyboardInterrupt:
        interrupted = True
    return result, interrupted


def _apply_baseline(path: Path, result: Any, extra: dict[str, Any], quiet: bool) -> None:
    """--baseline: hide the findings it records (noted on stderr)."""
    from apilint.lint.baseline import Baseline

    outcome = Baseline.load(path).apply(result.findings, result.files)
    result.findings = outcome.new
    extra["baseline"] = outcome.to_dict(path)
    if not quiet and outcome.hidden:
        click.echo(
            f"apilint: note: {outcome.hidden} finding{'s' * (outcome.hidden != 1)} hidden "
            f"by the baseline {path}",
            err=True,
        )


def _report(result: Any, settings: Any, extra: dict[str, Any], quiet: bool) -> Any:
    from apilint.lint.rulesets import command_rules
    from apilint.reports import Report

    infos = {}
    for rule_id, rule in command_rules("diff").items():
        severity = settings.severities.get(rule_id, rule.severity)
        infos[rule_id] = rule.info(severity.label if severity else "off")
    return Report(
        command="diff",
        findings=result.findings,
        files=result.files,
        rules=infos,
        extra=extra,
        failed_files=len(result.errors),
        quiet=quiet,
    )


def _two_sides(old_arg: str, new_arg: str, exclude: list[str], settings: Any, result: Any) -> None:
    from apilint.core.errors import ApilintError
    from apilint.diff.run import compare_pair, pairs
    from apilint.diff.sides import opened

    with ExitStack() as stack:
        old = stack.enter_context(opened(old_arg, settings.ref_root))
        new = stack.enter_context(opened(new_arg, settings.ref_root))
        todo, notes = pairs(old, new, exclude)
        result.notes.extend(notes)
        single = len(todo) == 1
        for old_path, new_path in todo:
            try:
                findings, more, name = compare_pair(old, old_path, new, new_path, settings)
            except ApilintError:
                if single:
                    raise
                result.errors.append(sys.exc_info()[1])
                continue
            result.findings.extend(findings)
            result.notes.extend(more)
            result.files.append(name)


def _against_base(
    rev: str, paths: tuple[str, ...], exclude: list[str], settings: Any, result: Any
) -> None:
    import subprocess

    from apilint.core.errors import ApilintError
    from apilint.diff.run import compare_pair
    from apilint.diff.sides import MissingAtRevision, Side, checkout, repository, resolve_rev
    from apilint.documents.git import changed_files, specs_to_lint

    cwd = Path.cwd()
    top = repository(cwd)
    commit = resolve_rev(rev, top)
    merge = subprocess.run(
        ["git", "merge-base", commit, "HEAD"], cwd=top, capture_output=True, check=False
    )
    if merge.returncode == 0 and merge.stdout.strip():
        commit = merge.stdout.decode().strip()
    _, changed = changed_files(rev)
    files = specs_to_lint(changed, paths or ["."], exclude)
    if not files:
        result.notes.append(f"no OpenAPI document changed since {rev}")
        return
    for name in files:
        new = Side(name, Path(name))
        try:
            with checkout(rev, name, cwd, settings.ref_root, commit=commit) as old:
                findings, notes, shown = compare_pair(old, old.path, new, Path(name), settings)
        except MissingAtRevision:
            result.notes.append(f"{name} is new since {rev}: nothing to compare")
            continue
        except ApilintError as exc:
            result.errors.append(exc)
            continue
        result.findings.extend(findings)
        result.notes.extend(notes)
        result.files.append(shown)


def _write_baseline(path: Path, result: Any) -> int:
    from apilint.lint.baseline import Baseline

    if result.errors:
        click.echo(
            f"apilint: error: not writing the baseline {path}: some descriptions could not be "
            "compared, and their findings would be missing from it",
            err=True,
        )
        return 2
    baseline = Baseline.record(path, result.findings)
    baseline.write()
    click.echo(f"apilint: recorded {len(result.findings)} finding(s) in {path}", err=True)
    return 0
