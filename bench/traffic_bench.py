"""How fast ``apilint traffic`` reads a big combined-format log, and how much memory it takes.

Generates LINES (default 1,000,000) NGINX combined-format lines with ``$request_time`` into a temp
file (a mix of documented operations with random ids and query strings, trailing-slash variants,
undocumented endpoints, scanner probes and a few garbage lines), then runs the real command
(``python -m apilint traffic SPEC LOG -f json -o ...``) as a child process and prints the wall
time, lines per second and the child's peak resident memory. ``--compare`` also runs a log a tenth
as long, to show that memory does not grow with the log.

    python bench/traffic_bench.py
    python bench/traffic_bench.py --lines 200000 --compare
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SPEC = """\
openapi: 3.0.3
info: {title: Bench, version: "1"}
servers: [{url: "https://api.example.com/api/v1"}]
paths:
"""
RESOURCES = ["users", "orders", "products", "invoices", "carts", "reviews", "shipments"]
UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0"


def write_spec(path: Path) -> None:
    lines = [SPEC]
    ok = '{responses: {"200": {description: ok}}}'
    for name in RESOURCES:
        lines.append(f"  /{name}:\n    get: {ok}\n    post: {ok}\n")
        lines.append(f"  /{name}/{{id}}:\n    get: {ok}\n    put: {ok}\n    delete: {ok}\n")
        lines.append(f"  /{name}/{{id}}/history/:\n    get: {ok}\n")
    path.write_text("".join(lines), encoding="utf-8")


def request(rng: random.Random) -> tuple[str, str, int]:
    roll = rng.random()
    name = rng.choice(RESOURCES)
    ident = rng.randrange(1, 10**7)
    if roll < 0.40:
        return "GET", f"/api/v1/{name}/{ident}", rng.choice((200, 200, 200, 200, 404, 500))
    if roll < 0.60:
        return "GET", f"/api/v1/{name}?page={rng.randrange(50)}&sort=name", 200
    if roll < 0.70:
        return "POST", f"/api/v1/{name}", rng.choice((201, 201, 400, 422))
    if roll < 0.78:
        return rng.choice(("PUT", "DELETE")), f"/api/v1/{name}/{ident}", 204
    if roll < 0.85:
        return "GET", f"/api/v1/{name}/{ident}/history", 308  # slash variant: the route has '/'
    if roll < 0.90:
        return "GET", f"/api/v1/{name}/{ident}/history/", 200
    if roll < 0.96:
        return "GET", f"/api/v1/{name}/{ident}/avatar", 200  # undocumented
    if roll < 0.995:
        return "GET", f"/wp-content/plugins/p{rng.randrange(10**6)}/readme.txt", 404
    return "", "", 0


def write_log(path: Path, count: int, seed: int) -> None:
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8") as out:
        for i in range(count):
            method, target, status = request(rng)
            stamp = f"28/Nov/2026:10:{(i // 60) % 60:02d}:{i % 60:02d} +0000"
            if not method:
                out.write(f'198.51.100.7 - - [{stamp}] "\\x16\\x03\\x01" 400 157 "-" "-" 0.000\n')
                continue
            seconds = rng.lognormvariate(-4, 1)
            out.write(
                f'203.0.113.{i % 250} - - [{stamp}] "{method} {target} HTTP/1.1" {status} '
                f'{rng.randrange(100, 5000)} "-" "{UA}" {seconds:.3f}\n'
            )


def run(spec: Path, log: Path, report: Path) -> tuple[float, int, int]:
    """(seconds, peak RSS in KiB, exit code) of one ``apilint traffic`` run."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    child = subprocess.run(
        [sys.executable, "-m", "apilint", "traffic", str(spec), str(log), "-f", f"json:{report}"],
        capture_output=True,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if child.returncode == 2:
        sys.exit(f"apilint traffic failed: {child.stderr.strip()}")
    return elapsed, max(peak, before), child.returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--compare", action="store_true", help="also run a log 1/10 as long")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="apilint-traffic-bench-") as tmp:
        folder = Path(tmp)
        spec = folder / "api.yaml"
        write_spec(spec)
        sizes = [args.lines // 10, args.lines] if args.compare else [args.lines]
        for count in sizes:
            log = folder / f"access-{count}.log"
            write_log(log, count, args.seed)
            megabytes = os.path.getsize(log) / 1e6
            elapsed, peak_kib, code = run(spec, log, folder / "report.json")
            data = json.loads((folder / "report.json").read_text(encoding="utf-8"))
            traffic = data["traffic"]
            print(
                f"{count:>9,} lines ({megabytes:.0f} MB): {elapsed:.2f} s, "
                f"{count / elapsed:,.0f} lines/s, peak RSS {peak_kib / 1024:.0f} MiB "
                f"(exit {code}; {traffic['requests']:,} requests, "
                f"{data['unparsed_lines']:,} unparsed, {len(data['undocumented'])} undocumented "
                f"templates, {len(data['findings'])} findings)"
            )
            log.unlink()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
