"""Every rule documents itself, and its documented examples are true: the bad example triggers
the rule and the good one does not. Runs over every built-in rule, present and future."""

from __future__ import annotations

from pathlib import Path

import pytest

from apilint.lint.engine import Linter
from apilint.lint.rule_docs import describe_rule, example_document
from apilint.lint.rulesets import RULE_ID, all_builtin_rules, builtin_ruleset
from apilint.settings.config import Config

RULES = sorted(builtin_ruleset().rules.values(), key=lambda r: r.id)
ALL_RULES = sorted(all_builtin_rules(), key=lambda r: r.id)


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.id)
def test_rule_is_documented(rule) -> None:
    assert RULE_ID.match(rule.id)
    assert rule.description and rule.description[0].isupper()
    for section in ("what", "why", "bad", "good"):
        assert getattr(rule.docs, section), f"{rule.id}: docs.{section} is empty"
    text = describe_rule(rule)
    assert "Why it matters" in text and "Example of the problem" in text


def _lint_example(tmp_path: Path, rule_id: str, fragment: str) -> list[str]:
    path = tmp_path / "example.yaml"
    path.write_text(example_document(fragment), encoding="utf-8")
    findings, _ = Linter(Config(), select=[rule_id]).lint_file(path)
    return [f.rule for f in findings]


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_bad_example_triggers_the_rule(rule, tmp_path: Path) -> None:
    assert rule.id in _lint_example(tmp_path, rule.id, rule.docs.bad)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_good_example_passes(rule, tmp_path: Path) -> None:
    assert rule.id not in _lint_example(tmp_path, rule.id, rule.docs.good)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_good_example_is_a_valid_description(rule, tmp_path: Path) -> None:
    """A good example must not teach anything the structural check rejects."""
    assert _lint_example(tmp_path, "spec-invalid", rule.docs.good) == []


def test_rule_ids_are_unique_across_commands() -> None:
    ids = [rule.id for rule in ALL_RULES]
    assert len(ids) == len(set(ids))


def test_traffic_rules_are_documented() -> None:
    from apilint.cli.traffic import TRAFFIC_RULES
    from apilint.traffic.report import (
        HEADER_MISSING,
        HEADER_UNDOCUMENTED,
        QUERY_INVALID,
        QUERY_MISSING,
        QUERY_UNDOCUMENTED,
        REDIRECT,
        RESPONSE_SCHEMA,
        RULES,
        SECURITY_MISSING,
        SERVER_ERRORS,
        STATUS_UNDOCUMENTED,
        UNDOCUMENTED,
        UNUSED,
    )

    assert (
        set(RULES)
        == set(TRAFFIC_RULES)
        == {
            UNDOCUMENTED,
            REDIRECT,
            SERVER_ERRORS,
            UNUSED,
            STATUS_UNDOCUMENTED,
            QUERY_UNDOCUMENTED,
            QUERY_INVALID,
            QUERY_MISSING,
            RESPONSE_SCHEMA,
            HEADER_MISSING,
            HEADER_UNDOCUMENTED,
            SECURITY_MISSING,
        }
    )


def test_rule_reference_is_up_to_date() -> None:
    """docs/rules.md is generated; regenerate it with
    ``apilint rules --format markdown > docs/rules.md``."""
    from conftest import ROOT

    from apilint.lint.rule_docs import rules_markdown

    expected = rules_markdown(ALL_RULES)
    assert (ROOT / "docs" / "rules.md").read_text(encoding="utf-8") == expected
