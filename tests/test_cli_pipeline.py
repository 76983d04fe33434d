"""What breaks pipelines: a closed pipe, a lint-only install running `apilint contract`,
--exit-zero, --show-settings and --verbose."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from ci_support import BROKEN, CORE_RULES, NO_CONFIG
from conftest import ROOT, run_cli


def _env() -> dict[str, str]:
    return {**os.environ, "NO_COLOR": "1", "PYTHONPATH": str(ROOT)}


@pytest.mark.parametrize(
    "args", [("rules",), ("rules", "--format", "markdown"), ("lint", "--no-config", "-f", "sarif")]
)
def test_a_closed_pipe_ends_quietly(args: tuple[str, ...]) -> None:
    # `apilint rules | head -1` when head is gone before apilint writes: the read end is
    # closed before the process starts writing, so every write meets a closed pipe.
    if args[0] == "lint":
        args = (*args, str(ROOT / "examples" / "thoughts" / "openapi.yaml"))
    with subprocess.Popen(
        [sys.executable, "-m", "apilint", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=_env(),
        cwd=ROOT,
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        process.stdout.close()
        stderr = process.stderr.read()
        code = process.wait(timeout=120)
    assert stderr == b""
    assert code == 141  # what a shell shows for a tool that SIGPIPE stopped


BLOCK_CONTRACT_EXTRA = """\
import sys
sys.modules["schemathesis"] = None  # what a lint-only install looks like to an import
sys.modules["hypothesis"] = None
from apilint.cli.main import main
sys.argv = ["apilint", *sys.argv[1:]]
main()
"""


def test_contract_without_its_extra_is_one_line_naming_it() -> None:
    spec = ROOT / "examples" / "thoughts" / "openapi.fixed.yaml"
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            BLOCK_CONTRACT_EXTRA,
            "contract",
            str(spec),
            "--base-url",
            "http://127.0.0.1:9",
        ],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=120,
        check=False,
    )
    assert run.returncode == 2, run.stderr
    assert run.stderr.count("\n") == 1, run.stderr
    assert "pip install 'apilint[contract]'" in run.stderr
    assert "Traceback" not in run.stderr
    # lint needs none of it
    lint = subprocess.run(
        [sys.executable, "-c", BLOCK_CONTRACT_EXTRA, "lint", "--no-config", str(spec)],
        capture_output=True,
        text=True,
        env=_env(),
        timeout=120,
        check=False,
    )
    assert lint.returncode in (0, 1), lint.stderr
    assert "No problems found" in lint.stdout or "Found" in lint.stdout


def test_package_is_typed() -> None:
    assert (ROOT / "apilint" / "py.typed").is_file()


def test_exit_zero(tmp_path: Path) -> None:
    (tmp_path / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    failing = run_cli("lint", *NO_CONFIG, "broken.yaml", cwd=tmp_path)
    assert failing.returncode == 1
    zero = run_cli("lint", *NO_CONFIG, "--exit-zero", "broken.yaml", cwd=tmp_path)
    assert zero.returncode == 0
    assert zero.stdout == failing.stdout
    missing = run_cli("lint", *NO_CONFIG, "--exit-zero", "missing.yaml", cwd=tmp_path)
    assert missing.returncode == 2  # apilint could not do its job: still 2


def test_show_settings_says_where_each_value_came_from(tmp_path: Path) -> None:
    (tmp_path / "apilint.yaml").write_text(
        f"select: [{CORE_RULES}]\nfail-on: warning\nexclude: [vendor/**]\n", encoding="utf-8"
    )
    run = run_cli("lint", "--show-settings", "--max-depth", "40", cwd=tmp_path)
    assert run.returncode == 0, run.stderr
    config = str((tmp_path / "apilint.yaml").resolve())
    lines = run.stdout.splitlines()
    assert lines[0] == f"config file: {config}"
    rows = {line.split()[0]: line for line in lines[1:] if not line.startswith(" ")}
    assert rows["fail-on"].endswith(f"warning  ({config})")
    assert rows["exclude"].endswith(f"vendor/**  ({config})")
    assert rows["max-depth"].endswith("40  (command line)")
    assert rows["max-nodes"].endswith("(default)")
    assert "rules (3):" in lines
    assert [line.split() for line in lines if line.startswith("  ")] == [
        ["duplicate-key", "error"],
        ["spec-invalid", "error"],
        ["unused-suppression", "warning"],
    ]


def test_verbose_names_the_config_file(tmp_path: Path) -> None:
    (tmp_path / "apilint.yaml").write_text(f"select: [{CORE_RULES}]\n", encoding="utf-8")
    (tmp_path / "broken.yaml").write_text(BROKEN, encoding="utf-8")
    run = run_cli("lint", "-v", "broken.yaml", cwd=tmp_path)
    assert run.returncode == 1
    assert f"apilint: config: {(tmp_path / 'apilint.yaml').resolve()}\n" in run.stderr
