"""Side-by-side speed and memory of apilint, Spectral and Redocly CLI on real descriptions.

Each tool is run as a whole process (what a pre-commit hook or CI step pays), alternating tools
run by run so that machine noise hits them alike; the table shows the median wall time, the peak
resident memory, and each peer's time divided by apilint's (cold). apilint is measured twice:
cold (``--no-cache``: everything linted) and warm (the same files again, answered from its cache,
as on a pre-commit run where nothing changed). The median CPU time (user + system) of each cell
follows the table: on a loaded machine it moves less than wall time.

    python bench/bench.py --install-peers       # once: Spectral and Redocly into bench/.peers
    python bench/bench.py                                 # default targets, 5 runs each
    python bench/bench.py --targets github,stripe --runs 5 --tools apilint,apilint-warm,redocly
    python bench/bench.py --tools apilint --per-operation \
        --targets example,small,medium,stripe,github,scale

Peers use their default recommended rulesets: Spectral `spectral:oas`, Redocly `recommended`;
apilint runs every built-in rule with locations, writing its report to a file. Peers installed
with --install-peers are used first, else those on PATH.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("APILINT_CORPUS", ROOT.parent / "shared" / "corpus"))
PEERS = ROOT / "bench" / ".peers"
PEER_PACKAGES = ["@stoplight/spectral-cli@6.16.3", "@redocly/cli@2.77.0"]

TARGETS: dict[str, list[str]] = {
    "example": [str(ROOT / "examples" / "thoughts" / "openapi.yaml")],
    "small": [str(CORPUS / "small" / "petstore.yaml")],
    "medium": [str(CORPUS / "medium" / "spotify.com.json")],
    "stripe": [str(CORPUS / "large" / "stripe.com.json")],
    "stripe-yaml": [str(CORPUS / "large" / "stripe.com.yaml")],
    "github": [str(CORPUS / "github" / "api.github.com.json")],
    "github-yaml": [str(CORPUS / "github" / "api.github.com.yaml")],
    "bulk": sorted(str(p) for p in (CORPUS / "bulk").glob("*.json")),
    "scale": [str(CORPUS / "scale" / "microsoft.com_graph.json")],
}


@dataclass
class Sample:
    seconds: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    peak_kb: list[int] = field(default_factory=list)
    failed: str = ""


def install_peers() -> None:
    if shutil.which("npm") is None:
        sys.exit("npm is needed to install the peers")
    PEERS.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            "npm",
            "install",
            "--silent",
            "--no-audit",
            "--no-fund",
            "--prefix",
            str(PEERS),
            *PEER_PACKAGES,
        ],
        check=True,
    )


def peer(tool: str) -> str | None:
    """The peer's executable: bench/.peers first, else PATH."""
    local = PEERS / "node_modules" / ".bin" / tool
    return str(local) if local.exists() else shutil.which(tool)


def command(tool: str, files: list[str], workdir: Path) -> list[str]:
    if tool in ("apilint", "apilint-warm"):
        # Cold lints everything; warm reads the cache its unmeasured first run filled.
        cache = ["--no-cache"] if tool == "apilint" else ["--cache-dir", str(workdir / "cache")]
        return [
            sys.executable,
            "-m",
            "apilint",
            "lint",
            "--no-config",
            "--select",
            "all",
            *cache,
            "-f",
            f"json:{workdir / (tool + '.json')}",
            "-q",
            *files,
        ]
    if tool == "spectral":
        ruleset = workdir / ".spectral.yaml"
        ruleset.write_text('extends: ["spectral:oas"]\n')
        return [
            str(peer("spectral")),
            "lint",
            "--quiet",
            "--ruleset",
            str(ruleset),
            "-f",
            "json",
            "-o",
            str(workdir / "spectral.json"),
            *files,
        ]
    if tool == "redocly":
        return [
            str(peer("redocly")),
            "lint",
            "--extends",
            "recommended",
            "--format",
            "json",
            *files,
        ]
    raise SystemExit(f"unknown tool {tool}")


def run_once(cmd: list[str], timeout: float) -> tuple[float, float, int, int]:
    """Wall seconds, CPU seconds (user + system), peak RSS in KB and the exit code."""
    env = {
        **os.environ,
        "REDOCLY_TELEMETRY": "off",
        "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true",
        "NO_COLOR": "1",
    }
    # An installed apilint has its bytecode compiled (pip does it); a checkout measured with
    # PYTHONDONTWRITEBYTECODE set would recompile every module on every run instead.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    start = time.perf_counter()
    with open(os.devnull, "wb") as sink:
        process = subprocess.Popen(cmd, stdout=sink, stderr=subprocess.PIPE, env=env)
        deadline = start + timeout
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                process.kill()
                pid, status, usage = os.wait4(process.pid, 0)
                return float("inf"), float("inf"), usage.ru_maxrss, -9
            time.sleep(0.005)
    elapsed = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    process.returncode = code
    if process.stderr is not None:
        process.stderr.close()
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, code


