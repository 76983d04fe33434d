"""The shared config file reaches apilint contract: fail-on, ignore and per-id severities."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import ROOT, run_cli

SPEC = str(ROOT / "examples" / "thoughts" / "openapi.fixed.yaml")
APP = f"{ROOT / 'examples' / 'thoughts' / 'app.py'}:app"
QUICK = (
    "--max-examples",
    "1",
    "--phases",
    "examples",
    "--include-path",
    "^/api/thoughts$",
    "--seed",
    "1",
)


def test_config_severity_and_fail_on(tmp_path: Path) -> None:
    (tmp_path / "apilint.yaml").write_text(
        "rules:\n  unexpected-redirect: warning\n  path-verb: off\nignore: [server-error]\n"
    )
    result = run_cli("contract", SPEC, "--app", APP, *QUICK, "-q", "-f", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    redirects = [
        f for f in json.loads(result.stdout)["findings"] if f["rule"] == "unexpected-redirect"
    ]
    assert redirects and {f["severity"] for f in redirects} == {"warning"}
    failing = run_cli(
        "contract", SPEC, "--app", APP, *QUICK, "-q", "--fail-on", "warning", cwd=tmp_path
    )
    assert failing.returncode == 1
    (tmp_path / "apilint.yaml").write_text(
        "fail-on: warning\nrules:\n  unexpected-redirect: warning\n"
    )
    assert run_cli("contract", SPEC, "--app", APP, *QUICK, "-q", cwd=tmp_path).returncode == 1


def test_config_typo_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "apilint.yaml").write_text("rules:\n  unexpected-redirct: warning\n")
    result = run_cli("contract", SPEC, "--app", APP, *QUICK, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().endswith("unknown rule 'unexpected-redirct' in 'rules'")
