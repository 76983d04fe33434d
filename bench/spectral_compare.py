"""Spectral rulesets, side by side: Spectral 6.16 and apilint run the same public style guides on
the same real descriptions, and every finding is matched by rule, file and JSON pointer.

    APILINT_CORPUS=/path/to/shared/corpus python bench/spectral_compare.py \\
        --rulesets /path/to/spectral-rulesets [--files 20] [--only adidas,azure] [--show 5]

The rulesets are not part of this repository (fetch them from their projects; RULESETS below says
which file of each is the entry point). Skips (exit 0 with a message) when the corpus, the
rulesets or the ``spectral`` command is missing.

Per ruleset: how many rules it defines (spectral:oas excluded: apilint maps those to its own
checks), how many load, how many call JavaScript functions (skipped, as apilint says in a note).
Per rule: findings both report, only Spectral, only apilint; with --show N, up to N of each
difference to read.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("APILINT_CORPUS", ROOT.parent / "shared" / "corpus"))
RULESETS_DIR = Path(os.environ.get("APILINT_SPECTRAL_RULESETS", ROOT.parent / "spectral-rulesets"))
PYTHON = sys.executable

RULESETS = {
    "adidas": "adidas/adidas-spectral.yaml",
    "azure": "azure/spectral.yaml",
    "apiaddicts": "apiaddicts/apq-spectral.yaml",
    "baloise": "baloise/baloise.yml",
    "digitalocean": "digitalocean/.spectral.yml",
    "entur": "entur/.spectral.yml",
    "redhat": "redhat/spectral/ruleset.yaml",
    "bpce": "bpce/rulesets/main-ruleset.yaml",
    "italia": "italia/rules.yml",
    "italia-security": "italia/security.yml",
    "ouvreboite": "ouvreboite/examples/guild/spectral.yaml",
}
"""Entry point of each style guide, relative to --rulesets. italia/*.yml extend the files of
italia's rules/ and security/ folders (its build concatenates them)."""

BUILTIN_FAMILIES = ("uris", "trailing-slash", "methods", "hygiene", "spec", "suppressions")
"""apilint's own rulesets, left out so that only the Spectral ruleset's rules run."""
NOT_RULES = {"parser", "unrecognized-format", "invalid-ref", "unknown"}

Key = tuple[str, str, str]  # rule, absolute file, JSON pointer


def corpus_files(limit: int) -> list[Path]:
    """A fixed spread of descriptions: petstore, Spotify, some 3.1 and every n-th bulk file."""
    files = [CORPUS / "small" / "petstore.yaml", CORPUS / "medium" / "spotify.com.json"]
    files += sorted((CORPUS / "v31").glob("*.json"))[:3]
    bulk = sorted((CORPUS / "bulk").glob("*.json"))
    step = max(1, len(bulk) // max(1, limit - len(files)))
    files += bulk[::step][: max(0, limit - len(files))]
    return [f for f in files if f.is_file()]


def pointer(path: list[object]) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


def with_function_stubs(top: Path, ruleset: Path, tmp: Path) -> Path:
    """A copy of the ruleset's folder in which every custom function it names exists: Spectral
    refuses to start when a JavaScript function file is missing (several style guides ship
    TypeScript sources only). A missing one becomes a function that reports nothing; rules that
    call custom functions are left out of the comparison anyway."""
    import yaml

    copy = tmp / top.name
    shutil.copytree(top, copy, dirs_exist_ok=True)
    for path in (
        list(copy.rglob("*.y*ml")) + list(copy.rglob("*.json")) + list(copy.rglob(".*.y*ml"))
    ):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError):
            continue
        if not isinstance(data, dict) or not isinstance(data.get("functions"), list):
            continue
        folder = path.parent / str(data.get("functionsDir", "functions"))
        for name in data["functions"]:
            target = folder / f"{name}.js"
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text("module.exports = function () { return []; };\n")
    return copy / ruleset.relative_to(top)


def run_spectral(ruleset: Path, files: list[Path]) -> tuple[set[Key], list[str], set[str]]:
    """Spectral's findings, its error messages, and the files it could not lint."""
    found: set[Key] = set()
    errors: list[str] = []
    failed: set[str] = set()
    if len(files) > 1:  # all at once; when Spectral stops on one, file by file
        together = _spectral_call(ruleset, files)
        if together is not None:
            return together, [], set()
    for file in files:
        proc = subprocess.run(
            ["spectral", "lint", "-r", str(ruleset), str(file), "-f", "json", "--quiet"],
            capture_output=True,
            text=True,
            timeout=900,
            cwd=ruleset.parent,
            check=False,
        )
        text = proc.stdout
        start = text.find("[")
        if proc.returncode not in (0, 1) or start < 0:
            message = " ".join((proc.stderr or text).split())
            errors.append(f"{file.name}: {message[-160:]}")
            failed.add(os.path.abspath(file))
            continue
        try:
            results = json.loads(text[start:])
        except json.JSONDecodeError:
            errors.append(f"{file.name}: unreadable output")
            failed.add(os.path.abspath(file))
            continue
        for item in results:
            code = str(item.get("code"))
            if code in NOT_RULES:
                continue
            source = os.path.abspath(item.get("source") or file)
            found.add((code, source, pointer(item.get("path", []))))
    return found, errors, failed


def _spectral_call(ruleset: Path, files: list[Path]) -> set[Key] | None:
    proc = subprocess.run(
        ["spectral", "lint", "-r", str(ruleset), *map(str, files), "-f", "json", "--quiet"],
        capture_output=True,
        text=True,
        timeout=1800,
        cwd=ruleset.parent,
        check=False,
    )
    start = proc.stdout.find("[")
    if proc.returncode not in (0, 1) or start < 0:
        return None
    found: set[Key] = set()
    for item in json.loads(proc.stdout[start:]):
        code = str(item.get("code"))
        if code not in NOT_RULES:
            found.add((code, os.path.abspath(item.get("source")), pointer(item.get("path", []))))
    return found


def run_apilint(ruleset: Path, files: list[Path]) -> tuple[set[Key], list[str], str]:
    proc = subprocess.run(
        [PYTHON, "-m", "apilint", "lint", "--no-config", "--ruleset", str(ruleset)]
        + ["--ignore", ",".join(BUILTIN_FAMILIES), "-f", "json", "-j", "1"]
        + ["--fail-on", "never"]
        + [str(f) for f in files],
        capture_output=True,
        text=True,
        timeout=900,
        cwd=ROOT,
        check=False,
    )
    notes = [line for line in proc.stderr.splitlines() if "note:" in line]
    errors = [line for line in proc.stderr.splitlines() if "error:" in line]
    found: set[Key] = set()
    start = proc.stdout.find("{")
    if start >= 0:
        data = json.loads(proc.stdout[start:])
        for item in data["findings"]:
            found.add((item["rule"], os.path.abspath(ROOT / item["file"]), item["pointer"]))
    return found, notes, "; ".join(errors)


def own_rules(ruleset: Path) -> tuple[list[str], list[str], list[str]]:
    """(rules the ruleset itself defines, those that call JavaScript functions, the spectral:oas
    rules it leaves on that apilint runs as data)."""
    sys.path.insert(0, str(ROOT))
    from apilint.lint.spectral import load_spectral_ruleset

    loaded = load_spectral_ruleset(ruleset)
    rules = loaded.rules.values()
    own = [r.name for r in rules if r.builtin is None and r.owner != "spectral:oas"]
    javascript = [r.name for r in rules if r.name in own and r.javascript]
    as_data = [
        r.name for r in rules if r.owner == "spectral:oas" and r.builtin is None and r.enabled
    ]
    return own, javascript, as_data


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rulesets", type=Path, default=RULESETS_DIR)
    parser.add_argument("--files", type=int, default=20, help="descriptions from the corpus")
    parser.add_argument("--only", default="", help="ruleset names, comma-separated")
    parser.add_argument("--show", type=int, default=0, help="differences to print per rule")
    args = parser.parse_args()
    if not CORPUS.is_dir():
        print(f"skipped: corpus not found at {CORPUS} (set APILINT_CORPUS)")
        return 0
    if not args.rulesets.is_dir():
        print(f"skipped: rulesets not found at {args.rulesets} (--rulesets DIR)")
        return 0
    if shutil.which("spectral") is None:
        print("skipped: the spectral command is not installed")
        return 0
    files = corpus_files(args.files)
    names = [n for n in RULESETS if not args.only] or [
        n for n in args.only.split(",") if n in RULESETS
    ]
    print(f"{len(files)} descriptions: {', '.join(f.name for f in files)}\n")
    totals: Counter[str] = Counter()
    summary = []
    for name in names:
        ruleset = args.rulesets / RULESETS[name]
        if not ruleset.is_file():
            print(f"{name}: {ruleset} missing, skipped")
            continue
        own, javascript, as_data = own_rules(ruleset)
        with tempfile.TemporaryDirectory() as tmp:
            spectral, spectral_errors, failed = run_spectral(
                with_function_stubs(
                    args.rulesets / RULESETS[name].split("/")[0], ruleset, Path(tmp)
                ),
                files,
            )
        mine, _, errors = run_apilint(ruleset, files)
        own_set = (set(own) - set(javascript)) | set(as_data)
        # A file Spectral stopped on (a filter that read a member of undefined) has no Spectral
        # findings to compare with: left out on both sides, and counted.
        spectral = {k for k in spectral if k[0] in own_set and k[1] not in failed}
        mine = {k for k in mine if k[0] in own_set and k[1] not in failed}
        per_rule: dict[str, Counter[str]] = defaultdict(Counter)
        for key in spectral & mine:
            per_rule[key[0]]["both"] += 1
        for key in spectral - mine:
            per_rule[key[0]]["spectral"] += 1
        for key in mine - spectral:
            per_rule[key[0]]["apilint"] += 1
        both, only_s, only_a = (
            len(spectral & mine),
            len(spectral - mine),
            len(mine - spectral),
        )
        totals.update(both=both, spectral=only_s, apilint=only_a)
        share = f"{100 * both / len(spectral):.1f} %" if spectral else "n/a"
        loaded = len(own) - len(javascript)
        summary.append(
            f"| {name} | {len(own)} | {loaded} | {len(javascript)} | {len(as_data)} | "
            f"{len(failed)} | {both} | "
            f"{only_s} | {only_a} | {share} |"
        )
        print(f"== {name}: {len(own)} rules, {loaded} load, {len(javascript)} JavaScript")
        print(summary[-1], flush=True)
        for line in spectral_errors:
            print(f"   Spectral stopped on {line}")
        if errors:
            print(f"   apilint errors: {errors[:300]}")
        for rule in sorted(per_rule):
            counts = per_rule[rule]
            if counts["spectral"] or counts["apilint"]:
                print(
                    f"   {rule}: both {counts['both']}, only Spectral {counts['spectral']}, "
                    f"only apilint {counts['apilint']}"
                )
                if args.show:
                    for key in sorted(k for k in spectral - mine if k[0] == rule)[: args.show]:
                        print(f"      only Spectral: {Path(key[1]).name} {key[2]}")
                    for key in sorted(k for k in mine - spectral if k[0] == rule)[: args.show]:
                        print(f"      only apilint:  {Path(key[1]).name} {key[2]}")
    print()
    print(
        "| ruleset | rules | load | JavaScript | spectral:oas as data | Spectral failed on "
        "| both | only Spectral | only apilint | matched |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for line in summary:
        print(line)
    matched = totals["both"] + totals["spectral"]
    if matched:
        print(
            f"\nall: {totals['both']} of {matched} Spectral findings matched "
            f"({100 * totals['both'] / matched:.1f} %), {totals['apilint']} only apilint"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