def measure(
    tools: list[str], targets: list[str], runs: int, timeout: float
) -> dict[tuple[str, str], Sample]:
    results: dict[tuple[str, str], Sample] = {}
    with tempfile.TemporaryDirectory() as scratch:
        workdir = Path(scratch)
        for target in targets:
            files = TARGETS[target]
            missing = [f for f in files if not Path(f).exists()]
            if missing or not files:
                print(
                    f"skipping {target}: {missing[0] if missing else 'no files'} not found",
                    file=sys.stderr,
                )
                continue
            for tool in tools:  # one unmeasured run each: bytecode, file cache, npm's caches
                run_once(command(tool, files, workdir), timeout)
            for run in range(runs):
                order = tools if run % 2 == 0 else list(reversed(tools))
                for tool in order:
                    sample = results.setdefault((tool, target), Sample())
                    if sample.failed:
                        continue
                    elapsed, cpu, peak, code = run_once(command(tool, files, workdir), timeout)
                    # Every linter exits 1 when it reports errors; 2 or more is a failure to run.
                    if code not in (0, 1):
                        sample.failed = "timeout" if code == -9 else f"exit {code}"
                        continue
                    sample.seconds.append(elapsed)
                    sample.cpu.append(cpu)
                    sample.peak_kb.append(peak)
                    print(
                        f"  {target:<12} {tool:<12} run {run + 1}: "
                        f"{elapsed:7.3f} s (cpu {cpu:.3f} s) {peak / 1024:7.0f} MB",
                        file=sys.stderr,
                    )
    return results


def table(tools: list[str], targets: list[str], results: dict[tuple[str, str], Sample]) -> str:
    names = {"apilint": "apilint cold", "apilint-warm": "apilint warm"}
    header = ["description"] + [names.get(tool, tool) for tool in tools]
    header += [f"{tool} / apilint cold" for tool in tools if tool not in names]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for target in targets:
        cells = [target]
        medians: dict[str, float] = {}
        for tool in tools:
            sample = results.get((tool, target))
            if sample is None or sample.failed or not sample.seconds:
                cells.append(sample.failed if sample else "-")
                continue
            medians[tool] = statistics.median(sample.seconds)
            cells.append(f"{medians[tool]:.3f} s, {max(sample.peak_kb) / 1024:.0f} MB")
        for tool in tools:
            if tool in names:
                continue
            if tool in medians and "apilint" in medians:
                cells.append(f"{medians[tool] / medians['apilint']:.1f}x")
            else:
                cells.append("-")
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    lines.append("Median CPU seconds (user + system):")
    for target in targets:
        cpu = [
            f"{names.get(tool, tool)} {statistics.median(sample.cpu):.2f}"
            for tool in tools
            if (sample := results.get((tool, target))) is not None and sample.cpu
        ]
        lines.append(f"- {target}: " + ", ".join(cpu))
    return "\n".join(lines)


def operations_of(target: str) -> int | None:
    manifest = CORPUS / "MANIFEST.tsv"
    if not manifest.exists():
        return None
    wanted = {
        str(Path(f).relative_to(CORPUS)) for f in TARGETS[target] if str(f).startswith(str(CORPUS))
    }
    with open(manifest, encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle, delimiter="\t") if row["file"] in wanted]
    return sum(int(row["operations"]) for row in rows) if rows else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--install-peers",
        action="store_true",
        help="npm-install Spectral and Redocly into bench/.peers",
    )
    parser.add_argument("--tools", default="apilint,apilint-warm,spectral,redocly")
    parser.add_argument("--targets", default="example,stripe,github,bulk")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=900)
    parser.add_argument(
        "--per-operation", action="store_true", help="also print apilint's time per operation"
    )
    parser.add_argument("--json", type=Path, help="write raw samples here")
    args = parser.parse_args()
    if args.install_peers:
        install_peers()
    tools = args.tools.split(",")
    for tool in tools:
        if tool not in ("apilint", "apilint-warm") and peer(tool) is None:
            sys.exit(f"{tool} is not installed: run python bench/bench.py --install-peers")
    targets = args.targets.split(",")
    results = measure(tools, targets, args.runs, args.timeout)
    print(
        f"\nMedians of {args.runs} whole-process runs (wall time, peak RSS); "
        "ratio = peer time / apilint time\n"
    )
    print(table(tools, targets, results))
    if args.per_operation:
        print(
            "\n| description | operations | apilint median | ms per operation |\n|---|---|---|---|"
        )
        for target in targets:
            sample = results.get(("apilint", target))
            ops = operations_of(target)
            if sample and sample.seconds and ops:
                median = statistics.median(sample.seconds)
                print(f"| {target} | {ops} | {median:.2f} s | {1000 * median / ops:.2f} |")
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    f"{tool}:{target}": {
                        "seconds": s.seconds,
                        "cpu": s.cpu,
                        "peak_kb": s.peak_kb,
                        "failed": s.failed,
                    }
                    for (tool, target), s in results.items()
                },
                indent=2,
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
