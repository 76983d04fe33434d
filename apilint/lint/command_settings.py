"""The shared configuration as one command other than lint (contract, traffic) reads it: the
whole config is checked as lint checks it, then the entries naming that command's finding ids
are kept."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from apilint.lint.engine import Linter
from apilint.lint.rulesets import command_rules, parse_severity
from apilint.settings.config import Config


@dataclass(frozen=True)
class CommandSettings:
    """What the shared configuration says to one command other than lint (contract, traffic):
    its ignored finding ids, severity overrides and --fail-on default."""

    ignore: frozenset[str]
    severities: dict[str, Any]  # rule id -> Severity, or None for off
    fail_on: str

    def apply(self, findings: list[Any]) -> list[Any]:
        """Findings with the config's severity overrides applied and ignored/off ones dropped."""
        from dataclasses import replace

        out = []
        for finding in findings:
            if finding.rule in self.ignore:
                continue
            if finding.rule not in self.severities:
                out.append(finding)
            elif (severity := self.severities[finding.rule]) is not None:
                out.append(replace(finding, severity=severity))
        return out


def command_settings(config: Config, command: str) -> CommandSettings:
    """The parts of ``config`` that apply to ``command``. The whole config is checked as lint
    checks it (user rulesets included), so a typo is an error whichever command reads it."""
    Linter(config)
    mine = command_rules(command)
    source = str(config.source) if config.source else "the configuration"
    severities = {
        rule_id: parse_severity(setting.severity, f"{source}: rules.{rule_id}")
        for rule_id, setting in config.rules.items()
        if rule_id in mine and setting.severity is not None
    }
    return CommandSettings(
        ignore=frozenset(r for r in config.ignore if r in mine),
        severities=severities,
        fail_on=config.fail_on,
    )
