"""``apilint diff`` on real version pairs, side by side with Optic (when installed).

Pairs come from the corpus (../shared/corpus, or APILINT_CORPUS): two published versions of
Adyen's Checkout API (both directions), two of Azure's AKS API, two editions of Spotify's, and
GitHub's description against itself with 50 random operations removed (written to a temporary
file; seed 7). For each pair the table gives apilint's findings by severity, Optic's breaking
checks (lines starting with ``x [``) and both tools' wall time (one run each).

    python bench/diff_bench.py                          # apilint only
    python bench/diff_bench.py --optic PATH/TO/optic    # Optic's CLI (npm package @useoptic/optic)

Optic runs with OPTIC_TELEMETRY_LEVEL=off and ``--check``; a run over --timeout seconds is
reported as such.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("APILINT_CORPUS", ROOT.parent / "shared" / "corpus"))
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def pairs(scratch: Path) -> list[tuple[str, Path, Path]]:
    v31, bulk = CORPUS / "v31", CORPUS / "bulk"
    github = CORPUS / "github" / "api.github.com.json"
    return [
        (
            "Adyen Checkout v70 -> v71",
            v31 / "adyen.com__CheckoutService.json",
            v31 / "adyen.com__CheckoutService-v71.json",
        ),
        (
            "Adyen Checkout v71 -> v70",
            v31 / "adyen.com__CheckoutService-v71.json",
            v31 / "adyen.com__CheckoutService.json",
        ),
        (
            "Azure AKS (containerservices -> containerservice)",
            bulk / "azure.com__containerservices-managedClusters.json",
            bulk / "azure.com__containerservice-managedClusters.json",
        ),
        (
            "Spotify (directory edition -> sonallux)",
            bulk / "spotify.com.json",
            bulk / "spotify.com__sonallux.json",
        ),
        ("GitHub minus 50 operations", github, github_minus(github, scratch)),
    ]


def github_minus(source: Path, scratch: Path, count: int = 50, seed: int = 7) -> Path:
    data = json.loads(source.read_text(encoding="utf-8"))
    operations = [(p, m) for p, item in data["paths"].items() for m in item if m in METHODS]
    for path, method in random.Random(seed).sample(operations, count):
        del data["paths"][path][method]
    for path in [p for p, item in data["paths"].items() if not set(item) & set(METHODS)]:
        del data["paths"][path]
    out = scratch / "github-minus-50.json"
    out.write_text(json.dumps(data, indent=2, ensure_ascii=False), encoding="utf-8")
    return out


def run_apilint(old: Path, new: Path) -> tuple[str, float]:
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "apilint", "diff", str(old), str(new), "--no-config", "-f", "json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    elapsed = time.perf_counter() - start
    if result.returncode not in (0, 1):
        return f"failed: {result.stderr.strip()[:80]}", elapsed
    summary = json.loads(result.stdout)["summary"]
    return f"{summary['error']} E / {summary['warning']} W / {summary['info']} I", elapsed


def run_optic(optic: str, old: Path, new: Path, timeout: float) -> tuple[str, float]:
    env = {**os.environ, "OPTIC_TELEMETRY_LEVEL": "off"}
    start = time.perf_counter()
    try:
        result = subprocess.run(
            [optic, "diff", str(old), str(new), "--check"],
            capture_output=True,
            text=True,
            env=env,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return f"no answer in {timeout:.0f} s", timeout
    elapsed = time.perf_counter() - start
    text = result.stdout + result.stderr
    if "invalid openapi" in text:
        return "refused the description (strict validation)", elapsed
    breaking = len(re.findall(r"^\s*x \[", text, flags=re.MULTILINE))
    return f"{breaking} breaking", elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--optic", help="Optic's CLI (optic), to run side by side")
    parser.add_argument("--timeout", type=float, default=500.0)
    args = parser.parse_args()
    if not CORPUS.is_dir():
        print(f"corpus not found at {CORPUS} (set APILINT_CORPUS)", file=sys.stderr)
        return 2
    print("| pair | apilint | time | Optic | time |")
    print("|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as scratch:
        for name, old, new in pairs(Path(scratch)):
            ours, our_time = run_apilint(old, new)
            theirs, their_time = ("-", 0.0)
            if args.optic:
                theirs, their_time = run_optic(args.optic, old, new, args.timeout)
            their_text = f"{their_time:.1f} s" if args.optic else "-"
            print(f"| {name} | {ours} | {our_time:.1f} s | {theirs} | {their_text} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
