"""A big description's rules shared with a forked process (apilint.lint.split): the same report
as one process gives, a child that fails costs nothing but time, and a child never outlives its
parent. Real forks, real processes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from alone import only_thread

from apilint.core import threads
from apilint.core.findings import Finding
from apilint.lint import split
from apilint.lint.split import FAILED, run_beside

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork on Linux only")


def _forks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The pids of the children forked from now on (os.fork is still the real one)."""
    pids: list[int] = []
    real = os.fork

    def fork() -> int:
        pid = real()
        if pid:
            pids.append(pid)
        return pid

    monkeypatch.setattr(split.os, "fork", fork)
    return pids


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_both_sides_deliver() -> None:
    here, there = run_beside(lambda: {"child": os.getpid()}, os.getpid)
    assert isinstance(there, dict)
    assert there["child"] != here


@pytest.mark.parametrize(
    "work",
    [
        lambda: 1 / 0,  # a bug in a rule
        lambda: os._exit(3),  # leaves without a word
        lambda: os.kill(os.getpid(), signal.SIGKILL),  # killed (out of memory, say)
        lambda: lambda: None,  # a result that cannot be sent
    ],
)
def test_a_child_that_fails_delivers_failed(work: Any) -> None:
    assert run_beside(work, lambda: "mine") == ("mine", FAILED)


def test_the_child_is_stopped_when_the_parent_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    pids = _forks(monkeypatch)

    def fail() -> None:
        raise KeyboardInterrupt

    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt):
        run_beside(lambda: time.sleep(60), fail)
    assert time.monotonic() - started < 10
    [pid] = pids
    assert _gone(pid)  # killed and reaped


def _big_description(path: Path) -> None:
    """Enough examples for example-invalid to run in a second process (some wrong, one of them
    suppressed), and a suppression nothing uses."""
    paths: dict[str, Any] = {}
    for i in range(1700):
        example: dict[str, Any] = {"id": i, "name": f"thing {i}", "tags": ["a", "b"]}
        if i % 100 == 0:
            example["id"] = f"id-{i}"  # a string where the schema says integer
        media: dict[str, Any] = {
            "schema": {"$ref": "#/components/schemas/Thing"},
            "example": example,
        }
        if i == 200:
            media["x-apilint-ignore"] = ["example-invalid"]
        operation = {
            "operationId": f"getThing{i}",
            "summary": "Get one thing " + "with a long description " * 20,
            "responses": {
                "200": {"description": "A thing", "content": {"application/json": media}}
            },
        }
        if i == 7:
            operation["x-apilint-ignore"] = ["path-casing"]  # used by nothing
        paths[f"/things{i}/{{id}}"] = {
            "parameters": [
                {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}
            ],
            "get": operation,
        }
    spec = {
        "openapi": "3.0.3",
        "info": {"title": "Things", "version": "1"},
        "paths": paths,
        "components": {
            "schemas": {
                "Thing": {
                    "type": "object",
                    "required": ["id"],
                    "properties": {
                        "id": {"type": "integer"},
                        "name": {"type": "string"},
                        "tags": {"type": "array", "items": {"type": "string"}},
                    },
                }
            }
        },
    }
    path.write_text(json.dumps(spec, indent=2), encoding="utf-8")
    assert path.read_text(encoding="utf-8").count("example") >= 1000


def _lint(path: Path, *, split_rules: bool) -> list[Finding]:
    from apilint.lint.engine import Linter
    from apilint.settings.config import Config

    linter = Linter(Config(), select=["all"])
    linter.split_rules = split_rules
    findings, _ = linter.lint_file(path)
    return findings


def test_the_report_is_the_same_in_two_processes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "big.json"
    _big_description(path)
    alone = _lint(path, split_rules=False)
    pids = _forks(monkeypatch)
    from apilint.lint import engine

    # Another test's server thread may still be winding down in this worker; the child here
    # only computes, so the fork is safe for this test whatever threads exist.
    monkeypatch.setattr(engine, "can_fork", lambda: True)
    beside = _lint(path, split_rules=True)
    assert len(pids) == 1  # it did run in two processes
    assert beside == alone
    rules = {f.rule for f in alone}
    assert {"example-invalid", "unused-suppression"} <= rules
    invalid = [f for f in alone if f.rule == "example-invalid"]
    assert len(invalid) == 16  # 17 wrong examples, one suppressed: the child's use counted
    [unused] = [f for f in alone if f.rule == "unused-suppression"]
    assert "path-casing" in unused.message


def test_a_failed_child_costs_only_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "big.json"
    _big_description(path)
    alone = _lint(path, split_rules=False)
    from apilint.lint import engine

    monkeypatch.setattr(engine, "run_beside", lambda child, parent: (parent(), FAILED))
    assert _lint(path, split_rules=True) == alone


