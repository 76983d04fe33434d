"""Long fuzzing run, by hand: many more inputs than the suite, real corpus documents, watchdogs.

    python tests/fuzz/run_long.py --budget 600 --workers 2

Each input is (level, seed) and reproducible:

- ``loader``  generated YAML, mutated seed and corpus texts and bytes, alias bombs, deep nesting
- ``engine``  mutated seed documents through every rule and every report format
- ``corpus``  mutated real descriptions from ../shared/corpus (deleted keys, wrong types, nulls
              everywhere, odd unicode, huge numbers, deep nesting, $refs anywhere)
- ``cli``     an engine input through the real command line (one-line error or a report)

Inputs run in worker processes with an address-space cap (--memory-mb): an input that makes
memory grow without bound ends in MemoryError or kills its worker, and is reported. An input
that runs longer than --timeout is a hang: the worker is killed and replaced. Every failing
input is written to --out with what happened; rerun one with ``--replay LEVEL:SEED``.

The report says how many inputs each level tried, how each ended, every distinct bug, and how
the workers' memory moved (a leak shows as resident memory that keeps growing).
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import fuzzkit  # noqa: E402

ROOT = HERE.parent.parent
DEFAULT_CORPUS = Path(os.environ.get("APILINT_CORPUS", ROOT.parent / "shared" / "corpus"))
LEVELS = ("loader", "engine", "corpus", "cli")
WEIGHTS = {"loader": 45, "engine": 35, "corpus": 18, "cli": 2}

# -- the worker: runs inputs it is sent, answers one JSON line each -------------------------------


class Inputs:
    """Builds the input for (level, seed); corpus documents are read once."""

    def __init__(self, corpus: Path | None, workdir: Path, max_corpus_bytes: int) -> None:
        self.workdir = fuzzkit.prepare_workdir(workdir)
        self.seeds = fuzzkit.seed_documents()
        self.seed_texts = fuzzkit.seed_texts()
        self.corpus_texts: list[str] = []
        self.corpus_docs: list[Any] = []
        if corpus is not None and corpus.is_dir():
            for path in sorted(corpus.rglob("*")):
                if path.suffix not in (".json", ".yaml") or not path.is_file():
                    continue
                if path.stat().st_size > max_corpus_bytes:
                    continue
                text = path.read_text(encoding="utf-8")
                self.corpus_texts.append(text)
                if path.suffix == ".json":
                    self.corpus_docs.append(json.loads(text))

    def build(self, level: str, seed: int) -> tuple[str | bytes, str]:
        rng = random.Random(f"{level}:{seed}")
        if level == "loader":
            texts = self.seed_texts + self.corpus_texts[:40]
            pool = texts if rng.random() < 0.7 or not self.corpus_texts else self.corpus_texts
            return fuzzkit.text_input(rng, pool)
        if level == "corpus" and self.corpus_docs:
            data = fuzzkit.mutate_data(rng, rng.choice(self.corpus_docs), rng.randint(1, 12))
            return fuzzkit.serialize(rng, data)
        return fuzzkit.engine_input(rng, self.seeds)

    def run(self, level: str, seed: int, timeout: float) -> fuzzkit.Verdict:
        raw, suffix = self.build(level, seed)
        if level == "loader":
            return fuzzkit.check_loader(raw, suffix, seconds=timeout)
        assert isinstance(raw, str)
        path = self.workdir.with_suffix(suffix)
        if level == "cli":
            return check_cli(raw, path)
        return fuzzkit.check_engine(raw, path, seconds=timeout)


def check_cli(text: str, path: Path) -> fuzzkit.Verdict:
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    result = subprocess.run(
        [sys.executable, "-m", "apilint", "lint", "--no-config", "--select", "all", path.name],
        cwd=path.parent,
        capture_output=True,
        text=True,
        errors="replace",
        timeout=120,
        check=False,
        env={**os.environ, "NO_COLOR": "1"},
    )
    errors = [line for line in result.stderr.splitlines() if line.startswith("apilint: error:")]
    if "Traceback" in result.stderr or "internal error" in result.stderr:
        known = any(
            f"rule '{rule}'" in result.stderr and crash in result.stderr
            for rule, crash in fuzzkit.KNOWN_BUGS
        )
        return fuzzkit.Verdict("known" if known else "bug", result.stderr.strip()[-400:])
    if result.returncode == 2:
        if len(errors) != 1:
            return fuzzkit.Verdict(
                "bug", f"exit 2 with {len(errors)} error lines: {result.stderr!r}"
            )
        return fuzzkit.Verdict("error", errors[0])
    if result.returncode in (0, 1) and not errors:
        return fuzzkit.Verdict("report", f"exit {result.returncode}")
    return fuzzkit.Verdict("bug", f"exit {result.returncode}: {result.stderr.strip()[-400:]}")


def resident_kb() -> int:
    try:
        with open("/proc/self/statm", encoding="ascii") as handle:
            pages = int(handle.read().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") // 1024
    except (OSError, ValueError, IndexError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def worker(args: argparse.Namespace) -> None:
    if args.memory_mb:
        cap = args.memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    inputs = Inputs(args.corpus, Path(args.workdir), args.max_corpus_bytes)
    print(json.dumps({"ready": True, "rss_kb": resident_kb()}), flush=True)
    for line in sys.stdin:
        level, seed = json.loads(line)
        started = time.monotonic()
        try:
            verdict = inputs.run(level, seed, args.timeout)
        except MemoryError:
            verdict = fuzzkit.Verdict("bug", "MemoryError (outside the code under test)")
        answer = {
            "kind": verdict.kind,
            "detail": verdict.detail[:2000],
            "seconds": round(time.monotonic() - started, 3),
            "rss_kb": resident_kb(),
        }
        print(json.dumps(answer), flush=True)


# -- the parent: hands out inputs, watches the workers, reports ------------------------------------


class Worker:
    def __init__(self, args: argparse.Namespace, index: int) -> None:
        workdir = Path(args.out) / f"work{index}"
        command = [
            sys.executable,
            str(Path(__file__).resolve()),
            "--worker",
            "--workdir",
            str(workdir),
            "--timeout",
            str(args.timeout),
            "--memory-mb",
            str(args.memory_mb),
            "--max-corpus-bytes",
            str(args.max_corpus_bytes),
        ]
        if args.corpus is not None:
            command += ["--corpus", str(args.corpus)]
        self.process = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            bufsize=1,
        )
        ready = self._read(600)
        self.first_rss = ready.get("rss_kb", 0) if ready else 0
        self.rss: list[int] = []

    def _read(self, timeout: float) -> dict[str, Any] | None:
        import selectors

        assert self.process.stdout is not None
        with selectors.DefaultSelector() as selector:
            selector.register(self.process.stdout, selectors.EVENT_READ)
            if not selector.select(timeout):
                return None
        line = self.process.stdout.readline()
        if not line:
            return {"kind": "died", "detail": f"worker exited with {self.process.wait()}"}
        answer: dict[str, Any] = json.loads(line)
        return answer

    def run(self, level: str, seed: int, timeout: float) -> dict[str, Any]:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps([level, seed]) + "\n")
        self.process.stdin.flush()
        answer = self._read(timeout * 2 + 30)
        if answer is None:
            self.stop()
            return {"kind": "hang", "detail": f"no answer after {timeout * 2 + 30:g} s"}
        if answer["kind"] == "died":
            return answer
        self.rss.append(answer["rss_kb"])
        return answer

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()


def save(out: Path, inputs: Inputs, level: str, seed: int, answer: dict[str, Any]) -> Path:
    raw, suffix = inputs.build(level, seed)
    target = out / f"{answer['kind']}-{level}-{seed}{suffix or '.txt'}"
    data = raw if isinstance(raw, bytes) else raw.encode("utf-8", "surrogatepass")
    target.write_bytes(data)
    target.with_suffix(target.suffix + ".txt").write_text(
        f"{level}:{seed}\n{answer['kind']}: {answer['detail']}\n", encoding="utf-8"
    )
    return target


def signature(detail: str) -> str:
    """Group bugs by what crashed and where, not by the input's own text: the file name and
    position go, quoted values after the crash's exception name go."""
    import re

    text = re.sub(r"^[A-Za-z]*Error: ", "", detail)
    text = re.sub(r"^\S*?(:\d+)*: ", "", text)
    head, sep, tail = text.partition(" failed: ")
    tail = re.sub(r"'[^']{0,200}'", "'…'", tail)
    return (head + sep + tail)[:200]


