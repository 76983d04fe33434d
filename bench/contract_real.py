"""``apilint contract`` and ``st run`` on real third-party services installed from PyPI.

Three services that publish their own OpenAPI/Swagger description, none written here, each
started on 127.0.0.1 with its own default setup (in-memory or SQLite storage, no auth
configured), fresh for every tool so both meet the same initial state:

- httpbin (Flask with flasgger: Swagger 2.0, 73 operations), ``python -m httpbin.core``;
- Kinto (Pyramid with cornice: Swagger 2.0 with the base path /v1), ``kinto init`` with the
  memory backends, then ``kinto start``;
- Prefect's server (FastAPI: OpenAPI 3.1, 188 operations under /api), ``prefect server start``.

Install them (Prefect pins older FastAPI and pydantic releases than the project's environment
has, so it gets a virtual environment of its own, named with ``--prefect``)::

    python -m pip install httpbin flasgger kinto
    python -m venv /tmp/prefect-venv && /tmp/prefect-venv/bin/pip install prefect

The description each service serves is saved once per run and given to both tools. apilint runs
as ``apilint contract SPEC --base-url URL --max-examples N --seed S``; ``st run`` gets a
``schemathesis.toml`` written from the very configuration apilint hands to Schemathesis (the same
checks, phases, seed, examples, no redirect following, no cache). Reported per service and tool:
the whole process's time, the operations covered (apilint's run.coverage; st's "Tested" line),
the findings by id (apilint) or failures by check (st), and the exit code. The raw reports stay
in ``--keep DIR`` for reading.

    python bench/contract_real.py --prefect /tmp/prefect-venv/bin/prefect
    python bench/contract_real.py --services httpbin,kinto --max-examples 10 --seed 1
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from contract_bench import toml  # noqa: E402

from apilint.contract.options import ContractOptions  # noqa: E402
from apilint.contract.runner import config_data  # noqa: E402

BIN = Path(sys.executable).parent


@dataclass
class Service:
    name: str
    what: str
    spec_path: str
    base_path: str
    command: Callable[[int, Path, argparse.Namespace], list[str]]
    setup: Callable[[Path, argparse.Namespace], None] = lambda work, args: None
    env: Callable[[Path], dict[str, str]] = lambda work: {}


def _kinto_setup(work: Path, args: argparse.Namespace) -> None:
    subprocess.run(
        [str(BIN / "kinto"), "init", "--ini", str(work / "kinto.ini"), "--backend", "memory",
         "--cache-backend", "memory"],
        check=True, capture_output=True,
    )  # fmt: skip


SERVICES = {
    "httpbin": Service(
        "httpbin",
        "Flask + flasgger, Swagger 2.0",
        "/spec.json",
        "",
        lambda port, work, args: [sys.executable, "-m", "httpbin.core", "--port", str(port)],
    ),
    "kinto": Service(
        "kinto",
        "Pyramid + cornice, Swagger 2.0, base path /v1",
        "/v1/__api__",
        "/v1",
        lambda port, work, args: [
            *(str(BIN / "kinto"), "start", "--ini", str(work / "kinto.ini")),
            *("--port", str(port)),
        ],
        setup=_kinto_setup,
    ),
    "prefect": Service(
        "prefect",
        "FastAPI, OpenAPI 3.1, servers /api",
        "/api/openapi.json",
        "/api",
        lambda port, work, args: [
            *(args.prefect, "server", "start"),
            *("--host", "127.0.0.1", "--port", str(port)),
        ],
        env=lambda work: {
            "PREFECT_HOME": str(work / "prefect-home"),
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "PREFECT_UI_ENABLED": "false",
        },
    ),
}


@dataclass
class Result:
    service: str
    tool: str
    seconds: float
    exit_code: int
    operations: int = 0
    covered: int = 0
    errored: int = 0
    """Operations st could not test (its "Errored" line)."""
    findings: Counter[str] = field(default_factory=Counter)
    incomplete: list[str] = field(default_factory=list)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running(service: Service, work: Path, args: argparse.Namespace) -> Iterator[str]:
    """A fresh service; yields its origin once its description answers."""
    work.mkdir(parents=True, exist_ok=True)
    service.setup(work, args)
    port = free_port()
    origin = f"http://127.0.0.1:{port}"
    with open(work / "service.log", "w", encoding="utf-8") as log:
        process = subprocess.Popen(
            service.command(port, work, args),
            stdout=log,
            stderr=log,
            cwd=work,
            env={**os.environ, **service.env(work)},
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(origin + service.spec_path, timeout=5) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"{service.name} did not start: see {work / 'service.log'}")
            time.sleep(0.5)
        yield origin
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def fetch_spec(service: Service, origin: str, work: Path) -> Path:
    with urllib.request.urlopen(origin + service.spec_path, timeout=30) as answer:
        data = answer.read()
    path = work / f"{service.name}.json"
    path.write_bytes(data)
    return path


def run_apilint(spec: Path, url: str, args: argparse.Namespace, work: Path) -> Result:
    report = work / "apilint.json"
    command = [
        sys.executable, "-m", "apilint", "contract", str(spec), "--base-url", url,
        "--max-examples", str(args.max_examples), "--seed", str(args.seed),
        "-f", f"json:{report}", "--no-progress", "--no-config",
    ]  # fmt: skip
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    (work / "apilint.stderr").write_text(done.stderr, encoding="utf-8")
    result = Result("", "apilint", seconds, done.returncode)
    if report.exists():
        data = json.loads(report.read_text(encoding="utf-8"))
        coverage = data.get("run", {}).get("coverage", {})
        result.operations = int(coverage.get("operations", 0))
        result.covered = int(coverage.get("tested", 0))
        result.errored = len(coverage.get("not_generated", {})) + len(coverage.get("errored", {}))
        result.findings = Counter(f["rule"] for f in data["findings"])
        result.incomplete = list(data.get("errors", []))
    return result


FAILURE_LINE = re.compile(r"^\s*\S+\s+(ST\d+ )?(?P<title>.+?): (?P<count>\d+)\s*$")


def run_st(spec: Path, url: str, args: argparse.Namespace, work: Path) -> Result:
    options = ContractOptions(
        spec=spec, base_url=url, max_examples=args.max_examples, seed=args.seed
    )
    directory = work / "st"
    directory.mkdir(exist_ok=True)
    (directory / "schemathesis.toml").write_text(toml(config_data(options, url)), "utf-8")
    command = [args.st, "run", str(spec), "--no-color"]
    started = time.perf_counter()
    done = subprocess.run(command, cwd=directory, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    (work / "st.stdout").write_text(done.stdout + done.stderr, encoding="utf-8")
    result = Result("", "st run", seconds, done.returncode)
    section = ""
    for line in done.stdout.splitlines():
        stripped = line.strip()
        if stripped.endswith(":") and not stripped.startswith(("❌", "⚠")):
            section = stripped[:-1]
            continue
        if section == "API Operations":
            if stripped.startswith("Selected:"):
                result.operations = int(stripped.split()[1].split("/")[0])
            elif stripped.startswith("Tested:"):
                result.covered = int(stripped.split()[1])
            elif stripped.startswith("Errored:"):
                result.errored = int(stripped.split()[1])
        elif section in ("Failures", "Errors"):
            match = FAILURE_LINE.match(line)
            if match:
                prefix = "error: " if section == "Errors" else ""
                result.findings[prefix + match["title"]] = int(match["count"])
    return result


TOOLS: dict[str, Callable[[Path, str, argparse.Namespace, Path], Result]] = {
    "apilint": run_apilint,
    "st run": run_st,
}


def measure(name: str, args: argparse.Namespace, work: Path) -> list[Result]:
    service = SERVICES[name]
    results = []
    for tool, run in TOOLS.items():
        place = work / name / tool.replace(" ", "-")
        with running(service, place, args) as origin:
            spec = fetch_spec(service, origin, place)
            result = run(spec, origin + service.base_path, args, place)
        result.service = name
        record = {**dataclasses.asdict(result), "findings": dict(result.findings)}
        (place / "result.json").write_text(json.dumps(record, indent=2), encoding="utf-8")
        results.append(result)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", default=",".join(SERVICES))
    parser.add_argument("--max-examples", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--st", default=str(BIN / "st"), help="the Schemathesis CLI")
    parser.add_argument(
        "--prefect", default=shutil.which("prefect") or "prefect", help="Prefect's CLI"
    )
    parser.add_argument("--keep", type=Path, help="keep every report and log in this directory")
    args = parser.parse_args()
    names = [n.strip() for n in args.services.split(",") if n.strip()]
    unknown = [n for n in names if n not in SERVICES]
    if unknown:
        known = ", ".join(SERVICES)
        raise SystemExit(f"unknown services: {', '.join(unknown)} (choose from {known})")
    with tempfile.TemporaryDirectory() as temp:
        work = args.keep or Path(temp)
        results = [r for name in names for r in measure(name, args, work)]
    print(
        f"--max-examples {args.max_examples}, seed {args.seed}, one run each, whole process timed\n"
    )
    print(
        "| service | tool | seconds | operations tested | not tested | exit | findings / failures |"
    )
    print("|---|---|---:|---:|---:|---:|---|")
    for r in results:
        found = ", ".join(f"{k} {v}" for k, v in sorted(r.findings.items())) or "none"
        if r.incomplete:
            found += f" (incomplete: {'; '.join(r.incomplete)})"
        what = SERVICES[r.service].what
        print(
            f"| {r.service} ({what}) | {r.tool} | {r.seconds:.0f} | {r.covered}/{r.operations} "
            f"| {r.errored} | {r.exit_code} | {found} |"
        )


if __name__ == "__main__":
    main()
