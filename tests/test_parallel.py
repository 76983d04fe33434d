"""-j N lints files in several processes; the report must not depend on N."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run_cli

from apilint.lint.parallel import LinterSettings, lint_files
from apilint.lint.results import collect
from apilint.settings.config import Config

SPEC = """\
openapi: 3.0.3
info: {{title: T{n}, version: "1"}}
paths:
  /user/{{id}}:
    get:
      parameters: [{{name: id, in: path, required: true, schema: {{type: string}}}}]
      responses: {{"200": {{description: ok}}}}
  /getThings{n}/:
    get:
      responses: {{"200": {{description: ok}}}}
"""


def make_specs(base: Path, count: int) -> list[str]:
    names = []
    for n in range(count):
        path = base / f"api{n:02d}.yaml"
        path.write_text(SPEC.format(n=n), encoding="utf-8")
        names.append(str(path))
    (base / "broken.yaml").write_text("openapi: [\n")
    names.insert(3, str(base / "broken.yaml"))
    return names


def test_workers_give_the_same_result_as_one_process(tmp_path: Path) -> None:
    names = make_specs(tmp_path, 12)
    settings = LinterSettings(Config())
    linter = settings.build()
    sequential = collect(lint_files(linter, settings, names, jobs=1))
    parallel = collect(lint_files(linter, settings, names, jobs=3, min_parallel_bytes=0))
    assert parallel.findings == sequential.findings
    assert parallel.files == sequential.files
    assert [str(e) for e in parallel.errors] == [str(e) for e in sequential.errors]
    assert sequential.findings and len(sequential.errors) == 1
    # The error crossed a process boundary with its location intact.
    assert parallel.errors[0].line == 2


def test_cli_report_is_identical_whatever_jobs(tmp_path: Path) -> None:
    make_specs(tmp_path, 6)
    one = run_cli("lint", "--no-config", "-f", "json", "-j", "1", ".", cwd=tmp_path)
    many = run_cli("lint", "--no-config", "-f", "json", "-j", "4", ".", cwd=tmp_path)
    assert one.returncode == many.returncode == 2
    assert one.stdout == many.stdout and one.stderr == many.stderr
    assert len(json.loads(one.stdout)["findings"]) > 6
