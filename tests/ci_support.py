"""Shared pieces of the CI-integration tests: small specs, a text-report parser, the SARIF
schema, and a ruleset whose check function records every time it runs."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import time
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft4Validator, FormatChecker

DATA = Path(__file__).resolve().parent / "data"

# Three findings: an unknown rule in a suppression (warning, line 7), and two spec-invalid errors
# in the response of GET /users (lines 10 and 11).
BROKEN = """\
openapi: 3.0.3
info:
  title: T
  version: "1"
paths:
  /users:
    x-apilint-ignore: [spec-invlid]
    get:
      responses:
        "200":
          descripton: Users
"""
BROKEN_FINDINGS = [
    ("broken.yaml", 7, 24, "warning", "unused-suppression"),
    ("broken.yaml", 10, 9, "error", "spec-invalid"),
    ("broken.yaml", 11, 11, "error", "spec-invalid"),
]
# The rules these tests count on: the built-in rule set grows, the expectations here must not.
CORE_RULES = "spec-invalid,duplicate-key,unused-suppression"
NO_CONFIG = ("--no-config", "--select", CORE_RULES)
"""Arguments for a CLI run that reads no config file and runs only CORE_RULES."""

CLEAN = """\
openapi: 3.0.3
info: {title: T, version: "1"}
paths: {}
"""

TEXT_LINE = re.compile(
    r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?P<severity>error|warning|info) "
    r"(?P<rule>[a-z0-9-]+): (?P<message>.*)$"
)


def text_findings(stdout: str) -> list[tuple[str, int, int, str, str, str]]:
    """(file, line, col, severity, rule, message) of each finding line of a text report."""
    out = []
    for line in stdout.splitlines():
        match = TEXT_LINE.match(line)
        if match:
            out.append(
                (
                    match["file"],
                    int(match["line"]),
                    int(match["col"]),
                    match["severity"],
                    match["rule"],
                    match["message"],
                )
            )
    return out


@cache
def sarif_validator() -> Draft4Validator:
    """The official SARIF 2.1.0 schema (OASIS, errata 01; see tests/data/README.md)."""
    schema = json.loads((DATA / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    Draft4Validator.check_schema(schema)
    return Draft4Validator(schema, format_checker=FormatChecker())


def assert_valid_sarif(log: Any) -> None:
    errors = sorted(sarif_validator().iter_errors(log), key=lambda e: list(e.absolute_path))
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors]


COUNTING_CHECK = """\
import os

from apilint.lint.checks import check


@check("count_runs")
def count_runs(targets, options, ctx):
    with open(os.environ["APILINT_COUNT_FILE"], "a", encoding="utf-8") as handle:
        handle.write(ctx.api.root.name + "\\n")
    return iter(())
"""
COUNTING_RULESET = """\
functions: [./count_runs.py]
rules:
  count-runs:
    description: Records that the rules ran on a document.
    severity: info
    given: document
    then: {function: count_runs}
"""


def install_counting_rule(directory: Path) -> Path:
    """A config in ``directory`` whose extra rule appends the document's name to a file on
    every run; returns that file (pass it as APILINT_COUNT_FILE)."""
    (directory / "count_runs.py").write_text(COUNTING_CHECK, encoding="utf-8")
    (directory / "count-ruleset.yaml").write_text(COUNTING_RULESET, encoding="utf-8")
    (directory / "apilint.yaml").write_text(
        f"extends: [./count-ruleset.yaml]\nselect: [{CORE_RULES}, count-runs]\n", encoding="utf-8"
    )
    return directory / "runs.log"


# A user rule that reports responses without a description wherever they are written, including
# inside $ref'd files (spec-invalid validates the root document only).
DESCRIPTION_RULESET = """\
rules:
  response-description:
    description: Responses have a description.
    severity: warning
    given: responses
    then: {field: description, function: truthy}
"""


def install_description_rule(directory: Path, config: str = "") -> None:
    """``apilint.yaml`` in ``directory`` adding the response-description rule (plus ``config``)."""
    (directory / "description-ruleset.yaml").write_text(DESCRIPTION_RULESET, encoding="utf-8")
    (directory / "apilint.yaml").write_text(
        "extends: [./description-ruleset.yaml]\n" + config, encoding="utf-8"
    )


# User rules for the suppression and override tests (the ruleset file is ``rules.yaml``, so its
# family is "rules").
TEST_RULES = """\
rules:
  operation-summary:
    description: Operations have a summary.
    severity: warning
    aliases: [op-summary]
    given: operations
    then: {field: summary, function: truthy}
  response-description:
    description: Responses have a description.
    severity: warning
    given: responses
    then: {field: description, function: truthy}
  parameter-description:
    description: Parameters have a description.
    severity: info
    given: parameters
    then: {field: description, function: truthy}
  info-contact:
    description: The API names a contact.
    severity: info
    given: info
    then: {field: contact, function: defined}
"""


def git(cwd: Path, *args: str) -> str:
    """Run git in ``cwd`` with a fixed identity; returns stdout."""
    result = subprocess.run(
        [
            "git",
            "-c",
            "user.name=apilint tests",
            "-c",
            "user.email=tests@apilint.invalid",
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
            *args,
        ],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def wait_for(port: int, process: subprocess.Popen[bytes], describe: Callable[[], str]) -> None:
    """Wait until a server started as ``process`` listens on 127.0.0.1:``port``; fail the test
    with ``describe()`` (its error log) if it exits first."""
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server exited with {process.returncode}: {describe()[-500:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    pytest.fail("the server did not start listening")
