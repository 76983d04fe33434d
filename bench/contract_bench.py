"""``apilint contract`` against Schemathesis's own ``st run``: same service, same checks, same seed.

Starts the bundled Thoughts service (examples/thoughts/app.py, 21 operations) as a real server on
127.0.0.1, once per run so every tool meets the same initial state, and runs:

- ``apilint contract`` (its redirect probes, then Schemathesis through its Python API);
- ``st run``, with a ``schemathesis.toml`` written from the very configuration apilint hands to
  Schemathesis (the same checks, phases, seed, --max-examples, headers, no redirect following, no
  example database, no cache), in an empty directory;
- ``st run`` again, in a process that has first imported apilint's contract modules. Hypothesis
  mixes constants it finds in "local" (not site-packages) modules into the data it generates, and
  an editable install of apilint is local: the same seed then draws other values, the service
  state diverges and the request count differs. With the same modules loaded, ``st run`` does the
  same fuzzing apilint does (apilint adds its probes), which makes the times comparable.

Both are timed as whole processes (start-up included); requests are counted by the server (its
access log), so apilint's probes count too. The median of ``--repeat`` runs is printed.

    python bench/contract_bench.py
    python bench/contract_bench.py --max-examples 25 --seed 1 --repeat 3
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "examples" / "thoughts" / "openapi.fixed.yaml"
APP = ROOT / "examples" / "thoughts" / "app.py"
TOKEN = "bench-token-not-secret"
LOG_LINE = re.compile(r'"[A-Z]+ \S+ HTTP/1\.[01]" \d{3} ')


@dataclass
class Run:
    tool: str
    seconds: float
    requests: int
    exit_code: int

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def service(log: Path) -> Iterator[str]:
    """A fresh Thoughts service; yields its base URL."""
    port = free_port()
    env = {**os.environ, "THOUGHTS_API_TOKEN": TOKEN}
    with open(log, "w", encoding="utf-8") as handle:
        process = subprocess.Popen(
            [sys.executable, str(APP), "--port", str(port)],
            stdout=handle,
            stderr=handle,
            env=env,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.05)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def served(log: Path) -> int:
    return sum(1 for line in log.read_text(encoding="utf-8").splitlines() if LOG_LINE.search(line))


def toml(data: dict[str, Any], prefix: str = "") -> str:
    """Just enough TOML for Schemathesis's configuration (tables, scalars, lists of scalars)."""

    def value(item: Any) -> str:
        if isinstance(item, bool):
            return "true" if item else "false"
        if isinstance(item, (int, float)):
            return repr(item)
        if isinstance(item, str):
            return '"' + item.replace("\\", "\\\\").replace('"', '\\"') + '"'
        if isinstance(item, list):
            return "[" + ", ".join(value(x) for x in item) + "]"
        raise TypeError(item)

    scalars = [f'"{k}" = {value(v)}' for k, v in data.items() if not isinstance(v, dict)]
    tables = [
        toml(v, f"{prefix}.{k}" if prefix else k) for k, v in data.items() if isinstance(v, dict)
    ]
    head = f"[{prefix}]\n" if prefix and scalars else ""
    return head + "".join(line + "\n" for line in scalars) + "".join(tables)


def apilint_run(url: str, args: argparse.Namespace, work: Path) -> int:
    command = [
        sys.executable, "-m", "apilint", "contract", str(SPEC), "--base-url", url,
        "--max-examples", str(args.max_examples), "--seed", str(args.seed),
        "-H", "Authorization: Bearer ${THOUGHTS_API_TOKEN}",
        "-f", f"json:{work / 'apilint.json'}", "-q",
    ]  # fmt: skip
    env = {**os.environ, "THOUGHTS_API_TOKEN": TOKEN}
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, check=False).returncode


def st_run(url: str, args: argparse.Namespace, work: Path, *, same_constants: bool = False) -> int:
    sys.path.insert(0, str(ROOT))
    from apilint.contract.options import ContractOptions
    from apilint.contract.runner import config_data

    options = ContractOptions(
        spec=SPEC,
        base_url=url,
        headers=[("Authorization", f"Bearer {TOKEN}")],
        max_examples=args.max_examples,
        seed=args.seed,
    )
    directory = work / ("st-same-constants" if same_constants else "st")
    directory.mkdir(exist_ok=True)
    (directory / "schemathesis.toml").write_text(toml(config_data(options, url)), "utf-8")
    command = [args.st, "run", str(SPEC), "--no-color"]
    if same_constants:
        code = (
            "import sys; import apilint.cli.main, apilint.cli.contract, apilint.contract.session, "
            "apilint.contract.runner; from schemathesis.cli import schemathesis; "
            f"sys.argv = ['st', 'run', {str(SPEC)!r}, '--no-color']; schemathesis()"
        )
        command = [sys.executable, "-c", code]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        command, cwd=directory, env=env, capture_output=True, check=False
    ).returncode


def st_run_same_constants(url: str, args: argparse.Namespace, work: Path) -> int:
    return st_run(url, args, work, same_constants=True)


TOOLS: dict[str, Callable[[str, argparse.Namespace, Path], int]] = {
    "apilint": apilint_run,
    "st run": st_run,
    "st run*": st_run_same_constants,
}


def measure(tool: str, args: argparse.Namespace, work: Path) -> Run:
    log = work / f"{tool}.log"
    with service(log) as url:
        started = time.perf_counter()
        code = TOOLS[tool](url, args, work)
        seconds = time.perf_counter() - started
    return Run(tool, seconds, served(log), code)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-examples", type=int, default=25)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--st", default="st", help="the Schemathesis CLI (default: st)")
    args = parser.parse_args()
    results: dict[str, list[Run]] = {tool: [] for tool in TOOLS}
    with tempfile.TemporaryDirectory() as temp:
        work = Path(temp)
        for _ in range(args.repeat):
            for tool, runs in results.items():  # interleaved: load drift hits all alike
                runs.append(measure(tool, args, work))
    print(
        f"Thoughts service (21 operations), --max-examples {args.max_examples}, seed {args.seed}, "
        f"median of {args.repeat} runs, whole process timed, requests counted by the server\n"
    )
    print(f"{'tool':<10} {'requests':>9} {'seconds':>8} {'requests/s':>11} {'exit':>5}")
    for tool, runs in results.items():
        seconds = statistics.median(r.seconds for r in runs)
        requests = int(statistics.median(r.requests for r in runs))
        codes = ",".join(sorted({str(r.exit_code) for r in runs}))
        print(f"{tool:<10} {requests:>9} {seconds:>8.2f} {requests / seconds:>11.1f} {codes:>5}")
    print(
        "\n* st run in a process that imported apilint's modules first (the same Hypothesis "
        "constants, so the same fuzzing; apilint adds its probes)"
    )


if __name__ == "__main__":
    main()
