"""What apilint and Redocly CLI report on the OpenAPI 3.2 fixtures (tests/data/oas32).

For each feature, the rules that fire on its bad fixture and not on its good one (so rules that
fire on both, such as Redocly's info-license or operation-summary, drop out), with the messages.
Redocly tries to fetch the $self-based $ref of self.good.yaml (a .invalid host, which never
resolves); apilint reads it from the document itself.

    python -m bench.oas32_peers            # from the repository root; needs `redocly` on PATH
    python -m bench.oas32_peers --details  # every finding, both tools
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path

import apilint

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "data" / "oas32"


def apilint_findings(path: Path) -> list[tuple[str, str, str]]:
    result = apilint.lint(str(path))
    result.raise_for_errors()
    return [(f.rule, f.pointer, f.message) for f in result.findings]


def redocly_findings(path: Path) -> list[tuple[str, str, str]]:
    redocly = shutil.which("redocly")
    if redocly is None:
        raise SystemExit("redocly is not on PATH (npm install -g @redocly/cli)")
    run = subprocess.run(
        [redocly, "lint", str(path), "--format=json"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    try:
        problems = json.loads(run.stdout)["problems"]
    except (ValueError, KeyError):
        reason = run.stderr.strip()[:200]
        raise SystemExit(f"redocly gave no JSON report for {path}: {reason}") from None
    out = []
    for problem in problems:
        pointer = problem["location"][0].get("pointer", "#")
        out.append((problem["ruleId"], pointer.lstrip("#"), problem["message"]))
    return out


def elicited(bad: list[tuple[str, str, str]], good: list[tuple[str, str, str]]) -> list[str]:
    on_good = {rule for rule, _, _ in good}
    return sorted({rule for rule, _, _ in bad if rule not in on_good})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--details", action="store_true", help="print every finding")
    args = parser.parse_args()
    features = sorted(p.name.removesuffix(".bad.yaml") for p in FIXTURES.glob("*.bad.yaml"))
    columns = ["feature", "apilint (bad, not good)", "Redocly (bad, not good)"]
    columns += ["apilint on good", "Redocly on good"]
    print("| " + " | ".join(columns) + " |")
    print("|---|---|---|---|---|")
    details = []
    for feature in features:
        bad, good = FIXTURES / f"{feature}.bad.yaml", FIXTURES / f"{feature}.good.yaml"
        ours_bad, ours_good = apilint_findings(bad), apilint_findings(good)
        theirs_bad, theirs_good = redocly_findings(bad), redocly_findings(good)
        cells = [
            ", ".join(elicited(ours_bad, ours_good)) or "—",
            ", ".join(elicited(theirs_bad, theirs_good)) or "—",
            str(len(ours_good)),
            str(len(theirs_good)),
        ]
        print(f"| {feature} | " + " | ".join(cells) + " |")
        for tool, found in (("apilint", ours_bad), ("redocly", theirs_bad)):
            for rule, pointer, message in found:
                details.append(f"{feature}.bad {tool} {rule} {pointer}: {message[:140]}")
    if args.details:
        print()
        print("\n".join(details))
    return 0


if __name__ == "__main__":
    sys.exit(main())
