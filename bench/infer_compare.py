"""``apilint infer`` side by side with ``redocly generate-spec`` on one real NGINX log.

NGINX on loopback in front of the Thoughts service (examples/thoughts/app.py) writes two logs of
the same requests: the combined format (what apilint reads; Redocly cannot) and NGINX JSON (what
both read). The workload is the test's (tests/infer/test_infer_nginx.py) followed by ROUNDS rounds
of reads with many ids, query parameters, the 308 of /api/thoughts, HEAD, OPTIONS and scanner
probes. Each tool infers a description from the JSON log; the table says how many of the
hand-written description's 21 operations each found, what else it added (noise), what
``apilint lint`` and ``redocly lint`` say of its output, and how long it took.

    python bench/infer_compare.py [--rounds 150]

Needs nginx and Redocly CLI (``redocly`` on the PATH).
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "infer"))
sys.path.insert(0, str(ROOT))

from infer_support import Client, nginx_in_front_of, operations_of  # noqa: E402
from test_infer_nginx import _hand_written, _thoughts_app, _traffic  # noqa: E402

PROBES = ["/.env", "/wp-login.php", "/.git/config", "/admin.php", "/phpmyadmin/index.php"]


def workload(client: Client, rounds: int, seed: int) -> None:
    _traffic(client)
    rng = random.Random(seed)
    send = client.send
    for _ in range(rounds):
        user = rng.randint(1, 4)
        thought = rng.randint(1, 6)
        send("GET", f"/api/users/{user}")
        send("GET", f"/api/users/{user}/thoughts?limit={rng.randint(1, 50)}")
        send("GET", f"/api/users/{user}/followers")
        send("GET", f"/api/thoughts/{thought}")
        send("GET", f"/api/thoughts/{thought}/likes")
        send("GET", rng.choice(["/api/thoughts", "/api/thoughts/", "/api/thoughts/?limit=5"]))
        send(rng.choice(["GET", "HEAD"]), "/api/health")
        send("GET", f"/api/search?q={rng.choice(['engine', 'weave', 'x'])}")
        if rng.random() < 0.1:
            send("OPTIONS", "/api/users")
        if rng.random() < 0.2:
            send("GET", rng.choice(PROBES))
        if rng.random() < 0.05:
            send("GET", "/api/thought%20s/1")


def count_findings(path: Path, cwd: Path) -> tuple[int, int, int]:
    """(apilint findings, of which spec-invalid, redocly lint errors)."""
    env_cmd = [sys.executable, "-m", "apilint", "lint", "-f", "json", "--fail-on", "never"]
    result = subprocess.run(
        [*env_cmd, str(path)], capture_output=True, text=True, cwd=ROOT, check=False
    )
    findings = json.loads(result.stdout)["findings"] if result.stdout else []
    spec_invalid = sum(1 for f in findings if f["rule"] == "spec-invalid")
    redocly = subprocess.run(
        ["redocly", "lint", str(path), "--format", "json"],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
    )
    errors = 0
    text = redocly.stdout
    start = text.find("{")
    if start >= 0:
        try:
            data = json.loads(text[start:])
            errors = sum(1 for p in data.get("problems", []) if p.get("severity") == "error")
        except ValueError:
            errors = -1
    return len(findings), spec_invalid, errors


def normalised(document: dict[str, Any]) -> set[tuple[str, str]]:
    return {(m, p.rstrip("/") or "/") for m, p in operations_of(document)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=150)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    folder = Path(tempfile.mkdtemp(prefix="infer-bench-"))
    with nginx_in_front_of(_thoughts_app(), folder) as (client, logs):
        workload(client, args.rounds, args.seed)
    requests = len(logs.jsonl.read_text().splitlines())
    expected = normalised(_hand_written())
    rows = []
    runs = {
        "apilint infer (JSON log)": [
            sys.executable,
            "-m",
            "apilint",
            "infer",
            "-q",
            str(logs.jsonl),
            "-o",
            str(folder / "apilint.yaml"),
        ],
        "apilint infer (combined log)": [
            sys.executable,
            "-m",
            "apilint",
            "infer",
            "-q",
            str(logs.combined),
            "-o",
            str(folder / "apilint-combined.yaml"),
        ],
        "redocly generate-spec (JSON log)": [
            "redocly",
            "generate-spec",
            str(logs.jsonl),
            "--openapi-version",
            "3.1",
            "-o",
            str(folder / "redocly-generated.yaml"),
        ],
    }
    outputs = {
        "apilint infer (JSON log)": folder / "apilint.yaml",
        "apilint infer (combined log)": folder / "apilint-combined.yaml",
        "redocly generate-spec (JSON log)": folder / "redocly-generated.yaml",
    }
    for name, command in runs.items():
        started = time.perf_counter()
        result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
        elapsed = time.perf_counter() - started
        output = outputs[name]
        if result.returncode != 0 or not output.exists():
            rows.append(f"| {name} | failed: {result.stderr.strip()[-200:]} |")
            continue
        document = yaml.safe_load(output.read_text())
        found = normalised(document)
        recovered = len(found & expected)
        noise = sorted(found - expected)
        total, spec_invalid, redocly_errors = count_findings(output, folder)
        rows.append(
            f"| {name} | {len(found)} | {recovered}/{len(expected)} | {len(noise)} | "
            f"{total} ({spec_invalid} spec-invalid) | {redocly_errors} | {elapsed:.2f} s |"
        )
        for method, path in noise:
            print(f"  noise in {name}: {method} {path}", file=sys.stderr)
    print(f"{requests} requests, logs in {folder}")
    print(
        "| tool | operations | documented recovered | noise | apilint lint findings | "
        "redocly lint errors | time |"
    )
    print("|---|---|---|---|---|---|---|")
    for row in rows:
        print(row)
    print(f"Paths: {len(re.findall('^  /', (folder / 'apilint.yaml').read_text(), re.M))}")


if __name__ == "__main__":
    main()