def test_ctrl_c_stops_both_processes(tmp_path: Path) -> None:
    path = tmp_path / "big.json"
    _big_description(path)
    command = ["lint", "--no-config", "--no-cache", "-j", "2", "-f", "json", str(path)]
    process = subprocess.Popen(
        [sys.executable, "-m", "apilint", *command],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    child = None
    deadline = time.monotonic() + 60
    while child is None and time.monotonic() < deadline and process.poll() is None:
        for entry in Path("/proc").iterdir():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == process.pid:
                child = int(entry.name)
        time.sleep(0.01)
    if child is None:
        process.kill()
        process.wait()
        pytest.skip("the run ended before its second process could be seen")
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert json.loads(stdout)["errors"], stdout  # the report says it is incomplete
    assert _gone(child)


def test_no_fork_while_another_thread_runs() -> None:
    import threading

    assert split.can_fork() == (threading.active_count() == 1)
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not split.can_fork()
    finally:
        stop.set()
        thread.join()


def test_the_queue_gives_each_number_to_one_process() -> None:
    from apilint.lint.split import WorkQueue

    queue = WorkQueue(500)
    try:

        def slowly() -> list[int]:
            taken = []
            for number in queue:
                taken.append(number)
                time.sleep(0.0005)
            return taken

        here, there = run_beside(slowly, slowly)
    finally:
        queue.close()
    assert isinstance(there, list)
    assert here and there  # both took some
    assert sorted(here + there) == list(range(500))


def test_partition_counts_shared_work_once_per_process() -> None:
    from apilint.lint.split import partition

    walk = frozenset({"schemas"})
    # Stripe-like: the two rules that walk every schema go together, the rest to the other.
    here, there, seconds = partition(
        [0.01, 0.012, 0.04, 0.015], [walk, walk, frozenset(), frozenset()], {"schemas": 0.045}, 0.06
    )
    assert {frozenset(here), frozenset(there)} == {frozenset({0, 1}), frozenset({2, 3})}
    assert seconds == pytest.approx(max(0.067, 0.055, (0.067 + 0.055 + 0.06) / 2))
    # GitHub-like: example validation is so big that it goes alone, even though the other
    # process then walks the schemas a second time.
    here, there, seconds = partition(
        [0.3, 0.03, 0.1], [walk, walk, frozenset()], {"schemas": 0.11}, 0.15
    )
    assert {frozenset(here), frozenset(there)} == {frozenset({0}), frozenset({1, 2})}
    assert seconds == pytest.approx(0.41)


def test_partition_keeps_every_item() -> None:
    from apilint.lint.split import partition

    costs = [0.05, 0.04, 0.03, 0.02, 0.01]
    here, there, _ = partition(costs, [frozenset()] * 5, {}, 0.0)
    assert sorted(here + there) == [0, 1, 2, 3, 4]
    assert not set(here) & set(there)


def test_a_child_that_dies_midway_costs_only_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The child takes rules from the queue and dies after its first: the rules it took are
    gone from the queue, and this process runs them itself."""
    path = tmp_path / "big.json"
    _big_description(path)
    alone = _lint(path, split_rules=False)
    from apilint.lint import engine

    monkeypatch.setattr(engine, "can_fork", lambda: True)
    parent = os.getpid()
    real = engine.Linter._run_rule
    ran: list[str] = []

    def dying(self: Any, active: Any, *args: Any) -> Any:
        if os.getpid() != parent:
            ran.append(active.id)
            if len(ran) > 1:
                os._exit(1)
        return real(self, active, *args)

    monkeypatch.setattr(engine.Linter, "_run_rule", dying)
    pids = _forks(monkeypatch)
    assert _lint(path, split_rules=True) == alone
    assert len(pids) == 1


def test_a_background_thread_keeps_running_while_the_process_forks(
    request: pytest.FixtureRequest,
) -> None:
    """A thread that writes only while holding its lock (the terminal's progress line) does
    not stop a fork: the fork holds the lock, so the child never inherits it held."""
    import io
    import threading

    if not only_thread(request):
        return

    lock = threading.Lock()
    stop = threading.Event()
    stream = io.StringIO()

    def draw() -> None:
        while not stop.is_set():
            with lock:
                stream.write("\r... linting")

    thread = threading.Thread(target=draw, daemon=True)
    threads.background_thread(thread, lock)
    assert split.can_fork() == (threading.active_count() == 1)
    thread.start()
    try:
        assert split.can_fork()
        for _ in range(20):

            def child() -> str:
                with lock:  # would hang if the fork had copied it held
                    return "done"

            assert run_beside(child, lambda: "mine") == ("mine", "done")
    finally:
        stop.set()
        thread.join()
    assert stream.getvalue()


def test_the_progress_line_does_not_keep_a_big_description_in_one_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    import io

    from apilint.cli import progress

    if not only_thread(request):
        return

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    path = tmp_path / "big.json"
    _big_description(path)
    alone = _lint(path, split_rules=False)
    monkeypatch.setenv("APILINT_PROGRESS_DELAY", "0")
    monkeypatch.setattr(progress, "_is_terminal", lambda stream: True)
    shown = Terminal()
    line = progress.Progress(1, stream=shown)
    line.start()
    pids = _forks(monkeypatch)
    try:
        beside = _lint(path, split_rules=True)
    finally:
        line.close()
    assert len(pids) == 1  # the rules were shared with a second process
    assert beside == alone
    assert "linting 1 of 1 file" in shown.getvalue()