def parent(args: argparse.Namespace) -> int:
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    levels = [level for level in args.levels.split(",") if level]
    weights = [WEIGHTS[level] for level in levels]
    print(f"apilint long fuzz: budget {args.budget:g} s, {args.workers} workers, levels {levels}")
    print(f"corpus: {args.corpus if args.corpus else '(none)'}; failing inputs go to {out}")
    workers = [Worker(args, index) for index in range(args.workers)]
    local = Inputs(args.corpus, out / "replay", args.max_corpus_bytes)
    chooser = random.Random(args.seed)
    tried: collections.Counter[str] = collections.Counter()
    kinds: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    bugs: dict[str, list[str]] = collections.defaultdict(list)
    slowest: list[tuple[float, str]] = []
    started = time.monotonic()
    next_seed = args.seed * 1_000_000
    restarts = 0
    import concurrent.futures

    def one(index: int, level: str, seed: int) -> tuple[int, str, int, dict[str, Any]]:
        return index, level, seed, workers[index].run(level, seed, args.timeout)

    with concurrent.futures.ThreadPoolExecutor(len(workers)) as pool:
        pending: set[concurrent.futures.Future[tuple[int, str, int, dict[str, Any]]]] = set()
        while True:
            while len(pending) < len(workers) and time.monotonic() - started < args.budget:
                busy = {f.index for f in pending}  # type: ignore[attr-defined]
                index = next(i for i in range(len(workers)) if i not in busy)
                level = chooser.choices(levels, weights)[0]
                future = pool.submit(one, index, level, next_seed)
                future.index = index  # type: ignore[attr-defined]
                pending.add(future)
                next_seed += 1
            if not pending:
                break
            done, pending = concurrent.futures.wait(
                pending, return_when=concurrent.futures.FIRST_COMPLETED
            )
            for future in done:
                index, level, seed, answer = future.result()
                tried[level] += 1
                kind = answer["kind"]
                kinds[level][kind] += 1
                slowest.append((answer.get("seconds", 0.0), f"{level}:{seed}"))
                slowest = sorted(slowest, reverse=True)[:5]
                if kind in ("bug", "hang", "died"):
                    where = save(out, local, level, seed, answer)
                    bugs[f"{kind}: {signature(answer['detail'])}"].append(f"{level}:{seed}")
                    print(f"  {kind} {level}:{seed} -> {where.name}: {answer['detail'][:200]}")
                if kind in ("hang", "died") or "MemoryError" in answer["detail"]:
                    # after a MemoryError the worker's heap is not to be trusted either
                    restarts += 1
                    workers[index].stop()
                    workers[index] = Worker(args, index)
            total = sum(tried.values())
            if total // 1000 != (total - len(done)) // 1000:
                print(f"  {total} inputs, {time.monotonic() - started:.0f} s", flush=True)
    elapsed = time.monotonic() - started
    for w in workers:
        w.stop()
    report(tried, kinds, bugs, slowest, workers, restarts, elapsed)
    return 1 if bugs else 0


