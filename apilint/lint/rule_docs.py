"""Rule documentation: one source (the rule's ``docs`` block and its function's options) for
``apilint rules ID``, the generated rule reference, SARIF help and the example tests."""

from __future__ import annotations

import textwrap
from typing import Any

import yaml

from apilint.lint import checks
from apilint.lint.rulesets import Rule

EXAMPLE_BASE_OAS3: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {"title": "Example API", "version": "1.0.0"},
    "paths": {},
}
EXAMPLE_BASE_OAS2: dict[str, Any] = {
    "swagger": "2.0",
    "info": {"title": "Example API", "version": "1.0.0"},
    "paths": {},
}


def example_document(fragment: str) -> str:
    """A rule's bad/good example, completed into a whole document (YAML text).

    The example's top-level keys replace the base document's, so an example may be as short as
    a ``paths:`` block, or a whole document with its own ``openapi``/``swagger`` line.
    """
    data = yaml.safe_load(fragment) or {}
    base = EXAMPLE_BASE_OAS2 if "swagger" in data else EXAMPLE_BASE_OAS3
    merged = {**base, **data}
    if "swagger" in data:
        merged.pop("openapi", None)
    # Keep the example's own text (and so its line numbers) when it is already complete.
    if all(key in data for key in ("info", "paths")) and ("openapi" in data or "swagger" in data):
        return fragment
    header = {k: v for k, v in merged.items() if k not in data}
    return yaml.safe_dump(header, sort_keys=False) + fragment


def options_of(rule: Rule) -> list[tuple[str, str, str]]:
    """(name, type and default, help) for each option of each of the rule's functions."""
    out = []
    for then in rule.then:
        function = checks.get(then.function)
        if function is None:
            continue
        for name, option in function.options.items():
            current = then.options.get(name, option.default)
            kind = option.describe()
            if current != option.default:
                kind += f"; this rule sets {current!r}"
            out.append((name, kind, option.help))
    return out


def _formats_text(rule: Rule) -> str:
    if rule.formats is None:
        return "Swagger 2.0 and OpenAPI 3.x"
    names = {
        "oas2": "Swagger 2.0",
        "oas3": "OpenAPI 3.x",
        "oas3.0": "OpenAPI 3.0",
        "oas3.1": "OpenAPI 3.1",
        "oas3.2": "OpenAPI 3.2",
    }
    return ", ".join(names.get(f, f) for f in sorted(rule.formats))


def describe_rule(rule: Rule) -> str:
    severity = rule.severity.label if rule.severity is not None else "off"
    lines = [f"{rule.id} ({severity}; ruleset {rule.family})", "", rule.description, ""]

    def section(title: str, body: str, code: bool = False) -> None:
        if not body:
            return
        lines.append(title)
        if code:
            lines.extend("    " + line for line in body.rstrip().splitlines())
        else:
            lines.extend(
                textwrap.wrap(
                    " ".join(body.split()), 96, initial_indent="  ", subsequent_indent="  "
                )
            )
        lines.append("")

    docs = rule.docs
    section("What it does", docs.what)
    section("Why it matters", docs.why)
    section("Example of the problem", docs.bad, code=True)
    section("Fixed", docs.good, code=True)
    section("How to fix", docs.fix)
    options = options_of(rule)
    if options:
        lines.append(
            f"Options (set them under 'rules: {{{rule.id}: {{options: {{...}}}}}}' in the config)"
        )
        for name, kind, help_text in options:
            lines.append(f"  {name}: {kind}")
            lines.extend(
                textwrap.wrap(help_text, 92, initial_indent="      ", subsequent_indent="      ")
            )
        lines.append("")
    if rule.command != "lint":
        lines.append(f"Reported by: apilint {rule.command}")
        return "\n".join(lines)
    lines.append(f"Applies to: {_formats_text(rule)}")
    if not rule.recommended:
        lines.append("Not on by default: enable it with --extend-select or 'extend-select'.")
    if rule.aliases:
        lines.append(f"Former ids: {', '.join(rule.aliases)}")
    if rule.documentation_url:
        lines.append(f"Documentation: {rule.documentation_url}")
    return "\n".join(lines)


def rule_line(rule: Rule, width: int, active: bool) -> str:
    severity = rule.severity.label if rule.severity is not None else "off"
    mark = " " if active else "-"
    return f"{mark} {rule.id.ljust(width)}  {severity:<7}  {rule.description}"


def rule_as_dict(rule: Rule) -> dict[str, Any]:
    return {
        "id": rule.id,
        "command": rule.command,
        "ruleset": rule.family,
        "severity": rule.severity.label if rule.severity is not None else "off",
        "description": rule.description,
        "recommended": rule.recommended,
        "formats": sorted(rule.formats) if rule.formats else None,
        "aliases": list(rule.aliases),
        "docs": {
            "what": rule.docs.what,
            "why": rule.docs.why,
            "bad": rule.docs.bad,
            "good": rule.docs.good,
            "fix": rule.docs.fix,
        },
        "options": [{"name": n, "type": k, "help": h} for n, k, h in options_of(rule)],
    }


_COMMAND_TITLES = {
    "lint": "apilint lint",
    "contract": "apilint contract",
    "traffic": "apilint traffic",
    "diff": "apilint diff",
}


def rules_markdown(rules: list[Rule]) -> str:
    """The rule reference (docs/rules.md), generated from the rules themselves."""
    from apilint.lint.rulesets import COMMANDS

    order = {command: index for index, command in enumerate(COMMANDS)}
    ordered = sorted(rules, key=lambda r: (order[r.command], r.family, r.id))
    out = [
        "# Rules",
        "",
        "Generated from `rules/*.yaml` by `apilint rules --format markdown`; do not edit by hand.",
        "`apilint rules ID` prints the same documentation in the terminal.",
        "",
        "| rule | severity | command | ruleset | what it checks |",
        "|---|---|---|---|---|",
    ]
    for rule in ordered:
        severity = rule.severity.label if rule.severity is not None else "off"
        description = rule.description.replace("|", "\\|")
        out.append(
            f"| [`{rule.id}`](#{rule.id}) | {severity} | {rule.command} | {rule.family} | "
            f"{description} |"
        )
    for rule in ordered:
        severity = rule.severity.label if rule.severity is not None else "off"
        out += ["", f"## {rule.id}", ""]
        command = _COMMAND_TITLES[rule.command]
        out.append(
            f"*{severity}* · ruleset `{rule.family}` · reported by `{command}`"
            + ("" if rule.command != "lint" else f" · {_formats_text(rule)}")
            + ("" if rule.recommended else " · not on by default")
        )
        out += ["", rule.description, ""]
        docs = rule.docs
        for title, body in (("What it does", docs.what), ("Why it matters", docs.why)):
            if body:
                out += [f"**{title}.** {' '.join(body.split())}", ""]
        language = "yaml" if rule.command in ("lint", "diff") else "text"
        for title, body in (("Example of the problem", docs.bad), ("Fixed", docs.good)):
            if body:
                out += [f"{title}:", "", f"```{language}", body.rstrip(), "```", ""]
        if docs.fix:
            out += [f"**How to fix.** {' '.join(docs.fix.split())}", ""]
        options = options_of(rule)
        if options:
            out.append("Options:")
            out.append("")
            for name, kind, help_text in options:
                out.append(f"- `{name}` ({kind}): {help_text}")
            out.append("")
        if rule.aliases:
            out += [f"Former ids: {', '.join(f'`{a}`' for a in rule.aliases)}", ""]
    return "\n".join(out).rstrip() + "\n"
