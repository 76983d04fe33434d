"""The lint cache: a re-run on unchanged files answers from the cache, and nothing that decides
the findings can change without the cache noticing (the file, a file it reads through $ref, the
rule selection, a severity or option, a user's check module); a damaged or unwritable cache is a
note at most, never a wrong report."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import run_cli

SPEC = """\
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /users:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: 'schemas.yaml#/User'}
  /getThings:
    get:
      responses:
        '200': {description: ok}
"""
SCHEMAS = "User:\n  type: object\n  required: [id]\n  properties:\n    id: {type: integer}\n"


def _project(tmp_path: Path) -> Path:
    (tmp_path / "api.yaml").write_text(SPEC, encoding="utf-8")
    (tmp_path / "schemas.yaml").write_text(SCHEMAS, encoding="utf-8")
    return tmp_path


def _lint(cwd: Path, *args: str) -> dict[str, object]:
    result = run_cli("lint", "--no-config", "-f", "json", *args, "api.yaml", cwd=cwd)
    assert result.returncode in (0, 1), result.stderr
    report: dict[str, object] = json.loads(result.stdout)
    return report


def _entries(cwd: Path) -> list[Path]:
    return sorted((cwd / ".apilint_cache").glob("*/*.json"))


def _messages(report: dict[str, object]) -> list[str]:
    return [f["rule"] + ": " + f["message"] for f in report["findings"]]  # type: ignore[index,union-attr,operator]


def test_a_rerun_answers_from_the_cache(tmp_path: Path) -> None:
    cwd = _project(tmp_path)
    first = _lint(cwd)
    assert len(_entries(cwd)) == 1
    assert (cwd / ".apilint_cache" / ".gitignore").read_text().endswith("*\n")
    assert _lint(cwd) == first
    # Proof that the second run read the entry: a message edited in the cache shows up.
    entry = _entries(cwd)[0]
    data = json.loads(entry.read_text(encoding="utf-8"))
    data["findings"].append({**data["findings"][0], "message": "from the cache"})
    entry.write_text(json.dumps(data), encoding="utf-8")
    assert "from the cache" in " ".join(_messages(_lint(cwd)))


def test_a_changed_ref_target_is_a_miss(tmp_path: Path) -> None:
    cwd = _project(tmp_path)
    before = _messages(_lint(cwd))
    assert not any("required-property-undefined" in m for m in before)
    (cwd / "schemas.yaml").write_text(SCHEMAS.replace("[id]", "[id, name]"), encoding="utf-8")
    after = _messages(_lint(cwd))
    assert any("required-property-undefined" in m and "'name'" in m for m in after)


def test_the_file_selection_and_options_are_part_of_the_key(tmp_path: Path) -> None:
    cwd = _project(tmp_path)
    everything = _messages(_lint(cwd))
    assert everything
    assert _messages(_lint(cwd, "--select", "path-verb")) == [
        m for m in everything if m.startswith("path-verb")
    ]
    (cwd / "api.yaml").write_text(SPEC.replace("/getThings", "/fetchItems"), encoding="utf-8")
    assert any("fetchItems" in m for m in _messages(_lint(cwd)))
    (cwd / "apilint.yaml").write_text("rules: {path-verb: error}\n", encoding="utf-8")
    result = run_cli("lint", "-f", "json", "api.yaml", cwd=cwd)
    severities = {f["rule"]: f["severity"] for f in json.loads(result.stdout)["findings"]}
    assert severities["path-verb"] == "error"


def test_a_users_check_module_is_part_of_the_key(tmp_path: Path) -> None:
    cwd = _project(tmp_path)
    module = cwd / "checks.py"
    body = (
        "from apilint.lint.checks import check\n\n"
        "@check('flag_paths')\n"
        "def flag_paths(targets, options, ctx):\n"
        "    for node in targets:\n"
        "        yield node.finding('MESSAGE')\n"
    )
    module.write_text(body.replace("MESSAGE", "first wording"), encoding="utf-8")
    (cwd / "ours.yaml").write_text(
        "functions: [./checks.py]\nrules:\n  flag:\n    description: d\n    severity: info\n"
        "    given: path-items\n    then: {function: flag_paths}\n",
        encoding="utf-8",
    )
    (cwd / "apilint.yaml").write_text("extends: [./ours.yaml]\nselect: [flag]\n", encoding="utf-8")
    first = run_cli("lint", "api.yaml", cwd=cwd)
    assert "first wording" in first.stdout, first.stdout + first.stderr
    module.write_text(body.replace("MESSAGE", "second wording"), encoding="utf-8")
    second = run_cli("lint", "api.yaml", cwd=cwd)
    assert "second wording" in second.stdout, second.stdout + second.stderr


def test_a_damaged_entry_is_a_miss(tmp_path: Path) -> None:
    cwd = _project(tmp_path)
    first = _lint(cwd)
    for entry in _entries(cwd):
        entry.write_bytes(b"\x00\xffnot json")
    assert _lint(cwd) == first
    for entry in _entries(cwd):
        entry.write_text('{"shown": "api.yaml", "findings": 3}', encoding="utf-8")
    assert _lint(cwd) == first


def test_an_unwritable_cache_folder_is_a_note_not_a_failure(tmp_path: Path) -> None:
    cwd = _project(tmp_path)
    (cwd / "blocker").write_text("a file where the folder should be", encoding="utf-8")
    expected = _lint(cwd, "--no-cache")
    result = run_cli(
        "lint", "--no-config", "-f", "json", "--cache-dir", "blocker/cache", "api.yaml", cwd=cwd
    )
    assert json.loads(result.stdout) == expected
    assert "apilint: note: the cache folder blocker/cache cannot be written" in result.stderr


def test_no_cache_writes_nothing(tmp_path: Path) -> None:
    cwd = _project(tmp_path)
    _lint(cwd, "--no-cache")
    assert not (cwd / ".apilint_cache").exists()


_IMPORTS_AFTER_LINT = """\
import sys
from apilint.cli.main import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print(" ".join(m for m in ("apilint.lint.engine", "apilint.lint.rulesets", "yaml") if m in sys.modules), file=sys.stderr)
"""


def test_an_unchanged_run_answers_without_building_the_linter(tmp_path: Path) -> None:
    cwd = _project(tmp_path)
    args = ("lint", "--no-config", "-f", "sarif", "api.yaml")
    expected = run_cli(*args, "--no-cache", cwd=cwd).stdout
    first = run_cli("-c", _IMPORTS_AFTER_LINT, *args, cwd=cwd, python_args=True)
    assert "apilint.lint.engine" in first.stderr.split()
    second = run_cli("-c", _IMPORTS_AFTER_LINT, *args, cwd=cwd, python_args=True)
    # The same report (rule metadata included), without the engine, the rulesets or YAML.
    assert second.stdout == first.stdout == expected
    assert second.stderr.strip() == "", second.stderr


def test_every_ruleset_file_read_is_part_of_the_key(tmp_path: Path) -> None:
    """A ruleset that only sets severities, two `extends` away, still decides the findings."""
    cwd = _project(tmp_path)
    (cwd / "apilint.yaml").write_text("extends: [./ours.yaml]\n", encoding="utf-8")
    (cwd / "ours.yaml").write_text("extends: [./base.yaml]\nrules: {}\n", encoding="utf-8")
    base = cwd / "base.yaml"

    def severities() -> dict[str, str]:
        result = run_cli("lint", "-f", "json", "api.yaml", cwd=cwd)
        return {f["rule"]: f["severity"] for f in json.loads(result.stdout)["findings"]}

    base.write_text("rules: {path-verb: error}\n", encoding="utf-8")
    assert severities()["path-verb"] == "error"
    assert severities()["path-verb"] == "error"
    base.write_text("rules: {path-verb: info}\n", encoding="utf-8")
    assert severities()["path-verb"] == "info"
    base.write_text("rules: {path-verb: 'off'}\n", encoding="utf-8")
    assert "path-verb" not in severities()


def test_a_damaged_settings_entry_is_a_miss(tmp_path: Path) -> None:
    cwd = _project(tmp_path)
    first = _lint(cwd)
    settings = sorted((cwd / ".apilint_cache").glob("settings-*.json"))
    assert len(settings) == 1
    for damage in (b"\x00\xffnot json", b'{"key": "x", "sources": 3, "rules": {}}', b"[]"):
        settings[0].write_bytes(damage)
        assert _lint(cwd) == first
