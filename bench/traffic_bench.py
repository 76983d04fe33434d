"""How fast ``apilint traffic`` reads a big combined-format log, and how much memory it takes.

Generates LINES (default 1,000,000) NGINX combined-format lines with ``$request_time`` into a temp
file (a mix of documented operations with random ids and query strings, trailing-slash variants,
undocumented endpoints, scanner probes and a few garbage lines), then runs the real command
(``python -m apilint traffic SPEC LOG -f json -o ...``) as a child process and prints the wall
time, lines per second and the child's peak resident memory. ``--compare`` also runs a log a tenth
as long, to show that memory does not grow with the log.

``--peers`` runs, on the same requests, apilint (on the combined log and on its JSON-lines
twin), GoAccess (the combined log) and Redocly CLI's ``redocly drift`` (the JSON-lines twin, as
NGINX's JSON ``log_format`` writes it: drift does not read combined logs) and prints one table:
wall time, peak memory (``/usr/bin/time``), and what each counted against what was written.
``--distinct`` also times a log of as many distinct undocumented paths (a scan) against the normal
one.

    python bench/traffic_bench.py
    python bench/traffic_bench.py --lines 200000 --compare
    python bench/traffic_bench.py --peers --distinct
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
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


def kind_of(method: str, target: str) -> str:
    """What the generator meant a request to be (the truth the counts are compared with)."""
    if not method:
        return "garbage"
    path = target.split("?", 1)[0]
    if path.endswith("/avatar") or path.startswith("/wp-content/"):
        return "undocumented"
    if path.endswith("/history"):
        return "other_slash_form"
    return "documented"


def write_log(path: Path, count: int, seed: int, jsonl: Path | None = None) -> dict[str, int]:
    """Write the combined log (and its JSON-lines twin); the number of lines of each kind."""
    rng = random.Random(seed)
    truth = {"documented": 0, "other_slash_form": 0, "undocumented": 0, "garbage": 0}
    twin = open(jsonl, "w", encoding="utf-8") if jsonl else None  # noqa: SIM115
    with open(path, "w", encoding="utf-8") as out:
        for i in range(count):
            method, target, status = request(rng)
            truth[kind_of(method, target)] += 1
            stamp = f"28/Nov/2026:10:{(i // 60) % 60:02d}:{i % 60:02d} +0000"
            if not method:
                out.write(f'198.51.100.7 - - [{stamp}] "\\x16\\x03\\x01" 400 157 "-" "-" 0.000\n')
                if twin:
                    twin.write(
                        json.dumps(
                            {
                                "time_iso8601": f"2026-11-28T10:{(i // 60) % 60:02d}:"
                                f"{i % 60:02d}+00:00",
                                "remote_addr": "198.51.100.7",
                                "host": "api.example.com",
                                "request": "\x16\x03\x01",
                                "status": 400,
                            }
                        )
                        + "\n"
                    )
                continue
            seconds = rng.lognormvariate(-4, 1)
            size = rng.randrange(100, 5000)
            out.write(
                f'203.0.113.{i % 250} - - [{stamp}] "{method} {target} HTTP/1.1" {status} '
                f'{size} "-" "{UA}" {seconds:.3f}\n'
            )
            if twin:
                twin.write(
                    json.dumps(
                        {
                            "time_iso8601": f"2026-11-28T10:{(i // 60) % 60:02d}:"
                            f"{i % 60:02d}+00:00",
                            "remote_addr": f"203.0.113.{i % 250}",
                            "host": "api.example.com",
                            "request_method": method,
                            "request_uri": target,
                            "status": status,
                            "body_bytes_sent": size,
                            "request_time": round(seconds, 3),
                            "http_user_agent": UA,
                        }
                    )
                    + "\n"
                )
    if twin:
        twin.close()
    return truth


def write_distinct(path: Path, count: int, seed: int) -> None:
    """As many distinct undocumented paths as lines (names, not ids: no template folds them)."""
    rng = random.Random(seed)
    letters = "abcdefghijklmnopqrstuvwxyz"
    with open(path, "w", encoding="utf-8") as out:
        for i in range(count):
            word = "".join(rng.choices(letters, k=10))
            out.write(
                f'203.0.113.{i % 250} - - [28/Nov/2026:10:00:00 +0000] "GET /api/v1/{word}/detail '
                f'HTTP/1.1" 200 123 "-" "{UA}" 0.012\n'
            )


def timed(command: list[str], folder: Path) -> tuple[float, int, int, str]:
    """(seconds, peak RSS in MiB, exit code, stderr) of one command, measured by /usr/bin/time."""
    usage = folder / "time.txt"
    child = subprocess.run(
        ["/usr/bin/time", "-o", str(usage), "-f", "%e %M", *command],
        capture_output=True,
        text=True,
        check=False,
    )
    seconds, kib = usage.read_text(encoding="utf-8").split()[-2:]
    return float(seconds), int(kib) // 1024, child.returncode, child.stderr


def peers(folder: Path, spec: Path, count: int, seed: int, distinct: bool) -> None:
    log = folder / "access.log"
    twin = folder / "access-nginx.ndjson"
    truth = write_log(log, count, seed, twin)
    requests = count - truth["garbage"]
    rows: list[tuple[str, str, str, str, str]] = []
    expected = (
        f"{requests:,} requests: {truth['documented']:,} documented, "
        f"{truth['other_slash_form']:,} other slash form, {truth['undocumented']:,} "
        f"undocumented; {truth['garbage']:,} not requests"
    )
    for name, source in (("apilint (combined)", log), ("apilint (JSON lines)", twin)):
        report = folder / "apilint.json"
        command = [sys.executable, "-m", "apilint", "traffic", str(spec), str(source)]
        seconds, mib, code, err = timed([*command, "-f", f"json:{report}"], folder)
        if code == 2:
            sys.exit(f"apilint traffic failed: {err.strip()}")
        data = json.loads(report.read_text(encoding="utf-8"))
        t = data["traffic"]
        counted = (
            f"{t['requests']:,} requests: {t['documented']:,} documented, "
            f"{t['other_slash_form']:,} other slash form, {t['undocumented']:,} undocumented; "
            f"{data['unparsed_lines']:,} unparsed"
        )
        templates = f"{len(data['undocumented']):,} templates"
        rows.append((name, f"{seconds:.1f}", str(mib), counted, templates))
    goaccess = shutil.which("goaccess")
    if goaccess:
        report = folder / "goaccess.json"
        seconds, mib, code, err = timed(
            [
                goaccess,
                str(log),
                "--log-format",
                '%h %^[%d:%t %^] "%r" %s %b "%R" "%u" %T',
                "--date-format",
                "%d/%b/%Y",
                "--time-format",
                "%T",
                "--no-progress",
                "-o",
                str(report),
            ],
            folder,
        )
        if code == 0:
            general = json.loads(report.read_text(encoding="utf-8"))["general"]
            counted = (
                f"{general['total_requests']:,} lines: {general['valid_requests']:,} valid, "
                f"{general['failed_requests']:,} failed"
            )
            urls = f"{general['unique_files']:,} URLs"
            rows.append(("GoAccess", f"{seconds:.1f}", str(mib), counted, urls))
        else:
            rows.append(("GoAccess", "-", "-", f"failed: {err.strip()[:80]}", "-"))
    else:
        rows.append(("GoAccess", "-", "-", "not installed", "-"))
    redocly = shutil.which("redocly")
    if redocly:
        report = folder / "drift.json"
        seconds, mib, code, err = timed(
            [
                redocly,
                "drift",
                str(twin),
                "--api",
                str(spec),
                "--format",
                "json",
                "-o",
                str(report),
                "--server",
                "https://api.example.com/api/v1",
            ],
            folder,
        )
        if report.exists():
            run = json.loads(report.read_text(encoding="utf-8"))["run"]
            counted = (
                f"{run['totalExchanges']:,} exchanges: {run['documentedExchanges']:,} "
                f"documented, {run['undocumentedExchanges']:,} undocumented; "
                f"{run['skippedExchanges']:,} skipped"
            )
            problems = f"{run['totalProblems']:,} problems"
            rows.append(("redocly drift", f"{seconds:.1f}", str(mib), counted, problems))
        else:
            rows.append(("redocly drift", "-", "-", f"failed: {err.strip()[-80:]}", "-"))
    else:
        rows.append(("redocly drift", "-", "-", "not installed", "-"))
    print(f"{count:,} lines written; the truth: {expected}")
    print("| tool | seconds | peak MiB | counted | grouped into |")
    print("|---|---:|---:|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    if distinct:
        scan = folder / "distinct.log"
        write_distinct(scan, count, seed)
        for name, source in (("normal traffic", log), ("distinct undocumented paths", scan)):
            report = folder / "apilint.json"
            command = [sys.executable, "-m", "apilint", "traffic", str(spec), str(source)]
            seconds, mib, code, _ = timed([*command, "-f", f"json:{report}"], folder)
            print(f"apilint, {count:,} lines of {name}: {seconds:.1f} s, {mib} MiB")


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
    parser.add_argument("--peers", action="store_true", help="GoAccess and redocly drift too")
    parser.add_argument(
        "--distinct", action="store_true", help="with --peers: a log of distinct paths too"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="apilint-traffic-bench-") as tmp:
        folder = Path(tmp)
        spec = folder / "api.yaml"
        write_spec(spec)
        if args.peers:
            peers(folder, spec, args.lines, args.seed, args.distinct)
            return 0
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
