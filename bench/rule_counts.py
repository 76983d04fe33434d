"""Findings per rule on the real descriptions in ../shared/corpus, and samples to read.

Precision work: run a rule family over GitHub, Stripe and the 200-file bulk set, count findings
per rule and corpus, and print a random sample of findings (with the line they point at) so a
person can judge each one.

    python bench/rule_counts.py                          # counts for every rule
    python bench/rule_counts.py --select uris --sample 40 --seed 1
    python bench/rule_counts.py --select path-verb --sample 40 --corpus bulk
"""

from __future__ import annotations

import argparse
import os
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# This checkout's apilint, not whichever one the interpreter has installed.
sys.path.insert(0, str(ROOT))

from apilint.core.findings import Finding  # noqa: E402
from apilint.lint.engine import Linter  # noqa: E402
from apilint.settings.config import Config  # noqa: E402

DEFAULT_CORPUS = Path(os.environ.get("APILINT_CORPUS", ROOT.parent / "shared" / "corpus"))
GROUPS = {
    "github": ["github/api.github.com.json"],
    "stripe": ["large/stripe.com.json"],
    "bulk": ["bulk/*.json"],
    "large": [
        "large/kubernetes.io.json",
        "large/slack.com.json",
        "large/twilio.com_api.json",
        "large/codat.io_accounting.31.json",
    ],
    "medium": ["medium/*.json", "small/*.json"],
    "v31": ["v31/*.json"],
    "graph": ["scale/microsoft.com_graph.json"],
}
"""Descriptions by folder; the default reads them all. Earlier tuning read github, stripe and
bulk only: large, medium, v31 and graph are descriptions the rules were not tuned on."""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(DEFAULT_CORPUS))
    parser.add_argument(
        "--groups", default=",".join(GROUPS), help=f"comma-separated, of: {', '.join(GROUPS)}"
    )
    parser.add_argument("--select", default="all", help="rule ids or families, comma-separated")
    parser.add_argument("--sample", type=int, default=0, help="findings to print per rule")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    corpus = Path(args.corpus)
    if not corpus.is_dir():
        print(f"corpus not found: {corpus}", file=sys.stderr)
        return 2
    linter = Linter(Config(), select=args.select.split(","))
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    findings_by_rule: dict[str, list[Finding]] = defaultdict(list)
    errors = 0
    groups = args.groups.split(",")
    for group in groups:
        files = sorted(p for pattern in GROUPS[group] for p in corpus.glob(pattern))
        result = linter.lint(files)
        errors += len(result.errors)
        for error in result.errors:
            print(f"error: {error}", file=sys.stderr)
        for finding in result.findings:
            counts[finding.rule][group] += 1
            findings_by_rule[finding.rule].append(finding)
    rules = sorted(r.id for r in linter.rules)
    width = max([len(r) for r in rules] + [4])
    print(f"{'rule'.ljust(width)}  " + "  ".join(f"{g:>7}" for g in groups))
    for rule in rules:
        print(f"{rule.ljust(width)}  " + "  ".join(f"{counts[rule][g]:>7}" for g in groups))
    if args.sample:
        rng = random.Random(args.seed)
        lines_cache: dict[str, list[str]] = {}
        for rule in rules:
            found = findings_by_rule[rule]
            if not found:
                continue
            picked = found if len(found) <= args.sample else rng.sample(found, args.sample)
            print(f"\n## {rule}: {len(picked)} of {len(found)}")
            for f in sorted(picked, key=Finding.sort_key):
                if f.file not in lines_cache:
                    lines_cache[f.file] = Path(f.file).read_text(encoding="utf-8").splitlines()
                source = lines_cache[f.file][f.line - 1].strip()[:100]
                where = f"{Path(f.file).name}:{f.line} {f.pointer}"
                print(f"- {where}\n    {f.message}\n    | {source}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