def report(
    tried: collections.Counter[str],
    kinds: dict[str, collections.Counter[str]],
    bugs: dict[str, list[str]],
    slowest: list[tuple[float, str]],
    workers: list[Worker],
    restarts: int,
    elapsed: float,
) -> None:
    total = sum(tried.values())
    print(f"\n{total} inputs in {elapsed:.0f} s ({total / max(elapsed, 1e-9):.0f}/s)")
    print("  level     inputs: how they ended")
    for level in LEVELS:
        if tried[level]:
            parts = ", ".join(f"{n} {k}" for k, n in sorted(kinds[level].items()))
            print(f"  {level:7} {tried[level]:7}: {parts}")
    print("slowest inputs: " + ", ".join(f"{name} {s:.2f} s" for s, name in slowest))
    for index, w in enumerate(workers):
        if w.rss:
            tenth = max(1, len(w.rss) // 10)
            early = max(w.rss[:tenth]) // 1024
            late = max(w.rss[-tenth:]) // 1024
            print(
                f"worker {index}: resident memory {w.first_rss // 1024} MB at start, "
                f"{early} MB over its first tenth of inputs, {late} MB over its last tenth"
            )
    if restarts:
        print(f"workers restarted after a hang or a death: {restarts}")
    known = sum(k["known"] for k in kinds.values())
    if known:
        print(f"known bugs (routed, see fuzzkit.KNOWN_BUGS) hit {known} times")
    if not bugs:
        print("no new bugs: every input ended in a report or a one-line error")
        return
    print(f"{len(bugs)} distinct bugs:")
    for sig, where in sorted(bugs.items(), key=lambda item: -len(item[1])):
        print(f"  {len(where):5} x {sig}  (first: {where[0]})")


def replay(args: argparse.Namespace) -> int:
    level, _, seed = args.replay.partition(":")
    inputs = Inputs(args.corpus, Path(args.out) / "replay", args.max_corpus_bytes)
    raw, suffix = inputs.build(level, int(seed))
    print(f"{level}:{seed} ({suffix or 'no suffix'}, {len(raw)} characters)")
    verdict = inputs.run(level, int(seed), args.timeout)
    print(f"{verdict.kind}: {verdict.detail}")
    return 1 if verdict.is_bug else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--budget", type=float, default=600, help="seconds (default 600)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1, help="where the seeds start")
    parser.add_argument("--levels", default=",".join(LEVELS))
    parser.add_argument("--timeout", type=float, default=30, help="seconds per input")
    parser.add_argument(
        "--memory-mb", type=int, default=3072, help="address space per worker (default 3072)"
    )
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--max-corpus-bytes", type=int, default=600_000)
    parser.add_argument("--out", default=f"/tmp/apilint-fuzz-{int(time.time())}")
    parser.add_argument("--replay", metavar="LEVEL:SEED", help="run one input and say how it ends")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--workdir", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.corpus is not None and not Path(args.corpus).is_dir():
        args.corpus = None
    if args.worker:
        worker(args)
        return 0
    if args.replay:
        return replay(args)
    return parent(args)


if __name__ == "__main__":
    sys.exit(main())
